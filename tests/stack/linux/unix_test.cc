// File: tests/stack/linux/unix_test.cc
// AF_UNIX names, peers, SO_PEERCRED and SCM_RIGHTS through the Linux personality
// (linux.md 1.7 and 1.8; net/unix/af_unix.c).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

class LinuxUnixTest : public LinuxFixture {
 protected:
  struct Cred {
    std::uint32_t pid = 0, uid = 0, gid = 0;
    friend bool operator==(const Cred&, const Cred&) = default;
  };

  std::pair<int, int> Pair(sim::Process& p, int type) {
    const auto sv = p.memory().Allocate(8);
    MustSucceed(linux_.Socketpair(p, kAfUnix, type, 0, sv));
    return {static_cast<int>(*p.memory().ReadU32(sv)), static_cast<int>(*p.memory().ReadU32(sv + 4))};
  }
  static std::uint32_t PathLen(const std::string& path) {
    return static_cast<std::uint32_t>(2 + path.size() + 1);
  }
  int BoundUnix(sim::Process& p, int type, const std::string& path) {
    const int fd = MustSucceed(linux_.Socket(p, kAfUnix, type, 0));
    MustSucceed(linux_.Bind(p, fd, UnixPath(p, path), PathLen(path)));
    return fd;
  }
  int UnixListener(sim::Process& p, const std::string& path) {
    const int fd = BoundUnix(p, kSockStream, path);
    MustSucceed(linux_.Listen(p, fd, 8));
    return fd;
  }
  CallResult ConnectPath(sim::Process& p, int fd, const std::string& path) {
    return linux_.Connect(p, fd, UnixPath(p, path), PathLen(path));
  }
  Cred PeerCred(sim::Process& p, int fd) {
    const auto out = Buffer(p, 12);
    const auto len = Len(p, 12);
    MustSucceed(linux_.Getsockopt(p, fd, kSolSocket, kSoPeercred, out, len));
    EXPECT_EQ(ReadLen(p, len), kUcredSize);
    return {*p.memory().ReadU32(out), *p.memory().ReadU32(out + 4), *p.memory().ReadU32(out + 8)};
  }
  CallResult Send(sim::Process& p, int fd, const std::string& data) {
    const auto buf = Place(p, std::vector<std::uint8_t>(data.begin(), data.end()));
    return linux_.Sendto(p, fd, buf, data.size(), kMsgNosignal, 0, 0);
  }
  /// A second process on host a (root), as a separate client.
  sim::Process& RootOnA(sim::Pid pid = 300) {
    return world_.Spawn({.pid = pid, .node = a_node_, .credentials = sim::Credentials::Of(0, 0)});
  }
};

// ============================================================================================
// socketpair
// ============================================================================================

// unix_socketpair + unix_getname: both ends unnamed, so the peer's name is sun_family only (2).
TEST_F(LinuxUnixTest, SocketpairPeersReportLengthTwoForEveryType) {
  for (const int type : {kSockStream, kSockDgram, kSockSeqPacket}) {
    SCOPED_TRACE(type);
    const auto [s0, s1] = Pair(*a_, type);
    for (const int fd : {s0, s1}) {
      const Name peer = Peer(*a_, fd);
      ASSERT_TRUE(peer.result.succeeded());
      EXPECT_EQ(peer.length, 2u);
      EXPECT_EQ(peer.bytes, (std::vector<std::uint8_t>{1, 0}));
      EXPECT_EQ(Sock(*a_, fd).length, 2u);
    }
  }
}

// ============================================================================================
// pathname names
// ============================================================================================

// LNX-13, linux.md 1.7 (unix_stream_connect shares the listener's address record): the client
// sees the listener's path (2 + strlen + 1); the accepted socket's own name is the listener's
// and its peer (the unnamed client) is 2 bytes long.
TEST_F(LinuxUnixTest, PathnameConnectAcceptNames) {
  const std::string path = "/tmp/srv.sock";
  const int lfd = UnixListener(*a_, path);
  const int cfd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(ConnectPath(*a_, cfd, path));
  const auto abuf = Buffer(*a_);
  const auto alen = Len(*a_, 128);
  const int sfd = MustSucceed(linux_.Accept(*a_, lfd, abuf, alen));
  EXPECT_EQ(ReadLen(*a_, alen), 2u);  // accept: the unnamed client

  const auto expected = Bytes(stack::UnixAddress::Pathname(path));
  const Name c_peer = Peer(*a_, cfd);
  ASSERT_TRUE(c_peer.result.succeeded());
  EXPECT_EQ(c_peer.length, PathLen(path));
  EXPECT_EQ(c_peer.bytes, expected);

  const Name s_sock = Sock(*a_, sfd);
  ASSERT_TRUE(s_sock.result.succeeded());
  EXPECT_EQ(s_sock.length, PathLen(path));
  EXPECT_EQ(s_sock.bytes, expected);

  const Name s_peer = Peer(*a_, sfd);
  ASSERT_TRUE(s_peer.result.succeeded());
  EXPECT_EQ(s_peer.length, 2u);

  EXPECT_EQ(Sock(*a_, cfd).length, 2u);  // the client stays unnamed
}

// linux.md 1.7 (unix_mkname_bsd): the recorded length is 2 + strlen + 1 even when bind was
// given the whole 110-byte sockaddr_un.
TEST_F(LinuxUnixTest, PathnameLengthIgnoresPaddedAddrlen) {
  const std::string path = "/tmp/pad";
  std::vector<std::uint8_t> raw(110, 0);
  raw[0] = 1;
  for (std::size_t i = 0; i < path.size(); ++i) raw[2 + i] = static_cast<std::uint8_t>(path[i]);
  const int fd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(linux_.Bind(*a_, fd, Place(*a_, raw), 110));
  EXPECT_EQ(Sock(*a_, fd).length, PathLen(path));
}

// ============================================================================================
// abstract names and autobind
// ============================================================================================

// linux.md 1.7: an abstract name is kept verbatim with exactly the addrlen given, trailing NULs
// included.
TEST_F(LinuxUnixTest, AbstractNameHasExactLength) {
  const std::vector<std::uint8_t> name = {1, 0, 0, 'a', 'b', 'c', 0, 0};
  const int fd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(linux_.Bind(*a_, fd, Place(*a_, name), static_cast<std::uint32_t>(name.size())));
  const Name self = Sock(*a_, fd);
  ASSERT_TRUE(self.result.succeeded());
  EXPECT_EQ(self.length, name.size());
  EXPECT_EQ(self.bytes, name);

  MustSucceed(linux_.Listen(*a_, fd, 1));
  const int cfd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(linux_.Connect(*a_, cfd, Place(*a_, name), static_cast<std::uint32_t>(name.size())));
  EXPECT_EQ(Peer(*a_, cfd).bytes, name);
}

// unix_bind with addrlen == sizeof(sa_family_t) -> unix_autobind: NUL + 5 hex digits, length 8;
// a second autobind on a named socket returns 0 and keeps the name.
TEST_F(LinuxUnixTest, AutobindGivesEightByteNameAndRepeatKeepsIt) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  const std::vector<std::uint8_t> family = {1, 0};
  MustSucceed(linux_.Bind(*a_, fd, Place(*a_, family), 2));
  const Name first = Sock(*a_, fd);
  ASSERT_TRUE(first.result.succeeded());
  ASSERT_EQ(first.length, 8u);
  EXPECT_EQ(first.bytes[0], 1);
  EXPECT_EQ(first.bytes[1], 0);
  EXPECT_EQ(first.bytes[2], 0);
  for (std::size_t i = 3; i < 8; ++i) {
    const char c = static_cast<char>(first.bytes[i]);
    EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << "byte " << i;
  }
  EXPECT_EQ(MustSucceed(linux_.Bind(*a_, fd, Place(*a_, family), 2)), 0);
  EXPECT_EQ(Sock(*a_, fd).bytes, first.bytes);
}

// unix_bind_bsd on a named socket -> EINVAL.
TEST_F(LinuxUnixTest, SecondPathnameBindIsEinval) {
  const int fd = BoundUnix(*a_, kSockStream, "/tmp/one");
  ExpectErrno(linux_.Bind(*a_, fd, UnixPath(*a_, "/tmp/two"), PathLen("/tmp/two")), kEINVAL);
}

// ============================================================================================
// survivors of a closed peer
// ============================================================================================

// linux.md 1.7 (unix_release_sock): a stream survivor keeps its peer pointer.
TEST_F(LinuxUnixTest, StreamSurvivorKeepsPeerAfterClose) {
  const std::string path = "/tmp/surv";
  const int lfd = UnixListener(*a_, path);
  const int cfd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(ConnectPath(*a_, cfd, path));
  const int sfd = MustSucceed(linux_.Accept(*a_, lfd, 0, 0));
  MustSucceed(linux_.Close(*a_, sfd));
  MustSucceed(linux_.Close(*a_, lfd));
  world_.RunUntilIdle();
  const Name peer = Peer(*a_, cfd);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.bytes, Bytes(stack::UnixAddress::Pathname(path)));
}

// linux.md 1.7: a stream socketpair survivor keeps its (unnamed) peer too.
TEST_F(LinuxUnixTest, StreamPairSurvivorKeepsPeerAfterClose) {
  const auto [s0, s1] = Pair(*a_, kSockStream);
  MustSucceed(linux_.Close(*a_, s1));
  const Name peer = Peer(*a_, s0);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.length, 2u);
}

// linux.md 1.7 (unix_dgram_sendmsg): the dgram survivor keeps its peer until a send finds the
// peer dead (ECONNREFUSED), then getpeername is ENOTCONN.
TEST_F(LinuxUnixTest, DgramSurvivorKeepsPeerUntilSendIsRefused) {
  const std::string path = "/tmp/dg";
  const int server = BoundUnix(*a_, kSockDgram, path);
  const int client = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  MustSucceed(ConnectPath(*a_, client, path));
  MustSucceed(linux_.Close(*a_, server));
  world_.RunUntilIdle();
  const Name before = Peer(*a_, client);
  ASSERT_TRUE(before.result.succeeded());
  EXPECT_EQ(before.bytes, Bytes(stack::UnixAddress::Pathname(path)));
  ExpectErrno(Send(*a_, client, "x"), kECONNREFUSED);
  ExpectErrno(Peer(*a_, client).result, kENOTCONN);
}

// LNX-16: a dgram connect is one-way; the target has no peer.
TEST_F(LinuxUnixTest, DgramConnectTargetIsUnaware) {
  const int server = BoundUnix(*a_, kSockDgram, "/tmp/dg2");
  const int client = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  MustSucceed(ConnectPath(*a_, client, "/tmp/dg2"));
  ExpectErrno(Peer(*a_, server).result, kENOTCONN);
}

// ============================================================================================
// connect errors
// ============================================================================================

// unix_find_bsd: no such file -> ENOENT.
TEST_F(LinuxUnixTest, ConnectToMissingPathIsEnoent) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  ExpectErrno(ConnectPath(*a_, fd, "/tmp/nobody"), kENOENT);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// unix_find_bsd: the socket at the path has another type -> EPROTOTYPE.
TEST_F(LinuxUnixTest, StreamConnectToDgramPathIsEprototype) {
  BoundUnix(*a_, kSockDgram, "/tmp/dgpath");
  const int fd = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  ExpectErrno(ConnectPath(*a_, fd, "/tmp/dgpath"), kEPROTOTYPE);
}

// ============================================================================================
// SO_PEERCRED
// ============================================================================================

// linux.md 1.8: socketpair() records the caller on both ends (pid, effective uid/gid).
TEST_F(LinuxUnixTest, SocketpairPeercredIsCaller) {
  const auto [s0, s1] = Pair(*a_, kSockStream);
  EXPECT_EQ(PeerCred(*a_, s0), (Cred{100, 1000, 1000}));
  EXPECT_EQ(PeerCred(*a_, s1), (Cred{100, 1000, 1000}));
}

// linux.md 1.8: listen() records the listener's credentials on the listening socket; the
// client gets a copy of them; the accepted socket gets the connector's.
TEST_F(LinuxUnixTest, PeercredCapturedAtListenAndConnect) {
  const int lfd = UnixListener(*a_, "/tmp/cred");
  sim::Process& other = RootOnA();
  const int cfd = MustSucceed(linux_.Socket(other, kAfUnix, kSockStream, 0));
  MustSucceed(ConnectPath(other, cfd, "/tmp/cred"));
  const int sfd = MustSucceed(linux_.Accept(*a_, lfd, 0, 0));
  EXPECT_EQ(PeerCred(*a_, lfd), (Cred{100, 1000, 1000}));
  EXPECT_EQ(PeerCred(other, cfd), (Cred{100, 1000, 1000}));
  EXPECT_EQ(PeerCred(*a_, sfd), (Cred{300, 0, 0}));
}

// linux.md 1.8: captured credentials are a snapshot; setresuid afterwards changes nothing.
TEST_F(LinuxUnixTest, PeercredIsNotChangedBySetresuidAfterConnect) {
  const int lfd = UnixListener(*a_, "/tmp/cred2");
  sim::Process& other = RootOnA();
  const int cfd = MustSucceed(linux_.Socket(other, kAfUnix, kSockStream, 0));
  MustSucceed(ConnectPath(other, cfd, "/tmp/cred2"));
  MustSucceed(linux_.Setresuid(other, 0, 4242, 0));
  EXPECT_EQ(other.credentials().euid, 4242u);
  const int sfd = MustSucceed(linux_.Accept(*a_, lfd, 0, 0));
  EXPECT_EQ(PeerCred(*a_, sfd), (Cred{300, 0, 0}));
}

// linux.md 1.8: the credentials are the effective ids at connect time.
TEST_F(LinuxUnixTest, PeercredUsesEffectiveIdsAtConnect) {
  const int lfd = UnixListener(*a_, "/tmp/cred3");
  sim::Process& other = RootOnA();
  MustSucceed(linux_.Setresuid(other, 0, 4242, 0));
  const int cfd = MustSucceed(linux_.Socket(other, kAfUnix, kSockStream, 0));
  MustSucceed(ConnectPath(other, cfd, "/tmp/cred3"));
  const int sfd = MustSucceed(linux_.Accept(*a_, lfd, 0, 0));
  EXPECT_EQ(PeerCred(*a_, sfd), (Cred{300, 4242, 0}));
}

// linux.md 1.8: nothing is recorded for INET sockets -> {0, -1, -1}.
TEST_F(LinuxUnixTest, InetSocketPeercredIsUnset) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  EXPECT_EQ(PeerCred(*a_, fd), (Cred{0, 0xFFFFFFFFu, 0xFFFFFFFFu}));
}

// linux.md 1.8: nothing is recorded for a bound-only stream socket or a dgram connect.
TEST_F(LinuxUnixTest, UnconnectedAndDgramPeercredAreUnset) {
  const int bound = BoundUnix(*a_, kSockStream, "/tmp/bo");
  EXPECT_EQ(PeerCred(*a_, bound), (Cred{0, 0xFFFFFFFFu, 0xFFFFFFFFu}));
  BoundUnix(*a_, kSockDgram, "/tmp/dgc");
  const int client = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  MustSucceed(ConnectPath(*a_, client, "/tmp/dgc"));
  EXPECT_EQ(PeerCred(*a_, client), (Cred{0, 0xFFFFFFFFu, 0xFFFFFFFFu}));
}

// ============================================================================================
// SCM_RIGHTS
// ============================================================================================

// scm_send / scm_detach_fds: a connected UDP socket passed from a_ to its forked child over a
// socketpair is installed in the child, and getpeername on the new descriptor reports the
// association of the shared open file description.
TEST_F(LinuxUnixTest, ScmRightsPassesSocketToAnotherProcess) {
  const int udp = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Connect(*a_, udp, Inet(*a_, "10.0.0.2", 53), 16));
  const auto [s0, s1] = Pair(*a_, kSockStream);
  const auto child_pid = static_cast<sim::Pid>(MustSucceed(linux_.Fork(*a_, sim::Pid{101})));
  sim::Process* child = world_.FindProcess(child_pid);
  ASSERT_NE(child, nullptr);

  // Sender: one iovec of 1 byte and one SCM_RIGHTS control message carrying `udp`.
  auto& am = a_->memory();
  const auto data = Place(*a_, {'!'});
  const auto iov = am.Allocate(16);
  ASSERT_TRUE(am.WriteU64(iov, data));
  ASSERT_TRUE(am.WriteU64(iov + 8, 1));
  const auto control = am.Allocate(24);
  ASSERT_TRUE(am.WriteU64(control, kCmsghdrSize + 4));  // CMSG_LEN(sizeof(int))
  ASSERT_TRUE(am.WriteU32(control + 8, kSolSocket));
  ASSERT_TRUE(am.WriteU32(control + 12, kScmRights));
  ASSERT_TRUE(am.WriteU32(control + 16, static_cast<std::uint32_t>(udp)));
  const auto msg = Place(*a_, std::vector<std::uint8_t>(kMsghdrSize, 0));
  ASSERT_TRUE(am.WriteU64(msg + 16, iov));
  ASSERT_TRUE(am.WriteU64(msg + 24, 1));
  ASSERT_TRUE(am.WriteU64(msg + 32, control));
  ASSERT_TRUE(am.WriteU64(msg + 40, 24));  // CMSG_SPACE(sizeof(int))
  EXPECT_EQ(MustSucceed(linux_.Sendmsg(*a_, s0, msg, 0)), 1);
  MustSucceed(linux_.Close(*a_, udp));  // the in-flight reference keeps the socket alive

  // Receiver (the child, holding the inherited s1).
  auto& cm = child->memory();
  const auto rbuf = Buffer(*child, 16);
  const auto riov = cm.Allocate(16);
  ASSERT_TRUE(cm.WriteU64(riov, rbuf));
  ASSERT_TRUE(cm.WriteU64(riov + 8, 16));
  const auto rcontrol = Buffer(*child, 24);
  const auto rmsg = Place(*child, std::vector<std::uint8_t>(kMsghdrSize, 0));
  ASSERT_TRUE(cm.WriteU64(rmsg + 16, riov));
  ASSERT_TRUE(cm.WriteU64(rmsg + 24, 1));
  ASSERT_TRUE(cm.WriteU64(rmsg + 32, rcontrol));
  ASSERT_TRUE(cm.WriteU64(rmsg + 40, 24));
  EXPECT_EQ(MustSucceed(linux_.Recvmsg(*child, s1, rmsg, 0)), 1);
  EXPECT_EQ(*cm.ReadU64(rcontrol), kCmsghdrSize + 4);
  EXPECT_EQ(*cm.ReadU32(rcontrol + 8), static_cast<std::uint32_t>(kSolSocket));
  EXPECT_EQ(*cm.ReadU32(rcontrol + 12), static_cast<std::uint32_t>(kScmRights));
  const int received = static_cast<int>(*cm.ReadU32(rcontrol + 16));
  EXPECT_GE(received, 0);

  const Name peer = Peer(*child, received);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.length, 16u);
  EXPECT_EQ(peer.bytes, InetBytes("10.0.0.2", 53));
}

// scm_detach_fds: a descriptor received with MSG_CMSG_CLOEXEC is close-on-exec (O_CLOEXEC to
// receive_fd_user); without the flag it is not.
TEST_F(LinuxUnixTest, ScmRightsReceivedWithCmsgCloexecIsCloseOnExec) {
  const auto [s0, s1] = Pair(*a_, kSockStream);
  const int udp = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  auto& m = a_->memory();
  auto send_rights = [&] {
    const auto data = Place(*a_, {'!'});
    const auto iov = m.Allocate(16);
    ASSERT_TRUE(m.WriteU64(iov, data));
    ASSERT_TRUE(m.WriteU64(iov + 8, 1));
    const auto control = m.Allocate(24);
    ASSERT_TRUE(m.WriteU64(control, kCmsghdrSize + 4));
    ASSERT_TRUE(m.WriteU32(control + 8, kSolSocket));
    ASSERT_TRUE(m.WriteU32(control + 12, kScmRights));
    ASSERT_TRUE(m.WriteU32(control + 16, static_cast<std::uint32_t>(udp)));
    const auto msg = Place(*a_, std::vector<std::uint8_t>(kMsghdrSize, 0));
    ASSERT_TRUE(m.WriteU64(msg + 16, iov));
    ASSERT_TRUE(m.WriteU64(msg + 24, 1));
    ASSERT_TRUE(m.WriteU64(msg + 32, control));
    ASSERT_TRUE(m.WriteU64(msg + 40, 24));
    EXPECT_EQ(MustSucceed(linux_.Sendmsg(*a_, s0, msg, 0)), 1);
  };
  auto receive = [&](int flags) {
    const auto buf = Buffer(*a_, 1);
    const auto iov = m.Allocate(16);
    EXPECT_TRUE(m.WriteU64(iov, buf));
    EXPECT_TRUE(m.WriteU64(iov + 8, 1));
    const auto control = Buffer(*a_, 24);
    const auto msg = Place(*a_, std::vector<std::uint8_t>(kMsghdrSize, 0));
    EXPECT_TRUE(m.WriteU64(msg + 16, iov));
    EXPECT_TRUE(m.WriteU64(msg + 24, 1));
    EXPECT_TRUE(m.WriteU64(msg + 32, control));
    EXPECT_TRUE(m.WriteU64(msg + 40, 24));
    EXPECT_EQ(MustSucceed(linux_.Recvmsg(*a_, s1, msg, flags)), 1);
    return static_cast<int>(*m.ReadU32(control + 16));
  };
  send_rights();
  const int plain = receive(0);
  send_rights();
  const int cloexec = receive(kMsgCmsgCloexec);
  EXPECT_EQ(plain, udp + 1);  // the lowest free numbers
  EXPECT_EQ(cloexec, udp + 2);
  ASSERT_NE(a_->fds().Lookup(plain), nullptr);
  ASSERT_NE(a_->fds().Lookup(cloexec), nullptr);
  EXPECT_FALSE(a_->fds().Lookup(plain)->close_on_exec);
  EXPECT_TRUE(a_->fds().Lookup(cloexec)->close_on_exec);
}

}  // namespace
}  // namespace socksim::testing
