// File: tests/stack/linux/measured_test.cc
// Behaviours measured on Linux 6.18 (docs/semantics/linux-measured.md; the ids are its case
// ids), reproduced through the simulator. Loopback cases use one host (process a_ on "a").
#include <gtest/gtest.h>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

using LinuxMeasured = LinuxFixture;

int Tcp(LinuxFixture& f, sim::Process& p) {
  return f.MustSucceed(f.linux_.Socket(p, kAfInet, kSockStream, 0));
}

void ReuseAddr(LinuxFixture& f, sim::Process& p, int fd) {
  const auto one = f.Len(p, 1);
  f.MustSucceed(f.linux_.Setsockopt(p, fd, kSolSocket, kSoReuseaddr, one, 4));
}

// B7, B8: two SO_REUSEADDR sockets may share a port while only bound; not once one listens.
TEST_F(LinuxMeasured, B7ReuseAddrSharesBoundPortButNotAListener) {
  const int first = Tcp(*this, *b_);
  const int second = Tcp(*this, *b_);
  ReuseAddr(*this, *b_, first);
  ReuseAddr(*this, *b_, second);
  MustSucceed(linux_.Bind(*b_, first, Inet(*b_, "10.0.0.2", 7000), 16));
  MustSucceed(linux_.Bind(*b_, second, Inet(*b_, "10.0.0.2", 7000), 16));
  MustSucceed(linux_.Listen(*b_, first, 4));
  ExpectErrno(linux_.Listen(*b_, second, 4), kEADDRINUSE);
  const int third = Tcp(*this, *b_);
  ReuseAddr(*this, *b_, third);
  ExpectErrno(linux_.Bind(*b_, third, Inet(*b_, "10.0.0.2", 7000), 16), kEADDRINUSE);
}

// B11e, B11f, B12: EADDRNOTAVAIL before EACCES before "already bound" EINVAL.
TEST_F(LinuxMeasured, B12BindCheckOrder) {
  const int fd = Tcp(*this, *a_);  // a_ is uid 1000
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.9.9.9", 81), 16), kEADDRNOTAVAIL);
  MustSucceed(linux_.Bind(*a_, fd, Inet(*a_, "10.0.0.1", 20018), 16));
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.0.0.1", 81), 16), kEACCES);
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.9.9.9", 20013), 16), kEADDRNOTAVAIL);
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.0.0.1", 20019), 16), kEINVAL);
  ExpectErrno(linux_.Bind(*a_, fd, Inet(*a_, "10.0.0.1", 20019), 15), kEINVAL);
}

// D2, D2b, D2c: on loopback a non-blocking connect has finished its handshake when it returns
// EINPROGRESS; the next connect returns 0, the one after EISCONN.
TEST_F(LinuxMeasured, D2NonblockingLoopbackConnectCompletesAtOnce) {
  const int lfd = Listener(*a_, "127.0.0.1", 20030);
  (void)lfd;
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream | kSockNonblock, 0));
  const auto to = Inet(*a_, "127.0.0.1", 20030);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEINPROGRESS);
  EXPECT_TRUE(linux_.Connect(*a_, fd, to, 16).succeeded());
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEISCONN);
}

// D2p, D2q, D2r: refused non-blocking connect; the next connect reports ECONNREFUSED, the one
// after starts a new attempt.
TEST_F(LinuxMeasured, D2qRefusedNonblockingConnectReportedByNextConnect) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream | kSockNonblock, 0));
  const auto to = Inet(*a_, "127.0.0.1", 20031);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEINPROGRESS);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kECONNREFUSED);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEINPROGRESS);
}

// D2s: when SO_ERROR already took the refusal, the next connect says ECONNABORTED.
TEST_F(LinuxMeasured, D2sConnectAfterSoErrorReadIsEconnaborted) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream | kSockNonblock, 0));
  const auto to = Inet(*a_, "127.0.0.1", 20032);
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kEINPROGRESS);
  const auto val = Buffer(*a_, 4);
  const auto len = Len(*a_, 4);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolSocket, kSoError, val, len));
  EXPECT_EQ(*a_->memory().ReadU32(val), static_cast<std::uint32_t>(kECONNREFUSED));
  ExpectErrno(linux_.Connect(*a_, fd, to, 16), kECONNABORTED);
}

// D3, D5f, D5g: connect on a listener is EISCONN; AF_UNSPEC stops it; accept is then EINVAL.
TEST_F(LinuxMeasured, D5fUnspecStopsListener) {
  const int lfd = Listener(*a_, "127.0.0.1", 20033);
  ExpectErrno(linux_.Connect(*a_, lfd, Inet(*a_, "127.0.0.1", 20033), 16), kEISCONN);
  const auto unspec = Place(*a_, std::vector<std::uint8_t>(16, 0));
  EXPECT_TRUE(linux_.Connect(*a_, lfd, unspec, 16).succeeded());
  ExpectErrno(linux_.Accept(*a_, lfd, 0, 0), kEINVAL);
  const Name name = Sock(*a_, lfd);
  EXPECT_EQ(name.bytes, InetBytes("127.0.0.1", 20033));
}

// D6: connecting to 0.0.0.0 reaches this host's 127.0.0.1.
TEST_F(LinuxMeasured, D6ConnectToAnyAddressMeansLoopback) {
  (void)Listener(*a_, "0.0.0.0", 20034);
  const int fd = Tcp(*this, *a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "0.0.0.0", 20034), 16));
  EXPECT_EQ(Peer(*a_, fd).bytes, InetBytes("127.0.0.1", 20034));
}

// E5d: accept with a negative length fails with EINVAL and the connection is used up: the
// client reads the end of the stream.
TEST_F(LinuxMeasured, E5dAcceptWithNegativeLengthLosesConnection) {
  const int lfd = Listener(*a_, "127.0.0.1", 20035);
  const int cfd = Tcp(*this, *a_);
  MustSucceed(linux_.Connect(*a_, cfd, Inet(*a_, "127.0.0.1", 20035), 16));
  const auto len = Len(*a_, 0xffffffffu);
  ExpectErrno(linux_.Accept(*a_, lfd, Buffer(*a_), len), kEINVAL);
  EXPECT_EQ(ReadLen(*a_, len), 0xffffffffu);
  const int nb = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  (void)nb;
  const auto buf = Buffer(*a_, 8);
  EXPECT_EQ(linux_.Recvfrom(*a_, cfd, buf, 8, 0, 0, 0), CallResult::Success(0));
}

// F5, F5b, F5e: after the peer's FIN our send still succeeds; the peer's RST (we were in
// CLOSE-WAIT) turns into EPIPE, and a recv first reads 0.
TEST_F(LinuxMeasured, F5SendAfterPeerCloseThenEpipe) {
  const auto [cfd, sfd] = ConnectedTcp();
  MustSucceed(linux_.Close(*b_, sfd));
  world_.RunUntilIdle();
  const auto byte = Place(*a_, {'x'});
  EXPECT_EQ(linux_.Sendto(*a_, cfd, byte, 1, kMsgNosignal, 0, 0).value, 1);
  world_.RunUntilIdle();
  ExpectErrno(linux_.Getpeername(*a_, cfd, Buffer(*a_), Len(*a_, 16)), kENOTCONN);
  EXPECT_EQ(linux_.Recvfrom(*a_, cfd, Buffer(*a_, 4), 4, 0, 0, 0).value, 0);
  ExpectErrno(linux_.Sendto(*a_, cfd, byte, 1, kMsgNosignal, 0, 0), kEPIPE);
}

// H-series: abstract names belong to one socket type.
TEST_F(LinuxMeasured, AbstractNamesArePerSocketType) {
  const std::vector<std::uint8_t> name = {1, 0, 0, 'n', 'm'};  // AF_UNIX, "\0nm"
  const int stream = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  const int dgram = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  MustSucceed(linux_.Bind(*a_, stream, Place(*a_, name), 5));
  MustSucceed(linux_.Bind(*a_, dgram, Place(*a_, name), 5));
  const int other_dgram = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  ExpectErrno(linux_.Bind(*a_, other_dgram, Place(*a_, name), 5), kEADDRINUSE);
  // A stream connect to a name only a datagram socket holds is refused, not EPROTOTYPE.
  const std::vector<std::uint8_t> dname = {1, 0, 0, 'd', 'g'};
  MustSucceed(linux_.Bind(*a_, other_dgram, Place(*a_, dname), 5));
  const int client = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  ExpectErrno(linux_.Connect(*a_, client, Place(*a_, dname), 5), kECONNREFUSED);
}

// H-series: a datagram receiver holds max_dgram_qlen + 1 = 11 datagrams, then EAGAIN.
TEST_F(LinuxMeasured, UnixDatagramQueueHoldsElevenThenEagain) {
  const int rx = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram, 0));
  MustSucceed(linux_.Bind(*a_, rx, UnixPath(*a_, "rx.sock"), 10));
  const int tx = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockDgram | kSockNonblock, 0));
  const auto byte = Place(*a_, {'x'});
  const auto to = UnixPath(*a_, "rx.sock");
  for (int i = 0; i < 11; ++i) {
    SCOPED_TRACE(i);
    ASSERT_EQ(linux_.Sendto(*a_, tx, byte, 1, 0, to, 10).value, 1);
  }
  ExpectErrno(linux_.Sendto(*a_, tx, byte, 1, 0, to, 10), kEAGAIN);
}

// A10: socketpair(AF_INET) fails with EOPNOTSUPP but has already written {3, 4} to sv.
TEST_F(LinuxMeasured, A10InetSocketpairWritesDescriptorsThenFails) {
  for (int i = 0; i < 3; ++i) (void)linux_.Open(*a_, "/dev/null");
  const auto sv = Place(*a_, std::vector<std::uint8_t>(8, 0xff));
  ExpectErrno(linux_.Socketpair(*a_, kAfInet, kSockStream, 0, sv), kEOPNOTSUPP);
  EXPECT_EQ(*a_->memory().ReadU32(sv), 3u);
  EXPECT_EQ(*a_->memory().ReadU32(sv + 4), 4u);
  EXPECT_EQ(a_->fds().Lookup(3), nullptr);
}

// I-series: unknown levels differ by family; SO_ERROR with length 0 still clears the error;
// SO_PEERCRED with length 4 returns only the pid.
TEST_F(LinuxMeasured, GetsockoptLevelsAndShortLengths) {
  const int v4 = Tcp(*this, *a_);
  const int v6 = MustSucceed(linux_.Socket(*a_, kAfInet6, kSockStream, 0));
  const int ux = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  for (auto [fd, err] : {std::pair{v4, kEOPNOTSUPP}, {v6, kENOPROTOOPT}, {ux, kEOPNOTSUPP}}) {
    ExpectErrno(linux_.Getsockopt(*a_, fd, 12345, 1, Buffer(*a_, 4), Len(*a_, 4)), err);
  }
  ExpectErrno(linux_.Getsockopt(*a_, v4, kSolSocket, 9999, Buffer(*a_, 4), Len(*a_, 4)),
              kENOPROTOOPT);

  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream | kSockNonblock, 0));
  ExpectErrno(linux_.Connect(*a_, fd, Inet(*a_, "127.0.0.1", 20036), 16), kEINPROGRESS);
  const auto zero = Len(*a_, 0);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolSocket, kSoError, Buffer(*a_, 4), zero));
  EXPECT_EQ(ReadLen(*a_, zero), 0u);
  const auto val = Buffer(*a_, 4);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolSocket, kSoError, val, Len(*a_, 4)));
  EXPECT_EQ(*a_->memory().ReadU32(val), 0u);  // already cleared by the zero-length read

  const auto sv = a_->memory().Allocate(8);
  MustSucceed(linux_.Socketpair(*a_, kAfUnix, kSockStream, 0, sv));
  const auto cred = Buffer(*a_, 12);
  const auto four = Len(*a_, 4);
  MustSucceed(linux_.Getsockopt(*a_, static_cast<int>(*a_->memory().ReadU32(sv)), kSolSocket,
                                kSoPeercred, cred, four));
  EXPECT_EQ(ReadLen(*a_, four), 4u);
  EXPECT_EQ(*a_->memory().ReadU32(cred), 100u);
  EXPECT_EQ(Read(*a_, cred + 4, 4), std::vector<std::uint8_t>(4, 0xAA));
}

}  // namespace
}  // namespace socksim::testing

namespace socksim::testing {
namespace {

// Link loss (sim::LinkFaults): a SYN lost on a link that drops everything is retransmitted
// until tcp_syn_retries is exhausted, and the connect times out (RFC 6298; tcp_syn_retries).
TEST_F(LinuxMeasured, LossyLinkMakesConnectTimeOut) {
  (void)Listener(*b_, "10.0.0.2", 80);
  world_.topology().SetLinkFaults(sim::LinkId{0}, sim::LinkFaults{.loss = sim::Ratio{1, 1}});
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  const sim::Instant before = world_.now();
  ExpectErrno(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 80), 16), kETIMEDOUT);
  // 1 + 2 + 4 + 8 + 16 + 32 + 64 seconds of retransmission timers.
  EXPECT_EQ((world_.now() - before).ns, sim::Duration::Seconds(127).ns);
  EXPECT_GT(stack_.packets_dropped(), 6u);
}

}  // namespace
}  // namespace socksim::testing
