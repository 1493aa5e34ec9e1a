// File: stack/personality/illumos/sockaddr_codec.h
// illumos amd64 sockaddr bytes <-> neutral addresses: the only code of the personality that
// knows these layouts (uts/common/netinet/in.h struct sockaddr_in and sockaddr_in6,
// uts/common/sys/un.h struct sockaddr_un). sa_family_t is a host-order (little-endian) u16;
// ports, IPv4/IPv6 addresses and sin6_flowinfo are network order; sin6_scope_id and
// __sin6_src_id are host order. sockaddr_in6 is 32 bytes on illumos (it ends with
// __sin6_src_id), and AF_INET6 is 26.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/ip_address.h"
#include "stack/core/address.h"

namespace socksim::stack::illumos_abi {

inline constexpr std::size_t kSockaddrInSize = 16;        // sizeof(struct sockaddr_in)
inline constexpr std::size_t kSockaddrIn6Size = 32;       // sizeof(struct sockaddr_in6)
inline constexpr std::size_t kSockaddrUnSize = 110;       // sizeof(struct sockaddr_un)
inline constexpr std::size_t kSunPathSize = 108;          // sun_path
inline constexpr std::size_t kSockaddrStorageSize = 256;  // sizeof(struct sockaddr_storage)

/// The sa_family field; nullopt when fewer than 2 bytes are given.
std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes);
/// Decodes a sockaddr_in (at least 16 bytes, else std::invalid_argument).
sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes);
/// Decodes a sockaddr_in6 (at least 32 bytes, else std::invalid_argument): flowinfo, address
/// and scope id; __sin6_src_id is not part of the neutral endpoint.
sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes);
/// Decodes a sockaddr_un of 3..110 bytes (else std::invalid_argument): the path ends at the
/// first NUL or at the given size. illumos has no abstract namespace.
UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes);

/// Encodes an address as sockfs returns it: sockaddr_in (16 bytes, sin_zero cleared) for IPv4;
/// sockaddr_in6 (32 bytes, __sin6_src_id 0) for IPv6; for AF_UNIX the family alone when
/// unnamed, else family + path + NUL; 2 zero bytes for UnspecifiedAddress. Throws
/// std::invalid_argument for a UNIX name illumos cannot hold (empty path, NUL inside, more than
/// 108 bytes, any abstract name).
std::vector<std::uint8_t> Encode(const SocketAddress& address);

}  // namespace socksim::stack::illumos_abi
