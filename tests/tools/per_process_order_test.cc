// File: tests/tools/per_process_order_test.cc
// What orders the files of a log recorded one file per process (strace -ff): what a reader did
// not see (DataOrder), a thread's join and a process's end, datagrams told apart by their
// bytes, and `hint after` kept through a recorded scenario. Each log here is small and made so
// that the order the lines allow without the rule makes a line disagree.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "tools/personality/linux/trace/data_order.h"
#include "tools/personality/linux/trace/descriptor_reuse.h"
#include "tools/personality/linux/trace/process_merge.h"
#include "tools/personality/linux/trace/strace_import.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/writer.h"

namespace socksim::tools {
namespace {

using Edge = std::pair<std::size_t, std::size_t>;

// ---- DataOrder ---------------------------------------------------------------------------

TEST(DataOrder, ALookThatSawNothingOrdersTheWriteThatBroughtTheNextByte) {
  DataOrder order;
  order.Written("s", 3, /*line=*/10, /*owner=*/1);
  order.Written("s", 2, 11, 1);
  order.Read("s", 3, 2);
  order.Unseen("s", 20, 2);  // had taken 3 bytes: the write on line 11 came after
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{11, 20}}));
}

TEST(DataOrder, ALookBySomeoneWhoWroteItselfCountsOnlyTheOthersBytes) {
  DataOrder order;
  order.Written("c", 1, 10, /*owner=*/1);
  order.Written("c", 1, 11, 1);
  order.Written("c", 1, 30, /*owner=*/2);  // the reader's own
  order.Read("c", 2, 2);                   // one of each
  order.Unseen("c", 31, 2);
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{11, 31}}));
}

TEST(DataOrder, SeveralReadersOrderNothingButTheEnd) {
  DataOrder order;
  order.Written("s", 1, 10, 1);
  order.Written("s", 1, 11, 1);
  order.Dropped("s", 12, /*holder=*/1, /*owner=*/1);
  order.Read("s", 1, 2);
  order.Unseen("s", 20, 2, /*holder=*/2, /*holds=*/false);
  order.Unseen("s", 30, 3, 3, false);  // another reader of the same stream
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{12, 20}, {12, 30}}));
}

TEST(DataOrder, TheEndIsOrderedOnlyWhenOneOtherProcessHeldTheStream) {
  DataOrder order;
  order.Dropped("s", 12, /*holder=*/1, /*owner=*/1);
  order.Dropped("s", 13, /*holder=*/4, /*owner=*/4);
  order.Dropped("s", 14, /*holder=*/2, /*owner=*/2);  // the reader's own close
  order.Unseen("s", 20, 2, 2, false);  // 1 or 4 closed later: the log does not say which
  order.Unseen("p", 21, 2, 2, true);   // the reader held it itself: no end to wait for
  order.Dropped("p", 22, 1, 1);
  order.ShutDown("q", 23, 1);
  order.Unseen("q", 24, 2, 2, true);   // a shutdown ends it whoever holds it
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{23, 24}}));
}

TEST(DataOrder, AnEndAtAProcessExitIsNotOrderedAsAWhole) {
  DataOrder order;
  order.Dropped("s", 30, /*holder=*/3, /*owner=*/3, /*at_exit=*/true);
  order.Unseen("s", 20, 2, 2, false);  // the exit may have released another first: no order
  EXPECT_TRUE(order.Edges().empty());
}

TEST(DataOrder, ACloseBeforeTheReaderWasForkedCameBeforeItsLook) {
  DataOrder order;
  order.Dropped("s", 12, /*holder=*/1, /*owner=*/1);  // the shell's copy, closed at once
  order.Forked(1, 2, 13);                             // then it forked the reader
  order.Dropped("s", 30, /*holder=*/3, /*owner=*/3);  // the writer's last close
  order.Unseen("s", 20, 2, 2, false);
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{30, 20}}));
}

TEST(DataOrder, SeveralWritersAreOrderedOnlyByALookBeforeAnyRead) {
  DataOrder order;
  order.Written("u", 1, 10, 1);
  order.Written("u", 1, 11, 1);
  order.Written("u", 1, 20, 2);
  order.Unseen("u", 30, 3);  // nothing read yet: each writer's first datagram came later
  order.Read("u", 1, 3);
  order.Unseen("u", 31, 3);  // one read: whose, the log does not say
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{10, 30}, {20, 30}}));
}

TEST(DataOrder, DatagramsThatNameTheirSenderAreOrderedAsTheyArrived) {
  DataOrder order;
  order.Written("u", 1, 10, 1, "40001");
  order.Written("u", 1, 20, 2, "40002");
  order.Unseen("u", 30, 3);
  order.Read("u", 1, 3, "40002");  // the second sender's arrived first
  order.Unseen("u", 31, 3);
  order.Read("u", 1, 3, "40001");
  EXPECT_EQ(order.Edges(), (std::vector<Edge>{{10, 20}, {10, 31}, {20, 30}}));
}

TEST(DataOrder, TheReadersOwnWritesOrderNothing) {
  DataOrder order;
  order.Written("s", 1, 10, 1);
  order.Unseen("s", 5, 1);
  EXPECT_TRUE(order.Edges().empty());
}

// ---- DescriptorReuse ---------------------------------------------------------------------

TEST(DescriptorReuse, ANumberGivenOutAgainWaitsForTheCloseByTheThreadItWasHandedTo) {
  DescriptorReuse reuse;
  reuse.Made(/*process=*/5, /*fd=*/4, /*line=*/10, /*tid=*/5);  // accept -> 4
  reuse.ThreadMade(5, 9, 11);                                    // a thread to serve it
  reuse.Made(5, 4, 12, 5);                                       // accept -> 4 again
  reuse.Closed(5, 4, 30, 9);                                     // the thread's close, walked later
  EXPECT_EQ(reuse.Edges(), (std::vector<Edge>{{12, 30}}));
}

TEST(DescriptorReuse, ANumberTheThreadClosedItselfOrdersNothing) {
  DescriptorReuse reuse;
  reuse.Made(5, 4, 10, 5);
  reuse.ThreadMade(5, 9, 11);
  reuse.Closed(5, 4, 12, 5);
  reuse.Made(5, 4, 13, 5);
  EXPECT_TRUE(reuse.Edges().empty());
  // Two threads made in between: which one closed it, the log does not say.
  DescriptorReuse two;
  two.Made(5, 4, 10, 5);
  two.ThreadMade(5, 9, 11);
  two.ThreadMade(5, 10, 12);
  two.Made(5, 4, 13, 5);
  two.Closed(5, 4, 30, 9);
  EXPECT_TRUE(two.Edges().empty());
}

TEST(DescriptorReuse, ALineSaysWhatItMadeAndClosed) {
  const ParseResult parsed = ParseScenario(
      "5 accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4\n"
      "5 clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD) = 9\n"
      "5 accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4\n"
      "9 close(4) = 0\n",
      "t.log", ParseOptions{.strace_mode = true});
  ASSERT_TRUE(parsed.ok());
  DescriptorReuse reuse;
  for (std::size_t i = 0; i < parsed.scenario.lines.size(); ++i) reuse.Note(parsed.scenario.lines[i].call, 5, i);
  EXPECT_EQ(reuse.Edges(), (std::vector<Edge>{{2, 3}}));
}

TEST(DescriptorReuse, AHandedOverNumberIsUsedAfterItsMakingAndMadeAgainAfterItsClose) {
  DescriptorReuse reuse;  // in an order the lines allow: main accepts, a worker serves and closes
  reuse.Made(5, 16, 10, /*tid=*/5);
  reuse.Used(5, 16, 20, /*tid=*/9);
  reuse.Used(5, 16, 21, 9);  // only the first use after the making orders
  reuse.Closed(5, 16, 22, 9);
  reuse.Made(5, 16, 11, 5);  // main's second accept, told after the worker's close
  reuse.Used(5, 16, 30, /*tid=*/10);
  EXPECT_EQ(reuse.HandOverEdges(), (std::vector<Edge>{{11, 22}, {20, 10}, {30, 11}}));
}

// ---- A log made of one file per process --------------------------------------------------

// Files by pid, as strace -ff writes them (no pid on a line), joined as the CLI joins them.
Scenario PerProcessLog(const std::map<std::int32_t, std::string>& files) {
  Scenario log;
  log.file = "t";
  log.origin = ScenarioOrigin::kStrace;
  for (const auto& [pid, text] : files) {
    const std::string name = "t." + std::to_string(pid);
    const ParseResult parsed = ParseScenario(text, name, ParseOptions{.strace_mode = true});
    EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
    for (Line line : parsed.scenario.lines) {
      if (line.kind == Line::Kind::kCall) line.call.pid = pid;
      if (line.kind == Line::Kind::kProcessEvent) line.mutable_event().pid = pid;
      log.lines.push_back(std::move(line));
    }
  }
  return log;
}

ImportResult ImportPerProcess(const Scenario& log) {
  ImportOptions options;
  options.per_process_files = true;
  return ImportStrace(log, options);
}

std::string Failures(const ScenarioResult& r) {
  std::string out;
  for (const auto& v : r.verdicts) {
    if (v.status == LineVerdict::Status::kFail || v.status == LineVerdict::Status::kError) {
      out += v.location.ToString() + ": " + v.message + "\n  " + v.expected + "\n  " + v.actual + "\n";
    }
  }
  return out;
}

// The `after` hints on the kept call written at LOCATION ("t.6:2:1").
std::vector<std::string> AfterHintsAt(const Scenario& s, const std::string& location) {
  std::vector<std::string> out;
  for (const Line& l : s.lines) {
    const bool call = l.kind == Line::Kind::kCall && l.call.location.ToString() == location;
    const bool event =
        l.kind == Line::Kind::kProcessEvent && l.event().location.ToString() == location;
    if (!call && !event) continue;
    for (const auto& h : call ? l.call.hints : l.event().hints) {
      if (h.kind == "after") out.push_back(h.value);
    }
  }
  return out;
}

ScenarioResult RunText(const std::string& text) {
  const ParseResult parsed = ParseScenario(text, "t.scn");
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return RunScenario(parsed.scenario);
}

constexpr const char* kFork =
    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n";

// The child looked before the parent wrote: its poll saw nothing to read. The parent's write
// would otherwise run first (the child's close before the poll has an effect too).
TEST(PerProcessOrder, AWriteWaitsForTheLookThatDidNotSeeIt) {
  const Scenario log = PerProcessLog({
      {5, std::string("socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n") + kFork +
              "write(3, \"x\", 1) = 1\n"
              "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "poll([{fd=4, events=POLLIN}], 1, 0) = 0 (Timeout)\n"
          "read(4, \"x\", 1) = 1\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:3:1"), (std::vector<std::string>{"t.6:2:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// A pipe's last writer closed only after the reader's look that saw no end of file.
TEST(PerProcessOrder, AStreamsEndWaitsForTheLookThatSawNoEnd) {
  const Scenario log = PerProcessLog({
      {5, std::string("pipe2([3, 4], 0) = 0\n") + kFork +
              "close(3) = 0\n"
              "close(4) = 0\n"
              "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(4) = 0\n"
          "poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)\n"
          "read(3, \"\", 1) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:4:1"), (std::vector<std::string>{"t.6:2:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// pthread_join: the main thread waits on the word CLONE_CHILD_CLEARTID clears, and closes the
// thread's socket only after the thread is done with it.
TEST(PerProcessOrder, AJoinerGoesOnAfterTheThreadItJoined) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
          "clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
          "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f00000009d0, "
          "parent_tid=0x7f00000009d0, exit_signal=0, stack=0x7f0000000000, stack_size=0x7fff00, "
          "tls=0x7f0000000a00} => {parent_tid=[6]}, 88) = 6\n"
          "futex(0x7f00000009d0, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 6, NULL, FUTEX_BITSET_MATCH_ANY) = 0\n"
          "close(3) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "getsockname(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0\n"
          "exit(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:4:1"), (std::vector<std::string>{"t.6:4:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// The joiner is also held in the proposed order: its close follows the thread's lines.
TEST(PerProcessOrder, TheProposedOrderHoldsAJoinerUntilTheThreadIsDone) {
  const Scenario log = PerProcessLog({
      {5, "clone(child_stack=0x7f0000000000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
          "CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, parent_tid=[6], "
          "tls=0x7f0000000a00, child_tidptr=0x7f00000009d0) = 6\n"
          "futex(0x7f00000009d0, FUTEX_WAIT, 6, NULL) = 0\n"
          "close(3) = 0\n"},
      {6, "getpid() = 5\n"
          "getpid() = 5\n"},
  });
  const Scenario merged = MergePerProcessFiles(log);
  std::vector<std::string> order;
  for (const Line& l : merged.lines) order.push_back(l.call.location.ToString());
  EXPECT_EQ(order, (std::vector<std::string>{"t.5:1:1", "t.5:2:1", "t.6:1:1", "t.6:2:1", "t.5:3:1"}));
}

// A threaded server: the second accept returns 4 again because the first connection's thread
// closed it; the proposed order and the run both put that close first.
TEST(PerProcessOrder, AnAcceptReturningANumberAgainWaitsForTheThreadsClose) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "listen(3, 5) = 0\n"
          "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
          "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4\n"
          "clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD) = 7\n"
          "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 4\n"
          "close(4) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
          "connect(4, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {7, "getsockname(4, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0\n"
          "close(4) = 0\n"
          "+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:7:1"), (std::vector<std::string>{"t.7:2:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// A server's main thread accepts, hands the connection to a worker made long before (through
// an eventfd), and accepts the next one as the same number once the worker closed it. No
// thread was made in between: the proposed order holds the second accept while the number is
// open, and the run holds it while the number is still taken.
TEST(PerProcessOrder, ANumberStillOpenIsGivenOutOnlyAfterItsClose) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "listen(3, 5) = 0\n"
          "eventfd2(0, EFD_CLOEXEC) = 4\n"
          "clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD, child_tidptr=0x7f00000009d0) = 7\n"
          "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
          "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 5\n"
          "write(4, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8\n"
          "accept4(3, NULL, NULL, SOCK_CLOEXEC) = 5\n"
          "getsockname(5, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "close(4) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
          "connect(4, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {7, "read(4, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8\n"
          "getsockname(5, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0\n"
          "close(5) = 0\n"
          "+++ exited with 0 +++\n"},
  });
  const Scenario merged = MergePerProcessFiles(log);
  std::vector<std::string> order;
  for (const Line& l : merged.lines) {
    if (l.kind == Line::Kind::kCall && (l.call.name == "accept4" || l.call.name == "close")) {
      order.push_back(l.call.location.ToString());
    }
  }
  const auto close_at = std::find(order.begin(), order.end(), "t.7:3:1");
  const auto second_accept_at = std::find(order.begin(), order.end(), "t.5:9:1");
  ASSERT_NE(close_at, order.end());
  EXPECT_LT(close_at, second_accept_at);
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:9:1"), (std::vector<std::string>{"t.7:3:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// The run alone: under `interleaving unknown` a socket() whose recorded number is still open
// waits for the close of that number, by another thread.
TEST(PerProcessOrder, TheRunHoldsACallWhoseNumberIsStillOpen) {
  const std::string text =
      "personality linux\n"
      "interleaving unknown\n"
      "host h\n"
      "process 5 host=h\n"
      "5 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "5 clone(flags=CLONE_VM|CLONE_THREAD) = 6\n"
      "5 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"
      "6 close(3) = 0\n";
  const ScenarioResult r = RunText(text);
  EXPECT_TRUE(r.ok()) << Failures(r);
  EXPECT_LT(r.trace.find("6 close(3)"), r.trace.find("SOCK_DGRAM")) << r.trace;
  EXPECT_EQ(r.orders_tried, 0u);  // the first order was right: no search for another
}

// An eventfd read takes the whole count: the second write came after the first read.
TEST(PerProcessOrder, AnEventfdReadOrdersTheWritesItDidNotTake) {
  const Scenario log = PerProcessLog({
      {5, "eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 3\n"
          "clone(child_stack=NULL, flags=CLONE_VM|CLONE_THREAD, child_tidptr=0x7f00000009d0) = 6\n"
          "write(3, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8\n"
          "write(3, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "read(3, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 1024) = 8\n"
          "read(3, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 1024) = 8\n"
          "+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:4:1"), (std::vector<std::string>{"t.6:1:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// Two clients' datagrams, received in the order opposite to the files': each receipt's bytes
// name its sender, so each client's port is the one its datagram came from.
TEST(PerProcessOrder, DatagramsAreMatchedToTheirSendersByTheirBytes) {
  const std::string server =
      "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 7\n"
      "recvfrom(3, \"seven\", 64, 0, {sa_family=AF_INET, sin_port=htons(40007), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 5\n"
      "recvfrom(3, \"six\", 64, 0, {sa_family=AF_INET, sin_port=htons(40006), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 3\n"
      "exit_group(0) = ?\n+++ exited with 0 +++\n";
  auto client = [](const char* data, int n) {
    return std::string("close(3) = 0\n"
                       "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
                       "sendto(3, \"") +
           data + "\", " + std::to_string(n) +
           ", 0, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = " +
           std::to_string(n) + "\nexit_group(0) = ?\n+++ exited with 0 +++\n";
  };
  const Scenario log = PerProcessLog({{5, server}, {6, client("six", 3)}, {7, client("seven", 5)}});
  const ImportResult imported = ImportPerProcess(log);
  std::map<std::string, std::string> port_of;  // sendto location -> adopted port
  for (const Line& l : imported.scenario.lines) {
    if (l.kind != Line::Kind::kCall || l.call.name != "sendto") continue;
    if (const auto* h = l.call.FindHint("port")) port_of[l.call.location.ToString()] = h->value;
  }
  EXPECT_EQ(port_of, (std::map<std::string, std::string>{{"t.6:3:1", "40006"}, {"t.7:3:1", "40007"}}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// A shell runs two clients one after the other (wait4 reaps the first before the second
// starts); the files alone do not say which connected first, the reaping does.
TEST(PerProcessOrder, AReapedChildsLinesComeBeforeTheWaitersNext) {
  const std::string server =
      "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "listen(3, 5) = 0\n"
      "accept(3, {sa_family=AF_INET, sin_port=htons(40007), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 4\n"
      "read(4, \"first\", 64) = 5\n"
      "accept(3, {sa_family=AF_INET, sin_port=htons(40008), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 5\n"
      "read(5, \"second\", 64) = 6\n"
      "exit_group(0) = ?\n+++ exited with 0 +++\n";
  auto client = [](const char* data, int n) {
    return std::string("close(3) = 0\n"
                       "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                       "connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
                       "write(3, \"") +
           data + "\", " + std::to_string(n) + ") = " + std::to_string(n) +
           "\nexit_group(0) = ?\n+++ exited with 0 +++\n";
  };
  const std::string shell =
      "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "listen(3, 5) = 0\n"
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 8\n"
      "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 8\n"
      "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 7\n"
      "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n"
      "exit_group(0) = ?\n+++ exited with 0 +++\n";
  // The server is 6 (its socket is the shell's, inherited); 7's file comes before 8's.
  std::string server_file = server.substr(server.find("accept"));
  const Scenario log = PerProcessLog({{5, shell}, {6, server_file}, {7, client("second", 6)}, {8, client("first", 5)}});
  const ImportResult imported = ImportPerProcess(log);
  EXPECT_EQ(AfterHintsAt(imported.scenario, "t.5:7:1"), (std::vector<std::string>{"t.8:6:1"}));
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// The reader's line is walked before the connection is paired (the client's process waits
// for a child of its own first): the bytes strace cut from the write are still taken from
// the read.
TEST(PerProcessOrder, ACutWriteTakesItsBytesFromAReadWalkedBeforeThePairing) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_UNIX, SOCK_STREAM, 0) = 3\n"
          "bind(3, {sa_family=AF_UNIX, sun_path=\"s.sock\"}, 9) = 0\n"
          "listen(3, 5) = 0\n"
          "accept(3, NULL, NULL) = 4\n"
          "read(4, \"abcdefgh\", 8) = 8\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "socket(AF_UNIX, SOCK_STREAM, 0) = 3\n"
          "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 7\n"
          "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 7\n"
          "connect(3, {sa_family=AF_UNIX, sun_path=\"s.sock\"}, 9) = 0\n"
          "write(3, \"abc\"..., 8) = 8\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {7, "getpid() = 7\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  // The proposed order has the read before the connect.
  const Scenario merged = MergePerProcessFiles(log);
  std::size_t read_at = 0, connect_at = 0;
  for (std::size_t i = 0; i < merged.lines.size(); ++i) {
    if (merged.lines[i].kind != Line::Kind::kCall) continue;
    if (merged.lines[i].call.name == "read") read_at = i;
    if (merged.lines[i].call.name == "connect") connect_at = i;
  }
  EXPECT_LT(read_at, connect_at);
  const ImportResult imported = ImportPerProcess(log);
  std::string written;
  for (const Line& l : imported.scenario.lines) {
    if (l.kind == Line::Kind::kCall && l.call.name == "write" && l.call.args.size() >= 2) written = l.call.args[1].text;
  }
  EXPECT_EQ(written, "abcdefgh");
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// A server's epoll wait reported nothing (its listener level-triggered for input): the
// client's connect came after it.
TEST(PerProcessOrder, AnEpollWaitThatReportedNothingOrdersTheConnectAfterIt) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "listen(3, 5) = 0\n"
          "epoll_create1(EPOLL_CLOEXEC) = 4\n"
          "epoll_ctl(4, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}) = 0\n"
          "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
          "getpid() = 5\n"
          "epoll_wait(4, [], 16, 0) = 0\n"
          "epoll_wait(4, [{events=EPOLLIN, data={u32=3, u64=3}}], 16, -1) = 1\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "close(4) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  const auto hints = AfterHintsAt(imported.scenario, "t.6:4:1");
  EXPECT_NE(std::find(hints.begin(), hints.end(), "t.5:8:1"), hints.end());
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// The server's getpeername shows the client's port; the client's file, walked later, pairs the
// connection: its connect still adopts that port.
TEST(PerProcessOrder, AGetpeernameRevealsThePortOfAPeerPairedLater) {
  const Scenario log = PerProcessLog({
      {5, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "listen(3, 5) = 0\n"
          "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 6\n"
          "accept(3, NULL, NULL) = 4\n"
          "getpeername(4, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
          "connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  std::string port;
  for (const Line& l : imported.scenario.lines) {
    if (l.kind == Line::Kind::kCall && l.call.name == "connect") {
      if (const auto* h = l.call.FindHint("port")) port = h->value;
    }
  }
  EXPECT_EQ(port, "41234");
  const ScenarioResult r = RunScenario(imported.scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

// The counts are the log's: a write or read claiming a petabyte, a recvmmsg claiming 2^40
// messages, cost no more than the bytes the lines show.
TEST(PerProcessOrder, HugeCountsInALogCostOnlyWhatItShows) {
  const Scenario log = PerProcessLog({
      {5, std::string("socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n") + kFork +
              "write(3, \"ab\"..., 1000000000000000) = 1000000000000000\n"
              "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5\n"
              "bind(5, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
              "recvmmsg(5, 0x7f0000000000, 1099511627776, 0, NULL) = 1099511627776\n"
              "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "poll([{fd=4, events=POLLIN}], 1, 0) = 0 (Timeout)\n"
          "read(4, \"abcd\"..., 1000000000000000) = 1000000000000000\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ImportResult imported = ImportPerProcess(log);
  std::string written;
  for (const Line& l : imported.scenario.lines) {
    if (l.kind == Line::Kind::kCall && l.call.name == "write" && l.call.args.size() >= 2) written = l.call.args[1].text;
  }
  EXPECT_EQ(written, "abcd");  // what the read showed, and no more
}

// ---- The runner and the written scenario -------------------------------------------------

// exit_group ends every thread: a thread's own lines, printed before, run first.
TEST(PerProcessOrder, AProcessEndWaitsForItsThreadsLines) {
  const std::string text =
      "personality linux\n"
      "interleaving unknown\n"
      "host h\n"
      "process 5 host=h\n"
      "5 clone(flags=CLONE_VM|CLONE_THREAD) = 6\n"
      "5 +++ exited with 0 +++\n"
      "6 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n";
  const ScenarioResult r = RunText(text);
  EXPECT_TRUE(r.ok()) << Failures(r);
  EXPECT_EQ(r.passed, 2);
}

// `hint after=N` names line N of the scenario's own file; a process's end can carry one.
TEST(PerProcessOrder, AfterByLineNumberOrdersAProcessEnd) {
  const std::string text =
      "personality linux\n"
      "interleaving unknown\n"
      "host h\n"
      "process 5 host=h\n"
      "process 6 host=h\n"
      "5 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
      "hint after=9\n"
      "5 +++ exited with 0 +++\n"
      "6 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n";
  const ScenarioResult r = RunText(text);
  EXPECT_TRUE(r.ok()) << Failures(r);
  // Without it the end runs in file order, before 6's line: the same, checked by the trace.
  const std::string& order = r.trace;
  ASSERT_NE(order.find("6 socket"), std::string::npos) << order;
  EXPECT_LT(order.find("6 socket"), order.find("5 +++ exited")) << order;
}

// An exit releases its descriptors highest first: another process's poll on both pipes'
// read ends returns with the first release only, as the log says.
TEST(PerProcessOrder, APollCanReturnBetweenAnExitsReleases) {
  const Scenario log = PerProcessLog({
      {5, std::string("pipe2([3, 4], 0) = 0\n"
                      "pipe2([5, 6], 0) = 0\n") +
              kFork +
              "close(4) = 0\n"
              "close(6) = 0\n"
              "poll([{fd=3, events=POLLIN}, {fd=5, events=POLLIN}], 2, -1) = 1 ([{fd=5, revents=POLLHUP}])\n"
              "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "close(5) = 0\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const ScenarioResult r = RunScenario(ImportPerProcess(log).scenario);
  EXPECT_TRUE(r.ok()) << Failures(r);
  EXPECT_EQ(r.orders_tried, 0u);
}

// A recorded import names the lines its hints wait for by their line in the written file,
// and runs as the import did.
TEST(PerProcessOrder, AWrittenImportKeepsItsOrder) {
  const Scenario log = PerProcessLog({
      {5, std::string("socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n") + kFork +
              "write(3, \"x\", 1) = 1\n"
              "exit_group(0) = ?\n+++ exited with 0 +++\n"},
      {6, "close(3) = 0\n"
          "poll([{fd=4, events=POLLIN}], 1, 0) = 0 (Timeout)\n"
          "read(4, \"x\", 1) = 1\n"
          "exit_group(0) = ?\n+++ exited with 0 +++\n"},
  });
  const std::string text = FormatScenarioText(ImportPerProcess(log).scenario);
  const std::size_t at = text.find("hint after=");
  ASSERT_NE(at, std::string::npos);
  const std::string target = text.substr(at + 11, text.find('\n', at) - at - 11);
  ASSERT_FALSE(target.empty());
  EXPECT_EQ(target.find_first_not_of("0123456789"), std::string::npos) << target;
  // Line `target` of the written file is the poll it waits for.
  std::size_t line_start = 0;
  for (int n = 1; n < std::stoi(target); ++n) line_start = text.find('\n', line_start) + 1;
  EXPECT_EQ(text.compare(line_start, 7, "6 poll("), 0) << text;
  const ScenarioResult r = RunText(text);
  EXPECT_TRUE(r.ok()) << Failures(r);
}

}  // namespace
}  // namespace socksim::tools
