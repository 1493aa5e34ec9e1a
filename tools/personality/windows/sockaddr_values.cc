// File: tools/personality/windows/sockaddr_values.cc
// Conversion between the sockaddr notation and Windows sockaddr bytes: the notation's fields
// become neutral addresses (tools/scenario/sockaddr_notation.h, with Windows' family numbers)
// and the bytes come from the Windows personality's codec, the only code that knows the
// layouts; only the notation's raw sa_data form is put together here (the family, then the
// bytes as written).
#include "tools/personality/windows/sockaddr_values.h"

#include <fmt/format.h>

#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "tools/personality/windows/symbols.h"
#include "tools/scenario/sockaddr_notation.h"

namespace socksim::tools {
namespace {

namespace wa = stack::windows_abi;
namespace notation = sockaddr_notation;

constexpr notation::Families kWindowsFamilies{
    .unspec = wa::kAfUnspec,
    .local = wa::kAfUnix,
    .inet = wa::kAfInet,
    .inet6 = wa::kAfInet6,
    .lookup = &windows_symbols::Lookup,
};

}  // namespace

std::optional<std::vector<std::uint8_t>> WindowsSockaddrBytes(const Value& value,
                                                              std::string* error) {
  const auto parsed = notation::Read(value, kWindowsFamilies, error);
  if (!parsed) return std::nullopt;
  switch (parsed->kind) {
    case notation::Parsed::Kind::kRaw: {
      // ADDRESS_FAMILY is a little-endian u16 (ws2def.h); the bytes after it as written.
      std::vector<std::uint8_t> bytes = {static_cast<std::uint8_t>(parsed->family),
                                         static_cast<std::uint8_t>(parsed->family >> 8)};
      bytes.insert(bytes.end(), parsed->data.begin(), parsed->data.end());
      return bytes;
    }
    case notation::Parsed::Kind::kInet:
    case notation::Parsed::Kind::kInet6:
      return wa::Encode(stack::SocketAddress{parsed->endpoint});
    case notation::Parsed::Kind::kUnix:
      if (parsed->abstract) {
        *error = "Windows has no abstract AF_UNIX names (afunix.h): use sun_path=\"...\"";
        return std::nullopt;
      }
      if (parsed->path.size() > wa::kUnixPathMax) {
        *error = fmt::format("sun_path is {} bytes, more than UNIX_PATH_MAX ({})",
                             parsed->path.size(), wa::kUnixPathMax);
        return std::nullopt;
      }
      return wa::Encode(stack::SocketAddress{
          parsed->named ? stack::UnixAddress::Pathname(parsed->path) : stack::UnixAddress{}});
    case notation::Parsed::Kind::kUnspec:
      return wa::Encode(stack::SocketAddress{stack::UnspecifiedAddress{}});
  }
  return std::nullopt;
}

Value WindowsSockaddrValue(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) {
    // Fewer than two bytes carry not even a family.
    return notation::RawValue("AF_UNSPEC", std::string(bytes.begin(), bytes.end()));
  }
  const int family = *wa::ReadFamily(bytes);
  std::string symbol = windows_symbols::Family(family);
  if (family == wa::kAfInet && bytes.size() >= wa::kSockaddrInSize) {
    return notation::InetValue(std::move(symbol), wa::DecodeSockaddrIn(bytes));
  }
  if (family == wa::kAfInet6 && bytes.size() >= wa::kSockaddrIn6Size) {
    return notation::Inet6Value(std::move(symbol), wa::DecodeSockaddrIn6(bytes));
  }
  if (family == wa::kAfUnix) {
    if (bytes.size() == 2) return notation::UnixValue(std::move(symbol), {});
    if (bytes.size() <= wa::kSockaddrUnSize) {
      return notation::UnixValue(std::move(symbol), wa::DecodeSockaddrUn(bytes));
    }
  }
  // Short or undecoded: the generic sa_data dump.
  return notation::RawValue(std::move(symbol), std::string(bytes.begin() + 2, bytes.end()));
}

}  // namespace socksim::tools
