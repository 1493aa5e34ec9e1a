// File: tests/stack/windows/windows_fixture.h
// A small world for Windows-personality tests: two hosts ("a" 10.0.0.1/fd00::1, "b"
// 10.0.0.2/fd00::2) joined by one 1 ms link, a stack, the Winsock facade, one Windows process
// per host (300 on a, 400 on b), and helpers that place sockaddrs, lengths, buffers and
// OVERLAPPEDs in a process's simulated memory and read them back.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/winsock.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim::testing {

using stack::CallResult;
using namespace stack::windows_abi;  // NOLINT: the fixture exists to speak Windows

using Bytes = std::vector<std::uint8_t>;

/// Describes a result for failure messages ("SOCKET_ERROR WSAENOTCONN").
inline std::string Describe(const CallResult& r) {
  std::string s = r.blocked() ? "blocked" : r.failed() ? "failed" : "succeeded";
  s += " value=" + std::to_string(r.value);
  if (r.code) {
    const auto info = WsaErrorByValue(*r.code);
    s += " code=" + (info ? std::string(info->symbol) : std::to_string(*r.code));
  }
  return s;
}

/// Builds the two-host world described above.
class WindowsFixture : public ::testing::Test {
 public:
  explicit WindowsFixture(WindowsRelease release = kNewestRelease, std::uint64_t seed = 1)
      : world_(sim::WorldOptions{.seed = seed}), stack_(world_), ws_(stack_, release) {
    auto& t = world_.topology();
    a_node_ = t.AddNode("a", sim::NodeKind::kHost);
    b_node_ = t.AddNode("b", sim::NodeKind::kHost);
    link_ = t.AddLink(a_node_, b_node_, sim::Duration::Milliseconds(1));
    const auto a_eth = t.node(a_node_).interfaces[1];
    const auto b_eth = t.node(b_node_).interfaces[1];
    t.AddAddress(a_eth, *sim::IpAddress::Parse("10.0.0.1"), 24);
    t.AddAddress(b_eth, *sim::IpAddress::Parse("10.0.0.2"), 24);
    t.AddAddress(a_eth, *sim::IpAddress::Parse("fd00::1"), 64);
    t.AddAddress(b_eth, *sim::IpAddress::Parse("fd00::2"), 64);
    a_ = &world_.Spawn({.pid = 300, .node = a_node_, .name = "client"});
    b_ = &world_.Spawn({.pid = 400, .node = b_node_, .name = "server"});
    ws_.SetUpProcess(*a_);
    ws_.SetUpProcess(*b_);
  }

  sim::Thread& A() { return a_->main_thread(); }
  sim::Thread& B() { return b_->main_thread(); }

  // ---- caller memory ----
  /// Bytes placed in fresh memory of the thread's process; returns their address.
  sim::UserAddress Place(sim::Thread& t, const Bytes& bytes) {
    auto& mem = t.process().memory();
    const auto at = mem.Allocate(bytes.empty() ? 1 : bytes.size());
    EXPECT_TRUE(mem.Poke(at, bytes));
    return at;
  }
  /// A 4-byte little-endian int (an int namelen, an optval, an lpErrno cell).
  sim::UserAddress Int(sim::Thread& t, std::uint32_t value) {
    const auto at = t.process().memory().Allocate(4);
    EXPECT_TRUE(t.process().memory().WriteU32(at, value));
    return at;
  }
  /// An 8-byte value (a SOCKET for SO_UPDATE_ACCEPT_CONTEXT, a DuplicateHandle target).
  sim::UserAddress U64(sim::Thread& t, std::uint64_t value) {
    const auto at = t.process().memory().Allocate(8);
    EXPECT_TRUE(t.process().memory().WriteU64(at, value));
    return at;
  }
  /// A buffer filled with `fill` so untouched bytes show.
  sim::UserAddress Buffer(sim::Thread& t, std::size_t size = 128, std::uint8_t fill = 0xAA) {
    return Place(t, Bytes(size, fill));
  }
  /// A zeroed OVERLAPPED.
  sim::UserAddress Overlapped(sim::Thread& t) { return Buffer(t, kOverlappedSize, 0); }
  Bytes Read(sim::Thread& t, sim::UserAddress at, std::size_t n) {
    return *t.process().memory().Peek(at, n);
  }
  std::uint32_t ReadU32(sim::Thread& t, sim::UserAddress at) {
    return *t.process().memory().ReadU32(at);
  }
  std::uint64_t ReadU64(sim::Thread& t, sim::UserAddress at) {
    return *t.process().memory().ReadU64(at);
  }
  std::uint64_t Internal(sim::Thread& t, sim::UserAddress ov) {
    return ReadU64(t, ov + kOverlappedInternal);
  }

  // ---- addresses ----
  static Bytes In4(const std::string& ip, std::uint16_t port) {
    return Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
  }
  static Bytes In6(const std::string& ip, std::uint16_t port) {
    sim::Endpoint ep{*sim::IpAddress::Parse(ip), port};
    return Encode(stack::SocketAddress{ep});
  }
  static Bytes Un(const std::string& path) {
    return Encode(stack::SocketAddress{stack::UnixAddress::Pathname(path)});
  }
  /// An AF_INET6 name for an IPv4 address, v4-mapped.
  static Bytes Mapped(const std::string& ip, std::uint16_t port) {
    return Encode(
        stack::SocketAddress{sim::Endpoint{sim::IpAddress::Parse(ip)->ToV4Mapped(), port}});
  }
  static std::uint16_t PortOf(const Bytes& name) {
    return static_cast<std::uint16_t>((name[2] << 8) | name[3]);
  }

  // ---- common set-ups ----
  /// WSAStartup(2.2) on the thread's process.
  void Startup(sim::Thread& t, std::uint16_t version = MakeWord(2, 2)) {
    const CallResult r = ws_.WSAStartup(t, version, Buffer(t, kWsadataSize, 0));
    ASSERT_TRUE(r.succeeded()) << Describe(r);
  }
  void StartBoth() {
    Startup(A());
    Startup(B());
  }
  SocketHandle Must(const CallResult& r) {
    EXPECT_TRUE(r.succeeded()) << Describe(r);
    return static_cast<SocketHandle>(r.value);
  }
  SocketHandle Tcp(sim::Thread& t, int af = kAfInet) {
    return Must(ws_.Socket(t, af, kSockStream, kIpprotoTcp));
  }
  SocketHandle Udp(sim::Thread& t, int af = kAfInet) {
    return Must(ws_.Socket(t, af, kSockDgram, kIpprotoUdp));
  }
  CallResult BindTo(sim::Thread& t, SocketHandle s, const Bytes& name) {
    return ws_.Bind(t, s, Place(t, name), static_cast<std::int32_t>(name.size()));
  }
  CallResult ConnectTo(sim::Thread& t, SocketHandle s, const Bytes& name) {
    return ws_.Connect(t, s, Place(t, name), static_cast<std::int32_t>(name.size()));
  }
  CallResult SendToName(sim::Thread& t, SocketHandle s, const std::string& data,
                        const Bytes& name) {
    return ws_.Sendto(t, s, Place(t, Bytes(data.begin(), data.end())),
                      static_cast<std::int32_t>(data.size()), 0, Place(t, name),
                      static_cast<std::int32_t>(name.size()));
  }
  CallResult SendData(sim::Thread& t, SocketHandle s, const std::string& data) {
    return ws_.Send(t, s, Place(t, Bytes(data.begin(), data.end())),
                    static_cast<std::int32_t>(data.size()), 0);
  }
  /// recv into a 64-byte buffer; the bytes received.
  std::pair<CallResult, std::string> RecvData(sim::Thread& t, SocketHandle s,
                                              std::int32_t room = 64) {
    const auto buf = Buffer(t, static_cast<std::size_t>(room), 0);
    const CallResult r = ws_.Recv(t, s, buf, room, 0);
    std::string got;
    if (r.succeeded() && r.value > 0) {
      const Bytes b = Read(t, buf, static_cast<std::size_t>(r.value));
      got.assign(b.begin(), b.end());
    }
    return {r, got};
  }
  /// A TCP listener on `name` with backlog 8.
  SocketHandle Listener(sim::Thread& t, const Bytes& name, int af = kAfInet) {
    const SocketHandle s = Tcp(t, af);
    EXPECT_TRUE(BindTo(t, s, name).succeeded());
    EXPECT_TRUE(ws_.Listen(t, s, 8).succeeded());
    return s;
  }
  CallResult SetInt(sim::Thread& t, SocketHandle s, int level, int opt, std::uint32_t v) {
    return ws_.Setsockopt(t, s, level, opt, Int(t, v), 4);
  }
  /// getsockopt of a 4-byte option; the value (and whether it succeeded).
  std::pair<CallResult, std::uint32_t> GetInt(sim::Thread& t, SocketHandle s, int level, int opt) {
    const auto v = Int(t, 0xA5A5A5A5u);
    const auto len = Int(t, 4);
    const CallResult r = ws_.Getsockopt(t, s, level, opt, v, len);
    return {r, ReadU32(t, v)};
  }
  /// getsockopt of a one-byte BOOL option (SO_KEEPALIVE, SO_DONTROUTE, TCP_NODELAY,
  /// IPV6_V6ONLY): offered 4 bytes, Windows writes 1 and sets optlen to 1 (Wine
  /// test_set_getsockopt, test_optsize rows {1, 1, 1}); the other 3 bytes are checked untouched.
  std::pair<CallResult, std::uint8_t> GetByteBool(sim::Thread& t, SocketHandle s, int level,
                                                  int opt) {
    const auto v = Int(t, 0xA5A5A5A5u);
    const auto len = Int(t, 4);
    const CallResult r = ws_.Getsockopt(t, s, level, opt, v, len);
    const std::uint32_t word = ReadU32(t, v);
    if (r.succeeded()) {
      EXPECT_EQ(ReadU32(t, len), 1u);
      EXPECT_EQ(word & 0xFFFFFF00u, 0xA5A5A500u);
    }
    return {r, static_cast<std::uint8_t>(word & 0xFFu)};
  }

  /// A connected TCP pair over the link: client in a_ (10.0.0.1) to b_'s listener on
  /// 10.0.0.2:80; returns {client, accepted, listener}.
  struct TcpPair {
    SocketHandle client = 0;
    SocketHandle accepted = 0;
    SocketHandle listener = 0;
  };
  TcpPair ConnectedTcp(int af = kAfInet) {
    StartBoth();
    TcpPair pair;
    const Bytes where = af == kAfInet ? In4("10.0.0.2", 80) : In6("fd00::2", 80);
    pair.listener = Listener(B(), where, af);
    pair.client = Tcp(A(), af);
    EXPECT_TRUE(ConnectTo(A(), pair.client, where).succeeded());
    pair.accepted = Must(ws_.Accept(B(), pair.listener, 0, 0));
    return pair;
  }

  /// What getpeername/getsockname returned, the length written back and the bytes.
  struct Name {
    CallResult result;
    std::uint32_t length = 0;
    Bytes bytes;  // the first `length` bytes (at most 128)
  };
  Name GetName(sim::Thread& t, SocketHandle s, bool peer, std::uint32_t room = 128) {
    const auto buf = Buffer(t, 128);
    const auto len = Int(t, room);
    Name n;
    n.result = peer ? ws_.Getpeername(t, s, buf, len) : ws_.Getsockname(t, s, buf, len);
    n.length = ReadU32(t, len);
    if (n.result.succeeded()) n.bytes = Read(t, buf, n.length > 128 ? 128 : n.length);
    return n;
  }
  Name Peer(sim::Thread& t, SocketHandle s) { return GetName(t, s, true); }
  Name Sock(sim::Thread& t, SocketHandle s) { return GetName(t, s, false); }

  /// Retrieves an extension function's pointer, as programs do before calling it.
  void Retrieve(sim::Thread& t, SocketHandle s, ExtensionFunction f) {
    const auto& info = Extension(f);
    const auto guid = Place(t, Bytes(info.guid.begin(), info.guid.end()));
    const auto out = U64(t, 0);
    const auto bytes = Int(t, 0);
    const CallResult r =
        ws_.WSAIoctl(t, s, static_cast<std::uint32_t>(kSioGetExtensionFunctionPointer), guid,
                     kGuidSize, out, 8, bytes, 0, 0);
    ASSERT_TRUE(r.succeeded()) << Describe(r);
  }

  sim::World world_;
  stack::Stack stack_;
  Winsock ws_;
  sim::NodeId a_node_, b_node_;
  sim::LinkId link_;
  sim::Process* a_ = nullptr;
  sim::Process* b_ = nullptr;
};

/// Expects a failure with `value` (SOCKET_ERROR by default) that stored `code` as the last
/// error.
inline void ExpectFailure(const CallResult& r, int code, std::int64_t value = kSocketError) {
  EXPECT_TRUE(r.failed()) << Describe(r);
  EXPECT_EQ(r.value, value) << Describe(r);
  EXPECT_EQ(r.code, std::optional<int>(code)) << Describe(r);
}

/// Expects a success returning `value` that cleared the last error (Windows 7 and later).
inline void ExpectSuccess(const CallResult& r, std::int64_t value = 0) {
  EXPECT_EQ(r, CallResult::SuccessSetting(value, 0)) << Describe(r);
}

}  // namespace socksim::testing
