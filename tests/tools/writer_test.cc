// File: tests/tools/writer_test.cc
// The one writer of scenario text: what it writes parses back to the same lines (call lines,
// split halves, hints, named arguments, process events).
#include "tools/scenario/writer.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "tools/scenario/parser.h"

namespace socksim::tools {
namespace {

constexpr const char* kText =
    "# what: a round trip\n"
    "host a\n"
    "process 100 host=a\n"
    "hint port=40000\n"
    "100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"
    "100 accept(3, <unfinished ...>\n"
    "100 <... accept resumed>NULL, NULL) = 4\n"
    "100 clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_VM) = 101\n"
    "100 getpeername(9, 0x1, [16]) = -1 EBADF (Bad file descriptor)\n"
    "101 +++ exited with 0 +++\n";

TEST(Writer, ScenarioTextParsesBackToTheSameLines) {
  const ParseResult first = ParseScenario(kText, "w.scn");
  ASSERT_TRUE(first.ok());
  const std::string written = FormatScenarioText(first.scenario);
  const ParseResult second = ParseScenario(written, "w.scn");
  ASSERT_TRUE(second.ok()) << written;
  EXPECT_EQ(FormatScenarioText(second.scenario), written);
  EXPECT_NE(written.find("hint port=40000\n"), std::string::npos);
  EXPECT_NE(written.find("flags=CLONE_THREAD|CLONE_VM"), std::string::npos);
  EXPECT_NE(written.find("100 accept(3, <unfinished ...>\n"), std::string::npos);
  EXPECT_NE(written.find("101 +++ exited with 0 +++\n"), std::string::npos);
}

TEST(Writer, HintsOfACallBecomeHintLines) {
  CallLine c;
  c.pid = 7;
  c.name = "bind";
  c.hints = {{"port", "5"}, {"autobind", "0f00d"}};
  EXPECT_EQ(FormatHints(c), (std::vector<std::string>{"hint port=5", "hint autobind=0f00d"}));
}

TEST(Writer, Outcomes) {
  Outcome o;
  o.value = -1;
  o.error_symbol = "ENOTCONN";
  o.error_text = "Transport endpoint is not connected";
  EXPECT_EQ(FormatOutcome(o), "= -1 ENOTCONN (Transport endpoint is not connected)");
  o.kind = Outcome::Kind::kUnknown;
  EXPECT_EQ(FormatOutcome(o), "= ?");
}

// --record writes the seed a run used as the text's one seed line, after its leading comments.
struct SeedCase {
  const char* name;
  const char* text;
  std::uint64_t seed;
  const char* want;
};

const SeedCase kSeedCases[] = {
    {"NoSeedLine", "# what: x\nhost a\n", 7, "# what: x\nseed 7\nhost a\n"},
    {"SeedReplaced", "seed 1\nhost a\n", 7, "seed 7\nhost a\n"},
    {"LateSeedMoved", "host a\nseed 3\n100 close(0) = 0\n", 9, "seed 9\nhost a\n100 close(0) = 0\n"},
    {"EveryCommentFirst", "# a\n\n# b\nseed 2\n", 5, "# a\n\n# b\nseed 5\n"},
    {"CommentsOnlyNoNewline", "# a", 4, "# a\nseed 4\n"},
    {"SeedlikeWordKept", "seeds 1\n", 3, "seed 3\nseeds 1\n"},
    {"LargestSeed", "host a\n", UINT64_MAX, "seed 18446744073709551615\nhost a\n"},
};

class WithSeed : public ::testing::TestWithParam<SeedCase> {};

TEST_P(WithSeed, OneSeedLineAfterTheLeadingComments) {
  const SeedCase& c = GetParam();
  const std::string out = WithSeedDirective(c.text, c.seed);
  EXPECT_EQ(out, c.want);
  // Applying it twice changes nothing.
  EXPECT_EQ(WithSeedDirective(out, c.seed), out);
}

INSTANTIATE_TEST_SUITE_P(Cases, WithSeed, ::testing::ValuesIn(kSeedCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace socksim::tools
