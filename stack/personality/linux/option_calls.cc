// File: stack/personality/linux/option_calls.cc
// The socket options real programs set around their sockets and that the neutral stack does
// not act on, kept per socket as Linux keeps them and read back exactly (value and length):
// SO_REUSEPORT, SO_PRIORITY, SO_BINDTODEVICE, SO_RCVBUF/SO_SNDBUF (net/core/sock.c
// sk_setsockopt, sk_getsockopt, sock_setbindtodevice, sock_getbindtodevice), TCP_NODELAY,
// TCP_CORK, TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT, TCP_QUICKACK, TCP_FASTOPEN
// (net/ipv4/tcp.c do_tcp_setsockopt, do_tcp_getsockopt), IP_TOS, IP_RECVERR,
// IP_MTU_DISCOVER (net/ipv4/ip_sockglue.c do_ip_setsockopt, do_ip_getsockopt) and
// IPV6_RECVERR (net/ipv6/ipv6_sockglue.c), and TCP_MAXSEG, TCP_USER_TIMEOUT, IP_OPTIONS,
// IPV6_MTU, IPV6_DONTFRAG, IPV6_RECVPKTINFO. sockopt_calls.cc asks this file first.
//
// Stored only: SO_REUSEPORT does not yet let two sockets share a port (the core's port table
// would need Linux's inet_bind_conflict rule with sk_reuseport and the owner's uid), and
// SO_BINDTODEVICE does not yet restrict routing or port conflicts; TCP_MAXSEG does not change
// the segments the stack sends, and IPV6_RECVPKTINFO does not yet add IPV6_PKTINFO to what
// recvmsg returns.
#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/topology.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/linux_socket_state.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success() { return CallResult::Success(); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// net.core.rmem_max / wmem_max at their defaults (SK_RMEM_MAX, SK_WMEM_MAX: 212992 on
// x86-64), and SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF as Linux 6.18 computes them (2048 plus the
// size of an sk_buff, measured 2304; twice that).
constexpr std::uint32_t kRmemMax = 212992;
constexpr std::uint32_t kWmemMax = 212992;
constexpr std::int32_t kSockMinRcvbuf = 2304;
constexpr std::int32_t kSockMinSndbuf = 2 * kSockMinRcvbuf;
// Buffer sizes a socket starts with: TCP's tcp_rmem[1] and tcp_wmem[1], everyone else's
// net.core.rmem_default and wmem_default (measured on 6.18).
constexpr std::int32_t kTcpRcvbufDefault = 131072;
constexpr std::int32_t kTcpSndbufDefault = 16384;
constexpr std::int32_t kBufDefault = 212992;
// MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL, MAX_TCP_KEEPCNT (include/net/tcp.h).
constexpr int kMaxTcpKeepidle = 32767;
constexpr int kMaxTcpKeepintvl = 32767;
constexpr int kMaxTcpKeepcnt = 127;
// IFNAMSIZ: interface names are at most 15 bytes and a NUL.
constexpr std::uint32_t kIfnamsiz = 16;

std::int32_t DefaultRcvbuf(const stack::Socket& s) {
  return s.is_tcp() ? kTcpRcvbufDefault : kBufDefault;
}
std::int32_t DefaultSndbuf(const stack::Socket& s) {
  return s.is_tcp() ? kTcpSndbufDefault : kBufDefault;
}

// __sock_set_rcvbuf / __sock_set_sndbuf after sk_setsockopt's min_t(u32, val, *mem_max): twice
// the request, at least the minimum.
std::int32_t DoubledBuffer(std::int32_t val, std::uint32_t max, std::int32_t min) {
  const std::uint32_t clamped = std::min(static_cast<std::uint32_t>(val), max);
  return std::max(static_cast<std::int32_t>(clamped) * 2, min);
}

// An int option value as sk_setsockopt, do_tcp_setsockopt and friends read it: optlen below
// sizeof(int) is EINVAL, then the copy (EFAULT). The value, or the call's failure.
struct IntValue {
  std::int32_t value = 0;
  std::optional<CallResult> failure;
};

IntValue ReadIntValue(const sim::AddressSpace& mem, UserAddress optval, std::uint32_t optlen) {
  if (optlen < 4) return {0, Errno(kEINVAL)};
  const auto raw = mem.ReadU32(optval);
  if (!raw) return {0, Errno(kEFAULT)};
  return {static_cast<std::int32_t>(*raw), std::nullopt};
}

void PutU32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

// ---- TCP_MAXSEG, TCP_USER_TIMEOUT, IP_OPTIONS, IPV6_MTU, IPV6_DONTFRAG, IPV6_RECVPKTINFO ----

// TCP_MIN_MSS and MAX_TCP_WINDOW (include/net/tcp.h): TCP_MAXSEG's range; TCP_MSS_DEFAULT,
// the mss_cache tcp_init_sock gives a socket before any route (RFC 1122's 536).
constexpr std::int32_t kTcpMinMss = 88;
constexpr std::int32_t kMaxTcpWindow = 32767;
constexpr std::int32_t kTcpMssDefault = 536;
// IPV6_MIN_MTU (RFC 8200's 1280), and the MTUs of the simulated interfaces (loopback_setup,
// ether_setup).
constexpr std::int32_t kIpv6MinMtu = 1280;
constexpr std::int32_t kLoopbackMtu = 65536;
constexpr std::int32_t kEthernetMtu = 1500;

bool IsMoreTcpOption(int level, int optname) {
  return level == kSolTcp && (optname == kTcpMaxseg || optname == kTcpUserTimeout);
}
bool IsMoreIpv6Option(int level, int optname) {
  return level == kSolIpv6 &&
         (optname == kIpv6Mtu || optname == kIpv6Dontfrag || optname == kIpv6Recvpktinfo);
}

// The MTU of the route a connected socket caches (its dst): the loopback's for a peer on the
// same node, a link's otherwise; 0 when the socket has no destination.
std::int32_t PathMtu(const sim::Topology& topo, const stack::Socket& s) {
  if (s.remote.port == 0) return 0;
  return topo.IsLocalAddress(s.node(), s.remote.address) ? kLoopbackMtu : kEthernetMtu;
}

}  // namespace

std::optional<CallResult> LinuxPersonality::SetSegmentOption(sim::Process& p, stack::Socket& s,
                                                             int level, int optname,
                                                             UserAddress optval,
                                                             std::uint32_t optlen) {
  auto& mem = p.memory();
  if (IsMoreTcpOption(level, optname) && s.is_tcp()) {
    // do_tcp_setsockopt: optlen < sizeof(int) EINVAL, then the copy.
    const IntValue read = ReadIntValue(mem, optval, optlen);
    if (read.failure) return *read.failure;
    const std::int32_t val = read.value;
    LinuxSocketState& state = StateOf(s);
    if (optname == kTcpMaxseg) {
      // tcp_sock_set_maxseg: 0 clears, else TCP_MIN_MSS..MAX_TCP_WINDOW.
      if (val != 0 && (val < kTcpMinMss || val > kMaxTcpWindow)) return Errno(kEINVAL);
      state.user_mss = val;
    } else {
      // tcp_sock_set_user_timeout: a negative timeout is EINVAL.
      if (val < 0) return Errno(kEINVAL);
      state.user_timeout = val;
    }
    return Success();
  }
  if (IsMoreIpv6Option(level, optname) && s.family() == Family::kInet6) {
    // do_ipv6_setsockopt reads an int when optlen >= sizeof(int), else takes 0;
    // IPV6_RECVPKTINFO then refuses a short optlen (EINVAL), the others do not check it.
    std::int32_t val = 0;
    if (optlen >= 4) {
      const auto raw = mem.ReadU32(optval);
      if (!raw) return Errno(kEFAULT);
      val = static_cast<std::int32_t>(*raw);
    }
    LinuxSocketState& state = StateOf(s);
    switch (optname) {
      case kIpv6Mtu:
        // np->frag_size: 0 (the path's MTU) or at least IPV6_MIN_MTU.
        if (val != 0 && val < kIpv6MinMtu) return Errno(kEINVAL);
        state.frag_size = val;
        return Success();
      case kIpv6Dontfrag:
        state.ipv6_dontfrag = val != 0;
        return Success();
      default:
        if (optlen < 4) return Errno(kEINVAL);
        state.ipv6_recvpktinfo = val != 0;
        return Success();
    }
  }
  return std::nullopt;
}

std::optional<CallResult> LinuxPersonality::GetSegmentOption(sim::Process& p, stack::Socket& s,
                                                             int level, int optname,
                                                             UserAddress optval,
                                                             UserAddress optlen) {
  auto& mem = p.memory();
  const LinuxSocketState defaults;
  const LinuxSocketState* found = FindState(s);
  const LinuxSocketState& st = found == nullptr ? defaults : *found;
  if (level == kSolIp && optname == kIpOptions && s.is_inet()) {
    // do_ip_getsockopt IP_OPTIONS: a negative length is EINVAL; a socket without IP options
    // (the simulator never sets any) writes length 0 and nothing else.
    const auto raw_len = mem.ReadU32(optlen);
    if (!raw_len) return Errno(kEFAULT);
    if (static_cast<std::int32_t>(*raw_len) < 0) return Errno(kEINVAL);
    if (!mem.WriteU32(optlen, 0)) return Errno(kEFAULT);
    return Success();
  }
  std::int32_t val = 0;
  if (IsMoreTcpOption(level, optname) && s.is_tcp()) {
    if (optname == kTcpUserTimeout) {
      val = st.user_timeout;
    } else {
      // do_tcp_getsockopt TCP_MAXSEG: user_mss while closed or listening, else mss_cache,
      // which before a connection is TCP_MSS_DEFAULT. Once connected it is the route's MSS
      // less the options the connection carries: not modelled (EOPNOTSUPP).
      const bool unconnected = s.state == TcpState::kClosed || s.state == TcpState::kListen;
      if (!unconnected) return Errno(kEOPNOTSUPP);
      val = st.user_mss != 0 ? st.user_mss : kTcpMssDefault;
    }
  } else if (IsMoreIpv6Option(level, optname) && s.family() == Family::kInet6) {
    switch (optname) {
      case kIpv6Mtu:
        // do_ipv6_getsockopt IPV6_MTU: the cached route's MTU (frag_size does not show),
        // ENOTCONN without one.
        val = PathMtu(stack_.world().topology(), s);
        if (val == 0) return Errno(kENOTCONN);
        break;
      case kIpv6Dontfrag:
        val = st.ipv6_dontfrag ? 1 : 0;
        break;
      default:
        val = st.ipv6_recvpktinfo ? 1 : 0;
        break;
    }
  } else {
    return std::nullopt;
  }
  // do_tcp_getsockopt and do_ipv6_getsockopt end alike: len = min_t(unsigned int, len, 4)
  // (a negative length reads as 4), the length written before the value.
  const auto raw_len = mem.ReadU32(optlen);
  if (!raw_len) return Errno(kEFAULT);
  const std::uint32_t n = std::min<std::uint32_t>(*raw_len, 4);
  std::vector<std::uint8_t> value;
  PutU32(value, static_cast<std::uint32_t>(val));
  if (!mem.WriteU32(optlen, n)) return Errno(kEFAULT);
  if (mem.CopyOut(optval, std::span(value.data(), n)).fault) return Errno(kEFAULT);
  return Success();
}


std::optional<CallResult> LinuxPersonality::SetMoreOption(sim::Process& p, stack::Socket& s,
                                                          int level, int optname,
                                                          UserAddress optval,
                                                          std::uint32_t optlen) {
  if (auto handled = SetSegmentOption(p, s, level, optname, optval, optlen)) return handled;
  auto& mem = p.memory();
  if (level == kSolSocket) {
    if (optname == kSoBindtodevice) {
      // sock_setbindtodevice: at most IFNAMSIZ - 1 bytes are read, NUL-terminated; "" (or
      // length 0) unbinds; an unknown name is ENODEV; a socket already bound needs
      // CAP_NET_RAW to change (sock_bindtoindex_locked). Any family may bind.
      const std::uint32_t n = std::min(optlen, kIfnamsiz - 1);
      std::string name;
      if (n != 0) {
        const auto bytes = mem.Peek(optval, n);
        if (!bytes) return Errno(kEFAULT);
        for (std::uint8_t c : *bytes) {
          if (c == 0) break;
          name.push_back(static_cast<char>(c));
        }
      }
      std::uint32_t index = 0;
      if (!name.empty()) {
        const auto& topo = stack_.world().topology();
        for (const auto id : topo.node(s.node()).interfaces) {
          if (topo.interface(id).name == name) index = topo.interface(id).index;
        }
        if (index == 0) return Errno(kENODEV);
      }
      LinuxSocketState& state = StateOf(s);
      if (state.bound_device != 0 && !p.Snapshot().get().privileged()) return Errno(kEPERM);
      state.bound_device = index;
      return Success();
    }
    if (optname != kSoReuseport && optname != kSoPriority && optname != kSoRcvbuf &&
        optname != kSoSndbuf) {
      return std::nullopt;
    }
    // sk_setsockopt: an int (optlen < 4 EINVAL, then the copy).
    const IntValue read = ReadIntValue(mem, optval, optlen);
    if (read.failure) return *read.failure;
    const std::int32_t val = read.value;
    LinuxSocketState& state = StateOf(s);
    switch (optname) {
      case kSoReuseport:
        // Only inet sockets have port reuse; turning it off is accepted anywhere.
        if (val != 0 && !s.is_inet()) return Errno(kEOPNOTSUPP);
        state.reuse_port = val != 0;
        return Success();
      case kSoPriority:
        // sk_set_prio_allowed: 0..6 (TC_PRIO_BESTEFFORT..TC_PRIO_INTERACTIVE) for everyone,
        // anything else with CAP_NET_RAW or CAP_NET_ADMIN.
        if ((val < 0 || val > 6) && !p.Snapshot().get().privileged()) return Errno(kEPERM);
        state.priority = val;
        return Success();
      case kSoRcvbuf:
        state.rcvbuf = DoubledBuffer(val, kRmemMax, kSockMinRcvbuf);
        return Success();
      case kSoSndbuf:
        state.sndbuf = DoubledBuffer(val, kWmemMax, kSockMinSndbuf);
        return Success();
      default:
        return std::nullopt;
    }
  }
  if (level == kSolTcp && s.is_tcp()) {
    if (optname != kTcpNodelay && optname != kTcpCork && optname != kTcpKeepidle &&
        optname != kTcpKeepintvl && optname != kTcpKeepcnt && optname != kTcpQuickack &&
        optname != kTcpFastopen) {
      return std::nullopt;
    }
    // do_tcp_setsockopt: optlen < sizeof(int) EINVAL, then the copy.
    const IntValue read = ReadIntValue(mem, optval, optlen);
    if (read.failure) return *read.failure;
    const std::int32_t val = read.value;
    LinuxSocketState& state = StateOf(s);
    switch (optname) {
      case kTcpNodelay:
        stack_.TcpSetNoDelay(s, val != 0);  // TCP_NAGLE_OFF; on pushes what Nagle held
        stack_.Settle();
        return Success();
      case kTcpCork:
        stack_.TcpSetCork(s, val != 0);  // TCP_NAGLE_CORK; off pushes what was corked
        stack_.Settle();
        return Success();
      case kTcpKeepidle:
        if (val < 1 || val > kMaxTcpKeepidle) return Errno(kEINVAL);
        state.keepidle = val;
        return Success();
      case kTcpKeepintvl:
        if (val < 1 || val > kMaxTcpKeepintvl) return Errno(kEINVAL);
        state.keepintvl = val;
        return Success();
      case kTcpKeepcnt:
        if (val < 1 || val > kMaxTcpKeepcnt) return Errno(kEINVAL);
        state.keepcnt = val;
        return Success();
      case kTcpQuickack:
        // __tcp_sock_set_quickack: 0 enters pingpong (delayed ACK) mode, anything else leaves
        // it (and sends an owed ACK; an even value then re-enters it): the core's
        // TcpSetQuickAck.
        stack_.TcpSetQuickAck(s, val);
        stack_.Settle();
        return Success();
      case kTcpFastopen:
        // A queue length for a closed or listening socket: fastopen_queue_tune keeps
        // min(val, somaxconn); negative, or another state, is EINVAL.
        if (val < 0 || (s.state != TcpState::kClosed && s.state != TcpState::kListen)) {
          return Errno(kEINVAL);
        }
        state.fastopen_qlen = std::min(val, kSomaxconn);
        return Success();
      default:
        return std::nullopt;
    }
  }
  if (level == kSolIp && s.is_inet()) {
    if (optname != kIpTos && optname != kIpRecverr && optname != kIpMtuDiscover) {
      return std::nullopt;
    }
    // do_ip_setsockopt: an int when optlen >= 4, one byte when it is 1..3, else 0.
    std::int32_t val = 0;
    if (optlen >= 4) {
      const auto raw = mem.ReadU32(optval);
      if (!raw) return Errno(kEFAULT);
      val = static_cast<std::int32_t>(*raw);
    } else if (optlen >= 1) {
      const auto byte = mem.Peek(optval, 1);
      if (!byte) return Errno(kEFAULT);
      val = (*byte)[0];
    }
    LinuxSocketState& state = StateOf(s);
    switch (optname) {
      case kIpTos: {
        // __ip_sock_set_tos: a stream socket keeps its own ECN bits (INET_ECN_MASK, the low
        // two), and the value is a byte.
        auto tos = static_cast<std::uint8_t>(val);
        if (s.type() == SockType::kStream) tos = static_cast<std::uint8_t>((tos & ~3u) | (state.tos & 3u));
        state.tos = tos;
        return Success();
      }
      case kIpRecverr:
        state.ip_recverr = val != 0;
        return Success();
      case kIpMtuDiscover:
        if (val < kIpPmtudiscDont || val > kIpPmtudiscOmit) return Errno(kEINVAL);
        state.pmtudisc = val;
        return Success();
      default:
        return std::nullopt;
    }
  }
  if (level == kSolIpv6 && s.family() == Family::kInet6 && optname == kIpv6Recverr) {
    // do_ipv6_setsockopt: fewer than four bytes is EINVAL for this option.
    const IntValue read = ReadIntValue(mem, optval, optlen);
    if (read.failure) return *read.failure;
    StateOf(s).ipv6_recverr = read.value != 0;
    return Success();
  }
  return std::nullopt;
}

std::optional<CallResult> LinuxPersonality::GetMoreOption(sim::Process& p, stack::Socket& s,
                                                          int level, int optname,
                                                          UserAddress optval,
                                                          UserAddress optlen) {
  if (auto handled = GetSegmentOption(p, s, level, optname, optval, optlen)) return handled;
  auto& mem = p.memory();
  // The socket's stored options, or Linux's defaults when it never set one.
  const LinuxSocketState defaults;
  const LinuxSocketState* found = FindState(s);
  const LinuxSocketState& st = found == nullptr ? defaults : *found;
  enum class Copy { kSocket, kTcp, kIp };
  Copy copy = Copy::kSocket;
  std::int32_t val = 0;
  if (level == kSolSocket) {
    if (optname == kSoBindtodevice) {
      // sock_getbindtodevice: unbound writes length 0 and nothing else; bound needs room for
      // IFNAMSIZ (EINVAL) and copies the name with its NUL.
      const auto raw_len = mem.ReadU32(optlen);
      if (!raw_len) return Errno(kEFAULT);
      const auto len = static_cast<std::int32_t>(*raw_len);
      if (len < 0) return Errno(kEINVAL);
      const std::uint32_t index = st.bound_device;
      if (index == 0) {
        if (!mem.WriteU32(optlen, 0)) return Errno(kEFAULT);
        return Success();
      }
      if (len < static_cast<std::int32_t>(kIfnamsiz)) return Errno(kEINVAL);
      const auto& topo = stack_.world().topology();
      std::string name;
      for (const auto id : topo.node(s.node()).interfaces) {
        if (topo.interface(id).index == index) name = topo.interface(id).name;
      }
      std::vector<std::uint8_t> bytes(name.begin(), name.end());
      bytes.push_back(0);
      if (mem.CopyOut(optval, bytes).fault) return Errno(kEFAULT);
      if (!mem.WriteU32(optlen, static_cast<std::uint32_t>(bytes.size()))) return Errno(kEFAULT);
      return Success();
    }
    switch (optname) {
      case kSoReuseport:
        val = st.reuse_port ? 1 : 0;
        break;
      case kSoPriority:
        val = st.priority;
        break;
      case kSoRcvbuf:
        val = st.rcvbuf.value_or(DefaultRcvbuf(s));
        break;
      case kSoSndbuf:
        val = st.sndbuf.value_or(DefaultSndbuf(s));
        break;
      default:
        return std::nullopt;
    }
  } else if (level == kSolTcp && s.is_tcp()) {
    copy = Copy::kTcp;
    switch (optname) {
      case kTcpNodelay:
        val = s.options.no_delay ? 1 : 0;
        break;
      case kTcpCork:
        val = s.options.corked ? 1 : 0;
        break;
      case kTcpKeepidle:
        val = st.keepidle;
        break;
      case kTcpKeepintvl:
        val = st.keepintvl;
        break;
      case kTcpKeepcnt:
        val = st.keepcnt;
        break;
      case kTcpQuickack:
        val = stack_.TcpInteractive(s) ? 0 : 1;  // !inet_csk_in_pingpong_mode
        break;
      case kTcpFastopen:
        val = st.fastopen_qlen;
        break;
      default:
        return std::nullopt;
    }
  } else if (level == kSolIp && s.is_inet()) {
    copy = Copy::kIp;
    switch (optname) {
      case kIpTos:
        val = st.tos;
        break;
      case kIpRecverr:
        val = st.ip_recverr ? 1 : 0;
        break;
      case kIpMtuDiscover:
        val = st.pmtudisc;
        break;
      default:
        return std::nullopt;
    }
  } else if (level == kSolIpv6 && s.family() == Family::kInet6 && optname == kIpv6Recverr) {
    copy = Copy::kTcp;  // do_ipv6_getsockopt ends as do_tcp_getsockopt does
    val = st.ipv6_recverr ? 1 : 0;
  } else {
    return std::nullopt;
  }
  const auto raw_len = mem.ReadU32(optlen);
  if (!raw_len) return Errno(kEFAULT);
  const auto len = static_cast<std::int32_t>(*raw_len);
  std::vector<std::uint8_t> value;
  PutU32(value, static_cast<std::uint32_t>(val));
  std::uint32_t n = 0;
  switch (copy) {
    case Copy::kSocket:
      // sk_getsockopt: negative EINVAL; min(len, 4) bytes, then the length.
      if (len < 0) return Errno(kEINVAL);
      n = std::min<std::uint32_t>(static_cast<std::uint32_t>(len), 4);
      if (mem.CopyOut(optval, std::span(value.data(), n)).fault) return Errno(kEFAULT);
      if (!mem.WriteU32(optlen, n)) return Errno(kEFAULT);
      return Success();
    case Copy::kTcp:
      // do_tcp_getsockopt: len = min_t(unsigned int, len, 4), so a negative length reads as
      // 4; the length is written before the value.
      n = std::min<std::uint32_t>(static_cast<std::uint32_t>(len), 4);
      if (!mem.WriteU32(optlen, n)) return Errno(kEFAULT);
      if (mem.CopyOut(optval, std::span(value.data(), n)).fault) return Errno(kEFAULT);
      return Success();
    case Copy::kIp:
      // do_ip_getsockopt: negative EINVAL; a short buffer gets one byte (length 1) when the
      // value fits a byte, else min(len, 4); the length is written first.
      if (len < 0) return Errno(kEINVAL);
      if (len > 0 && len < 4 && val >= 0 && val <= 255) {
        n = 1;
      } else {
        n = std::min<std::uint32_t>(static_cast<std::uint32_t>(len), 4);
      }
      if (!mem.WriteU32(optlen, n)) return Errno(kEFAULT);
      if (mem.CopyOut(optval, std::span(value.data(), n)).fault) return Errno(kEFAULT);
      return Success();
  }
  return std::nullopt;
}

}  // namespace socksim::stack::linux_abi
