// File: tools/text/numbers.h
// The one parser of integers, durations and ratios written in scenario, trace and graph files.
// Every function reads the whole text (no leading or trailing junk unless a grammar says so),
// checks for overflow instead of wrapping, and returns nullopt on failure; the ones whose
// callers report a reason also fill an optional error message ("duration too large"), written
// to follow a "bad latency \"...\": " prefix. Nothing here throws, and nothing depends on the
// locale (std::from_chars and byte comparisons only), so a file parses the same everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/rng.h"
#include "sim/time.h"

namespace socksim::tools::numbers {

/// A decimal int64: an optional '-', then digits, and nothing else ("-42", "007").
/// No '+', no blanks, nullopt outside [INT64_MIN, INT64_MAX].
std::optional<std::int64_t> ParseInt64(std::string_view text);

/// Decimal digits and nothing else, up to 2^64-1; no sign, no blanks.
std::optional<std::uint64_t> ParseUint64(std::string_view text);

/// An integer literal as strace prints it and the call tables accept it: decimal, `0x` hex
/// (at least one digit, either case), or octal with a leading 0 ("0755"), each after an
/// optional '-'. Magnitudes up to 2^64-1 are accepted and values above INT64_MAX come back as
/// their two's-complement bit pattern ("0xffffffffffffffff" is -1), the rule
/// tools/scenario/parser.h states for call arguments; a negated magnitude may reach 2^63.
/// On failure *error (when given) is "expected digits", "not an integer literal" or
/// "out of range".
std::optional<std::int64_t> ParseIntegerLiteral(std::string_view text,
                                                std::string* error = nullptr);

/// Which duration grammar a caller's file format uses.
enum class DurationGrammar {
  /// Scenario directives ("advance 1500ms", "latency=2ms"): digits, optional spaces, then
  /// exactly ns, us, ms or s. No sign, fraction, other blanks or unit spellings.
  kScenario,
  /// Graph attributes (tools/graph/graph_loader.h): surrounding blanks, an optional '+', an
  /// exact decimal fraction that must come to whole nanoseconds ("1.5ms"), blanks before the
  /// unit, and case-insensitive unit names nsec, usec, msec, sec(s), min(s) and
  /// nanosecond(s) ... minute(s) besides ns, us, ms and s. A '-' is rejected as negative.
  kGraph,
};

/// How ParseDuration reads its text.
struct DurationOptions {
  DurationGrammar grammar = DurationGrammar::kScenario;
  /// A number without a unit is seconds, as Shadow's GML latency is; otherwise it is an error.
  bool bare_is_seconds = false;
};

/// A duration in the chosen grammar; nullopt unless the value fits int64 nanoseconds
/// ("9223372036854775807ns" does, "9223372037s" does not). On failure *error (when given)
/// says why, for example "missing unit (use ns, us, ms or s)" or "duration too large".
std::optional<sim::Duration> ParseDuration(std::string_view text, DurationOptions options = {},
                                           std::string* error = nullptr);

/// A probability "NUM/DEN" with decimal terms up to 2^64-1, DEN > 0 and NUM <= DEN, as the
/// fault directive's chance= and the graph loss= attribute write it. Blanks around either
/// term are allowed ("1 / 100"). On failure *error (when given) says why.
std::optional<sim::Ratio> ParseRatio(std::string_view text, std::string* error = nullptr);

/// Text as the error messages here and the graph readers quote it: in double quotes, with '"'
/// and '\\' escaped, control bytes as \xNN, and anything past 60 bytes cut to "...".
std::string QuoteForMessage(std::string_view text);

}  // namespace socksim::tools::numbers
