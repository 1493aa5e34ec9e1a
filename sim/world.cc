// File: sim/world.cc
// World construction, process lifecycle and the budgeted run loops.
#include "sim/world.h"

#include <stdexcept>

#include "sim/log.h"

namespace socksim::sim {

World::World(WorldOptions options)
    : options_(options), rng_(options.seed), faults_(rng_), next_pid_(options.first_pid) {}

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

Pid World::AllocatePid() {
  while (processes_.count(next_pid_) != 0) ++next_pid_;
  return next_pid_++;
}

Process& World::Spawn(const ProcessSpec& spec) {
  if (spec.node.value >= topology_.node_count()) {
    throw std::invalid_argument("Spawn: unknown node");
  }
  const Pid pid = spec.pid ? *spec.pid : AllocatePid();
  if (pid <= 0) throw std::invalid_argument("Spawn: a pid must be positive");
  if (processes_.count(pid) != 0) throw std::invalid_argument("Spawn: pid already in use");
  auto process =
      std::make_unique<Process>(pid, 0, spec.node, spec.credentials, spec.personality, spec.name);
  Process& ref = *process;
  processes_.emplace(pid, std::move(process));
  Log().debug("spawned pid {} ({}) on node {}", pid, spec.personality, spec.node.value);
  return ref;
}

Process& World::Fork(Pid parent, std::optional<Pid> child_pid) {
  Process* p = FindProcess(parent);
  if (p == nullptr || !p->alive()) throw std::invalid_argument("Fork: no such live process");
  const Pid pid = child_pid ? *child_pid : AllocatePid();
  if (pid <= 0 || processes_.count(pid) != 0) throw std::invalid_argument("Fork: pid unavailable");
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

std::vector<Pid> World::Pids() const {
  std::vector<Pid> out;
  for (const auto& [pid, process] : processes_) out.push_back(pid);
  return out;
}

}  // namespace socksim::sim
