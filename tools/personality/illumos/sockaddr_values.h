// File: tools/personality/illumos/sockaddr_values.h
// illumos sockaddrs in the sockaddr notation: a value such as
// {sa_family=AF_INET6, sin6_port=htons(80), ...} turned into the bytes an illumos program
// passes (sockaddr_in 16 bytes, sockaddr_in6 32 with __sin6_src_id, sockaddr_un 110), and
// returned bytes turned back into the notation. The notation is the generic
// tools/scenario/sockaddr_notation.h; what is illumos' here is the family numbers (AF_INET6
// is 26) and the bytes, which come from the personality's codec.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// Bytes for a sockaddr value; nullopt with `error` set when the value is not a sockaddr
/// illumos can hold.
std::optional<std::vector<std::uint8_t>> IllumosSockaddrBytes(const Value& value,
                                                              std::string* error);

/// The value printed for returned sockaddr bytes.
Value IllumosSockaddrValue(std::span<const std::uint8_t> bytes);

}  // namespace socksim::tools
