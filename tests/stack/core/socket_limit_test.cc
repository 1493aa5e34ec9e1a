// File: tests/stack/core/socket_limit_test.cc
// The world's socket limit (sim/limits.h) as the stack keeps it: sockets held at once, the
// ones a personality closed but the stack still holds (TIME_WAIT, an unaccepted child)
// included; past it, Create throws LimitReached and makes nothing.
#include <gtest/gtest.h>

#include "sim/limits.h"
#include "sim/world.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

TEST(SocketLimit, CreatePastTheLimitMakesNothing) {
  sim::World world(sim::WorldOptions{.limits = {.sockets = 2}});
  const sim::NodeId a = world.topology().AddNode("a", sim::NodeKind::kHost);
  sim::Process& p = world.Spawn({.pid = 100, .node = a});
  Stack stack(world);
  const Policy& policy = stack.RegisterPolicy(Policy{});
  auto udp = [&] { return stack.Create(a, Family::kInet, SockType::kDgram, 0, policy, p.Snapshot()); };
  auto first = udp();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(udp().ok());  // released at once: no longer held
  auto second = udp();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(stack.live_socket_count(), 2u);
  try {
    (void)udp();
    ADD_FAILURE() << "a third socket was made";
  } catch (const sim::LimitReached& e) {
    EXPECT_EQ(e.limit(), sim::Limit::kSockets);
    EXPECT_EQ(e.value(), 2u);
  }
  EXPECT_EQ(stack.live_socket_count(), 2u);
  // A socketpair needs two.
  first->reset();
  EXPECT_THROW((void)stack.CreatePair(a, SockType::kStream, 0, policy, p.Snapshot()), sim::LimitReached);
}

}  // namespace
}  // namespace socksim::stack
