// File: tools/personality/windows/sockaddr_values.h
// Windows sockaddrs in the scenario notation, the same text as Linux's
// ({sa_family=AF_INET6, sin6_port=htons(8080), ...}, tools/scenario/sockaddr_notation.h) with
// Windows' family numbers (AF_INET6 is 23), turned into the bytes a Windows program passes and
// back through the Windows codec (stack/personality/windows/sockaddr_codec.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// Bytes for a sockaddr value; nullopt with `error` set when the value is not a sockaddr
/// Windows has (an abstract AF_UNIX name, a path over 108 bytes) or not a sockaddr at all.
std::optional<std::vector<std::uint8_t>> WindowsSockaddrBytes(const Value& value,
                                                              std::string* error);

/// The value printed for returned bytes (the first min(in, out) bytes of an address).
Value WindowsSockaddrValue(std::span<const std::uint8_t> bytes);

}  // namespace socksim::tools
