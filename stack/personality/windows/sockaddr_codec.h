// File: stack/personality/windows/sockaddr_codec.h
// Windows x64 sockaddr bytes <-> neutral addresses: the only code of the personality that knows
// these layouts (ws2def.h, ws2ipdef.h, afunix.h).
//
// ADDRESS_FAMILY is a little-endian u16 at offset 0; ports, IPv4/IPv6 addresses and
// sin6_flowinfo are network order; sin6_scope_id is host order. SOCKADDR_IN is 16 bytes
// (sin_zero zeroed on output), SOCKADDR_IN6 28; the RFC 2133 sockaddr_in6_old of 24 bytes is
// not accepted (Wine test_bind: bind with 24 bytes fails WSAEFAULT). SOCKADDR_UN is the family
// and a 108-byte path, and Windows always reports all 110 bytes, padded with NULs (reference
// row 39). Length checks against what a call passed are the callers' business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/ip_address.h"
#include "stack/core/address.h"

namespace socksim::stack::windows_abi {

inline constexpr std::size_t kSockaddrSize = 16;        // sizeof(SOCKADDR)
inline constexpr std::size_t kSockaddrInSize = 16;      // sizeof(SOCKADDR_IN)
inline constexpr std::size_t kSockaddrIn6Size = 28;     // sizeof(SOCKADDR_IN6)
inline constexpr std::size_t kSockaddrIn6OldSize = 24;  // sizeof(sockaddr_in6_old): refused
inline constexpr std::size_t kSockaddrUnSize = 110;     // sizeof(SOCKADDR_UN)
inline constexpr std::size_t kUnixPathMax = 108;        // UNIX_PATH_MAX
inline constexpr std::size_t kSockaddrStorageSize = 128;

/// The ADDRESS_FAMILY field; nullopt when fewer than 2 bytes are given.
std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes);

/// Decodes a SOCKADDR_IN; requires kSockaddrInSize bytes (std::invalid_argument otherwise).
/// The family field and sin_zero are not examined.
sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes);

/// Decodes a SOCKADDR_IN6; requires kSockaddrIn6Size bytes. A v4-mapped address stays IPv6.
sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes);

/// Decodes a SOCKADDR_UN of 3..kSockaddrUnSize bytes: the path ends at the first NUL within
/// the given bytes (afunix.h paths are NUL-terminated strings; there is no abstract namespace).
UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes);

/// The size Windows reports for an address of `family` on a socket of that family: 16, 28,
/// 110; 0 for other families.
std::size_t AddressSize(Family family);

/// Encodes an address as Windows reports it: SOCKADDR_IN (16, sin_zero zeroed) for IPv4,
/// SOCKADDR_IN6 (28) for IPv6 including v4-mapped addresses, SOCKADDR_UN (110: family, path,
/// NUL padding; an unnamed address has an empty path) for UNIX names, 16 zero bytes for
/// UnspecifiedAddress. Throws std::invalid_argument for a UNIX path longer than 108 bytes.
std::vector<std::uint8_t> Encode(const SocketAddress& address);

/// "AF_INET", "AF_INET6", "AF_UNIX", "AF_UNSPEC", otherwise the decimal number.
std::string FormatFamily(int family);

}  // namespace socksim::stack::windows_abi
