// File: sim/address_space.cc
// Region bookkeeping and permission-checked copies for simulated caller memory.
#include "sim/address_space.h"

#include <iterator>
#include <stdexcept>
#include <utility>

namespace socksim::sim {
namespace {

bool Allows(Protection have, Protection want) {
  const auto h = static_cast<std::uint8_t>(have);
  const auto w = static_cast<std::uint8_t>(want);
  return (h & w) == w;
}

std::uint64_t RoundUpToPage(std::uint64_t n) {
  const std::uint64_t pages = (n + AddressSpace::kPageSize - 1) / AddressSpace::kPageSize;
  return (pages == 0 ? 1 : pages) * AddressSpace::kPageSize;
}

}  // namespace

void AddressSpace::Map(UserAddress base, std::uint64_t size, Protection prot) {
  if (base % kPageSize != 0 || size % kPageSize != 0 || size == 0) {
    throw std::invalid_argument("AddressSpace::Map needs a page-aligned, non-empty range");
  }
  if (base + size < base) throw std::invalid_argument("AddressSpace::Map range wraps around");
  // Reject overlap with the region before and the region after.
  auto next = regions_.lower_bound(base);
  if (next != regions_.end() && next->first < base + size) {
    throw std::invalid_argument("AddressSpace::Map overlaps an existing region");
  }
  if (next != regions_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second.size > base) {
      throw std::invalid_argument("AddressSpace::Map overlaps an existing region");
    }
  }
  regions_.emplace(base, Region{size, prot, std::vector<std::uint8_t>(size, 0)});
  // Keep Allocate from handing out a range the caller mapped by hand (plus a guard page).
  if (base + size + kPageSize > next_allocation_ && base >= kFirstAllocation) {
    next_allocation_ = base + size + kPageSize;
  }
}

bool AddressSpace::Unmap(UserAddress base) { return regions_.erase(base) == 1; }

bool AddressSpace::Protect(UserAddress base, Protection prot) {
  const auto it = regions_.find(base);
  if (it == regions_.end()) return false;
  it->second.prot = prot;
  return true;
}

UserAddress AddressSpace::Allocate(std::uint64_t size, Protection prot) {
  const UserAddress base = next_allocation_;
  const std::uint64_t mapped = RoundUpToPage(size);
  Map(base, mapped, prot);
  return base;
}

UserAddress AddressSpace::AllocateAtEnd(std::uint64_t size, Protection prot) {
  const UserAddress base = next_allocation_;
  const std::uint64_t mapped = RoundUpToPage(size);
  Map(base, mapped, prot);
  return base + mapped - size;
}

const AddressSpace::Region* AddressSpace::Find(UserAddress addr, UserAddress* base) const {
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return nullptr;
  --it;
  if (addr - it->first >= it->second.size) return nullptr;
  *base = it->first;
  return &it->second;
}

AddressSpace::Region* AddressSpace::Find(UserAddress addr, UserAddress* base) {
  return const_cast<Region*>(std::as_const(*this).Find(addr, base));
}

CopyResult AddressSpace::CopyOut(UserAddress addr, std::span<const std::uint8_t> data) {
  CopyResult result;
  for (std::size_t i = 0; i < data.size(); ++i) {
    UserAddress base = 0;
    Region* region = (addr + i < addr) ? nullptr : Find(addr + i, &base);
    if (region == nullptr || !Allows(region->prot, Protection::kWrite)) {
      result.fault = true;
      return result;
    }
    region->bytes[addr + i - base] = data[i];
    ++result.bytes_copied;
  }
  return result;
}

CopyResult AddressSpace::CopyIn(UserAddress addr, std::span<std::uint8_t> out) const {
  CopyResult result;
  for (std::size_t i = 0; i < out.size(); ++i) {
    UserAddress base = 0;
    const Region* region = (addr + i < addr) ? nullptr : Find(addr + i, &base);
    if (region == nullptr || !Allows(region->prot, Protection::kRead)) {
      for (std::size_t j = i; j < out.size(); ++j) out[j] = 0;
      result.fault = true;
      return result;
    }
    out[i] = region->bytes[addr + i - base];
    ++result.bytes_copied;
  }
  return result;
}

std::optional<std::uint32_t> AddressSpace::ReadU32(UserAddress addr) const {
  std::uint8_t b[4];
  if (CopyIn(addr, b).fault) return std::nullopt;
  return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) |
         (std::uint32_t{b[3]} << 24);
}

bool AddressSpace::WriteU32(UserAddress addr, std::uint32_t value) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
                             static_cast<std::uint8_t>(value >> 16),
                             static_cast<std::uint8_t>(value >> 24)};
  return !CopyOut(addr, b).fault;
}

std::optional<std::uint64_t> AddressSpace::ReadU64(UserAddress addr) const {
  std::uint8_t b[8];
  if (CopyIn(addr, b).fault) return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

bool AddressSpace::WriteU64(UserAddress addr, std::uint64_t value) {
  std::uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return !CopyOut(addr, b).fault;
}

std::optional<std::vector<std::uint8_t>> AddressSpace::Peek(UserAddress addr,
                                                            std::uint64_t size) const {
  std::vector<std::uint8_t> out(size);
  for (std::uint64_t i = 0; i < size; ++i) {
    UserAddress base = 0;
    const Region* region = Find(addr + i, &base);
    if (region == nullptr) return std::nullopt;
    out[i] = region->bytes[addr + i - base];
  }
  return out;
}

bool AddressSpace::Poke(UserAddress addr, std::span<const std::uint8_t> data) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    UserAddress base = 0;
    Region* region = Find(addr + i, &base);
    if (region == nullptr) return false;
    region->bytes[addr + i - base] = data[i];
  }
  return true;
}

bool AddressSpace::Accessible(UserAddress addr, std::uint64_t size, Protection prot) const {
  for (std::uint64_t i = 0; i < size; ++i) {
    UserAddress base = 0;
    const Region* region = Find(addr + i, &base);
    if (region == nullptr || !Allows(region->prot, prot)) return false;
  }
  return true;
}

std::vector<AddressSpace::RegionView> AddressSpace::Regions() const {
  std::vector<RegionView> out;
  out.reserve(regions_.size());
  for (const auto& [base, region] : regions_) {
    out.push_back(RegionView{base, region.size, region.prot, std::span<const std::uint8_t>(region.bytes)});
  }
  return out;
}

}  // namespace socksim::sim
