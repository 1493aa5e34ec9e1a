// File: tests/package/main.cc
// A program outside socksim's tree that links socksim::socksim (tests/package.sh) and includes
// only the public headers: a world of two hosts, a Linux process, a TCP socket and getpeername
// on it, which fails with ENOTCONN; then the same call as a scenario. It prints one line per
// result and exits 0 only when both are as expected.
#include <socksim/socksim.h>

#include <cstdio>

namespace {

// getpeername(2) ERRORS: ENOTCONN on a new TCP socket, called directly.
bool DirectCall() {
  socksim::World world({.seed = 42});
  world.AddHost("a");
  world.AddHost("b");
  world.AddLink("a", "b", {.a_addresses = {"10.0.0.1/24"}, .b_addresses = {"10.0.0.2/24"}});
  auto proc = world.SpawnLinux({.host = "a", .pid = 100});
  const int fd = proc.socket(socksim::on_linux::kAfInet, socksim::on_linux::kSockStream, 0);
  if (fd < 0) {
    std::printf("socket: failed with %d\n", proc.last_error());
    return false;
  }
  const auto addr = proc.memory().Allocate(128);
  const auto addrlen = proc.memory().PlaceU32(128);
  const int r = proc.getpeername(fd, addr, addrlen);
  const auto name = socksim::DescribeError(socksim::System::kLinux, proc.last_error());
  std::printf("getpeername: %d %s\n", r, name ? name->symbol.c_str() : "?");
  return r == -1 && name && name->symbol == "ENOTCONN";
}

// The same check as a scenario, run by the library's scenario layer.
bool Scenario() {
  constexpr const char* kText =
      "personality linux\n"
      "host a\n"
      "process 100 host=a uid=0 gid=0\n"
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not "
      "connected)\n";
  const auto outcome = socksim::RunScenarioText(kText, "package.scn");
  std::printf("scenario: passed %d failed %d errors %d\n", outcome.passed, outcome.failed,
              outcome.errors);
  return outcome.ok() && outcome.passed == 2;
}

}  // namespace

int main() {
  const bool direct = DirectCall();
  const bool scenario = Scenario();
  return direct && scenario ? 0 : 1;
}
