// File: tests/api/testing_test.cc
// socksim::testing itself: what each matcher accepts and how it explains a mismatch, the
// scenario runner's failures placed at the C++ line that ran it, the public constants against
// each personality's own table, and the recent-calls trace being the same for the same seed.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <string>

#include "socksim/testing.h"
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/windows/abi_constants.h"

namespace socksim::testing {
namespace {

using ::testing::ExplainMatchResult;
using ::testing::StringMatchResultListener;

Result Failed(System system, int code) {
  Result r;
  r.system = system;
  r.call = "getpeername";
  r.outcome = Result::Outcome::kFailed;
  r.value = -1;
  r.error = code;
  return r;
}

std::string Explain(const ::testing::Matcher<const Result&>& m, const Result& r, bool* matched) {
  StringMatchResultListener listener;
  *matched = m.MatchAndExplain(r, &listener);
  return listener.str();
}

TEST(Matchers, FailsWithTakesANumberOrTheSystemsSymbol) {
  const auto linux_enotconn = Failed(System::kLinux, 107);
  EXPECT_THAT(linux_enotconn, FailsWith(107));
  EXPECT_THAT(linux_enotconn, FailsWith("ENOTCONN"));
  EXPECT_THAT(linux_enotconn, ::testing::Not(FailsWith("EBADF")));
  EXPECT_THAT(linux_enotconn, ::testing::Not(Succeeds()));
  // The same symbol is another number on illumos.
  EXPECT_THAT(Failed(System::kIllumos, 134), FailsWith("ENOTCONN"));
  EXPECT_THAT(Failed(System::kIllumos, 107), ::testing::Not(FailsWith("ENOTCONN")));
  EXPECT_THAT(Failed(System::kWindows, 10057), FailsWith("WSAENOTCONN"));
}

TEST(Matchers, ExplainInTheSystemsOwnTerms) {
  bool matched = true;
  const auto why = Explain(Succeeds(), Failed(System::kLinux, 107), &matched);
  EXPECT_FALSE(matched);
  EXPECT_EQ(why, "failed, returning -1, and set ENOTCONN (107, Transport endpoint is not connected)");
  const auto unknown = Explain(FailsWith("WSAENOTCONN"), Failed(System::kLinux, 107), &matched);
  EXPECT_FALSE(matched);
  EXPECT_NE(unknown.find("WSAENOTCONN is no error of linux"), std::string::npos) << unknown;
}

TEST(Matchers, PrintToGivesSymbolAndMessage) {
  EXPECT_EQ(::testing::PrintToString(Failed(System::kWindows, 10057)),
            "getpeername = -1 WSAENOTCONN (Socket is not connected.)");
  EXPECT_EQ(::testing::PrintToString(System::kIllumos), "illumos");
}

TEST(Matchers, TruncatedAndPeerIs) {
  Result r;
  r.call = "getpeername";
  r.buffer_size = 8;
  r.length = 16;
  EXPECT_THAT(r, Truncated(16));
  EXPECT_THAT(r, ::testing::Not(Truncated(28)));
  EXPECT_THAT(r, ::testing::Not(PeerIs("10.0.0.2:80")));
  r.buffer_size = 128;
  r.address = Address("10.0.0.2:80");
  EXPECT_THAT(r, ::testing::Not(Truncated(16)));
  EXPECT_THAT(r, PeerIs("10.0.0.2:80"));
  EXPECT_THAT(r, ::testing::Not(PeerIs("10.0.0.2:81")));
}

constexpr const char* kPassing =
    "personality linux\n"
    "host a\n"
    "process 100 host=a uid=0 gid=0\n"
    "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
    "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not "
    "connected)\n";

TEST(Scenarios, APassingScenarioPasses) {
  ExpectScenario(kPassing);
  const auto outcome = RunScenarioText(kPassing);
  EXPECT_TRUE(outcome.ok());
  EXPECT_EQ(outcome.passed, 2);
  EXPECT_TRUE(outcome.problems.empty());
}

TEST(Scenarios, ADivergenceFailsAtTheCallersLineWithTheScenariosLine) {
  const std::string diverging = std::string(kPassing) +
                                "100 getpeername(3, 0x7ffc783a3fe0, [128]) = 0\n";
  // The failure is reported at this file and line, and names line 6 of the scenario.
  EXPECT_NONFATAL_FAILURE(ExpectScenario(diverging), "inline.scn:6:");
  EXPECT_NONFATAL_FAILURE(ExpectScenario(diverging), "expected: 100 getpeername");
  const auto outcome = RunScenarioText(diverging);
  ASSERT_EQ(outcome.problems.size(), 1U);
  EXPECT_EQ(outcome.problems[0].kind, ScenarioProblem::Kind::kDivergence);
  EXPECT_EQ(outcome.problems[0].line, 6);
  EXPECT_NE(outcome.problems[0].actual.find("ENOTCONN"), std::string::npos);
}

TEST(Scenarios, FailuresAreAtTheCppFileAndLine) {
  ::testing::TestPartResultArray captured;
  int line = 0;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &captured);
    line = __LINE__ + 1;
    ExpectScenario("personality linux\nhost a\nprocess 100 host=a\n100 close(9) = 0\n");
  }
  ASSERT_EQ(captured.size(), 1);
  const auto& part = captured.GetTestPartResult(0);
  EXPECT_STREQ(part.file_name(), __FILE__);
  EXPECT_EQ(part.line_number(), line);
  EXPECT_NE(std::string(part.message()).find("inline.scn:4:"), std::string::npos)
      << part.message();
}

TEST(Scenarios, ErrorsAndEmptyScenariosFail) {
  EXPECT_NONFATAL_FAILURE(ExpectScenario("personality linux\nhost a\nnonsense here\n"),
                          "inline.scn:3:");
  EXPECT_NONFATAL_FAILURE(ExpectScenario("personality linux\nhost a\n"), "checked no call");
  EXPECT_NONFATAL_FAILURE(ExpectScenarioFile("/nonexistent/x.scn"), "x.scn");
}

// The public constants are each personality's own numbers (abi.def tables).
TEST(Constants, AgreeWithThePersonalities) {
  namespace la = stack::linux_abi;
  namespace wa = stack::windows_abi;
  namespace ia = stack::illumos_abi;
  EXPECT_EQ(on_linux::kAfInet6, la::kAfInet6);
  EXPECT_EQ(on_linux::kSockStream, la::kSockStream);
  EXPECT_EQ(on_linux::kSockSeqpacket, la::kSockSeqPacket);
  EXPECT_EQ(on_linux::kSoPeercred, la::kSoPeercred);
  EXPECT_EQ(on_windows::kAfInet6, wa::kAfInet6);
  EXPECT_EQ(on_windows::kSockDgram, wa::kSockDgram);
  EXPECT_EQ(on_illumos::kAfInet6, ia::kAfInet6);
  EXPECT_EQ(on_illumos::kSockStream, ia::kSockStream);
  EXPECT_EQ(on_illumos::kSockDgram, ia::kSockDgram);
  const struct {
    System system;
    const char* symbol;
    int value;
  } codes[] = {
      {System::kWindows, "WSAEINTR", on_windows::WSAEINTR},
      {System::kWindows, "WSAEFAULT", on_windows::WSAEFAULT},
      {System::kWindows, "WSAEINVAL", on_windows::WSAEINVAL},
      {System::kWindows, "WSAEWOULDBLOCK", on_windows::WSAEWOULDBLOCK},
      {System::kWindows, "WSAEINPROGRESS", on_windows::WSAEINPROGRESS},
      {System::kWindows, "WSAENOTSOCK", on_windows::WSAENOTSOCK},
      {System::kWindows, "WSAEAFNOSUPPORT", on_windows::WSAEAFNOSUPPORT},
      {System::kWindows, "WSAEADDRINUSE", on_windows::WSAEADDRINUSE},
      {System::kWindows, "WSAECONNRESET", on_windows::WSAECONNRESET},
      {System::kWindows, "WSAEISCONN", on_windows::WSAEISCONN},
      {System::kWindows, "WSAENOTCONN", on_windows::WSAENOTCONN},
      {System::kWindows, "WSAECONNREFUSED", on_windows::WSAECONNREFUSED},
      {System::kWindows, "WSANOTINITIALISED", on_windows::WSANOTINITIALISED},
      {System::kIllumos, "EBADF", on_illumos::kEBADF},
      {System::kIllumos, "EFAULT", on_illumos::kEFAULT},
      {System::kIllumos, "EINVAL", on_illumos::kEINVAL},
      {System::kIllumos, "ENOTSOCK", on_illumos::kENOTSOCK},
      {System::kIllumos, "ENOTCONN", on_illumos::kENOTCONN},
      {System::kIllumos, "ENOTSUP", on_illumos::kENOTSUP},
      // socksim builds on Linux x86-64: <cerrno> holds Linux's numbers.
      {System::kLinux, "ENOTCONN", ENOTCONN},
      {System::kLinux, "EFAULT", EFAULT},
  };
  for (const auto& c : codes) {
    SCOPED_TRACE(c.symbol);
    EXPECT_EQ(ErrorNumber(c.system, c.symbol), c.value);
    const auto name = DescribeError(c.system, c.value);
    ASSERT_TRUE(name.has_value());
    EXPECT_EQ(name->symbol, c.symbol);
  }
}

// The same seed gives the same calls, results and trace; another seed another port.
TEST(World, SameSeedSameTrace) {
  const auto run = [](std::uint64_t seed) {
    World world({.seed = seed});
    world.AddHost("a");
    world.AddHost("b");
    world.AddLink("a", "b", {.a_addresses = {"10.0.0.1/24"}, .b_addresses = {"10.0.0.2/24"}});
    auto s = world.SpawnWindows({.host = "b"});
    auto c = world.SpawnLinux({.host = "a"});
    const auto l = s.Socket(Domain::kInet, Type::kStream).value;
    (void)s.Bind(l, "10.0.0.2:80");
    (void)s.Listen(l);
    const auto fd = c.Socket(Domain::kInet, Type::kStream).value;
    (void)c.Connect(fd, "10.0.0.2:80");
    (void)s.Accept(l);
    world.Advance(std::chrono::seconds(1));
    return world.RecentCalls();
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

TEST(World, ProgrammerErrorsThrowWithTheReason) {
  World world;
  world.AddHost("a");
  EXPECT_THROW(world.AddHost("a"), std::invalid_argument);
  EXPECT_THROW(world.AddLink("a", "nowhere"), std::invalid_argument);
  EXPECT_THROW(world.SpawnLinux({.host = "nowhere"}), std::invalid_argument);
  EXPECT_THROW(world.AddHost("b", {"10.0.0.1/33"}), std::invalid_argument);
  EXPECT_THROW(world.ArmFault("net.drop", {.chance_numerator = 2, .chance_denominator = 1}),
               std::invalid_argument);
  auto p = world.SpawnLinux({.host = "a"});
  p.Exit();
  EXPECT_THROW((void)p.Socket(Domain::kInet, Type::kStream), std::logic_error);
}

// A fault point armed through the world fires in the personality (LNX-10).
TEST(World, Lnx10ArmedFaultGivesEnobufs) {
  World world;
  world.AddHost("a", {"10.0.0.1/8"});
  auto p = world.SpawnLinux({.host = "a"});
  const auto s = p.Socket(Domain::kInet, Type::kStream).value;
  world.ArmFault("linux.getpeername.nobufs");
  EXPECT_THAT(p.GetPeerName(s), FailsWith(ENOBUFS));
  EXPECT_THAT(p.GetPeerName(s), FailsWith(ENOTCONN)) << "times=1: the next call is not faulted";
}

}  // namespace
}  // namespace socksim::testing
