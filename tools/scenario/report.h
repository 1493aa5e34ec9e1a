// File: tools/scenario/report.h
// Human-readable and JUnit XML reports of scenario results.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/runner.h"

namespace socksim::tools {

/// "PASS file (N calls)" or "FAIL file" followed by one block per failing line: location,
/// message, expected, actual and why; a scenario that ran and failed also shows the seed it
/// ran with (`seed: N`). `verbose` also lists skipped lines.
std::string FormatResult(const ScenarioResult& result, bool verbose);

/// The closing summary, ending with the line "N passed, N failed" (scenarios).
std::string FormatSummary(const std::vector<ScenarioResult>& results);

/// One testcase of a JUnit report: a scenario's result and how a CI system names it.
struct JunitCase {
  const ScenarioResult* result = nullptr;
  /// The scenario's path relative to the run's root (`linux/getpeername/tcp.scn`).
  std::string name;
  /// Its folder relative to the root with dots for slashes (`linux.getpeername`).
  std::string classname;
  /// The wall time it took, measured by the caller (the simulator has no wall clock).
  std::uint64_t time_ms = 0;
  /// Set when the scenario was not run at all (`--fail-fast` stopped before it): why.
  /// `result` is then unused.
  std::string not_run;
};

/// A whole JUnit report: one testsuite holding every case, in order.
struct JunitReport {
  std::string suite = "socksim";
  std::vector<JunitCase> cases;
  std::uint64_t time_ms = 0;  // the wall time of the whole run
};

/// JUnit XML as Jenkins and GitLab read it (docs/ci.md): a testsuite "socksim" with counts
/// and times, one testcase per scenario with classname, name, time, file and line (of its
/// first divergence or error, else 1), and `<error>` (unusable input), `<failure>` (a
/// divergence, or nothing checked) or `<skipped>`. Every byte of input is written as valid
/// XML 1.0 (XmlText). Only the `time` attributes depend on anything but the results.
std::string FormatJunit(const JunitReport& report);

/// The same for bare results: each named by its file, classname "socksim", time 0.
std::string FormatJunit(const std::vector<ScenarioResult>& results);

/// `s` as XML 1.0 character data: `&<>"'` as entities, CR as `&#13;` (a parser would turn it
/// into a newline), and every byte that is not part of a valid UTF-8 encoding of a character
/// XML 1.0 allows (control bytes other than tab and newline, invalid or overlong sequences,
/// surrogates, U+FFFE and U+FFFF) written as the text `\xNN`, as messages quote input
/// (text::Excerpt).
std::string XmlText(std::string_view s);
/// The same for an attribute's value, with tab and newline also as character references
/// (attribute normalization would turn them into spaces).
std::string XmlAttribute(std::string_view s);

}  // namespace socksim::tools
