// File: tools/text/numbers.cc
// Checked parsing of integers, durations and ratios (the grammars are in numbers.h). All
// arithmetic is done on int64/uint64 with explicit overflow tests before each step, so no
// input can wrap into a plausible wrong value.
#include "tools/text/numbers.h"

#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

namespace socksim::tools::numbers {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The blanks of the "C" locale's isspace, which the graph grammar skips.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != b[i]) return false;
  }
  return true;
}

template <typename T>
std::optional<T> Fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

// acc = acc * mul + add for non-negative operands; false, with acc unusable, on overflow.
bool CheckedMulAdd(std::int64_t& acc, std::int64_t mul, std::int64_t add) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (mul != 0 && acc > kMax / mul) return false;
  acc *= mul;
  if (acc > kMax - add) return false;
  acc += add;
  return true;
}

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

constexpr std::int64_t kUs = 1'000;
constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1'000'000'000;
constexpr std::int64_t kMin = 60'000'000'000;

constexpr Unit kScenarioUnits[] = {{"ns", 1}, {"us", kUs}, {"ms", kMs}, {"s", kS}};

constexpr Unit kGraphUnits[] = {
    {"ns", 1},        {"nsec", 1},   {"nanosecond", 1},    {"nanoseconds", 1},
    {"us", kUs},      {"usec", kUs}, {"microsecond", kUs}, {"microseconds", kUs},
    {"ms", kMs},      {"msec", kMs}, {"millisecond", kMs}, {"milliseconds", kMs},
    {"s", kS},        {"sec", kS},   {"secs", kS},         {"second", kS},
    {"seconds", kS},  {"min", kMin}, {"mins", kMin},       {"minute", kMin},
    {"minutes", kMin}};

// digits * unit_ns / 10^digits.size() for a fraction's digits, added to ns; the result must be a
// whole number of nanoseconds.
std::optional<sim::Duration> AddFraction(std::int64_t ns, std::string_view frac,
                                         std::int64_t unit_ns, std::string* error) {
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  if (frac.empty()) return sim::Duration{ns};
  // 18 digits keep digits and 10^size below INT64_MAX; a finer fraction of any unit here
  // (at most a minute, 6e10 ns) cannot be whole nanoseconds anyway.
  if (frac.size() > 18) return Fail<sim::Duration>(error, "more precision than one nanosecond");
  std::int64_t digits = 0;
  std::int64_t scale = 1;
  for (char c : frac) {
    digits = digits * 10 + (c - '0');
    scale *= 10;
  }
  // The unit is a power of ten (or 6e10): cancel common factors of ten before dividing.
  std::int64_t m = unit_ns;
  while (scale > 1 && m % 10 == 0) {
    scale /= 10;
    m /= 10;
  }
  if (digits % scale != 0) return Fail<sim::Duration>(error, "more precision than one nanosecond");
  std::int64_t part = digits / scale;
  if (!CheckedMulAdd(part, m, 0) || !CheckedMulAdd(ns, 1, part)) {
    return Fail<sim::Duration>(error, "duration too large");
  }
  return sim::Duration{ns};
}

}  // namespace

std::optional<std::int64_t> ParseInt64(std::string_view text) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> ParseUint64(std::string_view text) {
  // from_chars takes no sign for an unsigned type, so "-1" fails instead of wrapping.
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  return v;
}

std::optional<std::int64_t> ParseIntegerLiteral(std::string_view text, std::string* error) {
  std::string_view s = text;
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty() || !IsDigit(s.front())) return Fail<std::int64_t>(error, "expected digits");
  int base = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
    if (s.empty()) return Fail<std::int64_t>(error, "expected digits");
  } else if (s.size() >= 2 && s[0] == '0') {
    base = 8;  // strace prints modes as 0755; the leading 0 is itself an octal digit
  }
  std::uint64_t magnitude = 0;
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, magnitude, base);
  // from_chars stops at the first non-digit of the base ("08", "12ab", "0x1g") and takes no
  // sign for an unsigned type ("0x-1"); junk is reported before overflow, as the parser does.
  if (r.ptr != end || (r.ec != std::errc{} && r.ec != std::errc::result_out_of_range)) {
    return Fail<std::int64_t>(error, "not an integer literal");
  }
  if (r.ec == std::errc::result_out_of_range) return Fail<std::int64_t>(error, "out of range");
  constexpr std::uint64_t kMinMagnitude = std::uint64_t{1} << 63;
  if (negative && magnitude > kMinMagnitude) return Fail<std::int64_t>(error, "out of range");
  // Two's complement by definition of the conversion since C++20 ([conv.integral]).
  return static_cast<std::int64_t>(negative ? 0 - magnitude : magnitude);
}

std::optional<sim::Duration> ParseDuration(std::string_view text, DurationOptions options,
                                           std::string* error) {
  const bool graph = options.grammar == DurationGrammar::kGraph;
  const std::string_view s = graph ? TrimBlanks(text) : text;
  std::size_t i = 0;
  if (graph && !s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') return Fail<sim::Duration>(error, "a duration cannot be negative");
    ++i;
  }
  const std::size_t whole_start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  const std::string_view whole = s.substr(whole_start, i - whole_start);
  std::string_view frac;
  if (i < s.size() && s[i] == '.') {
    if (!graph && !whole.empty()) {
      return Fail<sim::Duration>(error, "a fraction is not allowed here; use a smaller unit");
    }
    if (graph) {
      const std::size_t frac_start = ++i;
      while (i < s.size() && IsDigit(s[i])) ++i;
      frac = s.substr(frac_start, i - frac_start);
    }
  }
  if (whole.empty() && frac.empty()) {
    return Fail<sim::Duration>(error, "expected a number followed by a unit (ns, us, ms, s)");
  }
  while (i < s.size() && (graph ? IsBlank(s[i]) : s[i] == ' ')) ++i;
  const std::string_view unit = s.substr(i);
  std::int64_t unit_ns = 0;
  if (unit.empty()) {
    if (!options.bare_is_seconds) {
      return Fail<sim::Duration>(error, "missing unit (use ns, us, ms or s)");
    }
    unit_ns = kS;
  } else if (graph) {
    for (const Unit& u : kGraphUnits) {
      if (EqualsIgnoringCase(unit, u.name)) unit_ns = u.ns;
    }
  } else {
    for (const Unit& u : kScenarioUnits) {
      if (unit == u.name) unit_ns = u.ns;
    }
  }
  if (unit_ns == 0) {
    return Fail<sim::Duration>(error,
                               "unknown unit " + QuoteForMessage(unit) + " (use ns, us, ms or s)");
  }
  std::int64_t ns = 0;
  for (char c : whole) {
    if (!CheckedMulAdd(ns, 10, c - '0')) return Fail<sim::Duration>(error, "duration too large");
  }
  if (!CheckedMulAdd(ns, unit_ns, 0)) return Fail<sim::Duration>(error, "duration too large");
  return AddFraction(ns, frac, unit_ns, error);
}

std::optional<sim::Ratio> ParseRatio(std::string_view text, std::string* error) {
  constexpr std::string_view kShape = "expected N/D with non-negative integers";
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return Fail<sim::Ratio>(error, std::string(kShape));
  const auto num = ParseUint64(TrimBlanks(text.substr(0, slash)));
  const auto den = ParseUint64(TrimBlanks(text.substr(slash + 1)));
  if (!num || !den) return Fail<sim::Ratio>(error, std::string(kShape));
  if (*den == 0) return Fail<sim::Ratio>(error, "the denominator cannot be 0");
  if (*num > *den) return Fail<sim::Ratio>(error, "a probability cannot exceed 1");
  return sim::Ratio{*num, *den};
}

std::string QuoteForMessage(std::string_view text) {
  constexpr std::size_t kShownMax = 60;
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : text) {
    if (++n > kShownMax) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace socksim::tools::numbers
