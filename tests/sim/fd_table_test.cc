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
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 0);
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 1);
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 2);
  ASSERT_TRUE(t.Close(1).ok());
  EXPECT_EQ(t.Install(MakePlain(), false).value(), 1);
  EXPECT_EQ(t.Install(MakePlain(), false, 10).value(), 10);
  EXPECT_EQ(t.OpenDescriptors(), (std::vector<int>{0, 1, 2, 10}));
}

TEST(FdTable, CloseOfUnknownDescriptorIsBadDescriptor) {
  FdTable t;
  EXPECT_EQ(t.Close(3).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Close(-1).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Lookup(-1), nullptr);
}

TEST(FdTable, LimitGivesTooManyOpen) {
  FdTable t(3);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(t.Install(MakePlain(), false).ok());
  EXPECT_EQ(t.Install(MakePlain(), false).error(), FdError::kTooManyOpen);
  EXPECT_EQ(t.Dup(0).error(), FdError::kTooManyOpen);
}

TEST(FdTable, DupSharesDescriptionAndLastCloseReleasesObject) {
  int closes = 0;
  FdTable t;
  const int fd = t.Install(Make(&closes), true).value();
  const int copy = t.Dup(fd).value();
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
  FdTable t(16);
  const int fd = t.Install(MakePlain(), false).value();
  EXPECT_EQ(t.Dup2(fd, fd).value(), fd);
  EXPECT_EQ(t.Dup2(5, 5).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Dup2(fd, 16).error(), FdError::kBadDescriptor);
  EXPECT_EQ(t.Dup2(fd, 7).value(), 7);
}

TEST(FdTable, Dup2ReplacesAndClosesTarget) {
  int closes = 0;
  FdTable t;
  const int a = t.Install(MakePlain(), false).value();
  const int b = t.Install(Make(&closes), false).value();
  EXPECT_EQ(t.Dup2(a, b).value(), b);
  EXPECT_EQ(closes, 1);
  EXPECT_EQ(t.Lookup(a)->description, t.Lookup(b)->description);
}

TEST(FdTable, Dup3RejectsSameDescriptorFirst) {
  FdTable t;
  // dup3(2) ERRORS: EINVAL when oldfd equals newfd, even if oldfd is not open.
  EXPECT_EQ(t.Dup3(4, 4, false).error(), FdError::kInvalidArgument);
  const int fd = t.Install(MakePlain(), false).value();
  EXPECT_EQ(t.Dup3(fd, 9, true).value(), 9);
  EXPECT_TRUE(t.Lookup(9)->close_on_exec);
}

TEST(FdTable, CloseOnExecDropsOnlyMarked) {
  FdTable t;
  (void)t.Install(MakePlain(), true);
  (void)t.Install(MakePlain(), false);
  t.CloseOnExec();
  EXPECT_EQ(t.OpenDescriptors(), (std::vector<int>{1}));
}

TEST(FdTable, CopiedTableSharesDescriptions) {
  int closes = 0;
  FdTable parent;
  const int fd = parent.Install(Make(&closes), false).value();
  FdTable child(parent);
  EXPECT_EQ(child.Lookup(fd)->description, parent.Lookup(fd)->description);
  parent.CloseAll();
  EXPECT_EQ(closes, 0);
  child.CloseAll();
  EXPECT_EQ(closes, 1);
}

}  // namespace
}  // namespace socksim::sim
