// File: tests/tools/writer_test.cc
// The one writer of scenario text: what it writes parses back to the same lines (call lines,
// split halves, hints, named arguments, process events).
#include "tools/scenario/writer.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace socksim::tools
