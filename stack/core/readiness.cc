// File: stack/core/readiness.cc
// Readiness of a neutral socket from its facts: queues, the pending error, shutdown flags, the
// protocol state and, for a UNIX datagram sender, whether its receiver's queue has room.
#include "stack/core/readiness.h"

namespace socksim::stack {

const char* ToString(ConnectionPhase phase) {
  switch (phase) {
    case ConnectionPhase::kConnectionless:
      return "connectionless";
    case ConnectionPhase::kUnconnected:
      return "unconnected";
    case ConnectionPhase::kListening:
      return "listening";
    case ConnectionPhase::kConnecting:
      return "connecting";
    case ConnectionPhase::kConnected:
      return "connected";
  }
  return "?";
}

namespace {

ConnectionPhase PhaseOf(const Socket& socket) {
  if (socket.type() == SockType::kDgram) return ConnectionPhase::kConnectionless;
  if (socket.family() == Family::kUnix) {
    if (socket.state == TcpState::kListen) return ConnectionPhase::kListening;
    return socket.unix_peer && socket.state == TcpState::kEstablished
               ? ConnectionPhase::kConnected
               : ConnectionPhase::kUnconnected;
  }
  switch (socket.state) {
    case TcpState::kListen:
      return ConnectionPhase::kListening;
    case TcpState::kSynSent:
    case TcpState::kSynReceived:
      return ConnectionPhase::kConnecting;
    case TcpState::kClosed:
    case TcpState::kTimeWait:  // the connection is over; what is left is the protocol's
      return ConnectionPhase::kUnconnected;
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
    case TcpState::kClosing:
    case TcpState::kLastAck:
      return ConnectionPhase::kConnected;
  }
  return ConnectionPhase::kUnconnected;
}

// A UNIX datagram sender is held back by a connected receiver whose queue is full, unless the
// receiver is connected back to it (the same rule Stack::UnixSend applies to a send).
bool ReceiverFull(const Socket& socket) {
  const Socket* other = socket.unix_peer.get();
  if (other == nullptr || other == &socket || other->unix_peer.get() == &socket) return false;
  return other->receive_queue.size() >
         static_cast<std::size_t>(socket.policy().tunables.max_datagram_queue);
}

}  // namespace

Readiness QueryReadiness(const Socket& socket) {
  Readiness r;
  r.phase = PhaseOf(socket);
  r.error = socket.pending_error.has_value();
  r.read_hang_up = socket.shut_read || socket.peer_finished;
  r.write_hang_up = socket.shut_write;
  r.hang_up = r.read_hang_up && r.write_hang_up;
  if (r.phase == ConnectionPhase::kListening) {
    r.readable = !socket.accept_queue.empty();
    return r;
  }
  r.readable = !socket.receive_queue.empty();
  r.writable = r.phase != ConnectionPhase::kConnecting;
  if (socket.family() == Family::kUnix && socket.type() == SockType::kDgram) {
    r.writable = !ReceiverFull(socket);
  }
  return r;
}

}  // namespace socksim::stack
