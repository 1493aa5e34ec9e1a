// File: tests/stack/windows/startup_test.cc
// WSAStartup / WSACleanup and the per-thread last error: version negotiation and the WSADATA
// bytes (ReactOS apitest ws2_32 WSAStartup, which runs on Windows), the reference count, the
// last cleanup destroying every socket (Wine test_WithWSAStartup; rows 4-6), the last error
// shared per thread and cleared by successes from Windows 7 on (row 40).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockStartup = WindowsFixture;

// The negotiation table: requested version -> return value and wVersion (wHighVersion is
// always 2.2).
TEST_F(WinsockStartup, VersionNegotiation) {
  struct Case {
    std::uint16_t requested;
    std::int64_t result;
    std::uint16_t version;
  };
  const std::vector<Case> cases = {
      {MakeWord(0, 0), kWSAVERNOTSUPPORTED, MakeWord(2, 2)},
      {MakeWord(0, 1), kWSAVERNOTSUPPORTED, MakeWord(2, 2)},
      {MakeWord(1, 0), 0, MakeWord(1, 0)},
      {MakeWord(1, 1), 0, MakeWord(1, 1)},
      {MakeWord(1, 2), 0, MakeWord(1, 1)},
      {MakeWord(2, 0), 0, MakeWord(2, 0)},
      {MakeWord(2, 1), 0, MakeWord(2, 1)},
      {MakeWord(2, 2), 0, MakeWord(2, 2)},
      {MakeWord(2, 3), 0, MakeWord(2, 2)},
      {MakeWord(3, 0), 0, MakeWord(2, 2)},
      {MakeWord(9, 9), 0, MakeWord(2, 2)},
  };
  for (const Case& c : cases) {
    const auto data = Buffer(A(), kWsadataSize, 0xCC);
    const CallResult r = ws_.WSAStartup(A(), c.requested, data);
    SCOPED_TRACE(c.requested);
    EXPECT_EQ(r.value, c.result);
    EXPECT_EQ(r.succeeded(), c.result == 0);
    const Bytes d = Read(A(), data, kWsadataSize);
    EXPECT_EQ(d[0] | (d[1] << 8), c.version);
    EXPECT_EQ(d[2] | (d[3] << 8), MakeWord(2, 2));
    if (r.succeeded()) ExpectSuccess(ws_.WSACleanup(A()));
  }
}

// The WSADATA bytes: description and status strings NUL-filled, iMaxSockets / iMaxUdpDg for
// 1.x only, lpVendorInfo untouched.
TEST_F(WinsockStartup, WsadataBytes) {
  for (const std::uint16_t v : {MakeWord(1, 1), MakeWord(2, 2)}) {
    const auto data = Buffer(A(), kWsadataSize, 0xCC);
    ASSERT_TRUE(ws_.WSAStartup(A(), v, data).succeeded());
    const Bytes d = Read(A(), data, kWsadataSize);
    const bool legacy = v == MakeWord(1, 1);
    EXPECT_EQ(d[4] | (d[5] << 8), legacy ? 32767 : 0);
    EXPECT_EQ(d[6] | (d[7] << 8), legacy ? 65467 : 0);
    EXPECT_EQ(Bytes(d.begin() + 8, d.begin() + 16), Bytes(8, 0xCC));  // lpVendorInfo
    const std::string description(d.begin() + 16, d.begin() + 16 + 11);
    EXPECT_EQ(description, "WinSock 2.0");
    EXPECT_EQ(Bytes(d.begin() + 16 + 11, d.begin() + 16 + 257), Bytes(257 - 11, 0));
    const std::string status(d.begin() + 273, d.begin() + 273 + 7);
    EXPECT_EQ(status, "Running");
    EXPECT_EQ(Bytes(d.begin() + 280, d.begin() + 402), Bytes(122, 0));
    EXPECT_EQ(Bytes(d.begin() + 402, d.end()), Bytes(6, 0xCC));  // the padding is not written
    ExpectSuccess(ws_.WSACleanup(A()));
  }
}

// A NULL WSADATA is WSAEFAULT, unless the version is refused first; failures are return
// values and leave the last error alone.
TEST_F(WinsockStartup, NullWsadataAndFailuresLeaveLastError) {
  (void)ws_.WSASetLastError(A(), 77);
  EXPECT_EQ(ws_.WSAStartup(A(), MakeWord(2, 2), 0), CallResult::Failure(kWSAEFAULT, std::nullopt));
  EXPECT_EQ(ws_.WSAStartup(A(), MakeWord(0, 0), 0),
            CallResult::Failure(kWSAVERNOTSUPPORTED, std::nullopt));
  EXPECT_EQ(ws_.LastError(A()), 77);
  // Nothing was started.
  ExpectFailure(ws_.WSACleanup(A()), kWSANOTINITIALISED);
  // A successful startup stores 0 (ReactOS apitest).
  (void)ws_.WSASetLastError(A(), 77);
  ExpectSuccess(ws_.WSAStartup(A(), MakeWord(2, 2), Buffer(A(), kWsadataSize)));
  EXPECT_EQ(ws_.LastError(A()), 0);
}

// The reference count: only the cleanup that brings it to 0 cleans up; one too many is
// WSANOTINITIALISED (Wine test_WithWSAStartup, row 5).
TEST_F(WinsockStartup, ReferenceCount) {
  Startup(A());
  Startup(A());
  const SocketHandle s = Tcp(A());
  ExpectSuccess(ws_.WSACleanup(A()));
  ExpectFailure(Peer(A(), s).result, kWSAENOTCONN);  // still alive
  ExpectSuccess(ws_.WSACleanup(A()));
  ExpectFailure(Peer(A(), s).result, kWSANOTINITIALISED);
  ExpectFailure(ws_.WSACleanup(A()), kWSANOTINITIALISED);
  ExpectFailure(ws_.Socket(A(), kAfInet, kSockStream, 0), kWSANOTINITIALISED, kInvalidSocket);
}

// Row 4: the last cleanup destroys every socket: the listener's port is free again, a peer
// sees the connection end, and the old handles stay invalid after a new startup.
TEST_F(WinsockStartup, LastCleanupDestroysEverySocketRow4) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(ws_.WSACleanup(B()));
  world_.RunUntilIdle();
  const auto [r, got] = RecvData(A(), pair.client);
  ExpectSuccess(r, 0);  // the accepted socket was closed: end of stream
  // The listener is gone: a new connection to its port is refused.
  ExpectFailure(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)), kWSAECONNREFUSED);
  Startup(B());
  ExpectFailure(ws_.Closesocket(B(), pair.listener), kWSAENOTSOCK);
  EXPECT_GT(Tcp(B()), pair.accepted);  // values are not reused
}

// Per-thread last error: WSASetLastError on one thread is not seen on another; a failure on a
// thread sets only that thread's value; WSAGetLastError stores nothing.
TEST_F(WinsockStartup, LastErrorIsPerThread) {
  Startup(A());
  sim::Thread& second = world_.SpawnThread(a_->pid());
  EXPECT_EQ(ws_.WSASetLastError(A(), 5), CallResult::SuccessSetting(0, 5));
  EXPECT_EQ(ws_.WSAGetLastError(second), CallResult::Success(0));
  ExpectFailure(ws_.Getpeername(second, 0xdead, 0, 0), kWSAENOTSOCK);
  EXPECT_EQ(ws_.WSAGetLastError(A()), CallResult::Success(5));
  EXPECT_EQ(ws_.WSAGetLastError(second), CallResult::Success(kWSAENOTSOCK));
  EXPECT_EQ(ws_.WSAGetLastError(second).code, std::nullopt);
}

// Row 40 across the calls: every success stores 0 on Windows 7 and later.
TEST_F(WinsockStartup, Row40SuccessesClearLastError) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  (void)ws_.WSASetLastError(A(), 0xbad);
  ExpectSuccess(BindTo(A(), s, In4("10.0.0.1", 0)));
  (void)ws_.WSASetLastError(A(), 0xbad);
  ExpectSuccess(Sock(A(), s).result);
  (void)ws_.WSASetLastError(A(), 0xbad);
  ExpectSuccess(ws_.Closesocket(A(), s));
  EXPECT_EQ(ws_.LastError(A()), 0);
}

class WinsockStartupXp : public WindowsFixture {
 public:
  WinsockStartupXp() : WindowsFixture(*WindowsRelease::Parse("xp")) {}
};

// Row 40 before Windows 7: successes leave the last error alone.
TEST_F(WinsockStartupXp, Row40SuccessesLeaveLastError) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  (void)ws_.WSASetLastError(A(), 0xbad);
  EXPECT_EQ(BindTo(A(), s, In4("10.0.0.1", 0)), CallResult::Success(0));
  EXPECT_EQ(ws_.Closesocket(A(), s), CallResult::Success(0));
  EXPECT_EQ(ws_.LastError(A()), 0xbad);
}

// The 1.1 blocking hooks for a 2.x caller: WSAIsBlocking is FALSE, WSACancelBlockingCall
// WSAEOPNOTSUPP (ReactOS bhook.c).
TEST_F(WinsockStartup, BlockingHooksForWinsock2Callers) {
  Startup(A());
  EXPECT_EQ(ws_.WSAIsBlocking(A()), CallResult::Success(kFalse));
  ExpectFailure(ws_.WSACancelBlockingCall(A()), kWSAEOPNOTSUPP);
}

// The lowest version any startup of the process negotiated is the process's version.
TEST_F(WinsockStartup, ProcessKeepsLowestVersion) {
  Startup(A(), MakeWord(2, 2));
  Startup(A(), MakeWord(1, 1));
  ExpectFailure(ws_.WSACancelBlockingCall(A()), kWSAEINVAL);  // a 1.1 process, not blocking
}

}  // namespace
}  // namespace socksim::testing
