// File: stack/personality/windows/provider/service_provider.h
// The service provider interface (ws2spi.h) as the model uses it: the WSP* entry points a call
// reaches through a socket's protocol chain, each returning what the SPI function returns
// (0 / SOCKET_ERROR, a SOCKET / INVALID_SOCKET, TRUE / FALSE) and reporting a failure's code
// only through *lpErrno (LPWSPGETPEERNAME: "a specific error code is available in lpErrno";
// providers never set the thread's last error, reference (c)). ws2 owns the last error.
//
// The mswsock extension functions (ConnectEx, AcceptEx, DisconnectEx) are reached the same way:
// on Windows a provider hands their pointers out through WSPIoctl(SIO_GET_EXTENSION_FUNCTION_
// POINTER), so a layered provider sees them too. select and WSAPoll ask each socket's chain for
// its readiness (the model's stand-in for WSPSelect, whose fd_set walk belongs to ws2 here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/address_space.h"
#include "sim/process.h"
#include "sim/thread.h"
#include "stack/personality/windows/abi_constants.h"

namespace socksim::stack::windows_abi {

using sim::UserAddress;

/// The entry points a call can reach a provider through.
enum class EntryPoint : std::uint8_t {
  kSocket,
  kCloseSocket,
  kBind,
  kListen,
  kConnect,
  kAccept,
  kGetPeerName,
  kGetSockName,
  kShutdown,
  kSend,
  kRecv,
  kSendTo,
  kRecvFrom,
  kSetSockOpt,
  kGetSockOpt,
  kIoctl,
  kGetOverlappedResult,
  kPoll,
  kConnectEx,
  kAcceptEx,
  kDisconnectEx,
};

/// "WSPGetPeerName", ..., "ConnectEx" (the SPI's names; the extension functions by theirs).
std::string_view ToString(EntryPoint entry);
/// The entry point named `name` (ToString's spelling), or nullopt.
std::optional<EntryPoint> EntryPointByName(std::string_view name);
/// What the entry point returns on failure: SOCKET_ERROR, INVALID_SOCKET, or FALSE.
std::int64_t FailureValue(EntryPoint entry);

class ServiceProvider;

/// A protocol chain (WSAPROTOCOLCHAIN): the providers a socket's calls pass, top first, the
/// base provider last, and the catalog entry the socket was made from.
struct ProviderChain {
  std::vector<ServiceProvider*> providers;
  int catalog_entry_id = 0;
};

/// What select and WSAPoll learn about one socket: facts, which each call reports its own way
/// (select puts a reset connection in readfds and writefds, WSAPoll reports it as POLLERR |
/// POLLHUP | POLLWRNORM: Wine test_select, test_poll).
struct Readiness {
  bool readable = false;        // data queued, a connection to accept, or the peer's FIN
  bool writable = false;        // connected (stream) or any datagram socket
  bool peer_finished = false;   // the peer ended its stream (graceful close)
  bool reset = false;           // the connection was reset or aborted
  bool connect_failed = false;  // the last connect attempt failed
};

/// How one call ended besides its return value: it would have had to wait while waiting was
/// not allowed (no effect; ws2 marks the thread), or it waits for something nothing in the
/// world will bring.
struct SpiOutcome {
  bool blocked = false;
  bool forever = false;
};

/// One call travelling down a chain: the calling thread, where in the chain it is, whether it
/// may wait for other processes, and where it reports that it blocked.
/// What ws2 tells a provider about the caller of one call, as the SPI's upcalls and startup
/// do: WPUQueryBlockingCallback lets a provider see that the thread is inside a blocking call,
/// and WSPStartup hands it the Winsock version the process negotiated (ws2spi.h). The provider
/// reads no ws2 state of its own.
struct SpiCaller {
  /// The thread is inside a blocking call (a Winsock 1.1 blocking hook, or a callback run
  /// during the wait): SPI-9's WSAEINPROGRESS.
  bool blocking_call_in_progress = false;
  /// The process negotiated Winsock 1.x (some errors keep their 1.1 values).
  bool winsock11 = false;
};

class SpiCall {
 public:
  SpiCall(sim::Thread& thread, const ProviderChain* chain, std::size_t position, bool may_wait,
          SpiCaller caller, SpiOutcome* outcome)
      : thread_(&thread),
        chain_(chain),
        position_(position),
        may_wait_(may_wait),
        caller_(caller),
        outcome_(outcome) {}

  sim::Thread& thread() const { return *thread_; }
  sim::Process& process() const { return thread_->process(); }
  bool may_wait() const { return may_wait_; }
  const SpiCaller& caller() const { return caller_; }
  /// The call would block and waiting is not allowed: it must have had no effect.
  void MarkBlocked() const { outcome_->blocked = true; }
  /// The call waits for an event that will never come.
  void MarkBlockedForever() const {
    outcome_->blocked = true;
    outcome_->forever = true;
  }
  bool blocked() const { return outcome_->blocked; }
  const ProviderChain* chain() const { return chain_; }
  /// Whether `provider` is the one this call is at (a provider's own context lookup: a socket
  /// whose chain does not pass through it is not its socket).
  bool At(const ServiceProvider* provider) const {
    return chain_ != nullptr && position_ < chain_->providers.size() &&
           chain_->providers[position_] == provider;
  }

  /// The provider below the one at this position (a layered provider calls down through it).
  bool HasNext() const { return chain_ != nullptr && position_ + 1 < chain_->providers.size(); }
  ServiceProvider& Next() const { return *chain_->providers.at(position_ + 1); }
  /// This call as the next provider receives it.
  SpiCall Down() const {
    return SpiCall(*thread_, chain_, position_ + 1, may_wait_, caller_, outcome_);
  }

 private:
  sim::Thread* thread_;
  const ProviderChain* chain_;
  std::size_t position_;
  bool may_wait_;
  SpiCaller caller_;
  SpiOutcome* outcome_;
};

/// A Winsock service provider. Pointers are addresses in the calling process's memory.
class ServiceProvider {
 public:
  virtual ~ServiceProvider() = default;

  /// The provider's catalog name ("tcpip", "afunix", a layered provider's own name).
  virtual std::string_view name() const = 0;

  /// WSPSocket with the family, type and protocol the catalog entry resolved.
  virtual SocketHandle WSPSocket(SpiCall& call, int af, int type, int protocol, std::uint32_t flags,
                                 int* lpErrno) = 0;
  virtual int WSPCloseSocket(SpiCall& call, SocketHandle s, int* lpErrno) = 0;
  virtual int WSPBind(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                      int* lpErrno) = 0;
  virtual int WSPListen(SpiCall& call, SocketHandle s, int backlog, int* lpErrno) = 0;
  virtual int WSPConnect(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                         int* lpErrno) = 0;
  virtual SocketHandle WSPAccept(SpiCall& call, SocketHandle s, UserAddress addr,
                                 UserAddress addrlen, int* lpErrno) = 0;
  virtual int WSPGetPeerName(SpiCall& call, SocketHandle s, UserAddress name, UserAddress namelen,
                             int* lpErrno) = 0;
  virtual int WSPGetSockName(SpiCall& call, SocketHandle s, UserAddress name, UserAddress namelen,
                             int* lpErrno) = 0;
  virtual int WSPShutdown(SpiCall& call, SocketHandle s, int how, int* lpErrno) = 0;
  virtual int WSPSend(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                      int* lpErrno) = 0;
  virtual int WSPRecv(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                      int* lpErrno) = 0;
  virtual int WSPSendTo(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                        UserAddress to, int tolen, int* lpErrno) = 0;
  virtual int WSPRecvFrom(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                          UserAddress from, UserAddress fromlen, int* lpErrno) = 0;
  virtual int WSPSetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                            UserAddress optval, int optlen, int* lpErrno) = 0;
  virtual int WSPGetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                            UserAddress optval, UserAddress optlen, int* lpErrno) = 0;
  virtual int WSPIoctl(SpiCall& call, SocketHandle s, std::uint32_t code, UserAddress in,
                       std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
                       UserAddress bytes_returned, UserAddress overlapped, int* lpErrno) = 0;
  /// Returns TRUE or FALSE.
  virtual int WSPGetOverlappedResult(SpiCall& call, SocketHandle s, UserAddress overlapped,
                                     UserAddress transferred, bool wait, UserAddress flags,
                                     int* lpErrno) = 0;
  /// The socket's readiness for select/WSAPoll; SOCKET_ERROR with *lpErrno when the provider
  /// does not know the socket.
  virtual int WSPPoll(SpiCall& call, SocketHandle s, Readiness* readiness, int* lpErrno) = 0;
  /// The mswsock extension functions; each returns TRUE or FALSE.
  virtual int ConnectEx(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                        UserAddress send_buffer, std::uint32_t send_length, UserAddress bytes_sent,
                        UserAddress overlapped, int* lpErrno) = 0;
  virtual int AcceptEx(SpiCall& call, SocketHandle listen, SocketHandle accept, UserAddress output,
                       std::uint32_t receive_length, std::uint32_t local_length,
                       std::uint32_t remote_length, UserAddress bytes_received,
                       UserAddress overlapped, int* lpErrno) = 0;
  virtual int DisconnectEx(SpiCall& call, SocketHandle s, UserAddress overlapped,
                           std::uint32_t flags, std::uint32_t reserved, int* lpErrno) = 0;
};

}  // namespace socksim::stack::windows_abi
