// File: sim/address_space.h
// The simulated memory of one process. Calls receive caller pointers as plain numbers into this
// space; copy-in and copy-out check mappings and permissions byte by byte, so EFAULT arises from
// the same test the kernel makes ("is this address mapped and accessible?") rather than from a
// flag. Multi-byte values are little-endian: every modelled platform is x86-64.
#pragma once

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
  /// Where Allocate starts handing out pages: a range no Linux process uses by default (far
  /// below the stack and the mmap area, far above the heap, and clear of AddressSanitizer's
  /// allocator at 0x600000000000), so the host executor can map a process's buffers at the
  /// very same addresses in a real process. Page 0 is never mapped: NULL faults.
  static constexpr UserAddress kFirstAllocation = 0x300000000000;

  /// Maps [base, base + size) with `prot`; base and size must be page-aligned and must not
  /// overlap an existing region (programmer error otherwise). Contents start as zero.
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

  /// Reads bytes ignoring permissions (for tests and traces); nullopt if any byte is unmapped.
  std::optional<std::vector<std::uint8_t>> Peek(UserAddress addr, std::uint64_t size) const;
  /// Writes bytes ignoring protection (the scenario runner's way to fill caller buffers).
  bool Poke(UserAddress addr, std::span<const std::uint8_t> data);

  /// True if every byte of [addr, addr+size) is mapped with at least `prot`.
  bool Accessible(UserAddress addr, std::uint64_t size, Protection prot) const;

  /// One mapped region as Regions() shows it; `bytes` (size bytes) stays valid until the
  /// space is next changed.
  struct RegionView {
    UserAddress base = 0;
    std::uint64_t size = 0;
    Protection prot = Protection::kNone;
    std::span<const std::uint8_t> bytes;
  };
  /// Every mapped region in ascending address order (for the host executor, which maps the
  /// same regions in a real process).
  std::vector<RegionView> Regions() const;

 private:
  struct Region {
    std::uint64_t size = 0;
    Protection prot = Protection::kNone;
    std::vector<std::uint8_t> bytes;
  };
  // The region containing addr, if any.
  const Region* Find(UserAddress addr, UserAddress* base) const;
  Region* Find(UserAddress addr, UserAddress* base);

  std::map<UserAddress, Region> regions_;  // keyed by base address
  UserAddress next_allocation_ = kFirstAllocation;
};

}  // namespace socksim::sim
