// File: tests/sim/limits_test.cc
// The simulator's own limits (sim/limits.h): each is reached with LimitReached naming it, and
// the operation that would pass it changes nothing that the limit counts.
#include "sim/limits.h"

#include <gtest/gtest.h>

#include <string>

#include "sim/world.h"

namespace socksim::sim {
namespace {

class NullFile : public FileObject {
 public:
  FileKind kind() const override { return FileKind::kRegularFile; }
};

OfdRef MakeFile() { return std::make_shared<OpenFileDescription>(std::make_shared<NullFile>(), StatusFlags{}); }


// Runs `action` and returns which limit it reached, or nullopt if it returned normally.
template <typename F>
std::optional<Limit> Reached(F action) {
  try {
    action();
  } catch (const LimitReached& e) {
    return e.limit();
  }
  return std::nullopt;
}

TEST(ModelLimits, EachLimitHasItsValueAndName) {
  const ModelLimits limits{.nodes = 1, .processes = 2, .threads = 3, .descriptors = 4, .sockets = 5, .events = 6};
  const struct {
    Limit limit;
    std::uint64_t value;
    std::string name;
  } rows[] = {
      {Limit::kNodes, 1, "nodes (hosts and routers)"},
      {Limit::kProcesses, 2, "processes (living and exited)"},
      {Limit::kThreads, 3, "threads alive at once (besides each process's main thread)"},
      {Limit::kDescriptors, 4, "open descriptors (all processes together)"},
      {Limit::kSockets, 5, "sockets held at once"},
      {Limit::kEvents, 6, "events run"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(limits.Of(row.limit), row.value) << row.name;
    EXPECT_EQ(Describe(row.limit), row.name);
    EXPECT_EQ(std::string(LimitReached(row.limit, row.value).what()),
              "the world reached its limit of " + std::to_string(row.value) + " " + row.name);
  }
}

TEST(ModelLimits, NodesPastTheLimitAreRefused) {
  World w(WorldOptions{.limits = {.nodes = 2}});
  w.topology().AddNode("a", NodeKind::kHost);
  w.topology().AddNode("b", NodeKind::kRouter);
  EXPECT_EQ(Reached([&] { w.topology().AddNode("c", NodeKind::kHost); }), Limit::kNodes);
  EXPECT_EQ(w.topology().node_count(), 2u);
  EXPECT_FALSE(w.topology().FindNode("c"));
}

TEST(ModelLimits, ProcessesCountExitedOnesAndForks) {
  World w(WorldOptions{.limits = {.processes = 2}});
  const NodeId a = w.topology().AddNode("a", NodeKind::kHost);
  w.Spawn({.pid = 100, .node = a});
  w.Exit(100, 0);  // an exited process keeps its record, and counts
  w.Spawn({.pid = 200, .node = a});
  EXPECT_EQ(Reached([&] { w.Spawn({.pid = 300, .node = a}); }), Limit::kProcesses);
  EXPECT_EQ(Reached([&] { w.Fork(200, 201); }), Limit::kProcesses);
  EXPECT_EQ(w.Pids(), (std::vector<Pid>{100, 200}));
}

TEST(ModelLimits, ThreadsAliveAtOnce) {
  World w(WorldOptions{.limits = {.threads = 1}});
  const NodeId a = w.topology().AddNode("a", NodeKind::kHost);
  w.Spawn({.pid = 100, .node = a});
  w.SpawnThread(100, 101);
  EXPECT_EQ(Reached([&] { w.SpawnThread(100, 102); }), Limit::kThreads);
  EXPECT_EQ(w.FindThread(102), nullptr);
  w.ExitThread(101, 0);  // a thread that ended no longer counts
  EXPECT_EQ(Reached([&] { w.SpawnThread(100, 102); }), std::nullopt);
}

TEST(ModelLimits, DescriptorsOfEveryTableTogether) {
  World w(WorldOptions{.limits = {.descriptors = 3}});
  const NodeId a = w.topology().AddNode("a", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = a});
  Process& q = w.Spawn({.pid = 200, .node = a});
  ASSERT_TRUE(p.fds().Install(MakeFile(), false).ok());
  ASSERT_TRUE(q.fds().Install(MakeFile(), false).ok());
  ASSERT_TRUE(p.fds().Dup(0).ok());
  EXPECT_EQ(Reached([&] { (void)q.fds().Install(MakeFile(), false); }), Limit::kDescriptors);
  EXPECT_EQ(Reached([&] { (void)p.fds().Dup(0); }), Limit::kDescriptors);
  EXPECT_EQ(Reached([&] { (void)p.fds().InstallAt(9, MakeFile(), false); }), Limit::kDescriptors);
  EXPECT_EQ(p.fds().size() + q.fds().size(), 3u);
  // Replacing an open descriptor (dup2 onto it) adds none.
  EXPECT_EQ(Reached([&] { (void)p.fds().Dup2(0, 1); }), std::nullopt);
  // A fork copies the table: two more descriptors, past the limit, so no child.
  EXPECT_EQ(Reached([&] { w.Fork(100, 101); }), Limit::kDescriptors);
  EXPECT_EQ(w.FindProcess(101), nullptr);
  // A close, and an exit, give descriptors back.
  ASSERT_TRUE(p.fds().Close(1).ok());
  EXPECT_EQ(Reached([&] { (void)q.fds().Install(MakeFile(), false); }), std::nullopt);
  w.Exit(100, 0);
  EXPECT_EQ(Reached([&] { (void)q.fds().Install(MakeFile(), false); }), std::nullopt);
  EXPECT_EQ(Reached([&] { (void)q.fds().Install(MakeFile(), false); }), Limit::kDescriptors);
}

TEST(ModelLimits, ATableReplacedAtSetUpKeepsCounting) {
  // Winsock's numbering replaces a new process's table; the census stays with the process.
  World w(WorldOptions{.limits = {.descriptors = 1}});
  const NodeId a = w.topology().AddNode("a", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = a});
  p.fds() = FdTable(HandleNumbering::Sequential(0x100, 4));
  ASSERT_TRUE(p.fds().Install(MakeFile(), false).ok());
  EXPECT_EQ(Reached([&] { (void)p.fds().Install(MakeFile(), false); }), Limit::kDescriptors);
}

TEST(ModelLimits, CloseOnExecGivesDescriptorsBack) {
  World w(WorldOptions{.limits = {.descriptors = 2}});
  const NodeId a = w.topology().AddNode("a", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = a});
  ASSERT_TRUE(p.fds().Install(MakeFile(), true).ok());
  ASSERT_TRUE(p.fds().Install(MakeFile(), true).ok());
  p.fds().CloseOnExec();
  EXPECT_EQ(Reached([&] {
              (void)p.fds().Install(MakeFile(), false);
              (void)p.fds().Install(MakeFile(), false);
            }),
            std::nullopt);
}

TEST(ModelLimits, EventsRunInTheWorldsLife) {
  World w(WorldOptions{.limits = {.events = 3}});
  int ran = 0;
  for (int i = 0; i < 5; ++i) w.queue().ScheduleAfter(Duration::Milliseconds(i + 1), "tick", [&ran] { ++ran; });
  EXPECT_EQ(Reached([&] { (void)w.RunUntil(Instant{} + Duration::Milliseconds(2)); }), std::nullopt);
  EXPECT_EQ(Reached([&] { (void)w.RunUntilIdle(); }), Limit::kEvents);
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(w.queue().events_run(), 3u);
  EXPECT_EQ(w.queue().pending(), 2u);  // the refused event is still there
}

}  // namespace
}  // namespace socksim::sim
