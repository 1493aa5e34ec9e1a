// File: tests/stack/illumos/getpeerucred_test.cc
// getpeerucred(3C): one test per row of the reference's behaviour table (a) that the
// personality models and per clause of the seed (ILL-n), named after both. The kernel's
// order is K1 (EBADF), K2 by object (ENOTSUP, pending error, ENOTCONN, EINVAL), K3 (EFAULT);
// libc allocates before anything else and frees only what it allocated.
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

class IllumosGetpeerucred : public IllumosFixture {};

// ---- K1 and the objects that can never have a peer (rows 1-6, 9, 12) ----

TEST_F(IllumosGetpeerucred, Ill12BadDescriptorIsEbadfRow01) {
  ExpectPeerErrno(A(), -1, kEBADF);
  ExpectPeerErrno(A(), 17, kEBADF);
  EXPECT_EQ(os_.Errno(A()), kEBADF);
}

TEST_F(IllumosGetpeerucred, Ill17RegularFileAndDirectoryAreEnotsupRow02) {
  const Fd file = Must(os_.Open(A(), "/tmp/data", kORdwr | kOCreat, 0600));
  const Fd dir = Must(os_.Open(A(), "/tmp", kORdonly, 0));
  ExpectPeerErrno(A(), file, kENOTSUP);
  ExpectPeerErrno(A(), dir, kENOTSUP);
}

TEST_F(IllumosGetpeerucred, Ill17DevNullIsEnotsupRow03) {
  ExpectPeerErrno(A(), Must(os_.Open(A(), "/dev/null", kORdwr, 0)), kENOTSUP);
}

TEST_F(IllumosGetpeerucred, Ill17StreamsDeviceWithoutTimodIsEnotsupRow04) {
  ExpectPeerErrno(A(), Must(os_.Open(A(), "/dev/ticotsord", kORdwr, 0)), kENOTSUP);
}

TEST_F(IllumosGetpeerucred, Ill17PipeEndsAreEnotsupRow05) {
  const auto fds = U64(A(), 0);
  ASSERT_TRUE(os_.Pipe(A(), fds).succeeded());
  ExpectPeerErrno(A(), static_cast<Fd>(ReadU32(A(), fds)), kENOTSUP);
  ExpectPeerErrno(A(), static_cast<Fd>(ReadU32(A(), fds + 4)), kENOTSUP);
}

TEST_F(IllumosGetpeerucred, Ill17NamedFifoWithoutConnldIsEnotsupRow06) {
  ASSERT_TRUE(os_.Mkfifo(A(), "/tmp/fifo", 0600).succeeded());
  ExpectPeerErrno(A(), Must(os_.Open(A(), "/tmp/fifo", kORdwr, 0)), kENOTSUP);
}

TEST_F(IllumosGetpeerucred, Ill17UdpIsEnotsupConnectedOrNotRow09) {
  const Fd u = Sock(A(), kAfInet, kSockDgram);
  ExpectPeerErrno(A(), u, kENOTSUP);
  ASSERT_TRUE(ConnectTo(A(), u, In4("10.0.0.2", 53)).succeeded());
  ExpectPeerErrno(A(), u, kENOTSUP);
}

TEST_F(IllumosGetpeerucred, UdpPendingIcmpErrorIsReportedOnceThenEnotsupRow10) {
  const Fd u = Sock(A(), kAfInet, kSockDgram);
  ASSERT_TRUE(ConnectTo(A(), u, In4("127.0.0.1", 9)).succeeded());
  ASSERT_TRUE(SendText(A(), u, "x").succeeded());
  world_.RunUntilIdle();
  ExpectPeerErrno(A(), u, kECONNREFUSED);
  ExpectPeerErrno(A(), u, kENOTSUP);
}

// icmp.c and rts.c sockets are SM_ATOMIC: socket_ioctl_common() -> ENOTSUP. Opening a raw
// IP socket needs net_icmpaccess (icmp.c rawip_do_open -> secpolicy_net_icmpaccess: EACCES);
// a routing socket needs no privilege (rts.c rts_open).
TEST_F(IllumosGetpeerucred, Ill17RawAndRoutingSocketsAreEnotsupRow11) {
  EXPECT_ERRNO(os_.Socket(A(), kAfInet, kSockRaw, kIpprotoIcmp), kEACCES);
  a_->set_credentials(sim::Credentials::Of(0, 0));
  const Fd raw = Must(os_.Socket(A(), kAfInet, kSockRaw, kIpprotoIcmp));
  const Fd raw6 = Must(os_.Socket(A(), kAfInet6, kSockRaw, kIpprotoIcmp));
  ExpectPeerErrno(A(), raw, kENOTSUP);
  ExpectPeerErrno(A(), raw6, kENOTSUP);
  a2_->set_credentials(sim::Credentials::Of(2000, 20));
  const Fd route = Must(os_.Socket(A2(), kAfRoute, kSockRaw, 0));
  ExpectPeerErrno(A2(), route, kENOTSUP);
  EXPECT_ERRNO(os_.Socket(A2(), kAfRoute, kSockDgram, 0), kEPROTONOSUPPORT);
  EXPECT_ERRNO(os_.Listen(A2(), route, 5), kEOPNOTSUPP);
  ASSERT_TRUE(os_.Close(A2(), route).succeeded());
  ExpectPeerErrno(A2(), route, kEBADF);
  ASSERT_TRUE(os_.Close(A(), raw).succeeded());
}

TEST_F(IllumosGetpeerucred, Ill17UnixDatagramEvenPairedIsEnotsupRow12) {
  const auto sv = U64(A(), 0);
  ASSERT_TRUE(os_.Socketpair(A(), kAfUnix, kSockDgram, 0, sv).succeeded());
  ExpectPeerErrno(A(), static_cast<Fd>(ReadU32(A(), sv)), kENOTSUP);
}

// ---- not connected (rows 13-17) ----

TEST_F(IllumosGetpeerucred, Ill16NeverConnectedIsEnotconnRow13) {
  ExpectPeerErrno(A(), Sock(A(), kAfInet, kSockStream), kENOTCONN);
  ExpectPeerErrno(A(), Sock(A(), kAfInet6, kSockStream), kENOTCONN);
  ExpectPeerErrno(A(), Sock(A(), kAfUnix, kSockStream), kENOTCONN);
}

TEST_F(IllumosGetpeerucred, Ill16ListenerIsEnotconnEvenWithQueuedConnectionsRow14) {
  const Fd tcp = Listener(A(), kAfInet, kSockStream, In4("127.0.0.1", 8080));
  const Fd unix_listener = Listener(A(), kAfUnix, kSockStream, Un("/tmp/l"));
  ExpectPeerErrno(A(), tcp, kENOTCONN);
  const Fd c = Sock(A2(), kAfUnix, kSockStream);
  ASSERT_TRUE(ConnectTo(A2(), c, Un("/tmp/l")).succeeded());
  ExpectPeerErrno(A(), unix_listener, kENOTCONN);
}

TEST_F(IllumosGetpeerucred, Ill16ConnectInProgressIsEnotconnRow15) {
  const Fd c = Sock(A(), kAfInet, kSockStream | kSockNonblock);
  EXPECT_ERRNO(ConnectTo(A(), c, In4("10.0.0.2", 8080)), kEINPROGRESS);
  ExpectPeerErrno(A(), c, kENOTCONN);
}

TEST_F(IllumosGetpeerucred, NonblockingRefusedIsEconnrefusedOnceThenEnotconnRow16) {
  const Fd c = Sock(A(), kAfInet, kSockStream | kSockNonblock);
  EXPECT_ERRNO(ConnectTo(A(), c, In4("10.0.0.2", 8081)), kEINPROGRESS);
  world_.RunUntilIdle();
  ExpectPeerErrno(A(), c, kECONNREFUSED);
  ExpectPeerErrno(A(), c, kENOTCONN);
}

TEST_F(IllumosGetpeerucred, BlockingRefusedLeavesOnlyEnotconnRow17) {
  const Fd c = Sock(A(), kAfInet, kSockStream);
  EXPECT_ERRNO(ConnectTo(A(), c, In4("10.0.0.2", 8081)), kECONNREFUSED);
  ExpectPeerErrno(A(), c, kENOTCONN);
}

// ---- who is reported (rows 18-24; ILL-1 to ILL-4, ILL-19) ----

TEST_F(IllumosGetpeerucred, Ill19SocketpairEndsReportTheirCreatorRow18) {
  for (const int type : {kSockStream, kSockSeqPacket}) {
    const auto sv = U64(A(), 0);
    ASSERT_TRUE(os_.Socketpair(A(), kAfUnix, type, 0, sv).succeeded());
    ExpectPeer(A(), static_cast<Fd>(ReadU32(A(), sv)), 100, 1000);
    ExpectPeer(A(), static_cast<Fd>(ReadU32(A(), sv + 4)), 100, 1000);
  }
}

TEST_F(IllumosGetpeerucred, Ill03UnixConnectorSeesListenerAtSocketNotBindOrListenRow19) {
  // The listener is created as root and then drops to uid 500 before bind and listen: the
  // connector sees the socket()-time credentials.
  sim::Credentials root = sim::Credentials::Of(0, 0);
  a_->set_credentials(root);
  const Fd l = Sock(A(), kAfUnix, kSockStream);
  ASSERT_TRUE(os_.Setuid(A(), 500).succeeded());
  ASSERT_TRUE(BindTo(A(), l, Un("/tmp/s")).succeeded());
  ASSERT_TRUE(os_.Listen(A(), l, 8).succeeded());
  const Fd c = Sock(A2(), kAfUnix, kSockStream);
  ASSERT_TRUE(ConnectTo(A2(), c, Un("/tmp/s")).succeeded());
  ExpectPeer(A2(), c, 100, 0);
}

TEST_F(IllumosGetpeerucred, Ill04UnixAcceptorSeesConnectorAtConnectRow20) {
  a2_->set_credentials(sim::Credentials::Of(0, 0));
  const Fd l = Listener(A(), kAfUnix, kSockStream, Un("/tmp/s"));
  const Fd c = Sock(A2(), kAfUnix, kSockStream);
  ASSERT_TRUE(os_.Setuid(A2(), 700).succeeded());  // after socket(), before connect()
  ASSERT_TRUE(ConnectTo(A2(), c, Un("/tmp/s")).succeeded());
  ASSERT_TRUE(os_.Setuid(A2(), 700).succeeded());
  const Fd s = AcceptOn(A(), l);
  ExpectPeer(A(), s, 101, 700);
}

TEST_F(IllumosGetpeerucred, Ill01UnixConnectorHasCredentialsBeforeAcceptRow21) {
  const Fd l = Listener(A(), kAfUnix, kSockStream, Un("/tmp/s"));
  const Fd c = Sock(A2(), kAfUnix, kSockStream);
  ASSERT_TRUE(ConnectTo(A2(), c, Un("/tmp/s")).succeeded());
  ExpectPeer(A2(), c, 100, 1000);
  (void)l;
}

TEST_F(IllumosGetpeerucred, Ill19TcpLoopbackConnectorSeesListenerAtSocketRow22) {
  a_->set_credentials(sim::Credentials::Of(0, 0));
  const Fd l = Sock(A(), kAfInet, kSockStream);
  ASSERT_TRUE(os_.Setuid(A(), 600).succeeded());
  ASSERT_TRUE(BindTo(A(), l, In4("127.0.0.1", 8080)).succeeded());
  ASSERT_TRUE(os_.Listen(A(), l, 8).succeeded());
  const Fd c = Sock(A2(), kAfInet, kSockStream);
  ASSERT_TRUE(ConnectTo(A2(), c, In4("127.0.0.1", 8080)).succeeded());
  ExpectPeer(A2(), c, 100, 0);
}

TEST_F(IllumosGetpeerucred, Ill19TcpOwnAddressAndIpv6CarryCredentialsRow22) {
  const Connection v4 = TcpConnection(In4("10.0.0.1", 8080), In4("10.0.0.1", 8080));
  ExpectPeer(A2(), v4.client, 100, 1000);
  const Connection v6 = TcpConnection(In6("::1", 8081), In6("::1", 8081), false, kAfInet6);
  ExpectPeer(A2(), v6.client, 100, 1000);
  ExpectPeer(A(), v6.accepted, 101, 2000);
}

TEST_F(IllumosGetpeerucred, Ill04TcpLoopbackAcceptorSeesConnectorAtConnectRow23) {
  const Fd l = Listener(A(), kAfInet, kSockStream, In4("127.0.0.1", 8080));
  a2_->set_credentials(sim::Credentials::Of(0, 0));
  const Fd c = Sock(A2(), kAfInet, kSockStream);
  ASSERT_TRUE(os_.Setuid(A2(), 800).succeeded());
  ASSERT_TRUE(ConnectTo(A2(), c, In4("127.0.0.1", 8080)).succeeded());
  const Fd s = AcceptOn(A(), l);
  ExpectPeer(A(), s, 101, 800);
}

TEST_F(IllumosGetpeerucred, Ill14RemoteTcpPeerIsEinvalRow24) {
  const Connection c = TcpConnection(In4("10.0.0.1", 8080), In4("10.0.0.1", 8080), true);
  ExpectPeerErrno(B(), c.client, kEINVAL);
  ExpectPeerErrno(A(), c.accepted, kEINVAL);
}

// ---- after the connection (rows 28-30; ILL-2) ----

TEST_F(IllumosGetpeerucred, Ill02TcpGracefulCloseKeepsTheRecordRow28) {
  const Connection c = TcpConnection(In4("127.0.0.1", 8080), In4("127.0.0.1", 8080));
  ASSERT_TRUE(os_.Close(A2(), c.client).succeeded());
  world_.RunUntilIdle();
  ExpectPeer(A(), c.accepted, 101, 2000);
  ASSERT_TRUE(os_.Shutdown(A(), c.accepted, kShutWr).succeeded());
  world_.RunUntilIdle();
  ExpectPeer(A(), c.accepted, 101, 2000);
}

TEST_F(IllumosGetpeerucred, TcpResetIsEconnresetOnceThenEnotconnRow29) {
  const Connection c = TcpConnection(In4("127.0.0.1", 8080), In4("127.0.0.1", 8080));
  ASSERT_TRUE(SendText(A(), c.accepted, "unread").succeeded());
  world_.RunUntilIdle();
  ASSERT_TRUE(os_.Close(A2(), c.client).succeeded());  // unread data: a reset
  world_.RunUntilIdle();
  ExpectPeerErrno(A(), c.accepted, kECONNRESET);
  ExpectPeerErrno(A(), c.accepted, kENOTCONN);
}

// tcp.c tcp_close_output(): SO_LINGER with a zero time makes close() send a reset.
TEST_F(IllumosGetpeerucred, ZeroLingerCloseIsEconnresetOnceThenEnotconnRow29) {
  const Connection c = TcpConnection(In4("127.0.0.1", 8080), In4("127.0.0.1", 8080));
  const auto linger = Place(A2(), {1, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_TRUE(os_.Setsockopt(A2(), c.client, kSolSocket, kSoLinger, linger, 8).succeeded());
  ASSERT_TRUE(os_.Close(A2(), c.client).succeeded());
  world_.RunUntilIdle();
  ExpectPeerErrno(A(), c.accepted, kECONNRESET);
  ExpectPeerErrno(A(), c.accepted, kENOTCONN);
}

TEST_F(IllumosGetpeerucred, Ill02UnixPeerCloseKeepsTheRecordRow30) {
  const Connection c = UnixConnection();
  ASSERT_TRUE(os_.Close(A2(), c.client).succeeded());
  ExpectPeer(A(), c.accepted, 101, 2000);
}

TEST_F(IllumosGetpeerucred, Ill02CredentialsAreCapturedNotLive) {
  const Connection c = UnixConnection();
  a2_->set_credentials(sim::Credentials::Of(4242, 4242));
  ExpectPeer(A(), c.accepted, 101, 2000);
}

TEST_F(IllumosGetpeerucred, RecordsSurviveForkAndDescriptorPassing) {
  const Connection c = UnixConnection();
  const CallResult child = os_.Fork(A());
  ASSERT_TRUE(child.succeeded());
  sim::Thread& kid = world_.FindProcess(static_cast<sim::Pid>(child.value))->main_thread();
  ExpectPeer(kid, c.accepted, 101, 2000);
  // SCM_RIGHTS: 100 passes its accepted socket to 101 over a fresh AF_UNIX connection.
  const Fd l = Listener(A2(), kAfUnix, kSockStream, Un("/tmp/p"));
  const Fd out = Sock(A(), kAfUnix, kSockStream);
  ASSERT_TRUE(ConnectTo(A(), out, Un("/tmp/p")).succeeded());
  const Fd in = AcceptOn(A2(), l);
  Bytes cmsg(16, 0);
  cmsg[0] = 16;
  cmsg[4] = static_cast<std::uint8_t>(kSolSocket & 0xff);
  cmsg[5] = static_cast<std::uint8_t>(kSolSocket >> 8);
  cmsg[8] = static_cast<std::uint8_t>(kScmRights & 0xff);
  cmsg[9] = static_cast<std::uint8_t>(kScmRights >> 8);
  cmsg[12] = static_cast<std::uint8_t>(c.accepted);
  const auto data = Place(A(), Bytes{'x'});
  Bytes iov(16, 0);
  for (int i = 0; i < 8; ++i) iov[i] = static_cast<std::uint8_t>(data >> (8 * i));
  iov[8] = 1;
  const auto iov_at = Place(A(), iov);
  const auto control = Place(A(), cmsg);
  Bytes msg(kMsghdrSize, 0);
  for (int i = 0; i < 8; ++i) msg[kMsghdrIov + i] = static_cast<std::uint8_t>(iov_at >> (8 * i));
  msg[kMsghdrIovlen] = 1;
  for (int i = 0; i < 8; ++i) {
    msg[kMsghdrControl + i] = static_cast<std::uint8_t>(control >> (8 * i));
  }
  msg[kMsghdrControllen] = 16;
  ASSERT_TRUE(os_.Sendmsg(A(), out, Place(A(), msg), 0).succeeded());
  const auto rbuf = Place(A2(), Bytes(4, 0));
  Bytes riov(16, 0);
  for (int i = 0; i < 8; ++i) riov[i] = static_cast<std::uint8_t>(rbuf >> (8 * i));
  riov[8] = 4;
  const auto riov_at = Place(A2(), riov);
  const auto rcontrol = Place(A2(), Bytes(32, 0));
  Bytes rmsg(kMsghdrSize, 0);
  for (int i = 0; i < 8; ++i) rmsg[kMsghdrIov + i] = static_cast<std::uint8_t>(riov_at >> (8 * i));
  rmsg[kMsghdrIovlen] = 1;
  for (int i = 0; i < 8; ++i) {
    rmsg[kMsghdrControl + i] = static_cast<std::uint8_t>(rcontrol >> (8 * i));
  }
  rmsg[kMsghdrControllen] = 32;
  const auto rmsg_at = Place(A2(), rmsg);
  ASSERT_TRUE(os_.Recvmsg(A2(), in, rmsg_at, 0).succeeded());
  const Fd got = static_cast<Fd>(ReadU32(A2(), rcontrol + kCmsghdrSize));
  ExpectPeer(A2(), got, 101, 2000);  // the endpoint's record, not the new holder's
}

// ---- libc: allocation, reuse, copy-out (rows 31-35; ILL-5 to ILL-7, ILL-9 to ILL-11,
// ILL-13, ILL-15) ----

TEST_F(IllumosGetpeerucred, Ill05Ill09NullCellGetsAFreshUcredAndZero) {
  const Connection c = UnixConnection();
  const Peer p = PeerCred(A(), c.accepted);
  EXPECT_EQ(p.result, CallResult::Success(0));
  EXPECT_NE(p.uc, 0u);
  EXPECT_TRUE(os_.HoldsUcred(*a_, p.uc));
  EXPECT_EQ(p.uc, Heap::kBase);  // the first block of the documented placement
}

TEST_F(IllumosGetpeerucred, Ill06ReusedUcredKeepsItsPointerRow31) {
  const Connection c = UnixConnection();
  const Peer first = PeerCred(A(), c.accepted);
  ASSERT_TRUE(first.result.succeeded());
  const auto sv = U64(A(), 0);
  ASSERT_TRUE(os_.Socketpair(A(), kAfUnix, kSockStream, 0, sv).succeeded());
  const Peer again = PeerCred(A(), static_cast<Fd>(ReadU32(A(), sv)), first.uc);
  ASSERT_TRUE(again.result.succeeded());
  EXPECT_EQ(again.uc, first.uc);
  EXPECT_EQ(os_.UcredGeteuid(A(), first.uc).value, 1000);  // replaced: now the pair's creator
}

TEST_F(IllumosGetpeerucred, Ill10ReusedUcredUntouchedOnFailureRow32) {
  const Connection c = UnixConnection();
  const Peer first = PeerCred(A(), c.accepted);
  ASSERT_TRUE(first.result.succeeded());
  const Bytes before = Read(A(), first.uc, KernelUcredSize());
  const Peer failed = PeerCred(A(), c.listener, first.uc);
  EXPECT_ERRNO(failed.result, kENOTCONN);
  EXPECT_EQ(failed.uc, first.uc);
  EXPECT_EQ(Read(A(), first.uc, KernelUcredSize()), before);
  EXPECT_TRUE(os_.HoldsUcred(*a_, first.uc));
}

TEST_F(IllumosGetpeerucred, Ill13WildUcredWithCredentialsIsEfaultRow33) {
  const Connection c = UnixConnection();
  const Peer p = PeerCred(A(), c.accepted, 0xdead0000);
  EXPECT_ERRNO(p.result, kEFAULT);
  EXPECT_EQ(p.uc, 0xdead0000u);
}

TEST_F(IllumosGetpeerucred, WildUcredWithoutCredentialsIsTheKernelsErrorRow34) {
  const Fd s = Sock(A(), kAfInet, kSockStream);
  EXPECT_ERRNO(PeerCred(A(), s, 0xdead0000).result, kENOTCONN);
  EXPECT_ERRNO(PeerCred(A(), 99, 0xdead0000).result, kEBADF);
}

TEST_F(IllumosGetpeerucred, Ill15AllocationFailureIsEnomemEvenForABadFdRow35) {
  world_.faults().Arm(Heap::kFaultEnomem, sim::FaultRule{});
  const Peer p = PeerCred(A(), 99);
  EXPECT_ERRNO(p.result, kENOMEM);
  EXPECT_EQ(p.uc, 0u);
}

TEST_F(IllumosGetpeerucred, Ill11AllocationCanFailWithEagain) {
  const Connection c = UnixConnection();
  world_.faults().Arm(Heap::kFaultEagain, sim::FaultRule{});
  EXPECT_ERRNO(PeerCred(A(), c.accepted).result, kEAGAIN);
  // Once the fault has fired the next call allocates.
  EXPECT_TRUE(PeerCred(A(), c.accepted).result.succeeded());
}

TEST_F(IllumosGetpeerucred, Ill07UcredFreeGivesTheBlockBack) {
  const Connection c = UnixConnection();
  const Peer p = PeerCred(A(), c.accepted);
  ASSERT_TRUE(p.result.succeeded());
  EXPECT_EQ(os_.UcredFree(A(), p.uc), CallResult::Success(0));
  EXPECT_FALSE(os_.HoldsUcred(*a_, p.uc));
  EXPECT_EQ(os_.UcredFree(A(), 0), CallResult::Success(0));  // free(NULL)
  // The freed block is the next one handed out.
  EXPECT_EQ(PeerCred(A(), c.accepted).uc, p.uc);
}

TEST_F(IllumosGetpeerucred, FailedFreshCallFreesWhatItAllocated) {
  const Fd s = Sock(A(), kAfInet, kSockStream);
  EXPECT_ERRNO(PeerCred(A(), s).result, kENOTCONN);
  const auto* state = dynamic_cast<const IllumosProcess*>(a_->extension());
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->heap.live_blocks(), 0u);
}

TEST_F(IllumosGetpeerucred, Ill10FailureSetsThreadErrnoAndSuccessLeavesIt) {
  ExpectPeerErrno(A(), 42, kEBADF);
  const Connection c = UnixConnection();
  ASSERT_TRUE(PeerCred(A(), c.accepted).result.succeeded());
  EXPECT_EQ(os_.Errno(A()), kEBADF);
  EXPECT_EQ(os_.Errno(A2()), 0);
}

TEST_F(IllumosGetpeerucred, Ill18CallsOnTwoThreadsKeepTheirOwnErrno) {
  sim::Thread& second = world_.SpawnThread(100);
  ExpectPeerErrno(A(), 42, kEBADF);
  ExpectPeerErrno(second, Sock(second, kAfInet, kSockStream), kENOTCONN);
  EXPECT_EQ(os_.Errno(A()), kEBADF);
  EXPECT_EQ(os_.Errno(second), kENOTCONN);
}

}  // namespace
}  // namespace socksim::testing
