// File: tests/stack/illumos/pipes_test.cc
// Pipes, FIFOs, fattach and connld (ILL-21; rows 5-8): the end connld sends to the server is
// tagged with the opener's credential and pid at open(); the opener's end is not; I_SENDFD /
// I_RECVFD carry the sender's effective ids in struct strrecvfd.
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

class IllumosPipes : public IllumosFixture {
 public:
  /// pipe() in `t`: {fds[0], fds[1]}.
  std::pair<Fd, Fd> MakePipe(sim::Thread& t) {
    const auto fds = U64(t, 0);
    EXPECT_TRUE(os_.Pipe(t, fds).succeeded());
    return {static_cast<Fd>(ReadU32(t, fds)), static_cast<Fd>(ReadU32(t, fds + 4))};
  }
  /// I_RECVFD into a fresh strrecvfd; {result, fd, uid, gid}.
  struct Received {
    CallResult result;
    std::uint32_t fd = 0, uid = 0, gid = 0;
  };
  Received RecvFd(sim::Thread& t, Fd on) {
    const auto rec = Place(t, Bytes(kStrrecvfdSize, 0xAA));
    Received r;
    r.result = os_.Ioctl(t, on, kIRecvfd, rec);
    r.fd = ReadU32(t, rec);
    r.uid = ReadU32(t, rec + 4);
    r.gid = ReadU32(t, rec + 8);
    return r;
  }
  /// The usual connld server in 100: a pipe whose fds[1] has connld and is attached at
  /// /tmp/svc; returns fds[0], where the opened ends arrive.
  Fd ConnldServer() {
    const auto [server, attached] = MakePipe(A());
    EXPECT_TRUE(os_.Ioctl(A(), attached, kIPush, Text(A(), "connld")).succeeded());
    EXPECT_TRUE(os_.Open(A(), "/tmp/svc", kORdwr | kOCreat, 0600).succeeded());
    EXPECT_TRUE(os_.Fattach(A(), attached, "/tmp/svc").succeeded());
    return server;
  }
};

TEST_F(IllumosPipes, Ill21ConnldServerEndReportsTheOpenerAtOpenRow07) {
  const Fd server = ConnldServer();
  const Fd client = Must(os_.Open(A2(), "/tmp/svc", kORdwr, 0));
  a2_->set_credentials(sim::Credentials::Of(9999, 9999));  // after open(): not reported
  const Received got = RecvFd(A(), server);
  ASSERT_TRUE(got.result.succeeded()) << Describe(got.result);
  EXPECT_EQ(got.uid, 2000u);
  EXPECT_EQ(got.gid, 20u);
  ExpectPeer(A(), static_cast<Fd>(got.fd), 101, 2000);
  (void)client;
}

TEST_F(IllumosPipes, Ill17ConnldOpenersOwnEndIsEnotsupRow08) {
  (void)ConnldServer();
  const Fd client = Must(os_.Open(A2(), "/tmp/svc", kORdwr, 0));
  ExpectPeerErrno(A2(), client, kENOTSUP);
}

TEST_F(IllumosPipes, AttachedNameWithoutConnldIsThePipeEndItself) {
  const auto [server, attached] = MakePipe(A());
  ASSERT_TRUE(os_.Open(A(), "/tmp/plain", kORdwr | kOCreat, 0600).succeeded());
  ASSERT_TRUE(os_.Fattach(A(), attached, "/tmp/plain").succeeded());
  const Fd opened = Must(os_.Open(A2(), "/tmp/plain", kORdwr, 0));
  ExpectPeerErrno(A2(), opened, kENOTSUP);
  EXPECT_ERRNO(os_.Fattach(A(), attached, "/tmp/plain"), kEBUSY);
  ASSERT_TRUE(os_.Fdetach(A(), "/tmp/plain").succeeded());
  EXPECT_ERRNO(os_.Fdetach(A(), "/tmp/plain"), kEINVAL);
  (void)server;
}

TEST_F(IllumosPipes, SendfdAndRecvfdCarryTheSendersIds) {
  const auto [r, w] = MakePipe(A());
  const Fd sock = Sock(A(), kAfUnix, kSockStream);
  ASSERT_TRUE(os_.Ioctl(A(), w, kISendfd, static_cast<sim::UserAddress>(sock)).succeeded());
  const Received got = RecvFd(A(), r);
  ASSERT_TRUE(got.result.succeeded());
  EXPECT_EQ(got.uid, 1000u);
  EXPECT_EQ(got.gid, 10u);
  EXPECT_NE(got.fd, static_cast<std::uint32_t>(sock));
  EXPECT_ERRNO(os_.Ioctl(A(), w, kISendfd, 77), kEBADF);
  EXPECT_TRUE(RecvFd(A(), r).result.blocked());
  ASSERT_TRUE(os_.Fcntl(A(), r, kFSetfl, kONonblock).succeeded());
  EXPECT_ERRNO(RecvFd(A(), r).result, kEAGAIN);
}

TEST_F(IllumosPipes, StreamsIoctlsNeedAStream) {
  const auto [r, w] = MakePipe(A());
  EXPECT_ERRNO(os_.Ioctl(A(), r, kIPush, Text(A(), "nosuchmod")), kEINVAL);
  EXPECT_ERRNO(os_.Ioctl(A(), r, kIPop, 0), kEINVAL);
  ASSERT_TRUE(os_.Ioctl(A(), r, kIPush, Text(A(), "connld")).succeeded());
  EXPECT_TRUE(os_.Ioctl(A(), r, kIPop, 0).succeeded());
  EXPECT_ERRNO(
      os_.Ioctl(A(), Must(os_.Open(A(), "/dev/null", kORdwr, 0)), kIPush, Text(A(), "timod")),
      kENOTTY);
  EXPECT_ERRNO(os_.Ioctl(A(), 60, kIPop, 0), kEBADF);
  (void)w;
}

TEST_F(IllumosPipes, FilesAndFifosByName) {
  EXPECT_ERRNO(os_.Open(A(), "/tmp/none", kORdonly, 0), kENOENT);
  ASSERT_TRUE(os_.Mkfifo(A(), "/tmp/f", 0600).succeeded());
  EXPECT_ERRNO(os_.Mkfifo(A(), "/tmp/f", 0600), kEEXIST);
  EXPECT_ERRNO(os_.Open(A(), "/tmp", kORdwr, 0), kEISDIR);
  EXPECT_ERRNO(os_.Open(A(), "/tmp/f", kORdwr | kOCreat | kOExcl, 0600), kEEXIST);
  EXPECT_TRUE(os_.AddPath(a_node_, "/var", true));
  EXPECT_FALSE(os_.AddPath(a_node_, "/var", false));
  EXPECT_ERRNO(os_.Open(A(), "/var", kOWronly, 0), kEISDIR);
  EXPECT_TRUE(os_.AddPath(a_node_, "/etc/passwd", false));
  ExpectPeerErrno(A(), Must(os_.Open(A(), "/etc/passwd", kORdonly, 0)), kENOTSUP);
  // The name space is per host.
  EXPECT_ERRNO(os_.Open(B(), "/tmp/f", kORdwr, 0), kENOENT);
}

}  // namespace
}  // namespace socksim::testing
