// File: sim/log.h
// Diagnostic logging through spdlog. Logs are for people debugging socksim; they are never part
// of a trace or a verdict, and they are off unless a level is set (tests stay silent).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <string_view>

namespace socksim::sim {

/// The "socksim" logger (stderr, level off until SetLogLevel is called).
spdlog::logger& Log();

/// True when debug messages are written: callers test it before building an expensive
/// message (spdlog formats its arguments even for a level that is off).
inline bool DebugEnabled() { return Log().should_log(spdlog::level::debug); }

/// Sets the level by name: trace, debug, info, warn, error, critical, off. Returns false for an
/// unknown name and leaves the level unchanged.
bool SetLogLevel(std::string_view level);

}  // namespace socksim::sim
