// File: stack/personality/linux/sockaddr_codec.h
// Linux x86-64 sockaddr bytes <-> neutral addresses: the only code that knows these layouts.
//
// Layouts (include/uapi/linux/in.h, in6.h, un.h; glibc <sys/socket.h>): sa_family_t is a
// host-order (little-endian on x86-64) u16 at offset 0; ports, IPv4/IPv6 addresses and
// sin6_flowinfo are network order; sin6_scope_id is host order. Length checks against what a
// syscall passed (EINVAL, EAFNOSUPPORT, ...) are the callers' business: these functions only
// convert bytes they have been told are valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ip_address.h"
#include "stack/core/address.h"
#include "stack/core/sockaddr_bytes.h"
#include "stack/personality/linux/abi_constants.h"

namespace socksim::stack::linux_abi {


// Structure sizes on x86-64.
inline constexpr std::size_t kSockaddrInSize = 16;   // sizeof(struct sockaddr_in)
inline constexpr std::size_t kSockaddrIn6Size = 28;  // sizeof(struct sockaddr_in6)
// RFC 2133's sockaddr_in6 had no sin6_scope_id; Linux still accepts this shorter length
// (SIN6_LEN_RFC2133 in include/linux/ipv6.h, checked by inet6_bind() and ip6_datagram_connect()).
inline constexpr std::size_t kSin6LenRfc2133 = 24;
inline constexpr std::size_t kSockaddrUnSize = 110;       // sizeof(struct sockaddr_un)
inline constexpr std::size_t kSunPathSize = 108;          // UNIX_PATH_MAX
inline constexpr std::size_t kSockaddrStorageSize = 128;  // sizeof(struct sockaddr_storage)

/// The sa_family field of a sockaddr; nullopt when fewer than 2 bytes are given.
std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes);

/// Decodes a sockaddr_in. Requires at least kSockaddrInSize bytes (throws std::invalid_argument
/// otherwise); the family field and sin_zero are not examined.
sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes);

/// Decodes a sockaddr_in6. Requires at least kSin6LenRfc2133 bytes (throws otherwise). The
/// address stays IPv6 even when v4-mapped; flow_info is sin6_flowinfo in host order; scope_id
/// is read only when the full kSockaddrIn6Size bytes are present, else 0 (as inet6_bind() and
/// ip6_datagram_connect() treat an RFC 2133-sized address).
sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes);

/// Decodes a sockaddr_un of 3..kSockaddrUnSize bytes (throws std::invalid_argument otherwise;
/// exactly 2 bytes means autobind, which the caller handles). sun_path[0] == 0 gives an
/// abstract name of every byte after that NUL, verbatim (unix_bind_abstract()); otherwise a
/// pathname ending at the first NUL within the given size (unix_mkname_bsd() NUL-terminates at
/// addrlen, so an unterminated path simply ends at the size).
UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes);

/// Encodes an address exactly as Linux's getname (inet_getname, inet6_getname, unix_getname)
/// produces it: sockaddr_in (16 bytes, sin_zero zeroed) for an IPv4 endpoint; sockaddr_in6
/// (28 bytes) for an IPv6 endpoint including v4-mapped ones; for UNIX names the family alone
/// (unnamed, 2 bytes), family + path + NUL (pathname, 2 + strlen + 1: a 108-byte path gives
/// 111), or family + NUL + name bytes (abstract); 2 zero bytes for UnspecifiedAddress.
/// Throws std::invalid_argument for UNIX names Linux could never record (a pathname that is
/// empty, holds a NUL or exceeds 108 bytes; an abstract name over 107 bytes).
std::vector<std::uint8_t> Encode(const SocketAddress& address);
/// Encode into an inline buffer, for the calls that encode one address each (no allocation).
void EncodeInto(const SocketAddress& address, SockaddrBytes& out);

/// The bytes a C program passes for a sockaddr_un whose sun_path holds `path` as written: the
/// family, then a NUL for an abstract name, then the bytes, then (for a pathname) the NUL a
/// C string ends with. No validity check: a scenario may pass what Linux would refuse.
std::vector<std::uint8_t> EncodeUnixAsPassed(bool abstract, std::string_view path);

/// The family field and a sockaddr's bytes after it, as one value strace's `sa_data` form
/// describes: {family (host order), data...}.
std::vector<std::uint8_t> EncodeRaw(std::uint16_t family, std::string_view data);

/// Decodes a sockaddr_un as returned to a caller (getsockname, accept, recvfrom): up to
/// 2 + 108 + 1 bytes (a 108-byte path comes back with its NUL, longer than sockaddr_un).
/// Requires more than 2 bytes (throws otherwise).
UnixAddress DecodeReturnedUn(std::span<const std::uint8_t> bytes);

/// "AF_INET", "AF_INET6", "AF_UNIX", "AF_UNSPEC", otherwise the decimal number.
std::string FormatFamily(int family);

}  // namespace socksim::stack::linux_abi
