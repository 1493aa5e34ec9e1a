// File: stack/personality/linux/linux_policy.h
// The choices Linux makes where operating systems differ (stack/core/policy.h), each with the
// kernel function or measurement it comes from, and Linux's process limits.
#pragma once

#include "sim/handle_table.h"
#include "stack/core/policy.h"

namespace socksim::stack::linux_abi {

/// Linux's policy for the sockets it creates (measured on 6.18; sources in the .cc).
Policy MakeLinuxPolicy();

/// The default RLIMIT_NOFILE soft limit of a process (1024: the kernel's INR_OPEN_CUR, which
/// systemd and login shells keep as the soft limit).
inline constexpr sim::Handle kDefaultDescriptorLimit = 1024;

/// net.core.somaxconn: listen() clamps its backlog to it (4096 since 5.4).
inline constexpr int kSomaxconn = 4096;

}  // namespace socksim::stack::linux_abi
