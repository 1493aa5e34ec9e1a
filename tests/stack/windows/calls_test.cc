// File: tests/stack/windows/calls_test.cc
// The calls around getpeername with Windows' numbers, layouts and check orders: socket /
// WSASocketW, bind, listen, connect (blocking and non-blocking), accept, getsockname,
// shutdown, send/recv/sendto/recvfrom, setsockopt/getsockopt, ioctlsocket / WSAIoctl. Each
// test names the Wine conformance test, document or reference row it follows.
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockCalls = WindowsFixture;

// ---- socket / WSASocketW ----

// Handle values look like Windows': multiples of four from 0x100 (design "Handles").
TEST_F(WinsockCalls, SocketHandlesAreKernelHandleValues) {
  StartBoth();
  EXPECT_EQ(Tcp(A()), 0x100u);
  EXPECT_EQ(Udp(A()), 0x104u);
  EXPECT_EQ(Tcp(B()), 0x100u);
}

// The catalog's errors reach the caller as INVALID_SOCKET with the code (Wine test_WSASocket);
// a raw socket needs administrator rights (WSAEACCES).
TEST_F(WinsockCalls, SocketErrorsFromTheCatalog) {
  StartBoth();
  ExpectFailure(ws_.Socket(A(), kAfUnspec, 0, 0), kWSAEINVAL, kInvalidSocket);
  ExpectFailure(ws_.Socket(A(), kAfInet, 99, 0), kWSAESOCKTNOSUPPORT, kInvalidSocket);
  ExpectFailure(ws_.Socket(A(), 999, kSockStream, 0), kWSAEAFNOSUPPORT, kInvalidSocket);
  ExpectFailure(ws_.Socket(A(), kAfInet, kSockStream, kIpprotoUdp), kWSAEPROTONOSUPPORT,
                kInvalidSocket);
  ExpectFailure(ws_.Socket(A(), kAfInet, kSockRaw, 0), kWSAEACCES, kInvalidSocket);
  ExpectFailure(ws_.WSASocketW(A(), kAfInet, kSockStream, 0, 0, 1, 0), kWSAEINVAL, kInvalidSocket);
}

// WSASocketW takes 0 / FROM_PROTOCOL_INFO arguments from the WSAPROTOCOL_INFOW given (Wine
// test_WSASocket).
TEST_F(WinsockCalls, WsaSocketTakesProtocolInfo) {
  StartBoth();
  Bytes info(kProtocolInfoSize, 0);
  info[kProtocolInfoAddressFamily] = static_cast<std::uint8_t>(kAfInet);
  info[kProtocolInfoSocketType] = static_cast<std::uint8_t>(kSockDgram);
  info[kProtocolInfoProtocol] = static_cast<std::uint8_t>(kIpprotoUdp);
  const auto s = Must(ws_.WSASocketW(A(), 0, 0, 0, Place(A(), info), 0, 0));
  const auto [r, type] = GetInt(A(), s, kSolSocket, kSoType);
  ExpectSuccess(r);
  EXPECT_EQ(type, static_cast<std::uint32_t>(kSockDgram));
  ExpectFailure(ws_.WSASocketW(A(), kFromProtocolInfo, 0, 0, 0xdead0000, 0, 0), kWSAEFAULT,
                kInvalidSocket);
}

// ---- bind ----

// Wine test_bind: the order of bind's checks.
TEST_F(WinsockCalls, BindCheckOrder) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectFailure(ws_.Bind(A(), s, 0, 16), kWSAEFAULT);
  ExpectFailure(ws_.Bind(A(), s, Place(A(), In4("10.0.0.1", 0)), 1), kWSAEFAULT);
  ExpectFailure(BindTo(A(), s, In6("::1", 0)), kWSAEAFNOSUPPORT);
  ExpectFailure(ws_.Bind(A(), s, Place(A(), In4("10.0.0.1", 0)), 15), kWSAEFAULT);
  ExpectFailure(BindTo(A(), s, In4("10.9.9.9", 0)), kWSAEADDRNOTAVAIL);
  ExpectSuccess(BindTo(A(), s, In4("10.0.0.1", 0)));
  // Bound: WSAEINVAL even for an address that is not this host's.
  ExpectFailure(BindTo(A(), s, In4("10.9.9.9", 0)), kWSAEINVAL);
  const SocketHandle s6 = Tcp(A(), kAfInet6);
  const Bytes six = In6("::1", 0);
  ExpectFailure(ws_.Bind(A(), s6, Place(A(), six), 24), kWSAEFAULT);  // sockaddr_in6_old
  ExpectSuccess(ws_.Bind(A(), s6, Place(A(), six), 28));
  // No privileged ports on Windows.
  ExpectSuccess(BindTo(A(), Tcp(A()), In4("10.0.0.1", 80)));
}

// Port 0 picks from the dynamic range 49152-65535.
TEST_F(WinsockCalls, BindPortZeroUsesDynamicRange) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectSuccess(BindTo(A(), s, In4("0.0.0.0", 0)));
  const std::uint16_t port = PortOf(Sock(A(), s).bytes);
  EXPECT_GE(port, 49152);
}

// ---- listen ----

// listen docs / Wine test_listen: datagram WSAEOPNOTSUPP, unbound WSAEINVAL, connected
// WSAEISCONN; listening twice is fine.
TEST_F(WinsockCalls, ListenChecks) {
  const auto pair = ConnectedTcp();
  ExpectFailure(ws_.Listen(A(), Udp(A()), 5), kWSAEOPNOTSUPP);
  ExpectFailure(ws_.Listen(A(), Tcp(A()), 5), kWSAEINVAL);
  ExpectFailure(ws_.Listen(A(), pair.client, 5), kWSAEISCONN);
  ExpectSuccess(ws_.Listen(B(), pair.listener, 2));
  ExpectFailure(ws_.Listen(A(), 0, 5), kWSAENOTSOCK);
}

// SOMAXCONN and SOMAXCONN_HINT(N) are accepted; a full queue refuses (listen docs).
TEST_F(WinsockCalls, ListenBacklogAndFullQueue) {
  StartBoth();
  const SocketHandle l = Tcp(B());
  ExpectSuccess(BindTo(B(), l, In4("10.0.0.2", 80)));
  ExpectSuccess(ws_.Listen(B(), l, 1));
  ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  ExpectFailure(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)), kWSAECONNREFUSED);
  const SocketHandle m = Tcp(B());
  ExpectSuccess(BindTo(B(), m, In4("10.0.0.2", 81)));
  ExpectSuccess(ws_.Listen(B(), m, static_cast<std::int32_t>(kSomaxconn)));
  const SocketHandle n = Tcp(B());
  ExpectSuccess(BindTo(B(), n, In4("10.0.0.2", 82)));
  ExpectSuccess(ws_.Listen(B(), n, -5));
}

// ---- connect ----

// connect docs / Wine test_connect: the address checks and the unspecified destination.
TEST_F(WinsockCalls, ConnectAddressChecks) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectFailure(ws_.Connect(A(), s, 0, 16), kWSAEFAULT);
  ExpectFailure(ws_.Connect(A(), s, Place(A(), In4("10.0.0.2", 80)), 15), kWSAEFAULT);
  ExpectFailure(ConnectTo(A(), s, In6("fd00::2", 80)), kWSAEAFNOSUPPORT);
  ExpectFailure(ConnectTo(A(), s, In4("0.0.0.0", 80)), kWSAEADDRNOTAVAIL);
  ExpectFailure(ConnectTo(A(), s, In4("10.0.0.2", 0)), kWSAEADDRNOTAVAIL);
  ExpectFailure(ConnectTo(A(), s, In4("192.0.2.1", 80)), kWSAENETUNREACH);
}

// A blocking connect waits for the handshake (virtual time passes); connecting again is
// WSAEISCONN; a listener cannot connect (WSAEINVAL).
TEST_F(WinsockCalls, BlockingConnect) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  const auto before = world_.now();
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  EXPECT_GT(world_.now(), before);
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEISCONN);
  ExpectFailure(ConnectTo(B(), l, In4("10.0.0.1", 80)), kWSAEINVAL);
}

// A non-blocking connect: WSAEWOULDBLOCK, then WSAEALREADY while it runs, WSAEISCONN once it
// is done; select reports the socket writable.
TEST_F(WinsockCalls, NonBlockingConnect) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEALREADY);
  world_.RunUntilIdle();
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEISCONN);
  ExpectSuccess(SendData(A(), c, "ok"), 2);
}

// Wine test_select: "Calling connect() doesn't reset the socket error, but a successful
// connection does": after a refused non-blocking connect, SO_ERROR keeps WSAECONNREFUSED while
// the next attempt runs, and is 0 once that attempt has connected.
TEST_F(WinsockCalls, RetriedConnectKeepsSoErrorUntilItSucceeds) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEWOULDBLOCK);
  world_.RunUntilIdle();
  const auto refused = static_cast<std::uint32_t>(kWSAECONNREFUSED);
  EXPECT_EQ(GetInt(A(), c, kSolSocket, kSoError).second, refused);
  (void)Listener(B(), In4("10.0.0.2", 80));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEWOULDBLOCK);
  EXPECT_EQ(GetInt(A(), c, kSolSocket, kSoError).second, refused);
  world_.RunUntilIdle();
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.2", 80)), kWSAEISCONN);
  EXPECT_EQ(GetInt(A(), c, kSolSocket, kSoError).second, 0u);
}

// Even on loopback a non-blocking connect says WSAEWOULDBLOCK first (connect docs).
TEST_F(WinsockCalls, NonBlockingLoopbackConnectWouldBlock) {
  StartBoth();
  (void)Listener(A(), In4("127.0.0.1", 80));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("127.0.0.1", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), c, In4("127.0.0.1", 80)), kWSAEISCONN);
}

// A Winsock 1.1 caller sees WSAEINVAL where 2.x sees WSAEALREADY (connect docs).
TEST_F(WinsockCalls, ConnectAlreadyIsInvalForWinsock11) {
  Startup(A(), MakeWord(1, 1));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.99", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), c, In4("10.0.0.99", 80)), kWSAEINVAL);
}

// An unanswered SYN times out after the initial RTO and its retransmissions (3 s, 6 s, 12 s:
// 21 s of virtual time).
TEST_F(WinsockCalls, ConnectTimesOut) {
  StartBoth();
  world_.topology().SetLinkFaults(link_, sim::LinkFaults{sim::Ratio{1, 1}, {}});
  const SocketHandle c = Tcp(A());
  const auto before = world_.now();
  const CallResult r = ConnectTo(A(), c, In4("10.0.0.2", 80));
  ExpectFailure(r, kWSAETIMEDOUT);
  EXPECT_EQ(world_.now() - before, sim::Duration::Seconds(21));
}

// A UDP connect binds the socket: getsockname works right after it.
TEST_F(WinsockCalls, UdpConnectBinds) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectFailure(Sock(A(), u).result, kWSAEINVAL);
  ExpectSuccess(ConnectTo(A(), u, In4("10.0.0.2", 53)));
  const Name name = Sock(A(), u);
  ExpectSuccess(name.result);
  EXPECT_NE(PortOf(name.bytes), 0);
}

// ---- accept ----

// Wine test_accept: *addrlen 0 is WSAEFAULT and stays 0; a NULL addrlen leaves the buffer
// alone; 128 becomes the real size.
TEST_F(WinsockCalls, AcceptAddressRules) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  for (int i = 0; i < 3; ++i) ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  const auto zero = Int(B(), 0);
  ExpectFailure(ws_.Accept(B(), l, Buffer(B()), zero), kWSAEFAULT, kInvalidSocket);
  EXPECT_EQ(ReadU32(B(), zero), 0u);
  const auto untouched = Buffer(B());
  EXPECT_TRUE(ws_.Accept(B(), l, untouched, 0).succeeded());
  EXPECT_EQ(Read(B(), untouched, 16), Bytes(16, 0xAA));
  const auto buf = Buffer(B());
  const auto len = Int(B(), 128);
  EXPECT_TRUE(ws_.Accept(B(), l, buf, len).succeeded());
  EXPECT_EQ(ReadU32(B(), len), 16u);
  const Bytes name = Read(B(), buf, 16);
  EXPECT_EQ(Bytes(name.begin(), name.begin() + 2), (Bytes{2, 0}));             // AF_INET
  EXPECT_EQ(Bytes(name.begin() + 4, name.begin() + 8), (Bytes{10, 0, 0, 1}));  // the client
  EXPECT_EQ(Read(B(), buf + 16, 4), Bytes(4, 0xAA));
  // The third connection is still queued: the failed call took nothing.
  EXPECT_TRUE(ws_.Accept(B(), l, 0, 0).succeeded());
}

// accept docs: not listening is WSAEINVAL, a datagram socket WSAEOPNOTSUPP; a non-blocking
// listener with nothing queued WSAEWOULDBLOCK; the accepted socket inherits FIONBIO.
TEST_F(WinsockCalls, AcceptStatesAndNonBlocking) {
  StartBoth();
  ExpectFailure(ws_.Accept(B(), Tcp(B()), 0, 0), kWSAEINVAL, kInvalidSocket);
  ExpectFailure(ws_.Accept(B(), Udp(B()), 0, 0), kWSAEOPNOTSUPP, kInvalidSocket);
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  ExpectSuccess(ws_.Ioctlsocket(B(), l, static_cast<std::int32_t>(kFionbio), Int(B(), 1)));
  ExpectFailure(ws_.Accept(B(), l, 0, 0), kWSAEWOULDBLOCK, kInvalidSocket);
  ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  world_.RunUntilIdle();  // the handshake's last ACK reaches the listener 1 ms later
  const SocketHandle s = Must(ws_.Accept(B(), l, 0, 0));
  ExpectFailure(RecvData(B(), s).first, kWSAEWOULDBLOCK);
}

// A blocking accept waits for a connection from another process when waiting is allowed.
TEST_F(WinsockCalls, BlockingAcceptWaitsForever) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  // Nothing will ever connect: the call blocks for good (no mark on the thread).
  EXPECT_TRUE(ws_.Accept(B(), l, 0, 0).blocked());
  ExpectSuccess(Sock(B(), l).result);
}

// ---- getsockname ----

// getsockname: ws2's own checks (NULL name, short namelen) come after the lookup; unbound is
// WSAEINVAL with the buffer untouched; 15 for an IPv4 name is WSAEFAULT (Wine
// test_getsockname).
TEST_F(WinsockCalls, GetsocknameChecks) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectFailure(ws_.Getsockname(A(), 0xdead, 0, 0), kWSAENOTSOCK);
  ExpectFailure(ws_.Getsockname(A(), s, 0, Int(A(), 16)), kWSAEFAULT);
  const auto buf = Buffer(A());
  ExpectFailure(ws_.Getsockname(A(), s, buf, Int(A(), 128)), kWSAEINVAL);
  EXPECT_EQ(Read(A(), buf, 16), Bytes(16, 0xAA));
  ExpectSuccess(BindTo(A(), s, In4("10.0.0.1", 4000)));
  const auto len = Int(A(), 15);
  ExpectFailure(ws_.Getsockname(A(), s, Buffer(A()), len), kWSAEFAULT);
  EXPECT_EQ(ReadU32(A(), len), 15u);
  EXPECT_EQ(Sock(A(), s).bytes, In4("10.0.0.1", 4000));
  // IPv6: 24 is too small (Wine test_bind), 28 fits.
  const SocketHandle s6 = Tcp(A(), kAfInet6);
  ExpectSuccess(BindTo(A(), s6, In6("fd00::1", 4000)));
  ExpectFailure(ws_.Getsockname(A(), s6, Buffer(A()), Int(A(), 24)), kWSAEFAULT);
  EXPECT_EQ(Sock(A(), s6).length, 28u);
}

// After a sendto a UDP socket is bound to 0.0.0.0 with a port (Wine test_getsockname).
TEST_F(WinsockCalls, GetsocknameAfterSendto) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ASSERT_TRUE(SendToName(A(), u, "x", In4("10.0.0.2", 9)).succeeded());
  const Name name = Sock(A(), u);
  ExpectSuccess(name.result);
  EXPECT_EQ(Bytes(name.bytes.begin() + 4, name.bytes.begin() + 8), Bytes(4, 0));
  EXPECT_NE(PortOf(name.bytes), 0);
}

// ---- shutdown ----

// Wine test_shutdown: an invalid how is WSAEINVAL first; an unconnected or listening stream
// socket is WSAENOTCONN; a datagram socket may be shut down; afterwards send and recv say
// WSAESHUTDOWN.
TEST_F(WinsockCalls, ShutdownChecksAndEffects) {
  const auto pair = ConnectedTcp();
  ExpectFailure(ws_.Shutdown(A(), Tcp(A()), 7), kWSAEINVAL);
  ExpectFailure(ws_.Shutdown(A(), Tcp(A()), kSdSend), kWSAENOTCONN);
  ExpectFailure(ws_.Shutdown(B(), pair.listener, kSdBoth), kWSAENOTCONN);
  const SocketHandle u = Udp(A());
  ExpectSuccess(ws_.Shutdown(A(), u, kSdSend));
  ExpectFailure(SendToName(A(), u, "x", In4("10.0.0.2", 9)), kWSAESHUTDOWN);
  ExpectSuccess(ws_.Shutdown(A(), pair.client, kSdSend));
  ExpectFailure(SendData(A(), pair.client, "x"), kWSAESHUTDOWN);
  ExpectSuccess(ws_.Shutdown(B(), pair.accepted, kSdReceive));
  ExpectFailure(RecvData(B(), pair.accepted).first, kWSAESHUTDOWN);
  // The other direction still works.
  ExpectSuccess(SendData(B(), pair.accepted, "up"), 2);
  EXPECT_EQ(RecvData(A(), pair.client).second, "up");
}

// ---- send / recv ----

TEST_F(WinsockCalls, StreamSendAndRecv) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(SendData(A(), pair.client, "hello"), 5);
  world_.RunUntilIdle();
  const auto [r, got] = RecvData(B(), pair.accepted);
  ExpectSuccess(r, 5);
  EXPECT_EQ(got, "hello");
  // send/recv docs: a buffer outside the caller's memory is WSAEFAULT, nothing taken.
  ExpectFailure(ws_.Send(A(), pair.client, 0xdead0000, 4, 0), kWSAEFAULT);
  ExpectSuccess(SendData(A(), pair.client, "more"), 4);
  world_.RunUntilIdle();
  ExpectFailure(ws_.Recv(B(), pair.accepted, 0xdead0000, 4, 0), kWSAEFAULT);
  EXPECT_EQ(RecvData(B(), pair.accepted).second, "more");
  // Unknown flags are WSAEOPNOTSUPP.
  ExpectFailure(ws_.Send(A(), pair.client, Buffer(A(), 1), 1, 0x4000), kWSAEOPNOTSUPP);
  // An unconnected stream socket cannot send or receive.
  ExpectFailure(SendData(A(), Tcp(A()), "x"), kWSAENOTCONN);
  ExpectFailure(RecvData(A(), Tcp(A())).first, kWSAENOTCONN);
}

// MSG_PEEK leaves the data queued; FIONREAD counts it.
TEST_F(WinsockCalls, PeekAndFionread) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(SendData(A(), pair.client, "abc"), 3);
  world_.RunUntilIdle();
  const auto count = Int(B(), 0);
  ExpectSuccess(ws_.Ioctlsocket(B(), pair.accepted, static_cast<std::int32_t>(kFionread), count));
  EXPECT_EQ(ReadU32(B(), count), 3u);
  const auto buf = Buffer(B(), 8);
  ExpectSuccess(ws_.Recv(B(), pair.accepted, buf, 8, static_cast<std::int32_t>(kMsgPeek)), 3);
  EXPECT_EQ(RecvData(B(), pair.accepted).second, "abc");
}

// SO_RCVTIMEO: a blocking recv with nothing to read fails WSAETIMEDOUT after the time-out.
TEST_F(WinsockCalls, ReceiveTimeout) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(SetInt(A(), pair.client, kSolSocket, kSoRcvtimeo, 500));
  const auto before = world_.now();
  ExpectFailure(RecvData(A(), pair.client).first, kWSAETIMEDOUT);
  EXPECT_EQ(world_.now() - before, sim::Duration::Milliseconds(500));
}

// A blocking recv waits for the peer's data.
TEST_F(WinsockCalls, BlockingRecvWaitsForData) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(SendData(B(), pair.accepted, "late"), 4);
  const auto [r, got] = RecvData(A(), pair.client);
  ExpectSuccess(r, 4);
  EXPECT_EQ(got, "late");
}

// ---- datagrams ----

// recv docs: an unbound UDP socket's recv is WSAEINVAL; an unconnected one cannot send
// (WSAENOTCONN: reference (f2)).
TEST_F(WinsockCalls, UdpUnboundAndUnconnected) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectFailure(RecvData(A(), u).first, kWSAEINVAL);
  ExpectFailure(SendData(A(), u, "x"), kWSAENOTCONN);
}

// A datagram longer than the buffer comes back truncated with WSAEMSGSIZE and is gone; a
// recvfrom whose fromlen is too small is WSAEFAULT and takes nothing.
TEST_F(WinsockCalls, DatagramTruncationAndFromlen) {
  StartBoth();
  const SocketHandle server = Udp(B());
  ExpectSuccess(BindTo(B(), server, In4("10.0.0.2", 5000)));
  const SocketHandle client = Udp(A());
  ASSERT_TRUE(SendToName(A(), client, "0123456789", In4("10.0.0.2", 5000)).succeeded());
  ASSERT_TRUE(SendToName(A(), client, "second", In4("10.0.0.2", 5000)).succeeded());
  world_.RunUntilIdle();
  const auto from = Buffer(B());
  const auto small = Int(B(), 15);
  ExpectFailure(ws_.Recvfrom(B(), server, Buffer(B(), 64), 64, 0, from, small), kWSAEFAULT);
  EXPECT_EQ(ReadU32(B(), small), 15u);
  const auto buf = Buffer(B(), 4);
  const auto len = Int(B(), 16);
  ExpectFailure(ws_.Recvfrom(B(), server, buf, 4, 0, from, len), kWSAEMSGSIZE);
  EXPECT_EQ(Read(B(), buf, 4), (Bytes{'0', '1', '2', '3'}));
  EXPECT_EQ(Read(B(), from, 16), In4("10.0.0.1", PortOf(Sock(A(), client).bytes)));
  EXPECT_EQ(RecvData(B(), server).second, "second");
}

// sendto docs: a broadcast destination needs SO_BROADCAST (WSAEACCES); a datagram above
// 65507 bytes is WSAEMSGSIZE; sendto on a stream socket ignores the address.
TEST_F(WinsockCalls, SendtoChecks) {
  const auto pair = ConnectedTcp();
  const SocketHandle u = Udp(A());
  ExpectFailure(SendToName(A(), u, "x", In4("255.255.255.255", 9)), kWSAEACCES);
  ExpectFailure(
      ws_.Sendto(A(), u, Buffer(A(), 65508), 65508, 0, Place(A(), In4("10.0.0.2", 9)), 16),
      kWSAEMSGSIZE);
  ExpectFailure(SendToName(A(), u, "x", In4("10.0.0.2", 0)), kWSAEADDRNOTAVAIL);
  ExpectSuccess(SendToName(A(), pair.client, "tcp", In4("1.2.3.4", 9)), 3);
}

// recv docs: on a UDP socket WSAECONNRESET reports an ICMP port unreachable for an earlier
// datagram.
TEST_F(WinsockCalls, UdpPortUnreachableIsConnReset) {
  StartBoth();
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("10.0.0.2", 5999)));
  ExpectSuccess(SendData(A(), u, "x"), 1);
  world_.RunUntilIdle();
  ExpectFailure(RecvData(A(), u).first, kWSAECONNRESET);
}

// recvfrom on a stream never writes from / fromlen (Wine test_tcp_sendto_recvfrom).
TEST_F(WinsockCalls, StreamRecvfromWritesNoSender) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(SendData(B(), pair.accepted, "hi"), 2);
  world_.RunUntilIdle();
  const auto from = Buffer(A());
  const auto len = Int(A(), 128);
  ExpectSuccess(ws_.Recvfrom(A(), pair.client, Buffer(A(), 8), 8, 0, from, len), 2);
  EXPECT_EQ(ReadU32(A(), len), 128u);
  EXPECT_EQ(Read(A(), from, 16), Bytes(16, 0xAA));
}

// ---- options ----

// setsockopt/getsockopt docs: an unknown level is WSAEINVAL, an unknown option
// WSAENOPROTOOPT; a NULL optval with a length is WSAEFAULT even on a bad handle (ws2 checks
// it first); getsockopt needs optval and optlen.
TEST_F(WinsockCalls, OptionLevelsAndUnknownOptions) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectFailure(SetInt(A(), s, 0x1234, kSoReuseaddr, 1), kWSAEINVAL);
  ExpectFailure(SetInt(A(), s, kSolSocket, 0x7777, 1), kWSAENOPROTOOPT);
  ExpectFailure(ws_.Setsockopt(A(), 0xdead, kSolSocket, kSoReuseaddr, 0, 4), kWSAEFAULT);
  ExpectFailure(SetInt(A(), 0xdead, kSolSocket, kSoReuseaddr, 1), kWSAENOTSOCK);
  ExpectFailure(GetInt(A(), s, 0x1234, kSoType).first, kWSAEINVAL);
  ExpectFailure(GetInt(A(), s, kSolSocket, 0x7777).first, kWSAENOPROTOOPT);
  ExpectFailure(ws_.Getsockopt(A(), s, kSolSocket, kSoType, Buffer(A(), 4), 0), kWSAEFAULT);
  // Row 3: a closed socket's option is WSAENOTSOCK and the out value untouched.
  ExpectSuccess(ws_.Closesocket(A(), s));
  const auto [r, v] = GetInt(A(), s, kSolSocket, kSoType);
  ExpectFailure(r, kWSAENOTSOCK);
  EXPECT_EQ(v, 0xA5A5A5A5u);
}

// Wine test_set_getsockopt: SO_TYPE reads back; it cannot be set (WSAENOPROTOOPT on TCP,
// WSAEINVAL on UDP); SO_ERROR can be set and reads back.
TEST_F(WinsockCalls, SoTypeAndSoError) {
  StartBoth();
  const SocketHandle t = Tcp(A());
  const SocketHandle u = Udp(A());
  EXPECT_EQ(GetInt(A(), t, kSolSocket, kSoType).second, static_cast<std::uint32_t>(kSockStream));
  EXPECT_EQ(GetInt(A(), u, kSolSocket, kSoType).second, static_cast<std::uint32_t>(kSockDgram));
  ExpectFailure(SetInt(A(), t, kSolSocket, kSoType, 2), kWSAENOPROTOOPT);
  ExpectFailure(SetInt(A(), u, kSolSocket, kSoType, 1), kWSAEINVAL);
  EXPECT_EQ(GetInt(A(), t, kSolSocket, kSoError).second, 0u);
  ExpectSuccess(SetInt(A(), t, kSolSocket, kSoError, 1234));
  EXPECT_EQ(GetInt(A(), t, kSolSocket, kSoError).second, 1234u);
  EXPECT_EQ(GetInt(A(), t, kSolSocket, kSoError).second, 1234u);  // not cleared by reading
  ExpectFailure(ws_.Getsockopt(A(), t, kSolSocket, kSoType, Buffer(A(), 4), Int(A(), 3)),
                kWSAEFAULT);
}

// Wine test_reuseaddr: SO_REUSEADDR and SO_EXCLUSIVEADDRUSE exclude each other; BOOL options
// take short buffers (0, 1 byte, -1) and come back in one byte when asked with less than 4.
TEST_F(WinsockCalls, BoolOptions) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectSuccess(SetInt(A(), s, kSolSocket, kSoReuseaddr, 1));
  ExpectFailure(SetInt(A(), s, kSolSocket, kSoExclusiveaddruse, 1), kWSAEINVAL);
  ExpectSuccess(SetInt(A(), s, kSolSocket, kSoReuseaddr, 0));
  ExpectSuccess(SetInt(A(), s, kSolSocket, kSoExclusiveaddruse, 1));
  ExpectFailure(SetInt(A(), s, kSolSocket, kSoReuseaddr, 1), kWSAEINVAL);
  EXPECT_EQ(GetInt(A(), s, kSolSocket, kSoExclusiveaddruse).second, 1u);
  ExpectSuccess(ws_.Setsockopt(A(), s, kSolSocket, kSoKeepalive, Place(A(), {1}), 1));
  ExpectSuccess(ws_.Setsockopt(A(), s, kSolSocket, kSoKeepalive, Place(A(), {1, 0, 0, 0}), -1));
  ExpectSuccess(ws_.Setsockopt(A(), s, kSolSocket, kSoKeepalive, Place(A(), {1}), 0));
  EXPECT_EQ(GetByteBool(A(), s, kSolSocket, kSoKeepalive).second, 0u);  // optlen 0 reads as FALSE
  const auto v = Buffer(A(), 4, 0xEE);
  const auto len = Int(A(), 1);
  ExpectSuccess(ws_.Setsockopt(A(), s, kIpprotoTcp, kTcpNodelay, Place(A(), {1}), 1));
  ExpectSuccess(ws_.Getsockopt(A(), s, kIpprotoTcp, kTcpNodelay, v, len));
  EXPECT_EQ(Read(A(), v, 4), (Bytes{1, 0xEE, 0xEE, 0xEE}));
  EXPECT_EQ(ReadU32(A(), len), 1u);
  ExpectFailure(SetInt(A(), Udp(A()), kIpprotoTcp, kTcpNodelay, 1), kWSAENOPROTOOPT);
  EXPECT_EQ(GetInt(A(), Udp(A()), kSolSocket, kSoAcceptconn).second, 0u);
  const SocketHandle l = Listener(A(), In4("10.0.0.1", 80));
  EXPECT_EQ(GetInt(A(), l, kSolSocket, kSoAcceptconn).second, 1u);
  ExpectFailure(SetInt(A(), l, kSolSocket, kSoAcceptconn, 0), kWSAENOPROTOOPT);
}

// Wine test_set_getsockopt's test_optsize table (passes on Windows): offered 1, 2 or 4 bytes,
// a BOOL option comes back in 1, 1 and 4 bytes, except the one-byte options (SO_KEEPALIVE,
// SO_DONTROUTE, TCP_NODELAY, IPV6_V6ONLY), which come back in 1 byte whatever is offered. The
// bytes past the written ones are left as they were.
TEST_F(WinsockCalls, BoolOptionSizesFollowTheOptsizeTable) {
  struct Row {
    const char* name;
    int family;
    bool datagram;
    int level;
    int option;
    std::uint32_t returned[3];  // for 1, 2 and 4 bytes offered
  };
  const Row rows[] = {
      {"SO_BROADCAST", kAfInet, true, kSolSocket, kSoBroadcast, {1, 1, 4}},
      {"SO_OOBINLINE", kAfInet, false, kSolSocket, kSoOobinline, {1, 1, 4}},
      {"SO_REUSEADDR", kAfInet, false, kSolSocket, kSoReuseaddr, {1, 1, 4}},
      {"SO_EXCLUSIVEADDRUSE", kAfInet, false, kSolSocket, kSoExclusiveaddruse, {1, 1, 4}},
      {"SO_KEEPALIVE", kAfInet, false, kSolSocket, kSoKeepalive, {1, 1, 1}},
      {"SO_DONTROUTE", kAfInet, false, kSolSocket, kSoDontroute, {1, 1, 1}},
      {"TCP_NODELAY", kAfInet, false, kIpprotoTcp, kTcpNodelay, {1, 1, 1}},
      {"IPV6_V6ONLY", kAfInet6, true, kLevelIpprotoIpv6, kIpv6V6only, {1, 1, 1}},
  };
  StartBoth();
  for (const Row& row : rows) {
    for (std::size_t i = 0; i < 3; ++i) {
      const std::uint32_t offered = 1u << i;
      SCOPED_TRACE(::testing::Message() << row.name << " offered " << offered);
      const SocketHandle s = row.datagram ? Udp(A(), row.family) : Tcp(A(), row.family);
      ExpectSuccess(ws_.Setsockopt(A(), s, row.level, row.option, Int(A(), 1), 4));
      const auto v = Int(A(), 0xA5A5A5A5u);
      const auto len = Int(A(), offered);
      ExpectSuccess(ws_.Getsockopt(A(), s, row.level, row.option, v, len));
      const std::uint32_t n = row.returned[i];
      EXPECT_EQ(ReadU32(A(), len), n);
      EXPECT_EQ(ReadU32(A(), v), n == 4 ? 1u : 0xA5A5A501u);
    }
  }
}

// SOL_SOCKET docs: SO_LINGER is a 4-byte struct linger, not for datagram sockets;
// SO_DONTLINGER is its complement.
TEST_F(WinsockCalls, LingerOptions) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  ExpectFailure(ws_.Setsockopt(A(), s, kSolSocket, kSoLinger, Place(A(), {1, 0}), 2), kWSAEFAULT);
  ExpectFailure(ws_.Setsockopt(A(), s, kSolSocket, kSoLinger, 0, 0), kWSAEFAULT);
  ExpectFailure(ws_.Setsockopt(A(), Udp(A()), kSolSocket, kSoLinger, Place(A(), {1, 0, 5, 0}), 4),
                kWSAENOPROTOOPT);
  ExpectSuccess(ws_.Setsockopt(A(), s, kSolSocket, kSoLinger, Place(A(), {1, 0, 5, 0}), 4));
  const auto v = Buffer(A(), 4);
  const auto len = Int(A(), 4);
  ExpectSuccess(ws_.Getsockopt(A(), s, kSolSocket, kSoLinger, v, len));
  EXPECT_EQ(Read(A(), v, 4), (Bytes{1, 0, 5, 0}));
  EXPECT_EQ(GetInt(A(), s, kSolSocket, kSoDontlinger).second, 0u);
  ExpectSuccess(SetInt(A(), s, kSolSocket, kSoDontlinger, 1));
  EXPECT_EQ(Read(A(), v, 1), (Bytes{1}));
  ExpectSuccess(ws_.Getsockopt(A(), s, kSolSocket, kSoLinger, v, len));
  EXPECT_EQ(Read(A(), v, 2), (Bytes{0, 0}));
}

// Wine test_ipv6only: IPV6_V6ONLY can change until bind (WSAEINVAL after); on AF_INET the
// set succeeds and the get is WSAEINVAL.
TEST_F(WinsockCalls, V6OnlyOption) {
  StartBoth();
  const SocketHandle s = Tcp(A(), kAfInet6);
  ExpectSuccess(SetInt(A(), s, kLevelIpprotoIpv6, kIpv6V6only, 0));
  EXPECT_EQ(GetByteBool(A(), s, kLevelIpprotoIpv6, kIpv6V6only).second, 0u);
  ExpectSuccess(BindTo(A(), s, In6("::", 0)));
  ExpectFailure(SetInt(A(), s, kLevelIpprotoIpv6, kIpv6V6only, 1), kWSAEINVAL);
  ExpectSuccess(SetInt(A(), Tcp(A()), kLevelIpprotoIpv6, kIpv6V6only, 1));
  ExpectFailure(GetByteBool(A(), Tcp(A()), kLevelIpprotoIpv6, kIpv6V6only).first, kWSAEINVAL);
}

// Row "related facts" (Wine test_set_getsockopt): SO_BSP_STATE has no addresses when unbound,
// the local one once bound, and the remote one equal to getpeername's once connected; a buffer
// too small is WSAEFAULT with optlen unchanged.
TEST_F(WinsockCalls, BspState) {
  const auto pair = ConnectedTcp();
  const auto read_state = [&](SocketHandle s, std::uint32_t room, CallResult* r) {
    const auto buf = Buffer(A(), 128, 0);
    const auto len = Int(A(), room);
    *r = ws_.Getsockopt(A(), s, kSolSocket, kSoBspState, buf, len);
    EXPECT_EQ(ReadU32(A(), len), room);
    return std::make_pair(buf, Read(A(), buf, 128));
  };
  CallResult r;
  const SocketHandle fresh = Tcp(A());
  auto [at, bytes] = read_state(fresh, 72, &r);
  ExpectSuccess(r);
  EXPECT_EQ(ReadU64(A(), at + kCsaddrLocalPointer), 0u);
  EXPECT_EQ(ReadU32(A(), at + kCsaddrLocalLength), 0u);
  EXPECT_EQ(ReadU64(A(), at + kCsaddrRemotePointer), 0u);
  EXPECT_EQ(ReadU32(A(), at + kCsaddrSocketType), static_cast<std::uint32_t>(kSockStream));
  EXPECT_EQ(ReadU32(A(), at + kCsaddrProtocol), static_cast<std::uint32_t>(kIpprotoTcp));
  (void)read_state(pair.client, 71, &r);
  ExpectFailure(r, kWSAEFAULT);
  auto [cat, cbytes] = read_state(pair.client, 128, &r);
  ExpectSuccess(r);
  const auto remote = ReadU64(A(), cat + kCsaddrRemotePointer);
  EXPECT_EQ(remote, cat + kCsaddrInfoSize + 16);
  EXPECT_EQ(ReadU32(A(), cat + kCsaddrRemoteLength), 16u);
  EXPECT_EQ(Read(A(), remote, 16), Peer(A(), pair.client).bytes);
  EXPECT_EQ(Read(A(), ReadU64(A(), cat + kCsaddrLocalPointer), 16), Sock(A(), pair.client).bytes);
}

// Wine test_connect_time: ~0 unconnected (and for UDP), then seconds since the connection.
TEST_F(WinsockCalls, ConnectTime) {
  const auto pair = ConnectedTcp();
  EXPECT_EQ(GetInt(A(), Tcp(A()), kSolSocket, kSoConnectTime).second, 0xffffffffu);
  const SocketHandle u = Udp(A());
  ExpectSuccess(ConnectTo(A(), u, In4("10.0.0.2", 9)));
  EXPECT_EQ(GetInt(A(), u, kSolSocket, kSoConnectTime).second, 0xffffffffu);
  EXPECT_EQ(GetInt(A(), pair.client, kSolSocket, kSoConnectTime).second, 0u);
  (void)world_.RunUntil(world_.now() + sim::Duration::Seconds(5));
  EXPECT_EQ(GetInt(A(), pair.client, kSolSocket, kSoConnectTime).second, 5u);
  EXPECT_EQ(GetInt(A(), u, kSolSocket, kSoMaxMsgSize).second, 65507u);
}

// ---- ioctls ----

// Wine test_ioctlsocket: FIONBIO / FIONREAD / SIOCATMARK with a bad pointer are WSAEFAULT;
// SIOCATMARK is TRUE with no urgent data; an unknown code is WSAEOPNOTSUPP (Wine
// test_unsupported_ioctls), and with an OVERLAPPED ERROR_IO_PENDING completing as
// STATUS_NOT_SUPPORTED.
TEST_F(WinsockCalls, Ioctls) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  for (const std::int64_t cmd : {kFionbio, kFionread, kSiocatmark}) {
    ExpectFailure(ws_.Ioctlsocket(A(), s, static_cast<std::int32_t>(cmd), 1), kWSAEFAULT);
  }
  const auto mark = Int(A(), 7);
  ExpectSuccess(ws_.Ioctlsocket(A(), s, static_cast<std::int32_t>(kSiocatmark), mark));
  EXPECT_EQ(ReadU32(A(), mark), 1u);
  ExpectFailure(ws_.Ioctlsocket(A(), s, 0x7ffe, Int(A(), 0)), kWSAEOPNOTSUPP);
  const auto bytes = Int(A(), 99);
  ExpectFailure(ws_.WSAIoctl(A(), s, 0x7ffe, 0, 0, 0, 0, bytes, 0, 0), kWSAEOPNOTSUPP);
  EXPECT_EQ(ReadU32(A(), bytes), 0u);
  const auto ov = Overlapped(A());
  ExpectFailure(ws_.WSAIoctl(A(), s, 0x7ffe, 0, 0, 0, 0, bytes, ov, 0), kERROR_IO_PENDING);
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusNotSupported));
  ExpectFailure(
      ws_.WSAIoctl(A(), s, static_cast<std::uint32_t>(kFionbio), Int(A(), 1), 4, 0, 0, 0, 0, 0),
      kWSAEFAULT);
  const auto base = U64(A(), 0);
  ExpectSuccess(
      ws_.WSAIoctl(A(), s, static_cast<std::uint32_t>(kSioBaseHandle), 0, 0, base, 8, bytes, 0, 0));
  EXPECT_EQ(ReadU64(A(), base), s);
  EXPECT_EQ(ReadU32(A(), bytes), 8u);
}

}  // namespace
}  // namespace socksim::testing
