// File: sim/event_queue.cc
// Event ordering and the run loops with their budgets.
#include "sim/event_queue.h"

#include <cassert>
#include <stdexcept>

namespace socksim::sim {

const char* ToString(RunStatus status) {
  switch (status) {
    case RunStatus::kIdle:
      return "idle";
    case RunStatus::kReachedTime:
      return "reached-time";
    case RunStatus::kBudgetExhausted:
      return "budget-exhausted";
  }
  return "?";
}

EventId EventQueue::ScheduleAt(Instant at, std::string label, Action action) {
  if (at < now_) throw std::logic_error("event scheduled in the past: " + label);
  const std::uint64_t sequence = next_sequence_++;
  const Key key{at.ns, sequence};
  events_.emplace(key, Pending{std::move(label), std::move(action)});
  by_id_.emplace(sequence, key);
  return EventId{sequence};
}

EventId EventQueue::ScheduleAfter(Duration delay, std::string label, Action action) {
  if (delay.ns < 0) throw std::logic_error("negative delay for event: " + label);
  return ScheduleAt(now_ + delay, std::move(label), std::move(action));
}

bool EventQueue::Cancel(EventId id) {
  const auto it = by_id_.find(id.value);
  if (it == by_id_.end()) return false;
  events_.erase(it->second);
  by_id_.erase(it);
  return true;
}

Instant EventQueue::next_time() const {
  assert(!events_.empty());
  return Instant{events_.begin()->first.first};
}

void EventQueue::RunOne() {
  auto node = events_.extract(events_.begin());
  by_id_.erase(node.key().second);
  now_ = Instant{node.key().first};
  if (log_enabled_) log_.push_back(EventRecord{now_, node.key().second, node.mapped().label});
  // The action may schedule or cancel other events; it owns nothing of the queue's state.
  node.mapped().action();
}

RunOutcome EventQueue::RunUntilIdle(std::uint64_t budget_events_max) {
  RunOutcome outcome;
  while (!events_.empty()) {
    if (outcome.events_run == budget_events_max) {
      outcome.status = RunStatus::kBudgetExhausted;
      return outcome;
    }
    RunOne();
    ++outcome.events_run;
  }
  outcome.status = RunStatus::kIdle;
  return outcome;
}

RunOutcome EventQueue::RunUntil(Instant deadline, std::uint64_t budget_events_max) {
  RunOutcome outcome;
  while (!events_.empty() && next_time() <= deadline) {
    if (outcome.events_run == budget_events_max) {
      outcome.status = RunStatus::kBudgetExhausted;
      return outcome;
    }
    RunOne();
    ++outcome.events_run;
  }
  if (deadline > now_) now_ = deadline;
  outcome.status = events_.empty() ? RunStatus::kIdle : RunStatus::kReachedTime;
  return outcome;
}

void EventQueue::AdvanceTo(Instant t) {
  if (t < now_) throw std::logic_error("virtual time cannot move backwards");
  if (!events_.empty() && next_time() < t) {
    throw std::logic_error("AdvanceTo would skip pending events");
  }
  now_ = t;
}

}  // namespace socksim::sim
