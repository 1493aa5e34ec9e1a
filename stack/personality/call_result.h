// File: stack/personality/call_result.h
// What a personality call returns to its caller (tests, the scenario runner, embedders): whether
// it succeeded, failed or would block forever, the return value exactly as that OS returns it,
// and the error code the call set, if it set one. "Failed" is explicit because OSes disagree on
// what a failure looks like: POSIX returns -1 and sets errno, Winsock returns SOCKET_ERROR and
// sets the thread's last error, and a Winsock success may clear the last error (Windows 7 and
// later) or leave it unchanged (older releases), which a code of 0 could not tell apart from
// "not touched". Output parameters are not here: they are in the calling process's memory.
#pragma once

#include <cstdint>
#include <optional>

namespace socksim::stack {

/// The result of one simulated call.
struct CallResult {
  enum class Status : std::uint8_t {
    kSucceeded,
    kFailed,
    kBlocked,  // the call would block and nothing in the world can unblock it; no effect
  };
  Status status = Status::kSucceeded;
  /// The return value (-1 for a failed POSIX call, SOCKET_ERROR for Winsock, ...).
  std::int64_t value = 0;
  /// The error code the call set (errno, the thread's last error, *lpErrno); nullopt when the
  /// call left it unchanged.
  std::optional<int> code;

  static CallResult Success(std::int64_t v = 0) { return {Status::kSucceeded, v, std::nullopt}; }
  /// A success that also sets the error code (Winsock clears the last error to 0).
  static CallResult SuccessSetting(std::int64_t v, int code) {
    return {Status::kSucceeded, v, code};
  }
  static CallResult Failure(std::int64_t v, std::optional<int> code) {
    return {Status::kFailed, v, code};
  }
  static CallResult Blocked() { return {Status::kBlocked, -1, std::nullopt}; }

  bool succeeded() const { return status == Status::kSucceeded; }
  bool failed() const { return status == Status::kFailed; }
  bool blocked() const { return status == Status::kBlocked; }
  /// The code the call set, or 0 when it set none (convenient for POSIX errno checks).
  int code_or_zero() const { return code.value_or(0); }

  friend bool operator==(const CallResult&, const CallResult&) = default;
};

}  // namespace socksim::stack
