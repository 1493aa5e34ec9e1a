// File: tests/stack/core/core_fixture.h
// A world for tests of the neutral stack alone, with no personality linked: two hosts ("a"
// 10.0.0.1, "b" 10.0.0.2) on a 1 ms link, a Stack, and policies the test fills in. Sockets are
// driven through Stack directly; closing one is Stack::Release, as a personality's close does
// when the last descriptor goes.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "sim/world.h"
#include "stack/core/stack.h"

namespace socksim::testing {

/// Bytes a test sends; counts how often the stack read them.
class CountingPayload final : public stack::Payload {
 public:
  explicit CountingPayload(std::string bytes, std::optional<std::size_t> readable = std::nullopt)
      : bytes_(std::move(bytes)), readable_(readable) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::optional<std::string> Read(bool partial) override {
    ++reads;
    if (!readable_ || *readable_ >= bytes_.size()) return bytes_;
    if (!partial || *readable_ == 0) return std::nullopt;
    return bytes_.substr(0, *readable_);
  }
  int reads = 0;

 private:
  std::string bytes_;
  std::optional<std::size_t> readable_;  // bytes before a simulated fault
};

/// Collects received bytes; can fault after a number of bytes.
class CollectingSink final : public stack::ReceiveSink {
 public:
  explicit CollectingSink(std::size_t room = static_cast<std::size_t>(-1)) : room_(room) {}
  std::size_t Write(std::string_view bytes) override {
    const std::size_t take = std::min(bytes.size(), room_ - got.size());
    got.append(bytes.substr(0, take));
    return take;
  }
  std::string got;

 private:
  std::size_t room_;
};

/// The neutral stack over two hosts.
class CoreFixture : public ::testing::Test {
 public:
  CoreFixture() : world_(sim::WorldOptions{.seed = 3}), stack_(world_) {
    auto& t = world_.topology();
    a_ = t.AddNode("a", sim::NodeKind::kHost);
    b_ = t.AddNode("b", sim::NodeKind::kHost);
    t.AddLink(a_, b_, sim::Duration::Milliseconds(1));
    t.AddAddress(t.node(a_).interfaces[1], *sim::IpAddress::Parse("10.0.0.1"), 24);
    t.AddAddress(t.node(b_).interfaces[1], *sim::IpAddress::Parse("10.0.0.2"), 24);
    alice_ = &world_.Spawn({.pid = 100, .node = a_, .credentials = sim::Credentials::Of(1000, 1000)});
    bob_ = &world_.Spawn({.pid = 200, .node = b_, .credentials = sim::Credentials::Of(0, 0)});
    carol_ = &world_.Spawn({.pid = 300, .node = a_, .credentials = sim::Credentials::Of(2000, 2000)});
  }

  /// Registers `policy` (a fresh default one when none is given) and returns the stack's copy.
  const stack::Policy& Use(stack::Policy policy = {}) { return stack_.RegisterPolicy(policy); }

  static sim::Endpoint Ep(const std::string& ip, std::uint16_t port) {
    return sim::Endpoint{*sim::IpAddress::Parse(ip), port};
  }

  stack::SocketRef Tcp(const stack::Policy& p, sim::Process& who) {
    return stack_.Create(who.node(), stack::Family::kInet, stack::SockType::kStream, 0, p,
                         who.Snapshot())
        .value();
  }
  stack::SocketRef Udp(const stack::Policy& p, sim::Process& who) {
    return stack_.Create(who.node(), stack::Family::kInet, stack::SockType::kDgram, 0, p,
                         who.Snapshot())
        .value();
  }
  stack::SocketRef Unix(const stack::Policy& p, sim::Process& who,
                        stack::SockType type = stack::SockType::kStream) {
    return stack_.Create(who.node(), stack::Family::kUnix, type, 0, p, who.Snapshot()).value();
  }

  /// A TCP listener of `who` on ip:port.
  stack::SocketRef Listener(const stack::Policy& p, sim::Process& who, const std::string& ip,
                            std::uint16_t port, int backlog = 8) {
    auto s = Tcp(p, who);
    EXPECT_TRUE(stack_.Bind(*s, stack::SocketAddress{Ep(ip, port)}, who.Snapshot()).ok());
    EXPECT_TRUE(stack_.Listen(*s, backlog, who.Snapshot()).ok());
    return s;
  }

  /// Connects `s` (blocking) and runs the world until the handshake resolved.
  stack::Result<stack::Ok> ConnectAndWait(stack::Socket& s, const sim::Endpoint& to,
                                          sim::Process& who,
                                          stack::ConnectVia via = stack::ConnectVia::kCall) {
    auto progress = stack_.Connect(s, stack::ConnectRequest{stack::SocketAddress{to}, true, via},
                                   who.Snapshot());
    if (!progress) return stack::Fail(progress.error());
    if (*progress == stack::ConnectProgress::kInProgress) {
      stack_.RunUntil([&s] {
        return s.state != stack::TcpState::kSynSent && s.state != stack::TcpState::kSynReceived;
      });
      return stack_.FinishConnect(s);
    }
    return stack::Ok{};
  }

  /// The next connection on `listener`, after running the world.
  stack::SocketRef AcceptOne(stack::Socket& listener, sim::Process& who) {
    stack_.RunUntil([&] { return stack_.ReadyToAccept(listener); });
    auto child = stack_.Accept(listener, who.Snapshot());
    EXPECT_TRUE(child.ok());
    return child.ok() ? *child : nullptr;
  }

  /// Closes `s` as its last descriptor's close would, and settles the world.
  void Close(stack::SocketRef& s) {
    stack_.Release(*s);
    s.reset();
    stack_.Settle();
  }

  sim::World world_;
  stack::Stack stack_;
  sim::NodeId a_, b_;
  sim::Process* alice_ = nullptr;  // on a
  sim::Process* bob_ = nullptr;    // on b
  sim::Process* carol_ = nullptr;  // on a
};

}  // namespace socksim::testing
