// File: tools/scenario/runner.h
// Runs one parsed scenario in a fresh world: applies directives, executes call lines through
// their processes' personalities, compares outcomes and outputs with the expectations, and
// records the run as a trace in the same format.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "sim/limits.h"
#include "tools/scenario/ast.h"

namespace socksim::tools {

/// How one line fared.
struct LineVerdict {
  enum class Status { kPass, kFail, kSkip, kError };
  Status status = Status::kPass;
  SourceLocation location;
  std::string line;      // the line as written
  std::string expected;  // the expectation in strace notation (failures)
  std::string actual;    // what happened, in the same notation (failures)
  std::string message;   // what differs, or the error / skip reason
  std::vector<std::string> why;  // the state behind the call (sockets of the fds it used)
};

/// The result of a whole scenario.
struct ScenarioResult {
  std::string file;
  std::vector<std::string> description;  // "# what:" / "# source:" lines
  std::vector<LineVerdict> verdicts;     // failures, errors and skips; passes are counted
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int errors = 0;
  std::uint64_t seed = 0;
  std::uint64_t rng_draws = 0;           // printed so runs can be compared
  std::string trace;  // the run as a trace (empty without RunOptions::record_trace)
  /// Under `interleaving unknown`: other orders of the owners' lines tried after the first
  /// run had a failing line (runner.cc, RunScenario).
  std::size_t orders_tried = 0;
  /// Set when the whole scenario could not run here (under --host, one the host cannot hold,
  /// such as a scenario of several hosts): why.
  std::string skip_reason;

  /// No call was checked: no call line, or every one was skipped. Such a scenario does not
  /// pass (docs/reliability.md): it is skipped when the host could not run it, else it fails.
  bool checked_nothing() const { return passed == 0 && failed == 0 && errors == 0; }
  bool skipped_whole() const { return checked_nothing() && !skip_reason.empty(); }
  bool ok() const { return failed == 0 && errors == 0 && !checked_nothing(); }
};

class HostExecutor;
class ScenarioWorld;
class CallTable;
struct ExecutedCall;
/// The host executor for a personality, or nullptr when this program has none for it.
using HostExecutorLookup = std::function<const HostExecutor*(std::string_view personality)>;

struct RunOptions {
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  /// Set to run the calls on this machine instead of the simulator (--host).
  HostExecutorLookup host;
  /// Header directives applied before the scenario's own lines (`socksim run --header`), as
  /// if written at its top, and not recorded: a trace recorded with them is the trace of the
  /// scenario as written. Each must be a header directive (ScenarioWorld::IsHeaderKeyword).
  std::vector<Directive> header;
  /// What the simulated world may hold and run (sim/limits.h); a run that reaches one stops
  /// with an error naming it.
  sim::ModelLimits limits;
  /// Called after each call ran in the world (not for a line that could not be bound), with
  /// the personality's table that ran it: what a check of every result sees (fuzz/run_fuzz.cc).
  std::function<void(const CallLine&, const ExecutedCall&, const CallTable&)> after_call;
  /// Whether to record the run as a trace (ScenarioResult::trace). `socksim replay` does
  /// not: it checks a log, and writes the imported scenario itself when asked (--record).
  bool record_trace = true;
  /// Called once the last line has run, before the world is torn down (end_of_run.h).
  std::function<void(ScenarioWorld&)> at_end;
};

/// Runs `scenario` and returns its verdicts and recorded trace.
ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace socksim::tools
