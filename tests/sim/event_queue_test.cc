// File: tests/sim/event_queue_test.cc
// Ordering by (time, sequence), FIFO ties, cancellation (with tombstones), event budgets, lazy
// event names, the bounded event log, and a comparison of the heap against a plain ordered map
// over a long random mix of operations.
#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/rng.h"

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
  q.set_log_enabled(true);
  q.ScheduleAt(Instant{7}, "syn", [] {});
  q.ScheduleAt(Instant{7}, "ack", [] {});
  (void)q.RunUntilIdle(10);
  ASSERT_EQ(q.log().size(), 2u);
  EXPECT_EQ(q.log()[0], (EventRecord{Instant{7}, 0, "syn"}));
  EXPECT_EQ(q.log()[1], (EventRecord{Instant{7}, 1, "ack"}));
}

TEST(EventQueue, HeapKeepsFirstInFirstOutAmongManyTies) {
  // Times drawn from a small range, so most events tie with others; the run order must be
  // the schedule order stably sorted by time.
  EventQueue q;
  Rng rng(7);
  std::vector<std::pair<std::int64_t, int>> scheduled;
  std::vector<int> ran;
  for (int i = 0; i < 2000; ++i) {
    const auto at = static_cast<std::int64_t>(rng.UniformBelow(16));
    scheduled.emplace_back(at, i);
    q.ScheduleAt(Instant{at}, "e", [&ran, i] { ran.push_back(i); });
  }
  std::stable_sort(scheduled.begin(), scheduled.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<int> expected;
  for (const auto& [at, i] : scheduled) expected.push_back(i);
  EXPECT_EQ(q.RunUntilIdle(10'000).events_run, 2000u);
  EXPECT_EQ(ran, expected);
}

TEST(EventQueue, CancelAnswersForPendingRanCancelledAndUnknownEvents) {
  EventQueue q;
  int ran = 0;
  const EventId early = q.ScheduleAt(Instant{1}, "early", [&] { ++ran; });
  const EventId late = q.ScheduleAt(Instant{2}, "late", [&] { ++ran; });
  const EventId later = q.ScheduleAt(Instant{3}, "later", [&] { ++ran; });
  (void)q.RunUntil(Instant{1}, 10);
  EXPECT_EQ(ran, 1);
  EXPECT_FALSE(q.Cancel(early));           // already ran
  EXPECT_TRUE(q.Cancel(late));             // pending
  EXPECT_FALSE(q.Cancel(late));            // already cancelled
  EXPECT_FALSE(q.Cancel(EventId{12345}));  // never scheduled
  (void)q.RunUntilIdle(10);
  EXPECT_EQ(ran, 2);
  EXPECT_FALSE(q.Cancel(later));
}

TEST(EventQueue, RunningEventCannotCancelItself) {
  EventQueue q;
  EventId self;
  bool cancelled = true;
  self = q.ScheduleAt(Instant{1}, "self", [&] { cancelled = q.Cancel(self); });
  (void)q.RunUntilIdle(10);
  EXPECT_FALSE(cancelled);
}

TEST(EventQueue, PendingCountsOnlyLiveEvents) {
  EventQueue q;
  std::vector<EventId> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(q.ScheduleAt(Instant{10 + i}, "e", [] {}));
  EXPECT_EQ(q.pending(), 10u);
  EXPECT_TRUE(q.Cancel(ids[0]));  // the earliest: the next one surfaces
  EXPECT_TRUE(q.Cancel(ids[5]));
  EXPECT_TRUE(q.Cancel(ids[9]));
  EXPECT_FALSE(q.Cancel(ids[5]));
  EXPECT_EQ(q.pending(), 7u);
  EXPECT_EQ(q.next_time(), Instant{11});
  EXPECT_EQ(q.RunUntilIdle(100).events_run, 7u);
  EXPECT_EQ(q.pending(), 0u);
}

TEST(EventQueue, CancellingAllButOneOfManyFarEventsLeavesOne) {
  // Enough tombstones to force the heap to be rebuilt without them.
  EventQueue q;
  std::vector<EventId> ids;
  int ran = 0;
  for (int i = 0; i < 5000; ++i) {
    ids.push_back(q.ScheduleAt(Instant{1'000'000 + i}, "timer", [&ran, i] { ran = i; }));
  }
  for (int i = 0; i < 5000; ++i) {
    if (i != 4321) {
      EXPECT_TRUE(q.Cancel(ids[i]));
    }
  }
  EXPECT_EQ(q.pending(), 1u);
  EXPECT_EQ(q.next_time(), Instant{1'000'000 + 4321});
  EXPECT_EQ(q.RunUntilIdle(10).events_run, 1u);
  EXPECT_EQ(ran, 4321);
}

TEST(EventQueue, CancelledActionIsDestroyedAndMayScheduleFromItsDestructor) {
  // An action's captures die inside Cancel; their destructor may use the queue again.
  class OnDestroy {
   public:
    OnDestroy(EventQueue* q, bool* scheduled) : q_(q), scheduled_(scheduled) {}
    OnDestroy(const OnDestroy&) = delete;
    OnDestroy& operator=(const OnDestroy&) = delete;
    ~OnDestroy() {
      q_->ScheduleAt(Instant{5}, "from a destructor", [] {});
      *scheduled_ = true;
    }

   private:
    EventQueue* q_;
    bool* scheduled_;
  };
  EventQueue q;
  bool scheduled = false;
  auto guard = std::make_shared<OnDestroy>(&q, &scheduled);
  const EventId id = q.ScheduleAt(Instant{1}, "guarded", [guard] {});
  guard.reset();
  EXPECT_FALSE(scheduled);
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_TRUE(scheduled);
  EXPECT_EQ(q.pending(), 1u);
  EXPECT_EQ(q.next_time(), Instant{5});
}

TEST(EventQueue, LazyLabelIsNotProducedWhileTheLogIsOff) {
  EventQueue q;
  int produced = 0;
  const auto label = [&produced] {
    return EventLabel::Lazy([&produced] {
      ++produced;
      return std::string("lazy");
    });
  };
  for (int i = 0; i < 5; ++i) q.ScheduleAfter(Duration{i}, label(), [] {});
  const EventId cancelled = q.ScheduleAfter(Duration{9}, label(), [] {});
  EXPECT_TRUE(q.Cancel(cancelled));
  EXPECT_EQ(q.RunUntilIdle(100).events_run, 5u);
  EXPECT_EQ(produced, 0);
  EXPECT_TRUE(q.log().empty());

  q.set_log_enabled(true);
  for (int i = 0; i < 3; ++i) q.ScheduleAfter(Duration{i}, label(), [] {});
  (void)q.RunUntilIdle(100);
  EXPECT_EQ(produced, 3);  // once per recorded event
  ASSERT_EQ(q.log().size(), 3u);
  EXPECT_EQ(q.log()[2].label, "lazy");
}

TEST(EventQueue, LabelFormsRenderTheSameText) {
  struct Case {
    EventLabel label;
    std::string text;
  };
  std::vector<Case> cases;
  cases.push_back({EventLabel(), ""});
  cases.push_back({EventLabel("static"), "static"});
  cases.push_back({EventLabel(std::string("owned")), "owned"});
  cases.push_back({EventLabel("tcp#{} syn timer", 42), "tcp#42 syn timer"});
  cases.push_back({EventLabel::Lazy([] { return std::string("made late"); }), "made late"});
  for (const Case& c : cases) EXPECT_EQ(c.label.Render(), c.text);
}

// Literals and strings convert to a label; a bare pointer, which could dangle, does not.
static_assert(std::is_convertible_v<const char (&)[4], EventLabel>);
static_assert(std::is_convertible_v<std::string, EventLabel>);
static_assert(!std::is_convertible_v<const char*, EventLabel>);

TEST(EventQueue, PatternLabelIsRecordedWhenLogging) {
  EventQueue q;
  q.set_log_enabled(true);
  q.ScheduleAt(Instant{3}, {"tcp#{} time-wait end", 7}, [] {});
  (void)q.RunUntilIdle(10);
  ASSERT_EQ(q.log().size(), 1u);
  EXPECT_EQ(q.log()[0], (EventRecord{Instant{3}, 0, "tcp#7 time-wait end"}));
}

TEST(EventQueue, LogKeepsTheNewestRecordsAndCountsTheDropped) {
  EventQueue q;
  EXPECT_FALSE(q.log_enabled());
  EXPECT_EQ(q.log_capacity(), EventQueue::kDefaultLogCapacity);
  q.set_log_enabled(true);
  q.set_log_capacity(4);
  for (int i = 0; i < 10; ++i) q.ScheduleAt(Instant{i}, "e" + std::to_string(i), [] {});
  (void)q.RunUntilIdle(100);
  std::vector<std::string> labels;
  for (const auto& r : q.log()) labels.push_back(r.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"e6", "e7", "e8", "e9"}));
  EXPECT_EQ(q.log_dropped(), 6u);
  EXPECT_EQ(q.log()[0].sequence, 6u);

  q.set_log_capacity(2);  // shrinking drops the oldest
  labels.clear();
  for (const auto& r : q.log()) labels.push_back(r.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"e8", "e9"}));
  EXPECT_EQ(q.log_dropped(), 8u);

  q.set_log_capacity(0);  // keeps nothing, counts everything
  q.ScheduleAfter(Duration{1}, "gone", [] {});
  (void)q.RunUntilIdle(100);
  EXPECT_TRUE(q.log().empty());
  EXPECT_EQ(q.log_dropped(), 11u);
}

TEST(EventQueue, SchedulingPastTheEndOfTimeIsAProgrammerError) {
  EventQueue q;
  q.AdvanceTo(Instant{10});
  EXPECT_THROW(q.ScheduleAfter(Duration::Max(), "overflow", [] {}), std::logic_error);
  EXPECT_THROW(q.ScheduleAfter(Duration{Duration::Max().ns - 10}, "saturated", [] {}),
               std::logic_error);  // lands on Instant::Max()
  EXPECT_THROW(q.ScheduleAt(Instant::Max(), "saturated", [] {}), std::logic_error);
  EXPECT_THROW(q.ScheduleAfter(Duration{-1}, "negative", [] {}), std::logic_error);
  EXPECT_EQ(q.pending(), 0u);
  const EventId last = q.ScheduleAfter(Duration{Duration::Max().ns - 11}, "last", [] {});
  EXPECT_EQ(q.next_time(), Instant{Instant::Max().ns - 1});
  EXPECT_TRUE(q.Cancel(last));
}

// A long random mix of schedule, cancel and run against an ordered map of (time, sequence),
// which is what the queue was before the heap.
TEST(EventQueue, MatchesAnOrderedMapModel) {
  EventQueue q;
  Rng rng(2024);
  std::map<std::pair<std::int64_t, std::uint64_t>, int> model;
  std::vector<EventId> issued;
  std::vector<int> ran;
  std::vector<int> expected;
  int next_tag = 0;
  for (int step = 0; step < 20'000; ++step) {
    const std::uint64_t op = rng.UniformBelow(10);
    if (op < 5) {
      const std::int64_t at = q.now().ns + static_cast<std::int64_t>(rng.UniformBelow(50));
      const int tag = next_tag++;
      const EventId id = q.ScheduleAt(Instant{at}, "e", [&ran, tag] { ran.push_back(tag); });
      model.emplace(std::make_pair(at, id.value), tag);
      issued.push_back(id);
    } else if (op < 8 && !issued.empty()) {
      const EventId id = issued[rng.UniformBelow(issued.size())];
      bool live = false;
      for (auto it = model.begin(); it != model.end(); ++it) {
        if (it->first.second == id.value) {
          model.erase(it);
          live = true;
          break;
        }
      }
      ASSERT_EQ(q.Cancel(id), live) << "step " << step;
    } else {
      const Instant deadline{q.now().ns + static_cast<std::int64_t>(rng.UniformBelow(20))};
      (void)q.RunUntil(deadline, 1'000'000);
      while (!model.empty() && model.begin()->first.first <= deadline.ns) {
        expected.push_back(model.begin()->second);
        model.erase(model.begin());
      }
    }
    ASSERT_EQ(q.pending(), model.size()) << "step " << step;
    if (!model.empty()) {
      ASSERT_EQ(q.next_time().ns, model.begin()->first.first);
    }
  }
  (void)q.RunUntilIdle(1'000'000);
  for (const auto& [key, tag] : model) expected.push_back(tag);
  EXPECT_EQ(ran, expected);
  EXPECT_GT(ran.size(), 1000u);
}

}  // namespace
}  // namespace socksim::sim
