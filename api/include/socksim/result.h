// File: api/include/socksim/result.h
// What one call on a simulated process returned, as a test reads it: the C return value, the
// error code the call set (errno, the thread's last WSA error, *lpErrno, or libnsl's t_errno),
// and for the calls that return a name (getpeername, getsockname, accept, recvfrom) the name,
// the length written back and the bytes the caller's buffer holds afterwards. Every number is
// the personality's own (ENOTCONN is 107 on Linux, 134 on illumos; WSAENOTCONN is 10057).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "socksim/address.h"

namespace socksim {

/// The system a process runs as.
enum class System : std::uint8_t { kLinux, kWindows, kIllumos };

/// "linux", "windows", "illumos" (the scenario format's personality names).
std::string_view SystemName(System system);
std::ostream& operator<<(std::ostream& os, System system);
/// GoogleTest prints a System parameter by its name.
void PrintTo(System system, std::ostream* os);

/// An error code's symbol and text in `system`'s table ("ENOTCONN", "Transport endpoint is not
/// connected"); nullopt for a number the table does not hold. `t_error` selects illumos's
/// t_errno table (TOUTSTATE, ...).
struct ErrorName {
  std::string symbol;
  std::string message;
};
std::optional<ErrorName> DescribeError(System system, int code, bool t_error = false);
/// The number of an error symbol in `system`'s table ("WSAENOTCONN" -> 10057 on Windows;
/// aliases such as EWOULDBLOCK resolve); nullopt for a symbol it does not know.
std::optional<int> ErrorNumber(System system, std::string_view symbol);

/// The outcome of one call.
struct Result {
  enum class Outcome : std::uint8_t {
    kSucceeded,
    kFailed,     // -1 / SOCKET_ERROR / INVALID_SOCKET / NULL, with the error it set
    kWouldWait,  // the call would wait for something nothing in the world will do; no effect
  };

  System system = System::kLinux;
  std::string call;  // the function's name: "getpeername", "WSPGetPeerName", "ucred_geteuid"
  Outcome outcome = Outcome::kSucceeded;
  /// The return value exactly as the function returns it (a descriptor, a SOCKET's 64-bit
  /// pattern, -1, SOCKET_ERROR, a byte count, a pointer's value).
  std::int64_t value = 0;
  /// The error code the call set; nullopt when it left it alone (a Winsock success from
  /// Windows 7 on sets 0).
  std::optional<int> error;
  /// illumos TLI calls (t_*): `error` is a t_errno.
  bool t_error = false;

  // ---- calls that return a name ----
  /// The buffer size the caller passed (*addrlen before the call).
  std::optional<std::uint32_t> buffer_size;
  /// The length the call wrote back (*addrlen after it); may exceed buffer_size (Linux
  /// truncates the name and reports the full length).
  std::optional<std::uint32_t> length;
  /// The caller's buffer after the call, buffer_size bytes of it.
  std::vector<std::uint8_t> bytes;
  /// The name the call wrote, decoded, when the whole of it fit.
  std::optional<Address> address;

  // ---- calls that move data ----
  /// recv/recvfrom/read: the bytes received. send: empty.
  std::string data;

  bool succeeded() const { return outcome == Outcome::kSucceeded; }
  bool failed() const { return outcome == Outcome::kFailed; }
  bool would_wait() const { return outcome == Outcome::kWouldWait; }
  /// The name did not fit the buffer: the length written back exceeds the buffer size.
  bool truncated() const { return length && buffer_size && *length > *buffer_size; }
  /// The error's symbol ("ENOTCONN", "WSAENOTCONN", "TOUTSTATE"); empty when none was set,
  /// or the number in decimal when the table lacks it.
  std::string error_symbol() const;
  /// "getpeername = -1 ENOTCONN (Transport endpoint is not connected)",
  /// "getpeername = 0 [16] 10.0.0.2:80".
  std::string ToString() const;
};

std::ostream& operator<<(std::ostream& os, const Result& result);
/// GoogleTest prints a Result with this (found by argument-dependent lookup): its ToString.
void PrintTo(const Result& result, std::ostream* os);

}  // namespace socksim
