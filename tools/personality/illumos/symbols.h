// File: tools/personality/illumos/symbols.h
// illumos' symbolic constants as scenarios write them (AF_INET6 26, SOCK_STREAM 2, SOL_SOCKET
// 0xffff, I_PUSH, T_COTS_ORD, P_MYID, PRIV_AWARE, ...), in both directions, read from the
// personality's abi.def (the one source of the numbers), and the names and texts of the two
// error codes an illumos call can leave: errno (sys/errno.h, strerror) and, for the TLI
// calls, t_errno (sys/tiuser.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::tools::illumos_symbols {

/// The value of a constant name (any category, errno and t_errno names included), or nullopt.
std::optional<std::int64_t> Lookup(std::string_view name);

/// Printing per argument kind (unknown values in decimal).
std::string Family(std::int64_t value);    // AF_INET6
std::string SockType(std::int64_t value);  // SOCK_STREAM
std::string Protocol(std::int64_t value);  // IPPROTO_TCP, 0

/// An errno's symbol (ENOTCONN) and strerror text; empty for a number abi.def does not list.
std::string ErrnoSymbol(int value);
std::string ErrnoText(int value);
/// A t_errno's symbol (TOUTSTATE, TSYSERR); empty for a number abi.def does not list.
std::string TliErrorSymbol(int value);

}  // namespace socksim::tools::illumos_symbols
