// File: stack/personality/windows/ws2/startup.cc
// WSAStartup and WSACleanup (version negotiation, the WSADATA bytes, the reference count, the
// last cleanup destroying every socket of the process), the last-error calls, and the Winsock
// 1.1 blocking-hook calls. Sources: Microsoft Learn WSAStartup / WSADATA / WSACleanup /
// WSAIsBlocking / WSACancelBlockingCall; ReactOS dll/win32/ws2_32/src/startup.c and its
// apitest modules/rostests/apitests/ws2_32/WSAStartup.c (which runs against Windows); Wine
// test_WithWSAStartup (rows 4 and 5).
#include <algorithm>
#include <array>

#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/winsock.h"
#include "stack/personality/windows/ws2/last_error.h"
#include "stack/personality/windows/ws2/ws2_process.h"

namespace socksim::stack::windows_abi {
namespace {

// A version as (major, minor) for comparisons.
std::pair<int, int> Parts(std::uint16_t version) { return {version & 0xff, version >> 8}; }

// WSADATA's two strings as WSAStartup writes them (x64 layout; lpVendorInfo before them is
// left alone: WSADATA docs, "should be ignored" for 2.x, and ReactOS's apitest finds it
// untouched).
std::vector<std::uint8_t> WsadataStrings() {
  std::vector<std::uint8_t> b(kWsadataDescriptionSize + kWsadataSystemStatusSize, 0);
  // Both strings are NUL-filled to their full size (ReactOS apitest compares whole buffers).
  constexpr std::string_view kDescription = "WinSock 2.0";
  constexpr std::string_view kStatus = "Running";
  std::copy(kDescription.begin(), kDescription.end(), b.begin());
  std::copy(kStatus.begin(), kStatus.end(),
            b.begin() + static_cast<std::ptrdiff_t>(kWsadataSystemStatus - kWsadataDescription));
  return b;
}

}  // namespace

CallResult Winsock::WSAStartup(sim::Thread& t, std::uint16_t version_requested,
                               UserAddress wsadata) {
  Reap(t.process());
  // WSAStartup docs: WSAEINPROGRESS "a blocking Windows Sockets 1.1 operation is in
  // progress". Like every WSAStartup failure it is the return value, and the last error is
  // not touched (WSAStartup docs: "WSAGetLastError ... should not be used").
  const Ws2Thread& thread = ThreadState(t);
  if (thread.blocking) return CallResult::Failure(kWSAEINPROGRESS, std::nullopt);
  // Negotiation (ReactOS startup.c, checked by its apitest on Windows): major 0 is not
  // supported; 1.x gives 1.0 or 1.1; 2.x gives 2.0, 2.1 or 2.2; anything higher gets 2.2.
  const auto [major, minor] = Parts(version_requested);
  std::uint16_t negotiated = MakeWord(2, 2);
  int error = 0;
  if (major == 0) {
    error = kWSAVERNOTSUPPORTED;
  } else if (major == 1) {
    negotiated = MakeWord(1, static_cast<std::uint8_t>(std::min(minor, 1)));
  } else if (major == 2) {
    negotiated = MakeWord(2, static_cast<std::uint8_t>(std::min(minor, 2)));
  }
  // WSADATA is written even when the version is refused (ReactOS apitest: wVersion 2.2 then);
  // a 1.x caller also learns iMaxSockets 32767 and iMaxUdpDg 65467, a 2.x caller 0 and 0
  // (WSADATA docs: "should be ignored" from 2.0).
  auto& mem = t.process().memory();
  if (wsadata != 0) {
    const bool legacy = error == 0 && (negotiated & 0xff) < 2;
    const std::uint16_t fields[4] = {negotiated, MakeWord(2, 2),
                                     static_cast<std::uint16_t>(legacy ? 32767 : 0),
                                     static_cast<std::uint16_t>(legacy ? 65467 : 0)};
    const auto strings = WsadataStrings();
    if (!Writable(mem, wsadata, kWsadataVendorInfo) ||
        !Writable(mem, wsadata + kWsadataDescription, strings.size())) {
      if (error == 0) return CallResult::Failure(kWSAEFAULT, std::nullopt);
    } else {
      for (int i = 0; i < 4; ++i) (void)WriteU16(mem, wsadata + 2 * i, fields[i]);
      (void)WriteBytes(mem, wsadata + kWsadataDescription, strings);
    }
  }
  // The version error comes before the missing WSADATA (ReactOS apitest: WSAStartup(0,
  // NULL) is WSAVERNOTSUPPORTED).
  if (error != 0) return CallResult::Failure(error, std::nullopt);
  if (wsadata == 0) return CallResult::Failure(kWSAEFAULT, std::nullopt);
  Ws2Process& process = ProcessState(t.process());
  // ReactOS dprocess.c: the process keeps the lowest version any startup negotiated.
  if (process.startup_count == 0 || Parts(negotiated) < Parts(process.version)) {
    process.version = negotiated;
  }
  ++process.startup_count;
  // ReactOS apitest WSAStartup: a successful startup leaves the last error 0 (on every
  // release it was run on; confidence M).
  ThreadState(t).last_error = 0;
  return CallResult::SuccessSetting(0, 0);
}

CallResult Winsock::WSACleanup(sim::Thread& t) {
  Reap(t.process());
  Ws2Process& process = ProcessState(t.process());
  // Wine test_WithWSAStartup: a cleanup too many is WSANOTINITIALISED (row 5).
  if (process.startup_count == 0) return Fail(t, kSocketError, kWSANOTINITIALISED);
  if (ThreadState(t).blocking) return Fail(t, kSocketError, kWSAEINPROGRESS);
  if (--process.startup_count == 0) {
    // WSACleanup docs: the last cleanup closes every socket of the process; row 4: their
    // handles are gone for good. In ascending handle order, each through its chain.
    const auto sockets = process.sockets;
    for (const auto& [s, context] : sockets) {
      SpiOutcome outcome;
      SpiCall spi(t, &context.chain, 0, false, Caller(t), &outcome);
      int err = 0;
      if (context.chain.providers.front()->WSPCloseSocket(spi, s, &err) == kSocketError) {
        // A provider that cannot close (a failed network subsystem) loses the handle anyway.
        (void)t.process().fds().Close(s);
      }
    }
    process.sockets.clear();
    process.retrieved.clear();
    stack_.Settle();
  }
  return Succeed(t, 0);
}

CallResult Winsock::WSAGetLastError(sim::Thread& t) {
  // Returns the thread's last error and stores nothing (WSAGetLastError docs). Like every call
  // it first lets the process's finished overlapped operations complete.
  Reap(t.process());
  return CallResult::Success(static_cast<std::int32_t>(ThreadState(t).last_error));
}

CallResult Winsock::WSASetLastError(sim::Thread& t, std::int32_t error) {
  // WSASetLastError docs: any value may be set; it is the same TEB field GetLastError reads.
  Reap(t.process());
  ThreadState(t).last_error = static_cast<std::uint32_t>(error);
  return CallResult::SuccessSetting(0, error);
}

CallResult Winsock::WSAIsBlocking(sim::Thread& t) {
  // WSAIsBlocking docs: removed from Winsock 2 (a 2.x caller always gets FALSE); for a 1.1
  // caller TRUE while a blocking call is in progress on the thread. It stores nothing.
  Reap(t.process());
  const Ws2Process* process = FindProcessState(t.process());
  const Ws2Thread* thread = FindThreadState(t);
  const bool blocking =
      process != nullptr && process->legacy() && thread != nullptr && thread->blocking.has_value();
  return CallResult::Success(blocking ? kTrue : kFalse);
}

CallResult Winsock::WSACancelBlockingCall(sim::Thread& t) {
  Reap(t.process());
  Ws2Process& process = ProcessState(t.process());
  if (process.startup_count == 0) return Fail(t, kSocketError, kWSANOTINITIALISED);
  // ReactOS bhook.c / WSACancelBlockingCall docs: a 2.x caller gets WSAEOPNOTSUPP; a 1.1
  // caller with no blocking call in progress WSAEINVAL; otherwise the blocked call is
  // cancelled and fails WSAEINTR when it resumes.
  if (!process.legacy()) return Fail(t, kSocketError, kWSAEOPNOTSUPP);
  Ws2Thread& thread = ThreadState(t);
  if (!thread.blocking) return Fail(t, kSocketError, kWSAEINVAL);
  thread.blocking->cancelled = true;
  return Succeed(t, 0);
}

}  // namespace socksim::stack::windows_abi
