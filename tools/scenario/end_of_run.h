// File: tools/scenario/end_of_run.h
// What must hold of a simulated world once every process has exited: nothing left open, and
// no socket still held that no process closed. The fuzz target that runs scenarios
// (fuzz/run_fuzz.cc) and the corpus test check it after every run; a problem is a leak in the
// simulator, not a mistake of the scenario.
#pragma once

#include <string>
#include <vector>

#include "tools/scenario/world_builder.h"

namespace socksim::tools {

/// Ends every living process of `world` (exit status 0), lets the world run until it is idle
/// (bounded by its event limit) and lists what is left that should not be: open descriptors,
/// and sockets the stack still holds although no process ever closed them. Empty when clean.
std::vector<std::string> ExitAllAndFindLeaks(ScenarioWorld& world);

}  // namespace socksim::tools
