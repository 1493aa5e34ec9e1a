// File: sim/event_slot.h
// The id of a scheduled event its holder may cancel, or none: what std::optional<EventId>
// says, in 8 bytes instead of 16. A socket holds one for its SYN retransmission, and a world
// may hold two million sockets. The largest id stands for "none": the queue numbers events
// from 0 upwards, one a time, and never gets there.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/ids.h"

namespace socksim::sim {

class EventSlot {
 public:
  constexpr EventSlot() = default;
  constexpr EventSlot(std::nullopt_t) {}              // NOLINT: reads as optional's nullopt
  constexpr EventSlot(EventId id) : id_(id) {}        // NOLINT: assigned from Schedule*()
  constexpr bool has_value() const { return id_.value != kNone; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr EventId operator*() const { return id_; }
  constexpr void reset() { id_ = EventId{kNone}; }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};
  EventId id_{kNone};
};

}  // namespace socksim::sim
