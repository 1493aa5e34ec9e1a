// File: tools/host/host_call_table.cc
// Placeholder until the host executor lands: reports that --host is unavailable.
#include "tools/host/host_call_table.h"

namespace socksim::tools {

std::unique_ptr<CallTable> MakeHostCallTable(const Scenario& scenario, std::string* error) {
  (void)scenario;
  *error = "running on the host kernel is not available in this build";
  return nullptr;
}

}  // namespace socksim::tools
