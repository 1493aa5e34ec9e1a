// File: tests/stack/illumos/tli_test.cc
// TLI endpoints (ILL-20; rows 4, 25-27; the TLI rows of reference 1.4 and 1.5): timod
// answers getpeerucred with the credential it saved while the endpoint is connected with no
// orderly release pending, ENOTCONN otherwise (even for a connected /dev/tcp endpoint whose
// peer is on another host), ENOTSUP for connectionless providers.
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

class IllumosTli : public IllumosFixture {
 public:
  /// A struct netbuf {maxlen, len, buf} pointing at `bytes`, laid out at `at`.
  void PutNetbuf(sim::Thread& t, sim::UserAddress at, const Bytes& bytes) {
    const auto buf = Place(t, bytes);
    auto& mem = t.process().memory();
    EXPECT_TRUE(mem.WriteU32(at, static_cast<std::uint32_t>(bytes.size())));
    EXPECT_TRUE(mem.WriteU32(at + 4, static_cast<std::uint32_t>(bytes.size())));
    EXPECT_TRUE(mem.WriteU64(at + 8, buf));
  }
  /// struct t_bind {addr, qlen}.
  sim::UserAddress BindReq(sim::Thread& t, const Bytes& addr, std::uint32_t qlen) {
    const auto at = Place(t, Bytes(24, 0));
    PutNetbuf(t, at, addr);
    EXPECT_TRUE(t.process().memory().WriteU32(at + 16, qlen));
    return at;
  }
  /// struct t_call {addr, opt, udata, sequence}: `addr` for t_connect, or (empty) room of
  /// `room` bytes in every netbuf for what t_listen returns (as t_alloc(T_CALL, T_ALL) gives).
  sim::UserAddress Call(sim::Thread& t, const Bytes& addr = {}, std::uint32_t room = 128) {
    const auto at = Place(t, Bytes(56, 0));
    if (!addr.empty()) {
      PutNetbuf(t, at, addr);
      return at;
    }
    for (const std::uint64_t netbuf : {0, 16, 32}) {
      auto& mem = t.process().memory();
      EXPECT_TRUE(mem.WriteU32(at + netbuf, room));
      EXPECT_TRUE(mem.WriteU64(at + netbuf + 8, Place(t, Bytes(room, 0xA5))));
    }
    return at;
  }
  /// The bytes a t_call's netbuf at `netbuf` holds (len bytes at buf).
  Bytes NetbufBytes(sim::Thread& t, sim::UserAddress netbuf) {
    return Read(t, ReadU64(t, netbuf + 8), ReadU32(t, netbuf + 4));
  }
  Fd Open(sim::Thread& t, const std::string& path) { return Must(os_.TOpen(t, path, kORdwr, 0)); }

  /// A tl connection: 100 listens on "svc" and accepts on a second endpoint it opened as
  /// uid `acceptor_uid`; 101 connects.
  struct TlConnection {
    Fd listener = -1, acceptor = -1, client = -1;
  };
  TlConnection Tl(const std::string& device, sim::Uid acceptor_uid = 1000) {
    TlConnection c;
    c.listener = Open(A(), device);
    EXPECT_TRUE(os_.TBind(A(), c.listener, BindReq(A(), Bytes{'s', 'v', 'c'}, 4), 0).succeeded());
    sim::Credentials acc = a_->credentials();
    a_->set_credentials(sim::Credentials::Of(acceptor_uid, 10));
    c.acceptor = Open(A(), device);
    a_->set_credentials(acc);
    c.client = Open(A2(), device);
    EXPECT_TRUE(os_.TBind(A2(), c.client, 0, 0).succeeded());
    const auto to = Call(A2(), Bytes{'s', 'v', 'c'});
    EXPECT_TRUE(os_.TConnect(A2(), c.client, to, 0).blocked());
    const auto call = Call(A());
    EXPECT_TRUE(os_.TListen(A(), c.listener, call).succeeded());
    EXPECT_EQ(ReadU32(A(), call + 48), 1u);
    EXPECT_TRUE(os_.TAccept(A(), c.listener, c.acceptor, call).succeeded());
    EXPECT_EQ(os_.TConnect(A2(), c.client, to, 0), CallResult::Success(0));
    return c;
  }
};

TEST_F(IllumosTli, Ill20TicotsordConnectorSeesTheAcceptorEndpointsOpener) {
  const TlConnection c = Tl("/dev/ticotsord", 4000);
  ExpectPeer(A2(), c.client, 100, 4000);   // tl_conn_res: the acceptor endpoint at t_open
  ExpectPeer(A(), c.acceptor, 101, 2000);  // the T_CONN_IND: the connector at t_connect
}

TEST_F(IllumosTli, Ill20TicotsWorksAndHasNoOrderlyRelease) {
  const TlConnection c = Tl("/dev/ticots");
  ExpectPeer(A2(), c.client, 100, 1000);
  EXPECT_EQ(os_.TSndrel(A2(), c.client), CallResult::Failure(-1, kTNOTSUPPORT));
  EXPECT_EQ(os_.TErrno(A2()), kTNOTSUPPORT);
}

TEST_F(IllumosTli, Ill16TliNotConnectedListeningAndAfterReleaseIsEnotconnRow26) {
  const Fd fresh = Open(A(), "/dev/ticotsord");
  ExpectPeerErrno(A(), fresh, kENOTCONN);
  const TlConnection c = Tl("/dev/ticotsord");
  ExpectPeerErrno(A(), c.listener, kENOTCONN);
  // t_sndrel: LOCORDREL here, REMORDREL at the peer; both ENOTCONN (a socket would answer).
  ASSERT_TRUE(os_.TSndrel(A2(), c.client).succeeded());
  ExpectPeerErrno(A2(), c.client, kENOTCONN);
  ExpectPeerErrno(A(), c.acceptor, kENOTCONN);
  ASSERT_TRUE(os_.TRcvrel(A(), c.acceptor).succeeded());
  ExpectPeerErrno(A(), c.acceptor, kENOTCONN);
}

TEST_F(IllumosTli, TliDisconnectAndCloseClearThePeer) {
  const TlConnection c = Tl("/dev/ticotsord");
  ASSERT_TRUE(os_.TSnddis(A(), c.acceptor, 0).succeeded());
  ExpectPeerErrno(A2(), c.client, kENOTCONN);
  const TlConnection d = Tl("/dev/ticots");
  ASSERT_TRUE(os_.TClose(A(), d.acceptor).succeeded());
  ExpectPeerErrno(A2(), d.client, kENOTCONN);
}

TEST_F(IllumosTli, Ill17TliConnectionlessIsEnotsupRow27) {
  ExpectPeerErrno(A(), Open(A(), "/dev/ticlts"), kENOTSUP);
  ExpectPeerErrno(A(), Open(A(), "/dev/udp"), kENOTSUP);
  EXPECT_EQ(os_.TConnect(A(), Open(A(), "/dev/udp"), Call(A(), In4("10.0.0.2", 53)), 0),
            CallResult::Failure(-1, kTNOTSUPPORT));
}

TEST_F(IllumosTli, Ill20DevTcpLocalConnectorSeesTheListenersOpener) {
  const Fd listener = Open(A(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(A(), listener, BindReq(A(), In4("127.0.0.1", 8080), 5), 0).succeeded());
  const Fd acceptor = Open(A(), "/dev/tcp");
  const Fd client = Open(A2(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(A2(), client, 0, 0).succeeded());
  ASSERT_TRUE(os_.TConnect(A2(), client, Call(A2(), In4("127.0.0.1", 8080)), 0).succeeded());
  ExpectPeer(A2(), client, 100, 1000);
  const auto call = Call(A());
  ASSERT_TRUE(os_.TListen(A(), listener, call).succeeded());
  ASSERT_TRUE(os_.TAccept(A(), listener, acceptor, call).succeeded());
  ExpectPeer(A(), acceptor, 101, 2000);
  // The peer's orderly release (a FIN) is T_ORDREL_IND: REMORDREL, ENOTCONN.
  ASSERT_TRUE(os_.TSndrel(A2(), client).succeeded());
  world_.RunUntilIdle();
  ExpectPeerErrno(A(), acceptor, kENOTCONN);
  ExpectPeerErrno(A2(), client, kENOTCONN);
}

TEST_F(IllumosTli, Ill16DevTcpWithARemotePeerIsEnotconnNotEinvalRow25) {
  const Fd listener = Open(A(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(A(), listener, BindReq(A(), In4("10.0.0.1", 8080), 5), 0).succeeded());
  const Fd client = Open(B(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(B(), client, 0, 0).succeeded());
  ASSERT_TRUE(os_.TConnect(B(), client, Call(B(), In4("10.0.0.1", 8080)), 0).succeeded());
  ExpectPeerErrno(B(), client, kENOTCONN);
}

TEST_F(IllumosTli, NonblockingConnectIsTnodataAndTheCredentialStillArrives) {
  const Fd listener = Open(A(), "/dev/ticotsord");
  ASSERT_TRUE(os_.TBind(A(), listener, BindReq(A(), Bytes{'s'}, 1), 0).succeeded());
  const Fd acceptor = Open(A(), "/dev/ticotsord");
  const Fd client = Must(os_.TOpen(A2(), "/dev/ticotsord", kORdwr | kONonblock, 0));
  ASSERT_TRUE(os_.TBind(A2(), client, 0, 0).succeeded());
  EXPECT_EQ(os_.TConnect(A2(), client, Call(A2(), Bytes{'s'}), 0),
            CallResult::Failure(-1, kTNODATA));
  ExpectPeerErrno(A2(), client, kENOTCONN);  // CONNWAIT
  const auto call = Call(A());
  ASSERT_TRUE(os_.TListen(A(), listener, call).succeeded());
  ASSERT_TRUE(os_.TAccept(A(), listener, acceptor, call).succeeded());
  ExpectPeer(A2(), client, 100, 1000);
}

// t_open -> _t_create copies the provider's T_INFO_ACK into struct t_info (libnsl
// _utility.c): tcp.c tcp_g_t_info_ack(_v6), udp.c udp_g_t_info_ack_ipv4/_ipv6, tl.c
// tl_cots_info_ack / tl_clts_info_ack through tl_copy_info. TLI's t_info has no flags: the
// word after servtype stays as it was; tcp's and udp's options size is not modelled.
TEST_F(IllumosTli, TOpenFillsTInfoFromTheProvidersInfoAck) {
  constexpr std::uint32_t kUntouched = 0xA5A5A5A5u;
  const std::uint32_t inf = 0xffffffffu, inval = 0xfffffffeu;
  struct Row {
    const char* path;
    std::uint32_t addr, options, tsdu, etsdu, connect, discon;
    int servtype;
  };
  const Row rows[] = {
      {"/dev/tcp", 16, kUntouched, 0, inf, inval, inval, kTCotsOrd},
      {"/dev/tcp6", 32, kUntouched, 0, inf, inval, inval, kTCotsOrd},
      {"/dev/udp", 16, kUntouched, 65507, inval, inval, inval, kTClts},
      {"/dev/ticots", inf, inf, inf, inf, inf, inf, kTCots},
      {"/dev/ticotsord", inf, inf, inf, inf, inf, inf, kTCotsOrd},
      {"/dev/ticlts", inf, inf, 65536, inval, inval, inval, kTClts},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.path);
    const auto info = Place(A(), Bytes(32, 0xA5));
    ASSERT_TRUE(os_.TOpen(A(), row.path, kORdwr, info).succeeded());
    EXPECT_EQ(ReadU32(A(), info), row.addr);
    EXPECT_EQ(ReadU32(A(), info + 4), row.options);
    EXPECT_EQ(ReadU32(A(), info + 8), row.tsdu);
    EXPECT_EQ(ReadU32(A(), info + 12), row.etsdu);
    EXPECT_EQ(ReadU32(A(), info + 16), row.connect);
    EXPECT_EQ(ReadU32(A(), info + 20), row.discon);
    EXPECT_EQ(ReadU32(A(), info + 24), static_cast<std::uint32_t>(row.servtype));
    EXPECT_EQ(ReadU32(A(), info + 28), kUntouched);  // XTI's flags
  }
}

// libnsl t_listen.c (TLI semantics): the T_CONN_IND's source address goes into call->addr
// (tcp: the connector's sin_t; tl: the connector's bound name), opt and udata get length 0,
// and an address longer than addr.maxlen is TBUFOVFLW after the sequence was set.
TEST_F(IllumosTli, TListenReturnsTheCallersAddressWithinMaxlen) {
  const Fd listener = Open(A(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(A(), listener, BindReq(A(), In4("127.0.0.1", 8080), 5), 0).succeeded());
  const Fd client = Open(A2(), "/dev/tcp");
  ASSERT_TRUE(os_.TBind(A2(), client, BindReq(A2(), In4("127.0.0.1", 40000), 0), 0).succeeded());
  ASSERT_TRUE(os_.TConnect(A2(), client, Call(A2(), In4("127.0.0.1", 8080)), 0).succeeded());
  const auto call = Call(A());
  ASSERT_TRUE(os_.TListen(A(), listener, call).succeeded());
  EXPECT_EQ(NetbufBytes(A(), call), In4("127.0.0.1", 40000));
  EXPECT_EQ(ReadU32(A(), call + 16 + 4), 0u);  // opt.len
  EXPECT_EQ(ReadU32(A(), call + 32 + 4), 0u);  // udata.len

  const Fd tl = Open(A(), "/dev/ticotsord");
  ASSERT_TRUE(os_.TBind(A(), tl, BindReq(A(), Bytes{'s', 'v', 'c'}, 2), 0).succeeded());
  const Fd tl_client = Must(os_.TOpen(A2(), "/dev/ticotsord", kORdwr | kONonblock, 0));
  ASSERT_TRUE(
      os_.TBind(A2(), tl_client, BindReq(A2(), Bytes{'c', 'l', 'i', 'e'}, 0), 0).succeeded());
  EXPECT_EQ(os_.TConnect(A2(), tl_client, Call(A2(), Bytes{'s', 'v', 'c'}), 0),
            CallResult::Failure(-1, kTNODATA));
  const auto small = Call(A(), {}, 3);
  EXPECT_EQ(os_.TListen(A(), tl, small), CallResult::Failure(-1, kTBUFOVFLW));
  EXPECT_EQ(ReadU32(A(), small + 48), 1u);  // the sequence was set before the overflow
  const Fd tl_client2 = Must(os_.TOpen(A2(), "/dev/ticotsord", kORdwr | kONonblock, 0));
  ASSERT_TRUE(os_.TBind(A2(), tl_client2, BindReq(A2(), Bytes{'c', '2'}, 0), 0).succeeded());
  EXPECT_EQ(os_.TConnect(A2(), tl_client2, Call(A2(), Bytes{'s', 'v', 'c'}), 0),
            CallResult::Failure(-1, kTNODATA));
  const auto roomy = Call(A());
  ASSERT_TRUE(os_.TListen(A(), tl, roomy).succeeded());
  EXPECT_EQ(NetbufBytes(A(), roomy), (Bytes{'c', '2'}));
}

TEST_F(IllumosTli, TliStateAndDescriptorErrors) {
  EXPECT_EQ(os_.TOpen(A(), "/dev/nosuch", kORdwr, 0), CallResult::Failure(-1, kTSYSERR));
  EXPECT_EQ(os_.Errno(A()), kENOENT);
  const Fd plain = Must(os_.Open(A(), "/dev/null", kORdwr, 0));
  EXPECT_EQ(os_.TBind(A(), plain, 0, 0), CallResult::Failure(-1, kTBADF));
  const Fd ep = Open(A(), "/dev/ticotsord");
  EXPECT_EQ(os_.TConnect(A(), ep, Call(A(), Bytes{'x'}), 0), CallResult::Failure(-1, kTOUTSTATE));
  ASSERT_TRUE(os_.TBind(A(), ep, 0, 0).succeeded());
  EXPECT_EQ(os_.TBind(A(), ep, 0, 0), CallResult::Failure(-1, kTOUTSTATE));
  EXPECT_EQ(os_.TConnect(A(), ep, Call(A(), Bytes{'x'}), 0), CallResult::Failure(-1, kTLOOK));
  EXPECT_EQ(os_.TRcvrel(A(), ep), CallResult::Failure(-1, kTOUTSTATE));
  ASSERT_TRUE(os_.TClose(A(), ep).succeeded());
  EXPECT_EQ(os_.TClose(A(), ep), CallResult::Failure(-1, kTBADF));
}

TEST_F(IllumosTli, Ill17RawOpenOfATransportHasNoTimodRow04) {
  const Fd raw = Must(os_.Open(A(), "/dev/tcp", kORdwr, 0));
  ExpectPeerErrno(A(), raw, kENOTSUP);
  ASSERT_TRUE(os_.Ioctl(A(), raw, kIPush, Text(A(), "timod")).succeeded());
  ExpectPeerErrno(A(), raw, kENOTSUP);  // pushed by hand: no transport state, not COTS
}

}  // namespace
}  // namespace socksim::testing
