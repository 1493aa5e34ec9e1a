// File: sim/address_space.cc
// Region bookkeeping and permission-checked copies for simulated caller memory. Every copy walks
// the regions it touches once each: it finds the region holding the next byte, moves the run up
// to the end of that region (or to the end of the copy) in one step, and continues in the region
// that starts right there, if any. A byte without a region, or without the needed right, ends the
// copy exactly where the byte-by-byte definition (copy_to_user / copy_from_user) would.
#include "sim/address_space.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace socksim::sim {
namespace {

constexpr std::uint64_t kPage = AddressSpace::kPageSize;

bool Allows(Protection have, Protection want) {
  const auto h = static_cast<std::uint8_t>(have);
  const auto w = static_cast<std::uint8_t>(want);
  return (h & w) == w;
}

// n rounded up to whole pages, at least one page.
std::uint64_t RoundUpToPage(std::uint64_t n) {
  if (n > std::numeric_limits<std::uint64_t>::max() - (kPage - 1)) {
    throw std::invalid_argument("AddressSpace: allocation size overflows the address space");
  }
  const std::uint64_t pages = (n + kPage - 1) / kPage;
  return (pages == 0 ? 1 : pages) * kPage;
}

// a + b for sizes that must not wrap (programmer error otherwise).
std::uint64_t AddSizes(std::uint64_t a, std::uint64_t b) {
  if (a > std::numeric_limits<std::uint64_t>::max() - b) {
    throw std::invalid_argument("AddressSpace: allocation size overflows the address space");
  }
  return a + b;
}

}  // namespace

void AddressSpace::Map(UserAddress base, std::uint64_t size, Protection prot) {
  if (base % kPageSize != 0 || size % kPageSize != 0 || size == 0) {
    throw std::invalid_argument("AddressSpace::Map needs a page-aligned, non-empty range");
  }
  // Also rejects a region ending exactly at 2^64, so no region holds the top page and no run of
  // mapped bytes can wrap around to address 0.
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
  regions_.emplace(base, Region{size, prot, {}});
  // Keep Allocate from handing out a range the caller mapped by hand (plus a guard page).
  if (base + size + kPageSize > next_allocation_ && base >= kFirstAllocation) {
    next_allocation_ = base + size + kPageSize;
  }
}

bool AddressSpace::Unmap(UserAddress base) {
  recent_.Clear();
  return regions_.erase(base) == 1;
}

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

UserAddress AddressSpace::AllocateStraddling(std::uint64_t size, std::uint64_t mapped_bytes,
                                             Protection prot) {
  if (mapped_bytes > size) {
    throw std::invalid_argument("AddressSpace::AllocateStraddling: more mapped bytes than size");
  }
  const UserAddress base = next_allocation_;
  const std::uint64_t mapped = RoundUpToPage(mapped_bytes);
  const UserAddress start = base + mapped - mapped_bytes;
  // Where the buffer ends, rounded up to a page, plus a guard page: nothing may be mapped on the
  // buffer's unmapped part. Checked before mapping, so a failure leaves the space unchanged.
  const UserAddress end = AddSizes(start, size);
  const UserAddress after = AddSizes(end - end % kPage, end % kPage == 0 ? kPage : 2 * kPage);
  Map(base, mapped, prot);
  next_allocation_ = std::max(next_allocation_, after);
  return start;
}

UserAddress AddressSpace::AllocateMisaligned(std::uint64_t size, std::uint64_t offset,
                                             Protection prot) {
  const UserAddress base = next_allocation_;
  Map(base, RoundUpToPage(AddSizes(offset, size)), prot);
  return base + offset;
}

AddressSpace::Region* AddressSpace::RecentRegions::Lookup(UserAddress addr,
                                                          UserAddress* base) const {
  for (const Slot& slot : slots_) {
    if (slot.region != nullptr && addr >= slot.base && addr - slot.base < slot.region->size) {
      *base = slot.base;
      return slot.region;
    }
  }
  return nullptr;
}

void AddressSpace::RecentRegions::Remember(UserAddress base, Region* region) {
  if (slots_[0].region == region) return;
  slots_[1] = slots_[0];
  slots_[0] = Slot{base, region};
}

const AddressSpace::Region* AddressSpace::Find(UserAddress addr, UserAddress* base) const {
  // The lookup changes only recent_ (mutable), and the region goes back as const.
  return const_cast<AddressSpace*>(this)->Find(addr, base);
}

AddressSpace::Region* AddressSpace::Find(UserAddress addr, UserAddress* base) {
  if (Region* recent = recent_.Lookup(addr, base)) {
    recent_.Remember(*base, recent);
    return recent;
  }
  auto it = regions_.upper_bound(addr);
  if (it == regions_.begin()) return nullptr;
  --it;
  if (addr - it->first >= it->second.size) return nullptr;
  *base = it->first;
  recent_.Remember(it->first, &it->second);
  return &it->second;
}

std::uint64_t AddressSpace::ContiguousRun(UserAddress addr, std::uint64_t size,
                                          Protection prot) const {
  std::uint64_t run = 0;
  while (run < size) {
    const UserAddress at = addr + run;
    if (at < addr) break;  // wrapped past 2^64
    UserAddress base = 0;
    const Region* region = Find(at, &base);
    if (region == nullptr || !Allows(region->prot, prot)) break;
    run += std::min(region->size - (at - base), size - run);
  }
  return run;
}

std::size_t AddressSpace::Write(UserAddress addr, std::span<const std::uint8_t> data,
                                bool check_protection) {
  std::size_t done = 0;
  while (done < data.size()) {
    const UserAddress at = addr + done;
    if (at < addr) break;  // wrapped past 2^64
    UserAddress base = 0;
    Region* region = Find(at, &base);
    if (region == nullptr || (check_protection && !Allows(region->prot, Protection::kWrite))) {
      break;
    }
    const std::uint64_t offset = at - base;
    const auto n = static_cast<std::size_t>(
        std::min<std::uint64_t>(region->size - offset, data.size() - done));
    auto chunk = data.subspan(done, n);
    // Zeros written past what the region stores change nothing: only the part up to the
    // chunk's last non-zero byte needs storing, and the stored prefix grows to hold it.
    std::size_t stored = region->bytes.size();
    if (offset + n > stored) {
      std::size_t keep = n;
      const std::size_t below = offset < stored ? static_cast<std::size_t>(stored - offset) : 0;
      while (keep > below && chunk[keep - 1] == 0) --keep;
      chunk = chunk.first(keep);
      if (offset + keep > stored) region->bytes.resize(static_cast<std::size_t>(offset + keep), 0);
    }
    if (!chunk.empty()) std::memcpy(region->bytes.data() + offset, chunk.data(), chunk.size());
    done += n;
  }
  return done;
}

std::size_t AddressSpace::Read(UserAddress addr, std::span<std::uint8_t> out,
                               bool check_protection) const {
  std::size_t done = 0;
  while (done < out.size()) {
    const UserAddress at = addr + done;
    if (at < addr) break;  // wrapped past 2^64
    UserAddress base = 0;
    const Region* region = Find(at, &base);
    if (region == nullptr || (check_protection && !Allows(region->prot, Protection::kRead))) {
      break;
    }
    const std::uint64_t offset = at - base;
    const auto n =
        static_cast<std::size_t>(std::min<std::uint64_t>(region->size - offset, out.size() - done));
    const std::size_t stored = region->bytes.size();
    const std::size_t from_store =
        offset < stored ? std::min(n, static_cast<std::size_t>(stored - offset)) : 0;
    if (from_store != 0) std::memcpy(out.data() + done, region->bytes.data() + offset, from_store);
    if (from_store < n) std::memset(out.data() + done + from_store, 0, n - from_store);
    done += n;
  }
  return done;
}

CopyResult AddressSpace::CopyOut(UserAddress addr, std::span<const std::uint8_t> data) {
  CopyResult result;
  result.bytes_copied = Write(addr, data, /*check_protection=*/true);
  result.fault = result.bytes_copied < data.size();
  return result;
}

CopyResult AddressSpace::CopyIn(UserAddress addr, std::span<std::uint8_t> out) const {
  CopyResult result;
  result.bytes_copied = Read(addr, out, /*check_protection=*/true);
  if (result.bytes_copied < out.size()) {
    std::memset(out.data() + result.bytes_copied, 0, out.size() - result.bytes_copied);
    result.fault = true;
  }
  return result;
}

std::optional<std::uint32_t> AddressSpace::ReadU32(UserAddress addr) const {
  std::uint8_t b[4];
  // A length cell is read on nearly every call: when its 4 bytes lie in one readable region,
  // one lookup and a copy do; otherwise the general path finds where the copy stops.
  UserAddress base = 0;
  const Region* region = Find(addr, &base);
  if (region != nullptr && Allows(region->prot, Protection::kRead) &&
      region->size - (addr - base) >= sizeof b) {
    const std::uint64_t offset = addr - base;
    if (offset >= region->bytes.size()) return 0;
    if (offset + sizeof b > region->bytes.size()) {
      std::memset(b, 0, sizeof b);
      std::memcpy(b, region->bytes.data() + offset,
                  static_cast<std::size_t>(region->bytes.size() - offset));
    } else {
      std::memcpy(b, region->bytes.data() + offset, sizeof b);
    }
  } else if (CopyIn(addr, b).fault) {
    return std::nullopt;
  }
  return std::uint32_t{b[0]} | (std::uint32_t{b[1]} << 8) | (std::uint32_t{b[2]} << 16) |
         (std::uint32_t{b[3]} << 24);
}

bool AddressSpace::WriteU32(UserAddress addr, std::uint32_t value) {
  const std::uint8_t b[4] = {
      static_cast<std::uint8_t>(value), static_cast<std::uint8_t>(value >> 8),
      static_cast<std::uint8_t>(value >> 16), static_cast<std::uint8_t>(value >> 24)};
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
  // Both checks come before the result is allocated, so a caller-chosen size cannot exhaust
  // memory.
  if (size > kPeekMax) return std::nullopt;
  if (ContiguousRun(addr, size, Protection::kNone) < size) return std::nullopt;
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size));
  (void)Read(addr, out, /*check_protection=*/false);
  return out;
}

bool AddressSpace::Poke(UserAddress addr, std::span<const std::uint8_t> data) {
  return Write(addr, data, /*check_protection=*/false) == data.size();
}

bool AddressSpace::Accessible(UserAddress addr, std::uint64_t size, Protection prot) const {
  return ContiguousRun(addr, size, prot) == size;
}

std::uint64_t AddressSpace::AccessiblePrefix(UserAddress addr, std::uint64_t size,
                                             Protection prot) const {
  return ContiguousRun(addr, size, prot);
}

std::vector<AddressSpace::RegionView> AddressSpace::Regions() const {
  std::uint64_t largest_untouched = 0;
  for (const auto& [base, region] : regions_) {
    if (region.bytes.empty()) largest_untouched = std::max(largest_untouched, region.size);
  }
  // Grows only when a larger untouched region was mapped since the last call, which is a change
  // of the space, so views handed out earlier stay valid as long as documented.
  if (zeros_.size() < largest_untouched) {
    zeros_.assign(static_cast<std::size_t>(largest_untouched), 0);
  }
  std::vector<RegionView> out;
  out.reserve(regions_.size());
  for (const auto& [base, region] : regions_) {
    const bool untouched = region.bytes.empty();
    // A view shows the whole region: what it stores grows to its size (zeros added).
    if (!untouched) region.bytes.resize(static_cast<std::size_t>(region.size), 0);
    const std::span<const std::uint8_t> bytes =
        untouched
            ? std::span<const std::uint8_t>(zeros_.data(), static_cast<std::size_t>(region.size))
            : std::span<const std::uint8_t>(region.bytes);
    out.push_back(RegionView{base, region.size, region.prot, bytes, untouched});
  }
  return out;
}

}  // namespace socksim::sim
