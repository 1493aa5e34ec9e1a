// File: tools/personality/windows/symbols.h
// Windows' symbolic constants as scenarios write them (AF_INET6, SOL_SOCKET, SIO_*, WSAE*,
// SOCKET_ERROR, ERROR_IO_PENDING, ...), in both directions, read from the personality's
// abi.def, and the GUIDs of the mswsock extension functions by their mswsock.h names.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::tools::windows_symbols {

/// The value of a constant name (any category, error codes included), or nullopt.
std::optional<std::int64_t> Lookup(std::string_view name);

/// Printing per argument kind (unknown values in decimal or hex).
std::string Family(std::int64_t value);     // AF_INET6
std::string SockType(std::int64_t value);   // SOCK_STREAM
std::string Protocol(std::int64_t value);   // IPPROTO_TCP, 0
std::string PollFlags(std::int64_t value);  // POLLWRNORM|POLLHUP, 0
/// The symbol of an error code a call leaves in the last error (WSAENOTCONN,
/// ERROR_IO_PENDING); empty for 0 and for a code abi.def does not list.
std::string Error(std::int64_t code);

/// A GUID's 16 bytes as a program passes it (Data1, Data2 and Data3 little-endian, then
/// Data4), by its mswsock.h name (WSAID_CONNECTEX); nullopt for another name.
std::optional<std::array<std::uint8_t, 16>> Guid(std::string_view name);

}  // namespace socksim::tools::windows_symbols
