// File: stack/core/tcp_state.cc
// RFC 793 state names and the predicates the stack asks of them.
#include "stack/core/tcp_state.h"

namespace socksim::stack {

const char* ToString(TcpState state) {
  switch (state) {
    case TcpState::kClosed:
      return "CLOSED";
    case TcpState::kListen:
      return "LISTEN";
    case TcpState::kSynSent:
      return "SYN-SENT";
    case TcpState::kSynReceived:
      return "SYN-RECEIVED";
    case TcpState::kEstablished:
      return "ESTABLISHED";
    case TcpState::kFinWait1:
      return "FIN-WAIT-1";
    case TcpState::kFinWait2:
      return "FIN-WAIT-2";
    case TcpState::kCloseWait:
      return "CLOSE-WAIT";
    case TcpState::kClosing:
      return "CLOSING";
    case TcpState::kLastAck:
      return "LAST-ACK";
    case TcpState::kTimeWait:
      return "TIME-WAIT";
  }
  return "?";
}

bool IsSynchronized(TcpState state) {
  switch (state) {
    case TcpState::kClosed:
    case TcpState::kListen:
    case TcpState::kSynSent:
      return false;
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
    case TcpState::kClosing:
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
      return true;
  }
  return false;
}

bool CanSend(TcpState state) {
  return state == TcpState::kEstablished || state == TcpState::kCloseWait;
}

bool CanReceive(TcpState state) {
  return state == TcpState::kEstablished || state == TcpState::kFinWait1 ||
         state == TcpState::kFinWait2;
}

}  // namespace socksim::stack
