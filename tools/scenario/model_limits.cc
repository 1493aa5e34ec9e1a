// File: tools/scenario/model_limits.cc
// Options and messages for the simulator's limits (docs/reliability.md, Limits).
#include "tools/scenario/model_limits.h"

#include <fmt/core.h>

namespace socksim::tools {

const char* OptionRaising(sim::Limit limit) {
  switch (limit) {
    case sim::Limit::kNodes:
      return "--max-hosts";
    case sim::Limit::kProcesses:
      return "--max-processes";
    case sim::Limit::kThreads:
      return "--max-threads";
    case sim::Limit::kDescriptors:
      return "--max-descriptors";
    case sim::Limit::kSockets:
      return "--max-sockets";
    case sim::Limit::kEvents:
      return "--max-events";
  }
  return "?";
}

std::string ReachedMessage(const sim::LimitReached& reached) {
  return fmt::format("the run reached its limit of {} {}; raise it with {} N (RunOptions::limits in C++)",
                     reached.value(), sim::Describe(reached.limit()), OptionRaising(reached.limit()));
}

}  // namespace socksim::tools
