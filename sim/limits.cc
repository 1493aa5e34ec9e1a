// File: sim/limits.cc
// Names and values of the simulator's limits.
#include "sim/limits.h"

#include <fmt/core.h>

namespace socksim::sim {

std::uint64_t ModelLimits::Of(Limit limit) const {
  switch (limit) {
    case Limit::kNodes:
      return nodes;
    case Limit::kProcesses:
      return processes;
    case Limit::kThreads:
      return threads;
    case Limit::kDescriptors:
      return descriptors;
    case Limit::kSockets:
      return sockets;
    case Limit::kEvents:
      return events;
  }
  return 0;
}

const char* Describe(Limit limit) {
  switch (limit) {
    case Limit::kNodes:
      return "nodes (hosts and routers)";
    case Limit::kProcesses:
      return "processes (living and exited)";
    case Limit::kThreads:
      return "threads alive at once (besides each process's main thread)";
    case Limit::kDescriptors:
      return "open descriptors (all processes together)";
    case Limit::kSockets:
      return "sockets held at once";
    case Limit::kEvents:
      return "events run";
  }
  return "?";
}

LimitReached::LimitReached(Limit limit, std::uint64_t value)
    : std::runtime_error(fmt::format("the world reached its limit of {} {}", value, Describe(limit))),
      limit_(limit),
      value_(value) {}

}  // namespace socksim::sim
