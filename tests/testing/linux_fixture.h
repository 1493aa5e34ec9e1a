// File: tests/testing/linux_fixture.h
// A small world for Linux-personality tests: two hosts ("a" 10.0.0.1/fd00::1, "b"
// 10.0.0.2/fd00::2) joined by one 1 ms link, a stack, the Linux personality, one process per
// host, and helpers that place sockaddrs and lengths in a process's simulated memory.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::testing {

using stack::CallResult;
using namespace stack::linux_abi;  // NOLINT: the fixture exists to speak Linux

/// Builds the two-host world described above.
class LinuxFixture : public ::testing::Test {
 public:
  explicit LinuxFixture(std::uint64_t seed = 1, KernelVersion version = kNewestKernel)
      : world_(sim::WorldOptions{.seed = seed}),
        stack_(world_),
        linux_(stack_, version) {
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
    a_ = &world_.Spawn({.pid = 100, .node = a_node_, .credentials = sim::Credentials::Of(1000, 1000)});
    b_ = &world_.Spawn({.pid = 200, .node = b_node_, .credentials = sim::Credentials::Of(0, 0)});
    linux_.SetUpProcess(*a_);
    linux_.SetUpProcess(*b_);
  }

  // ---- caller memory ----
  /// A sockaddr for an IP endpoint ("10.0.0.2", 80) in `p`'s memory; returns its address.
  sim::UserAddress Inet(sim::Process& p, const std::string& ip, std::uint16_t port) {
    return Place(p, Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}}));
  }
  /// A sockaddr_un with a pathname, laid out as a C program would pass it.
  sim::UserAddress UnixPath(sim::Process& p, const std::string& path) {
    return Place(p, Encode(stack::SocketAddress{stack::UnixAddress::Pathname(path)}));
  }
  /// Bytes placed in fresh memory of `p`.
  sim::UserAddress Place(sim::Process& p, const std::vector<std::uint8_t>& bytes) {
    const auto at = p.memory().Allocate(bytes.empty() ? 1 : bytes.size());
    EXPECT_TRUE(p.memory().Poke(at, bytes));
    return at;
  }
  /// A socklen_t holding `value`.
  sim::UserAddress Len(sim::Process& p, std::uint32_t value) {
    const auto at = p.memory().Allocate(4);
    EXPECT_TRUE(p.memory().WriteU32(at, value));
    return at;
  }
  /// A 128-byte output buffer filled with 0xAA so untouched bytes are visible.
  sim::UserAddress Buffer(sim::Process& p, std::size_t size = 128) {
    return Place(p, std::vector<std::uint8_t>(size, 0xAA));
  }
  std::vector<std::uint8_t> Read(sim::Process& p, sim::UserAddress at, std::size_t n) {
    return *p.memory().Peek(at, n);
  }
  std::uint32_t ReadLen(sim::Process& p, sim::UserAddress at) { return *p.memory().ReadU32(at); }
  static std::vector<std::uint8_t> Bytes(const stack::SocketAddress& a) { return Encode(a); }
  static std::vector<std::uint8_t> InetBytes(const std::string& ip, std::uint16_t port) {
    return Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
  }

  /// What getpeername/getsockname returned, with the length written back and the bytes.
  struct Name {
    CallResult result;
    std::uint32_t length = 0;
    std::vector<std::uint8_t> bytes;  // the first `length` bytes (at most 160)
  };
  /// Calls getpeername (peer) or getsockname with a 160-byte buffer and reads the results.
  Name GetName(sim::Process& p, int fd, bool peer) {
    constexpr std::uint32_t kRoom = 160;
    const auto buf = Buffer(p, kRoom);
    const auto len = Len(p, kRoom);
    Name n;
    n.result = peer ? linux_.Getpeername(p, fd, buf, len) : linux_.Getsockname(p, fd, buf, len);
    n.length = ReadLen(p, len);
    if (n.result.succeeded()) n.bytes = Read(p, buf, n.length > kRoom ? kRoom : n.length);
    return n;
  }
  Name Peer(sim::Process& p, int fd) { return GetName(p, fd, true); }
  Name Sock(sim::Process& p, int fd) { return GetName(p, fd, false); }

  // ---- common set-ups ----
  int MustSucceed(const CallResult& r) {
    EXPECT_TRUE(r.succeeded()) << "errno " << r.code_or_zero();
    return static_cast<int>(r.value);
  }
  /// A TCP listener in `p` on ip:port with backlog 8; returns its fd.
  int Listener(sim::Process& p, const std::string& ip, std::uint16_t port, int domain = kAfInet) {
    const int fd = MustSucceed(linux_.Socket(p, domain, kSockStream, 0));
    MustSucceed(linux_.Bind(p, fd, Inet(p, ip, port), domain == kAfInet ? 16 : 28));
    MustSucceed(linux_.Listen(p, fd, 8));
    return fd;
  }
  /// A connected pair: client in a_ to b_'s listener on 10.0.0.2:80; returns {client, accepted}.
  std::pair<int, int> ConnectedTcp() {
    const int lfd = Listener(*b_, "10.0.0.2", 80);
    const int cfd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
    MustSucceed(linux_.Connect(*a_, cfd, Inet(*a_, "10.0.0.2", 80), 16));
    const int sfd = MustSucceed(linux_.Accept(*b_, lfd, 0, 0));
    return {cfd, sfd};
  }

  sim::World world_;
  stack::Stack stack_;
  LinuxPersonality linux_;
  sim::NodeId a_node_, b_node_;
  sim::Process* a_ = nullptr;
  sim::Process* b_ = nullptr;
};

/// Expects a failure with the given errno.
inline void ExpectErrno(const CallResult& r, int err) {
  EXPECT_EQ(r.value, -1);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.code_or_zero(), err)
      << "got " << r.code_or_zero() << " ("
      << (ErrnoByValue(r.code_or_zero()) ? ErrnoByValue(r.code_or_zero())->symbol : "?")
                         << "), want " << err;
}

}  // namespace socksim::testing
