// File: fuzz/import_fuzz.cc
// The strace importer on any log: parsed in strace mode, imported as one file and as one
// file per process, written out as a scenario, and run; none of it may crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/personality/linux/trace/strace_import.h"
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
    (void)RunScenario(imported.scenario);
  }
  return 0;
}
