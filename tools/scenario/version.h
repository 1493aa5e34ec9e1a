// File: tools/scenario/version.h
// The version of socksim, printed by the CLI and written into recorded traces.
#pragma once

#include <string_view>

namespace socksim::tools {

/// socksim's release version ("0.2.0"), the project version of CMakeLists.txt.
std::string_view Version();

}  // namespace socksim::tools
