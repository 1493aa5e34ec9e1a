// File: api/include/socksim/linux.h
// A simulated Linux process's system calls with their kernel signatures: descriptors are ints,
// pointers are addresses in the process's memory (Memory), a failure returns -1 and leaves the
// error in the process's errno (last_error()). Underneath is the Linux personality, so the
// order of checks, what is copied into the caller's buffer and the length written back are
// the kernel's (docs/semantics/linux.md). The constants are Linux x86-64's; since socksim
// builds on Linux, <cerrno>'s ENOTCONN and <sys/socket.h>'s AF_INET6 are the same numbers.
#pragma once

#include <cstdint>
#include <optional>

#include "socksim/process.h"

namespace socksim {

namespace on_linux {
// Address families and socket types (include/linux/socket.h, linux/net.h).
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfUnix = 1;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 10;
inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr int kSockSeqpacket = 5;
inline constexpr int kSolSocket = 1;
inline constexpr int kSoPeercred = 17;
// Sizes (x86-64).
inline constexpr std::uint32_t kSockaddrInSize = 16;
inline constexpr std::uint32_t kSockaddrIn6Size = 28;
inline constexpr std::uint32_t kSockaddrStorageSize = 128;
}  // namespace on_linux

/// A process running as Linux.
class LinuxProcess : public Process {
 public:
  // ---- the system calls (returning -1 with errno set on failure) ----
  int socket(int domain, int type, int protocol);
  /// Writes the two descriptors to `sv` (int[2]).
  int socketpair(int domain, int type, int protocol, Pointer sv);
  int bind(int fd, Pointer addr, std::uint32_t addrlen);
  int listen(int fd, int backlog);
  int connect(int fd, Pointer addr, std::uint32_t addrlen);
  int accept(int fd, Pointer addr, Pointer addrlen);
  int accept4(int fd, Pointer addr, Pointer addrlen, int flags);
  int getpeername(int fd, Pointer addr, Pointer addrlen);
  int getsockname(int fd, Pointer addr, Pointer addrlen);
  int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);
  int setsockopt(int fd, int level, int optname, Pointer optval, std::uint32_t optlen);
  std::int64_t sendto(int fd, Pointer buf, std::uint64_t len, int flags, Pointer dest,
                      std::uint32_t destlen);
  std::int64_t recvfrom(int fd, Pointer buf, std::uint64_t len, int flags, Pointer src,
                        Pointer srclen);
  std::int64_t send(int fd, Pointer buf, std::uint64_t len, int flags);
  std::int64_t recv(int fd, Pointer buf, std::uint64_t len, int flags);
  int shutdown(int fd, int how);
  int close(int fd);

  /// getsockopt(SOL_SOCKET, SO_PEERCRED): the Result of the call and, on success, the
  /// struct ucred it filled in.
  Result PeerCred(int fd, std::optional<PeerCredentials>* credentials);

 private:
  using Process::Process;
  friend class World;
};

}  // namespace socksim
