// File: stack/personality/windows/wsa_error_table.h
// The one table of Windows error codes: every code a modelled call can leave in a thread's last
// error (WSA codes and the Win32 codes of the overlapped and kernel32 calls), with its symbol
// and Microsoft's short text, and the one place that decides which code each neutral Error
// becomes. The codes and texts come from abi.def.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "stack/core/error.h"

namespace socksim::stack::windows_abi {

/// One Windows error code: its number, its canonical symbol and its short description.
struct WsaErrorInfo {
  int value;
  std::string_view symbol;
  std::string_view message;

  friend bool operator==(const WsaErrorInfo&, const WsaErrorInfo&) = default;
};

/// The code Windows reports for a neutral error (a covered switch: a new Error does not
/// compile until Windows has decided what it means).
WsaErrorInfo ToWsaError(Error error);

/// Looks up "WSAENOTCONN" (case-sensitive); aliases (WSA_IO_PENDING, ERROR_IO_INCOMPLETE,
/// WSANOTINITIALIZED, ...) resolve to their canonical entry.
std::optional<WsaErrorInfo> WsaErrorBySymbol(std::string_view symbol);

/// Looks up a code; nullopt for numbers not in the table.
std::optional<WsaErrorInfo> WsaErrorByValue(int value);

/// Every canonical entry, in ascending order of value.
std::span<const WsaErrorInfo> AllWsaErrors();

}  // namespace socksim::stack::windows_abi
