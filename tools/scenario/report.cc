// File: tools/scenario/report.cc
// Report formatting. Everything printed is derived from the results alone (no time, no
// addresses), so two runs with the same seed print the same bytes.
#include "tools/scenario/report.h"

#include "tools/text/excerpt.h"

#include <fmt/format.h>

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

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
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
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += fmt::format("&#{};", static_cast<int>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
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
  std::string out;
  if (r.skipped_whole()) {
    out = fmt::format("SKIP {} (nothing checked: {})\n", r.file, r.skip_reason);
  } else if (r.checked_nothing()) {
    out = fmt::format("FAIL {} (nothing checked: {})\n", r.file,
                      r.skipped != 0 ? fmt::format("all {} call(s) were skipped", r.skipped)
                                     : std::string("no call line"));
  } else if (r.ok()) {
    out = fmt::format("PASS {} ({} calls", r.file, r.passed);
    if (r.skipped) out += fmt::format(", {} skipped", r.skipped);
    out += ")\n";
  } else {
    out = fmt::format("FAIL {} ({} calls passed, {} failed, {} errors)\n", r.file, r.passed, r.failed, r.errors);
  }
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

std::string FormatJunit(const std::vector<ScenarioResult>& results) {
  int failures = 0;
  for (const auto& r : results) failures += r.ok() || r.skipped_whole() ? 0 : 1;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites tests=\"{}\" failures=\"{}\">\n", results.size(), failures);
  out += fmt::format("  <testsuite name=\"socksim\" tests=\"{}\" failures=\"{}\">\n", results.size(), failures);
  for (const auto& r : results) {
    out += fmt::format("    <testcase classname=\"socksim.scenario\" name=\"{}\"", XmlEscape(r.file));
    if (r.ok()) {
      out += "/>\n";
      continue;
    }
    if (r.skipped_whole()) {
      out += fmt::format("><skipped message=\"{}\"/></testcase>\n", XmlEscape(r.skip_reason));
      continue;
    }
    out += ">\n";
    std::string body;
    for (const auto& v : r.verdicts) {
      if (v.status != LineVerdict::Status::kSkip) body += VerdictBlock(v);
    }
    const std::string first = r.verdicts.empty() || r.checked_nothing() ? std::string(r.checked_nothing() ? "nothing checked" : "failed")
                                                                        : r.verdicts.front().message;
    out += fmt::format("      <failure message=\"{}\">{}</failure>\n", XmlEscape(first), XmlEscape(body));
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace socksim::tools
