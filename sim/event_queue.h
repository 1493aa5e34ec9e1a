// File: sim/event_queue.h
// The queue of future events and the virtual clock it drives. Events are ordered by
// (time, sequence number); the sequence number is a monotonic counter, so events scheduled for
// the same instant run first-in first-out, identically on every run. The queue is a binary heap
// of small (time, sequence, slot) keys over a slab of actions, so scheduling and running cost
// O(log n) and no allocation beyond the action itself; a cancelled event leaves a tombstone in
// the heap that is skipped when it surfaces. Event names are built only when the (optional,
// bounded) log of executed events records them.
#pragma once

#include <fmt/core.h>

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sim/ids.h"
#include "sim/limits.h"
#include "sim/time.h"

namespace socksim::sim {

/// How an event is named in the log. The name is produced only when something reads it (the
/// log records the event, or an error message names it), so the common case, logging off,
/// formats nothing. Every form converts implicitly, so `ScheduleAfter(d, "syn timer", ...)`
/// and `ScheduleAfter(d, fmt::format(...), ...)` keep working.
class EventLabel {
 public:
  /// No name ("").
  EventLabel() = default;
  /// Static text: a string literal, whose address is stored. Only arrays bind here, so a
  /// `c_str()` pointer (which would dangle) does not compile; wrap it in a std::string.
  template <std::size_t N>
  EventLabel(const char (&text)[N])  // NOLINT: implicit, so literals still convert
      : value_(std::in_place_index<0>, text) {}
  /// A name made ahead of time (the eager form).
  EventLabel(std::string text)  // NOLINT: implicit, so existing std::string labels still compile
      : value_(std::in_place_index<1>, std::move(text)) {}
  /// A {fmt} pattern with one field and the number shown in it, checked at compile time:
  /// `EventLabel("tcp#{} syn timer", socket.id())`. The pattern must be static text.
  EventLabel(fmt::format_string<std::uint64_t> pattern, std::uint64_t subject)
      : value_(std::in_place_index<2>, Pattern{fmt::string_view(pattern), subject}) {}

  /// Any producer of a name, called at most once per read. Keep what it captures small: it is
  /// stored with the event. The queue reads an event's label only while the event's action
  /// still exists (to log the event just before the action runs, or to name it in a scheduling
  /// error) and destroys the label first, so the producer may point at what the action owns.
  template <typename F>
  requires std::is_invocable_r_v<std::string, F&>
  static EventLabel Lazy(F produce) {
    EventLabel label;
    label.value_.emplace<3>(std::move(produce));
    return label;
  }

  /// The name (runs the producer, if any).
  std::string Render() const;

 private:
  struct Pattern {
    fmt::string_view pattern;
    std::uint64_t subject = 0;
  };
  std::variant<const char*, std::string, Pattern, std::function<std::string()>> value_{
      std::in_place_index<0>, ""};
};

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

  /// Records the log keeps by default once enabled; older ones are dropped (and counted).
  static constexpr std::size_t kDefaultLogCapacity = 65536;

  /// The current virtual time.
  Instant now() const { return now_; }

  /// Schedules `action` at `at`. Throws std::logic_error if `at` is before now, or is
  /// Instant::Max(), where only a saturated (overflowed) computation lands. The label names
  /// the event in the log and is produced only if the log records it.
  EventId ScheduleAt(Instant at, EventLabel label, Action action);
  /// Schedules `action` `delay` after now. Throws std::logic_error for a negative delay and for
  /// one that would carry the clock past Instant::Max() (instead of wrapping it).
  EventId ScheduleAfter(Duration delay, EventLabel label, Action action);
  /// Removes a pending event; returns false if it already ran or was cancelled. The action is
  /// destroyed before Cancel returns. O(1) expected; the heap entry becomes a tombstone.
  bool Cancel(EventId id);

  /// Runs events until none is left, or `budget_events_max` have run.
  RunOutcome RunUntilIdle(std::uint64_t budget_events_max);
  /// Runs events due at or before `deadline`, then sets the clock to `deadline`.
  RunOutcome RunUntil(Instant deadline, std::uint64_t budget_events_max);
  /// Moves the clock forward to `t` without running anything; requires no event before `t`.
  void AdvanceTo(Instant t);

  /// How many events this queue may run in its life (the world's ModelLimits::events); past
  /// it, a Run* call throws LimitReached instead of running the next event. No limit by default.
  void set_event_limit(std::uint64_t limit) { event_limit_ = limit; }
  /// Events run since the queue was made.
  std::uint64_t events_run() const { return events_run_; }

  /// Number of events waiting (cancelled ones are not counted).
  std::size_t pending() const { return index_.size(); }
  /// Time of the earliest pending event; requires pending() > 0.
  Instant next_time() const;

  /// Executed events, oldest first: at most log_capacity() of the most recent ones recorded
  /// while logging was on. Logging is off by default (a run of millions of events would
  /// otherwise keep them all). Returns a copy.
  std::vector<EventRecord> log() const;
  /// Whether executed events are being recorded (and their labels produced).
  bool log_enabled() const { return log_enabled_; }
  /// Turns recording on or off; records kept so far stay.
  void set_log_enabled(bool enabled) { log_enabled_ = enabled; }
  /// How many records the log keeps (kDefaultLogCapacity unless set).
  std::size_t log_capacity() const { return log_capacity_; }
  /// Sets how many records the log keeps (0 keeps none). Shrinking drops the oldest records,
  /// counted in log_dropped().
  void set_log_capacity(std::size_t capacity);
  /// Records dropped from the log because it was full, since the queue was created.
  std::uint64_t log_dropped() const { return log_dropped_; }

 private:
  // Maps the sequence number of every pending event to its slot: open addressing with linear
  // probing. Never iterated, so its layout cannot show in any output.
  class SlotIndex {
   public:
    std::size_t size() const { return size_; }
    void Insert(std::uint64_t sequence, std::uint32_t slot);
    // The slot of `sequence`, or kNoSlot.
    std::uint32_t Find(std::uint64_t sequence) const;
    // Removes `sequence`; false if it is not present.
    bool Erase(std::uint64_t sequence);

   private:
    std::size_t Home(std::uint64_t sequence) const;
    void Grow();

    std::vector<std::uint64_t> keys_;  // kNoSequence marks an empty cell
    std::vector<std::uint32_t> slots_;
    std::size_t size_ = 0;
    unsigned bits_ = 0;  // keys_.size() == 1 << bits_ (0 cells while empty)
  };

  struct HeapEntry {
    std::int64_t at_ns = 0;
    std::uint64_t sequence = 0;
    std::uint32_t slot = 0;
  };
  struct Slot {
    std::uint64_t sequence = 0;  // kNoSequence while free
    EventLabel label;
    Action action;
  };

  static constexpr std::uint64_t kNoSequence = ~std::uint64_t{0};
  static constexpr std::uint32_t kNoSlot = ~std::uint32_t{0};

  // Heap order: true when `a` runs after `b`.
  static bool Later(const HeapEntry& a, const HeapEntry& b);
  // Pops and runs the earliest event.
  void RunOne();
  // Whether a heap entry still names a pending event (not a tombstone).
  bool Live(const HeapEntry& entry) const;
  // Pops tombstones off the top so that heap_.front() is always pending; rebuilds the heap
  // when tombstones outnumber pending events.
  void Prune();
  void Record(Instant at, std::uint64_t sequence, const EventLabel& label);

  Instant now_{};
  std::uint64_t next_sequence_ = 0;
  std::vector<HeapEntry> heap_;  // min-heap on (at_ns, sequence); may hold tombstones
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  SlotIndex index_;

  std::uint64_t event_limit_ = ~std::uint64_t{0};
  std::uint64_t events_run_ = 0;

  bool log_enabled_ = false;
  std::size_t log_capacity_ = kDefaultLogCapacity;
  std::vector<EventRecord> log_;  // a ring once full; log_oldest_ is its first record
  std::size_t log_oldest_ = 0;
  std::uint64_t log_dropped_ = 0;
};

}  // namespace socksim::sim
