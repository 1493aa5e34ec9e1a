// File: bench/connections_bench.cc
// How opening many TCP connections in one simulated process scales. One Linux process on one
// host listens on 0.0.0.0:8080 and then, N times, creates a socket, connects it (blocking, over
// the simulated loopback) and accepts the connection, keeping every descriptor open. The
// benchmark reports the time and the memory (resident and heap, measured) per connection, and
// for the larger runs the incremental cost of connections 1k..10k and 10k..100k, whose ratio
// shows whether anything in the world or the stack grows faster than the number of connections.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_world.h"

namespace socksim::bench {
namespace {

using stack::linux_abi::kAfInet;
using stack::linux_abi::kSockStream;

constexpr std::uint16_t kListenPort = 8080;

// The connections are spread over this many destination addresses, 127.0.0.1 .. 127.0.0.128,
// all reaching the one wildcard listener. Why: an ephemeral port can be shared only by
// connections with distinct four-tuples (connect_shares_ports), and Linux's range holds 28232
// ports, so one (source, destination) pair allows at most 28232 connections. Linux also tries
// the even half of the range (14116 ports) first, and once that half is full every connect()
// walks all of it before reaching an odd port: that is the modelled port search exhausting its
// range, O(range) per connect() by design, not a cost of the simulator's data structures. With
// 128 pairs, 1M connections fill at most 7813 of each pair's 14116 even ports (under one
// half), so the search stays short and the figures measure what each connection costs the
// world and the stack. Several listener ports would do the same, but several destination
// addresses keep the "one listener" shape, and on loopback each 127.0.0.x talks from itself,
// so the pairs are distinct by address alone.
constexpr int kDestinations = 128;

// Counts at which the time and memory are read during a run (besides N itself).
constexpr std::int64_t kMarks[] = {1'000, 10'000, 100'000, 1'000'000};

// The state after `count` connections. `reached` is when the count was reached and `resumed`
// when the loop went on after the memory was read, so that reading /proc stays out of the
// measured intervals.
struct Reading {
  std::int64_t count = 0;
  std::chrono::steady_clock::time_point reached;
  std::chrono::steady_clock::time_point resumed;
  MemoryReading memory;
};

// Opens `n` connections in a fresh world; returns one reading per mark reached, the first at 0.
// Returns an empty vector (and reports the error) when a call fails.
std::vector<Reading> OpenConnections(benchmark::State& state, LoopbackWorld& w, std::int64_t n) {
  auto& calls = w.linux_calls();
  sim::Process& p = w.process();
  // Caller memory is set up once, before the clock starts: the sockaddrs of the listener and of
  // each destination. accept() is called with NULL address arguments.
  const sim::UserAddress listen_addr = w.Inet("0.0.0.0", kListenPort);
  std::vector<sim::UserAddress> destinations;
  for (int i = 0; i < kDestinations; ++i) {
    destinations.push_back(w.Inet("127.0.0." + std::to_string(i + 1), kListenPort));
  }
  const auto lfd = calls.Socket(p, kAfInet, kSockStream, 0);
  const int listener = static_cast<int>(lfd.value);
  if (!lfd.succeeded() || !calls.Bind(p, listener, listen_addr, 16).succeeded() ||
      !calls.Listen(p, listener, 128).succeeded()) {
    state.SkipWithError("listener set-up failed");
    return {};
  }

  std::vector<Reading> readings;
  Reading start;
  start.memory = ReadMemory(/*trim=*/true);
  start.reached = start.resumed = std::chrono::steady_clock::now();
  readings.push_back(start);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = calls.Socket(p, kAfInet, kSockStream, 0);
    if (!c.succeeded()) {
      state.SkipWithError(("socket() failed, errno " + std::to_string(c.code_or_zero())).c_str());
      return {};
    }
    const auto connected =
        calls.Connect(p, static_cast<int>(c.value), destinations[i % kDestinations], 16);
    if (!connected.succeeded()) {
      state.SkipWithError(
          ("connect() failed, errno " + std::to_string(connected.code_or_zero())).c_str());
      return {};
    }
    const auto accepted = calls.Accept(p, listener, 0, 0);
    if (!accepted.succeeded()) {
      state.SkipWithError(
          ("accept() failed, errno " + std::to_string(accepted.code_or_zero())).c_str());
      return {};
    }
    const std::int64_t done = i + 1;
    if (done == n || std::find(std::begin(kMarks), std::end(kMarks), done) != std::end(kMarks)) {
      Reading r;
      r.count = done;
      r.reached = std::chrono::steady_clock::now();
      r.memory = ReadMemory(/*trim=*/false);
      r.resumed = std::chrono::steady_clock::now();
      readings.push_back(r);
    }
  }
  if (w.stack().live_socket_count() != static_cast<std::size_t>(2 * n + 1)) {
    state.SkipWithError("not every socket stayed open");
    return {};
  }
  return readings;
}

const Reading* At(const std::vector<Reading>& readings, std::int64_t count) {
  for (const Reading& r : readings) {
    if (r.count == count) return &r;
  }
  return nullptr;
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Seconds spent opening the connections between two readings, without the readings between.
double Elapsed(const std::vector<Reading>& readings, std::int64_t from, std::int64_t to) {
  double s = 0;
  for (std::size_t i = 1; i < readings.size(); ++i) {
    if (readings[i - 1].count >= from && readings[i].count <= to) {
      s += Seconds(readings[i].reached - readings[i - 1].resumed);
    }
  }
  return s;
}

void BM_OpenConnections(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  double ns_total = 0, rss_total = 0, heap_total = 0;
  double ns_1k_10k = 0, ns_10k_100k = 0, ns_100k_1m = 0;
  double rss_1k_10k = 0, rss_10k_100k = 0, rss_100k_1m = 0;
  std::int64_t iterations = 0;
  for (auto _ : state) {
    // Every iteration builds the same world from the same seed and makes the same calls.
    LoopbackWorld w(/*descriptor_limit=*/2 * n + 64);
    const auto readings = OpenConnections(state, w, n);
    if (readings.empty()) break;
    const Reading& first = readings.front();
    const Reading& last = readings.back();
    const double elapsed = Elapsed(readings, 0, n);
    state.SetIterationTime(elapsed);
    ns_total += 1e9 * elapsed / static_cast<double>(n);
    rss_total += static_cast<double>(last.memory.resident_bytes - first.memory.resident_bytes) /
                 static_cast<double>(n);
    heap_total += static_cast<double>(last.memory.heap_bytes - first.memory.heap_bytes) /
                  static_cast<double>(n);
    const Reading* k1 = At(readings, 1'000);
    const Reading* k10 = At(readings, 10'000);
    const Reading* k100 = At(readings, 100'000);
    const Reading* k1000 = At(readings, 1'000'000);
    auto ns_per = [&](const Reading& a, const Reading& b) {
      return 1e9 * Elapsed(readings, a.count, b.count) / static_cast<double>(b.count - a.count);
    };
    auto rss_per = [](const Reading& a, const Reading& b) {
      return static_cast<double>(b.memory.resident_bytes - a.memory.resident_bytes) /
             static_cast<double>(b.count - a.count);
    };
    if (k1 != nullptr && k10 != nullptr) {
      ns_1k_10k += ns_per(*k1, *k10);
      rss_1k_10k += rss_per(*k1, *k10);
    }
    if (k10 != nullptr && k100 != nullptr) {
      ns_10k_100k += ns_per(*k10, *k100);
      rss_10k_100k += rss_per(*k10, *k100);
    }
    if (k100 != nullptr && k1000 != nullptr) {
      ns_100k_1m += ns_per(*k100, *k1000);
      rss_100k_1m += rss_per(*k100, *k1000);
    }
    ++iterations;
    // The world is torn down here, outside the measured time (manual timing).
  }
  if (iterations == 0) return;
  const double it = static_cast<double>(iterations);
  state.counters["ns_per_conn"] = ns_total / it;
  state.counters["bytes_per_conn"] = rss_total / it;
  state.counters["heap_bytes_per_conn"] = heap_total / it;
  if (n >= 10'000) {
    state.counters["ns_per_conn_1k_10k"] = ns_1k_10k / it;
    state.counters["bytes_per_conn_1k_10k"] = rss_1k_10k / it;
  }
  if (n >= 100'000) {
    state.counters["ns_per_conn_10k_100k"] = ns_10k_100k / it;
    state.counters["bytes_per_conn_10k_100k"] = rss_10k_100k / it;
    state.counters["incremental_ratio"] = ns_10k_100k / ns_1k_10k;
  }
  if (n >= 1'000'000) {
    state.counters["ns_per_conn_100k_1m"] = ns_100k_1m / it;
    state.counters["bytes_per_conn_100k_1m"] = rss_100k_1m / it;
    state.counters["incremental_ratio_1m"] = ns_100k_1m / ns_1k_10k;
  }
  state.SetItemsProcessed(n * iterations);
}

BENCHMARK(BM_OpenConnections)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace socksim::bench
