// File: sim/rng.cc
// xoshiro256** and SplitMix64, written from the published algorithm descriptions.
#include "sim/rng.h"

#include <cassert>

namespace socksim::sim {
namespace {

constexpr std::uint64_t RotateLeft(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// SplitMix64 (Steele, Lea, Flood 2014): used only to spread a user seed over 256 bits of state.
std::uint64_t SplitMix64(std::uint64_t& x) {
  x += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& word : state_) word = SplitMix64(x);
}

std::uint64_t Rng::Next() {
  ++draws_;
  const std::uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

std::uint64_t Rng::UniformBelow(std::uint64_t n) {
  assert(n > 0 && "UniformBelow needs a non-empty range");
  // Reject the lowest (2^64 mod n) values so that every residue is equally likely.
  const std::uint64_t threshold = (0 - n) % n;
  for (;;) {
    const std::uint64_t x = Next();
    if (x >= threshold) return x % n;
  }
}

std::uint64_t Rng::UniformInclusive(std::uint64_t lo, std::uint64_t hi) {
  assert(lo <= hi);
  const std::uint64_t span = hi - lo;
  if (span == UINT64_MAX) return Next();
  return lo + UniformBelow(span + 1);
}

bool Rng::Chance(Ratio p) {
  assert(p.Valid() && "a probability must satisfy 0 <= num <= den, den > 0");
  if (p.num == 0) return false;
  if (p.num == p.den) return true;
  return UniformBelow(p.den) < p.num;
}

Rng Rng::Fork() { return Rng(Next()); }

}  // namespace socksim::sim
