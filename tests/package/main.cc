// File: tests/package/main.cc
// A program outside socksim's tree that links socksim::socksim (tests/package.sh): a world of
// two hosts, a Linux process, a TCP socket and getpeername on it, which fails with ENOTCONN;
// then the same call as a scenario line through the scenario layer, which pulls in the
// registry and every personality's binding (the libraries' link cycle). It prints one line
// per result and exits 0 only when both are as expected.
#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
// The installed headers also answer to their package-qualified paths.
#include <socksim/tools/scenario/parser.h>
#include <socksim/tools/scenario/runner.h>

namespace {

namespace la = socksim::stack::linux_abi;
namespace sim = socksim::sim;

// getpeername(2) ERRORS: ENOTCONN on a new TCP socket, called directly.
bool DirectCall() {
  sim::World world({.seed = 42});
  auto& topo = world.topology();
  const auto a = topo.AddNode("a", sim::NodeKind::kHost);
  const auto b = topo.AddNode("b", sim::NodeKind::kHost);
  topo.AddLink(a, b, sim::Duration::Milliseconds(1));
  topo.AddAddress(topo.node(a).interfaces[1], *sim::IpAddress::Parse("10.0.0.1"), 24);
  topo.AddAddress(topo.node(b).interfaces[1], *sim::IpAddress::Parse("10.0.0.2"), 24);
  socksim::stack::Stack stack(world);
  la::LinuxPersonality linux_calls(stack);
  auto& proc = world.Spawn({.pid = 100, .node = a});
  linux_calls.SetUpProcess(proc);

  const auto fd = linux_calls.Socket(proc, la::kAfInet, la::kSockStream, 0);
  if (!fd.succeeded()) {
    std::printf("socket: failed with %d\n", fd.code_or_zero());
    return false;
  }
  const auto addr = proc.memory().Allocate(128);
  const auto addrlen = proc.memory().Allocate(4);
  if (!proc.memory().WriteU32(addrlen, 128)) return false;
  const auto r = linux_calls.Getpeername(proc, static_cast<int>(fd.value), addr, addrlen);
  const auto info = la::ErrnoByValue(r.code_or_zero());
  std::printf("getpeername: %lld %s\n", static_cast<long long>(r.value),
              info ? std::string(info->symbol).c_str() : "?");
  return r.value == -1 && info && info->symbol == "ENOTCONN";
}

// The same check as a scenario, parsed and run by the library's scenario layer.
bool Scenario() {
  constexpr const char* kText =
      "personality linux\n"
      "host a\n"
      "process 100 host=a uid=0 gid=0\n"
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not "
      "connected)\n";
  const auto parsed = socksim::tools::ParseScenario(kText, "package.scn");
  if (!parsed.ok()) {
    std::printf("scenario: %zu parse errors\n", parsed.errors.size());
    return false;
  }
  const auto result = socksim::tools::RunScenario(parsed.scenario);
  std::printf("scenario: passed %d failed %d errors %d\n", result.passed, result.failed,
              result.errors);
  return result.ok() && result.passed == 2;
}

}  // namespace

int main() {
  const bool direct = DirectCall();
  const bool scenario = Scenario();
  return direct && scenario ? 0 : 1;
}
