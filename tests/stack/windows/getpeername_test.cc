// File: tests/stack/windows/getpeername_test.cc
// getpeername through ws2 and the provider chain: one test per clause of the getpeername seed
// (WIN-1..WIN-16, shared/reference/seed-clauses.md) and per row of the behaviour table
// (rows 1-43 of ../shared/reference/windows.md (a)), named after them.
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockGetpeername = WindowsFixture;

// WIN-1, WIN-3, WIN-5, row 20: a connected TCP client gets its peer's address (the listener's
// own name), 0, and the last error 0.
TEST_F(WinsockGetpeername, Win01ConnectedClientGetsPeerRow20) {
  const auto pair = ConnectedTcp();
  const Name peer = Peer(A(), pair.client);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 16u);
  EXPECT_EQ(peer.bytes, Sock(B(), pair.listener).bytes);
  EXPECT_EQ(peer.bytes, In4("10.0.0.2", 80));
}

// WIN-2, WIN-14, row 21: the accepted socket reports the client's own name.
TEST_F(WinsockGetpeername, Win02AcceptedSocketGetsClientRow21) {
  const auto pair = ConnectedTcp();
  const Name peer = Peer(B(), pair.accepted);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.bytes, Sock(A(), pair.client).bytes);
}

// WIN-3: the name is a Windows SOCKADDR: a little-endian ADDRESS_FAMILY, the port and the
// address in network order, sin_zero zeroed.
TEST_F(WinsockGetpeername, Win03NameIsAWindowsSockaddr) {
  const auto pair = ConnectedTcp();
  const Name peer = Peer(A(), pair.client);
  const Bytes want = {2, 0, 0, 80, 10, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(peer.bytes, want);
}

// WIN-5: success returns 0 (not a length, not the handle).
TEST_F(WinsockGetpeername, Win05SuccessReturnsZero) {
  const auto pair = ConnectedTcp();
  const CallResult r = Peer(B(), pair.accepted).result;
  EXPECT_TRUE(r.succeeded());
  EXPECT_EQ(r.value, 0);
}

// WIN-14: only a connected socket can be asked: the same socket before and after connect().
TEST_F(WinsockGetpeername, Win14OnlyOnAConnectedSocket) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ExpectFailure(Peer(A(), c).result, kWSAENOTCONN);
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  ExpectSuccess(Peer(A(), c).result);
}

// WIN-4: namelen is value-result: 128 in, the real size out; bytes past it are untouched.
TEST_F(WinsockGetpeername, Win04NamelenBecomesActualSize) {
  const auto pair = ConnectedTcp();
  const auto buf = Buffer(A(), 128);
  const auto len = Int(A(), 128);
  ExpectSuccess(ws_.Getpeername(A(), pair.client, buf, len));
  EXPECT_EQ(ReadU32(A(), len), 16u);
  EXPECT_EQ(Read(A(), buf + 16, 112), Bytes(112, 0xAA));
}

// WIN-6: a failure returns SOCKET_ERROR and WSAGetLastError reads the code.
TEST_F(WinsockGetpeername, Win06FailureCodeReadByWsaGetLastError) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectFailure(ws_.Getpeername(A(), u, 0, 0), kWSAENOTCONN);
  EXPECT_EQ(ws_.WSAGetLastError(A()), CallResult::Success(kWSAENOTCONN));
  EXPECT_EQ(ws_.LastError(A()), kWSAENOTCONN);
}

// WIN-7, row 6: a process that never called WSAStartup gets WSANOTINITIALISED.
TEST_F(WinsockGetpeername, Win07NeverStartedRow6) {
  const auto buf = Buffer(A());
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), 0x100, buf, len), kWSANOTINITIALISED);
  EXPECT_EQ(ReadU32(A(), len), 128u);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
}

// WIN-7, row 5: after the final WSACleanup and before a new WSAStartup, WSANOTINITIALISED
// comes before the handle is looked at.
TEST_F(WinsockGetpeername, Win07AfterFinalCleanupRow5) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.WSACleanup(A()));
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), pair.client, Buffer(A()), len), kWSANOTINITIALISED);
  ExpectFailure(ws_.Getpeername(A(), 0xdeadbeef, 0, 0), kWSANOTINITIALISED);
  EXPECT_EQ(ReadU32(A(), len), 128u);
}

// WIN-8, SPI-7, row 43: the network subsystem failing (the windows.netdown fault point) is
// WSAENETDOWN with nothing written; once disarmed the call works again.
TEST_F(WinsockGetpeername, Win08NetworkDownRow43) {
  const auto pair = ConnectedTcp();
  world_.faults().Arm("windows.netdown", sim::FaultRule{});
  const auto buf = Buffer(A());
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), pair.client, buf, len), kWSAENETDOWN);
  EXPECT_EQ(ReadU32(A(), len), 128u);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
  ExpectSuccess(ws_.Getpeername(A(), pair.client, buf, len));
}

// WIN-8: the fault point comes after the handle lookup: an invalid handle is still
// WSAENOTSOCK while it is armed.
TEST_F(WinsockGetpeername, Win08NetworkDownAfterHandleLookup) {
  StartBoth();
  world_.faults().Arm("windows.netdown", sim::FaultRule{.times = sim::FaultRule::kForever});
  ExpectFailure(ws_.Getpeername(A(), 0xdeadbeef, 0, 0), kWSAENOTSOCK);
}

// WIN-9, row 9: a connected UDP socket with NULL name and namelen is WSAEFAULT.
TEST_F(WinsockGetpeername, Win09NullPointersOnConnectedUdpRow9) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  ExpectFailure(ws_.Getpeername(A(), u, 0, 0), kWSAEFAULT);
}

// WIN-9, row 10: a name buffer with a NULL namelen is WSAEFAULT and the buffer is untouched.
TEST_F(WinsockGetpeername, Win09NullNamelenRow10) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  const auto buf = Buffer(A());
  ExpectFailure(ws_.Getpeername(A(), u, buf, 0), kWSAEFAULT);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
}

// WIN-9, row 11: a NULL name with *namelen == 0 is WSAEFAULT and namelen stays 0.
TEST_F(WinsockGetpeername, Win09NullNameZeroLengthRow11) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  const auto len = Int(A(), 0);
  ExpectFailure(ws_.Getpeername(A(), u, 0, len), kWSAEFAULT);
  EXPECT_EQ(ReadU32(A(), len), 0u);
}

// WIN-9, row 12: a buffer with *namelen == 0 is WSAEFAULT, nothing written.
TEST_F(WinsockGetpeername, Win09ZeroLengthRow12) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  const auto buf = Buffer(A());
  const auto len = Int(A(), 0);
  ExpectFailure(ws_.Getpeername(A(), u, buf, len), kWSAEFAULT);
  EXPECT_EQ(ReadU32(A(), len), 0u);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
}

// WIN-9, row 14: every length from 1 to 15 for an IPv4 peer is WSAEFAULT; no truncation, the
// buffer and namelen stay as they were.
TEST_F(WinsockGetpeername, Win09TooSmallWritesNothingRow14) {
  const auto pair = ConnectedTcp();
  for (std::uint32_t n = 1; n < 16; ++n) {
    const auto buf = Buffer(A());
    const auto len = Int(A(), n);
    ExpectFailure(ws_.Getpeername(A(), pair.client, buf, len), kWSAEFAULT);
    EXPECT_EQ(ReadU32(A(), len), n);
    EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA)) << "namelen " << n;
  }
}

// WIN-9: a negative *namelen is too small as well (reference (f) 4; confidence M-L).
TEST_F(WinsockGetpeername, Win09NegativeLengthIsFault) {
  const auto pair = ConnectedTcp();
  const auto len = Int(A(), 0xffffffffu);
  ExpectFailure(ws_.Getpeername(A(), pair.client, Buffer(A()), len), kWSAEFAULT);
  EXPECT_EQ(ReadU32(A(), len), 0xffffffffu);
}

// WIN-9, row 41: wild pointers are WSAEFAULT, not a crash; a read-only name buffer as well.
TEST_F(WinsockGetpeername, Win09WildPointersRow41) {
  const auto pair = ConnectedTcp();
  ExpectFailure(ws_.Getpeername(A(), pair.client, 0xdeadbeef, 0xcafebabe), kWSAEFAULT);
  auto& mem = a_->memory();
  const auto ro = mem.Allocate(128, sim::Protection::kRead);
  ExpectFailure(ws_.Getpeername(A(), pair.client, ro, Int(A(), 128)), kWSAEFAULT);
}

// WIN-10, row 42: a Winsock 1.1 process whose thread is inside a blocking call gets
// WSAEINPROGRESS from any other call, and nothing is written.
TEST_F(WinsockGetpeername, Win10BlockingCallInProgressRow42) {
  Startup(B(), MakeWord(1, 1));
  Startup(A());
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  ws_.AllowWaiting(B(), false);
  EXPECT_TRUE(ws_.Accept(B(), l, 0, 0).blocked());
  EXPECT_EQ(ws_.WSAIsBlocking(B()), CallResult::Success(kTrue));
  const auto buf = Buffer(B());
  const auto len = Int(B(), 128);
  ExpectFailure(ws_.Getpeername(B(), l, buf, len), kWSAEINPROGRESS);
  EXPECT_EQ(ReadU32(B(), len), 128u);
}

// WIN-11, row 18: a fresh and a bound TCP socket are not connected.
TEST_F(WinsockGetpeername, Win11FreshAndBoundTcpRow18) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), s, Buffer(A()), len), kWSAENOTCONN);
  ExpectSuccess(BindTo(A(), s, In4("10.0.0.1", 0)));
  ExpectFailure(ws_.Getpeername(A(), s, Buffer(A()), len), kWSAENOTCONN);
  EXPECT_EQ(ReadU32(A(), len), 128u);
}

// WIN-11, row 19: a listening socket is not connected.
TEST_F(WinsockGetpeername, Win11ListenerRow19) {
  StartBoth();
  const SocketHandle l = Listener(A(), In4("10.0.0.1", 80));
  ExpectFailure(Peer(A(), l).result, kWSAENOTCONN);
}

// WIN-11, row 7: an unconnected UDP socket with NULL pointers: the state is checked first.
TEST_F(WinsockGetpeername, Win11UnconnectedUdpBeforePointersRow7) {
  StartBoth();
  ExpectFailure(ws_.Getpeername(A(), Udp(A()), 0, 0), kWSAENOTCONN);
}

// WIN-12, row 1: INVALID_SOCKET is not a socket.
TEST_F(WinsockGetpeername, Win12InvalidSocketRow1) {
  StartBoth();
  ExpectFailure(ws_.Getpeername(A(), kInvalidSocketHandle, 0, 0), kWSAENOTSOCK);
}

// WIN-12, row 2: garbage handles (0, 0xdeadbeef, an unused multiple of four) are not sockets;
// the buffers stay untouched.
TEST_F(WinsockGetpeername, Win12GarbageHandlesRow2) {
  StartBoth();
  for (const SocketHandle h : {SocketHandle{0}, SocketHandle{0xdeadbeef}, SocketHandle{0x1000}}) {
    const auto buf = Buffer(A());
    const auto len = Int(A(), 128);
    ExpectFailure(ws_.Getpeername(A(), h, buf, len), kWSAENOTSOCK);
    EXPECT_EQ(ReadU32(A(), len), 128u);
    EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
  }
}

// WIN-12, row 3: a closed socket is WSAENOTSOCK, also when its value would be reused.
TEST_F(WinsockGetpeername, Win12ClosedSocketRow3) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.Closesocket(A(), pair.client));
  ExpectFailure(Peer(A(), pair.client).result, kWSAENOTSOCK);
  const SocketHandle next = Tcp(A());
  EXPECT_NE(next, pair.client);  // handle values are never reused
}

// WIN-12, row 4: a socket from before the final WSACleanup stays dead after a new WSAStartup.
TEST_F(WinsockGetpeername, Win12SocketDestroyedByCleanupRow4) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.WSACleanup(A()));
  Startup(A());
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), pair.client, Buffer(A()), len), kWSAENOTSOCK);
  EXPECT_EQ(ReadU32(A(), len), 128u);
}

// WIN-12: a file handle and a DuplicateHandle copy of a socket are not sockets to ws2.
TEST_F(WinsockGetpeername, Win12FileAndDuplicatedHandles) {
  const auto pair = ConnectedTcp();
  const auto file = ws_.CreateFileW(A(), "C:\\data\\file.txt");
  ASSERT_TRUE(file.succeeded());
  ExpectFailure(Peer(A(), static_cast<SocketHandle>(file.value)).result, kWSAENOTSOCK);
  const auto target = U64(A(), 0);
  ASSERT_EQ(ws_.DuplicateHandle(A(), kCurrentProcessHandle, pair.client, kCurrentProcessHandle,
                                target, 0, 0, kDuplicateSameAccess),
            CallResult::Success(kTrue));
  ExpectFailure(Peer(A(), ReadU64(A(), target)).result, kWSAENOTSOCK);
}

// WIN-13, row 35: an IPv6 connection reports the 28-byte SOCKADDR_IN6 (AF_INET6 = 23,
// flowinfo and scope id 0).
TEST_F(WinsockGetpeername, Win13Ipv6PeerIs28BytesRow35) {
  StartBoth();
  const SocketHandle l = Listener(A(), In6("::1", 8080), kAfInet6);
  (void)l;
  const SocketHandle c = Tcp(A(), kAfInet6);
  ExpectSuccess(ConnectTo(A(), c, In6("::1", 8080)));
  const Name peer = Peer(A(), c);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 28u);
  EXPECT_EQ(peer.bytes, In6("::1", 8080));
  EXPECT_EQ(peer.bytes[0], 23);
}

// WIN-13, row 36: an IPv6 peer does not fit 16 (sizeof(SOCKADDR)) or 24 (sockaddr_in6_old).
TEST_F(WinsockGetpeername, Win13Ipv6PeerTooSmallRow36) {
  const auto pair = ConnectedTcp(kAfInet6);
  for (const std::uint32_t n : {16u, 24u, 27u}) {
    const auto buf = Buffer(A());
    const auto len = Int(A(), n);
    ExpectFailure(ws_.Getpeername(A(), pair.client, buf, len), kWSAEFAULT);
    EXPECT_EQ(ReadU32(A(), len), n);
    EXPECT_EQ(Read(A(), buf, 28), Bytes(28, 0xAA));
  }
}

// WIN-13, row 37: a dual-stack listener (IPV6_V6ONLY off) reports an IPv4 client as a
// v4-mapped AF_INET6 name of 28 bytes.
TEST_F(WinsockGetpeername, Win13DualStackAcceptedPeerIsMappedRow37) {
  StartBoth();
  const SocketHandle l = Tcp(B(), kAfInet6);
  ExpectSuccess(SetInt(B(), l, kLevelIpprotoIpv6, kIpv6V6only, 0));
  ExpectSuccess(BindTo(B(), l, In6("::", 80)));
  ExpectSuccess(ws_.Listen(B(), l, 8));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  const SocketHandle s = Must(ws_.Accept(B(), l, 0, 0));
  const Name peer = Peer(B(), s);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 28u);
  EXPECT_EQ(peer.bytes, Mapped("10.0.0.1", PortOf(Sock(A(), c).bytes)));
}

// WIN-13, row 38: a dual-stack client connected to ::ffff:127.0.0.1 reports the v4-mapped
// peer.
TEST_F(WinsockGetpeername, Win13DualStackClientPeerIsMappedRow38) {
  StartBoth();
  const SocketHandle l = Listener(A(), In4("127.0.0.1", 9000));
  (void)l;
  const SocketHandle c = Tcp(A(), kAfInet6);
  ExpectSuccess(SetInt(A(), c, kLevelIpprotoIpv6, kIpv6V6only, 0));
  ExpectSuccess(ConnectTo(A(), c, Mapped("127.0.0.1", 9000)));
  const Name peer = Peer(A(), c);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.bytes, Mapped("127.0.0.1", 9000));
}

// WIN-13: IPV6_V6ONLY is on by default, so a v4-mapped destination is unreachable until it is
// turned off (reference (e), Wine test_ipv6only).
TEST_F(WinsockGetpeername, Win13V6OnlyDefaultsOn) {
  StartBoth();
  const SocketHandle c = Tcp(A(), kAfInet6);
  const auto [r, v] = GetByteBool(A(), c, kLevelIpprotoIpv6, kIpv6V6only);
  ExpectSuccess(r);
  EXPECT_EQ(v, 1u);
  ExpectFailure(ConnectTo(A(), c, Mapped("127.0.0.1", 9000)), kWSAENETUNREACH);
  ExpectFailure(Peer(A(), c).result, kWSAENOTCONN);
}

// WIN-13, row 39: a connected AF_UNIX stream socket reports the whole 110-byte SOCKADDR_UN.
TEST_F(WinsockGetpeername, Win13UnixPeerIs110BytesRow39) {
  StartBoth();
  const SocketHandle l = Must(ws_.Socket(A(), kAfUnix, kSockStream, 0));
  const Bytes name = Un("C:\\tmp\\demo.sock");
  ExpectSuccess(BindTo(A(), l, name));
  ExpectSuccess(ws_.Listen(A(), l, 4));
  const SocketHandle c = Must(ws_.Socket(A(), kAfUnix, kSockStream, 0));
  ExpectSuccess(ConnectTo(A(), c, name));
  const Name peer = Peer(A(), c);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 110u);
  EXPECT_EQ(peer.bytes, name);
  const auto len = Int(A(), 109);
  ExpectFailure(ws_.Getpeername(A(), c, Buffer(A()), len), kWSAEFAULT);
}

// WIN-15, row 13: a connected UDP socket reports the connect() address byte for byte,
// including sin_zero, in 16 bytes.
TEST_F(WinsockGetpeername, Win15UdpPeerByteForByteRow13) {
  StartBoth();
  const SocketHandle u = Udp(A());
  Bytes given = In4("127.0.0.1", 139);
  ExpectSuccess(ConnectTo(A(), u, given));
  const Name peer = Peer(A(), u);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 16u);
  EXPECT_EQ(peer.bytes, given);
}

// WIN-15, row 15: a reconnect replaces the peer (same address, then port + 1).
TEST_F(WinsockGetpeername, Win15UdpReconnectReplacesPeerRow15) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 140)));
  EXPECT_EQ(Peer(A(), u).bytes, In4("127.0.0.1", 140));
}

// WIN-15, row 16: connect() with AF_UNSPEC dissolves the peer.
TEST_F(WinsockGetpeername, Win15UdpUnspecDissolvesPeerRow16) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("127.0.0.1", 139)));
  const Name bound = Sock(A(), u);
  ExpectSuccess(bound.result);
  ExpectSuccess(ConnectTo(A(), u, Bytes(16, 0)));
  // The socket keeps the name connect() gave it (windows_policy.cc: Winsock cannot unbind).
  const Name after = Sock(A(), u);
  ExpectSuccess(after.result);
  EXPECT_EQ(after.bytes, bound.bytes);
  const auto buf = Buffer(A());
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), u, buf, len), kWSAENOTCONN);
  EXPECT_EQ(ReadU32(A(), len), 128u);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
}

// WIN-15, row 17: a bound UDP server that received datagrams has no peer.
TEST_F(WinsockGetpeername, Win15UdpReceiverHasNoPeerRow17) {
  StartBoth();
  const SocketHandle server = Udp(B());
  ExpectSuccess(BindTo(B(), server, In4("10.0.0.2", 5000)));
  const SocketHandle client = Udp(A());
  ASSERT_TRUE(SendToName(A(), client, "ping", In4("10.0.0.2", 5000)).succeeded());
  world_.RunUntilIdle();
  const auto [r, got] = RecvData(B(), server);
  ASSERT_TRUE(r.succeeded()) << Describe(r);
  EXPECT_EQ(got, "ping");
  ExpectFailure(Peer(B(), server).result, kWSAENOTCONN);
}

// WIN-16, row 8: sendto gives a UDP socket a port but no peer.
TEST_F(WinsockGetpeername, Win16SendtoGivesNoPeerRow8) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ASSERT_TRUE(SendToName(A(), u, "x", In4("127.0.0.1", 139)).succeeded());
  ExpectFailure(ws_.Getpeername(A(), u, 0, 0), kWSAENOTCONN);
  const Name name = Sock(A(), u);
  ExpectSuccess(name.result);
  EXPECT_NE(PortOf(name.bytes), 0);
}

// Row 22: a plain non-blocking connect still in progress already has its peer; a second
// connect says WSAEALREADY, and recv/send say WSAENOTCONN.
TEST_F(WinsockGetpeername, Row22NonBlockingConnectInProgressHasPeer) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.99", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.99", 80)), kWSAEALREADY);
  const Name peer = Peer(A(), c);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.bytes, In4("10.0.0.99", 80));
  ExpectFailure(RecvData(A(), c).first, kWSAENOTCONN);
  ExpectFailure(SendData(A(), c, "x"), kWSAENOTCONN);
}

// Row 23: while a ConnectEx is pending there is no peer.
TEST_F(WinsockGetpeername, Row23PendingConnectExHasNoPeer) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  Retrieve(A(), c, ExtensionFunction::kConnectEx);
  const auto ov = Overlapped(A());
  const Bytes to = In4("10.0.0.99", 80);
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), to), 16, 0, 0, 0, ov), kERROR_IO_PENDING, kFalse);
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusPending));
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), c, Buffer(A()), len), kWSAENOTCONN);
  EXPECT_EQ(ReadU32(A(), len), 128u);
}

// Rows 24 and 25: a completed ConnectEx has no peer until SO_UPDATE_CONNECT_CONTEXT.
TEST_F(WinsockGetpeername, Row24ConnectExNeedsContextUpdateRow25) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  (void)l;
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  Retrieve(A(), c, ExtensionFunction::kConnectEx);
  const auto ov = Overlapped(A());
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), In4("10.0.0.2", 80)), 16, 0, 0, 0, ov),
                kERROR_IO_PENDING, kFalse);
  EXPECT_EQ(ws_.WSAGetOverlappedResult(A(), c, ov, Int(A(), 0), 1, Int(A(), 0)),
            CallResult::SuccessSetting(kTrue, 0));
  ExpectFailure(Peer(A(), c).result, kWSAENOTCONN);  // row 24
  ExpectSuccess(ws_.Setsockopt(A(), c, kSolSocket, kSoUpdateConnectContext, 0, 0));
  const Name peer = Peer(A(), c);  // row 25
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.length, 16u);
  EXPECT_EQ(peer.bytes, In4("10.0.0.2", 80));
}

// Rows 26 and 27: a socket completed by AcceptEx has no peer until SO_UPDATE_ACCEPT_CONTEXT
// names its listener.
TEST_F(WinsockGetpeername, Row26AcceptExNeedsContextUpdateRow27) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  Retrieve(B(), l, ExtensionFunction::kAcceptEx);
  const SocketHandle acceptor = Tcp(B());
  const auto ov = Overlapped(B());
  const auto out = Buffer(B(), 64, 0);
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 0, 32, 32, Int(B(), 0), ov), kERROR_IO_PENDING,
                kFalse);
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  EXPECT_EQ(ws_.WSAGetOverlappedResult(B(), l, ov, Int(B(), 0), 1, Int(B(), 0)),
            CallResult::SuccessSetting(kTrue, 0));
  ExpectFailure(Peer(B(), acceptor).result, kWSAENOTCONN);  // row 26
  ExpectSuccess(ws_.Setsockopt(B(), acceptor, kSolSocket, kSoUpdateAcceptContext, U64(B(), l), 8));
  const Name peer = Peer(B(), acceptor);  // row 27
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.bytes, Sock(A(), c).bytes);
}

// Row 28: after the full half-close sequence both ends still report their peers.
TEST_F(WinsockGetpeername, Row28HalfCloseSequenceKeepsPeers) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.Shutdown(A(), pair.client, kSdSend));
  world_.RunUntilIdle();
  ExpectSuccess(ws_.Shutdown(B(), pair.accepted, kSdReceive));
  ExpectSuccess(ws_.Shutdown(A(), pair.client, kSdReceive));
  ExpectSuccess(ws_.Shutdown(B(), pair.accepted, kSdSend));
  world_.RunUntilIdle();
  ExpectSuccess(Peer(A(), pair.client).result);
  ExpectSuccess(Peer(B(), pair.accepted).result);
  EXPECT_EQ(Peer(B(), pair.accepted).bytes, Sock(A(), pair.client).bytes);
}

// Row 29: after shutdown(SD_BOTH) on both ends the peers are still there.
TEST_F(WinsockGetpeername, Row29ShutdownBothKeepsPeers) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.Shutdown(A(), pair.client, kSdBoth));
  ExpectSuccess(ws_.Shutdown(B(), pair.accepted, kSdBoth));
  world_.RunUntilIdle();
  EXPECT_EQ(Peer(A(), pair.client).bytes, In4("10.0.0.2", 80));
  ExpectSuccess(Peer(B(), pair.accepted).result);
}

// Row 30: after DisconnectEx (synchronous, and overlapped) the peer stays; connect is
// WSAEISCONN and send WSAESHUTDOWN.
TEST_F(WinsockGetpeername, Row30DisconnectExKeepsPeer) {
  const auto pair = ConnectedTcp();
  Retrieve(A(), pair.client, ExtensionFunction::kDisconnectEx);
  EXPECT_EQ(ws_.DisconnectEx(A(), pair.client, 0, 0, 0), CallResult::SuccessSetting(kTrue, 0));
  EXPECT_EQ(Peer(A(), pair.client).bytes, In4("10.0.0.2", 80));
  ExpectFailure(ConnectTo(A(), pair.client, In4("10.0.0.2", 80)), kWSAEISCONN);
  ExpectFailure(SendData(A(), pair.client, "x"), kWSAESHUTDOWN);
  // The overlapped form, on the server's end.
  const auto ov = Overlapped(B());
  ExpectFailure(ws_.DisconnectEx(B(), pair.accepted, ov, 0, 0), kERROR_IO_PENDING, kFalse);
  EXPECT_EQ(ws_.WSAGetOverlappedResult(B(), pair.accepted, ov, Int(B(), 0), 1, Int(B(), 0)),
            CallResult::SuccessSetting(kTrue, 0));
  ExpectSuccess(Peer(B(), pair.accepted).result);
}

// Row 31: a peer that closed gracefully (recv returned 0) is still reported.
TEST_F(WinsockGetpeername, Row31GracefulCloseKeepsPeer) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.Closesocket(B(), pair.accepted));
  world_.RunUntilIdle();
  const auto [r, got] = RecvData(A(), pair.client);
  ExpectSuccess(r, 0);
  EXPECT_EQ(Peer(A(), pair.client).bytes, In4("10.0.0.2", 80));
}

// Row 32: a peer that reset the connection (SO_LINGER {1, 0}, then closesocket) is still
// reported; recv and send now say WSAECONNRESET, again and again.
TEST_F(WinsockGetpeername, Row32ResetKeepsPeer) {
  const auto pair = ConnectedTcp();
  const Bytes linger = {1, 0, 0, 0};
  ExpectSuccess(ws_.Setsockopt(B(), pair.accepted, kSolSocket, kSoLinger, Place(B(), linger), 4));
  ExpectSuccess(ws_.Closesocket(B(), pair.accepted));
  world_.RunUntilIdle();
  ExpectFailure(RecvData(A(), pair.client).first, kWSAECONNRESET);
  ExpectFailure(RecvData(A(), pair.client).first, kWSAECONNRESET);
  ExpectFailure(SendData(A(), pair.client, "x"), kWSAECONNRESET);
  EXPECT_EQ(Peer(A(), pair.client).bytes, In4("10.0.0.2", 80));
}

// Row 33: a non-blocking connect that failed later has no peer; SO_ERROR holds the reason.
TEST_F(WinsockGetpeername, Row33FailedNonBlockingConnectHasNoPeer) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 81)), kWSAEWOULDBLOCK);
  world_.RunUntilIdle();
  const auto len = Int(A(), 128);
  ExpectFailure(ws_.Getpeername(A(), c, Buffer(A()), len), kWSAENOTCONN);
  EXPECT_EQ(ReadU32(A(), len), 128u);
  const auto [r, error] = GetInt(A(), c, kSolSocket, kSoError);
  ExpectSuccess(r);
  EXPECT_EQ(error, static_cast<std::uint32_t>(kWSAECONNREFUSED));
}

// Row 34: a blocking connect refused fails WSAECONNREFUSED and leaves no peer.
TEST_F(WinsockGetpeername, Row34FailedBlockingConnectHasNoPeer) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 81)), kWSAECONNREFUSED);
  ExpectFailure(Peer(A(), c).result, kWSAENOTCONN);
}

// Row 40: a success with the last error preset clears it to 0 (Windows 7 and later).
TEST_F(WinsockGetpeername, Row40SuccessClearsLastError) {
  const auto pair = ConnectedTcp();
  EXPECT_EQ(ws_.WSASetLastError(A(), static_cast<std::int32_t>(0xdeadbeef)).code,
            std::optional<int>(static_cast<std::int32_t>(0xdeadbeef)));
  ExpectSuccess(Peer(A(), pair.client).result);
  EXPECT_EQ(ws_.LastError(A()), 0);
}

// Row 40: before Windows 7 a success leaves the last error as it was.
class WinsockGetpeernameVista : public WindowsFixture {
 public:
  WinsockGetpeernameVista() : WindowsFixture(*WindowsRelease::Parse("vista")) {}
};
TEST_F(WinsockGetpeernameVista, Row40SuccessLeavesLastErrorBeforeWindows7) {
  const auto pair = ConnectedTcp();
  (void)ws_.WSASetLastError(A(), static_cast<std::int32_t>(0xdeadbeef));
  const Name peer = Peer(A(), pair.client);
  EXPECT_EQ(peer.result, CallResult::Success(0));
  EXPECT_EQ(ws_.LastError(A()), static_cast<int>(0xdeadbeef));
}

}  // namespace
}  // namespace socksim::testing
