// File: tools/scenario/version.cc
#include "tools/scenario/version.h"

// The project's version in CMakeLists.txt, the one the installed package reports too.
#ifndef SOCKSIM_VERSION
#error "SOCKSIM_VERSION is defined by tools/CMakeLists.txt"
#endif

namespace socksim::tools {

std::string_view Version() { return SOCKSIM_VERSION; }

}  // namespace socksim::tools
