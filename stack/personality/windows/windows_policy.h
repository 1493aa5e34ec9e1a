// File: stack/personality/windows/windows_policy.h
// The choices Windows makes where operating systems differ (stack/core/policy.h), each with the
// test, document or source it comes from, and the port-sharing judge Windows' bind() follows.
#pragma once

#include <optional>

#include "sim/ip_address.h"
#include "stack/core/policy.h"
#include "stack/core/socket.h"
#include "stack/personality/windows/windows_release.h"

namespace socksim::stack::windows_abi {

/// Windows' policy for the sockets it creates (sources in the .cc).
Policy MakeWindowsPolicy(const WindowsRelease& release);

/// Windows' rule for a bind to a port another socket holds (PortSharing::kJudgedPerHolder):
/// the table of Microsoft's "Sharing Transport Addresses" (Winsock Kernel docs; the same AFD
/// rules serve Winsock), checked case by case against Wine's test_reuseaddr, which runs on
/// Windows. A wildcard and a specific address of one family meet; two different specific
/// addresses never do; across families only a dual-stack IPv6 wildcard (IPV6_V6ONLY off) meets
/// IPv4 sockets, and only when one of the two asked for exclusive use.
std::optional<Error> JudgePortSharing(const Socket& binder, const sim::Endpoint& wanted,
                                      const Socket& holder);

/// SOMAXCONN makes listen() use "a maximum reasonable value" (listen docs); the model uses 200,
/// the value Windows Server reports (confidence L-M).
inline constexpr int kSomaxconnBacklog = 200;

}  // namespace socksim::stack::windows_abi
