// File: sim/limits.h
// The simulator's own limits: how much one world may hold (nodes, processes, threads,
// descriptors, sockets) and how many events one world may run. They are not an OS's limits:
// RLIMIT_NOFILE belongs to the personality and gives the caller EMFILE, whereas reaching one
// of these means the input asks for more than the run was allowed, so the world throws
// LimitReached before it changes what the limit counts, and the scenario layer reports it at
// the line, with the limit's name and how to raise it (docs/reliability.md, Limits). Without them, a few
// lines of input (a fork loop, a million `host` lines) could make the run take memory or time
// without bound.
#pragma once

#include <cstdint>
#include <stdexcept>

namespace socksim::sim {

/// What a limit counts.
enum class Limit : std::uint8_t {
  kNodes,        // hosts and routers in the topology
  kProcesses,    // process records, living and exited (an exited one stays for its pid)
  kThreads,      // threads other than main threads, alive at once
  kDescriptors,  // open descriptors in every process's table together
  kSockets,      // sockets the stack holds at once (closed ones it still keeps included)
  kEvents,       // events the world's queue has run since it was made
};

/// The limits of one world. The defaults leave room for the largest runs socksim is measured
/// on (a million connections: two million sockets and descriptors) while keeping a runaway
/// input from running for hours.
struct ModelLimits {
  std::uint64_t nodes = 65'536;
  std::uint64_t processes = 65'536;
  std::uint64_t threads = 65'536;
  std::uint64_t descriptors = 4'194'304;
  std::uint64_t sockets = 4'194'304;
  std::uint64_t events = 100'000'000;

  /// The value of `limit`.
  std::uint64_t Of(Limit limit) const;
};

/// What `limit` counts, for messages: "nodes (hosts and routers)".
const char* Describe(Limit limit);

/// Thrown when an operation would take the world past one of its limits, before it changed what
/// the limit counts (a fork refused for its table copy may still have used up a pid number).
class LimitReached : public std::runtime_error {
 public:
  LimitReached(Limit limit, std::uint64_t value);
  Limit limit() const { return limit_; }
  std::uint64_t value() const { return value_; }

 private:
  Limit limit_;
  std::uint64_t value_;
};

}  // namespace socksim::sim
