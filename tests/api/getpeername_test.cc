// File: tests/api/getpeername_test.cc
// The seed's clauses through the public API, once per system where the clause is common to
// all three (SystemTest), and per system where the systems differ. Each test names its
// clause (../shared/reference/seed-clauses.md).
#include <gtest/gtest.h>

#include "socksim/testing.h"

namespace socksim::testing {
namespace {

class PeerName : public SystemTest {
 protected:
  // A listener on the server at port 80 and a client connected to it; returns {client
  // socket, accepted socket}.
  std::pair<Handle, Handle> Connected() {
    const auto l = server().Socket(Domain::kInet, Type::kStream).value;
    EXPECT_THAT(server().Bind(l, ServerAddress(80)), Succeeds());
    EXPECT_THAT(server().Listen(l), Succeeds());
    const auto c = client().Socket(Domain::kInet, Type::kStream).value;
    EXPECT_THAT(client().Connect(c, ServerAddress(80)), Succeeds());
    const auto a = server().Accept(l);
    EXPECT_THAT(a, Succeeds());
    return {c, a.value};
  }
};

// LNX-11, WIN-11, ILL-16 (getpeername's ENOTCONN on illumos sockfs): a new TCP socket.
TEST_P(PeerName, Lnx11Win11NotConnectedOnANewSocket) {
  const auto s = client().Socket(Domain::kInet, Type::kStream);
  ASSERT_THAT(s, Succeeds());
  const auto r = client().GetPeerName(s.value);
  EXPECT_THAT(r, FailsWith(Err("ENOTCONN")));
  EXPECT_EQ(client().last_error(), Err("ENOTCONN")) << "LNX-6, WIN-6: the error is kept";
}

// LNX-1, LNX-5, LNX-13, WIN-1, WIN-5: both ends of a connection name each other.
TEST_P(PeerName, Lnx13Win1BothEndsOfAConnection) {
  const auto [c, a] = Connected();
  EXPECT_THAT(client().GetPeerName(c), PeerIs("10.0.0.2:80"));
  const auto accepted_peer = server().GetPeerName(a);
  ASSERT_THAT(accepted_peer, Succeeds());
  ASSERT_TRUE(accepted_peer.address.has_value());
  EXPECT_EQ(accepted_peer.address->ip(), "10.0.0.1");
  EXPECT_EQ(accepted_peer.address, client().GetSockName(c).address)
      << "the server's peer is the client's own name";
}

// LNX-2, WIN-4: the length written back is the size of the name in this system's layout
// (sockaddr_in is 16 bytes on all three, sockaddr_in6 28 on Linux and Windows, 32 on illumos).
TEST_P(PeerName, Lnx2Win4LengthWrittenBackIsTheNamesSize) {
  const auto [c, a] = Connected();
  (void)a;
  const auto r = client().GetPeerName(c);
  ASSERT_THAT(r, Succeeds());
  EXPECT_EQ(r.length, 16U);
}

// LNX-12, WIN-12: a descriptor that is no socket. Each system's own code for a closed one
// (LNX-7 EBADF; Windows answers WSAENOTSOCK for a handle that is no socket, WIN-12).
TEST_P(PeerName, Lnx7Win12ClosedDescriptor) {
  const auto s = client().Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(client().Close(s), Succeeds());
  const auto r = client().GetPeerName(s);
  if (system() == System::kWindows) {
    EXPECT_THAT(r, FailsWith("WSAENOTSOCK"));
  } else {
    EXPECT_THAT(r, FailsWith("EBADF"));
  }
}

// LNX-15, WIN-15: a datagram socket's peer is the one connect() set.
TEST_P(PeerName, Lnx15Win15DatagramPeerSetByConnect) {
  const auto u = client().Socket(Domain::kInet, Type::kDgram).value;
  EXPECT_THAT(client().GetPeerName(u), FailsWith(Err("ENOTCONN")));
  ASSERT_THAT(client().Connect(u, "10.0.0.2:53"), Succeeds());
  EXPECT_THAT(client().GetPeerName(u), PeerIs("10.0.0.2:53"));
}

// LNX-16, WIN-16: sendto() names no peer, and the receiver's socket stays unconnected; the
// receiver learns the sender from recvfrom (LNX-17).
TEST_P(PeerName, Lnx16Lnx17Win16SendtoSetsNoPeer) {
  const auto rx = server().Socket(Domain::kInet, Type::kDgram).value;
  ASSERT_THAT(server().Bind(rx, ServerAddress(53)), Succeeds());
  const auto tx = client().Socket(Domain::kInet, Type::kDgram).value;
  ASSERT_THAT(client().SendTo(tx, "query", ServerAddress(53)), Returns(5));
  EXPECT_THAT(client().GetPeerName(tx), FailsWith(Err("ENOTCONN")));
  const auto got = server().RecvFrom(rx);
  EXPECT_THAT(got, Received("query"));
  ASSERT_TRUE(got.address.has_value());
  EXPECT_EQ(got.address->ip(), "10.0.0.1");
  EXPECT_EQ(got.address->port(), client().GetSockName(tx).address->port())
      << "the sender's port is the one its socket was given";
  EXPECT_THAT(server().GetPeerName(rx), FailsWith(Err("ENOTCONN")));
}

// Data moves both ways over the connection (the toy protocol the examples test).
TEST_P(PeerName, DataBothWays) {
  const auto [c, a] = Connected();
  EXPECT_THAT(client().Send(c, "ping"), Returns(4));
  EXPECT_THAT(server().Recv(a), Received("ping"));
  EXPECT_THAT(server().Send(a, "pong"), Returns(4));
  EXPECT_THAT(client().Recv(c), Received("pong"));
}

// After the world cuts the link, a new connection cannot complete (it fails or would wait,
// as each system's retransmission gives up in virtual time).
TEST_P(PeerName, CutLinkStopsANewConnection) {
  const auto l = server().Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(server().Bind(l, ServerAddress(80)), Succeeds());
  ASSERT_THAT(server().Listen(l), Succeeds());
  world().CutLink(Link{0});
  const auto c = client().Socket(Domain::kInet, Type::kStream).value;
  EXPECT_THAT(client().Connect(c, ServerAddress(80)), ::testing::Not(Succeeds()));
}

INSTANTIATE_TEST_SUITE_P(All, PeerName, AllSystems(), SystemParamName());

// ---- where the systems differ ----

// A world of two hosts ("a" 10.0.0.1, "b" 10.0.0.2) and a process of `system` on each, the
// one on b listening at 10.0.0.2:80 and the one on a connected to it.
struct Connection {
  World world;
  Process server;
  Process client;
  Handle socket = -1;  // the client's connected socket
};

Connection Connect(System system) {
  World world;
  world.AddHost("a");
  world.AddHost("b");
  world.AddLink("a", "b", {.a_addresses = {"10.0.0.1/24"}, .b_addresses = {"10.0.0.2/24"}});
  auto srv = world.Spawn(system, {.host = "b"});
  auto cli = world.Spawn(system, {.host = "a"});
  const auto l = srv.Socket(Domain::kInet, Type::kStream).value;
  EXPECT_THAT(srv.Bind(l, "10.0.0.2:80"), Succeeds());
  EXPECT_THAT(srv.Listen(l), Succeeds());
  const auto c = cli.Socket(Domain::kInet, Type::kStream).value;
  EXPECT_THAT(cli.Connect(c, "10.0.0.2:80"), Succeeds());
  return {std::move(world), srv, cli, c};
}

// LNX-3, LNX-4: Linux truncates the name to the buffer and writes back the full length.
TEST(LinuxPeerName, Lnx3Lnx4TruncatesAndWritesBackTheFullLength) {
  auto conn = Connect(System::kLinux);
  const auto r = conn.client.GetPeerName(conn.socket, 8);
  EXPECT_THAT(r, Truncated(16));
  // The first 8 bytes of sockaddr_in: family 2 (little-endian), port 80, 10.0.0.2.
  EXPECT_EQ(r.bytes, (std::vector<std::uint8_t>{2, 0, 0, 80, 10, 0, 0, 2}));
  EXPECT_FALSE(r.address.has_value()) << "a truncated name is not decoded";
}

// LNX-8: an addr outside the caller's memory, through the exact call.
TEST(LinuxPeerName, Lnx8UnmappedBufferIsEfault) {
  World world;
  world.AddHost("a");
  world.AddHost("b");
  world.AddLink("a", "b", {.a_addresses = {"10.0.0.1/24"}, .b_addresses = {"10.0.0.2/24"}});
  auto srv = world.SpawnLinux({.host = "b"});
  auto cli = world.SpawnLinux({.host = "a"});
  const int l = srv.socket(on_linux::kAfInet, on_linux::kSockStream, 0);
  ASSERT_THAT(srv.Bind(l, "10.0.0.2:80"), Succeeds());
  ASSERT_EQ(srv.listen(l, 1), 0);
  const int c = cli.socket(on_linux::kAfInet, on_linux::kSockStream, 0);
  ASSERT_THAT(cli.Connect(c, "10.0.0.2:80"), Succeeds());
  const Pointer len = cli.memory().PlaceU32(16);
  EXPECT_EQ(cli.getpeername(c, Memory::kUnmapped, len), -1);
  EXPECT_EQ(cli.last_error(), EFAULT);
}

// LNX-9: a negative length (read as a signed int) is EINVAL: on a connected socket, since
// Linux asks the socket for its name before it reads the length (net/socket.c
// __sys_getpeername: ops->getname, then move_addr_to_user), and the buffer is left alone.
TEST(LinuxPeerName, Lnx9NegativeLengthIsEinval) {
  World world;
  world.AddHost("a", {"10.0.0.1/8"});
  auto p = world.SpawnLinux({.host = "a"});
  const int l = p.socket(on_linux::kAfInet, on_linux::kSockStream, 0);
  ASSERT_THAT(p.Bind(l, "127.0.0.1:80"), Succeeds());
  ASSERT_EQ(p.listen(l, 1), 0);
  const int s = p.socket(on_linux::kAfInet, on_linux::kSockStream, 0);
  ASSERT_THAT(p.Connect(s, "127.0.0.1:80"), Succeeds());
  const Pointer addr = p.memory().Allocate(16);
  const Pointer len = p.memory().PlaceU32(0xffffffffU);
  EXPECT_EQ(p.getpeername(s, addr, len), -1);
  EXPECT_EQ(p.last_error(), EINVAL);
  EXPECT_EQ(p.memory().Read(addr, 16), std::vector<std::uint8_t>(16, 0));
  EXPECT_EQ(p.memory().ReadU32(len), 0xffffffffU);
  // The same socket with an unconnected one's order: ENOTCONN comes first (LNX-11).
  const int u = p.socket(on_linux::kAfInet, on_linux::kSockStream, 0);
  EXPECT_EQ(p.getpeername(u, addr, len), -1);
  EXPECT_EQ(p.last_error(), ENOTCONN);
}

// WIN-9: Windows does not truncate: a buffer smaller than the name is WSAEFAULT.
TEST(WindowsPeerName, Win9ShortBufferIsWsaefault) {
  auto conn = Connect(System::kWindows);
  EXPECT_THAT(conn.client.GetPeerName(conn.socket, 15), FailsWith(on_windows::WSAEFAULT));
  EXPECT_THAT(conn.client.GetPeerName(conn.socket, 16), PeerIs("10.0.0.2:80"));
}

// WIN-7, WIN-6: before WSAStartup every call fails with WSANOTINITIALISED, which
// WSAGetLastError then returns; after it, the call is made.
TEST(WindowsPeerName, Win7NotInitialisedBeforeStartup) {
  World world;
  world.AddHost("a");
  auto p = world.SpawnWindows({.host = "a", .wsa_startup = false});
  const auto s = p.socket(on_windows::kAfInet, on_windows::kSockStream, 0);
  EXPECT_EQ(s, on_windows::INVALID_SOCKET);
  EXPECT_EQ(p.WSAGetLastError(), on_windows::WSANOTINITIALISED);
  EXPECT_EQ(p.WSAStartup(0x0202, p.memory().Allocate(408)), 0);
  const auto t = p.socket(on_windows::kAfInet, on_windows::kSockStream, 0);
  ASSERT_NE(t, on_windows::INVALID_SOCKET);
  const Pointer name = p.memory().Allocate(128);
  const Pointer len = p.memory().PlaceU32(128);
  EXPECT_EQ(p.getpeername(t, name, len), on_windows::SOCKET_ERROR);
  EXPECT_EQ(p.WSAGetLastError(), on_windows::WSAENOTCONN);
}

// SPI-5, SPI-6, SPI-11: the provider's entry point reports through *lpErrno alone: the
// thread's last error is not touched.
TEST(WindowsPeerName, Spi5ErrorOnlyThroughLpErrno) {
  World world;
  world.AddHost("a");
  auto p = world.SpawnWindows({.host = "a"});
  const auto s = p.Socket(Domain::kInet, Type::kStream).value;
  p.WSASetLastError(0);
  const auto r = p.SpiGetPeerName(s);
  EXPECT_THAT(r, FailsWith(on_windows::WSAENOTCONN));
  EXPECT_EQ(r.value, on_windows::SOCKET_ERROR);
  EXPECT_EQ(p.last_error(), 0) << "WSPGetPeerName has no last error";
}

// ILL-1, ILL-3, ILL-4, ILL-9, ILL-19: getpeerucred on both ends of a local TCP connection
// gives each side the other's credentials.
TEST(IllumosPeerUcred, Ill3Ill4BothEndsOfALocalConnection) {
  World world;
  world.AddHost("h", {"10.0.0.1/8"});
  auto srv = world.SpawnIllumos({.host = "h", .pid = 300, .uid = 0, .gid = 0});
  auto cli = world.SpawnIllumos({.host = "h", .pid = 400, .uid = 1000, .gid = 100});
  const auto l = srv.Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(srv.Bind(l, "127.0.0.1:80"), Succeeds());
  ASSERT_THAT(srv.Listen(l), Succeeds());
  const auto c = cli.Socket(Domain::kInet, Type::kStream).value;
  ASSERT_THAT(cli.Connect(c, "127.0.0.1:80"), Succeeds());
  const auto a = srv.Accept(l).value;
  std::optional<PeerCredentials> seen;
  EXPECT_THAT(srv.PeerUcred(static_cast<int>(a), &seen), Returns(0));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->pid, 400);
  EXPECT_EQ(seen->uid, 1000U);
  EXPECT_EQ(seen->gid, 100U);
  EXPECT_THAT(cli.PeerUcred(static_cast<int>(c), &seen), Returns(0));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->pid, 300);
  EXPECT_EQ(seen->uid, 0U);
}

// ILL-16 and ILL-10: an unconnected socket is ENOTCONN (134 on illumos, not Linux's 107).
TEST(IllumosPeerUcred, Ill16NotConnected) {
  World world;
  world.AddHost("h");
  auto p = world.SpawnIllumos({.host = "h"});
  const int s = p.socket(on_illumos::kAfInet, on_illumos::kSockStream, 0);
  ASSERT_GE(s, 0);
  const Pointer pp = p.memory().Allocate(8);
  EXPECT_EQ(p.getpeerucred(s, pp), -1);
  EXPECT_EQ(p.last_error(), on_illumos::kENOTCONN);
  EXPECT_EQ(p.memory().ReadU64(pp), 0U) << "*ucred_pp is left NULL";
}

// ILL-17: a UDP socket does not support getpeerucred.
TEST(IllumosPeerUcred, Ill17UdpIsNotSupported) {
  World world;
  world.AddHost("h");
  auto p = world.SpawnIllumos({.host = "h"});
  const auto s = p.Socket(Domain::kInet, Type::kDgram).value;
  std::optional<PeerCredentials> seen;
  EXPECT_THAT(p.PeerUcred(static_cast<int>(s), &seen), FailsWith("ENOTSUP"));
  EXPECT_FALSE(seen.has_value());
}

// SO_PEERCRED on Linux: the peer's pid and credentials at connect() (net/unix, af_inet has
// none for TCP: ENOPROTOOPT is Linux's answer for an IP socket, sock_getsockopt()).
TEST(LinuxPeerCred, UnixSocketpairNamesTheProcess) {
  World world;
  world.AddHost("h");
  auto p = world.SpawnLinux({.host = "h", .pid = 500, .uid = 1000, .gid = 1000});
  const Pointer sv = p.memory().Allocate(8);
  ASSERT_EQ(p.socketpair(on_linux::kAfUnix, on_linux::kSockStream, 0, sv), 0);
  const auto fd0 = p.memory().ReadU32(sv);
  ASSERT_TRUE(fd0.has_value());
  std::optional<PeerCredentials> seen;
  EXPECT_THAT(p.PeerCred(static_cast<int>(*fd0), &seen), Returns(0));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->pid, 500);
  EXPECT_EQ(seen->uid, 1000U);
}

}  // namespace
}  // namespace socksim::testing
