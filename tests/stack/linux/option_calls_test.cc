// File: tests/stack/linux/option_calls_test.cc
// The options of option_calls.cc, set and read back on fresh sockets: the value each one
// stores (booleans as 0/1, ranges, masks, doubled buffer sizes), the errors, and the lengths
// getsockopt writes at each level. Values were measured with `socksim run --host` on 6.18.
#include <gtest/gtest.h>

#include <string>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

struct OptionCase {
  const char* id;
  int domain;
  int type;
  int level;
  int name;
  std::int32_t set;    // the value written (4 bytes)
  int set_errno;       // 0: setsockopt succeeds
  std::int32_t read;   // what getsockopt then reads back (4 bytes)
};

class LinuxOptionRoundTrip : public LinuxFixture, public ::testing::WithParamInterface<OptionCase> {};

TEST_P(LinuxOptionRoundTrip, StoresWhatLinuxStores) {
  const OptionCase& c = GetParam();
  const int fd = MustSucceed(linux_.Socket(*a_, c.domain, c.type, 0));
  const CallResult set = linux_.Setsockopt(*a_, fd, c.level, c.name, Len(*a_, static_cast<std::uint32_t>(c.set)), 4);
  if (c.set_errno != 0) {
    ExpectErrno(set, c.set_errno);
  } else {
    EXPECT_TRUE(set.succeeded()) << "errno " << set.code_or_zero();
  }
  const auto out = Buffer(*a_, 4);
  const auto len = Len(*a_, 4);
  MustSucceed(linux_.Getsockopt(*a_, fd, c.level, c.name, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 4u);
  EXPECT_EQ(static_cast<std::int32_t>(*a_->memory().ReadU32(out)), c.read);
}

const OptionCase kOptionCases[] = {
    {"TcpNodelayIsBoolean", kAfInet, kSockStream, kSolTcp, kTcpNodelay, 5, 0, 1},
    {"TcpCorkIsBoolean", kAfInet, kSockStream, kSolTcp, kTcpCork, -5, 0, 1},
    {"TcpQuickackZeroEntersPingpong", kAfInet, kSockStream, kSolTcp, kTcpQuickack, 0, 0, 0},
    {"TcpKeepidleZeroKeepsDefault", kAfInet, kSockStream, kSolTcp, kTcpKeepidle, 0, kEINVAL, 7200},
    {"TcpKeepidleMax", kAfInet, kSockStream, kSolTcp, kTcpKeepidle, 32767, 0, 32767},
    {"TcpKeepidleAboveMax", kAfInet, kSockStream, kSolTcp, kTcpKeepidle, 32768, kEINVAL, 7200},
    {"TcpKeepintvlAboveMax", kAfInet, kSockStream, kSolTcp, kTcpKeepintvl, 32768, kEINVAL, 75},
    {"TcpKeepcntMax", kAfInet, kSockStream, kSolTcp, kTcpKeepcnt, 127, 0, 127},
    {"TcpKeepcntAboveMax", kAfInet, kSockStream, kSolTcp, kTcpKeepcnt, 128, kEINVAL, 9},
    {"TcpFastopenClampedToSomaxconn", kAfInet, kSockStream, kSolTcp, kTcpFastopen, 100000, 0, 4096},
    {"TcpFastopenNegative", kAfInet, kSockStream, kSolTcp, kTcpFastopen, -1, kEINVAL, 0},
    {"Tcp6Nodelay", kAfInet6, kSockStream, kSolTcp, kTcpNodelay, 1, 0, 1},
    {"TcpTosKeepsEcnBits", kAfInet, kSockStream, kSolIp, kIpTos, 0xff, 0, 0xfc},
    {"Tcp6TosKeepsEcnBits", kAfInet6, kSockStream, kSolIp, kIpTos, 0xff, 0, 0xfc},
    {"UdpTosIsAByte", kAfInet, kSockDgram, kSolIp, kIpTos, 0x1ff, 0, 0xff},
    {"IpRecverrIsBoolean", kAfInet, kSockDgram, kSolIp, kIpRecverr, 7, 0, 1},
    {"IpMtuDiscoverOmit", kAfInet, kSockStream, kSolIp, kIpMtuDiscover, 5, 0, 5},
    {"IpMtuDiscoverOutOfRange", kAfInet, kSockStream, kSolIp, kIpMtuDiscover, 6, kEINVAL, 1},
    {"Ipv6RecverrIsBoolean", kAfInet6, kSockDgram, kSolIpv6, kIpv6Recverr, 3, 0, 1},
    {"ReuseportIsBoolean", kAfInet, kSockStream, kSolSocket, kSoReuseport, 9, 0, 1},
    {"ReuseportNotOnUnix", kAfUnix, kSockStream, kSolSocket, kSoReuseport, 1, kEOPNOTSUPP, 0},
    {"PriorityUnprivilegedRange", kAfInet, kSockStream, kSolSocket, kSoPriority, 6, 0, 6},
    {"PriorityNeedsPrivilege", kAfInet, kSockStream, kSolSocket, kSoPriority, 7, kEPERM, 0},
    {"RcvbufDoubled", kAfInet, kSockStream, kSolSocket, kSoRcvbuf, 100000, 0, 200000},
    {"RcvbufMinimum", kAfInet, kSockStream, kSolSocket, kSoRcvbuf, 0, 0, 2304},
    {"RcvbufClampedToRmemMax", kAfInet, kSockDgram, kSolSocket, kSoRcvbuf, -1, 0, 425984},
    {"SndbufMinimum", kAfInet, kSockDgram, kSolSocket, kSoSndbuf, 1000, 0, 4608},
    {"UnixRcvbufDoubled", kAfUnix, kSockStream, kSolSocket, kSoRcvbuf, 5000, 0, 10000},
};

INSTANTIATE_TEST_SUITE_P(Options, LinuxOptionRoundTrip, ::testing::ValuesIn(kOptionCases),
                         [](const auto& info) { return std::string(info.param.id); });

struct DefaultCase {
  const char* id;
  int domain;
  int type;
  int level;
  int name;
  std::int32_t value;
};

class LinuxOptionDefaults : public LinuxFixture, public ::testing::WithParamInterface<DefaultCase> {};

TEST_P(LinuxOptionDefaults, FreshSocketReads) {
  const DefaultCase& c = GetParam();
  const int fd = MustSucceed(linux_.Socket(*a_, c.domain, c.type, 0));
  const auto out = Buffer(*a_, 4);
  MustSucceed(linux_.Getsockopt(*a_, fd, c.level, c.name, out, Len(*a_, 4)));
  EXPECT_EQ(static_cast<std::int32_t>(*a_->memory().ReadU32(out)), c.value);
}

const DefaultCase kDefaultCases[] = {
    {"TcpRcvbuf", kAfInet, kSockStream, kSolSocket, kSoRcvbuf, 131072},
    {"TcpSndbuf", kAfInet, kSockStream, kSolSocket, kSoSndbuf, 16384},
    {"UdpRcvbuf", kAfInet, kSockDgram, kSolSocket, kSoRcvbuf, 212992},
    {"UnixSndbuf", kAfUnix, kSockDgram, kSolSocket, kSoSndbuf, 212992},
    {"TcpQuickack", kAfInet, kSockStream, kSolTcp, kTcpQuickack, 1},
    {"TcpKeepintvl", kAfInet, kSockStream, kSolTcp, kTcpKeepintvl, 75},
    {"TcpKeepcnt", kAfInet, kSockStream, kSolTcp, kTcpKeepcnt, 9},
    {"IpMtuDiscoverWant", kAfInet, kSockDgram, kSolIp, kIpMtuDiscover, kIpPmtudiscWant},
    {"Priority", kAfInet, kSockDgram, kSolSocket, kSoPriority, 0},
};

INSTANTIATE_TEST_SUITE_P(Defaults, LinuxOptionDefaults, ::testing::ValuesIn(kDefaultCases),
                         [](const auto& info) { return std::string(info.param.id); });

using LinuxOptionLengths = LinuxFixture;

TEST_F(LinuxOptionLengths, IntOptionsNeedFourBytesExceptAtTheIpLevel) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  const auto one = Len(*a_, 1);
  ExpectErrno(linux_.Setsockopt(*a_, fd, kSolTcp, kTcpNodelay, one, 1), kEINVAL);
  ExpectErrno(linux_.Setsockopt(*a_, fd, kSolSocket, kSoReuseport, one, 2), kEINVAL);
  // do_ip_setsockopt reads one byte when optlen is 1..3.
  MustSucceed(linux_.Setsockopt(*a_, fd, kSolIp, kIpTos, Place(*a_, {0x34, 0x12}), 2));
  const auto out = Buffer(*a_, 4);
  const auto len = Len(*a_, 2);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolIp, kIpTos, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 1u);  // a value that fits a byte comes back as one byte
  EXPECT_EQ(Read(*a_, out, 2), (std::vector<std::uint8_t>{0x34, 0xAA}));
}

TEST_F(LinuxOptionLengths, TcpGetsockoptCopiesAPrefix) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  const auto out = Buffer(*a_, 4);
  const auto len = Len(*a_, 1);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolTcp, kTcpKeepidle, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 1u);
  EXPECT_EQ(Read(*a_, out, 2), (std::vector<std::uint8_t>{0x20, 0xAA}));  // 7200 = 0x1c20
}

TEST_F(LinuxOptionLengths, BindToDeviceNameAndLengths) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  const auto out = Buffer(*a_, 32);
  const auto len = Len(*a_, 32);
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolSocket, kSoBindtodevice, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 0u);
  ExpectErrno(linux_.Setsockopt(*a_, fd, kSolSocket, kSoBindtodevice, Place(*a_, {'e', 't', 'h', '9'}), 4),
              kENODEV);
  MustSucceed(linux_.Setsockopt(*a_, fd, kSolSocket, kSoBindtodevice, Place(*a_, {'e', 't', 'h', '0'}), 4));
  // The length cell now holds 0, which is too little room for a bound name.
  ExpectErrno(linux_.Getsockopt(*a_, fd, kSolSocket, kSoBindtodevice, out, len), kEINVAL);
  ASSERT_TRUE(a_->memory().WriteU32(len, 32));
  MustSucceed(linux_.Getsockopt(*a_, fd, kSolSocket, kSoBindtodevice, out, len));
  EXPECT_EQ(ReadLen(*a_, len), 5u);
  EXPECT_EQ(Read(*a_, out, 5), (std::vector<std::uint8_t>{'e', 't', 'h', '0', 0}));
  ExpectErrno(linux_.Getsockopt(*a_, fd, kSolSocket, kSoBindtodevice, out, Len(*a_, 15)), kEINVAL);
  // a_ is unprivileged: a bound socket cannot be rebound or unbound.
  ExpectErrno(linux_.Setsockopt(*a_, fd, kSolSocket, kSoBindtodevice, Place(*a_, {0}), 0), kEPERM);
}

}  // namespace
}  // namespace socksim::testing
