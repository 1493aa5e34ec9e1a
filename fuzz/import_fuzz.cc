// File: fuzz/import_fuzz.cc
// The strace importer on any log: parsed in strace mode, imported as one file and as one
// file per process, written out as a scenario, and run; none of it may crash or hang, and the
// run must leave nothing behind once every process has exited (tools/scenario/end_of_run.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/personality/linux/trace/strace_import.h"
#include "tools/scenario/end_of_run.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace socksim::tools;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = ParseScenario(text, "fuzz.log", ParseOptions{.strace_mode = true});
  if (!parsed.ok()) return 0;
  for (const bool per_process : {false, true}) {
    ImportOptions options;
    options.per_process_files = per_process;
    const ImportResult imported = ImportStrace(parsed.scenario, options);
    (void)FormatScenarioText(imported.scenario);
    RunOptions run;
    run.limits.events = 200'000;
    run.at_end = [](ScenarioWorld& world) {
      for (const std::string& problem : ExitAllAndFindLeaks(world)) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
        std::abort();
      }
    };
    (void)RunScenario(imported.scenario, run);
  }
  return 0;
}
