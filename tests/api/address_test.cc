// File: tests/api/address_test.cc
// socksim::Address's text forms: what parses, what it prints back, and the reason given for
// text that is no address.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "socksim/address.h"

namespace socksim {
namespace {

struct RoundTrip {
  const char* text;
  Address::Kind kind;
  const char* printed;  // ToString of the parsed value
};

TEST(Address, ParsesAndPrintsEachForm) {
  const RoundTrip cases[] = {
      {"10.0.0.2:80", Address::Kind::kInet, "10.0.0.2:80"},
      {"0.0.0.0:0", Address::Kind::kInet, "0.0.0.0:0"},
      {"[::1]:8080", Address::Kind::kInet6, "[::1]:8080"},
      {"[fe80::1%eth0]:80", Address::Kind::kInet6, "[fe80::1%eth0]:80"},
      {"[fe80::1%2]:80", Address::Kind::kInet6, "[fe80::1%eth0]:80"},
      {"[fe80::1%lo]:1", Address::Kind::kInet6, "[fe80::1%lo]:1"},
      {"[::ffff:10.0.0.2]:80", Address::Kind::kInet6, "[::ffff:10.0.0.2]:80"},
      {"@abstract", Address::Kind::kUnixAbstract, "@abstract"},
      {"/run/app.sock", Address::Kind::kUnixPath, "/run/app.sock"},
      {"unix:relative.sock", Address::Kind::kUnixPath, "unix:relative.sock"},
      {"(unnamed)", Address::Kind::kUnixUnnamed, "(unnamed)"},
      {"(unspecified)", Address::Kind::kUnspecified, "(unspecified)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    const auto a = Address::Parse(c.text, &error);
    ASSERT_TRUE(a.has_value()) << error;
    EXPECT_EQ(a->kind(), c.kind);
    EXPECT_EQ(a->ToString(), c.printed);
    EXPECT_EQ(Address::Parse(a->ToString()), a) << "the printed form parses back to the value";
  }
}

TEST(Address, ScopeNamesAreSimulatedInterfaceIndexes) {
  // lo is index 1 and ethN is N + 2 on every simulated host.
  EXPECT_EQ(Address("[fe80::1%eth0]:80").scope_id(), 2U);
  EXPECT_EQ(Address("[fe80::1%eth3]:80").scope_id(), 5U);
  EXPECT_EQ(Address("[fe80::1%lo]:80").scope_id(), 1U);
  EXPECT_EQ(Address("[fe80::1%7]:80").scope_id(), 7U);
}

TEST(Address, PartsOfAnEndpoint) {
  const Address a("10.0.0.2:80");
  EXPECT_EQ(a.ip(), "10.0.0.2");
  EXPECT_EQ(a.port(), 80);
  EXPECT_EQ(a.ip_bytes(), std::string("\x0a\x00\x00\x02", 4));
  EXPECT_EQ(Address::Ip("fd00::2", 443), Address("[fd00::2]:443"));
  EXPECT_NE(Address("10.0.0.2:80"), Address("10.0.0.2:81"));
}

TEST(Address, AbstractNamesKeepEveryByte) {
  const auto a = Address::UnixAbstract(std::string("a\0b", 3));
  EXPECT_EQ(a.unix_name(), std::string("a\0b", 3));
  EXPECT_EQ(a.ToString(), "@a\\x00b");
}

TEST(Address, RefusesTextThatIsNoAddress) {
  struct Bad {
    const char* text;
    const char* reason;  // a part of the message
  };
  const Bad cases[] = {
      {"10.0.0.2", "is no address"},
      {"10.0.0.2:99999", "port"},
      {"10.0.0.2:-1", "port"},
      {"10.0.0.256:80", "no IP address"},
      {"fe80::1:80", "brackets"},
      {"[fe80::1:80", "no ']'"},
      {"[fe80::1]80", "':PORT'"},
      {"[fe80::1%wlan0]:80", "scope"},
      {"[10.0.0.2]:80", "brackets"},
      {"unix:", "needs a path"},
      {"", "is no address"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    EXPECT_FALSE(Address::Parse(c.text, &error).has_value());
    EXPECT_NE(error.find(c.reason), std::string::npos) << error;
    EXPECT_THROW(Address{c.text}, std::invalid_argument);
  }
}

}  // namespace
}  // namespace socksim
