// File: tools/personality/linux/syscall_binder.h
// The Linux call table's binder, shared by the files that hold its handlers
// (syscall_table.cc: sockets, names, options, processes; descriptor_calls.cc: fcntl, ioctl,
// pipes, eventfds, vectored and batched I/O; readiness_calls.cc: poll, select, epoll): the
// generic CallBinder with Linux's constants,
// the backend that runs the call, and the struct msghdr layout both message calls use.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tools/personality/linux/backend.h"
#include "tools/personality/linux/sockaddr_values.h"
#include "tools/personality/linux/symbols.h"
#include "tools/personality/linux/syscall_table.h"
#include "tools/scenario/call_binder.h"

namespace socksim::tools {

namespace linux_binder_detail {
// The backend's memory for `thread`'s process, once the backend knows a call begins.
inline sim::AddressSpace& BeginCall(LinuxBackend& backend, sim::Thread& thread) {
  backend.BeginCall(thread.process());
  return backend.Memory(thread.process());
}
}  // namespace linux_binder_detail

/// Binds one call's arguments (the generic CallBinder with Linux's constants) and runs it
/// through the backend, recording errno as glibc does.
class LinuxCallTable::Binder : public CallBinder {
 public:
  Binder(LinuxBackend& backend, const CallLine& call, sim::Thread& thread, bool may_wait)
      : CallBinder(linux_binder_detail::BeginCall(backend, thread), call, thread, may_wait,
                   &linux_symbols::Lookup),
        backend_(backend) {}

  /// Runs the call and records its result.
  void Sys(LinuxSyscall call, SyscallArgs args) {
    Finish(backend_.Invoke(thread(), call, args, may_wait()));
  }

  /// The text strace prints in parentheses after a successful result (poll's
  /// `([{fd=3, revents=POLLIN}])`, select's `(in [3], left {...})`, `(Timeout)`), kept where
  /// the parser keeps it (Outcome::annotation).
  void Annotate(std::string text) {
    if (out().result.succeeded()) out().outcome.annotation = std::move(text);
  }
  LinuxBackend& backend() { return backend_; }

  /// A descriptor argument (an int), remembered for explanations.
  int Fd(std::size_t i) {
    const int fd = static_cast<int>(Word(i));
    if (fd >= -1) NoteHandle(fd);
    return fd;
  }

  /// An input sockaddr placed in memory and padded to `len` bytes (to at most
  /// sizeof(struct sockaddr_storage): the kernel rejects a longer length before reading).
  sim::UserAddress InSockaddr(std::size_t i, std::uint64_t len) {
    return CallBinder::InSockaddr(i, len, stack::linux_abi::kSockaddrStorageSize,
                                  &LinuxSockaddrBytes);
  }

  /// Prints a returned sockaddr (the first min(in, out) bytes) on success.
  void PrintSockaddr(std::size_t i, sim::UserAddress at, sim::UserAddress len_cell,
                     std::uint32_t in) {
    CallBinder::PrintSockaddr(i, at, len_cell, in, &LinuxSockaddrValue);
  }

 private:
  void Finish(stack::CallResult r) {
    SetResult(r);
    // glibc's wrapper: a failed call leaves its error in the calling thread's errno.
    stack::linux_abi::RecordErrno(thread(), r);
    Outcome o;
    o.location = call().outcome ? call().outcome->location : call().location;
    o.value = r.value;
    o.value_text = std::to_string(r.value);
    if (r.failed() && r.code) {
      const auto info = stack::linux_abi::ErrnoByValue(*r.code);
      o.error_symbol = info ? std::string(info->symbol) : std::to_string(*r.code);
      o.error_text = info ? std::string(info->message) : "";
    }
    out().outcome = o;
  }

  LinuxBackend& backend_;
};

/// The handlers of a Linux call table, by call name.
using LinuxHandlers = std::map<std::string, std::function<void(LinuxCallTable::Binder&)>>;

/// A struct msghdr laid out in caller memory (x86-64, 56 bytes) and where its parts are.
struct BuiltMsghdr {
  sim::UserAddress msghdr = 0;
  sim::UserAddress name = 0;
  std::uint32_t namelen = 0;
  std::vector<std::pair<sim::UserAddress, std::uint64_t>> iov;  // base, length
  sim::UserAddress control = 0;
  std::uint64_t controllen = 0;
};

/// Lays out a struct msghdr at `at` (or freshly allocated when `at` is 0) from its strace form.
/// For sendmsg the iov_base strings and cmsg_data are inputs; for recvmsg they are output
/// room. msg_control may be left out, as strace leaves it out when msg_controllen is 0.
BuiltMsghdr BuildMsghdr(LinuxCallTable::Binder& b, const Value& v, bool sending,
                        sim::UserAddress at = 0);
/// The msghdr after recvmsg, as strace prints it (in the shape of the given one).
Value PrintReceivedMsghdr(LinuxCallTable::Binder& b, const Value& given, const BuiltMsghdr& m,
                          std::int64_t received);

/// Adds fcntl, ioctl, pipe/pipe2, eventfd/eventfd2, read/write, readv/writev and
/// sendmmsg/recvmmsg (descriptor_calls.cc).
void AddDescriptorCalls(LinuxHandlers& handlers);

/// Registers poll, ppoll, select, pselect6, epoll_create, epoll_create1, epoll_ctl,
/// epoll_wait and epoll_pwait (readiness_calls.cc).
void RegisterReadinessCalls(LinuxHandlers& handlers);

}  // namespace socksim::tools
