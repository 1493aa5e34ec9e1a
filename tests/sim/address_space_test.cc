// File: tests/sim/address_space_test.cc
// Caller memory: mappings, permissions, partial copies that end in a fault, copies across
// adjacent regions, lazily allocated contents, the straddling and misaligned placements, and a
// comparison of the region-wise copies with a byte-by-byte model over random operations.
#include "sim/address_space.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/rng.h"

namespace socksim::sim {
namespace {

TEST(AddressSpace, NullAndUnmappedAddressesFault) {
  AddressSpace mem;
  std::uint8_t byte = 1;
  EXPECT_TRUE(mem.CopyOut(0, std::span(&byte, 1)).fault);
  EXPECT_FALSE(mem.ReadU32(0).has_value());
  EXPECT_FALSE(mem.ReadU32(0xffffffffffffffffULL).has_value());
  EXPECT_FALSE(mem.WriteU32(1, 5));
}

TEST(AddressSpace, ReadWriteRoundTripLittleEndian) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(16);
  ASSERT_TRUE(mem.WriteU32(a, 0x11223344));
  EXPECT_EQ(mem.ReadU32(a), 0x11223344u);
  EXPECT_EQ(mem.Peek(a, 4), (std::vector<std::uint8_t>{0x44, 0x33, 0x22, 0x11}));
  ASSERT_TRUE(mem.WriteU64(a + 8, 0x0102030405060708ULL));
  EXPECT_EQ(mem.ReadU64(a + 8), 0x0102030405060708ULL);
}

TEST(AddressSpace, ReadOnlyRegionRejectsWritesButAllowsReads) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(8, Protection::kRead);
  EXPECT_EQ(mem.ReadU32(a), 0u);
  EXPECT_FALSE(mem.WriteU32(a, 1));
  EXPECT_EQ(mem.ReadU32(a), 0u);
  EXPECT_TRUE(mem.Protect(a, Protection::kReadWrite));
  EXPECT_TRUE(mem.WriteU32(a, 1));
}

TEST(AddressSpace, WriteOnlyRegionRejectsReads) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(8, Protection::kWrite);
  EXPECT_FALSE(mem.ReadU32(a).has_value());
  EXPECT_TRUE(mem.WriteU32(a, 3));
}

TEST(AddressSpace, CopyPastEndWritesPrefixThenFaults) {
  AddressSpace mem;
  const UserAddress a = mem.AllocateAtEnd(4);
  const std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const CopyResult r = mem.CopyOut(a, data);
  EXPECT_TRUE(r.fault);
  EXPECT_EQ(r.bytes_copied, 4u);
  EXPECT_EQ(mem.Peek(a, 4), (std::vector<std::uint8_t>{1, 2, 3, 4}));
  EXPECT_FALSE(mem.Peek(a, 5).has_value());
}

TEST(AddressSpace, AllocationsAreDeterministicAndGuarded) {
  AddressSpace m1, m2;
  EXPECT_EQ(m1.Allocate(100), AddressSpace::kFirstAllocation);
  EXPECT_EQ(m2.Allocate(100), AddressSpace::kFirstAllocation);
  const UserAddress second = m1.Allocate(100);
  EXPECT_EQ(second, AddressSpace::kFirstAllocation + 2 * AddressSpace::kPageSize);
  EXPECT_FALSE(m1.Accessible(AddressSpace::kFirstAllocation + AddressSpace::kPageSize, 1,
                             Protection::kRead));
}

TEST(AddressSpace, MapRejectsOverlapAndMisalignment) {
  AddressSpace mem;
  mem.Map(0x100000, 0x2000, Protection::kReadWrite);
  EXPECT_THROW(mem.Map(0x101000, 0x1000, Protection::kRead), std::invalid_argument);
  EXPECT_THROW(mem.Map(0x0ff000, 0x2000, Protection::kRead), std::invalid_argument);
  EXPECT_THROW(mem.Map(0x200001, 0x1000, Protection::kRead), std::invalid_argument);
  EXPECT_TRUE(mem.Unmap(0x100000));
  EXPECT_FALSE(mem.Accessible(0x100000, 1, Protection::kRead));
}

TEST(AddressSpace, CopyInZeroFillsAfterFault) {
  AddressSpace mem;
  const UserAddress a = mem.AllocateAtEnd(2);
  const std::uint8_t src[2] = {9, 9};
  ASSERT_FALSE(mem.CopyOut(a, src).fault);
  std::uint8_t out[4] = {7, 7, 7, 7};
  const CopyResult r = mem.CopyIn(a, out);
  EXPECT_TRUE(r.fault);
  EXPECT_EQ(r.bytes_copied, 2u);
  EXPECT_EQ(out[2], 0);
  EXPECT_EQ(out[3], 0);
}

constexpr std::uint64_t kPage = AddressSpace::kPageSize;

std::vector<std::uint8_t> Counting(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i + 1);
  return v;
}

TEST(AddressSpace, StraddlingBufferHasExactlyTheMappedBytesAccessible) {
  struct Case {
    std::uint64_t size;
    std::uint64_t mapped;
  };
  const std::vector<Case> cases = {{16, 5},   {16, 0},    {16, 16},        {4, 1},
                                   {1, 1},    {0, 0},     {5000, 4097},    {10000, 3},
                                   {8192, 0}, {4096, 64}, {3 * 4096, 4096}};
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "size " << c.size << " mapped " << c.mapped);
    AddressSpace mem;
    const UserAddress a = mem.AllocateStraddling(c.size, c.mapped);
    EXPECT_TRUE(mem.Accessible(a, c.mapped, Protection::kReadWrite));
    if (c.mapped < c.size) {
      EXPECT_FALSE(mem.Accessible(a, c.mapped + 1, Protection::kRead));
      // Every byte of the unmapped part stays unmapped, whatever is allocated later.
      (void)mem.Allocate(100);
      (void)mem.AllocateAtEnd(100);
      for (std::uint64_t i = c.mapped; i < c.size; ++i) {
        ASSERT_FALSE(mem.Accessible(a + i, 1, Protection::kNone)) << "byte " << i;
      }
    }
    EXPECT_EQ((a + c.mapped) % kPage, 0u);  // the mapped part ends on a page boundary

    const std::vector<std::uint8_t> data = Counting(c.size);
    const CopyResult out = mem.CopyOut(a, data);
    EXPECT_EQ(out.fault, c.mapped < c.size);
    EXPECT_EQ(out.bytes_copied, c.mapped);
    const auto written = mem.Peek(a, c.mapped);
    ASSERT_TRUE(written.has_value());
    EXPECT_EQ(*written, std::vector<std::uint8_t>(data.begin(), data.begin() + c.mapped));

    std::vector<std::uint8_t> in(c.size, 0xee);
    const CopyResult back = mem.CopyIn(a, in);
    EXPECT_EQ(back.fault, c.mapped < c.size);
    EXPECT_EQ(back.bytes_copied, c.mapped);
    std::vector<std::uint8_t> expected = data;
    std::fill(expected.begin() + static_cast<std::ptrdiff_t>(c.mapped), expected.end(), 0);
    EXPECT_EQ(in, expected);  // the bytes read, then zeros
  }
}

TEST(AddressSpace, StraddlingRejectsMoreMappedBytesThanSize) {
  AddressSpace mem;
  EXPECT_THROW(mem.AllocateStraddling(4, 5), std::invalid_argument);
  EXPECT_TRUE(mem.Regions().empty());
}

TEST(AddressSpace, StraddlingLengthCellReadsAsAFault) {
  // A 4-byte length cell with only its first two bytes mapped: the kernel's get_user faults.
  AddressSpace mem;
  const UserAddress cell = mem.AllocateStraddling(4, 2);
  EXPECT_FALSE(mem.ReadU32(cell).has_value());
  EXPECT_FALSE(mem.WriteU32(cell, 0x01020304));
  EXPECT_EQ(mem.Peek(cell, 2), (std::vector<std::uint8_t>{0x04, 0x03}));  // a partial write
  EXPECT_FALSE(mem.Peek(cell, 4).has_value());
}

TEST(AddressSpace, StraddlingKeepsTheProtectionOfTheMappedPart) {
  AddressSpace mem;
  const UserAddress a = mem.AllocateStraddling(8, 4, Protection::kRead);
  const std::uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(mem.CopyOut(a, data).bytes_copied, 0u);
  std::uint8_t in[8];
  EXPECT_EQ(mem.CopyIn(a, in).bytes_copied, 4u);
}

TEST(AddressSpace, MisalignedBufferStartsAtTheOffsetIntoAFreshPage) {
  struct Case {
    std::uint64_t size;
    std::uint64_t offset;
  };
  const std::vector<Case> cases = {{4, 1}, {4, 3},    {8, 5},   {16, 4095},
                                   {1, 0}, {4096, 1}, {4, 4097}};
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << "size " << c.size << " offset " << c.offset);
    AddressSpace mem;
    (void)mem.Allocate(1);  // not the first allocation, so "fresh" is not trivially true
    const UserAddress a = mem.AllocateMisaligned(c.size, c.offset);
    EXPECT_EQ(a % kPage, c.offset % kPage);
    const UserAddress page = a - c.offset;
    EXPECT_EQ(page % kPage, 0u);
    EXPECT_FALSE(mem.Accessible(page - 1, 1, Protection::kNone));  // a fresh mapping
    EXPECT_TRUE(mem.Accessible(page, c.offset + c.size, Protection::kReadWrite));
    const UserAddress end = page + ((c.offset + c.size + kPage - 1) / kPage) * kPage;
    EXPECT_TRUE(mem.Accessible(end - 1, 1, Protection::kRead));
    EXPECT_FALSE(mem.Accessible(end, 1, Protection::kNone));  // the guard page
    const std::vector<std::uint8_t> data = Counting(c.size);
    EXPECT_FALSE(mem.CopyOut(a, data).fault);
    EXPECT_EQ(mem.Peek(a, c.size), data);
  }
}

TEST(AddressSpace, MisalignedLengthCellIsOneModFour) {
  AddressSpace mem;
  const UserAddress cell = mem.AllocateMisaligned(4, 1);
  EXPECT_EQ(cell % 4, 1u);
  ASSERT_TRUE(mem.WriteU32(cell, 128));
  EXPECT_EQ(mem.ReadU32(cell), 128u);
  EXPECT_EQ(mem.Peek(cell - 1, 5), (std::vector<std::uint8_t>{0, 128, 0, 0, 0}));
}

TEST(AddressSpace, CopiesRunAcrossAdjacentRegionsAndStopAtTheFirstForbiddenByte) {
  AddressSpace mem;
  const UserAddress base = 0x100000;
  mem.Map(base, kPage, Protection::kReadWrite);
  mem.Map(base + kPage, kPage, Protection::kReadWrite);
  mem.Map(base + 2 * kPage, kPage, Protection::kRead);
  const UserAddress at = base + kPage - 3;
  const std::vector<std::uint8_t> data = Counting(10);
  EXPECT_FALSE(mem.CopyOut(at, data).fault);  // across the first boundary
  EXPECT_EQ(mem.Peek(at, 10), data);

  const UserAddress near_ro = base + 2 * kPage - 2;
  const CopyResult r = mem.CopyOut(near_ro, data);
  EXPECT_TRUE(r.fault);
  EXPECT_EQ(r.bytes_copied, 2u);  // up to the read-only region
  EXPECT_EQ(mem.Peek(near_ro, 4), (std::vector<std::uint8_t>{1, 2, 0, 0}));
  EXPECT_TRUE(mem.Poke(near_ro, data));  // Poke ignores protection
  EXPECT_EQ(mem.Peek(near_ro, 10), data);

  std::vector<std::uint8_t> in(3 * kPage + 1, 0xee);
  const CopyResult whole = mem.CopyIn(base, in);
  EXPECT_TRUE(whole.fault);
  EXPECT_EQ(whole.bytes_copied, 3 * kPage);
  EXPECT_EQ(in.back(), 0);
  EXPECT_TRUE(mem.Accessible(base, 3 * kPage, Protection::kRead));
  EXPECT_FALSE(mem.Accessible(base, 3 * kPage, Protection::kWrite));
  EXPECT_FALSE(mem.Accessible(base, 3 * kPage + 1, Protection::kRead));
}

TEST(AddressSpace, PokeStopsAtTheFirstUnmappedByteWithThePrefixWritten) {
  AddressSpace mem;
  const UserAddress a = mem.AllocateAtEnd(3);
  EXPECT_FALSE(mem.Poke(a, Counting(5)));
  EXPECT_EQ(mem.Peek(a, 3), (std::vector<std::uint8_t>{1, 2, 3}));
}

TEST(AddressSpace, CopiesNearTheTopOfTheAddressSpaceFaultInsteadOfWrapping) {
  AddressSpace mem;
  const UserAddress top_page = ~std::uint64_t{0} - (kPage - 1);
  EXPECT_THROW(mem.Map(top_page, kPage, Protection::kReadWrite), std::invalid_argument);
  mem.Map(0, kPage, Protection::kReadWrite);  // what a wrapped copy would reach
  mem.Map(top_page - kPage, kPage, Protection::kReadWrite);
  const std::vector<std::uint8_t> data = Counting(8);
  const CopyResult out = mem.CopyOut(top_page - 4, data);
  EXPECT_TRUE(out.fault);
  EXPECT_EQ(out.bytes_copied, 4u);
  std::vector<std::uint8_t> in(8, 0xee);
  EXPECT_EQ(mem.CopyIn(~std::uint64_t{0}, in).bytes_copied, 0u);
  EXPECT_EQ(in, std::vector<std::uint8_t>(8, 0));
  EXPECT_FALSE(mem.Accessible(top_page - 4, 8, Protection::kNone));
  EXPECT_FALSE(mem.Peek(top_page - 4, 8).has_value());
  EXPECT_FALSE(mem.Poke(~std::uint64_t{0}, data));
  EXPECT_EQ(mem.Peek(0, 8), std::vector<std::uint8_t>(8, 0));  // nothing wrapped around
}

TEST(AddressSpace, PeekRefusesAbsurdSizesWithoutAllocating) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(16);
  EXPECT_FALSE(mem.Peek(a, std::uint64_t{1} << 60).has_value());
  EXPECT_FALSE(mem.Peek(a, ~std::uint64_t{0}).has_value());
  EXPECT_FALSE(mem.Peek(0, ~std::uint64_t{0}).has_value());
  // Mapped but larger than Peek returns at once.
  const UserAddress big = 0x100000000;
  mem.Map(big, AddressSpace::kPeekMax + kPage, Protection::kReadWrite);
  EXPECT_FALSE(mem.Peek(big, AddressSpace::kPeekMax + 1).has_value());
  EXPECT_EQ(mem.Peek(big, 0), std::vector<std::uint8_t>());
}

TEST(AddressSpace, ContentsAreAllocatedOnlyOnFirstNonZeroWrite) {
  AddressSpace mem;
  // A terabyte mapping costs nothing until written, and reads as zeros.
  const UserAddress huge = 0x200000000000;
  mem.Map(huge, std::uint64_t{1} << 40, Protection::kReadWrite);
  EXPECT_EQ(mem.ReadU64(huge + (std::uint64_t{1} << 39)), 0u);
  EXPECT_TRUE(mem.Accessible(huge, std::uint64_t{1} << 40, Protection::kReadWrite));
  ASSERT_TRUE(mem.Unmap(huge));

  const UserAddress a = mem.Allocate(64);
  const UserAddress b = mem.Allocate(3 * kPage);
  EXPECT_TRUE(mem.WriteU32(a, 0));  // zeros leave a region untouched
  auto regions = mem.Regions();
  ASSERT_EQ(regions.size(), 2u);
  for (const auto& r : regions) {
    EXPECT_TRUE(r.untouched);
    EXPECT_EQ(r.bytes.size(), r.size);
    EXPECT_EQ(std::accumulate(r.bytes.begin(), r.bytes.end(), 0u), 0u);
  }

  ASSERT_TRUE(mem.WriteU32(b + 2 * kPage, 0xaabbccdd));
  regions = mem.Regions();
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_TRUE(regions[0].untouched);
  EXPECT_FALSE(regions[1].untouched);
  ASSERT_EQ(regions[1].bytes.size(), 3 * kPage);
  EXPECT_EQ(regions[1].bytes[2 * kPage], 0xdd);
  EXPECT_EQ(regions[1].bytes[0], 0);
  EXPECT_EQ(regions[0].bytes.size(), kPage);

  EXPECT_TRUE(mem.Protect(b, Protection::kRead));  // keeps the contents
  EXPECT_EQ(mem.ReadU32(b + 2 * kPage), 0xaabbccddu);
  EXPECT_FALSE(mem.WriteU32(b, 1));
}

TEST(AddressSpace, ForkedCopyKeepsItsOwnContents) {
  AddressSpace parent;
  const UserAddress a = parent.Allocate(8);
  ASSERT_TRUE(parent.WriteU32(a, 7));
  AddressSpace child = parent;
  ASSERT_TRUE(child.WriteU32(a, 9));
  EXPECT_EQ(parent.ReadU32(a), 7u);
  EXPECT_EQ(child.ReadU32(a), 9u);
}

// Lookups remember the last regions they found (address_space.h): what they remember must
// never outlive the region, its protection or the space it belongs to.
TEST(AddressSpace, RememberedRegionsFollowUnmapRemapAndProtect) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(16);
  const UserAddress b = mem.Allocate(16);
  ASSERT_TRUE(mem.WriteU32(a, 1));
  ASSERT_TRUE(mem.WriteU32(b, 2));
  ASSERT_EQ(mem.ReadU32(a), 1u);  // both regions are now the remembered ones
  ASSERT_TRUE(mem.Unmap(a));
  EXPECT_FALSE(mem.ReadU32(a).has_value());
  EXPECT_FALSE(mem.WriteU32(a, 3));
  mem.Map(a, AddressSpace::kPageSize, Protection::kReadWrite);
  EXPECT_EQ(mem.ReadU32(a), 0u);  // a fresh region, not the old contents
  ASSERT_TRUE(mem.Protect(b, Protection::kRead));
  EXPECT_FALSE(mem.WriteU32(b, 4));
  EXPECT_EQ(mem.ReadU32(b), 2u);
}

TEST(AddressSpace, AssignedSpaceKeepsItsOwnContents) {
  AddressSpace from;
  const UserAddress a = from.Allocate(8);
  ASSERT_TRUE(from.WriteU32(a, 7));
  AddressSpace to;
  (void)to.Allocate(8);
  ASSERT_EQ(to.ReadU32(a), 0u);
  to = from;
  ASSERT_TRUE(to.WriteU32(a, 9));
  EXPECT_EQ(from.ReadU32(a), 7u);
  EXPECT_EQ(to.ReadU32(a), 9u);
  AddressSpace moved = std::move(to);
  ASSERT_TRUE(moved.WriteU32(a, 11));
  EXPECT_EQ(moved.ReadU32(a), 11u);
  EXPECT_EQ(from.ReadU32(a), 7u);
}

// The semantics the region-wise copies must keep, written the direct way: one lookup per byte.
class ByteModel {
 public:
  void Map(UserAddress base, std::uint64_t size, Protection prot) {
    regions_[base] = Region{size, prot, std::vector<std::uint8_t>(size, 0)};
  }
  void Unmap(UserAddress base) { regions_.erase(base); }
  void Protect(UserAddress base, Protection prot) {
    if (regions_.count(base) != 0) regions_[base].prot = prot;
  }
  CopyResult CopyOut(UserAddress addr, const std::vector<std::uint8_t>& data, bool check) {
    CopyResult r;
    for (std::size_t i = 0; i < data.size(); ++i) {
      std::uint8_t* byte = At(addr + i, check ? Protection::kWrite : Protection::kNone);
      if (byte == nullptr || addr + i < addr) {
        r.fault = true;
        return r;
      }
      *byte = data[i];
      ++r.bytes_copied;
    }
    return r;
  }
  CopyResult CopyIn(UserAddress addr, std::vector<std::uint8_t>& out, bool check) {
    CopyResult r;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::uint8_t* byte = At(addr + i, check ? Protection::kRead : Protection::kNone);
      if (byte == nullptr || addr + i < addr) {
        for (std::size_t j = i; j < out.size(); ++j) out[j] = 0;
        r.fault = true;
        return r;
      }
      out[i] = *byte;
      ++r.bytes_copied;
    }
    return r;
  }
  bool Accessible(UserAddress addr, std::uint64_t size, Protection prot) {
    for (std::uint64_t i = 0; i < size; ++i) {
      if (addr + i < addr || At(addr + i, prot) == nullptr) return false;
    }
    return true;
  }

 private:
  struct Region {
    std::uint64_t size = 0;
    Protection prot = Protection::kNone;
    std::vector<std::uint8_t> bytes;
  };
  std::uint8_t* At(UserAddress addr, Protection want) {
    auto it = regions_.upper_bound(addr);
    if (it == regions_.begin()) return nullptr;
    --it;
    if (addr - it->first >= it->second.size) return nullptr;
    const auto have = static_cast<std::uint8_t>(it->second.prot);
    const auto need = static_cast<std::uint8_t>(want);
    if ((have & need) != need) return nullptr;
    return &it->second.bytes[addr - it->first];
  }
  std::map<UserAddress, Region> regions_;
};

TEST(AddressSpace, RegionWiseCopiesMatchTheByteModel) {
  // Sixteen page slots, each unmapped or holding a one-page region: adjacent regions, gaps and
  // every protection mix, under a random sequence of copies.
  constexpr UserAddress kBase = 0x400000;
  constexpr int kSlots = 16;
  const Protection prots[] = {Protection::kNone, Protection::kRead, Protection::kWrite,
                              Protection::kReadWrite};
  AddressSpace mem;
  ByteModel model;
  std::vector<bool> mapped(kSlots, false);
  Rng rng(99);
  for (int step = 0; step < 3000; ++step) {
    SCOPED_TRACE(testing::Message() << "step " << step);
    const auto slot = static_cast<int>(rng.UniformBelow(kSlots));
    const UserAddress page = kBase + static_cast<UserAddress>(slot) * kPage;
    const UserAddress addr = kBase - 64 + rng.UniformBelow((kSlots + 1) * kPage);
    std::vector<std::uint8_t> data(rng.UniformBelow(3 * kPage));
    for (auto& b : data) b = static_cast<std::uint8_t>(rng.UniformBelow(4));  // zeros are common
    switch (rng.UniformBelow(8)) {
      case 0: {
        const Protection prot = prots[rng.UniformBelow(4)];
        if (mapped[slot]) {
          ASSERT_TRUE(mem.Protect(page, prot));
          model.Protect(page, prot);
        } else {
          mem.Map(page, kPage, prot);
          model.Map(page, kPage, prot);
          mapped[slot] = true;
        }
        break;
      }
      case 1:
        ASSERT_EQ(mem.Unmap(page), mapped[slot]);
        model.Unmap(page);
        mapped[slot] = false;
        break;
      case 2:
      case 3: {
        const CopyResult got = mem.CopyOut(addr, data);
        const CopyResult want = model.CopyOut(addr, data, true);
        ASSERT_EQ(got.bytes_copied, want.bytes_copied);
        ASSERT_EQ(got.fault, want.fault);
        break;
      }
      case 4: {
        const bool ok = mem.Poke(addr, data);
        ASSERT_EQ(ok, !model.CopyOut(addr, data, false).fault);
        break;
      }
      case 5: {
        std::vector<std::uint8_t> got(data.size(), 0xee);
        std::vector<std::uint8_t> want(data.size(), 0xee);
        const CopyResult g = mem.CopyIn(addr, got);
        const CopyResult w = model.CopyIn(addr, want, true);
        ASSERT_EQ(g.bytes_copied, w.bytes_copied);
        ASSERT_EQ(g.fault, w.fault);
        ASSERT_EQ(got, want);
        break;
      }
      case 6: {
        std::vector<std::uint8_t> want(data.size());
        const bool ok = !model.CopyIn(addr, want, false).fault;
        const auto got = mem.Peek(addr, data.size());
        ASSERT_EQ(got.has_value(), ok);
        if (ok) {
          ASSERT_EQ(*got, want);
        }
        break;
      }
      default: {
        const Protection prot = prots[rng.UniformBelow(4)];
        ASSERT_EQ(mem.Accessible(addr, data.size(), prot),
                  model.Accessible(addr, data.size(), prot));
        break;
      }
    }
  }
  // Finally every mapped page, byte for byte.
  for (int slot = 0; slot < kSlots; ++slot) {
    if (!mapped[slot]) continue;
    const UserAddress page = kBase + static_cast<UserAddress>(slot) * kPage;
    std::vector<std::uint8_t> bytes(kPage);
    ASSERT_FALSE(model.CopyIn(page, bytes, false).fault);
    EXPECT_EQ(mem.Peek(page, kPage), bytes) << "slot " << slot;
  }
}

TEST(AddressSpace, ReadsPastTheStoredPrefixAreZero) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(kPage);
  ASSERT_TRUE(mem.WriteU32(a, 0x00ccbbaa));  // stores 3 bytes
  EXPECT_EQ(mem.ReadU32(a), 0x00ccbbaau);
  EXPECT_EQ(mem.ReadU32(a + 1), 0x0000ccbbu);  // straddles the end of the store
  EXPECT_EQ(mem.ReadU32(a + 3), 0u);           // wholly past it
  EXPECT_EQ(mem.ReadU64(a), 0x0000000000ccbbaau);
  std::vector<std::uint8_t> out(8, 0xee);
  ASSERT_FALSE(mem.CopyIn(a + 1, out).fault);
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0xbb, 0xcc, 0, 0, 0, 0, 0, 0}));
}

TEST(AddressSpace, RegionsShowTheWholeRegionOfAPartlyStoredOne) {
  AddressSpace mem;
  const UserAddress a = mem.Allocate(2 * kPage);
  ASSERT_TRUE(mem.WriteU32(a + 10, 0xdeadbeef));
  const auto regions = mem.Regions();
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_FALSE(regions[0].untouched);
  ASSERT_EQ(regions[0].bytes.size(), 2 * kPage);
  EXPECT_EQ(regions[0].bytes[10], 0xef);
  EXPECT_EQ(regions[0].bytes[13], 0xde);
  EXPECT_EQ(std::accumulate(regions[0].bytes.begin() + 14, regions[0].bytes.end(), 0u), 0u);
  EXPECT_EQ(mem.ReadU32(a + 10), 0xdeadbeefu);  // and reads as before
}

}  // namespace
}  // namespace socksim::sim
