// File: tests/cli/ci_conventions_test.cc
// What CI systems expect of `socksim run` (docs/ci.md), through the built CLI: names relative to
// the run's root, --list, --filter, GoogleTest's sharding variables and status file,
// --fail-fast with any -j, the seed of a failure and of a recording, --record's layout, the JUnit
// report's names and attributes, `replay --junit`, and plain output off a terminal (colour and
// progress on one, under script(1)). Each case writes its scenarios into a directory of its own.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/cli_shell.h"

namespace {

namespace fs = std::filesystem;

using socksim::testing::CliCommand;
using socksim::testing::Outcome;
using socksim::testing::Quote;
using socksim::testing::Shell;

Outcome RunCli(const fs::path& dir, const std::vector<std::string>& args, const std::vector<std::string>& env = {},
               bool merge = true) {
  return Shell(dir, CliCommand(env, args) + (merge ? " 2>&1" : " 2>/dev/null"));
}

const std::string kPassing =
    "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n";
const std::string kFailing =
    "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\n";
// Its last line's expectation holds for any seed; what it records (the ephemeral port) does not.
const std::string kSeeded =
    "personality linux\nhost h\nprocess 100 host=h\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "100 connect(3, {sa_family=AF_INET, sin_port=htons(20106), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 "
    "ECONNREFUSED (Connection refused)\n"
    "100 getsockname(3, {sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr(\"0.0.0.0\")}, [128 => 16]) = 0\n";

// A fresh directory for one case, holding `files` (path, content).
fs::path Workspace(const std::string& name, const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path dir = fs::path(::testing::TempDir()) / "socksim-ci" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& [path, content] : files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << content;
  }
  return dir;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The corpus most cases use: under root/, sorted: a/one, a/two, b/three (failing), b/c/four.
const std::vector<std::pair<std::string, std::string>> kTree = {
    {"root/a/one.scn", kPassing},
    {"root/a/two.scn", kPassing},
    {"root/b/three.scn", kFailing},
    {"root/b/c/four.scn", kPassing},
};

// --list: the names (relative to the root, for a directory; as given, for a file), nothing run.
TEST(CiList, NamesRelativeToTheRootAndNothingRuns) {
  const fs::path dir = Workspace("list", kTree);
  const Outcome o = RunCli(dir, {"run", "--list", "root", "./root/a/../a/one.scn"});
  EXPECT_EQ(o.status, 0) << o.output;  // b/three would fail if it ran
  EXPECT_EQ(o.output, "a/one.scn\na/two.scn\nb/c/four.scn\nb/three.scn\nroot/a/one.scn\n");
}

// --filter, as --gtest_filter: globs, `:`, `?`, and a `-` part.
struct FilterCase {
  const char* name;
  std::string filter;
  std::string listed;
};

const FilterCase kFilterCases[] = {
    {"Star", "*", "a/one.scn\na/two.scn\nb/c/four.scn\nb/three.scn\n"},
    {"Folder", "a/*", "a/one.scn\na/two.scn\n"},
    {"StarCrossesSlashes", "b*four*", "b/c/four.scn\n"},
    {"Question", "a/???.scn", "a/one.scn\na/two.scn\n"},
    {"Alternatives", "a/one.scn:b/three.scn", "a/one.scn\nb/three.scn\n"},
    {"Negative", "*-b/*", "a/one.scn\na/two.scn\n"},
    {"OnlyNegative", "-a/*:*four*", "b/three.scn\n"},
    {"Exact", "a/two.scn", "a/two.scn\n"},
    {"WholeNameOnly", "one", ""},
    {"Nothing", "zzz", ""},
};

class CiFilter : public ::testing::TestWithParam<FilterCase> {};

TEST_P(CiFilter, ListsWhatMatches) {
  const FilterCase& c = GetParam();
  const fs::path dir = Workspace(std::string("filter-") + c.name, kTree);
  const Outcome o = RunCli(dir, {"run", "--list", "--filter", c.filter, "root"});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output, c.listed);
}

INSTANTIATE_TEST_SUITE_P(Cases, CiFilter, ::testing::ValuesIn(kFilterCases),
                         [](const auto& info) { return std::string(info.param.name); });

// A filter that matches nothing runs nothing, which does not pass.
TEST(CiFilterRun, MatchingNothingExitsOne) {
  const fs::path dir = Workspace("filter-none", kTree);
  const Outcome o = RunCli(dir, {"run", "--filter", "zzz", "root"});
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("socksim run: --filter 'zzz' matches none of the 4 scenario(s)"), std::string::npos)
      << o.output;
}

// Shards: --shard I/N (1-based) and GoogleTest's variables (0-based), after the filter.
struct ShardCase {
  const char* name;
  std::vector<std::string> env;
  std::vector<std::string> options;
  int status;
  std::string output;  // the whole output
};

const ShardCase kShardCases[] = {
    {"OptionFirstOfTwo", {}, {"--shard", "1/2"}, 0, "a/one.scn\nb/c/four.scn\n"},
    {"OptionSecondOfTwo", {}, {"--shard", "2/2"}, 0, "a/two.scn\nb/three.scn\n"},
    {"EnvIndexZero", {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=0"}, {}, 0, "a/one.scn\nb/c/four.scn\n"},
    {"EnvIndexOne", {"GTEST_TOTAL_SHARDS=3", "GTEST_SHARD_INDEX=1"}, {}, 0, "a/two.scn\n"},
    {"EnvAfterFilter", {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=1"}, {"--filter", "-a/one.scn"}, 0,
     "b/c/four.scn\n"},
    {"OptionAgreesWithEnv", {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=1"}, {"--shard", "2/2"}, 0,
     "a/two.scn\nb/three.scn\n"},
    {"OptionDisagreesWithEnv", {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=1"}, {"--shard", "1/2"}, 2,
     "socksim run: --shard 1/2 disagrees with GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=2 (shard 2/2)\n"},
    {"EnvIndexOutOfRange", {"GTEST_TOTAL_SHARDS=2", "GTEST_SHARD_INDEX=2"}, {}, 2,
     "socksim run: GTEST_SHARD_INDEX=2 and GTEST_TOTAL_SHARDS=2 want 0 <= index < total\n"},
    {"EnvTotalZero", {"GTEST_TOTAL_SHARDS=0", "GTEST_SHARD_INDEX=0"}, {}, 2,
     "socksim run: GTEST_SHARD_INDEX=0 and GTEST_TOTAL_SHARDS=0 want 0 <= index < total\n"},
    {"EnvNotANumber", {"GTEST_TOTAL_SHARDS=two", "GTEST_SHARD_INDEX=0"}, {}, 2,
     "socksim run: GTEST_SHARD_INDEX=0 and GTEST_TOTAL_SHARDS=two want 0 <= index < total\n"},
    {"EnvIndexAlone", {"GTEST_SHARD_INDEX=0"}, {}, 2,
     "socksim run: GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX go together, but only GTEST_SHARD_INDEX is set\n"},
    {"OptionMalformed", {}, {"--shard", "2/1"}, 2, "socksim run: --shard wants I/N with 1 <= I <= N, got '2/1'\n"},
};

class CiShard : public ::testing::TestWithParam<ShardCase> {};

TEST_P(CiShard, ListsTheShardOrRefuses) {
  const ShardCase& c = GetParam();
  const fs::path dir = Workspace(std::string("shard-") + c.name, kTree);
  std::vector<std::string> args = {"run", "--list"};
  args.insert(args.end(), c.options.begin(), c.options.end());
  args.push_back("root");
  const Outcome o = RunCli(dir, args, c.env);
  EXPECT_EQ(o.status, c.status) << o.output;
  EXPECT_EQ(o.output, c.output);
}

INSTANTIATE_TEST_SUITE_P(Cases, CiShard, ::testing::ValuesIn(kShardCases),
                         [](const auto& info) { return std::string(info.param.name); });

// A shard with nothing in it passes, as GoogleTest's does: the other shards run the scenarios.
TEST(CiShardRun, EmptyShardPasses) {
  const fs::path dir = Workspace("shard-empty", {{"t.scn", kPassing}});
  const Outcome o = RunCli(dir, {"run", "t.scn"}, {"GTEST_TOTAL_SHARDS=3", "GTEST_SHARD_INDEX=2"});
  EXPECT_EQ(o.status, 0) << o.output;
  EXPECT_EQ(o.output, "socksim run: shard 3/3 holds none of the 1 scenario(s)\n");
}

// GTEST_SHARD_STATUS_FILE is touched, as GoogleTest does, sharded or not, even by --list; one
// that cannot be written is an error.
TEST(CiShardStatusFile, TouchedWhenSet) {
  const fs::path dir = Workspace("shard-status", {{"t.scn", kPassing}});
  for (const char* extra : {"", "--list"}) {
    SCOPED_TRACE(extra);
    fs::remove(dir / "status");
    std::vector<std::string> args = {"run", "t.scn"};
    if (extra[0] != '\0') args.insert(args.begin() + 1, extra);
    const Outcome o = RunCli(dir, args, {"GTEST_SHARD_STATUS_FILE=status"});
    EXPECT_EQ(o.status, 0) << o.output;
    EXPECT_TRUE(fs::exists(dir / "status"));
  }
  const Outcome bad = RunCli(dir, {"run", "t.scn"}, {"GTEST_SHARD_STATUS_FILE=no/such/dir/status"});
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("socksim run: cannot write GTEST_SHARD_STATUS_FILE no/such/dir/status"), std::string::npos)
      << bad.output;
}

// --fail-fast: the report ends at the first failing scenario in file order, byte for byte the
// same with one job and with several; the JUnit report lists the rest as skipped.
TEST(CiFailFast, StopsAtTheFirstFailureWithAnyJobs) {
  std::vector<std::pair<std::string, std::string>> files = {{"root/a0.scn", kPassing}, {"root/a1.scn", kFailing}};
  for (int i = 2; i < 24; ++i) files.push_back({"root/a" + std::to_string(i) + ".scn", i == 9 ? kFailing : kPassing});
  const fs::path dir = Workspace("fail-fast", files);
  const Outcome one = RunCli(dir, {"run", "--fail-fast", "-j", "1", "--junit", "one.xml", "root"}, {}, false);
  EXPECT_EQ(one.status, 1) << one.output;
  EXPECT_NE(one.output.find("PASS root/a0.scn"), std::string::npos) << one.output;
  EXPECT_NE(one.output.find("FAIL root/a1.scn"), std::string::npos) << one.output;
  EXPECT_EQ(one.output.find("root/a10.scn"), std::string::npos) << one.output;
  EXPECT_NE(one.output.find("--fail-fast: stopped at root/a1.scn; 22 scenario(s) not run\n"), std::string::npos)
      << one.output;
  for (const char* jobs : {"2", "8"}) {
    SCOPED_TRACE(jobs);
    const Outcome many = RunCli(dir, {"run", "--fail-fast", "-j", jobs, "--junit", "many.xml", "root"}, {}, false);
    EXPECT_EQ(many.status, 1);
    EXPECT_EQ(many.output, one.output);
    // The reports agree but for the wall times.
    const std::regex time("time=\"[0-9.]+\"");
    EXPECT_EQ(std::regex_replace(Slurp(dir / "many.xml"), time, ""), std::regex_replace(Slurp(dir / "one.xml"), time, ""));
  }
  const std::string xml = Slurp(dir / "one.xml");
  EXPECT_NE(xml.find("tests=\"24\" failures=\"1\" errors=\"0\" skipped=\"22\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"not run: --fail-fast stopped at root/a1.scn\"/>"), std::string::npos) << xml;
  // Without it every scenario runs.
  const Outcome all = RunCli(dir, {"run", "root"}, {}, false);
  EXPECT_NE(all.output.find("FAIL root/a9.scn"), std::string::npos) << all.output;
}

// A failure says its seed: the scenario's, or --seed's.
struct SeedCase {
  const char* name;
  std::vector<std::string> args;
  std::string seed_line;
};

const SeedCase kSeedCases[] = {
    {"Default", {"run", "t.scn"}, "  seed: 1\n"},
    {"Override", {"run", "--seed", "7", "t.scn"}, "  seed: 7\n"},
    {"Largest", {"run", "--seed", "18446744073709551615", "t.scn"}, "  seed: 18446744073709551615\n"},
};

class CiSeed : public ::testing::TestWithParam<SeedCase> {};

TEST_P(CiSeed, FailBlockSaysTheSeed) {
  const SeedCase& c = GetParam();
  const fs::path dir = Workspace(std::string("seed-") + c.name, {{"t.scn", kFailing}});
  const Outcome o = RunCli(dir, c.args);
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("FAIL t.scn (0 calls passed, 1 failed, 0 errors)\n" + c.seed_line), std::string::npos)
      << o.output;
}

INSTANTIATE_TEST_SUITE_P(Cases, CiSeed, ::testing::ValuesIn(kSeedCases),
                         [](const auto& info) { return std::string(info.param.name); });

// A run recorded with --seed 7 runs again as it was: the recording says `seed 7`. With another
// seed it diverges (the ephemeral port), so the seed line is what makes it pass.
TEST(CiSeedRecord, RecordedWithASeedRunsAgainIdentically) {
  const fs::path dir = Workspace("seed-record", {{"x.scn", kSeeded}});
  fs::create_directories(dir / "rec");
  const Outcome first = RunCli(dir, {"run", "--seed", "7", "--record", "rec", "x.scn"});
  ASSERT_EQ(first.status, 0) << first.output;
  const std::string trace = Slurp(dir / "rec" / "x.trace");
  EXPECT_EQ(trace.find("seed 7\n"), trace.find("personality linux\n") - 7) << trace;
  const Outcome again = RunCli(dir, {"run", "--record", "again.trace", "rec/x.trace"});
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_EQ(again.output, "PASS rec/x.trace (3 calls)\n\n1 scenarios, 3 calls checked, 0 calls diverged, 0 calls skipped\n"
                          "1 passed, 0 failed\n");
  EXPECT_EQ(Slurp(dir / "again.trace"), trace);
  const Outcome other = RunCli(dir, {"run", "--seed", "1", "rec/x.trace"});
  EXPECT_EQ(other.status, 1) << other.output;
}

// --record DIR: each scenario at its name below the run's root ('..' as _parent); two that would
// land on one file are refused before anything runs.
TEST(CiRecord, PathsRelativeToTheRoot) {
  const fs::path dir = Workspace("record-layout", {{"w/root/a/t.scn", kPassing}, {"w/root/b/c/u.scn", kPassing},
                                                   {"w/v.scn", kPassing}, {"w/other/a/t.scn", kPassing}});
  const Outcome o = RunCli(dir / "w", {"run", "--record", "out", "root", "../w/v.scn"});
  ASSERT_EQ(o.status, 0) << o.output;
  std::vector<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(dir / "w" / "out")) {
    if (e.is_regular_file()) written.push_back(fs::relative(e.path(), dir / "w" / "out").generic_string());
  }
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, (std::vector<std::string>{"_parent/w/v.trace", "a/t.trace", "b/c/u.trace"}));
  const Outcome clash = RunCli(dir / "w", {"run", "--record", "out2", "root", "other"});
  EXPECT_EQ(clash.status, 2) << clash.output;
  EXPECT_NE(clash.output.find("socksim run: --record: root/a/t.scn and other/a/t.scn would both be written to "
                              "out2/a/t.trace"),
            std::string::npos)
      << clash.output;
  EXPECT_FALSE(fs::exists(dir / "w" / "out2"));
}

// The JUnit report names each scenario relative to the run's root, with its folder as
// classname, the path it was read from as `file` and its first divergence as `line`.
TEST(CiJunit, NamesClassnamesFilesAndLines) {
  const fs::path dir = Workspace("junit-names", kTree);
  const Outcome o = RunCli(dir, {"run", "--junit", "r.xml", "root"});
  EXPECT_EQ(o.status, 1) << o.output;
  const std::regex time("time=\"[0-9]+\\.[0-9]{3}\"");
  const std::string xml = std::regex_replace(Slurp(dir / "r.xml"), time, "time=\"T\"");
  for (const std::string want : {
           "<testsuite name=\"socksim\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"T\">",
           "<testcase name=\"a/one.scn\" classname=\"a\" time=\"T\" file=\"root/a/one.scn\" line=\"1\"/>",
           "<testcase name=\"b/c/four.scn\" classname=\"b.c\" time=\"T\" file=\"root/b/c/four.scn\" line=\"1\"/>",
           "<testcase name=\"b/three.scn\" classname=\"b\" time=\"T\" file=\"root/b/three.scn\" line=\"4\">",
           "<failure type=\"divergence\" message=\"root/b/three.scn:4:48: return value differs\">",
       }) {
    EXPECT_NE(xml.find(want), std::string::npos) << want << "\n" << xml;
  }
  // A file given itself is named as given, its classname from its folder.
  const Outcome file = RunCli(dir, {"run", "--junit", "f.xml", "root/a/one.scn"});
  EXPECT_EQ(file.status, 0) << file.output;
  EXPECT_NE(Slurp(dir / "f.xml").find("name=\"root/a/one.scn\" classname=\"root.a\""), std::string::npos);
}

// socksim replay --junit: one testcase for the log.
TEST(CiJunit, ReplayWritesOneTestcase) {
  const fs::path dir = Workspace("junit-replay", {{"logs/t.log", "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}});
  const Outcome o = RunCli(dir, {"replay", "--junit", "r.xml", "logs/t.log"});
  EXPECT_EQ(o.status, 0) << o.output;
  const std::string xml = Slurp(dir / "r.xml");
  EXPECT_NE(xml.find("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase name=\"logs/t.log\" classname=\"logs\""), std::string::npos) << xml;
}

// Off a terminal (here, a pipe) the output is plain: no escape sequence and no progress, even
// with the colour variables unset.
TEST(CiTerminal, PlainWhenNotATerminal) {
  const fs::path dir = Workspace("terminal-plain", kTree);
  const Outcome o = RunCli(dir, {"run", "root"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find('\r'), std::string::npos) << o.output;
}

// On a terminal (script(1) gives the CLI a pseudo-terminal): coloured verdicts and a progress
// line on stderr; NO_COLOR (any non-empty value) turns the colour off, not the progress.
struct TerminalCase {
  const char* name;
  std::vector<std::string> env;
  bool colour;
};

const TerminalCase kTerminalCases[] = {
    {"Colour", {}, true},
    {"EmptyNoColorKeepsColour", {"NO_COLOR="}, true},
    {"NoColor", {"NO_COLOR=1"}, false},
};

class CiTerminalTty : public ::testing::TestWithParam<TerminalCase> {};

TEST_P(CiTerminalTty, ColourAndProgress) {
  const TerminalCase& c = GetParam();
  if (Shell(".", "command -v script >/dev/null").status != 0) GTEST_SKIP() << "script(1) (util-linux) is missing";
  const fs::path dir = Workspace(std::string("terminal-") + c.name, kTree);
  const Outcome o = Shell(dir, "script -qec " + Quote(CliCommand(c.env, {"run", "-j", "1", "root"})) + " /dev/null");
  EXPECT_EQ(o.status, 1) << o.output;
  EXPECT_NE(o.output.find("\r\x1b[K[1/4] a/one.scn"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("\r\x1b[K[4/4] b/three.scn\r\x1b[K"), std::string::npos) << o.output;
  const bool green = o.output.find("\x1b[32mPASS\x1b[0m root/a/one.scn") != std::string::npos;
  const bool red = o.output.find("\x1b[31mFAIL\x1b[0m root/b/three.scn") != std::string::npos;
  EXPECT_EQ(green, c.colour) << o.output;
  EXPECT_EQ(red, c.colour) << o.output;
  if (!c.colour) {
    EXPECT_NE(o.output.find("PASS root/a/one.scn"), std::string::npos) << o.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, CiTerminalTty, ::testing::ValuesIn(kTerminalCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
