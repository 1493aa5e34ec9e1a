// File: tools/scenario/report.h
// Human-readable and JUnit XML reports of scenario results.
#pragma once

#include <string>
#include <vector>

#include "tools/scenario/runner.h"

namespace socksim::tools {

/// "PASS file (N calls)" or "FAIL file" followed by one block per failing line: location,
/// message, expected, actual and why. `verbose` also lists skipped lines.
std::string FormatResult(const ScenarioResult& result, bool verbose);

/// The closing summary, ending with the line "N passed, N failed" (scenarios).
std::string FormatSummary(const std::vector<ScenarioResult>& results);

/// JUnit XML: one testsuite "socksim", one testcase per scenario.
std::string FormatJunit(const std::vector<ScenarioResult>& results);

}  // namespace socksim::tools
