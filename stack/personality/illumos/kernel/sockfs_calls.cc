// File: stack/personality/illumos/kernel/sockfs_calls.cc
// The socket calls as sockfs answers them (uts/common/fs/sockfs/socksyscalls.c: so_socket,
// so_socketpair, bind, listen, connect, accept, getsockname, getpeername, shutdown, the
// send/recv family, setsockopt/getsockopt; sockcommon_sops.c for the non-STREAMS sockets,
// socktpi.c for AF_UNIX), over the neutral stack. Each call looks the descriptor up first
// (getsonode(): EBADF, then ENOTSOCK), then copies its arguments in, then asks the stack.
// Checks not cited below follow the general BSD-derived order and are confidence L.
#include <algorithm>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/sockfs.h"
#include "stack/personality/illumos/kernel/ucred_layout.h"
#include "stack/personality/illumos/kernel/vnode.h"
#include "stack/personality/illumos/sockaddr_codec.h"

namespace socksim::stack::illumos_abi {
namespace {

struct TypeDecode {
  Family family = Family::kUnspec;
  SockType type = SockType::kStream;
  int err = 0;
};

// so_socket() -> solookup(): the family, then the (family, type, protocol) entry of the
// sockparams table: tcp and udp for AF_INET/AF_INET6, tl (ticotsord, ticlts) for AF_UNIX.
TypeDecode DecodeSocketArgs(int domain, int type, int protocol) {
  TypeDecode out;
  if (domain == kAfInet) {
    out.family = Family::kInet;
  } else if (domain == kAfInet6) {
    out.family = Family::kInet6;
  } else if (domain == kAfUnix) {
    out.family = Family::kUnix;
  } else {
    return {Family::kUnspec, SockType::kStream, kEAFNOSUPPORT};
  }
  if (out.family == Family::kUnix) {
    if (protocol != 0) return {out.family, out.type, kEPROTONOSUPPORT};
    if (type == kSockStream) return {out.family, SockType::kStream, 0};
    if (type == kSockDgram) return {out.family, SockType::kDgram, 0};
    if (type == kSockSeqPacket) return {out.family, SockType::kSeqPacket, 0};
    return {out.family, out.type, kEPROTONOSUPPORT};
  }
  if (type == kSockStream && (protocol == 0 || protocol == kIpprotoTcp)) {
    return {out.family, SockType::kStream, 0};
  }
  if (type == kSockDgram && (protocol == 0 || protocol == kIpprotoUdp)) {
    return {out.family, SockType::kDgram, 0};
  }
  // Raw, SCTP and routing sockets are not modelled.
  return {out.family, out.type, kEPROTONOSUPPORT};
}

// What a receive writes into: the caller's buffer, through copy-out.
class CallerSink final : public ReceiveSink {
 public:
  CallerSink(sim::AddressSpace& mem, UserAddress at) : mem_(mem), at_(at) {}
  std::size_t Write(std::string_view bytes) override {
    std::span<const std::uint8_t> data(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size());
    const sim::CopyResult r = mem_.CopyOut(at_ + written_, data);
    written_ += r.bytes_copied;
    return r.bytes_copied;
  }

 private:
  sim::AddressSpace& mem_;
  UserAddress at_;
  std::size_t written_ = 0;
};

// The caller's bytes, read where the protocol copies them.
class CallerBytes final : public Payload {
 public:
  CallerBytes(const sim::AddressSpace& mem, UserAddress at, std::uint64_t len)
      : mem_(mem), at_(at), len_(len) {}
  std::uint64_t size() const override { return len_; }
  std::optional<std::string> Read(bool partial) override {
    const std::uint64_t readable = mem_.AccessiblePrefix(at_, len_, sim::Protection::kRead);
    if (readable < len_ && (!partial || readable == 0)) return std::nullopt;
    std::string out(readable, '\0');
    std::span<std::uint8_t> dst(reinterpret_cast<std::uint8_t*>(out.data()), readable);
    (void)mem_.CopyIn(at_, dst);
    return out;
  }

 private:
  const sim::AddressSpace& mem_;
  UserAddress at_;
  std::uint64_t len_;
};

}  // namespace

// A TCP socket is connected from the moment its handshake completed until a reset, time-out
// or abort (so_connected() sets SS_ISCONNECTED; so_disconnected() clears it; a graceful end
// does not: tcp_clean_death(..., 0) makes no upcall). An AF_UNIX stream socket is connected
// until the connection is torn down without an orderly release (strsock_proto T_DISCON_IND),
// which the core shows as a peer that was never accepted and is gone.
bool ResetAfterBothFins(const stack::Socket& s) {
  return s.is_tcp() && s.termination && s.seq.fin_sent && s.peer_finished;
}

bool IsConnected(const stack::Socket& s) {
  // A datagram socket is connected once connect() named a peer: udp_connect() ends with the
  // su_connected upcall, which sets SS_ISCONNECTED (sockfs sockcommon_subr.c so_connected);
  // the stack records a UDP peer as its remote endpoint, a UNIX one as the connected phase.
  if (s.type() == SockType::kDgram) {
    return s.phase == Socket::Phase::kConnected || (s.is_inet() && s.remote.port != 0);
  }
  // A reset that ends a connection both sides had already finished (CLOSING, LAST-ACK) goes
  // through tcp_clean_death(tcp, 0): no su_disconnected() upcall, still connected (1.5).
  if (s.is_tcp()) return s.was_established && (!s.termination || ResetAfterBothFins(s));
  if (s.phase != Socket::Phase::kConnected) return false;
  if (s.termination && s.unix_peer && s.unix_peer->user_closed &&
      !s.unix_peer->credentials()->at_accept && s.unix_peer->origin == SocketOrigin::kAccepted) {
    return false;
  }
  return true;
}

CallResult Illumos::Socket(sim::Thread& t, std::int32_t domain, std::int32_t type,
                           std::int32_t protocol) {
  const int flags = type & ~kSockTypeMask;
  if ((flags & ~(kSockCloexec | kSockNonblock | kSockNdelay)) != 0) return Fail(t, kEINVAL);
  if ((type & kSockTypeMask) == kSockRaw || domain == kAfRoute) {
    return RawSocket(t, domain, type & kSockTypeMask, protocol, flags);
  }
  const TypeDecode d = DecodeSocketArgs(domain, type & kSockTypeMask, protocol);
  if (d.err != 0) return Fail(t, d.err);
  sim::Process& p = t.process();
  // The creator's credential and pid are taken here (tcp_create_common: conn_cred, conn_cpid;
  // tl_open: te_credp, te_cpid): the moment a connector later reports (reference 1.4).
  auto socket = stack_.Create(p.node(), d.family, d.type, protocol, policy_, p.Snapshot());
  if (!socket) return FailError(t, socket.error());
  return Install(t, *socket, (flags & (kSockNonblock | kSockNdelay)) != 0,
                 (flags & kSockCloexec) != 0);
}

CallResult Illumos::RawSocket(sim::Thread& t, std::int32_t domain, std::int32_t type,
                              std::int32_t protocol, std::int32_t flags) {
  // so_socket() -> solookup() on the sock2path entries for raw sockets: (AF_INET or AF_INET6,
  // SOCK_RAW, any protocol) is icmp, (AF_ROUTE, SOCK_RAW, 0 or a family to filter on:
  // rts.c rts_do_opt_set SO_PROTOTYPE) is rts. Other types in AF_ROUTE have no entry.
  if (domain != kAfInet && domain != kAfInet6 && domain != kAfRoute) {
    return Fail(t, kEAFNOSUPPORT);
  }
  if (type != kSockRaw) return Fail(t, kEPROTONOSUPPORT);
  if (domain == kAfRoute) {
    if (protocol != 0 && protocol != kAfInet && protocol != kAfInet6) {
      return Fail(t, kEPROTONOSUPPORT);
    }
    // rts.c rts_open(): no privilege is needed to open a routing socket.
  } else {
    if (protocol < 0 || protocol > kIpprotoRaw) return Fail(t, kEPROTONOSUPPORT);
    // icmp.c rawip_do_open(): secpolicy_net_icmpaccess() (os/policy.c), which fails with
    // EACCES without net_icmpaccess (uid 0 has it: the default sets give root all).
    if (!HasPrivilege(t.process().credentials(), "net_icmpaccess")) return Fail(t, kEACCES);
  }
  return Install(t, std::make_shared<ProtocolSocketNode>(domain, protocol),
                 (flags & (kSockNonblock | kSockNdelay)) != 0, (flags & kSockCloexec) != 0);
}

CallResult Illumos::Socketpair(sim::Thread& t, std::int32_t domain, std::int32_t type,
                               std::int32_t protocol, UserAddress sv) {
  const int flags = type & ~kSockTypeMask;
  if ((flags & ~(kSockCloexec | kSockNonblock | kSockNdelay)) != 0) return Fail(t, kEINVAL);
  const TypeDecode d = DecodeSocketArgs(domain, type & kSockTypeMask, protocol);
  if (d.err != 0) return Fail(t, d.err);
  // so_socketpair(): only AF_UNIX (tl) can pair; others are EOPNOTSUPP.
  if (d.family != Family::kUnix) return Fail(t, kEOPNOTSUPP);
  sim::Process& p = t.process();
  auto pair = stack_.CreatePair(p.node(), d.type, protocol, policy_, p.Snapshot());
  if (!pair) return FailError(t, pair.error());
  const bool nb = (flags & (kSockNonblock | kSockNdelay)) != 0;
  const bool cloexec = (flags & kSockCloexec) != 0;
  const CallResult first = Install(t, pair->first, nb, cloexec);
  if (first.failed()) return first;
  const CallResult second = Install(t, pair->second, nb, cloexec);
  if (second.failed()) {
    (void)p.fds().Close(static_cast<sim::Handle>(first.value));
    return second;
  }
  // so_socketpair() copies the two descriptors out last; a fault closes both.
  if (!p.memory().WriteU32(sv, static_cast<std::uint32_t>(first.value)) ||
      !p.memory().WriteU32(sv + 4, static_cast<std::uint32_t>(second.value))) {
    (void)p.fds().Close(static_cast<sim::Handle>(first.value));
    (void)p.fds().Close(static_cast<sim::Handle>(second.value));
    return Fail(t, kEFAULT);
  }
  return CallResult::Success();
}

Illumos::DecodedAddress Illumos::ReadAddress(sim::Thread& t, const stack::Socket& s,
                                             UserAddress addr, std::uint32_t addrlen,
                                             bool for_connect) {
  DecodedAddress out;
  // copyin_name(): a length beyond SO_MAXARGSIZE is EINVAL; an unreadable name EFAULT.
  if (addrlen > kSockaddrStorageSize) {
    out.err = kEINVAL;
    return out;
  }
  out.raw.resize(addrlen);
  if (addrlen != 0 && t.process().memory().CopyIn(addr, out.raw).fault) {
    out.err = kEFAULT;
    return out;
  }
  const auto family = ReadFamily(out.raw);
  if (!family) {
    out.err = kEINVAL;
    return out;
  }
  if (for_connect && *family == kAfUnspec && s.type() == SockType::kDgram) {
    out.address = UnspecifiedAddress{};
    return out;
  }
  switch (s.family()) {
    case Family::kInet:
      if (*family != kAfInet) {
        out.err = kEAFNOSUPPORT;
      } else if (addrlen < kSockaddrInSize) {
        out.err = kEINVAL;
      } else {
        out.address = DecodeSockaddrIn(out.raw);
      }
      break;
    case Family::kInet6:
      if (*family != kAfInet6) {
        out.err = kEAFNOSUPPORT;
      } else if (addrlen < kSockaddrIn6Size) {
        // tcp_bind() / tcp_connect(): an AF_INET6 address must be sizeof (sin6_t), 32 bytes.
        out.err = kEINVAL;
      } else {
        out.address = DecodeSockaddrIn6(out.raw);
      }
      break;
    case Family::kUnix:
      if (*family != kAfUnix) {
        out.err = kEAFNOSUPPORT;
      } else if (addrlen <= 2 || addrlen > kSockaddrUnSize) {
        out.err = kEINVAL;
      } else {
        out.address = DecodeSockaddrUn(out.raw);
      }
      break;
    case Family::kUnspec:
      out.err = kEAFNOSUPPORT;
      break;
  }
  return out;
}

CallResult Illumos::Bind(sim::Thread& t, Fd fd, UserAddress addr, std::uint32_t addrlen) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  const DecodedAddress a = ReadAddress(t, *lookup.socket, addr, addrlen, false);
  if (a.err != 0) return Fail(t, a.err);
  auto bound = stack_.Bind(*lookup.socket, a.address, t.process().Snapshot());
  if (!bound) return FailError(t, bound.error());
  return CallResult::Success();
}

CallResult Illumos::Listen(sim::Thread& t, Fd fd, std::int32_t backlog) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  // listen(): a datagram socket cannot listen (EOPNOTSUPP); the backlog is clamped to
  // SOMAXCONN (so_listen; somaxconn tunable 128) and a negative one taken as 0.
  if (lookup.socket->type() == SockType::kDgram) return Fail(t, kEOPNOTSUPP);
  const int clamped = std::clamp(backlog, 0, kSomaxconn);
  auto r = stack_.Listen(*lookup.socket, clamped, t.process().Snapshot());
  if (!r) return FailError(t, r.error());
  return CallResult::Success();
}

CallResult Illumos::Connect(sim::Thread& t, Fd fd, UserAddress addr, std::uint32_t addrlen) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  stack::Socket& s = *lookup.socket;
  const DecodedAddress a = ReadAddress(t, s, addr, addrlen, true);
  if (a.err != 0) return Fail(t, a.err);
  const bool nonblocking = lookup.entry->description->flags().nonblocking;
  // The connector's credential and pid at connect() (tcp_do_connect: "update our cred/cpid
  // based on the caller of connect"; sotpi_connect: T_CONN_REQ carries the caller's cred) is
  // what the acceptor will report.
  auto progress = stack_.Connect(
      s, ConnectRequest{a.address, !nonblocking, ConnectVia::kCall}, t.process().Snapshot());
  if (!progress) return FailError(t, progress.error());
  if (*progress == ConnectProgress::kInProgress) {
    if (nonblocking) {
      stack_.Settle();
      return FailError(t, s.connect_wait_error);
    }
    // so_wait_connected(): sleep until the handshake ends; its error is the connect's and is
    // consumed (reference row 17).
    const bool settled = Wait(
        t, [&s] { return s.state != TcpState::kSynSent && s.state != TcpState::kSynReceived; });
    if (!settled) return CallResult::Blocked();
    auto finished = stack_.FinishConnect(s);
    if (!finished) return FailError(t, finished.error());
  }
  stack_.Settle();
  return CallResult::Success();
}

Illumos::NameLength Illumos::ReadNameLength(sim::Thread& t, UserAddress addr, UserAddress addrlen) {
  const auto ulen = t.process().memory().ReadU32(addrlen);
  if (!ulen || (addr == 0 && *ulen != 0)) return {0, kEFAULT};
  return {*ulen, 0};
}

CallResult Illumos::CopyOutName(sim::Thread& t, const std::vector<std::uint8_t>& name,
                                UserAddress addr, std::uint32_t ulen, UserAddress addrlen) {
  auto& mem = t.process().memory();
  // copyout_name(): at most the caller's length is copied, but the length written back is
  // the name's full length ("it still uses the non-truncated klen"); with no buffer or a zero
  // length nothing is copied and 0 is written back.
  auto klen = static_cast<std::uint32_t>(name.size());
  if (addr != 0 && ulen != 0) {
    const std::uint32_t n = std::min(ulen, klen);
    if (mem.CopyOut(addr, std::span(name.data(), n)).fault) return Fail(t, kEFAULT);
  } else {
    klen = 0;
  }
  if (addrlen != 0 && !mem.WriteU32(addrlen, klen)) return Fail(t, kEFAULT);
  return CallResult::Success();
}

namespace {

std::vector<std::uint8_t> LocalName(const stack::Socket& s) {
  if (s.family() == Family::kUnix) {
    return Encode(SocketAddress{s.unix_name ? *s.unix_name : UnixAddress::Unnamed()});
  }
  return Encode(SocketAddress{s.local});
}

std::vector<std::uint8_t> PeerName(const stack::Socket& s) {
  if (s.family() == Family::kUnix) {
    const auto& peer = s.unix_peer;
    return Encode(
        SocketAddress{peer && peer->unix_name ? *peer->unix_name : UnixAddress::Unnamed()});
  }
  return Encode(SocketAddress{s.remote});
}

}  // namespace

CallResult Illumos::Accept(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  stack::Socket& listener = *lookup.socket;
  // accept(): the name length is copied in (when a name is asked for) before waiting.
  NameLength want;
  if (addr != 0) {
    want = ReadNameLength(t, addr, addrlen);
    if (want.err != 0) return Fail(t, want.err);
  }
  const bool nonblocking = lookup.entry->description->flags().nonblocking;
  auto child = stack_.Accept(listener, t.process().Snapshot());
  if (!child && child.error() == Error::kWouldBlock && !nonblocking) {
    if (!Wait(t, [&] { return stack_.ReadyToAccept(listener); })) return CallResult::Blocked();
    child = stack_.Accept(listener, t.process().Snapshot());
  }
  if (!child) return FailError(t, child.error());
  const CallResult installed = Install(t, *child, nonblocking, false);
  if (installed.failed()) return installed;
  if (addr != 0) {
    const CallResult named = CopyOutName(t, PeerName(**child), addr, want.ulen, addrlen);
    if (named.failed()) return named;
  }
  return installed;
}

CallResult Illumos::Getsockname(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  const NameLength want = ReadNameLength(t, addr, addrlen);
  if (want.err != 0) return Fail(t, want.err);
  return CopyOutName(t, LocalName(*lookup.socket), addr, want.ulen, addrlen);
}

CallResult Illumos::Getpeername(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  const NameLength want = ReadNameLength(t, addr, addrlen);
  if (want.err != 0) return Fail(t, want.err);
  // sogetpeername(): ENOTCONN unless SS_ISCONNECTED (after the length was copied in).
  if (!IsConnected(*lookup.socket)) return Fail(t, kENOTCONN);
  return CopyOutName(t, PeerName(*lookup.socket), addr, want.ulen, addrlen);
}

CallResult Illumos::Shutdown(sim::Thread& t, Fd fd, std::int32_t how) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  if (how < kShutRd || how > kShutRdwr) return Fail(t, kEINVAL);
  // so_shutdown(): ENOTCONN on a socket that is neither connected nor connecting.
  const stack::Socket& s = *lookup.socket;
  if (s.type() != SockType::kDgram && !IsConnected(s) && s.phase != Socket::Phase::kConnecting) {
    return Fail(t, kENOTCONN);
  }
  auto r = stack_.Shutdown(*lookup.socket, how != kShutWr, how != kShutRd);
  if (!r) return FailError(t, r.error());
  stack_.Settle();
  return CallResult::Success();
}

CallResult Illumos::DoSend(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                           std::int32_t flags, UserAddress to, std::uint32_t tolen,
                           std::vector<sim::OfdRef> rights) {
  (void)flags;
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  std::optional<SocketAddress> destination;
  if (to != 0) {
    const DecodedAddress a = ReadAddress(t, *lookup.socket, to, tolen, false);
    if (a.err != 0) return Fail(t, a.err);
    destination = a.address;
  }
  CallerBytes payload(t.process().memory(), buf, len);
  auto sent = stack_.Send(*lookup.socket, payload, destination, std::move(rights));
  if (!sent) return FailError(t, sent.error());
  stack_.Settle();
  return CallResult::Success(static_cast<std::int64_t>(*sent));
}

CallResult Illumos::Send(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                         std::int32_t flags) {
  return DoSend(t, fd, buf, len, flags, 0, 0, {});
}

CallResult Illumos::Sendto(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                           std::int32_t flags, UserAddress to, std::uint32_t tolen) {
  return DoSend(t, fd, buf, len, flags, to, tolen, {});
}

Illumos::ReceiveOutcome Illumos::DoReceive(sim::Thread& t, Fd fd, UserAddress buf,
                                           std::uint64_t len, std::int32_t flags) {
  ReceiveOutcome out;
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) {
    out.result = Fail(t, lookup.err);
    return out;
  }
  stack::Socket& s = *lookup.socket;
  const bool nonblocking =
      lookup.entry->description->flags().nonblocking || (flags & kMsgDontwait) != 0;
  const bool peek = (flags & kMsgPeek) != 0;
  CallerSink sink(t.process().memory(), buf);
  auto got = stack_.Receive(s, len, peek, sink);
  if (!got && got.error() == Error::kWouldBlock && !nonblocking) {
    if (!Wait(t, [&] { return stack_.ReadyToReceive(s); })) {
      out.result = CallResult::Blocked();
      return out;
    }
    got = stack_.Receive(s, len, peek, sink);
  }
  if (!got) {
    out.result = FailError(t, got.error());
    return out;
  }
  out.received = std::move(*got);
  out.result = CallResult::Success(static_cast<std::int64_t>(out.received.length));
  return out;
}

CallResult Illumos::Recv(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                         std::int32_t flags) {
  return DoReceive(t, fd, buf, len, flags).result;
}

CallResult Illumos::Recvfrom(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                             std::int32_t flags, UserAddress from, UserAddress fromlen) {
  ReceiveOutcome r = DoReceive(t, fd, buf, len, flags);
  if (!r.result.succeeded()) return r.result;
  if (from != 0 && fromlen != 0) {
    // recvfrom(): the source name through copyout_name (0 when the sender has none).
    const auto ulen = t.process().memory().ReadU32(fromlen);
    if (!ulen) return Fail(t, kEFAULT);
    const std::vector<std::uint8_t> name =
        r.received.source ? Encode(*r.received.source) : std::vector<std::uint8_t>{};
    const CallResult named = CopyOutName(t, name, from, *ulen, fromlen);
    if (named.failed()) return named;
  }
  return r.result;
}

CallResult Illumos::Sendmsg(sim::Thread& t, Fd fd, UserAddress msg, std::int32_t flags) {
  auto& mem = t.process().memory();
  const auto name = mem.ReadU64(msg + kMsghdrName);
  const auto namelen = mem.ReadU32(msg + kMsghdrNamelen);
  const auto iov = mem.ReadU64(msg + kMsghdrIov);
  const auto iovlen = mem.ReadU32(msg + kMsghdrIovlen);
  const auto control = mem.ReadU64(msg + kMsghdrControl);
  const auto controllen = mem.ReadU32(msg + kMsghdrControllen);
  if (!name || !namelen || !iov || !iovlen || !control || !controllen) return Fail(t, kEFAULT);
  // One iovec is modelled (the scenarios' sendmsg carries one buffer).
  UserAddress base = 0;
  std::uint64_t len = 0;
  if (*iovlen > 0) {
    const auto b = mem.ReadU64(*iov);
    const auto l = mem.ReadU64(*iov + 8);
    if (!b || !l) return Fail(t, kEFAULT);
    base = *b;
    len = *l;
  }
  std::vector<sim::OfdRef> rights;
  if (*control != 0 && *controllen >= kCmsghdrSize) {
    const auto clen = mem.ReadU32(*control);
    const auto level = mem.ReadU32(*control + 4);
    const auto type = mem.ReadU32(*control + 8);
    if (!clen || !level || !type) return Fail(t, kEFAULT);
    if (static_cast<int>(*level) == kSolSocket && static_cast<int>(*type) == kScmRights) {
      // so_sendmsg() -> fdbuf_create(): every descriptor must be open (EBADF).
      for (std::uint64_t off = kCmsghdrSize; off + 4 <= *clen && off + 4 <= *controllen; off += 4) {
        const auto passed = mem.ReadU32(*control + off);
        if (!passed) return Fail(t, kEFAULT);
        const sim::FdEntry* entry = Lookup(t.process(), static_cast<Fd>(*passed));
        if (entry == nullptr) return Fail(t, kEBADF);
        rights.push_back(entry->description);
      }
    }
  }
  return DoSend(t, fd, base, len, flags, *name, *name == 0 ? 0 : *namelen, std::move(rights));
}

CallResult Illumos::Recvmsg(sim::Thread& t, Fd fd, UserAddress msg, std::int32_t flags) {
  auto& mem = t.process().memory();
  const auto iov = mem.ReadU64(msg + kMsghdrIov);
  const auto iovlen = mem.ReadU32(msg + kMsghdrIovlen);
  const auto control = mem.ReadU64(msg + kMsghdrControl);
  const auto controllen = mem.ReadU32(msg + kMsghdrControllen);
  if (!iov || !iovlen || !control || !controllen) return Fail(t, kEFAULT);
  UserAddress base = 0;
  std::uint64_t len = 0;
  if (*iovlen > 0) {
    const auto b = mem.ReadU64(*iov);
    const auto l = mem.ReadU64(*iov + 8);
    if (!b || !l) return Fail(t, kEFAULT);
    base = *b;
    len = *l;
  }
  ReceiveOutcome r = DoReceive(t, fd, base, len, flags);
  if (!r.result.succeeded()) return r.result;
  std::uint32_t written = 0;
  if (!r.received.rights.empty() && *control != 0) {
    // fdbuf_extract(): each passed file gets a new descriptor in the receiver, in order.
    std::vector<std::uint32_t> fds;
    for (const auto& ofd : r.received.rights) {
      auto installed = t.process().fds().Install(ofd, false);
      if (!installed) return Fail(t, kEMFILE);
      fds.push_back(static_cast<std::uint32_t>(*installed));
    }
    const std::uint32_t clen = static_cast<std::uint32_t>(kCmsghdrSize + 4 * fds.size());
    if (clen <= *controllen) {
      (void)mem.WriteU32(*control, clen);
      (void)mem.WriteU32(*control + 4, static_cast<std::uint32_t>(kSolSocket));
      (void)mem.WriteU32(*control + 8, static_cast<std::uint32_t>(kScmRights));
      for (std::size_t i = 0; i < fds.size(); ++i) {
        (void)mem.WriteU32(*control + kCmsghdrSize + 4 * i, fds[i]);
      }
      written = clen;
    }
  }
  (void)mem.WriteU32(msg + kMsghdrControllen, written);
  (void)mem.WriteU32(msg + kMsghdrFlags, 0);
  return r.result;
}

CallResult Illumos::Setsockopt(sim::Thread& t, Fd fd, std::int32_t level, std::int32_t name,
                               UserAddress val, std::uint32_t len) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  if (level != kSolSocket) return Fail(t, kENOPROTOOPT);
  if (len < 4) return Fail(t, kEINVAL);
  const auto v = t.process().memory().ReadU32(val);
  if (!v) return Fail(t, kEFAULT);
  auto& o = lookup.socket->options;
  if (name == kSoLinger) {
    // struct linger {int l_onoff; int l_linger;}: a fixed-length option, so any other length
    // is EINVAL (proto_set.c proto_opt_check: "fixed length - size must match").
    // conn_opt.c conn_opt_set_socket(): l_onoff sets conn_linger and conn_lingertime,
    // l_onoff 0 clears both; tcp_close_output() then resets on a zero linger time.
    if (len != kLingerSize) return Fail(t, kEINVAL);
    const auto seconds = t.process().memory().ReadU32(val + 4);
    if (!seconds) return Fail(t, kEFAULT);
    o.linger_on = *v != 0;
    o.linger_seconds = o.linger_on ? static_cast<std::int32_t>(*seconds) : 0;
    return CallResult::Success();
  }
  switch (name) {
    case kSoReuseaddr:
      o.reuse_address = *v != 0;
      return CallResult::Success();
    case kSoKeepalive:
      o.keepalive = *v != 0;
      return CallResult::Success();
    case kSoBroadcast:
      o.broadcast = *v != 0;
      return CallResult::Success();
    case kSoExclbind:
      o.exclusive_address = *v != 0;
      return CallResult::Success();
    default:
      return Fail(t, kENOPROTOOPT);
  }
}

CallResult Illumos::Getsockopt(sim::Thread& t, Fd fd, std::int32_t level, std::int32_t name,
                               UserAddress val, UserAddress len) {
  auto lookup = LookupSocket(t.process(), fd);
  if (lookup.err != 0) return Fail(t, lookup.err);
  if (level != kSolSocket) return Fail(t, kENOPROTOOPT);
  auto& mem = t.process().memory();
  const auto room = mem.ReadU32(len);
  if (!room) return Fail(t, kEFAULT);
  stack::Socket& s = *lookup.socket;
  if (name == kSoLinger) {
    // conn_opt.c conn_opt_get(): l_onoff is SO_LINGER (not 1) when on, l_linger the time;
    // the answer is sizeof (struct linger), cut to the caller's length as so_getsockopt()
    // copies out at most *optlen bytes (confidence M).
    if (*room < 4) return Fail(t, kEINVAL);
    const std::uint32_t on = s.options.linger_on ? static_cast<std::uint32_t>(kSoLinger) : 0;
    const std::uint32_t time = static_cast<std::uint32_t>(s.options.linger_seconds);
    if (!mem.WriteU32(val, on)) return Fail(t, kEFAULT);
    const std::uint32_t written = std::min<std::uint32_t>(*room, kLingerSize);
    if (written == kLingerSize && !mem.WriteU32(val + 4, time)) return Fail(t, kEFAULT);
    if (!mem.WriteU32(len, written)) return Fail(t, kEFAULT);
    return CallResult::Success();
  }
  std::uint32_t value = 0;
  switch (name) {
    case kSoError: {
      // SO_ERROR: so_error, then cleared (sogeterr).
      const auto e = stack_.TakePendingError(s);
      value = e ? static_cast<std::uint32_t>(ToErrno(*e).value) : 0;
      break;
    }
    case kSoType:
      value = static_cast<std::uint32_t>(s.type() == SockType::kStream  ? kSockStream
                                         : s.type() == SockType::kDgram ? kSockDgram
                                                                        : kSockSeqPacket);
      break;
    case kSoReuseaddr:
      value = s.options.reuse_address ? kSoReuseaddr : 0;
      break;
    case kSoAcceptconn:
      value = s.state == TcpState::kListen ? kSoAcceptconn : 0;
      break;
    case kSoDomain:
      value = static_cast<std::uint32_t>(s.family() == Family::kInet    ? kAfInet
                                         : s.family() == Family::kInet6 ? kAfInet6
                                                                        : kAfUnix);
      break;
    default:
      return Fail(t, kENOPROTOOPT);
  }
  // so_getsockopt(): an int option needs room for an int (EINVAL).
  if (*room < 4) return Fail(t, kEINVAL);
  if (!mem.WriteU32(val, value) || !mem.WriteU32(len, 4)) return Fail(t, kEFAULT);
  return CallResult::Success();
}

}  // namespace socksim::stack::illumos_abi
