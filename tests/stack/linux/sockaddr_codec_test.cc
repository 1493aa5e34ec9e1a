// File: tests/stack/linux/sockaddr_codec_test.cc
// Linux sockaddr codec: byte-exact golden encodings, decode rules for every length case, and
// the constants and field layouts checked against the host's real socket headers.
#include "stack/personality/linux/sockaddr_codec.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace socksim::stack::linux_abi {
namespace {

using Bytes = std::vector<std::uint8_t>;

// "02 00 00 50" -> {0x02, 0x00, 0x00, 0x50}; spaces are ignored.
Bytes Hex(std::string_view text) {
  Bytes out;
  int pending = -1;
  for (char c : text) {
    if (c == ' ') continue;
    int nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      nibble = c - 'a' + 10;
    } else {
      ADD_FAILURE() << "bad hex digit " << c;
    }
    if (pending < 0) {
      pending = nibble;
    } else {
      out.push_back(static_cast<std::uint8_t>(pending * 16 + nibble));
      pending = -1;
    }
  }
  EXPECT_LT(pending, 0) << "odd number of hex digits";
  return out;
}

Bytes Text(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

sim::IpAddress Ip(const char* text) {
  const auto ip = sim::IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(sim::IpAddress());
}

sim::Endpoint Ep(const char* ip, std::uint16_t port, std::uint32_t scope = 0,
                 std::uint32_t flow = 0) {
  return sim::Endpoint{Ip(ip), port, scope, flow};
}

// A 108-byte path: "/" followed by 107 'p's, the longest sun_path without a terminating NUL.
std::string LongestPath() { return "/" + std::string(kSunPathSize - 1, 'p'); }

struct Golden {
  const char* name;
  SocketAddress address;
  Bytes bytes;
};

std::vector<Golden> Goldens() {
  return {
      {"inet 10.0.0.2:80", Ep("10.0.0.2", 80), Hex("0200 0050 0a000002 0000000000000000")},
      {"inet 0.0.0.0:0", Ep("0.0.0.0", 0), Hex("0200 0000 00000000 0000000000000000")},
      {"inet 127.0.0.1:65535", Ep("127.0.0.1", 65535), Hex("0200 ffff 7f000001 0000000000000000")},
      {"inet6 [::1]:9", Ep("::1", 9),
       Hex("0a00 0009 00000000 00000000000000000000000000000001 00000000")},
      {"inet6 v4-mapped [::ffff:10.0.0.2]:443", Ep("::ffff:10.0.0.2", 443),
       Hex("0a00 01bb 00000000 00000000000000000000ffff0a000002 00000000")},
      {"inet6 [fe80::1%2]:80 flowinfo 0x12345", Ep("fe80::1", 80, 2, 0x12345),
       Hex("0a00 0050 00012345 fe800000000000000000000000000001 02000000")},
      {"inet6 scope id above 255 (host order)", Ep("fe80::2", 1, 0x01020304, 0),
       Hex("0a00 0001 00000000 fe800000000000000000000000000002 04030201")},
      {"unix unnamed", UnixAddress::Unnamed(), Hex("0100")},
      {"unix pathname demo.sock", UnixAddress::Pathname("demo.sock"),
       Cat({Hex("0100"), Text("demo.sock"), Hex("00")})},
      {"unix pathname of 108 bytes", UnixAddress::Pathname(LongestPath()),
       Cat({Hex("0100"), Text(LongestPath()), Hex("00")})},
      {"unix abstract abstr", UnixAddress::Abstract("abstr"), Cat({Hex("0100 00"), Text("abstr")})},
      {"unix abstract with trailing NULs", UnixAddress::Abstract(std::string("ab\0\0", 4)),
       Hex("0100 00 6162 0000")},
      {"unix abstract empty", UnixAddress::Abstract(""), Hex("0100 00")},
      {"unspecified", UnspecifiedAddress{}, Hex("0000")},
  };
}

TEST(LinuxSockaddrCodec, EncodeMatchesGoldenBytes) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.name);
    EXPECT_EQ(Encode(g.address), g.bytes);
  }
}

TEST(LinuxSockaddrCodec, EncodedLengthsAreWhatGetnameReports) {
  EXPECT_EQ(Encode(Ep("10.0.0.2", 80)).size(), 16u);
  EXPECT_EQ(Encode(Ep("::1", 9)).size(), 28u);
  EXPECT_EQ(Encode(Ep("::ffff:10.0.0.2", 9)).size(), 28u);
  EXPECT_EQ(Encode(UnixAddress::Unnamed()).size(), 2u);
  EXPECT_EQ(Encode(UnixAddress::Pathname("demo.sock")).size(), 12u);
  // unix_mkname_bsd(): 2 + strlen + 1, one more than sizeof(sockaddr_un).
  EXPECT_EQ(Encode(UnixAddress::Pathname(LongestPath())).size(), 111u);
  EXPECT_EQ(Encode(UnixAddress::Abstract("abstr")).size(), 8u);
  // Autobind names: NUL + five hex digits, recorded length 8.
  EXPECT_EQ(Encode(UnixAddress::Abstract("0001f")).size(), 8u);
  EXPECT_EQ(Encode(UnspecifiedAddress{}).size(), 2u);
}

TEST(LinuxSockaddrCodec, DecodeInvertsEncodeForEveryGolden) {
  for (const Golden& g : Goldens()) {
    SCOPED_TRACE(g.name);
    const auto family = ReadFamily(g.bytes);
    ASSERT_TRUE(family.has_value());
    if (const auto* ep = std::get_if<sim::Endpoint>(&g.address)) {
      if (ep->address.is_v4()) {
        EXPECT_EQ(*family, kAfInet);
        EXPECT_EQ(DecodeSockaddrIn(g.bytes), *ep);
      } else {
        EXPECT_EQ(*family, kAfInet6);
        EXPECT_EQ(DecodeSockaddrIn6(g.bytes), *ep);
      }
    } else if (const auto* ua = std::get_if<UnixAddress>(&g.address)) {
      EXPECT_EQ(*family, kAfUnix);
      if (ua->kind == UnixAddress::Kind::kUnnamed) continue;  // 2 bytes: autobind, not decoded
      // The 111-byte record is longer than any addrlen bind() accepts; decode its first 110.
      const std::span<const std::uint8_t> bytes(g.bytes);
      EXPECT_EQ(DecodeSockaddrUn(bytes.first(std::min(bytes.size(), kSockaddrUnSize))), *ua);
    } else {
      EXPECT_EQ(*family, kAfUnspec);
    }
  }
}

TEST(LinuxSockaddrCodec, ReadFamily) {
  EXPECT_FALSE(ReadFamily({}).has_value());
  EXPECT_FALSE(ReadFamily(Hex("02")).has_value());
  EXPECT_EQ(ReadFamily(Hex("0200")), kAfInet);
  EXPECT_EQ(ReadFamily(Hex("0a00 ffff")), kAfInet6);
  // sa_family_t is a host-order (little-endian) u16.
  EXPECT_EQ(ReadFamily(Hex("0102")), 0x0201);
}

TEST(LinuxSockaddrCodec, DecodeSockaddrInIgnoresSinZeroAndExtraBytes) {
  const Bytes bytes = Hex("0200 1f90 c0a80101 deadbeefdeadbeef 99");
  EXPECT_EQ(DecodeSockaddrIn(bytes), Ep("192.168.1.1", 8080));
  EXPECT_THROW(DecodeSockaddrIn(Hex("0200 1f90 c0a80101 deadbeefdeadbe")), std::invalid_argument);
}

TEST(LinuxSockaddrCodec, DecodeSockaddrIn6ReadsScopeIdOnlyWhenPresent) {
  const Bytes full = Hex("0a00 0050 00012345 fe800000000000000000000000000001 02000000");
  EXPECT_EQ(DecodeSockaddrIn6(full), Ep("fe80::1", 80, 2, 0x12345));
  // SIN6_LEN_RFC2133: 24 bytes, no sin6_scope_id.
  const std::span<const std::uint8_t> rfc2133 = std::span(full).first(kSin6LenRfc2133);
  EXPECT_EQ(DecodeSockaddrIn6(rfc2133), Ep("fe80::1", 80, 0, 0x12345));
  // 27 bytes is still too short for the scope id.
  EXPECT_EQ(DecodeSockaddrIn6(std::span(full).first(27)).scope_id, 0u);
  EXPECT_THROW(DecodeSockaddrIn6(std::span(full).first(23)), std::invalid_argument);
  // A v4-mapped address stays IPv6.
  const sim::Endpoint mapped =
      DecodeSockaddrIn6(Hex("0a00 01bb 00000000 00000000000000000000ffff0a000002 00000000"));
  EXPECT_TRUE(mapped.address.is_v6());
  EXPECT_TRUE(mapped.address.IsV4Mapped());
}

TEST(LinuxSockaddrCodec, DecodeSockaddrUnPathnameRules) {
  struct Case {
    const char* name;
    Bytes bytes;
    UnixAddress expected;
  };
  const std::vector<Case> cases = {
      {"terminated", Cat({Hex("0100"), Text("demo.sock"), Hex("00")}),
       UnixAddress::Pathname("demo.sock")},
      {"unterminated: ends at addrlen", Cat({Hex("0100"), Text("demo.sock")}),
       UnixAddress::Pathname("demo.sock")},
      {"addrlen cuts the string", Cat({Hex("0100"), Text("demo")}), UnixAddress::Pathname("demo")},
      {"padded to sizeof(sockaddr_un)",
       Cat({Hex("0100"), Text("/tmp/s"), Bytes(kSunPathSize - 6, 0)}),
       UnixAddress::Pathname("/tmp/s")},
      {"bytes after the first NUL are ignored", Cat({Hex("0100"), Text("a"), Hex("00"), Text("b")}),
       UnixAddress::Pathname("a")},
      {"shortest pathname", Cat({Hex("0100"), Text("x")}), UnixAddress::Pathname("x")},
      {"108 bytes without NUL", Cat({Hex("0100"), Text(LongestPath())}),
       UnixAddress::Pathname(LongestPath())},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DecodeSockaddrUn(c.bytes), c.expected);
  }
}

TEST(LinuxSockaddrCodec, DecodeSockaddrUnAbstractKeepsEveryByte) {
  EXPECT_EQ(DecodeSockaddrUn(Cat({Hex("0100 00"), Text("abstr")})), UnixAddress::Abstract("abstr"));
  EXPECT_EQ(DecodeSockaddrUn(Hex("0100 00 6162 0000")),
            UnixAddress::Abstract(std::string("ab\0\0", 4)));
  EXPECT_EQ(DecodeSockaddrUn(Hex("0100 00")), UnixAddress::Abstract(""));
  // Padded to 110 bytes: all 107 name bytes belong to the name.
  const UnixAddress padded = DecodeSockaddrUn(Cat({Hex("0100 00"), Text("x"), Bytes(106, 0)}));
  EXPECT_EQ(padded.kind, UnixAddress::Kind::kAbstract);
  EXPECT_EQ(padded.name.size(), 107u);
}

TEST(LinuxSockaddrCodec, DecodeSockaddrUnRejectsSizesOutsideThreeTo110) {
  EXPECT_THROW(DecodeSockaddrUn({}), std::invalid_argument);
  EXPECT_THROW(DecodeSockaddrUn(Hex("0100")), std::invalid_argument);  // autobind: caller's job
  EXPECT_THROW(DecodeSockaddrUn(Cat({Hex("0100"), Bytes(kSunPathSize + 1, 'a')})),
               std::invalid_argument);
  EXPECT_NO_THROW(DecodeSockaddrUn(Cat({Hex("0100"), Bytes(kSunPathSize, 'a')})));
}

TEST(LinuxSockaddrCodec, EncodeRejectsNamesLinuxCannotRecord) {
  EXPECT_THROW(Encode(UnixAddress::Pathname("")), std::invalid_argument);
  EXPECT_THROW(Encode(UnixAddress::Pathname(std::string("a\0b", 3))), std::invalid_argument);
  EXPECT_THROW(Encode(UnixAddress::Pathname(LongestPath() + "p")), std::invalid_argument);
  EXPECT_THROW(Encode(UnixAddress::Abstract(std::string(kSunPathSize, 'a'))),
               std::invalid_argument);
  EXPECT_EQ(Encode(UnixAddress::Abstract(std::string(kSunPathSize - 1, 'a'))).size(),
            kSockaddrUnSize);
}

TEST(LinuxSockaddrCodec, FormatFamily) {
  EXPECT_EQ(FormatFamily(0), "AF_UNSPEC");
  EXPECT_EQ(FormatFamily(1), "AF_UNIX");
  EXPECT_EQ(FormatFamily(2), "AF_INET");
  EXPECT_EQ(FormatFamily(10), "AF_INET6");
  EXPECT_EQ(FormatFamily(16), "16");
  EXPECT_EQ(FormatFamily(-1), "-1");
}

// The codec must not include system headers; the test does, to pin its constants to them.
TEST(LinuxSockaddrCodec, ConstantsMatchHostHeaders) {
  EXPECT_EQ(kAfUnspec, AF_UNSPEC);
  EXPECT_EQ(kAfUnix, AF_UNIX);
  EXPECT_EQ(kAfInet, AF_INET);
  EXPECT_EQ(kAfInet6, AF_INET6);
  EXPECT_EQ(kAfInet6, 10);
  EXPECT_EQ(kSockaddrInSize, sizeof(sockaddr_in));
  EXPECT_EQ(kSockaddrIn6Size, sizeof(sockaddr_in6));
  EXPECT_EQ(kSin6LenRfc2133, offsetof(sockaddr_in6, sin6_scope_id));
  EXPECT_EQ(kSockaddrUnSize, sizeof(sockaddr_un));
  EXPECT_EQ(kSunPathSize, sizeof(sockaddr_un::sun_path));
  EXPECT_EQ(kSockaddrStorageSize, sizeof(sockaddr_storage));
  EXPECT_EQ(offsetof(sockaddr_in, sin_port), 2u);
  EXPECT_EQ(offsetof(sockaddr_in, sin_addr), 4u);
  EXPECT_EQ(offsetof(sockaddr_in6, sin6_flowinfo), 4u);
  EXPECT_EQ(offsetof(sockaddr_in6, sin6_addr), 8u);
  EXPECT_EQ(offsetof(sockaddr_un, sun_path), 2u);
}

// Fill the real structures with the host's byte-order helpers and compare raw bytes.
TEST(LinuxSockaddrCodec, EncodeMatchesStructsFilledThroughHostHeaders) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(80);
  in.sin_addr.s_addr = htonl(0x0a000002);
  Bytes expected_in(sizeof in);
  std::memcpy(expected_in.data(), &in, sizeof in);
  EXPECT_EQ(Encode(Ep("10.0.0.2", 80)), expected_in);

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(80);
  in6.sin6_flowinfo = htonl(0x12345);
  in6.sin6_addr.s6_addr[0] = 0xfe;
  in6.sin6_addr.s6_addr[1] = 0x80;
  in6.sin6_addr.s6_addr[15] = 0x01;
  in6.sin6_scope_id = 2;
  Bytes expected_in6(sizeof in6);
  std::memcpy(expected_in6.data(), &in6, sizeof in6);
  EXPECT_EQ(Encode(Ep("fe80::1", 80, 2, 0x12345)), expected_in6);
  EXPECT_EQ(DecodeSockaddrIn6(expected_in6), Ep("fe80::1", 80, 2, 0x12345));

  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, "demo.sock", 9);
  const std::size_t un_len = offsetof(sockaddr_un, sun_path) + 9 + 1;
  Bytes expected_un(un_len);
  std::memcpy(expected_un.data(), &un, un_len);
  EXPECT_EQ(Encode(UnixAddress::Pathname("demo.sock")), expected_un);
}

}  // namespace
}  // namespace socksim::stack::linux_abi
