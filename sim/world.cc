// File: sim/world.cc
// World construction, process lifecycle and the budgeted run loops.
#include "sim/world.h"

#include <limits>
#include <stdexcept>

#include "sim/log.h"

namespace socksim::sim {

World::World(WorldOptions options)
    : options_(options),
      rng_(options.seed),
      faults_(rng_),
      descriptors_(options.limits.descriptors),
      next_pid_(options.first_pid) {
  queue_.set_event_limit(options.limits.events);
  topology_.set_node_limit(options.limits.nodes);
}

World::~World() {
  tearing_down_ = true;
  // Processes go first, while the queue and topology they may still refer to are alive.
  processes_.clear();
}

RunOutcome World::RunUntilIdle() {
  const RunOutcome outcome = queue_.RunUntilIdle(options_.budget_events_max);
  if (outcome.status == RunStatus::kBudgetExhausted) {
    Log().warn("event budget of {} exhausted at t={}", options_.budget_events_max,
               FormatInstant(now()));
  }
  return outcome;
}

RunOutcome World::RunUntil(Instant deadline) {
  const RunOutcome outcome = queue_.RunUntil(deadline, options_.budget_events_max);
  if (outcome.status == RunStatus::kBudgetExhausted) {
    Log().warn("event budget of {} exhausted at t={}", options_.budget_events_max,
               FormatInstant(now()));
  }
  return outcome;
}

bool World::IdInUse(Pid id) const {
  return processes_.count(id) != 0 || thread_owners_.count(id) != 0;
}

Pid World::AllocatePid() {
  while (IdInUse(next_pid_)) {
    if (next_pid_ == std::numeric_limits<Pid>::max()) throw std::invalid_argument("no free pid");
    ++next_pid_;
  }
  return next_pid_++;
}

Process& World::Spawn(const ProcessSpec& spec) {
  if (spec.node.value >= topology_.node_count()) {
    throw std::invalid_argument("Spawn: unknown node");
  }
  if (processes_.size() >= options_.limits.processes) {
    throw LimitReached(Limit::kProcesses, options_.limits.processes);
  }
  const Pid pid = spec.pid ? *spec.pid : AllocatePid();
  if (pid <= 0) throw std::invalid_argument("Spawn: a pid must be positive");
  if (IdInUse(pid)) throw std::invalid_argument("Spawn: pid already in use");
  auto process = std::make_unique<Process>(pid, 0, spec.node, Share(spec.credentials),
                                           spec.personality, spec.name);
  process->fds().set_census(&descriptors_);
  Process& ref = *process;
  processes_.emplace(pid, std::move(process));
  Log().debug("spawned pid {} ({}) on node {}", pid, spec.personality, spec.node.value);
  return ref;
}

Process& World::Fork(Pid parent, std::optional<Pid> child_pid) {
  Process* p = FindProcess(parent);
  if (p == nullptr || !p->alive()) throw std::invalid_argument("Fork: no such live process");
  if (processes_.size() >= options_.limits.processes) {
    throw LimitReached(Limit::kProcesses, options_.limits.processes);
  }
  const Pid pid = child_pid ? *child_pid : AllocatePid();
  if (pid <= 0 || IdInUse(pid)) throw std::invalid_argument("Fork: pid unavailable");
  auto child = p->Fork(pid);
  Process& ref = *child;
  processes_.emplace(pid, std::move(child));
  return ref;
}

void World::Exit(Pid pid, int status) {
  Process* p = FindProcess(pid);
  if (p == nullptr) throw std::invalid_argument("Exit: no such process");
  p->Exit(status);
}

Process* World::FindProcess(Pid pid) {
  const auto it = processes_.find(pid);
  return it == processes_.end() ? nullptr : it->second.get();
}

const Process* World::FindProcess(Pid pid) const {
  const auto it = processes_.find(pid);
  return it == processes_.end() ? nullptr : it->second.get();
}

Thread& World::SpawnThread(Pid pid, std::optional<Tid> tid) {
  Process* p = FindProcess(pid);
  if (p == nullptr || !p->alive()) throw std::invalid_argument("SpawnThread: no such live process");
  if (thread_owners_.size() >= options_.limits.threads) {
    throw LimitReached(Limit::kThreads, options_.limits.threads);
  }
  const Tid id = tid ? *tid : AllocatePid();
  if (id <= 0 || IdInUse(id)) throw std::invalid_argument("SpawnThread: tid unavailable");
  Thread& t = p->AddThread(id);
  thread_owners_.emplace(id, pid);
  return t;
}

Thread* World::FindThread(Tid tid) {
  if (const auto owner = thread_owners_.find(tid); owner != thread_owners_.end()) {
    Process* p = FindProcess(owner->second);
    return p == nullptr ? nullptr : p->FindThread(tid);
  }
  Process* p = FindProcess(tid);
  return p == nullptr ? nullptr : &p->main_thread();
}

void World::ExitThread(Tid tid, int status) {
  if (const auto owner = thread_owners_.find(tid); owner != thread_owners_.end()) {
    Process* p = FindProcess(owner->second);
    if (p != nullptr) p->RemoveThread(tid);
    thread_owners_.erase(owner);
    return;
  }
  Exit(tid, status);
}

std::vector<Pid> World::Pids() const {
  std::vector<Pid> out;
  for (const auto& [pid, process] : processes_) out.push_back(pid);
  return out;
}

}  // namespace socksim::sim
