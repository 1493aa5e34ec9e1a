// File: stack/personality/linux/pipe_calls.cc
// Descriptors that are not sockets, as real programs create them next to their sockets:
// pipe2(2) (fs/pipe.c do_pipe2), eventfd2(2) (fs/eventfd.c), and read(2)/write(2) on every
// modelled object with fs/read_write.c's checks (ksys_read, vfs_read, ksys_write, vfs_write)
// before the object's own read or write: sock_read_iter / sock_write_iter, pipe_read /
// pipe_write, eventfd_read / eventfd_write. The simulator's regular files and devices are
// empty sinks: a read is end of file and a write takes every byte.
#include <algorithm>

#include "sim/pipe.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/caller_io.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/eventfd.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// The pipe's buffer: PIPE_DEF_BUFFERS (16) pages of 4096 bytes, which consecutive writes fill
// completely (pipe_write merges into the last page while it has room).
constexpr std::size_t kPipeCapacity = 16 * 4096;
// PIPE_BUF: a write of at most this many bytes is atomic (all or nothing).
constexpr std::size_t kPipeBuf = 4096;

// The bytes the vectors name, gathered from caller memory: the readable prefix only.
std::optional<std::string> Gather(const sim::AddressSpace& mem, const std::vector<IoVector>& iov,
                                  std::uint64_t limit, bool* faulted) {
  std::string out;
  *faulted = false;
  for (const IoVector& v : iov) {
    if (out.size() >= limit) break;
    const std::uint64_t want = std::min<std::uint64_t>(v.len, limit - out.size());
    const std::uint64_t readable = mem.AccessiblePrefix(v.base, want, sim::Protection::kRead);
    const auto bytes = mem.Peek(v.base, readable);
    if (bytes) out.append(bytes->begin(), bytes->end());
    if (readable < want) {
      *faulted = true;
      break;
    }
  }
  return out;
}

// The access a descriptor's f_mode grants (FMODE_READ / FMODE_WRITE): a pipe end one way,
// everything else both.
bool MayRead(const sim::FileObject& object) {
  const auto* end = dynamic_cast<const sim::PipeEnd*>(&object);
  return end == nullptr || end->side() == sim::PipeEnd::Side::kRead;
}
bool MayWrite(const sim::FileObject& object) {
  const auto* end = dynamic_cast<const sim::PipeEnd*>(&object);
  return end == nullptr || end->side() == sim::PipeEnd::Side::kWrite;
}

}  // namespace

CallResult LinuxPersonality::Pipe2(sim::Process& p, UserAddress fds, int flags) {
  // __do_pipe_flags: unknown flags are EINVAL (O_DIRECT is accepted: packet mode, stored but
  // not modelled); both descriptors are reserved (EMFILE) before the copy to user space, and
  // a failed copy (EFAULT) installs neither.
  if ((flags & ~(kOCloexec | kONonblock | kODirect)) != 0) return Errno(kEINVAL);
  const auto first = p.fds().NextFree(0);
  const auto second = first ? p.fds().NextFree(*first + 1) : std::nullopt;
  if (!first || !second) return Errno(kEMFILE);
  if (!p.memory().WriteU32(fds, static_cast<std::uint32_t>(*first)) ||
      !p.memory().WriteU32(fds + 4, static_cast<std::uint32_t>(*second))) {
    return Errno(kEFAULT);
  }
  auto [read_end, write_end] = sim::MakePipe();
  sim::StatusFlags status;
  status.nonblocking = (flags & kONonblock) != 0;
  status.os_flags = static_cast<std::uint32_t>(flags & kODirect);
  const bool cloexec = (flags & kOCloexec) != 0;
  const std::pair<sim::Handle, std::shared_ptr<sim::FileObject>> ends[] = {
      {*first, read_end}, {*second, write_end}};
  for (const auto& [fd, end] : ends) {
    auto installed =
        p.fds().InstallAt(fd, std::make_shared<sim::OpenFileDescription>(end, status), cloexec);
    if (!installed) return Errno(kEMFILE);
  }
  return Success();
}

CallResult LinuxPersonality::Eventfd2(sim::Process& p, std::uint32_t initval, int flags) {
  // do_eventfd: flags beyond EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK are EINVAL.
  if ((flags & ~(kEfdSemaphore | kEfdCloexec | kEfdNonblock)) != 0) return Errno(kEINVAL);
  sim::StatusFlags status;
  status.nonblocking = (flags & kEfdNonblock) != 0;
  auto ofd = std::make_shared<sim::OpenFileDescription>(
      std::make_shared<EventFd>(initval, (flags & kEfdSemaphore) != 0), status);
  auto fd = p.fds().Install(std::move(ofd), (flags & kEfdCloexec) != 0);
  if (!fd) return Errno(kEMFILE);
  return Success(static_cast<std::int64_t>(*fd));
}

CallResult LinuxPersonality::Read(sim::Process& p, int fd, UserAddress buf, std::uint64_t count) {
  // ksys_read: fdget_pos (O_PATH is EBADF); vfs_read: FMODE_READ (EBADF), access_ok
  // (EFAULT), then the count clamped to MAX_RW_COUNT.
  if (fd < 0) return Errno(kEBADF);
  const sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return Errno(kEBADF);
  if (!MayRead(*entry->description->object())) return Errno(kEBADF);
  if (!AccessOk(buf, count)) return Errno(kEFAULT);
  return DoRead(p, fd, {IoVector{buf, std::min(count, kMaxRwCount)}});
}

CallResult LinuxPersonality::Write(sim::Process& p, int fd, UserAddress buf,
                                   std::uint64_t count) {
  // ksys_write / vfs_write: the same checks with FMODE_WRITE.
  if (fd < 0) return Errno(kEBADF);
  const sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return Errno(kEBADF);
  if (!MayWrite(*entry->description->object())) return Errno(kEBADF);
  if (!AccessOk(buf, count)) return Errno(kEFAULT);
  return DoWrite(p, fd, {IoVector{buf, std::min(count, kMaxRwCount)}});
}

CallResult LinuxPersonality::DoRead(sim::Process& p, int fd, std::vector<IoVector> iov) {
  sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  const sim::OfdRef ofd = entry->description;  // kept alive across a wait
  const bool nonblocking = ofd->flags().nonblocking;
  const std::uint64_t total = TotalLength(iov);
  const auto& object = ofd->object();
  switch (object->kind()) {
    case sim::FileKind::kSocket: {
      // sock_read_iter: a read of nothing returns 0 at once ("match SYS5 behaviour"); then
      // sock_recvmsg with MSG_DONTWAIT for a non-blocking file.
      if (total == 0) return Success();
      auto& s = static_cast<stack::Socket&>(*object);
      CallerSink sink(p.memory(), iov);
      auto got = stack_.Receive(s, total, /*peek=*/false, sink);
      if (!got && got.error() == stack::Error::kWouldBlock && !nonblocking) {
        if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) {
          return CallResult::Blocked();
        }
        got = stack_.Receive(s, total, /*peek=*/false, sink);
      }
      if (!got) return Error(got.error());
      stack_.Settle();  // as recvfrom (io_calls.cc): an ACK the read sent is answered
      return Success(static_cast<std::int64_t>(got->length));
    }
    case sim::FileKind::kPipe: {
      // pipe_read: nothing asked is 0; an empty pipe is end of file once no writer is left,
      // else EAGAIN or a wait; the bytes copied are taken, a fault before the first is
      // EFAULT and leaves them in the pipe.
      if (total == 0) return Success();
      auto& end = static_cast<sim::PipeEnd&>(*object);
      const auto ready = [&end] { return !end.channel().bytes.empty() || end.AtEnd(); };
      if (!ready()) {
        if (nonblocking) return Errno(kEAGAIN);
        if (!stack_.RunUntil(ready)) return CallResult::Blocked();
      }
      if (end.AtEnd()) return Success();
      std::uint64_t room = 0;
      for (const IoVector& v : iov) {
        const std::uint64_t w = p.memory().AccessiblePrefix(v.base, v.len, sim::Protection::kWrite);
        room += w;
        if (w < v.len) break;
      }
      if (room == 0) return Errno(kEFAULT);
      const std::string bytes = end.Read(static_cast<std::size_t>(std::min<std::uint64_t>(room, total)));
      CallerSink sink(p.memory(), iov);
      (void)sink.Write(bytes);
      return Success(static_cast<std::int64_t>(bytes.size()));
    }
    case sim::FileKind::kEventFd: {
      // eventfd_read: fewer than 8 bytes is EINVAL; a zero counter EAGAIN or a wait; the
      // value is taken before the copy, so a fault (EFAULT) loses it.
      auto& counter = static_cast<EventFd&>(*object);
      if (total < 8) return Errno(kEINVAL);
      const auto ready = [&counter] { return counter.count() != 0; };
      if (!ready()) {
        if (nonblocking) return Errno(kEAGAIN);
        if (!stack_.RunUntil(ready)) return CallResult::Blocked();
      }
      const std::uint64_t v = counter.Take();
      std::string bytes(8, '\0');
      for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
      CallerSink sink(p.memory(), iov);
      if (sink.Write(bytes) < 8) return Errno(kEFAULT);
      return Success(8);
    }
    case sim::FileKind::kEpoll:
      // eventpoll_fops has no read: vfs_read finds no FMODE_CAN_READ and says EINVAL.
      return Errno(kEINVAL);
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kCharDevice:
    case sim::FileKind::kUnknown:
      return Success();  // the simulator's files are empty: end of file
  }
  return Errno(kEINVAL);
}

CallResult LinuxPersonality::DoWrite(sim::Process& p, int fd, std::vector<IoVector> iov) {
  sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  const sim::OfdRef ofd = entry->description;
  const bool nonblocking = ofd->flags().nonblocking;
  const std::uint64_t total = TotalLength(iov);
  const auto& object = ofd->object();
  switch (object->kind()) {
    case sim::FileKind::kSocket: {
      // sock_write_iter: sock_sendmsg with MSG_DONTWAIT for a non-blocking file and MSG_EOR
      // on a seqpacket socket; no name, no control data.
      auto lookup = LookupSocket(p, fd);
      if (lookup.err != 0) return Errno(lookup.err);
      int flags = nonblocking ? kMsgDontwait : 0;
      if (lookup.socket->type() == SockType::kSeqPacket) flags |= kMsgEor;
      CallerBytes payload(p.memory(), iov);
      return DoSend(p, lookup, payload, flags, 0, 0, {});
    }
    case sim::FileKind::kPipe: {
      // pipe_write: nothing to write is 0 (even with no reader); no reader is EPIPE (with
      // SIGPIPE, not modelled); a write of at most PIPE_BUF bytes goes in whole or waits, a
      // longer one takes what fits (EAGAIN when nothing does and the pipe is non-blocking).
      if (total == 0) return Success();
      auto& end = static_cast<sim::PipeEnd&>(*object);
      if (!end.channel().reader_open) return Errno(kEPIPE);
      const auto room = [&end] { return kPipeCapacity - end.channel().bytes.size(); };
      const std::size_t needed = total <= kPipeBuf ? static_cast<std::size_t>(total) : 1;
      if (room() < needed) {
        if (nonblocking) return Errno(kEAGAIN);
        if (!stack_.RunUntil([&] { return room() >= needed || !end.channel().reader_open; })) {
          return CallResult::Blocked();
        }
        if (!end.channel().reader_open) return Errno(kEPIPE);
      }
      bool faulted = false;
      const std::uint64_t limit = std::min<std::uint64_t>(total, room());
      const auto bytes = Gather(p.memory(), iov, limit, &faulted);
      if (bytes->empty() && faulted) return Errno(kEFAULT);
      (void)end.Write(*bytes);
      return Success(static_cast<std::int64_t>(bytes->size()));
    }
    case sim::FileKind::kEventFd: {
      // eventfd_write (a ->write, so writev calls it once per vector): a count other than 8
      // is EINVAL (measured on 6.18: 3 and 16 bytes both), then the copy (EFAULT), ULLONG_MAX
      // EINVAL, then a value that would reach ULLONG_MAX waits (EAGAIN when non-blocking).
      auto& counter = static_cast<EventFd&>(*object);
      std::int64_t written = 0;
      for (const IoVector& v : iov) {
        CallResult r = Success(8);
        if (v.len != 8) {
          r = Errno(kEINVAL);
        } else if (const auto value = p.memory().ReadU64(v.base); !value) {
          r = Errno(kEFAULT);
        } else if (*value == ~std::uint64_t{0}) {
          r = Errno(kEINVAL);
        } else {
          if (!counter.Fits(*value)) {
            if (nonblocking) {
              r = Errno(kEAGAIN);
            } else if (!stack_.RunUntil([&] { return counter.Fits(*value); })) {
              return written == 0 ? CallResult::Blocked() : Success(written);
            }
          }
          if (r.succeeded()) counter.Add(*value);
        }
        // do_loop_readv_writev: the first failure ends the loop; it is the result only when
        // nothing was written before it.
        if (r.failed()) return written == 0 ? r : Success(written);
        written += 8;
      }
      return Success(written);
    }
    case sim::FileKind::kEpoll:
      return Errno(kEINVAL);  // nor a write (vfs_write: no FMODE_CAN_WRITE)
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kCharDevice:
    case sim::FileKind::kUnknown:
      return Success(static_cast<std::int64_t>(total));  // an empty sink takes every byte
  }
  return Errno(kEINVAL);
}

}  // namespace socksim::stack::linux_abi
