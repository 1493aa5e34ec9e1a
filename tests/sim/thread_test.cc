// File: tests/sim/thread_test.cc
// Threads: the main thread has the process's id, threads and processes share one number space,
// a thread's exit leaves its process, the main thread's exit ends it, fork gives one thread.
#include <gtest/gtest.h>

#include "sim/world.h"

namespace socksim::sim {
namespace {

struct Counter final : ThreadExtension {
  int calls = 0;
};

TEST(Thread, MainThreadHasTheProcessId) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = h});
  EXPECT_EQ(p.main_thread().tid(), 100);
  EXPECT_TRUE(p.main_thread().is_main());
  EXPECT_EQ(&p.main_thread().process(), &p);
  EXPECT_EQ(w.FindThread(100), &p.main_thread());
}

TEST(Thread, ThreadsAndProcessesShareOneNumberSpace) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = h});
  Thread& t = w.SpawnThread(100);
  EXPECT_EQ(t.tid(), 101);  // the next free id
  EXPECT_FALSE(t.is_main());
  EXPECT_EQ(w.FindThread(101), &t);
  EXPECT_EQ(&w.FindThread(101)->process(), &p);
  // A process can no longer take a thread's id, nor a thread a process's.
  EXPECT_EQ(w.Spawn({.node = h}).pid(), 102);
  EXPECT_THROW(w.Spawn({.pid = 101, .node = h}), std::invalid_argument);
  EXPECT_THROW(w.SpawnThread(100, 102), std::invalid_argument);
  EXPECT_EQ(p.Tids(), (std::vector<Tid>{100, 101}));
}

TEST(Thread, ThreadExitLeavesTheProcessMainExitEndsIt) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = h});
  (void)w.SpawnThread(100, 150);
  w.ExitThread(150, 0);
  EXPECT_TRUE(p.alive());
  EXPECT_EQ(p.FindThread(150), nullptr);
  w.ExitThread(100, 3);
  EXPECT_FALSE(p.alive());
  EXPECT_EQ(p.exit_status(), 3);
  EXPECT_THROW(w.SpawnThread(100), std::invalid_argument);
}

TEST(Thread, ExtensionsArePerThread) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  Process& p = w.Spawn({.pid = 100, .node = h});
  Thread& t = w.SpawnThread(100);
  t.set_extension(std::make_unique<Counter>());
  static_cast<Counter*>(t.extension())->calls = 5;
  EXPECT_EQ(p.main_thread().extension(), nullptr);
  EXPECT_EQ(static_cast<Counter*>(t.extension())->calls, 5);
}

TEST(Thread, ForkedChildHasOneThread) {
  World w;
  const NodeId h = w.topology().AddNode("h", NodeKind::kHost);
  (void)w.Spawn({.pid = 100, .node = h});
  (void)w.SpawnThread(100, 101);
  Process& child = w.Fork(100, 200);
  EXPECT_EQ(child.Tids(), (std::vector<Tid>{200}));
}

}  // namespace
}  // namespace socksim::sim
