// File: tools/personality/illumos/sockaddr_values.cc
// Conversion between the sockaddr notation and illumos sockaddr bytes: the notation's fields
// become neutral addresses (tools/scenario/sockaddr_notation.h, with illumos' family numbers)
// and the bytes come from the illumos personality's codec, the only code that knows the
// layouts; only the notation's raw sa_data form is put together here (the family, then the
// bytes as written).
#include "tools/personality/illumos/sockaddr_values.h"

#include <fmt/format.h>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/sockaddr_codec.h"
#include "tools/personality/illumos/symbols.h"
#include "tools/scenario/sockaddr_notation.h"

namespace socksim::tools {
namespace {

namespace ia = stack::illumos_abi;
namespace notation = sockaddr_notation;

constexpr notation::Families kIllumosFamilies{
    .unspec = ia::kAfUnspec,
    .local = ia::kAfUnix,
    .inet = ia::kAfInet,
    .inet6 = ia::kAfInet6,
    .lookup = &illumos_symbols::Lookup,
};

}  // namespace

std::optional<std::vector<std::uint8_t>> IllumosSockaddrBytes(const Value& value,
                                                              std::string* error) {
  const auto parsed = notation::Read(value, kIllumosFamilies, error);
  if (!parsed) return std::nullopt;
  switch (parsed->kind) {
    case notation::Parsed::Kind::kRaw: {
      // sa_family_t is a u16 in host order (little-endian on amd64); the bytes as written.
      std::vector<std::uint8_t> bytes = {static_cast<std::uint8_t>(parsed->family),
                                         static_cast<std::uint8_t>(parsed->family >> 8)};
      bytes.insert(bytes.end(), parsed->data.begin(), parsed->data.end());
      return bytes;
    }
    case notation::Parsed::Kind::kInet:
    case notation::Parsed::Kind::kInet6:
      return ia::Encode(stack::SocketAddress{parsed->endpoint});
    case notation::Parsed::Kind::kUnix:
      if (parsed->abstract) {
        *error = "illumos has no abstract AF_UNIX names: use sun_path=\"...\"";
        return std::nullopt;
      }
      if (parsed->path.size() > ia::kSunPathSize) {
        *error = fmt::format("sun_path is {} bytes, more than sun_path holds ({})",
                             parsed->path.size(), ia::kSunPathSize);
        return std::nullopt;
      }
      if (parsed->named && (parsed->path.empty() || parsed->path.find('\0') != std::string::npos)) {
        *error = "an illumos sun_path is a non-empty name without NUL bytes";
        return std::nullopt;
      }
      return ia::Encode(stack::SocketAddress{
          parsed->named ? stack::UnixAddress::Pathname(parsed->path) : stack::UnixAddress{}});
    case notation::Parsed::Kind::kUnspec:
      return ia::Encode(stack::SocketAddress{stack::UnspecifiedAddress{}});
  }
  return std::nullopt;
}

Value IllumosSockaddrValue(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) {
    // Fewer than two bytes carry not even a family.
    return notation::RawValue("AF_UNSPEC", std::string(bytes.begin(), bytes.end()));
  }
  const int family = *ia::ReadFamily(bytes);
  std::string symbol = illumos_symbols::Family(family);
  if (family == ia::kAfInet && bytes.size() >= ia::kSockaddrInSize) {
    return notation::InetValue(std::move(symbol), ia::DecodeSockaddrIn(bytes));
  }
  if (family == ia::kAfInet6 && bytes.size() >= ia::kSockaddrIn6Size) {
    return notation::Inet6Value(std::move(symbol), ia::DecodeSockaddrIn6(bytes));
  }
  if (family == ia::kAfUnix) {
    if (bytes.size() == 2) return notation::UnixValue(std::move(symbol), {});
    if (bytes.size() <= ia::kSockaddrUnSize) {
      return notation::UnixValue(std::move(symbol), ia::DecodeSockaddrUn(bytes));
    }
  }
  // Short or undecoded: the generic sa_data dump.
  return notation::RawValue(std::move(symbol), std::string(bytes.begin() + 2, bytes.end()));
}

}  // namespace socksim::tools
