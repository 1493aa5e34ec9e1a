// File: tests/tools/end_of_run_test.cc
// The invariants fuzz/run_fuzz.cc checks, over the whole corpus: once every process exits,
// no descriptor stays open and no socket stays held that no process closed; and every error a
// call reports is a code of its personality's error table (the one table per personality).
#include "tools/scenario/end_of_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tools/personality/linux/trace/strace_import.h"
#include "tools/scenario/call_table.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(SOCKSIM_SOURCE_DIR) / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(EndOfRun, TheCorpusLeavesNothingBehindAndReportsOnlyTabledErrors) {
  const auto files = CorpusFiles();
  ASSERT_GT(files.size(), 200u);
  std::size_t errors_seen = 0;
  for (const std::string& file : files) {
    const auto parsed = ParseScenarioFile(file);
    ASSERT_TRUE(parsed.ok()) << file;
    std::vector<std::string> problems;
    RunOptions options;
    options.after_call = [&](const CallLine& call, const ExecutedCall& got, const CallTable& table) {
      if (got.outcome.error_symbol.empty()) return;
      ++errors_seen;
      // Every code of it: "TSYSERR ECONNREFUSED" (illumos TLI) has two.
      if (!table.KnowsErrorName(got.outcome.error_symbol)) {
        problems.push_back(call.location.ToString() + ": error '" + got.outcome.error_symbol.str() +
                           "' is in no table");
      }
    };
    options.at_end = [&](ScenarioWorld& world) {
      for (auto& p : ExitAllAndFindLeaks(world)) problems.push_back(std::move(p));
    };
    (void)RunScenario(parsed.scenario, options);
    EXPECT_TRUE(problems.empty()) << file << ": " << problems.front();
  }
  EXPECT_GT(errors_seen, 500u);  // the check saw errors of every kind, not none
}

TEST(EndOfRun, ASocketNoProcessClosedIsALeak) {
  const auto parsed = ParseScenario("personality linux\nhost h\nprocess 100 host=h\n", "t.scn");
  ASSERT_TRUE(parsed.ok());
  ScenarioWorld world(parsed.scenario, std::nullopt);
  ASSERT_TRUE(world.errors().empty());
  const stack::Policy& policy = world.stack().RegisterPolicy(stack::Policy{});
  sim::Process& p = *world.world().FindProcess(100);
  // Made in the stack but given to no descriptor, and kept alive: nothing can close it.
  auto held = world.stack().Create(p.node(), stack::Family::kInet, stack::SockType::kDgram, 0, policy, p.Snapshot());
  ASSERT_TRUE(held.ok());
  const auto problems = ExitAllAndFindLeaks(world);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "socket #" + std::to_string((*held)->id()) + " (CLOSED) is still held though no process closed it");
}

TEST(EndOfRun, EveryProcessIsEndedAndItsDescriptorsClosed) {
  const auto parsed = ParseScenario(
      "personality linux\nhost h\nprocess 100 host=h\n"
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n100 fork() = 101\n",
      "t.scn");
  ASSERT_TRUE(parsed.ok());
  bool ran = false;
  RunOptions options;
  options.at_end = [&](ScenarioWorld& world) {
    EXPECT_EQ(world.world().open_descriptors(), 8u);  // 0, 1, 2 and 3 in each process
    EXPECT_TRUE(ExitAllAndFindLeaks(world).empty());
    EXPECT_EQ(world.world().open_descriptors(), 0u);
    for (const sim::Pid pid : world.world().Pids()) EXPECT_FALSE(world.world().FindProcess(pid)->alive());
    ran = true;
  };
  EXPECT_TRUE(RunScenario(parsed.scenario, options).ok());
  EXPECT_TRUE(ran);
}

// An `fd` line for a process that has exited is refused: it would leave a descriptor in a
// table nothing can close (found by fuzz_import: a -ff import placed one after the exit).
TEST(EndOfRun, AnFdLineForAnExitedProcessIsRefused) {
  const auto parsed = ParseScenario(
      "personality linux\nhost h\nprocess 100 host=h\nprocess 200 host=h\n"
      "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 +++ exited with 0 +++\nfd 100 5 kind=unknown\n"
      "200 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n",
      "t.scn");
  ASSERT_TRUE(parsed.ok());
  std::vector<std::string> leaks;
  RunOptions options;
  options.at_end = [&](ScenarioWorld& world) { leaks = ExitAllAndFindLeaks(world); };
  const ScenarioResult r = RunScenario(parsed.scenario, options);
  ASSERT_EQ(r.errors, 1);
  EXPECT_EQ(r.verdicts[0].message, "fd: process 100 has exited");
  EXPECT_TRUE(leaks.empty()) << leaks.front();
}

// Every input a fuzz target once failed on (tests/tools/data/fuzz/, named after the target),
// run as that target runs it: imported as one file and as one file per process, then run,
// leaving nothing behind.
TEST(EndOfRun, FuzzRegressionsLeaveNothingBehind) {
  std::size_t inputs = 0;
  for (const auto& e : fs::directory_iterator(fs::path(SOCKSIM_SOURCE_DIR) / "tests/tools/data/fuzz")) {
    if (e.path().filename().string().rfind("import-", 0) != 0) continue;
    ++inputs;
    const auto parsed = ParseScenarioFile(e.path().string(), ParseOptions{.strace_mode = true});
    ASSERT_TRUE(parsed.ok()) << e.path();
    for (const bool per_process : {false, true}) {
      ImportOptions import;
      import.per_process_files = per_process;
      std::vector<std::string> leaks;
      RunOptions options;
      options.at_end = [&](ScenarioWorld& world) { leaks = ExitAllAndFindLeaks(world); };
      (void)RunScenario(ImportStrace(parsed.scenario, import).scenario, options);
      EXPECT_TRUE(leaks.empty()) << e.path() << (per_process ? " (per process): " : ": ") << leaks.front();
    }
  }
  EXPECT_GE(inputs, 1u);
}

// The real programs' logs (tests/tools/data/strace/real/, one file each: the -f, -s65536,
// net and yytt forms) leave nothing behind either, once their processes have exited.
TEST(EndOfRun, RealLogsLeaveNothingBehind) {
  std::vector<fs::path> logs;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(SOCKSIM_SOURCE_DIR) / "tests/tools/data/strace/real")) {
    if (e.is_regular_file() && e.path().extension() == ".log") logs.push_back(e.path());
  }
  std::sort(logs.begin(), logs.end());
  ASSERT_GE(logs.size(), 80u);  // 24 programs, 4 single-file forms (a few lack one)
  for (const fs::path& log : logs) {
    const auto parsed = ParseScenarioFile(log.string(), ParseOptions{.strace_mode = true});
    ASSERT_TRUE(parsed.ok()) << log;
    std::vector<std::string> leaks;
    RunOptions options;
    options.at_end = [&](ScenarioWorld& world) { leaks = ExitAllAndFindLeaks(world); };
    (void)RunScenario(ImportStrace(parsed.scenario, ImportOptions{}).scenario, options);
    EXPECT_TRUE(leaks.empty()) << log << ": " << leaks.front();
  }
}

}  // namespace
}  // namespace socksim::tools
