// File: tools/cli/run_command.cc
// socksim run: collects scenario files (directories recursively, *.scn and *.trace, sorted),
// keeps this shard's share, runs them in parallel, and prints the results in file order.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "tools/cli/commands.h"
#include "tools/cli/host_executors.h"
#include "tools/cli/output_file.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/world_builder.h"

namespace socksim::cli {
namespace {

namespace fs = std::filesystem;

struct RunSettings {
  std::vector<std::string> paths;
  std::optional<std::uint64_t> seed;
  std::string junit;
  std::string shard;
  std::string record;
  std::vector<std::string> header_lines;
  /// The --header lines, parsed once.
  std::vector<tools::Directive> header;
  unsigned jobs = 0;
  bool verbose = false;
  bool host = false;
  tools::InputLimits limits;
  sim::ModelLimits model_limits;
};

bool IsScenarioFile(const fs::path& p) { return p.extension() == ".scn" || p.extension() == ".trace"; }

// Files in a stable order: each directory's scenarios sorted by path.
bool CollectFiles(const std::vector<std::string>& paths, std::vector<std::string>& out) {
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && IsScenarioFile(it->path())) found.push_back(it->path().generic_string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      out.push_back(path);
    } else if (fs::exists(path, ec)) {
      std::cerr << fmt::format("socksim run: {}: not a regular file or directory (a FIFO or device is not read)\n", path);
      return false;
    } else {
      std::cerr << fmt::format("socksim run: {}: no such file or directory\n", path);
      return false;
    }
  }
  return true;
}

tools::ScenarioResult RunFile(const std::string& file, const RunSettings& settings) {
  const auto parsed = tools::ParseScenarioFile(file, tools::ParseOptions{.limits = settings.limits});
  if (!parsed.ok()) {
    tools::ScenarioResult r;
    r.file = file;
    for (const auto& d : parsed.errors) {
      tools::LineVerdict v;
      v.status = tools::LineVerdict::Status::kError;
      v.location = d.location;
      v.line = d.excerpt;
      v.message = d.message;
      r.verdicts.push_back(std::move(v));
      ++r.errors;
    }
    return r;
  }
  tools::RunOptions options;
  options.seed = settings.seed;
  options.header = settings.header;
  options.limits = settings.model_limits;
  if (settings.host) options.host = &FindHostExecutor;
  return tools::RunScenario(parsed.scenario, options);
}

// Parses the --header lines into `settings.header`; false (with a message) when one is not a
// header directive.
bool ParseHeaderLines(RunSettings& settings) {
  for (std::size_t i = 0; i < settings.header_lines.size(); ++i) {
    const std::string& text = settings.header_lines[i];
    const auto parsed = tools::ParseScenario(text, fmt::format("--header {}", i + 1));
    bool ok = parsed.ok() && parsed.scenario.lines.size() == 1 &&
              parsed.scenario.lines[0].kind == tools::Line::Kind::kDirective &&
              tools::ScenarioWorld::IsHeaderKeyword(parsed.scenario.lines[0].directive.keyword);
    if (!ok) {
      std::cerr << fmt::format("socksim run: --header '{}' is not one header directive{}\n", text,
                               parsed.ok() ? "" : ": " + parsed.errors[0].message);
      return false;
    }
    settings.header.push_back(parsed.scenario.lines[0].directive);
  }
  return true;
}

int Run(RunSettings& settings) {
  if (!ParseHeaderLines(settings)) return 2;
  std::vector<std::string> files;
  if (!CollectFiles(settings.paths, files)) return 2;
  if (!settings.shard.empty()) {
    // --shard I/N keeps every N-th file starting with the I-th (1-based), after sorting.
    unsigned index = 0, count = 0;
    char slash = 0;
    std::istringstream in(settings.shard);
    if (!(in >> index >> slash >> count) || slash != '/' || count == 0 || index == 0 || index > count ||
        !in.eof()) {
      std::cerr << fmt::format("socksim run: --shard wants I/N with 1 <= I <= N, got '{}'\n", settings.shard);
      return 2;
    }
    std::vector<std::string> mine;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (i % count == index - 1) mine.push_back(files[i]);
    }
    files = std::move(mine);
  }
  if (files.empty()) {
    std::cerr << "socksim run: no scenario files (*.scn, *.trace) found\n";
    return 2;
  }
  std::vector<tools::ScenarioResult> results(files.size());
  // Host runs share one machine; they run one at a time.
  const unsigned requested = settings.host ? 1u : settings.jobs;
  const unsigned jobs = std::max(1u, std::min<unsigned>(requested != 0 ? requested : std::thread::hardware_concurrency(),
                                                        static_cast<unsigned>(files.size())));
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < files.size(); i = next++) results[i] = RunFile(files[i], settings);
    });
  }
  for (auto& w : workers) w.join();

  for (const auto& r : results) std::cout << tools::FormatResult(r, settings.verbose);
  std::cout << tools::FormatSummary(results);

  std::string problem;
  if (!settings.record.empty()) {
    if (files.size() == 1) {
      if (!WriteOutputFile(settings.record, results.front().trace, &problem)) {
        std::cerr << fmt::format("socksim run: cannot write {}: {}\n", settings.record, problem);
        return 2;
      }
    } else {
      for (const auto& r : results) {
        const fs::path target = RecordPathUnder(settings.record, r.file).replace_extension(".trace");
        std::error_code ec;
        fs::create_directories(target.parent_path(), ec);
        if (!WriteOutputFile(target, r.trace, &problem)) {
          std::cerr << fmt::format("socksim run: cannot write {}: {}\n", target.string(), problem);
          return 2;
        }
      }
    }
  }
  if (!settings.junit.empty() && !WriteOutputFile(settings.junit, tools::FormatJunit(results), &problem)) {
    std::cerr << fmt::format("socksim run: cannot write {}: {}\n", settings.junit, problem);
    return 2;
  }
  // A scenario that could not be used (a line that is not the format, a world mistake) makes
  // the run's status 2; one that diverged, or checked nothing, 1. One skipped whole (the host
  // could not run it) fails nothing, but a run that checked nothing at all does not pass.
  bool checked = false, failed = false;
  for (const auto& r : results) {
    if (r.errors != 0) return 2;
    failed = failed || (!r.ok() && !r.skipped_whole());
    checked = checked || r.ok();
  }
  return failed || !checked ? 1 : 0;
}

}  // namespace

Action AddRunCommand(CLI::App& app) {
  auto settings = std::make_shared<RunSettings>();
  CLI::App* run = app.add_subcommand(
      "run",
      "Run scenario files (and recorded traces) in the simulator and check every call.\n"
      "PATHS are files or directories (searched recursively for *.scn and *.trace).\n"
      "Each failing line is reported with what was expected, what happened and why.\n"
      "Exit status: 0 when every scenario passes, 1 when one fails (a call diverged, or it\n"
      "checked nothing), 2 on bad usage or unusable input (a file that cannot be read, a line\n"
      "that is not the format, a world mistake).");
  run->add_option("paths", settings->paths, "scenario files or directories")->required();
  run->add_option("--seed", settings->seed, "override every scenario's seed (0 to 2^64-1)")
      ->check(NotNegative());
  AddInputLimitOptions(*run, settings->limits);
  AddModelLimitOptions(*run, settings->model_limits);
  run->add_option("--junit", settings->junit, "also write a JUnit XML report to FILE");
  run->add_option("--shard", settings->shard, "run only shard I of N (e.g. 2/4), by sorted file order");
  run->add_option("--record", settings->record,
                  "write the run as a trace: a FILE for one scenario, a DIRECTORY for several");
  run->add_option("-j,--jobs", settings->jobs, "scenarios run in parallel (default: one per core)");
  run->add_option("--header", settings->header_lines,
                  "a header directive (e.g. \"lsp all behaviour=pass chains=all\") applied to\n"
                  "every scenario before its own lines; not recorded (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_flag("-v,--verbose", settings->verbose, "also list skipped calls");
  run->add_flag("--host", settings->host,
                "run the calls on this machine's Linux kernel instead of the simulator (in real\n"
                "processes, in a private network namespace holding the scenario's addresses);\n"
                "a scenario whose personality has no host executor is reported as skipped");
  return [settings] { return Run(*settings); };
}

}  // namespace socksim::cli
