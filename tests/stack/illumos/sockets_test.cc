// File: tests/stack/illumos/sockets_test.cc
// The socket calls' illumos numbers and layouts: errno values from sys/errno.h, AF_INET6 26
// and the 32-byte sockaddr_in6, SOCK_STREAM 2, SOL_SOCKET 0xffff options, fcntl O_NONBLOCK,
// errno per thread.
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

class IllumosSockets : public IllumosFixture {};

TEST(IllumosErrnoTable, ValuesAndTextsAreIllumos) {
  struct Row {
    std::string_view symbol;
    int value;
    std::string_view message;
  };
  constexpr Row kRows[] = {
      {"EPERM", 1, "Not owner"},
      {"EBADF", 9, "Bad file number"},
      {"EAGAIN", 11, "Resource temporarily unavailable"},
      {"ENOMEM", 12, "Not enough space"},
      {"EFAULT", 14, "Bad address"},
      {"EINVAL", 22, "Invalid argument"},
      {"ENOTSUP", 48, "Operation not supported"},
      {"ENOTSOCK", 95, "Socket operation on non-socket"},
      {"EOPNOTSUPP", 122, "Operation not supported on transport endpoint"},
      {"EAFNOSUPPORT", 124, "Address family not supported by protocol family"},
      {"ECONNRESET", 131, "Connection reset by peer"},
      {"ENOTCONN", 134, "Transport endpoint is not connected"},
      {"ECONNREFUSED", 146, "Connection refused"},
      {"EINPROGRESS", 150, "Operation now in progress"},
  };
  for (const Row& row : kRows) {
    const auto info = ErrnoBySymbol(row.symbol);
    ASSERT_TRUE(info.has_value()) << row.symbol;
    EXPECT_EQ(info->value, row.value) << row.symbol;
    EXPECT_EQ(info->message, row.message) << row.symbol;
    EXPECT_EQ(ErrnoByValue(row.value)->symbol, row.symbol);
  }
  EXPECT_EQ(ErrnoBySymbol("EWOULDBLOCK")->value, 11);
  EXPECT_FALSE(ErrnoByValue(135).has_value());
  EXPECT_EQ(TErrnoBySymbol("TOUTSTATE")->value, 6);
  EXPECT_EQ(TErrnoBySymbol("TSYSERR")->value, 8);
}

TEST(IllumosErrnoTable, EveryNeutralErrorMapsToATableEntry) {
  for (const stack::Error e : stack::kAllErrors) {
    const ErrnoInfo info = ToErrno(e);
    EXPECT_EQ(ErrnoByValue(info.value), info) << stack::ToString(e);
  }
  EXPECT_EQ(ToErrno(stack::Error::kNotConnected).value, 134);
  EXPECT_EQ(ToErrno(stack::Error::kOperationNotSupported).value, 122);
}

TEST(IllumosAbi, NumbersFromSysSocketH) {
  EXPECT_EQ(kAfInet6, 26);
  EXPECT_EQ(kSockStream, 2);
  EXPECT_EQ(kSockDgram, 1);
  EXPECT_EQ(kSolSocket, 0xffff);
  EXPECT_EQ(kSoError, 0x1007);
  EXPECT_EQ(kONonblock, 0x80);
  EXPECT_EQ(kSockaddrIn6Size, 32u);
}

TEST_F(IllumosSockets, GetsocknameWritesA32ByteSockaddrIn6) {
  const Fd s = Sock(A(), kAfInet6, kSockStream);
  ASSERT_TRUE(BindTo(A(), s, In6("fd00::1", 8080)).succeeded());
  const auto buf = Place(A(), Bytes(64, 0xAA));
  const auto len = Int(A(), 64);
  ASSERT_TRUE(os_.Getsockname(A(), s, buf, len).succeeded());
  EXPECT_EQ(ReadU32(A(), len), 32u);
  const Bytes name = Read(A(), buf, 33);
  EXPECT_EQ(name[0], 26);
  EXPECT_EQ(name[1], 0);
  EXPECT_EQ(name[2], 0x1f);  // port 8080 in network order
  EXPECT_EQ(name[3], 0x90);
  EXPECT_EQ(name[8], 0xfd);
  EXPECT_EQ(name[28], 0);  // __sin6_src_id
  EXPECT_EQ(name[32], 0xAA);
}

TEST_F(IllumosSockets, Ipv6BindNeedsTheFull32Bytes) {
  const Fd s = Sock(A(), kAfInet6, kSockStream);
  Bytes short_name = In6("fd00::1", 8080);
  short_name.resize(28);  // Linux's sockaddr_in6 size
  EXPECT_ERRNO(BindTo(A(), s, short_name), kEINVAL);
  EXPECT_ERRNO(BindTo(A(), s, In4("10.0.0.1", 8080)), kEAFNOSUPPORT);
}

TEST_F(IllumosSockets, SocketArgumentErrors) {
  EXPECT_ERRNO(os_.Socket(A(), 99, kSockStream, 0), kEAFNOSUPPORT);
  EXPECT_ERRNO(os_.Socket(A(), kAfInet, kSockStream, kIpprotoUdp), kEPROTONOSUPPORT);
  EXPECT_ERRNO(os_.Socketpair(A(), kAfInet, kSockStream, 0, U64(A(), 0)), kEOPNOTSUPP);
  EXPECT_ERRNO(os_.Listen(A(), Sock(A(), kAfInet, kSockDgram), 5), kEOPNOTSUPP);
  EXPECT_ERRNO(os_.Listen(A(), Must(os_.Open(A(), "/dev/null", kORdwr, 0)), 5), kENOTSOCK);
  EXPECT_ERRNO(BindTo(A(), Sock(A(), kAfInet, kSockStream), In4("10.0.0.1", 80)), kEACCES);
}

TEST_F(IllumosSockets, DescriptorsAreLowestFree) {
  const Fd a = Sock(A(), kAfInet, kSockStream);
  const Fd b = Sock(A(), kAfInet, kSockStream);
  EXPECT_EQ(a, 0);
  EXPECT_EQ(b, 1);
  ASSERT_TRUE(os_.Close(A(), a).succeeded());
  EXPECT_EQ(Sock(A(), kAfUnix, kSockStream), 0);
  EXPECT_ERRNO(os_.Close(A(), 40), kEBADF);
}

TEST_F(IllumosSockets, FcntlNonblockAndSoErrorSoType) {
  const Fd s = Sock(A(), kAfInet, kSockStream);
  EXPECT_EQ(os_.Fcntl(A(), s, kFGetfl, 0), CallResult::Success(kORdwr));
  ASSERT_TRUE(os_.Fcntl(A(), s, kFSetfl, kONonblock).succeeded());
  EXPECT_EQ(os_.Fcntl(A(), s, kFGetfl, 0), CallResult::Success(kORdwr | kONonblock));
  EXPECT_ERRNO(ConnectTo(A(), s, In4("10.0.0.2", 8081)), kEINPROGRESS);
  world_.RunUntilIdle();
  const auto v = Int(A(), 0xA5A5A5A5u);
  const auto len = Int(A(), 4);
  ASSERT_TRUE(os_.Getsockopt(A(), s, kSolSocket, kSoError, v, len).succeeded());
  EXPECT_EQ(ReadU32(A(), v), static_cast<std::uint32_t>(kECONNREFUSED));
  ASSERT_TRUE(os_.Getsockopt(A(), s, kSolSocket, kSoError, v, len).succeeded());
  EXPECT_EQ(ReadU32(A(), v), 0u);  // cleared
  ASSERT_TRUE(os_.Getsockopt(A(), s, kSolSocket, kSoType, v, len).succeeded());
  EXPECT_EQ(ReadU32(A(), v), static_cast<std::uint32_t>(kSockStream));
  EXPECT_ERRNO(os_.Getsockopt(A(), s, 6, kSoType, v, len), kENOPROTOOPT);
}

// conn_opt.c conn_opt_set_socket / conn_opt_get; proto_set.c proto_opt_check (fixed size).
TEST_F(IllumosSockets, SoLingerIsAnEightByteStructLinger) {
  const Fd s = Sock(A(), kAfInet, kSockStream);
  const auto in = Place(A(), {1, 0, 0, 0, 5, 0, 0, 0});
  EXPECT_ERRNO(os_.Setsockopt(A(), s, kSolSocket, kSoLinger, in, 4), kEINVAL);
  ASSERT_TRUE(os_.Setsockopt(A(), s, kSolSocket, kSoLinger, in, 8).succeeded());
  const auto out = Place(A(), Bytes(8, 0xA5));
  const auto len = Int(A(), 8);
  ASSERT_TRUE(os_.Getsockopt(A(), s, kSolSocket, kSoLinger, out, len).succeeded());
  EXPECT_EQ(ReadU32(A(), out), static_cast<std::uint32_t>(kSoLinger));  // l_onoff
  EXPECT_EQ(ReadU32(A(), out + 4), 5u);                                 // l_linger
  EXPECT_EQ(ReadU32(A(), len), 8u);
  const auto off = Place(A(), {0, 0, 0, 0, 5, 0, 0, 0});
  ASSERT_TRUE(os_.Setsockopt(A(), s, kSolSocket, kSoLinger, off, 8).succeeded());
  ASSERT_TRUE(os_.Getsockopt(A(), s, kSolSocket, kSoLinger, out, len).succeeded());
  EXPECT_EQ(ReadU32(A(), out), 0u);
  EXPECT_EQ(ReadU32(A(), out + 4), 0u);  // l_onoff 0 clears the time too
}

TEST_F(IllumosSockets, TcpDataAndNames) {
  const Connection c = TcpConnection(In4("127.0.0.1", 8080), In4("127.0.0.1", 8080));
  ASSERT_EQ(SendText(A2(), c.client, "hello"), CallResult::Success(5));
  world_.RunUntilIdle();
  const auto buf = Place(A(), Bytes(16, 0));
  EXPECT_EQ(os_.Recv(A(), c.accepted, buf, 16, 0), CallResult::Success(5));
  EXPECT_EQ(Read(A(), buf, 5), (Bytes{'h', 'e', 'l', 'l', 'o'}));
  const auto name = Place(A2(), Bytes(16, 0));
  const auto len = Int(A2(), 16);
  ASSERT_TRUE(os_.Getpeername(A2(), c.client, name, len).succeeded());
  EXPECT_EQ(Read(A2(), name, 16), In4("127.0.0.1", 8080));
  EXPECT_ERRNO(os_.Getpeername(A(), c.listener, Place(A(), Bytes(16, 0)), Int(A(), 16)), kENOTCONN);
}

TEST_F(IllumosSockets, NamesTruncateButReportTheFullLength) {
  // copyout_name(): 8 of the 16 bytes are copied, 16 is written back.
  const Fd s = Sock(A(), kAfInet, kSockStream);
  ASSERT_TRUE(BindTo(A(), s, In4("10.0.0.1", 8080)).succeeded());
  const auto buf = Place(A(), Bytes(16, 0xAA));
  const auto len = Int(A(), 8);
  ASSERT_TRUE(os_.Getsockname(A(), s, buf, len).succeeded());
  EXPECT_EQ(ReadU32(A(), len), 16u);
  EXPECT_EQ(Read(A(), buf, 9), (Bytes{2, 0, 0x1f, 0x90, 10, 0, 0, 1, 0xAA}));
  // The length is copied in before the state is looked at: a NULL name with a length is
  // EFAULT even on an unconnected socket; an unreadable length too.
  EXPECT_ERRNO(os_.Getpeername(A(), s, 0, Int(A(), 16)), kEFAULT);
  EXPECT_ERRNO(os_.Getpeername(A(), s, buf, 0xdead0000), kEFAULT);
  EXPECT_ERRNO(os_.Getpeername(A(), s, buf, len), kENOTCONN);
}

TEST_F(IllumosSockets, WaitingCanBeRefused) {
  const Fd l = Listener(A(), kAfInet, kSockStream, In4("127.0.0.1", 8080));
  os_.AllowWaiting(A(), false);
  EXPECT_TRUE(os_.Accept(A(), l, 0, 0).blocked());
  EXPECT_EQ(os_.Errno(A()), 0);
}

}  // namespace
}  // namespace socksim::testing

namespace socksim::testing {
namespace {

TEST(IllumosSockaddrCodec, RoundTripsAndLayouts) {
  sim::Endpoint ep{*sim::IpAddress::Parse("fe80::1"), 443};
  ep.scope_id = 2;
  ep.flow_info = 0x12345;
  const Bytes b = Encode(stack::SocketAddress{ep});
  ASSERT_EQ(b.size(), 32u);
  EXPECT_EQ(b[4], 0x00);  // flowinfo, network order
  EXPECT_EQ(b[6], 0x23);
  EXPECT_EQ(b[7], 0x45);
  EXPECT_EQ(b[24], 2);  // scope id, host order
  const sim::Endpoint back = DecodeSockaddrIn6(b);
  EXPECT_EQ(back.address, ep.address);
  EXPECT_EQ(back.port, 443);
  EXPECT_EQ(back.scope_id, 2u);
  EXPECT_EQ(back.flow_info, 0x12345u);
  const Bytes v4 =
      Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse("10.1.2.3"), 80}});
  EXPECT_EQ(v4, (Bytes{2, 0, 0, 80, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0}));
  const Bytes un = Encode(stack::SocketAddress{stack::UnixAddress::Pathname("/tmp/s")});
  EXPECT_EQ(un, (Bytes{1, 0, '/', 't', 'm', 'p', '/', 's', 0}));
  EXPECT_EQ(DecodeSockaddrUn(un), stack::UnixAddress::Pathname("/tmp/s"));
  EXPECT_EQ(Encode(stack::SocketAddress{stack::UnixAddress::Unnamed()}), (Bytes{1, 0}));
  EXPECT_THROW(Encode(stack::SocketAddress{stack::UnixAddress::Abstract("x")}),
               std::invalid_argument);
}

}  // namespace
}  // namespace socksim::testing
