// File: sim/time.h
// Virtual time. Nothing in socksim reads a wall clock: an Instant only moves when the event
// queue advances it, so a run's timing is a pure function of its inputs. Time is a signed 64-bit
// count of nanoseconds (about 292 years either way). Arithmetic never overflows: the Checked*
// forms say when a result does not fit, and the operators saturate at the int64 limits, so a
// scenario that advances the clock by absurd amounts pins it at the end of time instead of
// wrapping it (signed overflow would be undefined behaviour, and a wrapped clock runs backwards).
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace socksim::sim {
namespace time_internal {

inline constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// a + b, or nullopt when the sum does not fit in an int64.
constexpr std::optional<std::int64_t> CheckedAdd(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > kMax - b) return std::nullopt;
  if (b < 0 && a < kMin - b) return std::nullopt;
  return a + b;
}

// a - b, or nullopt when the difference does not fit in an int64.
constexpr std::optional<std::int64_t> CheckedSub(std::int64_t a, std::int64_t b) {
  if (b < 0 && a > kMax + b) return std::nullopt;
  if (b > 0 && a < kMin + b) return std::nullopt;
  return a - b;
}

// a * b, or nullopt when the product does not fit in an int64.
constexpr std::optional<std::int64_t> CheckedMul(std::int64_t a, std::int64_t b) {
  if (a == 0 || b == 0) return std::int64_t{0};
  if (a > 0) {
    if (b > 0 ? a > kMax / b : b < kMin / a) return std::nullopt;
  } else {
    if (b > 0 ? a < kMin / b : b < kMax / a) return std::nullopt;
  }
  return a * b;
}

// The int64 limit a result overflowed to: the minimum if it went negative, else the maximum.
constexpr std::int64_t Saturated(bool negative) { return negative ? kMin : kMax; }

}  // namespace time_internal

/// A span of virtual time in nanoseconds.
struct Duration {
  std::int64_t ns = 0;

  /// The longest duration; the saturating operations stop there.
  static constexpr Duration Max() { return Duration{time_internal::kMax}; }
  /// The most negative duration; the saturating operations stop there.
  static constexpr Duration Min() { return Duration{time_internal::kMin}; }

  /// n nanoseconds (always exact).
  static constexpr Duration Nanoseconds(std::int64_t n) { return Duration{n}; }
  /// n microseconds; saturates at Max() / Min() when n * 1000 does not fit (CheckedMicroseconds
  /// says so instead).
  static constexpr Duration Microseconds(std::int64_t n) { return Scaled(n, 1'000); }
  /// n milliseconds; saturates like Microseconds.
  static constexpr Duration Milliseconds(std::int64_t n) { return Scaled(n, 1'000'000); }
  /// n seconds; saturates like Microseconds.
  static constexpr Duration Seconds(std::int64_t n) { return Scaled(n, 1'000'000'000); }

  /// n microseconds, or nullopt when that many nanoseconds do not fit in an int64.
  static constexpr std::optional<Duration> CheckedMicroseconds(std::int64_t n) {
    return CheckedScaled(n, 1'000);
  }
  /// n milliseconds, or nullopt on overflow.
  static constexpr std::optional<Duration> CheckedMilliseconds(std::int64_t n) {
    return CheckedScaled(n, 1'000'000);
  }
  /// n seconds, or nullopt on overflow (n beyond about +-9.2e9).
  static constexpr std::optional<Duration> CheckedSeconds(std::int64_t n) {
    return CheckedScaled(n, 1'000'000'000);
  }

  /// This duration times `factor`, or nullopt on overflow.
  constexpr std::optional<Duration> CheckedMul(std::int64_t factor) const {
    const auto product = time_internal::CheckedMul(ns, factor);
    if (!product) return std::nullopt;
    return Duration{*product};
  }
  /// This duration times 2^shift (a timeout doubled `shift` times), or nullopt on overflow.
  /// Unlike `ns << shift` it is defined for every shift and every sign.
  constexpr std::optional<Duration> CheckedShl(unsigned shift) const {
    if (ns == 0) return Duration{0};
    if (shift >= 63) {
      // Only -2^63 = -1 << 63 fits among the non-zero results.
      if (shift == 63 && ns == -1) return Min();
      return std::nullopt;
    }
    return CheckedMul(std::int64_t{1} << shift);
  }
  /// This duration doubled `times` times, saturating at Max() / Min(): the exponential back-off
  /// of a retransmission timer (RFC 6298 5.5) can then never wrap into the past.
  constexpr Duration Doubled(unsigned times) const {
    const auto doubled = CheckedShl(times);
    return doubled ? *doubled : Duration{time_internal::Saturated(ns < 0)};
  }

  friend constexpr auto operator<=>(const Duration&, const Duration&) = default;
  /// Saturating sum: clamps at Max() / Min() instead of overflowing.
  friend constexpr Duration operator+(Duration a, Duration b) {
    const auto sum = time_internal::CheckedAdd(a.ns, b.ns);
    return Duration{sum ? *sum : time_internal::Saturated(b.ns < 0)};
  }

 private:
  static constexpr Duration Scaled(std::int64_t n, std::int64_t unit) {
    const auto product = time_internal::CheckedMul(n, unit);
    return Duration{product ? *product : time_internal::Saturated(n < 0)};
  }
  static constexpr std::optional<Duration> CheckedScaled(std::int64_t n, std::int64_t unit) {
    const auto product = time_internal::CheckedMul(n, unit);
    if (!product) return std::nullopt;
    return Duration{*product};
  }
};

/// A point in virtual time, in nanoseconds since the world was created.
struct Instant {
  std::int64_t ns = 0;

  /// The last representable instant: where saturating arithmetic ends, so the event queue
  /// treats it as "overflowed" and schedules nothing there.
  static constexpr Instant Max() { return Instant{time_internal::kMax}; }

  friend constexpr auto operator<=>(const Instant&, const Instant&) = default;
  /// Saturating: an instant too far in the future becomes Max() (too far in the past, the
  /// int64 minimum) instead of wrapping.
  friend constexpr Instant operator+(Instant t, Duration d) {
    const auto sum = time_internal::CheckedAdd(t.ns, d.ns);
    return Instant{sum ? *sum : time_internal::Saturated(d.ns < 0)};
  }
  /// Saturating difference (it cannot overflow for instants of one run, which are never
  /// negative).
  friend constexpr Duration operator-(Instant a, Instant b) {
    const auto diff = time_internal::CheckedSub(a.ns, b.ns);
    return Duration{diff ? *diff : time_internal::Saturated(b.ns > 0)};
  }
};

/// t + d, or nullopt when the instant does not fit in an int64.
constexpr std::optional<Instant> CheckedAdd(Instant t, Duration d) {
  const auto sum = time_internal::CheckedAdd(t.ns, d.ns);
  if (!sum) return std::nullopt;
  return Instant{*sum};
}

/// a + b, or nullopt on overflow.
constexpr std::optional<Duration> CheckedAdd(Duration a, Duration b) {
  const auto sum = time_internal::CheckedAdd(a.ns, b.ns);
  if (!sum) return std::nullopt;
  return Duration{*sum};
}

/// Formats an instant as seconds with nine decimals ("1.000000250"), the form traces use.
std::string FormatInstant(Instant t);

}  // namespace socksim::sim
