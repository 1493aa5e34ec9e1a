// File: tests/stack/windows/overlapped_test.cc
// The mswsock extension functions as programs reach them (WSAIoctl's
// SIO_GET_EXTENSION_FUNCTION_POINTER), ConnectEx / AcceptEx / DisconnectEx with OVERLAPPED,
// and WSAGetOverlappedResult (Wine test_get_extension_func, test_ConnectEx, test_AcceptEx,
// test_DisconnectEx, test_WSAGetOverlappedResult).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

using WinsockOverlapped = WindowsFixture;

constexpr auto kGetPointer = static_cast<std::uint32_t>(kSioGetExtensionFunctionPointer);

// Wine test_get_extension_func: the pointer comes back in 8 bytes with a byte count of 8; an
// unknown GUID is WSAEINVAL with the byte count untouched; a short output is WSAEFAULT; with
// an OVERLAPPED, Internal and InternalHigh are 0 afterwards. The process then holds the
// pointer.
TEST_F(WinsockOverlapped, ExtensionFunctionLookup) {
  StartBoth();
  const SocketHandle s = Tcp(A());
  const auto& info = Extension(ExtensionFunction::kConnectEx);
  const auto guid = Place(A(), Bytes(info.guid.begin(), info.guid.end()));
  const auto out = U64(A(), 0);
  const auto bytes = Int(A(), 0);
  EXPECT_FALSE(ws_.ExtensionRetrieved(*a_, ExtensionFunction::kConnectEx));
  ExpectSuccess(ws_.WSAIoctl(A(), s, kGetPointer, guid, 16, out, 8, bytes, 0, 0));
  EXPECT_EQ(ReadU64(A(), out), info.pointer);
  EXPECT_EQ(ReadU32(A(), bytes), 8u);
  EXPECT_TRUE(ws_.ExtensionRetrieved(*a_, ExtensionFunction::kConnectEx));
  EXPECT_FALSE(ws_.ExtensionRetrieved(*a_, ExtensionFunction::kAcceptEx));
  const auto bogus = Place(A(), Bytes(16, 0x42));
  const auto untouched = Int(A(), 77);
  ExpectFailure(ws_.WSAIoctl(A(), s, kGetPointer, bogus, 16, out, 8, untouched, 0, 0), kWSAEINVAL);
  EXPECT_EQ(ReadU32(A(), untouched), 77u);
  ExpectFailure(ws_.WSAIoctl(A(), s, kGetPointer, guid, 16, out, 4, bytes, 0, 0), kWSAEFAULT);
  ExpectFailure(ws_.WSAIoctl(A(), s, kGetPointer, guid, 8, out, 8, bytes, 0, 0), kWSAEFAULT);
  const auto ov = Buffer(A(), kOverlappedSize, 0xCC);
  // Without a byte count the call fails WSAEFAULT, with an OVERLAPPED too (Wine
  // test_get_extension_func, plain ok), and the output is not written.
  const auto not_written = U64(A(), 0x1111);
  ExpectFailure(ws_.WSAIoctl(A(), s, kGetPointer, guid, 16, not_written, 8, 0, ov, 0), kWSAEFAULT);
  EXPECT_EQ(ReadU64(A(), not_written), 0x1111u);
  ExpectSuccess(ws_.WSAIoctl(A(), s, kGetPointer, guid, 16, out, 8, bytes, ov, 0));
  EXPECT_EQ(Internal(A(), ov), 0u);
  EXPECT_EQ(ReadU64(A(), ov + kOverlappedInternalHigh), 8u);
  // The last cleanup forgets the pointers.
  ExpectSuccess(ws_.WSACleanup(A()));
  EXPECT_FALSE(ws_.ExtensionRetrieved(*a_, ExtensionFunction::kConnectEx));
}

// Wine test_ConnectEx: the checks before the connection starts.
TEST_F(WinsockOverlapped, ConnectExChecks) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  (void)l;
  const SocketHandle c = Tcp(A());
  const auto to = Place(A(), In4("10.0.0.2", 80));
  ExpectFailure(ws_.ConnectEx(A(), 0xdead, to, 16, 0, 0, 0, Overlapped(A())), kWSAENOTSOCK, kFalse);
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, 0), kERROR_INVALID_PARAMETER, kFalse);
  // Unbound: WSAEINVAL, and Internal is already STATUS_PENDING.
  const auto ov = Overlapped(A());
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, ov), kWSAEINVAL, kFalse);
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusPending));
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  ExpectFailure(ws_.ConnectEx(A(), c, to, 15, 0, 0, 0, Overlapped(A())), kWSAEFAULT, kFalse);
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), In4("0.0.0.0", 80)), 16, 0, 0, 0, Overlapped(A())),
                kWSAEADDRNOTAVAIL, kFalse);
  const SocketHandle listener = Listener(A(), In4("10.0.0.1", 81));
  ExpectFailure(ws_.ConnectEx(A(), listener, to, 16, 0, 0, 0, Overlapped(A())), kWSAEINVAL, kFalse);
  // Pending: a second ConnectEx and a plain connect are WSAEINVAL.
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, ov), kERROR_IO_PENDING, kFalse);
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, Overlapped(A())), kWSAEINVAL, kFalse);
  ExpectFailure(ws_.Connect(A(), c, to, 16), kWSAEINVAL);
  world_.RunUntilIdle();
  // Completed: a second ConnectEx is WSAEISCONN, while a plain connect is WSAEINVAL until the
  // context is updated (Wine test_connect: todo_wine, what Windows does).
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, Overlapped(A())), kWSAEISCONN, kFalse);
  ExpectFailure(ws_.Connect(A(), c, to, 16), kWSAEINVAL);
  // getsockname too waits for the context update (Wine test_AcceptEx: "Windows needs the
  // option"; WSPGetSockName, confidence M-L).
  ExpectFailure(Sock(A(), c).result, kWSAENOTCONN);
  ExpectSuccess(ws_.Setsockopt(A(), c, kSolSocket, kSoUpdateConnectContext, 0, 0));
  ExpectFailure(ws_.Connect(A(), c, to, 16), kWSAEISCONN);
  const Name name = Sock(A(), c);
  ExpectSuccess(name.result);
  EXPECT_EQ(name.length, 16u);
}

// Wine test_connecting_socket: while a plain non-blocking connect is in progress, a second
// connect is WSAEALREADY but a ConnectEx is WSAEINVAL (plain ok).
TEST_F(WinsockOverlapped, ConnectExWhilePlainConnectRuns) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  ExpectSuccess(ws_.Ioctlsocket(A(), c, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  const auto to = Place(A(), In4("10.0.0.2", 80));
  ExpectFailure(ws_.Connect(A(), c, to, 16), kWSAEWOULDBLOCK);
  ExpectFailure(ws_.Connect(A(), c, to, 16), kWSAEALREADY);
  ExpectFailure(ws_.ConnectEx(A(), c, to, 16, 0, 0, 0, Overlapped(A())), kWSAEINVAL, kFalse);
}

// ConnectEx sends its buffer once connected; the byte count is InternalHigh and
// WSAGetOverlappedResult's transferred count; the OVERLAPPED is written lazily, at the next
// call of the process.
TEST_F(WinsockOverlapped, ConnectExSendsDataAndCompletesLazily) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  const auto ov = Overlapped(A());
  const Bytes data = {'h', 'e', 'l', 'l', 'o'};
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), In4("10.0.0.2", 80)), 16, Place(A(), data), 5,
                              Int(A(), 0), ov),
                kERROR_IO_PENDING, kFalse);
  world_.RunUntilIdle();
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusPending));  // not reaped yet
  (void)ws_.WSAGetLastError(A());  // a call of the process reaps
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusSuccess));
  EXPECT_EQ(ReadU64(A(), ov + kOverlappedInternalHigh), 5u);
  const auto transferred = Int(A(), 0);
  const auto flags = Int(A(), 0x55);
  EXPECT_EQ(ws_.WSAGetOverlappedResult(A(), c, ov, transferred, 0, flags),
            CallResult::SuccessSetting(kTrue, 0));
  EXPECT_EQ(ReadU32(A(), transferred), 5u);
  EXPECT_EQ(ReadU32(A(), flags), 0x55u);
  const SocketHandle s = Must(ws_.Accept(B(), l, 0, 0));
  EXPECT_EQ(RecvData(B(), s).second, "hello");
}

// A refused ConnectEx completes with STATUS_CONNECTION_REFUSED: WSAGetOverlappedResult says
// WSAECONNREFUSED, SO_ERROR holds it, and there is no peer.
TEST_F(WinsockOverlapped, ConnectExRefused) {
  StartBoth();
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  const auto ov = Overlapped(A());
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), In4("10.0.0.2", 99)), 16, 0, 0, 0, ov),
                kERROR_IO_PENDING, kFalse);
  ExpectFailure(ws_.WSAGetOverlappedResult(A(), c, ov, Int(A(), 0), 1, Int(A(), 0)),
                kWSAECONNREFUSED, kFalse);
  EXPECT_EQ(Internal(A(), ov), static_cast<std::uint64_t>(kStatusConnectionRefused));
  EXPECT_EQ(GetInt(A(), c, kSolSocket, kSoError).second,
            static_cast<std::uint32_t>(kWSAECONNREFUSED));
  ExpectFailure(Peer(A(), c).result, kWSAENOTCONN);
}

// Wine test_WSAGetOverlappedResult: pending without waiting is WSA_IO_INCOMPLETE; a
// DuplicateHandle copy of the socket is WSAENOTSOCK; NULL pointers are WSAEFAULT; waiting
// with waiting not allowed blocks with no effect.
TEST_F(WinsockOverlapped, GetOverlappedResultStates) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle c = Tcp(A());
  ExpectSuccess(BindTo(A(), c, In4("0.0.0.0", 0)));
  const auto ov = Overlapped(A());
  ExpectFailure(ws_.ConnectEx(A(), c, Place(A(), In4("10.0.0.2", 80)), 16, 0, 0, 0, ov),
                kERROR_IO_PENDING, kFalse);
  ExpectFailure(ws_.WSAGetOverlappedResult(A(), c, ov, Int(A(), 0), 0, Int(A(), 0)),
                kWSA_IO_INCOMPLETE, kFalse);
  const auto dup = U64(A(), 0);
  ASSERT_TRUE(ws_.DuplicateHandle(A(), kCurrentProcessHandle, c, kCurrentProcessHandle, dup, 0, 0,
                                  kDuplicateSameAccess)
                  .succeeded());
  ExpectFailure(ws_.WSAGetOverlappedResult(A(), ReadU64(A(), dup), ov, Int(A(), 0), 0, Int(A(), 0)),
                kWSAENOTSOCK, kFalse);
  ExpectFailure(ws_.WSAGetOverlappedResult(A(), c, ov, 0, 0, Int(A(), 0)), kWSAEFAULT, kFalse);
  ws_.AllowWaiting(A(), false);
  EXPECT_TRUE(ws_.WSAGetOverlappedResult(A(), c, ov, Int(A(), 0), 1, Int(A(), 0)).blocked());
  ws_.AllowWaiting(A(), true);
  EXPECT_EQ(ws_.WSAGetOverlappedResult(A(), c, ov, Int(A(), 0), 1, Int(A(), 0)),
            CallResult::SuccessSetting(kTrue, 0));
}

// closesocket cancels a pending operation: ERROR_OPERATION_ABORTED (closesocket docs).
TEST_F(WinsockOverlapped, CloseCancelsPendingOperations) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle acceptor = Tcp(B());
  const auto ov = Overlapped(B());
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, Buffer(B(), 64), 0, 32, 32, Int(B(), 0), ov),
                kERROR_IO_PENDING, kFalse);
  ExpectSuccess(ws_.Closesocket(B(), l));
  EXPECT_EQ(Internal(B(), ov), static_cast<std::uint64_t>(kStatusCancelled));
  // The accept socket is free again.
  ExpectSuccess(BindTo(B(), acceptor, In4("10.0.0.2", 0)));
}

// Wine test_AcceptEx: Internal is STATUS_PENDING before any check; the order of the checks.
TEST_F(WinsockOverlapped, AcceptExChecks) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle acceptor = Tcp(B());
  const auto out = Buffer(B(), 64);
  const auto ov = Overlapped(B());
  ExpectFailure(ws_.AcceptEx(B(), 0xdead, acceptor, out, 0, 32, 32, Int(B(), 0), ov), kWSAENOTSOCK,
                kFalse);
  EXPECT_EQ(Internal(B(), ov), static_cast<std::uint64_t>(kStatusPending));
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 0, 32, 32, Int(B(), 0), 0),
                kERROR_INVALID_PARAMETER, kFalse);
  ExpectFailure(ws_.AcceptEx(B(), Tcp(B()), acceptor, out, 0, 32, 32, Int(B(), 0), ov), kWSAEINVAL,
                kFalse);
  ExpectFailure(ws_.AcceptEx(B(), l, 0xdead, out, 0, 32, 32, Int(B(), 0), ov), kWSAENOTSOCK,
                kFalse);
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, 0, 0, 32, 32, Int(B(), 0), ov), kWSAEFAULT, kFalse);
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 0, 32, 0, Int(B(), 0), ov), kWSAEFAULT, kFalse);
  const SocketHandle bound = Tcp(B());
  ExpectSuccess(BindTo(B(), bound, In4("10.0.0.2", 0)));
  ExpectFailure(ws_.AcceptEx(B(), l, bound, out, 0, 32, 32, Int(B(), 0), ov), kWSAEINVAL, kFalse);
  ExpectFailure(ws_.AcceptEx(B(), l, Udp(B()), out, 0, 32, 32, Int(B(), 0), ov), kWSAEINVAL,
                kFalse);
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 0, 32, 32, Int(B(), 0), ov), kERROR_IO_PENDING,
                kFalse);
  // Already named by a pending AcceptEx.
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 0, 32, 32, Int(B(), 0), Overlapped(B())),
                kWSAEINVAL, kFalse);
}

// AcceptEx with a receive buffer completes with the first data; the output holds the data,
// then the local and remote address areas.
TEST_F(WinsockOverlapped, AcceptExWithData) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle acceptor = Tcp(B());
  const auto out = Buffer(B(), 8 + 32 + 32, 0);
  const auto ov = Overlapped(B());
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, out, 8, 32, 32, Int(B(), 0), ov), kERROR_IO_PENDING,
                kFalse);
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 80)));
  world_.RunUntilIdle();
  ExpectFailure(ws_.WSAGetOverlappedResult(B(), l, ov, Int(B(), 0), 0, Int(B(), 0)),
                kWSA_IO_INCOMPLETE, kFalse);  // connected, but no data yet
  ExpectSuccess(SendData(A(), c, "abc"), 3);
  const auto got = Int(B(), 0);
  EXPECT_EQ(ws_.WSAGetOverlappedResult(B(), l, ov, got, 1, Int(B(), 0)),
            CallResult::SuccessSetting(kTrue, 0));
  EXPECT_EQ(ReadU32(B(), got), 3u);
  EXPECT_EQ(Read(B(), out, 3), (Bytes{'a', 'b', 'c'}));
  EXPECT_EQ(ReadU32(B(), out + 8), 16u);
  EXPECT_EQ(Read(B(), out + 8 + 4, 16), In4("10.0.0.2", 80));
  EXPECT_EQ(ReadU32(B(), out + 8 + 32), 16u);
  EXPECT_EQ(Read(B(), out + 8 + 32 + 4, 16), Sock(A(), c).bytes);
  // The accept socket is the connection now; send works without the context update.
  ExpectSuccess(SendData(B(), acceptor, "back"), 4);
  EXPECT_EQ(RecvData(A(), c).second, "back");
}

// Wine test_AcceptEx: address areas smaller than the address + 16 complete with
// STATUS_BUFFER_TOO_SMALL (WSAEFAULT) and the connection stays queued.
TEST_F(WinsockOverlapped, AcceptExAddressAreaTooSmall) {
  StartBoth();
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle acceptor = Tcp(B());
  const auto ov = Overlapped(B());
  ExpectFailure(ws_.AcceptEx(B(), l, acceptor, Buffer(B(), 64), 0, 16, 31, Int(B(), 0), ov),
                kERROR_IO_PENDING, kFalse);
  ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  ExpectFailure(ws_.WSAGetOverlappedResult(B(), l, ov, Int(B(), 0), 1, Int(B(), 0)), kWSAEFAULT,
                kFalse);
  EXPECT_EQ(Internal(B(), ov), static_cast<std::uint64_t>(kStatusBufferTooSmall));
  EXPECT_TRUE(ws_.Accept(B(), l, 0, 0).succeeded());
}

// Wine test_DisconnectEx: reserved must be 0, flags 0 or TF_REUSE_SOCKET, the socket
// connected.
TEST_F(WinsockOverlapped, DisconnectExChecks) {
  const auto pair = ConnectedTcp();
  ExpectFailure(ws_.DisconnectEx(A(), 0xdead, 0, 0, 0), kWSAENOTSOCK, kFalse);
  ExpectFailure(ws_.DisconnectEx(A(), pair.client, 0, 0, 1), kWSAEINVAL, kFalse);
  ExpectFailure(ws_.DisconnectEx(A(), pair.client, 0, 0x40, 0), kWSAEINVAL, kFalse);
  ExpectFailure(ws_.DisconnectEx(A(), Tcp(A()), 0, 0, 0), kWSAENOTCONN, kFalse);
  EXPECT_EQ(ws_.DisconnectEx(A(), pair.client, 0, static_cast<std::uint32_t>(kTfReuseSocket), 0),
            CallResult::SuccessSetting(kTrue, 0));
  // Wine test_DisconnectEx: the synchronous call succeeds a second time (plain ok).
  EXPECT_EQ(ws_.DisconnectEx(A(), pair.client, 0, 0, 0), CallResult::SuccessSetting(kTrue, 0));
  // The peer sees the end of the stream.
  EXPECT_EQ(RecvData(B(), pair.accepted).first, CallResult::SuccessSetting(0, 0));
}

}  // namespace
}  // namespace socksim::testing
