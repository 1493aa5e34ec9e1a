// File: tests/tools/strict_scenario_test.cc
// A written scenario names only calls its personality knows and fault points some layer
// checks: anything else is an error at its position, with the nearest known name, rather than
// a call skipped as unmodelled or a fault that never fires. A trace imported from a real
// system keeps skipping what the model lacks.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

constexpr const char* kHeader =
    "personality linux\n"
    "host a\n"
    "process 100 host=a\n"
    "process 300 host=a personality=windows\n";  // lines 1 to 4

/// A body after kHeader, and the one error a written scenario must give for it.
struct StrictCase {
  const char* id;  // CamelCase, names the test
  const char* body;
  const char* error;  // "t.scn:LINE:COL: message"
};

void PrintTo(const StrictCase& c, std::ostream* os) { *os << c.body; }

const StrictCase kCases[] = {
    {"MisspeltCall", "100 getpeernam(3, NULL, NULL) = 0\n",
     "t.scn:5:5: unknown call 'getpeernam' for personality linux (did you mean getpeername?)"},
    {"UnknownCallWithNothingNear", "100 frobnicate_everything(1) = 0\n",
     "t.scn:5:5: unknown call 'frobnicate_everything' for personality linux"},
    {"CallOfAnotherPersonality", "100 WSAStartup(0x202, _) = 0\n",
     "t.scn:5:5: unknown call 'WSAStartup' for personality linux"},
    {"MisspeltWindowsCall", "300 WSAStartupp(0x202, _) = 0\n",
     "t.scn:5:5: unknown call 'WSAStartupp' for personality windows (did you mean WSAStartup?)"},
    {"MisspeltSplitCallOnce",
     "100 acept(3, <unfinished ...>\n100 <... acept resumed>NULL, NULL) = -1 EBADF\n",
     "t.scn:5:5: unknown call 'acept' for personality linux (did you mean accept?)"},
    {"MisspeltFaultPoint", "fault linux.getpeername.nobuf times=1\n",
     "t.scn:5:7: unknown fault point 'linux.getpeername.nobuf' (did you mean "
     "linux.getpeername.nobufs?)"},
    {"MisspeltCoreFaultPoint", "fault net.drp\n",
     "t.scn:5:7: unknown fault point 'net.drp' (did you mean net.drop?)"},
    {"FaultPointNothingNear", "fault x\n", "t.scn:5:7: unknown fault point 'x'"},
};

ParseResult Parse(const StrictCase& c) {
  ParseResult parsed = ParseScenario(std::string(kHeader) + c.body, "t.scn");
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return parsed;
}

class StrictScenario : public ::testing::TestWithParam<StrictCase> {};

TEST_P(StrictScenario, WrittenScenarioReportsTheName) {
  const ParseResult parsed = Parse(GetParam());
  const ScenarioResult r = RunScenario(parsed.scenario);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.errors, 1);
  ASSERT_EQ(r.verdicts.size(), 1u);
  const LineVerdict& v = r.verdicts[0];
  EXPECT_EQ(v.status, LineVerdict::Status::kError);
  EXPECT_EQ(v.location.ToString() + ": " + v.message, GetParam().error);
  EXPECT_EQ(r.skipped, 0);
}

TEST_P(StrictScenario, ImportedTraceIsNotChecked) {
  ParseResult parsed = Parse(GetParam());
  parsed.scenario.origin = ScenarioOrigin::kStrace;
  const ScenarioResult r = RunScenario(parsed.scenario);
  EXPECT_EQ(r.errors, 0);
  for (const LineVerdict& v : r.verdicts) EXPECT_EQ(v.status, LineVerdict::Status::kSkip);
}

INSTANTIATE_TEST_SUITE_P(Names, StrictScenario, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<StrictCase>& info) {
                           return std::string(info.param.id);
                         });

TEST(StrictScenarioKnownNames, EveryDeclaredFaultPointIsAccepted) {
  for (const char* point : {"net.drop", "linux.getpeername.nobufs", "linux.getsockname.nobufs",
                            "windows.netdown", "illumos.malloc.enomem", "illumos.malloc.eagain"}) {
    SCOPED_TRACE(point);
    const ParseResult parsed =
        ParseScenario(std::string(kHeader) + "fault " + point + " times=1\n", "t.scn");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(RunScenario(parsed.scenario).errors, 0);  // accepted (the scenario checks nothing else)
  }
}

TEST(StrictScenarioKnownNames, UnreadableTraceLineIsSkippedWithItsMessage) {
  ParseResult parsed = ParseScenario(std::string(kHeader) + "100 socket(AF_INET,\n", "t.log",
                                     ParseOptions{.strace_mode = true});
  ASSERT_TRUE(parsed.ok());
  const ScenarioResult r = RunScenario(parsed.scenario);
  EXPECT_EQ(r.failed, 0);
  EXPECT_EQ(r.errors, 0);
  ASSERT_EQ(r.verdicts.size(), 1u);
  EXPECT_EQ(r.verdicts[0].status, LineVerdict::Status::kSkip);
  EXPECT_EQ(r.verdicts[0].location.ToString(), "t.log:5:20");
  EXPECT_NE(r.verdicts[0].message.find("could not be read"), std::string::npos);
}

}  // namespace
}  // namespace socksim::tools
