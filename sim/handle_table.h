// File: sim/handle_table.h
// A table of objects named by handle values, with the numbering rule of the OS that hands them
// out. POSIX descriptors are the lowest free number (POSIX.1-2017 XSH 2.14, "File Descriptor
// Allocation"); Windows SOCKET values are kernel handles, multiples of four that are not reused
// in a small-integer way (../shared/reference/windows.md (c), "Handles"). Both are 64-bit here:
// a value that does not fit the personality's own type is the personality's error to report,
// never something this table truncates.
//
// Lowest-free allocation is O(log n): besides the entries, the table keeps the maximal runs of
// occupied numbers, so the first free number at or above a minimum is the end of the run that
// holds the minimum (or the minimum itself). Nothing walks the open handles.
//
// The entries of values counted up from 0 (descriptors) are slots of a deque indexed by value,
// with a bit each saying which slots hold one: 24 bytes a descriptor where a map node cost 80,
// which a process holding two million descriptors feels. Values far above the rest, and every value of a numbering that starts high
// (Windows handles), are kept in a map. Either way an entry stays where it is while others come
// and go, so a pointer from Find is good until that entry is removed.
#pragma once

#include <cstdint>
#include <deque>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/expected.h"

namespace socksim::sim {

/// A handle value as a table stores it (a descriptor, a SOCKET, a provider's own handle).
using Handle = std::uint64_t;

/// How a table numbers the entries it creates.
struct HandleNumbering {
  enum class Kind : std::uint8_t {
    kLowestFree,  // the smallest free value >= the requested minimum (POSIX descriptors)
    kSequential,  // first, first + step, first + 2*step, ...; a value is never handed out twice
  };
  Kind kind = Kind::kLowestFree;
  Handle first = 0;  // kSequential: the first value
  Handle step = 1;   // kSequential: the distance between values (> 0)

  static constexpr HandleNumbering LowestFree() { return {}; }
  static constexpr HandleNumbering Sequential(Handle first, Handle step) {
    return {Kind::kSequential, first, step};
  }
};

/// Why a table operation failed.
enum class HandleError : std::uint8_t {
  kNotFound,   // no entry has that handle
  kTableFull,  // no value below the table's limit is free (EMFILE / WSAEMFILE)
  kOutOfRange, // an explicit handle at or above the limit
};

/// Objects of type Entry by handle, with a numbering policy and an exclusive upper limit.
template <typename Entry>
class HandleTable {
 public:
  /// No limit: every value of the numbering may be used.
  static constexpr Handle kNoLimit = std::numeric_limits<Handle>::max();

  explicit HandleTable(HandleNumbering numbering = HandleNumbering::LowestFree(),
                       Handle limit = kNoLimit)
      : numbering_(numbering), limit_(limit), next_sequential_(numbering.first) {
    if (numbering.kind == HandleNumbering::Kind::kSequential && numbering.step == 0) {
      throw std::invalid_argument("HandleTable: a sequential numbering needs a step");
    }
  }

  const HandleNumbering& numbering() const { return numbering_; }
  /// Values at or above the limit are never handed out (RLIMIT_NOFILE for descriptors).
  Handle limit() const { return limit_; }
  void set_limit(Handle limit) { limit_ = limit; }
  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }

  /// The value Insert(min) would choose now, without inserting anything.
  std::optional<Handle> NextFree(Handle min = 0) const {
    if (numbering_.kind == HandleNumbering::Kind::kSequential) {
      // A value placed explicitly (InsertAt) is skipped, never shared.
      Handle next = next_sequential_;
      bool exhausted = exhausted_;
      while (!exhausted && next < limit_ && Find(next) != nullptr) {
        if (next > kNoLimit - numbering_.step) exhausted = true;
        else next += numbering_.step;
      }
      if (exhausted || next >= limit_) return std::nullopt;
      return next;
    }
    const Handle free = LowestFreeAtOrAbove(min);
    if (free >= limit_) return std::nullopt;
    return free;
  }

  /// Adds `entry` under the value the numbering chooses (for kLowestFree, the lowest free value
  /// that is >= min).
  Expected<Handle, HandleError> Insert(Entry entry, Handle min = 0) {
    const auto chosen = NextFree(min);
    if (!chosen) return Unexpected{HandleError::kTableFull};
    if (numbering_.kind == HandleNumbering::Kind::kSequential) {
      if (*chosen > kNoLimit - numbering_.step) {
        exhausted_ = true;
      } else {
        next_sequential_ = *chosen + numbering_.step;
      }
    }
    Occupy(*chosen);
    Put(*chosen, std::move(entry));
    return *chosen;
  }

  /// Puts `entry` at exactly `handle`. An entry already there is moved out into `*replaced`
  /// (when given) after the new one is in place, so that whatever its destruction triggers sees
  /// a consistent table (dup2's "closed silently" rule).
  Expected<Handle, HandleError> InsertAt(Handle handle, Entry entry,
                                         std::optional<Entry>* replaced = nullptr) {
    if (handle >= limit_) return Unexpected{HandleError::kOutOfRange};
    if (Entry* there = Find(handle)) {
      Entry old = std::move(*there);
      *there = std::move(entry);
      if (replaced != nullptr) *replaced = std::move(old);
      return handle;
    }
    Occupy(handle);
    Put(handle, std::move(entry));
    return handle;
  }

  Entry* Find(Handle handle) {
    return const_cast<Entry*>(static_cast<const HandleTable&>(*this).Find(handle));
  }
  const Entry* Find(Handle handle) const {
    if (handle < dense_.size()) return dense_used_[handle] ? &dense_[handle] : nullptr;
    const auto it = sparse_.find(handle);
    return it == sparse_.end() ? nullptr : &it->second;
  }

  /// Removes and returns the entry, or kNotFound.
  Expected<Entry, HandleError> Remove(Handle handle) {
    std::optional<Entry> taken;
    if (handle < dense_.size()) {
      if (dense_used_[handle]) taken = TakeDense(handle);
      TrimDense();
    } else if (auto node = sparse_.extract(handle)) {
      taken = std::move(node.mapped());
    }
    if (!taken) return Unexpected{HandleError::kNotFound};
    --count_;
    Release(handle);
    return std::move(*taken);
  }

  /// Every handle in ascending order.
  std::vector<Handle> Handles() const {
    std::vector<Handle> out;
    out.reserve(count_);
    for (Handle h = 0; h < dense_.size(); ++h) {
      if (dense_used_[h]) out.push_back(h);
    }
    for (const auto& [handle, entry] : sparse_) out.push_back(handle);
    return out;
  }

  /// The smallest handle, or nullopt when the table is empty: the start of the first run.
  std::optional<Handle> First() const {
    if (runs_.empty()) return std::nullopt;
    return runs_.begin()->first;
  }

  /// Removes every entry for which `pred(handle, entry)` holds, in ascending order, and returns
  /// them (so that their destruction happens after the table is consistent).
  template <typename Pred>
  std::vector<Entry> RemoveIf(Pred pred) {
    std::vector<Entry> removed;
    for (Handle h = 0; h < dense_.size(); ++h) {
      if (dense_used_[h] && pred(h, std::as_const(dense_[h]))) {
        Release(h);
        removed.push_back(TakeDense(h));
        --count_;
      }
    }
    TrimDense();
    for (auto it = sparse_.begin(); it != sparse_.end();) {
      if (pred(it->first, it->second)) {
        Release(it->first);
        removed.push_back(std::move(it->second));
        it = sparse_.erase(it);
        --count_;
      } else {
        ++it;
      }
    }
    return removed;
  }

  /// Number of maximal runs of consecutive occupied values (diagnostics and tests).
  std::size_t runs() const { return runs_.size(); }

 private:
  // How far past the end of the deque a new value may be and still extend it (the slots
  // between stay empty); a value further out goes to the map.
  static constexpr Handle kDenseReach = 64;

  // Stores `entry` under `handle`, which holds none. The deque grows only at its end (which
  // moves no entry) and never to cover a value the map holds, so that every value in the map
  // is above the deque.
  void Put(Handle handle, Entry entry) {
    ++count_;
    const bool reachable = handle - dense_.size() <= kDenseReach;
    if (handle >= dense_.size() && reachable &&
        (sparse_.empty() || handle < sparse_.begin()->first)) {
      dense_.resize(handle + 1);
      dense_used_.resize(handle + 1, false);
    }
    if (handle < dense_.size()) {
      dense_[handle] = std::move(entry);
      dense_used_[handle] = true;
      return;
    }
    sparse_.emplace(handle, std::move(entry));
  }

  // Moves the entry out of a used slot, leaving a default entry (which holds nothing).
  Entry TakeDense(Handle handle) {
    Entry taken = std::move(dense_[handle]);
    dense_[handle] = Entry{};
    dense_used_[handle] = false;
    return taken;
  }

  // Drops the unused slots at the end of the deque (removing at the end moves no entry).
  void TrimDense() {
    while (!dense_.empty() && !dense_used_.back()) {
      dense_.pop_back();
      dense_used_.pop_back();
    }
  }

  // The first value >= min that no run covers.
  Handle LowestFreeAtOrAbove(Handle min) const {
    auto it = runs_.upper_bound(min);
    if (it == runs_.begin()) return min;
    --it;  // the run starting at or before min
    return it->second > min ? it->second : min;
  }

  // Marks `h` occupied, merging with the runs that end at h or start at h + 1.
  void Occupy(Handle h) {
    Handle start = h;
    Handle end = h + 1;  // h < limit <= max, so no wrap
    auto next = runs_.find(end);
    if (next != runs_.end()) {
      end = next->second;
      runs_.erase(next);
    }
    auto it = runs_.upper_bound(h);
    if (it != runs_.begin()) {
      auto prev = std::prev(it);
      if (prev->second == h) {
        // The run before grows in place: opening descriptor after descriptor then costs no
        // node allocation and no second lookup.
        prev->second = end;
        return;
      }
    }
    runs_.emplace_hint(it, start, end);
  }

  // Marks `h` free, splitting the run that holds it.
  void Release(Handle h) {
    auto it = runs_.upper_bound(h);
    if (it == runs_.begin()) return;
    --it;
    const Handle start = it->first;
    const Handle end = it->second;
    if (h >= end) return;
    runs_.erase(it);
    if (start < h) runs_[start] = h;
    if (h + 1 < end) runs_[h + 1] = end;
  }

  HandleNumbering numbering_;
  Handle limit_;
  Handle next_sequential_;
  bool exhausted_ = false;
  static_assert(std::is_default_constructible_v<Entry>, "an unused slot holds a default Entry");
  std::deque<Entry> dense_;        // values 0 .. size-1, by value
  std::vector<bool> dense_used_;   // which of them hold an entry
  std::map<Handle, Entry> sparse_;           // values above the deque
  std::size_t count_ = 0;
  std::map<Handle, Handle> runs_;  // start -> end (exclusive) of each maximal occupied run
};

}  // namespace socksim::sim
