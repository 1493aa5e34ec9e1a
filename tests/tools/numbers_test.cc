// File: tests/tools/numbers_test.cc
// The one number and duration parser: whole-text integers, strace integer literals, both
// duration grammars and ratios, with the overflow edges of int64 and uint64, empty text, signs
// and junk after the number, and the exact error messages the graph diagnostics embed.
#include "tools/text/numbers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "tools/scenario/ast.h"
#include "tools/scenario/parser.h"

namespace socksim::tools::numbers {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t kUint64Max = std::numeric_limits<std::uint64_t>::max();

struct IntCase {
  std::string_view text;
  std::optional<std::int64_t> expected;
};

TEST(NumbersParseInt64, WholeDecimalTextWithinRange) {
  const IntCase cases[] = {
      {"0", 0},
      {"42", 42},
      {"-42", -42},
      {"-0", 0},
      {"007", 7},
      {"9223372036854775807", kInt64Max},
      {"-9223372036854775808", kInt64Min},
      {"9223372036854775808", std::nullopt},  // INT64_MAX + 1
      {"-9223372036854775809", std::nullopt},
      {"18446744073709551615", std::nullopt},
      {"", std::nullopt},
      {"-", std::nullopt},
      {"+1", std::nullopt},
      {"--1", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"12ab", std::nullopt},
      {"0x10", std::nullopt},
      {"1.5", std::nullopt},
  };
  for (const IntCase& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    EXPECT_EQ(ParseInt64(c.text), c.expected);
  }
}

TEST(NumbersParseUint64, DigitsOnlyUpToTwoToTheSixtyFourMinusOne) {
  struct Case {
    std::string_view text;
    std::optional<std::uint64_t> expected;
  };
  const Case cases[] = {
      {"0", 0},
      {"00", 0},
      {"9223372036854775808", std::uint64_t{1} << 63},  // INT64_MAX + 1 fits here
      {"18446744073709551615", kUint64Max},
      {"18446744073709551616", std::nullopt},  // 2^64
      {"99999999999999999999999", std::nullopt},
      {"-1", std::nullopt},
      {"-0", std::nullopt},
      {"+1", std::nullopt},
      {"", std::nullopt},
      {"1 ", std::nullopt},
      {"1x", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    EXPECT_EQ(ParseUint64(c.text), c.expected);
  }
}

TEST(NumbersParseIntegerLiteral, StraceFormsAndTwosComplementAboveInt64Max) {
  struct Case {
    std::string_view text;
    std::optional<std::int64_t> expected;
    std::string_view error;  // when expected is nullopt
  };
  const Case cases[] = {
      {"0", 0, ""},
      {"42", 42, ""},
      {"-42", -42, ""},
      {"0x1f", 31, ""},
      {"0X1F", 31, ""},
      {"-0x10", -16, ""},
      {"0755", 0755, ""},
      {"00", 0, ""},
      {"9223372036854775807", kInt64Max, ""},
      {"9223372036854775808", kInt64Min, ""},  // INT64_MAX + 1 as its bit pattern
      {"18446744073709551615", -1, ""},        // 2^64 - 1
      {"0xffffffffffffffff", -1, ""},
      {"01777777777777777777777", -1, ""},  // 2^64 - 1 in octal
      {"-9223372036854775808", kInt64Min, ""},
      {"18446744073709551616", std::nullopt, "out of range"},  // 2^64
      {"0x10000000000000000", std::nullopt, "out of range"},
      {"02000000000000000000000", std::nullopt, "out of range"},
      {"-9223372036854775809", std::nullopt, "out of range"},
      {"-0xffffffffffffffff", std::nullopt, "out of range"},
      {"", std::nullopt, "expected digits"},
      {"-", std::nullopt, "expected digits"},
      {"0x", std::nullopt, "expected digits"},
      {"+1", std::nullopt, "expected digits"},
      {" 1", std::nullopt, "expected digits"},
      {"x1", std::nullopt, "expected digits"},
      {"08", std::nullopt, "not an integer literal"},
      {"12ab", std::nullopt, "not an integer literal"},
      {"0x1g", std::nullopt, "not an integer literal"},
      {"0x-1", std::nullopt, "not an integer literal"},
      {"1 ", std::nullopt, "not an integer literal"},
      {"1.5", std::nullopt, "not an integer literal"},
      {"99999999999999999999x", std::nullopt, "not an integer literal"},  // junk before range
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    std::string error;
    EXPECT_EQ(ParseIntegerLiteral(c.text, &error), c.expected);
    EXPECT_EQ(error, c.error);
  }
}

TEST(NumbersParseIntegerLiteral, AgreesWithTheScenarioParser) {
  // parser.h documents the literal forms; a call table reading an argument's text must get
  // the integer the parser stored for it.
  const std::string_view literals[] = {
      "0",
      "7",
      "-1",
      "0x7ffc783a3fe0",
      "0755",
      "-0x10",
      "0xffffffffffffffff",
      "18446744073709551615",
      "-9223372036854775808",
  };
  for (std::string_view text : literals) {
    SCOPED_TRACE(std::string(text));
    std::string error;
    const std::optional<Value> parsed = ParseValue(text, &error);
    ASSERT_TRUE(parsed.has_value()) << error;
    ASSERT_EQ(parsed->kind, Value::Kind::kInteger);
    EXPECT_EQ(ParseIntegerLiteral(text), parsed->integer);
  }
}

struct DurationCase {
  std::string_view text;
  std::optional<std::int64_t> expected_ns;
  std::string_view error;  // when expected_ns is nullopt
};

void CheckDurations(const DurationCase* begin, const DurationCase* end, DurationOptions options) {
  for (const DurationCase* c = begin; c != end; ++c) {
    SCOPED_TRACE(std::string(c->text));
    std::string error;
    const std::optional<sim::Duration> d = ParseDuration(c->text, options, &error);
    EXPECT_EQ(d.has_value(), c->expected_ns.has_value());
    if (d && c->expected_ns) {
      EXPECT_EQ(d->ns, *c->expected_ns);
    }
    EXPECT_EQ(error, c->error);
  }
}

TEST(NumbersParseDuration, ScenarioGrammar) {
  const DurationCase cases[] = {
      {"1500ms", 1'500'000'000, ""},
      {"2s", 2'000'000'000, ""},
      {"10us", 10'000, ""},
      {"5ns", 5, ""},
      {"0ms", 0, ""},
      {"007ms", 7'000'000, ""},
      {"1 ms", 1'000'000, ""},
      {"1   s", 1'000'000'000, ""},
      {"9223372036854775807ns", kInt64Max, ""},
      {"9223372036854775808ns", std::nullopt, "duration too large"},
      {"9223372036854ms", 9'223'372'036'854'000'000, ""},
      {"9223372036855ms", std::nullopt, "duration too large"},
      {"9223372036s", 9'223'372'036'000'000'000, ""},
      {"9223372037s", std::nullopt, "duration too large"},
      {"9999999999999s", std::nullopt, "duration too large"},
      {"99999999999999999999999ns", std::nullopt, "duration too large"},
      {"", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"ms", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"-1ms", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"+1ms", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {" 1ms", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"1", std::nullopt, "missing unit (use ns, us, ms or s)"},
      {"1.5ms", std::nullopt, "a fraction is not allowed here; use a smaller unit"},
      {"1MS", std::nullopt, "unknown unit \"MS\" (use ns, us, ms or s)"},
      {"1 msec", std::nullopt, "unknown unit \"msec\" (use ns, us, ms or s)"},
      {"1min", std::nullopt, "unknown unit \"min\" (use ns, us, ms or s)"},
      {"1\tms", std::nullopt, "unknown unit \"\\x09ms\" (use ns, us, ms or s)"},
      {"1ms ", std::nullopt, "unknown unit \"ms \" (use ns, us, ms or s)"},
      {"1msx", std::nullopt, "unknown unit \"msx\" (use ns, us, ms or s)"},
  };
  CheckDurations(std::begin(cases), std::end(cases), {});
}

TEST(NumbersParseDuration, GraphGrammar) {
  const DurationCase cases[] = {
      {"1.5ms", 1'500'000, ""},
      {"50 ms", 50'000'000, ""},
      {" \t2s\n", 2'000'000'000, ""},
      {"1\tms", 1'000'000, ""},
      {"+3us", 3'000, ""},
      {"1 Seconds", 1'000'000'000, ""},
      {"2 MINUTES", 120'000'000'000, ""},
      {"1 nsec", 1, ""},
      {"3 Microsecond", 3'000, ""},
      {"4 msec", 4'000'000, ""},
      {".5s", 500'000'000, ""},
      {"5.s", 5'000'000'000, ""},
      {"1.50000ms", 1'500'000, ""},
      {"0.000000001s", 1, ""},
      {"1.0000000000000000000s", 1'000'000'000, ""},  // trailing zeros are not precision
      {"0.5min", 30'000'000'000, ""},
      {"9223372036854775807ns", kInt64Max, ""},
      {"9223372036.854775807s", kInt64Max, ""},
      {"9223372036.854775808s", std::nullopt, "duration too large"},
      {"9223372037s", std::nullopt, "duration too large"},
      {"153722867min", 153'722'867 * 60'000'000'000, ""},
      {"153722868min", std::nullopt, "duration too large"},
      {"0.0000000001s", std::nullopt, "more precision than one nanosecond"},
      {"0.1ns", std::nullopt, "more precision than one nanosecond"},
      {"1.0000000000000000001s", std::nullopt, "more precision than one nanosecond"},
      {"-1ms", std::nullopt, "a duration cannot be negative"},
      {"-0ms", std::nullopt, "a duration cannot be negative"},
      {"", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {".", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"++1ms", std::nullopt, "expected a number followed by a unit (ns, us, ms, s)"},
      {"1", std::nullopt, "missing unit (use ns, us, ms or s)"},
      {"10 parsecs", std::nullopt, "unknown unit \"parsecs\" (use ns, us, ms or s)"},
      {"1 ms ms", std::nullopt, "unknown unit \"ms ms\" (use ns, us, ms or s)"},
      {"1 hour", std::nullopt, "unknown unit \"hour\" (use ns, us, ms or s)"},
      // The unit is checked before the number, so junk wins over overflow.
      {"99999999999999999999xx", std::nullopt, "unknown unit \"xx\" (use ns, us, ms or s)"},
  };
  CheckDurations(std::begin(cases), std::end(cases), {.grammar = DurationGrammar::kGraph});
}

TEST(NumbersParseDuration, BareNumberIsSecondsWhenAsked) {
  const DurationCase graph[] = {
      {"0.002", 2'000'000, ""},
      {"1", 1'000'000'000, ""},
      {"9223372037", std::nullopt, "duration too large"},
  };
  CheckDurations(std::begin(graph), std::end(graph),
                 {.grammar = DurationGrammar::kGraph, .bare_is_seconds = true});
  const DurationCase scenario[] = {{"3", 3'000'000'000, ""}, {"3ms", 3'000'000, ""}};
  CheckDurations(std::begin(scenario), std::end(scenario), {.bare_is_seconds = true});
}

TEST(NumbersParseDuration, LongUnitIsCutInTheMessageAndErrorIsOptional) {
  const std::string text = "1 " + std::string(70, 'x');
  std::string error;
  EXPECT_FALSE(ParseDuration(text, {.grammar = DurationGrammar::kGraph}, &error));
  EXPECT_EQ(error, "unknown unit \"" + std::string(60, 'x') + "...\" (use ns, us, ms or s)");
  EXPECT_FALSE(ParseDuration(text, {.grammar = DurationGrammar::kGraph}));
  EXPECT_FALSE(ParseDuration("9999999999999s"));
}

TEST(NumbersParseRatio, NumOverDenWithinUint64) {
  struct Case {
    std::string_view text;
    std::optional<sim::Ratio> expected;
    std::string_view error;
  };
  constexpr std::string_view kShape = "expected N/D with non-negative integers";
  const Case cases[] = {
      {"1/2", sim::Ratio{1, 2}, ""},
      {"0/1", sim::Ratio{0, 1}, ""},
      {"1/1", sim::Ratio{1, 1}, ""},
      {" 1 / 100 ", sim::Ratio{1, 100}, ""},
      {"18446744073709551615/18446744073709551615", sim::Ratio{kUint64Max, kUint64Max}, ""},
      {"18446744073709551616/18446744073709551616", std::nullopt, kShape},
      {"2/1", std::nullopt, "a probability cannot exceed 1"},
      {"1/0", std::nullopt, "the denominator cannot be 0"},
      {"0/0", std::nullopt, "the denominator cannot be 0"},
      {"", std::nullopt, kShape},
      {"1", std::nullopt, kShape},
      {"/", std::nullopt, kShape},
      {"1/", std::nullopt, kShape},
      {"/2", std::nullopt, kShape},
      {"-1/2", std::nullopt, kShape},
      {"1/-2", std::nullopt, kShape},
      {"+1/2", std::nullopt, kShape},
      {"1/2/3", std::nullopt, kShape},
      {"1.5/2", std::nullopt, kShape},
      {"1/2x", std::nullopt, kShape},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.text));
    std::string error;
    const std::optional<sim::Ratio> r = ParseRatio(c.text, &error);
    ASSERT_EQ(r.has_value(), c.expected.has_value());
    if (r) {
      EXPECT_EQ(r->num, c.expected->num);
      EXPECT_EQ(r->den, c.expected->den);
    }
    EXPECT_EQ(error, c.error);
  }
}

TEST(NumbersQuoteForMessage, EscapesAndCutsAtSixtyBytes) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {"", "\"\""},
      {"abc", "\"abc\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {std::string("\x01\n\x7f", 3), "\"\\x01\\x0a\\x7f\""},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},  // bytes >= 0x80 pass through
      {std::string(60, 'a'), "\"" + std::string(60, 'a') + "\""},
      {std::string(61, 'a'), "\"" + std::string(60, 'a') + "...\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(QuoteForMessage(c.text), c.expected);
  }
}

}  // namespace
}  // namespace socksim::tools::numbers
