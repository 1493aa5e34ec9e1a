// File: sim/event_queue.h
// The queue of future events and the virtual clock it drives. Events are ordered by
// (time, sequence number); the sequence number is a monotonic counter, so events scheduled for
// the same instant run first-in first-out, identically on every run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/ids.h"
#include "sim/time.h"

namespace socksim::sim {

/// One executed event as recorded in the event log.
struct EventRecord {
  Instant at;
  std::uint64_t sequence = 0;
  std::string label;

  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

/// How a Run* call ended.
enum class RunStatus {
  kIdle,             // no event is left
  kReachedTime,      // the next event lies after the deadline (the clock now equals the deadline)
  kBudgetExhausted,  // the event budget ran out with events still pending: a runaway scenario
};

/// Name of a RunStatus for messages ("idle", "reached-time", "budget-exhausted").
const char* ToString(RunStatus status);

/// What a Run* call did.
struct RunOutcome {
  RunStatus status = RunStatus::kIdle;
  std::uint64_t events_run = 0;
};

/// Time-ordered event queue owning the virtual clock.
class EventQueue {
 public:
  using Action = std::function<void()>;

  /// The current virtual time.
  Instant now() const { return now_; }

  /// Schedules `action` at `at` (never earlier than now). The label names the event in the log.
  EventId ScheduleAt(Instant at, std::string label, Action action);
  /// Schedules `action` `delay` after now.
  EventId ScheduleAfter(Duration delay, std::string label, Action action);
  /// Removes a pending event; returns false if it already ran or was cancelled.
  bool Cancel(EventId id);

  /// Runs events until none is left, or `budget_events_max` have run.
  RunOutcome RunUntilIdle(std::uint64_t budget_events_max);
  /// Runs events due at or before `deadline`, then sets the clock to `deadline`.
  RunOutcome RunUntil(Instant deadline, std::uint64_t budget_events_max);
  /// Moves the clock forward to `t` without running anything; requires no event before `t`.
  void AdvanceTo(Instant t);

  /// Number of events waiting.
  std::size_t pending() const { return events_.size(); }
  /// Time of the earliest pending event; requires pending() > 0.
  Instant next_time() const;

  /// Executed events in order; recorded only while logging is on (it is by default).
  const std::vector<EventRecord>& log() const { return log_; }
  void set_log_enabled(bool enabled) { log_enabled_ = enabled; }

 private:
  using Key = std::pair<std::int64_t, std::uint64_t>;  // (time ns, sequence)
  struct Pending {
    std::string label;
    Action action;
  };

  // Pops and runs the earliest event.
  void RunOne();

  Instant now_{};
  std::uint64_t next_sequence_ = 0;
  std::map<Key, Pending> events_;
  std::map<std::uint64_t, Key> by_id_;  // sequence -> key, for Cancel
  std::vector<EventRecord> log_;
  bool log_enabled_ = true;
};

}  // namespace socksim::sim
