// File: tests/tools/captures_test.cc
// Captures (`$name`) apart from any personality: finding them, substituting bound ones into a
// call line, binding unbound ones while matching values and outcomes, and resolving them for
// a recorded trace, which never holds one.
#include "tools/scenario/captures.h"

#include <gtest/gtest.h>

#include <string>

#include "tools/scenario/match.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/values.h"

namespace socksim::tools {
namespace {

Value MustParse(const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << text << ": " << error;
  return v.value_or(Value{});
}

CallLine MustParseCall(const std::string& text) {
  const ParseResult r = ParseScenario(text, "t.scn");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  if (r.scenario.lines.empty()) return CallLine{};
  return r.scenario.lines[0].call;
}

TEST(Captures, FindCaptureLooksInsideStructsCallsAndCells) {
  EXPECT_EQ(FindCapture(MustParse("3")), nullptr);
  EXPECT_EQ(FindCapture(MustParse("{sin_port=htons(80)}")), nullptr);
  const Value nested = MustParse("{sa_family=AF_INET, sin_port=htons($port)}");
  ASSERT_NE(FindCapture(nested), nullptr);
  EXPECT_EQ(FindCapture(nested)->text, "port");
  EXPECT_EQ(FindCapture(MustParse("[NULL => $uc]"))->text, "uc");
  EXPECT_EQ(UnboundCaptureMessage(*FindCapture(nested)),
            "$port has no value yet (no earlier line bound it)");
}

TEST(Captures, UnboundCapturesBindOnFirstSightAndCompareAfterwards) {
  Captures captures;
  std::string where;
  const Value expected = MustParse("{sin_port=htons($port), sin_addr=htons($port)}");
  // The first $port binds 40000; the second one, in the same value, must then equal it.
  EXPECT_FALSE(Matches(expected, MustParse("{sin_port=htons(40000), sin_addr=htons(40001)}"),
                       &where, &captures));
  ASSERT_NE(captures.Find("port"), nullptr);
  EXPECT_EQ(captures.Find("port")->integer, 40000);
  EXPECT_NE(where.find("expected 40000, got 40001"), std::string::npos) << where;
  EXPECT_TRUE(Matches(MustParse("htons($port)"), MustParse("htons(40000)"), &where, &captures));
  EXPECT_FALSE(Matches(MustParse("htons($port)"), MustParse("htons(1)"), &where, &captures));
  // Without a capture table a capture is a wildcard, and an actual capture binds nothing.
  EXPECT_TRUE(Matches(MustParse("$x"), MustParse("7"), &where));
  EXPECT_TRUE(Matches(MustParse("$y"), MustParse("$y"), &where, &captures));
  EXPECT_EQ(captures.Find("y"), nullptr);
}

TEST(Captures, ResultsBindTheReturnValueAndStillCheckTheError) {
  Captures captures;
  std::string why;
  Outcome expected = MustParseCall("100 socket(AF_INET, SOCK_STREAM, 0) = $s").outcome.value();
  Outcome actual;
  actual.value = 5;
  actual.value_text = "5";
  EXPECT_TRUE(OutcomeMatches(expected, actual, &why, &captures));
  ASSERT_NE(captures.Find("s"), nullptr);
  EXPECT_EQ(captures.Find("s")->integer, 5);
  Outcome failed;
  failed.value = -1;
  failed.error_symbol = "EMFILE";
  Captures other;
  EXPECT_FALSE(OutcomeMatches(expected, failed, &why, &other));
  EXPECT_EQ(why, "unexpected error");
}

TEST(Captures, SubstitutionReplacesBoundCapturesInArgumentsAndResult) {
  Captures captures;
  captures.Bind("s", values::Integer(4));
  captures.Bind("port", values::Integer(40000));
  CallLine call = MustParseCall(
      "100 getpeername($s, {sa_family=AF_INET, sin_port=htons($port), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, "
      "[NULL => $later]) = $s");
  const int column = call.args[0].location.column;
  EXPECT_FALSE(captures.Substitute(call).has_value());
  EXPECT_EQ(call.args[0].kind, Value::Kind::kInteger);
  EXPECT_EQ(call.args[0].integer, 4);
  EXPECT_EQ(call.args[0].location.column, column);  // errors still point at the capture
  EXPECT_EQ(call.args[1].ToString(),
            "{sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}");
  EXPECT_EQ(call.args[2].ToString(), "[NULL => $later]");  // unbound: left for the matcher
  EXPECT_EQ(call.outcome->kind, Outcome::Kind::kValue);
  EXPECT_EQ(call.outcome->value, 4);
  EXPECT_EQ(call.outcome->capture, "s");

  captures.Bind("addr", MustParse("{sa_family=AF_UNIX}"));
  CallLine bad = MustParseCall("100 socket(AF_UNIX, SOCK_STREAM, 0) = $addr");
  const auto problem = captures.Substitute(bad);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->location.column, 39);
  EXPECT_NE(problem->message.find("$addr holds {sa_family=AF_UNIX}, which is not a return value"),
            std::string::npos);
}

TEST(Captures, ResolvedValuesHoldNoCapture) {
  Captures captures;
  captures.Bind("port", values::Integer(40000));
  const Value resolved =
      captures.Resolved(MustParse("{sin_port=htons($port), x=[NULL => $never]}"));
  EXPECT_EQ(resolved.ToString(), "{sin_port=htons(40000), x=[NULL => _]}");
  EXPECT_EQ(FindCapture(resolved), nullptr);
}

}  // namespace
}  // namespace socksim::tools
