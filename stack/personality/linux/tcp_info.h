// File: stack/personality/linux/tcp_info.h
// struct tcp_info as getsockopt(SOL_TCP, TCP_INFO) returns it (include/uapi/linux/tcp.h,
// net/ipv4/tcp.c tcp_get_info), filled from what the model knows: the state as the user's
// socket sees it and, for a listener, its queue; every other field is 0.
#pragma once

#include <cstdint>
#include <vector>

#include "stack/core/socket.h"

namespace socksim::stack::linux_abi {

/// sizeof(struct tcp_info) on Linux 6.18 x86-64, measured (a longer length copies this much).
inline constexpr std::uint32_t kTcpInfoSize = 280;

/// tcpi_state: the TCP_* number (include/net/tcp_states.h) of the user's socket. A connection in
/// TIME-WAIT has left the user's socket TCP_CLOSE (tcp_time_wait -> tcp_done).
std::uint8_t TcpInfoState(const Socket& socket);

/// The kTcpInfoSize bytes tcp_get_info writes for `socket`.
std::vector<std::uint8_t> TcpInfoBytes(const Socket& socket);

}  // namespace socksim::stack::linux_abi
