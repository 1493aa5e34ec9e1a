// File: tools/trace/version.cc
#include "tools/trace/version.h"

namespace socksim::tools {

std::string_view Version() { return "0.1.0"; }

}  // namespace socksim::tools
