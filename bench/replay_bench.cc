// File: bench/replay_bench.cc
// What a replay and a scenario run cost, end to end, in the process and from the CLI:
//   BM_ReplayTrace/N   an N-line strace log (one process: a connection over loopback, then
//                      getpeername and getsockname lines) parsed, imported and replayed;
//                      lines per second and peak memory per line;
//   BM_ScenarioInProcess  one typical written scenario (under 100 lines), parsed and run;
//   BM_Corpus          every scenario under scenarios/, parsed and run in the process;
//   BM_CliRunsOneScenario  `socksim run FILE` as a new process, start to exit.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tools/personality/linux/trace/strace_import.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

extern char** environ;

namespace socksim::bench {
namespace {

using Clock = std::chrono::steady_clock;

// A typical written scenario (18 lines: a connection, a half close, getpeername on both ends).
const char* const kTypicalScenario = SOCKSIM_SOURCE_DIR "/scenarios/linux/tcp/fin-wait-2-and-close-wait.scn";

// An strace -f log of `lines` lines: set-up, then alternating getpeername / getsockname calls
// on the connected client socket (the ephemeral port 40000 is adopted from the first
// getsockname).
std::string SyntheticLog(std::int64_t lines) {
  std::string log;
  log.reserve(static_cast<std::size_t>(lines) * 120);
  const char* const kSetup[] = {
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n",
      "100 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n",
      "100 listen(3, 128) = 0\n",
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n",
      "100 connect(4, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n",
      "100 accept(3, NULL, NULL) = 5\n",
  };
  std::int64_t n = 0;
  for (const char* line : kSetup) {
    log += line;
    ++n;
  }
  for (; n < lines; ++n) {
    log += n % 2 == 0
               ? "100 getpeername(4, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0\n"
               : "100 getsockname(4, {sa_family=AF_INET, sin_port=htons(40000), sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0\n";
  }
  return log;
}

// The peak resident memory since the last reset (VmHWM), and its reset: writing 5 to
// clear_refs sets the high-water mark to the current resident size (proc(5)).
std::int64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}
std::int64_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}
void ResetPeak() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

void BM_ReplayTrace(benchmark::State& state) {
  const std::int64_t lines = state.range(0);
  const std::string log = SyntheticLog(lines);
  std::int64_t peak_growth = 0;
  double parse_s = 0, import_s = 0, run_s = 0;  // where the time goes
  for (auto _ : state) {
    (void)malloc_trim(0);  // what the last iteration freed goes back, so its peak shows again
    ResetPeak();
    const std::int64_t before = ResidentBytes();
    const auto start = Clock::now();
    // As `socksim replay` does it: the parsed log moves into the import, and the run records
    // no trace.
    tools::ParseResult parsed =
        tools::ParseScenario(log, "synthetic.log", tools::ParseOptions{.strace_mode = true});
    const auto parsed_at = Clock::now();
    const tools::ImportResult imported = tools::ImportStrace(std::move(parsed.scenario));
    const auto imported_at = Clock::now();
    tools::RunOptions run_options;
    run_options.record_trace = false;
    const tools::ScenarioResult result = tools::RunScenario(imported.scenario, run_options);
    const auto ran_at = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(ran_at - start).count());
    parse_s += std::chrono::duration<double>(parsed_at - start).count();
    import_s += std::chrono::duration<double>(imported_at - parsed_at).count();
    run_s += std::chrono::duration<double>(ran_at - imported_at).count();
    if (!parsed.ok() || !result.ok() || result.passed != lines) {
      state.SkipWithError("the synthetic log did not replay clean");
      return;
    }
    peak_growth = std::max(peak_growth, PeakResidentBytes() - before);
  }
  state.SetItemsProcessed(state.iterations() * lines);
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["peak_bytes_per_line"] =
      static_cast<double>(peak_growth) / static_cast<double>(lines);
  // What one parsed line and one value cost before anything they own: a log holds a Line per
  // line and a dozen values in a typical call line, in the parsed log and again imported.
  state.counters["sizeof_line"] = static_cast<double>(sizeof(tools::Line));
  state.counters["sizeof_value"] = static_cast<double>(sizeof(tools::Value));
  const double total = parse_s + import_s + run_s;
  if (total > 0) {
    state.counters["parse_share"] = parse_s / total;
    state.counters["import_share"] = import_s / total;
    state.counters["run_share"] = run_s / total;
  }
}
BENCHMARK(BM_ReplayTrace)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)  // a million lines would need about 9 GB today (bench/README.md)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_ScenarioInProcess(benchmark::State& state) {
  for (auto _ : state) {
    const tools::ParseResult parsed = tools::ParseScenarioFile(kTypicalScenario);
    const tools::ScenarioResult result = tools::RunScenario(parsed.scenario);
    if (!parsed.ok() || !result.ok()) {
      state.SkipWithError("the scenario did not pass");
      return;
    }
  }
}
BENCHMARK(BM_ScenarioInProcess)->Unit(benchmark::kMicrosecond);

void BM_Corpus(benchmark::State& state) {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(SOCKSIM_SOURCE_DIR "/scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".scn") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  std::int64_t lines = 0;
  for (auto _ : state) {
    lines = 0;
    for (const std::string& file : files) {
      const tools::ParseResult parsed = tools::ParseScenarioFile(file);
      if (!parsed.ok()) continue;  // scenarios that need a header (corpus.*) are the CLI's
      const tools::ScenarioResult result = tools::RunScenario(parsed.scenario);
      lines += static_cast<std::int64_t>(parsed.scenario.lines.size());
      benchmark::DoNotOptimize(result.passed);
    }
  }
  state.counters["scenarios"] = static_cast<double>(files.size());
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Corpus)->Unit(benchmark::kMillisecond);

void BM_CliRunsOneScenario(benchmark::State& state) {
  const std::string cli = SOCKSIM_CLI;
  const std::string scenario = kTypicalScenario;
  for (auto _ : state) {
    std::string run = "run";
    std::vector<char*> argv = {const_cast<char*>(cli.c_str()), run.data(),
                               const_cast<char*>(scenario.c_str()), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, cli.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    if (spawned != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      state.SkipWithError("socksim run failed");
      return;
    }
  }
}
BENCHMARK(BM_CliRunsOneScenario)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace socksim::bench
