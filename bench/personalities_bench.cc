// File: bench/personalities_bench.cc
// The Windows and illumos peer-identity calls through the same harness as the Linux ones
// (kernel_compare.h), each against the Linux kernel's closest call on this machine: Winsock
// getpeername through a chain of two layered providers over the base provider (three deep),
// WSPGetPeerName on the top provider directly, and getpeerucred with its accessors against
// getsockopt(SO_PEERCRED) on a UNIX socketpair.
#include <sys/socket.h>
#include <sys/un.h>

#include <string>
#include <vector>

#include "bench/kernel_compare.h"
#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/sockaddr_codec.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/layered_provider.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/winsock.h"

namespace socksim::bench {
namespace {

namespace win = stack::windows_abi;
namespace ill = stack::illumos_abi;

// One Windows host with a connected TCP pair over loopback, made by a process that called
// WSAStartup, with `layers` pass-through layered providers above the base provider.
struct WindowsSide {
  sim::World world{sim::WorldOptions{.seed = 1}};
  stack::Stack stack{world};
  win::Winsock ws{stack};
  sim::Process* p = nullptr;
  win::SocketHandle client = 0;
  sim::UserAddress name = 0, name_len = 0, lp_errno = 0;
  bool ok = false;

  explicit WindowsSide(int layers) {
    for (int i = 0; i < layers; ++i) {
      const auto spec = win::ParseLayeredProviderSpec(
          std::vector<std::string>{"layer" + std::to_string(i), "chains=all"});
      if (!spec || !ws.InstallLayeredProvider(*spec).ok()) return;
    }
    const sim::NodeId node = world.topology().AddNode("a", sim::NodeKind::kHost);
    p = &world.Spawn({.pid = 300, .node = node, .name = "bench"});
    ws.SetUpProcess(*p);
    sim::Thread& t = p->main_thread();
    auto& mem = p->memory();
    if (!ws.WSAStartup(t, win::MakeWord(2, 2), mem.Allocate(win::kWsadataSize)).succeeded()) return;
    const auto bytes = win::Encode(
        stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse("127.0.0.1"), 8080}});
    const sim::UserAddress addr = mem.Allocate(bytes.size());
    (void)mem.Poke(addr, bytes);
    const auto l = ws.Socket(t, win::kAfInet, win::kSockStream, win::kIpprotoTcp);
    const auto c = ws.Socket(t, win::kAfInet, win::kSockStream, win::kIpprotoTcp);
    if (!l.succeeded() || !c.succeeded()) return;
    const auto listener = static_cast<win::SocketHandle>(l.value);
    client = static_cast<win::SocketHandle>(c.value);
    const auto len = static_cast<std::int32_t>(bytes.size());
    if (!ws.Bind(t, listener, addr, len).succeeded() || !ws.Listen(t, listener, 8).succeeded() ||
        !ws.Connect(t, client, addr, len).succeeded() ||
        !ws.Accept(t, listener, 0, 0).succeeded()) {
      return;
    }
    name = mem.Allocate(128);
    name_len = mem.Allocate(4);
    lp_errno = mem.Allocate(4);
    ok = true;
  }
  sim::Thread& thread() { return p->main_thread(); }
};

// The kernel's side of the getpeername comparisons: a connected loopback pair.
struct KernelPair {
  KernelFds fds;
  int client = -1;
  KernelPair() {
    sockaddr_in addr{};
    const int l = KernelListener(&addr);
    const auto [c, s] = KernelConnection(l, addr);
    fds.fds = {l, c, s};
    client = l >= 0 ? c : -1;
  }
};

bool KernelGetpeername(int fd) {
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
         len == sizeof(sockaddr_in);
}

// Compares `call` (on a Windows side with `layers` layered providers) with the kernel's
// getpeername.
template <typename Call>
void CompareWithKernelGetpeername(benchmark::State& state, int layers, Call call) {
  KernelPair k;
  WindowsSide w(layers);
  if (k.client < 0 || !w.ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  Compare(
      state, [fd = k.client] { return KernelGetpeername(fd); },
      [&w, &call] {
        (void)w.p->memory().WriteU32(w.name_len, 128);
        return call(w).value == 0;
      });
}

void BM_WinsockGetpeernameThreeDeepChain(benchmark::State& state) {
  CompareWithKernelGetpeername(state, 2, [](WindowsSide& w) {
    return w.ws.Getpeername(w.thread(), w.client, w.name, w.name_len);
  });
}
BENCHMARK(BM_WinsockGetpeernameThreeDeepChain)->UseManualTime();

void BM_WspGetPeerNameDirect(benchmark::State& state) {
  CompareWithKernelGetpeername(state, 0, [](WindowsSide& w) {
    return w.ws.WSPGetPeerName(w.thread(), w.client, w.name, w.name_len, w.lp_errno);
  });
}
BENCHMARK(BM_WspGetPeerNameDirect)->UseManualTime();

void BM_GetpeerucredWithAccessors(benchmark::State& state) {
  // illumos: getpeerucred into the caller's ucred_t (allocated by the first call, reused
  // after, as getpeerucred(3C) allows), then ucred_getpid and ucred_geteuid. Linux: the peer's
  // struct ucred from getsockopt(SO_PEERCRED).
  KernelFds k;
  int sv[2] = {-1, -1};
  const bool kernel_ok = ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0;
  k.fds = {sv[0], sv[1]};
  sim::World world{sim::WorldOptions{.seed = 1}};
  stack::Stack stack{world};
  ill::Illumos os{stack};
  const sim::NodeId node = world.topology().AddNode("a", sim::NodeKind::kHost);
  sim::Process& p =
      world.Spawn({.pid = 100, .node = node, .credentials = sim::Credentials::Of(1000, 10)});
  os.SetUpProcess(p);
  sim::Thread& t = p.main_thread();
  const sim::UserAddress pair = p.memory().Allocate(8);
  const sim::UserAddress cell = p.memory().Allocate(8);
  (void)p.memory().WriteU64(cell, 0);
  const bool sim_ok = os.Socketpair(t, ill::kAfUnix, ill::kSockStream, 0, pair).succeeded() &&
                      os.Getpeerucred(t, static_cast<int>(*p.memory().ReadU32(pair)), cell)
                          .succeeded();
  if (!kernel_ok || !sim_ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  const int fd = static_cast<int>(*p.memory().ReadU32(pair));
  const sim::UserAddress uc = *p.memory().ReadU64(cell);
  Compare(
      state,
      [k0 = sv[0]] {
        ucred cred{};
        socklen_t len = sizeof cred;
        return ::getsockopt(k0, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid > 0;
      },
      [&] {
        return os.Getpeerucred(t, fd, cell).succeeded() && os.UcredGetpid(t, uc).value == 100 &&
               os.UcredGeteuid(t, uc).value == 1000;
      });
}
BENCHMARK(BM_GetpeerucredWithAccessors)->UseManualTime();

}  // namespace
}  // namespace socksim::bench
