// File: tools/cli/host_executors.cc
// The generated list of host executors (one SOCKSIM_HOST_EXECUTOR(name) line per personality
// with a host/ folder); each defines `const HostExecutor& <name>_host_executor()`.
#include "tools/cli/host_executors.h"

namespace socksim::tools {
#define SOCKSIM_HOST_EXECUTOR(name) const HostExecutor& name##_host_executor();
#include "socksim_generated/host_executors.inc"
#undef SOCKSIM_HOST_EXECUTOR
}  // namespace socksim::tools

namespace socksim::cli {

const tools::HostExecutor* FindHostExecutor(std::string_view personality) {
  struct Entry {
    std::string_view name;
    const tools::HostExecutor& (*get)();
  };
  static constexpr Entry kEntries[] = {
#define SOCKSIM_HOST_EXECUTOR(name) {#name, &tools::name##_host_executor},
#include "socksim_generated/host_executors.inc"
#undef SOCKSIM_HOST_EXECUTOR
      {"", nullptr},
  };
  for (const Entry& e : kEntries) {
    if (e.get != nullptr && e.name == personality) return &e.get();
  }
  return nullptr;
}

}  // namespace socksim::cli
