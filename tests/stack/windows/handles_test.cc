// File: tests/stack/windows/handles_test.cc
// Kernel handles that are not sockets (kernel32 CreateFileW / DuplicateHandle / CloseHandle)
// and how ws2 treats them (reference (c) "Handles"; Wine test_WSAGetOverlappedResult,
// test_sockopt_validity).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockHandles = WindowsFixture;

// Files and sockets share one numbering: multiples of four from 0x100, never reused; kernel32
// needs no WSAStartup.
TEST_F(WinsockHandles, SharedNumberingNeverReused) {
  const CallResult f = ws_.CreateFileW(A(), "C:\\a.txt");
  EXPECT_EQ(f, CallResult::Success(0x100));
  Startup(A());
  EXPECT_EQ(Tcp(A()), 0x104u);
  EXPECT_EQ(ws_.CloseHandle(A(), 0x100), CallResult::Success(kTrue));
  EXPECT_EQ(ws_.CreateFileW(A(), "C:\\b.txt"), CallResult::Success(0x108));
}

// test_sockopt_validity: a file handle is WSAENOTSOCK to every socket call.
TEST_F(WinsockHandles, FileHandleIsNotASocket) {
  Startup(A());
  const auto file = static_cast<SocketHandle>(ws_.CreateFileW(A(), "C:\\a.txt").value);
  ExpectFailure(GetInt(A(), file, kSolSocket, kSoType).first, kWSAENOTSOCK);
  ExpectFailure(BindTo(A(), file, In4("10.0.0.1", 0)), kWSAENOTSOCK);
  ExpectFailure(ws_.Closesocket(A(), file), kWSAENOTSOCK);
  EXPECT_EQ(ws_.CloseHandle(A(), file), CallResult::Success(kTrue));
}

// DuplicateHandle: only the current-process pseudo handle, an open source, a writable
// target; the copy names the same socket (the provider sees it) but is not a SOCKET to ws2;
// DUPLICATE_CLOSE_SOURCE closes the source.
TEST_F(WinsockHandles, DuplicateHandleRules) {
  const auto pair = ConnectedTcp();
  const auto target = U64(A(), 0);
  ExpectFailure(
      ws_.DuplicateHandle(A(), 0x1234, pair.client, kCurrentProcessHandle, target, 0, 0, 0),
      kERROR_INVALID_HANDLE, kFalse);
  ExpectFailure(ws_.DuplicateHandle(A(), kCurrentProcessHandle, 0x9990, kCurrentProcessHandle,
                                    target, 0, 0, 0),
                kERROR_INVALID_HANDLE, kFalse);
  ExpectFailure(ws_.DuplicateHandle(A(), kCurrentProcessHandle, pair.client, kCurrentProcessHandle,
                                    0xdead0000, 0, 0, 0),
                kERROR_NOACCESS, kFalse);
  EXPECT_EQ(ws_.DuplicateHandle(A(), kCurrentProcessHandle, pair.client, kCurrentProcessHandle,
                                target, 0, 0, kDuplicateSameAccess),
            CallResult::Success(kTrue));
  const SocketHandle copy = ReadU64(A(), target);
  EXPECT_NE(copy, pair.client);
  ExpectFailure(Peer(A(), copy).result, kWSAENOTSOCK);
  // The base provider, asked directly, knows the object behind the copy.
  const auto err = Int(A(), 0);
  EXPECT_TRUE(ws_.WSPGetPeerName(A(), copy, Buffer(A()), Int(A(), 128), err, "tcpip").succeeded());
  const auto moved = U64(A(), 0);
  EXPECT_EQ(ws_.DuplicateHandle(A(), kCurrentProcessHandle, copy, kCurrentProcessHandle, moved, 0,
                                0, kDuplicateCloseSource),
            CallResult::Success(kTrue));
  ExpectFailure(ws_.CloseHandle(A(), copy), kERROR_INVALID_HANDLE, kFalse);
  EXPECT_EQ(ws_.CloseHandle(A(), ReadU64(A(), moved)), CallResult::Success(kTrue));
  // The SOCKET still works: its own handle was never closed.
  ExpectSuccess(Peer(A(), pair.client).result);
}

// CloseHandle on a SOCKET closes it under ws2: a later call reaches the provider, which no
// longer finds it (WSAENOTSOCK), and the peer sees the end of the stream.
TEST_F(WinsockHandles, CloseHandleOnSocket) {
  const auto pair = ConnectedTcp();
  EXPECT_EQ(ws_.CloseHandle(A(), pair.client), CallResult::Success(kTrue));
  ExpectFailure(Peer(A(), pair.client).result, kWSAENOTSOCK);
  world_.RunUntilIdle();
  ExpectSuccess(RecvData(B(), pair.accepted).first, 0);
  ExpectFailure(ws_.CloseHandle(A(), pair.client), kERROR_INVALID_HANDLE, kFalse);
}

}  // namespace
}  // namespace socksim::testing
