// File: stack/personality/linux/sockopt_calls.cc
// setsockopt/getsockopt for the options the stack models (net/core/sock.c sk_setsockopt,
// sk_getsockopt; net/ipv6/ipv6_sockglue.c for IPV6_V6ONLY), with SO_PEERCRED as af_unix.c
// records it.
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success() { return CallResult::Success(); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

int TypeNumber(SockType t) {
  switch (t) {
    case SockType::kStream:
      return kSockStream;
    case SockType::kDgram:
      return kSockDgram;
    case SockType::kSeqPacket:
      return kSockSeqPacket;
  }
  return 0;
}

int FamilyNumber(Family f) {
  switch (f) {
    case Family::kUnspec:
      return kAfUnspec;
    case Family::kInet:
      return kAfInet;
    case Family::kInet6:
      return kAfInet6;
    case Family::kUnix:
      return kAfUnix;
  }
  return 0;
}

// What SO_PEERCRED reports: af_unix.c records sk_peer_pid/sk_peer_cred only on UNIX sockets,
// at these moments (linux.md 1.8):
//  - socketpair() of any type (unix_socketpair calls init_peercred on both ends): the
//    creator, the other end's socket() record;
//  - listen() (init_peercred on the listener itself, refreshed by every listen());
//  - a stream or seqpacket connect(): the socket made for the connection gets the connector's
//    credentials taken at the start of connect() (prepare_peercred), and the connector a copy
//    of the listener's from its last listen() (copy_peercred).
// INET sockets and a UNIX datagram connect() record nothing.
std::optional<sim::CredentialSnapshot> PeerCredentials(const stack::Socket& s) {
  if (s.family() != Family::kUnix) return std::nullopt;
  if (s.origin == SocketOrigin::kPair) {
    return s.peer_credentials ? s.peer_credentials->at_socket : std::nullopt;
  }
  if (!s.is_stream_like()) return std::nullopt;
  if (s.state == TcpState::kListen) return s.credentials()->at_listen;
  if (!s.peer_credentials) return std::nullopt;
  switch (s.origin) {
    case SocketOrigin::kAccepted:
      return s.peer_credentials->at_connect;
    case SocketOrigin::kCreated:
      return s.peer_credentials->at_listen;
    case SocketOrigin::kPair:
      break;
  }
  return std::nullopt;
}

void PutU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

}  // namespace

CallResult LinuxPersonality::Setsockopt(sim::Process& p, int fd, int level, int optname,
                                        UserAddress optval, std::uint32_t optlen) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  if (static_cast<std::int32_t>(optlen) < 0) return Errno(kEINVAL);
  // The options of option_calls.cc (SO_REUSEPORT, SO_PRIORITY, SO_BINDTODEVICE, buffer
  // sizes, TCP_*, IP_*, IPV6_RECVERR), in a block of their own.
  if (auto handled = SetMoreOption(p, s, level, optname, optval, optlen)) return *handled;
  if (auto handled = SetProtocolOption(p, s, level, optname, optval, optlen)) return *handled;
  if (level == kSolSocket) {
    if (optname == kSoLinger) {
      // sk_setsockopt SO_LINGER: optlen < sizeof(struct linger) is EINVAL.
      if (optlen < kLingerSize) return Errno(kEINVAL);
      const auto onoff = p.memory().ReadU32(optval);
      const auto secs = p.memory().ReadU32(optval + 4);
      if (!onoff || !secs) return Errno(kEFAULT);
      s.options.linger_on = *onoff != 0;
      s.options.linger_seconds = static_cast<std::int32_t>(*secs);
      return Success();
    }
    // Integer options: fewer than four bytes is EINVAL, then the value is read.
    if (optlen < 4) return Errno(kEINVAL);
    const auto value = p.memory().ReadU32(optval);
    if (!value) return Errno(kEFAULT);
    const bool on = *value != 0;
    switch (optname) {
      case kSoReuseaddr:
        s.options.reuse_address = on;
        return Success();
      case kSoKeepalive:
        s.options.keepalive = on;
        return Success();
      case kSoBroadcast:
        s.options.broadcast = on;
        return Success();
      case kSoPasscred:
        s.options.pass_credentials = on;
        return Success();
      default:
        return Errno(kENOPROTOOPT);
    }
  }
  if (level == kIpprotoIpv6 && s.family() == Family::kInet6 && optname == kIpv6V6only) {
    if (optlen < 4) return Errno(kEINVAL);
    const auto value = p.memory().ReadU32(optval);
    if (!value) return Errno(kEFAULT);
    // do_ipv6_setsockopt: V6ONLY cannot change once the socket has a port.
    if (s.port_registered) return Errno(kEINVAL);
    s.options.v6_only = *value != 0;
    return Success();
  }
  // Unknown levels: unix has no protocol options (EOPNOTSUPP); IP sockets fall through to
  // ip_setsockopt, which reports ENOPROTOOPT.
  return Errno(s.family() == Family::kUnix ? kEOPNOTSUPP : kENOPROTOOPT);
}

CallResult LinuxPersonality::Getsockopt(sim::Process& p, int fd, int level, int optname,
                                        UserAddress optval, UserAddress optlen) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  stack::Socket& s = *lookup.socket;
  // The options of option_calls.cc, in a block of their own.
  if (auto handled = GetMoreOption(p, s, level, optname, optval, optlen)) return *handled;
  if (auto handled = GetProtocolOption(p, s, level, optname, optval, optlen)) return *handled;
  if (level != kSolSocket) {
    if (level == kIpprotoIpv6 && s.family() == Family::kInet6 && optname == kIpv6V6only) {
      // falls through to the common copy-out below
    } else {
      // Unknown levels: do_ip_getsockopt says EOPNOTSUPP for IPv4, ipv6_getsockopt
      // ENOPROTOOPT for IPv6, and AF_UNIX has no protocol options (measured I-series).
      return Errno(s.family() == Family::kInet6 ? kENOPROTOOPT : kEOPNOTSUPP);
    }
  }
  // sk_getsockopt: read the length (EFAULT), negative is EINVAL.
  const auto raw_len = p.memory().ReadU32(optlen);
  if (!raw_len) return Errno(kEFAULT);
  std::int32_t len = static_cast<std::int32_t>(*raw_len);
  if (len < 0) return Errno(kEINVAL);
  std::vector<std::uint8_t> value;
  if (level == kIpprotoIpv6) {
    PutU32(value, s.options.v6_only ? 1 : 0);
  } else {
    switch (optname) {
      case kSoType:
        PutU32(value, static_cast<std::uint32_t>(TypeNumber(s.type())));
        break;
      case kSoDomain:
        PutU32(value, static_cast<std::uint32_t>(FamilyNumber(s.family())));
        break;
      case kSoProtocol: {
        int proto = s.protocol();
        if (proto == 0 && s.is_inet()) proto = s.type() == SockType::kStream ? kIpprotoTcp : kIpprotoUdp;
        PutU32(value, static_cast<std::uint32_t>(proto));
        break;
      }
      case kSoError: {
        // SO_ERROR takes the pending error (sock_error) and reports its errno number.
        const auto e = stack_.TakePendingError(s);
        PutU32(value, e ? static_cast<std::uint32_t>(ToErrno(*e).value) : 0u);
        break;
      }
      case kSoReuseaddr:
        PutU32(value, s.options.reuse_address ? 1 : 0);
        break;
      case kSoKeepalive:
        PutU32(value, s.options.keepalive ? 1 : 0);
        break;
      case kSoBroadcast:
        PutU32(value, s.options.broadcast ? 1 : 0);
        break;
      case kSoPasscred:
        PutU32(value, s.options.pass_credentials ? 1 : 0);
        break;
      case kSoAcceptconn:
        PutU32(value, s.state == TcpState::kListen ? 1 : 0);
        break;
      case kSoLinger:
        PutU32(value, s.options.linger_on ? 1 : 0);
        PutU32(value, static_cast<std::uint32_t>(s.options.linger_seconds));
        break;
      case kSoPeercred: {
        // cred_to_ucred: pid 0 and uid/gid -1 when nothing was recorded; otherwise the
        // recorded pid and effective ids (linux.md 1.8). The recorded pid stays valid after
        // the process exits (pidfs).
        const auto cred = PeerCredentials(s);
        PutU32(value, cred ? static_cast<std::uint32_t>(cred->pid) : 0u);
        PutU32(value, cred ? cred->get().euid : 0xffffffffu);
        PutU32(value, cred ? cred->get().egid : 0xffffffffu);
        break;
      }
      default:
        return Errno(kENOPROTOOPT);
    }
  }
  // Copy min(len, size of the value) bytes, then write that length back.
  if (len > static_cast<std::int32_t>(value.size())) len = static_cast<std::int32_t>(value.size());
  if (p.memory().CopyOut(optval, std::span(value.data(), static_cast<std::size_t>(len))).fault) {
    return Errno(kEFAULT);
  }
  if (!p.memory().WriteU32(optlen, static_cast<std::uint32_t>(len))) return Errno(kEFAULT);
  return Success();
}

}  // namespace socksim::stack::linux_abi
