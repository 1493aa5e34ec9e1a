// File: tests/stack/core/sockaddr_bytes_test.cc
// The inline buffer the getname paths encode into: sizes up to sockaddr_storage, cleared on
// every reset, and a codec bug (more than 128 bytes) refused rather than overrun.
#include "stack/core/sockaddr_bytes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace socksim::stack {
namespace {

TEST(SockaddrBytes, ResetGivesThatManyZeroBytesEvenAfterEarlierContents) {
  SockaddrBytes b;
  EXPECT_TRUE(b.empty());
  auto out = b.Reset(16);
  ASSERT_EQ(out.size(), 16u);
  for (auto& byte : out) byte = 0xAB;
  out = b.Reset(4);
  EXPECT_EQ(b.size(), 4u);
  EXPECT_EQ(b.ToVector(), (std::vector<std::uint8_t>{0, 0, 0, 0}));
  out[1] = 7;
  EXPECT_EQ(b.bytes()[1], 7);
}

TEST(SockaddrBytes, HoldsUpToSockaddrStorageAndRefusesMore) {
  SockaddrBytes b;
  EXPECT_EQ(b.Reset(SockaddrBytes::kCapacity).size(), 128u);
  EXPECT_THROW(b.Reset(SockaddrBytes::kCapacity + 1), std::length_error);
  EXPECT_EQ(b.size(), 128u);  // a refused reset changes nothing
}

}  // namespace
}  // namespace socksim::stack
