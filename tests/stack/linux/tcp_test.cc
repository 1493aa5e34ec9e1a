// File: tests/stack/linux/tcp_test.cc
// TCP through the Linux personality, grouped by the TCP state the socket is in when the call
// is made. Expectations follow ../shared/reference/linux.md (measured on Linux 6.18) and were
// re-checked against the local kernel in a loopback-only network namespace.

#include <cstdint>
#include <utility>
#include <vector>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

class LinuxTcpTest : public LinuxFixture {
 protected:
  static std::uint16_t PortOf(const std::vector<std::uint8_t>& sockaddr) {
    return static_cast<std::uint16_t>((sockaddr.at(2) << 8) | sockaddr.at(3));
  }

  CallResult Send(sim::Process& p, int fd, const std::string& data) {
    const auto buf = Place(p, std::vector<std::uint8_t>(data.begin(), data.end()));
    return linux_.Sendto(p, fd, buf, data.size(), kMsgNosignal, 0, 0);
  }
  CallResult Recv(sim::Process& p, int fd, int flags = 0) {
    const auto buf = Buffer(p, 64);
    return linux_.Recvfrom(p, fd, buf, 64, flags, 0, 0);
  }
  int TcpSocket(sim::Process& p, int extra_flags = 0, int domain = kAfInet) {
    return MustSucceed(linux_.Socket(p, domain, kSockStream | extra_flags, 0));
  }
  CallResult SetInt(sim::Process& p, int fd, int level, int name, std::uint32_t value) {
    return linux_.Setsockopt(p, fd, level, name, Len(p, value), 4);
  }
  sim::UserAddress Unspec(sim::Process& p) {
    return Place(p, std::vector<std::uint8_t>(16, 0));  // sa_family = AF_UNSPEC
  }
};

// ============================================================================================
// CLOSED: sockets that never connected, or whose connect failed
// ============================================================================================

// LNX-11 + linux.md 1.6 (__inet_stream_connect runs tcp_disconnect after a refused blocking
// connect): ECONNREFUSED, then getpeername ENOTCONN and the source address reset to 0.0.0.0
// while the source port is still reported.
TEST_F(LinuxTcpTest, RefusedBlockingConnectResetsSourceAddressAndHasNoPeer) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 81), 16), kECONNREFUSED);
  const Name peer = Peer(*a_, fd);
  ExpectErrno(peer.result, kENOTCONN);
  const Name self = Sock(*a_, fd);
  ASSERT_TRUE(self.result.succeeded());
  ASSERT_EQ(self.length, 16u);
  EXPECT_EQ(self.bytes, InetBytes("0.0.0.0", PortOf(self.bytes)));
  EXPECT_NE(PortOf(self.bytes), 0);  // linux.md 1.6: the released port is still reported
}

// tcp_sendmsg -> sk_stream_wait_connect: EPIPE on a never-connected socket (measured).
TEST_F(LinuxTcpTest, SendOnUnconnectedSocketIsEpipe) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(Send(*a_, fd, "x"), kEPIPE);
}

// tcp_recvmsg: ENOTCONN in CLOSE (measured).
TEST_F(LinuxTcpTest, RecvOnUnconnectedSocketIsEnotconn) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(Recv(*a_, fd), kENOTCONN);
}

// LNX-11: inet_getname, destination port 0.
TEST_F(LinuxTcpTest, UnconnectedSocketGetpeernameIsEnotconn) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// linux.md 1.6: connect(AF_UNSPEC) on an unconnected TCP socket is a no-op returning 0.
TEST_F(LinuxTcpTest, UnspecConnectOnUnconnectedSocketSucceeds) {
  const int fd = TcpSocket(*a_);
  EXPECT_EQ(MustSucceed(linux_.Connect(*a_, fd, Unspec(*a_), 16)), 0);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// ---- bind (inet_bind / __inet_bind / inet_csk_get_port), measured on the local kernel ----

// inet_csk_bind_conflict: same address and port, no SO_REUSEADDR -> EADDRINUSE.
TEST_F(LinuxTcpTest, BindSamePortTwiceWithoutReuseaddrIsEaddrinuse) {
  const int s1 = TcpSocket(*b_);
  const int s2 = TcpSocket(*b_);
  MustSucceed(linux_.Bind(*b_, s1, Inet(*b_, "10.0.0.2", 5000), 16));
  ExpectErrno(linux_.Bind(*b_, s2, Inet(*b_, "10.0.0.2", 5000), 16), kEADDRINUSE);
}

// inet_csk_bind_conflict: both sockets with SO_REUSEADDR and neither listening may share.
TEST_F(LinuxTcpTest, BindSamePortWithReuseaddrOnBothSucceeds) {
  const int s1 = TcpSocket(*b_);
  const int s2 = TcpSocket(*b_);
  MustSucceed(SetInt(*b_, s1, kSolSocket, kSoReuseaddr, 1));
  MustSucceed(SetInt(*b_, s2, kSolSocket, kSoReuseaddr, 1));
  MustSucceed(linux_.Bind(*b_, s1, Inet(*b_, "10.0.0.2", 5001), 16));
  EXPECT_EQ(MustSucceed(linux_.Bind(*b_, s2, Inet(*b_, "10.0.0.2", 5001), 16)), 0);
}

// inet_csk_bind_conflict: SO_REUSEADDR does not help against a LISTEN socket.
TEST_F(LinuxTcpTest, BindWithReuseaddrOverListenerIsEaddrinuse) {
  const int s1 = TcpSocket(*b_);
  const int s2 = TcpSocket(*b_);
  MustSucceed(SetInt(*b_, s1, kSolSocket, kSoReuseaddr, 1));
  MustSucceed(SetInt(*b_, s2, kSolSocket, kSoReuseaddr, 1));
  MustSucceed(linux_.Bind(*b_, s1, Inet(*b_, "10.0.0.2", 5002), 16));
  MustSucceed(linux_.Listen(*b_, s1, 1));
  ExpectErrno(linux_.Bind(*b_, s2, Inet(*b_, "10.0.0.2", 5002), 16), kEADDRINUSE);
}

// inet_csk_bind_conflict: SO_REUSEADDR on only the second socket is not enough.
TEST_F(LinuxTcpTest, BindWithReuseaddrOnOnlyOneSocketIsEaddrinuse) {
  const int s1 = TcpSocket(*b_);
  const int s2 = TcpSocket(*b_);
  MustSucceed(SetInt(*b_, s2, kSolSocket, kSoReuseaddr, 1));
  MustSucceed(linux_.Bind(*b_, s1, Inet(*b_, "10.0.0.2", 5003), 16));
  ExpectErrno(linux_.Bind(*b_, s2, Inet(*b_, "10.0.0.2", 5003), 16), kEADDRINUSE);
}

// __inet_bind: a socket that already has a port -> EINVAL.
TEST_F(LinuxTcpTest, BindTwiceIsEinval) {
  const int fd = TcpSocket(*b_);
  MustSucceed(linux_.Bind(*b_, fd, Inet(*b_, "10.0.0.2", 5004), 16));
  ExpectErrno(linux_.Bind(*b_, fd, Inet(*b_, "10.0.0.2", 5004), 16), kEINVAL);
}

// inet_addr_valid_or_nonlocal: an address no interface holds -> EADDRNOTAVAIL.
TEST_F(LinuxTcpTest, BindNonLocalAddressIsEaddrnotavail) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.9.9.9", 5000), 16), kEADDRNOTAVAIL);
}

// __inet_bind: port < ip_unprivileged_port_start without CAP_NET_BIND_SERVICE -> EACCES.
TEST_F(LinuxTcpTest, UnprivilegedBindToPort80IsEacces) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.0.0.1", 80), 16), kEACCES);
}

// ---- connect failures decided by routing / neighbour resolution ----

// Neighbour resolution for an on-link address nobody holds fails after a delay:
// EHOSTUNREACH, and virtual time has moved on.
TEST_F(LinuxTcpTest, ConnectToSilentOnLinkAddressIsEhostunreachAfterDelay) {
  const int fd = TcpSocket(*a_);
  const sim::Instant before = world_.now();
  ExpectErrno(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.99", 80), 16), kEHOSTUNREACH);
  EXPECT_GT(world_.now(), before);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// ip_route_connect: no route (no default route on this host) -> ENETUNREACH at once.
TEST_F(LinuxTcpTest, ConnectOffLinkWithoutRouteIsEnetunreach) {
  const int fd = TcpSocket(*a_);
  ExpectErrno(linux_.Connect(*a_, fd, Inet(*a_, "192.0.2.1", 80), 16), kENETUNREACH);
}

// A link that is down carries no handshake: the connect fails (whatever the exact errno).
TEST_F(LinuxTcpTest, ConnectOverDownLinkFails) {
  Listener(*b_, "10.0.0.2", 80);
  world_.topology().SetLinkUp(sim::LinkId{0}, false);
  const int fd = TcpSocket(*a_);
  const CallResult r = linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 80), 16);
  EXPECT_EQ(r.value, -1);
  EXPECT_TRUE(r.failed());
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// ============================================================================================
// LISTEN
// ============================================================================================

// LNX-11, linux.md 1.3: a listening socket has destination port 0 -> ENOTCONN.
TEST_F(LinuxTcpTest, ListenerGetpeernameIsEnotconn) {
  const int lfd = Listener(*b_, "10.0.0.2", 80);
  ExpectErrno(Peer(*b_, lfd).result, kENOTCONN);
}

// ============================================================================================
// SYN-SENT (non-blocking connect)
// ============================================================================================

// __inet_stream_connect: EINPROGRESS, then EALREADY while connecting; inet_getname refuses
// SYN_SENT for getpeername; once established the next connect returns 0 and then EISCONN.
TEST_F(LinuxTcpTest, NonblockingConnectReportsInprogressAlreadyThenSuccessThenIsconn) {
  Listener(*b_, "10.0.0.2", 80);
  const int fd = TcpSocket(*a_, kSockNonblock);
  const auto to = Inet(*a_, "10.0.0.2", 80);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEINPROGRESS);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEALREADY);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);  // LNX-11: SYN_SENT
  world_.RunUntilIdle();
  EXPECT_EQ(MustSucceed(linux_.Connect(*a_, fd, to, 16)), 0);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEISCONN);
  const Name peer = Peer(*a_, fd);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.bytes, InetBytes("10.0.0.2", 80));
}

// ============================================================================================
// ESTABLISHED
// ============================================================================================

// LNX-1, LNX-2, LNX-5, LNX-13: both ends see each other, byte-exact, 16 bytes.
TEST_F(LinuxTcpTest, EstablishedBothSidesReportExactNames) {
  const auto [cfd, sfd] = ConnectedTcp();
  const Name c_sock = Sock(*a_, cfd);
  ASSERT_TRUE(c_sock.result.succeeded());
  ASSERT_EQ(c_sock.length, 16u);
  const std::uint16_t eph = PortOf(c_sock.bytes);
  EXPECT_GE(eph, 32768);
  EXPECT_LE(eph, 60999);
  EXPECT_EQ(c_sock.bytes, InetBytes("10.0.0.1", eph));

  const Name c_peer = Peer(*a_, cfd);
  ASSERT_TRUE(c_peer.result.succeeded());
  EXPECT_EQ(c_peer.result.value, 0);
  EXPECT_EQ(c_peer.length, 16u);
  EXPECT_EQ(c_peer.bytes, InetBytes("10.0.0.2", 80));

  const Name s_sock = Sock(*b_, sfd);
  ASSERT_TRUE(s_sock.result.succeeded());
  EXPECT_EQ(s_sock.bytes, InetBytes("10.0.0.2", 80));

  const Name s_peer = Peer(*b_, sfd);
  ASSERT_TRUE(s_peer.result.succeeded());
  EXPECT_EQ(s_peer.length, 16u);
  EXPECT_EQ(s_peer.bytes, InetBytes("10.0.0.1", eph));
}

// linux.md 1.1: accept uses getname(peer = 2) and move_addr_to_user.
TEST_F(LinuxTcpTest, AcceptReturnsPeerAddress) {
  const int lfd = Listener(*b_, "10.0.0.2", 80);
  const int cfd = TcpSocket(*a_);
  MustSucceed(linux_.Connect(*a_, cfd, Inet(*a_, "10.0.0.2", 80), 16));
  const auto buf = Buffer(*b_);
  const auto len = Len(*b_, 128);
  const int sfd = MustSucceed(linux_.Accept(*b_, lfd, buf, len));
  EXPECT_GE(sfd, 0);
  const std::uint16_t eph = PortOf(Sock(*a_, cfd).bytes);
  EXPECT_EQ(ReadLen(*b_, len), 16u);
  EXPECT_EQ(Read(*b_, buf, 16), InetBytes("10.0.0.1", eph));
  EXPECT_EQ(Read(*b_, buf + 16, 1), std::vector<std::uint8_t>{0xAA});  // nothing past 16
}

// linux.md 1.6 (tcp_disconnect): connect(AF_UNSPEC) on a connected socket returns 0 and
// leaves it in CLOSE: getpeername ENOTCONN (LNX-11).
TEST_F(LinuxTcpTest, UnspecConnectDisconnectsEstablishedSocket) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  EXPECT_EQ(MustSucceed(linux_.Connect(*a_, cfd, Unspec(*a_), 16)), 0);
  ExpectErrno(Peer(*a_, cfd).result, kENOTCONN);
}

// SO_PEERCRED is AF_UNIX only: an INET socket reports {0, -1, -1} (linux.md 1.8).
TEST_F(LinuxTcpTest, InetSocketPeercredIsEmpty) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  const auto out = Buffer(*a_, 12);
  const auto len = Len(*a_, 12);
  MustSucceed(linux_.Getsockopt(*a_, cfd, kSolSocket, kSoPeercred, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 12u);
  EXPECT_EQ(*a_->memory().ReadU32(out), 0u);
  EXPECT_EQ(*a_->memory().ReadU32(out + 4), 0xFFFFFFFFu);
  EXPECT_EQ(*a_->memory().ReadU32(out + 8), 0xFFFFFFFFu);
}

// ============================================================================================
// FIN-WAIT-2 / CLOSE-WAIT (half close)
// ============================================================================================

// linux.md 1.3: half-closed states keep the peer; tcp_recvmsg returns 0 after the FIN.
TEST_F(LinuxTcpTest, ShutdownWriteKeepsPeerOnBothSidesAndPeerReadsEof) {
  const auto [cfd, sfd] = ConnectedTcp();
  MustSucceed(linux_.Shutdown(*a_, cfd, kShutWr));
  world_.RunUntilIdle();
  const Name c_peer = Peer(*a_, cfd);  // FIN-WAIT-2
  ASSERT_TRUE(c_peer.result.succeeded());
  EXPECT_EQ(c_peer.bytes, InetBytes("10.0.0.2", 80));
  const Name s_peer = Peer(*b_, sfd);  // CLOSE-WAIT
  ASSERT_TRUE(s_peer.result.succeeded());
  EXPECT_EQ(s_peer.bytes, InetBytes("10.0.0.1", PortOf(Sock(*a_, cfd).bytes)));
  const CallResult r = Recv(*b_, sfd);
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(r.value, 0);
}

// ============================================================================================
// TIME-WAIT / CLOSE after an orderly close
// ============================================================================================

// linux.md 1.3: when the active closer enters TIME_WAIT its socket hands off to a timewait
// sock and goes to CLOSE (tcp_time_wait -> tcp_done): getpeername ENOTCONN on the open fd.
TEST_F(LinuxTcpTest, ActiveCloserInTimeWaitHasNoPeer) {
  const auto [cfd, sfd] = ConnectedTcp();
  MustSucceed(linux_.Shutdown(*a_, cfd, kShutWr));
  world_.RunUntilIdle();
  MustSucceed(linux_.Close(*b_, sfd));
  world_.RunUntilIdle();
  ExpectErrno(Peer(*a_, cfd).result, kENOTCONN);
  const CallResult r = Recv(*a_, cfd);
  EXPECT_EQ(r.value, 0);
}

// ============================================================================================
// CLOSE after a reset
// ============================================================================================

// tcp_close: unread data in the receive queue sends RST instead of FIN; the peer's recv gets
// ECONNRESET and afterwards getpeername ENOTCONN (linux.md 1.3, state CLOSE).
TEST_F(LinuxTcpTest, CloseWithUnreadDataResetsPeer) {
  const auto [cfd, sfd] = ConnectedTcp();
  EXPECT_EQ(MustSucceed(Send(*a_, cfd, "unread")), 6);
  world_.RunUntilIdle();
  MustSucceed(linux_.Close(*b_, sfd));
  world_.RunUntilIdle();
  ExpectErrno(Recv(*a_, cfd), kECONNRESET);
  ExpectErrno(Peer(*a_, cfd).result, kENOTCONN);
}

// __tcp_close: unread data resets the connection in FIN-WAIT-2 too, after this side's own
// FIN (measured: scenarios/linux/tcp/close-unread-after-own-fin-resets.scn). The peer had its
// FIN first, so it reads the end of the stream, then has no peer and a send fails EPIPE.
TEST_F(LinuxTcpTest, CloseWithUnreadDataAfterOwnFinResetsPeer) {
  const auto [cfd, sfd] = ConnectedTcp();
  MustSucceed(linux_.Shutdown(*b_, sfd, kShutWr));
  world_.RunUntilIdle();
  EXPECT_EQ(MustSucceed(Send(*a_, cfd, "unread")), 6);
  world_.RunUntilIdle();
  MustSucceed(linux_.Close(*b_, sfd));
  world_.RunUntilIdle();
  EXPECT_EQ(Recv(*a_, cfd).value, 0);
  ExpectErrno(Peer(*a_, cfd).result, kENOTCONN);
}

// tcp_close with SO_LINGER {1, 0}: abortive close (RST) -> peer ECONNRESET.
TEST_F(LinuxTcpTest, LingerZeroCloseResetsPeer) {
  const auto [cfd, sfd] = ConnectedTcp();
  const auto linger = Place(*a_, {1, 0, 0, 0, 0, 0, 0, 0});
  MustSucceed(linux_.Setsockopt(*a_, cfd, kSolSocket, kSoLinger, linger, kLingerSize));
  MustSucceed(linux_.Close(*a_, cfd));
  world_.RunUntilIdle();
  ExpectErrno(Recv(*b_, sfd), kECONNRESET);
  ExpectErrno(Peer(*b_, sfd).result, kENOTCONN);
}

// ============================================================================================
// IPv6 and dual stack
// ============================================================================================

// linux.md 1.4 (inet6_getname): 28-byte names on both ends.
TEST_F(LinuxTcpTest, Ipv6ConnectionReports28ByteNames) {
  const int lfd = Listener(*b_, "fd00::2", 80, kAfInet6);
  const int cfd = TcpSocket(*a_, 0, kAfInet6);
  MustSucceed(linux_.Connect(*a_, cfd, Inet(*a_, "fd00::2", 80), 28));
  const int sfd = MustSucceed(linux_.Accept(*b_, lfd, 0, 0));

  const Name c_peer = Peer(*a_, cfd);
  ASSERT_TRUE(c_peer.result.succeeded());
  EXPECT_EQ(c_peer.length, 28u);
  EXPECT_EQ(c_peer.bytes, InetBytes("fd00::2", 80));

  const Name c_sock = Sock(*a_, cfd);
  ASSERT_EQ(c_sock.length, 28u);
  const std::uint16_t eph = PortOf(c_sock.bytes);
  EXPECT_EQ(c_sock.bytes, InetBytes("fd00::1", eph));

  const Name s_peer = Peer(*b_, sfd);
  ASSERT_TRUE(s_peer.result.succeeded());
  EXPECT_EQ(s_peer.length, 28u);
  EXPECT_EQ(s_peer.bytes, InetBytes("fd00::1", eph));
}

// linux.md 1.4 / surprise 8: a dual-stack listener reports an IPv4 client v4-mapped, 28 bytes.
TEST_F(LinuxTcpTest, DualStackListenerReportsV4MappedPeer) {
  const int lfd = Listener(*b_, "::", 80, kAfInet6);
  const int cfd = TcpSocket(*a_);
  MustSucceed(linux_.Connect(*a_, cfd, Inet(*a_, "10.0.0.2", 80), 16));
  const std::uint16_t eph = PortOf(Sock(*a_, cfd).bytes);
  const auto buf = Buffer(*b_);
  const auto len = Len(*b_, 128);
  const int sfd = MustSucceed(linux_.Accept(*b_, lfd, buf, len));
  EXPECT_EQ(ReadLen(*b_, len), 28u);
  EXPECT_EQ(Read(*b_, buf, 28), InetBytes("::ffff:10.0.0.1", eph));
  const Name s_peer = Peer(*b_, sfd);
  ASSERT_TRUE(s_peer.result.succeeded());
  EXPECT_EQ(s_peer.length, 28u);
  EXPECT_EQ(s_peer.bytes, InetBytes("::ffff:10.0.0.1", eph));
  const Name s_sock = Sock(*b_, sfd);
  EXPECT_EQ(s_sock.bytes, InetBytes("::ffff:10.0.0.2", 80));
}

}  // namespace
}  // namespace socksim::testing
