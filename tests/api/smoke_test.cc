// File: tests/api/smoke_test.cc
// temporary
#include "socksim/testing.h"

namespace socksim::testing {
namespace {

class Smoke : public SystemTest {};

TEST_P(Smoke, UnconnectedPeer) {
  const auto s = client().Socket(Domain::kInet, Type::kStream);
  ASSERT_THAT(s, Succeeds());
  EXPECT_THAT(client().GetPeerName(s.value), FailsWith(Err("ENOTCONN")));
}

TEST_P(Smoke, ConnectedPeer) {
  const auto l = server().Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(server().Bind(l, ServerAddress(80)), Succeeds());
  ASSERT_THAT(server().Listen(l), Succeeds());
  const auto c = client().Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(client().Connect(c, ServerAddress(80)), Succeeds());
  EXPECT_THAT(client().GetPeerName(c), PeerIs("10.0.0.2:80"));
  const auto a = server().Accept(l);
  EXPECT_THAT(a, Succeeds());
  if (system() != System::kWindows) {
    EXPECT_THAT(client().GetPeerName(c, 8), Truncated(16));
  }
  EXPECT_THAT(client().Send(c, "hello"), Returns(5));
  EXPECT_THAT(server().Recv(a.value), Received("hello"));
}

INSTANTIATE_TEST_SUITE_P(All, Smoke, AllSystems(), SystemParamName());

}  // namespace
}  // namespace socksim::testing
