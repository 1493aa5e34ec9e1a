// File: tests/stack/linux/getpeername_test.cc
// getpeername(2), one test per seed clause (ids from shared/reference/seed-clauses.md), plus the
// check order and the kernel-version difference of move_addr_to_user. Expected values were
// measured on Linux 6.18.44 (shared/reference/linux.md, docs/semantics/linux-measured.md).
#include <gtest/gtest.h>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

using LinuxGetpeername = LinuxFixture;

// LNX-1, LNX-5, LNX-13: a connected stream socket reports its peer, on both sides.
TEST_F(LinuxGetpeername, Lnx1ReturnsPeerOfConnectedStreamBothSides) {
  const auto [cfd, sfd] = ConnectedTcp();
  const auto buf = Buffer(*a_);
  const auto len = Len(*a_, 128);
  const CallResult r = linux_.Getpeername(*a_, cfd, buf, len);
  EXPECT_EQ(r, CallResult::Success(0));
  EXPECT_EQ(Read(*a_, buf, 16), InetBytes("10.0.0.2", 80));
  EXPECT_EQ(ReadLen(*a_, len), 16u);  // LNX-2: the actual size
  const auto sbuf = Buffer(*b_);
  const auto slen = Len(*b_, 128);
  ASSERT_TRUE(linux_.Getpeername(*b_, sfd, sbuf, slen).succeeded());
  const auto client_name = Buffer(*a_);
  const auto client_len = Len(*a_, 128);
  ASSERT_TRUE(linux_.Getsockname(*a_, cfd, client_name, client_len).succeeded());
  // The server sees exactly the client's own name.
  EXPECT_EQ(Read(*b_, sbuf, 16), Read(*a_, client_name, 16));
}

// LNX-2, LNX-3, LNX-4: a short buffer gets a truncated copy and the full length back; bytes
// past the supplied length are untouched.
TEST_F(LinuxGetpeername, Lnx3TruncatesAndLnx4ReportsFullLength) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  const auto buf = Buffer(*a_);
  const auto len = Len(*a_, 8);
  ASSERT_TRUE(linux_.Getpeername(*a_, cfd, buf, len).succeeded());
  const auto full = InetBytes("10.0.0.2", 80);
  const auto got = Read(*a_, buf, 16);
  EXPECT_EQ(std::vector<std::uint8_t>(got.begin(), got.begin() + 8),
            std::vector<std::uint8_t>(full.begin(), full.begin() + 8));
  EXPECT_EQ(got[8], 0xAA);
  EXPECT_EQ(ReadLen(*a_, len), 16u);
}

// LNX-2: a zero length touches no buffer (NULL is fine) and still reports the size.
TEST_F(LinuxGetpeername, Lnx2ZeroLengthTouchesNoBuffer) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  const auto len = Len(*a_, 0);
  EXPECT_TRUE(linux_.Getpeername(*a_, cfd, 0, len).succeeded());
  EXPECT_EQ(ReadLen(*a_, len), 16u);
}

// LNX-6, LNX-7: EBADF for never-opened, closed and negative descriptors, and for O_PATH.
TEST_F(LinuxGetpeername, Lnx7EbadfForInvalidDescriptors) {
  const auto buf = Buffer(*a_);
  const auto len = Len(*a_, 128);
  ExpectErrno(linux_.Getpeername(*a_, -1, buf, len), kEBADF);
  ExpectErrno(linux_.Getpeername(*a_, 999, buf, len), kEBADF);
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Close(*a_, fd));
  ExpectErrno(linux_.Getpeername(*a_, fd, buf, len), kEBADF);
  const int opath = MustSucceed(linux_.Open(*a_, "sock", /*path_only=*/true));
  ExpectErrno(linux_.Getpeername(*a_, opath, buf, len), kEBADF);
  EXPECT_EQ(ReadLen(*a_, len), 128u);
}

// LNX-12: ENOTSOCK for a descriptor that is not a socket (LTP getpeername01 case 2).
TEST_F(LinuxGetpeername, Lnx12EnotsockForNonSocket) {
  const int fd = MustSucceed(linux_.Open(*a_, "/dev/null"));
  ExpectErrno(linux_.Getpeername(*a_, fd, Buffer(*a_), Len(*a_, 16)), kENOTSOCK);
}

// LNX-11: ENOTCONN for an unconnected TCP socket bound to 0.0.0.0:0 (LTP case 3), a listener,
// and an unconnected UDP socket.
TEST_F(LinuxGetpeername, Lnx11EnotconnWhenNotConnected) {
  const int tcp = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Bind(*a_, tcp, Inet(*a_, "0.0.0.0", 0), 16));
  ExpectErrno(linux_.Getpeername(*a_, tcp, Buffer(*a_), Len(*a_, 16)), kENOTCONN);
  const int lfd = Listener(*b_, "10.0.0.2", 80);
  ExpectErrno(linux_.Getpeername(*b_, lfd, Buffer(*b_), Len(*b_, 16)), kENOTCONN);
  const int udp = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  ExpectErrno(linux_.Getpeername(*a_, udp, Buffer(*a_), Len(*a_, 16)), kENOTCONN);
}

// LNX-9: EINVAL for a negative length (LTP case 4), *addrlen unchanged.
TEST_F(LinuxGetpeername, Lnx9EinvalForNegativeLength) {
  const auto sv = a_->memory().Allocate(8);
  MustSucceed(linux_.Socketpair(*a_, kAfUnix, kSockStream, 0, sv));
  const int fd = static_cast<int>(*a_->memory().ReadU32(sv));
  for (std::uint32_t bad : {0xffffffffu, 0x80000000u}) {
    SCOPED_TRACE(bad);
    const auto len = Len(*a_, bad);
    ExpectErrno(linux_.Getpeername(*a_, fd, Buffer(*a_), len), kEINVAL);
    EXPECT_EQ(ReadLen(*a_, len), bad);
  }
}

// LNX-8: EFAULT for an unwritable address (LTP case 5); on 6.18 *addrlen is already updated.
TEST_F(LinuxGetpeername, Lnx8EfaultForBadAddressUpdatesLengthOn618) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  const auto len = Len(*a_, 16);
  ExpectErrno(linux_.Getpeername(*a_, cfd, 0xffffffffffffffffULL, len), kEFAULT);
  EXPECT_EQ(ReadLen(*a_, len), 16u);
  const auto len2 = Len(*a_, 128);
  ExpectErrno(linux_.Getpeername(*a_, cfd, 0, len2), kEFAULT);  // NULL addr, even connected
  EXPECT_EQ(ReadLen(*a_, len2), 16u);
}

// LNX-8, LNX-18: EFAULT for a NULL or unmapped addrlen (LTP cases 6 and 7); a read-only addrlen
// is EFAULT with the buffer untouched (6.18 writes the length first).
TEST_F(LinuxGetpeername, Lnx18EfaultForBadLengthPointer) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  ExpectErrno(linux_.Getpeername(*a_, cfd, Buffer(*a_), 0), kEFAULT);
  ExpectErrno(linux_.Getpeername(*a_, cfd, Buffer(*a_), 1), kEFAULT);
  const auto ro = a_->memory().Allocate(4, sim::Protection::kReadWrite);
  ASSERT_TRUE(a_->memory().WriteU32(ro, 128));
  ASSERT_TRUE(a_->memory().Protect(ro, sim::Protection::kRead));
  const auto buf = Buffer(*a_);
  ExpectErrno(linux_.Getpeername(*a_, cfd, buf, ro), kEFAULT);
  EXPECT_EQ(Read(*a_, buf, 16), std::vector<std::uint8_t>(16, 0xAA));
}

// Check order (linux.md 1.1): EBADF before ENOTSOCK before ENOTCONN before any user memory.
TEST_F(LinuxGetpeername, EnotconnBeatsBadPointersAndNegativeLength) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  ExpectErrno(linux_.Getpeername(*a_, fd, 0, 0), kENOTCONN);
  ExpectErrno(linux_.Getpeername(*a_, fd, Buffer(*a_), Len(*a_, 0xffffffffu)), kENOTCONN);
  ExpectErrno(linux_.Getpeername(*a_, 77, 0, 0), kEBADF);
}

// LNX-10: ENOBUFS is reachable through the world's fault point, and only while armed.
TEST_F(LinuxGetpeername, Lnx10EnobufsThroughFaultInjection) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  world_.faults().Arm("linux.getpeername.nobufs", sim::FaultRule{.times = 1});
  ExpectErrno(linux_.Getpeername(*a_, cfd, Buffer(*a_), Len(*a_, 16)), kENOBUFS);
  EXPECT_TRUE(linux_.Getpeername(*a_, cfd, Buffer(*a_), Len(*a_, 16)).succeeded());
}

// LNX-14, LNX-15: connect on a datagram socket sets the peer that getpeername reports.
TEST_F(LinuxGetpeername, Lnx15DatagramConnectSetsPeer) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 53), 16));
  const auto buf = Buffer(*a_);
  const auto len = Len(*a_, 128);
  ASSERT_TRUE(linux_.Getpeername(*a_, fd, buf, len).succeeded());
  EXPECT_EQ(Read(*a_, buf, 16), InetBytes("10.0.0.2", 53));
  EXPECT_EQ(ReadLen(*a_, len), 16u);
}

// LNX-16: the datagram peer is unaware of the association.
TEST_F(LinuxGetpeername, Lnx16DatagramPeerIsUnaware) {
  const int server = MustSucceed(linux_.Socket(*b_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Bind(*b_, server, Inet(*b_, "10.0.0.2", 53), 16));
  const int client = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Connect(*a_, client, Inet(*a_, "10.0.0.2", 53), 16));
  ExpectErrno(linux_.Getpeername(*b_, server, Buffer(*b_), Len(*b_, 16)), kENOTCONN);
}

// LNX-17: the receiver learns the sender's address from recvfrom.
TEST_F(LinuxGetpeername, Lnx17RecvfromGivesSenderAddress) {
  const int server = MustSucceed(linux_.Socket(*b_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Bind(*b_, server, Inet(*b_, "10.0.0.2", 53), 16));
  const int client = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Bind(*a_, client, Inet(*a_, "10.0.0.1", 5353), 16));
  const auto payload = Place(*a_, {'h', 'i'});
  ASSERT_EQ(linux_.Sendto(*a_, client, payload, 2, 0, Inet(*a_, "10.0.0.2", 53), 16).value, 2);
  const auto data = Buffer(*b_, 8);
  const auto from = Buffer(*b_);
  const auto fromlen = Len(*b_, 128);
  const CallResult r = linux_.Recvfrom(*b_, server, data, 8, 0, from, fromlen);
  ASSERT_EQ(r.value, 2);
  EXPECT_EQ(Read(*b_, from, 16), InetBytes("10.0.0.1", 5353));
  EXPECT_EQ(ReadLen(*b_, fromlen), 16u);
}

// Kernel versions: up to 6.17 a bad address left *addrlen unchanged (linux.md 1.2).
class LinuxGetpeername617 : public LinuxFixture {
 protected:
  LinuxGetpeername617() : LinuxFixture(1, KernelVersion{6, 17}) {}
};

TEST_F(LinuxGetpeername617, EfaultLeavesLengthUnchangedBefore618) {
  const auto [cfd, sfd] = ConnectedTcp();
  (void)sfd;
  const auto len = Len(*a_, 128);
  ExpectErrno(linux_.Getpeername(*a_, cfd, 0, len), kEFAULT);
  EXPECT_EQ(ReadLen(*a_, len), 128u);
  // A read-only length faults only after the address was copied.
  const auto ro = a_->memory().Allocate(4);
  ASSERT_TRUE(a_->memory().WriteU32(ro, 128));
  ASSERT_TRUE(a_->memory().Protect(ro, sim::Protection::kRead));
  const auto buf = Buffer(*a_);
  ExpectErrno(linux_.Getpeername(*a_, cfd, buf, ro), kEFAULT);
  EXPECT_EQ(Read(*a_, buf, 16), InetBytes("10.0.0.2", 80));
}

TEST(KernelVersion, ParsesAndOrdersReleases) {
  EXPECT_EQ(KernelVersion::Parse("6.18.44"), (KernelVersion{6, 18}));
  EXPECT_EQ(KernelVersion::Parse("5.4"), (KernelVersion{5, 4}));
  EXPECT_FALSE(KernelVersion::Parse("6"));
  EXPECT_FALSE(KernelVersion::Parse("6.x"));
  EXPECT_TRUE((KernelVersion{6, 18}).WritesLengthBeforeAddress());
  EXPECT_FALSE((KernelVersion{6, 17}).WritesLengthBeforeAddress());
}

// The same seed and steps give the same ephemeral ports; another seed changes them.
std::vector<std::uint8_t> ClientName(std::uint64_t seed) {
  struct Probe : LinuxFixture {
    explicit Probe(std::uint64_t s) : LinuxFixture(s) {}
    void TestBody() override {}
  } probe(seed);
  const auto [cfd, sfd] = probe.ConnectedTcp();
  (void)sfd;
  const auto buf = probe.Buffer(*probe.a_);
  const auto len = probe.Len(*probe.a_, 128);
  EXPECT_TRUE(probe.linux_.Getsockname(*probe.a_, cfd, buf, len).succeeded());
  return probe.Read(*probe.a_, buf, 16);
}

TEST(LinuxDeterminism, SameSeedSamePortsOtherSeedOtherPorts) {
  EXPECT_EQ(ClientName(7), ClientName(7));
  EXPECT_NE(ClientName(7), ClientName(8));
}

}  // namespace
}  // namespace socksim::testing
