// File: stack/personality/windows/sockaddr_codec.cc
// SOCKADDR_IN / SOCKADDR_IN6 / SOCKADDR_UN encoding and decoding for Windows x64.
#include "stack/personality/windows/sockaddr_codec.h"

#include <array>
#include <stdexcept>

#include "stack/personality/windows/abi_constants.h"

namespace socksim::stack::windows_abi {
namespace {

void PutU16Le(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v & 0xff);
  out[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void PutU16Be(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<std::uint8_t>(v >> 8);
  out[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}
void PutU32Be(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}
void PutU32Le(std::vector<std::uint8_t>& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint16_t GetU16Be(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t GetU32Be(std::span<const std::uint8_t> b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | b[at + i];
  return v;
}
std::uint32_t GetU32Le(std::span<const std::uint8_t> b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | b[at + i];
  return v;
}

}  // namespace

std::optional<std::uint16_t> ReadFamily(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) return std::nullopt;
  return static_cast<std::uint16_t>(bytes[0] | (bytes[1] << 8));
}

sim::Endpoint DecodeSockaddrIn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSockaddrInSize) {
    throw std::invalid_argument("DecodeSockaddrIn: fewer than 16 bytes");
  }
  sim::Endpoint ep;
  ep.port = GetU16Be(bytes, 2);
  ep.address = sim::IpAddress::V4(bytes[4], bytes[5], bytes[6], bytes[7]);
  return ep;
}

sim::Endpoint DecodeSockaddrIn6(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < kSockaddrIn6Size) {
    throw std::invalid_argument("DecodeSockaddrIn6: fewer than 28 bytes");
  }
  sim::Endpoint ep;
  ep.port = GetU16Be(bytes, 2);
  ep.flow_info = GetU32Be(bytes, 4);
  std::array<std::uint8_t, 16> addr{};
  for (std::size_t i = 0; i < 16; ++i) addr[i] = bytes[8 + i];
  ep.address = sim::IpAddress::V6(addr);
  ep.scope_id = GetU32Le(bytes, 24);
  return ep;
}

UnixAddress DecodeSockaddrUn(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 3 || bytes.size() > kSockaddrUnSize) {
    throw std::invalid_argument("DecodeSockaddrUn: size outside 3..110");
  }
  std::string path;
  for (std::size_t i = 2; i < bytes.size() && bytes[i] != 0; ++i) {
    path.push_back(static_cast<char>(bytes[i]));
  }
  return UnixAddress::Pathname(std::move(path));
}

std::size_t AddressSize(Family family) {
  switch (family) {
    case Family::kInet:
      return kSockaddrInSize;
    case Family::kInet6:
      return kSockaddrIn6Size;
    case Family::kUnix:
      return kSockaddrUnSize;
    case Family::kUnspec:
      return 0;
  }
  return 0;
}

std::vector<std::uint8_t> Encode(const SocketAddress& address) {
  if (std::holds_alternative<UnspecifiedAddress>(address)) {
    return std::vector<std::uint8_t>(kSockaddrSize, 0);
  }
  if (const auto* unix_name = std::get_if<UnixAddress>(&address)) {
    if (unix_name->name.size() > kUnixPathMax) {
      throw std::invalid_argument("Encode: AF_UNIX path longer than 108 bytes");
    }
    std::vector<std::uint8_t> out(kSockaddrUnSize, 0);
    PutU16Le(out, 0, static_cast<std::uint16_t>(kAfUnix));
    for (std::size_t i = 0; i < unix_name->name.size(); ++i) {
      out[2 + i] = static_cast<std::uint8_t>(unix_name->name[i]);
    }
    return out;
  }
  const auto& ep = std::get<sim::Endpoint>(address);
  if (ep.address.is_v4()) {
    std::vector<std::uint8_t> out(kSockaddrInSize, 0);
    PutU16Le(out, 0, static_cast<std::uint16_t>(kAfInet));
    PutU16Be(out, 2, ep.port);
    const auto& b = ep.address.bytes();
    for (std::size_t i = 0; i < 4; ++i) out[4 + i] = b[i];
    return out;
  }
  std::vector<std::uint8_t> out(kSockaddrIn6Size, 0);
  PutU16Le(out, 0, static_cast<std::uint16_t>(kAfInet6));
  PutU16Be(out, 2, ep.port);
  PutU32Be(out, 4, ep.flow_info);
  const auto& b = ep.address.bytes();
  for (std::size_t i = 0; i < 16; ++i) out[8 + i] = b[i];
  PutU32Le(out, 24, ep.scope_id);
  return out;
}

std::string FormatFamily(int family) {
  switch (family) {
    case static_cast<int>(kAfUnspec):
      return "AF_UNSPEC";
    case static_cast<int>(kAfUnix):
      return "AF_UNIX";
    case static_cast<int>(kAfInet):
      return "AF_INET";
    case static_cast<int>(kAfInet6):
      return "AF_INET6";
    default:
      return std::to_string(family);
  }
}

}  // namespace socksim::stack::windows_abi
