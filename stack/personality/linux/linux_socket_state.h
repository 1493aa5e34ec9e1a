// File: stack/personality/linux/linux_socket_state.h
// Linux's own per-socket state, kept in the core socket's extension slot: the options the
// neutral stack does not act on, stored as the kernel stores them so that getsockopt reads
// back exactly what Linux would (option_calls.cc), and the IPv6 flow-label state
// (ipv6_flow.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "stack/core/socket.h"

namespace socksim::stack::linux_abi {

struct FlowLabelHosts;  // ipv6_flow.cc

/// The option values of one socket, with Linux's defaults (measured on 6.18), and its flow
/// labels.
struct LinuxSocketState final : SocketExtension {
  ~LinuxSocketState() override;  // gives back the flow labels it leased (ipv6_flow.cc)
  bool reuse_port = false;          // sk_reuseport
  std::int32_t priority = 0;        // sk_priority
  std::uint32_t bound_device = 0;   // sk_bound_dev_if (0: none)
  std::optional<std::int32_t> rcvbuf;  // sk_rcvbuf once set (else the type's default)
  std::optional<std::int32_t> sndbuf;  // sk_sndbuf once set
  // TCP_NODELAY, TCP_CORK and TCP_QUICKACK are the core's (SocketOptions, TcpTiming): they
  // decide when segments leave.
  std::int32_t keepidle = 7200;     // tcp_keepalive_time, seconds
  std::int32_t keepintvl = 75;      // tcp_keepalive_intvl
  std::int32_t keepcnt = 9;         // tcp_keepalive_probes
  std::int32_t fastopen_qlen = 0;   // fastopenq.max_qlen
  std::uint8_t tos = 0;             // inet->tos
  bool ip_recverr = false;          // inet RECVERR
  std::int32_t pmtudisc = 1;        // IP_PMTUDISC_WANT (net.ipv4.ip_no_pmtu_disc = 0)
  bool ipv6_recverr = false;        // RECVERR6
  std::int32_t user_mss = 0;        // tp->rx_opt.user_mss (TCP_MAXSEG; 0: none)
  std::int32_t user_timeout = 0;    // icsk_user_timeout (TCP_USER_TIMEOUT), milliseconds
  std::int32_t frag_size = 0;       // np->frag_size (IPV6_MTU set; 0: the path's)
  bool ipv6_dontfrag = false;       // DONTFRAG
  bool ipv6_recvpktinfo = false;    // np->rxopt.bits.rxinfo

  bool send_flowinfo = false;     // IPV6_FLOWINFO_SEND (the SNDFLOW bit)
  bool receive_flowinfo = false;  // IPV6_FLOWINFO (rxopt.bits.rxflow)
  std::uint32_t flow_label = 0;   // np->flow_label, host order
  /// The labels the socket holds (np->ipv6_fl_list), one entry per lease.
  std::vector<std::uint32_t> labels;
  /// Where the leases are counted, so that they end with the socket (fl_free_socklist).
  std::weak_ptr<FlowLabelHosts> table;
  sim::NodeId node{};
};

/// The socket's Linux state, created with the defaults on first use.
LinuxSocketState& StateOf(Socket& socket);
/// The socket's Linux state, or nullptr when it never had any.
const LinuxSocketState* FindState(const Socket& socket);

}  // namespace socksim::stack::linux_abi
