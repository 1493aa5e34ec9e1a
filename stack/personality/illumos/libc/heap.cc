// File: stack/personality/illumos/libc/heap.cc
// The deterministic per-process heap: first fit over freed blocks, then bump allocation in
// mapped 64 KiB arenas.
#include "stack/personality/illumos/libc/heap.h"

#include "stack/personality/illumos/abi_constants.h"

namespace socksim::stack::illumos_abi {

Heap::Allocation Heap::Allocate(sim::AddressSpace& memory, sim::FaultInjector& faults,
                                std::uint64_t size, BlockUse use) {
  if (faults.ShouldFail(kFaultEnomem)) return {0, kENOMEM};
  if (faults.ShouldFail(kFaultEagain)) return {0, kEAGAIN};
  const std::uint64_t rounded = ((size == 0 ? 1 : size) + kAlignment - 1) / kAlignment * kAlignment;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    if (it->second < rounded) continue;
    const sim::UserAddress at = it->first;
    const std::uint64_t left = it->second - rounded;
    free_.erase(it);
    if (left != 0) free_.emplace(at + rounded, left);
    live_.emplace(at, Block{size, rounded, use});
    return {at, 0};
  }
  while (top_ + rounded > mapped_end_) {
    memory.Map(mapped_end_, kArenaSize, sim::Protection::kReadWrite);
    mapped_end_ += kArenaSize;
  }
  const sim::UserAddress at = top_;
  top_ += rounded;
  live_.emplace(at, Block{size, rounded, use});
  return {at, 0};
}

bool Heap::Free(sim::UserAddress p) {
  const auto it = live_.find(p);
  if (it == live_.end()) return false;
  std::uint64_t size = it->second.rounded;
  live_.erase(it);
  // Coalesce with the free neighbours, so first fit stays address-ordered and simple.
  sim::UserAddress start = p;
  if (auto next = free_.find(p + size); next != free_.end()) {
    size += next->second;
    free_.erase(next);
  }
  if (auto prev = free_.lower_bound(p); prev != free_.begin()) {
    --prev;
    if (prev->first + prev->second == p) {
      start = prev->first;
      size += prev->second;
      free_.erase(prev);
    }
  }
  free_.emplace(start, size);
  return true;
}

bool Heap::Holds(sim::UserAddress p, BlockUse use) const {
  const auto it = live_.find(p);
  return it != live_.end() && it->second.use == use;
}

std::optional<std::uint64_t> Heap::SizeOf(sim::UserAddress p) const {
  const auto it = live_.find(p);
  if (it == live_.end()) return std::nullopt;
  return it->second.size;
}

}  // namespace socksim::stack::illumos_abi
