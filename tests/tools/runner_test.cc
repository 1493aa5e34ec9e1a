// File: tests/tools/runner_test.cc
// The scenario runner: verdicts, locations, split calls, control directives, recording and
// determinism. Scenarios are small inline texts.
#include "tools/scenario/runner.h"

#include <gtest/gtest.h>

#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"

namespace socksim::tools {
namespace {

constexpr const char* kHeader =
    "personality linux\n"
    "host a\n"
    "host b\n"
    "link a b latency=1ms a=10.0.0.1/24 b=10.0.0.2/24\n"
    "process 100 host=a uid=1000 gid=1000\n"
    "process 200 host=b uid=0 gid=0\n";

ScenarioResult RunText(const std::string& body, std::optional<std::uint64_t> seed = std::nullopt) {
  const ParseResult parsed = ParseScenario(std::string(kHeader) + body, "t.scn");
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return RunScenario(parsed.scenario, RunOptions{seed});
}

constexpr const char* kServer =
    "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "200 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
    "200 listen(3, 8) = 0\n";

TEST(Runner, PassingScenarioCountsEveryCall) {
  const auto r = RunText(std::string(kServer) +
                     "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                     "100 getpeername(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, [128 => 16]) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 6);
  EXPECT_EQ(r.failed, 0);
}

TEST(Runner, DivergenceReportsLocationExpectedActualAndWhy) {
  const auto r = RunText("100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 EBADF (Bad file descriptor)\n");
  ASSERT_EQ(r.failed, 1);
  const LineVerdict& v = r.verdicts.at(0);
  EXPECT_EQ(v.location.line, 8);
  EXPECT_EQ(v.message, "error differs");
  EXPECT_NE(v.actual.find("ENOTCONN"), std::string::npos);
  ASSERT_FALSE(v.why.empty());
  EXPECT_NE(v.why[0].find("fd 3: tcp#1"), std::string::npos);
  EXPECT_NE(v.why[0].find("CLOSED"), std::string::npos);
}

TEST(Runner, OutputMismatchNamesTheField) {
  const auto r = RunText(std::string(kServer) +
                     "200 getsockname(3, {sa_family=AF_INET, sin_port=htons(81), sin_addr=inet_addr(\"10.0.0.2\")}, [16]) = 0\n");
  ASSERT_EQ(r.failed, 1);
  EXPECT_NE(r.verdicts[0].message.find("sin_port"), std::string::npos) << r.verdicts[0].message;
}

TEST(Runner, UnfinishedAcceptResumesAfterConnect) {
  const auto r = RunText(std::string(kServer) +
                     "200 accept(3,  <unfinished ...>\n"
                     "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                     "200 <... accept resumed>{sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr(\"10.0.0.1\")}, [128 => 16]) = 4\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 6);
}

TEST(Runner, AcceptThatNothingCompletesIsReportedAsBlocking) {
  const auto r = RunText(std::string(kServer) + "200 accept(3, NULL, NULL) = 4\n");
  ASSERT_EQ(r.failed, 1);
  EXPECT_NE(r.verdicts[0].message.find("blocks forever"), std::string::npos);
}

// `interleaving unknown` (logs of strace -ff): a call that would wait lets the later lines of
// other processes run first; each process keeps its own order.
TEST(Runner, InterleavingUnknownLetsAWaitingCallWaitForOtherProcesses) {
  const std::string body = std::string(kServer) +
                           "200 accept(3, NULL, NULL) = 4\n"
                           "200 recvfrom(4, \"hi\", 8, 0, NULL, NULL) = 2\n"
                           "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                           "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                           "100 sendto(3, \"hi\", 2, 0, NULL, 0) = 2\n";
  const auto in_order = RunText(body);
  EXPECT_GE(in_order.failed, 1) << FormatResult(in_order, true);  // accept waits forever
  const auto interleaved = RunText("interleaving unknown\n" + body);
  EXPECT_TRUE(interleaved.ok()) << FormatResult(interleaved, true);
  EXPECT_EQ(interleaved.passed, 8);
}

// `hint after=LOCATION` (an importer's, for -ff logs): a connect the log saw succeed waits for
// the listen it reached, even when the proposed order puts it first.
TEST(Runner, InterleavingUnknownHonoursHintAfter) {
  // kHeader is 6 lines; "interleaving unknown" is line 7, so the listen below is line 12.
  const std::string body =
      "interleaving unknown\n"
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "%s"
      "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
      "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "200 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
      "200 listen(3, 8) = 0\n";
  std::string plain = body;
  plain.replace(plain.find("%s"), 2, "");
  // Without the hint the first order runs the connect first (refused: nobody listens yet),
  // and the search for another order finds the one that agrees.
  const auto without = RunText(plain);
  EXPECT_TRUE(without.ok()) << FormatResult(without, true);
  EXPECT_GT(without.orders_tried, 0U);
  // With it the first order is right.
  std::string hinted = body;
  hinted.replace(hinted.find("%s"), 2, "hint after=t.scn:13:5\n");
  const auto with = RunText(hinted);
  EXPECT_TRUE(with.ok()) << FormatResult(with, true);
  EXPECT_EQ(with.orders_tried, 0U);
}

TEST(Runner, InterleavingUnknownSearchesForAnOrderThatAgrees) {
  // Both writes could run first, and the first order runs the server's (earlier in the
  // file), so the client's poll after its own write sees the server's data too early;
  // letting the client run first from there agrees with every line.
  // (One host: loopback delivers at once.)
  const ParseResult parsed = ParseScenario(
      "personality linux\n"
      "interleaving unknown\n"
      "host a\n"
      "process 100 host=a\n"
      "process 200 host=a\n"
      "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "200 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "200 listen(3, 8) = 0\n"
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "200 accept(3, NULL, NULL) = 4\n"
      "200 write(4, \"x\", 1) = 1\n"
      "100 write(3, \"y\", 1) = 1\n"
      "100 poll([{fd=3, events=POLLIN}], 1, 0) = 0\n"
      "100 read(3, \"x\", 1) = 1\n",
      "t.scn");
  ASSERT_TRUE(parsed.ok());
  const auto r = RunScenario(parsed.scenario);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_GT(r.orders_tried, 0U);
}

TEST(Runner, InterleavingTakesUnknownOrAsWritten) {
  const auto r = RunText("interleaving sometimes\n");
  EXPECT_EQ(r.errors, 1);
  EXPECT_EQ(RunText("interleaving as-written\n").errors, 0);
}

TEST(Runner, ScenarioMistakesAreErrorsWithLocations) {
  const auto r = RunText("300 socket(AF_INET, SOCK_STREAM, 0) = 3\n"
                     "100 bind(3, {sa_family=AF_INET, sin_port=htons(80)}, 16) = 0\n"
                     "100 socket(AF_BOGUS, SOCK_STREAM, 0) = 3\n");
  ASSERT_EQ(r.errors, 3);
  EXPECT_EQ(r.verdicts[0].location.line, 7);
  EXPECT_NE(r.verdicts[0].message.find("no process 300"), std::string::npos);
  EXPECT_NE(r.verdicts[1].message.find("sin_addr"), std::string::npos);
  EXPECT_NE(r.verdicts[2].message.find("AF_BOGUS"), std::string::npos);
  EXPECT_FALSE(r.ok());
}

TEST(Runner, UnmodelledCallsInATraceAreSkippedNotFailed) {
  // Only in a trace imported from a real system; in a written scenario it is an error
  // (strict_scenario_test.cc).
  ParseResult parsed = ParseScenario(std::string(kHeader) + "100 inotify_init1(0) = 3\n", "t.log");
  ASSERT_TRUE(parsed.ok());
  parsed.scenario.origin = ScenarioOrigin::kStrace;
  const auto r = RunScenario(parsed.scenario);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.errors, 0);
  EXPECT_EQ(r.skipped, 1);
  // Skipped is not passed: a trace that checks nothing does not pass (docs/reliability.md).
  EXPECT_TRUE(r.checked_nothing());
  EXPECT_FALSE(r.ok());
}

// A strace log's split call took effect somewhere between its two lines (runner.cc): it runs
// at its resumed line unless a line printed in between needs its effect first.
constexpr const char* kLoopbackPair =
    "personality linux\n"
    "host a\n"
    "process 100 host=a\n"
    "process 200 host=a\n"
    "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "200 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
    "200 listen(3, 8) = 0\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
    "200 accept(3, NULL, NULL) = 4\n";

ScenarioResult RunAs(const std::string& body, ScenarioOrigin origin) {
  ParseOptions options;
  options.strace_mode = true;  // a log's `= 1 ([...])` result annotations
  ParseResult parsed = ParseScenario(std::string(kLoopbackPair) + body, "t.log", options);
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  parsed.scenario.origin = origin;
  return RunScenario(parsed.scenario);
}

TEST(RunnerSplitCalls, ALogsSplitWriteTakesEffectAtItsResumedLine) {
  const std::string body =
      "100 write(3, \"x\", 1 <unfinished ...>\n"
      "200 poll([{fd=4, events=POLLIN}], 1, 0) = 0 (Timeout)\n"
      "100 <... write resumed>) = 1\n"
      "200 poll([{fd=4, events=POLLIN}], 1, 0) = 1 ([{fd=4, revents=POLLIN}])\n";
  const auto log = RunAs(body, ScenarioOrigin::kStrace);
  EXPECT_TRUE(log.ok()) << FormatResult(log, true);
  EXPECT_EQ(log.passed, 9);
  // Written, the same lines mean the write started (and, not having to wait, finished) first.
  const auto written = RunAs(body, ScenarioOrigin::kWritten);
  EXPECT_EQ(written.failed, 1) << FormatResult(written, true);
}

TEST(RunnerSplitCalls, ALineThatNeedsADeferredCallsEffectRunsItFirst) {
  const auto r = RunAs(
      "100 write(3, \"x\", 1 <unfinished ...>\n"
      "200 read(4, \"x\", 1) = 1\n"
      "100 <... write resumed>) = 1\n",
      ScenarioOrigin::kStrace);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 8);
}

TEST(RunnerSplitCalls, ADeferredPollCountsWhatHappenedBeforeItResumed) {
  // The descriptor is writable at once, so the poll returned without waiting; what it
  // reports shows the peer's shutdown, printed after the poll started, had happened.
  const std::string body =
      "200 poll([{fd=4, events=POLLIN|POLLOUT}], 1, -1 <unfinished ...>\n"
      "100 shutdown(3, SHUT_WR) = 0\n"
      "200 <... poll resumed>) = 1 ([{fd=4, revents=POLLIN|POLLOUT}])\n";
  const auto r = RunAs(body, ScenarioOrigin::kStrace);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_FALSE(RunAs(body, ScenarioOrigin::kWritten).ok());  // there it ran before the shutdown
}

TEST(RunnerSplitCalls, ADeferredPollThatAlreadyAgreesReturnsBeforeAWriteResumes) {
  // Both calls are in flight together; the poll found the descriptor writable at once and
  // returned before the write's data arrived, though strace printed the write's end first.
  const std::string body =
      "100 write(3, \"x\", 1 <unfinished ...>\n"
      "200 poll([{fd=4, events=POLLIN|POLLOUT}], 1, -1 <unfinished ...>\n"
      "100 <... write resumed>) = 1\n"
      "200 <... poll resumed>) = 1 ([{fd=4, revents=POLLOUT}])\n"
      "200 read(4, \"x\", 1) = 1\n";
  const auto r = RunAs(body, ScenarioOrigin::kStrace);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 9);
}

TEST(RunnerSplitCalls, AReceiveWithMsgDontwaitNeverWaitsSoRunsNoDeferredCallFirst) {
  // MSG_DONTWAIT on a blocking socket: the EAGAIN is the call's own result, not "it would
  // wait", so the write in flight is not run before it to give it data.
  const auto r = RunAs(
      "100 write(3, \"x\", 1 <unfinished ...>\n"
      "200 recvfrom(4, 0x7ffeaf5a1c80, 1, MSG_DONTWAIT, NULL, NULL) = -1 EAGAIN (Resource temporarily unavailable)\n"
      "100 <... write resumed>) = 1\n"
      "200 read(4, \"x\", 1) = 1\n",
      ScenarioOrigin::kStrace);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 9);
}

TEST(RunnerSplitCalls, AnExitReleasesTheHighestDescriptorFirstWhileAPollWatches) {
  // The child holds both pipes' write ends; when it exits, the one at the higher descriptor
  // is released first, and the parent's poll returns having seen only that one.
  const auto r = RunAs(
      "100 pipe2([4, 5], 0) = 0\n"
      "100 pipe2([6, 7], 0) = 0\n"
      "100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
      "child_tidptr=0x7f51e64a4750) = 300\n"
      "100 close(5) = 0\n"
      "100 close(7) = 0\n"
      "300 close(4) = 0\n"
      "300 close(6) = 0\n"
      "100 poll([{fd=4, events=POLLIN}, {fd=6, events=POLLIN}], 2, -1 <unfinished ...>\n"
      "300 +++ exited with 0 +++\n"
      "100 <... poll resumed>) = 1 ([{fd=6, revents=POLLHUP}])\n"
      "100 poll([{fd=4, events=POLLIN}], 1, 0) = 1 ([{fd=4, revents=POLLHUP}])\n",
      ScenarioOrigin::kStrace);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 15);
}

TEST(Runner, AdvanceLetsAnUnreachableConnectTimeOut) {
  const auto r = RunText("100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.99\")}, 16) = -1 EHOSTUNREACH (No route to host)\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(Runner, LinkDownMakesTheNetworkUnreachable) {
  const auto r = RunText("link-down a b\n"
                     "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                     "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = -1 ENETUNREACH (Network is unreachable)\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(Runner, FaultDirectiveArmsAFaultPoint) {
  const auto r = RunText("100 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
                     "fault linux.getpeername.nobufs times=1\n"
                     "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOBUFS (No buffer space available)\n"
                     "100 getpeername(3, {sa_family=AF_UNIX}, [128 => 2]) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(Runner, BadDirectivesAreErrors) {
  const auto r = RunText("advance soon\nfault p chance=3/2\nlink-down a c\n");
  EXPECT_EQ(r.errors, 3);
}

TEST(Runner, RecordedTraceRunsAndRecordsIdentically) {
  const auto first = RunText(std::string(kServer) +
                         "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                         "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                         "200 accept(3, _, [128 => 16]) = 4\n");
  ASSERT_TRUE(first.ok()) << FormatResult(first, true);
  const ParseResult again = ParseScenario(first.trace, "recorded.trace");
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  const auto second = RunScenario(again.scenario);
  EXPECT_TRUE(second.ok()) << FormatResult(second, true);
  EXPECT_EQ(second.trace, first.trace);
}

TEST(Runner, SameSeedSameTraceOtherSeedOtherPorts) {
  const std::string body = std::string(kServer) +
                           "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                           "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                           "100 getsockname(3, _, [128 => 16]) = 0\n";
  const auto a = RunText(body, 5);
  const auto b = RunText(body, 5);
  const auto c = RunText(body, 6);
  EXPECT_EQ(a.trace, b.trace);
  EXPECT_EQ(a.rng_draws, b.rng_draws);
  EXPECT_NE(a.trace, c.trace);
}

TEST(Runner, WithoutRecordingTheTraceIsEmptyAndTheVerdictsAreTheSame) {
  // One line passes, one diverges (the second getsockname expects the wrong family), one is
  // an error: the verdicts must not depend on whether the run is recorded.
  const std::string body = std::string(kServer) +
                           "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                           "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
                           "100 getpeername(3, {sa_family=AF_INET6}, [128 => 28]) = 0\n"
                           "100 frobnicate(3) = 0\n";
  const ParseResult parsed = ParseScenario(std::string(kHeader) + body, "t.scn");
  ASSERT_TRUE(parsed.ok());
  RunOptions recorded{7};
  RunOptions unrecorded{7};
  unrecorded.record_trace = false;
  const auto with = RunScenario(parsed.scenario, recorded);
  const auto without = RunScenario(parsed.scenario, unrecorded);
  EXPECT_FALSE(with.trace.empty());
  EXPECT_TRUE(without.trace.empty());
  EXPECT_EQ(without.passed, with.passed);
  EXPECT_EQ(without.failed, 1);
  EXPECT_EQ(without.failed, with.failed);
  EXPECT_EQ(without.errors, with.errors);
  EXPECT_EQ(without.rng_draws, with.rng_draws);
  EXPECT_EQ(FormatResult(without, true), FormatResult(with, true));
}

// ---- Captures ---------------------------------------------------------------------------

constexpr const char* kCaptured =
    "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $listener\n"
    "200 bind($listener, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
    "200 listen($listener, 8) = 0\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $c\n"
    "100 connect($c, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
    "100 getsockname($c, {sa_family=AF_INET, sin_port=htons($port), sin_addr=inet_addr(\"10.0.0.1\")}, [16]) = 0\n";

TEST(RunnerCaptures, DescriptorsAndPortsCarryOverToLaterLines) {
  const auto r = RunText(std::string(kCaptured) +
                         "200 accept($listener, {sa_family=AF_INET, sin_port=htons($port), sin_addr=inet_addr(\"10.0.0.1\")}, [16]) = $s\n"
                         "200 getpeername($s, {sa_family=AF_INET, sin_port=htons($port), sin_addr=inet_addr(\"10.0.0.1\")}, [16]) = 0\n"
                         "200 close($s) = 0\n"
                         "200 close($s) = -1 EBADF (Bad file descriptor)\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 10);
}

TEST(RunnerCaptures, ABoundValueThatDiffersIsADivergenceShowingTheValue) {
  const auto r = RunText(std::string(kCaptured) +
                         "200 accept($listener, _, [16]) = $s\n"
                         "200 getsockname($s, {sa_family=AF_INET, sin_port=htons($port), sin_addr=inet_addr(\"10.0.0.2\")}, [16]) = 0\n"
                         "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $c\n");
  ASSERT_EQ(r.failed, 2) << FormatResult(r, true);
  EXPECT_EQ(r.errors, 0);
  const LineVerdict& port = r.verdicts[0];
  EXPECT_EQ(port.location.line, 14);
  EXPECT_NE(port.message.find("sin_port"), std::string::npos) << port.message;
  // The expectation is shown with the captured port, which is not 80.
  EXPECT_EQ(port.expected.find("$port"), std::string::npos) << port.expected;
  EXPECT_EQ(port.expected.find("htons(80)"), std::string::npos) << port.expected;
  const LineVerdict& socket = r.verdicts[1];
  EXPECT_EQ(socket.message, "return value differs ($c is 3)");
  EXPECT_NE(socket.expected.find("= 3"), std::string::npos) << socket.expected;
}

TEST(RunnerCaptures, AnInputBeforeItsValueIsAnErrorAtItsColumn) {
  const auto r = RunText(
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 connect(3, {sa_family=AF_INET, sin_port=htons($port), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
      "100 close($fd) = 0\n"
      "100 getpeername(3, _, [$len => 16]) = 0\n");
  ASSERT_EQ(r.errors, 3) << FormatResult(r, true);
  EXPECT_EQ(r.verdicts[0].location.line, 8);
  EXPECT_EQ(r.verdicts[0].location.column, 51);
  EXPECT_EQ(r.verdicts[0].message, "$port has no value yet (no earlier line bound it)");
  EXPECT_EQ(r.verdicts[1].location.line, 9);
  EXPECT_EQ(r.verdicts[1].location.column, 11);
  EXPECT_EQ(r.verdicts[2].location.column, 24);
}

TEST(RunnerCaptures, RecordedTraceHoldsTheValuesAndRunsAgain) {
  const auto first = RunText(std::string(kCaptured) +
                             "100 getpeername($c, _, [16 => $never]) = -1 EBADF (Bad file descriptor)\n");
  ASSERT_EQ(first.failed, 1) << FormatResult(first, true);
  EXPECT_EQ(first.trace.find('$'), std::string::npos) << first.trace;
  EXPECT_NE(first.trace.find("100 connect(3, "), std::string::npos) << first.trace;
  const ParseResult again = ParseScenario(first.trace, "recorded.trace");
  ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
  const auto second = RunScenario(again.scenario);
  EXPECT_TRUE(second.ok()) << FormatResult(second, true);
  EXPECT_EQ(second.trace, first.trace);
}

// ---- Buffer notation and memory layouts ------------------------------------------------

TEST(RunnerBuffers, TruncatedNamesLeaveTheRestOfTheBufferUntouched) {
  const auto r = RunText(
      std::string(kServer) +
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = -1 ECONNREFUSED (Connection refused)\n"
      "200 getsockname(3, buffer(128, 0xaa) => buffer(\"\\x02\\x00\\x00\\x50\\x0a\\x00\\x00\\x02\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\", 0xaa), [16]) = 0\n"
      "200 getsockname(3, buffer(8, 0xaa) => buffer(\"\\x02\\x00\\x00\\x50\\x0a\\x00\\x00\\x02\", 0xaa), [8 => 16]) = 0\n"
      "200 getsockname(3, buffer(16, 0xaa) => buffer(\"\\x02\\x00\\x00\\x50\\x0a\\x00\", 0xaa), [6 => 16]) = 0\n"
      "100 getpeername(3, buffer(16, 0xaa) => untouched, [16]) = -1 ENOTCONN (Transport endpoint is not connected)\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_NE(r.trace.find("200 getsockname(3, buffer(8, 0xaa) => buffer(\"\\2\\0\\0P\\n\\0\\0\\2\", 0xaa), [8 => 16]) = 0"),
            std::string::npos)
      << r.trace;
}

TEST(RunnerBuffers, AWrongImageNamesTheByte) {
  const auto r = RunText(std::string(kServer) +
                         "200 getsockname(3, buffer(16, 0xaa) => buffer(\"\\x02\\x00\\x00\\x51\", 0xaa), [4 => 16]) = 0\n");
  ASSERT_EQ(r.failed, 1);
  EXPECT_NE(r.verdicts[0].message.find("argument 2"), std::string::npos);
  EXPECT_NE(r.verdicts[0].message.find("byte 3 is 0x50, expected 0x51"), std::string::npos)
      << r.verdicts[0].message;
}

TEST(RunnerBuffers, StraddlingAndMisalignedMemory) {
  const auto r = RunText(
      "100 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
      "100 send(3, mapped=4:buffer(\"0123456789\", 0), 10, 0) = -1 EFAULT (Bad address)\n"
      "100 send(3, \"hello\", 5, 0) = 5\n"
      "100 recv(4, mapped=2:buffer(5, 0xaa) => buffer(\"he\", 0xaa), 5, 0) = -1 EFAULT (Bad address)\n"
      "100 recv(4, buffer(8, 0xaa) => buffer(\"hello\", 0xaa), 8, 0) = 5\n"
      "100 getsockname(3, buffer(16, 0xaa) => buffer(\"\\1\\0\", 0xaa), offset=1:[16 => 2]) = 0\n"
      "100 getsockname(3, buffer(16, 0xaa) => untouched, mapped=3:[16]) = -1 EFAULT (Bad address)\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

// The Linux table unmaps a call's own buffers when it returns, but not in a scenario with a
// line that names an address where they are laid out: here connect reads the sockaddr bind
// was given, at the first address of process 100's memory (CallTable::KeepCallMemory).
TEST(RunnerBuffers, ALineNamingAnEarlierCallsBufferFindsItThere) {
  const auto r = RunText(
      "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"
      "100 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"10.0.0.1\")}, 16) = 0\n"
      "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\n"
      "100 connect(4, 0x300000000000, 16) = 0\n"
      "100 getpeername(4, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"10.0.0.1\")}, [16]) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 5);
}

TEST(RunnerBuffers, LayoutsThatDoNotFitAreErrorsOfTheLine) {
  const auto r = RunText("100 socket(AF_INET, SOCK_DGRAM, 0) = 3\n"
                         "100 getsockname(3, mapped=20:buffer(16, 0), [16]) = 0\n"
                         "100 getsockname(3, _, offset=4096:[16]) = 0\n"
                         "100 getsockname(3, buffer(16, 0x100), [16]) = 0\n");
  ASSERT_EQ(r.errors, 3) << FormatResult(r, true);
  EXPECT_EQ(r.verdicts[0].location.column, 20);
  EXPECT_NE(r.verdicts[0].message.find("mapped=20 is more than the buffer's 16 bytes"),
            std::string::npos);
  EXPECT_EQ(r.verdicts[1].location.column, 23);
  EXPECT_NE(r.verdicts[1].message.find("offset=4096"), std::string::npos);
  EXPECT_EQ(r.verdicts[2].location.column, 31);
}

TEST(Runner, RecordedTraceKeepsArgumentNamesAndRunsAgain) {
  // clone's flags= decides whether it makes a thread: a trace without the name would fork.
  const auto first = RunText(
      "100 clone(child_stack=0x7f0000001000, flags=CLONE_VM|CLONE_FILES|CLONE_THREAD, "
      "parent_tid=[101], tls=0x7f0000002000, child_tidptr=0x7f0000003000) = 101\n"
      "101 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 close(3) = 0\n");
  ASSERT_TRUE(first.ok()) << FormatResult(first, true);
  EXPECT_NE(first.trace.find("clone(child_stack=0x7f0000001000, flags=CLONE_VM|"),
            std::string::npos)
      << first.trace;
  const ParseResult again = ParseScenario(first.trace, "again.trace");
  ASSERT_TRUE(again.ok());
  const ScenarioResult second = RunScenario(again.scenario);
  EXPECT_TRUE(second.ok()) << FormatResult(second, true);
  EXPECT_EQ(second.trace, first.trace);
}

TEST(Runner, ThreadDirectiveDeclaresAThread) {
  const auto r = RunText("thread 101 process=100\n"
                         "101 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
                         "100 close(3) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 2);
}

// `socksim run --header LINE`: the lines are parsed as the CLI parses them.
std::vector<Directive> HeaderLines(std::initializer_list<const char*> lines) {
  std::vector<Directive> out;
  for (const char* text : lines) {
    const ParseResult parsed = ParseScenario(text, "--header");
    EXPECT_TRUE(parsed.ok());
    out.push_back(parsed.scenario.lines.at(0).directive());
  }
  return out;
}

TEST(RunnerHeader, HeaderLinesApplyBeforeTheScenarioAndAreNotRecorded) {
  const ParseResult parsed = ParseScenario(std::string(kHeader) + kServer, "t.scn");
  ASSERT_TRUE(parsed.ok());
  RunOptions options;
  options.header = HeaderLines({"seed 42", "kernel 6.17"});
  const ScenarioResult with = RunScenario(parsed.scenario, options);
  EXPECT_TRUE(with.ok()) << FormatResult(with, true);
  EXPECT_EQ(with.seed, 42u);
  EXPECT_EQ(with.trace.find("seed 42"), std::string::npos) << with.trace;
  EXPECT_EQ(with.trace.find("kernel"), std::string::npos) << with.trace;
  // The trace is the scenario's as written: the same as a run without the header lines.
  const ScenarioResult without = RunScenario(parsed.scenario, RunOptions{42});
  EXPECT_EQ(with.trace, without.trace);
}

TEST(RunnerHeader, TheScenariosOwnHeaderLinesComeAfterAndWin) {
  const ParseResult parsed =
      ParseScenario(std::string("seed 5\n") + kHeader + kServer, "t.scn");
  ASSERT_TRUE(parsed.ok());
  RunOptions options;
  options.header = HeaderLines({"seed 42"});
  EXPECT_EQ(RunScenario(parsed.scenario, options).seed, 5u);
}

TEST(RunnerHeader, AHeaderLineThatIsNotAHeaderDirectiveIsAnError) {
  const ParseResult parsed = ParseScenario(std::string(kHeader) + kServer, "t.scn");
  ASSERT_TRUE(parsed.ok());
  RunOptions options;
  options.header = HeaderLines({"advance 1ms", "kernel seven"});
  const ScenarioResult r = RunScenario(parsed.scenario, options);
  ASSERT_EQ(r.errors, 2) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 0);
  EXPECT_EQ(r.verdicts[0].message, "--header takes header directives, not 'advance'");
  EXPECT_EQ(r.verdicts[0].location.file, "--header");
  EXPECT_EQ(r.verdicts[1].message, "kernel takes a version such as 6.18");
}

TEST(RunnerHost, APersonalityWithoutAHostExecutorSkipsEveryCall) {
  const ParseResult parsed = ParseScenario(
      std::string(kHeader) + kServer +
          "200 accept(3,  <unfinished ...>\n"
          "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $c\n"
          "200 <... accept resumed>NULL, NULL) = 4\n",
      "t.scn");
  ASSERT_TRUE(parsed.ok());
  RunOptions options;
  options.host = [](std::string_view) -> const HostExecutor* { return nullptr; };
  const ScenarioResult r = RunScenario(parsed.scenario, options);
  EXPECT_TRUE(r.skipped_whole()) << FormatResult(r, true);  // skipped, not passed
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.passed, 0);
  EXPECT_EQ(r.skipped, 5);  // the split accept counts once
  ASSERT_FALSE(r.verdicts.empty());
  EXPECT_EQ(r.verdicts[0].status, LineVerdict::Status::kSkip);
  EXPECT_NE(r.verdicts[0].message.find("personality 'linux' has no host executor"),
            std::string::npos)
      << r.verdicts[0].message;
  // The trace keeps every line, a capture no line bound as `_`.
  EXPECT_NE(r.trace.find("100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = _\n"),
            std::string::npos)
      << r.trace;
  EXPECT_NE(r.trace.find("200 <... accept resumed>NULL, NULL) = 4\n"), std::string::npos)
      << r.trace;
}

TEST(Report, SummaryEndsWithPassedFailedLineAndJunitEscapes) {
  ScenarioResult ok;
  ok.file = "a.scn";
  ok.passed = 2;
  ScenarioResult bad;
  bad.file = "b<&>.scn";
  bad.failed = 1;
  bad.verdicts.push_back(LineVerdict{LineVerdict::Status::kFail, SourceLocation{"b.scn", 3, 4}, "x", "e", "a",
                                     "error differs", {}});
  const std::string summary = FormatSummary({ok, bad});
  EXPECT_NE(summary.find("\n1 passed, 1 failed\n"), std::string::npos);
  const std::string xml = FormatJunit({ok, bad});
  EXPECT_NE(xml.find("name=\"b&lt;&amp;&gt;.scn\""), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"divergence\" message=\"b.scn:3:4: error differs\">"), std::string::npos)
      << xml;
}

}  // namespace
}  // namespace socksim::tools
