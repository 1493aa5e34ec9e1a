// File: whoami_test.cc
// The "who am I" service on Linux, Windows and illumos, with socksim::testing's matchers, and
// one scenario written inline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <socksim/testing.h>

#include "whoami.h"

namespace {

using socksim::testing::FailsWith;
using socksim::testing::Succeeds;

class WhoAmI : public socksim::testing::SystemTest {};

TEST_P(WhoAmI, TheServerSeesTheClientsOwnAddress) {
  auto server = whoami::Server::Start(this->server(), ServerAddress(4000));
  ASSERT_TRUE(server.has_value());
  socksim::Result last;
  const auto s = whoami::Connect(client(), ServerAddress(4000), &last);
  ASSERT_TRUE(s.has_value()) << last;
  ASSERT_TRUE(server->AnswerOne());
  const auto answer = whoami::ReadAnswer(client(), *s);
  EXPECT_THAT(answer.last, Succeeds());
  ASSERT_TRUE(answer.own_name.has_value());
  EXPECT_EQ(answer.seen_by_server, answer.own_name->ToString());
  EXPECT_EQ(answer.own_name->ip(), "10.0.0.1");
}

TEST_P(WhoAmI, NoAnswerWhenTheLinkIsDown) {
  auto server = whoami::Server::Start(this->server(), ServerAddress(4000));
  ASSERT_TRUE(server.has_value());
  world().CutLink(socksim::Link{0});
  socksim::Result last;
  EXPECT_FALSE(whoami::Connect(client(), ServerAddress(4000), &last).has_value());
  EXPECT_THAT(last, ::testing::Not(Succeeds()));
}

TEST_P(WhoAmI, ThePortIsTakenTwice) {
  ASSERT_TRUE(whoami::Server::Start(this->server(), ServerAddress(4000)).has_value());
  const auto again = this->server().Socket(socksim::Domain::kInet, socksim::Type::kStream);
  EXPECT_THAT(this->server().Bind(again.value, ServerAddress(4000)), FailsWith(Err("EADDRINUSE")));
}

INSTANTIATE_TEST_SUITE_P(AllSystems, WhoAmI, socksim::testing::AllSystems(),
                         socksim::testing::SystemParamName());

// A Windows client's view of the same service as a scenario: the peer and its own name.
TEST(WhoAmIScenario, OnWindows) {
  socksim::testing::ExpectScenario(R"(personality windows
host a
process 100 host=a uid=0 gid=0
100 WSAStartup(0x202, _) = 0
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 0x100
100 bind(0x100, {sa_family=AF_INET, sin_port=htons(4000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 listen(0x100, 16) = 0
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 0x104
100 connect(0x104, {sa_family=AF_INET, sin_port=htons(4000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getpeername(0x104, {sa_family=AF_INET, sin_port=htons(4000), sin_addr=inet_addr("127.0.0.1")}, [16 => 16]) = 0
100 getpeername(0x104, 0x7ffc783a3fe0, [15]) = SOCKET_ERROR WSAEFAULT
)");
}

}  // namespace
