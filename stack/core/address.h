// File: stack/core/address.h
// Neutral socket addresses: what a socket is bound or connected to, independent of any OS's
// sockaddr layout. Each personality's codec converts these to and from its own bytes.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "sim/ip_address.h"

namespace socksim::stack {

/// Address families the stack models.
enum class Family : std::uint8_t { kUnspec, kInet, kInet6, kUnix };
/// Socket types the stack models.
enum class SockType : std::uint8_t { kStream, kDgram, kSeqPacket };

const char* ToString(Family family);
const char* ToString(SockType type);

/// A UNIX-domain name as the kernel records it.
struct UnixAddress {
  enum class Kind : std::uint8_t {
    kUnnamed,   // no name: socketpair ends, unbound sockets
    kPathname,  // a file-system name; `name` holds the path without its terminating NUL
    kAbstract,  // a name in the abstract namespace (Policy::abstract_names); `name` holds the
                // bytes of the name, verbatim
  };
  Kind kind = Kind::kUnnamed;
  std::string name;

  static UnixAddress Unnamed() { return {}; }
  static UnixAddress Pathname(std::string path) { return {Kind::kPathname, std::move(path)}; }
  static UnixAddress Abstract(std::string bytes) { return {Kind::kAbstract, std::move(bytes)}; }

  /// "unnamed", "path:demo.sock", "abstract:@name" (NULs shown as \0).
  std::string ToString() const;
  friend auto operator<=>(const UnixAddress&, const UnixAddress&) = default;
};

/// AF_UNSPEC as given to connect() to dissolve an association.
struct UnspecifiedAddress {
  friend auto operator<=>(const UnspecifiedAddress&, const UnspecifiedAddress&) = default;
};

/// Any address a socket call can carry.
using SocketAddress = std::variant<UnspecifiedAddress, sim::Endpoint, UnixAddress>;

/// Human-readable form for messages and explanations.
std::string ToString(const SocketAddress& address);

}  // namespace socksim::stack
