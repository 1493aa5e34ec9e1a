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
#include "stack/personality/linux/caller_io.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

using Iovec = IoVector;

// overflowuid and overflowgid (kernel/sys.c, DEFAULT_OVERFLOWUID): what an id that cannot be
// mapped reads as.
constexpr std::uint32_t kOverflowId = 65534;

struct Msghdr {
  UserAddress name = 0;
  std::uint32_t namelen = 0;
  std::vector<Iovec> iov;
  UserAddress control = 0;
  std::uint64_t controllen = 0;
};

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
  // __copy_msghdr: too many vectors is EMSGSIZE here, before import_iovec would say EINVAL.
  if (*iovlen > kUioMaxIov) {
    *err = kEMSGSIZE;
    return std::nullopt;
  }
  h.name = *name;
  h.namelen = *namelen;
  h.control = *control;
  h.controllen = *controllen;
  auto iov_vectors = ImportIovec(mem, *iov, *iovlen, err);
  if (!iov_vectors) return std::nullopt;
  h.iov = std::move(*iov_vectors);
  return h;
}

// scm_check_creds, then __scm_send's pid lookup: (uid_t)-1 is no id (EINVAL); an unprivileged
// caller may name only its own thread-group id (CAP_SYS_ADMIN), one of its real, effective or
// saved uids (CAP_SETUID) and gids (CAP_SETGID), else EPERM; a pid no process has is ESRCH
// (find_get_pid). Privilege is effective uid 0 here.
int CheckCredentials(const sim::Process& p, std::uint32_t pid, std::uint32_t uid,
                     std::uint32_t gid) {
  if (uid == 0xffffffffu || gid == 0xffffffffu) return kEINVAL;
  const sim::Credentials& c = p.credentials();
  const bool privileged = c.privileged();
  const bool pid_ok = pid == static_cast<std::uint32_t>(p.pid()) || privileged;
  const bool uid_ok = uid == c.ruid || uid == c.euid || uid == c.suid || privileged;
  const bool gid_ok = gid == c.rgid || gid == c.egid || gid == c.sgid || privileged;
  if (!pid_ok || !uid_ok || !gid_ok) return kEPERM;
  return 0;
}

// One control message in recvmsg's buffer (put_cmsg): a buffer without room for a header gets
// nothing and MSG_CTRUNC; a shorter one than the message gets its prefix (cmsg_len says how
// much) and MSG_CTRUNC; the buffer then advances by CMSG_SPACE or what was left.
bool PutCmsg(sim::AddressSpace& mem, UserAddress control, std::uint64_t controllen,
             std::uint64_t* used, std::uint32_t* msg_flags, int level, int type,
             const std::vector<std::uint8_t>& data) {
  const std::uint64_t left = controllen - *used;
  if (control == 0 || left < kCmsghdrSize) {
    *msg_flags |= static_cast<std::uint32_t>(kMsgCtrunc);
    return true;
  }
  std::uint64_t cmlen = kCmsghdrSize + data.size();
  if (left < cmlen) {
    *msg_flags |= static_cast<std::uint32_t>(kMsgCtrunc);
    cmlen = left;
  }
  const UserAddress at = control + *used;
  std::vector<std::uint8_t> bytes(data.begin(), data.begin() + (cmlen - kCmsghdrSize));
  if (!mem.WriteU64(at, cmlen) || !mem.WriteU32(at + 8, static_cast<std::uint32_t>(level)) ||
      !mem.WriteU32(at + 12, static_cast<std::uint32_t>(type)) ||
      mem.CopyOut(at + kCmsghdrSize, bytes).fault) {
    return false;
  }
  *used += std::min(left, (kCmsghdrSize + data.size() + 7) & ~std::uint64_t{7});
  return true;
}

void PutU32Le(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

}  // namespace

bool LinuxPersonality::WaitAll(stack::Socket& s, int flags, bool nonblocking,
                               std::uint64_t wanted) {
  // MSG_WAITALL on a blocking stream socket (tcp_recvmsg_locked's target, unix_stream_read_generic's
  // target): the receive returns only once `wanted` bytes are there, or the stream ended, or
  // an error is pending. The wait happens before anything is taken, so a receive that must
  // wait for another process has no effect yet. MSG_PEEK and non-blocking calls ignore it.
  if ((flags & kMsgWaitall) == 0 || (flags & kMsgPeek) != 0 || (flags & kMsgDontwait) != 0 ||
      (nonblocking && !trying_) || !s.is_stream_like() || s.type() == SockType::kSeqPacket) {
    return true;
  }
  const auto filled = [&] {
    return s.QueuedBytes() >= wanted || s.peer_finished || s.shut_read || s.pending_error ||
           (s.is_tcp() && !CanReceive(s.state));
  };
  if (trying_) return filled();
  return stack_.RunUntil(filled);
}

CallResult LinuxPersonality::DoSend(sim::Process& p, SocketLookup& lookup, Payload& payload,
                                    int flags, UserAddress dest, std::uint32_t destlen,
                                    std::vector<sim::OfdRef> rights,
                                    std::optional<stack::MessageCredentials> given) {
  stack::Socket& s = *lookup.socket;
  // scm_send / scm_set_cred: the credentials a UNIX message may carry are the named ones or
  // the caller's own thread-group id and real uid and gid (current_uid, current_gid).
  const stack::SendCredentials credentials{
      given, stack::MessageCredentials{p.pid(), p.credentials().ruid, p.credentials().rgid}};
  const bool nonblocking =
      lookup.entry->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
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
  auto sent = stack_.Send(s, payload, destination, rights, credentials);
  if (!sent && sent.error() == Error::kWouldBlock && !nonblocking && s.is_tcp()) {
    // sk_stream_wait_connect: a blocking send during the handshake waits for its end (a
    // non-blocking one, or one with MSG_DONTWAIT, is EAGAIN).
    if (!stack_.RunUntil([&s] {
          return s.state != TcpState::kSynSent && s.state != TcpState::kSynReceived;
        })) {
      return CallResult::Blocked();
    }
    sent = stack_.Send(s, payload, destination, std::move(rights), credentials);
  }
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
  if (!WaitAll(s, flags, nonblocking, clamped)) return CallResult::Blocked();
  auto got = stack_.Receive(s, clamped, peek, sink);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult::Blocked();
    got = stack_.Receive(s, clamped, peek, sink);
  }
  if (!got) return Error(got.error());
  // An ACK the read sent (tcp_cleanup_rbuf) reaches the peer, and what it released comes
  // back, before the call returns, as over loopback.
  stack_.Settle();
  if (src != 0) {
    // The name length is 0 when the sender has none (TCP, unnamed UNIX senders): linux.md 1.7.
    SockaddrBytes name;
    if (got->source) EncodeInto(*got->source, name);
    const CallResult moved = MoveAddrToUser(p, name.bytes(), src, srclen);
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
  return DoSendmsg(p, lookup, msg, flags);
}

CallResult LinuxPersonality::DoSendmsg(sim::Process& p, SocketLookup& lookup, UserAddress msg,
                                       int flags) {
  int err = 0;
  const auto h = ReadMsghdr(p.memory(), msg, &err);
  if (!h) return Errno(err);
  // __scm_send: walk the control messages; SCM_RIGHTS descriptors must be open (EBADF), and
  // only AF_UNIX carries them (others: EINVAL from __scm_send's family test is not modelled:
  // the stack reports EOPNOTSUPP).
  std::vector<sim::OfdRef> rights;
  std::optional<stack::MessageCredentials> given;
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
    } else if (static_cast<int>(*level) == kSolSocket &&
               static_cast<int>(*type) == kScmCredentials) {
      // __scm_send: exactly one struct ucred (CMSG_LEN(12)), else EINVAL.
      if (*cmsg_len != kCmsghdrSize + 12) return Errno(kEINVAL);
      const auto pid = p.memory().ReadU32(h->control + offset + kCmsghdrSize);
      const auto uid = p.memory().ReadU32(h->control + offset + kCmsghdrSize + 4);
      const auto gid = p.memory().ReadU32(h->control + offset + kCmsghdrSize + 8);
      if (!pid || !uid || !gid) return Errno(kEFAULT);
      if (const int refused = CheckCredentials(p, *pid, *uid, *gid); refused != 0) {
        return Errno(refused);
      }
      given = stack::MessageCredentials{static_cast<sim::Pid>(*pid), *uid, *gid};
    }
    offset += (*cmsg_len + 7) & ~std::uint64_t{7};
  }
  CallerBytes payload(p.memory(), h->iov);
  return DoSend(p, lookup, payload, flags, h->name, h->namelen, std::move(rights), given);
}

CallResult LinuxPersonality::Recvmsg(sim::Process& p, int fd, UserAddress msg, int flags) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  return DoRecvmsg(p, lookup, msg, flags);
}

CallResult LinuxPersonality::DoRecvmsg(sim::Process& p, SocketLookup& lookup, UserAddress msg,
                                       int flags) {
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
  if (!WaitAll(s, flags, nonblocking, capacity)) return CallResult::Blocked();
  auto got = stack_.Receive(s, capacity, peek, sink);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!stack_.RunUntil([&] { return stack_.ReadyToReceive(s); })) return CallResult::Blocked();
    got = stack_.Receive(s, capacity, peek, sink);
  }
  if (!got) return Error(got.error());
  // An ACK the read sent (tcp_cleanup_rbuf) reaches the peer, and what it released comes
  // back, before the call returns, as over loopback.
  stack_.Settle();
  // ____sys_recvmsg: with a name buffer, move_addr_to_user copies the sender's name (0 bytes
  // when it has none) against the caller's msg_namelen; without one, msg_namelen is not
  // written at all (checked with --host: udp/recv-truncated-datagram.scn).
  if (h->name != 0) {
    SockaddrBytes name;
    if (got->source) EncodeInto(*got->source, name);
    const CallResult moved = MoveAddrToUser(p, name.bytes(), h->name, msg + 8);
    if (moved.failed()) return moved;
  }
  std::uint32_t msg_flags = got->truncated ? static_cast<std::uint32_t>(kMsgTrunc) : 0u;
  std::uint64_t control_used = 0;
  // scm_recv: a UNIX socket with SO_PASSCRED gets the message's credentials first; a message
  // sent with none attached says pid 0 and the overflow ids (from_kuid_munged of INVALID_UID).
  if (s.family() == Family::kUnix && s.options.pass_credentials) {
    const stack::MessageCredentials creds =
        got->passed.value_or(stack::MessageCredentials{0, kOverflowId, kOverflowId});
    std::vector<std::uint8_t> ucred;
    PutU32Le(ucred, static_cast<std::uint32_t>(creds.pid));
    PutU32Le(ucred, creds.uid);
    PutU32Le(ucred, creds.gid);
    if (!PutCmsg(p.memory(), h->control, h->controllen, &control_used, &msg_flags, kSolSocket,
                 kScmCredentials, ucred)) {
      return Errno(kEFAULT);
    }
  }
  // ip6_datagram_recv_common_ctl (udpv6_recvmsg): after IPV6_RECVPKTINFO a UDP IPv6 socket is
  // told each datagram's destination (v4-mapped for IPv4) and arriving interface, a struct
  // in6_pktinfo. Traffic from the node itself arrives over the loopback.
  if (s.family() == Family::kInet6 && s.type() == SockType::kDgram && !s.is_tcp() &&
      StateOf(s).ipv6_recvpktinfo && got->destination) {
    const sim::Topology& topo = stack_.world().topology();
    const sim::Node& node = topo.node(s.node());
    std::uint32_t ifindex = topo.interface(node.interfaces.front()).index;
    const bool from_here =
        got->source && std::holds_alternative<sim::Endpoint>(*got->source) &&
        topo.IsLocalAddress(s.node(), std::get<sim::Endpoint>(*got->source).address);
    if (!from_here) {
      for (const sim::InterfaceId id : node.interfaces) {
        for (const auto& a : topo.interface(id).addresses) {
          if (a.address == got->destination->address) ifindex = topo.interface(id).index;
        }
      }
    }
    const sim::IpAddress to = got->destination->address.ToV4Mapped();
    std::vector<std::uint8_t> info(to.bytes().begin(), to.bytes().end());
    PutU32Le(info, ifindex);
    if (!PutCmsg(p.memory(), h->control, h->controllen, &control_used, &msg_flags, kSolIpv6,
                 kIpv6Pktinfo, info)) {
      return Errno(kEFAULT);
    }
  }
  // scm_detach_fds: install as many descriptors as the room left holds (scm_max_fds); the rest
  // are dropped and MSG_CTRUNC is set. The buffer advances by CMSG_SPACE, or by what was left
  // when that is less. A datagram longer than the room given sets MSG_TRUNC. The descriptors
  // are close-on-exec when recvmsg was given MSG_CMSG_CLOEXEC (____sys_recvmsg keeps it in
  // msg_flags; scm_detach_fds passes O_CLOEXEC to receive_fd_user).
  if (!got->rights.empty()) {
    const bool cloexec = (flags & kMsgCmsgCloexec) != 0;
    const std::uint64_t left = h->controllen - control_used;
    const std::uint64_t room = left > kCmsghdrSize ? (left - kCmsghdrSize) / 4 : 0;
    const std::uint64_t fit = std::min<std::uint64_t>(room, got->rights.size());
    std::vector<sim::Handle> fds;
    for (std::uint64_t i = 0; i < fit; ++i) {
      auto installed = p.fds().Install(got->rights[i], cloexec);
      if (!installed) break;
      fds.push_back(*installed);
    }
    if (fds.size() < got->rights.size()) msg_flags |= static_cast<std::uint32_t>(kMsgCtrunc);
    if (!fds.empty()) {
      const UserAddress at = h->control + control_used;
      const std::uint64_t cmsg_len = kCmsghdrSize + 4 * fds.size();
      bool ok = p.memory().WriteU64(at, cmsg_len) && p.memory().WriteU32(at + 8, kSolSocket) &&
                p.memory().WriteU32(at + 12, kScmRights);
      for (std::size_t i = 0; i < fds.size() && ok; ++i) {
        ok = p.memory().WriteU32(at + kCmsghdrSize + 4 * i, static_cast<std::uint32_t>(fds[i]));
      }
      if (!ok) return Errno(kEFAULT);
      control_used += std::min(left, (cmsg_len + 7) & ~std::uint64_t{7});
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
