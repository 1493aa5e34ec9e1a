// File: sim/address_space.h
// The simulated memory of one process. Calls receive caller pointers as plain numbers into this
// space; copy-in and copy-out check mappings and permissions for every byte they move, so EFAULT
// arises from the same test the kernel makes ("is this address mapped and accessible?") rather
// than from a flag. Copies move whole runs within a region at once, and a region stores its
// contents only up to the last non-zero byte written to it (the rest reads as zero), so large
// or many buffers cost what is written rather than what is mapped. Multi-byte values are
// little-endian: every modelled platform is x86-64.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace socksim::sim {

/// A user-space address in a simulated process.
using UserAddress = std::uint64_t;

/// Access rights of a mapped region.
enum class Protection : std::uint8_t { kNone = 0, kRead = 1, kWrite = 2, kReadWrite = 3 };

/// Outcome of a copy between the caller's memory and the simulated kernel.
struct CopyResult {
  std::size_t bytes_copied = 0;
  bool fault = false;  // stopped at an unmapped or inaccessible byte
};

/// A process's mapped memory.
class AddressSpace {
 public:
  static constexpr std::uint64_t kPageSize = 4096;
  /// Where Allocate starts handing out pages: inside the 47-bit user space of every modelled
  /// 64-bit OS, in a range a process of the machine running socksim leaves free (far below the
  /// stack and the mmap area, far above the heap, clear of AddressSanitizer's allocator at
  /// 0x600000000000), so a host executor can map a process's buffers at the very same
  /// addresses in a real process. Page 0 is never mapped: NULL faults.
  static constexpr UserAddress kFirstAllocation = 0x300000000000;

  /// Peek refuses (nullopt) to return more than this many bytes at once: it copies into a
  /// vector, and no call moves buffers anywhere near this large (scenario buffers are at most
  /// 16 MiB).
  static constexpr std::uint64_t kPeekMax = std::uint64_t{1} << 30;

  /// Maps [base, base + size) with `prot`; base and size must be page-aligned and must not
  /// overlap an existing region (programmer error otherwise). Contents start as zero and take
  /// no memory until a non-zero byte is written; then as much as reaches the last one.
  void Map(UserAddress base, std::uint64_t size, Protection prot);
  /// Unmaps the region starting at `base`; returns false if none starts there.
  bool Unmap(UserAddress base);
  /// Changes the protection of the whole region starting at `base`.
  bool Protect(UserAddress base, Protection prot);

  /// Maps fresh pages holding `size` bytes and returns the start. The page after the mapping is
  /// left unmapped, so a copy that runs past the end faults.
  UserAddress Allocate(std::uint64_t size, Protection prot = Protection::kReadWrite);
  /// Like Allocate, but places the buffer so that it ends exactly at the end of its mapping:
  /// the byte after the last one faults. Useful to test partial copies.
  UserAddress AllocateAtEnd(std::uint64_t size, Protection prot = Protection::kReadWrite);
  /// A buffer of `size` bytes of which exactly the first `mapped_bytes` are accessible: it
  /// starts `mapped_bytes` before the end of a fresh mapping (of ceil(mapped_bytes / page)
  /// pages, at least one, with `prot`) and runs on into unmapped pages, so a copy of the whole
  /// buffer faults at byte `mapped_bytes` (CopyOut has then written that many bytes, CopyIn
  /// has read them and zero-filled the rest). Later allocations begin one guard page past the
  /// first page boundary at or after the buffer's end, so the unmapped part stays unmapped.
  /// `mapped_bytes` must not exceed `size` (std::invalid_argument). With mapped_bytes == size
  /// it is AllocateAtEnd; with 0, the buffer starts on the unmapped page.
  UserAddress AllocateStraddling(std::uint64_t size, std::uint64_t mapped_bytes,
                                 Protection prot = Protection::kReadWrite);
  /// A buffer of `size` bytes starting `offset` bytes past the page-aligned start of a fresh
  /// mapping (ceil((offset + size) / page) pages, at least one, with `prot`): the address is
  /// `offset` modulo the page size for offset < 4096, e.g. 1 for a length cell that is 1 mod 4.
  /// The `offset` bytes before the buffer are mapped too, and the page after the mapping is a
  /// guard, as for Allocate.
  UserAddress AllocateMisaligned(std::uint64_t size, std::uint64_t offset,
                                 Protection prot = Protection::kReadWrite);

  /// Copies `data` to `addr` as copy_to_user does: byte after byte until a byte is not
  /// writable; the bytes before the fault stay written.
  CopyResult CopyOut(UserAddress addr, std::span<const std::uint8_t> data);
  /// Copies from `addr` into `out` as copy_from_user does; on a fault the rest of `out` is zero.
  CopyResult CopyIn(UserAddress addr, std::span<std::uint8_t> out) const;

  /// Reads a little-endian 32-bit value; nullopt on a fault.
  std::optional<std::uint32_t> ReadU32(UserAddress addr) const;
  /// Writes a little-endian 32-bit value; false on a fault (nothing partially written is
  /// possible only when the 4 bytes straddle a region end, as on real hardware).
  bool WriteU32(UserAddress addr, std::uint32_t value);
  std::optional<std::uint64_t> ReadU64(UserAddress addr) const;
  bool WriteU64(UserAddress addr, std::uint64_t value);

  /// Reads bytes ignoring permissions (for tests and traces); nullopt if any byte is unmapped
  /// or size exceeds kPeekMax. The mapping is checked before anything is allocated.
  std::optional<std::vector<std::uint8_t>> Peek(UserAddress addr, std::uint64_t size) const;
  /// Writes bytes ignoring protection (the scenario runner's way to fill caller buffers); false
  /// at the first unmapped byte, with the bytes before it written.
  bool Poke(UserAddress addr, std::span<const std::uint8_t> data);

  /// True if every byte of [addr, addr+size) is mapped with at least `prot`.
  bool Accessible(UserAddress addr, std::uint64_t size, Protection prot) const;
  /// How many bytes from `addr` on (at most `size`) are mapped with at least `prot`: what a
  /// copy would get through before it faults. Costs one lookup per region, never per byte.
  std::uint64_t AccessiblePrefix(UserAddress addr, std::uint64_t size, Protection prot) const;

  /// One mapped region as Regions() shows it; `bytes` (size bytes) stays valid until the
  /// space is next changed.
  struct RegionView {
    UserAddress base = 0;
    std::uint64_t size = 0;
    Protection prot = Protection::kNone;
    std::span<const std::uint8_t> bytes;
    /// True when nothing non-zero was ever written to the region: it has no storage of its
    /// own and `bytes` views zeros shared by all such regions.
    bool untouched = false;
  };
  /// Every mapped region in ascending address order (for the host executor, which maps the
  /// same regions in a real process). Untouched regions share one buffer of zeros as large as
  /// the largest of them.
  std::vector<RegionView> Regions() const;

 private:
  struct Region {
    std::uint64_t size = 0;
    Protection prot = Protection::kNone;
    // The first bytes.size() bytes of the contents (every later one is zero): empty until the
    // first non-zero write, then up to the last non-zero byte written (a call's buffer of 128
    // bytes on a fresh page stores 128 bytes, not the page). Regions() grows it to `size`,
    // which changes no byte the region holds, so it is mutable.
    mutable std::vector<std::uint8_t> bytes;
  };
  // The region containing addr, if any.
  const Region* Find(UserAddress addr, UserAddress* base) const;
  Region* Find(UserAddress addr, UserAddress* base);
  // Bytes of [addr, addr + size) mapped contiguously from addr (across adjacent regions) with
  // at least `prot`, up to `size`.
  std::uint64_t ContiguousRun(UserAddress addr, std::uint64_t size, Protection prot) const;
  // Writes `data` at addr, honouring write protection if asked, up to the first byte that
  // cannot be written; returns the bytes written.
  std::size_t Write(UserAddress addr, std::span<const std::uint8_t> data, bool check_protection);
  // Reads into `out` likewise, up to the first byte that cannot be read; returns the bytes read.
  std::size_t Read(UserAddress addr, std::span<std::uint8_t> out, bool check_protection) const;

  // The regions the latest lookups found. A call touches few regions, each several times (a
  // getpeername reads the length cell, writes the address, writes the length back), and each
  // lookup in regions_ is a tree walk: remembering the last two found makes the repeats a
  // compare. std::map nodes do not move, so an entry stays valid until its region is unmapped
  // (Unmap forgets it); a copied space (fork) starts with an empty cache of its own, since the
  // entries point into the original's map.
  class RecentRegions {
   public:
    RecentRegions() = default;
    RecentRegions(const RecentRegions&) {}
    RecentRegions& operator=(const RecentRegions&) {
      Clear();
      return *this;
    }
    // The remembered region containing addr, or nullptr.
    Region* Lookup(UserAddress addr, UserAddress* base) const;
    void Remember(UserAddress base, Region* region);
    void Clear() { slots_ = {}; }

   private:
    struct Slot {
      UserAddress base = 0;
      Region* region = nullptr;
    };
    std::array<Slot, 2> slots_{};  // [0] the most recent
  };

  std::map<UserAddress, Region> regions_;  // keyed by base address
  mutable RecentRegions recent_;
  UserAddress next_allocation_ = kFirstAllocation;
  mutable std::vector<std::uint8_t> zeros_;  // what Regions() shows for untouched regions
};

}  // namespace socksim::sim
