// File: tests/sim/fd_table_test.cc
// Descriptor numbering, sharing of open file descriptions, dup rules and the EMFILE limit.
#include "sim/fd_table.h"

#include <gtest/gtest.h>

namespace socksim::sim {
namespace {

class CountingFile : public FileObject {
 public:
  explicit CountingFile(int* closes) : closes_(closes) {}
  FileKind kind() const override { return FileKind::kSocket; }
  void OnLastClose() override { ++*closes_; }

 private:
  int* closes_;
};

OfdRef Make(int* closes) {
  return std::make_shared<OpenFileDescription>(std::make_shared<CountingFile>(closes), StatusFlags{});
}

OfdRef MakePlain() {
  return std::make_shared<OpenFileDescription>(
      std::make_shared<PlainFile>(FileKind::kRegularFile, "/dev/null"), StatusFlags{});
}

TEST(FdTable, LowestFreeNumberIsUsed) {
  FdTable t;
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 0u);
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 1u);
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 2u);
  ASSERT_TRUE(t.Close(1).ok());
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 1u);
  EXPECT_EQ(t.Install(MakePlain(), false, 10).value(), 10u);
  EXPECT_EQ(t.OpenDescriptors(), (std::vector<Handle>{0, 1, 2, 10}));
}

TEST(FdTable, CloseOfUnknownDescriptorIsBadDescriptor) {
  FdTable t;
  EXPECT_EQ(t.Close(3).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Close(~Handle{0}).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Lookup(~Handle{0}), nullptr);
}

TEST(FdTable, LimitGivesTooManyOpen) {
  FdTable t(HandleNumbering::LowestFree(), 3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(t.Install(MakePlain(), false).ok());
  EXPECT_EQ(t.Install(MakePlain(), false).error(), FdError::kTooManyOpen);
  EXPECT_EQ(t.Dup(0).error(), FdError::kTooManyOpen);
}

TEST(FdTable, DupSharesDescriptionAndLastCloseReleasesObject) {
  int closes = 0;
  FdTable t;
  const Handle fd = t.Install(Make(&closes), true).value();
  const Handle copy = t.Dup(fd).value();
  EXPECT_EQ(t.Lookup(fd)->description, t.Lookup(copy)->description);
  EXPECT_FALSE(t.Lookup(copy)->close_on_exec);
  t.Lookup(fd)->description->flags().nonblocking = true;
  EXPECT_TRUE(t.Lookup(copy)->description->flags().nonblocking);
  ASSERT_TRUE(t.Close(fd).ok());
  EXPECT_EQ(closes, 0);
  ASSERT_TRUE(t.Close(copy).ok());
  EXPECT_EQ(closes, 1);
}

TEST(FdTable, Dup2SameDescriptorAndRangeRules) {
  FdTable t(HandleNumbering::LowestFree(), 16);
  const Handle fd = t.Install(MakePlain(), false).value();
  EXPECT_EQ(t.Dup2(fd, fd).value(), fd);
  EXPECT_EQ(t.Dup2(5, 5).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Dup2(fd, 16).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Dup2(fd, 7).value(), 7u);
}

TEST(FdTable, Dup2ReplacesAndClosesTarget) {
  int closes = 0;
  FdTable t;
  const Handle a = t.Install(MakePlain(), false).value();
  const Handle b = t.Install(Make(&closes), false).value();
  EXPECT_EQ(t.Dup2(a, b).value(), b);
  EXPECT_EQ(closes, 1);
  EXPECT_EQ(t.Lookup(a)->description, t.Lookup(b)->description);
}

TEST(FdTable, InstallAtKeepsCloseOnExec) {
  FdTable t;
  const Handle fd = t.Install(MakePlain(), false).value();
  EXPECT_EQ(t.InstallAt(9, t.Lookup(fd)->description, true).value(), 9u);
  EXPECT_TRUE(t.Lookup(9)->close_on_exec);
}

TEST(FdTable, CloseOnExecDropsOnlyMarked) {
  FdTable t;
  (void)t.Install(MakePlain(), true);
  (void)t.Install(MakePlain(), false);
  t.CloseOnExec();
  EXPECT_EQ(t.OpenDescriptors(), (std::vector<Handle>{1}));
}

TEST(FdTable, CopiedTableSharesDescriptions) {
  int closes = 0;
  FdTable parent;
  const Handle fd = parent.Install(Make(&closes), false).value();
  FdTable child(parent);
  EXPECT_EQ(child.Lookup(fd)->description, parent.Lookup(fd)->description);
  parent.CloseAll();
  EXPECT_EQ(closes, 0);
  child.CloseAll();
  EXPECT_EQ(closes, 1);
}

}  // namespace
}  // namespace socksim::sim
