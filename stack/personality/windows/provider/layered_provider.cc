// File: stack/personality/windows/provider/layered_provider.cc
// The layered provider: pass-through, override and forgotten-lpErrno behaviours, and the
// parser of its scenario specification.
#include "stack/personality/windows/provider/layered_provider.h"

#include <charconv>

#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim::stack::windows_abi {
namespace {

std::optional<std::int64_t> ParseNumber(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  std::uint64_t value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  const auto signed_value = static_cast<std::int64_t>(value);
  return negative ? -signed_value : signed_value;
}

std::optional<std::int64_t> ParseReturn(std::string_view text) {
  if (text == "SOCKET_ERROR") return kSocketError;
  if (text == "INVALID_SOCKET") return kInvalidSocket;
  if (text == "TRUE") return kTrue;
  if (text == "FALSE") return kFalse;
  return ParseNumber(text);
}

}  // namespace

sim::Expected<LayeredProviderSpec, std::string> ParseLayeredProviderSpec(
    std::span<const std::string> words) {
  using Fail = sim::Unexpected<std::string>;
  if (words.empty()) return Fail{"lsp needs a provider name"};
  LayeredProviderSpec spec;
  spec.name = words[0];
  if (spec.name.find('=') != std::string::npos) return Fail{"lsp needs a provider name first"};
  if (spec.name == "tcpip" || spec.name == "afunix") {
    return Fail{"lsp name '" + spec.name + "' is a base provider's"};
  }
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    const auto eq = word.find('=');
    if (eq == std::string::npos) return Fail{"lsp option '" + word + "' is not key=value"};
    const std::string_view key = std::string_view(word).substr(0, eq);
    const std::string_view value = std::string_view(word).substr(eq + 1);
    if (key == "behaviour" || key == "behavior") {
      if (value == "pass") {
        spec.behaviour = LayeredProviderSpec::Behaviour::kPass;
      } else if (value == "override") {
        spec.behaviour = LayeredProviderSpec::Behaviour::kOverride;
      } else if (value == "forget-errno") {
        spec.behaviour = LayeredProviderSpec::Behaviour::kForgetErrno;
      } else {
        return Fail{"lsp behaviour must be pass, override or forget-errno"};
      }
    } else if (key == "call") {
      const auto entry = EntryPointByName(value);
      if (!entry) return Fail{"lsp call '" + std::string(value) + "' is not an entry point"};
      spec.call = *entry;
    } else if (key == "return") {
      const auto v = ParseReturn(value);
      if (!v) return Fail{"lsp return '" + std::string(value) + "' is not a value"};
      spec.return_value = *v;
    } else if (key == "error") {
      if (const auto info = WsaErrorBySymbol(value)) {
        spec.error = info->value;
      } else if (const auto n = ParseNumber(value)) {
        spec.error = static_cast<int>(*n);
      } else {
        return Fail{"lsp error '" + std::string(value) + "' is not an error code"};
      }
    } else if (key == "chains") {
      spec.chains.clear();
      if (value == "all") continue;
      std::size_t start = 0;
      while (start <= value.size()) {
        const auto comma = value.find(',', start);
        const auto part = value.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        const auto kind = ChainKindByName(part);
        if (!kind) return Fail{"lsp chain '" + std::string(part) + "' is not a base entry"};
        spec.chains.push_back(*kind);
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
    } else {
      return Fail{"lsp option '" + std::string(key) + "' is unknown"};
    }
  }
  return spec;
}

template <typename Down>
std::int64_t LayeredProvider::Intercept(EntryPoint entry, SpiCall& call, int* lpErrno,
                                        Down&& down) {
  const bool targeted = spec_.call == entry;
  if (!call.At(this) || !call.HasNext()) {
    // The provider's own context lookup: the socket's chain does not pass through it.
    *lpErrno = kWSAENOTSOCK;
    return FailureValue(entry);
  }
  if (targeted && spec_.behaviour == LayeredProviderSpec::Behaviour::kOverride) {
    if (spec_.error) *lpErrno = *spec_.error;
    return spec_.return_value;
  }
  int lower = 0;
  SpiCall next = call.Down();
  const std::int64_t result = down(next, &lower);
  const bool failed = result == FailureValue(entry);
  const bool forget = targeted && spec_.behaviour == LayeredProviderSpec::Behaviour::kForgetErrno;
  if (failed && !forget) *lpErrno = lower;
  return result;
}

SocketHandle LayeredProvider::WSPSocket(SpiCall& call, int af, int type, int protocol,
                                        std::uint32_t flags, int* lpErrno) {
  return static_cast<SocketHandle>(
      Intercept(EntryPoint::kSocket, call, lpErrno, [&](SpiCall& next, int* err) {
        return static_cast<std::int64_t>(
            call.Next().WSPSocket(next, af, type, protocol, flags, err));
      }));
}

int LayeredProvider::WSPCloseSocket(SpiCall& call, SocketHandle s, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kCloseSocket, call, lpErrno,
                [&](SpiCall& next, int* err) { return call.Next().WSPCloseSocket(next, s, err); }));
}

int LayeredProvider::WSPBind(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                             int* lpErrno) {
  return static_cast<int>(Intercept(EntryPoint::kBind, call, lpErrno, [&](SpiCall& next, int* err) {
    return call.Next().WSPBind(next, s, name, namelen, err);
  }));
}

int LayeredProvider::WSPListen(SpiCall& call, SocketHandle s, int backlog, int* lpErrno) {
  return static_cast<int>(Intercept(
      EntryPoint::kListen, call, lpErrno,
      [&](SpiCall& next, int* err) { return call.Next().WSPListen(next, s, backlog, err); }));
}

int LayeredProvider::WSPConnect(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                                int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kConnect, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPConnect(next, s, name, namelen, err);
      }));
}

SocketHandle LayeredProvider::WSPAccept(SpiCall& call, SocketHandle s, UserAddress addr,
                                        UserAddress addrlen, int* lpErrno) {
  return static_cast<SocketHandle>(
      Intercept(EntryPoint::kAccept, call, lpErrno, [&](SpiCall& next, int* err) {
        return static_cast<std::int64_t>(call.Next().WSPAccept(next, s, addr, addrlen, err));
      }));
}

int LayeredProvider::WSPGetPeerName(SpiCall& call, SocketHandle s, UserAddress name,
                                    UserAddress namelen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kGetPeerName, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPGetPeerName(next, s, name, namelen, err);
      }));
}

int LayeredProvider::WSPGetSockName(SpiCall& call, SocketHandle s, UserAddress name,
                                    UserAddress namelen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kGetSockName, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPGetSockName(next, s, name, namelen, err);
      }));
}

int LayeredProvider::WSPShutdown(SpiCall& call, SocketHandle s, int how, int* lpErrno) {
  return static_cast<int>(Intercept(
      EntryPoint::kShutdown, call, lpErrno,
      [&](SpiCall& next, int* err) { return call.Next().WSPShutdown(next, s, how, err); }));
}

int LayeredProvider::WSPSend(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                             int* lpErrno) {
  return static_cast<int>(Intercept(EntryPoint::kSend, call, lpErrno, [&](SpiCall& next, int* err) {
    return call.Next().WSPSend(next, s, buf, len, flags, err);
  }));
}

int LayeredProvider::WSPRecv(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                             int* lpErrno) {
  return static_cast<int>(Intercept(EntryPoint::kRecv, call, lpErrno, [&](SpiCall& next, int* err) {
    return call.Next().WSPRecv(next, s, buf, len, flags, err);
  }));
}

int LayeredProvider::WSPSendTo(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                               UserAddress to, int tolen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kSendTo, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPSendTo(next, s, buf, len, flags, to, tolen, err);
      }));
}

int LayeredProvider::WSPRecvFrom(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                                 UserAddress from, UserAddress fromlen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kRecvFrom, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPRecvFrom(next, s, buf, len, flags, from, fromlen, err);
      }));
}

int LayeredProvider::WSPSetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                                   UserAddress optval, int optlen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kSetSockOpt, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPSetSockOpt(next, s, level, optname, optval, optlen, err);
      }));
}

int LayeredProvider::WSPGetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                                   UserAddress optval, UserAddress optlen, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kGetSockOpt, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPGetSockOpt(next, s, level, optname, optval, optlen, err);
      }));
}

int LayeredProvider::WSPIoctl(SpiCall& call, SocketHandle s, std::uint32_t code, UserAddress in,
                              std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
                              UserAddress bytes_returned, UserAddress overlapped, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kIoctl, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPIoctl(next, s, code, in, in_len, out, out_len, bytes_returned,
                                    overlapped, err);
      }));
}

int LayeredProvider::WSPGetOverlappedResult(SpiCall& call, SocketHandle s, UserAddress overlapped,
                                            UserAddress transferred, bool wait, UserAddress flags,
                                            int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kGetOverlappedResult, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().WSPGetOverlappedResult(next, s, overlapped, transferred, wait, flags,
                                                  err);
      }));
}

int LayeredProvider::WSPPoll(SpiCall& call, SocketHandle s, Readiness* readiness, int* lpErrno) {
  return static_cast<int>(Intercept(EntryPoint::kPoll, call, lpErrno, [&](SpiCall& next, int* err) {
    return call.Next().WSPPoll(next, s, readiness, err);
  }));
}

int LayeredProvider::ConnectEx(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                               UserAddress send_buffer, std::uint32_t send_length,
                               UserAddress bytes_sent, UserAddress overlapped, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kConnectEx, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().ConnectEx(next, s, name, namelen, send_buffer, send_length, bytes_sent,
                                     overlapped, err);
      }));
}

int LayeredProvider::AcceptEx(SpiCall& call, SocketHandle listen, SocketHandle accept,
                              UserAddress output, std::uint32_t receive_length,
                              std::uint32_t local_length, std::uint32_t remote_length,
                              UserAddress bytes_received, UserAddress overlapped, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kAcceptEx, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().AcceptEx(next, listen, accept, output, receive_length, local_length,
                                    remote_length, bytes_received, overlapped, err);
      }));
}

int LayeredProvider::DisconnectEx(SpiCall& call, SocketHandle s, UserAddress overlapped,
                                  std::uint32_t flags, std::uint32_t reserved, int* lpErrno) {
  return static_cast<int>(
      Intercept(EntryPoint::kDisconnectEx, call, lpErrno, [&](SpiCall& next, int* err) {
        return call.Next().DisconnectEx(next, s, overlapped, flags, reserved, err);
      }));
}

}  // namespace socksim::stack::windows_abi
