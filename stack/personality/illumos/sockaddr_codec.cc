// File: stack/personality/illumos/sockaddr_codec.cc
// Byte-level conversion between illumos amd64 sockaddr structures and neutral addresses.
#include "stack/personality/illumos/sockaddr_codec.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <variant>

#include "stack/personality/illumos/abi_constants.h"

namespace socksim::stack::illumos_abi {
namespace {

// Field offsets (netinet/in.h: sin6_family 0, sin6_port 2, sin6_flowinfo 4, sin6_addr 8,
// sin6_scope_id 24, __sin6_src_id 28).
constexpr std::size_t kPortOffset = 2;
constexpr std::size_t kSinAddrOffset = 4;
constexpr std::size_t kSin6FlowInfoOffset = 4;
constexpr std::size_t kSin6AddrOffset = 8;
constexpr std::size_t kSin6ScopeIdOffset = 24;
constexpr std::size_t kSunPathOffset = 2;

std::uint16_t LoadBe16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t LoadBe32(std::span<const std::uint8_t> b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}
std::uint32_t LoadLe32(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16) |
         (std::uint32_t{b[at + 3]} << 24);
}
void StoreLe16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v);
  out[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void StoreBe16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v);
}
void StoreBe32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void StoreLe32(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::vector<std::uint8_t> EncodeEndpoint(const sim::Endpoint& ep) {
  if (ep.address.is_v4()) {
    std::vector<std::uint8_t> out(kSockaddrInSize, 0);
    StoreLe16(out, 0, kAfInet);
    StoreBe16(out, kPortOffset, ep.port);
    std::copy_n(ep.address.bytes().begin(), 4, out.begin() + kSinAddrOffset);
    return out;
  }
  std::vector<std::uint8_t> out(kSockaddrIn6Size, 0);
  StoreLe16(out, 0, kAfInet6);
  StoreBe16(out, kPortOffset, ep.port);
  StoreBe32(out, kSin6FlowInfoOffset, ep.flow_info);
  std::copy_n(ep.address.bytes().begin(), 16, out.begin() + kSin6AddrOffset);
  StoreLe32(out, kSin6ScopeIdOffset, ep.scope_id);
  return out;  // __sin6_src_id stays 0: sockfs never reports a source id
}

std::vector<std::uint8_t> EncodeUnix(const UnixAddress& ua) {
  std::vector<std::uint8_t> out;
  switch (ua.kind) {
    case UnixAddress::Kind::kUnnamed:
      out.assign(kSunPathOffset, 0);
      break;
    case UnixAddress::Kind::kPathname:
      if (ua.name.empty() || ua.name.size() > kSunPathSize ||
          ua.name.find('\0') != std::string::npos) {
        throw std::invalid_argument("Encode: pathname illumos cannot hold");
      }
      out.assign(kSunPathOffset + ua.name.size() + 1, 0);
      std::copy(ua.name.begin(), ua.name.end(), out.begin() + kSunPathOffset);
      break;
    case UnixAddress::Kind::kAbstract:
      throw std::invalid_argument("Encode: illumos has no abstract UNIX names");
  }
  StoreLe16(out, 0, kAfUnix);
  return out;
}

}  // namespace

std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) return std::nullopt;
  return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSockaddrInSize) throw std::invalid_argument("DecodeSockaddrIn: short");
  sim::Endpoint ep;
  ep.address = sim::IpAddress::V4(bytes[4], bytes[5], bytes[6], bytes[7]);
  ep.port = LoadBe16(bytes, kPortOffset);
  return ep;
}

sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSockaddrIn6Size) throw std::invalid_argument("DecodeSockaddrIn6: short");
  std::array<std::uint8_t, 16> addr{};
  std::copy_n(bytes.begin() + kSin6AddrOffset, 16, addr.begin());
  sim::Endpoint ep;
  ep.address = sim::IpAddress::V6(addr);
  ep.port = LoadBe16(bytes, kPortOffset);
  ep.flow_info = LoadBe32(bytes, kSin6FlowInfoOffset);
  ep.scope_id = LoadLe32(bytes, kSin6ScopeIdOffset);
  return ep;
}

UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() <= kSunPathOffset || bytes.size() > kSockaddrUnSize) {
    throw std::invalid_argument("DecodeSockaddrUn: size out of range");
  }
  std::string path;
  for (std::size_t i = kSunPathOffset; i < bytes.size() && bytes[i] != 0; ++i) {
    path.push_back(static_cast<char>(bytes[i]));
  }
  if (path.empty()) return UnixAddress::Unnamed();
  return UnixAddress::Pathname(std::move(path));
}

std::vector<std::uint8_t> Encode(const SocketAddress& address) {
  return std::visit(
      [](const auto& a) -> std::vector<std::uint8_t> {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, sim::Endpoint>) {
          return EncodeEndpoint(a);
        } else if constexpr (std::is_same_v<T, UnixAddress>) {
          return EncodeUnix(a);
        } else {
          return std::vector<std::uint8_t>(2, 0);
        }
      },
      address);
}

}  // namespace socksim::stack::illumos_abi
