// File: sim/time.cc
// Formatting of virtual time for traces and logs.
#include "sim/time.h"

#include <fmt/format.h>

namespace socksim::sim {

std::string FormatInstant(Instant t) {
  // Virtual time never runs backwards from zero, so the sign never needs printing.
  const std::int64_t seconds = t.ns / 1'000'000'000;
  const std::int64_t rest = t.ns % 1'000'000'000;
  return fmt::format("{}.{:09}", seconds, rest);
}

}  // namespace socksim::sim
