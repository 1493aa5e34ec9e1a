// File: tests/sim/ip_address_test.cc
// IpAddress text conversion (RFC 4291 parsing, RFC 5952 formatting), classification and
// Endpoint formatting. Tables keep each rule next to the cases that pin it.
#include "sim/ip_address.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace socksim::sim {
namespace {

IpAddress P(const char* text) {
  const auto ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

struct RoundTrip {
  const char* input;
  const char* canonical;  // the RFC 5952 (or dotted-quad) form ToString must produce
  IpVersion version;
};

TEST(IpAddressTest, ParseFormatRoundTrips) {
  const std::vector<RoundTrip> cases = {
      // IPv4.
      {"0.0.0.0", "0.0.0.0", IpVersion::kV4},
      {"10.0.0.2", "10.0.0.2", IpVersion::kV4},
      {"127.0.0.1", "127.0.0.1", IpVersion::kV4},
      {"255.255.255.255", "255.255.255.255", IpVersion::kV4},
      // IPv6: "::" alone, loopback, link-local.
      {"::", "::", IpVersion::kV6},
      {"0:0:0:0:0:0:0:0", "::", IpVersion::kV6},
      {"::1", "::1", IpVersion::kV6},
      {"0:0:0:0:0:0:0:1", "::1", IpVersion::kV6},
      {"fe80::1", "fe80::1", IpVersion::kV6},
      // RFC 5952 4.1: leading zeros dropped; 4.3: lower case.
      {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1", IpVersion::kV6},
      // 4.2.2: a single zero group is not compressed.
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", IpVersion::kV6},
      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", IpVersion::kV6},
      // 4.2.3: the longest run is compressed; on a tie, the first.
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", IpVersion::kV6},
      {"2001:db8::1:0:0:1", "2001:db8::1:0:0:1", IpVersion::kV6},
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1", IpVersion::kV6},
      {"1:0:0:0:0:0:0:0", "1::", IpVersion::kV6},
      // 5: IPv4-mapped addresses keep a dotted tail.
      {"::ffff:127.0.0.1", "::ffff:127.0.0.1", IpVersion::kV6},
      {"::FFFF:7f00:1", "::ffff:127.0.0.1", IpVersion::kV6},
      {"0:0:0:0:0:ffff:10.1.2.3", "::ffff:10.1.2.3", IpVersion::kV6},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    const auto ip = IpAddress::Parse(c.input);
    ASSERT_TRUE(ip.has_value());
    EXPECT_EQ(ip->version(), c.version);
    EXPECT_EQ(ip->ToString(), c.canonical);
    // The canonical form parses back to the same address and prints unchanged.
    const auto again = IpAddress::Parse(c.canonical);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *ip);
    EXPECT_EQ(again->ToString(), c.canonical);
  }
}

TEST(IpAddressTest, RejectsMalformedText) {
  const std::vector<std::string> bad = {
      "",          "1.2.3",    "1.2.3.4.5", "256.0.0.1",    "1.2.3.-1",   "1..2.3",
      "1.2.3.4 ",  "a.b.c.d",  "1::2::3",   "12345::",      ":::",        ":1",
      "1:",        "1:2:3:4:5:6:7:8:9",     "1:2:3:4:5:6:7", "::g",      "1:2:3:4:5:6:7:8::",
      "::1.2.3",   "::256.1.1.1",
  };
  for (const auto& text : bad) {
    EXPECT_FALSE(IpAddress::Parse(text).has_value()) << '"' << text << '"';
  }
}

TEST(IpAddressTest, FactoriesAndBytes) {
  EXPECT_EQ(IpAddress::V4(10, 0, 0, 2), P("10.0.0.2"));
  EXPECT_EQ(IpAddress::V4FromUint(0x0a000002), P("10.0.0.2"));
  EXPECT_EQ(P("10.0.0.2").v4_uint(), 0x0a000002u);
  EXPECT_EQ(IpAddress::LoopbackV4(), P("127.0.0.1"));
  EXPECT_EQ(IpAddress::LoopbackV6(), P("::1"));
  EXPECT_EQ(IpAddress::AnyV4(), P("0.0.0.0"));
  EXPECT_EQ(IpAddress::AnyV6(), P("::"));
  // Same bytes, different versions: 0.0.0.0 and :: are distinct addresses.
  EXPECT_NE(IpAddress::AnyV4(), IpAddress::AnyV6());
  EXPECT_TRUE(IpAddress::AnyV4().IsUnspecified());
  EXPECT_TRUE(IpAddress::AnyV6().IsUnspecified());
  EXPECT_FALSE(P("::1").IsUnspecified());
  const IpAddress v6 = P("2001:db8::1");  // keep it alive: bytes() returns a reference
  const auto& b = v6.bytes();
  EXPECT_EQ(b[0], 0x20);
  EXPECT_EQ(b[1], 0x01);
  EXPECT_EQ(b[2], 0x0d);
  EXPECT_EQ(b[3], 0xb8);
  EXPECT_EQ(b[15], 0x01);
}

struct Classified {
  const char* text;
  bool loopback;
  bool link_local;
  bool v4_mapped;
};

TEST(IpAddressTest, Classification) {
  const std::vector<Classified> cases = {
      {"127.0.0.1", true, false, false},
      {"127.255.255.254", true, false, false},
      {"128.0.0.1", false, false, false},
      {"10.0.0.1", false, false, false},
      {"169.254.1.1", false, false, false},  // IPv4 has no scoped link-local in this model
      {"::1", true, false, false},
      {"::2", false, false, false},
      {"::", false, false, false},
      {"::ffff:127.0.0.1", false, false, true},  // mapped loopback is not ::1
      {"fe80::1", false, true, false},
      {"febf:ffff::1", false, true, false},  // still inside fe80::/10
      {"fec0::1", false, false, false},      // just outside it
      {"ff02::1", false, true, false},
      {"ff05::1", false, false, false},
      {"2001:db8::1", false, false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const IpAddress ip = P(c.text);
    EXPECT_EQ(ip.IsLoopback(), c.loopback);
    EXPECT_EQ(ip.IsLinkLocal(), c.link_local);
    EXPECT_EQ(ip.IsV4Mapped(), c.v4_mapped);
  }
}

TEST(IpAddressTest, V4MappedConversions) {
  const IpAddress v4 = P("192.0.2.7");
  const IpAddress mapped = v4.ToV4Mapped();
  EXPECT_TRUE(mapped.is_v6());
  EXPECT_EQ(mapped, P("::ffff:192.0.2.7"));
  EXPECT_EQ(mapped.UnmapV4(), v4);
  // IPv6 addresses are left alone; only mapped ones unmap.
  EXPECT_EQ(P("2001:db8::1").ToV4Mapped(), P("2001:db8::1"));
  EXPECT_EQ(mapped.ToV4Mapped(), mapped);
  EXPECT_FALSE(P("2001:db8::1").UnmapV4().has_value());
  EXPECT_FALSE(v4.UnmapV4().has_value());
  EXPECT_FALSE(P("::1").UnmapV4().has_value());
}

struct PrefixCase {
  const char* address;
  const char* network;
  int prefix_len;
  bool inside;
};

TEST(IpAddressTest, InPrefix) {
  const std::vector<PrefixCase> cases = {
      {"10.0.0.5", "10.0.0.0", 24, true},
      {"10.0.1.5", "10.0.0.0", 24, false},
      {"10.0.0.5", "10.0.0.4", 31, true},
      {"10.0.0.6", "10.0.0.4", 31, false},
      {"10.0.0.5", "10.0.0.5", 32, true},
      {"10.0.0.5", "10.0.0.6", 32, false},
      {"192.168.1.1", "10.0.0.0", 0, true},  // /0 holds every address of the version
      {"2001:db8::1", "2001:db8::", 32, true},
      {"2001:db9::1", "2001:db8::", 32, false},
      {"fe80::1234", "fe80::", 64, true},
      {"2001:db8::1", "2001:db8::1", 128, true},
      {"2001:db8::2", "2001:db8::1", 128, false},
      {"::", "2001:db8::", 0, true},
      {"10.0.0.1", "::", 0, false},  // versions never match
      {"::ffff:10.0.0.1", "10.0.0.0", 8, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.address) + " in " + c.network + "/" + std::to_string(c.prefix_len));
    EXPECT_EQ(P(c.address).InPrefix(P(c.network), c.prefix_len), c.inside);
  }
}

TEST(EndpointTest, ToString) {
  EXPECT_EQ((Endpoint{P("10.0.0.2"), 80}).ToString(), "10.0.0.2:80");
  EXPECT_EQ((Endpoint{P("0.0.0.0"), 0}).ToString(), "0.0.0.0:0");
  EXPECT_EQ((Endpoint{P("::1"), 443}).ToString(), "[::1]:443");
  EXPECT_EQ((Endpoint{P("fe80::1"), 80, 2}).ToString(), "[fe80::1%2]:80");
  EXPECT_EQ((Endpoint{P("::ffff:127.0.0.1"), 65535}).ToString(), "[::ffff:127.0.0.1]:65535");
  // The flow label is not part of the text form.
  EXPECT_EQ((Endpoint{P("2001:db8::1"), 53, 0, 7}).ToString(), "[2001:db8::1]:53");
}

}  // namespace
}  // namespace socksim::sim
