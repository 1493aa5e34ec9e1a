// File: tests/stack/core/tables_test.cc
// The per-host tables: a closed socket leaves every table (its port is free again, the stack
// forgets it), accepted connections do not slow the listener down, and many connections
// from one client to one listener share ports across distinct four-tuples.
#include <gtest/gtest.h>

#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::Error;
using stack::Policy;
using stack::SocketAddress;

class CoreTables : public CoreFixture {};

TEST_F(CoreTables, AClosedSocketLeavesEveryTable) {
  const Policy& policy = Use();
  const std::size_t before = stack_.live_socket_count();
  {
    auto listener = Listener(policy, *bob_, "10.0.0.2", 9100);
    auto client = Tcp(policy, *alice_);
    ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 9100), *alice_).ok());
    auto server = AcceptOne(*listener, *bob_);
    client->options.linger_on = true;  // abortive close: no TIME-WAIT to wait out
    client->options.linger_seconds = 0;
    Close(client);
    world_.RunUntilIdle();
    Close(server);
    Close(listener);
    world_.RunUntilIdle();
  }
  EXPECT_EQ(stack_.live_socket_count(), before);
  // The port is free: a new listener may take it.
  auto again = Tcp(policy, *bob_);
  EXPECT_TRUE(stack_.Bind(*again, SocketAddress{Ep("10.0.0.2", 9100)}, bob_->Snapshot()).ok());
}

TEST_F(CoreTables, ThousandsOfConnectionsToOneListener) {
  Policy p;
  p.connect_shares_ports = true;
  p.tunables.ephemeral_low = 40000;
  p.tunables.ephemeral_high = 40999;  // 1000 ports for 3000 connections
  const Policy& policy = Use(p);
  stack::SocketRef listeners[3];
  for (int i = 0; i < 3; ++i) listeners[i] = Listener(policy, *bob_, "10.0.0.2", 9200 + i, 4096);
  std::vector<stack::SocketRef> clients, servers;
  for (int i = 0; i < 3000; ++i) {
    clients.push_back(Tcp(policy, *alice_));
    ASSERT_TRUE(ConnectAndWait(*clients.back(), Ep("10.0.0.2", 9200 + i % 3), *alice_).ok()) << i;
  }
  for (int i = 0; i < 3000; ++i) servers.push_back(AcceptOne(*listeners[i % 3], *bob_));
  EXPECT_EQ(stack_.live_socket_count(), 3 + 3000 + 3000);
  // Every accepted socket reports its own client's port.
  for (int i = 0; i < 3000; ++i) EXPECT_EQ(servers[i]->remote.port, clients[i]->local.port);
}

}  // namespace
}  // namespace socksim::testing
