// File: tests/stack/core/lookup_table_test.cc
// The lookup-only hash table behind the port and four-tuple tables: every key inserted is
// found with its value, erased keys are gone, and probe runs survive growth, wrap-around at
// the end of the slot array and the backward shift of deletion. A deliberately colliding hash
// makes long probe runs; a reference std::map says what the table must hold.
#include "stack/core/lookup_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "sim/rng.h"

namespace socksim::stack {
namespace {

// Eight distinct hashes for all keys: most keys share a probe run with many others.
struct CollidingHash {
  std::size_t operator()(std::uint32_t key) const { return key % 8; }
};

TEST(LookupTable, EmptyTableFindsNothing) {
  LookupTable<std::uint32_t, std::string, std::hash<std::uint32_t>> t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.Find(7), nullptr);
  EXPECT_FALSE(t.Erase(7));
}

TEST(LookupTable, InsertFindAndErase) {
  LookupTable<std::uint32_t, std::string, std::hash<std::uint32_t>> t;
  t[1] = "one";
  t[2] = "two";
  ASSERT_NE(t.Find(1), nullptr);
  EXPECT_EQ(*t.Find(1), "one");
  EXPECT_EQ(*t.Find(2), "two");
  EXPECT_EQ(t.size(), 2u);
  t[1] = "uno";  // an existing key is updated, not added again
  EXPECT_EQ(*t.Find(1), "uno");
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.Erase(1));
  EXPECT_EQ(t.Find(1), nullptr);
  EXPECT_FALSE(t.Erase(1));
  EXPECT_EQ(*t.Find(2), "two");
  EXPECT_EQ(t.size(), 1u);
}

TEST(LookupTable, EveryPortFitsWithTheIdentityHash) {
  // std::hash of a small integer is the identity; every 16-bit key must still be found.
  LookupTable<std::uint16_t, std::uint32_t, std::hash<std::uint16_t>> t;
  for (std::uint32_t p = 0; p <= 0xffff; ++p) t[static_cast<std::uint16_t>(p)] = p + 1;
  EXPECT_EQ(t.size(), 65536u);
  for (std::uint32_t p = 0; p <= 0xffff; ++p) {
    const auto* v = t.Find(static_cast<std::uint16_t>(p));
    ASSERT_NE(v, nullptr) << p;
    EXPECT_EQ(*v, p + 1);
  }
}

TEST(LookupTable, MatchesAReferenceMapUnderCollisions) {
  LookupTable<std::uint32_t, std::string, CollidingHash> t;
  std::map<std::uint32_t, std::string> reference;
  sim::Rng rng(11);
  for (int step = 0; step < 20000; ++step) {
    const auto key = static_cast<std::uint32_t>(rng.UniformBelow(300));
    if (rng.UniformBelow(3) == 0) {
      EXPECT_EQ(t.Erase(key), reference.erase(key) == 1) << "step " << step;
    } else {
      const std::string value = std::to_string(step);
      t[key] = value;
      reference[key] = value;
    }
    ASSERT_EQ(t.size(), reference.size()) << "step " << step;
    if (step % 97 == 0) {
      for (std::uint32_t k = 0; k < 300; ++k) {
        const auto it = reference.find(k);
        const std::string* found = t.Find(k);
        if (it == reference.end()) {
          EXPECT_EQ(found, nullptr) << "key " << k << " step " << step;
        } else {
          ASSERT_NE(found, nullptr) << "key " << k << " step " << step;
          EXPECT_EQ(*found, it->second);
        }
      }
    }
  }
}

}  // namespace
}  // namespace socksim::stack
