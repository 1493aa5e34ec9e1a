// File: tests/stack/core/kernel_diff_test.cc
// The neutral operations and policy choices added where the simulator differed from a real
// kernel: shutdown of a socket whose connection waits in TIME-WAIT, a socket connecting to its
// own address (simultaneous open), the source address for the loopback range, a bind() that
// leaves the port to connect(), and unlink/rename of UNIX socket files.
#include <gtest/gtest.h>

#include "stack/core/stack.h"
#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::Error;
using stack::LoopbackRangeSource;
using stack::Policy;
using stack::SocketAddress;
using stack::TcpState;
using stack::UnixAddress;

class CoreKernelDiff : public CoreFixture {
 protected:
  // A connection on a's loopback whose client shut down writing and whose server then closed:
  // the client waits in TIME-WAIT. Returns the client.
  stack::SocketRef ClientInTimeWait(const Policy& p, std::uint16_t port) {
    auto listener = Listener(p, *alice_, "127.0.0.1", port);
    auto client = Tcp(p, *alice_);
    EXPECT_TRUE(ConnectAndWait(*client, Ep("127.0.0.1", port), *alice_).ok());
    auto server = AcceptOne(*listener, *alice_);
    EXPECT_TRUE(stack_.Shutdown(*client, false, true).ok());
    stack_.Settle();
    Close(server);
    EXPECT_EQ(client->state, TcpState::kTimeWait);
    return client;
  }
};

TEST_F(CoreKernelDiff, ShutdownInTimeWaitFollowsThePolicy) {
  struct Case {
    const char* name;
    bool reads_closed;
    std::optional<Error> want;
    std::uint16_t port;
  };
  const Case cases[] = {
      {"TimeWaitReadsClosed", true, Error::kNotConnected, 7000},
      {"TimeWaitIsAState", false, std::nullopt, 7002},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Policy policy;
    policy.time_wait_reads_closed = c.reads_closed;
    auto client = ClientInTimeWait(Use(policy), c.port);
    for (const auto& [read, write] : {std::pair{true, false}, {false, true}, {true, true}}) {
      const auto r = stack_.Shutdown(*client, read, write);
      if (c.want) {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error(), *c.want);
      } else {
        EXPECT_TRUE(r.ok());
      }
    }
    Close(client);
  }
}

TEST_F(CoreKernelDiff, SimultaneousOpenConnectsASocketToItself) {
  const Policy& p = Use();
  auto s = Tcp(p, *alice_);
  ASSERT_TRUE(stack_.Bind(*s, SocketAddress{Ep("127.0.0.1", 7001)}, alice_->Snapshot()).ok());
  ASSERT_TRUE(ConnectAndWait(*s, Ep("127.0.0.1", 7001), *alice_).ok());
  EXPECT_EQ(s->state, TcpState::kEstablished);
  EXPECT_EQ(s->phase, stack::Socket::Phase::kConnected);
  EXPECT_EQ(s->remote, s->local);
  CountingPayload payload("self");
  ASSERT_TRUE(stack_.Send(*s, payload, std::nullopt, {}).ok());
  stack_.Settle();
  CollectingSink sink;
  ASSERT_TRUE(stack_.Receive(*s, 16, false, sink).ok());
  EXPECT_EQ(sink.got, "self");
}

TEST_F(CoreKernelDiff, LoopbackRangeSourceFollowsThePolicy) {
  struct Case {
    const char* name;
    LoopbackRangeSource choice;
    const char* destination;
    const char* source;
  };
  const Case cases[] = {
      {"DestinationKeepsItself", LoopbackRangeSource::kDestination, "127.0.0.2", "127.0.0.2"},
      {"LoopbackAddressForTheRange", LoopbackRangeSource::kLoopbackAddress, "127.1.2.3",
       "127.0.0.1"},
      {"LoopbackAddressItself", LoopbackRangeSource::kLoopbackAddress, "127.0.0.1", "127.0.0.1"},
      {"OwnAddressUnchanged", LoopbackRangeSource::kLoopbackAddress, "10.0.0.1", "10.0.0.1"},
  };
  std::uint16_t port = 7100;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Policy policy;
    policy.loopback_range_source = c.choice;
    const Policy& p = Use(policy);
    auto udp = Udp(p, *alice_);
    ASSERT_TRUE(stack_.Connect(*udp, stack::ConnectRequest{SocketAddress{Ep(c.destination, 9)}},
                               alice_->Snapshot())
                    .ok());
    EXPECT_EQ(udp->local.address.ToString(), c.source) << "udp";
    auto listener = Listener(p, *alice_, "0.0.0.0", port);
    auto tcp = Tcp(p, *alice_);
    ASSERT_TRUE(ConnectAndWait(*tcp, Ep(c.destination, port), *alice_).ok());
    EXPECT_EQ(tcp->local.address.ToString(), c.source) << "tcp";
    auto server = AcceptOne(*listener, *alice_);
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(server->local.address.ToString(), c.destination);
    EXPECT_EQ(server->remote.address.ToString(), c.source);
    ++port;
  }
}

TEST_F(CoreKernelDiff, BindThatDefersThePortLeavesItToConnect) {
  const Policy& p = Use();
  auto listener = Listener(p, *alice_, "127.0.0.1", 7200);
  auto s = Tcp(p, *alice_);
  s->options.bind_defers_port = true;
  ASSERT_TRUE(stack_.Bind(*s, SocketAddress{Ep("127.0.0.1", 0)}, alice_->Snapshot()).ok());
  EXPECT_EQ(s->local.port, 0);
  EXPECT_FALSE(s->port_registered);
  EXPECT_TRUE(s->address_locked);
  // Not bound in the port table: bind() may be called again.
  EXPECT_TRUE(stack_.Bind(*s, SocketAddress{Ep("127.0.0.1", 0)}, alice_->Snapshot()).ok());
  ASSERT_TRUE(ConnectAndWait(*s, Ep("127.0.0.1", 7200), *alice_).ok());
  EXPECT_NE(s->local.port, 0);
  EXPECT_EQ(s->local.address.ToString(), "127.0.0.1");
  // A port that was named is bound at once.
  auto named = Tcp(p, *alice_);
  named->options.bind_defers_port = true;
  ASSERT_TRUE(stack_.Bind(*named, SocketAddress{Ep("127.0.0.1", 7201)}, alice_->Snapshot()).ok());
  EXPECT_TRUE(named->port_registered);
  EXPECT_EQ(named->local.port, 7201);
}

TEST_F(CoreKernelDiff, UnlinkAndRenameChangeWhatConnectFindsNotTheNames) {
  const Policy& p = Use();
  auto server = Unix(p, *alice_);
  ASSERT_TRUE(stack_.Bind(*server, SocketAddress{UnixAddress::Pathname("s1")}, alice_->Snapshot()).ok());
  ASSERT_TRUE(stack_.Listen(*server, 4, alice_->Snapshot()).ok());
  EXPECT_TRUE(stack_.UnixPathExists(a_, "s1"));
  EXPECT_FALSE(stack_.UnixPathExists(b_, "s1"));  // each host has its own name space

  ASSERT_TRUE(stack_.RenameUnixPath(a_, "s1", "s2").ok());
  EXPECT_FALSE(stack_.UnixPathExists(a_, "s1"));
  auto client = Unix(p, *alice_);
  auto missing = stack_.Connect(*client, stack::ConnectRequest{SocketAddress{UnixAddress::Pathname("s1")}},
                                alice_->Snapshot());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), Error::kNoSuchEntry);
  ASSERT_TRUE(stack_.Connect(*client, stack::ConnectRequest{SocketAddress{UnixAddress::Pathname("s2")}},
                             alice_->Snapshot())
                  .ok());
  ASSERT_NE(client->unix_peer, nullptr);
  EXPECT_EQ(client->unix_peer->unix_name->name, "s1");  // the name bind() recorded
  EXPECT_EQ(server->unix_name->name, "s1");

  ASSERT_TRUE(stack_.UnlinkUnixPath(a_, "s2").ok());
  const auto again = stack_.UnlinkUnixPath(a_, "s2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error(), Error::kNoSuchEntry);
  // The path is free for a new socket.
  auto other = Unix(p, *alice_);
  EXPECT_TRUE(stack_.Bind(*other, SocketAddress{UnixAddress::Pathname("s2")}, alice_->Snapshot()).ok());

  auto third = Unix(p, *alice_);
  ASSERT_TRUE(stack_.Bind(*third, SocketAddress{UnixAddress::Pathname("s3")}, alice_->Snapshot()).ok());
  ASSERT_TRUE(stack_.ExchangeUnixPaths(a_, "s2", "s3").ok());
  const auto lonely = stack_.ExchangeUnixPaths(a_, "s2", "nothing");
  ASSERT_FALSE(lonely.ok());
  EXPECT_EQ(lonely.error(), Error::kNoSuchEntry);
  EXPECT_TRUE(stack_.RenameUnixPath(a_, "s3", "s3").ok());  // onto itself: nothing changes
  EXPECT_TRUE(stack_.UnixPathExists(a_, "s3"));
}

}  // namespace
}  // namespace socksim::testing
