// File: testing/src/fixture.cc
// SystemTest's two-host world, the error names per system, and the recent calls printed
// when a test fails.
#include <iostream>
#include <string>

#include "socksim/testing.h"

namespace socksim::testing {
namespace {

World TwoHosts() {
  World world;
  world.AddHost("client");
  world.AddHost("server");
  world.AddLink("client", "server",
                {.a_addresses = {"10.0.0.1/24", "fd00::1/64"},
                 .b_addresses = {"10.0.0.2/24", "fd00::2/64"},
                 .latency = std::chrono::milliseconds(1)});
  return world;
}

}  // namespace

SystemTest::SystemTest()
    : world_(TwoHosts()),
      client_(world_.Spawn(GetParam(),
                           {.host = "client", .pid = 100, .uid = 1000, .gid = 1000})),
      server_(world_.Spawn(GetParam(), {.host = "server", .pid = 200, .uid = 0, .gid = 0})) {}

void SystemTest::TearDown() {
  if (!HasFailure()) return;
  const auto calls = world_.RecentCalls();
  std::cout << "socksim: the world's last " << calls.size() << " calls (seed " << world_.seed()
            << "):\n";
  for (const auto& line : calls) std::cout << "  " << line << "\n";
}

int SystemTest::Err(std::string_view posix_name) const {
  std::string symbol(posix_name);
  // Winsock's codes are the BSD names with WSA in front (winerror.h: WSAENOTCONN).
  if (system() == System::kWindows && !symbol.starts_with("WSA")) symbol = "WSA" + symbol;
  const auto n = ErrorNumber(system(), symbol);
  if (!n) {
    ADD_FAILURE() << symbol << " is no error of " << socksim::SystemName(system());
    return -1;
  }
  return *n;
}

Address SystemTest::ServerAddress(std::uint16_t port) { return Address::Ip("10.0.0.2", port); }

std::string SystemParamName::operator()(const ::testing::TestParamInfo<System>& info) const {
  return std::string(socksim::SystemName(info.param));
}

// ---- scenarios ----
namespace {

void Report(const ScenarioOutcome& outcome, const std::source_location& where) {
  bool reported = false;
  for (const auto& p : outcome.problems) {
    if (p.kind == ScenarioProblem::Kind::kSkipped) continue;
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
        << "scenario " << p.ToString() << "\n(seed " << outcome.seed << ")";
    reported = true;
  }
  if (!reported && !outcome.ok()) {
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
        << "scenario " << outcome.file << " checked no call (" << outcome.skipped
        << " skipped)";
  }
}

}  // namespace

void ExpectScenario(std::string_view text, const ScenarioOptions& options,
                    std::source_location where) {
  Report(RunScenarioText(text, "inline.scn", options), where);
}

void ExpectScenarioFile(const std::string& path, const ScenarioOptions& options,
                        std::source_location where) {
  Report(RunScenarioFile(path, options), where);
}

}  // namespace socksim::testing
