// File: stack/personality/linux/io_calls.cc
// Data transfer: sendto/recvfrom and sendmsg/recvmsg with SCM_RIGHTS (net/socket.c
// __sys_sendto, __sys_recvfrom, ____sys_sendmsg, ____sys_recvmsg; lib/iov_iter.c import_ubuf
// and import_iovec; net/core/scm.c __scm_send, scm_detach_fds). The caller's bytes are read
// where the protocol copies them, so the protocol's own errors (EPIPE, ENOTCONN, EMSGSIZE,
// EDESTADDRREQ) come before a fault on the buffer, and no caller-chosen length allocates
// anything: a length is clamped to MAX_RW_COUNT and only the readable prefix is ever copied.
// SIGPIPE is not modelled: an EPIPE is returned as if the signal were ignored.
#include <algorithm>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

struct Iovec {
  UserAddress base = 0;
  std::uint64_t len = 0;
};

struct Msghdr {
  UserAddress name = 0;
  std::uint32_t namelen = 0;
  std::vector<Iovec> iov;
  UserAddress control = 0;
  std::uint64_t controllen = 0;
};

// access_ok() on x86-64: the whole range lies below the top of user space (no wrap-around).
// It does not look at mappings: an unmapped but user-space range passes and faults later.
bool AccessOk(UserAddress addr, std::uint64_t size) {
  return addr <= kUserSpaceEnd && size <= kUserSpaceEnd - addr;
}

// copy_msghdr_from_user + import_iovec: EFAULT for unreadable structures, EMSGSIZE for too many
// vectors, EFAULT for a vector outside user space; the total is clamped to MAX_RW_COUNT.
std::optional<Msghdr> ReadMsghdr(const sim::AddressSpace& mem, UserAddress msg, int* err) {
  Msghdr h;
  const auto name = mem.ReadU64(msg);
  const auto namelen = mem.ReadU32(msg + 8);
  const auto iov = mem.ReadU64(msg + 16);
  const auto iovlen = mem.ReadU64(msg + 24);
  const auto control = mem.ReadU64(msg + 32);
  const auto controllen = mem.ReadU64(msg + 40);
  if (!name || !namelen || !iov || !iovlen || !control || !controllen) {
    *err = kEFAULT;
    return std::nullopt;
  }
  if (*iovlen > kUioMaxIov) {
    *err = kEMSGSIZE;
    return std::nullopt;
  }
  h.name = *name;
  h.namelen = *namelen;
  h.control = *control;
  h.controllen = *controllen;
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < *iovlen; ++i) {
    const auto base = mem.ReadU64(*iov + 16 * i);
    const auto len = mem.ReadU64(*iov + 16 * i + 8);
    if (!base || !len) {
      *err = kEFAULT;
      return std::nullopt;
    }
    // iov_iter_init / import_iovec: a negative (ssize_t) length is EINVAL; each vector is
    // shortened so that the total stays within MAX_RW_COUNT; each must be in user space.
    if (static_cast<std::int64_t>(*len) < 0) {
      *err = kEINVAL;
      return std::nullopt;
    }
    const std::uint64_t room = kMaxRwCount - total;
    const std::uint64_t taken = std::min(*len, room);
    if (!AccessOk(*base, taken)) {
      *err = kEFAULT;
      return std::nullopt;
    }
    total += taken;
    h.iov.push_back(Iovec{*base, taken});
  }
  return h;
}

// The caller's bytes, read on demand. A stream protocol copies them in chunks of about 64 KiB
// (TCP: the segment size goal; AF_UNIX: half the send buffer) and a chunk that faults is not
// sent at all, so a fault within the first chunk is EFAULT and only a longer readable prefix
// is a partial send (measured: 4 readable bytes of 10 give EFAULT; 2 MiB readable of 4 MiB
// give 2,096,720). The partial count is the readable prefix here; Linux's is a few hundred
// bytes lower, where its buffers ended.
class CallerBytes final : public Payload {
 public:
  CallerBytes(const sim::AddressSpace& mem, std::vector<Iovec> iov) : mem_(mem), iov_(std::move(iov)) {
    for (const Iovec& v : iov_) size_ += v.len;
  }
  std::uint64_t size() const override { return size_; }
  std::optional<std::string> Read(bool partial) override {
    static constexpr std::uint64_t kStreamChunk = 65536;
    std::string out;
    for (const Iovec& v : iov_) {
      // Only the readable prefix is ever allocated: the mapping bounds it, not the length.
      const std::uint64_t readable = mem_.AccessiblePrefix(v.base, v.len, sim::Protection::kRead);
      const std::size_t at = out.size();
      out.resize(at + readable);
      std::span<std::uint8_t> dst(reinterpret_cast<std::uint8_t*>(out.data()) + at, readable);
      (void)mem_.CopyIn(v.base, dst);
      if (readable < v.len) {
        if (!partial || out.size() < kStreamChunk) return std::nullopt;
        return out;
      }
    }
    return out;
  }

 private:
  const sim::AddressSpace& mem_;
  std::vector<Iovec> iov_;
  std::uint64_t size_ = 0;
};

// Where received bytes go: the caller's vectors, filled in order.
class CallerSink final : public ReceiveSink {
 public:
  CallerSink(sim::AddressSpace& mem, std::vector<Iovec> iov) : mem_(mem), iov_(std::move(iov)) {}
  std::size_t Write(std::string_view bytes) override {
    std::size_t done = 0;
    while (done < bytes.size() && index_ < iov_.size()) {
      const Iovec& v = iov_[index_];
      const std::uint64_t room = v.len - offset_;
      const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(room, bytes.size() - done));
      const auto* src = reinterpret_cast<const std::uint8_t*>(bytes.data()) + done;
      const sim::CopyResult copied = mem_.CopyOut(v.base + offset_, std::span(src, take));
      done += copied.bytes_copied;
      offset_ += copied.bytes_copied;
      if (copied.fault) break;
      if (offset_ == v.len) {
        ++index_;
        offset_ = 0;
      }
    }
    return done;
  }

 private:
  sim::AddressSpace& mem_;
  std::vector<Iovec> iov_;
  std::size_t index_ = 0;
  std::uint64_t offset_ = 0;
};

}  // namespace

CallResult LinuxPersonality::DoSend(sim::Process& p, SocketLookup& lookup, Payload& payload,
                                    int flags, UserAddress dest, std::uint32_t destlen,
                                    std::vector<sim::OfdRef> rights) {
  stack::Socket& s = *lookup.socket;
  (void)flags;
  // The address is copied in before the protocol runs (move_addr_to_kernel); a non-NULL
  // pointer with length 0 is a name of length 0.
  const bool has_name = dest != 0;
  RawAddress raw;
  if (has_name) {
    raw = ReadSockaddr(p, dest, destlen);
    if (raw.err != 0) return Errno(raw.err);
  }
  std::optional<SocketAddress> destination;
  if (s.family() == Family::kUnix) {
    // unix_*_sendmsg look at msg_namelen, not the pointer.
    if (!raw.bytes.empty()) {
      if (s.type() == SockType::kDgram) {
        if (raw.bytes.size() <= 2 || raw.bytes.size() > kSockaddrUnSize ||
            ReadFamily(raw.bytes) != kAfUnix) {
          return Errno(kEINVAL);
        }
        destination = DecodeSockaddrUn(raw.bytes);
      } else if (s.type() == SockType::kStream) {
        destination = UnixAddress::Unnamed();  // any name: unix_stream_sendmsg refuses it
      }
    }
  } else if (s.type() == SockType::kDgram) {
    // inet_sendmsg -> inet_send_prepare: an unbound socket gets a port first, so a send that
    // then fails leaves it bound (measured: EDESTADDRREQ and EMSGSIZE both leave a port).
    if (!s.port_registered) {
      auto bound = stack_.EnsurePort(s);
      if (!bound) return Errno(kEAGAIN);
    }
    // udp_sendmsg: more than 0xFFFF bytes is EMSGSIZE before the address is looked at.
    if (payload.size() > 0xFFFF) return Errno(kEMSGSIZE);
    if (has_name) {
      // udp_sendmsg / udpv6_sendmsg address checks (the pointer, not the length, says there
      // is a name: a name of length 0 is too short).
      const auto family = ReadFamily(raw.bytes);
      if (s.family() == Family::kInet) {
        if (raw.bytes.size() < kSockaddrInSize) return Errno(kEINVAL);
        if (family != kAfInet && family != kAfUnspec) return Errno(kEAFNOSUPPORT);
        destination = DecodeSockaddrIn(raw.bytes);
      } else if (family == kAfInet) {
        if (raw.bytes.size() < kSockaddrInSize) return Errno(kEINVAL);
        sim::Endpoint ep = DecodeSockaddrIn(raw.bytes);
        ep.address = ep.address.ToV4Mapped();
        destination = ep;
      } else {
        if (raw.bytes.size() < kSin6LenRfc2133) return Errno(kEINVAL);
        if (family != kAfInet6) return Errno(kEAFNOSUPPORT);
        destination = DecodeSockaddrIn6(raw.bytes);
      }
    }
  }
  // TCP ignores a destination (tcp_sendmsg without Fast Open).
  auto sent = stack_.Send(s, payload, destination, std::move(rights));
  if (!sent) {
    // tcp_sendmsg: an unconnected stream socket is EPIPE (sk_stream_wait_connect), while
    // unix_stream_sendmsg says ENOTCONN.
    if (sent.error() == Error::kNotConnected && s.is_tcp()) return Errno(kEPIPE);
    return Error(sent.error());
  }
  stack_.Settle();
  return Success(static_cast<std::int64_t>(*sent));
}

CallResult LinuxPersonality::Sendto(sim::Process& p, int fd, UserAddress buf, std::uint64_t len,
                                    int flags, UserAddress dest, std::uint32_t destlen) {
  // __sys_sendto: import_ubuf (clamp to MAX_RW_COUNT, access_ok) comes before the descriptor.
  const std::uint64_t clamped = std::min(len, kMaxRwCount);
  if (!AccessOk(buf, clamped)) return Errno(kEFAULT);
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  CallerBytes payload(p.memory(), {Iovec{buf, clamped}});
  return DoSend(p, lookup, payload, flags, dest, destlen, {});
}

CallResult LinuxPersonality::Recvfrom(sim::Process& p, int fd, UserAddress buf, std::uint64_t len,
                                      int flags, UserAddress src, UserAddress srclen) {
  // __sys_recvfrom: import_ubuf first, then the descriptor.
  const std::uint64_t clamped = std::min(len, kMaxRwCount);
  if (!AccessOk(buf, clamped)) return Errno(kEFAULT);
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  const bool nonblocking =
      lookup.entry->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  const bool peek = (flags & kMsgPeek) != 0;
  CallerSink sink(p.memory(), {Iovec{buf, clamped}});
  auto got = stack_.Receive(s, clamped, peek, sink);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult::Blocked();
    got = stack_.Receive(s, clamped, peek, sink);
  }
  if (!got) return Error(got.error());
  if (src != 0) {
    // The name length is 0 when the sender has none (TCP, unnamed UNIX senders): linux.md 1.7.
    std::vector<std::uint8_t> name;
    if (got->source) name = Encode(*got->source);
    const CallResult moved = MoveAddrToUser(p, name, src, srclen);
    if (moved.failed()) return moved;
  }
  // MSG_TRUNC asks a datagram socket for the real length of a longer message.
  std::int64_t result = static_cast<std::int64_t>(got->length);
  if ((flags & kMsgTrunc) != 0 && s.type() == SockType::kDgram) {
    result = static_cast<std::int64_t>(got->message_length);
  }
  // Descriptors that arrive without recvmsg are discarded (their references dropped).
  return Success(result);
}

CallResult LinuxPersonality::Sendmsg(sim::Process& p, int fd, UserAddress msg, int flags) {
  // __sys_sendmsg: the descriptor first, then the msghdr.
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  int err = 0;
  const auto h = ReadMsghdr(p.memory(), msg, &err);
  if (!h) return Errno(err);
  // __scm_send: walk the control messages; SCM_RIGHTS descriptors must be open (EBADF), and
  // only AF_UNIX carries them (others: EINVAL from __scm_send's family test is not modelled:
  // the stack reports EOPNOTSUPP).
  std::vector<sim::OfdRef> rights;
  std::uint64_t offset = 0;
  while (h->controllen >= kCmsghdrSize && offset + kCmsghdrSize <= h->controllen) {
    const auto cmsg_len = p.memory().ReadU64(h->control + offset);
    const auto level = p.memory().ReadU32(h->control + offset + 8);
    const auto type = p.memory().ReadU32(h->control + offset + 12);
    if (!cmsg_len || !level || !type) return Errno(kEFAULT);
    if (*cmsg_len < kCmsghdrSize || offset + *cmsg_len > h->controllen) return Errno(kEINVAL);
    if (static_cast<int>(*level) == kSolSocket && static_cast<int>(*type) == kScmRights) {
      const std::uint64_t count = (*cmsg_len - kCmsghdrSize) / 4;
      for (std::uint64_t i = 0; i < count; ++i) {
        const auto passed = p.memory().ReadU32(h->control + offset + kCmsghdrSize + 4 * i);
        if (!passed) return Errno(kEFAULT);
        const sim::FdEntry* entry = p.fds().Lookup(*passed);
        if (entry == nullptr) return Errno(kEBADF);
        rights.push_back(entry->description);
      }
    }
    offset += (*cmsg_len + 7) & ~std::uint64_t{7};
  }
  CallerBytes payload(p.memory(), h->iov);
  return DoSend(p, lookup, payload, flags, h->name, h->namelen, std::move(rights));
}

CallResult LinuxPersonality::Recvmsg(sim::Process& p, int fd, UserAddress msg, int flags) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  int err = 0;
  const auto h = ReadMsghdr(p.memory(), msg, &err);
  if (!h) return Errno(err);
  std::uint64_t capacity = 0;
  for (const Iovec& v : h->iov) capacity += v.len;
  const bool nonblocking =
      lookup.entry->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  const bool peek = (flags & kMsgPeek) != 0;
  CallerSink sink(p.memory(), h->iov);
  auto got = stack_.Receive(s, capacity, peek, sink);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult::Blocked();
    got = stack_.Receive(s, capacity, peek, sink);
  }
  if (!got) return Error(got.error());
  // ____sys_recvmsg: with a name buffer, move_addr_to_user copies the sender's name (0 bytes
  // when it has none) against the caller's msg_namelen; without one, msg_namelen is not
  // written at all (checked with --host: udp/recv-truncated-datagram.scn).
  if (h->name != 0) {
    std::vector<std::uint8_t> name;
    if (got->source) name = Encode(*got->source);
    const CallResult moved = MoveAddrToUser(p, name, h->name, msg + 8);
    if (moved.failed()) return moved;
  }
  // scm_detach_fds: install as many descriptors as fit; the rest are dropped and MSG_CTRUNC is
  // set. A datagram longer than the room given sets MSG_TRUNC.
  std::uint32_t msg_flags = got->truncated ? static_cast<std::uint32_t>(kMsgTrunc) : 0u;
  std::uint64_t control_used = 0;
  if (!got->rights.empty()) {
    const std::uint64_t room =
        h->controllen >= kCmsghdrSize ? (h->controllen - kCmsghdrSize) / 4 : 0;
    const std::uint64_t fit = std::min<std::uint64_t>(room, got->rights.size());
    std::vector<sim::Handle> fds;
    for (std::uint64_t i = 0; i < fit; ++i) {
      auto installed = p.fds().Install(got->rights[i], false);
      if (!installed) break;
      fds.push_back(*installed);
    }
    if (fds.size() < got->rights.size()) msg_flags |= static_cast<std::uint32_t>(kMsgCtrunc);
    if (!fds.empty()) {
      const std::uint64_t cmsg_len = kCmsghdrSize + 4 * fds.size();
      bool ok = p.memory().WriteU64(h->control, cmsg_len) &&
                p.memory().WriteU32(h->control + 8, kSolSocket) &&
                p.memory().WriteU32(h->control + 12, kScmRights);
      for (std::size_t i = 0; i < fds.size() && ok; ++i) {
        ok = p.memory().WriteU32(h->control + kCmsghdrSize + 4 * i,
                                 static_cast<std::uint32_t>(fds[i]));
      }
      if (!ok) return Errno(kEFAULT);
      control_used = (cmsg_len + 7) & ~std::uint64_t{7};
    }
  }
  if (!p.memory().WriteU64(msg + 40, control_used) || !p.memory().WriteU32(msg + 48, msg_flags)) {
    return Errno(kEFAULT);
  }
  std::int64_t result = static_cast<std::int64_t>(got->length);
  if ((flags & kMsgTrunc) != 0 && s.type() == SockType::kDgram) {
    result = static_cast<std::int64_t>(got->message_length);
  }
  return Success(result);
}

}  // namespace socksim::stack::linux_abi
