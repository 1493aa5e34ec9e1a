// File: sim/ip_address.h
// Neutral IP addresses and transport endpoints, in host byte order. Byte order and sockaddr
// layouts belong to the personalities' codecs; nothing here knows any OS's structures.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::sim {

/// The two IP versions the simulator models.
enum class IpVersion : std::uint8_t { kV4, kV6 };

/// An IPv4 or IPv6 address. IPv4 is kept in the low four bytes of `bytes` (network order
/// within the array, as written: 10.0.0.2 is {10,0,0,2,0,...}).
class IpAddress {
 public:
  /// 0.0.0.0
  constexpr IpAddress() = default;

  static IpAddress V4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static IpAddress V4FromUint(std::uint32_t host_order);
  static IpAddress V6(const std::array<std::uint8_t, 16>& bytes);
  static IpAddress AnyV4() { return IpAddress(); }
  static IpAddress AnyV6();
  static IpAddress LoopbackV4() { return V4(127, 0, 0, 1); }
  static IpAddress LoopbackV6();

  /// Parses dotted-quad IPv4 or RFC 4291 text IPv6 (with "::" and an embedded IPv4 tail).
  static std::optional<IpAddress> Parse(std::string_view text);

  IpVersion version() const { return version_; }
  bool is_v4() const { return version_ == IpVersion::kV4; }
  bool is_v6() const { return version_ == IpVersion::kV6; }
  /// The 4 (IPv4) or 16 (IPv6) address bytes in network order.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  std::uint32_t v4_uint() const;

  bool IsUnspecified() const;
  bool IsLoopback() const;     // 127.0.0.0/8 or ::1
  bool IsLinkLocal() const;    // fe80::/10 (unicast) or ff02::/16 (link-local multicast)
  bool IsV4Mapped() const;     // ::ffff:a.b.c.d
  /// ::ffff:a.b.c.d for an IPv4 address; IPv6 addresses are returned unchanged.
  IpAddress ToV4Mapped() const;
  /// a.b.c.d for ::ffff:a.b.c.d; otherwise nullopt.
  std::optional<IpAddress> UnmapV4() const;
  /// True when the first `prefix_len` bits equal those of `network` (same version required).
  bool InPrefix(const IpAddress& network, int prefix_len) const;

  /// RFC 5952 text for IPv6 (compressed, lower case, mapped tail dotted), dotted quad for IPv4.
  std::string ToString() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  IpVersion version_ = IpVersion::kV4;
  std::array<std::uint8_t, 16> bytes_{};
};

/// A transport endpoint: address, port and IPv6 scope id (interface index, 0 if none), plus the
/// IPv6 flow label as last given by the application.
struct Endpoint {
  IpAddress address;
  std::uint16_t port = 0;
  std::uint32_t scope_id = 0;
  std::uint32_t flow_info = 0;

  /// "10.0.0.2:80", "[fe80::1%2]:80".
  std::string ToString() const;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

}  // namespace socksim::sim
