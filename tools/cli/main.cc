// File: tools/cli/main.cc
// Entry point of the socksim command line: global options and subcommand dispatch.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "sim/log.h"
#include "tools/cli/commands.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/version.h"

int main(int argc, char** argv) {
  // The personalities named are this build's (cmake/personalities.cmake), not a fixed list.
  CLI::App app{
      "socksim: a deterministic userspace network stack simulator.\n"
      "It answers socket calls exactly as the real systems do (personalities: " +
          socksim::tools::PersonalityNames() +
          "),\non a simulated network in virtual time with a seeded random generator.\n"
          "Scenario format: docs/scenario-format.md",
      "socksim"};
  app.set_version_flag("--version", std::string(socksim::tools::Version()));
  std::string log_level = "off";
  app.add_option("--log-level", log_level,
                 "diagnostics on stderr: trace, debug, info, warn, error, critical, off")
      ->default_val("off");
  app.require_subcommand(0, 1);
  // Global options may also follow the subcommand: `socksim run --log-level debug ...`.
  app.fallthrough();
  std::map<std::string, socksim::cli::Action> actions;
  actions["run"] = socksim::cli::AddRunCommand(app);
  actions["replay"] = socksim::cli::AddReplayCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; every usage error exits 2, as the help says
    // (CLI11's own codes are 100 and up).
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (!socksim::sim::SetLogLevel(log_level)) {
    std::cerr << "socksim: unknown --log-level '" << log_level << "'\n";
    return 2;
  }
  for (CLI::App* sub : app.get_subcommands()) {
    const auto it = actions.find(sub->get_name());
    if (it != actions.end()) return it->second();
  }
  std::cout << app.help();
  return 0;
}
