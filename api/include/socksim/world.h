// File: api/include/socksim/world.h
// A simulated world as a test builds it: hosts, links with addresses, processes of any system
// with credentials, virtual time, cut links and armed faults, one call each. Everything in it
// is decided by the seed: the same calls give the same results and bytes on every run and
// machine. The world keeps its most recent calls as a trace (RecentCalls), which the testing
// fixture prints when a test fails.
//
// Programmer errors (a host declared twice, an unknown host, a malformed address) throw
// std::invalid_argument with the reason; simulated failures are Results, never exceptions.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "socksim/illumos.h"
#include "socksim/linux.h"
#include "socksim/process.h"
#include "socksim/result.h"
#include "socksim/windows.h"

namespace socksim {

using Duration = std::chrono::nanoseconds;

struct WorldOptions {
  /// Decides every random choice (ephemeral ports, initial sequence numbers, fault chances).
  std::uint64_t seed = 1;
  /// How many calls RecentCalls keeps (the oldest go first).
  std::size_t recent_calls = 64;
  /// The Linux kernel release to reproduce ("6.18", "5.4"; empty: the newest modelled).
  std::string linux_kernel;
  /// The Windows release to reproduce ("xp" ... "11"; empty: 11).
  std::string windows_release;
};

/// A link's two ends' addresses ("10.0.0.1/24", "fd00::1/64") and its one-way latency.
struct LinkOptions {
  std::vector<std::string> a_addresses;
  std::vector<std::string> b_addresses;
  Duration latency = std::chrono::microseconds(100);
};

/// Identifies a link for CutLink and RestoreLink.
struct Link {
  std::size_t id = 0;
};

/// Where and as whom a process runs.
struct ProcessOptions {
  std::string host;         // a host added with AddHost
  std::optional<int> pid;   // chosen by the world when absent
  std::uint32_t uid = 0;    // real, effective and saved
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> groups;
  /// Windows only: call WSAStartup(2.2) as the process starts, as nearly every program does
  /// (false: its calls fail with WSANOTINITIALISED until it calls WSAStartup itself).
  bool wsa_startup = true;
};

/// When an armed fault point fires (the world's fault points: "linux.getpeername.nobufs",
/// "net.drop", "illumos.malloc.enomem", ... docs/scenario-format.md).
struct FaultOptions {
  std::uint64_t skip = 0;   // let this many checks pass first
  std::uint64_t times = 1;  // then fail this many (kForever for no end)
  std::uint64_t chance_numerator = 1;  // and each only with this chance
  std::uint64_t chance_denominator = 1;
  static constexpr std::uint64_t kForever = UINT64_MAX;
};

class World {
 public:
  explicit World(WorldOptions options = {});
  ~World();
  World(World&&) noexcept;
  World& operator=(World&&) noexcept;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  std::uint64_t seed() const;

  // ---- topology ----
  /// A host; `loopback_addresses` are extra addresses on its lo ("fe80::1/64").
  void AddHost(std::string_view name, const std::vector<std::string>& loopback_addresses = {});
  /// A point-to-point link between two hosts, each end with its addresses.
  Link AddLink(std::string_view a, std::string_view b, const LinkOptions& options = {});
  /// Takes a link down (packets on it are lost) and brings it back up.
  void CutLink(Link link);
  void RestoreLink(Link link);

  // ---- processes ----
  LinuxProcess SpawnLinux(const ProcessOptions& options);
  WindowsProcess SpawnWindows(const ProcessOptions& options);
  IllumosProcess SpawnIllumos(const ProcessOptions& options);
  /// A process of `system`, driven through the typed helpers alone.
  Process Spawn(System system, const ProcessOptions& options);
  /// Windows: a layered provider, written as a scenario's `lsp` line after its keyword
  /// ("name=trace getpeername=override:0" ...: docs/scenario-format.md); before any Windows
  /// process starts. Throws std::invalid_argument with the reason when it cannot be installed.
  void InstallLayeredProvider(std::string_view spec);

  // ---- time and faults ----
  /// Virtual time since the world began.
  Duration now() const;
  /// Runs the world for `d` of virtual time (timers fire, packets arrive).
  void Advance(Duration d);
  /// Runs the world until nothing is left to happen.
  void Settle();
  /// Arms fault point `point` (a later call replaces the rule).
  void ArmFault(std::string_view point, const FaultOptions& options = {});

  // ---- what happened ----
  /// The most recent calls, oldest first, one line each: "[1.200ms] 100 linux
  /// getpeername(3, 0x10000, 0x10080) = -1 ENOTCONN (Transport endpoint is not connected)".
  std::vector<std::string> RecentCalls() const;

 private:
  std::unique_ptr<detail::WorldState> state_;
};

}  // namespace socksim
