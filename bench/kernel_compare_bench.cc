// File: bench/kernel_compare_bench.cc
// The same Linux operation on this machine's kernel (real sockets) and in socksim (the Linux
// personality over a one-host world), interleaved in one run (kernel_compare.h).
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include "bench/bench_world.h"
#include "bench/kernel_compare.h"
#include "stack/personality/linux/errno_table.h"

namespace socksim::bench {
namespace {

namespace lx = stack::linux_abi;

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

// A connected TCP pair on each side (the kernel's over loopback), for calls on the client end.
struct BothConnected {
  KernelFds k;
  SimSide s;
  int kernel_client = -1;
  int sim_client = -1;
  bool ok = false;
  BothConnected() {
    sockaddr_in addr{};
    const int kl = KernelListener(&addr);
    const auto [kc, ks] = KernelConnection(kl, addr);
    k.fds = {kl, kc, ks};
    s.listener = s.MakeListener();
    kernel_client = kc;
    sim_client = s.Connection().first;
    ok = kl >= 0 && kc >= 0 && s.listener >= 0 && sim_client >= 0;
  }
};

// Compare() of a call on the client end of a connected pair, made on each side.
template <typename KernelOp, typename SimOp>
void CompareOnConnected(benchmark::State& state, KernelOp kernel, SimOp sim) {
  BothConnected both;
  if (!both.ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  Compare(
      state, [&] { return kernel(both.kernel_client); },
      [&] { return sim(both.s, both.sim_client); });
}

// ---- the operations ----

void BM_GetpeernameConnected(benchmark::State& state) {
  CompareOnConnected(
      state,
      [](int kc) {
        sockaddr_storage peer{};
        socklen_t len = sizeof peer;
        return ::getpeername(kc, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
               len == sizeof(sockaddr_in);
      },
      [](SimSide& s, int sc) { return s.Getpeername(sc).succeeded(); });
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

void BM_GetpeernameTruncated(benchmark::State& state) {
  // A 4-byte buffer: 4 bytes of the name are written and the full length (16) comes back.
  CompareOnConnected(
      state,
      [](int kc) {
        sockaddr_storage peer{};
        socklen_t len = 4;
        return ::getpeername(kc, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
               len == sizeof(sockaddr_in);
      },
      [](SimSide& s, int sc) {
        (void)s.p().memory().WriteU32(s.name_len, 4);
        return s.calls().Getpeername(s.p(), sc, s.name, s.name_len).succeeded() &&
               s.p().memory().ReadU32(s.name_len) == 16u;
      });
}
BENCHMARK(BM_GetpeernameTruncated)->UseManualTime();

constexpr std::uintptr_t kUnmapped = 8;  // the first page is never mapped, here or there

void BM_GetpeernameFault(benchmark::State& state) {
  // The name pointer is not mapped: EFAULT once the name is copied out (move_addr_to_user).
  CompareOnConnected(
      state,
      [](int kc) {
        socklen_t len = sizeof(sockaddr_storage);
        // NOLINTNEXTLINE(performance-no-int-to-ptr): the fault is the point
        return ::getpeername(kc, reinterpret_cast<sockaddr*>(kUnmapped), &len) == -1 &&
               errno == EFAULT;
      },
      [](SimSide& s, int sc) {
        (void)s.p().memory().WriteU32(s.name_len, 128);
        return s.calls().Getpeername(s.p(), sc, kUnmapped, s.name_len).code_or_zero() ==
               lx::kEFAULT;
      });
}
BENCHMARK(BM_GetpeernameFault)->UseManualTime();

void BM_GetsocknameConnected(benchmark::State& state) {
  CompareOnConnected(
      state,
      [](int kc) {
        sockaddr_storage name{};
        socklen_t len = sizeof name;
        return ::getsockname(kc, reinterpret_cast<sockaddr*>(&name), &len) == 0 &&
               len == sizeof(sockaddr_in);
      },
      [](SimSide& s, int sc) {
        (void)s.p().memory().WriteU32(s.name_len, 128);
        return s.calls().Getsockname(s.p(), sc, s.name, s.name_len).succeeded();
      });
}
BENCHMARK(BM_GetsocknameConnected)->UseManualTime();

void BM_AcceptFromFullBacklog(benchmark::State& state) {
  // The listener's queue is kept full (backlog 16, 16 established connections waiting): each
  // operation accepts one, closes it and its client, and connects a new client in its place.
  constexpr int kBacklog = 16;
  sockaddr_in addr{};
  KernelFds k;
  const int kl = ::socket(AF_INET, SOCK_STREAM, 0);
  addr = Loopback(0);
  socklen_t alen = sizeof addr;
  bool kernel_ok = kl >= 0 && ::bind(kl, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                   ::listen(kl, kBacklog) == 0 &&
                   ::getsockname(kl, reinterpret_cast<sockaddr*>(&addr), &alen) == 0;
  k.fds = {kl};
  std::vector<int> kernel_clients;
  for (int i = 0; kernel_ok && i < kBacklog; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    kernel_ok = c >= 0 && ::connect(c, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    kernel_clients.push_back(c);
  }
  SimSide s;
  const auto sl = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockStream, 0);
  s.listener = static_cast<int>(sl.value);
  bool sim_ok = sl.succeeded() &&
                s.calls().Bind(s.p(), s.listener, s.listen_addr, 16).succeeded() &&
                s.calls().Listen(s.p(), s.listener, kBacklog).succeeded();
  std::vector<int> sim_clients;
  for (int i = 0; sim_ok && i < kBacklog; ++i) {
    const auto c = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockStream, 0);
    sim_ok = c.succeeded() &&
             s.calls().Connect(s.p(), static_cast<int>(c.value), s.listen_addr, 16).succeeded();
    sim_clients.push_back(static_cast<int>(c.value));
  }
  if (!kernel_ok || !sim_ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  std::size_t kernel_next = 0;
  std::size_t sim_next = 0;
  Compare(
      state,
      [&] {
        const int a = ::accept(kl, nullptr, nullptr);
        if (a < 0) return false;
        const bool closed = ::close(a) == 0 && ::close(kernel_clients[kernel_next]) == 0;
        const int c = ::socket(AF_INET, SOCK_STREAM, 0);
        kernel_clients[kernel_next] = c;
        kernel_next = (kernel_next + 1) % kernel_clients.size();
        return closed && c >= 0 &&
               ::connect(c, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
      },
      [&] {
        const auto a = s.calls().Accept(s.p(), s.listener, 0, 0);
        if (!a.succeeded()) return false;
        const bool closed = s.calls().Close(s.p(), static_cast<int>(a.value)).succeeded() &&
                            s.calls().Close(s.p(), sim_clients[sim_next]).succeeded();
        const auto c = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockStream, 0);
        sim_clients[sim_next] = static_cast<int>(c.value);
        sim_next = (sim_next + 1) % sim_clients.size();
        return closed && c.succeeded() &&
               s.calls().Connect(s.p(), static_cast<int>(c.value), s.listen_addr, 16).succeeded();
      });
  for (int c : kernel_clients) ::close(c);
}
BENCHMARK(BM_AcceptFromFullBacklog)->UseManualTime();

void BM_SocketCloseHoldingManyDescriptors(benchmark::State& state) {
  // The process holds 100 000 descriptors (dup()s of one socket, numbers 3 up), or as many as
  // this machine's RLIMIT_NOFILE hard limit allows the kernel's side (raising it needs
  // CAP_SYS_RESOURCE), the same number on both sides: each operation opens a socket, which
  // gets the lowest free number above them, and closes it.
  rlimit limit{};
  (void)::getrlimit(RLIMIT_NOFILE, &limit);
  constexpr rlim_t kWanted = 100'000;
  const rlim_t hard = limit.rlim_max == RLIM_INFINITY ? kWanted + 64 : limit.rlim_max;
  const rlimit raised{std::max(limit.rlim_cur, std::min(kWanted + 64, hard)), hard};
  if (::setrlimit(RLIMIT_NOFILE, &raised) != 0) {
    state.SkipWithError("setrlimit(RLIMIT_NOFILE) failed");
    return;
  }
  const int held = static_cast<int>(std::min(kWanted, raised.rlim_cur - 64));
  KernelFds k;
  const int kbase = ::socket(AF_INET, SOCK_DGRAM, 0);
  k.fds.push_back(kbase);
  for (int i = 1; kbase >= 0 && i < held; ++i) k.fds.push_back(::dup(kbase));
  SimSide s;
  s.p().fds().set_limit(kWanted + 1024);
  const auto sbase = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockDgram, 0);
  bool sim_ok = sbase.succeeded();
  for (int i = 1; sim_ok && i < held; ++i) {
    sim_ok = s.calls().Dup(s.p(), static_cast<int>(sbase.value)).succeeded();
  }
  if (kbase < 0 || k.fds.back() < 0 || !sim_ok) {
    state.SkipWithError("set-up failed");
    return;
  }
  state.counters["descriptors_held"] = held;
  Compare(
      state,
      [held] {
        const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
        return fd >= held && ::close(fd) == 0;
      },
      [&s, held] {
        const auto fd = s.calls().Socket(s.p(), lx::kAfInet, lx::kSockDgram, 0);
        return fd.succeeded() && fd.value >= held &&
               s.calls().Close(s.p(), static_cast<int>(fd.value)).succeeded();
      });
}
BENCHMARK(BM_SocketCloseHoldingManyDescriptors)->UseManualTime();

void BM_TcpConnectAcceptGetpeernameCloseOverLink(benchmark::State& state) {
  // The full sequence through the simulated handshake across a 1 ms link (the client on host
  // a, the listener on host b), against the kernel's loopback: what a test of a two-host
  // service pays per connection.
  sockaddr_in addr{};
  KernelFds k;
  const int kl = KernelListener(&addr);
  k.fds = {kl};
  LinkedWorld w;
  const sim::UserAddress server_addr = w.Inet(w.client(), "10.0.0.2", kSimPort);
  const sim::UserAddress bind_addr = w.Inet(w.server(), "10.0.0.2", kSimPort);
  const sim::UserAddress name = w.client().memory().Allocate(128);
  const sim::UserAddress name_len = w.client().memory().Allocate(4);
  auto& calls = w.linux_calls();
  const auto sl = calls.Socket(w.server(), lx::kAfInet, lx::kSockStream, 0);
  const int listener = static_cast<int>(sl.value);
  if (kl < 0 || !sl.succeeded() || !calls.Bind(w.server(), listener, bind_addr, 16).succeeded() ||
      !calls.Listen(w.server(), listener, 128).succeeded()) {
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
        char byte = 0;
        return ::close(a) == 0 && ::recv(c, &byte, 1, 0) == 0 && ::close(c) == 0 && ok;
      },
      [&] {
        const auto c = calls.Socket(w.client(), lx::kAfInet, lx::kSockStream, 0);
        if (!c.succeeded()) return false;
        const int cfd = static_cast<int>(c.value);
        if (!calls.Connect(w.client(), cfd, server_addr, 16).succeeded()) return false;
        const auto a = calls.Accept(w.server(), listener, 0, 0);
        if (!a.succeeded()) return false;
        (void)w.client().memory().WriteU32(name_len, 128);
        const bool ok = calls.Getpeername(w.client(), cfd, name, name_len).succeeded();
        // The client reads the end of the stream before it closes, as a client of a service
        // does: its close then answers the server's FIN (LAST-ACK) instead of crossing it,
        // which would leave both ends in TIME-WAIT and, 60 s of virtual time later, some 20 000
        // four-tuples for the port search to step over.
        return calls.Close(w.server(), static_cast<int>(a.value)).succeeded() &&
               calls.Recvfrom(w.client(), cfd, name, 1, 0, 0, 0).value == 0 &&
               calls.Close(w.client(), cfd).succeeded() && ok;
      });
}
BENCHMARK(BM_TcpConnectAcceptGetpeernameCloseOverLink)->UseManualTime();

}  // namespace
}  // namespace socksim::bench
