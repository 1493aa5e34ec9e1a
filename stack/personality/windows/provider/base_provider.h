// File: stack/personality/windows/provider/base_provider.h
// The base service provider (the msafd/AFD pair of Windows: the TCP/IP provider "tcpip" and the
// AF_UNIX provider "afunix") over the neutral stack. It owns every socket's Windows state (a
// stack::SocketExtension): the non-blocking flag, how the connection came (connect, accept,
// ConnectEx, AcceptEx), whether SO_UPDATE_*_CONTEXT was applied, the shutdown and DisconnectEx
// flags, the peer name it reports, SO_ERROR, the options it only stores, and the overlapped
// operations in flight keyed by OVERLAPPED address. Its sockets are kernel handles in the
// process's handle table (an IFS provider: reference (c) "Handles"), and its entry points
// report errors only through *lpErrno (reference (c) "Dispatch and lpErrno").
//
// Every entry point starts the same way (reference (b.2)): the provider's own context lookup
// (WSAENOTSOCK), then the `windows.netdown` fault point (WSAENETDOWN, WIN-8 / SPI-7), then a
// blocking call in progress on the thread (WSAEINPROGRESS, SPI-9), then its own checks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/time.h"
#include "stack/core/stack.h"
#include "stack/personality/windows/provider/service_provider.h"
#include "stack/personality/windows/windows_release.h"

namespace socksim::stack::windows_abi {

/// How a stream socket's connection came to be (reference (c) "State owned by the base
/// provider").
enum class Came : std::uint8_t { kNone, kConnect, kAccept, kConnectEx, kAcceptEx };

/// An overlapped operation in flight, completed lazily by BaseProvider::Reap.
struct PendingOperation {
  enum class Kind : std::uint8_t { kConnectEx, kAcceptEx, kDisconnectEx };
  Kind kind = Kind::kConnectEx;
  std::uint64_t sequence = 0;  // issue order: completions of one socket keep it
  sim::Pid pid = 0;            // the process whose memory holds the OVERLAPPED and buffers
  UserAddress overlapped = 0;
  std::string send_data;  // ConnectEx: the bytes read at the call, sent once connected
  // AcceptEx: the socket the connection goes to, and the caller's output buffer.
  SocketHandle accept_handle = 0;
  std::weak_ptr<Socket> accept_socket;
  UserAddress output = 0;
  std::uint32_t receive_length = 0;
  std::uint32_t local_length = 0;
  std::uint32_t remote_length = 0;
};

/// The base provider's per-socket state.
class BaseSocketState final : public SocketExtension {
 public:
  const ServiceProvider* provider = nullptr;
  int af = 0;
  int type = 0;
  int protocol = 0;
  std::uint32_t create_flags = 0;  // WSASocket dwFlags
  bool nonblocking = false;        // FIONBIO (sockets start blocking: ioctlsocket docs)
  Came came = Came::kNone;
  bool context_updated = false;  // SO_UPDATE_CONNECT_CONTEXT / SO_UPDATE_ACCEPT_CONTEXT
  bool connectex_pending = false;
  bool accept_target = false;   // named as the accept socket of a pending AcceptEx
  bool disconnected = false;    // DisconnectEx
  bool receive_shut = false;    // shutdown(SD_RECEIVE / SD_BOTH)
  bool send_shut = false;       // shutdown(SD_SEND / SD_BOTH), DisconnectEx
  bool connect_failed = false;  // the last connect attempt failed (select: exceptfds)
  /// The name getpeername reports, encoded: a stream's peer, or a datagram socket's default
  /// peer exactly as connect() was given it.
  std::optional<std::vector<std::uint8_t>> peer;
  /// SO_ERROR: set by a failed asynchronous connect and by setsockopt(SO_ERROR), reset by a
  /// successful connection (not by a new connect: Wine test_select); reading it does not
  /// clear it (Wine test_set_getsockopt sets a value and reads it back; confidence M for "not
  /// cleared").
  int so_error = 0;
  std::optional<sim::Instant> connected_at;  // SO_CONNECT_TIME
  /// SO_RCVTIMEO: a blocking receive that waits longer fails WSAETIMEDOUT (base_io_calls.cc).
  std::uint32_t receive_timeout_ms = 0;
  // Options the model stores and reports but does not act on.
  std::int32_t send_buffer = 65536;
  std::int32_t receive_buffer = 65536;
  std::uint32_t send_timeout_ms = 0;
  bool nodelay = false;
  bool oobinline = false;
  bool debug = false;
  bool dontroute = false;
  /// Overlapped operations started on this socket, by OVERLAPPED address.
  std::map<UserAddress, PendingOperation> operations;
};

/// The base provider over the neutral stack.
class BaseProvider final : public ServiceProvider {
 public:
  BaseProvider(Stack& stack, const Policy& policy, const WindowsRelease& release, std::string name);

  std::string_view name() const override { return name_; }

  /// Completes the overlapped operations of `process` whose outcome is known, writing their
  /// OVERLAPPED (and AcceptEx's output) into its memory. ws2 calls this first in every call
  /// the process makes (design "Overlapped operations": lazily, before anything else).
  void Reap(sim::Process& process);
  /// The base state of the socket behind `handle` in `process` if this provider owns it.
  BaseSocketState* StateOf(sim::Process& process, SocketHandle handle) const;

  SocketHandle WSPSocket(SpiCall& call, int af, int type, int protocol, std::uint32_t flags,
                         int* lpErrno) override;
  int WSPCloseSocket(SpiCall& call, SocketHandle s, int* lpErrno) override;
  int WSPBind(SpiCall& call, SocketHandle s, UserAddress name, int namelen, int* lpErrno) override;
  int WSPListen(SpiCall& call, SocketHandle s, int backlog, int* lpErrno) override;
  int WSPConnect(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                 int* lpErrno) override;
  SocketHandle WSPAccept(SpiCall& call, SocketHandle s, UserAddress addr, UserAddress addrlen,
                         int* lpErrno) override;
  int WSPGetPeerName(SpiCall& call, SocketHandle s, UserAddress name, UserAddress namelen,
                     int* lpErrno) override;
  int WSPGetSockName(SpiCall& call, SocketHandle s, UserAddress name, UserAddress namelen,
                     int* lpErrno) override;
  int WSPShutdown(SpiCall& call, SocketHandle s, int how, int* lpErrno) override;
  int WSPSend(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
              int* lpErrno) override;
  int WSPRecv(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
              int* lpErrno) override;
  int WSPSendTo(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags, UserAddress to,
                int tolen, int* lpErrno) override;
  int WSPRecvFrom(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                  UserAddress from, UserAddress fromlen, int* lpErrno) override;
  int WSPSetSockOpt(SpiCall& call, SocketHandle s, int level, int optname, UserAddress optval,
                    int optlen, int* lpErrno) override;
  int WSPGetSockOpt(SpiCall& call, SocketHandle s, int level, int optname, UserAddress optval,
                    UserAddress optlen, int* lpErrno) override;
  int WSPIoctl(SpiCall& call, SocketHandle s, std::uint32_t code, UserAddress in,
               std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
               UserAddress bytes_returned, UserAddress overlapped, int* lpErrno) override;
  int WSPGetOverlappedResult(SpiCall& call, SocketHandle s, UserAddress overlapped,
                             UserAddress transferred, bool wait, UserAddress flags,
                             int* lpErrno) override;
  int WSPPoll(SpiCall& call, SocketHandle s, Readiness* readiness, int* lpErrno) override;
  int ConnectEx(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                UserAddress send_buffer, std::uint32_t send_length, UserAddress bytes_sent,
                UserAddress overlapped, int* lpErrno) override;
  int AcceptEx(SpiCall& call, SocketHandle listen, SocketHandle accept, UserAddress output,
               std::uint32_t receive_length, std::uint32_t local_length,
               std::uint32_t remote_length, UserAddress bytes_received, UserAddress overlapped,
               int* lpErrno) override;
  int DisconnectEx(SpiCall& call, SocketHandle s, UserAddress overlapped, std::uint32_t flags,
                   std::uint32_t reserved, int* lpErrno) override;

 private:
  // A socket this provider owns, found by handle.
  struct Context {
    SocketRef socket;
    BaseSocketState* state = nullptr;
  };
  // The provider's context lookup (WSAENOTSOCK), the fault point (WSAENETDOWN) and the
  // callback check (WSAEINPROGRESS); false with *lpErrno set on failure. On success the
  // socket's connection state is brought up to date (Advance).
  bool Enter(SpiCall& call, SocketHandle s, Context* out, int* lpErrno);
  // Only the context lookup.
  bool Find(sim::Process& process, SocketHandle s, Context* out) const;
  // Collects the end of a plain connect() that ran in the background.
  void Advance(Socket& socket, BaseSocketState& state);
  // A new state for a socket of this provider.
  std::unique_ptr<BaseSocketState> NewState(int af, int type, int protocol) const;
  // The address size of the socket's family (16, 28, 110).
  static std::size_t NameSize(const Socket& socket);
  // The name getsockname reports.
  static std::vector<std::uint8_t> LocalName(const Socket& socket);
  // The name of a connected stream socket's peer, as getpeername and accept report it.
  static std::vector<std::uint8_t> PeerName(const Socket& socket);
  // Whether getpeername has a peer to report (reference (b.2) step 3).
  static bool HasPeer(const Socket& socket, const BaseSocketState& state);
  // Whether a stream socket is connected for send/recv/shutdown.
  static bool StreamConnected(const Socket& socket, const BaseSocketState& state);
  // Decodes a name given to bind/connect/sendto/ConnectEx for `socket`: 0 or the WSA code.
  int DecodeName(sim::Process& process, const Socket& socket, UserAddress name, int namelen,
                 bool allow_unspec, SocketAddress* out, std::vector<std::uint8_t>* bytes) const;
  // Cancels the overlapped operations that involve `socket` (closesocket).
  void CancelOperations(sim::Process& process, const Socket& socket, BaseSocketState& state);
  // A ConnectEx connected: the socket awaits its context update (row 24), SO_ERROR is reset,
  // and the send buffer goes out; the bytes sent.
  std::size_t ConnectExConnected(Socket& socket, BaseSocketState& state, const std::string& data);
  // Whether `op` can complete now, and completing it.
  bool OperationReady(const Socket& socket, const PendingOperation& op) const;
  void Complete(sim::Process& process, Socket& socket, BaseSocketState& state,
                const PendingOperation& op);
  // The sockets of `process` this provider owns, each once, in handle order.
  std::vector<std::pair<SocketHandle, Context>> SocketsOf(sim::Process& process) const;
  // send/sendto and recv/recvfrom shared paths.
  int DoSend(SpiCall& call, Context& c, UserAddress buf, int len, int flags, UserAddress to,
             int tolen, int* lpErrno);
  int DoRecv(SpiCall& call, Context& c, UserAddress buf, int len, int flags, UserAddress from,
             UserAddress fromlen, int* lpErrno);
  // Options (base_sockopt_calls.cc).
  int SetSocketLevel(SpiCall& call, Context& c, int optname, UserAddress optval, int optlen,
                     int* lpErrno);
  int GetSocketLevel(SpiCall& call, Context& c, int optname, UserAddress optval, UserAddress optlen,
                     std::int32_t len, int* lpErrno);

  Stack& stack_;
  const Policy& policy_;
  WindowsRelease release_;
  std::string name_;
  std::uint64_t next_operation_ = 1;
};

/// Runs the world until `done` holds (true), or until nothing is left to run or `deadline`
/// (when given) has passed (false; the clock then stands at the deadline): how a call that
/// waits, with or without a time-out, lets other processes run.
bool WaitForWorld(Stack& stack, const std::function<bool()>& done,
                  std::optional<sim::Instant> deadline);

/// The NTSTATUS an overlapped operation that failed with `code` (a WSA code) completes with.
std::uint32_t StatusOfError(int code);
/// The code WSAGetOverlappedResult reports for a completed operation's status (Wine
/// test_WSAGetOverlappedResult map_status; reference (e)); 0 for STATUS_SUCCESS.
int ErrorOfStatus(std::uint32_t status);

}  // namespace socksim::stack::windows_abi
