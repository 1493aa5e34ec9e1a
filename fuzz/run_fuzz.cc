// File: fuzz/run_fuzz.cc
// End to end: any bytes as a scenario, run in the simulator twice. Beyond not crashing or
// hanging, the run must be deterministic: the second run's trace and verdicts are the
// first's, byte for byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace socksim::tools;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ParseScenario(text, "fuzz.scn");
  if (!parsed.ok()) return 0;
  const ScenarioResult first = RunScenario(parsed.scenario);
  const ScenarioResult second = RunScenario(parsed.scenario);
  if (first.trace != second.trace || FormatResult(first, true) != FormatResult(second, true)) std::abort();
  return 0;
}
