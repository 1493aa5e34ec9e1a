// File: tools/cli/replay_command.cc
// socksim replay: a log recorded on a real system, parsed in strace mode, imported into a
// scenario by the importer of the personality that reads that format (the registry's
// trace_format; `strace` by default) and run; every recorded result is checked.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "tools/cli/commands.h"
#include "tools/cli/output_file.h"
#include "tools/cli/selection.h"
#include "tools/scenario/import_report.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/writer.h"

namespace socksim::cli {
namespace {

struct ReplaySettings {
  std::vector<std::string> traces;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::int32_t> pid;
  std::string record;
  std::string junit;
  std::string format = "strace";
  bool verbose = false;
  bool strict = false;
  tools::InputLimits limits;
  sim::ModelLimits model_limits;
};

// The personality that imports `format`, or nullptr.
const tools::PersonalityEntry* ImporterFor(const std::string& format) {
  for (const tools::PersonalityEntry* entry : tools::Personalities()) {
    if (entry->import_trace != nullptr && entry->trace_format == format) return entry;
  }
  return nullptr;
}

// The pid strace -ff put after the prefix ("ff.2491" -> 2491), or nullopt.
std::optional<std::int32_t> PidSuffix(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || dot + 1 >= path.size() || path.size() - dot > 8) return std::nullopt;
  std::int32_t pid = 0;
  for (std::size_t i = dot + 1; i < path.size(); ++i) {
    if (path[i] < '0' || path[i] > '9') return std::nullopt;
    pid = pid * 10 + (path[i] - '0');
  }
  return pid > 0 ? std::optional<std::int32_t>(pid) : std::nullopt;
}

// The files of one log: the one file given, several files of strace -ff, or a -ff prefix
// (PREFIX.PID files beside it). Empty with `error` set when the arguments cannot be one log.
std::vector<std::string> LogFiles(const std::vector<std::string>& given, std::string* error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (given.size() == 1 && !fs::exists(given[0], ec)) {
    const fs::path prefix(given[0]);
    const fs::path dir = prefix.has_parent_path() ? prefix.parent_path() : fs::path(".");
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      const std::string stem = prefix.filename().string() + ".";
      if (name.rfind(stem, 0) == 0 && PidSuffix(name)) found.push_back((dir / name).string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) *error = fmt::format("{}: no such file, and no {}.PID files (strace -ff)", given[0], given[0]);
    return found;
  }
  if (given.size() > 1) {
    for (const auto& path : given) {
      if (!PidSuffix(path)) {
        *error = fmt::format("{}: several files make one log only when strace -ff wrote them, "
                             "named PREFIX.PID", path);
        return {};
      }
    }
  }
  return given;
}

// Parses the log's files as one: a -ff file's lines carry no pid, so they get its name's.
bool ReadLog(const std::vector<std::string>& files, const tools::InputLimits& limits, tools::Scenario* log,
             int* unreadable) {
  const bool per_process = files.size() > 1;
  bool ok = true;
  for (const auto& file : files) {
    auto parsed = tools::ParseScenarioFile(file, tools::ParseOptions{.strace_mode = true, .limits = limits});
    if (!parsed.ok()) {
      for (const auto& d : parsed.errors) std::cerr << d.ToString() << "\n";
      *unreadable += static_cast<int>(parsed.errors.size());
      ok = false;
      continue;
    }
    const std::int32_t pid = per_process ? *PidSuffix(file) : 0;
    if (log->file.empty()) {
      log->file = per_process ? file.substr(0, file.rfind('.')) : file;
      log->description = parsed.scenario.description;
      log->origin = parsed.scenario.origin;
    }
    if (!per_process && log->lines.empty()) {
      log->lines = std::move(parsed.scenario.lines);  // one file: its lines as they are
      continue;
    }
    log->lines.reserve(log->lines.size() + parsed.scenario.lines.size());
    for (auto& line : parsed.scenario.lines) {
      if (line.kind == tools::Line::Kind::kCall && line.call.pid == 0) line.call.pid = pid;
      if (line.kind == tools::Line::Kind::kProcessEvent && line.event().pid == 0)
        line.mutable_event().pid = pid;
      if (line.kind == tools::Line::Kind::kUnreadable && line.unreadable().pid == 0)
        line.mutable_unreadable().pid = pid;
      log->lines.push_back(std::move(line));
    }
  }
  return ok;
}

int Replay(const ReplaySettings& settings) {
  const auto start = std::chrono::steady_clock::now();
  const tools::PersonalityEntry* importer = ImporterFor(settings.format);
  if (importer == nullptr) {
    std::cerr << fmt::format("socksim replay: no personality reads '{}' logs\n", settings.format);
    return 2;
  }
  std::string problem;
  const std::vector<std::string> files = LogFiles(settings.traces, &problem);
  if (files.empty()) {
    std::cerr << "socksim replay: " << problem << "\n";
    return 2;
  }
  tools::Scenario log;
  int unreadable = 0;
  if (!ReadLog(files, settings.limits, &log, &unreadable)) {
    std::cerr << fmt::format("socksim replay: {}: unusable input ({} problem(s) above)\n",
                             files.size() == 1 ? files[0] : log.file, unreadable);
    return 2;
  }
  tools::ImportOptions options;
  options.uid = settings.uid;
  options.gid = settings.gid;
  options.initial_pid = settings.pid;
  options.per_process_files = files.size() > 1;
  // Nothing below reads the parsed log: the imported scenario holds what the run needs, so
  // the log is moved into the import, whose scenario takes the lines it keeps as they stand.
  const std::string log_name = files.size() == 1 ? files[0] : log.file;
  const tools::ImportResult imported = importer->import_trace(std::move(log), options);
  if (!imported.errors.empty()) {
    for (const auto& d : imported.errors) std::cerr << d.ToString() << "\n";
    std::cerr << fmt::format("socksim replay: {}: unusable input ({} problem(s) above)\n", log_name,
                             imported.errors.size());
    return 2;
  }
  if (!settings.record.empty()) {
    // Made only when asked for: the text of a long log is large too. A scenario recorded
    // with --seed says that seed, so that it runs again in the same world.
    const std::string text = tools::FormatScenarioText(imported.scenario);
    if (!cli::WriteOutputFile(settings.record, settings.seed ? tools::WithSeedDirective(text, *settings.seed) : text,
                              &problem)) {
      std::cerr << fmt::format("socksim replay: cannot write {}: {}\n", settings.record, problem);
      return 2;
    }
  }
  tools::RunOptions run_options;
  run_options.seed = settings.seed;
  run_options.limits = settings.model_limits;
  run_options.record_trace = false;
  const tools::ScenarioResult result = tools::RunScenario(imported.scenario, run_options);
  std::cout << tools::FormatResult(result, settings.verbose);
  std::cout << tools::FormatSummary({result});
  const tools::ReplayAccount account = tools::AccountReplay(imported, result);
  std::cout << tools::FormatReplayAccount(account, imported, settings.verbose);
  if (!settings.junit.empty()) {
    // One testcase, named by the log as given (its wall time, measured here, is the only
    // thing in the report that varies).
    tools::JunitReport report;
    const std::string name = InputName("", result.file);
    report.cases.push_back(tools::JunitCase{.result = &result, .name = name, .classname = ClassName(name)});
    report.cases.back().time_ms = report.time_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    if (!cli::WriteOutputFile(settings.junit, tools::FormatJunit(report), &problem)) {
      std::cerr << fmt::format("socksim replay: cannot write {}: {}\n", settings.junit, problem);
      return 2;
    }
  }
  if (settings.strict && !account.strict_failures.empty()) {
    for (const auto& f : account.strict_failures) std::cout << "strict: not replayed: " << f << "\n";
    std::cout << fmt::format("--strict: {} socket call(s) were not replayed\n",
                             account.strict_failures.size());
    return 1;
  }
  if (result.errors != 0) return 2;  // the log could not be used as it stands
  return result.ok() ? 0 : 1;
}

}  // namespace

Action AddReplayCommand(CLI::App& app) {
  auto settings = std::make_shared<ReplaySettings>();
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Replay a log recorded on Linux with strace and check every recorded result against the\n"
      "simulator. Record it with\n"
      "    strace -f -o FILE PROGRAM...                  (best: every call, in order)\n"
      "or  strace -f -e trace=%network,%desc,%process -o FILE PROGRAM...\n"
      "Without %process in the filter the forks are hidden and have to be guessed.\n"
      "-ff -o PREFIX (one file per process) works too: give the files or the prefix; the\n"
      "processes then run in an order the simulator finds, since the files do not say it.\n"
      "-y/-yy, -tt, -T and -s N are all understood. What the environment decided (files opened,\n"
      "the loader, descriptors inherited from outside) is adopted as recorded; calls on things\n"
      "the model does not have (netlink sockets, inherited descriptors) are counted as\n"
      "known-unknowns; other calls outside the model are listed as not replayed, by syscall.\n"
      "Exit status: 0 when no call diverged, 1 when one did (or, with --strict, when a socket\n"
      "call was not replayed), 2 on bad usage or an unreadable log.");
  replay->add_option("trace", settings->traces, "the strace log: one file, or the files (or prefix) of -ff")
      ->required();
  replay->add_option("--seed", settings->seed, "the world's seed (0 to 2^64-1)")->check(NotNegative());
  AddInputLimitOptions(*replay, settings->limits);
  AddModelLimitOptions(*replay, settings->model_limits);
  replay->add_option("--uid", settings->uid, "credentials of the traced processes (default 0)");
  replay->add_option("--gid", settings->gid, "group of the traced processes (default 0)");
  replay->add_option("--pid", settings->pid, "pid of the initial process when the log does not show it");
  replay->add_option("--record", settings->record, "also write the imported scenario (runnable .scn) to FILE");
  replay->add_option("--junit", settings->junit,
                     "also write a JUnit XML report to FILE: one testcase for the log (docs/ci.md)");
  replay->add_option("--format", settings->format, "the log's format (default strace)");
  replay->add_flag("--strict", settings->strict, "fail when a socket call was not replayed");
  replay->add_flag("-v,--verbose", settings->verbose, "list every line that was not replayed, and skipped calls");
  return [settings] { return Replay(*settings); };
}

}  // namespace socksim::cli
