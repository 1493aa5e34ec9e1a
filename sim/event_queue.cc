// File: sim/event_queue.cc
// Event ordering (a binary heap over a slab of actions, with tombstones for cancelled events),
// the run loops with their budgets, lazy event names and the bounded log.
#include "sim/event_queue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace socksim::sim {
namespace {

// Tombstones tolerated beyond the pending events before the heap is rebuilt without them.
constexpr std::size_t kTombstoneSlack = 64;

}  // namespace

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

std::string EventLabel::Render() const {
  switch (value_.index()) {
    case 0: {
      const char* text = std::get<0>(value_);
      return text == nullptr ? std::string() : std::string(text);
    }
    case 1:
      return std::get<1>(value_);
    case 2: {
      const Pattern& p = std::get<2>(value_);
      const std::uint64_t subject = p.subject;
      return fmt::vformat(p.pattern, fmt::make_format_args(subject));
    }
    default: {
      const auto& produce = std::get<3>(value_);
      return produce ? produce() : std::string();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// SlotIndex: sequence -> slot, open addressing with linear probing and backward-shift deletion
// (no tombstones of its own, so lookups stay short however many events come and go).

std::size_t EventQueue::SlotIndex::Home(std::uint64_t sequence) const {
  // Fibonacci hashing: consecutive sequence numbers land far apart.
  return static_cast<std::size_t>((sequence * 0x9E3779B97F4A7C15ULL) >> (64 - bits_));
}

void EventQueue::SlotIndex::Grow() {
  std::vector<std::uint64_t> old_keys = std::move(keys_);
  std::vector<std::uint32_t> old_slots = std::move(slots_);
  bits_ = bits_ == 0 ? 4 : bits_ + 1;
  keys_.assign(std::size_t{1} << bits_, kNoSequence);
  slots_.assign(std::size_t{1} << bits_, kNoSlot);
  size_ = 0;
  for (std::size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] != kNoSequence) Insert(old_keys[i], old_slots[i]);
  }
}

void EventQueue::SlotIndex::Insert(std::uint64_t sequence, std::uint32_t slot) {
  // Keep the load at most one half.
  if (2 * (size_ + 1) > keys_.size()) Grow();
  const std::size_t mask = keys_.size() - 1;
  std::size_t i = Home(sequence);
  while (keys_[i] != kNoSequence) i = (i + 1) & mask;
  keys_[i] = sequence;
  slots_[i] = slot;
  ++size_;
}

std::uint32_t EventQueue::SlotIndex::Find(std::uint64_t sequence) const {
  if (size_ == 0 || sequence == kNoSequence) return kNoSlot;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = Home(sequence); keys_[i] != kNoSequence; i = (i + 1) & mask) {
    if (keys_[i] == sequence) return slots_[i];
  }
  return kNoSlot;
}

bool EventQueue::SlotIndex::Erase(std::uint64_t sequence) {
  if (size_ == 0 || sequence == kNoSequence) return false;
  const std::size_t mask = keys_.size() - 1;
  std::size_t hole = Home(sequence);
  while (keys_[hole] != sequence) {
    if (keys_[hole] == kNoSequence) return false;
    hole = (hole + 1) & mask;
  }
  // Shift later members of the probe run back over the hole, unless their home lies
  // cyclically after the hole (moving them would put them before their home).
  for (std::size_t j = (hole + 1) & mask; keys_[j] != kNoSequence; j = (j + 1) & mask) {
    const std::size_t home = Home(keys_[j]);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    keys_[hole] = keys_[j];
    slots_[hole] = slots_[j];
    hole = j;
  }
  keys_[hole] = kNoSequence;
  slots_[hole] = kNoSlot;
  --size_;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The queue.

// std::push_heap builds a max-heap, so ordering by "later" puts the earliest (time, sequence)
// at the front. Sequences are unique, so the order is total and the heap's internal layout
// cannot influence which event runs next.
bool EventQueue::Later(const HeapEntry& a, const HeapEntry& b) {
  return a.at_ns != b.at_ns ? a.at_ns > b.at_ns : a.sequence > b.sequence;
}

EventId EventQueue::ScheduleAt(Instant at, EventLabel label, Action action) {
  if (at < now_) throw std::logic_error("event scheduled in the past: " + label.Render());
  if (at == Instant::Max()) {
    throw std::logic_error("event time overflows the virtual clock: " + label.Render());
  }
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slots_.size() >= kNoSlot) throw std::logic_error("too many pending events");
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const std::uint64_t sequence = next_sequence_++;
  Slot& s = slots_[slot];
  s.sequence = sequence;
  s.label = std::move(label);
  s.action = std::move(action);
  index_.Insert(sequence, slot);
  heap_.push_back(HeapEntry{at.ns, sequence, slot});
  std::push_heap(heap_.begin(), heap_.end(), Later);
  return EventId{sequence};
}

EventId EventQueue::ScheduleAfter(Duration delay, EventLabel label, Action action) {
  if (delay.ns < 0) throw std::logic_error("negative delay for event: " + label.Render());
  const std::optional<Instant> at = CheckedAdd(now_, delay);
  if (!at) throw std::logic_error("event delay overflows the virtual clock: " + label.Render());
  return ScheduleAt(*at, std::move(label), std::move(action));
}

bool EventQueue::Cancel(EventId id) {
  const std::uint32_t slot = index_.Find(id.value);
  if (slot == kNoSlot) return false;
  index_.Erase(id.value);
  Slot& s = slots_[slot];
  // Moved out so that they are destroyed after the queue is consistent again: a destructor
  // may well cancel or schedule another event. The label is declared last, so it goes first
  // (a lazy label may point into the action).
  const Action action = std::exchange(s.action, nullptr);
  const EventLabel label = std::exchange(s.label, EventLabel());
  s.sequence = kNoSequence;
  free_slots_.push_back(slot);
  Prune();
  return true;
}

bool EventQueue::Live(const HeapEntry& entry) const {
  return slots_[entry.slot].sequence == entry.sequence;
}

void EventQueue::Prune() {
  while (!heap_.empty() && !Live(heap_.front())) {
    std::pop_heap(heap_.begin(), heap_.end(), Later);
    heap_.pop_back();
  }
  // Cancelled timers far in the future would otherwise stay until their time came.
  if (heap_.size() > 2 * index_.size() + kTombstoneSlack) {
    std::erase_if(heap_, [this](const HeapEntry& e) { return !Live(e); });
    std::make_heap(heap_.begin(), heap_.end(), Later);
  }
}

Instant EventQueue::next_time() const {
  assert(!heap_.empty());
  return Instant{heap_.front().at_ns};
}

void EventQueue::RunOne() {
  // Checked before anything moves, so the queue at its limit is the queue as it was.
  if (events_run_ >= event_limit_) throw LimitReached(Limit::kEvents, event_limit_);
  ++events_run_;
  const HeapEntry top = heap_.front();
  std::pop_heap(heap_.begin(), heap_.end(), Later);
  heap_.pop_back();
  Slot& s = slots_[top.slot];
  // Declared after the action, so the label is destroyed first (see EventLabel::Lazy).
  const Action action = std::exchange(s.action, nullptr);
  const EventLabel label = std::exchange(s.label, EventLabel());
  s.sequence = kNoSequence;
  free_slots_.push_back(top.slot);
  index_.Erase(top.sequence);
  Prune();
  now_ = Instant{top.at_ns};
  if (log_enabled_) Record(now_, top.sequence, label);
  // The action may schedule or cancel other events; it runs from this local copy, so the
  // slab may grow under it.
  action();
}

void EventQueue::Record(Instant at, std::uint64_t sequence, const EventLabel& label) {
  if (log_capacity_ == 0) {
    ++log_dropped_;
    return;
  }
  EventRecord record{at, sequence, label.Render()};
  if (log_.size() < log_capacity_) {
    log_.push_back(std::move(record));
    return;
  }
  log_[log_oldest_] = std::move(record);
  log_oldest_ = (log_oldest_ + 1) % log_.size();
  ++log_dropped_;
}

std::vector<EventRecord> EventQueue::log() const {
  std::vector<EventRecord> out;
  out.reserve(log_.size());
  for (std::size_t i = 0; i < log_.size(); ++i) {
    out.push_back(log_[(log_oldest_ + i) % log_.size()]);
  }
  return out;
}

void EventQueue::set_log_capacity(std::size_t capacity) {
  std::vector<EventRecord> records = log();
  if (records.size() > capacity) {
    const std::size_t excess = records.size() - capacity;
    log_dropped_ += excess;
    records.erase(records.begin(), records.begin() + static_cast<std::ptrdiff_t>(excess));
  }
  log_ = std::move(records);
  log_oldest_ = 0;
  log_capacity_ = capacity;
}

RunOutcome EventQueue::RunUntilIdle(std::uint64_t budget_events_max) {
  RunOutcome outcome;
  while (!heap_.empty()) {
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
  while (!heap_.empty() && next_time() <= deadline) {
    if (outcome.events_run == budget_events_max) {
      outcome.status = RunStatus::kBudgetExhausted;
      return outcome;
    }
    RunOne();
    ++outcome.events_run;
  }
  if (deadline > now_) now_ = deadline;
  outcome.status = heap_.empty() ? RunStatus::kIdle : RunStatus::kReachedTime;
  return outcome;
}

void EventQueue::AdvanceTo(Instant t) {
  if (t < now_) throw std::logic_error("virtual time cannot move backwards");
  if (!heap_.empty() && next_time() < t) {
    throw std::logic_error("AdvanceTo would skip pending events");
  }
  now_ = t;
}

}  // namespace socksim::sim
