// File: tests/stack/core/facts_test.cc
// The facts the neutral stack records for every personality to read: credentials at each
// moment and carried across loopback (but never across a link), how a connection was started
// and an overlapped request's completion event, release facts, the address bytes given to
// connect, the extension slot, and where the caller's bytes are read.
#include <gtest/gtest.h>

#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::Error;
using stack::Policy;
using stack::SocketAddress;

class CoreFacts : public CoreFixture {};

// ---- credentials -----------------------------------------------------------------------------

TEST_F(CoreFacts, EveryMomentIsRecordedWithTheCallersCredentials) {
  const Policy& policy = Use();
  auto s = Tcp(policy, *alice_);
  ASSERT_TRUE(s->credentials()->at_socket.has_value());
  EXPECT_EQ(s->credentials()->at_socket->pid, 100);
  // Shared, not copied: the snapshot is the process's own credentials object.
  EXPECT_EQ(s->credentials()->at_socket->credentials, alice_->shared_credentials());
  ASSERT_TRUE(stack_.Bind(*s, SocketAddress{Ep("10.0.0.1", 9000)}, carol_->Snapshot()).ok());
  ASSERT_TRUE(stack_.Listen(*s, 4, bob_->Snapshot()).ok());
  EXPECT_EQ(s->credentials()->at_bind->pid, 300);
  EXPECT_EQ(s->credentials()->at_listen->pid, 200);
  EXPECT_FALSE(s->credentials()->at_connect.has_value());
}

TEST_F(CoreFacts, ARecordIsASnapshotThatLaterChangesDoNotTouch) {
  const Policy& policy = Use();
  auto s = Tcp(policy, *alice_);
  const stack::CredentialRecordRef before = s->credentials();
  sim::Credentials changed = alice_->credentials();
  changed.euid = 0;
  alice_->set_credentials(changed);
  ASSERT_TRUE(stack_.Listen(*s, 1, alice_->Snapshot()).ok());
  EXPECT_EQ(before->at_socket->get().euid, 1000u);
  EXPECT_FALSE(before->at_listen.has_value());
  EXPECT_EQ(s->credentials()->at_socket->get().euid, 1000u);
  EXPECT_EQ(s->credentials()->at_listen->get().euid, 0u);
}

// Records are immutable, so sockets whose moments hold the very same snapshots share one
// (Stack::ShareCredentials); any difference, a pid or a credentials object, makes another.
TEST_F(CoreFacts, SocketsWithTheSameSnapshotsShareOneRecord) {
  const Policy& policy = Use();
  auto first = Tcp(policy, *alice_);
  auto second = Tcp(policy, *alice_);
  EXPECT_EQ(first->credentials(), second->credentials());
  auto other = Tcp(policy, *carol_);
  EXPECT_NE(other->credentials(), first->credentials());
  ASSERT_TRUE(stack_.Listen(*second, 1, alice_->Snapshot()).ok());
  EXPECT_NE(second->credentials(), first->credentials());  // a moment more
  EXPECT_FALSE(first->credentials()->at_listen.has_value());
  // Equal ids in a new credentials object are another snapshot: not shared.
  alice_->set_credentials(alice_->credentials());
  auto third = Tcp(policy, *alice_);
  EXPECT_NE(third->credentials(), first->credentials());
  EXPECT_EQ(third->credentials()->at_socket->credentials, alice_->shared_credentials());
}

TEST_F(CoreFacts, LoopbackTcpCarriesEachSidesRecord) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *carol_, "127.0.0.1", 8080);  // carol on host a
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("127.0.0.1", 8080), *alice_).ok());
  auto accepted = AcceptOne(*listener, *carol_);
  // The client learned the listener's record (from the SYN-ACK of the socket made for it);
  // the accepted socket learned the client's, including the moment it connected.
  ASSERT_NE(client->peer_credentials, nullptr);
  EXPECT_EQ(client->peer_credentials->at_socket->pid, 300);
  EXPECT_EQ(client->peer_credentials->at_listen->pid, 300);
  ASSERT_NE(accepted->peer_credentials, nullptr);
  EXPECT_EQ(accepted->peer_credentials->at_connect->pid, 100);
  EXPECT_EQ(accepted->origin, stack::SocketOrigin::kAccepted);
  EXPECT_EQ(accepted->credentials()->at_accept->pid, 300);
}

TEST_F(CoreFacts, CredentialsNeverCrossALink) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 80), *alice_).ok());
  auto accepted = AcceptOne(*listener, *bob_);
  EXPECT_EQ(client->peer_credentials, nullptr);
  EXPECT_EQ(accepted->peer_credentials, nullptr);
}

TEST_F(CoreFacts, DatagramsCarryTheSendersRecordOnlyOnTheirHost) {
  const Policy& policy = Use();
  auto local_reader = Udp(policy, *carol_);
  ASSERT_TRUE(stack_.Bind(*local_reader, SocketAddress{Ep("0.0.0.0", 5353)}, carol_->Snapshot()).ok());
  auto remote_reader = Udp(policy, *bob_);
  ASSERT_TRUE(stack_.Bind(*remote_reader, SocketAddress{Ep("0.0.0.0", 5353)}, bob_->Snapshot()).ok());
  auto sender = Udp(policy, *alice_);
  CountingPayload one("a"), two("b");
  ASSERT_TRUE(stack_.Send(*sender, one, SocketAddress{Ep("127.0.0.1", 5353)}, {}).ok());
  ASSERT_TRUE(stack_.Send(*sender, two, SocketAddress{Ep("10.0.0.2", 5353)}, {}).ok());
  world_.RunUntilIdle();
  CollectingSink a, b;
  const auto here = stack_.Receive(*local_reader, 8, false, a);
  const auto there = stack_.Receive(*remote_reader, 8, false, b);
  ASSERT_TRUE(here.ok());
  ASSERT_TRUE(there.ok());
  ASSERT_NE(here->sender, nullptr);
  EXPECT_EQ(here->sender->at_socket->pid, 100);
  EXPECT_EQ(there->sender, nullptr);
}

TEST_F(CoreFacts, UnixConnectionsSeeEachOthersRecords) {
  const Policy& policy = Use();
  auto listener = Unix(policy, *carol_);
  ASSERT_TRUE(stack_.Bind(*listener, SocketAddress{stack::UnixAddress::Pathname("s")},
                          carol_->Snapshot())
                  .ok());
  ASSERT_TRUE(stack_.Listen(*listener, 4, carol_->Snapshot()).ok());
  auto client = Unix(policy, *alice_);
  ASSERT_TRUE(stack_.Connect(*client, {SocketAddress{stack::UnixAddress::Pathname("s")}},
                             alice_->Snapshot())
                  .ok());
  auto accepted = stack_.Accept(*listener, carol_->Snapshot());
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(client->peer_credentials->at_socket->pid, 300);
  EXPECT_EQ(client->peer_credentials->at_listen->pid, 300);
  EXPECT_EQ((*accepted)->peer_credentials->at_connect->pid, 100);
}

TEST_F(CoreFacts, SocketpairEndsSeeTheirCreator) {
  const Policy& policy = Use();
  auto pair = stack_.CreatePair(alice_->node(), stack::SockType::kStream, 0, policy,
                                alice_->Snapshot());
  ASSERT_TRUE(pair.ok());
  for (const auto& end : {pair->first, pair->second}) {
    EXPECT_EQ(end->origin, stack::SocketOrigin::kPair);
    EXPECT_EQ(end->peer_credentials->at_socket->pid, 100);
  }
}

// ---- how a connection was made ---------------------------------------------------------------

TEST_F(CoreFacts, AnOverlappedConnectCompletesAsAnEventInVirtualTime) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  const sim::Instant start = world_.now();
  auto progress = stack_.Connect(
      *client,
      stack::ConnectRequest{SocketAddress{Ep("10.0.0.2", 80)}, false, stack::ConnectVia::kOverlapped},
      alice_->Snapshot());
  ASSERT_TRUE(progress.ok());
  EXPECT_EQ(client->connect_via, stack::ConnectVia::kOverlapped);
  EXPECT_EQ(client->completion, nullptr);
  world_.RunUntilIdle();
  ASSERT_NE(client->completion, nullptr);
  EXPECT_EQ(client->completion->error, std::nullopt);
  // SYN out and SYN-ACK back over a 1 ms link.
  EXPECT_EQ(client->completion->at - start, sim::Duration::Milliseconds(2));
}

TEST_F(CoreFacts, AFailedOverlappedConnectCompletesWithItsError) {
  const Policy& policy = Use();
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(stack_
                  .Connect(*client,
                           stack::ConnectRequest{SocketAddress{Ep("10.0.0.2", 81)}, false,
                                                 stack::ConnectVia::kOverlapped},
                           alice_->Snapshot())
                  .ok());
  world_.RunUntilIdle();
  ASSERT_NE(client->completion, nullptr);
  EXPECT_EQ(client->completion->error, Error::kConnectionRefused);
}

TEST_F(CoreFacts, APlainConnectHasNoCompletion) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 80), *alice_).ok());
  world_.RunUntilIdle();
  EXPECT_EQ(client->connect_via, stack::ConnectVia::kCall);
  EXPECT_EQ(client->completion, nullptr);
}

// ---- release facts ---------------------------------------------------------------------------

TEST_F(CoreFacts, PeerFinishedAndWeFinishedAreSeparate) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 80), *alice_).ok());
  auto server = AcceptOne(*listener, *bob_);
  ASSERT_TRUE(stack_.Shutdown(*client, false, true).ok());
  world_.RunUntilIdle();
  EXPECT_TRUE(client->we_finished());
  EXPECT_FALSE(client->peer_finished);
  EXPECT_TRUE(server->peer_finished);
  EXPECT_FALSE(server->we_finished());
}

TEST_F(CoreFacts, TerminationOutlivesThePendingError) {
  const Policy& policy = Use();
  auto client = Tcp(policy, *alice_);
  EXPECT_EQ(ConnectAndWait(*client, Ep("10.0.0.2", 81), *alice_).error(),
            Error::kConnectionRefused);
  EXPECT_FALSE(client->pending_error.has_value());  // consumed by the connect
  EXPECT_EQ(client->termination, Error::kConnectionRefused);
  EXPECT_FALSE(client->was_established);
}

// ---- personality state -----------------------------------------------------------------------

struct Marker final : stack::SocketExtension {
  explicit Marker(int* destroyed) : destroyed_(destroyed) {}
  ~Marker() override { ++*destroyed_; }
  int* destroyed_;
};

TEST_F(CoreFacts, TheExtensionSlotLivesAndDiesWithTheSocket) {
  const Policy& policy = Use();
  int destroyed = 0;
  {
    auto s = Tcp(policy, *alice_);
    s->set_extension(std::make_unique<Marker>(&destroyed));
    EXPECT_NE(dynamic_cast<Marker*>(s->extension()), nullptr);
    Close(s);
  }
  EXPECT_EQ(destroyed, 1);
}

// ---- the caller's bytes ----------------------------------------------------------------------

TEST_F(CoreFacts, ProtocolErrorsComeBeforeTheBytesAreRead) {
  const Policy& policy = Use();
  auto tcp = Tcp(policy, *alice_);
  CountingPayload data("abc");
  EXPECT_EQ(stack_.Send(*tcp, data, std::nullopt, {}).error(), Error::kNotConnected);
  auto udp = Udp(policy, *alice_);
  EXPECT_EQ(stack_.Send(*udp, data, std::nullopt, {}).error(), Error::kDestinationRequired);
  CountingPayload huge(std::string(65508, 'x'));
  EXPECT_EQ(stack_.Send(*udp, huge, SocketAddress{Ep("10.0.0.2", 9)}, {}).error(),
            Error::kMessageTooLong);
  EXPECT_EQ(data.reads + huge.reads, 0);
}

TEST_F(CoreFacts, AStreamSendOfAPartlyReadableBufferSendsThePrefix) {
  const Policy& policy = Use();
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 80), *alice_).ok());
  CountingPayload partly("abcdef", 4);
  EXPECT_EQ(stack_.Send(*client, partly, std::nullopt, {}).value(), 4u);
  CountingPayload none("abcdef", 0);
  EXPECT_EQ(stack_.Send(*client, none, std::nullopt, {}).error(), Error::kFault);
  auto udp = Udp(policy, *alice_);
  EXPECT_EQ(stack_.Send(*udp, partly, SocketAddress{Ep("10.0.0.2", 9)}, {}).error(), Error::kFault);
}

TEST_F(CoreFacts, AStreamReceiveThatFaultsLeavesTheChunkQueued) {
  const Policy& policy = Use();
  auto pair = stack_.CreatePair(alice_->node(), stack::SockType::kStream, 0, policy,
                                alice_->Snapshot());
  ASSERT_TRUE(pair.ok());
  CountingPayload first("ab"), second("cde");
  ASSERT_TRUE(stack_.Send(*pair->first, first, std::nullopt, {}).ok());
  ASSERT_TRUE(stack_.Send(*pair->first, second, std::nullopt, {}).ok());
  // A fault inside the first chunk is the call's error and consumes nothing.
  CollectingSink one(1);
  EXPECT_EQ(stack_.Receive(*pair->second, 16, false, one).error(), Error::kFault);
  // A fault in a later chunk returns the whole chunks before it.
  CollectingSink three(3);
  EXPECT_EQ(stack_.Receive(*pair->second, 16, false, three).value().length, 2u);
  CollectingSink rest;
  EXPECT_EQ(stack_.Receive(*pair->second, 16, false, rest).value().length, 3u);
  EXPECT_EQ(rest.got, "cde");
}

TEST_F(CoreFacts, ADatagramReceiveThatFaultsLosesTheDatagram) {
  const Policy& policy = Use();
  auto reader = Udp(policy, *alice_);
  ASSERT_TRUE(stack_.Bind(*reader, SocketAddress{Ep("127.0.0.1", 9999)}, alice_->Snapshot()).ok());
  auto sender = Udp(policy, *alice_);
  CountingPayload one("one"), two("two");
  ASSERT_TRUE(stack_.Send(*sender, one, SocketAddress{Ep("127.0.0.1", 9999)}, {}).ok());
  ASSERT_TRUE(stack_.Send(*sender, two, SocketAddress{Ep("127.0.0.1", 9999)}, {}).ok());
  world_.RunUntilIdle();
  CollectingSink faulting(1);
  EXPECT_EQ(stack_.Receive(*reader, 16, false, faulting).error(), Error::kFault);
  CollectingSink next;
  ASSERT_TRUE(stack_.Receive(*reader, 16, false, next).ok());
  EXPECT_EQ(next.got, "two");
}

}  // namespace
}  // namespace socksim::testing
