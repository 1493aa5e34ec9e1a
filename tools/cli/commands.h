// File: tools/cli/commands.h
// The socksim subcommands, each registered on the CLI11 app by one function.
#pragma once

#include <CLI/CLI.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <functional>

#include "sim/limits.h"
#include "tools/scenario/parser.h"

namespace socksim::cli {

/// A registered subcommand's action, run after parsing when its subcommand was chosen.
using Action = std::function<int()>;

/// A limit: a whole number of at least 1.
inline CLI::Validator PositiveLimit() {
  return CLI::Validator(
      [](const std::string& text) {
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        return digits && text.find_first_not_of('0') != std::string::npos ? std::string()
                                                                           : std::string("must be a whole number of at least 1");
      },
      "POSITIVE");
}

/// Refuses a number written with a minus sign (CLI11 would wrap it into an unsigned option).
inline CLI::Validator NotNegative() {
  return CLI::Validator(
      [](const std::string& text) {
        return text.find('-') == std::string::npos ? std::string() : std::string("must not be negative");
      },
      "NONNEGATIVE");
}

/// --max-input-bytes and --max-line-bytes, into `limits` (docs/reliability.md, Limits).
inline void AddInputLimitOptions(CLI::App& command, tools::InputLimits& limits) {
  command.add_option("--max-input-bytes", limits.max_file_bytes, "refuse an input file larger than this (default 256 MiB)")
      ->check(PositiveLimit());
  command.add_option("--max-line-bytes", limits.max_line_bytes, "refuse a line longer than this (default 1 MiB)")
      ->check(PositiveLimit());
}

/// --max-hosts, --max-processes, --max-threads, --max-descriptors, --max-sockets and
/// --max-events, into `limits` (sim/limits.h; docs/reliability.md, Limits).
inline void AddModelLimitOptions(CLI::App& command, sim::ModelLimits& limits) {
  const auto add = [&](const char* name, std::uint64_t& value, const char* what) {
    command.add_option(name, value, fmt::format("stop a run whose world would hold more {} than this (default {})", what, value))
        ->check(PositiveLimit());
  };
  add("--max-hosts", limits.nodes, "hosts and routers");
  add("--max-processes", limits.processes, "processes, living and exited,");
  add("--max-threads", limits.threads, "threads at once, besides main threads,");
  add("--max-descriptors", limits.descriptors, "open descriptors, all processes together,");
  add("--max-sockets", limits.sockets, "sockets at once");
  command.add_option("--max-events", limits.events, fmt::format("stop a run after this many simulated events (default {})", limits.events))
      ->check(PositiveLimit());
}

/// `socksim run`: scenarios and traces in the simulator (or on the host kernel with --host).
Action AddRunCommand(CLI::App& app);
/// `socksim replay`: a real `strace -f` log replayed and checked call by call.
Action AddReplayCommand(CLI::App& app);

}  // namespace socksim::cli
