// File: sim/faults.cc
// Deterministic fault points.
#include "sim/faults.h"

#include <stdexcept>

namespace socksim::sim {

void FaultInjector::Arm(const std::string& point, FaultRule rule) {
  if (!rule.probability.Valid()) throw std::invalid_argument("fault probability out of range");
  armed_[point] = State{rule, 0, 0};
}

void FaultInjector::Disarm(const std::string& point) { armed_.erase(point); }

bool FaultInjector::ShouldFail(std::string_view point) {
  if (armed_.empty()) return false;
  const auto it = armed_.find(point);
  if (it == armed_.end()) return false;
  State& state = it->second;
  ++state.checks;
  if (state.checks <= state.rule.skip) return false;
  if (state.rule.times != FaultRule::kForever && state.fired >= state.rule.times) return false;
  if (!rng_.Chance(state.rule.probability)) return false;
  ++state.fired;
  firings_.push_back(FaultFiring{std::string(point), state.checks});
  return true;
}

}  // namespace socksim::sim
