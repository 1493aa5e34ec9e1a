// File: stack/personality/linux/peer_calls.cc
// getpeername, getsockname and accept: the name each protocol reports (inet_getname,
// inet6_getname, unix_getname) and how it reaches the caller (move_addr_to_user). The
// getpeername(2) seed clauses LNX-1..LNX-18 are implemented here.
#include "sim/log.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/ipv6_flow.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

enum class NameKind { kSock, kPeer, kAccept };  // getname's peer argument: 0, 1, 2

// What the protocol's getname reports, before any user memory is touched: 0 with the name in
// `out`, or the errno.
int GetName(const stack::Socket& s, NameKind kind, SockaddrBytes& out) {
  if (s.family() == Family::kUnix) {
    // unix_getname: the peer's own address record (unnamed -> family only, length 2).
    const stack::Socket* owner = &s;
    if (kind != NameKind::kSock) {
      if (!s.unix_peer) return kENOTCONN;
      owner = s.unix_peer.get();
    }
    EncodeInto(owner->unix_name ? SocketAddress{*owner->unix_name}
                                : SocketAddress{UnixAddress::Unnamed()},
               out);
    return 0;
  }
  if (kind != NameKind::kSock) {
    // inet_getname / inet6_getname: no destination port means not connected; getpeername
    // (peer == 1) also refuses CLOSE and SYN_SENT. A socket in TIME-WAIT is CLOSE to Linux,
    // which hands the connection to a separate timewait sock (tcp_time_wait -> tcp_done).
    if (s.remote.port == 0) return kENOTCONN;
    if (kind == NameKind::kPeer && s.type() == SockType::kStream &&
        (s.state == TcpState::kClosed || s.state == TcpState::kSynSent ||
         s.state == TcpState::kTimeWait)) {
      return kENOTCONN;
    }
    sim::Endpoint peer = s.remote;
    // inet6_getname: np->flow_label while IPV6_FLOWINFO_SEND is on (ipv6_flow.h); a scope id
    // only for an address that needs one.
    peer.flow_info = PeerFlowInfo(s);
    if (!peer.address.IsLinkLocal()) peer.scope_id = 0;
    EncodeInto(SocketAddress{peer}, out);
    return 0;
  }
  sim::Endpoint local = s.local;
  local.flow_info = 0;
  if (!local.address.IsLinkLocal()) local.scope_id = 0;
  EncodeInto(SocketAddress{local}, out);
  return 0;
}

}  // namespace

CallResult LinuxPersonality::MoveAddrToUser(sim::Process& p,
                                            std::span<const std::uint8_t> kaddr,
                                            UserAddress uaddr, UserAddress ulen) {
  auto& mem = p.memory();
  const auto klen = static_cast<std::int32_t>(kaddr.size());
  // The length is read as a signed int; an unreadable pointer is EFAULT (LNX-18, LNX-8).
  const auto raw_len = mem.ReadU32(ulen);
  if (!raw_len) return Errno(kEFAULT);
  std::int32_t len = static_cast<std::int32_t>(*raw_len);
  if (len > klen) len = klen;
  if (version_.WritesLengthBeforeAddress()) {
    // 6.18: the untruncated size goes back first (LNX-2, LNX-4), then a negative length is
    // EINVAL (LNX-9), a zero length touches no buffer, then the (possibly truncated) copy
    // (LNX-3), whose fault is EFAULT with *addrlen already updated (LNX-8).
    if (len >= 0 && !mem.WriteU32(ulen, static_cast<std::uint32_t>(klen))) return Errno(kEFAULT);
    if (len < 0) return Errno(kEINVAL);
    if (len == 0) return Success();
    if (mem.CopyOut(uaddr, kaddr.first(static_cast<std::size_t>(len))).fault) {
      return Errno(kEFAULT);
    }
    return Success();
  }
  // Up to 6.17: EINVAL, the copy, and only then the length (so a bad buffer leaves *addrlen
  // unchanged and a read-only *addrlen faults after the address was copied).
  if (len < 0) return Errno(kEINVAL);
  if (len > 0 &&
      mem.CopyOut(uaddr, kaddr.first(static_cast<std::size_t>(len))).fault) {
    return Errno(kEFAULT);
  }
  if (!mem.WriteU32(ulen, static_cast<std::uint32_t>(klen))) return Errno(kEFAULT);
  return Success();
}

CallResult LinuxPersonality::DoGetName(sim::Process& p, int fd, UserAddress addr,
                                       UserAddress addrlen, bool peer) {
  // __sys_getpeername / __sys_getsockname: EBADF (LNX-7), ENOTSOCK (LNX-12), then the protocol
  // (ENOTCONN, LNX-11) before any user memory, then move_addr_to_user.
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  // ENOBUFS (LNX-10) has no source in the modelled kernel path; it is reachable through the
  // fault point "linux.getname.nobufs", placed where the security hook may refuse the call.
  if (stack_.world().faults().ShouldFail(peer ? "linux.getpeername.nobufs"
                                              : "linux.getsockname.nobufs")) {
    return Errno(kENOBUFS);
  }
  SockaddrBytes name;
  if (const int err = GetName(*lookup.socket, peer ? NameKind::kPeer : NameKind::kSock, name);
      err != 0) {
    return Errno(err);
  }
  return MoveAddrToUser(p, name.bytes(), addr, addrlen);
}

CallResult LinuxPersonality::Getpeername(sim::Process& p, int fd, UserAddress addr,
                                         UserAddress addrlen) {
  return DoGetName(p, fd, addr, addrlen, true);
}

CallResult LinuxPersonality::Getsockname(sim::Process& p, int fd, UserAddress addr,
                                         UserAddress addrlen) {
  return DoGetName(p, fd, addr, addrlen, false);
}

CallResult LinuxPersonality::Accept(sim::Process& p, int fd, UserAddress addr,
                                    UserAddress addrlen) {
  return DoAccept(p, fd, addr, addrlen, 0);
}

CallResult LinuxPersonality::Accept4(sim::Process& p, int fd, UserAddress addr,
                                     UserAddress addrlen, int flags) {
  return DoAccept(p, fd, addr, addrlen, flags);
}

CallResult LinuxPersonality::DoAccept(sim::Process& p, int fd, UserAddress addr,
                                      UserAddress addrlen, int flags) {
  // __sys_accept4: unknown flags first, then the descriptor.
  if ((flags & ~(kSockCloexec | kSockNonblock)) != 0) return Errno(kEINVAL);
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& listener = *lookup.socket;
  // do_accept reserves the new descriptor before waiting (EMFILE wins over EAGAIN/EINVAL).
  if (!p.fds().NextFree(0)) return Errno(kEMFILE);
  const bool nonblocking = lookup.entry->description->flags().nonblocking;
  auto child = stack_.Accept(listener, Caller(p));
  if (!child && child.error() == Error::kWouldBlock && !nonblocking) {
    // inet_csk_wait_for_connect: sleep until a connection is queued.
    if (!stack_.RunUntil([&] { return stack_.ReadyToAccept(listener); })) {
      return CallResult::Blocked();
    }
    child = stack_.Accept(listener, Caller(p));
  }
  if (!child) return Error(child.error());
  // tcp_v6_syn_recv_sock copies the listener's ipv6_pinfo (IPV6_FLOWINFO_SEND included).
  Ipv6FlowLabels::Inherit(listener, **child);
  if (addr != 0) {
    // The address uses getname(peer = 2): even a connection reset since it was queued still
    // reports its peer (linux.md "Most surprising" 5).
    SockaddrBytes name;
    if (const int err = GetName(**child, NameKind::kAccept, name); err != 0) return Errno(err);
    const CallResult moved = MoveAddrToUser(p, name.bytes(), addr, addrlen);
    // On a copy-out failure the new connection is dropped with its file (do_accept out_fd):
    // it is closed as if by close(), and the client sees the end of the stream (measured E5d).
    if (moved.failed()) {
      stack_.Release(**child);
      stack_.Settle();
      return moved;
    }
  }
  return InstallSocket(p, *child, flags);
}

}  // namespace socksim::stack::linux_abi
