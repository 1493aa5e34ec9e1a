// File: tools/personality/linux/sockaddr_values.cc
// Conversion between strace's sockaddr notation and Linux sockaddr bytes. The notation's fields
// become neutral addresses (tools/scenario/sockaddr_notation.h, with Linux's family numbers)
// and the bytes come from the Linux personality's codec
// (stack/personality/linux/sockaddr_codec.h), the only code that knows the layouts.
#include "tools/personality/linux/sockaddr_values.h"

#include "stack/personality/linux/sockaddr_codec.h"
#include "tools/personality/linux/symbols.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;
namespace notation = sockaddr_notation;

constexpr notation::Families kLinuxFamilies{
    .unspec = la::kAfUnspec,
    .local = la::kAfUnix,
    .inet = la::kAfInet,
    .inet6 = la::kAfInet6,
    .lookup = &linux_symbols::Lookup,
};

}  // namespace

std::optional<std::vector<std::uint8_t>> LinuxSockaddrBytes(const Value& value,
                                                            std::string* error) {
  const auto parsed = notation::Read(value, kLinuxFamilies, error);
  if (!parsed) return std::nullopt;
  // The fields are a neutral address and the personality's codec lays out the bytes, so
  // there is one writer of Linux sockaddr bytes.
  switch (parsed->kind) {
    case notation::Parsed::Kind::kRaw:
      return la::EncodeRaw(parsed->family, parsed->data);
    case notation::Parsed::Kind::kInet:
    case notation::Parsed::Kind::kInet6:
      return la::Encode(stack::SocketAddress{parsed->endpoint});
    case notation::Parsed::Kind::kUnix:
      if (!parsed->named) return la::Encode(stack::SocketAddress{stack::UnixAddress::Unnamed()});
      // As a C program passes it: the name's bytes, a pathname with its terminating NUL.
      return la::EncodeUnixAsPassed(parsed->abstract, parsed->path);
    case notation::Parsed::Kind::kUnspec:
      return std::vector<std::uint8_t>(16, 0);
  }
  return std::nullopt;
}

Value LinuxSockaddrValue(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 2) {
    // strace prints what it can; fewer than two bytes carry not even a family.
    return notation::RawValue("AF_UNSPEC", std::string(bytes.begin(), bytes.end()));
  }
  const int family = *la::ReadFamily(bytes);
  std::string symbol = linux_symbols::Family(family);
  // Decoded by the personality's codec; strace prints a field per member.
  if (family == la::kAfInet && bytes.size() >= la::kSockaddrInSize) {
    return notation::InetValue(std::move(symbol), la::DecodeSockaddrIn(bytes));
  }
  if (family == la::kAfInet6 && bytes.size() >= la::kSockaddrIn6Size) {
    return notation::Inet6Value(std::move(symbol), la::DecodeSockaddrIn6(bytes));
  }
  if (family == la::kAfUnix) {
    if (bytes.size() == 2) return notation::UnixValue(std::move(symbol), {});
    if (bytes.size() <= la::kSockaddrUnSize + 1) {
      return notation::UnixValue(std::move(symbol), la::DecodeReturnedUn(bytes));
    }
  }
  // Short or undecoded: the generic sa_data dump.
  return notation::RawValue(std::move(symbol), std::string(bytes.begin() + 2, bytes.end()));
}

}  // namespace socksim::tools
