// File: stack/personality/linux/vector_io_calls.cc
// Vectored data calls: readv(2)/writev(2) on any modelled descriptor (fs/read_write.c
// do_readv, vfs_readv, do_writev, vfs_writev) and sendmmsg(2)/recvmmsg(2) on sockets
// (net/socket.c __sys_sendmmsg, do_recvmmsg), each message of which is one sendmsg/recvmsg.
#include "sim/pipe.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/caller_io.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// struct mmsghdr on x86-64: a struct msghdr (56 bytes), msg_len (4) and padding (4).
constexpr std::uint64_t kMmsghdrSize = kMsghdrSize + 8;

// The descriptor for readv/writev: fdget_pos (EBADF, O_PATH included), then f_mode (EBADF for
// the wrong end of a pipe).
int VectorFd(sim::Process& p, int fd, bool write) {
  if (fd < 0) return kEBADF;
  const sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return kEBADF;
  const auto* end = dynamic_cast<const sim::PipeEnd*>(entry->description->object().get());
  if (end != nullptr && (end->side() == sim::PipeEnd::Side::kWrite) != write) return kEBADF;
  return 0;
}

}  // namespace

CallResult LinuxPersonality::Readv(sim::Process& p, int fd, UserAddress iov, int iovcnt) {
  // vfs_readv: the descriptor's mode, then import_iovec (the count is an unsigned long, so a
  // negative int is a huge count: EINVAL); nothing to read returns 0 without the object
  // being asked.
  if (const int err = VectorFd(p, fd, /*write=*/false); err != 0) return Errno(err);
  int err = 0;
  auto vectors =
      ImportIovec(p.memory(), iov, static_cast<std::uint64_t>(static_cast<std::int64_t>(iovcnt)), &err);
  if (!vectors) return Errno(err);
  if (TotalLength(*vectors) == 0) return Success();
  return DoRead(p, fd, std::move(*vectors));
}

CallResult LinuxPersonality::Writev(sim::Process& p, int fd, UserAddress iov, int iovcnt) {
  if (const int err = VectorFd(p, fd, /*write=*/true); err != 0) return Errno(err);
  int err = 0;
  auto vectors =
      ImportIovec(p.memory(), iov, static_cast<std::uint64_t>(static_cast<std::int64_t>(iovcnt)), &err);
  if (!vectors) return Errno(err);
  if (TotalLength(*vectors) == 0) return Success();
  return DoWrite(p, fd, std::move(*vectors));
}

CallResult LinuxPersonality::Sendmmsg(sim::Process& p, int fd, UserAddress vec,
                                      std::uint32_t vlen, int flags) {
  // __sys_sendmmsg: the socket, vlen clamped to UIO_MAXIOV, then one ___sys_sendmsg per entry
  // with its msg_len written back; the first failure ends the batch, and is the result only
  // when no message was sent.
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  const std::uint64_t count = std::min<std::uint64_t>(vlen, kUioMaxIov);
  std::int64_t sent = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const UserAddress entry = vec + kMmsghdrSize * i;
    const CallResult r = DoSendmsg(p, lookup, entry, flags);
    if (r.blocked()) return sent == 0 ? r : Success(sent);
    if (r.failed()) return sent == 0 ? r : Success(sent);
    if (!p.memory().WriteU32(entry + kMsghdrSize, static_cast<std::uint32_t>(r.value))) {
      return sent == 0 ? Errno(kEFAULT) : Success(sent);
    }
    ++sent;
  }
  return Success(sent);
}

CallResult LinuxPersonality::Recvmmsg(sim::Process& p, int fd, UserAddress vec,
                                      std::uint32_t vlen, int flags, UserAddress timeout) {
  // __sys_recvmmsg reads the timeout first (EFAULT, EINVAL when out of range). The timeout
  // is only looked at between datagrams (recvmmsg(2) BUGS) and no timer is modelled, so it
  // changes nothing here.
  if (timeout != 0) {
    const auto sec = p.memory().ReadU64(timeout);
    const auto nsec = p.memory().ReadU64(timeout + 8);
    if (!sec || !nsec) return Errno(kEFAULT);
    if (static_cast<std::int64_t>(*sec) < 0 || *nsec >= 1000000000u) return Errno(kEINVAL);
  }
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  // do_recvmmsg: a pending error is the result before any message is looked at.
  if (const auto pending = stack_.TakePendingError(s)) return Error(*pending);
  const std::uint64_t count = std::min<std::uint64_t>(vlen, kUioMaxIov);
  const bool nonblocking =
      lookup.entry->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  if (count > 1 && (!nonblocking || trying_) && (flags & (kMsgWaitforone | kMsgDontwait)) == 0) {
    // A blocking batch without MSG_WAITFORONE waits for every message; wait for them before
    // taking any, so that a batch that must wait for another process has no effect yet.
    const auto all_there = [&] {
      return s.receive_queue.size() >= count || s.peer_finished || s.shut_read ||
             s.pending_error.has_value();
    };
    if (trying_ ? !all_there() : !stack_.RunUntil(all_there)) return CallResult::Blocked();
  }
  std::int64_t received = 0;
  int call_flags = flags & ~kMsgWaitforone;
  for (std::uint64_t i = 0; i < count; ++i) {
    const UserAddress entry = vec + kMmsghdrSize * i;
    const CallResult r = DoRecvmsg(p, lookup, entry, call_flags);
    // The first failure ends the batch; it is the result only when nothing was received
    // (Linux then keeps an error other than EAGAIN for the next call: not modelled).
    if (r.blocked() || r.failed()) return received == 0 ? r : Success(received);
    if (!p.memory().WriteU32(entry + kMsghdrSize, static_cast<std::uint32_t>(r.value))) {
      return received == 0 ? Errno(kEFAULT) : Success(received);
    }
    ++received;
    if ((flags & kMsgWaitforone) != 0) call_flags |= kMsgDontwait;
  }
  return Success(received);
}

}  // namespace socksim::stack::linux_abi
