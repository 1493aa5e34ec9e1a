// File: bench/kernel_compare_bench.cc
// The same operation on this machine's kernel (real sockets) and in socksim (the Linux
// personality over a one-host world), interleaved in one run: each iteration times a batch on
// one side, then a batch on the other, alternating which goes first, and the benchmark reports
// both times per operation and their ratio. Real sockets use loopback addresses only
// (127.0.0.1); run inside a private network namespace (`unshare -n`, then `ip link set lo up`)
// so that nothing reaches a real network and nothing on the machine shares the port space.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "bench/bench_world.h"
#include "stack/personality/linux/errno_table.h"

namespace socksim::bench {
namespace {

namespace lx = stack::linux_abi;

// Operations per timed batch: long enough that reading the clock (tens of nanoseconds) is
// small against the batch, short enough that the two sides interleave finely.
constexpr int kBatch = 64;

constexpr std::uint16_t kSimPort = 8080;

using Clock = std::chrono::steady_clock;

// Times kBatch calls of `op`; false (and the error reported) if one fails. A template, so that
// no indirect call is added to either side.
template <typename Op>
bool TimeBatch(benchmark::State& state, Op& op, const char* what, double* ns) {
  const auto start = Clock::now();
  for (int i = 0; i < kBatch; ++i) {
    if (!op()) {
      state.SkipWithError(what);
      return false;
    }
  }
  *ns += std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  return true;
}

// Runs the interleaved comparison and reports kernel_ns, socksim_ns (per operation) and
// socksim_over_kernel. The reported time per iteration is that of one batch on each side.
template <typename KernelOp, typename SimOp>
void Compare(benchmark::State& state, KernelOp kernel, SimOp sim) {
  double kernel_ns = 0;
  double sim_ns = 0;
  std::int64_t batches = 0;
  for (auto _ : state) {
    const double before = kernel_ns + sim_ns;
    const bool kernel_first = batches % 2 == 0;
    if (kernel_first && !TimeBatch(state, kernel, "kernel operation failed", &kernel_ns)) break;
    if (!TimeBatch(state, sim, "socksim operation failed", &sim_ns)) break;
    if (!kernel_first && !TimeBatch(state, kernel, "kernel operation failed", &kernel_ns)) break;
    state.SetIterationTime((kernel_ns + sim_ns - before) / 1e9);
    ++batches;
  }
  if (batches == 0) return;
  const double ops = static_cast<double>(batches) * kBatch;
  state.counters["kernel_ns"] = kernel_ns / ops;
  state.counters["socksim_ns"] = sim_ns / ops;
  state.counters["socksim_over_kernel"] = sim_ns / kernel_ns;
}

// ---- the real kernel, loopback only ----

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A TCP listener on 127.0.0.1 with a port the kernel chooses; returns the fd and sets *addr.
int KernelListener(sockaddr_in* addr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  *addr = Loopback(0);
  socklen_t len = sizeof *addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(addr), sizeof *addr) != 0 || ::listen(fd, 128) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(addr), &len) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A connected pair over the listener: {client, accepted}, or {-1, -1}.
std::pair<int, int> KernelConnection(int listener, const sockaddr_in& addr) {
  const int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (c < 0) return {-1, -1};
  if (::connect(c, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(c);
    return {-1, -1};
  }
  const int s = ::accept(listener, nullptr, nullptr);
  if (s < 0) {
    ::close(c);
    return {-1, -1};
  }
  return {c, s};
}

// Closes the descriptors it holds when the benchmark ends.
struct KernelFds {
  std::vector<int> fds;
  ~KernelFds() {
    for (int fd : fds) ::close(fd);
  }
};

// ---- socksim ----

// The same set-up in a simulated world: a listener on 127.0.0.1:8080 and caller buffers.
struct SimSide {
  LoopbackWorld w;
  sim::UserAddress listen_addr = w.Inet("127.0.0.1", kSimPort);
  sim::UserAddress udp_addr = w.Inet("127.0.0.1", kSimPort);
  sim::UserAddress name = w.Buffer(128);  // a sockaddr_storage
  sim::UserAddress name_len = w.Buffer(4);
  sim::UserAddress pair = w.Buffer(8);  // int sv[2]
  int listener = -1;

  lx::LinuxPersonality& calls() { return w.linux_calls(); }
  sim::Process& p() { return w.process(); }

  int MakeListener() {
    const auto fd = calls().Socket(p(), lx::kAfInet, lx::kSockStream, 0);
    if (!fd.succeeded()) return -1;
    const int l = static_cast<int>(fd.value);
    if (!calls().Bind(p(), l, listen_addr, 16).succeeded() ||
        !calls().Listen(p(), l, 128).succeeded()) {
      return -1;
    }
    return l;
  }
  // {client, accepted}, or {-1, -1}.
  std::pair<int, int> Connection() {
    const auto c = calls().Socket(p(), lx::kAfInet, lx::kSockStream, 0);
    if (!c.succeeded()) return {-1, -1};
    if (!calls().Connect(p(), static_cast<int>(c.value), listen_addr, 16).succeeded()) {
      return {-1, -1};
    }
    const auto s = calls().Accept(p(), listener, 0, 0);
    if (!s.succeeded()) return {-1, -1};
    return {static_cast<int>(c.value), static_cast<int>(s.value)};
  }
  // getpeername(fd, &ss, &len) with len = sizeof ss set first, as a caller does.
  stack::CallResult Getpeername(int fd) {
    (void)p().memory().WriteU32(name_len, 128);
    return calls().Getpeername(p(), fd, name, name_len);
  }
};

// ---- the operations ----

void BM_GetpeernameConnected(benchmark::State& state) {
  sockaddr_in addr{};
  KernelFds k;
  const int kl = KernelListener(&addr);
  const auto [kc, ks] = KernelConnection(kl, addr);
  k.fds = {kl, kc, ks};
  SimSide s;
  s.listener = s.MakeListener();
  const auto [sc, ss] = s.Connection();
  if (kl < 0 || kc < 0 || s.listener < 0 || sc < 0) {
    state.SkipWithError("set-up failed");
    return;
  }
  (void)ss;
  Compare(
      state,
      [kc = kc] {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        return ::getpeername(kc, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
               len == sizeof(sockaddr_in);
      },
      [&s, sc = sc] { return s.Getpeername(sc).succeeded(); });
}
BENCHMARK(BM_GetpeernameConnected)->UseManualTime();

void BM_GetpeernameNotConnected(benchmark::State& state) {
  KernelFds k;
  const int kfd = ::socket(AF_INET, SOCK_STREAM, 0);
  k.fds = {kfd};
  SimSide s;
  const auto sfd = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockStream, 0);
  if (kfd < 0 || !sfd.succeeded()) {
    state.SkipWithError("set-up failed");
    return;
  }
  Compare(
      state,
      [kfd] {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        return ::getpeername(kfd, reinterpret_cast<sockaddr*>(&peer), &len) == -1 &&
               errno == ENOTCONN;
      },
      [&s, fd = static_cast<int>(sfd.value)] {
        return s.Getpeername(fd).code_or_zero() == lx::kENOTCONN;
      });
}
BENCHMARK(BM_GetpeernameNotConnected)->UseManualTime();

void BM_SocketpairClose(benchmark::State& state) {
  SimSide s;
  Compare(
      state,
      [] {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return false;
        return ::close(sv[0]) == 0 && ::close(sv[1]) == 0;
      },
      [&s] {
        if (!s.calls().Socketpair(s.p(), lx::kAfUnix, lx::kSockStream, 0, s.pair).succeeded()) {
          return false;
        }
        const auto a = s.p().memory().ReadU32(s.pair);
        const auto b = s.p().memory().ReadU32(s.pair + 4);
        return a && b && s.calls().Close(s.p(), static_cast<int>(*a)).succeeded() &&
               s.calls().Close(s.p(), static_cast<int>(*b)).succeeded();
      });
}
BENCHMARK(BM_SocketpairClose)->UseManualTime();

void BM_UdpConnectGetpeernameClose(benchmark::State& state) {
  // The destination is a bound UDP socket on each side, so the address names a real endpoint.
  KernelFds k;
  sockaddr_in kaddr = Loopback(0);
  const int kbound = ::socket(AF_INET, SOCK_DGRAM, 0);
  k.fds = {kbound};
  socklen_t klen = sizeof kaddr;
  const bool kernel_ok = kbound >= 0 &&
                         ::bind(kbound, reinterpret_cast<sockaddr*>(&kaddr), sizeof kaddr) == 0 &&
                         ::getsockname(kbound, reinterpret_cast<sockaddr*>(&kaddr), &klen) == 0;
  SimSide s;
  const auto sbound = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockDgram, 0);
  const bool sim_ok =
      sbound.succeeded() &&
      s.calls().Bind(s.p(), static_cast<int>(sbound.value), s.udp_addr, 16).succeeded();
  if (!kernel_ok || !sim_ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  Compare(
      state,
      [kaddr] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) return false;
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        const bool ok =
            ::connect(fd, reinterpret_cast<const sockaddr*>(&kaddr), sizeof kaddr) == 0 &&
            ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0;
        return ::close(fd) == 0 && ok;
      },
      [&s] {
        const auto fd = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockDgram, 0);
        if (!fd.succeeded()) return false;
        const int f = static_cast<int>(fd.value);
        const bool ok =
            s.calls().Connect(s.p(), f, s.udp_addr, 16).succeeded() && s.Getpeername(f).succeeded();
        return s.calls().Close(s.p(), f).succeeded() && ok;
      });
}
BENCHMARK(BM_UdpConnectGetpeernameClose)->UseManualTime();

void BM_TcpConnectAcceptGetpeernameClose(benchmark::State& state) {
  // The accepted end closes first, so TIME-WAIT stays on the listener's side and the client's
  // ephemeral port is free again at once (on both sides; socksim's TIME-WAIT sockets stay
  // for 60 s of virtual time, which a loopback run never advances, so they accumulate).
  sockaddr_in addr{};
  KernelFds k;
  const int kl = KernelListener(&addr);
  k.fds = {kl};
  SimSide s;
  s.listener = s.MakeListener();
  if (kl < 0 || s.listener < 0) {
    state.SkipWithError("set-up failed");
    return;
  }
  Compare(
      state,
      [kl, addr] {
        const auto [c, a] = KernelConnection(kl, addr);
        if (c < 0) return false;
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        const bool ok = ::getpeername(c, reinterpret_cast<sockaddr*>(&peer), &len) == 0;
        return ::close(a) == 0 && ::close(c) == 0 && ok;
      },
      [&s] {
        const auto [c, a] = s.Connection();
        if (c < 0) return false;
        const bool ok = s.Getpeername(c).succeeded();
        return s.calls().Close(s.p(), a).succeeded() && s.calls().Close(s.p(), c).succeeded() && ok;
      });
}
BENCHMARK(BM_TcpConnectAcceptGetpeernameClose)->UseManualTime();

}  // namespace
}  // namespace socksim::bench
