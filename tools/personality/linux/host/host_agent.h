// File: tools/personality/linux/host/host_agent.h
// The host side of `socksim run --host`: a coordinator process that owns a private network
// namespace (loopback up, the scenario's addresses on `lo`), and one agent process per
// scenario process, a child of the coordinator, that runs the calls it is sent on its request
// channel with the declared credentials and descriptor table.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace socksim::tools::host {

/// A descriptor a process has from the start (`fd PID N kind=...`).
struct InheritedFd {
  int number = 0;
  bool pipe = false;  // a pipe's read end; anything else is /dev/null
};

/// One agent to start.
struct AgentSpec {
  int scenario_pid = 0;
  std::uint32_t ruid = 0, euid = 0, suid = 0;
  std::uint32_t rgid = 0, egid = 0, sgid = 0;
  std::vector<std::uint32_t> groups;
  bool stdio = true;
  int fd_limit = 1024;
  std::vector<InheritedFd> fds;
  std::string cwd = "/";  // working directory (pathname sockets are created there)
};

/// An address for `lo` in the private namespace.
struct LoAddress {
  int family = 0;                 // AF_INET or AF_INET6
  std::uint8_t bytes[16] = {};
  int prefix = 32;
  std::string text;               // for messages
};

/// A running coordinator and the request channels of its first agents.
struct Coordinator {
  pid_t pid = -1;
  int control = -1;               // closing it (or sending a frame) stops the coordinator
  bool isolated = false;          // false: running in socksim's own namespace
  std::vector<int> channels;      // parallel to the specs
  std::vector<pid_t> real_pids;   // parallel to the specs
};

/// Forks the coordinator, which enters a new network namespace (falling back to the current
/// one when that is not permitted), configures `lo`, and starts one agent per spec. Returns
/// false with `error` set (and nothing left running) on failure.
bool StartCoordinator(const std::vector<AgentSpec>& specs, const std::vector<LoAddress>& addresses,
                      Coordinator* out, std::string* error);

/// Stops every process of the coordinator (agents and their descendants) and reaps it. Safe
/// to call on a coordinator that failed to start or already stopped.
void StopCoordinator(Coordinator* c);

}  // namespace socksim::tools::host
