// File: tools/personality/linux/symbols.h
// Linux's symbolic constants as strace prints them (AF_INET, SOCK_STREAM|SOCK_CLOEXEC,
// SOL_SOCKET, SO_PEERCRED, ...), in both directions, for the scenario binder and the recorder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::tools::linux_symbols {

/// The value of a constant name (any category), or nullopt.
std::optional<std::int64_t> Lookup(std::string_view name);

/// Printing per argument kind, as strace does (unknown values in decimal or hex).
std::string Family(std::int64_t value);        // AF_INET
std::string SockType(std::int64_t value);      // SOCK_STREAM|SOCK_CLOEXEC
std::string Protocol(std::int64_t family, std::int64_t value);  // IPPROTO_TCP, 0
std::string Level(std::int64_t value);         // SOL_SOCKET, SOL_IPV6
std::string Option(std::int64_t level, std::int64_t value);  // SO_REUSEADDR
std::string Shutdown(std::int64_t value);      // SHUT_WR
std::string MsgFlags(std::int64_t value);      // MSG_PEEK|MSG_DONTWAIT, 0
std::string AcceptFlags(std::int64_t value);   // SOCK_CLOEXEC|SOCK_NONBLOCK, 0
std::string PollEvents(std::uint32_t value);   // POLLIN|POLLOUT, 0
std::string EpollEvents(std::uint32_t value);  // EPOLLIN|EPOLLET, 0
std::string EpollOp(std::int64_t value);       // EPOLL_CTL_ADD
std::string EpollCreateFlags(std::int64_t value);  // EPOLL_CLOEXEC, 0x1 /* EPOLL_??? */
std::string IfFlags(std::uint16_t value);      // IFF_UP|IFF_LOOPBACK|IFF_RUNNING, 0

}  // namespace socksim::tools::linux_symbols
