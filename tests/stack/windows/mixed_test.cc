// File: tests/stack/windows/mixed_test.cc
// Windows and Linux processes in one world over one neutral stack (the issue's "a Linux
// server, a Windows client"): each side answers with its own numbers and layouts, the
// connection between them is the same.
#include <gtest/gtest.h>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tests/stack/windows/windows_fixture.h"

namespace socksim::testing {
namespace {

namespace lx = stack::linux_abi;

class MixedWorld : public WindowsFixture {
 public:
  MixedWorld() : linux_(stack_) {
    server_ = &world_.Spawn({.pid = 100,
                             .node = b_node_,
                             .credentials = sim::Credentials::Of(0, 0),
                             .personality = "linux"});
    linux_.SetUpProcess(*server_);
  }
  sim::UserAddress LinuxInet(const std::string& ip, std::uint16_t port) {
    const auto bytes =
        lx::Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
    const auto at = server_->memory().Allocate(bytes.size());
    EXPECT_TRUE(server_->memory().Poke(at, bytes));
    return at;
  }

  lx::LinuxPersonality linux_;
  sim::Process* server_ = nullptr;
};

// A Linux server, a Windows client: the client's getpeername is Windows' 16-byte SOCKADDR_IN,
// the server's accept reports the client in Linux's layout; data flows both ways.
TEST_F(MixedWorld, LinuxServerWindowsClient) {
  const int l = static_cast<int>(linux_.Socket(*server_, lx::kAfInet, lx::kSockStream, 0).value);
  ASSERT_TRUE(linux_.Bind(*server_, l, LinuxInet("10.0.0.2", 8080), 16).succeeded());
  ASSERT_TRUE(linux_.Listen(*server_, l, 8).succeeded());
  Startup(A());
  const SocketHandle c = Tcp(A());
  ExpectSuccess(ConnectTo(A(), c, In4("10.0.0.2", 8080)));
  const CallResult accepted = linux_.Accept(*server_, l, 0, 0);
  ASSERT_TRUE(accepted.succeeded());
  const Name peer = Peer(A(), c);
  ExpectSuccess(peer.result);
  EXPECT_EQ(peer.bytes, In4("10.0.0.2", 8080));
  // The Linux side sees the Windows client's name.
  const auto buf = server_->memory().Allocate(128);
  const auto len = server_->memory().Allocate(4);
  ASSERT_TRUE(server_->memory().WriteU32(len, 128));
  ASSERT_TRUE(linux_.Getpeername(*server_, static_cast<int>(accepted.value), buf, len).succeeded());
  const auto theirs = *server_->memory().Peek(buf, 16);
  EXPECT_EQ(theirs, lx::Encode(stack::SocketAddress{sim::Endpoint{
                        *sim::IpAddress::Parse("10.0.0.1"), PortOf(Sock(A(), c).bytes)}}));
  ExpectSuccess(SendData(A(), c, "from windows"), 12);
  world_.RunUntilIdle();
  const auto rbuf = server_->memory().Allocate(64);
  EXPECT_EQ(linux_.Recvfrom(*server_, static_cast<int>(accepted.value), rbuf, 64, 0, 0, 0),
            CallResult::Success(12));
}

// A Windows server, a Linux client connecting to it, reset by the Linux side: the Windows
// side keeps reporting its peer (row 32) and sees WSAECONNRESET.
TEST_F(MixedWorld, WindowsServerLinuxClient) {
  Startup(B());
  const SocketHandle l = Listener(B(), In4("10.0.0.2", 9090));
  sim::Process& client = world_.Spawn({.pid = 101, .node = a_node_, .personality = "linux"});
  linux_.SetUpProcess(client);
  const int fd = static_cast<int>(linux_.Socket(client, lx::kAfInet, lx::kSockStream, 0).value);
  const auto to_bytes =
      lx::Encode(stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse("10.0.0.2"), 9090}});
  const auto to = client.memory().Allocate(16);
  ASSERT_TRUE(client.memory().Poke(to, to_bytes));
  ASSERT_TRUE(linux_.Connect(client, fd, to, 16).succeeded());
  const SocketHandle s = Must(ws_.Accept(B(), l, 0, 0));
  const auto linger = client.memory().Allocate(8);
  ASSERT_TRUE(client.memory().WriteU32(linger, 1));
  ASSERT_TRUE(client.memory().WriteU32(linger + 4, 0));
  ASSERT_TRUE(linux_.Setsockopt(client, fd, lx::kSolSocket, lx::kSoLinger, linger, 8).succeeded());
  ASSERT_TRUE(linux_.Close(client, fd).succeeded());
  world_.RunUntilIdle();
  ExpectFailure(RecvData(B(), s).first, kWSAECONNRESET);
  const Name peer = Peer(B(), s);
  ExpectSuccess(peer.result);
  EXPECT_EQ(Bytes(peer.bytes.begin() + 4, peer.bytes.begin() + 8), (Bytes{10, 0, 0, 1}));
}

}  // namespace
}  // namespace socksim::testing
