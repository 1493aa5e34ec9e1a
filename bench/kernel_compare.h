// File: bench/kernel_compare.h
// The side-by-side harness of the kernel comparisons: each iteration times a batch of one
// operation on this machine's kernel and a batch of the same operation in socksim, alternating
// which goes first, and the benchmark reports kernel_ns, socksim_ns (per operation) and
// socksim_over_kernel; plus the real-socket helpers both benchmark files use. Real sockets use
// loopback addresses only: run inside a private network namespace (`unshare -n`, then
// `ip link set lo up`).
#pragma once

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace socksim::bench {

// Operations per timed batch: long enough that reading the clock (tens of nanoseconds) is
// small against the batch, short enough that the two sides interleave finely.
constexpr int kBatch = 64;

constexpr std::uint16_t kSimPort = 8080;

using Clock = std::chrono::steady_clock;

// Times kBatch calls of `op`; false (and the error reported) if one fails. A template, so that
// no indirect call is added to either side.
template <typename Op>
inline bool TimeBatch(benchmark::State& state, Op& op, const char* what, double* ns) {
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

inline sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A TCP listener on 127.0.0.1 with a port the kernel chooses; returns the fd and sets *addr.
inline int KernelListener(sockaddr_in* addr) {
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
inline std::pair<int, int> KernelConnection(int listener, const sockaddr_in& addr) {
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

}  // namespace socksim::bench
