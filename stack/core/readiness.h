// File: stack/core/readiness.h
// What a socket is ready for, in neutral terms: the facts every personality's readiness calls
// (poll, select, epoll and their kin) are computed from. It is read from the socket's protocol
// state, its queues, its pending error, its listener queue and its shutdowns; how those facts
// become an OS's event bits (and which ones an OS reports for a socket that never connected)
// is the personality's.
#pragma once

#include <cstdint>

#include "stack/core/socket.h"

namespace socksim::stack {

/// Where a socket stands with respect to a connection, as readiness reports distinguish it.
enum class ConnectionPhase : std::uint8_t {
  kConnectionless,  // a datagram socket (UDP, UNIX SOCK_DGRAM): no connection to wait for
  kUnconnected,     // connection-based with no connection: never connected, or it is over
  kListening,       // waiting for connections
  kConnecting,      // a handshake runs (TCP SYN-SENT, SYN-RECEIVED)
  kConnected,       // a connection exists (possibly half-closed)
};

/// "connectionless", "unconnected", "listening", "connecting", "connected".
const char* ToString(ConnectionPhase phase);

/// A socket's readiness at one instant.
struct Readiness {
  /// A receive would find something: queued bytes or a datagram; for a listener, a connection
  /// waiting to be accepted.
  bool readable = false;
  /// A send would find room now: no handshake in the way, not a listener, and (UNIX datagram)
  /// the connected receiver's queue is not full.
  bool writable = false;
  /// An asynchronous error is pending (the one SO_ERROR would take).
  bool error = false;
  /// Both directions are shut: nothing more will arrive and nothing more can be sent.
  bool hang_up = false;
  /// The receive side is shut: SHUT_RD was given or the peer ended its stream.
  bool read_hang_up = false;
  /// The send side is shut: SHUT_WR was given or the connection ended.
  bool write_hang_up = false;
  /// Urgent (out-of-band) data waits. Out-of-band data is not modelled, so never set.
  bool priority = false;
  ConnectionPhase phase = ConnectionPhase::kConnectionless;

  friend bool operator==(const Readiness&, const Readiness&) = default;
};

/// The socket's readiness now.
Readiness QueryReadiness(const Socket& socket);

}  // namespace socksim::stack
