// File: stack/core/append_map.h
// An ordered map whose keys only grow: the stack's index of live sockets (keyed by socket id)
// and the holders of a port (keyed by registration number) are both numbered by counters, so
// every insertion goes at the end. A sorted vector then serves instead of a tree: appending is
// O(1) amortized and touches only the end, where a red-black tree rebalances along a path of
// nodes allocated long ago (with a hundred thousand sockets, a cache miss each). Erasure finds
// the key by binary search and leaves a dead entry, which iteration skips; once dead entries
// outnumber live ones the vector is compacted, so every operation stays O(log n) amortized and
// iteration is proportional to the live entries.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

namespace socksim::stack {

/// Values under strictly increasing 64-bit keys, iterated in key order.
template <typename Value>
class AppendMap {
  struct Entry {
    std::uint64_t key = 0;
    bool live = false;
    Value value{};
  };

 public:
  /// Live entries in key order; dereferencing gives a (key, value) pair. Invalidated by Append
  /// and Erase.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<std::uint64_t, const Value&>;
    using difference_type = std::ptrdiff_t;

    Iterator(const Entry* at, const Entry* end) : at_(at), end_(end) { SkipDead(); }
    value_type operator*() const { return {at_->key, at_->value}; }
    Iterator& operator++() {
      ++at_;
      SkipDead();
      return *this;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }

   private:
    void SkipDead() {
      while (at_ != end_ && !at_->live) ++at_;
    }
    const Entry* at_;
    const Entry* end_;
  };

  /// Number of live entries.
  std::size_t size() const { return live_; }
  /// True when there is no live entry.
  bool empty() const { return live_ == 0; }
  /// The first live entry, in key order.
  Iterator begin() const { return {entries_.data(), entries_.data() + entries_.size()}; }
  /// Past the last entry.
  Iterator end() const {
    const Entry* last = entries_.data() + entries_.size();
    return {last, last};
  }

  /// Adds `value` under `key`, which must be larger than every key added before (a programmer
  /// error otherwise: std::logic_error).
  void Append(std::uint64_t key, Value value) {
    // Checked against a copy of the last key kept here rather than the vector's last entry,
    // which is likely not in the cache.
    if (appended_ && key <= last_key_) throw std::logic_error("AppendMap: keys must increase");
    appended_ = true;
    last_key_ = key;
    entries_.push_back(Entry{key, true, std::move(value)});
    ++live_;
  }

  /// Removes the entry under `key`; false if there is none.
  bool Erase(std::uint64_t key) {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                                     [](const Entry& e, std::uint64_t k) { return e.key < k; });
    if (it == entries_.end() || it->key != key || !it->live) return false;
    it->live = false;
    it->value = Value{};  // release what the value holds now, not at the next compaction
    --live_;
    if (entries_.size() - live_ > live_ + kDeadSlack) {
      std::erase_if(entries_, [](const Entry& e) { return !e.live; });
    }
    return true;
  }

 private:
  // Dead entries tolerated beyond the live ones before compaction, so that a map that keeps
  // few entries is not compacted on every erasure.
  static constexpr std::size_t kDeadSlack = 16;

  std::vector<Entry> entries_;  // sorted by key; dead entries keep their key
  std::size_t live_ = 0;
  bool appended_ = false;       // something was ever appended
  std::uint64_t last_key_ = 0;  // the largest key ever appended
};

}  // namespace socksim::stack
