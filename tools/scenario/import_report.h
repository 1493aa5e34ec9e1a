// File: tools/scenario/import_report.h
// What `socksim replay` says after a run: how many of the log's calls were checked against
// the simulator, adopted as recorded, skipped as known-unknowns or not replayed, each by
// syscall, and which not-replayed socket calls make --strict fail.
#pragma once

#include <string>
#include <vector>

#include "tools/scenario/import.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {

/// The replay's accounting of one imported log and its run.
struct ReplayAccount {
  std::vector<std::pair<std::string, int>> checked;        // by syscall, sorted by name
  std::vector<std::pair<std::string, int>> adopted;
  std::vector<std::pair<std::string, int>> known_unknown;
  std::vector<std::pair<std::string, int>> not_replayed;
  int checked_total = 0, adopted_total = 0, known_unknown_total = 0, not_replayed_total = 0;
  /// Socket calls that were not replayed (a failure under --strict), as "file:line:col: text
  /// (reason)".
  std::vector<std::string> strict_failures;
  /// -ff: other orders of the processes' lines the run tried (ScenarioResult::orders_tried).
  std::size_t orders_tried = 0;
};

/// Counts an import and its run. A split call counts once; a line the run skipped (its
/// personality does not model that use of the call) counts as not replayed.
ReplayAccount AccountReplay(const ImportResult& imported, const ScenarioResult& run);

/// The summary lines ("replay: ..." and one line per category); `verbose` lists every line
/// that was not replayed.
std::string FormatReplayAccount(const ReplayAccount& account, const ImportResult& imported,
                                bool verbose);

}  // namespace socksim::tools
