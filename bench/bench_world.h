// File: bench/bench_world.h
// What the benchmarks share: a one-host simulated world (only the loopback interface, so every
// address in 127.0.0.0/8 is local) with one Linux process whose caller buffers are placed once
// and reused, as a real program reuses its own sockaddr and length variables; and readings of
// this process's resident memory and heap, taken from the kernel and the C library rather than
// estimated from object sizes.
#pragma once

#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::bench {

/// A world with one host "a" and one Linux process (pid 100, uid 1000) on it.
class LoopbackWorld {
 public:
  /// `descriptor_limit` replaces the RLIMIT_NOFILE of 1024 that SetUpProcess gives.
  explicit LoopbackWorld(std::uint64_t descriptor_limit = 1024, std::uint64_t seed = 1)
      : world_(sim::WorldOptions{.seed = seed}), stack_(world_), linux_(stack_) {
    const sim::NodeId node = world_.topology().AddNode("a", sim::NodeKind::kHost);
    process_ =
        &world_.Spawn({.pid = 100, .node = node, .credentials = sim::Credentials::Of(1000, 1000)});
    linux_.SetUpProcess(*process_);
    process_->fds().set_limit(descriptor_limit);
  }

  /// The simulated world.
  sim::World& world() { return world_; }
  /// The neutral stack (its live-socket count shows what stayed open).
  stack::Stack& stack() { return stack_; }
  /// The Linux system calls, made as `process()`.
  stack::linux_abi::LinuxPersonality& linux_calls() { return linux_; }
  /// The process every call is made by (pid 100).
  sim::Process& process() { return *process_; }

  /// A struct sockaddr_in for ip:port, placed in fresh caller memory; returns its address.
  sim::UserAddress Inet(const std::string& ip, std::uint16_t port) {
    const auto bytes = stack::linux_abi::Encode(
        stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
    const sim::UserAddress at = process_->memory().Allocate(bytes.size());
    (void)process_->memory().Poke(at, bytes);
    return at;
  }
  /// A caller buffer of `size` bytes (a sockaddr_storage, an int[2]).
  sim::UserAddress Buffer(std::uint64_t size) { return process_->memory().Allocate(size); }

 private:
  sim::World world_;
  stack::Stack stack_;
  stack::linux_abi::LinuxPersonality linux_;
  sim::Process* process_ = nullptr;
};

/// Two hosts on a 1 ms link ("a" 10.0.0.1 with a client process, pid 100; "b" 10.0.0.2 with a
/// server process, pid 200), both Linux.
class LinkedWorld {
 public:
  explicit LinkedWorld(std::uint64_t seed = 1)
      : world_(sim::WorldOptions{.seed = seed}), stack_(world_), linux_(stack_) {
    auto& t = world_.topology();
    const sim::NodeId a = t.AddNode("a", sim::NodeKind::kHost);
    const sim::NodeId b = t.AddNode("b", sim::NodeKind::kHost);
    t.AddLink(a, b, sim::Duration::Milliseconds(1));
    t.AddAddress(t.node(a).interfaces[1], *sim::IpAddress::Parse("10.0.0.1"), 24);
    t.AddAddress(t.node(b).interfaces[1], *sim::IpAddress::Parse("10.0.0.2"), 24);
    client_ = &world_.Spawn({.pid = 100, .node = a, .credentials = sim::Credentials::Of(1000, 1000)});
    server_ = &world_.Spawn({.pid = 200, .node = b, .credentials = sim::Credentials::Of(0, 0)});
    linux_.SetUpProcess(*client_);
    linux_.SetUpProcess(*server_);
  }

  stack::linux_abi::LinuxPersonality& linux_calls() { return linux_; }
  sim::Process& client() { return *client_; }
  sim::Process& server() { return *server_; }

  /// A struct sockaddr_in for ip:port in `p`'s memory.
  static sim::UserAddress Inet(sim::Process& p, const std::string& ip, std::uint16_t port) {
    const auto bytes = stack::linux_abi::Encode(
        stack::SocketAddress{sim::Endpoint{*sim::IpAddress::Parse(ip), port}});
    const sim::UserAddress at = p.memory().Allocate(bytes.size());
    (void)p.memory().Poke(at, bytes);
    return at;
  }

 private:
  sim::World world_;
  stack::Stack stack_;
  stack::linux_abi::LinuxPersonality linux_;
  sim::Process* client_ = nullptr;
  sim::Process* server_ = nullptr;
};

/// This process's memory at one moment.
struct MemoryReading {
  std::int64_t resident_bytes = 0;  // /proc/self/statm, second field, times the page size
  std::int64_t heap_bytes = 0;      // mallinfo2: bytes in use in the heap and in mmap'ed blocks
};

/// Reads resident memory and heap use. With `trim`, free heap memory is first returned to the
/// kernel (malloc_trim), so that what an earlier iteration freed does not hide what this one
/// allocates.
inline MemoryReading ReadMemory(bool trim) {
  if (trim) (void)malloc_trim(0);
  MemoryReading r;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    long long size = 0;
    long long resident = 0;
    if (std::fscanf(f, "%lld %lld", &size, &resident) == 2) {
      r.resident_bytes = resident * static_cast<long long>(sysconf(_SC_PAGESIZE));
    }
    std::fclose(f);
  }
  const struct mallinfo2 info = mallinfo2();
  r.heap_bytes = static_cast<std::int64_t>(info.uordblks + info.hblkhd);
  return r;
}

}  // namespace socksim::bench
