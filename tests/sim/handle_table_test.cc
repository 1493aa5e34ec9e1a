// File: tests/sim/handle_table_test.cc
// Handle numbering: POSIX lowest-free (POSIX.1-2017 XSH 2.14) found through occupied runs,
// limits, explicit placement, and Windows-style sequential handle values that are never reused.
#include "sim/handle_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace socksim::sim {
namespace {

TEST(HandleTable, LowestFreeFillsHolesInOrder) {
  HandleTable<std::string> t;
  for (int i = 0; i < 5; ++i) ASSERT_EQ(t.Insert("x").value(), static_cast<Handle>(i));
  ASSERT_TRUE(t.Remove(3).ok());
  ASSERT_TRUE(t.Remove(1).ok());
  EXPECT_EQ(t.Insert("a").value(), 1u);
  EXPECT_EQ(t.Insert("b").value(), 3u);
  EXPECT_EQ(t.Insert("c").value(), 5u);
  EXPECT_EQ(t.runs(), 1u);
}

TEST(HandleTable, MinimumIsHonouredAndRunsMerge) {
  HandleTable<int> t;
  EXPECT_EQ(t.Insert(1, 10).value(), 10u);
  EXPECT_EQ(t.Insert(2, 10).value(), 11u);
  EXPECT_EQ(t.Insert(3, 9).value(), 9u);
  EXPECT_EQ(t.runs(), 1u);
  EXPECT_EQ(t.Insert(4).value(), 0u);
  EXPECT_EQ(t.runs(), 2u);
  EXPECT_EQ(t.NextFree(9), 12u);
}

TEST(HandleTable, LimitGivesTableFull) {
  HandleTable<int> t(HandleNumbering::LowestFree(), 2);
  ASSERT_TRUE(t.Insert(0).ok());
  ASSERT_TRUE(t.Insert(0).ok());
  EXPECT_EQ(t.Insert(0).error(), HandleError::kTableFull);
  EXPECT_EQ(t.InsertAt(2, 0).error(), HandleError::kOutOfRange);
  EXPECT_FALSE(t.NextFree(0).has_value());
}

TEST(HandleTable, FarHandleDoesNotFillTheGap) {
  // A descriptor placed far up (a trace's fd 1048576) costs one entry and one run, not the
  // million numbers below it.
  HandleTable<int> t;
  ASSERT_TRUE(t.InsertAt(1u << 20, 7).ok());
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.runs(), 1u);
  EXPECT_EQ(t.Insert(0).value(), 0u);
  EXPECT_EQ(t.NextFree(1u << 20), (1u << 20) + 1);
}

TEST(HandleTable, InsertAtReplacesAndHandsBackTheOldEntry) {
  HandleTable<std::string> t;
  ASSERT_TRUE(t.Insert("old").ok());
  std::optional<std::string> replaced;
  EXPECT_EQ(t.InsertAt(0, "new", &replaced).value(), 0u);
  EXPECT_EQ(replaced, "old");
  EXPECT_EQ(*t.Find(0), "new");
}

TEST(HandleTable, RemoveSplitsARun) {
  HandleTable<int> t;
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(t.Insert(i).ok());
  ASSERT_TRUE(t.Remove(2).ok());
  EXPECT_EQ(t.runs(), 2u);
  EXPECT_EQ(t.Remove(2).error(), HandleError::kNotFound);
  EXPECT_EQ(t.Handles(), (std::vector<Handle>{0, 1, 3, 4, 5}));
}

TEST(HandleTable, SequentialValuesAreNeverReused) {
  // Windows-style SOCKET values: multiples of four from a base, a closed value not handed out
  // again (../shared/reference/windows.md (c) "Handles").
  HandleTable<int> t(HandleNumbering::Sequential(0x100, 4));
  EXPECT_EQ(t.Insert(0).value(), 0x100u);
  EXPECT_EQ(t.Insert(0).value(), 0x104u);
  ASSERT_TRUE(t.Remove(0x100).ok());
  EXPECT_EQ(t.Insert(0).value(), 0x108u);
  // A value placed by hand is skipped, not shared.
  ASSERT_TRUE(t.InsertAt(0x10c, 1).ok());
  EXPECT_EQ(t.Insert(0).value(), 0x110u);
}

TEST(HandleTable, SequentialNumberingStopsAtTheEndOfTheSpace) {
  HandleTable<int> t(HandleNumbering::Sequential(~Handle{0} - 8, 4));
  EXPECT_TRUE(t.Insert(0).ok());
  EXPECT_TRUE(t.Insert(0).ok());
  EXPECT_EQ(t.Insert(0).error(), HandleError::kTableFull);
}

TEST(HandleTable, ManyDescriptorsStayOneRun) {
  HandleTable<int> t;
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(t.Insert(i).ok());
  EXPECT_EQ(t.runs(), 1u);
  ASSERT_TRUE(t.Remove(50000).ok());
  EXPECT_EQ(t.Insert(0).value(), 50000u);
  EXPECT_EQ(t.Insert(0).value(), 100000u);
}

TEST(HandleTable, EntriesStayPutWhileOthersComeAndGo) {
  // Find's pointer is good until its own entry is removed, however many entries are added or
  // removed around it (descriptor calls hold one while they install another).
  HandleTable<std::string> t;
  ASSERT_TRUE(t.Insert("first").ok());
  const std::string* first = t.Find(0);
  for (int i = 1; i < 5000; ++i) ASSERT_TRUE(t.Insert(std::to_string(i)).ok());
  for (Handle h = 4999; h >= 1000; --h) ASSERT_TRUE(t.Remove(h).ok());
  EXPECT_EQ(t.Find(0), first);
  EXPECT_EQ(*first, "first");
  EXPECT_EQ(t.size(), 1000u);
}

TEST(HandleTable, NearAndFarHandlesListInAscendingOrder) {
  // Handles counted up from 0 and ones placed far above them (kept apart, with every handle
  // that later passes them) list, close and are found alike.
  HandleTable<int> t;
  ASSERT_TRUE(t.InsertAt(500, 5).ok());
  ASSERT_TRUE(t.InsertAt(100000, 6).ok());
  for (int i = 0; i < 600; ++i) ASSERT_TRUE(t.Insert(i).ok());
  const std::vector<Handle> handles = t.Handles();
  ASSERT_EQ(handles.size(), 602u);
  EXPECT_TRUE(std::is_sorted(handles.begin(), handles.end()));
  EXPECT_EQ(handles.back(), 100000u);
  EXPECT_EQ(*t.Find(500), 5);
  EXPECT_EQ(*t.Find(600), 599);
  EXPECT_EQ(t.Find(601), nullptr);
  EXPECT_EQ(t.First(), 0u);
  const auto odd = t.RemoveIf([](Handle h, const int&) { return h % 2 == 1; });
  EXPECT_EQ(odd.size(), 300u);
  EXPECT_EQ(t.Find(1), nullptr);
  EXPECT_EQ(*t.Find(100000), 6);
  ASSERT_TRUE(t.Remove(0).ok());
  EXPECT_EQ(t.First(), 2u);
  EXPECT_EQ(t.Remove(0).error(), HandleError::kNotFound);
  EXPECT_EQ(t.size(), 301u);
}

}  // namespace
}  // namespace socksim::sim
