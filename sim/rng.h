// File: sim/rng.h
// The world's only source of randomness: xoshiro256** seeded through SplitMix64, with our own
// range reduction. std::*_distribution is banned because its output differs between standard
// libraries; floating point is avoided so results are identical on every machine.
#pragma once

#include <array>
#include <cstdint>

namespace socksim::sim {

/// A probability num/den with 0 <= num <= den and den > 0; used instead of floating point.
struct Ratio {
  std::uint64_t num = 0;
  std::uint64_t den = 1;

  /// True when the ratio is well formed (den > 0 and num <= den).
  constexpr bool Valid() const { return den > 0 && num <= den; }
};

/// Deterministic pseudo-random generator (xoshiro256**, Blackman and Vigna 2018).
class Rng {
 public:
  /// Seeds the four state words from `seed` with SplitMix64, as the xoshiro authors recommend.
  explicit Rng(std::uint64_t seed);

  /// The next raw 64-bit output.
  std::uint64_t Next();

  /// A value uniformly distributed in [0, n); n must be > 0. Unbiased: draws that fall in the
  /// short final bucket are rejected.
  std::uint64_t UniformBelow(std::uint64_t n);

  /// A value uniformly distributed in [lo, hi] (inclusive); requires lo <= hi.
  std::uint64_t UniformInclusive(std::uint64_t lo, std::uint64_t hi);

  /// True with probability `p`; consumes exactly one draw unless p is 0 or 1.
  bool Chance(Ratio p);

  /// A child generator for a sub-component, derived from this one's stream.
  Rng Fork();

  /// Number of outputs drawn so far, printed at the end of a run so runs can be compared.
  std::uint64_t draws() const { return draws_; }

 private:
  std::array<std::uint64_t, 4> state_{};
  std::uint64_t draws_ = 0;
};

}  // namespace socksim::sim
