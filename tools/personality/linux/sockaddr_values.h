// File: tools/personality/linux/sockaddr_values.h
// Linux sockaddrs in strace notation: a value such as
// {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.2")} turned into the
// bytes a C program would pass, and returned bytes turned back into what strace prints
// (including the sa_data form of a truncated address). The notation itself is the generic
// tools/scenario/sockaddr_notation.h; what is Linux's here is the family numbers and the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"
#include "tools/scenario/sockaddr_notation.h"

namespace socksim::tools {

/// Bytes for a sockaddr value; nullopt with `error` set when the value is not a sockaddr this
/// tool understands. `_` inside (e.g. htons(_)) is an error here: inputs must be concrete.
std::optional<std::vector<std::uint8_t>> LinuxSockaddrBytes(const Value& value,
                                                            std::string* error);

/// The value strace prints for `bytes` (the first min(in, out) bytes of a returned address).
Value LinuxSockaddrValue(std::span<const std::uint8_t> bytes);

}  // namespace socksim::tools
