// File: stack/core/tcp_state.h
// The connection states of RFC 793 section 3.2, with their RFC spellings. A UDP socket uses
// kClosed and kEstablished only, as "no default peer" and "a default peer".
#pragma once

#include <cstdint>

namespace socksim::stack {

/// RFC 793 connection states (one byte: every socket holds one).
enum class TcpState : std::uint8_t {
  kClosed,
  kListen,
  kSynSent,
  kSynReceived,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kCloseWait,
  kClosing,
  kLastAck,
  kTimeWait,
};

/// RFC 793 spelling: "CLOSED", "LISTEN", "SYN-SENT", ..., "TIME-WAIT".
const char* ToString(TcpState state);

/// True once a SYN has been exchanged in both directions and until the connection closes:
/// the states in which a peer address is part of the connection (RFC 793 "synchronized").
bool IsSynchronized(TcpState state);

/// True in states where this side may still send data (ESTABLISHED, CLOSE-WAIT).
bool CanSend(TcpState state);

/// True in states where data from the peer is still accepted (RFC 793 3.9 SEGMENT ARRIVES,
/// "sixth, check the URG bit" onwards: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2).
bool CanReceive(TcpState state);

}  // namespace socksim::stack
