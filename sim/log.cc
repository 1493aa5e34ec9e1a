// File: sim/log.cc
// The process-wide diagnostic logger. It is the one global in socksim, and it is write-only:
// nothing the simulation computes depends on it.
#include "sim/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <array>
#include <string>

namespace socksim::sim {

spdlog::logger& Log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    auto l = std::make_shared<spdlog::logger>(
        "socksim", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    l->set_level(spdlog::level::off);
    l->set_pattern("socksim: %l: %v");
    return l;
  }();
  return *logger;
}

bool SetLogLevel(std::string_view level) {
  constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels{{
      {"trace", spdlog::level::trace},
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  }};
  for (const auto& [name, value] : kLevels) {
    if (name == level) {
      Log().set_level(value);
      return true;
    }
  }
  return false;
}

}  // namespace socksim::sim
