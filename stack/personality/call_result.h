// File: stack/personality/call_result.h
// What a personality call returns to its caller (tests, the scenario runner, embedders): the
// return value and the OS's own error code, exactly as that OS reports them. Output
// parameters are not here: they are in the calling process's simulated memory.
#pragma once

#include <cstdint>

namespace socksim::stack {

/// The result of one simulated call.
struct CallResult {
  /// The return value (-1 for a failed POSIX call, SOCKET_ERROR for Winsock, ...).
  std::int64_t value = 0;
  /// The OS error code set by the call (errno, WSAGetLastError()), 0 when none was set.
  int code = 0;
  /// The call would block and nothing in the world can unblock it now; it had no effect.
  bool blocked = false;

  bool failed() const { return code != 0 && !blocked; }
  friend bool operator==(const CallResult&, const CallResult&) = default;
};

}  // namespace socksim::stack
