// File: tools/cli/main.cc
// Entry point of the socksim command line: global options and subcommand dispatch.
#include <CLI/CLI.hpp>

#include <iostream>

#include "sim/log.h"
#include "tools/trace/version.h"

int main(int argc, char** argv) {
  CLI::App app{
      "socksim: a deterministic userspace network stack simulator.\n"
      "It answers socket calls exactly as Linux (and, as they land, Windows and illumos)\n"
      "would, on a simulated network in virtual time with a seeded random generator.",
      "socksim"};
  app.set_version_flag("--version", std::string(socksim::tools::Version()));
  std::string log_level = "off";
  app.add_option("--log-level", log_level,
                 "diagnostic log level on stderr: trace, debug, info, warn, error, critical, off")
      ->default_val("off");
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (!socksim::sim::SetLogLevel(log_level)) {
    std::cerr << "socksim: unknown --log-level '" << log_level << "'\n";
    return 2;
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 0;
  }
  return 0;
}
