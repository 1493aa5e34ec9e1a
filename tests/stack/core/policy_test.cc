// File: tests/stack/core/policy_test.cc
// Every choice stack/core/policy.h offers, driven through the neutral stack with each value:
// the core must do what the policy says, and nothing else, for every personality to build on.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

#include "tests/stack/core/core_fixture.h"

namespace socksim::testing {
namespace {

using stack::Error;
using stack::Policy;
using stack::SocketAddress;

class CorePolicy : public CoreFixture {};

// ---- unspecified destination ---------------------------------------------------------------

TEST_F(CorePolicy, UnspecifiedDestinationMeansLoopbackWhenThePolicySaysSo) {
  Policy p;
  p.unspecified_destination = stack::UnspecifiedDestination::kLoopback;
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *alice_, "127.0.0.1", 8080);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("0.0.0.0", 8080), *alice_).ok());
  EXPECT_EQ(client->remote, Ep("127.0.0.1", 8080));
}

TEST_F(CorePolicy, UnspecifiedDestinationIsRefusedWhenThePolicySaysSo) {
  Policy p;
  p.unspecified_destination = stack::UnspecifiedDestination::kRefuse;
  const Policy& policy = Use(p);
  auto tcp = Tcp(policy, *alice_);
  EXPECT_EQ(ConnectAndWait(*tcp, Ep("0.0.0.0", 8080), *alice_).error(),
            Error::kAddressNotAvailable);
  auto udp = Udp(policy, *alice_);
  EXPECT_EQ(stack_.Connect(*udp, {SocketAddress{Ep("0.0.0.0", 53)}}, alice_->Snapshot()).error(),
            Error::kAddressNotAvailable);
}

// ---- a reset in CLOSE-WAIT -------------------------------------------------------------------

class CloseWaitReset : public CoreFixture,
                       public ::testing::WithParamInterface<stack::CloseWaitReset> {};

TEST_P(CloseWaitReset, LeavesThePolicysError) {
  Policy p;
  p.close_wait_reset = GetParam();
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *bob_, "10.0.0.2", 80);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 80), *alice_).ok());
  auto server = AcceptOne(*listener, *bob_);
  // The server closes: the client sees its FIN (CLOSE-WAIT); the server's socket, gone, then
  // answers the client's data with a reset.
  ASSERT_TRUE(stack_.Shutdown(*server, false, true).ok());
  stack_.RunUntil([&] { return client->state == stack::TcpState::kCloseWait; });
  ASSERT_EQ(client->state, stack::TcpState::kCloseWait);
  Close(server);
  CountingPayload data("x");
  ASSERT_TRUE(stack_.Send(*client, data, std::nullopt, {}).ok());
  world_.RunUntilIdle();
  ASSERT_TRUE(client->pending_error.has_value());
  EXPECT_EQ(*client->pending_error, GetParam() == stack::CloseWaitReset::kBrokenPipe
                                        ? Error::kBrokenPipe
                                        : Error::kConnectionReset);
}

INSTANTIATE_TEST_SUITE_P(Both, CloseWaitReset,
                         ::testing::Values(stack::CloseWaitReset::kBrokenPipe,
                                           stack::CloseWaitReset::kConnectionReset));

// ---- port sharing ----------------------------------------------------------------------------

TEST_F(CorePolicy, SharingNeedsReuseOnBothAndNoListenerByDefaultRule) {
  Policy p;
  p.port_sharing = stack::PortSharing::kAllReuseAndNoneListens;
  const Policy& policy = Use(p);
  auto first = Tcp(policy, *alice_);
  first->options.reuse_address = true;
  ASSERT_TRUE(stack_.Bind(*first, SocketAddress{Ep("10.0.0.1", 7000)}, alice_->Snapshot()).ok());
  auto second = Tcp(policy, *alice_);
  EXPECT_EQ(stack_.Bind(*second, SocketAddress{Ep("10.0.0.1", 7000)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
  second->options.reuse_address = true;
  EXPECT_TRUE(stack_.Bind(*second, SocketAddress{Ep("10.0.0.1", 7000)}, alice_->Snapshot()).ok());
  ASSERT_TRUE(stack_.Listen(*first, 1, alice_->Snapshot()).ok());
  auto third = Tcp(policy, *alice_);
  third->options.reuse_address = true;
  EXPECT_EQ(stack_.Bind(*third, SocketAddress{Ep("10.0.0.1", 7000)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
}

TEST_F(CorePolicy, ReuseTakesOverAPortEvenFromAListener) {
  Policy p;
  p.port_sharing = stack::PortSharing::kReuseTakesOver;
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *alice_, "10.0.0.1", 7001);
  auto other = Tcp(policy, *alice_);
  EXPECT_EQ(stack_.Bind(*other, SocketAddress{Ep("10.0.0.1", 7001)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
  other->options.reuse_address = true;
  EXPECT_TRUE(stack_.Bind(*other, SocketAddress{Ep("10.0.0.1", 7001)}, alice_->Snapshot()).ok());
}

TEST_F(CorePolicy, ExclusiveUseRefusesEvenAReuseSocketAsAccessDenied) {
  Policy p;
  p.port_sharing = stack::PortSharing::kReuseTakesOver;
  const Policy& policy = Use(p);
  auto holder = Tcp(policy, *alice_);
  holder->options.exclusive_address = true;
  ASSERT_TRUE(stack_.Bind(*holder, SocketAddress{Ep("0.0.0.0", 7002)}, alice_->Snapshot()).ok());
  auto plain = Tcp(policy, *alice_);
  EXPECT_EQ(stack_.Bind(*plain, SocketAddress{Ep("10.0.0.1", 7002)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
  auto reuse = Tcp(policy, *alice_);
  reuse->options.reuse_address = true;
  EXPECT_EQ(stack_.Bind(*reuse, SocketAddress{Ep("10.0.0.1", 7002)}, alice_->Snapshot()).error(),
            Error::kAccessDenied);
}

// A judge that lets two sockets share a port only when neither asked to reuse it and their
// addresses differ, and refuses every reuse socket as access denied: rules no built-in value
// of PortSharing states, to show that the judge alone decides (overlap included).
std::optional<Error> TestJudge(const stack::Socket& binder, const sim::Endpoint& wanted,
                               const stack::Socket& holder) {
  if (binder.options.reuse_address) return Error::kAccessDenied;
  if (holder.local.address == wanted.address) return Error::kAddressInUse;
  return std::nullopt;
}

TEST_F(CorePolicy, JudgedPerHolderAsksTheJudgeForEveryHolder) {
  Policy p;
  p.port_sharing = stack::PortSharing::kJudgedPerHolder;
  p.port_judge = &TestJudge;
  const Policy& policy = Use(p);
  auto wildcard = Tcp(policy, *alice_);
  ASSERT_TRUE(stack_.Bind(*wildcard, SocketAddress{Ep("0.0.0.0", 7010)}, alice_->Snapshot()).ok());
  // A specific address beside a wildcard: overlapping to the built-in rules, not to the judge.
  auto specific = Tcp(policy, *alice_);
  EXPECT_TRUE(stack_.Bind(*specific, SocketAddress{Ep("10.0.0.1", 7010)}, alice_->Snapshot()).ok());
  auto same = Tcp(policy, *alice_);
  EXPECT_EQ(stack_.Bind(*same, SocketAddress{Ep("10.0.0.1", 7010)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
  auto reuse = Tcp(policy, *alice_);
  reuse->options.reuse_address = true;
  EXPECT_EQ(stack_.Bind(*reuse, SocketAddress{Ep("10.0.0.1", 7011)}, alice_->Snapshot()).ok(),
            true);  // no holder on 7011: the judge is not asked
  auto reuse2 = Tcp(policy, *alice_);
  reuse2->options.reuse_address = true;
  EXPECT_EQ(stack_.Bind(*reuse2, SocketAddress{Ep("10.0.0.1", 7010)}, alice_->Snapshot()).error(),
            Error::kAccessDenied);
}

TEST_F(CorePolicy, JudgedPerHolderWithoutAJudgeIsAProgrammerError) {
  Policy p;
  p.port_sharing = stack::PortSharing::kJudgedPerHolder;
  const Policy& policy = Use(p);
  auto first = Tcp(policy, *alice_);
  ASSERT_TRUE(stack_.Bind(*first, SocketAddress{Ep("10.0.0.1", 7012)}, alice_->Snapshot()).ok());
  auto second = Tcp(policy, *alice_);
  EXPECT_THROW((void)stack_.Bind(*second, SocketAddress{Ep("10.0.0.1", 7012)}, alice_->Snapshot()),
               std::logic_error);
}

class ListenRecheck : public CoreFixture, public ::testing::WithParamInterface<bool> {};

TEST_P(ListenRecheck, SecondListenerOnASharedPort) {
  Policy p;
  p.listen_rechecks_port = GetParam();
  const Policy& policy = Use(p);
  stack::SocketRef both[2];
  for (auto& s : both) {
    s = Tcp(policy, *alice_);
    s->options.reuse_address = true;
    ASSERT_TRUE(stack_.Bind(*s, SocketAddress{Ep("10.0.0.1", 7003)}, alice_->Snapshot()).ok());
  }
  ASSERT_TRUE(stack_.Listen(*both[0], 1, alice_->Snapshot()).ok());
  const auto second = stack_.Listen(*both[1], 1, alice_->Snapshot());
  EXPECT_EQ(second.ok(), !GetParam());
  if (GetParam()) {
    EXPECT_EQ(second.error(), Error::kAddressInUse);
  }
}

INSTANTIATE_TEST_SUITE_P(OnAndOff, ListenRecheck, ::testing::Bool());

// ---- receive and send order ------------------------------------------------------------------

class ReceiveOrder : public CoreFixture,
                     public ::testing::WithParamInterface<stack::ReceiveOrder> {};

TEST_P(ReceiveOrder, EndOfStreamAndPendingError) {
  Policy p;
  p.receive_order = GetParam();
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *bob_, "10.0.0.2", 81);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 81), *alice_).ok());
  auto server = AcceptOne(*listener, *bob_);
  // FIN then a reset (the closed server answers data with one): the client has both an
  // orderly end and a pending error.
  ASSERT_TRUE(stack_.Shutdown(*server, false, true).ok());
  world_.RunUntilIdle();
  Close(server);
  CountingPayload data("x");
  ASSERT_TRUE(stack_.Send(*client, data, std::nullopt, {}).ok());
  world_.RunUntilIdle();
  ASSERT_TRUE(client->peer_finished);
  ASSERT_TRUE(client->pending_error.has_value());
  CollectingSink sink;
  const auto got = stack_.Receive(*client, 16, false, sink);
  if (GetParam() == stack::ReceiveOrder::kEndOfStreamFirst) {
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->end_of_stream);
    EXPECT_TRUE(client->pending_error.has_value());
  } else {
    EXPECT_EQ(got.error(), Error::kConnectionReset);
    EXPECT_FALSE(client->pending_error.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Both, ReceiveOrder,
                         ::testing::Values(stack::ReceiveOrder::kEndOfStreamFirst,
                                           stack::ReceiveOrder::kErrorFirst));

class SendOrder : public CoreFixture, public ::testing::WithParamInterface<stack::SendOrder> {};

TEST_P(SendOrder, PendingErrorAndOwnShutdown) {
  Policy p;
  p.send_order = GetParam();
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *bob_, "10.0.0.2", 82);
  auto client = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*client, Ep("10.0.0.2", 82), *alice_).ok());
  ASSERT_TRUE(stack_.Shutdown(*client, false, true).ok());
  client->pending_error = Error::kConnectionReset;
  CountingPayload data("x");
  const auto sent = stack_.Send(*client, data, std::nullopt, {});
  EXPECT_EQ(sent.error(), GetParam() == stack::SendOrder::kErrorFirst ? Error::kConnectionReset
                                                                      : Error::kShutDown);
  EXPECT_EQ(data.reads, 0);  // the bytes are never read when the send fails first
}

INSTANTIATE_TEST_SUITE_P(Both, SendOrder,
                         ::testing::Values(stack::SendOrder::kErrorFirst,
                                           stack::SendOrder::kShutdownFirst));

// ---- a full accept queue ---------------------------------------------------------------------

class FullBacklog : public CoreFixture, public ::testing::WithParamInterface<stack::FullBacklog> {};

TEST_P(FullBacklog, SecondRequestIsDroppedOrRefused) {
  Policy p;
  p.full_backlog = GetParam();
  p.tunables.syn_retries = 1;
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *bob_, "10.0.0.2", 83, /*backlog=*/0);
  auto first = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*first, Ep("10.0.0.2", 83), *alice_).ok());
  auto second = Tcp(policy, *alice_);
  const auto result = ConnectAndWait(*second, Ep("10.0.0.2", 83), *alice_);
  EXPECT_EQ(result.error(), GetParam() == stack::FullBacklog::kRefuse ? Error::kConnectionRefused
                                                                      : Error::kTimedOut);
}

INSTANTIATE_TEST_SUITE_P(Both, FullBacklog,
                         ::testing::Values(stack::FullBacklog::kDropRequest,
                                           stack::FullBacklog::kRefuse));

// ---- automatic ports -------------------------------------------------------------------------

TEST_F(CorePolicy, ConnectSharesAPortAcrossDistinctFourTuples) {
  Policy p;
  p.connect_shares_ports = true;
  p.tunables.ephemeral_low = 40000;
  p.tunables.ephemeral_high = 40001;
  const Policy& policy = Use(p);
  stack::SocketRef listeners[3];
  for (int i = 0; i < 3; ++i) listeners[i] = Listener(policy, *bob_, "10.0.0.2", 6000 + i);
  std::vector<stack::SocketRef> clients;
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 2; ++k) {
      clients.push_back(Tcp(policy, *alice_));
      ASSERT_TRUE(ConnectAndWait(*clients.back(), Ep("10.0.0.2", 6000 + i), *alice_).ok());
    }
  }
  // Six connections over two local ports; a seventh to a destination that has both is refused.
  clients.push_back(Tcp(policy, *alice_));
  EXPECT_EQ(ConnectAndWait(*clients.back(), Ep("10.0.0.2", 6000), *alice_).error(),
            Error::kAddressNotAvailable);
  // A bind to an automatic port finds none free: connect()'s ports are not shared with bind().
  auto bound = Tcp(policy, *alice_);
  EXPECT_EQ(stack_.Bind(*bound, SocketAddress{Ep("10.0.0.1", 0)}, alice_->Snapshot()).error(),
            Error::kAddressInUse);
}

TEST_F(CorePolicy, WithoutSharingEveryConnectionTakesItsOwnPort) {
  Policy p;
  p.connect_shares_ports = false;
  p.tunables.ephemeral_low = 40000;
  p.tunables.ephemeral_high = 40001;
  const Policy& policy = Use(p);
  auto l1 = Listener(policy, *bob_, "10.0.0.2", 6000);
  auto l2 = Listener(policy, *bob_, "10.0.0.2", 6001);
  auto c1 = Tcp(policy, *alice_);
  auto c2 = Tcp(policy, *alice_);
  auto c3 = Tcp(policy, *alice_);
  ASSERT_TRUE(ConnectAndWait(*c1, Ep("10.0.0.2", 6000), *alice_).ok());
  ASSERT_TRUE(ConnectAndWait(*c2, Ep("10.0.0.2", 6001), *alice_).ok());
  EXPECT_EQ(ConnectAndWait(*c3, Ep("10.0.0.2", 6001), *alice_).error(),
            Error::kAddressNotAvailable);
}

TEST_F(CorePolicy, ParityPreferencesForConnectAndBind) {
  Policy p;
  p.connect_port_parity = stack::PortParity::kEvenFirst;
  p.bind_port_parity = stack::PortParity::kOddFirst;
  const Policy& policy = Use(p);
  auto listener = Listener(policy, *bob_, "10.0.0.2", 84, 64);
  for (int i = 0; i < 20; ++i) {
    auto c = Tcp(policy, *alice_);
    ASSERT_TRUE(ConnectAndWait(*c, Ep("10.0.0.2", 84), *alice_).ok());
    EXPECT_EQ(c->local.port % 2, 0) << c->local.port;
    auto b = Tcp(policy, *alice_);
    ASSERT_TRUE(stack_.Bind(*b, SocketAddress{Ep("10.0.0.1", 0)}, alice_->Snapshot()).ok());
    EXPECT_EQ(b->local.port % 2, 1) << b->local.port;
  }
}

// ---- UNIX names ------------------------------------------------------------------------------

TEST_F(CorePolicy, AutobindWithoutNamingLeavesTheSocketUnnamed) {
  Policy p;
  p.autobind.kind = stack::AutobindNaming::Kind::kNone;
  const Policy& policy = Use(p);
  auto s = Unix(policy, *alice_);
  ASSERT_TRUE(
      stack_.Bind(*s, SocketAddress{stack::UnixAddress::Unnamed()}, alice_->Snapshot()).ok());
  EXPECT_EQ(s->unix_name, nullptr);
}

TEST_F(CorePolicy, AutobindNamesHaveThePolicysDigits) {
  Policy p;
  p.abstract_names = true;
  p.autobind = stack::AutobindNaming{stack::AutobindNaming::Kind::kHexDigits, 3, 1u << 12};
  const Policy& policy = Use(p);
  auto s = Unix(policy, *alice_);
  ASSERT_TRUE(
      stack_.Bind(*s, SocketAddress{stack::UnixAddress::Unnamed()}, alice_->Snapshot()).ok());
  ASSERT_NE(s->unix_name, nullptr);
  EXPECT_EQ(s->unix_name->kind, stack::UnixAddress::Kind::kAbstract);
  EXPECT_EQ(s->unix_name->name.size(), 3u);
  EXPECT_EQ(s->unix_name->name.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(CorePolicy, AbstractNamesExistOnlyWhereThePolicyHasThem) {
  const Policy& none = Use(Policy{});
  auto s = Unix(none, *alice_);
  EXPECT_EQ(
      stack_.Bind(*s, SocketAddress{stack::UnixAddress::Abstract("n")}, alice_->Snapshot()).error(),
      Error::kInvalidArgument);
}

TEST_F(CorePolicy, AbstractNamesPerTypeOrShared) {
  for (const bool per_type : {true, false}) {
    SCOPED_TRACE(per_type);
    Policy p;
    p.abstract_names = true;
    p.abstract_names_per_type = per_type;
    const Policy& policy = Use(p);
    const std::string name = per_type ? "per-type" : "shared";
    auto stream = Unix(policy, *alice_, stack::SockType::kStream);
    auto dgram = Unix(policy, *alice_, stack::SockType::kDgram);
    ASSERT_TRUE(
        stack_.Bind(*stream, SocketAddress{stack::UnixAddress::Abstract(name)}, alice_->Snapshot())
            .ok());
    EXPECT_EQ(
        stack_.Bind(*dgram, SocketAddress{stack::UnixAddress::Abstract(name)}, alice_->Snapshot())
            .ok(),
        per_type);
  }
}

class DeadDatagramPeer : public CoreFixture, public ::testing::WithParamInterface<bool> {};

TEST_P(DeadDatagramPeer, RefusedAndDissolvedOrDropped) {
  Policy p;
  p.dead_datagram_peer_refuses = GetParam();
  const Policy& policy = Use(p);
  auto server = Unix(policy, *alice_, stack::SockType::kDgram);
  ASSERT_TRUE(
      stack_
          .Bind(*server, SocketAddress{stack::UnixAddress::Pathname("d.sock")}, alice_->Snapshot())
          .ok());
  auto client = Unix(policy, *alice_, stack::SockType::kDgram);
  ASSERT_TRUE(stack_
                  .Connect(*client, {SocketAddress{stack::UnixAddress::Pathname("d.sock")}},
                           alice_->Snapshot())
                  .ok());
  Close(server);
  CountingPayload data("x");
  const auto sent = stack_.Send(*client, data, std::nullopt, {});
  if (GetParam()) {
    EXPECT_EQ(sent.error(), Error::kConnectionRefused);
    EXPECT_EQ(client->unix_peer, nullptr);
  } else {
    EXPECT_TRUE(sent.ok());
    EXPECT_NE(client->unix_peer, nullptr);
  }
}

INSTANTIATE_TEST_SUITE_P(Both, DeadDatagramPeer, ::testing::Bool());

// ---- failed connects -------------------------------------------------------------------------

class FailedConnect : public CoreFixture, public ::testing::WithParamInterface<bool> {};

TEST_P(FailedConnect, DefaultErrorAndSourceAddress) {
  Policy p;
  p.failed_connect_error = Error::kConnectionAborted;
  p.failed_connect_resets_source = GetParam();
  const Policy& policy = Use(p);
  auto s = Tcp(policy, *alice_);
  // Nobody listens on b:85: the reset refuses the connection (its own error, not the default).
  EXPECT_EQ(ConnectAndWait(*s, Ep("10.0.0.2", 85), *alice_).error(), Error::kConnectionRefused);
  EXPECT_EQ(s->local.address.IsUnspecified(), GetParam());
  // A connection that ended with no recorded error reports the policy's default.
  auto t = Tcp(policy, *alice_);
  auto progress =
      stack_.Connect(*t, {SocketAddress{Ep("10.0.0.2", 85)}, false}, alice_->Snapshot());
  ASSERT_TRUE(progress.ok());
  world_.RunUntilIdle();
  t->pending_error.reset();
  EXPECT_EQ(stack_.FinishConnect(*t).error(), Error::kConnectionAborted);
}

INSTANTIATE_TEST_SUITE_P(ResetOrKeep, FailedConnect, ::testing::Bool());

TEST_F(CorePolicy, DatagramConnectBindsFirstOnlyWhenThePolicySaysSo) {
  for (const bool first : {true, false}) {
    SCOPED_TRACE(first);
    Policy p;
    p.datagram_connect_binds_first = first;
    const Policy& policy = Use(p);
    auto s = Udp(policy, *alice_);
    // No route to 192.0.2.1: the connect fails, leaving the socket bound or not.
    EXPECT_FALSE(stack_.Connect(*s, {SocketAddress{Ep("192.0.2.1", 9)}}, alice_->Snapshot()).ok());
    EXPECT_EQ(s->port_registered, first);
  }
}

TEST_F(CorePolicy, DatagramDisconnectForgetsTheImplicitNameOnlyWhenThePolicySaysSo) {
  for (const bool forgets : {true, false}) {
    SCOPED_TRACE(forgets);
    Policy p;
    p.datagram_connect_binds_first = true;
    p.datagram_disconnect_forgets_implicit_name = forgets;
    const Policy& policy = Use(p);
    auto s = Udp(policy, *alice_);
    ASSERT_TRUE(stack_.Connect(*s, {SocketAddress{Ep("127.0.0.1", 9)}}, alice_->Snapshot()).ok());
    const sim::Endpoint named = s->local;
    ASSERT_NE(named.port, 0);
    ASSERT_TRUE(
        stack_.Connect(*s, {SocketAddress{stack::UnspecifiedAddress{}}}, alice_->Snapshot()).ok());
    EXPECT_EQ(s->remote.port, 0);
    if (forgets) {
      EXPECT_EQ(s->local, Ep("0.0.0.0", 0));
      EXPECT_FALSE(s->port_registered);
    } else {
      EXPECT_EQ(s->local, named);
      EXPECT_TRUE(s->port_registered);
    }
  }
}

}  // namespace
}  // namespace socksim::testing
