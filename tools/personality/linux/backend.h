// File: tools/personality/linux/backend.h
// Where the Linux call table's system calls run. The call table lays out each call's arguments
// in the backend's memory and prints the results from it; the backend only executes: in the
// simulator (SimulatedLinuxBackend) or on the host kernel (tools/personality/linux/host). One binder and one
// printer serve both, so a scenario is checked the same way against either.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/address_space.h"
#include "sim/process.h"
#include "stack/personality/call_result.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::tools {

/// The system calls the Linux call table issues. Arguments are those of the Linux syscall
/// (pointers are addresses in the backend's memory), except kFork: args[0] is the child pid
/// the line names (0 for any).
enum class LinuxSyscall {
  kSocket,
  kSocketpair,
  kBind,
  kConnect,
  kListen,
  kAccept4,  // accept is accept4 with flags 0, as glibc issues it
  kGetsockname,
  kGetpeername,
  kShutdown,
  kClose,
  kDup,
  kDup2,
  kDup3,
  kSendto,
  kRecvfrom,
  kSendmsg,
  kRecvmsg,
  kSetsockopt,
  kGetsockopt,
  kOpenat,  // (dirfd, path address, flags)
  kSetresuid,
  kSetresgid,
  kFork,
  kCloneThread,  // clone(CLONE_THREAD): args[0] is the thread id the line names (0 for any)
  kExecve,       // the descriptor side of execve(2) only: close-on-exec descriptors close
  kRead,
  kWrite,
  kReadv,
  kWritev,
  kFcntl,
  kIoctl,
  kPipe2,
  kEventfd2,
  kSendmmsg,
  kRecvmmsg,
  // Readiness (the syscalls' own arguments).
  kPoll,
  kPpoll,
  kSelect,
  kPselect6,
  kEpollCreate,
  kEpollCreate1,
  kEpollCtl,
  kEpollWait,
  kEpollPwait,
  // Path calls (path_calls.h): unlink and rename arrive as these with AT_FDCWD.
  kUnlinkat,   // (dirfd, path address, flags)
  kRenameat2,  // (olddirfd, old path address, newdirfd, new path address, flags)
};

using SyscallArgs = std::array<std::int64_t, 6>;

/// An executor of Linux system calls for scenario processes.
class LinuxBackend {
 public:
  virtual ~LinuxBackend() = default;

  /// Called before the arguments of a call are laid out.
  virtual void BeginCall(sim::Process& process) { (void)process; }
  /// The memory the call's arguments are written to and its outputs read from.
  virtual sim::AddressSpace& Memory(sim::Process& process) = 0;
  /// Runs one call on `thread`. When `may_wait` is false and the call would have to wait for
  /// another process, the result is {blocked} (for the simulator: without any effect).
  virtual stack::CallResult Invoke(sim::Thread& thread, LinuxSyscall call,
                                   const SyscallArgs& args, bool may_wait) = 0;
  /// One line per descriptor: the state behind it.
  virtual std::vector<std::string> Explain(sim::Process& process,
                                           const std::vector<std::int64_t>& fds) = 0;
};

/// The simulator: calls go to the Linux personality, memory is the process's own.
class SimulatedLinuxBackend final : public LinuxBackend {
 public:
  explicit SimulatedLinuxBackend(stack::linux_abi::LinuxPersonality& linux_calls)
      : linux_(linux_calls) {}

  sim::AddressSpace& Memory(sim::Process& process) override { return process.memory(); }
  stack::CallResult Invoke(sim::Thread& thread, LinuxSyscall call, const SyscallArgs& args,
                           bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& fds) override;

 private:
  stack::linux_abi::LinuxPersonality& linux_;
};

}  // namespace socksim::tools
