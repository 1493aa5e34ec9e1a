// File: tests/tools/readiness_calls_test.cc
// The Linux call table's readiness calls print their results as strace 6.1 does: poll's and
// ppoll's revents list, select's and pselect6's result sets (space-separated) and the time
// left, `Timeout` for 0, and epoll_wait's events array. The text after the result is compared
// the way a real strace log's is (parsed in strace mode, kept as the outcome's text).
#include <gtest/gtest.h>

#include <string>

#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

constexpr const char* kHeader =
    "personality linux\n"
    "host a\n"
    "process 100 host=a uid=0 gid=0\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "100 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
    "100 listen(3, 8) = 0\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
    "100 connect(4, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
    "100 epoll_create1(0) = 5\n"
    "100 epoll_ctl(5, EPOLL_CTL_ADD, 3, {events=EPOLLIN, data={u32=3, u64=3}}) = 0\n"
    "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 6\n"
    "100 epoll_create1(0) = 7\n";

ScenarioResult RunLine(const std::string& line) {
  const ParseResult parsed =
      ParseScenario(std::string(kHeader) + line + "\n", "t.trace", ParseOptions{.strace_mode = true});
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return RunScenario(parsed.scenario, RunOptions{});
}

struct Row {
  const char* name;
  const char* line;
};

const Row kPrinted[] = {
    {"PollListsEachRevents",
     "100 poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}, {fd=-1}], 3, 0) = 2 "
     "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLOUT}])"},
    {"PollWithNothingReadyIsTimeout", "100 poll([{fd=4, events=POLLIN}], 1, 10) = 0 (Timeout)"},
    {"PollOfAClosedDescriptorIsNval", "100 poll([{fd=9, events=POLLIN}], 1, 0) = 1 ([{fd=9, revents=POLLNVAL}])"},
    {"PpollAddsTheTimeLeft",
     "100 ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 1 "
     "([{fd=3, revents=POLLIN}], left {tv_sec=1, tv_nsec=0})"},
    {"SelectListsTheSetsAndTheTimeLeft",
     "100 select(7, [3, 4], [3, 4, 6], NULL, {tv_sec=2, tv_usec=5}) = 3 "
     "(in [3], out [4 6], left {tv_sec=2, tv_usec=5})"},
    {"SelectWithoutATimeoutHasNoTimeLeft", "100 select(5, [3], NULL, NULL, NULL) = 1 (in [3])"},
    {"Pselect6SpellsTheTimeLeftInNanoseconds",
     "100 pselect6(5, NULL, [4], NULL, {tv_sec=0, tv_nsec=7}, {sigmask=[], sigsetsize=8}) = 1 "
     "(out [4], left {tv_sec=0, tv_nsec=7})"},
    {"SelectWithNothingReadyIsTimeout",
     "100 select(5, NULL, NULL, [3, 4], {tv_sec=0, tv_usec=1000}) = 0 (Timeout)"},
    {"EpollWaitPrintsTheEventsItWrote",
     "100 epoll_wait(5, [{events=EPOLLIN, data={u32=3, u64=3}}], 4, 0) = 1"},
    {"EpollPwaitWithNothingIsAnEmptyArray", "100 epoll_pwait(7, [], 4, 0, NULL, 8) = 0"},
};

TEST(LinuxReadinessPrinting, ARecordedWaitMayHaveLeftLessTime) {
  const ScenarioResult r = RunLine(
      "100 ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 1 "
      "([{fd=3, revents=POLLIN}], left {tv_sec=0, tv_nsec=999000})");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(LinuxReadinessPrinting, ResultsPrintAsStraceDoes) {
  for (const Row& row : kPrinted) {
    SCOPED_TRACE(row.name);
    const ScenarioResult r = RunLine(row.line);
    EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  }
}

// The same lines with the text after the result changed: each must diverge.
const Row kWrong[] = {
    {"AReventsNotReported",
     "100 poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN|POLLOUT}], 2, 0) = 2 "
     "([{fd=3, revents=POLLIN}, {fd=4, revents=POLLIN|POLLOUT}])"},
    {"ASetSeparatedByCommas", "100 select(7, NULL, [4, 6], NULL, NULL) = 2 (out [4, 6])"},
    {"TimeoutWhereSomethingWasReady", "100 poll([{fd=3, events=POLLIN}], 1, 0) = 1 (Timeout)"},
    // A recorded wait may have left less time than the simulator's (the real one took wall
    // clock time), never more.
    {"MoreTimeLeftThanTheSimulator",
     "100 ppoll([{fd=3, events=POLLIN}], 1, {tv_sec=1, tv_nsec=0}, NULL, 8) = 1 "
     "([{fd=3, revents=POLLIN}], left {tv_sec=1, tv_nsec=5})"},
};

TEST(LinuxReadinessPrinting, ADifferentAnnotationIsADivergence) {
  for (const Row& row : kWrong) {
    SCOPED_TRACE(row.name);
    const ScenarioResult r = RunLine(row.line);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.failed, 1);
  }
}

}  // namespace
}  // namespace socksim::tools
