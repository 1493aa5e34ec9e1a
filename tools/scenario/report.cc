// File: tools/scenario/report.cc
// Report formatting. Everything printed is derived from the results alone (no time, no
// addresses), so two runs with the same seed print the same bytes; the one exception is the
// JUnit `time` attributes, which hold the wall times the caller measured.
#include "tools/scenario/report.h"

#include <fmt/format.h>

#include <cstdint>

#include "tools/text/excerpt.h"

namespace socksim::tools {
namespace {

const char* StatusWord(LineVerdict::Status s) {
  switch (s) {
    case LineVerdict::Status::kPass:
      return "pass";
    case LineVerdict::Status::kFail:
      return "fail";
    case LineVerdict::Status::kSkip:
      return "skip";
    case LineVerdict::Status::kError:
      return "error";
  }
  return "?";
}

// The length of the UTF-8 sequence at `s[i]` when it encodes a character XML 1.0 allows
// (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]), else 0. Overlong
// forms and surrogates are not UTF-8 (RFC 3629, section 3).
std::size_t XmlCharLength(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1fu;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0fu;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0u) != 0x80u) return 0;
    cp = (cp << 6) | (b(k) & 0x3fu);
  }
  const std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10ffff) return 0;
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff) return 0;
  return n;
}

std::string XmlEscaped(std::string_view s, bool attribute) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = XmlCharLength(s, i);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s, i, n);
      i += n;
      continue;
    }
    const char c = s[i++];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Each piece of input a verdict quotes is an excerpt (text::Excerpt): bounded, printable.
std::string VerdictBlock(const LineVerdict& v) {
  using text::Excerpt;
  const std::size_t long_limit = 4 * text::kExcerptBytes;  // a call line with its buffers
  std::string out = fmt::format("  {}: {}: {}\n", Excerpt(v.location.ToString()), StatusWord(v.status),
                                Excerpt(v.message, long_limit));
  if (!v.line.empty() && v.status != LineVerdict::Status::kFail) {
    out += fmt::format("    line:     {}\n", Excerpt(v.line, long_limit));
  }
  if (!v.expected.empty()) out += fmt::format("    expected: {}\n", Excerpt(v.expected, long_limit));
  if (!v.actual.empty()) out += fmt::format("    actual:   {}\n", Excerpt(v.actual, long_limit));
  for (std::size_t i = 0; i < v.why.size(); ++i) {
    out += fmt::format("    {}{}\n", i == 0 ? "why:      " : "          ", Excerpt(v.why[i], long_limit));
  }
  return out;
}

}  // namespace

std::string FormatResult(const ScenarioResult& r, bool verbose) {
  // A file name is quoted whole (the system bounds its length), its control bytes as \xNN.
  const std::string file = text::Excerpt(r.file, r.file.size());
  std::string out;
  if (r.skipped_whole()) {
    out = fmt::format("SKIP {} (nothing checked: {})\n", file, text::Excerpt(r.skip_reason, 4 * text::kExcerptBytes));
  } else if (r.checked_nothing()) {
    out = fmt::format("FAIL {} (nothing checked: {})\n", file,
                      r.skipped != 0 ? fmt::format("all {} call(s) were skipped", r.skipped)
                                     : std::string("no call line"));
  } else if (r.ok()) {
    out = fmt::format("PASS {} ({} calls", file, r.passed);
    if (r.skipped) out += fmt::format(", {} skipped", r.skipped);
    out += ")\n";
  } else {
    out = fmt::format("FAIL {} ({} calls passed, {} failed, {} errors)\n", file, r.passed, r.failed, r.errors);
  }
  // A scenario that ran and failed says its seed, so that the run can be repeated exactly
  // (`socksim run --seed N`); one that could not be used never ran.
  if (!r.ok() && !r.skipped_whole() && r.errors == 0) out += fmt::format("  seed: {}\n", r.seed);
  for (const auto& v : r.verdicts) {
    if (v.status == LineVerdict::Status::kSkip && !verbose) continue;
    out += VerdictBlock(v);
  }
  return out;
}

std::string FormatSummary(const std::vector<ScenarioResult>& results) {
  int ok = 0, bad = 0, whole = 0, calls = 0, failed_calls = 0, skipped = 0;
  for (const auto& r : results) {
    (r.ok() ? ok : r.skipped_whole() ? whole : bad) += 1;
    calls += r.passed;
    failed_calls += r.failed;
    skipped += r.skipped;
  }
  std::string out = fmt::format(
      "\n{} scenarios, {} calls checked, {} calls diverged, {} calls skipped\n{} passed, {} failed",
      results.size(), calls + failed_calls, failed_calls, skipped, ok, bad);
  if (whole != 0) out += fmt::format(", {} skipped (nothing checked)", whole);
  if (calls + failed_calls == 0) out += "\nnothing was checked";
  return out + "\n";
}

std::string XmlText(std::string_view s) { return XmlEscaped(s, false); }
std::string XmlAttribute(std::string_view s) { return XmlEscaped(s, true); }

namespace {

// Milliseconds as JUnit's seconds, "1.234": decimal digits only, as the schema's xs:decimal
// and the Surefire readers want (no exponent, no locale).
std::string Seconds(std::uint64_t ms) { return fmt::format("{}.{:03}", ms / 1000, ms % 1000); }

// How a scenario counts in JUnit's terms.
enum class JunitKind { kPass, kError, kFailure, kSkipped };

JunitKind KindOf(const JunitCase& c) {
  if (!c.not_run.empty()) return JunitKind::kSkipped;
  const ScenarioResult& r = *c.result;
  if (r.errors != 0) return JunitKind::kError;
  if (r.skipped_whole()) return JunitKind::kSkipped;
  if (!r.ok()) return JunitKind::kFailure;
  return JunitKind::kPass;
}

// The line a CI system points at: the first divergence or error, else 1.
int FirstProblemLine(const ScenarioResult& r) {
  for (const auto& v : r.verdicts) {
    if ((v.status == LineVerdict::Status::kFail || v.status == LineVerdict::Status::kError) &&
        v.location.line > 0) {
      return v.location.line;
    }
  }
  return 1;
}

// The body of an <error> or <failure>: the FAIL block as the text report prints it.
std::string ProblemBody(const ScenarioResult& r) { return FormatResult(r, false); }

// The message of an <error> or <failure>: the first problem's, with its location.
std::string ProblemMessage(const ScenarioResult& r) {
  for (const auto& v : r.verdicts) {
    if (v.status == LineVerdict::Status::kFail || v.status == LineVerdict::Status::kError) {
      return fmt::format("{}: {}", text::Excerpt(v.location.ToString()),
                         text::Excerpt(v.message, 4 * text::kExcerptBytes));
    }
  }
  if (r.checked_nothing()) {
    return r.skipped != 0 ? fmt::format("nothing checked: all {} call(s) were skipped", r.skipped)
                          : std::string("nothing checked: no call line");
  }
  return "failed";
}

}  // namespace

std::string FormatJunit(const JunitReport& report) {
  int failures = 0, errors = 0, skipped = 0;
  for (const auto& c : report.cases) {
    switch (KindOf(c)) {
      case JunitKind::kPass:
        break;
      case JunitKind::kError:
        ++errors;
        break;
      case JunitKind::kFailure:
        ++failures;
        break;
      case JunitKind::kSkipped:
        ++skipped;
        break;
    }
  }
  const std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
                                         report.cases.size(), failures, errors, skipped, Seconds(report.time_ms));
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" {}>\n", XmlAttribute(report.suite), counts);
  out += fmt::format("  <testsuite name=\"{}\" {}>\n", XmlAttribute(report.suite), counts);
  for (const auto& c : report.cases) {
    const JunitKind kind = KindOf(c);
    const std::string file = c.not_run.empty() ? c.result->file : c.name;
    out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\" file=\"{}\" line=\"{}\"",
                       XmlAttribute(c.name), XmlAttribute(c.classname), Seconds(c.time_ms), XmlAttribute(file),
                       c.not_run.empty() ? FirstProblemLine(*c.result) : 1);
    switch (kind) {
      case JunitKind::kPass:
        out += "/>\n";
        continue;
      case JunitKind::kSkipped:
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n",
                           XmlAttribute(c.not_run.empty() ? "nothing checked: " + c.result->skip_reason : c.not_run));
        break;
      case JunitKind::kError:
        out += fmt::format(">\n      <error type=\"unusable-input\" message=\"{}\">{}</error>\n",
                           XmlAttribute(ProblemMessage(*c.result)), XmlText(ProblemBody(*c.result)));
        break;
      case JunitKind::kFailure:
        out += fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                           c.result->checked_nothing() ? "nothing-checked" : "divergence",
                           XmlAttribute(ProblemMessage(*c.result)), XmlText(ProblemBody(*c.result)));
        break;
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string FormatJunit(const std::vector<ScenarioResult>& results) {
  JunitReport report;
  for (const auto& r : results) report.cases.push_back(JunitCase{.result = &r, .name = r.file, .classname = "socksim"});
  return FormatJunit(report);
}

}  // namespace socksim::tools
