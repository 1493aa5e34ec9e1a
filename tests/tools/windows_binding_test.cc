// File: tests/tools/windows_binding_test.cc
// The Windows personality's scenario binding (tools/personality/windows/): its symbols from
// abi.def, sockaddr notation through the Windows codec, and its call table as the runner uses
// it: results compared as numbers but printed as Windows spells them, the last error after a
// failure, argument widths, named OVERLAPPEDs, extension functions only once retrieved,
// fd_sets and WSAPOLLFDs, the SPI's lpErrno cell and provider= argument, the `windows` and
// `lsp` header lines, and --host skipping what has no host executor.
#include <gtest/gtest.h>

#include "sim/world.h"
#include "tools/personality/linux/host/host_call_table.h"
#include "tools/personality/windows/call_table.h"
#include "tools/personality/windows/sockaddr_values.h"
#include "tools/personality/windows/symbols.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

// ---- symbols ----

TEST(WindowsSymbols, NamesComeFromAbiDefWithWindowsNumbers) {
  struct Case {
    const char* name;
    std::optional<std::int64_t> value;
  };
  const Case cases[] = {
      {"AF_INET6", 23},
      {"SOL_SOCKET", 0xffff},
      {"IPV6_V6ONLY", 27},
      {"SO_UPDATE_ACCEPT_CONTEXT", 0x700b},
      {"FIONBIO", 0x8004667eLL},
      {"SIO_GET_EXTENSION_FUNCTION_POINTER", 0xc8000006LL},
      {"SOCKET_ERROR", -1},
      {"INVALID_SOCKET", -1},
      {"TRUE", 1},
      {"FALSE", 0},
      {"WSAENOTCONN", 10057},
      {"WSASYSCALLFAILURE", 10107},
      {"ERROR_IO_PENDING", 997},
      {"WSA_IO_PENDING", 997},
      {"POLLIN", 0x300},
      {"SOMAXCONN", 0x7fffffff},
      {"AF_LOCAL", std::nullopt},
      {"ENOTCONN", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(windows_symbols::Lookup(c.name), c.value);
  }
}

TEST(WindowsSymbols, PrintingPerKind) {
  EXPECT_EQ(windows_symbols::Family(23), "AF_INET6");
  EXPECT_EQ(windows_symbols::Family(99), "99");
  EXPECT_EQ(windows_symbols::SockType(2), "SOCK_DGRAM");
  EXPECT_EQ(windows_symbols::Protocol(6), "IPPROTO_TCP");
  EXPECT_EQ(windows_symbols::Error(10057), "WSAENOTCONN");
  EXPECT_EQ(windows_symbols::Error(997), "ERROR_IO_PENDING");  // the canonical spelling
  EXPECT_EQ(windows_symbols::Error(0), "");
  EXPECT_EQ(windows_symbols::Error(12345), "");
  EXPECT_EQ(windows_symbols::PollFlags(0x310), "POLLRDNORM|POLLRDBAND|POLLWRNORM");
  EXPECT_EQ(windows_symbols::PollFlags(0x8002), "POLLHUP|0x8000");
  EXPECT_EQ(windows_symbols::PollFlags(0), "0");
}

TEST(WindowsSymbols, ExtensionGuidsAsAProgramPassesThem) {
  // WSAID_CONNECTEX {0x25a207b9, 0xddf3, 0x4660, {0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06,
  // 0x3e}} (mswsock.h): Data1..Data3 little-endian, then Data4.
  const std::array<std::uint8_t, 16> connectex = {0xb9, 0x07, 0xa2, 0x25, 0xf3, 0xdd, 0x60, 0x46,
                                                  0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e};
  EXPECT_EQ(windows_symbols::Guid("WSAID_CONNECTEX"), connectex);
  EXPECT_TRUE(windows_symbols::Guid("WSAID_ACCEPTEX"));
  EXPECT_TRUE(windows_symbols::Guid("WSAID_DISCONNECTEX"));
  EXPECT_FALSE(windows_symbols::Guid("WSAID_BOGUS"));
}

// ---- sockaddr values ----

Value ParseOne(const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << error;
  return v.value_or(Value{});
}

TEST(WindowsSockaddrValues, NotationBecomesWindowsBytesAndBack) {
  struct Case {
    const char* text;
    std::size_t size;
    std::uint8_t family;
  };
  const Case cases[] = {
      {"{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}", 16, 2},
      {"{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), "
       "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}",
       28, 23},
      {"{sa_family=AF_UNIX, sun_path=\"C:\\\\tmp\\\\s\"}", 110, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    const auto bytes = WindowsSockaddrBytes(ParseOne(c.text), &error);
    ASSERT_TRUE(bytes) << error;
    EXPECT_EQ(bytes->size(), c.size);
    EXPECT_EQ((*bytes)[0], c.family);
    EXPECT_EQ((*bytes)[1], 0);
    EXPECT_EQ(WindowsSockaddrValue(*bytes).ToString(), c.text);
  }
}

TEST(WindowsSockaddrValues, WhatWindowsCannotHold) {
  std::string error;
  EXPECT_FALSE(WindowsSockaddrBytes(ParseOne("{sa_family=AF_UNIX, sun_path=@\"x\"}"), &error));
  EXPECT_NE(error.find("no abstract AF_UNIX names"), std::string::npos) << error;
  EXPECT_FALSE(WindowsSockaddrBytes(
      ParseOne("{sa_family=AF_UNIX, sun_path=\"" + std::string(109, 'p') + "\"}"), &error));
  EXPECT_EQ(error, "sun_path is 109 bytes, more than UNIX_PATH_MAX (108)");
  // Linux's AF_INET6 number is no Windows family.
  EXPECT_FALSE(WindowsSockaddrBytes(
      ParseOne("{sa_family=10, sin6_port=htons(1), inet_pton(AF_INET6, \"::1\", &sin6_addr)}"),
      &error));
  EXPECT_EQ(error, "sockaddr family 10 is not modelled");
}

TEST(WindowsSockaddrValues, UnspecRawAndShortForms) {
  std::string error;
  EXPECT_EQ(WindowsSockaddrBytes(ParseOne("{sa_family=AF_UNSPEC}"), &error),
            std::vector<std::uint8_t>(16, 0));
  EXPECT_EQ(WindowsSockaddrBytes(ParseOne("{sa_family=AF_INET6, sa_data=\"\\x1f\"}"), &error),
            (std::vector<std::uint8_t>{23, 0, 0x1f}));
  const std::uint8_t v4_prefix[] = {2, 0, 0x1f, 0x90};
  EXPECT_EQ(WindowsSockaddrValue(v4_prefix).ToString(),
            "{sa_family=AF_INET, sa_data=\"\\37\\220\"}");
}

// ---- the call table on its own ----

TEST(WindowsCallTable, NamedOverlappedsAreKeptPerProcess) {
  sim::World world(sim::WorldOptions{.seed = 1});
  const auto node = world.topology().AddNode("a", sim::NodeKind::kHost);
  sim::Process& p = world.Spawn({.pid = 300, .node = node});
  sim::Process& q = world.Spawn({.pid = 301, .node = node});
  WindowsCallTable table(nullptr);
  const sim::UserAddress ov1 = table.NamedOverlapped(p, "ov1");
  EXPECT_EQ(table.NamedOverlapped(p, "ov1"), ov1);
  EXPECT_NE(table.NamedOverlapped(p, "ov2"), ov1);
  EXPECT_TRUE(p.memory().Accessible(ov1, 32, sim::Protection::kReadWrite));
  const sim::UserAddress other = table.NamedOverlapped(q, "ov1");
  EXPECT_TRUE(q.memory().Accessible(other, 32, sim::Protection::kReadWrite));
  EXPECT_EQ(table.NamedOverlapped(q, "ov1"), other);
}

TEST(WindowsCallTable, ExpectedResultsWrittenAsSymbolsBecomeNumbers) {
  WindowsCallTable table(nullptr);
  struct Case {
    const char* call;
    const char* text;
    std::int64_t value;  // as the canonicalized outcome holds it
  };
  const Case cases[] = {
      {"getpeername", "SOCKET_ERROR", -1},
      {"socket", "INVALID_SOCKET", -1},
      {"ConnectEx", "FALSE", 0},
      {"CloseHandle", "TRUE", 1},
      {"WSAGetLastError", "WSAENOTCONN", 10057},
      {"WSAStartup", "WSAVERNOTSUPPORTED", 10092},
      {"WSAGetLastError", "0xdeadbeef", -559038737},  // an int result's bit pattern
      {"recv", "0xffffffff", -1},
      {"socket", "0xffffffff", 0xffffffffLL},  // a SOCKET is 64 bits wide
      {"socket", "0x100", 0x100},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.call) + " = " + c.text);
    const ParseResult parsed =
        ParseScenario(std::string("300 ") + c.call + "() = " + c.text + "\n", "o.scn");
    ASSERT_TRUE(parsed.ok());
    Outcome o = *parsed.scenario.lines.at(0).call.outcome;
    std::string error;
    ASSERT_TRUE(table.CanonicalizeExpectedOutcome(c.call, o, &error)) << error;
    EXPECT_EQ(o.value, c.value);
    EXPECT_EQ(o.value_text, c.text);  // the spelling stays for reports
  }
  Outcome unknown;
  unknown.value_text = "ENOTCONN";
  std::string error;
  EXPECT_FALSE(table.CanonicalizeExpectedOutcome("getpeername", unknown, &error));
  EXPECT_NE(error.find("unknown result 'ENOTCONN'"), std::string::npos) << error;
}

TEST(WindowsCallTable, ListsOfOneCompareWhateverTheParserMadeOfThem) {
  // [0x100] parses as a value-result, [$s] (a capture, substituted later) as a list.
  WindowsCallTable table(nullptr);
  std::vector<Value> literal = {ParseOne("[0x100] => [0x100]")};
  Value substituted = ParseOne("[$s] => [$s]");
  for (Value& side : substituted.items) side.items[0] = ParseOne("256");
  std::vector<Value> captured = {substituted};
  table.CanonicalizeExpected(literal);
  table.CanonicalizeExpected(captured);
  EXPECT_TRUE(literal[0].SameAs(captured[0]))
      << literal[0].ToString() << " vs " << captured[0].ToString();
}

TEST(WindowsCallTable, ConstantsCompareAsTheirNumbers) {
  WindowsCallTable table(nullptr);
  struct Case {
    const char* expected;
    const char* actual;
    bool same;
  };
  const Case cases[] = {
      {"[SOCK_STREAM]", "[1]", true},
      {"[WSAECONNREFUSED]", "[10061]", true},
      {"{revents=POLLWRNORM|POLLHUP|POLLERR}", "{revents=POLLWRNORM|POLLERR|POLLHUP}", true},
      {"{revents=POLLOUT}", "{revents=POLLWRNORM}", true},
      {"[SOCK_DGRAM]", "[1]", false},
      {"WSAID_CONNECTEX", "WSAID_ACCEPTEX", false},  // not a number: compared as written
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    std::vector<Value> expected = {ParseOne(c.expected)};
    std::vector<Value> actual = {ParseOne(c.actual)};
    table.CanonicalizeExpected(expected);
    table.CanonicalizeExpected(actual);
    EXPECT_EQ(expected[0].SameAs(actual[0]), c.same);
  }
}

// ---- the call table through the runner ----

constexpr const char* kWindowsHeader =
    "personality windows\n"
    "host a\n"
    "process 300 host=a\n";

ScenarioResult RunWindows(const std::string& body, const RunOptions& options = {},
                          const std::string& header = kWindowsHeader) {
  const ParseResult parsed = ParseScenario(header + body, "w.scn");
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return RunScenario(parsed.scenario, options);
}

constexpr const char* kListening =
    "300 WSAStartup(0x202, _) = 0\n"
    "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $l\n"
    "300 bind($l, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, "
    "16) = 0\n"
    "300 listen($l, SOMAXCONN) = 0\n"
    "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $c\n";

TEST(WindowsRun, ResultsPrintAsWindowsSpellsThemAndCompareAsNumbers) {
  const ScenarioResult r = RunWindows(
      "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = INVALID_SOCKET WSANOTINITIALISED\n"
      "300 WSAStartup(0x202, NULL) = WSAEFAULT\n"
      "300 WSAStartup(0x202, _) = 0\n"
      "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 0x100\n"
      "300 getpeername(0x100, NULL, NULL) = -1 WSAENOTCONN\n"
      "300 WSAGetLastError() = 10057\n"
      "300 WSASetLastError(0xdeadbeef) = _\n"
      "300 WSAGetLastError() = 0xdeadbeef\n"
      "300 closesocket(0x100) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 9);
  for (const char* line :
       {"300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = INVALID_SOCKET WSANOTINITIALISED\n",
        "300 WSAStartup(0x202, NULL) = WSAEFAULT\n",
        "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 0x100\n",
        "300 getpeername(0x100, NULL, NULL) = SOCKET_ERROR WSAENOTCONN\n",
        "300 WSAGetLastError() = WSAENOTCONN\n", "300 WSASetLastError(0xdeadbeef) = _\n",
        "300 WSAGetLastError() = 0xdeadbeef\n", "300 closesocket(0x100) = 0\n"}) {
    EXPECT_NE(r.trace.find(line), std::string::npos) << line << r.trace;
  }
}

TEST(WindowsRun, ADivergenceShowsWindowsSpelling) {
  const ScenarioResult r = RunWindows(
      "300 WSAStartup(0x202, _) = 0\n"
      "300 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = $u\n"
      "300 getpeername($u, NULL, NULL) = SOCKET_ERROR WSAEFAULT\n"
      "300 getpeername($u, NULL, NULL) = 0\n"
      "300 getpeername($u, NULL, NULL) = SOCKET_ERROR WSAENOTCONN (Bad address.)\n"
      "300 getpeername($u, NULL, NULL) = SOCKET_ERROR WSAENOTCONN (Socket is not connected.)\n"
      "300 getpeername($u, NULL, NULL) = MAYBE\n");
  ASSERT_EQ(r.failed, 3) << FormatResult(r, true);
  ASSERT_EQ(r.errors, 1) << FormatResult(r, true);
  EXPECT_EQ(r.verdicts[0].message, "error differs");
  EXPECT_EQ(r.verdicts[0].actual, "300 getpeername(0x100, NULL, NULL) = SOCKET_ERROR WSAENOTCONN");
  EXPECT_EQ(r.verdicts[1].message, "return value differs");
  EXPECT_EQ(r.verdicts[2].message, "error message differs");
  EXPECT_NE(r.verdicts[3].message.find("unknown result 'MAYBE'"), std::string::npos);
  EXPECT_EQ(r.verdicts[3].location.line, 10);
  // A line that wrote the text is recorded with it, one that did not without.
  EXPECT_NE(r.trace.find("= SOCKET_ERROR WSAENOTCONN (Socket is not connected.)\n"),
            std::string::npos);
}

TEST(WindowsRun, ArgumentsHaveWindowsWidths) {
  const ScenarioResult r = RunWindows(
      "300 WSAStartup(0x10202, _) = 0\n"
      "300 WSAStartup(0x202, _) = 0\n"
      "300 getpeername(0xffffffffffffffff, NULL, NULL) = SOCKET_ERROR WSAENOTSOCK\n"
      "300 getpeername(INVALID_SOCKET, NULL, NULL) = SOCKET_ERROR WSAENOTSOCK\n"
      "300 socket(AF_INET, SOCK_STREAM, 0x100000006) = _\n"
      "300 ioctlsocket(0x100, FIONBIO, [1]) = SOCKET_ERROR WSAENOTSOCK\n"
      "300 ioctlsocket(0x100, FIONBIO, [0x100000000]) = _\n"
      "300 setsockopt(0x100, SOL_SOCKET, SO_REUSEADDR, [0x100000000], 4) = _\n"
      "300 setsockopt(0x100, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, [0x100000000], 8) = "
      "SOCKET_ERROR WSAENOTSOCK\n");
  ASSERT_EQ(r.errors, 4) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 5);
  EXPECT_EQ(r.verdicts[0].message, "66050 does not fit the 16-bit argument 1 of WSAStartup");
  EXPECT_EQ(r.verdicts[1].message, "4294967302 does not fit the 32-bit argument 3 of socket");
  EXPECT_EQ(r.verdicts[1].location.column, 34);
  EXPECT_EQ(r.verdicts[2].message,
            "4294967296 does not fit the 32-bit cell of argument 3 of ioctlsocket");
  EXPECT_EQ(r.verdicts[3].message,
            "4294967296 does not fit a 32-bit option value (a length of 8 takes 64 bits)");
}

TEST(WindowsRun, ExtensionFunctionsOnlyOnceRetrieved) {
  const std::string connect_ex =
      "300 ConnectEx($c, {sa_family=AF_INET, sin_port=htons(8080), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16, NULL, 0, NULL, &ov1) = FALSE WSAEINVAL\n";
  const ScenarioResult r = RunWindows(
      std::string(kListening) + connect_ex +
      "300 WSAIoctl($c, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_CONNECTEX, 16, [_ => $fn], 8, "
      "[0 => 8], NULL, NULL) = 0\n" +
      connect_ex +
      "300 WSAIoctl($c, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_NOPE, 16, [_], 8, "
      "[0], NULL, NULL) = 0\n");
  ASSERT_EQ(r.errors, 2) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 7);
  EXPECT_NE(r.verdicts[0].message.find("ConnectEx is an extension function: process 300 has "
                                       "not retrieved it"),
            std::string::npos)
      << r.verdicts[0].message;
  EXPECT_EQ(r.verdicts[1].message, "unknown GUID 'WSAID_NOPE'");
  // The pointer is printed in hex; the unbound-input `_` reads as 0.
  EXPECT_NE(r.trace.find("WSAID_CONNECTEX, 16, [0 => 0x7ff8"), std::string::npos) << r.trace;
}

TEST(WindowsRun, OverlappedConnectExPendsAndCompletesOnItsNamedOverlapped) {
  const ScenarioResult r = RunWindows(
      std::string(kListening) +
      "300 WSAIoctl($c, SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_CONNECTEX, 16, [_], 8, [0 => 8], "
      "NULL, NULL) = 0\n"
      "300 bind($c, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"127.0.0.1\")}, 16) "
      "= 0\n"
      "300 ConnectEx($c, {sa_family=AF_INET, sin_port=htons(8080), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16, NULL, 0, NULL, &ov1) = FALSE ERROR_IO_PENDING\n"
      "300 getpeername($c, NULL, NULL) = SOCKET_ERROR WSAENOTCONN\n"
      "300 WSAGetOverlappedResult($c, &ov1, [0], TRUE, [0]) = TRUE\n"
      "300 getpeername($c, NULL, NULL) = SOCKET_ERROR WSAENOTCONN\n"
      "300 setsockopt($c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) = 0\n"
      "300 getpeername($c, {sa_family=AF_INET, sin_port=htons(8080), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, [128 => 16]) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(WindowsRun, SelectAndPollPrintWhatTheCallLeft) {
  const ScenarioResult r =
      RunWindows(std::string(kListening) +
                 "300 connect($c, {sa_family=AF_INET, sin_port=htons(8080), "
                 "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
                 "300 accept($l, NULL, NULL) = $a\n"
                 "300 send($c, \"hi\", 2, 0) = 2\n"
                 "300 select(0, [$a, $c] => [$a], [$c] => [$c], _, {tv_sec=0, tv_usec=0}) = 2\n"
                 "300 WSAPoll([{fd=$a, events=POLLIN, revents=POLLRDNORM}], 1, 0) = 1\n"
                 "300 WSAPoll([{fd=$a, events=POLLIN, revents=POLLHUP => POLLRDNORM}], 1, 0) = 1\n"
                 "300 ioctlsocket($a, FIONREAD, [0 => 2]) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_NE(r.trace.find("select(0, [0x108, 0x104] => [0x108], [0x104] => [0x104], [] => [], "
                         "{tv_sec=0, tv_usec=0}) = 2\n"),
            std::string::npos)
      << r.trace;
  EXPECT_NE(r.trace.find("WSAPoll([{fd=0x108, events=POLLIN, revents=POLLRDNORM}], 1, 0) = 1"),
            std::string::npos)
      << r.trace;
  EXPECT_NE(r.trace.find("revents=POLLHUP => POLLRDNORM}], 1, 0) = 1"), std::string::npos)
      << r.trace;
  const ScenarioResult bad =
      RunWindows(std::string(kListening) + "300 select(0, {x=1}, NULL, NULL, NULL) = 0\n");
  ASSERT_EQ(bad.errors, 1) << FormatResult(bad, true);
  EXPECT_EQ(bad.verdicts[0].message, "an fd_set is a list of SOCKETs such as [$s] or []");
}

TEST(WindowsRun, TheSpiCellAndItsProvider) {
  const ScenarioResult r = RunWindows(
      "300 WSAStartup(0x202, _) = 0\n"
      "300 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = $u\n"
      "300 WSPGetPeerName($u, NULL, NULL, [0 => WSAENOTCONN]) = SOCKET_ERROR\n"
      "300 WSPGetPeerName($u, NULL, NULL, [0 => WSAENOTCONN], provider=\"tcpip\") = SOCKET_ERROR\n"
      "300 WSPGetPeerName($u, NULL, NULL, [0], provider=\"nobody\") = SOCKET_ERROR\n"
      "300 WSPGetPeerName($u, NULL, NULL, [0], \"tcpip\") = SOCKET_ERROR\n");
  ASSERT_EQ(r.errors, 2) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 4);
  EXPECT_NE(r.verdicts[0].message.find("no provider named 'nobody'"), std::string::npos);
  EXPECT_EQ(r.verdicts[1].message, "WSPGetPeerName takes 4 arguments, found 5");
  // The SPI reports only through *lpErrno: no last error after the result; the recorded
  // line keeps provider=.
  EXPECT_NE(r.trace.find("300 WSPGetPeerName(0x100, NULL, NULL, [0 => WSAENOTCONN], "
                         "provider=\"tcpip\") = SOCKET_ERROR\n"),
            std::string::npos)
      << r.trace;
}

TEST(WindowsRun, LayeredProvidersFromTheHeader) {
  const std::string body =
      "300 WSAStartup(0x202, _) = 0\n"
      "300 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = $u\n"
      "300 getpeername($u, NULL, NULL) = _\n"
      "300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $t\n"
      "300 getpeername($t, NULL, NULL) = _\n";
  const ScenarioResult layered =
      RunWindows(body, {},
                 "personality windows\n"
                 "lsp liar behaviour=override call=WSPGetPeerName return=0 chains=udp\n"
                 "lsp forgetful behaviour=forget-errno call=WSPGetPeerName chains=tcp\n"
                 "host a\nprocess 300 host=a\n");
  EXPECT_TRUE(layered.ok()) << FormatResult(layered, true);
  EXPECT_NE(layered.trace.find("300 getpeername(0x100, NULL, NULL) = 0\n"), std::string::npos)
      << layered.trace;
  EXPECT_NE(layered.trace.find("300 getpeername(0x104, NULL, NULL) = SOCKET_ERROR "
                               "WSASYSCALLFAILURE\n"),
            std::string::npos)
      << layered.trace;
  // A pass-through provider on every chain, as --header adds it, changes nothing recorded.
  const ScenarioResult plain = RunWindows(body);
  RunOptions with_lsp;
  const ParseResult lsp = ParseScenario("lsp all behaviour=pass chains=all\n", "--header");
  ASSERT_TRUE(lsp.ok());
  with_lsp.header.push_back(lsp.scenario.lines.at(0).directive());
  const ScenarioResult passing = RunWindows(body, with_lsp);
  EXPECT_TRUE(passing.ok()) << FormatResult(passing, true);
  EXPECT_EQ(passing.trace, plain.trace);
}

TEST(WindowsRun, HeaderLinesThatAreWrong) {
  const ScenarioResult r = RunWindows("300 WSAStartup(0x202, _) = 0\n", {},
                                      "personality windows\nwindows 95\nlsp tcpip\n"
                                      "lsp x behaviour=loud\nhost a\nprocess 300 host=a\n");
  ASSERT_EQ(r.errors, 3) << FormatResult(r, true);
  EXPECT_EQ(r.verdicts[0].message, "windows takes a release: xp, vista, 7, 8, 8.1, 10 or 11");
  EXPECT_EQ(r.verdicts[1].message, "lsp name 'tcpip' is a base provider's");
  EXPECT_EQ(r.verdicts[2].message, "lsp behaviour must be pass, override or forget-errno");
  const ScenarioResult twice = RunWindows("300 WSAStartup(0x202, _) = 0\n", {},
                                          "personality windows\nlsp x\nlsp x\nhost a\n"
                                          "process 300 host=a\n");
  ASSERT_EQ(twice.errors, 1) << FormatResult(twice, true);
  EXPECT_EQ(twice.verdicts[0].location.line, 3);
  EXPECT_NE(twice.verdicts[0].message.find("'x' is already installed"), std::string::npos);
}

TEST(WindowsRun, HostRunsSkipAWorldWithAWindowsProcess) {
  // A Linux server and a Windows client: Linux has a host executor, Windows none, so the
  // whole scenario is the simulator's alone (the host executor is never started).
  RunOptions options;
  options.host = [](std::string_view personality) -> const HostExecutor* {
    return personality == "linux" ? &linux_host_executor() : nullptr;
  };
  const ScenarioResult r = RunWindows(
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "300 WSAStartup(0x202, _) = 0\n",
      options,
      "personality linux\nhost a\nprocess 100 host=a uid=0 gid=0\n"
      "process 300 host=a personality=windows\n");
  EXPECT_TRUE(r.skipped_whole()) << FormatResult(r, true);  // skipped, not passed
  EXPECT_EQ(r.skipped, 2);
  EXPECT_EQ(r.passed, 0);
  EXPECT_NE(r.verdicts.at(0).message.find("personality 'windows' has no host executor"),
            std::string::npos);
}

}  // namespace
}  // namespace socksim::tools
