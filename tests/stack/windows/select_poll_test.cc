// File: tests/stack/windows/select_poll_test.cc
// select and WSAPoll, enough to wait for a non-blocking connect (the requirement):
// set handling and the argument errors (Wine test_select, test_poll; select and WSAPoll docs).
#include <gtest/gtest.h>

#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

class WinsockSelect : public WindowsFixture {
 public:
  /// An fd_set holding `sockets` (room for 64).
  sim::UserAddress FdSet(sim::Thread& t, const std::vector<SocketHandle>& sockets) {
    Bytes b(kFdSetSize, 0);
    b[0] = static_cast<std::uint8_t>(sockets.size());
    for (std::size_t i = 0; i < sockets.size(); ++i) {
      for (int k = 0; k < 8; ++k)
        b[8 + 8 * i + k] = static_cast<std::uint8_t>(sockets[i] >> (8 * k));
    }
    return Place(t, b);
  }
  std::vector<SocketHandle> Members(sim::Thread& t, sim::UserAddress set) {
    std::vector<SocketHandle> out;
    const std::uint32_t n = ReadU32(t, set);
    for (std::uint32_t i = 0; i < n; ++i) out.push_back(ReadU64(t, set + 8 + 8 * i));
    return out;
  }
  sim::UserAddress Timeval(sim::Thread& t, std::uint32_t sec, std::uint32_t usec) {
    const auto at = t.process().memory().Allocate(8);
    (void)t.process().memory().WriteU32(at, sec);
    (void)t.process().memory().WriteU32(at + 4, usec);
    return at;
  }
  /// One WSAPOLLFD.
  sim::UserAddress PollFd(sim::Thread& t, SocketHandle s, std::uint16_t events) {
    Bytes b(kPollFdSize, 0);
    for (int k = 0; k < 8; ++k) b[k] = static_cast<std::uint8_t>(s >> (8 * k));
    b[8] = static_cast<std::uint8_t>(events);
    b[9] = static_cast<std::uint8_t>(events >> 8);
    b[10] = 0xEE;
    b[11] = 0xEE;
    return Place(t, b);
  }
  std::uint16_t Revents(sim::Thread& t, sim::UserAddress fd) {
    const Bytes b = Read(t, fd + kPollFdRevents, 2);
    return static_cast<std::uint16_t>(b[0] | (b[1] << 8));
  }
};

// select docs / Wine test_select: all sets NULL or empty is WSAEINVAL; a handle that is not a
// socket is WSAENOTSOCK with the sets as they were.
TEST_F(WinsockSelect, SelectArgumentErrors) {
  StartBoth();
  ExpectFailure(ws_.Select(A(), 0, 0, 0, 0, Timeval(A(), 0, 0)), kWSAEINVAL);
  ExpectFailure(ws_.Select(A(), 0, FdSet(A(), {}), FdSet(A(), {}), 0, Timeval(A(), 0, 0)),
                kWSAEINVAL);
  const SocketHandle s = Tcp(A());
  const auto set = FdSet(A(), {s, 0xdead});
  ExpectFailure(ws_.Select(A(), 0, set, 0, 0, Timeval(A(), 0, 0)), kWSAENOTSOCK);
  EXPECT_EQ(Members(A(), set), (std::vector<SocketHandle>{s, 0xdead}));
  ExpectFailure(ws_.Select(A(), 0, 0xdead0000, 0, 0, 0), kWSAEFAULT);
}

// Waiting for a non-blocking connect: not writable while it runs (a zero time-out returns 0
// at once), writable once connected; a refused one is in exceptfds only.
TEST_F(WinsockSelect, SelectWaitsForNonBlockingConnect) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle ok = Tcp(A());
  const SocketHandle refused = Tcp(A());
  for (const SocketHandle s : {ok, refused}) {
    ExpectSuccess(ws_.Ioctlsocket(A(), s, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  }
  ExpectFailure(ConnectTo(A(), ok, In4("10.0.0.2", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), refused, In4("10.0.0.2", 81)), kWSAEWOULDBLOCK);
  auto w = FdSet(A(), {ok, refused});
  auto e = FdSet(A(), {ok, refused});
  ExpectSuccess(ws_.Select(A(), 0, 0, w, e, Timeval(A(), 0, 0)), 0);
  EXPECT_TRUE(Members(A(), w).empty());
  w = FdSet(A(), {ok, refused});
  e = FdSet(A(), {ok, refused});
  const auto before = world_.now();
  const CallResult r = ws_.Select(A(), 0, 0, w, e, Timeval(A(), 5, 0));
  ASSERT_TRUE(r.succeeded()) << Describe(r);
  EXPECT_LT(world_.now() - before, sim::Duration::Seconds(5));
  world_.RunUntilIdle();
  w = FdSet(A(), {ok, refused});
  e = FdSet(A(), {ok, refused});
  ExpectSuccess(ws_.Select(A(), 0, 0, w, e, 0), 2);
  EXPECT_EQ(Members(A(), w), (std::vector<SocketHandle>{ok}));
  EXPECT_EQ(Members(A(), e), (std::vector<SocketHandle>{refused}));
}

// A listener with a queued connection and a socket with data are readable; a time-out with
// nothing ready returns 0 after the time-out has passed.
TEST_F(WinsockSelect, SelectReadableAndTimeout) {
  const auto pair = ConnectedTcp();
  auto r = FdSet(B(), {pair.listener, pair.accepted});
  const auto before = world_.now();
  ExpectSuccess(ws_.Select(B(), 0, r, 0, 0, Timeval(B(), 1, 500000)), 0);
  EXPECT_EQ(world_.now() - before, sim::Duration::Milliseconds(1500));
  ExpectSuccess(SendData(A(), pair.client, "x"), 1);
  ExpectSuccess(ConnectTo(A(), Tcp(A()), In4("10.0.0.2", 80)));
  world_.RunUntilIdle();
  r = FdSet(B(), {pair.listener, pair.accepted});
  ExpectSuccess(ws_.Select(B(), 0, r, 0, 0, 0), 2);
  EXPECT_EQ(Members(B(), r), (std::vector<SocketHandle>{pair.listener, pair.accepted}));
}

// Wine test_select: a reset connection is readable and writable.
TEST_F(WinsockSelect, SelectResetIsReadableAndWritable) {
  const auto pair = ConnectedTcp();
  ExpectSuccess(
      ws_.Setsockopt(B(), pair.accepted, kSolSocket, kSoLinger, Place(B(), {1, 0, 0, 0}), 4));
  ExpectSuccess(ws_.Closesocket(B(), pair.accepted));
  world_.RunUntilIdle();
  const auto r = FdSet(A(), {pair.client});
  const auto w = FdSet(A(), {pair.client});
  ExpectSuccess(ws_.Select(A(), 0, r, w, 0, Timeval(A(), 0, 0)), 2);
}

// select with waiting not allowed and nothing ready blocks with no effect.
TEST_F(WinsockSelect, SelectBlocksWithoutWaiting) {
  const auto pair = ConnectedTcp();
  ws_.AllowWaiting(A(), false);
  const auto r = FdSet(A(), {pair.client});
  EXPECT_TRUE(ws_.Select(A(), 0, r, 0, 0, 0).blocked());
  EXPECT_EQ(Members(A(), r), (std::vector<SocketHandle>{pair.client}));
}

// Wine test_poll: (NULL, 0) is WSAEINVAL, NULL with entries WSAEFAULT, bad event bits
// WSAEINVAL, only invalid sockets WSAENOTSOCK with POLLNVAL, INVALID_SOCKET entries ignored.
TEST_F(WinsockSelect, PollArgumentErrors) {
  StartBoth();
  ExpectFailure(ws_.WSAPoll(A(), 0, 0, 0), kWSAEINVAL);
  ExpectFailure(ws_.WSAPoll(A(), 0, 1, 0), kWSAEFAULT);
  const SocketHandle s = Tcp(A());
  ExpectFailure(ws_.WSAPoll(A(), PollFd(A(), s, static_cast<std::uint16_t>(kPollerr)), 1, 0),
                kWSAEINVAL);
  const auto bad = PollFd(A(), 0xdead, static_cast<std::uint16_t>(kPollrdnorm));
  ExpectFailure(ws_.WSAPoll(A(), bad, 1, 0), kWSAENOTSOCK);
  EXPECT_EQ(Revents(A(), bad), kPollnval);
  const auto ignored = PollFd(A(), kInvalidSocketHandle, static_cast<std::uint16_t>(kPollrdnorm));
  ExpectSuccess(ws_.WSAPoll(A(), ignored, 1, 0), 0);
  EXPECT_EQ(Revents(A(), ignored), 0);
}

// WSAPoll reports a connected socket POLLWRNORM, a failed connect POLLHUP | POLLERR (and
// POLLWRNORM when asked), a graceful close POLLHUP with POLLRDNORM, and waits up to the
// time-out.
TEST_F(WinsockSelect, PollConnectStates) {
  StartBoth();
  (void)Listener(B(), In4("10.0.0.2", 80));
  const SocketHandle ok = Tcp(A());
  const SocketHandle refused = Tcp(A());
  for (const SocketHandle s : {ok, refused}) {
    ExpectSuccess(ws_.Ioctlsocket(A(), s, static_cast<std::int32_t>(kFionbio), Int(A(), 1)));
  }
  ExpectFailure(ConnectTo(A(), ok, In4("10.0.0.2", 80)), kWSAEWOULDBLOCK);
  ExpectFailure(ConnectTo(A(), refused, In4("10.0.0.2", 81)), kWSAEWOULDBLOCK);
  const auto events = static_cast<std::uint16_t>(kPollwrnorm);
  auto fd_ok = PollFd(A(), ok, events);
  ExpectSuccess(ws_.WSAPoll(A(), fd_ok, 1, 1000), 1);
  EXPECT_EQ(Revents(A(), fd_ok), kPollwrnorm);
  world_.RunUntilIdle();
  const auto fd_bad = PollFd(A(), refused, events);
  ExpectSuccess(ws_.WSAPoll(A(), fd_bad, 1, 0), 1);
  EXPECT_EQ(Revents(A(), fd_bad), kPollwrnorm | kPollhup | kPollerr);
}

TEST_F(WinsockSelect, PollGracefulCloseAndTimeout) {
  const auto pair = ConnectedTcp();
  const auto fd = PollFd(A(), pair.client, static_cast<std::uint16_t>(kPollrdnorm));
  const auto before = world_.now();
  ExpectSuccess(ws_.WSAPoll(A(), fd, 1, 250), 0);
  EXPECT_EQ(world_.now() - before, sim::Duration::Milliseconds(250));
  ExpectSuccess(ws_.Closesocket(B(), pair.accepted));
  world_.RunUntilIdle();
  ExpectSuccess(ws_.WSAPoll(A(), fd, 1, 0), 1);
  EXPECT_EQ(Revents(A(), fd), kPollrdnorm | kPollhup);
}

}  // namespace
}  // namespace socksim::testing
