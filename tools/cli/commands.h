// File: tools/cli/commands.h
// The socksim subcommands, each registered on the CLI11 app by one function.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace socksim::cli {

/// A registered subcommand's action, run after parsing when its subcommand was chosen.
using Action = std::function<int()>;

/// Refuses a number written with a minus sign (CLI11 would wrap it into an unsigned option).
inline CLI::Validator NotNegative() {
  return CLI::Validator(
      [](const std::string& text) {
        return text.find('-') == std::string::npos ? std::string() : std::string("must not be negative");
      },
      "NONNEGATIVE");
}

/// `socksim run`: scenarios and traces in the simulator (or on the host kernel with --host).
Action AddRunCommand(CLI::App& app);
/// `socksim replay`: a real `strace -f` log replayed and checked call by call.
Action AddReplayCommand(CLI::App& app);

}  // namespace socksim::cli
