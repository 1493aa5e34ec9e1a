// File: api/include/socksim/process.h
// A simulated process as a test drives it, whatever system it runs as: its caller memory
// (Memory) and the typed helpers every personality answers (Socket, Bind, Connect, Accept,
// GetPeerName, ...), which place the sockaddr and length in the process's memory, make the
// system's own call and read the outcome back into a Result. The exact C-shaped calls of each
// system are on LinuxProcess, WindowsProcess and IllumosProcess (linux.h, windows.h,
// illumos.h). A process handle is a small value: copy it freely; it is valid while its World
// lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "socksim/address.h"
#include "socksim/result.h"

namespace socksim {

namespace detail {
struct WorldState;
}  // namespace detail

/// An address in a simulated process's memory (what a C program passes as a pointer).
using Pointer = std::uint64_t;
/// A descriptor (Linux, illumos) or a SOCKET's 64-bit pattern (Windows).
using Handle = std::int64_t;

/// A process's simulated memory: where the exact calls' pointers point.
class Memory {
 public:
  /// A fresh zero-filled, readable and writable region of `size` bytes (at least 1).
  Pointer Allocate(std::size_t size);
  /// A fresh region holding `bytes`.
  Pointer Place(std::span<const std::uint8_t> bytes);
  /// A fresh region holding a 4-byte little-endian value (a socklen_t, an int).
  Pointer PlaceU32(std::uint32_t value);
  /// An address at which nothing is mapped: a call given it fails with EFAULT/WSAEFAULT.
  static constexpr Pointer kUnmapped = 0x1;

  /// False when any byte of the range is not mapped writable.
  bool Write(Pointer at, std::span<const std::uint8_t> bytes);
  bool WriteU32(Pointer at, std::uint32_t value);
  /// nullopt when any byte of the range is not mapped.
  std::optional<std::vector<std::uint8_t>> Read(Pointer at, std::size_t size) const;
  std::optional<std::uint32_t> ReadU32(Pointer at) const;
  std::optional<std::uint64_t> ReadU64(Pointer at) const;

 private:
  friend class Process;
  Memory(detail::WorldState* world, int pid) : world_(world), pid_(pid) {}
  detail::WorldState* world_;
  int pid_;
};

/// The socket domains and types the typed helpers take (each system's numbers are its own).
enum class Domain : std::uint8_t { kInet, kInet6, kUnix };
enum class Type : std::uint8_t { kStream, kDgram, kSeqPacket };
enum class ShutdownHow : std::uint8_t { kRead, kWrite, kBoth };

/// The credentials of a peer (SO_PEERCRED on Linux, getpeerucred on illumos).
struct PeerCredentials {
  std::int32_t pid = 0;
  std::uint32_t uid = 0;  // effective
  std::uint32_t gid = 0;  // effective
};

/// A simulated process of any system.
class Process {
 public:
  System system() const { return system_; }
  int pid() const { return pid_; }
  Memory memory() const { return Memory(world_, pid_); }

  // ---- typed helpers: the system's own call underneath, caller memory placed for it ----
  /// socket(domain, type, protocol) with the system's numbers for the domain and type.
  Result Socket(Domain domain, Type type, int protocol = 0);
  Result Bind(Handle s, const Address& address);
  Result Listen(Handle s, int backlog = 16);
  /// connect(); a TCP connect runs the world until the handshake completes or fails.
  Result Connect(Handle s, const Address& address);
  /// accept() with a buffer of `buffer_size` bytes (default: the system's sockaddr_storage);
  /// `value` is the new descriptor or SOCKET, `address` the peer.
  Result Accept(Handle s, std::optional<std::uint32_t> buffer_size = std::nullopt);
  /// getpeername()/getsockname() with a buffer of `buffer_size` bytes (default: the system's
  /// sockaddr_storage); the Result holds the length written back, the buffer and the name.
  Result GetPeerName(Handle s, std::optional<std::uint32_t> buffer_size = std::nullopt);
  Result GetSockName(Handle s, std::optional<std::uint32_t> buffer_size = std::nullopt);
  /// send() of `data`; recv() of at most `max` bytes into `data`.
  Result Send(Handle s, std::string_view data);
  Result Recv(Handle s, std::size_t max = 65536);
  /// sendto()/recvfrom(): datagrams with an address (recvfrom's sender is in `address`).
  Result SendTo(Handle s, std::string_view data, const Address& to);
  Result RecvFrom(Handle s, std::size_t max = 65536);
  Result Shutdown(Handle s, ShutdownHow how);
  /// close() (closesocket() on Windows).
  Result Close(Handle s);
  /// Ends the process (exit); its descriptors close.
  void Exit(int status = 0);

  /// The error code the process's main thread holds now: errno, or WSAGetLastError() (without
  /// being a call); 0 when none was set.
  int last_error() const;

 protected:
  Process(detail::WorldState* world, int pid, System system)
      : world_(world), pid_(pid), system_(system) {}
  detail::WorldState* world_;
  int pid_;
  System system_;

  friend class World;
};

}  // namespace socksim
