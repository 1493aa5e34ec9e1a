// File: api/include/socksim/address.h
// A socket address as a test writes it: "10.0.0.2:80", "[fe80::1%eth0]:80", "@abstract",
// "/run/app.sock". It is the same value for every personality; each personality lays it out
// in its own sockaddr bytes (AF_INET6 is 10 on Linux, 23 on Windows, 26 on illumos) when a
// typed helper passes it to a call, and decodes a returned name back into it.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace socksim {

/// A socket address of any family, as a value.
class Address {
 public:
  enum class Kind : std::uint8_t {
    kUnspecified,   // AF_UNSPEC ("(unspecified)")
    kInet,          // "10.0.0.2:80"
    kInet6,         // "[fe80::1%eth0]:80", "[::1]:80"
    kUnixUnnamed,   // an unbound or autobound-before-bind UNIX socket ("(unnamed)")
    kUnixPath,      // "/run/app.sock", or "unix:relative/name"
    kUnixAbstract,  // "@name" (Linux's abstract name space)
  };

  /// AF_UNSPEC.
  Address() = default;
  /// Parses `text` (the forms above); throws std::invalid_argument with the reason when it is
  /// none of them. Implicit, so a helper taking an Address takes "10.0.0.2:80".
  Address(const char* text);         // NOLINT(google-explicit-constructor)
  Address(std::string_view text);    // NOLINT(google-explicit-constructor)
  Address(const std::string& text);  // NOLINT(google-explicit-constructor)

  /// Parses `text`; nullopt with `error` set (when given) for text that is no address.
  /// An IPv6 scope is a number ("%3") or a simulated interface name: lo is 1 and ethN is
  /// N + 2 (interfaces in creation order on every simulated host).
  static std::optional<Address> Parse(std::string_view text, std::string* error = nullptr);

  /// An IPv4 or IPv6 endpoint from its parts (`ip` without brackets or scope).
  static Address Ip(std::string_view ip, std::uint16_t port, std::uint32_t scope_id = 0,
                    std::uint32_t flow_info = 0);
  /// An endpoint from its 4 (IPv4) or 16 (IPv6) address bytes in network order; throws
  /// std::invalid_argument for any other size.
  static Address IpBytes(std::string_view network_order, std::uint16_t port,
                         std::uint32_t scope_id = 0, std::uint32_t flow_info = 0);
  /// A UNIX pathname or abstract name (any bytes, NULs included for an abstract name).
  static Address UnixPath(std::string_view path);
  static Address UnixAbstract(std::string_view name);
  static Address UnixUnnamed();

  Kind kind() const { return kind_; }
  bool is_ip() const { return kind_ == Kind::kInet || kind_ == Kind::kInet6; }
  bool is_unix() const {
    return kind_ == Kind::kUnixUnnamed || kind_ == Kind::kUnixPath ||
           kind_ == Kind::kUnixAbstract;
  }
  /// The IP address in its canonical text ("10.0.0.2", "fe80::1"); empty for non-IP kinds.
  std::string ip() const;
  std::uint16_t port() const { return port_; }
  std::uint32_t scope_id() const { return scope_id_; }
  std::uint32_t flow_info() const { return flow_info_; }
  /// The raw 4 or 16 address bytes, in network order (empty for non-IP kinds).
  const std::string& ip_bytes() const { return bytes_; }
  /// A UNIX name's bytes (the path, or the abstract name without its leading NUL).
  const std::string& unix_name() const { return bytes_; }

  /// The text form Parse reads back: "10.0.0.2:80", "[fe80::1%eth0]:80" (a scope that names a
  /// simulated interface is written by name), "@name" (bytes outside printable ASCII as
  /// \xNN), "/path", "unix:relative", "(unnamed)", "(unspecified)".
  std::string ToString() const;

  friend bool operator==(const Address&, const Address&) = default;

 private:
  Kind kind_ = Kind::kUnspecified;
  std::string bytes_;  // IP: 4 or 16 bytes in network order; UNIX: the name
  std::uint16_t port_ = 0;
  std::uint32_t scope_id_ = 0;
  std::uint32_t flow_info_ = 0;
};

std::ostream& operator<<(std::ostream& os, const Address& address);

}  // namespace socksim
