// File: stack/personality/linux/protocol_options.cc
// The protocol-level options of the Linux personality that are kept out of the socket-level
// code of sockopt_calls.cc: IP_BIND_ADDRESS_NO_PORT (net/ipv4/ip_sockglue.c), TCP_INFO
// (net/ipv4/tcp.c do_tcp_getsockopt) and the IPv6 flow options IPV6_FLOWINFO_SEND,
// IPV6_FLOWINFO and IPV6_FLOWLABEL_MGR (net/ipv6/ipv6_sockglue.c). Each applies the length
// rules of its own protocol's handler, which differ from sk_getsockopt's.
#include <algorithm>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/ipv6_flow.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/tcp_info.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success() { return CallResult::Success(); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// The IPv6 options below (ipv6_setsockopt / ipv6_getsockopt at SOL_IPV6 on an AF_INET6
// socket; an AF_INET socket answers ENOPROTOOPT through the generic path).
bool IsFlowOption(int optname) {
  return optname == kIpv6FlowinfoSend || optname == kIpv6Flowinfo ||
         optname == kIpv6FlowlabelMgr;
}

// do_ipv6_getsockopt's ending for an int option: min(len, sizeof(int)) bytes after the length.
CallResult CopyIntOut(sim::Process& p, UserAddress optval, UserAddress optlen, std::int32_t len,
                      std::uint32_t value) {
  const auto n = static_cast<std::uint32_t>(std::min<std::int32_t>(len, 4));
  if (!p.memory().WriteU32(optlen, n)) return Errno(kEFAULT);
  std::uint8_t bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  if (p.memory().CopyOut(optval, std::span(bytes, n)).fault) return Errno(kEFAULT);
  return Success();
}

}  // namespace

std::optional<CallResult> LinuxPersonality::SetProtocolOption(sim::Process& p, stack::Socket& s,
                                                              int level, int optname,
                                                              UserAddress optval,
                                                              std::uint32_t optlen) {
  auto& mem = p.memory();
  if (level == kSolIp && optname == kIpBindAddressNoPort && s.is_inet()) {
    // do_ip_setsockopt: an int from four bytes or more, an unsigned char from one to three,
    // and 0 from a zero length; an AF_INET6 socket hands SOL_IP to ip_setsockopt too.
    std::uint32_t value = 0;
    if (optlen >= 4) {
      const auto v = mem.ReadU32(optval);
      if (!v) return Errno(kEFAULT);
      value = *v;
    } else if (optlen >= 1) {
      const auto v = mem.Peek(optval, 1);
      if (!v) return Errno(kEFAULT);
      value = (*v)[0];
    }
    s.options.bind_defers_port = value != 0;
    return Success();
  }
  if (level != kIpprotoIpv6 || s.family() != Family::kInet6 || !IsFlowOption(optname)) {
    return std::nullopt;
  }
  if (optname == kIpv6FlowlabelMgr) {
    // ipv6_flowlabel_opt: a short request is EINVAL, then it is copied in (EFAULT).
    if (optlen < kFlowlabelReqSize) return Errno(kEINVAL);
    const auto bytes = mem.Peek(optval, kFlowlabelReqSize);
    if (!bytes) return Errno(kEFAULT);
    std::uint32_t chosen = 0;
    const int err = flow_labels_.Manage(p, s, DecodeFlowLabelRequest(*bytes),
                                        stack_.world().rng(), &chosen);
    if (err != 0) return Errno(err);
    if (chosen != 0) {
      // ipv6_flowlabel_get writes the label it chose back to flr_label, ignoring a fault.
      const std::uint8_t be[4] = {static_cast<std::uint8_t>(chosen >> 24),
                                  static_cast<std::uint8_t>(chosen >> 16),
                                  static_cast<std::uint8_t>(chosen >> 8),
                                  static_cast<std::uint8_t>(chosen)};
      (void)mem.CopyOut(optval + kFlowlabelReqLabelOffset, std::span(be, 4));
    }
    return Success();
  }
  // do_ipv6_setsockopt: IPV6_FLOWINFO and IPV6_FLOWINFO_SEND need a whole int (EINVAL).
  if (optlen < 4) return Errno(kEINVAL);
  const auto value = mem.ReadU32(optval);
  if (!value) return Errno(kEFAULT);
  LinuxSocketState& state = StateOf(s);
  if (optname == kIpv6FlowinfoSend) {
    state.send_flowinfo = *value != 0;
  } else {
    state.receive_flowinfo = *value != 0;
  }
  return Success();
}

std::optional<CallResult> LinuxPersonality::GetProtocolOption(sim::Process& p, stack::Socket& s,
                                                              int level, int optname,
                                                              UserAddress optval,
                                                              UserAddress optlen) {
  auto& mem = p.memory();
  const bool tcp_info = level == kSolTcp && optname == kTcpInfo && s.is_tcp();
  const bool no_port = level == kSolIp && optname == kIpBindAddressNoPort && s.is_inet();
  const bool flow = level == kIpprotoIpv6 && s.family() == Family::kInet6 &&
                    (optname == kIpv6FlowinfoSend || optname == kIpv6Flowinfo);
  if (!tcp_info && !no_port && !flow) return std::nullopt;
  // The length is read first (EFAULT); a negative one is EINVAL (measured for TCP_INFO).
  const auto raw_len = mem.ReadU32(optlen);
  if (!raw_len) return Errno(kEFAULT);
  const auto len = static_cast<std::int32_t>(*raw_len);
  if (len < 0) return Errno(kEINVAL);
  if (tcp_info) {
    // do_tcp_getsockopt TCP_INFO: min(len, sizeof(struct tcp_info)) is written back before
    // the copy, so a fault leaves the length updated (measured).
    const std::vector<std::uint8_t> info = TcpInfoBytes(s);
    const auto n = std::min<std::uint32_t>(static_cast<std::uint32_t>(len), kTcpInfoSize);
    if (!mem.WriteU32(optlen, n)) return Errno(kEFAULT);
    if (mem.CopyOut(optval, std::span(info.data(), n)).fault) return Errno(kEFAULT);
    return Success();
  }
  if (no_port) {
    // do_ip_getsockopt: a length of one to three gets the value as one unsigned char (when it
    // fits), otherwise min(len, sizeof(int)) bytes; the length goes back first.
    const std::uint32_t value = s.options.bind_defers_port ? 1 : 0;
    if (len > 0 && len < 4) {
      if (!mem.WriteU32(optlen, 1)) return Errno(kEFAULT);
      const std::uint8_t byte = static_cast<std::uint8_t>(value);
      if (mem.CopyOut(optval, std::span(&byte, 1)).fault) return Errno(kEFAULT);
      return Success();
    }
    return CopyIntOut(p, optval, optlen, len, value);
  }
  const LinuxSocketState* state = FindState(s);
  const bool on = state != nullptr &&
                  (optname == kIpv6FlowinfoSend ? state->send_flowinfo : state->receive_flowinfo);
  return CopyIntOut(p, optval, optlen, len, on ? 1 : 0);
}

}  // namespace socksim::stack::linux_abi
