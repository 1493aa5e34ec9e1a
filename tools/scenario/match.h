// File: tools/scenario/match.h
// Comparison of an expected value (from a scenario) with the actual one (printed by a call
// table): structural, with `_` matching anything, strace's truncated strings matching by
// prefix, buffers compared as memory, and unbound captures binding what they meet.
#pragma once

#include <string>

#include "tools/scenario/ast.h"
#include "tools/scenario/writer.h"

namespace socksim::tools {

class Captures;

/// True when `actual` satisfies `expected`. On a mismatch `where` names the first differing
/// part ("sin_port", "[1]", "out length"). A buffer in buffer notation is compared as memory
/// (tools/scenario/buffers.h). A capture `$name` in `expected` is one the line's substitution
/// left unbound: with `captures` it matches anything and binds to the actual value (a later
/// occurrence in the same line then compares with it); without, it matches anything. An
/// actual value that itself holds a capture (an argument the call table did not print) binds
/// nothing.
bool Matches(const Value& expected, const Value& actual, std::string* where,
             Captures* captures = nullptr);

/// True when the actual outcome satisfies the expected one. `= $name` (unbound) binds the
/// actual return value and then checks the error as `= N` would.
bool OutcomeMatches(const Outcome& expected, const Outcome& actual, std::string* why,
                    Captures* captures = nullptr);

}  // namespace socksim::tools
