// File: stack/personality/linux/readiness_calls.cc
// poll, ppoll, select, pselect6 and the epoll calls, with fs/select.c's and fs/eventpoll.c's
// order of checks, and Linux's mapping of a socket's neutral readiness (stack/core/readiness.h)
// to POLL*/EPOLL* bits as each protocol's poll method computes it. A wait runs the world in
// virtual time: until a descriptor is ready, or until the timeout, when the clock stands at
// the deadline and the call reports nothing ready.
#include <algorithm>
#include <array>
#include <functional>
#include <optional>

#include "sim/pipe.h"
#include "stack/core/readiness.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/epoll.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/eventfd.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

constexpr std::uint32_t kIn = kPollin | kPollrdnorm;
constexpr std::uint32_t kOut = kPollout | kPollwrnorm;
// DEFAULT_POLLMASK (include/linux/poll.h): a file without a poll method is always ready.
constexpr std::uint32_t kDefaultPollMask = kPollin | kPollout | kPollrdnorm | kPollwrnorm;
// fs/select.c: which events satisfy which fd set.
constexpr std::uint32_t kPollinSet = kPollrdnorm | kPollrdband | kPollin | kPollhup | kPollerr;
constexpr std::uint32_t kPolloutSet = kPollwrband | kPollwrnorm | kPollout | kPollerr;
constexpr std::uint32_t kPollexSet = kPollpri;
// sizeof(struct pollfd), sizeof(struct epoll_event) (packed on x86-64), sizeof(sigset_t).
constexpr std::uint64_t kPollfdSize = 8;
constexpr std::uint64_t kEpollEventSize = 12;
constexpr std::uint64_t kSigsetSize = 8;
// EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event).
constexpr int kEpMaxEvents = 0x7fffffff / static_cast<int>(kEpollEventSize);
// EPOLLEXCLUSIVE_OK_BITS (fs/eventpoll.c).
constexpr std::uint32_t kExclusiveOk = kEpollin | kEpollout | kEpollerr | kEpollhup |
                                       kEpollwakeup | static_cast<std::uint32_t>(kEpollet) |
                                       kEpollexclusive;

// net/ipv4/tcp.c tcp_poll (a listener: inet_csk_listen_poll).
std::uint32_t TcpPoll(const Readiness& r) {
  if (r.phase == ConnectionPhase::kListening) return r.readable ? kIn : 0;
  std::uint32_t mask = 0;
  // "EPOLLHUP is certainly not done right. But poll() doesn't have a notion of a write-only
  // shutdown": SHUTDOWN_MASK or TCP_CLOSE.
  if (r.hang_up || r.phase == ConnectionPhase::kUnconnected) mask |= kPollhup;
  if (r.read_hang_up) mask |= kIn | kPollrdhup;
  // Connected or passive Fast Open socket: SYN-SENT reports nothing more.
  if (r.phase != ConnectionPhase::kConnecting) {
    if (r.readable) mask |= kIn;
    // Writable while the send buffer has room; after SEND_SHUTDOWN always (a send fails).
    if (r.write_hang_up || r.writable) mask |= kOut;
    if (r.priority) mask |= kPollpri;
  }
  if (r.error) mask |= kPollerr;
  return mask;
}

// net/core/datagram.c datagram_poll, as udp_poll uses it.
std::uint32_t DatagramPoll(const Readiness& r) {
  std::uint32_t mask = 0;
  if (r.error) mask |= kPollerr;
  if (r.read_hang_up) mask |= kPollrdhup | kIn;
  if (r.hang_up) mask |= kPollhup;
  if (r.readable) mask |= kIn;
  if (r.writable) mask |= kOut | kPollwrband;
  return mask;
}

// net/unix/af_unix.c unix_poll (SOCK_STREAM).
std::uint32_t UnixPoll(const Readiness& r) {
  std::uint32_t mask = 0;
  if (r.error) mask |= kPollerr;
  if (r.hang_up) mask |= kPollhup;
  if (r.read_hang_up) mask |= kPollrdhup | kIn;
  if (r.readable) mask |= kIn;  // a listener's queued connections are its receive queue
  if (r.phase == ConnectionPhase::kUnconnected) mask |= kPollhup;  // TCP_CLOSE
  // unix_writable: not a listener ("we set writable also when the other side has shut down").
  if (r.phase != ConnectionPhase::kListening && r.writable) mask |= kOut | kPollwrband;
  return mask;
}

// net/unix/af_unix.c unix_dgram_poll (SOCK_DGRAM and SOCK_SEQPACKET).
std::uint32_t UnixDgramPoll(const Readiness& r, bool seqpacket) {
  std::uint32_t mask = 0;
  if (r.error) mask |= kPollerr;
  if (r.read_hang_up) mask |= kPollrdhup | kIn;
  if (r.hang_up) mask |= kPollhup;
  if (r.readable) mask |= kIn;
  if (seqpacket) {
    if (r.phase == ConnectionPhase::kUnconnected) mask |= kPollhup;
    if (r.phase == ConnectionPhase::kConnecting) return mask;
  }
  // unix_writable, and a connected receiver whose queue is full holds the sender back.
  if (r.phase != ConnectionPhase::kListening && r.writable) mask |= kOut | kPollwrband;
  return mask;
}

std::uint32_t SocketPollMask(const Socket& socket) {
  const Readiness r = QueryReadiness(socket);
  if (socket.family() == Family::kUnix) {
    if (socket.type() == SockType::kStream) return UnixPoll(r);
    return UnixDgramPoll(r, socket.type() == SockType::kSeqPacket);
  }
  return socket.type() == SockType::kDgram ? DatagramPoll(r) : TcpPoll(r);
}

// fs/pipe.c pipe_poll: each end answers for the access its descriptor has (FMODE_READ for
// the read end, FMODE_WRITE for the write end). The read end is readable while bytes wait and
// hung up once no writer is left (a pipe's f_version never equals w_counter, so the FIFO
// "no writer yet" exception does not apply); the write end is writable while the ring is not
// full and in error once no reader is left.
std::uint32_t PipePoll(const sim::PipeEnd& end) {
  // pipe_full counts buffers, not bytes: PIPE_DEF_BUFFERS (16) slots of a page (4096) each,
  // the queued bytes packed from a page start (as pipe_calls.cc's write path stores them).
  constexpr std::size_t kPageSize = 4096;
  constexpr std::size_t kPipeBuffers = 16;
  const sim::PipeChannel& channel = end.channel();
  std::uint32_t mask = 0;
  if (end.side() == sim::PipeEnd::Side::kRead) {
    if (!channel.bytes.empty()) mask |= kIn;
    if (!channel.writer_open) mask |= kPollhup;
  } else {
    const std::size_t slots = (channel.bytes.size() + kPageSize - 1) / kPageSize;
    if (slots < kPipeBuffers) mask |= kOut;
    if (!channel.reader_open) mask |= kPollerr;
  }
  return mask;
}

// fs/eventfd.c eventfd_poll: EPOLLIN (without EPOLLRDNORM) while the counter is not 0,
// EPOLLOUT (without EPOLLWRNORM) while a write of 1 fits (count < ULLONG_MAX - 1), EPOLLERR
// at ULLONG_MAX (reachable only through eventfd_signal overflow, which nothing here does).
std::uint32_t EventFdPoll(const EventFd& counter) {
  std::uint32_t mask = 0;
  if (counter.count() > 0) mask |= kPollin;
  if (counter.count() < EventFd::kMax) mask |= kPollout;
  return mask;
}

// file_can_poll: whether the file has a poll method (epoll_ctl refuses one without: EPERM).
bool CanPoll(const sim::FileObject& object) {
  switch (object.kind()) {
    case sim::FileKind::kSocket:
    case sim::FileKind::kPipe:
    case sim::FileKind::kEventFd:
    case sim::FileKind::kEpoll:
      return true;
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kCharDevice:  // /dev/null's null_fops has no poll
    case sim::FileKind::kUnknown:
      return false;
  }
  return false;
}

// What ends a wait.
enum class WaitEnd { kReady, kTimedOut, kBlocked };

// Runs the world until `ready()` holds, or until `timeout` has passed (nullopt: no limit).
// With `may_wait` false nothing runs: a call that would wait is blocked.
WaitEnd WaitFor(Stack& stack, const std::function<bool()>& ready,
                std::optional<sim::Duration> timeout, bool may_wait) {
  stack.Settle();
  if (ready()) return WaitEnd::kReady;
  if (timeout && timeout->ns <= 0) return WaitEnd::kTimedOut;
  if (!may_wait) return WaitEnd::kBlocked;
  if (!timeout) return stack.RunUntil(ready) ? WaitEnd::kReady : WaitEnd::kBlocked;
  sim::World& world = stack.world();
  const sim::Instant deadline = world.now() + *timeout;
  auto& queue = world.queue();
  while (!ready()) {
    if (queue.pending() == 0 || queue.next_time() > deadline) {
      (void)world.RunUntil(deadline);
      return ready() ? WaitEnd::kReady : WaitEnd::kTimedOut;
    }
    (void)queue.RunUntil(queue.next_time(), world.options().budget_events_max);
  }
  return WaitEnd::kReady;
}

// A timeout read from the caller (poll_select_set_timeout): EFAULT, EINVAL, or the duration.
struct Timeout {
  int err = 0;
  std::optional<sim::Duration> duration;  // nullopt: wait forever
};

// struct __kernel_timespec or struct timeval (x86-64: two 64-bit members) at `at`.
Timeout ReadTimeout(const sim::AddressSpace& mem, UserAddress at, bool timeval) {
  if (at == 0) return {};
  const auto sec = mem.ReadU64(at);
  const auto frac = mem.ReadU64(at + 8);
  if (!sec || !frac) return {kEFAULT, std::nullopt};
  auto s = static_cast<std::int64_t>(*sec);
  auto f = static_cast<std::int64_t>(*frac);
  if (timeval) {
    // kern_select: tv_sec + tv_usec / USEC_PER_SEC, (tv_usec % USEC_PER_SEC) * NSEC_PER_USEC.
    s += f / 1'000'000;
    f = (f % 1'000'000) * 1'000;
  }
  // timespec64_valid: a negative second or a nanosecond outside [0, 1e9) is EINVAL.
  if (s < 0 || f < 0 || f >= 1'000'000'000) return {kEINVAL, std::nullopt};
  const auto whole = sim::Duration::CheckedSeconds(s);
  return {0, (whole ? *whole : sim::Duration::Max()) + sim::Duration::Nanoseconds(f)};
}

// poll_select_finish: the time left is written back (PT_TIMEVAL or PT_TIMESPEC), except for a
// zero timeout; a failed copy is ignored.
void WriteTimeLeft(sim::AddressSpace& mem, UserAddress at, bool timeval,
                   const Timeout& timeout, sim::Duration elapsed) {
  if (at == 0 || !timeout.duration || timeout.duration->ns == 0) return;
  const std::int64_t left = std::max<std::int64_t>(0, timeout.duration->ns - elapsed.ns);
  (void)mem.WriteU64(at, static_cast<std::uint64_t>(left / 1'000'000'000));
  const std::int64_t frac = left % 1'000'000'000;
  (void)mem.WriteU64(at + 8, static_cast<std::uint64_t>(timeval ? frac / 1'000 : frac));
}

// set_user_sigmask: a mask of the wrong size is EINVAL; an unreadable one EFAULT. Signals are
// not modelled, so the mask changes nothing else.
int CheckSigmask(const sim::AddressSpace& mem, UserAddress sigmask, std::uint64_t size) {
  if (sigmask == 0) return 0;
  if (size != kSigsetSize) return kEINVAL;
  return mem.ReadU64(sigmask) ? 0 : kEFAULT;
}

// The open file behind `fd` as fdget sees it (O_PATH descriptors are not), or nullptr.
sim::OfdRef FileOf(sim::Process& p, std::int64_t fd) {
  if (fd < 0) return nullptr;
  const sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return nullptr;
  return entry->description;
}

// do_pollfd: 0 for a negative descriptor, POLLNVAL for one that is not open, else the file's
// mask filtered by the events asked for and POLLERR|POLLHUP.
std::uint16_t PollOne(sim::Process& p, std::int32_t fd, std::uint16_t events) {
  if (fd < 0) return 0;
  const sim::OfdRef file = FileOf(p, fd);
  if (!file) return kPollnval;
  const std::uint32_t filter = events | kPollerr | kPollhup;
  return static_cast<std::uint16_t>(FilePollMask(*file->object()) & filter);
}

struct PollEntry {
  std::int32_t fd;
  std::uint16_t events;
};

// do_sys_poll after the timeout and signal mask: nfds against RLIMIT_NOFILE, the array copied
// in, the wait, the revents copied out.
CallResult DoPoll(Stack& stack, sim::Process& p, UserAddress ufds, std::uint64_t nfds,
                  const Timeout& timeout, UserAddress left_at, bool may_wait) {
  if (nfds > p.fds().limit()) return Errno(kEINVAL);
  std::vector<PollEntry> entries;
  entries.reserve(nfds);
  for (std::uint64_t i = 0; i < nfds; ++i) {
    const auto word = p.memory().ReadU32(ufds + i * kPollfdSize);
    const auto events = p.memory().ReadU32(ufds + i * kPollfdSize + 4);
    if (!word || !events) return Errno(kEFAULT);
    entries.push_back({static_cast<std::int32_t>(*word), static_cast<std::uint16_t>(*events)});
  }
  std::vector<std::uint16_t> revents(entries.size(), 0);
  std::int64_t count = 0;
  const auto look = [&] {
    count = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      revents[i] = PollOne(p, entries[i].fd, entries[i].events);
      if (revents[i] != 0) ++count;
    }
    return count > 0;
  };
  const sim::Instant start = stack.world().now();
  const WaitEnd end = WaitFor(stack, look, timeout.duration, may_wait);
  if (end == WaitEnd::kBlocked) return CallResult::Blocked();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    // unsafe_put_user of each revents: a read-only array is EFAULT after the wait.
    const std::uint32_t half = revents[i];
    auto bytes = std::array<std::uint8_t, 2>{static_cast<std::uint8_t>(half),
                                             static_cast<std::uint8_t>(half >> 8)};
    if (p.memory().CopyOut(ufds + i * kPollfdSize + 6, bytes).fault) return Errno(kEFAULT);
  }
  WriteTimeLeft(p.memory(), left_at, /*timeval=*/false, timeout, stack.world().now() - start);
  return Success(count);
}

// fdtable max_fds: NR_OPEN_DEFAULT (64) until a descriptor beyond it is open, then what
// alloc_fdtable rounds up to (multiples of 1024 / sizeof(struct file *) = 128, powers of two).
std::int64_t MaxFds(const sim::Process& p) {
  const auto open = p.fds().OpenDescriptors();
  const std::int64_t highest = open.empty() ? 0 : static_cast<std::int64_t>(open.back());
  if (highest < 64) return 64;
  std::int64_t chunks = 1;
  while (chunks < highest / 128 + 1) chunks *= 2;
  return chunks * 128;
}

// core_sys_select and do_select.
CallResult DoSelect(Stack& stack, sim::Process& p, int n, UserAddress inp, UserAddress outp,
                    UserAddress exp, const Timeout& timeout, UserAddress left_at, bool timeval,
                    bool may_wait) {
  auto finish = [&](CallResult r, sim::Duration elapsed) {
    WriteTimeLeft(p.memory(), left_at, timeval, timeout, elapsed);
    return r;
  };
  if (n < 0) return finish(Errno(kEINVAL), {});
  n = static_cast<int>(std::min<std::int64_t>(n, MaxFds(p)));
  const std::uint64_t bytes = (static_cast<std::uint64_t>(n) + 63) / 64 * 8;  // FDS_BYTES
  auto get_set = [&](UserAddress at, std::vector<std::uint8_t>& set) {
    set.assign(bytes, 0);
    return at == 0 || !p.memory().CopyIn(at, set).fault;
  };
  std::vector<std::uint8_t> in, out, ex;
  if (!get_set(inp, in) || !get_set(outp, out) || !get_set(exp, ex)) {
    return finish(Errno(kEFAULT), {});
  }
  auto bit = [](const std::vector<std::uint8_t>& set, int fd) {
    return (set[static_cast<std::size_t>(fd) / 8] >> (fd % 8) & 1) != 0;
  };
  // max_select_fd: a descriptor in any set that is not open is EBADF.
  for (int fd = 0; fd < n; ++fd) {
    if ((bit(in, fd) || bit(out, fd) || bit(ex, fd)) &&
        p.fds().Lookup(static_cast<sim::Handle>(fd)) == nullptr) {
      return finish(Errno(kEBADF), {});
    }
  }
  std::vector<std::uint8_t> res_in, res_out, res_ex;
  std::int64_t count = 0;
  const auto look = [&] {
    res_in.assign(bytes, 0);
    res_out.assign(bytes, 0);
    res_ex.assign(bytes, 0);
    count = 0;
    for (int fd = 0; fd < n; ++fd) {
      if (!bit(in, fd) && !bit(out, fd) && !bit(ex, fd)) continue;
      const sim::OfdRef file = FileOf(p, fd);
      const std::uint32_t mask = file ? FilePollMask(*file->object()) : kPollnval;
      const auto set_bit = [fd](std::vector<std::uint8_t>& set) {
        set[static_cast<std::size_t>(fd) / 8] |= static_cast<std::uint8_t>(1u << (fd % 8));
      };
      if ((mask & kPollinSet) != 0 && bit(in, fd)) set_bit(res_in), ++count;
      if ((mask & kPolloutSet) != 0 && bit(out, fd)) set_bit(res_out), ++count;
      if ((mask & kPollexSet) != 0 && bit(ex, fd)) set_bit(res_ex), ++count;
    }
    return count > 0;
  };
  const sim::Instant start = stack.world().now();
  const WaitEnd end = WaitFor(stack, look, timeout.duration, may_wait);
  if (end == WaitEnd::kBlocked) return CallResult::Blocked();
  const sim::Duration elapsed = stack.world().now() - start;
  // set_fd_set: each result set is written over the caller's (a NULL set is skipped).
  auto put_set = [&](UserAddress at, const std::vector<std::uint8_t>& set) {
    return at == 0 || !p.memory().CopyOut(at, set).fault;
  };
  if (!put_set(inp, res_in) || !put_set(outp, res_out) || !put_set(exp, res_ex)) {
    return finish(Errno(kEFAULT), elapsed);
  }
  return finish(Success(count), elapsed);
}

// The epoll instance behind `epfd`: EBADF when not open, EINVAL when not an epoll file.
struct EpollLookup {
  std::shared_ptr<EpollInstance> epoll;
  sim::OfdRef file;
  int err = 0;
};
EpollLookup LookupEpoll(sim::Process& p, int epfd) {
  EpollLookup out;
  out.file = FileOf(p, epfd);
  if (!out.file) return {nullptr, nullptr, kEBADF};
  if (out.file->object()->kind() != sim::FileKind::kEpoll) return {nullptr, out.file, kEINVAL};
  out.epoll = std::static_pointer_cast<EpollInstance>(out.file->object());
  return out;
}

}  // namespace

std::uint32_t FilePollMask(const sim::FileObject& object) {
  switch (object.kind()) {
    case sim::FileKind::kSocket:
      return SocketPollMask(static_cast<const Socket&>(object));
    case sim::FileKind::kEpoll:
      // ep_eventpoll_poll: readable while an item has an event to report.
      return static_cast<const EpollInstance&>(object).HasEvents() ? kIn : 0;
    case sim::FileKind::kPipe:
      // A pipe the scenario only declared (no channel behind it) is always ready.
      if (const auto* end = dynamic_cast<const sim::PipeEnd*>(&object)) return PipePoll(*end);
      return kDefaultPollMask;
    case sim::FileKind::kEventFd:
      if (const auto* counter = dynamic_cast<const EventFd*>(&object)) return EventFdPoll(*counter);
      return kDefaultPollMask;
    case sim::FileKind::kUnknown:
      // Inherited from outside the simulation (the resolver's netlink socket, a terminal):
      // nothing the world does reaches it, so it never becomes ready here, unless a recorded
      // trace says what the real object reported at this call (the environment's answer:
      // POLLIN/POLLOUT with their RDNORM/WRNORM twins, as sock_poll and tty_poll set them).
      if (const auto* file = dynamic_cast<const sim::PlainFile*>(&object)) {
        if (const auto& r = file->environment_readiness()) return (r->readable ? kIn : 0) | (r->writable ? kOut : 0);
      }
      return 0;
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kCharDevice:
      return kDefaultPollMask;
  }
  return kDefaultPollMask;
}

CallResult LinuxPersonality::Poll(sim::Process& p, UserAddress fds, std::uint64_t nfds,
                                  int timeout_ms, bool may_wait) {
  // A negative timeout waits forever (fs/select.c poll: "timeout_msecs >= 0").
  Timeout timeout;
  if (timeout_ms >= 0) timeout.duration = sim::Duration::Milliseconds(timeout_ms);
  return DoPoll(stack_, p, fds, nfds, timeout, 0, may_wait);
}

CallResult LinuxPersonality::Ppoll(sim::Process& p, UserAddress fds, std::uint64_t nfds,
                                   UserAddress tsp, UserAddress sigmask,
                                   std::uint64_t sigsetsize, bool may_wait) {
  // The timeout, then the signal mask, then do_sys_poll.
  const Timeout timeout = ReadTimeout(p.memory(), tsp, /*timeval=*/false);
  if (timeout.err != 0) return Errno(timeout.err);
  if (const int err = CheckSigmask(p.memory(), sigmask, sigsetsize)) return Errno(err);
  return DoPoll(stack_, p, fds, nfds, timeout, tsp, may_wait);
}

CallResult LinuxPersonality::Select(sim::Process& p, int nfds, UserAddress readfds,
                                    UserAddress writefds, UserAddress exceptfds,
                                    UserAddress timeout_at, bool may_wait) {
  // kern_select: the timeval (EFAULT, EINVAL) before core_sys_select.
  const Timeout timeout = ReadTimeout(p.memory(), timeout_at, /*timeval=*/true);
  if (timeout.err != 0) return Errno(timeout.err);
  return DoSelect(stack_, p, nfds, readfds, writefds, exceptfds, timeout, timeout_at,
                  /*timeval=*/true, may_wait);
}

CallResult LinuxPersonality::Pselect6(sim::Process& p, int nfds, UserAddress readfds,
                                      UserAddress writefds, UserAddress exceptfds,
                                      UserAddress timeout_at, UserAddress sig, bool may_wait) {
  // get_sigset_argpack, then do_pselect: the timespec, the signal mask, core_sys_select.
  UserAddress sigmask = 0;
  std::uint64_t sigsetsize = 0;
  if (sig != 0) {
    const auto mask = p.memory().ReadU64(sig);
    const auto size = p.memory().ReadU64(sig + 8);
    if (!mask || !size) return Errno(kEFAULT);
    sigmask = *mask;
    sigsetsize = *size;
  }
  const Timeout timeout = ReadTimeout(p.memory(), timeout_at, /*timeval=*/false);
  if (timeout.err != 0) return Errno(timeout.err);
  if (const int err = CheckSigmask(p.memory(), sigmask, sigsetsize)) return Errno(err);
  return DoSelect(stack_, p, nfds, readfds, writefds, exceptfds, timeout, timeout_at,
                  /*timeval=*/false, may_wait);
}

CallResult LinuxPersonality::EpollCreate(sim::Process& p, int size) {
  // "The size parameter is ignored, but must be greater than zero".
  if (size <= 0) return Errno(kEINVAL);
  return EpollCreate1(p, 0);
}

CallResult LinuxPersonality::EpollCreate1(sim::Process& p, int flags) {
  if ((flags & ~kEpollCloexec) != 0) return Errno(kEINVAL);
  // do_epoll_create: the instance first, then the descriptor (EMFILE).
  auto ofd = std::make_shared<sim::OpenFileDescription>(std::make_shared<EpollInstance>(),
                                                        sim::StatusFlags{});
  auto fd = p.fds().Install(std::move(ofd), (flags & kEpollCloexec) != 0);
  if (!fd) return Errno(fd.error() == sim::FdError::kTooManyOpen ? kEMFILE : kEBADF);
  return Success(static_cast<std::int64_t>(*fd));
}

CallResult LinuxPersonality::EpollCtl(sim::Process& p, int epfd, int op, int fd,
                                      UserAddress event) {
  // epoll_ctl: the event is copied first for every op but EPOLL_CTL_DEL.
  const bool has_event = op != kEpollCtlDel;
  std::uint32_t events = 0;
  std::uint64_t data = 0;
  if (has_event) {
    const auto e = p.memory().ReadU32(event);
    const auto d = p.memory().ReadU64(event + 4);
    if (!e || !d) return Errno(kEFAULT);
    events = *e;
    data = *d;
  }
  // do_epoll_ctl: both descriptors (EBADF), a target without poll (EPERM), then EINVAL for
  // the instance itself, a non-epoll epfd, and EPOLLEXCLUSIVE misuse.
  const sim::OfdRef epoll_file = FileOf(p, epfd);
  if (!epoll_file) return Errno(kEBADF);
  const sim::OfdRef target = FileOf(p, fd);
  if (!target) return Errno(kEBADF);
  if (!CanPoll(*target->object())) return Errno(kEPERM);
  if (epoll_file == target || epoll_file->object()->kind() != sim::FileKind::kEpoll) {
    return Errno(kEINVAL);
  }
  if (has_event && (events & kEpollexclusive) != 0) {
    if (op == kEpollCtlMod) return Errno(kEINVAL);
    if (op == kEpollCtlAdd && (target->object()->kind() == sim::FileKind::kEpoll ||
                               (events & ~kExclusiveOk) != 0)) {
      return Errno(kEINVAL);
    }
  }
  auto& epoll = static_cast<EpollInstance&>(*epoll_file->object());
  // ep_loop_check: an epoll instance inside itself, directly or not, or nested too deep.
  if (op == kEpollCtlAdd && target->object()->kind() == sim::FileKind::kEpoll &&
      static_cast<const EpollInstance&>(*target->object()).WouldLoop(epoll)) {
    return Errno(kELOOP);
  }
  int err = kEINVAL;
  if (op == kEpollCtlAdd) err = epoll.Add(fd, target, events, data);
  if (op == kEpollCtlMod) err = epoll.Modify(fd, target, events, data);
  if (op == kEpollCtlDel) err = epoll.Remove(fd, target);
  return err == 0 ? Success() : Errno(err);
}

CallResult LinuxPersonality::EpollWait(sim::Process& p, int epfd, UserAddress events,
                                       int maxevents, int timeout_ms, bool may_wait) {
  // do_epoll_wait: maxevents, the range of the array (access_ok), the descriptor, its kind.
  if (maxevents <= 0 || maxevents > kEpMaxEvents) return Errno(kEINVAL);
  const std::uint64_t span = static_cast<std::uint64_t>(maxevents) * kEpollEventSize;
  if (events > kUserSpaceEnd || span > kUserSpaceEnd - events) return Errno(kEFAULT);
  const EpollLookup lookup = LookupEpoll(p, epfd);
  if (lookup.err != 0) return Errno(lookup.err);
  std::optional<sim::Duration> timeout;
  if (timeout_ms >= 0) timeout = sim::Duration::Milliseconds(timeout_ms);
  EpollInstance& epoll = *lookup.epoll;
  const WaitEnd end = WaitFor(stack_, [&] { return epoll.Refresh(); }, timeout, may_wait);
  if (end == WaitEnd::kBlocked) return CallResult::Blocked();
  if (end == WaitEnd::kTimedOut) return Success(0);
  const auto ready = epoll.Collect(static_cast<std::size_t>(maxevents));
  std::int64_t written = 0;
  for (const EpollEvent& e : ready) {
    const UserAddress at = events + static_cast<std::uint64_t>(written) * kEpollEventSize;
    std::array<std::uint8_t, kEpollEventSize> bytes{};
    for (int k = 0; k < 4; ++k) bytes[k] = static_cast<std::uint8_t>(e.events >> (8 * k));
    for (int k = 0; k < 8; ++k) bytes[4 + k] = static_cast<std::uint8_t>(e.data >> (8 * k));
    // epoll_put_uevent: a fault on the first event is EFAULT, on a later one the count so far.
    if (p.memory().CopyOut(at, bytes).fault) return written == 0 ? Errno(kEFAULT) : Success(written);
    ++written;
  }
  return Success(written);
}

CallResult LinuxPersonality::EpollPwait(sim::Process& p, int epfd, UserAddress events,
                                        int maxevents, int timeout_ms, UserAddress sigmask,
                                        std::uint64_t sigsetsize, bool may_wait) {
  // do_epoll_pwait: the signal mask before anything else.
  if (const int err = CheckSigmask(p.memory(), sigmask, sigsetsize)) return Errno(err);
  return EpollWait(p, epfd, events, maxevents, timeout_ms, may_wait);
}

}  // namespace socksim::stack::linux_abi
