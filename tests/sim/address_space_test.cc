// File: tests/sim/address_space_test.cc
// Caller memory: mappings, permissions and partial copies that end in a fault.
#include "sim/address_space.h"

#include <gtest/gtest.h>

#include <vector>

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

}  // namespace
}  // namespace socksim::sim
