// File: tests/stack/core/append_map_test.cc
// The map behind the live-socket index and the holders of a port: entries come back in key
// order, erased ones are skipped and release their values at once, compaction keeps the order,
// and a key that does not grow is refused.
#include "stack/core/append_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace socksim::stack {
namespace {

std::vector<std::uint64_t> Keys(const AppendMap<int>& m) {
  std::vector<std::uint64_t> out;
  for (const auto& [key, value] : m) out.push_back(key);
  return out;
}

TEST(AppendMap, IteratesLiveEntriesInKeyOrder) {
  AppendMap<int> m;
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.begin(), m.end());
  for (std::uint64_t k : {2, 3, 5, 8, 13}) m.Append(k, static_cast<int>(k) * 10);
  EXPECT_TRUE(m.Erase(2));
  EXPECT_TRUE(m.Erase(8));
  EXPECT_FALSE(m.Erase(8));  // already gone
  EXPECT_FALSE(m.Erase(4));  // never there
  EXPECT_EQ(Keys(m), (std::vector<std::uint64_t>{3, 5, 13}));
  EXPECT_EQ(m.size(), 3u);
  int sum = 0;
  for (const auto& [key, value] : m) sum += value;
  EXPECT_EQ(sum, 30 + 50 + 130);
}

TEST(AppendMap, KeysMustGrow) {
  AppendMap<int> m;
  m.Append(7, 0);
  EXPECT_THROW(m.Append(7, 0), std::logic_error);
  EXPECT_THROW(m.Append(6, 0), std::logic_error);
  ASSERT_TRUE(m.Erase(7));
  EXPECT_THROW(m.Append(7, 0), std::logic_error);  // an erased key is not reusable either
  m.Append(8, 0);
  EXPECT_EQ(Keys(m), (std::vector<std::uint64_t>{8}));
}

TEST(AppendMap, ErasedValueIsReleasedAtOnce) {
  AppendMap<std::shared_ptr<int>> m;
  auto value = std::make_shared<int>(1);
  m.Append(1, value);
  EXPECT_EQ(value.use_count(), 2);
  ASSERT_TRUE(m.Erase(1));
  EXPECT_EQ(value.use_count(), 1);
}

TEST(AppendMap, CompactionKeepsOrderAndLookups) {
  // Erase most entries (forcing compactions), then check what is left and that every key can
  // still be found and erased exactly once.
  AppendMap<int> m;
  for (std::uint64_t k = 1; k <= 1000; ++k) m.Append(k * 3, static_cast<int>(k));
  std::vector<std::uint64_t> kept;
  for (std::uint64_t k = 1; k <= 1000; ++k) {
    if (k % 7 == 0) {
      kept.push_back(k * 3);
    } else {
      ASSERT_TRUE(m.Erase(k * 3)) << k;
    }
  }
  EXPECT_EQ(Keys(m), kept);
  EXPECT_EQ(m.size(), kept.size());
  m.Append(5000, 0);
  for (std::uint64_t k : kept) EXPECT_TRUE(m.Erase(k)) << k;
  EXPECT_EQ(Keys(m), (std::vector<std::uint64_t>{5000}));
}

}  // namespace
}  // namespace socksim::stack
