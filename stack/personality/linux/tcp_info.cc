// File: stack/personality/linux/tcp_info.cc
// tcp_get_info over the neutral socket. The model has no congestion control, timers per
// segment, window scaling or options, so those fields are 0 where the kernel reports its own
// values; only tcpi_state and a listener's tcpi_unacked (sk_ack_backlog, the connections
// waiting for accept) and tcpi_sacked (sk_max_ack_backlog, the backlog) are filled in.
#include "stack/personality/linux/tcp_info.h"

namespace socksim::stack::linux_abi {
namespace {

// Offsets in struct tcp_info (include/uapi/linux/tcp.h): eight u8 fields, then u32 tcpi_rto,
// tcpi_ato, tcpi_snd_mss, tcpi_rcv_mss, tcpi_unacked, tcpi_sacked.
constexpr std::size_t kUnackedOffset = 24;
constexpr std::size_t kSackedOffset = 28;

// include/net/tcp_states.h.
constexpr std::uint8_t kTcpEstablished = 1;
constexpr std::uint8_t kTcpSynSent = 2;
constexpr std::uint8_t kTcpSynRecv = 3;
constexpr std::uint8_t kTcpFinWait1 = 4;
constexpr std::uint8_t kTcpFinWait2 = 5;
constexpr std::uint8_t kTcpClose = 7;
constexpr std::uint8_t kTcpCloseWait = 8;
constexpr std::uint8_t kTcpLastAck = 9;
constexpr std::uint8_t kTcpListen = 10;
constexpr std::uint8_t kTcpClosing = 11;

void PutU32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

}  // namespace

std::uint8_t TcpInfoState(const Socket& socket) {
  switch (socket.state) {
    case TcpState::kEstablished:
      return kTcpEstablished;
    case TcpState::kSynSent:
      return kTcpSynSent;
    case TcpState::kSynReceived:
      return kTcpSynRecv;
    case TcpState::kFinWait1:
      return kTcpFinWait1;
    case TcpState::kFinWait2:
      return kTcpFinWait2;
    case TcpState::kTimeWait:  // the timewait sock holds the connection; the socket is CLOSE
    case TcpState::kClosed:
      return kTcpClose;
    case TcpState::kCloseWait:
      return kTcpCloseWait;
    case TcpState::kLastAck:
      return kTcpLastAck;
    case TcpState::kListen:
      return kTcpListen;
    case TcpState::kClosing:
      return kTcpClosing;
  }
  return kTcpClose;
}

std::vector<std::uint8_t> TcpInfoBytes(const Socket& socket) {
  std::vector<std::uint8_t> info(kTcpInfoSize, 0);
  info[0] = TcpInfoState(socket);
  if (socket.state == TcpState::kListen) {
    PutU32(info, kUnackedOffset, static_cast<std::uint32_t>(socket.accept_queue.size()));
    PutU32(info, kSackedOffset, static_cast<std::uint32_t>(socket.backlog));
  }
  return info;
}

}  // namespace socksim::stack::linux_abi
