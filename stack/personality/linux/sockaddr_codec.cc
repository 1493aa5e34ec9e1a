// File: stack/personality/linux/sockaddr_codec.cc
// Byte-level conversion between Linux x86-64 sockaddr structures and neutral addresses.
#include "stack/personality/linux/sockaddr_codec.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <type_traits>
#include <variant>

namespace socksim::stack::linux_abi {
namespace {

// Field offsets (include/uapi/linux/in.h struct sockaddr_in, in6.h struct sockaddr_in6,
// un.h struct sockaddr_un). Every structure starts with the 2-byte family.
constexpr std::size_t kFamilyOffset = 0;
constexpr std::size_t kPortOffset = 2;  // sin_port and sin6_port
constexpr std::size_t kSinAddrOffset = 4;
constexpr std::size_t kSin6FlowInfoOffset = 4;
constexpr std::size_t kSin6AddrOffset = 8;
constexpr std::size_t kSin6ScopeIdOffset = 24;
constexpr std::size_t kSunPathOffset = 2;

// Multi-byte fields are assembled byte by byte so the result does not depend on the byte order
// of the machine running the simulator: "host order" below always means x86-64 little-endian.
std::uint16_t LoadBe16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint16_t LoadLe16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
std::uint32_t LoadBe32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}
std::uint32_t LoadLe32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16) |
         (std::uint32_t{b[at + 3]} << 24);
}

void StoreBe16(std::span<std::uint8_t> out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v);
}
void StoreLe16(std::span<std::uint8_t> out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v);
  out[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void StoreBe32(std::span<std::uint8_t> out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void StoreLe32(std::span<std::uint8_t> out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// inet_getname(): family AF_INET, port, address, and sin_zero cleared; always 16 bytes.
void EncodeIn(const sim::Endpoint& ep, SockaddrBytes& into) {
  const auto out = into.Reset(kSockaddrInSize);
  StoreLe16(out, kFamilyOffset, kAfInet);
  StoreBe16(out, kPortOffset, ep.port);
  // IpAddress keeps IPv4 in the first four bytes, already in network order.
  std::copy_n(ep.address.bytes().begin(), 4, out.begin() + kSinAddrOffset);
}

// inet6_getname(): the whole 28-byte sockaddr_in6, flowinfo in network order (it is __be32
// in uapi/linux/in6.h), scope id in host order.
void EncodeIn6(const sim::Endpoint& ep, SockaddrBytes& into) {
  const auto out = into.Reset(kSockaddrIn6Size);
  StoreLe16(out, kFamilyOffset, kAfInet6);
  StoreBe16(out, kPortOffset, ep.port);
  StoreBe32(out, kSin6FlowInfoOffset, ep.flow_info);
  std::copy_n(ep.address.bytes().begin(), 16, out.begin() + kSin6AddrOffset);
  StoreLe32(out, kSin6ScopeIdOffset, ep.scope_id);
}

// unix_getname() copies the socket's recorded address: sun_family alone when there is none,
// otherwise the record whose length unix_bind_bsd()/unix_bind_abstract() fixed at bind time.
void EncodeUn(const UnixAddress& ua, SockaddrBytes& into) {
  std::span<std::uint8_t> out;
  switch (ua.kind) {
    case UnixAddress::Kind::kUnnamed:
      out = into.Reset(kSunPathOffset);
      break;
    case UnixAddress::Kind::kPathname:
      // unix_mkname_bsd() NUL-terminates in its 128-byte buffer and records 2 + strlen + 1,
      // which can reach 111 (> sizeof(sockaddr_un)) for a 108-byte unterminated path.
      if (ua.name.empty() || ua.name.size() > kSunPathSize ||
          ua.name.find('\0') != std::string::npos) {
        throw std::invalid_argument("Encode: pathname Linux cannot record");
      }
      out = into.Reset(kSunPathOffset + ua.name.size() + 1);
      std::copy(ua.name.begin(), ua.name.end(), out.begin() + kSunPathOffset);
      break;
    case UnixAddress::Kind::kAbstract:
      // The record is exactly the addrlen given to bind(): the leading NUL plus every name
      // byte, trailing NULs included, nothing appended.
      if (ua.name.size() > kSunPathSize - 1) {
        throw std::invalid_argument("Encode: abstract name longer than 107 bytes");
      }
      out = into.Reset(kSunPathOffset + 1 + ua.name.size());
      std::copy(ua.name.begin(), ua.name.end(), out.begin() + kSunPathOffset + 1);
      break;
  }
  StoreLe16(out, kFamilyOffset, kAfUnix);
}

}  // namespace

std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) return std::nullopt;
  return LoadLe16(bytes, kFamilyOffset);
}

sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSockaddrInSize) {
    throw std::invalid_argument("DecodeSockaddrIn: fewer than 16 bytes");
  }
  sim::Endpoint ep;
  ep.address = sim::IpAddress::V4(bytes[kSinAddrOffset], bytes[kSinAddrOffset + 1],
                                  bytes[kSinAddrOffset + 2], bytes[kSinAddrOffset + 3]);
  ep.port = LoadBe16(bytes, kPortOffset);
  return ep;
}

sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSin6LenRfc2133) {
    throw std::invalid_argument("DecodeSockaddrIn6: fewer than 24 bytes");
  }
  std::array<std::uint8_t, 16> addr{};
  std::copy_n(bytes.begin() + kSin6AddrOffset, addr.size(), addr.begin());
  sim::Endpoint ep;
  ep.address = sim::IpAddress::V6(addr);
  ep.port = LoadBe16(bytes, kPortOffset);
  ep.flow_info = LoadBe32(bytes, kSin6FlowInfoOffset);
  // An RFC 2133-sized address has no sin6_scope_id; the kernel then treats the scope as 0.
  ep.scope_id = bytes.size() >= kSockaddrIn6Size ? LoadLe32(bytes, kSin6ScopeIdOffset) : 0;
  return ep;
}

UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() <= kSunPathOffset || bytes.size() > kSockaddrUnSize) {
    throw std::invalid_argument("DecodeSockaddrUn: size outside 3..110");
  }
  const auto path = bytes.subspan(kSunPathOffset);
  if (path[0] == 0) {
    // Abstract: unix_bind_abstract() keeps all addrlen bytes, so NULs are part of the name.
    return UnixAddress::Abstract(std::string(path.begin() + 1, path.end()));
  }
  // Pathname: the string ends at the first NUL, or at addrlen where the kernel adds one.
  const auto end = std::find(path.begin(), path.end(), std::uint8_t{0});
  return UnixAddress::Pathname(std::string(path.begin(), end));
}

std::vector<std::uint8_t> EncodeUnixAsPassed(bool abstract, std::string_view path) {
  std::vector<std::uint8_t> out(kSunPathOffset, 0);
  StoreLe16(out, kFamilyOffset, kAfUnix);
  if (abstract) out.push_back(0);
  out.insert(out.end(), path.begin(), path.end());
  if (!abstract) out.push_back(0);
  return out;
}

std::vector<std::uint8_t> EncodeRaw(std::uint16_t family, std::string_view data) {
  std::vector<std::uint8_t> out(kSunPathOffset + data.size(), 0);
  StoreLe16(out, kFamilyOffset, family);
  if (!data.empty()) std::copy(data.begin(), data.end(), out.begin() + kSunPathOffset);
  return out;
}

UnixAddress DecodeReturnedUn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() <= kSunPathOffset || bytes.size() > kSockaddrUnSize + 1) {
    throw std::invalid_argument("DecodeReturnedUn: size outside 3..111");
  }
  const auto path = bytes.subspan(kSunPathOffset);
  if (path[0] == 0) return UnixAddress::Abstract(std::string(path.begin() + 1, path.end()));
  const auto end = std::find(path.begin(), path.end(), std::uint8_t{0});
  return UnixAddress::Pathname(std::string(path.begin(), end));
}

void EncodeInto(const SocketAddress& address, SockaddrBytes& out) {
  std::visit(
      [&out](const auto& a) {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, UnspecifiedAddress>) {
          // A bare sa_family of AF_UNSPEC (the 2 bytes connect(AF_UNSPEC) needs).
          out.Reset(2);
        } else if constexpr (std::is_same_v<T, sim::Endpoint>) {
          // A dual-stack socket's peer is stored as v4-mapped IPv6 and reported as sockaddr_in6;
          // only an IPv4 address gives sockaddr_in.
          if (a.address.is_v4()) {
            EncodeIn(a, out);
          } else {
            EncodeIn6(a, out);
          }
        } else {
          static_assert(std::is_same_v<T, UnixAddress>);
          EncodeUn(a, out);
        }
      },
      address);
}

std::vector<std::uint8_t> Encode(const SocketAddress& address) {
  SockaddrBytes out;
  EncodeInto(address, out);
  return out.ToVector();
}

std::string FormatFamily(int family) {
  switch (family) {
    case kAfUnspec:
      return "AF_UNSPEC";
    case kAfUnix:
      return "AF_UNIX";
    case kAfInet:
      return "AF_INET";
    case kAfInet6:
      return "AF_INET6";
    default:
      return std::to_string(family);
  }
}

}  // namespace socksim::stack::linux_abi
