// File: tools/scenario/writer.h
// The one writer of scenario and trace text (docs/scenario-format.md): call lines, split call
// halves, outcomes, process events and whole scenarios. The runner's recorder and the trace
// importers write through it, so a recorded run, an imported log and a hand-written scenario
// all read the same way and parse back to the same lines. Values are written as given: the
// recorder resolves captures (`$name`) into their values first (Captures::Resolved), so a
// trace never holds one; only an expectation shown in a report may.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// "= 0", "= -1 ENOTCONN (Transport endpoint is not connected)", "= _", "= ?".
std::string FormatOutcome(const Outcome& outcome);
/// The arguments [from, to) in strace notation, separated by ", ", each after its name when
/// `names` gives one (clone's `flags=...`; `names` is empty or parallel to `args`).
std::string FormatArgs(const std::vector<Value>& args, std::size_t from, std::size_t to,
                       const std::vector<std::string>& names = {});
/// "100 getpeername(3, {...}, [128 => 16]) = 0"
std::string FormatCallLine(std::int32_t pid, const std::string& name,
                           const std::vector<Value>& args, const Outcome& outcome,
                           const std::vector<std::string>& names = {});
/// "100 accept(3, <unfinished ...>": the first `split` arguments of a call that waits.
std::string FormatUnfinished(std::int32_t pid, const std::string& name,
                             const std::vector<Value>& args, std::size_t split,
                             const std::vector<std::string>& names = {});
/// "100 <... accept resumed>{...}, [128 => 16]) = 4": the arguments after `split`.
std::string FormatResumed(std::int32_t pid, const std::string& name,
                          const std::vector<Value>& args, std::size_t split,
                          const Outcome& outcome, const std::vector<std::string>& names = {});
/// "100 +++ exited with 0 +++", "100 +++ killed by SIGKILL +++"; empty for other events.
std::string FormatProcessEvent(const ProcessEvent& event);
/// "hint port=40000": one line per hint of a call.
std::vector<std::string> FormatHints(const CallLine& call);
/// A whole scenario as text `socksim run` accepts: description comments, directives, hints,
/// call lines and process events in order. What only a strace log has is left out: unreadable
/// lines, timestamps, durations, result annotations (a trace holds no wall time, and a
/// scenario's results have no commentary).
std::string FormatScenarioText(const Scenario& scenario);
/// `text` (a recorded run or a written scenario) with `seed N` as its one seed directive:
/// every `seed` line is dropped and `seed N` written after the leading comment lines, so that
/// the text runs again in the world it was recorded in, whatever overrode the seed then
/// (`socksim run --seed`, a `--header` line).
std::string WithSeedDirective(std::string_view text, std::uint64_t seed);

}  // namespace socksim::tools
