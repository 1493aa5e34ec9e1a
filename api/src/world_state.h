// File: api/src/world_state.h
// What a socksim::World holds behind its public face: the simulated world, the neutral stack,
// each personality (made when its first process is spawned, as a scenario's bindings are),
// the links, and the recent-calls trace. Also the per-system adapter (SystemCalls) through
// which the typed helpers of process.cc reach each personality: one generic helper each, so
// placing caller memory and reading names back is written once.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/process.h"
#include "sim/world.h"
#include "socksim/process.h"
#include "socksim/result.h"
#include "socksim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/call_result.h"

namespace socksim::stack::linux_abi {
class LinuxPersonality;
}
namespace socksim::stack::windows_abi {
class Winsock;
}
namespace socksim::stack::illumos_abi {
class Illumos;
}

namespace socksim::detail {

/// One system's side of the typed helpers: its numbers, its sockaddr bytes, its calls.
class SystemCalls {
 public:
  virtual ~SystemCalls() = default;
  virtual System system() const = 0;
  /// sizeof(struct sockaddr_storage) (SOCKADDR_STORAGE).
  virtual std::uint32_t storage_size() const = 0;
  virtual int DomainNumber(Domain d) const = 0;
  virtual int TypeNumber(Type t) const = 0;
  virtual int ShutdownNumber(ShutdownHow how) const = 0;
  /// The sockaddr bytes a C program of this system passes for `address`.
  virtual std::vector<std::uint8_t> Encode(const Address& address) const = 0;
  /// A returned name's bytes decoded; nullopt for bytes this system's codec cannot read.
  virtual std::optional<Address> Decode(std::span<const std::uint8_t> bytes) const = 0;

  virtual stack::CallResult Socket(sim::Process& p, int domain, int type, int protocol) = 0;
  virtual stack::CallResult Bind(sim::Process& p, Handle s, Pointer addr, std::uint32_t len) = 0;
  virtual stack::CallResult Listen(sim::Process& p, Handle s, int backlog) = 0;
  virtual stack::CallResult Connect(sim::Process& p, Handle s, Pointer addr,
                                    std::uint32_t len) = 0;
  virtual stack::CallResult Accept(sim::Process& p, Handle s, Pointer addr, Pointer len) = 0;
  virtual stack::CallResult GetName(sim::Process& p, Handle s, Pointer addr, Pointer len,
                                    bool peer) = 0;
  virtual stack::CallResult Send(sim::Process& p, Handle s, Pointer buf, std::uint64_t len) = 0;
  virtual stack::CallResult Recv(sim::Process& p, Handle s, Pointer buf, std::uint64_t len) = 0;
  virtual stack::CallResult SendTo(sim::Process& p, Handle s, Pointer buf, std::uint64_t len,
                                   Pointer to, std::uint32_t tolen) = 0;
  virtual stack::CallResult RecvFrom(sim::Process& p, Handle s, Pointer buf, std::uint64_t len,
                                     Pointer from, Pointer fromlen) = 0;
  virtual stack::CallResult Shutdown(sim::Process& p, Handle s, int how) = 0;
  virtual stack::CallResult Close(sim::Process& p, Handle s) = 0;
  virtual void Exit(sim::Process& p, int status) = 0;
  /// errno / the last error of the process's main thread (0 when never set).
  virtual int LastError(sim::Process& p) const = 0;
  /// What a call's result does to the caller's error state beyond the personality's own
  /// bookkeeping (Linux's syscall wrapper stores errno; ws2 and illumos's libc store theirs).
  virtual void AfterCall(sim::Process& p, const stack::CallResult& r) const = 0;
};

std::unique_ptr<SystemCalls> MakeLinuxCalls(stack::linux_abi::LinuxPersonality& personality);
std::unique_ptr<SystemCalls> MakeWindowsCalls(stack::windows_abi::Winsock& personality);
std::unique_ptr<SystemCalls> MakeIllumosCalls(stack::illumos_abi::Illumos& personality);

struct WorldState {
  explicit WorldState(const WorldOptions& options);
  ~WorldState();

  WorldOptions options;
  sim::World world;
  stack::Stack stack;
  std::unique_ptr<stack::linux_abi::LinuxPersonality> linux_personality;
  std::unique_ptr<stack::windows_abi::Winsock> windows_personality;
  std::unique_ptr<stack::illumos_abi::Illumos> illumos_personality;
  std::unique_ptr<SystemCalls> calls[3];
  std::vector<sim::LinkId> links;
  std::deque<std::string> recent;

  stack::linux_abi::LinuxPersonality& Linux();
  stack::windows_abi::Winsock& Windows();
  stack::illumos_abi::Illumos& Illumos();
  SystemCalls& Calls(System system);

  /// The process `pid`; throws std::logic_error when it has exited (its handle is stale).
  sim::Process& ProcessOf(int pid);

  /// A personality's CallResult as a public Result (no name or data yet).
  static Result ToResult(System system, std::string call, const stack::CallResult& r,
                         bool t_error = false);
  /// Appends "[time] pid system call(args) = outcome" to the recent calls.
  void Record(int pid, const Result& r, const std::string& args);
};

/// "0x10000" (pointers in the trace).
std::string Hex(std::uint64_t v);
/// Joins already formatted arguments with ", ".
std::string Args(std::initializer_list<std::string> args);

}  // namespace socksim::detail
