// File: tests/tools/sockaddr_notation_test.cc
// strace's sockaddr notation read into neutral addresses with a personality's family numbers
// (tools/scenario/sockaddr_notation.h), and printed back from them: the same text means the
// same address whatever numbers the personality gives the families.
#include "tools/scenario/sockaddr_notation.h"

#include <gtest/gtest.h>

#include "tools/scenario/parser.h"

namespace socksim::tools::sockaddr_notation {
namespace {

// Two personalities' numbers: AF_INET6 is 10 on one and 23 on the other.
std::optional<std::int64_t> TenSymbols(std::string_view name) {
  if (name == "AF_UNSPEC") return 0;
  if (name == "AF_UNIX") return 1;
  if (name == "AF_INET") return 2;
  if (name == "AF_INET6") return 10;
  return std::nullopt;
}
std::optional<std::int64_t> TwentyThreeSymbols(std::string_view name) {
  if (name == "AF_INET6") return 23;
  return TenSymbols(name);
}
constexpr Families kTen{.unspec = 0, .local = 1, .inet = 2, .inet6 = 10, .lookup = &TenSymbols};
constexpr Families kTwentyThree{
    .unspec = 0, .local = 1, .inet = 2, .inet6 = 23, .lookup = &TwentyThreeSymbols};

Value Parse(const std::string& text) {
  std::string error;
  const auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << error;
  return v.value_or(Value{});
}

TEST(SockaddrNotation, InetAndInet6ReadTheSameWithEitherNumbering) {
  const Value v6 = Parse(
      "{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(7), "
      "inet_pton(AF_INET6, \"fe80::1\", &sin6_addr), sin6_scope_id=if_nametoindex(\"lo\")}");
  for (const Families* f : {&kTen, &kTwentyThree}) {
    std::string error;
    const auto parsed = Read(v6, *f, &error);
    ASSERT_TRUE(parsed) << error;
    EXPECT_EQ(parsed->kind, Parsed::Kind::kInet6);
    EXPECT_EQ(parsed->endpoint.port, 8080);
    EXPECT_EQ(parsed->endpoint.flow_info, 7u);
    EXPECT_EQ(parsed->endpoint.scope_id, 1u);
    EXPECT_EQ(parsed->endpoint.address.ToString(), "fe80::1");
  }
  std::string error;
  const auto v4 =
      Read(Parse("{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}"), kTen,
           &error);
  ASSERT_TRUE(v4) << error;
  EXPECT_EQ(v4->kind, Parsed::Kind::kInet);
  EXPECT_EQ(v4->endpoint.ToString(), "10.0.0.2:80");
}

TEST(SockaddrNotation, AFamilyNumberOfTheOtherPersonalityIsNotItsFamily) {
  // 10 is AF_INET6 on one side only; on the other it is a family the notation cannot decode.
  const Value v =
      Parse("{sa_family=10, sin6_port=htons(1), inet_pton(AF_INET6, \"::1\", &sin6_addr)}");
  std::string error;
  EXPECT_TRUE(Read(v, kTen, &error));
  EXPECT_FALSE(Read(v, kTwentyThree, &error));
  EXPECT_EQ(error, "sockaddr family 10 is not modelled");
}

TEST(SockaddrNotation, UnixUnspecAndRaw) {
  std::string error;
  const auto named = Read(Parse("{sa_family=AF_UNIX, sun_path=@\"x\"}"), kTen, &error);
  ASSERT_TRUE(named);
  EXPECT_TRUE(named->named);
  EXPECT_TRUE(named->abstract);
  EXPECT_EQ(named->path, "x");
  const auto unnamed = Read(Parse("{sa_family=AF_UNIX}"), kTen, &error);
  ASSERT_TRUE(unnamed);
  EXPECT_FALSE(unnamed->named);
  EXPECT_EQ(Read(Parse("{sa_family=AF_UNSPEC}"), kTen, &error)->kind, Parsed::Kind::kUnspec);
  const auto raw = Read(Parse("{sa_family=AF_INET, sa_data=\"\\0P\"}"), kTen, &error);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->kind, Parsed::Kind::kRaw);
  EXPECT_EQ(raw->family, 2);
  EXPECT_EQ(raw->data, std::string("\0P", 2));
}

TEST(SockaddrNotation, MalformedAddressesSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"[16]", "expected a sockaddr {sa_family=...}"},
      {"{sin_port=htons(1)}", "a sockaddr needs sa_family="},
      {"{sa_family=AF_BOGUS}", "unknown address family 'AF_BOGUS'"},
      {"{sa_family=AF_INET, sin_port=htons(1)}", "AF_INET needs sin_port= and sin_addr="},
      {"{sa_family=AF_INET, sin_port=htons(65536), sin_addr=inet_addr(\"1.2.3.4\")}",
       "bad sin_port 'htons(65536)'"},
      {"{sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"::1\")}",
       "bad IPv4 address '::1'"},
      {"{sa_family=AF_INET6, sin6_port=htons(1)}",
       "AF_INET6 needs inet_pton(AF_INET6, \"...\", &sin6_addr)"},
      {"{sa_family=AF_UNIX, sun_path=3}", "sun_path must be a string or @\"abstract\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    EXPECT_FALSE(Read(Parse(c.text), kTen, &error));
    EXPECT_EQ(error, c.error);
  }
}

TEST(SockaddrNotation, PrintedFormsReadBack) {
  sim::Endpoint v6{*sim::IpAddress::Parse("::1"), 80, 0, 0};
  const Value printed = Inet6Value("AF_INET6", v6);
  EXPECT_EQ(printed.ToString(),
            "{sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), "
            "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}");
  std::string error;
  const auto back = Read(printed, kTwentyThree, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->endpoint, v6);
  EXPECT_EQ(InetValue("AF_INET", {*sim::IpAddress::Parse("127.0.0.1"), 1, 0, 0}).ToString(),
            "{sa_family=AF_INET, sin_port=htons(1), sin_addr=inet_addr(\"127.0.0.1\")}");
  EXPECT_EQ(UnixValue("AF_UNIX", stack::UnixAddress::Pathname("p")).ToString(),
            "{sa_family=AF_UNIX, sun_path=\"p\"}");
  EXPECT_EQ(UnixValue("AF_UNIX", {}).ToString(), "{sa_family=AF_UNIX}");
}

TEST(SockaddrNotation, ScopeNamesBecomeTheSimulatedInterfaceNumbers) {
  EXPECT_EQ(InterfaceIndexOf("lo"), 1);
  EXPECT_EQ(InterfaceIndexOf("eth0"), 2);
  EXPECT_EQ(InterfaceIndexOf("wlan0"), std::nullopt);
  Value v = Parse("{sin6_scope_id=if_nametoindex(\"eth1\"), x=if_nametoindex(\"wlan0\")}");
  CanonicalizeScopeNames(v);
  EXPECT_EQ(v.ToString(), "{sin6_scope_id=3, x=if_nametoindex(\"wlan0\")}");
}

// The runner copies and canonicalizes a line's arguments only where HasScopeNames says
// CanonicalizeScopeNames could change them: it must find every if_nametoindex, however deep.
TEST(SockaddrNotation, HasScopeNamesFindsWhatCanonicalizingWouldChange) {
  EXPECT_TRUE(HasScopeNames(Parse("{sin6_scope_id=if_nametoindex(\"lo\")}")));
  EXPECT_TRUE(HasScopeNames(
      Parse("[{msg_name={sa_family=AF_INET6, sin6_scope_id=if_nametoindex(\"eth1\")}}]")));
  const Value plain =
      Parse("{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}");
  EXPECT_FALSE(HasScopeNames(plain));
  Value canonical = plain;
  CanonicalizeScopeNames(canonical);
  EXPECT_TRUE(canonical.SameAs(plain));
}

}  // namespace
}  // namespace socksim::tools::sockaddr_notation
