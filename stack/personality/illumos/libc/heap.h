// File: stack/personality/illumos/libc/heap.h
// The C library heap of one simulated illumos process, in its simulated address space: the
// memory getpeerucred(3C) and ucred_get(3C) allocate a ucred_t from and ucred_free(3C) gives
// back. Placement is deterministic and documented: arenas of 64 KiB mapped from 0x100000000
// upward (below AddressSpace::kFirstAllocation, where caller buffers go), blocks 16-byte
// aligned, first fit over freed blocks in address order, otherwise the next free address.
// Allocation can fail through the world's fault injector at the points
// `illumos.malloc.enomem` (ENOMEM, what illumos libc malloc sets) and `illumos.malloc.eagain`
// (EAGAIN, which getpeerucred(3C) also documents: ILL-11, ILL-15).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sim/address_space.h"
#include "sim/faults.h"

namespace socksim::stack::illumos_abi {

/// What a block was allocated for (accessor calls accept only ucred_t blocks).
enum class BlockUse : std::uint8_t { kUcred, kOther };

/// A per-process heap in simulated memory.
class Heap {
 public:
  static constexpr sim::UserAddress kBase = 0x100000000;
  static constexpr std::uint64_t kArenaSize = 64 * 1024;
  static constexpr std::uint64_t kAlignment = 16;
  static constexpr const char* kFaultEnomem = "illumos.malloc.enomem";
  static constexpr const char* kFaultEagain = "illumos.malloc.eagain";

  /// malloc(size): the block's address, or the errno malloc sets (ENOMEM or EAGAIN) when a
  /// fault point fires. The block's bytes are not cleared (malloc does not).
  struct Allocation {
    sim::UserAddress address = 0;
    int err = 0;
  };
  Allocation Allocate(sim::AddressSpace& memory, sim::FaultInjector& faults, std::uint64_t size,
                      BlockUse use);
  /// free(p); false when `p` is not a live block (a double free is undefined on illumos; the
  /// caller decides what to report).
  bool Free(sim::UserAddress p);
  /// Whether `p` is the start of a live block allocated for `use`.
  bool Holds(sim::UserAddress p, BlockUse use) const;
  /// The size malloc was asked for, for a live block.
  std::optional<std::uint64_t> SizeOf(sim::UserAddress p) const;
  std::size_t live_blocks() const { return live_.size(); }

 private:
  struct Block {
    std::uint64_t size = 0;     // as requested
    std::uint64_t rounded = 0;  // as laid out
    BlockUse use = BlockUse::kOther;
  };
  std::map<sim::UserAddress, Block> live_;
  std::map<sim::UserAddress, std::uint64_t> free_;  // start -> rounded size
  sim::UserAddress top_ = kBase;                    // next never-used address
  sim::UserAddress mapped_end_ = kBase;             // end of the mapped arenas
};

}  // namespace socksim::stack::illumos_abi
