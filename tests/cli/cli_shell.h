// File: tests/cli/cli_shell.h
// Running the built socksim CLI from a test: a shell command line in a directory of the
// test's own, with its exit status and output. Shared by the CLI suites.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace socksim::testing {

/// `s` as one shell word.
inline std::string Quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// How a command ended: its exit status (128 + N for signal N) and what it printed.
struct Outcome {
  int status = -1;
  std::string output;
};

/// Runs `command` (a shell command line) in `dir` and collects its standard output.
inline Outcome Shell(const std::filesystem::path& dir, const std::string& command) {
  Outcome o;
  FILE* pipe = popen(("cd " + Quote(dir.string()) + " && " + command).c_str(), "r");
  if (pipe == nullptr) return o;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) o.output.append(buffer, n);
  const int raw = pclose(pipe);
  o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
  return o;
}

/// The CLI's command line with `env` (VAR=value words) and `args`, under a time limit (a hang
/// fails the case, not the suite). GoogleTest's sharding variables, set when the suite itself
/// runs sharded, would shard the CLI's scenarios too (docs/ci.md), and NO_COLOR would change
/// its output: the CLI runs without them.
inline std::string CliCommand(const std::vector<std::string>& env, const std::vector<std::string>& args) {
  std::string command = "env -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_INDEX -u GTEST_SHARD_STATUS_FILE -u NO_COLOR";
  for (const auto& e : env) command += " " + Quote(e);
  command += " timeout 60 " + Quote(SOCKSIM_CLI);
  for (const auto& a : args) command += " " + Quote(a);
  return command;
}

}  // namespace socksim::testing
