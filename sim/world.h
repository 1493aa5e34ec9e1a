// File: sim/world.h
// The simulated world: the single owner of virtual time, the event queue, the random generator,
// the fault injector, the network topology and the processes. Nothing in socksim is global;
// two worlds built from the same seed and driven by the same steps behave identically.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/event_queue.h"
#include "sim/faults.h"
#include "sim/limits.h"
#include "sim/process.h"
#include "sim/rng.h"
#include "sim/topology.h"

namespace socksim::sim {

/// Options a world is built from; the seed derives every random choice.
struct WorldOptions {
  std::uint64_t seed = 1;
  /// Events one Run* call may execute before it reports a runaway scenario.
  std::uint64_t budget_events_max = 1'000'000;
  /// How much the world may hold and run in all (sim/limits.h); past one, LimitReached.
  ModelLimits limits;
  /// First pid handed out when a process is created without an explicit pid.
  Pid first_pid = 100;
};

/// The simulated world.
class World {
 public:
  explicit World(WorldOptions options = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const WorldOptions& options() const { return options_; }
  Instant now() const { return queue_.now(); }
  EventQueue& queue() { return queue_; }
  const EventQueue& queue() const { return queue_; }
  Rng& rng() { return rng_; }
  FaultInjector& faults() { return faults_; }
  Topology& topology() { return topology_; }
  const Topology& topology() const { return topology_; }

  /// Runs the event queue until it is idle, within the world's event budget.
  RunOutcome RunUntilIdle();
  /// Runs events due up to `deadline`, within the budget, and moves the clock there.
  RunOutcome RunUntil(Instant deadline);

  /// Creates a process; throws std::invalid_argument if the pid is taken or the node unknown.
  /// Spawn, Fork and SpawnThread throw LimitReached past the world's limits.
  Process& Spawn(const ProcessSpec& spec);
  /// fork(2): a child of `parent` with the given or next free pid.
  Process& Fork(Pid parent, std::optional<Pid> child_pid = std::nullopt);
  /// exit(2): closes the process's descriptors; the record remains, marked dead.
  void Exit(Pid pid, int status);
  /// The process with `pid`, alive or dead, or nullptr.
  Process* FindProcess(Pid pid);
  const Process* FindProcess(Pid pid) const;
  /// Pids in ascending order.
  std::vector<Pid> Pids() const;

  /// A new thread in live process `pid`, with the given or the next free id (threads and
  /// processes share one number space); throws std::invalid_argument if the id is taken.
  Thread& SpawnThread(Pid pid, std::optional<Tid> tid = std::nullopt);
  /// The thread with id `tid` (a main thread's id is its pid), or nullptr.
  Thread* FindThread(Tid tid);
  /// Ends thread `tid`: a non-main thread leaves its process; the main thread's exit ends the
  /// whole process with `status` (exit_group). Throws for an unknown tid.
  void ExitThread(Tid tid, int status);

  /// Descriptors open in every process's table together (counted against limits.descriptors).
  std::uint64_t open_descriptors() const { return descriptors_.open(); }

  /// True while the world is being destroyed; objects released then must not schedule events.
  bool tearing_down() const { return tearing_down_; }

 private:
  Pid AllocatePid();
  bool IdInUse(Pid id) const;

  WorldOptions options_;
  EventQueue queue_;
  Rng rng_;
  FaultInjector faults_;
  Topology topology_;
  DescriptorCensus descriptors_;  // before processes_: their tables count in it
  std::map<Pid, std::unique_ptr<Process>> processes_;
  std::map<Tid, Pid> thread_owners_;  // non-main threads -> their process
  Pid next_pid_;
  bool tearing_down_ = false;
};

}  // namespace socksim::sim
