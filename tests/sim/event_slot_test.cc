// File: tests/sim/event_slot_test.cc
// EventSlot stands in for std::optional<EventId>: the queue's first event has id 0, so 0 must
// be a held id, and only the reserved largest value means "none".
#include "sim/event_slot.h"

#include <gtest/gtest.h>

#include "sim/event_queue.h"

namespace socksim::sim {
namespace {

TEST(EventSlot, EmptyUntilAssignedAndAfterReset) {
  EventSlot slot;
  EXPECT_FALSE(slot.has_value());
  EXPECT_FALSE(slot);
  slot = EventId{7};
  ASSERT_TRUE(slot);
  EXPECT_EQ(*slot, EventId{7});
  slot.reset();
  EXPECT_FALSE(slot.has_value());
  slot = EventId{3};
  slot = std::nullopt;
  EXPECT_FALSE(slot);
}

TEST(EventSlot, HoldsTheQueuesFirstId) {
  EventQueue queue;
  const EventSlot slot = queue.ScheduleAfter(Duration{}, EventLabel("first"), [] {});
  ASSERT_TRUE(slot.has_value());
  EXPECT_EQ((*slot).value, 0u);
  EXPECT_TRUE(queue.Cancel(*slot));
}

}  // namespace
}  // namespace socksim::sim
