// File: tests/stack/core/tcp_timing_test.cc
// When TCP segments leave (stack/core/tcp_timing.cc), driven through the neutral stack:
// Policy::small_segments (Nagle's rule in Minshall's form, TCP_NODELAY, TCP_CORK) and
// Policy::ack_timing (quick ACKs, delayed ACKs on an interactive connection, the ACK a read
// sends). Each test fails if its rule is taken out; the kernel's side of the same behaviour is
// checked by scenarios/linux/tcp/nagle-*.scn, cork-and-quickack.scn and delayed-ack-of-fin.scn.
#include <gtest/gtest.h>

#include <string>

#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::Policy;
using stack::SocketRef;
using stack::TcpState;

constexpr sim::Duration kAckTimeout = sim::Duration::Milliseconds(40);

Policy Timed() {
  Policy p;
  p.ack_timing = stack::AckTiming::kQuickThenDelayedWhenInteractive;
  p.small_segments = stack::SmallSegments::kHoldWhileSmallUnacknowledged;
  return p;
}

class CoreTcpTiming : public CoreFixture {
 protected:
  struct Connection {
    SocketRef client, server;
  };

  // A connection of alice's to bob's listener (across the 1 ms link), or over loopback.
  Connection Connect(const Policy& p, bool loopback = true) {
    const std::string ip = loopback ? "127.0.0.1" : "10.0.0.2";
    sim::Process& server_side = loopback ? *alice_ : *bob_;
    listener_ = Listener(p, server_side, ip, 7000);
    Connection c;
    c.client = Tcp(p, *alice_);
    EXPECT_TRUE(ConnectAndWait(*c.client, Ep(ip, 7000), *alice_).ok());
    c.server = AcceptOne(*listener_, server_side);
    Run(sim::Duration::Milliseconds(5));
    // Across the link a segment takes 1 ms; Converse waits for each to arrive.
    arrival_ = loopback ? sim::Duration{} : sim::Duration::Milliseconds(1);
    return c;
  }

  void Send(stack::Socket& s, const std::string& bytes) {
    CountingPayload payload(bytes);
    ASSERT_EQ(stack_.Send(s, payload, std::nullopt, {}).value(), bytes.size());
    stack_.Settle();
  }

  // What a read takes now (nothing when nothing is queued).
  std::string Read(stack::Socket& s, bool peek = false) {
    CollectingSink sink;
    auto got = stack_.Receive(s, 1 << 20, peek, sink);
    stack_.Settle();
    return got ? sink.got : std::string();
  }

  void Run(sim::Duration d) { (void)world_.RunUntil(world_.now() + d); }

  // A request and a reply each way, each sent at once after the arrival it answers: both
  // ends become interactive.
  void Converse(Connection& c) {
    Send(*c.client, "a");
    Run(arrival_);
    EXPECT_EQ(Read(*c.server), "a");
    Send(*c.server, "b");
    Run(arrival_);
    EXPECT_EQ(Read(*c.client), "b");
    Send(*c.client, "c");
    Run(arrival_);
    EXPECT_EQ(Read(*c.server), "c");
  }

  SocketRef listener_;
  sim::Duration arrival_{};
};

TEST_F(CoreTcpTiming, DefaultPolicySendsEverySmallWriteAtOnce) {
  Connection c = Connect(Use());
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  EXPECT_EQ(Read(*c.client), "xy");
  // Every data segment was acknowledged as it arrived.
  EXPECT_EQ(c.server->seq.snd_una, c.server->seq.snd_nxt);
}

TEST_F(CoreTcpTiming, SmallWriteWaitsWhileTheLastSmallSegmentIsUnacknowledged) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  ASSERT_TRUE(stack_.TcpInteractive(*c.client));
  Send(*c.server, "x");
  Send(*c.server, "y");
  EXPECT_EQ(Read(*c.client), "x");
  EXPECT_EQ(c.server->timing->unsent, "y");
  // The client's delayed ACK fires after the ACK timeout and releases "y".
  Run(sim::Duration::Milliseconds(39));
  EXPECT_EQ(Read(*c.client), "");
  Run(sim::Duration::Milliseconds(2));
  EXPECT_EQ(Read(*c.client), "y");
}

TEST_F(CoreTcpTiming, HeldWritesLeaveTogetherAsOneSegment) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  Send(*c.server, "z");
  EXPECT_EQ(c.server->timing->unsent, "yz");
  EXPECT_EQ(Read(*c.client), "x");
  Run(kAckTimeout);
  ASSERT_EQ(c.client->receive_queue.size(), 1u);
  EXPECT_EQ(c.client->receive_queue.front().bytes, "yz");
}

TEST_F(CoreTcpTiming, FullSegmentsAreNeverHeld) {
  Connection c = Connect(Use(Timed()), /*loopback=*/false);
  Converse(c);
  const std::uint32_t mss = c.server->timing->mss;
  ASSERT_EQ(mss, Timed().tunables.mss_across_link_v4);
  Send(*c.server, "x");  // small and unacknowledged
  Send(*c.server, std::string(2 * mss + 10, 'f'));
  EXPECT_EQ(c.server->timing->unsent.size(), 10u);
  Run(sim::Duration::Milliseconds(1));
  EXPECT_EQ(Read(*c.client).size(), 1 + 2 * mss);
  // The client's delayed ACK (its round trip is 2 ms, so the timeout stays 40 ms) releases
  // the rest.
  Run(kAckTimeout + sim::Duration::Milliseconds(2));
  EXPECT_EQ(Read(*c.client).size(), 10u);
}

TEST_F(CoreTcpTiming, NoDelayNeverHoldsAndTurningItOnSendsWhatWasHeld) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  ASSERT_EQ(c.server->timing->unsent, "y");
  stack_.TcpSetNoDelay(*c.server, true);
  stack_.Settle();
  EXPECT_EQ(Read(*c.client), "xy");
  Send(*c.server, "u");
  Send(*c.server, "v");
  EXPECT_EQ(Read(*c.client), "uv");
}

TEST_F(CoreTcpTiming, CorkHoldsSmallWritesUntilUncorked) {
  Connection c = Connect(Use(Timed()));
  stack_.TcpSetCork(*c.client, true);
  Send(*c.client, "a");
  Send(*c.client, "b");
  EXPECT_EQ(Read(*c.server), "");
  stack_.TcpSetCork(*c.client, false);
  stack_.Settle();
  EXPECT_EQ(Read(*c.server), "ab");
}

TEST_F(CoreTcpTiming, CorkedDataWithNothingInFlightLeavesAfterTheRto) {
  Connection c = Connect(Use(Timed()));
  stack_.TcpSetCork(*c.client, true);
  Send(*c.client, "a");
  Run(sim::Duration::Milliseconds(199));
  EXPECT_EQ(Read(*c.server), "");
  Run(sim::Duration::Milliseconds(2));
  EXPECT_EQ(Read(*c.server), "a");
}

TEST_F(CoreTcpTiming, AFreshConnectionAcknowledgesAtOnce) {
  // Quick ACKs: the first data is acknowledged as it arrives, so nothing waits.
  Connection c = Connect(Use(Timed()));
  Send(*c.client, "p");
  EXPECT_EQ(c.client->seq.snd_una, c.client->seq.snd_nxt);
  Send(*c.client, "q");
  EXPECT_EQ(Read(*c.server), "pq");
  EXPECT_GT(c.server->timing->quick_acks, 0);
}

TEST_F(CoreTcpTiming, QuickAcksAreSpentOneByOne) {
  Connection c = Connect(Use(Timed()));
  Send(*c.client, "p");
  const int left = c.server->timing->quick_acks;
  Send(*c.client, "q");
  EXPECT_EQ(c.server->timing->quick_acks, left - 1);
}

TEST_F(CoreTcpTiming, InteractiveReceiverDelaysItsAckUntilTheTimer) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  EXPECT_NE(c.server->seq.snd_una, c.server->seq.snd_nxt);
  ASSERT_TRUE(c.client->timing->ack_timer.has_value());
  EXPECT_EQ(c.client->timing->ack_due, world_.now() + kAckTimeout);
  Run(kAckTimeout);
  EXPECT_EQ(c.server->seq.snd_una, c.server->seq.snd_nxt);
  // A missed delayed ACK ends the interactive mode.
  EXPECT_FALSE(stack_.TcpInteractive(*c.client));
}

TEST_F(CoreTcpTiming, AReplyCarriesTheOwedAck) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  EXPECT_EQ(Read(*c.client), "x");
  Send(*c.client, "r");  // the reply acknowledges "x"
  EXPECT_EQ(c.server->seq.snd_una, c.server->seq.snd_nxt);
  EXPECT_FALSE(c.client->timing->ack_timer.has_value());
}

TEST_F(CoreTcpTiming, AReadThatDrainsAPushedSegmentAcknowledgesWhenNotInteractive) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  stack_.TcpSetQuickAck(*c.client, 1);  // not interactive any more
  Send(*c.server, "x");
  Send(*c.server, "y");
  // Quick ACKs are left, but the client is no longer interactive: "x" was acknowledged at
  // once and "y" followed.
  EXPECT_EQ(Read(*c.client), "xy");
}

TEST_F(CoreTcpTiming, QuickAckOnWithUnreadDataSendsNothingUntilTheReadDrainsIt) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  stack_.TcpSetQuickAck(*c.client, 1);
  stack_.Settle();
  EXPECT_EQ(Read(*c.client, /*peek=*/true), "x");
  EXPECT_EQ(Read(*c.client), "x");
  EXPECT_EQ(Read(*c.client), "y");
}

TEST_F(CoreTcpTiming, QuickAckZeroMakesTheConnectionInteractive) {
  Connection c = Connect(Use(Timed()));
  EXPECT_FALSE(stack_.TcpInteractive(*c.client));
  stack_.TcpSetQuickAck(*c.client, 0);
  EXPECT_TRUE(stack_.TcpInteractive(*c.client));
}

TEST_F(CoreTcpTiming, FinOfAnIdleConnectionIsAcknowledgedAtOnce) {
  Connection c = Connect(Use(Timed()));
  ASSERT_TRUE(stack_.Shutdown(*c.client, false, true).ok());
  stack_.Settle();
  EXPECT_EQ(c.client->state, TcpState::kFinWait2);
}

TEST_F(CoreTcpTiming, FinAfterAConversationWaitsForTheDelayedAck) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "r");
  EXPECT_EQ(Read(*c.client), "r");
  Run(sim::Duration::Milliseconds(5));
  ASSERT_TRUE(stack_.Shutdown(*c.client, false, true).ok());
  stack_.Settle();
  EXPECT_EQ(c.client->state, TcpState::kFinWait1);
  Run(kAckTimeout);
  EXPECT_EQ(c.client->state, TcpState::kFinWait2);
}

TEST_F(CoreTcpTiming, ShutdownSendsWhatWasHeldWithTheFin) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  ASSERT_TRUE(stack_.Shutdown(*c.server, false, true).ok());
  stack_.Settle();
  EXPECT_EQ(c.server->HeldBytes(), 0u);
  EXPECT_EQ(Read(*c.client), "xy");
  EXPECT_TRUE(c.client->peer_finished);
}

TEST_F(CoreTcpTiming, AnAbortDiscardsWhatWasHeld) {
  Connection c = Connect(Use(Timed()));
  Converse(c);
  Send(*c.server, "x");
  Send(*c.server, "y");
  ASSERT_EQ(c.server->timing->unsent, "y");
  Close(c.client);  // "x" unread: a reset
  Run(sim::Duration::Milliseconds(1));
  EXPECT_EQ(c.server->state, TcpState::kClosed);
  EXPECT_EQ(c.server->HeldBytes(), 0u);
  EXPECT_FALSE(c.server->timing->ack_timer.has_value());
}

TEST_F(CoreTcpTiming, AConnectionWithoutDataKeepsNoTimingState) {
  Connection c = Connect(Use(Timed()));
  EXPECT_EQ(c.client->timing, nullptr);
  EXPECT_EQ(c.server->timing, nullptr);
  Connection d = Connect(Use(), /*loopback=*/false);
  Send(*d.client, "x");
  Run(sim::Duration::Milliseconds(2));
  EXPECT_EQ(Read(*d.server), "x");
  EXPECT_EQ(d.client->timing, nullptr);  // the default policy times nothing
  EXPECT_EQ(d.server->timing, nullptr);
}

TEST_F(CoreTcpTiming, SegmentSizeFollowsThePath) {
  const Policy& p = Use(Timed());
  Connection local = Connect(p);
  Send(*local.client, "x");
  EXPECT_EQ(local.client->timing->mss, p.tunables.mss_same_host_v4);
  EXPECT_EQ(local.server->timing->mss, p.tunables.mss_same_host_v4);
  listener_.reset();
  Connection remote = Connect(p, /*loopback=*/false);
  Send(*remote.client, "x");
  Run(sim::Duration::Milliseconds(1));
  EXPECT_EQ(remote.client->timing->mss, p.tunables.mss_across_link_v4);
  EXPECT_EQ(remote.server->timing->mss, p.tunables.mss_across_link_v4);
}

}  // namespace
}  // namespace socksim::testing
