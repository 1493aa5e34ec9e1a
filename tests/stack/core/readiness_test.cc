// File: tests/stack/core/readiness_test.cc
// The neutral readiness of a socket (stack/core/readiness.h) in each situation a readiness
// call distinguishes: fresh, listening with and without a queued connection, connecting,
// connected with and without data, half and fully closed, refused, and the UNIX datagram
// sender held back by a full receiver. One table; each row builds its situation.
#include "stack/core/readiness.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::ConnectionPhase;
using stack::Policy;
using stack::Readiness;
using stack::SocketAddress;

class CoreReadiness : public CoreFixture {
 public:
  /// Keeps every socket a row makes alive until the test ends.
  stack::SocketRef Keep(stack::SocketRef s) {
    kept_.push_back(s);
    return s;
  }
  /// A port no earlier row used (the rows' sockets stay alive together).
  std::uint16_t NextPort() { return next_port_++; }
  /// A connected pair a (client on host a) -> b (accepted on host b).
  std::pair<stack::SocketRef, stack::SocketRef> Connected(const Policy& p) {
    const std::uint16_t port = NextPort();
    auto listener = Keep(Listener(p, *bob_, "10.0.0.2", port));
    auto client = Keep(Tcp(p, *alice_));
    EXPECT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", port), *alice_).ok());
    auto server = Keep(AcceptOne(*listener, *bob_));
    return {client, server};
  }
  void Send(stack::Socket& s, const std::string& bytes) {
    CountingPayload payload(bytes);
    EXPECT_TRUE(stack_.Send(s, payload, std::nullopt, {}).ok());
    stack_.RunUntil([] { return false; });  // deliver everything
  }

 private:
  std::vector<stack::SocketRef> kept_;
  std::uint16_t next_port_ = 8000;
};

struct Row {
  const char* name;
  // Builds the situation and returns the socket to look at.
  std::function<stack::SocketRef(CoreReadiness&, const Policy&)> build;
  Readiness want;
};

Readiness R(ConnectionPhase phase, bool readable, bool writable, bool error = false,
            bool read_hang_up = false, bool write_hang_up = false) {
  Readiness r;
  r.phase = phase;
  r.readable = readable;
  r.writable = writable;
  r.error = error;
  r.read_hang_up = read_hang_up;
  r.write_hang_up = write_hang_up;
  r.hang_up = read_hang_up && write_hang_up;
  return r;
}

const Row kRows[] = {
    {"FreshTcpIsUnconnectedAndWritable",
     [](CoreReadiness& t, const Policy& p) { return t.Keep(t.Tcp(p, *t.alice_)); },
     R(ConnectionPhase::kUnconnected, false, true)},
    {"ListenerWithoutConnectionsIsNothing",
     [](CoreReadiness& t, const Policy& p) {
       return t.Keep(t.Listener(p, *t.bob_, "10.0.0.2", t.NextPort()));
     },
     R(ConnectionPhase::kListening, false, false)},
    {"ListenerWithAQueuedConnectionIsReadable",
     [](CoreReadiness& t, const Policy& p) {
       const std::uint16_t port = t.NextPort();
       auto listener = t.Keep(t.Listener(p, *t.bob_, "10.0.0.2", port));
       auto client = t.Keep(t.Tcp(p, *t.alice_));
       EXPECT_TRUE(t.ConnectAndWait(*client, t.Ep("10.0.0.2", port), *t.alice_).ok());
       t.stack_.RunUntil([&] { return t.stack_.ReadyToAccept(*listener); });
       return listener;
     },
     R(ConnectionPhase::kListening, true, false)},
    {"ConnectingTcpIsNotWritable",
     [](CoreReadiness& t, const Policy& p) {
       const std::uint16_t port = t.NextPort();
       t.Keep(t.Listener(p, *t.bob_, "10.0.0.2", port));
       auto client = t.Keep(t.Tcp(p, *t.alice_));
       EXPECT_TRUE(t.stack_
                       .Connect(*client,
                                stack::ConnectRequest{SocketAddress{t.Ep("10.0.0.2", port)}, false,
                                                      stack::ConnectVia::kCall},
                                t.alice_->Snapshot())
                       .ok());
       return client;
     },
     R(ConnectionPhase::kConnecting, false, false)},
    {"ConnectedTcpIsWritable",
     [](CoreReadiness& t, const Policy& p) { return t.Connected(p).first; },
     R(ConnectionPhase::kConnected, false, true)},
    {"QueuedBytesAreReadable",
     [](CoreReadiness& t, const Policy& p) {
       auto [client, server] = t.Connected(p);
       t.Send(*server, "data");
       return client;
     },
     R(ConnectionPhase::kConnected, true, true)},
    {"PeersFinIsAReadHangUp",
     [](CoreReadiness& t, const Policy& p) {
       auto [client, server] = t.Connected(p);
       EXPECT_TRUE(t.stack_.Shutdown(*server, false, true).ok());
       t.stack_.RunUntil([] { return false; });
       return client;
     },
     R(ConnectionPhase::kConnected, false, true, false, true, false)},
    {"BothDirectionsShutIsAHangUp",
     [](CoreReadiness& t, const Policy& p) {
       auto [client, server] = t.Connected(p);
       EXPECT_TRUE(t.stack_.Shutdown(*server, false, true).ok());
       EXPECT_TRUE(t.stack_.Shutdown(*client, false, true).ok());
       t.stack_.RunUntil([] { return false; });
       return client;
     },
     R(ConnectionPhase::kUnconnected, false, true, false, true, true)},
    {"RefusedConnectLeavesAnErrorAndBothWaysShut",
     [](CoreReadiness& t, const Policy& p) {
       auto client = t.Keep(t.Tcp(p, *t.alice_));
       EXPECT_TRUE(t.stack_
                       .Connect(*client,
                                stack::ConnectRequest{SocketAddress{t.Ep("10.0.0.2", 9)}, false,
                                                      stack::ConnectVia::kCall},
                                t.alice_->Snapshot())
                       .ok());
       t.stack_.RunUntil([] { return false; });
       return client;
     },
     R(ConnectionPhase::kUnconnected, false, true, true, true, true)},
    {"FreshUdpIsConnectionlessAndWritable",
     [](CoreReadiness& t, const Policy& p) { return t.Keep(t.Udp(p, *t.alice_)); },
     R(ConnectionPhase::kConnectionless, false, true)},
    {"QueuedDatagramIsReadable",
     [](CoreReadiness& t, const Policy& p) {
       auto receiver = t.Keep(t.Udp(p, *t.bob_));
       const std::uint16_t port = t.NextPort();
       EXPECT_TRUE(t.stack_.Bind(*receiver, SocketAddress{t.Ep("10.0.0.2", port)},
                                 t.bob_->Snapshot())
                       .ok());
       auto sender = t.Keep(t.Udp(p, *t.alice_));
       CountingPayload payload("dgram");
       EXPECT_TRUE(t.stack_.Send(*sender, payload, SocketAddress{t.Ep("10.0.0.2", port)}, {}).ok());
       t.stack_.RunUntil([] { return false; });
       return receiver;
     },
     R(ConnectionPhase::kConnectionless, true, true)},
    {"UnixPairWhosePeerClosedIsHungUp",
     [](CoreReadiness& t, const Policy& p) {
       auto pair = t.stack_.CreatePair(t.a_, stack::SockType::kStream, 0, p, t.alice_->Snapshot());
       EXPECT_TRUE(pair.ok());
       auto [one, other] = *pair;
       t.Close(other);
       return t.Keep(one);
     },
     R(ConnectionPhase::kConnected, false, true, false, true, true)},
    {"UnixDatagramSenderWaitsForAFullReceiver",
     [](CoreReadiness& t, const Policy& p) {
       auto receiver = t.Keep(t.Unix(p, *t.alice_, stack::SockType::kDgram));
       EXPECT_TRUE(t.stack_.Bind(*receiver, SocketAddress{stack::UnixAddress::Pathname("/r")},
                                 t.alice_->Snapshot())
                       .ok());
       auto sender = t.Keep(t.Unix(p, *t.alice_, stack::SockType::kDgram));
       EXPECT_TRUE(t.stack_
                       .Connect(*sender,
                                stack::ConnectRequest{SocketAddress{stack::UnixAddress::Pathname("/r")},
                                                      true, stack::ConnectVia::kCall},
                                t.alice_->Snapshot())
                       .ok());
       for (int i = 0; i <= p.tunables.max_datagram_queue; ++i) {
         CountingPayload payload("x");
         EXPECT_TRUE(t.stack_.Send(*sender, payload, std::nullopt, {}).ok());
       }
       return sender;
     },
     R(ConnectionPhase::kConnectionless, false, false)},
};

TEST_F(CoreReadiness, EachSituationReportsItsFacts) {
  for (const Row& row : kRows) {
    SCOPED_TRACE(row.name);
    const Policy& policy = Use();
    const stack::SocketRef s = row.build(*this, policy);
    ASSERT_NE(s, nullptr);
    const Readiness got = stack::QueryReadiness(*s);
    EXPECT_EQ(stack::ToString(got.phase), std::string(stack::ToString(row.want.phase)));
    EXPECT_EQ(got.readable, row.want.readable);
    EXPECT_EQ(got.writable, row.want.writable);
    EXPECT_EQ(got.error, row.want.error);
    EXPECT_EQ(got.hang_up, row.want.hang_up);
    EXPECT_EQ(got.read_hang_up, row.want.read_hang_up);
    EXPECT_EQ(got.write_hang_up, row.want.write_hang_up);
    EXPECT_FALSE(got.priority);
  }
}

TEST_F(CoreReadiness, TakingThePendingErrorClearsTheErrorOnly) {
  const Policy& policy = Use();
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(stack_
                  .Connect(*client,
                           stack::ConnectRequest{SocketAddress{Ep("10.0.0.2", 9)}, false,
                                                 stack::ConnectVia::kCall},
                           alice_->Snapshot())
                  .ok());
  stack_.RunUntil([] { return false; });
  ASSERT_TRUE(stack::QueryReadiness(*client).error);
  (void)stack_.TakePendingError(*client);
  const Readiness after = stack::QueryReadiness(*client);
  EXPECT_FALSE(after.error);
  EXPECT_TRUE(after.hang_up);
}

}  // namespace
}  // namespace socksim::testing
