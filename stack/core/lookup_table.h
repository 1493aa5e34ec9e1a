// File: stack/core/lookup_table.h
// A hash table that can only be looked up, for the demultiplexing tables (bind buckets by port,
// connections by four-tuple). It has no iteration at all, so no output can ever depend on its
// layout. It is open addressing with linear probing over one array of slots, each holding the
// entry's hash, key and value, so a lookup usually touches one cache line where a node-based
// table touches three or four (bucket, the node before, the node, the next node): with a
// hundred thousand connections those are cache misses on every segment. Deletion shifts later
// members of the probe run back (no tombstones), and the load stays at most one half.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace socksim::stack {

/// Values of type Value under keys of type Key, found by Hash (which must be deterministic).
/// A pointer returned by Find or a reference from operator[] is valid until the next insertion
/// or erasure.
template <typename Key, typename Value, typename Hash>
class LookupTable {
 public:
  /// Number of entries.
  std::size_t size() const { return size_; }
  /// True when there is no entry.
  bool empty() const { return size_ == 0; }

  /// The value stored under `key`, or nullptr.
  Value* Find(const Key& key) { return FindIn(*this, key); }
  const Value* Find(const Key& key) const { return FindIn(*this, key); }

  /// The value under `key`, inserted default-constructed if absent.
  Value& operator[](const Key& key) {
    const std::uint64_t hash = HashOf(key);
    if (!slots_.empty()) {
      for (std::size_t i = Home(hash);; i = Next(i)) {
        Slot& s = slots_[i];
        if (s.hash == kEmpty) break;
        if (s.hash == hash && s.key == key) return s.value;
      }
    }
    // Keep the load at most one half, so that probe runs stay short.
    if (2 * (size_ + 1) > slots_.size()) Grow();
    std::size_t i = Home(hash);
    while (slots_[i].hash != kEmpty) i = Next(i);
    slots_[i].hash = hash;
    slots_[i].key = key;
    ++size_;
    return slots_[i].value;
  }

  /// Removes `key` and its value; false if it is not present.
  bool Erase(const Key& key) {
    if (slots_.empty()) return false;
    const std::uint64_t hash = HashOf(key);
    std::size_t hole = Home(hash);
    while (!(slots_[hole].hash == hash && slots_[hole].key == key)) {
      if (slots_[hole].hash == kEmpty) return false;
      hole = Next(hole);
    }
    // Shift later members of the probe run back over the hole, unless their home lies
    // cyclically after the hole (moving them would put them before their home).
    for (std::size_t j = Next(hole); slots_[j].hash != kEmpty; j = Next(j)) {
      const std::size_t home = Home(slots_[j].hash);
      const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (stays) continue;
      slots_[hole] = std::move(slots_[j]);
      hole = j;
    }
    slots_[hole] = Slot{};
    --size_;
    return true;
  }

 private:
  // A stored hash is never kEmpty (HashOf sets the lowest bit), so kEmpty marks a free slot.
  static constexpr std::uint64_t kEmpty = 0;

  struct Slot {
    std::uint64_t hash = kEmpty;
    Key key{};
    Value value{};
  };

  static std::uint64_t HashOf(const Key& key) {
    return static_cast<std::uint64_t>(Hash{}(key)) | 1;
  }
  // Fibonacci hashing of the stored hash: even a hash that is the identity (small integer
  // keys) spreads consecutive keys over the whole table.
  std::size_t Home(std::uint64_t hash) const {
    return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ull) >> (64 - bits_));
  }
  std::size_t Next(std::size_t i) const { return (i + 1) & (slots_.size() - 1); }

  template <typename Self>
  static auto FindIn(Self& self, const Key& key) -> decltype(&self.slots_[0].value) {
    if (self.slots_.empty()) return nullptr;
    const std::uint64_t hash = HashOf(key);
    for (std::size_t i = self.Home(hash);; i = self.Next(i)) {
      auto& s = self.slots_[i];
      if (s.hash == kEmpty) return nullptr;
      if (s.hash == hash && s.key == key) return &s.value;
    }
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    bits_ = bits_ == 0 ? 4 : bits_ + 1;
    slots_ = std::vector<Slot>(std::size_t{1} << bits_);
    for (Slot& s : old) {
      if (s.hash == kEmpty) continue;
      std::size_t i = Home(s.hash);
      while (slots_[i].hash != kEmpty) i = Next(i);
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // 1 << bits_ slots (none while nothing was ever inserted)
  std::size_t size_ = 0;
  unsigned bits_ = 0;
};

}  // namespace socksim::stack
