// File: tools/cli/replay_command.cc
// socksim replay: a log recorded on a real system, parsed in strace mode, imported into a
// scenario by the importer of the personality that reads that format (the registry's
// trace_format; `strace` by default) and run; every recorded result is checked.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <map>

#include "tools/cli/commands.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/writer.h"

namespace socksim::cli {
namespace {

struct ReplaySettings {
  std::string trace;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::int32_t> pid;
  std::string record;
  std::string format = "strace";
  bool verbose = false;
};

// The personality that imports `format`, or nullptr.
const tools::PersonalityEntry* ImporterFor(const std::string& format) {
  for (const tools::PersonalityEntry* entry : tools::Personalities()) {
    if (entry->import_trace != nullptr && entry->trace_format == format) return entry;
  }
  return nullptr;
}

int Replay(const ReplaySettings& settings) {
  const tools::PersonalityEntry* importer = ImporterFor(settings.format);
  if (importer == nullptr) {
    std::cerr << fmt::format("socksim replay: no personality reads '{}' logs\n", settings.format);
    return 2;
  }
  const auto parsed = tools::ParseScenarioFile(settings.trace, tools::ParseOptions{.strace_mode = true});
  if (!parsed.ok()) {
    for (const auto& d : parsed.errors) std::cerr << d.ToString() << "\n";
    std::cerr << fmt::format("socksim replay: {}: {} line(s) could not be read\n", settings.trace,
                             parsed.errors.size());
    return 2;
  }
  tools::ImportOptions options;
  options.uid = settings.uid;
  options.gid = settings.gid;
  options.initial_pid = settings.pid;
  const tools::ImportResult imported = importer->import_trace(parsed.scenario, options);
  if (!settings.record.empty()) {
    std::ofstream out(settings.record, std::ios::binary);
    out << tools::FormatScenarioText(imported.scenario);
    if (!out) {
      std::cerr << fmt::format("socksim replay: cannot write {}\n", settings.record);
      return 2;
    }
  }
  tools::RunOptions run_options;
  run_options.seed = settings.seed;
  const tools::ScenarioResult result = tools::RunScenario(imported.scenario, run_options);
  std::cout << tools::FormatResult(result, settings.verbose);
  std::cout << tools::FormatSummary({result});

  std::map<std::string, int> by_reason;
  for (const auto& s : imported.skipped) ++by_reason[s.reason];
  std::cout << fmt::format("imported: initial pid {}, {} line(s) not replayed, {} line(s) synthesized\n",
                           imported.initial_pid, imported.skipped.size(), imported.synthesized);
  for (const auto& [reason, count] : by_reason) std::cout << fmt::format("  {:4}  {}\n", count, reason);
  if (settings.verbose) {
    for (const auto& s : imported.skipped) {
      std::cout << fmt::format("  {}: {}: {}\n", s.location.ToString(), s.reason, s.text);
    }
  }
  return result.ok() ? 0 : 1;
}

}  // namespace

Action AddReplayCommand(CLI::App& app) {
  auto settings = std::make_shared<ReplaySettings>();
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Replay a log recorded on Linux with `strace -f [-o FILE] -e trace=network,desc ...` and\n"
      "check every recorded result against the simulator. Lines outside the model (other\n"
      "syscalls, signals, threads, injected faults) are listed as not replayed.\n"
      "Exit status: 0 when no call diverged, 1 when one did, 2 on bad usage or an unreadable log.");
  replay->add_option("trace", settings->trace, "the strace log")->required();
  replay->add_option("--seed", settings->seed, "the world's seed");
  replay->add_option("--uid", settings->uid, "credentials of the traced processes (default 0)");
  replay->add_option("--gid", settings->gid, "group of the traced processes (default 0)");
  replay->add_option("--pid", settings->pid, "pid of the initial process when the log does not show it");
  replay->add_option("--record", settings->record, "also write the imported scenario (runnable .scn) to FILE");
  replay->add_option("--format", settings->format, "the log's format (default strace)");
  replay->add_flag("-v,--verbose", settings->verbose, "list every line that was not replayed, and skipped calls");
  return [settings] { return Replay(*settings); };
}

}  // namespace socksim::cli
