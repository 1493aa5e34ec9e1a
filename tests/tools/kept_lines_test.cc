// File: tests/tools/kept_lines_test.cc
// KeptLines, the strace importer's record of which log lines it keeps: a log line kept as it
// stands is read from the log itself with only its pid changed, copied the first time it is
// edited, and moved out of the log when taken; lines put at a place are held apart.
#include "tools/personality/linux/trace/kept_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace socksim::tools {
namespace {

Line Call(std::int32_t pid, const std::string& name) {
  Line l;
  l.kind = Line::Kind::kCall;
  l.call.pid = pid;
  l.call.name = name;
  return l;
}

Line Exit(std::int32_t pid) {
  Line l;
  l.kind = Line::Kind::kProcessEvent;
  l.mutable_event().kind = ProcessEvent::Kind::kExited;
  l.mutable_event().pid = pid;
  return l;
}

std::vector<Line> Log() { return {Call(100, "socket"), Call(100, "connect"), Exit(100)}; }

TEST(KeptLines, StartsWithNothingKept) {
  std::vector<Line> log = Log();
  const KeptLines kept(log);
  ASSERT_EQ(kept.size(), 3u);
  for (std::size_t k = 0; k < kept.size(); ++k) EXPECT_FALSE(kept.has(k));
}

TEST(KeptLines, ALogLineKeptAsItStandsIsTheLogsLineUnderItsNewOwner) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.KeepLogLine(1, 101);  // the thread 101 made the call strace logged under 100
  ASSERT_TRUE(kept.has(1));
  EXPECT_EQ(&kept.View(1), &log[1]);  // no copy was made
  EXPECT_EQ(kept.Owner(1), 101);
  EXPECT_EQ(log[1].call.pid, 100);  // the log itself is not changed
}

TEST(KeptLines, EditCopiesTheLogLineOnceWithItsOwnerAndLeavesTheLogAlone) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.KeepLogLine(0, 102);
  Line& edited = kept.Edit(0);
  EXPECT_NE(&edited, &log[0]);
  EXPECT_EQ(edited.call.pid, 102);
  edited.call.name = "socketpair";
  EXPECT_EQ(&kept.Edit(0), &edited);  // a second edit changes the same copy
  EXPECT_EQ(kept.View(0).call.name, "socketpair");
  EXPECT_EQ(kept.Owner(0), 102);
  EXPECT_EQ(log[0].call.name, "socket");
  EXPECT_EQ(log[0].call.pid, 100);
}

TEST(KeptLines, OwnerOfAPutLineIsItsCallsPidOrItsEventsPid) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.Put(0, Call(7, "close"));
  kept.Put(1, Exit(8));
  Line directive;
  directive.kind = Line::Kind::kDirective;
  kept.Put(2, directive);
  EXPECT_EQ(kept.Owner(0), 7);
  EXPECT_EQ(kept.Owner(1), 8);
  EXPECT_EQ(kept.Owner(2), 0);
  EXPECT_EQ(kept.View(0).call.name, "close");
}

TEST(KeptLines, OwnerOfAKeptProcessEventIsItsPid) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.KeepLogLine(2, 0);
  EXPECT_EQ(kept.Owner(2), 100);
}

TEST(KeptLines, PutReplacesAKeptLogLineAndDropKeepsNothing) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.KeepLogLine(1, 100);
  kept.Put(1, Call(100, "shutdown"));
  EXPECT_EQ(kept.View(1).call.name, "shutdown");
  EXPECT_EQ(log[1].call.name, "connect");
  kept.Drop(1);
  EXPECT_FALSE(kept.has(1));
  kept.KeepLogLine(1, 100);
  EXPECT_EQ(kept.View(1).call.name, "connect");
}

TEST(KeptLines, TakeMovesTheLineOutWithItsOwnerAndEmptiesTheSlot) {
  std::vector<Line> log = Log();
  KeptLines kept(log);
  kept.KeepLogLine(0, 103);
  kept.KeepLogLine(1, 100);
  kept.Edit(1).call.name = "accept";
  const Line first = kept.Take(0);
  EXPECT_EQ(first.call.name, "socket");
  EXPECT_EQ(first.call.pid, 103);
  EXPECT_FALSE(kept.has(0));
  const Line second = kept.Take(1);
  EXPECT_EQ(second.call.name, "accept");
  EXPECT_FALSE(kept.has(1));
  EXPECT_EQ(log[1].call.name, "connect");  // an edited line's copy was taken, not the log's
}

}  // namespace
}  // namespace socksim::tools
