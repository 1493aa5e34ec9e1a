// File: stack/personality/windows/provider/layered_provider.h
// A layered service provider (LSP): installed on protocol chains ahead of a base provider, it
// sees every call of the sockets made from those chains and normally passes it down, calling
// the next provider with an lpErrno of its own and copying the code up on failure (reference
// (c) "Layered providers"). A scenario can make it override one entry point's result (a field
// report: an LSP answering getpeername with success while the base socket is not connected,
// Dicklesworthstone/pi_agent_rust #106) or forget to copy *lpErrno up (ws2 then reports
// WSASYSCALLFAILURE: ReactOS ws2_32 "If everything seemed fine, then the WSP call failed
// itself"). A pass-through LSP changes nothing a program can see.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/expected.h"
#include "stack/personality/windows/provider/chain_kind.h"
#include "stack/personality/windows/provider/service_provider.h"

namespace socksim::stack::windows_abi {

/// What a scenario's `lsp` header line asks for.
struct LayeredProviderSpec {
  enum class Behaviour : std::uint8_t {
    kPass,         // every entry point passes through (the default)
    kOverride,     // `call` returns `return_value` with *lpErrno = `error`, without calling down
    kForgetErrno,  // `call` calls down and on failure leaves the caller's *lpErrno alone
  };
  std::string name;
  Behaviour behaviour = Behaviour::kPass;
  EntryPoint call = EntryPoint::kGetPeerName;
  std::int64_t return_value = 0;
  std::optional<int> error;
  /// The base entries to layer over; empty means all.
  std::vector<ChainKind> chains;
};

/// Parses the words of an `lsp` line after the keyword: `NAME [behaviour=pass|override|
/// forget-errno] [call=WSPGetPeerName] [return=0|SOCKET_ERROR|INVALID_SOCKET|TRUE|FALSE|N]
/// [error=WSAENETDOWN|N] [chains=all|tcp|udp|tcp6|udp6|unix|raw|raw6|KIND,KIND...]`. The
/// error text says what is wrong.
sim::Expected<LayeredProviderSpec, std::string> ParseLayeredProviderSpec(
    std::span<const std::string> words);

/// A layered provider.
class LayeredProvider final : public ServiceProvider {
 public:
  explicit LayeredProvider(LayeredProviderSpec spec) : spec_(std::move(spec)) {}

  const LayeredProviderSpec& spec() const { return spec_; }
  std::string_view name() const override { return spec_.name; }

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
  // Runs `entry` through this provider: the override, or the call down with the provider's own
  // lpErrno and the copy up (unless it forgets). `down(next_call, next_errno)` calls the next
  // provider.
  template <typename Down>
  std::int64_t Intercept(EntryPoint entry, SpiCall& call, int* lpErrno, Down&& down);

  LayeredProviderSpec spec_;
};

}  // namespace socksim::stack::windows_abi
