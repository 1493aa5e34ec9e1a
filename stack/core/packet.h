// File: stack/core/packet.h
// What travels between hosts: a TCP segment, a UDP datagram or an ICMP port-unreachable
// report between wire (not v4-mapped) endpoints, plus the sender's credential record when the
// packet is delivered without leaving its host (loopback), which is how a local peer's
// credentials reach the other end of a connection. A packet that crosses a link carries none.
#pragma once

#include <cstdint>
#include <string>

#include "sim/ip_address.h"
#include "stack/core/socket.h"

namespace socksim::stack {

/// A packet in flight.
struct Packet {
  enum class Protocol : std::uint8_t { kTcp, kUdp, kIcmpPortUnreachable };
  Protocol protocol = Protocol::kTcp;
  sim::Endpoint src;
  sim::Endpoint dst;
  bool syn = false, ack = false, fin = false, rst = false;
  /// PSH: the segment ends what the sender had to send (a write, or what it held back); the
  /// segments before it in one burst go without (tcp_mark_push).
  bool psh = false;
  std::uint32_t seq = 0;
  std::uint32_t ack_number = 0;
  std::string payload;
  /// The sending socket's credentials; dropped by the transport when the packet leaves the
  /// sender's host.
  CredentialRecordRef sender;

  /// tcpdump-like one-line description (built only when something reads it: the event log or
  /// a debug message).
  std::string Describe() const;
};

}  // namespace socksim::stack
