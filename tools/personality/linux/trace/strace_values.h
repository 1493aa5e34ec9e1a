// File: tools/personality/linux/trace/strace_values.h
// Reading strace's printed values: the flags a symbol holds (CLONE_VM|CLONE_THREAD), a named
// member anywhere in a structure (clone3's child_tid=). Shared by the importer, the -ff merge
// and the descriptor bookkeeping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tools/scenario/ast.h"

namespace socksim::tools::strace_values {

/// Whether `flag` is among the flags of a symbol anywhere in `v` (its members, its items).
bool HasFlag(const Value& v, const std::string& flag);
/// Whether a symbol `v` holds a flag that starts with `prefix` (FUTEX_WAIT for
/// FUTEX_WAIT_BITSET_PRIVATE).
bool HasFlagPrefix(const Value& v, const std::string& prefix);
/// The integer (or pointer) a member named `name` holds anywhere in `v`.
std::optional<std::int64_t> NamedInteger(const Value& v, const std::string& name);

}  // namespace socksim::tools::strace_values
