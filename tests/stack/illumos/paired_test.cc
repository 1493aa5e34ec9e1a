// File: tests/stack/illumos/paired_test.cc
// One world, one stack, a Linux and an illumos server doing the same steps: the listener is
// created as root and drops to uid 500 before bind() and listen(). Linux's SO_PEERCRED gives
// the connector the listen()-time credentials, illumos' getpeerucred the socket()-time ones
// (ILL-3; reference 1.4 and 2.6); on TCP Linux answers pid 0, uid and gid -1 where illumos
// fails with EINVAL or ENOTCONN.
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

namespace la = stack::linux_abi;

class IllumosPaired : public IllumosFixture {
 public:
  IllumosPaired() : linux_(stack_) {
    lsrv_ = &world_.Spawn(
        {.pid = 500, .node = a_node_, .credentials = sim::Credentials::Of(0, 0), .name = "lsrv"});
    lcli_ = &world_.Spawn({.pid = 501,
                           .node = a_node_,
                           .credentials = sim::Credentials::Of(2000, 20),
                           .name = "lcli"});
    linux_.SetUpProcess(*lsrv_);
    linux_.SetUpProcess(*lcli_);
  }
  sim::UserAddress LPlace(sim::Process& p, const Bytes& bytes) {
    const auto at = p.memory().Allocate(bytes.size());
    EXPECT_TRUE(p.memory().Poke(at, bytes));
    return at;
  }
  /// SO_PEERCRED of `fd` in `p`: {pid, uid, gid}.
  std::array<std::uint32_t, 3> LinuxPeercred(sim::Process& p, int fd) {
    const auto buf = LPlace(p, Bytes(12, 0xAA));
    const auto len = LPlace(p, Bytes{12, 0, 0, 0});
    EXPECT_TRUE(linux_.Getsockopt(p, fd, la::kSolSocket, la::kSoPeercred, buf, len).succeeded());
    return {*p.memory().ReadU32(buf), *p.memory().ReadU32(buf + 4), *p.memory().ReadU32(buf + 8)};
  }

  la::LinuxPersonality linux_;
  sim::Process* lsrv_ = nullptr;
  sim::Process* lcli_ = nullptr;
};

TEST_F(IllumosPaired, Ill03ConnectorSeesSocketTimeWhereLinuxSeesListenTime) {
  // Linux: socket as root, setresuid(500), bind, listen; the client's SO_PEERCRED says 500.
  const Bytes lname = la::Encode(stack::SocketAddress{stack::UnixAddress::Pathname("/tmp/l")});
  const int ls = static_cast<int>(linux_.Socket(*lsrv_, la::kAfUnix, la::kSockStream, 0).value);
  ASSERT_TRUE(linux_.Setresuid(*lsrv_, 500, 500, 500).succeeded());
  ASSERT_TRUE(linux_.Bind(*lsrv_, ls, LPlace(*lsrv_, lname), 9).succeeded());
  ASSERT_TRUE(linux_.Listen(*lsrv_, ls, 8).succeeded());
  const int lc = static_cast<int>(linux_.Socket(*lcli_, la::kAfUnix, la::kSockStream, 0).value);
  ASSERT_TRUE(linux_.Connect(*lcli_, lc, LPlace(*lcli_, lname), 9).succeeded());
  const auto linux_seen = LinuxPeercred(*lcli_, lc);
  EXPECT_EQ(linux_seen[0], 500u);  // pid 500 ...
  EXPECT_EQ(linux_seen[1], 500u);  // ... uid 500: the listen()-time credentials

  // illumos: the same steps; the connector sees uid 0, the socket()-time credentials.
  a_->set_credentials(sim::Credentials::Of(0, 0));
  const Fd s = Sock(A(), kAfUnix, kSockStream);
  ASSERT_TRUE(os_.Setuid(A(), 500).succeeded());
  ASSERT_TRUE(BindTo(A(), s, Un("/tmp/i")).succeeded());
  ASSERT_TRUE(os_.Listen(A(), s, 8).succeeded());
  const Fd c = Sock(A2(), kAfUnix, kSockStream);
  ASSERT_TRUE(ConnectTo(A2(), c, Un("/tmp/i")).succeeded());
  ExpectPeer(A2(), c, 100, 0);
}

TEST_F(IllumosPaired, LinuxAnswersTcpWithNoPeerWhereIllumosFails) {
  const int lt = static_cast<int>(linux_.Socket(*lcli_, la::kAfInet, la::kSockStream, 0).value);
  const auto linux_seen = LinuxPeercred(*lcli_, lt);
  EXPECT_EQ(linux_seen[0], 0u);
  EXPECT_EQ(linux_seen[1], 0xffffffffu);
  EXPECT_EQ(linux_seen[2], 0xffffffffu);
  ExpectPeerErrno(A(), Sock(A(), kAfInet, kSockStream), kENOTCONN);
  const Connection remote = TcpConnection(In4("10.0.0.1", 8080), In4("10.0.0.1", 8080), true);
  ExpectPeerErrno(A(), remote.accepted, kEINVAL);
}

}  // namespace
}  // namespace socksim::testing
