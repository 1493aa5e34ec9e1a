// File: sim/faults.h
// Fault injection points. A layer that can fail for reasons outside the caller's control
// (allocation, buffer space) asks the injector at a named point; a scenario or test arms the
// point explicitly. Nothing fails at random unless a probability was armed, and then the draw
// comes from the world's Rng.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.h"

namespace socksim::sim {

/// How an armed point fires.
struct FaultRule {
  std::uint64_t skip = 0;           // let this many checks pass first
  std::uint64_t times = 1;          // then fail this many checks (kForever for no end)
  Ratio probability{1, 1};          // and fail each of those only with this chance
  static constexpr std::uint64_t kForever = UINT64_MAX;
};

/// One firing, for explanations ("why did this call fail?").
struct FaultFiring {
  std::string point;
  std::uint64_t check_number = 0;  // 1-based count of checks at that point
};

/// The set of armed fault points.
class FaultInjector {
 public:
  explicit FaultInjector(Rng& rng) : rng_(rng) {}

  /// Arms `point` (e.g. "linux.getpeername.nobufs"); a later Arm replaces the rule.
  void Arm(const std::string& point, FaultRule rule);
  void Disarm(const std::string& point);
  /// True when the call at `point` must fail now. Points never armed cost no Rng draw, and no
  /// allocation: the name is looked up as given.
  bool ShouldFail(std::string_view point);

  const std::vector<FaultFiring>& firings() const { return firings_; }

 private:
  struct State {
    FaultRule rule;
    std::uint64_t checks = 0;
    std::uint64_t fired = 0;
  };
  Rng& rng_;
  std::map<std::string, State, std::less<>> armed_;
  std::vector<FaultFiring> firings_;
};

}  // namespace socksim::sim
