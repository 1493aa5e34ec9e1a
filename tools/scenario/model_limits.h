// File: tools/scenario/model_limits.h
// The simulator's limits (sim/limits.h) as a scenario run presents them: the option that
// raises each, and the message a run that reached one ends with.
#pragma once

#include <string>

#include "sim/limits.h"

namespace socksim::tools {

/// The command-line option that raises `limit` ("--max-hosts").
const char* OptionRaising(sim::Limit limit);

/// "the run reached its limit of 65536 nodes (hosts and routers); raise it with
/// --max-hosts N (RunOptions::limits in C++)".
std::string ReachedMessage(const sim::LimitReached& reached);

}  // namespace socksim::tools
