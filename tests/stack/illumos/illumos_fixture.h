// File: tests/stack/illumos/illumos_fixture.h
// A small world for illumos-personality tests: two hosts ("a" 10.0.0.1/fd00::1, "b"
// 10.0.0.2/fd00::2) joined by one 1 ms link, a stack, the illumos facade, and three illumos
// processes: 100 (uid 1000, gid 10, groups 20 and 10) and 101 (uid 2000, gid 20) on a, 300
// (uid 3000) on b. Helpers place sockaddrs, ints and pointer cells in a process's memory,
// build the usual connections, and read a ucred_t back through the libc accessors.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/ucred_layout.h"
#include "stack/personality/illumos/sockaddr_codec.h"

namespace socksim::testing {

using stack::CallResult;
using namespace stack::illumos_abi;  // NOLINT: the fixture exists to speak illumos

using Bytes = std::vector<std::uint8_t>;

/// Describes a result for failure messages ("failed value=-1 code=ENOTCONN").
inline std::string Describe(const CallResult& r) {
  std::string s = r.blocked() ? "blocked" : r.failed() ? "failed" : "succeeded";
  s += " value=" + std::to_string(r.value);
  if (r.code) {
    const auto info = ErrnoByValue(*r.code);
    s += " code=" + (info ? std::string(info->symbol) : std::to_string(*r.code));
  }
  return s;
}

/// Expects -1 with errno `err` (and the thread's errno set to it).
#define EXPECT_ERRNO(result, err)                                \
  do {                                                           \
    const CallResult r_ = (result);                              \
    EXPECT_TRUE(r_.failed()) << Describe(r_);                    \
    EXPECT_EQ(r_.code, std::optional<int>(err)) << Describe(r_); \
  } while (0)

/// Builds the two-host world described above.
class IllumosFixture : public ::testing::Test {
 public:
  IllumosFixture() : world_(sim::WorldOptions{.seed = 1}), stack_(world_), os_(stack_) {
    auto& t = world_.topology();
    a_node_ = t.AddNode("a", sim::NodeKind::kHost);
    b_node_ = t.AddNode("b", sim::NodeKind::kHost);
    t.AddLink(a_node_, b_node_, sim::Duration::Milliseconds(1));
    const auto a_eth = t.node(a_node_).interfaces[1];
    const auto b_eth = t.node(b_node_).interfaces[1];
    t.AddAddress(a_eth, *sim::IpAddress::Parse("10.0.0.1"), 24);
    t.AddAddress(b_eth, *sim::IpAddress::Parse("10.0.0.2"), 24);
    t.AddAddress(a_eth, *sim::IpAddress::Parse("fd00::1"), 64);
    t.AddAddress(b_eth, *sim::IpAddress::Parse("fd00::2"), 64);
    sim::Credentials c1 = sim::Credentials::Of(1000, 10);
    c1.groups = {20, 10};
    c1.project_id = 3;
    a_ = &world_.Spawn({.pid = 100, .node = a_node_, .credentials = c1, .name = "server"});
    a2_ = &world_.Spawn({.pid = 101,
                         .node = a_node_,
                         .credentials = sim::Credentials::Of(2000, 20),
                         .name = "client"});
    b_ = &world_.Spawn({.pid = 300,
                        .node = b_node_,
                        .credentials = sim::Credentials::Of(3000, 30),
                        .name = "remote"});
    os_.SetUpProcess(*a_);
    os_.SetUpProcess(*a2_);
    os_.SetUpProcess(*b_);
  }

  sim::Thread& A() { return a_->main_thread(); }
  sim::Thread& A2() { return a2_->main_thread(); }
  sim::Thread& B() { return b_->main_thread(); }

  // ---- caller memory ----
  sim::UserAddress Place(sim::Thread& t, const Bytes& bytes) {
    auto& mem = t.process().memory();
    const auto at = mem.Allocate(bytes.empty() ? 1 : bytes.size());
    EXPECT_TRUE(mem.Poke(at, bytes));
    return at;
  }
  sim::UserAddress Int(sim::Thread& t, std::uint32_t value) {
    const auto at = t.process().memory().Allocate(4);
    EXPECT_TRUE(t.process().memory().WriteU32(at, value));
    return at;
  }
  sim::UserAddress U64(sim::Thread& t, std::uint64_t value) {
    const auto at = t.process().memory().Allocate(8);
    EXPECT_TRUE(t.process().memory().WriteU64(at, value));
    return at;
  }
  sim::UserAddress Text(sim::Thread& t, const std::string& s) {
    Bytes b(s.begin(), s.end());
    b.push_back(0);
    return Place(t, b);
  }
  std::uint32_t ReadU32(sim::Thread& t, sim::UserAddress at) {
    return *t.process().memory().ReadU32(at);
  }
  std::uint64_t ReadU64(sim::Thread& t, sim::UserAddress at) {
    return *t.process().memory().ReadU64(at);
  }
  Bytes Read(sim::Thread& t, sim::UserAddress at, std::size_t n) {
    return *t.process().memory().Peek(at, n);
  }

  // ---- addresses ----
  static Bytes In4(const std::string& ip, std::uint16_t port) {
    return Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
  }
  static Bytes In6(const std::string& ip, std::uint16_t port) {
    return Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
  }
  static Bytes Un(const std::string& path) {
    return Encode(stack::SocketAddress{stack::UnixAddress::Pathname(path)});
  }

  // ---- calls ----
  Fd Must(const CallResult& r) {
    EXPECT_TRUE(r.succeeded()) << Describe(r);
    return static_cast<Fd>(r.value);
  }
  Fd Sock(sim::Thread& t, int family, int type) { return Must(os_.Socket(t, family, type, 0)); }
  CallResult BindTo(sim::Thread& t, Fd s, const Bytes& name) {
    return os_.Bind(t, s, Place(t, name), static_cast<std::uint32_t>(name.size()));
  }
  CallResult ConnectTo(sim::Thread& t, Fd s, const Bytes& name) {
    return os_.Connect(t, s, Place(t, name), static_cast<std::uint32_t>(name.size()));
  }
  Fd Listener(sim::Thread& t, int family, int type, const Bytes& name) {
    const Fd s = Sock(t, family, type);
    EXPECT_TRUE(BindTo(t, s, name).succeeded());
    EXPECT_TRUE(os_.Listen(t, s, 8).succeeded());
    return s;
  }
  Fd AcceptOn(sim::Thread& t, Fd listener) { return Must(os_.Accept(t, listener, 0, 0)); }
  CallResult SendText(sim::Thread& t, Fd s, const std::string& text) {
    return os_.Send(t, s, Place(t, Bytes(text.begin(), text.end())), text.size(), 0);
  }

  /// getpeerucred(fd, &uc) with uc starting as `initial`; the result and uc afterwards.
  struct Peer {
    CallResult result;
    sim::UserAddress uc = 0;
    sim::UserAddress cell = 0;
  };
  Peer PeerCred(sim::Thread& t, Fd fd, sim::UserAddress initial = 0) {
    Peer out;
    out.cell = U64(t, initial);
    out.result = os_.Getpeerucred(t, fd, out.cell);
    out.uc = ReadU64(t, out.cell);
    return out;
  }
  /// Expects getpeerucred to succeed and report (pid, euid).
  void ExpectPeer(sim::Thread& t, Fd fd, sim::Pid pid, sim::Uid euid) {
    const Peer p = PeerCred(t, fd);
    ASSERT_TRUE(p.result.succeeded()) << Describe(p.result);
    EXPECT_EQ(os_.UcredGetpid(t, p.uc).value, pid);
    EXPECT_EQ(os_.UcredGeteuid(t, p.uc).value, static_cast<std::int64_t>(euid));
  }
  void ExpectPeerErrno(sim::Thread& t, Fd fd, int err) {
    const Peer p = PeerCred(t, fd);
    EXPECT_ERRNO(p.result, err);
    EXPECT_EQ(p.uc, 0u);
  }

  /// A connected AF_UNIX stream pair on host a: 100 listens on /tmp/s, 101 connects.
  struct Connection {
    Fd listener = -1, client = -1, accepted = -1;
  };
  Connection UnixConnection(int type = kSockStream) {
    Connection c;
    c.listener = Listener(A(), kAfUnix, type, Un("/tmp/s"));
    c.client = Sock(A2(), kAfUnix, type);
    EXPECT_TRUE(ConnectTo(A2(), c.client, Un("/tmp/s")).succeeded());
    c.accepted = AcceptOn(A(), c.listener);
    return c;
  }
  /// A TCP connection: 100 listens on `listen_on`, 101 (same host) or 300 connects to
  /// `connect_to`.
  Connection TcpConnection(const Bytes& listen_on, const Bytes& connect_to, bool remote = false,
                           int family = kAfInet) {
    Connection c;
    c.listener = Listener(A(), family, kSockStream, listen_on);
    sim::Thread& client = remote ? B() : A2();
    c.client = Sock(client, family, kSockStream);
    EXPECT_TRUE(ConnectTo(client, c.client, connect_to).succeeded());
    c.accepted = AcceptOn(A(), c.listener);
    return c;
  }

  sim::World world_;
  stack::Stack stack_;
  Illumos os_;
  sim::NodeId a_node_, b_node_;
  sim::Process* a_ = nullptr;
  sim::Process* a2_ = nullptr;
  sim::Process* b_ = nullptr;
};

}  // namespace socksim::testing
