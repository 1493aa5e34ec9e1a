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
#pragma once

#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
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
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  /// The value Insert(min) would choose now, without inserting anything.
  std::optional<Handle> NextFree(Handle min = 0) const {
    if (numbering_.kind == HandleNumbering::Kind::kSequential) {
      // A value placed explicitly (InsertAt) is skipped, never shared.
      Handle next = next_sequential_;
      bool exhausted = exhausted_;
      while (!exhausted && next < limit_ && entries_.count(next) != 0) {
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
    entries_.emplace(*chosen, std::move(entry));
    return *chosen;
  }

  /// Puts `entry` at exactly `handle`. An entry already there is moved out into `*replaced`
  /// (when given) after the new one is in place, so that whatever its destruction triggers sees
  /// a consistent table (dup2's "closed silently" rule).
  Expected<Handle, HandleError> InsertAt(Handle handle, Entry entry,
                                         std::optional<Entry>* replaced = nullptr) {
    if (handle >= limit_) return Unexpected{HandleError::kOutOfRange};
    auto it = entries_.find(handle);
    if (it != entries_.end()) {
      Entry old = std::move(it->second);
      it->second = std::move(entry);
      if (replaced != nullptr) *replaced = std::move(old);
      return handle;
    }
    Occupy(handle);
    entries_.emplace(handle, std::move(entry));
    return handle;
  }

  Entry* Find(Handle handle) {
    const auto it = entries_.find(handle);
    return it == entries_.end() ? nullptr : &it->second;
  }
  const Entry* Find(Handle handle) const {
    const auto it = entries_.find(handle);
    return it == entries_.end() ? nullptr : &it->second;
  }

  /// Removes and returns the entry, or kNotFound.
  Expected<Entry, HandleError> Remove(Handle handle) {
    auto node = entries_.extract(handle);
    if (node.empty()) return Unexpected{HandleError::kNotFound};
    Release(handle);
    return std::move(node.mapped());
  }

  /// Every handle in ascending order.
  std::vector<Handle> Handles() const {
    std::vector<Handle> out;
    out.reserve(entries_.size());
    for (const auto& [handle, entry] : entries_) out.push_back(handle);
    return out;
  }

  /// The smallest handle, or nullopt when the table is empty.
  std::optional<Handle> First() const {
    if (entries_.empty()) return std::nullopt;
    return entries_.begin()->first;
  }

  /// Removes every entry for which `pred(handle, entry)` holds, in ascending order, and returns
  /// them (so that their destruction happens after the table is consistent).
  template <typename Pred>
  std::vector<Entry> RemoveIf(Pred pred) {
    std::vector<Entry> removed;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (pred(it->first, it->second)) {
        Release(it->first);
        removed.push_back(std::move(it->second));
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    return removed;
  }

  /// Number of maximal runs of consecutive occupied values (diagnostics and tests).
  std::size_t runs() const { return runs_.size(); }

 private:
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
  std::map<Handle, Entry> entries_;
  std::map<Handle, Handle> runs_;  // start -> end (exclusive) of each maximal occupied run
};

}  // namespace socksim::sim
