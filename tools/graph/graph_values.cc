// File: tools/graph/graph_values.cc
// Latency, loss and address-list values of graph attributes. Integers and durations go
// through tools/text/numbers.h; the decimal probability grammar is the graph formats' own.
#include "tools/graph/graph_values.h"

#include <cstddef>
#include <cstdint>

#include "tools/graph/graph_text.h"
#include "tools/text/numbers.h"

namespace socksim::tools::graph {
namespace {

using sim::InterfaceAddress;
using sim::IpAddress;
using sim::Ratio;

// A decimal number (digits, optional fraction, optional exponent) as a ratio over
// 1'000'000 after scaling by 10^extra_shift (-2 for a percentage), rounded half up.
// Requires 0 <= value <= 1.
std::optional<Ratio> ScaledDecimalProbability(std::string_view raw, int extra_shift,
                                              std::string* error) {
  std::string_view s = Trim(raw);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string digits;
  std::int64_t exponent = 0;
  bool any = false;
  while (i < s.size() && IsDigit(s[i])) {
    digits += s[i++];
    any = true;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) {
      digits += s[i++];
      --exponent;
      any = true;
    }
  }
  if (!any) {
    *error = "expected a number between 0 and 1";
    return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    std::size_t es = i;
    std::int64_t e = 0;
    while (i < s.size() && IsDigit(s[i])) {
      if (e < 100000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    if (es == i) {
      *error = "malformed exponent";
      return std::nullopt;
    }
    exponent += eneg ? -e : e;
  }
  if (i != s.size()) {
    *error = "expected a number between 0 and 1";
    return std::nullopt;
  }
  std::size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) return Ratio{0, 1'000'000};
  digits.erase(0, nz);
  if (negative) {
    *error = "a probability cannot be negative";
    return std::nullopt;
  }
  // value = digits * 10^exponent; num = value * 10^(6 + extra_shift).
  std::int64_t shift = exponent + 6 + extra_shift;
  const auto too_large = [&]() -> std::optional<Ratio> {
    *error = "a probability cannot exceed 1";
    return std::nullopt;
  };
  std::uint64_t num = 0;
  if (shift >= 0) {
    if (static_cast<std::int64_t>(digits.size()) + shift > 7) return too_large();
    for (char c : digits) num = num * 10 + static_cast<std::uint64_t>(c - '0');
    for (std::int64_t k = 0; k < shift; ++k) num *= 10;
    if (num > 1'000'000) return too_large();
  } else {
    auto drop = static_cast<std::size_t>(-shift);
    if (drop > digits.size()) return Ratio{0, 1'000'000};  // below half a millionth
    std::size_t keep = digits.size() - drop;
    if (keep > 7) return too_large();
    for (std::size_t k = 0; k < keep; ++k)
      num = num * 10 + static_cast<std::uint64_t>(digits[k] - '0');
    bool rest_nonzero = false;
    for (std::size_t k = keep; k < digits.size(); ++k) rest_nonzero |= digits[k] != '0';
    if (num > 1'000'000 || (num == 1'000'000 && rest_nonzero)) return too_large();
    if (digits[keep] >= '5') ++num;  // round half up on the first dropped digit
  }
  return Ratio{num, 1'000'000};
}

}  // namespace

std::optional<sim::Duration> ParseLatency(std::string_view text, bool bare_is_seconds,
                                          std::string* error) {
  return numbers::ParseDuration(
      text, {.grammar = numbers::DurationGrammar::kGraph, .bare_is_seconds = bare_is_seconds},
      error);
}

std::optional<Ratio> ParseDecimalProbability(std::string_view text, std::string* error) {
  return ScaledDecimalProbability(text, 0, error);
}

std::optional<Ratio> ParseLoss(std::string_view raw, std::string* error) {
  std::string_view s = Trim(raw);
  if (s.find('/') != std::string_view::npos) return numbers::ParseRatio(s, error);
  if (!s.empty() && s.back() == '%') {
    return ScaledDecimalProbability(s.substr(0, s.size() - 1), -2, error);
  }
  return ScaledDecimalProbability(s, 0, error);
}

std::optional<std::vector<InterfaceAddress>> ParseAddresses(std::string_view raw,
                                                            std::string* error) {
  std::vector<InterfaceAddress> out;
  std::size_t i = 0;
  while (i < raw.size()) {
    while (i < raw.size() && (IsSpace(raw[i]) || raw[i] == ',')) ++i;
    std::size_t start = i;
    while (i < raw.size() && !IsSpace(raw[i]) && raw[i] != ',') ++i;
    if (start == i) break;
    std::string_view item = raw.substr(start, i - start);
    std::string_view addr_text = item;
    std::optional<int> prefix;
    if (std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      addr_text = item.substr(0, slash);
      // A prefix length has at most three digits (/128).
      std::string_view p = item.substr(slash + 1);
      std::optional<std::uint64_t> v = p.size() <= 3 ? numbers::ParseUint64(p) : std::nullopt;
      if (!v) {
        *error = "bad prefix length in " + Quote(item);
        return std::nullopt;
      }
      prefix = static_cast<int>(*v);
    }
    std::optional<IpAddress> address = IpAddress::Parse(addr_text);
    if (!address) {
      *error = "not an IP address: " + Quote(addr_text);
      return std::nullopt;
    }
    int max = address->is_v4() ? 32 : 128;
    int len = prefix.value_or(max);
    if (len > max) {
      *error = "prefix length /" + std::to_string(len) + " too long for " + Quote(item);
      return std::nullopt;
    }
    for (const InterfaceAddress& a : out) {
      if (a.address == *address) {
        *error = "address " + Quote(addr_text) + " listed twice";
        return std::nullopt;
      }
    }
    out.push_back(InterfaceAddress{*address, len});
  }
  if (out.empty()) {
    *error = "expected at least one address";
    return std::nullopt;
  }
  return out;
}

}  // namespace socksim::tools::graph
