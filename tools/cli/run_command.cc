// File: tools/cli/run_command.cc
// socksim run: collects scenario files (directories recursively, *.scn and *.trace, sorted),
// keeps what --filter and the shard select (selection.h), runs them in parallel, and prints the
// results in file order (docs/ci.md).
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "tools/cli/commands.h"
#include "tools/cli/host_executors.h"
#include "tools/cli/output_file.h"
#include "tools/cli/selection.h"
#include "tools/cli/terminal.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/world_builder.h"
#include "tools/scenario/writer.h"
#include "tools/text/excerpt.h"

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
  std::string filter;
  unsigned jobs = 0;
  bool verbose = false;
  bool host = false;
  bool list = false;
  bool fail_fast = false;
  tools::InputLimits limits;
  sim::ModelLimits model_limits;
};

bool IsScenarioFile(const fs::path& p) { return p.extension() == ".scn" || p.extension() == ".trace"; }

// Files in a stable order: each directory's scenarios sorted by path, each named relative to
// the argument it was found under (selection.h, Input).
bool CollectFiles(const std::vector<std::string>& paths, std::vector<Input>& out) {
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && IsScenarioFile(it->path())) found.push_back(it->path().generic_string());
      }
      std::sort(found.begin(), found.end());
      for (auto& file : found) {
        std::string name = InputName(path, file);
        out.push_back(Input{std::move(file), std::move(name)});
      }
    } else if (fs::is_regular_file(path, ec)) {
      out.push_back(Input{path, InputName("", path)});
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
              tools::ScenarioWorld::IsHeaderKeyword(parsed.scenario.lines[0].directive().keyword);
    if (!ok) {
      std::cerr << fmt::format("socksim run: --header '{}' is not one header directive{}\n", text,
                               parsed.ok() ? "" : ": " + parsed.errors[0].message);
      return false;
    }
    settings.header.push_back(parsed.scenario.lines[0].directive());
  }
  return true;
}

// Where each recording goes: one FILE for a run of one scenario (unless the --record path is a
// directory), else each name under the directory. Empty, with a message, when two scenarios
// would be written to the same file.
std::vector<fs::path> RecordTargets(const std::string& record, const std::vector<Input>& inputs) {
  std::error_code ec;
  if (inputs.size() == 1 && !fs::is_directory(record, ec)) return {fs::path(record)};
  std::vector<fs::path> targets;
  std::map<fs::path, std::string> taken;
  for (const Input& in : inputs) {
    fs::path target = RecordPathUnder(record, in.name).replace_extension(".trace");
    const auto [it, fresh] = taken.emplace(target, in.file);
    if (!fresh) {
      std::cerr << fmt::format("socksim run: --record: {} and {} would both be written to {}\n", it->second,
                               in.file, target.string());
      return {};
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

// A scenario that stops a --fail-fast run: it was usable and did not pass, and was not
// skipped whole.
bool StopsFailFast(const tools::ScenarioResult& r) { return !r.ok() && !r.skipped_whole(); }

// Milliseconds since `start` (wall time, for JUnit only: nothing else printed reads a clock).
std::uint64_t MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

int Run(RunSettings& settings) {
  const auto run_start = std::chrono::steady_clock::now();
  if (!ParseHeaderLines(settings)) return 2;
  std::string problem;
  const std::optional<Shard> shard = SelectShard(settings.shard, &problem);
  if (!problem.empty()) {
    std::cerr << "socksim run: " << problem << "\n";
    return 2;
  }
  if (!TouchShardStatusFile(&problem)) {
    std::cerr << "socksim run: " << problem << "\n";
    return 2;
  }
  std::vector<Input> inputs;
  if (!CollectFiles(settings.paths, inputs)) return 2;
  if (inputs.empty()) {
    std::cerr << "socksim run: no scenario files (*.scn, *.trace) found\n";
    return 2;
  }
  // GoogleTest's order: the filter first, then the shard over what it kept.
  const std::size_t found = inputs.size();
  if (!settings.filter.empty()) {
    std::erase_if(inputs, [&](const Input& in) { return !MatchesFilter(settings.filter, in.name); });
  }
  const std::size_t filtered = inputs.size();
  if (shard) {
    // Every count-th scenario starting with the index-th (0-based), in sorted order.
    std::vector<Input> mine;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (i % shard->count == shard->index) mine.push_back(std::move(inputs[i]));
    }
    inputs = std::move(mine);
  }
  if (settings.list) {
    for (const Input& in : inputs) std::cout << in.name << "\n";
    return 0;
  }
  if (filtered == 0) {
    // Nothing checked: as a scenario that checks nothing, the run does not pass.
    std::cerr << fmt::format("socksim run: --filter '{}' matches none of the {} scenario(s)\n", settings.filter,
                             found);
    return 1;
  }
  if (inputs.empty()) {
    // A shard with no scenario passes, as GoogleTest's does: the other shards run them.
    std::cerr << fmt::format("socksim run: shard {}/{} holds none of the {} scenario(s)\n", shard->index + 1,
                             shard->count, filtered);
    return 0;
  }
  std::vector<fs::path> record_targets;
  if (!settings.record.empty()) {
    record_targets = RecordTargets(settings.record, inputs);
    if (record_targets.empty()) return 2;
  }

  Terminal terminal = Terminal::Detect();
  std::vector<tools::ScenarioResult> results(inputs.size());
  std::vector<std::uint64_t> times_ms(inputs.size(), 0);
  // Host runs share one machine; they run one at a time.
  const unsigned requested = settings.host ? 1u : settings.jobs;
  const unsigned jobs = std::max(1u, std::min<unsigned>(requested != 0 ? requested : std::thread::hardware_concurrency(),
                                                        static_cast<unsigned>(inputs.size())));
  // Scenarios are handed out in order, so every one before a scenario that was started has been
  // started too: when --fail-fast stops the handing out, every scenario up to the first failing
  // one (in file order) has run, whatever the timing, and only those are reported.
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      while (!stop) {
        const std::size_t i = next++;
        if (i >= inputs.size()) break;
        const auto start = std::chrono::steady_clock::now();
        results[i] = RunFile(inputs[i].file, settings);
        times_ms[i] = MillisecondsSince(start);
        terminal.Progress(++done, inputs.size(), inputs[i].name);
        if (settings.fail_fast && StopsFailFast(results[i])) stop = true;
      }
    });
  }
  for (auto& w : workers) w.join();
  terminal.ClearProgress();

  std::size_t reported = inputs.size();
  if (settings.fail_fast) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (StopsFailFast(results[i])) {
        reported = i + 1;
        break;
      }
    }
  }
  results.resize(reported);
  for (const auto& r : results) std::cout << terminal.Verdict(tools::FormatResult(r, settings.verbose));
  std::cout << tools::FormatSummary(results);
  if (reported < inputs.size()) {
    std::cout << fmt::format("--fail-fast: stopped at {}; {} scenario(s) not run\n",
                             tools::text::Excerpt(results.back().file, results.back().file.size()),
                             inputs.size() - reported);
  }

  for (std::size_t i = 0; i < record_targets.size() && i < reported; ++i) {
    const fs::path& target = record_targets[i];
    std::error_code ec;
    if (record_targets.size() > 1 || fs::is_directory(settings.record, ec)) fs::create_directories(target.parent_path(), ec);
    // A recording says the seed it ran with, so that it runs again in the same world; one of a
    // scenario that could not be parsed is empty, as its run was.
    const std::string& trace = results[i].trace;
    if (!WriteOutputFile(target, trace.empty() ? trace : tools::WithSeedDirective(trace, results[i].seed), &problem)) {
      std::cerr << fmt::format("socksim run: cannot write {}: {}\n", target.string(), problem);
      return 2;
    }
  }
  if (!settings.junit.empty()) {
    tools::JunitReport report;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      tools::JunitCase c{.name = inputs[i].name, .classname = ClassName(inputs[i].name)};
      if (i < reported) {
        c.result = &results[i];
        c.time_ms = times_ms[i];
      } else {
        c.not_run = fmt::format("not run: --fail-fast stopped at {}", results.back().file);
      }
      report.cases.push_back(std::move(c));
    }
    report.time_ms = MillisecondsSince(run_start);
    if (!WriteOutputFile(settings.junit, tools::FormatJunit(report), &problem)) {
      std::cerr << fmt::format("socksim run: cannot write {}: {}\n", settings.junit, problem);
      return 2;
    }
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
      "A failing scenario prints the seed it ran with; --record writes it into the trace.\n"
      "On a terminal, verdicts are coloured (unless NO_COLOR is set) and progress is shown on\n"
      "stderr; anywhere else the output is plain (docs/ci.md).\n"
      "Exit status: 0 when every scenario passes, 1 when one fails (a call diverged, or it\n"
      "checked nothing), 2 on bad usage or unusable input (a file that cannot be read, a line\n"
      "that is not the format, a world mistake).");
  run->add_option("paths", settings->paths, "scenario files or directories")->required();
  run->add_option("--seed", settings->seed, "override every scenario's seed (0 to 2^64-1)")
      ->check(NotNegative());
  AddInputLimitOptions(*run, settings->limits);
  AddModelLimitOptions(*run, settings->model_limits);
  run->add_option("--junit", settings->junit,
                  "also write a JUnit XML report to FILE, as Jenkins and GitLab read it: one\n"
                  "testcase per scenario (classname its folder, name its path below the run's root),\n"
                  "<failure> for a divergence, <error> for unusable input, <skipped> for a scenario\n"
                  "not run; times are wall times, the report's only bytes that vary (docs/ci.md)");
  run->add_option("--shard", settings->shard,
                  "run only shard I of N (1-based, e.g. 2/4): every N-th scenario from the I-th, by\n"
                  "sorted order after --filter; GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX (0-based) do\n"
                  "the same, and an --shard that disagrees with them is a usage error");
  run->add_option("--filter", settings->filter,
                  "run only the scenarios whose name (path below the run's root) matches, as\n"
                  "--gtest_filter does: ':'-separated globs with * and ?, then '-' and globs to exclude\n"
                  "(e.g. 'linux/*:windows/*-*/lsp/*'); one that matches nothing exits 1");
  run->add_flag("--list", settings->list,
                "print the names of the scenarios that would run (after --filter and the shard), one a\n"
                "line, and exit 0 without running any");
  run->add_flag("--fail-fast", settings->fail_fast,
                "stop at the first scenario that fails (with -j, start no new one); the report ends\n"
                "at the first failing scenario in file order, the same with any -j");
  run->add_option("--record", settings->record,
                  "write the run as a trace, with the seed it ran with: a FILE for one scenario, a\n"
                  "DIRECTORY for several (each at its path below the run's root, '..' as _parent)");
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
