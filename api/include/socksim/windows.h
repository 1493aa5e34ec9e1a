// File: api/include/socksim/windows.h
// A simulated Windows process's Winsock calls with their ws2_32 signatures: SOCKET handles
// (64-bit), SOCKET_ERROR and INVALID_SOCKET on failure with the code in the calling thread's
// last error (WSAGetLastError), pointers as addresses in the process's memory. Underneath is
// ws2 over its catalog's provider chains, so a layered provider sees the call as on Windows.
// WSPGetPeerName is the service provider's entry point called directly, as a provider's own
// test calls it: its error goes only to *lpErrno. The constants are Windows x64's (winsock2.h,
// ws2def.h); they are named as Windows names them, which no Linux header defines.
#pragma once

#include <cstdint>
#include <string_view>

#include "socksim/process.h"

namespace socksim {

namespace on_windows {
using SOCKET = std::uint64_t;
inline constexpr SOCKET INVALID_SOCKET = ~SOCKET{0};
inline constexpr int SOCKET_ERROR = -1;
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfUnix = 1;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 23;
inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr std::uint32_t kSockaddrInSize = 16;
inline constexpr std::uint32_t kSockaddrIn6Size = 28;
inline constexpr std::uint32_t kSockaddrStorageSize = 128;
// The codes tests check most (winerror.h); every other code is in DescribeError's table.
inline constexpr int WSAEINTR = 10004;
inline constexpr int WSAEFAULT = 10014;
inline constexpr int WSAEINVAL = 10022;
inline constexpr int WSAEWOULDBLOCK = 10035;
inline constexpr int WSAEINPROGRESS = 10036;
inline constexpr int WSAENOTSOCK = 10038;
inline constexpr int WSAEAFNOSUPPORT = 10047;
inline constexpr int WSAEADDRINUSE = 10048;
inline constexpr int WSAECONNRESET = 10054;
inline constexpr int WSAEISCONN = 10056;
inline constexpr int WSAENOTCONN = 10057;
inline constexpr int WSAECONNREFUSED = 10061;
inline constexpr int WSANOTINITIALISED = 10093;
}  // namespace on_windows

/// A process running as Windows. Its main thread makes every call.
class WindowsProcess : public Process {
 public:
  using SOCKET = on_windows::SOCKET;

  // ---- ws2_32 ----
  /// WSAStartup(wVersionRequested, lpWSAData): 0 or the error code (not the last error).
  int WSAStartup(std::uint16_t version_requested, Pointer wsadata);
  int WSACleanup();
  int WSAGetLastError();
  void WSASetLastError(int error);
  SOCKET socket(int af, int type, int protocol);
  int closesocket(SOCKET s);
  int bind(SOCKET s, Pointer name, int namelen);
  int listen(SOCKET s, int backlog);
  int connect(SOCKET s, Pointer name, int namelen);
  SOCKET accept(SOCKET s, Pointer addr, Pointer addrlen);
  int getpeername(SOCKET s, Pointer name, Pointer namelen);
  int getsockname(SOCKET s, Pointer name, Pointer namelen);
  int send(SOCKET s, Pointer buf, int len, int flags);
  int recv(SOCKET s, Pointer buf, int len, int flags);
  int shutdown(SOCKET s, int how);

  // ---- the SPI ----
  /// LPWSPGETPEERNAME on the top provider of the socket's chain, or on the provider named
  /// `provider` ("tcpip", "afunix", or a layered provider installed with
  /// World::InstallLayeredProvider). 0 or SOCKET_ERROR; the code goes only to *lpErrno.
  int WSPGetPeerName(SOCKET s, Pointer name, Pointer namelen, Pointer lp_errno,
                     std::string_view provider = {});
  /// The typed form: a Result whose `error` is the value *lpErrno was given (nullopt when
  /// the provider left it alone).
  Result SpiGetPeerName(Handle s, std::optional<std::uint32_t> buffer_size = std::nullopt,
                        std::string_view provider = {});

 private:
  using Process::Process;
  friend class World;
};

}  // namespace socksim
