// File: stack/personality/windows/ws2/last_error.h
// What a Windows thread keeps for Winsock: the last error, one TEB field that WSAGetLastError,
// WSASetLastError, GetLastError and SetLastError all share (WSAGetLastError docs: "the last
// error that occurred for the calling thread"; Wine's tests mix SetLastError and
// WSAGetLastError freely), whether the thread's calls may wait for other processes, and the
// blocking call in progress on it, if any (the blocking-hook model of WIN-10 / SPI-9).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/thread.h"
#include "stack/personality/windows/abi_constants.h"

namespace socksim::stack::windows_abi {

/// A call that had to wait while waiting was not allowed: it had no effect and runs again,
/// waiting, when the same call on the same socket comes back with waiting allowed.
struct BlockingCall {
  std::string call;  // the export's name ("recv", "accept", ...)
  SocketHandle socket = 0;
  /// WSACancelBlockingCall (Winsock 1.1) cancelled it: it fails WSAEINTR when it resumes.
  bool cancelled = false;
};

/// Per-thread Winsock state.
class Ws2Thread final : public sim::ThreadExtension {
 public:
  /// The TEB's LastErrorValue (a DWORD; WSAGetLastError returns it as an int).
  std::uint32_t last_error = 0;
  /// Calls may run the world until they can complete (false: the runner's <unfinished ...>).
  bool may_wait = true;
  std::optional<BlockingCall> blocking;
};

/// The thread's state, created on first use. Throws std::logic_error when the thread carries
/// another personality's state.
Ws2Thread& ThreadState(sim::Thread& thread);
/// The state, or nullptr when the thread never had any.
const Ws2Thread* FindThreadState(const sim::Thread& thread);

}  // namespace socksim::stack::windows_abi
