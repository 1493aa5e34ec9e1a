// File: stack/personality/windows/winsock.h
// The Windows personality as programs, the scenario tools and embedders call it: one method per
// Windows function (ws2_32, the mswsock extension functions, the kernel32 handle functions, and
// the SPI's WSPGetPeerName as a provider's own test calls it), with the x64 argument types and
// pointers into the calling process's simulated memory. It is built as Windows is: the ws2
// layer (startup count and version, the SOCKET context table, the per-thread last error, the
// protocol catalog; ws2/) dispatches each call to the top provider of the socket's protocol
// chain (layered providers over the base provider; provider/).
//
// Every method returns a stack::CallResult: `value` exactly as Windows returns it (0,
// SOCKET_ERROR, a SOCKET's 64-bit pattern, INVALID_SOCKET as -1, TRUE/FALSE, WSAStartup's
// code), `status` (failed for SOCKET_ERROR, INVALID_SOCKET and FALSE; blocked when the call
// would wait and waiting is not allowed, or waits for something that never comes), and `code`:
// what the call stored in the thread's last error, or nullopt when it left it alone. The
// facade stores the last error itself: it is part of ws2's contract.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/expected.h"
#include "sim/process.h"
#include "sim/thread.h"
#include "stack/core/stack.h"
#include "stack/personality/call_result.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/base_provider.h"
#include "stack/personality/windows/provider/extension_functions.h"
#include "stack/personality/windows/provider/layered_provider.h"
#include "stack/personality/windows/windows_release.h"
#include "stack/personality/windows/ws2/catalog.h"

namespace socksim::stack::windows_abi {

/// The Windows personality over a neutral stack.
class Winsock {
 public:
  explicit Winsock(Stack& stack, WindowsRelease release = kNewestRelease);
  Winsock(const Winsock&) = delete;
  Winsock& operator=(const Winsock&) = delete;

  const WindowsRelease& release() const { return release_; }
  /// The policy every socket this personality creates follows (registered with the stack).
  const Policy& policy() const { return policy_; }
  Catalog& catalog() { return catalog_; }
  const Catalog& catalog() const { return catalog_; }
  Stack& stack() { return stack_; }

  /// A new process: kernel handles numbered 0x100, 0x104, ... and never reused (design
  /// "Handles"), ws2 state with no startup yet, the main thread's last error 0.
  void SetUpProcess(sim::Process& p) const;
  /// The scenario's `lsp` line (before any process starts): a layered provider on the chains
  /// it names (all when it names none), above any installed before it. The error text says
  /// why it cannot be installed (a name already taken).
  sim::Expected<sim::Ok, std::string> InstallLayeredProvider(const LayeredProviderSpec& spec);
  /// Whether `name` is a provider of this instance ("tcpip", "afunix" or a layered one).
  bool HasProvider(std::string_view name) const;
  /// Whether calls on `thread` may wait for other processes (false: a call that would block
  /// returns CallResult::Blocked() with no effect, and the thread is marked as being inside a
  /// blocking call until that call runs again).
  void AllowWaiting(sim::Thread& thread, bool allowed);
  /// The thread's last error (as WSAGetLastError would return it, without being a call).
  int LastError(const sim::Thread& thread) const;

  // ---- ws2_32 (winsock2.h) ----
  CallResult WSAStartup(sim::Thread& t, std::uint16_t version_requested, UserAddress wsadata);
  CallResult WSACleanup(sim::Thread& t);
  CallResult WSAGetLastError(sim::Thread& t);
  CallResult WSASetLastError(sim::Thread& t, std::int32_t error);
  CallResult Socket(sim::Thread& t, std::int32_t af, std::int32_t type, std::int32_t protocol);
  CallResult WSASocketW(sim::Thread& t, std::int32_t af, std::int32_t type, std::int32_t protocol,
                        UserAddress protocol_info, std::uint32_t group, std::uint32_t flags);
  CallResult Closesocket(sim::Thread& t, SocketHandle s);
  CallResult Bind(sim::Thread& t, SocketHandle s, UserAddress name, std::int32_t namelen);
  CallResult Listen(sim::Thread& t, SocketHandle s, std::int32_t backlog);
  CallResult Connect(sim::Thread& t, SocketHandle s, UserAddress name, std::int32_t namelen);
  CallResult Accept(sim::Thread& t, SocketHandle s, UserAddress addr, UserAddress addrlen);
  CallResult Getpeername(sim::Thread& t, SocketHandle s, UserAddress name, UserAddress namelen);
  CallResult Getsockname(sim::Thread& t, SocketHandle s, UserAddress name, UserAddress namelen);
  CallResult Shutdown(sim::Thread& t, SocketHandle s, std::int32_t how);
  CallResult Send(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                  std::int32_t flags);
  CallResult Recv(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                  std::int32_t flags);
  CallResult Sendto(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                    std::int32_t flags, UserAddress to, std::int32_t tolen);
  CallResult Recvfrom(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                      std::int32_t flags, UserAddress from, UserAddress fromlen);
  CallResult Setsockopt(sim::Thread& t, SocketHandle s, std::int32_t level, std::int32_t optname,
                        UserAddress optval, std::int32_t optlen);
  CallResult Getsockopt(sim::Thread& t, SocketHandle s, std::int32_t level, std::int32_t optname,
                        UserAddress optval, UserAddress optlen);
  CallResult Ioctlsocket(sim::Thread& t, SocketHandle s, std::int32_t cmd, UserAddress argp);
  CallResult WSAIoctl(sim::Thread& t, SocketHandle s, std::uint32_t code, UserAddress in,
                      std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
                      UserAddress bytes_returned, UserAddress overlapped, UserAddress routine);
  CallResult Select(sim::Thread& t, std::int32_t nfds, UserAddress readfds, UserAddress writefds,
                    UserAddress exceptfds, UserAddress timeout);
  CallResult WSAPoll(sim::Thread& t, UserAddress fds, std::uint32_t nfds, std::int32_t timeout_ms);
  CallResult WSAGetOverlappedResult(sim::Thread& t, SocketHandle s, UserAddress overlapped,
                                    UserAddress transferred, std::int32_t wait, UserAddress flags);
  // Winsock 1.1 blocking hooks (WSAEOPNOTSUPP / FALSE for a 2.x caller, as ws2_32 answers).
  CallResult WSAIsBlocking(sim::Thread& t);
  CallResult WSACancelBlockingCall(sim::Thread& t);

  // ---- mswsock extension functions, as reached through the pointers
  // SIO_GET_EXTENSION_FUNCTION_POINTER hands out ----
  /// Whether the process retrieved `f`'s pointer (and has not lost it to its last WSACleanup).
  bool ExtensionRetrieved(const sim::Process& p, ExtensionFunction f) const;
  CallResult ConnectEx(sim::Thread& t, SocketHandle s, UserAddress name, std::int32_t namelen,
                       UserAddress send_buffer, std::uint32_t send_length, UserAddress bytes_sent,
                       UserAddress overlapped);
  CallResult AcceptEx(sim::Thread& t, SocketHandle listen, SocketHandle accept, UserAddress output,
                      std::uint32_t receive_length, std::uint32_t local_length,
                      std::uint32_t remote_length, UserAddress bytes_received,
                      UserAddress overlapped);
  CallResult DisconnectEx(sim::Thread& t, SocketHandle s, UserAddress overlapped,
                          std::uint32_t flags, std::uint32_t reserved);

  // ---- kernel32: handles that are not sockets ----
  /// An opened file's handle (a plain kernel object: WSAENOTSOCK to every socket call).
  CallResult CreateFileW(sim::Thread& t, std::string_view path);
  CallResult DuplicateHandle(sim::Thread& t, std::uint64_t source_process, std::uint64_t source,
                             std::uint64_t target_process, UserAddress target, std::uint32_t access,
                             std::int32_t inherit, std::uint32_t options);
  CallResult CloseHandle(sim::Thread& t, std::uint64_t handle);

  // ---- SPI ----
  /// LPWSPGETPEERNAME called directly, as a provider's own test would: on the top provider of
  /// the socket's chain, or on the provider named `provider`. No ws2 prolog and no last error:
  /// the code goes only to the 4-byte cell at `lp_errno`, and `code` is that cell's new value
  /// when the call changed it. Throws std::invalid_argument for an unknown provider name.
  CallResult WSPGetPeerName(sim::Thread& t, SocketHandle s, UserAddress name, UserAddress namelen,
                            UserAddress lp_errno, std::string_view provider = {});

 private:
  // ws2's prolog (reference (b.1)): the overlapped completions of the process, then
  // WSANOTINITIALISED, then the blocking call in progress on the thread (WSAEINPROGRESS, or the
  // resumption of that call: WSAEINTR if it was cancelled). A failure result, or nullopt.
  std::optional<CallResult> Prolog(sim::Thread& t, std::string_view call, SocketHandle s,
                                   std::int64_t failure);
  // What the providers may learn about the caller of a call on thread `t` (SpiCaller).
  SpiCaller Caller(sim::Thread& t);
  // Stores `code` as the thread's last error and returns the failure.
  CallResult Fail(sim::Thread& t, std::int64_t value, int code);
  // A success: the last error becomes 0 from Windows 7 on (row 40).
  CallResult Succeed(sim::Thread& t, std::int64_t value);
  // Dispatches a call on a socket: prolog, an optional ws2 check before the lookup, the SOCKET
  // lookup (WSAENOTSOCK), the top provider of its chain, the result.
  template <typename Entry>
  CallResult Dispatch(sim::Thread& t, std::string_view call, SocketHandle s, EntryPoint entry,
                      int pre_lookup_error, Entry&& run);
  // Runs `run(top, spi, &err)` down `chain` and turns its result into a CallResult.
  template <typename Entry>
  CallResult Run(sim::Thread& t, std::string_view call, SocketHandle s, EntryPoint entry,
                 const ProviderChain& chain, Entry&& run);
  // The readiness of one socket of select/WSAPoll through its chain: 0, or the code.
  int PollSocket(sim::Thread& t, SocketHandle s, Readiness* readiness);
  void Reap(sim::Process& p);
  ServiceProvider* FindProvider(std::string_view name) const;

  Stack& stack_;
  WindowsRelease release_;
  const Policy& policy_;
  std::unique_ptr<BaseProvider> tcpip_;
  std::unique_ptr<BaseProvider> afunix_;
  std::vector<std::unique_ptr<LayeredProvider>> layered_;
  Catalog catalog_;
};

}  // namespace socksim::stack::windows_abi
