// File: stack/personality/illumos/illumos_policy.h
// The choices illumos makes where operating systems differ (stack/core/policy.h), each with
// the illumos-gate function or tunable it comes from, and illumos' process limits.
#pragma once

#include "sim/handle_table.h"
#include "stack/core/policy.h"

namespace socksim::stack::illumos_abi {

/// illumos' policy for the sockets it creates (sources in the .cc).
Policy MakeIllumosPolicy();

/// The default RLIMIT_NOFILE soft limit (uts/common/conf/param.c rlim_fd_cur 256).
inline constexpr sim::Handle kDefaultDescriptorLimit = 256;

}  // namespace socksim::stack::illumos_abi
