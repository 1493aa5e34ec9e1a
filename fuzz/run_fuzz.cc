// File: fuzz/run_fuzz.cc
// End to end: any bytes as a scenario, run in the simulator twice. Beyond not crashing or
// hanging, the run must keep the simulator's invariants:
// - every error a call reports is a code of its personality's error table;
// - once every process has exited, no descriptor is open and no socket is held that no
//   process closed (tools/scenario/end_of_run.h);
// - the second run's trace and verdicts are the first's, byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/scenario/call_table.h"
#include "tools/scenario/end_of_run.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"

namespace {

[[noreturn]] void Broken(const std::string& what) {
  std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace socksim::tools;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ParseScenario(text, "fuzz.scn");
  if (!parsed.ok()) return 0;
  RunOptions options;
  // Small limits keep each input quick; reaching one is an error the run reports, not a bug.
  options.limits.events = 200'000;
  options.limits.sockets = 4096;
  options.limits.descriptors = 16384;
  options.after_call = [](const CallLine& call, const ExecutedCall& got, const CallTable& table) {
    if (!got.outcome.error_symbol.empty() && !table.KnowsErrorName(got.outcome.error_symbol)) {
      Broken(call.location.ToString() + ": the error '" + got.outcome.error_symbol.str() + "' is in no table");
    }
  };
  options.at_end = [](ScenarioWorld& world) {
    for (const std::string& problem : ExitAllAndFindLeaks(world)) Broken(problem);
  };
  const ScenarioResult first = RunScenario(parsed.scenario, options);
  const ScenarioResult second = RunScenario(parsed.scenario, options);
  if (first.trace != second.trace || FormatResult(first, true) != FormatResult(second, true)) {
    Broken("a second run differs from the first");
  }
  return 0;
}
