// File: sim/time.h
// Virtual time. Nothing in socksim reads a wall clock: an Instant only moves when the event
// queue advances it, so a run's timing is a pure function of its inputs.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace socksim::sim {

/// A span of virtual time in nanoseconds.
struct Duration {
  std::int64_t ns = 0;

  static constexpr Duration Nanoseconds(std::int64_t n) { return Duration{n}; }
  static constexpr Duration Microseconds(std::int64_t n) { return Duration{n * 1000}; }
  static constexpr Duration Milliseconds(std::int64_t n) { return Duration{n * 1000 * 1000}; }
  static constexpr Duration Seconds(std::int64_t n) { return Duration{n * 1000 * 1000 * 1000}; }

  friend constexpr auto operator<=>(const Duration&, const Duration&) = default;
  friend constexpr Duration operator+(Duration a, Duration b) { return Duration{a.ns + b.ns}; }
};

/// A point in virtual time, in nanoseconds since the world was created.
struct Instant {
  std::int64_t ns = 0;

  friend constexpr auto operator<=>(const Instant&, const Instant&) = default;
  friend constexpr Instant operator+(Instant t, Duration d) { return Instant{t.ns + d.ns}; }
  friend constexpr Duration operator-(Instant a, Instant b) { return Duration{a.ns - b.ns}; }
};

/// Formats an instant as seconds with nine decimals ("1.000000250"), the form traces use.
std::string FormatInstant(Instant t);

}  // namespace socksim::sim
