// File: tests/tools/match_test.cc
// The matcher on the value forms real strace logs hold: strings strace truncated (known only
// as far as it printed them), signal and descriptor sets, operator expressions and remarks.
#include "tools/scenario/match.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "tools/scenario/parser.h"

namespace socksim::tools {
namespace {

/// An expected and an actual value in strace notation, and whether they must match.
struct MatchCase {
  const char* id;  // CamelCase, names the test
  const char* expected;
  const char* actual;
  bool matches;
};

void PrintTo(const MatchCase& c, std::ostream* os) { *os << c.expected << " vs " << c.actual; }

const MatchCase kCases[] = {
    // strace -s: what follows the printed prefix is unknown, so any continuation matches.
    {"TruncatedMatchesALongerActual", R"("abc"...)", R"("abcdef")", true},
    {"TruncatedMatchesItsPrefixExactly", R"("abc"...)", R"("abc")", true},
    {"TruncatedNeedsThePrefixWhole", R"("abc"...)", R"("ab")", false},
    {"TruncatedComparesEveryPrintedByte", R"("abc"...)", R"("abd")", false},
    {"TruncatedFirstByteDiffers", R"("abc"...)", R"("xbcdef")", false},
    // Unknown is not zeros: a prefix followed by NULs agrees, and so does any other byte.
    {"TruncatedIsNotZeroFilled", R"("ab"...)", R"("ab\1\2\3")", true},
    {"TruncatedNulPrefix", R"("\0\0"...)", R"("\0\0\1")", true},
    {"TruncatedNulPrefixDiffers", R"("\0\0"...)", R"("\0\1")", false},
    // A string printed whole is all of it.
    {"WholeNeedsEqualLength", R"("abc")", R"("abcdef")", false},
    {"WholeEqual", R"("abc")", R"("abc")", true},
    // An actual value strace truncated is known as far as it printed.
    {"ActualTruncatedPrefixOfExpected", R"("abcdef")", R"("abc"...)", true},
    {"ActualTruncatedLongerThanExpected", R"("ab")", R"("abc"...)", false},
    {"ActualTruncatedDiffers", R"("abcdef")", R"("abd"...)", false},
    {"BothTruncatedAgree", R"("ab"...)", R"("abcd"...)", true},
    {"BothTruncatedDisagree", R"("abd"...)", R"("abcd"...)", false},
    {"TruncatedAbstractName", R"(@"sock"...)", R"(@"socket1")", true},
    {"TruncatedAbstractNameNeedsItsTag", R"(@"sock"...)", R"("socket1")", false},
    {"TruncatedInsideAnIovec", R"([{iov_base="hel"..., iov_len=5}])",
     R"([{iov_base="hello", iov_len=5}])", true},
    {"TruncatedInsideAnIovecDiffers", R"([{iov_base="hex"..., iov_len=5}])",
     R"([{iov_base="hello", iov_len=5}])", false},
    // Sets compare member by member, and a complement is another set.
    {"SetsEqual", "[INT TERM]", "[INT TERM]", true},
    {"SetsDiffer", "[INT TERM]", "[INT CHLD]", false},
    {"ComplementIsAnotherSet", "~[INT TERM]", "[INT TERM]", false},
    {"ComplementsEqual", "~[RTMIN RT_1]", "~[RTMIN RT_1]", true},
    {"DescriptorSetIgnoresDecorations", "[0 5]", "[0</dev/null> 5<socket:[9193254]>]", true},
    // Expressions compare operator and operands.
    {"WaitStatusEqual", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]",
     "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]", true},
    {"WaitStatusDiffers", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]",
     "[{WIFEXITED(s) && WEXITSTATUS(s) == 1}]", false},
    {"OperatorDiffers", "1<<20", "1*20", false},
    {"Remark", "<... resuming interrupted read ...>", "<... resuming interrupted read ...>", true},
    {"RemarkDiffers", "<... resuming interrupted read ...>", "<... resuming interrupted poll ...>",
     false},
    // A decoration on a symbol is a hint, like one on a descriptor.
    {"DecoratedSymbol", "AT_FDCWD</root>", "AT_FDCWD", true},
};

class MatchStraceForms : public ::testing::TestWithParam<MatchCase> {};

TEST_P(MatchStraceForms, AsDocumented) {
  const MatchCase& c = GetParam();
  std::string error;
  const auto expected = ParseValue(c.expected, &error);
  ASSERT_TRUE(expected.has_value()) << error;
  const auto actual = ParseValue(c.actual, &error);
  ASSERT_TRUE(actual.has_value()) << error;
  std::string where;
  EXPECT_EQ(Matches(*expected, *actual, &where), c.matches) << where;
  if (!c.matches) {
    EXPECT_FALSE(where.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Values, MatchStraceForms, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<MatchCase>& info) {
                           return std::string(info.param.id);
                         });

}  // namespace
}  // namespace socksim::tools
