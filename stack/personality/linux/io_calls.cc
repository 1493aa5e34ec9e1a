// File: stack/personality/linux/io_calls.cc
// Data transfer: sendto/recvfrom and sendmsg/recvmsg with SCM_RIGHTS (net/socket.c
// __sys_sendto, ____sys_sendmsg, ____sys_recvmsg; net/core/scm.c scm_fp_copy, scm_detach_fds).
// SIGPIPE is not modelled: an EPIPE is returned as if the signal were ignored.
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult{value, 0, false}; }
CallResult Errno(int err) { return CallResult{-1, err, false}; }

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

constexpr std::uint64_t kUioMaxIov = 1024;  // UIO_MAXIOV

// copy_msghdr_from_user + import_iovec: EFAULT for unreadable structures, EMSGSIZE for too many
// vectors.
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
  for (std::uint64_t i = 0; i < *iovlen; ++i) {
    const auto base = mem.ReadU64(*iov + 16 * i);
    const auto len = mem.ReadU64(*iov + 16 * i + 8);
    if (!base || !len) {
      *err = kEFAULT;
      return std::nullopt;
    }
    h.iov.push_back(Iovec{*base, *len});
  }
  return h;
}

}  // namespace

CallResult LinuxPersonality::DoSend(sim::Process& p, int fd, const std::string& bytes, int flags,
                                    UserAddress dest, std::uint32_t destlen,
                                    std::vector<sim::OfdRef> rights) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  (void)flags;
  std::optional<SocketAddress> destination;
  if (dest != 0 && destlen != 0) {
    auto raw = ReadSockaddr(p, dest, destlen);
    if (raw.err != 0) return Errno(raw.err);
    if (s.family() == Family::kUnix) {
      if (s.type() == SockType::kDgram) {
        if (raw.bytes.size() <= 2 || raw.bytes.size() > kSockaddrUnSize ||
            ReadFamily(raw.bytes) != kAfUnix) {
          return Errno(kEINVAL);
        }
        destination = DecodeSockaddrUn(raw.bytes);
      } else if (s.type() == SockType::kStream) {
        destination = UnixAddress::Unnamed();  // any name: unix_stream_sendmsg refuses it
      }
    } else if (s.type() == SockType::kDgram) {
      // udp_sendmsg / udpv6_sendmsg address checks.
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
    // TCP ignores a destination on a connected socket (tcp_sendmsg without Fast Open).
  }
  auto sent = stack_.Send(s, bytes, destination, std::move(rights), Caller(p));
  if (!sent) {
    // tcp_sendmsg: an unconnected stream socket is EPIPE (sk_stream_wait_connect), while
    // unix_stream_sendmsg says ENOTCONN.
    if (sent.error() == Error::kNotConnected && s.is_inet() && s.type() == SockType::kStream) {
      return Errno(kEPIPE);
    }
    return Error(sent.error());
  }
  stack_.Settle();
  return Success(static_cast<std::int64_t>(*sent));
}

CallResult LinuxPersonality::Sendto(sim::Process& p, int fd, UserAddress buf, std::uint64_t len,
                                    int flags, UserAddress dest, std::uint32_t destlen) {
  std::string bytes(len, '\0');
  if (len != 0) {
    std::span<std::uint8_t> out(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size());
    if (p.memory().CopyIn(buf, out).fault) {
      auto lookup = LookupSocket(p, fd);
      if (lookup.err != 0) return Errno(lookup.err);
      return Errno(kEFAULT);
    }
  }
  return DoSend(p, fd, bytes, flags, dest, destlen, {});
}

CallResult LinuxPersonality::Recvfrom(sim::Process& p, int fd, UserAddress buf, std::uint64_t len,
                                      int flags, UserAddress src, UserAddress srclen) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  const bool nonblocking =
      p.fds().Lookup(fd)->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  auto got = stack_.Receive(s, len, (flags & kMsgPeek) != 0);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult{-1, 0, true};
    got = stack_.Receive(s, len, (flags & kMsgPeek) != 0);
  }
  if (!got) return Error(got.error());
  const std::string& data = got->bytes;
  if (!data.empty() &&
      p.memory()
          .CopyOut(buf, std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()))
          .fault) {
    return Errno(kEFAULT);
  }
  if (src != 0) {
    // The name length is 0 when the sender has none (TCP, unnamed UNIX senders): linux.md 1.7.
    std::vector<std::uint8_t> name;
    if (got->source) name = Encode(*got->source);
    const CallResult moved = MoveAddrToUser(p, name, src, srclen);
    if (moved.failed()) return moved;
  }
  // Descriptors that arrive without recvmsg are discarded (their references dropped).
  return Success(static_cast<std::int64_t>(data.size()));
}

CallResult LinuxPersonality::Sendmsg(sim::Process& p, int fd, UserAddress msg, int flags) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  int err = 0;
  const auto h = ReadMsghdr(p.memory(), msg, &err);
  if (!h) return Errno(err);
  std::string bytes;
  for (const Iovec& v : h->iov) {
    std::string chunk(v.len, '\0');
    std::span<std::uint8_t> out(reinterpret_cast<std::uint8_t*>(chunk.data()), chunk.size());
    if (v.len != 0 && p.memory().CopyIn(v.base, out).fault) return Errno(kEFAULT);
    bytes += chunk;
  }
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
        const sim::FdEntry* entry = p.fds().Lookup(static_cast<int>(*passed));
        if (entry == nullptr) return Errno(kEBADF);
        rights.push_back(entry->description);
      }
    }
    offset += (*cmsg_len + 7) & ~std::uint64_t{7};
  }
  return DoSend(p, fd, bytes, flags, h->name, h->namelen, std::move(rights));
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
      p.fds().Lookup(fd)->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  auto got = stack_.Receive(s, capacity, (flags & kMsgPeek) != 0);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult{-1, 0, true};
    got = stack_.Receive(s, capacity, (flags & kMsgPeek) != 0);
  }
  if (!got) return Error(got.error());
  // Scatter the data over the vectors.
  std::size_t done = 0;
  for (const Iovec& v : h->iov) {
    if (done == got->bytes.size()) break;
    const std::size_t take = std::min<std::size_t>(v.len, got->bytes.size() - done);
    const auto* src = reinterpret_cast<const std::uint8_t*>(got->bytes.data()) + done;
    if (p.memory().CopyOut(v.base, std::span(src, take)).fault) return Errno(kEFAULT);
    done += take;
  }
  // The name: msg_namelen becomes the sender's name length (0 if none), truncated copy.
  std::vector<std::uint8_t> name;
  if (got->source) name = Encode(*got->source);
  if (h->name != 0 && !name.empty()) {
    const std::size_t n = std::min<std::size_t>(name.size(), h->namelen);
    if (p.memory().CopyOut(h->name, std::span(name.data(), n)).fault) return Errno(kEFAULT);
  }
  if (!p.memory().WriteU32(msg + 8, static_cast<std::uint32_t>(name.size()))) return Errno(kEFAULT);
  // scm_detach_fds: install as many descriptors as fit; the rest are dropped and MSG_CTRUNC is
  // set.
  std::uint32_t msg_flags = 0;
  std::uint64_t control_used = 0;
  if (!got->rights.empty()) {
    const std::uint64_t room =
        h->controllen >= kCmsghdrSize ? (h->controllen - kCmsghdrSize) / 4 : 0;
    const std::uint64_t fit = std::min<std::uint64_t>(room, got->rights.size());
    std::vector<int> fds;
    for (std::uint64_t i = 0; i < fit; ++i) {
      auto installed = p.fds().Install(got->rights[i], false);
      if (!installed) break;
      fds.push_back(*installed);
    }
    if (fds.size() < got->rights.size()) msg_flags |= 0x8;  // MSG_CTRUNC
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
  return Success(static_cast<std::int64_t>(got->bytes.size()));
}

}  // namespace socksim::stack::linux_abi
