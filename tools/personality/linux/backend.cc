// File: tools/personality/linux/backend.cc
// The simulated backend: dispatch to LinuxPersonality, and "try without waiting" for calls
// that start at an <unfinished ...> line.
#include "tools/personality/linux/backend.h"

#include <fmt/format.h>

#include "stack/core/socket.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"

namespace socksim::tools {

namespace la = stack::linux_abi;

namespace {

// A NUL-terminated path from caller memory (at most PATH_MAX bytes).
std::optional<std::string> ReadPath(const sim::AddressSpace& mem, sim::UserAddress at) {
  std::string path;
  for (std::size_t i = 0; i < 4096; ++i) {
    const auto byte = mem.Peek(at + i, 1);
    if (!byte) return std::nullopt;
    if ((*byte)[0] == 0) return path;
    path += static_cast<char>((*byte)[0]);
  }
  return std::nullopt;
}

}  // namespace

stack::CallResult SimulatedLinuxBackend::Invoke(sim::Thread& thread, LinuxSyscall call,
                                                const SyscallArgs& a, bool may_wait) {
  sim::Process& p = thread.process();
  const auto i = [&](int k) { return static_cast<int>(a[k]); };
  const auto u = [&](int k) { return static_cast<sim::UserAddress>(a[k]); };
  const auto len = [&](int k) { return static_cast<std::uint32_t>(a[k]); };
  // A call that might wait runs non-blocking first when it must not wait; EAGAIN then means
  // "would block" and the call had no effect (the runner retries it at its resumed line).
  // `msg_flags`: a receive's flags; with MSG_DONTWAIT the call never waits (Linux's
  // sock_rcvtimeo(sk, flags & MSG_DONTWAIT), include/net/sock.h, gives it no timeout), so its
  // EAGAIN is its result, as on a non-blocking descriptor.
  const auto maybe_waiting = [&](int fd, auto&& run, int msg_flags = 0) -> stack::CallResult {
    const auto* entry = fd < 0 ? nullptr : p.fds().Lookup(static_cast<sim::Handle>(fd));
    if (may_wait || entry == nullptr || entry->description->flags().nonblocking ||
        (msg_flags & la::kMsgDontwait) != 0) {
      return run();
    }
    entry->description->flags().nonblocking = true;
    linux_.set_trying(true);
    const stack::CallResult r = run();
    linux_.set_trying(false);
    entry->description->flags().nonblocking = false;
    if (r.failed() && r.code == la::kEAGAIN) return stack::CallResult::Blocked();
    return r;
  };
  switch (call) {
    case LinuxSyscall::kSocket:
      return linux_.Socket(p, i(0), i(1), i(2));
    case LinuxSyscall::kSocketpair:
      return linux_.Socketpair(p, i(0), i(1), i(2), u(3));
    case LinuxSyscall::kBind:
      return linux_.Bind(p, i(0), u(1), len(2));
    case LinuxSyscall::kConnect:
      return linux_.Connect(p, i(0), u(1), len(2));
    case LinuxSyscall::kListen:
      return linux_.Listen(p, i(0), i(1));
    case LinuxSyscall::kAccept4:
      return maybe_waiting(i(0), [&] { return linux_.Accept4(p, i(0), u(1), u(2), i(3)); });
    case LinuxSyscall::kGetsockname:
      return linux_.Getsockname(p, i(0), u(1), u(2));
    case LinuxSyscall::kGetpeername:
      return linux_.Getpeername(p, i(0), u(1), u(2));
    case LinuxSyscall::kShutdown:
      return linux_.Shutdown(p, i(0), i(1));
    case LinuxSyscall::kClose:
      return linux_.Close(p, i(0));
    case LinuxSyscall::kDup:
      return linux_.Dup(p, i(0));
    case LinuxSyscall::kDup2:
      return linux_.Dup2(p, i(0), i(1));
    case LinuxSyscall::kDup3:
      return linux_.Dup3(p, i(0), i(1), i(2));
    case LinuxSyscall::kSendto:
      return linux_.Sendto(p, i(0), u(1), static_cast<std::uint64_t>(a[2]), i(3), u(4), len(5));
    case LinuxSyscall::kRecvfrom:
      return maybe_waiting(
          i(0),
          [&] {
            return linux_.Recvfrom(p, i(0), u(1), static_cast<std::uint64_t>(a[2]), i(3), u(4),
                                   u(5));
          },
          i(3));
    case LinuxSyscall::kSendmsg:
      return linux_.Sendmsg(p, i(0), u(1), i(2));
    case LinuxSyscall::kRecvmsg:
      return maybe_waiting(i(0), [&] { return linux_.Recvmsg(p, i(0), u(1), i(2)); }, i(2));
    case LinuxSyscall::kSetsockopt:
      return linux_.Setsockopt(p, i(0), i(1), i(2), u(3), len(4));
    case LinuxSyscall::kGetsockopt:
      return linux_.Getsockopt(p, i(0), i(1), i(2), u(3), u(4));
    case LinuxSyscall::kOpenat: {
      // The simulator has no file system: any path opens, as a character device under /dev
      // and as a regular file elsewhere, with the caller's flags (O_PATH: path-only).
      const auto path = ReadPath(p.memory(), u(1));
      if (!path) return stack::CallResult::Failure(-1, la::kEFAULT);
      return linux_.Openat(p, *path, static_cast<std::uint32_t>(a[2]));
    }
    case LinuxSyscall::kUnlinkat: {
      const auto path = ReadPath(p.memory(), u(1));
      if (!path) return stack::CallResult::Failure(-1, la::kEFAULT);
      return linux_.Unlinkat(p, i(0), *path, i(2));
    }
    case LinuxSyscall::kRenameat2: {
      const auto from = ReadPath(p.memory(), u(1));
      const auto to = ReadPath(p.memory(), u(3));
      if (!from || !to) return stack::CallResult::Failure(-1, la::kEFAULT);
      return linux_.Renameat2(p, i(0), *from, i(2), *to, static_cast<unsigned>(a[4]));
    }
    case LinuxSyscall::kSetresuid:
      return linux_.Setresuid(p, static_cast<sim::Uid>(a[0]), static_cast<sim::Uid>(a[1]),
                              static_cast<sim::Uid>(a[2]));
    case LinuxSyscall::kSetresgid:
      return linux_.Setresgid(p, static_cast<sim::Gid>(a[0]), static_cast<sim::Gid>(a[1]),
                              static_cast<sim::Gid>(a[2]));
    case LinuxSyscall::kFork: {
      std::optional<sim::Pid> child;
      if (a[0] > 0) child = static_cast<sim::Pid>(a[0]);
      return linux_.Fork(p, child);
    }
    case LinuxSyscall::kExecve:
      return linux_.Execve(p);
    case LinuxSyscall::kCloneThread: {
      std::optional<sim::Tid> tid;
      if (a[0] > 0) tid = static_cast<sim::Tid>(a[0]);
      return linux_.CloneThread(p, tid);
    }
    case LinuxSyscall::kRead:
      return maybe_waiting(i(0), [&] {
        return linux_.Read(p, i(0), u(1), static_cast<std::uint64_t>(a[2]));
      });
    case LinuxSyscall::kWrite:
      return maybe_waiting(i(0), [&] {
        return linux_.Write(p, i(0), u(1), static_cast<std::uint64_t>(a[2]));
      });
    case LinuxSyscall::kReadv:
      return maybe_waiting(i(0), [&] { return linux_.Readv(p, i(0), u(1), i(2)); });
    case LinuxSyscall::kWritev:
      return maybe_waiting(i(0), [&] { return linux_.Writev(p, i(0), u(1), i(2)); });
    case LinuxSyscall::kFcntl:
      return linux_.Fcntl(p, i(0), i(1), static_cast<std::uint64_t>(a[2]));
    case LinuxSyscall::kIoctl:
      return linux_.Ioctl(p, i(0), static_cast<std::uint32_t>(a[1]), u(2));
    case LinuxSyscall::kPipe2:
      return linux_.Pipe2(p, u(0), i(1));
    case LinuxSyscall::kEventfd2:
      return linux_.Eventfd2(p, static_cast<std::uint32_t>(a[0]), i(1));
    case LinuxSyscall::kSendmmsg:
      return linux_.Sendmmsg(p, i(0), u(1), len(2), i(3));
    case LinuxSyscall::kRecvmmsg:
      return maybe_waiting(
          i(0), [&] { return linux_.Recvmmsg(p, i(0), u(1), len(2), i(3), u(4)); }, i(3));
    case LinuxSyscall::kPoll:
      return linux_.Poll(p, u(0), static_cast<std::uint64_t>(a[1]), i(2), may_wait);
    case LinuxSyscall::kPpoll:
      return linux_.Ppoll(p, u(0), static_cast<std::uint64_t>(a[1]), u(2), u(3),
                          static_cast<std::uint64_t>(a[4]), may_wait);
    case LinuxSyscall::kSelect:
      return linux_.Select(p, i(0), u(1), u(2), u(3), u(4), may_wait);
    case LinuxSyscall::kPselect6:
      return linux_.Pselect6(p, i(0), u(1), u(2), u(3), u(4), u(5), may_wait);
    case LinuxSyscall::kEpollCreate:
      return linux_.EpollCreate(p, i(0));
    case LinuxSyscall::kEpollCreate1:
      return linux_.EpollCreate1(p, i(0));
    case LinuxSyscall::kEpollCtl:
      return linux_.EpollCtl(p, i(0), i(1), i(2), u(3));
    case LinuxSyscall::kEpollWait:
      return linux_.EpollWait(p, i(0), u(1), i(2), i(3), may_wait);
    case LinuxSyscall::kEpollPwait:
      return linux_.EpollPwait(p, i(0), u(1), i(2), i(3), u(4), static_cast<std::uint64_t>(a[5]),
                               may_wait);
  }
  return stack::CallResult::Failure(-1, la::kEINVAL);
}

std::vector<std::string> SimulatedLinuxBackend::Explain(sim::Process& process,
                                                        const std::vector<std::int64_t>& fds) {
  std::vector<std::string> lines;
  for (std::int64_t fd : fds) {
    const sim::FdEntry* entry =
        fd < 0 ? nullptr : process.fds().Lookup(static_cast<sim::Handle>(fd));
    if (entry == nullptr) {
      lines.push_back(fmt::format("fd {}: not open in pid {}", fd, process.pid()));
      continue;
    }
    const auto& object = entry->description->object();
    if (object->kind() == sim::FileKind::kSocket) {
      const auto socket = std::static_pointer_cast<stack::Socket>(object);
      lines.push_back(fmt::format("fd {}: {}", fd, socket->Describe()));
    } else {
      lines.push_back(fmt::format("fd {}: {}", fd, sim::ToString(object->kind())));
    }
  }
  return lines;
}

}  // namespace socksim::tools
