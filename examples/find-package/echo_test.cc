// File: echo_test.cc
// The echo service on Linux, Windows and illumos, with socksim::testing's matchers, and one
// scenario written inline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <socksim/testing.h>

#include "echo.h"

namespace {

using socksim::testing::FailsWith;
using socksim::testing::PeerIs;
using socksim::testing::Received;
using socksim::testing::Succeeds;

class Echo : public socksim::testing::SystemTest {};

TEST_P(Echo, EchoesOneMessage) {
  const auto listener = echo::Listen(server(), ServerAddress(7));
  ASSERT_TRUE(listener.has_value());
  const auto sent = echo::Send(client(), ServerAddress(7), "hello");
  ASSERT_TRUE(sent.socket.has_value()) << sent.failure;
  // The client knows whom it is talking to.
  EXPECT_THAT(client().GetPeerName(*sent.socket), PeerIs("10.0.0.2:7"));
  std::optional<socksim::Address> peer;
  ASSERT_TRUE(echo::ServeOne(server(), *listener, &peer));
  ASSERT_TRUE(peer.has_value());
  EXPECT_EQ(peer->ip(), "10.0.0.1");
  EXPECT_THAT(echo::Reply(client(), *sent.socket), Received("hello"));
}

TEST_P(Echo, ConnectionRefusedWithoutAServer) {
  const auto sent = echo::Send(client(), ServerAddress(7), "hello");
  EXPECT_FALSE(sent.socket.has_value());
  EXPECT_THAT(sent.failure, FailsWith(Err("ECONNREFUSED")));
}

TEST_P(Echo, AClosedConnectionHasNoPeer) {
  const auto listener = echo::Listen(server(), ServerAddress(7));
  ASSERT_TRUE(listener.has_value());
  const auto sent = echo::Send(client(), ServerAddress(7), "bye");
  ASSERT_TRUE(sent.socket.has_value());
  ASSERT_TRUE(echo::ServeOne(server(), *listener));
  EXPECT_THAT(client().Close(*sent.socket), Succeeds());
  // The descriptor is gone: a closed handle is no socket any more.
  EXPECT_THAT(client().GetPeerName(*sent.socket),
              FailsWith(system() == socksim::System::kWindows ? "WSAENOTSOCK" : "EBADF"));
}

INSTANTIATE_TEST_SUITE_P(AllSystems, Echo, socksim::testing::AllSystems(),
                         socksim::testing::SystemParamName());

// The same exchange as strace would show it, checked line by line on simulated Linux.
TEST(EchoScenario, AsStraceShowsIt) {
  socksim::testing::ExpectScenario(R"(personality linux
host a
process 100 host=a uid=1000 gid=1000
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
100 bind(3, {sa_family=AF_INET, sin_port=htons(7007), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 listen(3, 16) = 0
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4
100 connect(4, {sa_family=AF_INET, sin_port=htons(7007), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getpeername(4, {sa_family=AF_INET, sin_port=htons(7007), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0
100 accept(3, {sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 5
100 sendto(4, "hello", 5, 0, NULL, 0) = 5
100 recvfrom(5, "hello", 64, 0, NULL, NULL) = 5
)");
}

}  // namespace
