// File: tools/scenario/version.cc
#include "tools/scenario/version.h"

namespace socksim::tools {

std::string_view Version() { return "0.1.0"; }

}  // namespace socksim::tools
