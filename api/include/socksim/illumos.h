// File: api/include/socksim/illumos.h
// A simulated illumos process's calls with their illumos signatures: socket calls (system
// calls on illumos), getpeerucred(3C) and the ucred_t accessors of libc, pointers as addresses
// in the process's memory, errno per thread (last_error()). A ucred_t is bytes in the
// process's heap, laid out as illumos lays it out, so the accessors read what the kernel wrote.
// The constants are illumos's (sys/socket.h, sys/errno.h), which differ from Linux's: they
// carry k names so that no host macro (AF_INET6, ENOTCONN) replaces them.
#pragma once

#include <cstdint>
#include <optional>

#include "socksim/process.h"

namespace socksim {

namespace on_illumos {
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfUnix = 1;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 26;
inline constexpr int kSockDgram = 1;   // illumos numbers SOCK_DGRAM 1 and SOCK_STREAM 2
inline constexpr int kSockStream = 2;
inline constexpr std::uint32_t kSockaddrInSize = 16;
inline constexpr std::uint32_t kSockaddrIn6Size = 32;
inline constexpr std::uint32_t kSockaddrStorageSize = 256;
inline constexpr int kEBADF = 9;
inline constexpr int kEFAULT = 14;
inline constexpr int kEINVAL = 22;
inline constexpr int kENOTSOCK = 95;
inline constexpr int kENOTCONN = 134;
inline constexpr int kENOTSUP = 48;
}  // namespace on_illumos

/// A process running as illumos. Its main thread makes every call.
class IllumosProcess : public Process {
 public:
  int socket(int domain, int type, int protocol);
  int bind(int fd, Pointer addr, std::uint32_t addrlen);
  int listen(int fd, int backlog);
  int connect(int fd, Pointer addr, std::uint32_t addrlen);
  int accept(int fd, Pointer addr, Pointer addrlen);
  int getpeername(int fd, Pointer addr, Pointer addrlen);
  int getsockname(int fd, Pointer addr, Pointer addrlen);
  int close(int fd);

  // ---- ucred (ucred.h) ----
  /// getpeerucred(fd, ucred_t **ucred_pp): 0 or -1; *ucred_pp is allocated when it held NULL.
  int getpeerucred(int fd, Pointer ucred_pp);
  /// The accessors, on a ucred_t the process holds; -1 ((uid_t)-1) with errno on failure.
  std::int64_t ucred_geteuid(Pointer uc);
  std::int64_t ucred_getruid(Pointer uc);
  std::int64_t ucred_getegid(Pointer uc);
  std::int64_t ucred_getrgid(Pointer uc);
  std::int64_t ucred_getpid(Pointer uc);
  std::int64_t ucred_getzoneid(Pointer uc);
  void ucred_free(Pointer uc);

  /// The typed form: getpeerucred into a fresh ucred_t *, its effective uid and gid and pid
  /// read through the accessors, then ucred_free. The Result is getpeerucred's.
  Result PeerUcred(int fd, std::optional<PeerCredentials>* credentials);

 private:
  using Process::Process;
  friend class World;
};

}  // namespace socksim
