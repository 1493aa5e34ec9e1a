// File: tests/stack/windows/blocking_test.cc
// The blocking model (design "Blocking and the blocking-hook model"): a call that must wait
// while waiting is not allowed has no effect and marks the thread; other calls on that thread
// then fail WSAEINPROGRESS (WIN-10, SPI-9, row 42) until the call runs again; Winsock 1.1's
// WSAIsBlocking and WSACancelBlockingCall (the blocked call then fails WSAEINTR).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockBlocking = WindowsFixture;

// A blocked call has no effect: a blocking connect with waiting not allowed sends nothing,
// so the listener sees no connection; the same call resumes when waiting is allowed.
TEST_F(WinsockBlocking, BlockedCallHasNoEffectAndResumes) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ws_.AllowWaiting(A(), false);
  EXPECT_TRUE(ConnectTo(A(), c, In4("10.0.0.2", 80)).blocked());
  world_.RunUntilIdle();
  ExpectSuccess(ws_.Ioctlsocket(B(), l, static_cast<std::int32_t>(kFionbio), Int(B(), 1)));
  ExpectFailure(ws_.Accept(B(), l, 0, 0), kWSAEWOULDBLOCK, kInvalidSocket);
  // Another call on the blocked thread: WSAEINPROGRESS (for a 2.x process this is a call from
  // a callback run during the wait: winsock.cc Prolog).
  ExpectFailure(Sock(A(), c).result, kWSAEINPROGRESS);
  ExpectFailure(ws_.Socket(A(), kAfInet, kSockStream, 0), kWSAEINPROGRESS, kInvalidSocket);
  EXPECT_EQ(ws_.WSAStartup(A(), MakeWord(2, 2), Buffer(A(), kWsadataSize)),
            CallResult::Failure(kWSAEINPROGRESS, std::nullopt));
  // Another thread of the process is not affected.
  sim::Thread& other = world_.SpawnThread(a_->pid());
  ExpectFailure(Sock(other, c).result, kWSAEINVAL);  // not bound: the connect did nothing
  // The resumed call (same call, same socket) runs and succeeds.
  ws_.AllowWaiting(A(), true);
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  ExpectSuccess(Sock(A(), c).result);
}

// Winsock 1.1: WSAIsBlocking is TRUE while a call is blocked; WSACancelBlockingCall cancels it
// and the resumed call fails WSAEINTR; with nothing blocked the cancel is WSAEINVAL.
TEST_F(WinsockBlocking, CancelBlockingCallForWinsock11) {
  Startup(A(), MakeWord(1, 1));
  Startup(B());
  const SocketHandle l = Listener(A(), In4("10.0.0.1", 80));
  EXPECT_EQ(ws_.WSAIsBlocking(A()), CallResult::Success(kFalse));
  ExpectFailure(ws_.WSACancelBlockingCall(A()), kWSAEINVAL);
  ws_.AllowWaiting(A(), false);
  EXPECT_TRUE(ws_.Accept(A(), l, 0, 0).blocked());
  EXPECT_EQ(ws_.WSAIsBlocking(A()), CallResult::Success(kTrue));
  ExpectSuccess(ws_.WSACancelBlockingCall(A()));
  ws_.AllowWaiting(A(), true);
  ExpectFailure(ws_.Accept(A(), l, 0, 0), kWSAEINTR, kInvalidSocket);
  EXPECT_EQ(ws_.WSAIsBlocking(A()), CallResult::Success(kFalse));
  ExpectSuccess(Sock(A(), l).result);
}

// A blocked recv resumes and gets the data that arrived meanwhile.
TEST_F(WinsockBlocking, BlockedRecvResumesWithData) {
  const auto pair = ConnectedTcp();
  ws_.AllowWaiting(A(), false);
  EXPECT_TRUE(RecvData(A(), pair.client).first.blocked());
  ExpectSuccess(SendData(B(), pair.accepted, "late"), 4);
  ws_.AllowWaiting(A(), true);
  const auto [r, got] = RecvData(A(), pair.client);
  ExpectSuccess(r, 4);
  EXPECT_EQ(got, "late");
}

// A blocked call stores no last error.
TEST_F(WinsockBlocking, BlockedCallStoresNothing) {
  const auto pair = ConnectedTcp();
  (void)ws_.WSASetLastError(A(), 42);
  ws_.AllowWaiting(A(), false);
  const CallResult r = RecvData(A(), pair.client).first;
  EXPECT_EQ(r, CallResult::Blocked());
  EXPECT_EQ(ws_.LastError(A()), 42);
}

}  // namespace
}  // namespace socksim::testing
