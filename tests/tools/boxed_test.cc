// File: tests/tools/boxed_test.cc
// Boxed and BoxedString, the out-of-line members of parsed lines and values: they behave as
// the plain member did (a copy is a copy, an unwritten one reads as empty), hold nothing on the
// heap until written, and an empty string stored frees what was held. The parser's use of
// them must leave what a line reads unchanged: the rest of the suite and the byte-identical
// corpus check that; these check the types on their own.
#include "tools/scenario/boxed.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {
namespace {

struct Pair {
  int a = 0;
  std::vector<int> b;
};

TEST(Boxed, AnUnwrittenBoxReadsAsADefaultValueAndHoldsNothing) {
  const Boxed<Pair> box;
  EXPECT_FALSE(box.written());
  EXPECT_EQ(box.Get().a, 0);
  EXPECT_TRUE(box.Get().b.empty());
}

TEST(Boxed, WritingMakesTheValueAndACopyIsIndependent) {
  Boxed<Pair> box;
  box.Mutable().a = 7;
  box.Mutable().b.push_back(1);
  ASSERT_TRUE(box.written());
  Boxed<Pair> copy = box;
  copy.Mutable().a = 8;
  EXPECT_EQ(box.Get().a, 7);
  EXPECT_EQ(copy.Get().a, 8);
  EXPECT_EQ(copy.Get().b, std::vector<int>{1});
  Boxed<Pair> assigned;
  assigned = box;
  EXPECT_EQ(assigned.Get().a, 7);
  // Copying an unwritten box gives an unwritten one (no heap use for the copy).
  const Boxed<Pair> empty;
  Boxed<Pair> from_empty = empty;
  EXPECT_FALSE(from_empty.written());
}

TEST(Boxed, AMovedFromBoxReadsAsDefault) {
  Boxed<Pair> box;
  box.Mutable().a = 3;
  Boxed<Pair> moved = std::move(box);
  EXPECT_EQ(moved.Get().a, 3);
  EXPECT_EQ(box.Get().a, 0);  // the documented moved-from state
}

TEST(BoxedString, ReadsAndComparesAsTheStringStored) {
  BoxedString s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.str(), "");
  s = "/etc/hosts";
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(s.size(), 10u);
  EXPECT_EQ(s, "/etc/hosts");
  EXPECT_EQ(s, std::string("/etc/hosts"));
  const std::string& as_string = s;
  EXPECT_EQ(as_string, "/etc/hosts");
  BoxedString copy = s;
  copy = "TCP:[1]";
  EXPECT_EQ(s, "/etc/hosts");
  EXPECT_FALSE(copy == s);
}

TEST(BoxedString, AppendsAsAStringDoes) {
  BoxedString s;
  s += std::string_view();
  EXPECT_TRUE(s.empty());  // appending nothing stores nothing
  s += "TSYSERR";
  s += ' ';
  s += "ENOTCONN";
  EXPECT_EQ(s, "TSYSERR ENOTCONN");
}

TEST(BoxedString, StoringAnEmptyStringOrClearingFreesIt) {
  BoxedString s("@");
  ASSERT_FALSE(s.empty());
  s = std::string();
  EXPECT_TRUE(s.empty());
  s = "x";
  s.clear();
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s, "");
}

TEST(BoxedVector, ReadsAsTheVectorStoredAndHoldsNothingWhileEmpty) {
  BoxedVector<std::string> flags;
  EXPECT_TRUE(flags.empty());
  EXPECT_EQ(flags.size(), 0u);
  EXPECT_EQ(flags.begin(), flags.end());
  flags.push_back("SOCK_STREAM");
  flags.emplace_back("SOCK_CLOEXEC");
  EXPECT_EQ(flags, (std::vector<std::string>{"SOCK_STREAM", "SOCK_CLOEXEC"}));
  EXPECT_EQ(flags[1], "SOCK_CLOEXEC");
  EXPECT_EQ(flags.front(), "SOCK_STREAM");
  BoxedVector<std::string> copy = flags;
  copy.push_back("O_NONBLOCK");
  EXPECT_EQ(flags.size(), 2u);
  EXPECT_EQ(copy.size(), 3u);
  flags = std::vector<std::string>{};
  EXPECT_TRUE(flags.empty());
  copy.clear();
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(sizeof(BoxedVector<std::string>), sizeof(void*));
}

// The reason for the types: a line of a log is a call, and a value rarely has a decoration,
// a tag or an annotation. What each costs is measured in bench/ (sizeof_line, sizeof_value);
// here only that the boxed members take a pointer's room, not their own.
TEST(BoxedString, TakesAPointersRoom) {
  EXPECT_EQ(sizeof(BoxedString), sizeof(void*));
  EXPECT_EQ(sizeof(FileName), sizeof(void*));  // the shared name of every location
  EXPECT_LT(sizeof(Line), sizeof(CallLine) + sizeof(Directive));
}

TEST(Line, TheBoxedKindsReadEmptyOnACallLineAndAreWrittenOnTheirOwn) {
  Line call;
  call.kind = Line::Kind::kCall;
  call.call.name = "getpeername";
  EXPECT_EQ(call.directive().keyword, "");
  EXPECT_EQ(call.event().pid, 0);
  EXPECT_EQ(call.unreadable().text, "");
  Line event;
  event.kind = Line::Kind::kProcessEvent;
  event.mutable_event().pid = 100;
  const Line copy = event;
  event.mutable_event().pid = 101;
  EXPECT_EQ(copy.event().pid, 100);
  EXPECT_EQ(event.event().pid, 101);
}

// FileName counts its holders beside the name: a copy keeps the name alive after the original
// goes, and moved or reassigned names are released (AddressSanitizer checks the frees).
TEST(FileName, ACopyKeepsTheNameAfterTheOriginalGoes) {
  FileName copy;
  EXPECT_EQ(copy, "");
  {
    const FileName original("a.scn");
    copy = original;
    FileName moved = std::move(copy);
    copy = moved;
  }
  EXPECT_EQ(copy, "a.scn");
  copy = FileName("b.scn");
  EXPECT_EQ(copy.str(), "b.scn");
}

}  // namespace
}  // namespace socksim::tools
