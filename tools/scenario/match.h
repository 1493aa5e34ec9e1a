// File: tools/scenario/match.h
// Comparison of an expected value (from a scenario) with the actual one (printed by a call
// table): structural, with `_` matching anything and strace's truncated strings matching by
// prefix.
#pragma once

#include <string>

#include "tools/scenario/ast.h"
#include "tools/scenario/writer.h"

namespace socksim::tools {

/// True when `actual` satisfies `expected`. On a mismatch `where` names the first differing
/// part ("sin_port", "[1]", "out length").
bool Matches(const Value& expected, const Value& actual, std::string* where);

/// True when the actual outcome satisfies the expected one.
bool OutcomeMatches(const Outcome& expected, const Outcome& actual, std::string* why);


}  // namespace socksim::tools
