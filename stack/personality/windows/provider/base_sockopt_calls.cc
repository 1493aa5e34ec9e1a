// File: stack/personality/windows/provider/base_sockopt_calls.cc
// setsockopt and getsockopt in the base provider: the levels and options the model knows, the
// sizes Windows accepts for each (BOOL options take shorter buffers: Wine
// test_set_getsockopt's size table), the context updates that finish a ConnectEx or AcceptEx
// socket (rows 24-27), SO_EXCLUSIVEADDRUSE against SO_REUSEADDR (Wine test_reuseaddr), and
// SO_BSP_STATE (row "related facts": Wine test_set_getsockopt).
#include <algorithm>

#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/base_provider.h"
#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/sockaddr_codec.h"

namespace socksim::stack::windows_abi {
namespace {

int Fail(int* lpErrno, int code) {
  *lpErrno = code;
  return static_cast<int>(kSocketError);
}

// A BOOL option's value: optlen 0 reads as FALSE, 1..3 bytes are read as a little-endian
// number, a negative optlen reads 4 bytes (Wine test_set_getsockopt accepts 0, 1 and -1 for
// BOOL options on Windows; confidence M). nullopt: the bytes cannot be read.
std::optional<bool> ReadBool(const sim::AddressSpace& mem, UserAddress optval, int optlen) {
  const std::uint64_t size = optlen < 0 ? 4 : std::min(optlen, 4);
  if (size == 0) return false;
  const auto bytes = ReadBytes(mem, optval, size);
  if (!bytes) return std::nullopt;
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < bytes->size(); ++i) v |= std::uint32_t{(*bytes)[i]} << (8 * i);
  return v != 0;
}

// An int/DWORD option's value: at least 4 bytes (setsockopt docs: WSAEFAULT when optlen is
// too small).
std::optional<std::uint32_t> ReadInt(const sim::AddressSpace& mem, UserAddress optval, int optlen) {
  if (optlen >= 0 && optlen < 4) return std::nullopt;
  return ReadU32(mem, optval);
}

bool IsLevel(int level) {
  return level == kSolSocket || level == kLevelIpprotoTcp || level == kLevelIpprotoIpv6 ||
         level == kLevelIpprotoIp || level == kLevelIpprotoUdp;
}

// How many bytes a BOOL option comes back in (Wine test_set_getsockopt's test_optsize table,
// which passes on Windows; confidence H). kWord: 4 bytes when the caller offers 4 or more, else
// 1 (rows with sizes {1, 1, 4}: SO_REUSEADDR, SO_EXCLUSIVEADDRUSE, SO_BROADCAST, ...). kByte:
// always 1 byte, and optlen comes back as 1 (rows with sizes {1, 1, 1}: SO_KEEPALIVE,
// SO_DONTROUTE, TCP_NODELAY, IPV6_V6ONLY).
enum class BoolWidth { kWord, kByte };

// Writes a BOOL option's value; fewer than 1 byte offered is WSAEFAULT.
int PutBool(sim::AddressSpace& mem, UserAddress optval, UserAddress optlen, std::int32_t len,
            bool v, BoolWidth width, int* lpErrno) {
  if (len < 1) return Fail(lpErrno, kWSAEFAULT);
  const std::uint32_t n = (width == BoolWidth::kWord && len >= 4) ? 4 : 1;
  const std::uint8_t bytes[4] = {static_cast<std::uint8_t>(v ? 1 : 0), 0, 0, 0};
  if (!Writable(mem, optval, n)) return Fail(lpErrno, kWSAEFAULT);
  (void)WriteBytes(mem, optval, std::span(bytes, n));
  (void)WriteU32(mem, optlen, n);
  return 0;
}

}  // namespace

int BaseProvider::SetSocketLevel(SpiCall& call, Context& c, int optname, UserAddress optval,
                                 int optlen, int* lpErrno) {
  Socket& socket = *c.socket;
  BaseSocketState& st = *c.state;
  const auto& mem = call.process().memory();
  const bool datagram = socket.type() == SockType::kDgram;
  // Takes a store for the flag rather than its address: the socket's options are bit-fields.
  const auto set_bool = [&](auto store) {
    const auto v = ReadBool(mem, optval, optlen);
    if (!v) return Fail(lpErrno, kWSAEFAULT);
    store(*v);
    return 0;
  };
  const auto set_int = [&](auto* field) {
    const auto v = ReadInt(mem, optval, optlen);
    if (!v) return Fail(lpErrno, kWSAEFAULT);
    *field = static_cast<std::remove_reference_t<decltype(*field)>>(*v);
    return 0;
  };
  switch (optname) {
    case kSoReuseaddr:
    case kSoExclusiveaddruse: {
      // Wine test_reuseaddr: the two options exclude each other; setting one while the other
      // is on fails WSAEINVAL.
      const auto v = ReadBool(mem, optval, optlen);
      if (!v) return Fail(lpErrno, kWSAEFAULT);
      const bool exclusive = optname == kSoExclusiveaddruse;
      const bool other =
          exclusive ? socket.options.reuse_address : socket.options.exclusive_address;
      if (*v && other) return Fail(lpErrno, kWSAEINVAL);
      // The options are bit-fields: each is assigned by name (no conditional lvalue).
      if (exclusive) {
        socket.options.exclusive_address = *v;
      } else {
        socket.options.reuse_address = *v;
      }
      return 0;
    }
    case kSoKeepalive:
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return set_bool([&](bool v) { socket.options.keepalive = v; });
    case kSoBroadcast:
      // SOL_SOCKET docs: SO_BROADCAST is for datagram sockets only.
      if (!datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return set_bool([&](bool v) { socket.options.broadcast = v; });
    case kSoDebug:
      return set_bool([&](bool v) { st.debug = v; });
    case kSoDontroute:
      return set_bool([&](bool v) { st.dontroute = v; });
    case kSoOobinline:
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return set_bool([&](bool v) { st.oobinline = v; });
    case kSoLinger: {
      // SOL_SOCKET docs: SO_LINGER is not supported on datagram sockets (WSAENOPROTOOPT); the
      // value is a struct linger of two u_shorts.
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      if (optlen >= 0 && optlen < static_cast<int>(kLingerSize)) {
        return Fail(lpErrno, kWSAEFAULT);
      }
      const auto onoff = ReadU16(mem, optval);
      const auto seconds = ReadU16(mem, optval + 2);
      if (!onoff || !seconds) return Fail(lpErrno, kWSAEFAULT);
      socket.options.linger_on = *onoff != 0;
      socket.options.linger_seconds = *seconds;
      return 0;
    }
    case kSoDontlinger: {
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      const auto v = ReadBool(mem, optval, optlen);
      if (!v) return Fail(lpErrno, kWSAEFAULT);
      socket.options.linger_on = !*v;
      return 0;
    }
    case kSoSndbuf:
      return set_int(&st.send_buffer);
    case kSoRcvbuf:
      return set_int(&st.receive_buffer);
    case kSoSndtimeo:
      return set_int(&st.send_timeout_ms);
    case kSoRcvtimeo:
      return set_int(&st.receive_timeout_ms);
    case kSoError:
      // Wine test_set_getsockopt: SO_ERROR can be set, and reads back what was set.
      return set_int(&st.so_error);
    case kSoType:
      // Wine test_set_getsockopt: SO_TYPE cannot be set (WSAENOPROTOOPT on a stream socket,
      // WSAEINVAL on a datagram socket).
      return Fail(lpErrno, datagram ? kWSAEINVAL : kWSAENOPROTOOPT);
    case kSoUpdateAcceptContext: {
      // AcceptEx docs: setsockopt(accept, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, &listen,
      // sizeof(listen)) gives the accepted socket its context (rows 26, 27). The value is the
      // listener's SOCKET (8 bytes on x64).
      if (optlen >= 0 && optlen < 8) return Fail(lpErrno, kWSAEFAULT);
      const auto listener = ReadU64(mem, optval);
      if (!listener) return Fail(lpErrno, kWSAEFAULT);
      Context l;
      if (!Find(call.process(), *listener, &l)) return Fail(lpErrno, kWSAENOTSOCK);
      // A socket no connection came to is not connected (confidence L).
      if (st.came == Came::kNone) return Fail(lpErrno, kWSAENOTCONN);
      if (st.came == Came::kAcceptEx) st.context_updated = true;
      return 0;
    }
    case kSoUpdateConnectContext:
      // ConnectEx docs: setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) after
      // ConnectEx completed (rows 24, 25). On a datagram or unconnected socket it fails
      // (dotnet/runtime PR #33674; WSAENOTCONN, confidence L).
      if (datagram || st.came == Came::kNone || st.connectex_pending) {
        return Fail(lpErrno, kWSAENOTCONN);
      }
      if (st.came == Came::kConnectEx) st.context_updated = true;
      return 0;
    default:
      // Read-only options (SO_ACCEPTCONN, SO_CONNECT_TIME, SO_MAX_MSG_SIZE, SO_BSP_STATE) and
      // options the model does not know: "unknown or unsupported" (setsockopt docs).
      return Fail(lpErrno, kWSAENOPROTOOPT);
  }
}

int BaseProvider::WSPSetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                                UserAddress optval, int optlen, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  Socket& socket = *c.socket;
  const auto& mem = call.process().memory();
  // setsockopt docs: an unknown level is WSAEINVAL, an unknown option WSAENOPROTOOPT.
  if (!IsLevel(level)) return Fail(lpErrno, kWSAEINVAL);
  if (level == kSolSocket) return SetSocketLevel(call, c, optname, optval, optlen, lpErrno);
  if (level == kLevelIpprotoTcp && optname == kTcpNodelay) {
    if (!socket.is_tcp()) return Fail(lpErrno, kWSAENOPROTOOPT);
    const auto v = ReadBool(mem, optval, optlen);
    if (!v) return Fail(lpErrno, kWSAEFAULT);
    c.state->nodelay = *v;
    return 0;
  }
  if (level == kLevelIpprotoIpv6 && optname == kIpv6V6only) {
    // Wine test_ipv6only: IPV6_V6ONLY can be changed until the socket is bound (WSAEINVAL
    // afterwards); on an AF_INET socket the call succeeds and means nothing (confidence M).
    const auto v = ReadBool(mem, optval, optlen);
    if (!v) return Fail(lpErrno, kWSAEFAULT);
    if (socket.family() != Family::kInet6) return 0;
    if (socket.local.port != 0) return Fail(lpErrno, kWSAEINVAL);
    socket.options.v6_only = *v;
    return 0;
  }
  return Fail(lpErrno, kWSAENOPROTOOPT);
}

int BaseProvider::GetSocketLevel(SpiCall& call, Context& c, int optname, UserAddress optval,
                                 UserAddress optlen, std::int32_t len, int* lpErrno) {
  const Socket& socket = *c.socket;
  const BaseSocketState& st = *c.state;
  auto& mem = call.process().memory();
  const bool datagram = socket.type() == SockType::kDgram;
  const auto put_bool = [&](bool v, BoolWidth width = BoolWidth::kWord) {
    return PutBool(mem, optval, optlen, len, v, width, lpErrno);
  };
  const auto put_int = [&](std::uint32_t v) {
    if (len < 4) return Fail(lpErrno, kWSAEFAULT);
    if (!Writable(mem, optval, 4)) return Fail(lpErrno, kWSAEFAULT);
    (void)WriteU32(mem, optval, v);
    (void)WriteU32(mem, optlen, 4);
    return 0;
  };
  switch (optname) {
    case kSoReuseaddr:
      return put_bool(socket.options.reuse_address);
    case kSoExclusiveaddruse:
      return put_bool(socket.options.exclusive_address);
    case kSoKeepalive:
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return put_bool(socket.options.keepalive, BoolWidth::kByte);
    case kSoBroadcast:
      return put_bool(socket.options.broadcast);
    case kSoDebug:
      return put_bool(st.debug);
    case kSoDontroute:
      return put_bool(st.dontroute, BoolWidth::kByte);
    case kSoOobinline:
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return put_bool(st.oobinline);
    case kSoAcceptconn:
      return put_bool(socket.state == TcpState::kListen);
    case kSoDontlinger:
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      return put_bool(!socket.options.linger_on);
    case kSoLinger: {
      if (datagram) return Fail(lpErrno, kWSAENOPROTOOPT);
      if (len < static_cast<std::int32_t>(kLingerSize) || !Writable(mem, optval, kLingerSize)) {
        return Fail(lpErrno, kWSAEFAULT);
      }
      (void)WriteU16(mem, optval, socket.options.linger_on ? 1 : 0);
      (void)WriteU16(mem, optval + 2, static_cast<std::uint16_t>(socket.options.linger_seconds));
      (void)WriteU32(mem, optlen, kLingerSize);
      return 0;
    }
    case kSoType:
      return put_int(static_cast<std::uint32_t>(st.type));
    case kSoError:
      // Row 33: after a failed asynchronous connect SO_ERROR holds the reason.
      return put_int(static_cast<std::uint32_t>(st.so_error));
    case kSoSndbuf:
      return put_int(static_cast<std::uint32_t>(st.send_buffer));
    case kSoRcvbuf:
      return put_int(static_cast<std::uint32_t>(st.receive_buffer));
    case kSoSndtimeo:
      return put_int(st.send_timeout_ms);
    case kSoRcvtimeo:
      return put_int(st.receive_timeout_ms);
    case kSoMaxMsgSize: {
      // The largest UDP payload (65507 over IPv4, 65527 over IPv6); a stream has no message
      // limit (0x7fffffff, confidence L).
      std::uint32_t v = 0x7fffffff;
      if (datagram) v = socket.family() == Family::kInet6 ? 65527 : 65507;
      return put_int(v);
    }
    case kSoConnectTime: {
      // Wine test_connect_time: ~0 while a TCP socket is not connected and for a datagram
      // socket, the seconds since the connection was made otherwise (0 right after).
      std::uint32_t v = 0xffffffffu;
      if (!datagram && st.connected_at && StreamConnected(socket, st)) {
        v = static_cast<std::uint32_t>((stack_.world().now() - *st.connected_at).ns /
                                       1'000'000'000);
      }
      return put_int(v);
    }
    case kSoBspState: {
      // Wine test_set_getsockopt: a CSADDR_INFO followed by room for both addresses; a buffer
      // too small for that is WSAEFAULT with *optlen unchanged; an unbound socket has no local
      // address and an unconnected one no remote address (NULL pointer, length 0); otherwise
      // the remote address equals getpeername's. *optlen is left as it was (confidence M).
      const std::uint64_t size = NameSize(socket);
      const std::uint64_t needed = kCsaddrInfoSize + 2 * size;
      if (len < 0 || static_cast<std::uint64_t>(len) < needed || !Writable(mem, optval, needed)) {
        return Fail(lpErrno, kWSAEFAULT);
      }
      const bool bound =
          socket.family() == Family::kUnix ? socket.unix_name != nullptr : socket.local.port != 0;
      std::vector<std::uint8_t> info(kCsaddrInfoSize, 0);
      const auto put64 = [&info](std::size_t at, std::uint64_t v) {
        for (int i = 0; i < 8; ++i) info[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
      };
      const auto put32 = [&info](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) info[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
      };
      const UserAddress local_at = optval + kCsaddrInfoSize;
      const UserAddress remote_at = local_at + size;
      if (bound) {
        const auto local = LocalName(socket);
        (void)WriteBytes(mem, local_at, local);
        put64(kCsaddrLocalPointer, local_at);
        put32(kCsaddrLocalLength, static_cast<std::uint32_t>(local.size()));
      }
      if (HasPeer(socket, st)) {
        (void)WriteBytes(mem, remote_at, *st.peer);
        put64(kCsaddrRemotePointer, remote_at);
        put32(kCsaddrRemoteLength, static_cast<std::uint32_t>(st.peer->size()));
      }
      put32(kCsaddrSocketType, static_cast<std::uint32_t>(st.type));
      put32(kCsaddrProtocol, static_cast<std::uint32_t>(st.protocol));
      (void)WriteBytes(mem, optval, info);
      return 0;
    }
    default:
      return Fail(lpErrno, kWSAENOPROTOOPT);
  }
}

int BaseProvider::WSPGetSockOpt(SpiCall& call, SocketHandle s, int level, int optname,
                                UserAddress optval, UserAddress optlen, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  auto& mem = call.process().memory();
  // getsockopt docs: WSAEFAULT for an optval or optlen outside the caller's memory (Wine
  // test_set_getsockopt: NULL optlen), WSAEINVAL for an unknown level, WSAENOPROTOOPT for an
  // unknown option.
  if (optval == 0 || optlen == 0) return Fail(lpErrno, kWSAEFAULT);
  const auto raw = ReadU32(mem, optlen);
  if (!raw || !Writable(mem, optlen, 4)) return Fail(lpErrno, kWSAEFAULT);
  const auto len = static_cast<std::int32_t>(*raw);
  if (!IsLevel(level)) return Fail(lpErrno, kWSAEINVAL);
  if (level == kSolSocket) return GetSocketLevel(call, c, optname, optval, optlen, len, lpErrno);
  const auto put_byte_bool = [&](bool v) {
    return PutBool(mem, optval, optlen, len, v, BoolWidth::kByte, lpErrno);
  };
  if (level == kLevelIpprotoTcp && optname == kTcpNodelay) {
    if (!c.socket->is_tcp()) return Fail(lpErrno, kWSAENOPROTOOPT);
    return put_byte_bool(c.state->nodelay);
  }
  if (level == kLevelIpprotoIpv6 && optname == kIpv6V6only) {
    if (c.socket->family() != Family::kInet6) return Fail(lpErrno, kWSAEINVAL);
    return put_byte_bool(c.socket->options.v6_only);
  }
  return Fail(lpErrno, kWSAENOPROTOOPT);
}

}  // namespace socksim::stack::windows_abi
