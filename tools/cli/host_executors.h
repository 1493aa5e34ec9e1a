// File: tools/cli/host_executors.h
// The host executors this program links (`socksim run --host`), from the generated list of the
// personalities that have one (a tools/personality/<os>/host/ folder). They are part of the
// command line, not of the library embedders link.
#pragma once

#include <string_view>

#include "tools/scenario/registry.h"

namespace socksim::cli {

/// The host executor of `personality`, or nullptr when there is none.
const tools::HostExecutor* FindHostExecutor(std::string_view personality);

}  // namespace socksim::cli
