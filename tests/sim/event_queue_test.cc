// File: tests/sim/event_queue_test.cc
// Ordering by (time, sequence), FIFO ties, cancellation and event budgets.
#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace socksim::sim {
namespace {

TEST(EventQueue, RunsInTimeOrder) {
  EventQueue q;
  std::vector<std::string> order;
  q.ScheduleAt(Instant{30}, "c", [&] { order.push_back("c"); });
  q.ScheduleAt(Instant{10}, "a", [&] { order.push_back("a"); });
  q.ScheduleAt(Instant{20}, "b", [&] { order.push_back("b"); });
  const auto outcome = q.RunUntilIdle(100);
  EXPECT_EQ(outcome.status, RunStatus::kIdle);
  EXPECT_EQ(outcome.events_run, 3u);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(q.now(), Instant{30});
}

TEST(EventQueue, SameTimeTiesBreakFirstInFirstOut) {
  EventQueue q;
  std::vector<int> order;
  for (int i = 0; i < 10; ++i) q.ScheduleAt(Instant{5}, "tie", [&order, i] { order.push_back(i); });
  (void)q.RunUntilIdle(100);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(EventQueue, EventsScheduledByEventsRunAfterEarlierOnes) {
  EventQueue q;
  std::vector<std::string> order;
  q.ScheduleAt(Instant{1}, "first", [&] {
    order.push_back("first");
    q.ScheduleAfter(Duration{0}, "nested", [&] { order.push_back("nested"); });
  });
  q.ScheduleAt(Instant{1}, "second", [&] { order.push_back("second"); });
  (void)q.RunUntilIdle(100);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "nested"}));
}

TEST(EventQueue, CancelRemovesPendingEventOnly) {
  EventQueue q;
  int ran = 0;
  const EventId id = q.ScheduleAt(Instant{1}, "x", [&] { ++ran; });
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_FALSE(q.Cancel(id));
  (void)q.RunUntilIdle(10);
  EXPECT_EQ(ran, 0);
}

TEST(EventQueue, BudgetStopsRunawayLoop) {
  EventQueue q;
  std::function<void()> again = [&] { q.ScheduleAfter(Duration{1}, "loop", again); };
  q.ScheduleAt(Instant{0}, "loop", again);
  const auto outcome = q.RunUntilIdle(50);
  EXPECT_EQ(outcome.status, RunStatus::kBudgetExhausted);
  EXPECT_EQ(outcome.events_run, 50u);
  EXPECT_EQ(q.pending(), 1u);
  EXPECT_STREQ(ToString(outcome.status), "budget-exhausted");
}

TEST(EventQueue, RunUntilStopsAtDeadlineAndSetsClock) {
  EventQueue q;
  int ran = 0;
  q.ScheduleAt(Instant{10}, "a", [&] { ++ran; });
  q.ScheduleAt(Instant{20}, "b", [&] { ++ran; });
  q.ScheduleAt(Instant{30}, "c", [&] { ++ran; });
  auto outcome = q.RunUntil(Instant{20}, 100);
  EXPECT_EQ(outcome.status, RunStatus::kReachedTime);
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(q.now(), Instant{20});
  outcome = q.RunUntil(Instant{100}, 100);
  EXPECT_EQ(outcome.status, RunStatus::kIdle);
  EXPECT_EQ(q.now(), Instant{100});
}

TEST(EventQueue, PastSchedulingIsAProgrammerError) {
  EventQueue q;
  q.AdvanceTo(Instant{50});
  EXPECT_THROW(q.ScheduleAt(Instant{49}, "late", [] {}), std::logic_error);
  EXPECT_THROW(q.AdvanceTo(Instant{10}), std::logic_error);
}

TEST(EventQueue, LogRecordsTimeSequenceAndLabel) {
  EventQueue q;
  q.ScheduleAt(Instant{7}, "syn", [] {});
  q.ScheduleAt(Instant{7}, "ack", [] {});
  (void)q.RunUntilIdle(10);
  ASSERT_EQ(q.log().size(), 2u);
  EXPECT_EQ(q.log()[0], (EventRecord{Instant{7}, 0, "syn"}));
  EXPECT_EQ(q.log()[1], (EventRecord{Instant{7}, 1, "ack"}));
}

TEST(Time, FormatsSecondsWithNanoseconds) {
  EXPECT_EQ(FormatInstant(Instant{0}), "0.000000000");
  EXPECT_EQ(FormatInstant(Instant{1'000'000'250}), "1.000000250");
  EXPECT_EQ((Instant{5} + Duration::Microseconds(2)).ns, 2005);
}

}  // namespace
}  // namespace socksim::sim
