// File: stack/personality/linux/linux_socket_state.h
// Linux's own per-socket state, kept in the core socket's extension slot: the options the
// neutral stack does not act on, stored as the kernel stores them so that getsockopt reads
// back exactly what Linux would (option_calls.cc).
#pragma once

#include <cstdint>
#include <optional>

#include "stack/core/socket.h"

namespace socksim::stack::linux_abi {

/// The option values of one socket, with Linux's defaults (measured on 6.18).
struct LinuxSocketState final : SocketExtension {
  bool reuse_port = false;          // sk_reuseport
  std::int32_t priority = 0;        // sk_priority
  std::uint32_t bound_device = 0;   // sk_bound_dev_if (0: none)
  std::optional<std::int32_t> rcvbuf;  // sk_rcvbuf once set (else the type's default)
  std::optional<std::int32_t> sndbuf;  // sk_sndbuf once set
  bool nodelay = false;             // TCP_NAGLE_OFF
  bool cork = false;                // TCP_NAGLE_CORK
  bool pingpong = false;            // delayed-ACK mode: TCP_QUICKACK reads its negation
  std::int32_t keepidle = 7200;     // tcp_keepalive_time, seconds
  std::int32_t keepintvl = 75;      // tcp_keepalive_intvl
  std::int32_t keepcnt = 9;         // tcp_keepalive_probes
  std::int32_t fastopen_qlen = 0;   // fastopenq.max_qlen
  std::uint8_t tos = 0;             // inet->tos
  bool ip_recverr = false;          // inet RECVERR
  std::int32_t pmtudisc = 1;        // IP_PMTUDISC_WANT (net.ipv4.ip_no_pmtu_disc = 0)
  bool ipv6_recverr = false;        // RECVERR6
};

/// The socket's Linux state, created with the defaults on first use.
LinuxSocketState& LinuxState(stack::Socket& s);

}  // namespace socksim::stack::linux_abi
