// File: tools/personality/linux/sockaddr_values.h
// Linux sockaddrs in strace notation: a value such as
// {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.2")} turned into the
// bytes a C program would pass, and returned bytes turned back into what strace prints
// (including the sa_data form of a truncated address).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// Bytes for a sockaddr value; nullopt with `error` set when the value is not a sockaddr this
/// tool understands. `_` inside (e.g. htons(_)) is an error here: inputs must be concrete.
std::optional<std::vector<std::uint8_t>> LinuxSockaddrBytes(const Value& value,
                                                            std::string* error);

/// The index the simulated host gives an interface name strace printed (lo is 1, ethN is
/// N + 2: interfaces in creation order); names are never resolved against the machine running
/// socksim. nullopt for any other name.
std::optional<std::int64_t> InterfaceIndexOf(std::string_view name);

/// Replaces every if_nametoindex("NAME") inside `v` whose name InterfaceIndexOf knows by the
/// number (what the simulator prints).
void CanonicalizeScopeNames(Value& v);

/// The value strace prints for `bytes` (the first min(in, out) bytes of a returned address).
Value LinuxSockaddrValue(std::span<const std::uint8_t> bytes);

}  // namespace socksim::tools
