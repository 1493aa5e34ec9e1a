// File: stack/personality/windows/ws2/select_poll.cc
// select and WSAPoll: ws2 reads the caller's sets, asks each socket's chain for its readiness
// (WSPPoll, the model's WSPSelect), waits when nothing is ready and the time-out allows, and
// writes the results back. Enough to wait for a non-blocking connect (the issue's "select or
// WSAPoll"): a connected socket is writable, a failed connect is in exceptfds (select docs) or
// POLLHUP | POLLERR (Wine test_poll), a queued connection or data is readable, a reset
// connection is readable and writable (Wine test_select).
#include <set>

#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/winsock.h"
#include "stack/personality/windows/ws2/last_error.h"
#include "stack/personality/windows/ws2/ws2_process.h"

namespace socksim::stack::windows_abi {
namespace {

// One fd_set as the caller passed it.
struct FdSet {
  UserAddress at = 0;
  std::vector<SocketHandle> sockets;
  std::vector<SocketHandle> ready;
};

// Reads an fd_set: its count, then that many SOCKETs (nullopt: unreadable).
std::optional<FdSet> ReadFdSet(const sim::AddressSpace& mem, UserAddress at) {
  FdSet set;
  set.at = at;
  if (at == 0) return set;
  const auto count = ReadU32(mem, at + kFdSetCount);
  if (!count) return std::nullopt;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto s = ReadU64(mem, at + kFdSetArray + 8 * i);
    if (!s) return std::nullopt;
    set.sockets.push_back(*s);
  }
  return set;
}

void WriteFdSet(sim::AddressSpace& mem, const FdSet& set) {
  if (set.at == 0) return;
  (void)WriteU32(mem, set.at + kFdSetCount, static_cast<std::uint32_t>(set.ready.size()));
  for (std::size_t i = 0; i < set.ready.size(); ++i) {
    (void)WriteU64(mem, set.at + kFdSetArray + 8 * i, set.ready[i]);
  }
}

// The events WSAPoll accepts in `events` (WSAPoll docs; others are WSAEINVAL, Wine test_poll;
// confidence M for POLLPRI, which the docs call unsupported but not invalid).
constexpr std::int64_t kPollRequestable =
    kPollrdnorm | kPollrdband | kPollpri | kPollwrnorm | kPollwrband;

}  // namespace

CallResult Winsock::Select(sim::Thread& t, std::int32_t nfds, UserAddress readfds,
                           UserAddress writefds, UserAddress exceptfds, UserAddress timeout) {
  (void)nfds;  // select docs: "ignored"
  if (auto r = Prolog(t, "select", 0, kSocketError)) return *r;
  auto& mem = t.process().memory();
  auto read = ReadFdSet(mem, readfds);
  auto write = ReadFdSet(mem, writefds);
  auto except = ReadFdSet(mem, exceptfds);
  if (!read || !write || !except) return Fail(t, kSocketError, kWSAEFAULT);
  std::optional<sim::Duration> wait;  // nullopt: no time-out
  if (timeout != 0) {
    const auto sec = ReadU32(mem, timeout);
    const auto usec = ReadU32(mem, timeout + 4);
    if (!sec || !usec) return Fail(t, kSocketError, kWSAEFAULT);
    // timeval's fields are signed longs; a negative one counts as 0 (confidence L).
    const std::int64_t s = std::max<std::int32_t>(0, static_cast<std::int32_t>(*sec));
    const std::int64_t us = std::max<std::int32_t>(0, static_cast<std::int32_t>(*usec));
    wait = sim::Duration::Seconds(s) + sim::Duration::Microseconds(us);
  }
  // select docs / Wine test_select: all three sets NULL or empty is WSAEINVAL; a handle that
  // is not a socket is WSAENOTSOCK and the sets stay as they were (row 3).
  if (read->sockets.empty() && write->sockets.empty() && except->sockets.empty()) {
    return Fail(t, kSocketError, kWSAEINVAL);
  }
  const Ws2Process& process = ProcessState(t.process());
  for (const FdSet* set : {&*read, &*write, &*except}) {
    for (SocketHandle s : set->sockets) {
      if (process.sockets.count(s) == 0) return Fail(t, kSocketError, kWSAENOTSOCK);
    }
  }
  int error = 0;
  const auto evaluate = [&]() -> int {
    int total = 0;
    for (FdSet* set : {&*read, &*write, &*except}) set->ready.clear();
    for (int which = 0; which < 3; ++which) {
      FdSet& set = which == 0 ? *read : which == 1 ? *write : *except;
      std::set<SocketHandle> seen;
      for (SocketHandle s : set.sockets) {
        if (!seen.insert(s).second) continue;
        Readiness r;
        if (const int err = PollSocket(t, s, &r); err != 0) {
          error = err;
          return 0;
        }
        const bool ready = which == 0   ? r.readable || r.reset
                           : which == 1 ? r.writable || r.reset
                                        : r.connect_failed;
        if (ready) {
          set.ready.push_back(s);
          ++total;
        }
      }
    }
    return total;
  };
  int total = evaluate();
  if (error != 0) return Fail(t, kSocketError, error);
  const bool immediate = wait && wait->ns == 0;
  if (total == 0 && !immediate) {
    if (!ThreadState(t).may_wait) {
      ThreadState(t).blocking = BlockingCall{"select", 0, false};
      return CallResult::Blocked();
    }
    std::optional<sim::Instant> deadline;
    if (wait) deadline = stack_.world().now() + *wait;
    const bool woke = WaitForWorld(
        stack_, [&] { return evaluate() > 0 || error != 0; }, deadline);
    if (error != 0) return Fail(t, kSocketError, error);
    if (!woke && !deadline) return CallResult::Blocked();  // nothing will ever be ready
    total = woke ? evaluate() : 0;
    if (!woke) {
      for (FdSet* set : {&*read, &*write, &*except}) set->ready.clear();
    }
  }
  for (const FdSet* set : {&*read, &*write, &*except}) WriteFdSet(mem, *set);
  return Succeed(t, total);
}

CallResult Winsock::WSAPoll(sim::Thread& t, UserAddress fds, std::uint32_t nfds,
                            std::int32_t timeout_ms) {
  if (auto r = Prolog(t, "WSAPoll", 0, kSocketError)) return *r;
  auto& mem = t.process().memory();
  // Wine test_poll: (NULL, 0) is WSAEINVAL, NULL with entries WSAEFAULT.
  if (nfds == 0) return Fail(t, kSocketError, kWSAEINVAL);
  if (fds == 0 || !Readable(mem, fds, std::uint64_t{nfds} * kPollFdSize)) {
    return Fail(t, kSocketError, kWSAEFAULT);
  }
  struct Entry {
    SocketHandle fd = 0;
    std::uint16_t events = 0;
    std::uint16_t revents = 0;
  };
  std::vector<Entry> entries(nfds);
  for (std::uint32_t i = 0; i < nfds; ++i) {
    const UserAddress at = fds + std::uint64_t{i} * kPollFdSize;
    entries[i].fd = *ReadU64(mem, at + kPollFdFd);
    entries[i].events = *ReadU16(mem, at + kPollFdEvents);
    if ((entries[i].events & ~kPollRequestable) != 0) return Fail(t, kSocketError, kWSAEINVAL);
  }
  int error = 0;
  bool all_invalid = true;
  const auto evaluate = [&]() -> int {
    int count = 0;
    all_invalid = true;
    bool any = false;
    for (Entry& e : entries) {
      e.revents = 0;
      // WSAPoll docs: a negative fd (INVALID_SOCKET) is ignored and its revents cleared.
      if (static_cast<std::int64_t>(e.fd) < 0) continue;
      any = true;
      Readiness r;
      const int err = PollSocket(t, e.fd, &r);
      if (err == kWSAENOTSOCK) {
        e.revents = static_cast<std::uint16_t>(kPollnval);
        continue;
      }
      if (err != 0) {
        error = err;
        return 0;
      }
      all_invalid = false;
      std::uint16_t rev = 0;
      if (r.readable && (e.events & (kPollrdnorm | kPollrdband)) != 0) rev |= kPollrdnorm;
      const bool writable = r.writable || r.reset || r.connect_failed;
      if (writable && (e.events & (kPollwrnorm | kPollwrband)) != 0) rev |= kPollwrnorm;
      // POLLHUP and POLLERR are reported whether asked for or not (WSAPoll docs).
      if (r.peer_finished || r.reset || r.connect_failed) rev |= kPollhup;
      if (r.reset || r.connect_failed) rev |= kPollerr;
      e.revents = rev;
      if (rev != 0) ++count;
    }
    if (!any) all_invalid = false;
    return count;
  };
  const auto write_back = [&] {
    for (std::uint32_t i = 0; i < nfds; ++i) {
      (void)WriteU16(mem, fds + std::uint64_t{i} * kPollFdSize + kPollFdRevents,
                     entries[i].revents);
    }
  };
  int count = evaluate();
  if (error != 0) return Fail(t, kSocketError, error);
  // Wine test_poll: when every entry is an invalid socket the call fails WSAENOTSOCK (their
  // revents say POLLNVAL).
  if (all_invalid) {
    write_back();
    return Fail(t, kSocketError, kWSAENOTSOCK);
  }
  if (count == 0 && timeout_ms != 0) {
    if (!ThreadState(t).may_wait) {
      ThreadState(t).blocking = BlockingCall{"WSAPoll", 0, false};
      return CallResult::Blocked();
    }
    std::optional<sim::Instant> deadline;
    if (timeout_ms > 0) {
      deadline = stack_.world().now() + sim::Duration::Milliseconds(timeout_ms);
    }
    const bool woke = WaitForWorld(
        stack_, [&] { return evaluate() > 0 || error != 0; }, deadline);
    if (error != 0) return Fail(t, kSocketError, error);
    if (!woke && !deadline) return CallResult::Blocked();
    count = evaluate();
  }
  write_back();
  return Succeed(t, count);
}

}  // namespace socksim::stack::windows_abi
