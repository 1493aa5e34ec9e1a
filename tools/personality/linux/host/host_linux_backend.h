// File: tools/personality/linux/host/host_linux_backend.h
// The host kernel as a LinuxBackend: LinuxCallTable binds each call line in a staging memory
// (a fresh sim::AddressSpace per call), this backend sends the raw arguments and every staging
// region to the scenario process's agent (tools/personality/linux/host/host_agent.h), which maps the regions at
// the very same addresses, runs the real system call and sends the regions back; their
// contents are copied into the staging memory, where the call table reads its outputs exactly
// as it does from a simulated process.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/world.h"
#include "tools/personality/linux/host/host_agent.h"
#include "tools/personality/linux/host/host_wire.h"
#include "tools/personality/linux/backend.h"

namespace socksim::tools::host {

/// What became of a call that the kernel did not answer: it was not run because it is out of
/// the host's reach (a skip), or the host machinery failed (an error of the run).
struct HostProblem {
  bool skip = false;
  std::string message;
};

class HostLinuxBackend final : public LinuxBackend {
 public:
  /// Processes forked on the host are registered in `world` too (see Invoke).
  explicit HostLinuxBackend(sim::World& world) : world_(world) {}
  ~HostLinuxBackend() override;
  HostLinuxBackend(const HostLinuxBackend&) = delete;
  HostLinuxBackend& operator=(const HostLinuxBackend&) = delete;

  /// Creates the working directory and starts one agent per spec (their cwd is set to that
  /// directory) with `addresses` on lo; false with `error` set on failure.
  bool Start(std::vector<AgentSpec> specs, const std::vector<LoAddress>& addresses, std::string* error);

  void BeginCall(sim::Process& process) override;
  sim::AddressSpace& Memory(sim::Process& process) override;
  /// Runs the call in the process's agent. may_wait false: a call that has not answered after
  /// 200 ms stays running and {blocked} is returned; the same call invoked again with
  /// may_wait true collects its answer (within 10 s). A call that has not answered after 10 s
  /// is reported as blocked, and its process can run nothing further.
  stack::CallResult Invoke(sim::Thread& thread, LinuxSyscall call, const SyscallArgs& args,
                           bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& fds) override;

  /// The problem of the last Invoke, if it had one (cleared by the call).
  std::optional<HostProblem> TakeProblem();
  /// Ends the host process of scenario `pid`: _exit(status), or SIGKILL when `kill_it` (or
  /// when it is still inside a call).
  void EndProcess(int pid, bool kill_it, int status);

 private:
  // A call sent to an agent that has not answered yet.
  struct InFlight {
    Request request;
    bool resumable = false;  // started without waiting: its own Invoke will come to collect it
  };
  struct Proc {
    int channel = -1;
    pid_t real = -1;
    bool alive = true;
    std::optional<InFlight> inflight;
  };
  // IPv4 addresses of the scenario moved onto 127.0.0.0/8 when no namespace can be created.
  struct AddressMap {
    bool active = false;
    std::map<std::uint32_t, std::uint32_t> to_host;  // network order values
    std::map<std::uint32_t, std::uint32_t> to_scenario;
  };

  stack::CallResult Fail(bool skip, std::string message);
  stack::CallResult Fork(sim::Process& parent, Proc& proc, const SyscallArgs& args);
  stack::CallResult Complete(sim::Process& p, LinuxSyscall call, const SyscallArgs& args, const Request& request,
                             const Reply& reply);
  // Sends a request and waits `ms` for the reply; nullopt with *timed_out or *error set.
  bool Send(Proc& proc, const Request& request, std::string* error);
  std::optional<Reply> Await(Proc& proc, std::int64_t ms, std::string* error, bool* timed_out);
  // Rewrites the IPv4 sockaddrs of a call between scenario and loopback addresses.
  void MapAddresses(sim::AddressSpace& mem, LinuxSyscall call, const SyscallArgs& args, bool outbound) const;
  // Rewrites the pids of a sendmsg's or recvmsg's SCM_CREDENTIALS messages between scenario
  // and real pids.
  void MapCredentials(sim::AddressSpace& mem, LinuxSyscall call, const SyscallArgs& args,
                      bool to_real) const;
  std::int64_t ScenarioPidOf(std::int64_t real) const;
  std::string PeerName(Proc& proc, int fd, bool peer);

  sim::World& world_;
  Coordinator coordinator_;
  std::map<int, Proc> procs_;                                  // by scenario pid
  std::map<int, std::unique_ptr<sim::AddressSpace>> staging_;  // by scenario pid
  std::optional<HostProblem> problem_;
  AddressMap map_;
  std::string workdir_;  // the processes' working directory, removed at the end
};

}  // namespace socksim::tools::host
