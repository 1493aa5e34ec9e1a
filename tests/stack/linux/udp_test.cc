// File: tests/stack/linux/udp_test.cc
// UDP association and addressing through the Linux personality (linux.md 1.3 and 1.5),
// checked against the local kernel in a loopback-only network namespace where unsure.

#include <cstdint>
#include <string>
#include <vector>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

class LinuxUdpTest : public LinuxFixture {
 protected:
  int Udp(sim::Process& p) { return MustSucceed(linux_.Socket(p, kAfInet, kSockDgram, 0)); }
  int BoundUdp(sim::Process& p, const std::string& ip, std::uint16_t port) {
    const int fd = Udp(p);
    MustSucceed(linux_.Bind(p, fd, Inet(p, ip, port), 16));
    return fd;
  }
  CallResult Send(sim::Process& p, int fd, const std::string& data) {
    const auto buf = Place(p, std::vector<std::uint8_t>(data.begin(), data.end()));
    return linux_.Sendto(p, fd, buf, data.size(), 0, 0, 0);
  }
  CallResult SendTo(sim::Process& p, int fd, const std::string& data, const std::string& ip,
                    std::uint16_t port) {
    const auto buf = Place(p, std::vector<std::uint8_t>(data.begin(), data.end()));
    return linux_.Sendto(p, fd, buf, data.size(), 0, Inet(p, ip, port), 16);
  }
  /// A non-blocking receive; the payload in `data` when it succeeded.
  CallResult Recv(sim::Process& p, int fd, std::string* data = nullptr) {
    const auto buf = Buffer(p, 64);
    const CallResult r = linux_.Recvfrom(p, fd, buf, 64, kMsgDontwait, 0, 0);
    if (data != nullptr && r.succeeded() && r.value > 0) {
      const auto bytes = Read(p, buf, static_cast<std::size_t>(r.value));
      data->assign(bytes.begin(), bytes.end());
    }
    return r;
  }
};

// LNX-14, LNX-15: connect() sets the default peer; getpeername reports it in 16 bytes.
TEST_F(LinuxUdpTest, ConnectSetsPeer) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 53), 16));
  const Name peer = Peer(*a_, fd);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.length, 16u);
  EXPECT_EQ(peer.bytes, InetBytes("10.0.0.2", 53));
  // The connect autobound a port and chose the source address (__ip4_datagram_connect).
  const Name self = Sock(*a_, fd);
  ASSERT_EQ(self.length, 16u);
  const auto port = static_cast<std::uint16_t>((self.bytes[2] << 8) | self.bytes[3]);
  EXPECT_NE(port, 0);
  EXPECT_EQ(self.bytes, InetBytes("10.0.0.1", port));
}

// LNX-15, linux.md 1.5: a second connect replaces the peer.
TEST_F(LinuxUdpTest, ReconnectReplacesPeer) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 53), 16));
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 54), 16));
  const Name peer = Peer(*a_, fd);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.bytes, InetBytes("10.0.0.2", 54));
}

// linux.md 1.5 (__udp_disconnect): AF_UNSPEC dissolves the association; an autobound port and
// the chosen source address are released: getsockname 0.0.0.0:0.
TEST_F(LinuxUdpTest, UnspecConnectDissolvesAssociationAndResetsAutobind) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 53), 16));
  const auto unspec = Place(*a_, std::vector<std::uint8_t>(16, 0));
  EXPECT_EQ(MustSucceed(linux_.Connect(*a_, fd, unspec, 16)), 0);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
  const Name self = Sock(*a_, fd);
  ASSERT_TRUE(self.result.succeeded());
  EXPECT_EQ(self.bytes, InetBytes("0.0.0.0", 0));
}

// linux.md 1.5: an explicitly bound port survives the disconnect.
TEST_F(LinuxUdpTest, UnspecConnectKeepsExplicitlyBoundName) {
  const int fd = BoundUdp(*a_, "10.0.0.1", 6000);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 53), 16));
  const auto unspec = Place(*a_, std::vector<std::uint8_t>(16, 0));
  MustSucceed(linux_.Connect(*a_, fd, unspec, 16));
  EXPECT_EQ(Sock(*a_, fd).bytes, InetBytes("10.0.0.1", 6000));
}

// LNX-11: sendto() with an explicit destination does not connect the socket.
TEST_F(LinuxUdpTest, SendtoWithoutConnectLeavesSocketUnconnected) {
  const int fd = Udp(*a_);
  EXPECT_EQ(MustSucceed(SendTo(*a_, fd, "hi", "10.0.0.2", 9)), 2);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// linux.md 1.3 / 1.5 (measured): connect to port 0 succeeds, but a zero destination port means
// ENOTCONN for getpeername.
TEST_F(LinuxUdpTest, ConnectToPortZeroSucceedsButHasNoPeer) {
  const int fd = Udp(*a_);
  EXPECT_EQ(MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 0), 16)), 0);
  ExpectErrno(Peer(*a_, fd).result, kENOTCONN);
}

// linux.md 1.5: 0.0.0.0 is routed to loopback and the route's destination 127.0.0.1 is stored.
TEST_F(LinuxUdpTest, ConnectToAnyAddressStoresLoopback) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "0.0.0.0", 9), 16));
  const Name peer = Peer(*a_, fd);
  ASSERT_TRUE(peer.result.succeeded());
  EXPECT_EQ(peer.bytes, InetBytes("127.0.0.1", 9));
}

// LNX-14: a connected socket only receives from its peer (udp4_lib_lookup's connected score).
TEST_F(LinuxUdpTest, ConnectedSocketFiltersOtherSenders) {
  const int server = BoundUdp(*b_, "10.0.0.2", 5000);
  MustSucceed(linux_.Connect(*b_, server, Inet(*b_, "10.0.0.1", 6000), 16));
  const int good = BoundUdp(*a_, "10.0.0.1", 6000);
  const int other = BoundUdp(*a_, "10.0.0.1", 6001);
  MustSucceed(SendTo(*a_, other, "stranger", "10.0.0.2", 5000));
  MustSucceed(SendTo(*a_, good, "peer", "10.0.0.2", 5000));
  world_.RunUntilIdle();
  std::string got;
  EXPECT_EQ(MustSucceed(Recv(*b_, server, &got)), 4);
  EXPECT_EQ(got, "peer");
  ExpectErrno(Recv(*b_, server), kEAGAIN);
}

// __udp4_lib_err: the ICMP port unreachable sets sk_err on a connected socket; the next call
// reports ECONNREFUSED once. Measured: send() -> 1, recv(MSG_DONTWAIT) -> ECONNREFUSED, then
// recv -> EAGAIN.
TEST_F(LinuxUdpTest, IcmpPortUnreachableReportedByNextRecv) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 9999), 16));
  EXPECT_EQ(MustSucceed(Send(*a_, fd, "x")), 1);
  world_.RunUntilIdle();
  ExpectErrno(Recv(*a_, fd), kECONNREFUSED);
  ExpectErrno(Recv(*a_, fd), kEAGAIN);
}

// Same mechanism, measured with send: send -> 1, (ICMP arrives), send -> ECONNREFUSED,
// send -> 1 again (the error is reported once).
TEST_F(LinuxUdpTest, IcmpPortUnreachableReportedOnceByNextSend) {
  const int fd = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "10.0.0.2", 9999), 16));
  EXPECT_EQ(MustSucceed(Send(*a_, fd, "x")), 1);
  world_.RunUntilIdle();
  ExpectErrno(Send(*a_, fd, "x"), kECONNREFUSED);
  EXPECT_EQ(MustSucceed(Send(*a_, fd, "x")), 1);
}

// LNX-17: recvfrom reports the sender's address (16 bytes, byte-exact).
TEST_F(LinuxUdpTest, RecvfromReportsSenderAddress) {
  const int server = BoundUdp(*b_, "10.0.0.2", 5000);
  const int client = BoundUdp(*a_, "10.0.0.1", 6000);
  MustSucceed(SendTo(*a_, client, "hello", "10.0.0.2", 5000));
  world_.RunUntilIdle();
  const auto buf = Buffer(*b_, 64);
  const auto src = Buffer(*b_);
  const auto srclen = Len(*b_, 128);
  EXPECT_EQ(MustSucceed(linux_.Recvfrom(*b_, server, buf, 64, kMsgDontwait, src, srclen)), 5);
  EXPECT_EQ(ReadLen(*b_, srclen), 16u);
  EXPECT_EQ(Read(*b_, src, 16), InetBytes("10.0.0.1", 6000));
}

// LNX-16: the peer of a connected datagram socket does not learn of the association.
TEST_F(LinuxUdpTest, DatagramPeerIsUnaware) {
  const int server = BoundUdp(*b_, "10.0.0.2", 5000);
  const int client = Udp(*a_);
  MustSucceed(linux_.Connect(*a_, client, Inet(*a_, "10.0.0.2", 5000), 16));
  MustSucceed(Send(*a_, client, "x"));
  world_.RunUntilIdle();
  EXPECT_EQ(MustSucceed(Recv(*b_, server)), 1);
  ExpectErrno(Peer(*b_, server).result, kENOTCONN);
}

}  // namespace
}  // namespace socksim::testing
