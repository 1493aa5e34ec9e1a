// File: tests/sim/world_test.cc
// Processes (spawn, fork, exit), credentials, fault points and world-level determinism.
#include "sim/world.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/log.h"

namespace socksim::sim {
namespace {

class ReleaseCounter : public FileObject {
 public:
  explicit ReleaseCounter(int* n) : n_(n) {}
  FileKind kind() const override { return FileKind::kSocket; }
  void OnLastClose() override { ++*n_; }

 private:
  int* n_;
};

TEST(World, SpawnAssignsPidsInOrderAndRejectsDuplicates) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  EXPECT_EQ(w.Spawn({.node = h}).pid(), 100);
  EXPECT_EQ(w.Spawn({.pid = 7, .node = h}).pid(), 7);
  EXPECT_EQ(w.Spawn({.node = h}).pid(), 101);
  EXPECT_THROW(w.Spawn({.pid = 7, .node = h}), std::invalid_argument);
  EXPECT_THROW(w.Spawn({.node = NodeId{9}}), std::invalid_argument);
  EXPECT_EQ(w.Pids(), (std::vector<Pid>{7, 100, 101}));
}

TEST(World, ForkSharesOpenDescriptionsAndCopiesMemory) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  Process& parent = w.Spawn({.pid = 10, .node = h, .credentials = Credentials::Of(1000, 1000)});
  int released = 0;
  const int fd = parent.fds()
                     .Install(std::make_shared<OpenFileDescription>(
                                  std::make_shared<ReleaseCounter>(&released), StatusFlags{}),
                              false)
                     .value();
  const UserAddress buf = parent.memory().Allocate(4);
  ASSERT_TRUE(parent.memory().WriteU32(buf, 42));

  Process& child = w.Fork(10, 11);
  EXPECT_EQ(child.parent(), 10);
  EXPECT_EQ(child.credentials().euid, 1000u);
  EXPECT_EQ(child.fds().Lookup(fd)->description, parent.fds().Lookup(fd)->description);
  EXPECT_EQ(child.memory().ReadU32(buf), 42u);
  ASSERT_TRUE(child.memory().WriteU32(buf, 7));
  EXPECT_EQ(parent.memory().ReadU32(buf), 42u);  // memory is copied, not shared

  w.Exit(10, 0);
  EXPECT_FALSE(w.FindProcess(10)->alive());
  EXPECT_EQ(released, 0);  // the child still holds the description
  w.Exit(11, 3);
  EXPECT_EQ(released, 1);
  EXPECT_EQ(w.FindProcess(11)->exit_status(), 3);
  EXPECT_THROW(w.Fork(11), std::invalid_argument);
}

TEST(Credentials, UnprivilegedSetResUidChoosesAmongCurrentIds) {
  Credentials c = Credentials::Of(1000, 1000);
  c.suid = 0;  // a set-uid-root program that dropped privilege
  EXPECT_EQ(SetResUid(c, kUnchangedId, 0, kUnchangedId), CredentialChange::kApplied);
  EXPECT_EQ(c.euid, 0u);
  Credentials d = Credentials::Of(1000, 1000);
  EXPECT_EQ(SetResUid(d, 2000, kUnchangedId, kUnchangedId), CredentialChange::kNotPermitted);
  EXPECT_EQ(d, Credentials::Of(1000, 1000));  // all or nothing
  EXPECT_EQ(SetResGid(d, kUnchangedId, 5, kUnchangedId), CredentialChange::kNotPermitted);
}

TEST(Credentials, PrivilegedSetResUidMayChooseAnything) {
  Credentials c = Credentials::Of(0, 0);
  EXPECT_EQ(SetResUid(c, 1, 2, 3), CredentialChange::kApplied);
  EXPECT_EQ(c.ruid, 1u);
  EXPECT_EQ(c.euid, 2u);
  EXPECT_EQ(c.suid, 3u);
  EXPECT_FALSE(c.privileged());
}

TEST(FaultInjector, ArmedPointFiresAfterSkipForCount) {
  World w;
  auto& f = w.faults();
  EXPECT_FALSE(f.ShouldFail("p"));
  f.Arm("p", FaultRule{.skip = 1, .times = 2});
  EXPECT_FALSE(f.ShouldFail("p"));
  EXPECT_TRUE(f.ShouldFail("p"));
  EXPECT_TRUE(f.ShouldFail("p"));
  EXPECT_FALSE(f.ShouldFail("p"));
  ASSERT_EQ(f.firings().size(), 2u);
  EXPECT_EQ(f.firings()[0].check_number, 2u);
  EXPECT_EQ(w.rng().draws(), 0u);  // certain rules draw nothing
  EXPECT_THROW(f.Arm("q", FaultRule{.probability = {3, 2}}), std::invalid_argument);
}

// A small workload whose events and labels depend on the world's Rng.
std::vector<EventRecord> RunWorkload(std::uint64_t seed) {
  World w(WorldOptions{.seed = seed});
  w.queue().set_log_enabled(true);  // the log is off by default
  for (int i = 0; i < 20; ++i) {
    const auto delay = Duration::Microseconds(static_cast<std::int64_t>(w.rng().UniformBelow(50)));
    const auto value = w.rng().UniformInclusive(32768, 60999);
    w.queue().ScheduleAfter(delay, "port " + std::to_string(value), [] {});
  }
  (void)w.RunUntilIdle();
  return w.queue().log();
}

TEST(Determinism, SameSeedSameEventLog) {
  EXPECT_EQ(RunWorkload(1234), RunWorkload(1234));
}

TEST(Determinism, DifferentSeedDifferentChoices) {
  EXPECT_NE(RunWorkload(1234), RunWorkload(1235));
}

TEST(Determinism, WorkloadLogHasEveryEvent) {
  // Guards the two tests above against comparing empty logs.
  EXPECT_EQ(RunWorkload(1234).size(), 20u);
}

TEST(World, EventLogIsOffByDefault) {
  World w;
  w.queue().ScheduleAfter(Duration{1}, "tick", [] {});
  EXPECT_EQ(w.RunUntilIdle().events_run, 1u);
  EXPECT_FALSE(w.queue().log_enabled());
  EXPECT_TRUE(w.queue().log().empty());
}

TEST(World, BudgetStopsRunawayWorld) {
  World w(WorldOptions{.budget_events_max = 10});
  std::function<void()> tick = [&] { w.queue().ScheduleAfter(Duration{1}, "tick", tick); };
  w.queue().ScheduleAfter(Duration{0}, "tick", tick);
  EXPECT_EQ(w.RunUntilIdle().status, RunStatus::kBudgetExhausted);
}

TEST(Log, LevelsByNameAndSilentByDefault) {
  EXPECT_EQ(Log().level(), spdlog::level::off);
  EXPECT_TRUE(SetLogLevel("debug"));
  EXPECT_EQ(Log().level(), spdlog::level::debug);
  EXPECT_FALSE(SetLogLevel("loud"));
  EXPECT_EQ(Log().level(), spdlog::level::debug);
  EXPECT_TRUE(SetLogLevel("off"));
}

}  // namespace
}  // namespace socksim::sim
