// File: tests/tools/report_test.cc
// The JUnit report (report.h): XML 1.0 for any byte, the testcase's attributes, and which of
// error, failure and skipped each kind of result becomes (docs/ci.md).
#include "tools/scenario/report.h"

#include <gtest/gtest.h>

#include <string>

namespace socksim::tools {
namespace {

struct XmlCase {
  const char* name;
  std::string input;
  std::string text;       // XmlText
  std::string attribute;  // XmlAttribute
};

const XmlCase kXmlCases[] = {
    {"Plain", "abc", "abc", "abc"},
    {"Markup", "<a href=\"x\">&'</a>", "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;",
     "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"},
    {"TabNewline", "a\tb\nc", "a\tb\nc", "a&#9;b&#10;c"},
    {"CarriageReturn", "a\rb", "a&#13;b", "a&#13;b"},
    {"Nul", std::string("a\0b", 3), "a\\x00b", "a\\x00b"},
    {"Escape", "\x1b[31m", "\\x1b[31m", "\\x1b[31m"},
    {"Delete", "\x7f", "\x7f", "\x7f"},  // allowed by XML 1.0
    {"TwoByteUtf8", "\xc3\xa9", "\xc3\xa9", "\xc3\xa9"},
    {"FourByteUtf8", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
    {"LoneContinuation", "\x80", "\\x80", "\\x80"},
    {"Overlong", "\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf"},
    {"OverlongThreeByte", "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf"},
    {"Surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80"},
    {"NonCharacterFffe", "\xef\xbf\xbe", "\\xef\\xbf\\xbe", "\\xef\\xbf\\xbe"},
    {"PastUnicode", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "\\xf4\\x90\\x80\\x80"},
    {"Truncated", "a\xe2\x82", "a\\xe2\\x82", "a\\xe2\\x82"},
    {"FfByte", "\xff", "\\xff", "\\xff"},
};

class Xml : public ::testing::TestWithParam<XmlCase> {};

TEST_P(Xml, TextAndAttributeAreXml10) {
  const XmlCase& c = GetParam();
  EXPECT_EQ(XmlText(c.input), c.text);
  EXPECT_EQ(XmlAttribute(c.input), c.attribute);
}

INSTANTIATE_TEST_SUITE_P(Cases, Xml, ::testing::ValuesIn(kXmlCases),
                         [](const auto& info) { return std::string(info.param.name); });

ScenarioResult Failing(const std::string& file, int line) {
  ScenarioResult r;
  r.file = file;
  r.passed = 1;
  r.failed = 1;
  r.seed = 7;
  r.verdicts.push_back(LineVerdict{LineVerdict::Status::kFail, SourceLocation{file, line, 5}, "x", "= 3", "= 4",
                                   "return value differs", {}});
  return r;
}

TEST(Junit, TestcaseCarriesClassnameNameTimeFileAndLine) {
  const ScenarioResult r = Failing("scenarios/linux/a/t.scn", 12);
  JunitReport report;
  report.cases.push_back(JunitCase{.result = &r, .name = "linux/a/t.scn", .classname = "linux.a", .time_ms = 1234});
  report.time_ms = 5006;
  const std::string xml = FormatJunit(report);
  EXPECT_NE(xml.find("<testcase name=\"linux/a/t.scn\" classname=\"linux.a\" time=\"1.234\" "
                     "file=\"scenarios/linux/a/t.scn\" line=\"12\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"socksim\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"5.006\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("seed: 7"), std::string::npos) << xml;
}

// Each kind of result, with the element it becomes and the line it points at.
struct KindCase {
  const char* name;
  ScenarioResult result;
  std::string not_run;
  std::string element;  // what the testcase holds
  std::string counts;   // the testsuite's counts
  std::string line;
};

ScenarioResult Passing() {
  ScenarioResult r;
  r.file = "p.scn";
  r.passed = 3;
  return r;
}
ScenarioResult Unusable() {
  ScenarioResult r;
  r.file = "e.scn";
  r.errors = 1;
  r.verdicts.push_back(LineVerdict{LineVerdict::Status::kError, SourceLocation{"e.scn", 4, 1}, "frob", "", "",
                                   "unknown directive 'frob'", {}});
  return r;
}
ScenarioResult NothingChecked() {
  ScenarioResult r;
  r.file = "n.scn";
  return r;
}
ScenarioResult HostSkipped() {
  ScenarioResult r;
  r.file = "s.scn";
  r.skipped = 2;
  r.skip_reason = "a second node";
  return r;
}

const KindCase kKindCases[] = {
    {"Pass", Passing(), "", "line=\"1\"/>", "failures=\"0\" errors=\"0\" skipped=\"0\"", "1"},
    {"Divergence", Failing("f.scn", 9), "", "<failure type=\"divergence\" message=\"f.scn:9:5: return value differs\">",
     "failures=\"1\" errors=\"0\" skipped=\"0\"", "9"},
    {"UnusableInput", Unusable(), "",
     "<error type=\"unusable-input\" message=\"e.scn:4:1: unknown directive &apos;frob&apos;\">",
     "failures=\"0\" errors=\"1\" skipped=\"0\"", "4"},
    {"NothingChecked", NothingChecked(), "",
     "<failure type=\"nothing-checked\" message=\"nothing checked: no call line\">",
     "failures=\"1\" errors=\"0\" skipped=\"0\"", "1"},
    {"SkippedByTheHost", HostSkipped(), "", "<skipped message=\"nothing checked: a second node\"/>",
     "failures=\"0\" errors=\"0\" skipped=\"1\"", "1"},
    {"NotRun", Passing(), "not run: --fail-fast stopped at f.scn",
     "<skipped message=\"not run: --fail-fast stopped at f.scn\"/>", "failures=\"0\" errors=\"0\" skipped=\"1\"", "1"},
};

class JunitKinds : public ::testing::TestWithParam<KindCase> {};

TEST_P(JunitKinds, ElementCountsAndLine) {
  const KindCase& c = GetParam();
  JunitReport report;
  report.cases.push_back(JunitCase{.result = &c.result, .name = "x.scn", .classname = "socksim", .not_run = c.not_run});
  const std::string xml = FormatJunit(report);
  EXPECT_NE(xml.find(c.element), std::string::npos) << xml;
  EXPECT_NE(xml.find("tests=\"1\" " + c.counts), std::string::npos) << xml;
  EXPECT_NE(xml.find("line=\"" + c.line + "\""), std::string::npos) << xml;
}

INSTANTIATE_TEST_SUITE_P(Cases, JunitKinds, ::testing::ValuesIn(kKindCases),
                         [](const auto& info) { return std::string(info.param.name); });

// A failing scenario's text report says its seed; a passing one, and one that never ran
// (unusable input), do not.
TEST(Report, FailBlockShowsTheSeed) {
  EXPECT_NE(FormatResult(Failing("f.scn", 3), false).find("\n  seed: 7\n"), std::string::npos);
  EXPECT_EQ(FormatResult(Passing(), false).find("seed:"), std::string::npos);
  EXPECT_EQ(FormatResult(Unusable(), false).find("seed:"), std::string::npos);
}

// A file name's control bytes cannot drive the terminal from a PASS or FAIL line.
TEST(Report, FileNameControlBytesAreQuoted) {
  ScenarioResult r = Passing();
  r.file = "d\x1b[2J/t\x01.scn";
  EXPECT_EQ(FormatResult(r, false), "PASS d\\x1b[2J/t\\x01.scn (3 calls)\n");
}

}  // namespace
}  // namespace socksim::tools
