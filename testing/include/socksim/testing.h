// File: testing/include/socksim/testing.h
// GoogleTest helpers for tests that run their code against socksim (target socksim::testing):
// matchers for Results, a fixture parameterised by the system the processes run as, and
// scenarios run from a test with their problems reported at the C++ line that ran them.
//
//   TEST_P(MyTest, PeerOfUnconnectedSocket) {
//     auto s = client().Socket(socksim::Domain::kInet, socksim::Type::kStream).value;
//     EXPECT_THAT(client().GetPeerName(s), FailsWith(Err("ENOTCONN")));
//   }
//   INSTANTIATE_TEST_SUITE_P(All, MyTest, socksim::testing::AllSystems(),
//                            socksim::testing::SystemParamName());
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <source_location>
#include <string>
#include <string_view>

#include "socksim/socksim.h"

namespace socksim::testing {

// ---- matchers on socksim::Result ----
/// The call succeeded (any value).
::testing::Matcher<const Result&> Succeeds();
/// The call succeeded and returned `value`.
::testing::Matcher<const Result&> Returns(std::int64_t value);
/// The call failed and set error `code` (the result's system's number: ENOTCONN from
/// <cerrno> for Linux, on_windows::WSAENOTCONN, on_illumos::kENOTCONN).
::testing::Matcher<const Result&> FailsWith(int code);
/// The call failed and set the error named `symbol` in the result's system ("ENOTCONN",
/// "WSAENOTCONN", "TOUTSTATE").
::testing::Matcher<const Result&> FailsWith(std::string_view symbol);
::testing::Matcher<const Result&> FailsWith(const char* symbol);
/// The call would have waited for something nothing in the world does.
::testing::Matcher<const Result&> WouldWait();
/// The call returned a name equal to `address` ("10.0.0.2:80", "[fe80::1%eth0]:80",
/// "@abstract").
::testing::Matcher<const Result&> PeerIs(const Address& address);
/// The name did not fit: the call wrote back `full_length`, more than the buffer held.
::testing::Matcher<const Result&> Truncated(std::uint32_t full_length);
/// The call received exactly `data`.
::testing::Matcher<const Result&> Received(std::string_view data);

// ---- the fixture ----
/// Two hosts joined by a 1 ms link: "client" (10.0.0.1/24, fd00::1/64) and "server"
/// (10.0.0.2/24, fd00::2/64), one process on each (client pid 100 uid 1000 gid 1000, server
/// pid 200 uid 0 gid 0), both of the system the test is instantiated with. When a test fails,
/// the world's recent calls are printed as a trace.
class SystemTest : public ::testing::TestWithParam<System> {
 protected:
  SystemTest();
  void TearDown() override;

  System system() const { return GetParam(); }
  World& world() { return world_; }
  Process& client() { return client_; }
  Process& server() { return server_; }
  /// `posix_name`'s number in this system: "ENOTCONN" is 107 on Linux, 134 on illumos, and
  /// WSAENOTCONN (10057) on Windows, whose codes are the BSD names with "WSA" before them.
  int Err(std::string_view posix_name) const;
  /// "10.0.0.2:PORT", the server's address.
  static Address ServerAddress(std::uint16_t port);

 private:
  World world_;
  Process client_;
  Process server_;
};

/// The three systems, for INSTANTIATE_TEST_SUITE_P.
inline auto AllSystems() {
  return ::testing::Values(System::kLinux, System::kWindows, System::kIllumos);
}
/// Names instantiated tests "linux", "windows", "illumos".
struct SystemParamName {
  std::string operator()(const ::testing::TestParamInfo<System>& info) const;
};

// ---- scenarios ----
/// Runs a scenario written in the test; every line that did not pass is a test failure at
/// the C++ file and line of this call, giving the scenario's own line and the expected,
/// actual and why text. A scenario that checked no call fails too.
void ExpectScenario(std::string_view text, const ScenarioOptions& options = {},
                    std::source_location where = std::source_location::current());
/// The same for a scenario file.
void ExpectScenarioFile(const std::string& path, const ScenarioOptions& options = {},
                        std::source_location where = std::source_location::current());

}  // namespace socksim::testing
