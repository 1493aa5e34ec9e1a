// File: tests/stack/linux/kernel_diff_test.cc
// The Linux calls that differed from a real 6.18 kernel until they were measured with --host
// (scenarios/linux/kernel/): shutdown in TIME-WAIT, a TCP socket connecting to itself,
// TCP_INFO, IPv6 flow labels, IP_BIND_ADDRESS_NO_PORT, the source address for 127/8, and
// unlinkat/renameat2 on UNIX socket files.
#include <gtest/gtest.h>

#include "stack/personality/linux/ipv6_flow.h"
#include "stack/personality/linux/tcp_info.h"
#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

using stack::Family;
using stack::SockType;
using stack::SocketAddress;
using stack::TcpState;
using stack::UnixAddress;

class LinuxKernelDiff : public LinuxFixture {
 protected:
  // An int option value in memory.
  sim::UserAddress Int(sim::Process& p, std::uint32_t v) { return Len(p, v); }
  CallResult SetInt(sim::Process& p, int fd, int level, int name, std::uint32_t v) {
    return linux_.Setsockopt(p, fd, level, name, Int(p, v), 4);
  }
  // A struct in6_flowlabel_req for ::1.
  sim::UserAddress FlowReq(sim::Process& p, std::uint32_t label, std::uint8_t action,
                           std::uint8_t share, std::uint16_t flags) {
    std::vector<std::uint8_t> b(kFlowlabelReqSize, 0);
    b[15] = 1;
    for (int i = 0; i < 4; ++i) b[16 + i] = static_cast<std::uint8_t>(label >> (24 - 8 * i));
    b[20] = action;
    b[21] = share;
    b[22] = static_cast<std::uint8_t>(flags);
    return Place(p, b);
  }
  CallResult Manage(sim::Process& p, int fd, std::uint32_t label, std::uint8_t action,
                    std::uint8_t share, std::uint16_t flags) {
    return linux_.Setsockopt(p, fd, kIpprotoIpv6, kIpv6FlowlabelMgr,
                             FlowReq(p, label, action, share, flags), kFlowlabelReqSize);
  }
  sim::UserAddress Inet6(sim::Process& p, const std::string& ip, std::uint16_t port,
                         std::uint32_t flowinfo) {
    sim::Endpoint ep{*sim::IpAddress::Parse(ip), port};
    ep.flow_info = flowinfo;
    return Place(p, Encode(SocketAddress{ep}));
  }
  std::uint32_t PeerFlowinfo(sim::Process& p, int fd) {
    const Name n = Peer(p, fd);
    EXPECT_TRUE(n.result.succeeded());
    if (n.bytes.size() < 8) return 0xffffffffu;
    return (std::uint32_t{n.bytes[4]} << 24) | (std::uint32_t{n.bytes[5]} << 16) |
           (std::uint32_t{n.bytes[6]} << 8) | n.bytes[7];
  }
  std::uint8_t TcpInfoStateOf(sim::Process& p, int fd) {
    const auto buf = Buffer(p, 1);
    const auto len = Len(p, 1);
    EXPECT_TRUE(linux_.Getsockopt(p, fd, kSolTcp, kTcpInfo, buf, len).succeeded());
    return Read(p, buf, 1)[0];
  }
};

TEST_F(LinuxKernelDiff, ShutdownInTimeWaitIsEnotconn) {
  const int l = Listener(*a_, "127.0.0.1", 7000);
  const int c = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Connect(*a_, c, Inet(*a_, "127.0.0.1", 7000), 16));
  const int s = MustSucceed(linux_.Accept(*a_, l, 0, 0));
  MustSucceed(linux_.Shutdown(*a_, c, kShutWr));
  EXPECT_EQ(TcpInfoStateOf(*a_, c), 5);  // FIN-WAIT-2: still shut down normally
  MustSucceed(linux_.Shutdown(*a_, c, kShutWr));
  MustSucceed(linux_.Close(*a_, s));
  for (const int how : {kShutRd, kShutWr, kShutRdwr}) {
    SCOPED_TRACE(how);
    ExpectErrno(linux_.Shutdown(*a_, c, how), kENOTCONN);
  }
}

TEST_F(LinuxKernelDiff, TcpSocketConnectingToItsOwnAddressIsConnectedToItself) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Bind(*a_, fd, Inet(*a_, "127.0.0.1", 7001), 16));
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "127.0.0.1", 7001), 16));
  EXPECT_EQ(Peer(*a_, fd).bytes, InetBytes("127.0.0.1", 7001));
  EXPECT_EQ(TcpInfoStateOf(*a_, fd), 1);
}

TEST_F(LinuxKernelDiff, TcpInfoStateIsTheUsersViewOfEveryState) {
  struct Case {
    TcpState state;
    std::uint8_t want;  // include/net/tcp_states.h
  };
  const Case cases[] = {
      {TcpState::kEstablished, 1}, {TcpState::kSynSent, 2},   {TcpState::kSynReceived, 3},
      {TcpState::kFinWait1, 4},    {TcpState::kFinWait2, 5},  {TcpState::kTimeWait, 7},
      {TcpState::kClosed, 7},      {TcpState::kCloseWait, 8}, {TcpState::kLastAck, 9},
      {TcpState::kListen, 10},     {TcpState::kClosing, 11},
  };
  auto s = stack_.Create(a_node_, Family::kInet, SockType::kStream, 0, linux_.policy(),
                         a_->Snapshot())
               .value();
  for (const Case& c : cases) {
    SCOPED_TRACE(ToString(c.state));
    s->state = c.state;
    EXPECT_EQ(TcpInfoState(*s), c.want);
    const auto bytes = TcpInfoBytes(*s);
    ASSERT_EQ(bytes.size(), kTcpInfoSize);
    EXPECT_EQ(bytes[0], c.want);
  }
  s->state = TcpState::kClosed;
}

TEST_F(LinuxKernelDiff, TcpInfoLengthRules) {
  const int l = Listener(*a_, "127.0.0.1", 7002);
  struct Case {
    const char* name;
    std::uint32_t len;
    int err;
    std::uint32_t written;
  };
  const Case cases[] = {
      {"LongerCopiesTheStruct", 300, 0, kTcpInfoSize},
      {"ShorterCopiesThePrefix", 8, 0, 8},
      {"ZeroCopiesNothing", 0, 0, 0},
      {"NegativeIsEinval", 0xffffffffu, kEINVAL, 0xffffffffu},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto buf = Buffer(*a_, 512);
    const auto len = Len(*a_, c.len);
    const CallResult r = linux_.Getsockopt(*a_, l, kSolTcp, kTcpInfo, buf, len);
    if (c.err != 0) {
      ExpectErrno(r, c.err);
    } else {
      EXPECT_TRUE(r.succeeded());
      if (c.written > 0) {
        const auto bytes = Read(*a_, buf, c.written);
        EXPECT_EQ(bytes[0], 10);  // LISTEN
        if (c.written >= 32) {
          EXPECT_EQ(bytes[28], 8);  // tcpi_sacked: the backlog
        }
      }
    }
    EXPECT_EQ(ReadLen(*a_, len), c.written);
  }
  // A fault in the copy comes after the length was written back.
  const auto len = Len(*a_, 300);
  ExpectErrno(linux_.Getsockopt(*a_, l, kSolTcp, kTcpInfo, 0, len), kEFAULT);
  EXPECT_EQ(ReadLen(*a_, len), kTcpInfoSize);
  const int u = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  ExpectErrno(linux_.Getsockopt(*a_, u, kSolTcp, kTcpInfo, Buffer(*a_), Len(*a_, 8)),
              kEOPNOTSUPP);
}

TEST_F(LinuxKernelDiff, FlowLabelManagerErrors) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet6, kSockDgram, 0));
  constexpr std::uint8_t kGet = 0, kPut = 1, kRenew = 2, kExcl = 1, kAny = 255;
  constexpr std::uint16_t kCreate = 1, kExclusive = 2;
  struct Case {
    const char* name;
    std::uint32_t label;
    std::uint8_t action, share;
    std::uint16_t flags;
    int err;
  };
  const Case cases[] = {
      {"GetWithoutCreateIsEnoent", 0x12345, kGet, kAny, 0, kENOENT},
      {"GetCreates", 0x12345, kGet, kAny, kCreate, 0},
      {"GetJoinsOwnLabel", 0x12345, kGet, kAny, kCreate, 0},
      {"ExclusiveGetOfExistingIsEexist", 0x12345, kGet, kAny, kCreate | kExclusive, kEEXIST},
      {"OtherShareIsEperm", 0x12345, kGet, kExcl, 0, kEPERM},
      {"LabelOutsideTwentyBitsIsEinval", 0x100000, kGet, kAny, kCreate, kEINVAL},
      {"UnknownShareIsEinval", 0x777, kGet, 9, kCreate, kEINVAL},
      {"UnknownActionIsEinval", 0x777, 7, kAny, kCreate, kEINVAL},
      {"PutOfUnheldIsEsrch", 0x999, kPut, kAny, 0, kESRCH},
      {"RenewOfUnheldIsEsrch", 0x999, kRenew, kAny, 0, kESRCH},
      {"RenewOfHeld", 0x12345, kRenew, kAny, 0, 0},
      {"PutOfHeld", 0x12345, kPut, kAny, 0, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const CallResult r = Manage(*a_, fd, c.label, c.action, c.share, c.flags);
    if (c.err == 0) {
      EXPECT_TRUE(r.succeeded()) << r.code_or_zero();
    } else {
      ExpectErrno(r, c.err);
    }
  }
  ExpectErrno(linux_.Setsockopt(*a_, fd, kIpprotoIpv6, kIpv6FlowlabelMgr,
                                FlowReq(*a_, 5, kGet, kAny, kCreate), kFlowlabelReqSize - 1),
              kEINVAL);
  // A GET of label 0 that creates one writes the label it chose back to flr_label.
  const auto req = FlowReq(*a_, 0, kGet, kAny, kCreate);
  MustSucceed(linux_.Setsockopt(*a_, fd, kIpprotoIpv6, kIpv6FlowlabelMgr, req, kFlowlabelReqSize));
  const auto label = Read(*a_, req + kFlowlabelReqLabelOffset, 4);
  const std::uint32_t chosen = (std::uint32_t{label[0]} << 24) | (label[1] << 16) |
                               (label[2] << 8) | label[3];
  EXPECT_NE(chosen, 0u);
  EXPECT_EQ(chosen & ~kFlowlabelMask, 0u);
}

TEST_F(LinuxKernelDiff, FlowinfoInGetpeernameNeedsFlowinfoSend) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet6, kSockDgram, 0));
  MustSucceed(linux_.Connect(*a_, fd, Inet6(*a_, "::1", 9, 0x0ab12345), 28));
  EXPECT_EQ(PeerFlowinfo(*a_, fd), 0u);  // without SNDFLOW the label is not kept
  MustSucceed(SetInt(*a_, fd, kIpprotoIpv6, kIpv6FlowinfoSend, 1));
  MustSucceed(linux_.Connect(*a_, fd, Inet6(*a_, "::1", 9, 0xfab12345), 28));
  EXPECT_EQ(PeerFlowinfo(*a_, fd), 0x0ab12345u);  // IPV6_FLOWINFO_MASK drops the top bits
  MustSucceed(SetInt(*a_, fd, kIpprotoIpv6, kIpv6FlowinfoSend, 0));
  EXPECT_EQ(PeerFlowinfo(*a_, fd), 0u);
  // Once an exclusive label exists on the host, a label must be one the socket holds.
  const int other = MustSucceed(linux_.Socket(*a_, kAfInet6, kSockDgram, 0));
  MustSucceed(Manage(*a_, other, 0x888, 0, 1, 1));
  MustSucceed(SetInt(*a_, fd, kIpprotoIpv6, kIpv6FlowinfoSend, 1));
  ExpectErrno(linux_.Connect(*a_, fd, Inet6(*a_, "::1", 9, 0x777), 28), kEINVAL);
  MustSucceed(linux_.Connect(*a_, fd, Inet6(*a_, "::1", 9, 0x0ff00000), 28));  // class only
  // A stream socket drops the ECN bits of the traffic class (IP6_ECN_flow_init).
  const int l = Listener(*a_, "::1", 7003, kAfInet6);
  const int t = MustSucceed(linux_.Socket(*a_, kAfInet6, kSockStream, 0));
  MustSucceed(SetInt(*a_, t, kIpprotoIpv6, kIpv6FlowinfoSend, 1));
  MustSucceed(linux_.Connect(*a_, t, Inet6(*a_, "::1", 7003, 0x0ff00000), 28));
  EXPECT_EQ(PeerFlowinfo(*a_, t), 0x0fc00000u);
  (void)l;
}

TEST_F(LinuxKernelDiff, BindAddressNoPortLeavesThePortToConnect) {
  const int l = Listener(*a_, "127.0.0.1", 7004);
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(SetInt(*a_, fd, kSolIp, kIpBindAddressNoPort, 1));
  MustSucceed(linux_.Bind(*a_, fd, Inet(*a_, "127.0.0.1", 0), 16));
  EXPECT_EQ(Sock(*a_, fd).bytes, InetBytes("127.0.0.1", 0));
  MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, "127.0.0.1", 7004), 16));
  EXPECT_NE(Sock(*a_, fd).bytes, InetBytes("127.0.0.1", 0));
  (void)l;
  const int un = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  ExpectErrno(SetInt(*a_, un, kSolIp, kIpBindAddressNoPort, 1), kEOPNOTSUPP);
}

TEST_F(LinuxKernelDiff, LoopbackRangeDestinationGetsTheLoopbackSource) {
  for (const char* destination : {"127.0.0.2", "127.1.2.3", "127.255.255.254"}) {
    SCOPED_TRACE(destination);
    const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
    MustSucceed(linux_.Connect(*a_, fd, Inet(*a_, destination, 9), 16));
    const Name n = Sock(*a_, fd);
    ASSERT_EQ(n.bytes.size(), 16u);
    EXPECT_EQ(std::vector<std::uint8_t>(n.bytes.begin() + 4, n.bytes.begin() + 8),
              (std::vector<std::uint8_t>{127, 0, 0, 1}));
  }
}

TEST_F(LinuxKernelDiff, PathCallErrors) {
  const int s = MustSucceed(linux_.Socket(*a_, kAfUnix, kSockStream, 0));
  MustSucceed(linux_.Bind(*a_, s, UnixPath(*a_, "p1"), 5));
  struct Case {
    const char* name;
    CallResult (*call)(LinuxPersonality&, sim::Process&, int);
    int err;
  };
  const Case cases[] = {
      {"UnknownUnlinkFlagIsEinval",
       [](LinuxPersonality& l, sim::Process& p, int) { return l.Unlinkat(p, kAtFdcwd, "p1", 1); },
       kEINVAL},
      {"RemovedirOnASocketIsEnotdir",
       [](LinuxPersonality& l, sim::Process& p, int) {
         return l.Unlinkat(p, kAtFdcwd, "p1", kAtRemovedir);
       },
       kENOTDIR},
      {"RelativeToASocketIsEnotdir",
       [](LinuxPersonality& l, sim::Process& p, int fd) { return l.Unlinkat(p, fd, "p1", 0); },
       kENOTDIR},
      {"RelativeToAClosedFdIsEbadf",
       [](LinuxPersonality& l, sim::Process& p, int) { return l.Unlinkat(p, 77, "p1", 0); },
       kEBADF},
      {"NoreplaceOntoItselfIsEexist",
       [](LinuxPersonality& l, sim::Process& p, int) {
         return l.Renameat2(p, kAtFdcwd, "p1", kAtFdcwd, "p1", kRenameNoreplace);
       },
       kEEXIST},
      {"ExchangeWithNothingIsEnoent",
       [](LinuxPersonality& l, sim::Process& p, int) {
         return l.Renameat2(p, kAtFdcwd, "p1", kAtFdcwd, "p2", kRenameExchange);
       },
       kENOENT},
      {"ExchangeWithNoreplaceIsEinval",
       [](LinuxPersonality& l, sim::Process& p, int) {
         return l.Renameat2(p, kAtFdcwd, "p1", kAtFdcwd, "p2",
                            kRenameExchange | kRenameNoreplace);
       },
       kEINVAL},
      {"RenameOfNothingIsEnoent",
       [](LinuxPersonality& l, sim::Process& p, int) {
         return l.Renameat2(p, kAtFdcwd, "p9", kAtFdcwd, "p2", 0);
       },
       kENOENT},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectErrno(c.call(linux_, *a_, s), c.err);
  }
  MustSucceed(linux_.Renameat2(*a_, kAtFdcwd, "p1", kAtFdcwd, "p2", 0));
  MustSucceed(linux_.Unlinkat(*a_, kAtFdcwd, "p2", 0));
  ExpectErrno(linux_.Unlinkat(*a_, kAtFdcwd, "p2", 0), kENOENT);
  EXPECT_EQ(Sock(*a_, s).bytes, Bytes(SocketAddress{UnixAddress::Pathname("p1")}));
}

}  // namespace
}  // namespace socksim::testing
