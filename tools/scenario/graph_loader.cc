// File: tools/scenario/graph_loader.cc
// DOT and GML graph loading (the dialects are described in graph_loader.h). Both parsers
// turn the text into a Plan (nodes and links with their values already checked), and one
// builder applies a Plan to the Topology, so the two formats behave the same way once parsed.
#include "tools/scenario/graph_loader.h"

#include <cctype>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace socksim::tools {

std::string GraphDiagnostic::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

using sim::Duration;
using sim::InterfaceAddress;
using sim::IpAddress;
using sim::NodeKind;
using sim::Ratio;

struct Pos {
  int line = 0;
  int column = 0;
};

std::string PosText(Pos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// Collects diagnostics for one file.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void Add(Pos p, std::string message) {
    errors_.push_back(GraphDiagnostic{file_, p.line, p.column, std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  GraphLoadResult Result() && {
    GraphLoadResult r;
    r.ok = errors_.empty();
    r.errors = std::move(errors_);
    return r;
  }

 private:
  std::string file_;
  std::vector<GraphDiagnostic> errors_;
};

// Quotes text for a message, escaping quotes and control bytes and shortening long text.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : text) {
    if (++n > 60) {
      out += "...";
      break;
    }
    auto u = static_cast<unsigned char>(c);
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

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Value parsing shared by both formats. Each returns nullopt and sets *error on failure.

bool CheckedMulAdd(std::int64_t& acc, std::int64_t mul, std::int64_t add) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (mul != 0 && acc > kMax / mul) return false;
  acc *= mul;
  if (acc > kMax - add) return false;
  acc += add;
  return true;
}

std::optional<Duration> ParseDuration(std::string_view raw, bool bare_is_seconds,
                                      std::string* error) {
  std::string_view s = Trim(raw);
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    if (s[0] == '-') {
      *error = "a duration cannot be negative";
      return std::nullopt;
    }
    ++i;
  }
  std::string_view whole, frac;
  std::size_t start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  whole = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t fs = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    frac = s.substr(fs, i - fs);
  }
  if (whole.empty() && frac.empty()) {
    *error = "expected a number followed by a unit (ns, us, ms, s)";
    return std::nullopt;
  }
  while (i < s.size() && IsSpace(s[i])) ++i;
  std::string unit = Lower(s.substr(i));
  std::int64_t mult = 0;
  if (unit.empty()) {
    if (!bare_is_seconds) {
      *error = "missing unit (use ns, us, ms or s)";
      return std::nullopt;
    }
    mult = 1'000'000'000;
  } else if (unit == "ns" || unit == "nsec" || unit == "nanosecond" || unit == "nanoseconds") {
    mult = 1;
  } else if (unit == "us" || unit == "usec" || unit == "microsecond" || unit == "microseconds") {
    mult = 1'000;
  } else if (unit == "ms" || unit == "msec" || unit == "millisecond" || unit == "milliseconds") {
    mult = 1'000'000;
  } else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" ||
             unit == "seconds") {
    mult = 1'000'000'000;
  } else if (unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes") {
    mult = 60'000'000'000;
  } else {
    *error = "unknown unit " + Quote(s.substr(i)) + " (use ns, us, ms or s)";
    return std::nullopt;
  }
  std::int64_t ns = 0;
  for (char c : whole) {
    if (!CheckedMulAdd(ns, 10, c - '0')) {
      *error = "duration too large";
      return std::nullopt;
    }
  }
  if (!CheckedMulAdd(ns, mult, 0)) {
    *error = "duration too large";
    return std::nullopt;
  }
  // The fraction: digits * mult / 10^len must be a whole number of nanoseconds.
  std::string_view f = frac;
  while (!f.empty() && f.back() == '0') f.remove_suffix(1);
  if (!f.empty()) {
    if (f.size() > 18) {
      *error = "more precision than one nanosecond";
      return std::nullopt;
    }
    std::int64_t digits = 0;
    std::int64_t scale = 1;
    for (char c : f) {
      digits = digits * 10 + (c - '0');
      scale *= 10;
    }
    // mult is a power of ten (or 6e10); reduce digits/scale by common factors of ten first.
    std::int64_t m = mult;
    while (scale > 1 && m % 10 == 0) {
      scale /= 10;
      m /= 10;
    }
    if (digits % scale != 0) {
      *error = "more precision than one nanosecond";
      return std::nullopt;
    }
    std::int64_t part = digits / scale;
    if (!CheckedMulAdd(part, m, 0) || !CheckedMulAdd(ns, 1, part)) {
      *error = "duration too large";
      return std::nullopt;
    }
  }
  return Duration{ns};
}

// A decimal number (digits, optional fraction, optional exponent) as a ratio over
// 1'000'000 after scaling by 10^extra_shift (2 for a percentage is -2 here), rounded half up.
// Requires 0 <= value <= 1.
std::optional<Ratio> ParseDecimalProbability(std::string_view raw, int extra_shift,
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
    for (std::size_t k = 0; k < keep; ++k) num = num * 10 + static_cast<std::uint64_t>(digits[k] - '0');
    bool rest_nonzero = false;
    for (std::size_t k = keep; k < digits.size(); ++k) rest_nonzero |= digits[k] != '0';
    if (num > 1'000'000 || (num == 1'000'000 && rest_nonzero)) return too_large();
    if (digits[keep] >= '5') ++num;  // round half up on the first dropped digit
  }
  return Ratio{num, 1'000'000};
}

// "N/D", a decimal 0..1, or "P%".
std::optional<Ratio> ParseLoss(std::string_view raw, std::string* error) {
  std::string_view s = Trim(raw);
  if (std::size_t slash = s.find('/'); slash != std::string_view::npos) {
    std::string_view a = Trim(s.substr(0, slash));
    std::string_view b = Trim(s.substr(slash + 1));
    const auto parse_uint = [](std::string_view t) -> std::optional<std::uint64_t> {
      if (t.empty() || t.size() > 18) return std::nullopt;
      std::uint64_t v = 0;
      for (char c : t) {
        if (!IsDigit(c)) return std::nullopt;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      return v;
    };
    auto n = parse_uint(a);
    auto d = parse_uint(b);
    if (!n || !d) {
      *error = "expected N/D with non-negative integers";
      return std::nullopt;
    }
    if (*d == 0) {
      *error = "the denominator cannot be 0";
      return std::nullopt;
    }
    if (*n > *d) {
      *error = "a probability cannot exceed 1";
      return std::nullopt;
    }
    return Ratio{*n, *d};
  }
  if (!s.empty() && s.back() == '%') return ParseDecimalProbability(s.substr(0, s.size() - 1), -2, error);
  return ParseDecimalProbability(s, 0, error);
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
      std::string_view p = item.substr(slash + 1);
      if (p.empty() || p.size() > 3) {
        *error = "bad prefix length in " + Quote(item);
        return std::nullopt;
      }
      int v = 0;
      for (char c : p) {
        if (!IsDigit(c)) {
          *error = "bad prefix length in " + Quote(item);
          return std::nullopt;
        }
        v = v * 10 + (c - '0');
      }
      prefix = v;
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

// ---------------------------------------------------------------------------------------------
// The plan both parsers produce, and the builder that applies it.

struct PlanNode {
  std::string name;
  NodeKind kind = NodeKind::kHost;
  Pos pos;
  std::vector<InterfaceAddress> addresses;  // for the interface of the first link
  Pos addresses_pos;
};

struct PlanLink {
  std::size_t a = 0;  // indexes into Plan::nodes
  std::size_t b = 0;
  Pos pos;
  Duration latency;
  sim::LinkFaults faults;
  bool up = true;
  std::vector<InterfaceAddress> a_addresses;
  Pos a_addresses_pos;
  std::vector<InterfaceAddress> b_addresses;
  Pos b_addresses_pos;
};

struct Plan {
  std::vector<PlanNode> nodes;
  std::vector<PlanLink> links;
};

// Checks names against the topology; the parsers already rejected duplicates in the file.
void CheckNamesFree(const Plan& plan, const sim::Topology& topology, Diagnostics& diags) {
  for (const PlanNode& n : plan.nodes) {
    if (topology.FindNode(n.name)) {
      diags.Add(n.pos, "node " + Quote(n.name) + " already exists in the topology");
    }
  }
}

void Build(const Plan& plan, sim::Topology& topology, Diagnostics& diags) {
  const auto guarded = [&](Pos pos, const std::string& what, const auto& action) -> bool {
    try {
      action();
      return true;
    } catch (const std::exception& e) {
      diags.Add(pos, what + ": " + e.what());
    } catch (...) {
      diags.Add(pos, what + ": unknown error");
    }
    return false;
  };
  std::vector<std::optional<sim::NodeId>> ids(plan.nodes.size());
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const PlanNode& n = plan.nodes[i];
    guarded(n.pos, "cannot add node " + Quote(n.name),
            [&] { ids[i] = topology.AddNode(n.name, n.kind); });
  }
  // The interface each node's first link created.
  std::vector<std::optional<sim::InterfaceId>> first_iface(plan.nodes.size());
  const auto add_addresses = [&](sim::InterfaceId iface, const std::vector<InterfaceAddress>& list,
                                 Pos pos) {
    for (const InterfaceAddress& a : list) {
      guarded(pos,
              "cannot assign " + a.address.ToString() + "/" + std::to_string(a.prefix_len),
              [&] { topology.AddAddress(iface, a.address, a.prefix_len); });
    }
  };
  for (const PlanLink& l : plan.links) {
    if (!ids[l.a] || !ids[l.b]) continue;
    std::optional<sim::LinkId> link;
    const std::string what =
        "cannot link " + Quote(plan.nodes[l.a].name) + " and " + Quote(plan.nodes[l.b].name);
    if (!guarded(l.pos, what, [&] { link = topology.AddLink(*ids[l.a], *ids[l.b], l.latency); })) {
      continue;
    }
    guarded(l.pos, what, [&] {
      if (l.faults.loss.num != 0 || l.faults.extra_delay.ns != 0) {
        topology.SetLinkFaults(*link, l.faults);
      }
      if (!l.up) topology.SetLinkUp(*link, false);
    });
    const sim::Link& created = topology.link(*link);
    if (!first_iface[l.a]) first_iface[l.a] = created.a;
    if (!first_iface[l.b]) first_iface[l.b] = created.b;
    add_addresses(created.a, l.a_addresses, l.a_addresses_pos);
    add_addresses(created.b, l.b_addresses, l.b_addresses_pos);
  }
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const PlanNode& n = plan.nodes[i];
    if (n.addresses.empty() || !ids[i]) continue;
    sim::InterfaceId iface;
    if (first_iface[i]) {
      iface = *first_iface[i];
    } else {
      iface = topology.node(*ids[i]).interfaces.front();  // the loopback
    }
    add_addresses(iface, n.addresses, n.addresses_pos);
  }
}

GraphLoadResult Finish(const Plan& plan, sim::Topology& topology, Diagnostics diags) {
  if (diags.empty()) CheckNamesFree(plan, topology, diags);
  if (diags.empty()) Build(plan, topology, diags);
  return std::move(diags).Result();
}

// A cursor over the text that tracks line and column.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return i_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  Pos pos() const { return Pos{line_, column_}; }
  std::size_t offset() const { return i_; }
  std::string_view slice(std::size_t from) const { return text_.substr(from, i_ - from); }
  void advance() {
    if (done()) return;
    if (text_[i_] == '\n') {
      ++line_;
      column_ = 1;
      at_line_start_ = true;
    } else if (!(text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\r')) {
      at_line_start_ = false;
    }
    if (text_[i_] != '\n') ++column_;
    ++i_;
  }
  // True when only blanks precede the cursor on its line.
  bool at_line_start() const { return at_line_start_; }

 private:
  std::string_view text_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool at_line_start_ = true;
};

// Thrown inside a parser to stop at a syntax error; never leaves this file.
struct SyntaxError {
  Pos pos;
  std::string message;
};

// ---------------------------------------------------------------------------------------------
// DOT

enum class DotTok { kId, kString, kLBrace, kRBrace, kLBracket, kRBracket, kEqual, kSemi, kComma,
                    kColon, kUndirected, kDirected, kPlus, kEof };

struct DotToken {
  DotTok kind = DotTok::kEof;
  std::string text;  // ID text, or the string's contents after unescaping
  Pos pos;
};

std::string DescribeDot(const DotToken& t) {
  switch (t.kind) {
    case DotTok::kEof: return "end of file";
    case DotTok::kString: return "string " + Quote(t.text);
    case DotTok::kId: return Quote(t.text);
    default: return "'" + t.text + "'";
  }
}

bool IsIdStart(char c) { return IsAlpha(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool IsIdChar(char c) { return IsIdStart(c) || IsDigit(c); }

class DotLexer {
 public:
  explicit DotLexer(std::string_view text) : c_(text) {}

  DotToken Next() {
    SkipBlanks();
    DotToken t;
    t.pos = c_.pos();
    if (c_.done()) return t;
    char ch = c_.peek();
    const auto punct = [&](DotTok k, int len) {
      std::size_t from = c_.offset();
      for (int i = 0; i < len; ++i) c_.advance();
      t.kind = k;
      t.text = std::string(c_.slice(from));
      return t;
    };
    switch (ch) {
      case '{': return punct(DotTok::kLBrace, 1);
      case '}': return punct(DotTok::kRBrace, 1);
      case '[': return punct(DotTok::kLBracket, 1);
      case ']': return punct(DotTok::kRBracket, 1);
      case '=': return punct(DotTok::kEqual, 1);
      case ';': return punct(DotTok::kSemi, 1);
      case ',': return punct(DotTok::kComma, 1);
      case ':': return punct(DotTok::kColon, 1);
      case '+': return punct(DotTok::kPlus, 1);
      case '"': return LexString(t);
      case '<': throw SyntaxError{t.pos, "HTML strings (<...>) are not supported; use a quoted string"};
      default: break;
    }
    if (ch == '-' && c_.peek(1) == '-') return punct(DotTok::kUndirected, 2);
    if (ch == '-' && c_.peek(1) == '>') return punct(DotTok::kDirected, 2);
    if (IsIdChar(ch) || ch == '.' || (ch == '-' && (IsDigit(c_.peek(1)) || c_.peek(1) == '.'))) {
      std::size_t from = c_.offset();
      if (ch == '-') c_.advance();
      while (IsIdChar(c_.peek()) || c_.peek() == '.') c_.advance();
      std::string_view word = c_.slice(from);
      if (!ValidUnquoted(word)) {
        throw SyntaxError{t.pos, Quote(word) +
                                     " is not a valid unquoted ID (letters, digits and '_', or a "
                                     "number); put it in quotes"};
      }
      t.kind = DotTok::kId;
      t.text = std::string(word);
      return t;
    }
    std::string shown(1, ch);
    throw SyntaxError{t.pos, "unexpected character " + Quote(shown)};
  }

 private:
  static bool ValidUnquoted(std::string_view w) {
    if (w.empty()) return false;
    // Our dialect also takes words that start with a digit ("1ms", "250us") as IDs.
    if (w.find('.') == std::string_view::npos && w[0] != '-') {
      for (char c : w) {
        if (!IsIdChar(c)) return false;
      }
      return true;
    }
    std::size_t i = w[0] == '-' ? 1 : 0;
    int dots = 0;
    int digits = 0;
    for (; i < w.size(); ++i) {
      if (w[i] == '.') {
        ++dots;
      } else if (IsDigit(w[i])) {
        ++digits;
      } else {
        return false;
      }
    }
    return dots <= 1 && digits > 0;
  }

  void SkipBlanks() {
    for (;;) {
      char ch = c_.peek();
      if (c_.done()) return;
      if (IsSpace(ch)) {
        c_.advance();
      } else if (ch == '#' && c_.at_line_start()) {
        while (!c_.done() && c_.peek() != '\n') c_.advance();
      } else if (ch == '/' && c_.peek(1) == '/') {
        while (!c_.done() && c_.peek() != '\n') c_.advance();
      } else if (ch == '/' && c_.peek(1) == '*') {
        Pos start = c_.pos();
        c_.advance();
        c_.advance();
        while (!(c_.peek() == '*' && c_.peek(1) == '/')) {
          if (c_.done()) throw SyntaxError{start, "unterminated comment \"/*\""};
          c_.advance();
        }
        c_.advance();
        c_.advance();
      } else {
        return;
      }
    }
  }

  DotToken LexString(DotToken t) {
    c_.advance();  // opening quote
    std::string out;
    for (;;) {
      if (c_.done()) throw SyntaxError{t.pos, "unterminated string"};
      char ch = c_.peek();
      if (ch == '"') {
        c_.advance();
        break;
      }
      if (ch == '\\' && c_.peek(1) == '"') {
        out += '"';
        c_.advance();
        c_.advance();
      } else if (ch == '\\' && c_.peek(1) == '\n') {
        c_.advance();
        c_.advance();
      } else if (ch == '\\' && c_.peek(1) == '\r' && c_.peek(2) == '\n') {
        c_.advance();
        c_.advance();
        c_.advance();
      } else {
        out += ch;
        c_.advance();
      }
    }
    t.kind = DotTok::kString;
    t.text = std::move(out);
    return t;
  }

  Cursor c_;
};

// One `name=value` with where each half was written.
struct DotAttr {
  std::string name;
  Pos name_pos;
  std::string value;
  Pos value_pos;
};

struct DotEdgeStmt {
  std::vector<std::pair<std::string, Pos>> chain;  // node names in order
  std::vector<DotAttr> attrs;
  Pos op_pos;  // the first edge operator
};

bool IsDrawingAttribute(const std::string& name) {
  static const char* const kNames[] = {
      "label", "xlabel", "shape", "style", "color", "fillcolor", "fontname", "fontsize",
      "fontcolor", "penwidth", "width", "height", "pos", "comment", "tooltip", "arrowhead",
      "arrowtail", "dir", "weight", "len", "headlabel", "taillabel", "group", "rank"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

class DotParser {
 public:
  DotParser(std::string_view text, Diagnostics& diags) : lex_(text), diags_(diags) {
    tok_ = lex_.Next();
  }

  // Parses the whole file; throws SyntaxError.
  void Parse() {
    if (IsKeyword("strict")) Take();
    if (IsKeyword("graph")) {
      directed_ = false;
    } else if (IsKeyword("digraph")) {
      directed_ = true;
    } else {
      throw SyntaxError{tok_.pos, "expected 'graph' or 'digraph', found " + DescribeDot(tok_)};
    }
    Take();
    if (tok_.kind == DotTok::kId || tok_.kind == DotTok::kString) ReadId();
    if (tok_.kind != DotTok::kLBrace) {
      throw SyntaxError{tok_.pos, "expected '{' to open the graph body, found " + DescribeDot(tok_)};
    }
    Pos open = tok_.pos;
    Take();
    for (;;) {
      if (tok_.kind == DotTok::kRBrace) break;
      if (tok_.kind == DotTok::kEof) {
        throw SyntaxError{tok_.pos, "expected '}' to close the graph body opened at " +
                                        PosText(open) + ", found end of file"};
      }
      Statement();
    }
    Take();
    if (tok_.kind != DotTok::kEof) {
      throw SyntaxError{tok_.pos, "unexpected " + DescribeDot(tok_) +
                                      " after the graph's closing '}' (one graph per file)"};
    }
  }

  // Resolves the parsed statements into a plan; value errors go to diags.
  Plan MakePlan() {
    Plan plan;
    std::map<std::string, std::size_t> index;
    for (const DotNodeDecl& decl : nodes_) {
      PlanNode n;
      n.name = decl.name;
      n.pos = decl.pos;
      for (const DotAttr& a : decl.attrs) {
        std::string error;
        if (a.name == "kind") {
          std::string k = Lower(a.value);
          if (k == "host") {
            n.kind = NodeKind::kHost;
          } else if (k == "router") {
            n.kind = NodeKind::kRouter;
          } else {
            diags_.Add(a.value_pos, "bad kind " + Quote(a.value) + " (expected host or router)");
          }
        } else if (a.name == "ip") {
          if (auto list = ParseAddresses(a.value, &error)) {
            n.addresses = std::move(*list);
            n.addresses_pos = a.value_pos;
          } else {
            diags_.Add(a.value_pos, "bad ip " + Quote(a.value) + ": " + error);
          }
        } else if (!IsDrawingAttribute(a.name)) {
          diags_.Add(a.name_pos, "unknown node attribute " + Quote(a.name) + " (known: kind, ip)");
        }
      }
      index.emplace(n.name, plan.nodes.size());
      plan.nodes.push_back(std::move(n));
    }
    for (const DotEdgeStmt& e : edges_) {
      PlanLink proto;
      bool has_latency = false;
      for (const DotAttr& a : e.attrs) {
        std::string error;
        if (a.name == "latency") {
          has_latency = true;
          if (auto d = ParseDuration(a.value, false, &error)) {
            proto.latency = *d;
          } else {
            diags_.Add(a.value_pos, "bad latency " + Quote(a.value) + ": " + error);
          }
        } else if (a.name == "delay") {
          if (auto d = ParseDuration(a.value, false, &error)) {
            proto.faults.extra_delay = *d;
          } else {
            diags_.Add(a.value_pos, "bad delay " + Quote(a.value) + ": " + error);
          }
        } else if (a.name == "loss") {
          if (auto r = ParseLoss(a.value, &error)) {
            proto.faults.loss = *r;
          } else {
            diags_.Add(a.value_pos, "bad loss " + Quote(a.value) + ": " + error);
          }
        } else if (a.name == "up") {
          std::string v = Lower(a.value);
          if (v == "true" || v == "1" || v == "yes") {
            proto.up = true;
          } else if (v == "false" || v == "0" || v == "no") {
            proto.up = false;
          } else {
            diags_.Add(a.value_pos, "bad up " + Quote(a.value) + " (expected true or false)");
          }
        } else if (a.name == "tail_ip" || a.name == "head_ip") {
          if (e.chain.size() > 2) {
            diags_.Add(a.name_pos, Quote(a.name) + " is ambiguous on an edge chain of " +
                                       std::to_string(e.chain.size() - 1) +
                                       " edges; write the edges separately");
          } else if (auto list = ParseAddresses(a.value, &error)) {
            bool tail = a.name == "tail_ip";
            (tail ? proto.a_addresses : proto.b_addresses) = std::move(*list);
            (tail ? proto.a_addresses_pos : proto.b_addresses_pos) = a.value_pos;
          } else {
            diags_.Add(a.value_pos, "bad " + a.name + " " + Quote(a.value) + ": " + error);
          }
        } else if (!IsDrawingAttribute(a.name)) {
          diags_.Add(a.name_pos, "unknown edge attribute " + Quote(a.name) +
                                     " (known: latency, loss, delay, up, tail_ip, head_ip)");
        }
      }
      if (!has_latency) {
        diags_.Add(e.op_pos, "edge " + Quote(e.chain.front().first) + " " + Op() + " " +
                                 Quote(e.chain[1].first) + " has no latency attribute");
      }
      std::vector<std::optional<std::size_t>> resolved;
      for (const auto& [name, pos] : e.chain) {
        auto it = index.find(name);
        if (it == index.end()) {
          diags_.Add(pos, "edge refers to undeclared node " + Quote(name) +
                              " (declare it with a node statement, e.g. " + Quote(name) + ";)");
          resolved.push_back(std::nullopt);
        } else {
          resolved.push_back(it->second);
        }
      }
      for (std::size_t k = 0; k + 1 < resolved.size(); ++k) {
        if (!resolved[k] || !resolved[k + 1]) continue;
        if (*resolved[k] == *resolved[k + 1]) {
          diags_.Add(e.chain[k + 1].second, "self-loop " + Quote(e.chain[k].first) + " " + Op() +
                                                " " + Quote(e.chain[k].first) +
                                                ": a link joins two distinct nodes");
          continue;
        }
        PlanLink l = proto;
        l.a = *resolved[k];
        l.b = *resolved[k + 1];
        l.pos = e.chain[k].second;
        plan.links.push_back(std::move(l));
      }
    }
    return plan;
  }

 private:
  struct DotNodeDecl {
    std::string name;
    Pos pos;
    std::vector<DotAttr> attrs;
  };

  std::string Op() const { return directed_ ? "->" : "--"; }

  void Take() { tok_ = lex_.Next(); }

  bool IsKeyword(const char* word) const {
    return tok_.kind == DotTok::kId && Lower(tok_.text) == word;
  }

  bool AtKeyword() const {
    return IsKeyword("node") || IsKeyword("edge") || IsKeyword("graph") ||
           IsKeyword("digraph") || IsKeyword("subgraph") || IsKeyword("strict");
  }

  // An ID: unquoted, or quoted strings joined by '+'.
  std::string ReadId() {
    if (tok_.kind == DotTok::kId) {
      if (AtKeyword()) {
        throw SyntaxError{tok_.pos, "keyword " + Quote(tok_.text) +
                                        " cannot be used as an ID; put it in quotes"};
      }
      std::string s = tok_.text;
      Take();
      return s;
    }
    if (tok_.kind != DotTok::kString) {
      throw SyntaxError{tok_.pos, "expected an ID, found " + DescribeDot(tok_)};
    }
    std::string s = tok_.text;
    Take();
    while (tok_.kind == DotTok::kPlus) {
      Take();
      if (tok_.kind != DotTok::kString) {
        throw SyntaxError{tok_.pos, "expected a quoted string after '+', found " + DescribeDot(tok_)};
      }
      s += tok_.text;
      Take();
    }
    return s;
  }

  std::vector<DotAttr> AttrLists() {
    std::vector<DotAttr> attrs;
    while (tok_.kind == DotTok::kLBracket) {
      Pos open = tok_.pos;
      Take();
      for (;;) {
        if (tok_.kind == DotTok::kRBracket) {
          Take();
          break;
        }
        if (tok_.kind == DotTok::kComma || tok_.kind == DotTok::kSemi) {
          Take();
          continue;
        }
        if (tok_.kind != DotTok::kId && tok_.kind != DotTok::kString) {
          throw SyntaxError{tok_.pos, "expected an attribute name or ']' to close the attribute "
                                      "list opened at " + PosText(open) + ", found " +
                                          DescribeDot(tok_)};
        }
        DotAttr a;
        a.name_pos = tok_.pos;
        a.name = tok_.text;
        Take();
        if (tok_.kind != DotTok::kEqual) {
          throw SyntaxError{tok_.pos, "expected '=' after attribute " + Quote(a.name) +
                                          ", found " + DescribeDot(tok_)};
        }
        Take();
        if (tok_.kind != DotTok::kId && tok_.kind != DotTok::kString) {
          throw SyntaxError{tok_.pos, "expected a value for attribute " + Quote(a.name) +
                                          ", found " + DescribeDot(tok_)};
        }
        a.value_pos = tok_.pos;
        if (tok_.kind == DotTok::kString) {
          a.value = ReadId();  // joins "a" + "b"
        } else {
          a.value = tok_.text;
          Take();
        }
        for (const DotAttr& earlier : attrs) {
          if (earlier.name == a.name) {
            diags_.Add(a.name_pos, "attribute " + Quote(a.name) + " given twice (first at " +
                                       PosText(earlier.name_pos) + ")");
          }
        }
        attrs.push_back(std::move(a));
      }
    }
    return attrs;
  }

  void Statement() {
    if (tok_.kind == DotTok::kSemi) {
      Take();
      return;
    }
    if (IsKeyword("node") || IsKeyword("edge")) {
      throw SyntaxError{tok_.pos, "default attribute statements (" + Lower(tok_.text) +
                                      " [...]) are not supported; put the attributes on each " +
                                      Lower(tok_.text)};
    }
    if (IsKeyword("subgraph") || tok_.kind == DotTok::kLBrace) {
      throw SyntaxError{tok_.pos, "subgraphs are not supported"};
    }
    if (IsKeyword("graph")) {
      Take();
      if (tok_.kind != DotTok::kLBracket) {
        throw SyntaxError{tok_.pos, "expected '[' after 'graph', found " + DescribeDot(tok_)};
      }
      AttrLists();  // graph attributes do not describe the network; ignored
      EndStatement();
      return;
    }
    if (tok_.kind != DotTok::kId && tok_.kind != DotTok::kString) {
      throw SyntaxError{tok_.pos, "expected a statement, found " + DescribeDot(tok_)};
    }
    Pos first_pos = tok_.pos;
    std::string first = ReadId();
    if (tok_.kind == DotTok::kEqual) {  // graph attribute ID = ID; ignored
      Take();
      ReadId();
      EndStatement();
      return;
    }
    if (tok_.kind == DotTok::kColon) {
      throw SyntaxError{tok_.pos, "ports (" + Quote(first) + ":port) are not supported"};
    }
    if (tok_.kind == DotTok::kUndirected || tok_.kind == DotTok::kDirected) {
      DotEdgeStmt e;
      e.op_pos = tok_.pos;
      e.chain.emplace_back(first, first_pos);
      while (tok_.kind == DotTok::kUndirected || tok_.kind == DotTok::kDirected) {
        if (tok_.kind == DotTok::kDirected && !directed_) {
          throw SyntaxError{tok_.pos, "'->' is only allowed in a digraph; use '--' in a graph"};
        }
        if (tok_.kind == DotTok::kUndirected && directed_) {
          throw SyntaxError{tok_.pos, "'--' is only allowed in a graph; use '->' in a digraph"};
        }
        Take();
        if (tok_.kind == DotTok::kLBrace || IsKeyword("subgraph")) {
          throw SyntaxError{tok_.pos, "subgraphs are not supported"};
        }
        Pos p = tok_.pos;
        std::string name = ReadId();
        if (tok_.kind == DotTok::kColon) {
          throw SyntaxError{tok_.pos, "ports (" + Quote(name) + ":port) are not supported"};
        }
        e.chain.emplace_back(std::move(name), p);
      }
      e.attrs = AttrLists();
      edges_.push_back(std::move(e));
      EndStatement();
      return;
    }
    DotNodeDecl decl;
    decl.name = first;
    decl.pos = first_pos;
    decl.attrs = AttrLists();
    if (first.empty()) {
      diags_.Add(first_pos, "a node name cannot be empty");
    } else if (auto it = declared_.find(first); it != declared_.end()) {
      diags_.Add(first_pos, "duplicate node " + Quote(first) + " (first declared at " +
                                PosText(it->second) + ")");
    } else {
      declared_.emplace(first, first_pos);
      nodes_.push_back(std::move(decl));
    }
    EndStatement();
  }

  void EndStatement() {
    if (tok_.kind == DotTok::kSemi) Take();
  }

  DotLexer lex_;
  Diagnostics& diags_;
  DotToken tok_;
  bool directed_ = false;
  std::vector<DotNodeDecl> nodes_;
  std::map<std::string, Pos> declared_;
  std::vector<DotEdgeStmt> edges_;
};

// ---------------------------------------------------------------------------------------------
// GML

struct GmlItem;

struct GmlValue {
  enum class Kind { kInt, kReal, kString, kList };
  Kind kind = Kind::kInt;
  std::string text;  // number as written, or string contents after unescaping
  std::vector<GmlItem> list;
  Pos pos;
};

struct GmlItem {
  std::string key;
  Pos key_pos;
  GmlValue value;
};

std::string ShowValue(const GmlValue& v) {
  if (v.kind == GmlValue::Kind::kList) return "[ ... ]";
  if (v.kind == GmlValue::Kind::kString) return Quote(v.text);
  return v.text;
}

class GmlReader {
 public:
  explicit GmlReader(std::string_view text) : c_(text) {}

  // The top level: key/value pairs up to end of file.
  std::vector<GmlItem> ReadAll() {
    std::vector<GmlItem> items = ReadItems(nullptr, 0);
    return items;
  }

 private:
  static constexpr int kMaxDepth = 100;

  void SkipBlanks() {
    for (;;) {
      if (c_.done()) return;
      char ch = c_.peek();
      if (IsSpace(ch)) {
        c_.advance();
      } else if (ch == '#') {
        while (!c_.done() && c_.peek() != '\n') c_.advance();
      } else {
        return;
      }
    }
  }

  // A list body; `open` is the '[' that opened it (nullptr at top level).
  std::vector<GmlItem> ReadItems(const GmlItem* owner, int depth) {
    if (depth > kMaxDepth) throw SyntaxError{c_.pos(), "lists nested too deeply"};
    std::vector<GmlItem> items;
    for (;;) {
      SkipBlanks();
      if (c_.done()) {
        if (owner) {
          throw SyntaxError{c_.pos(), "expected ']' to close " + Quote(owner->key) +
                                          " opened at " + PosText(owner->value.pos) +
                                          ", found end of file"};
        }
        return items;
      }
      if (c_.peek() == ']') {
        if (!owner) throw SyntaxError{c_.pos(), "unexpected ']' with no list open"};
        c_.advance();
        return items;
      }
      GmlItem item;
      item.key_pos = c_.pos();
      if (!(IsAlpha(c_.peek()) || c_.peek() == '_')) {
        throw SyntaxError{c_.pos(), "expected a key, found " + Quote(Word()) +
                                        (owner ? " (or ']' to close " + Quote(owner->key) +
                                                     " opened at " + PosText(owner->value.pos) + ")"
                                               : std::string())};
      }
      std::size_t from = c_.offset();
      while (IsAlpha(c_.peek()) || IsDigit(c_.peek()) || c_.peek() == '_') c_.advance();
      item.key = std::string(c_.slice(from));
      SkipBlanks();
      item.value.pos = c_.pos();
      char ch = c_.peek();
      if (c_.done()) {
        throw SyntaxError{c_.pos(), "expected a value after key " + Quote(item.key) +
                                        ", found end of file"};
      }
      if (ch == '[') {
        c_.advance();
        item.value.kind = GmlValue::Kind::kList;
        item.value.list = ReadItems(&item, depth + 1);
      } else if (ch == '"') {
        item.value.kind = GmlValue::Kind::kString;
        item.value.text = ReadString();
      } else if (IsDigit(ch) || ch == '-' || ch == '+' || ch == '.') {
        ReadNumber(item.value);
      } else {
        throw SyntaxError{c_.pos(), "expected a value after key " + Quote(item.key) +
                                        ", found " + Quote(Word())};
      }
      items.push_back(std::move(item));
    }
  }

  // The text at the cursor up to the next blank, for messages.
  std::string Word() const {
    std::string w;
    for (std::size_t k = 0; k < 40; ++k) {
      char ch = c_.peek(k);
      if (ch == '\0' || IsSpace(ch)) break;
      w += ch;
    }
    return w;
  }

  std::string ReadString() {
    Pos start = c_.pos();
    c_.advance();
    std::string out;
    for (;;) {
      if (c_.done()) throw SyntaxError{start, "unterminated string"};
      char ch = c_.peek();
      if (ch == '"') {
        c_.advance();
        return out;
      }
      if (ch == '\\' && (c_.peek(1) == '"' || c_.peek(1) == '\\')) {
        out += c_.peek(1);
        c_.advance();
        c_.advance();
      } else {
        out += ch;
        c_.advance();
      }
    }
  }

  void ReadNumber(GmlValue& v) {
    Pos start = c_.pos();
    std::size_t from = c_.offset();
    if (c_.peek() == '-' || c_.peek() == '+') c_.advance();
    int digits = 0;
    bool real = false;
    while (IsDigit(c_.peek())) {
      c_.advance();
      ++digits;
    }
    if (c_.peek() == '.') {
      real = true;
      c_.advance();
      while (IsDigit(c_.peek())) {
        c_.advance();
        ++digits;
      }
    }
    bool ok = digits > 0;
    if (ok && (c_.peek() == 'e' || c_.peek() == 'E')) {
      real = true;
      c_.advance();
      if (c_.peek() == '-' || c_.peek() == '+') c_.advance();
      if (!IsDigit(c_.peek())) ok = false;
      while (IsDigit(c_.peek())) c_.advance();
    }
    char next = c_.peek();
    if (!ok || !(c_.done() || IsSpace(next) || next == ']' || next == '#')) {
      while (!c_.done() && !IsSpace(c_.peek()) && c_.peek() != ']') c_.advance();
      throw SyntaxError{start, "malformed number " + Quote(c_.slice(from))};
    }
    v.kind = real ? GmlValue::Kind::kReal : GmlValue::Kind::kInt;
    v.text = std::string(c_.slice(from));
  }

  Cursor c_;
};

std::optional<std::int64_t> GmlInt(const GmlValue& v) {
  if (v.kind != GmlValue::Kind::kInt) return std::nullopt;
  std::string_view t = v.text;
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  std::int64_t n = 0;
  for (char c : t) {
    if (!CheckedMulAdd(n, 10, c - '0')) return std::nullopt;
  }
  return neg ? -n : n;
}

// Gathers the keys of one node or edge list, reporting repeated keys.
std::map<std::string, const GmlItem*> Fields(const GmlItem& owner, Diagnostics& diags) {
  std::map<std::string, const GmlItem*> fields;
  for (const GmlItem& item : owner.value.list) {
    auto [it, inserted] = fields.emplace(item.key, &item);
    if (!inserted) {
      diags.Add(item.key_pos, "duplicate key " + Quote(item.key) + " in " + owner.key +
                                  " (first at " + PosText(it->second->key_pos) + ")");
    }
  }
  return fields;
}

struct GmlEdgeValues {
  Duration latency;
  Ratio loss{0, 1'000'000};
};

bool SameRatio(Ratio a, Ratio b) { return a.num * b.den == b.num * a.den; }

Plan MakeGmlPlan(const std::vector<GmlItem>& top, Diagnostics& diags) {
  Plan plan;
  const GmlItem* graph = nullptr;
  for (const GmlItem& item : top) {
    if (item.key != "graph") continue;
    if (graph) {
      diags.Add(item.key_pos, "more than one graph (first at " + PosText(graph->key_pos) + ")");
      continue;
    }
    graph = &item;
  }
  if (!graph) {
    diags.Add(Pos{1, 1}, "no \"graph [ ... ]\" found");
    return plan;
  }
  if (graph->value.kind != GmlValue::Kind::kList) {
    diags.Add(graph->value.pos, "graph must be a list \"[ ... ]\", found " + ShowValue(graph->value));
    return plan;
  }
  bool directed = false;
  const GmlItem* directed_item = nullptr;
  std::map<std::int64_t, std::pair<std::size_t, Pos>> by_id;  // GML id -> plan index, where
  std::map<std::string, Pos> names;
  std::vector<const GmlItem*> edges;
  for (const GmlItem& item : graph->value.list) {
    if (item.key == "directed") {
      if (directed_item) {
        diags.Add(item.key_pos, "duplicate key \"directed\" (first at " +
                                    PosText(directed_item->key_pos) + ")");
        continue;
      }
      directed_item = &item;
      auto v = GmlInt(item.value);
      if (!v || (*v != 0 && *v != 1)) {
        diags.Add(item.value.pos, "directed must be 0 or 1, found " + ShowValue(item.value));
      } else {
        directed = *v == 1;
      }
    } else if (item.key == "edge") {
      if (item.value.kind != GmlValue::Kind::kList) {
        diags.Add(item.value.pos, "edge must be a list \"[ ... ]\", found " + ShowValue(item.value));
      } else {
        edges.push_back(&item);
      }
    } else if (item.key == "node") {
      if (item.value.kind != GmlValue::Kind::kList) {
        diags.Add(item.value.pos, "node must be a list \"[ ... ]\", found " + ShowValue(item.value));
        continue;
      }
      auto fields = Fields(item, diags);
      PlanNode n;
      n.pos = item.key_pos;
      auto id_it = fields.find("id");
      std::optional<std::int64_t> id;
      if (id_it == fields.end()) {
        diags.Add(item.key_pos, "node has no id");
      } else {
        id = GmlInt(id_it->second->value);
        if (!id || *id < 0) {
          diags.Add(id_it->second->value.pos,
                    "node id must be a non-negative integer, found " + ShowValue(id_it->second->value));
          id.reset();
        }
      }
      if (auto f = fields.find("label"); f != fields.end()) {
        if (f->second->value.kind != GmlValue::Kind::kString) {
          diags.Add(f->second->value.pos,
                    "label must be a string, found " + ShowValue(f->second->value));
        } else {
          n.name = f->second->value.text;
          n.pos = f->second->value.pos;
        }
      }
      if (n.name.empty() && id) n.name = "node" + std::to_string(*id);
      if (auto f = fields.find("ip_address"); f != fields.end()) {
        std::string error;
        if (f->second->value.kind != GmlValue::Kind::kString) {
          diags.Add(f->second->value.pos,
                    "ip_address must be a string, found " + ShowValue(f->second->value));
        } else if (auto list = ParseAddresses(f->second->value.text, &error)) {
          n.addresses = std::move(*list);
          n.addresses_pos = f->second->value.pos;
        } else {
          diags.Add(f->second->value.pos,
                    "bad ip_address " + Quote(f->second->value.text) + ": " + error);
        }
      }
      if (auto f = fields.find("kind"); f != fields.end()) {
        std::string k = f->second->value.kind == GmlValue::Kind::kString ? Lower(f->second->value.text) : "";
        if (k == "host") {
          n.kind = NodeKind::kHost;
        } else if (k == "router") {
          n.kind = NodeKind::kRouter;
        } else {
          diags.Add(f->second->value.pos,
                    "bad kind " + ShowValue(f->second->value) + " (expected \"host\" or \"router\")");
        }
      }
      if (!id) continue;
      if (auto dup = by_id.find(*id); dup != by_id.end()) {
        diags.Add(id_it->second->value.pos, "duplicate node id " + std::to_string(*id) +
                                                " (first at " + PosText(dup->second.second) + ")");
        continue;
      }
      if (auto dup = names.find(n.name); dup != names.end()) {
        diags.Add(n.pos, "duplicate node name " + Quote(n.name) + " (first at " +
                             PosText(dup->second) + ")");
        continue;
      }
      by_id.emplace(*id, std::make_pair(plan.nodes.size(), id_it->second->value.pos));
      names.emplace(n.name, n.pos);
      plan.nodes.push_back(std::move(n));
    }
    // Other graph keys are not modelled and ignored.
  }
  // Links by unordered pair: the plan link index and the edge's direction and position.
  struct Seen {
    std::size_t link;
    std::int64_t source;
    Pos pos;
    GmlEdgeValues values;
  };
  std::map<std::pair<std::int64_t, std::int64_t>, Seen> seen;
  for (const GmlItem* edge : edges) {
    auto fields = Fields(*edge, diags);
    std::optional<std::size_t> ends[2];
    std::int64_t end_ids[2] = {0, 0};
    bool ok = true;
    const char* const kEnds[2] = {"source", "target"};
    for (int k = 0; k < 2; ++k) {
      auto f = fields.find(kEnds[k]);
      if (f == fields.end()) {
        diags.Add(edge->key_pos, std::string("edge has no ") + kEnds[k]);
        ok = false;
        continue;
      }
      auto id = GmlInt(f->second->value);
      if (!id) {
        diags.Add(f->second->value.pos, std::string(kEnds[k]) + " must be an integer node id, found " +
                                            ShowValue(f->second->value));
        ok = false;
        continue;
      }
      auto node = by_id.find(*id);
      if (node == by_id.end()) {
        diags.Add(f->second->value.pos, std::string("edge ") + kEnds[k] + " " +
                                            std::to_string(*id) + " is not a node id");
        ok = false;
        continue;
      }
      ends[k] = node->second.first;
      end_ids[k] = *id;
    }
    GmlEdgeValues values;
    if (auto f = fields.find("latency"); f == fields.end()) {
      diags.Add(edge->key_pos, "edge has no latency");
      ok = false;
    } else if (f->second->value.kind != GmlValue::Kind::kString) {
      diags.Add(f->second->value.pos,
                "latency must be a string such as \"10 ms\", found " + ShowValue(f->second->value));
      ok = false;
    } else {
      std::string error;
      if (auto d = ParseDuration(f->second->value.text, true, &error)) {
        values.latency = *d;
      } else {
        diags.Add(f->second->value.pos, "bad latency " + Quote(f->second->value.text) + ": " + error);
        ok = false;
      }
    }
    if (auto f = fields.find("packet_loss"); f != fields.end()) {
      const GmlValue& v = f->second->value;
      std::string error;
      if (v.kind != GmlValue::Kind::kInt && v.kind != GmlValue::Kind::kReal) {
        diags.Add(v.pos, "packet_loss must be a number between 0 and 1, found " + ShowValue(v));
        ok = false;
      } else if (auto r = ParseDecimalProbability(v.text, 0, &error)) {
        values.loss = *r;
      } else {
        diags.Add(v.pos, "bad packet_loss " + v.text + ": " + error);
        ok = false;
      }
    }
    if (!ok) continue;
    if (*ends[0] == *ends[1]) continue;  // a self-loop: Shadow's intra-node path, not a link
    auto key = std::minmax(end_ids[0], end_ids[1]);
    if (auto it = seen.find(key); it != seen.end()) {
      const Seen& first = it->second;
      if (directed && first.source != end_ids[0]) {
        if (first.values.latency != values.latency || !SameRatio(first.values.loss, values.loss)) {
          diags.Add(edge->key_pos,
                    "edge " + std::to_string(end_ids[0]) + " -> " + std::to_string(end_ids[1]) +
                        " differs in latency or packet_loss from the reverse edge at " +
                        PosText(first.pos) + "; socksim links are symmetric");
        } else {
          it->second.source = -1;  // the reverse edge has now been seen as well
        }
        continue;
      }
      diags.Add(edge->key_pos, "duplicate edge between nodes " + std::to_string(end_ids[0]) +
                                   " and " + std::to_string(end_ids[1]) + " (first at " +
                                   PosText(first.pos) + ")");
      continue;
    }
    PlanLink l;
    l.a = *ends[0];
    l.b = *ends[1];
    l.pos = edge->key_pos;
    l.latency = values.latency;
    l.faults.loss = values.loss;
    seen.emplace(key, Seen{plan.links.size(), end_ids[0], edge->key_pos, values});
    plan.links.push_back(std::move(l));
  }
  return plan;
}

GraphLoadResult FileError(const std::string& path, std::string message) {
  GraphLoadResult r;
  r.ok = false;
  r.errors.push_back(GraphDiagnostic{path, 0, 0, std::move(message)});
  return r;
}

}  // namespace

GraphLoadResult LoadDot(std::string_view text, const std::string& file_name,
                        sim::Topology& topology) {
  Diagnostics diags(file_name);
  try {
    DotParser parser(text, diags);
    try {
      parser.Parse();
    } catch (const SyntaxError& e) {
      diags.Add(e.pos, e.message);
      return std::move(diags).Result();
    }
    Plan plan = parser.MakePlan();
    return Finish(plan, topology, std::move(diags));
  } catch (const SyntaxError& e) {  // a syntax error in the very first token
    diags.Add(e.pos, e.message);
  } catch (const std::exception& e) {
    diags.Add(Pos{}, std::string("internal error: ") + e.what());
  }
  return std::move(diags).Result();
}

GraphLoadResult LoadGml(std::string_view text, const std::string& file_name,
                        sim::Topology& topology) {
  Diagnostics diags(file_name);
  try {
    std::vector<GmlItem> top;
    try {
      top = GmlReader(text).ReadAll();
    } catch (const SyntaxError& e) {
      diags.Add(e.pos, e.message);
      return std::move(diags).Result();
    }
    Plan plan = MakeGmlPlan(top, diags);
    return Finish(plan, topology, std::move(diags));
  } catch (const std::exception& e) {
    diags.Add(Pos{}, std::string("internal error: ") + e.what());
  }
  return std::move(diags).Result();
}

GraphLoadResult LoadGraph(const std::string& path, sim::Topology& topology) {
  try {
    std::string ext = Lower(std::filesystem::path(path).extension().string());
    bool dot = ext == ".dot" || ext == ".gv";
    bool gml = ext == ".gml";
    if (!dot && !gml) {
      return FileError(path, "unknown graph file extension " + Quote(ext) +
                                 " (expected .dot, .gv or .gml)");
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return FileError(path, "no such file");
    if (std::filesystem::is_directory(path, ec)) return FileError(path, "is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) return FileError(path, "cannot open the file for reading");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return FileError(path, "error while reading the file");
    std::string text = buffer.str();
    return dot ? LoadDot(text, path, topology) : LoadGml(text, path, topology);
  } catch (const std::exception& e) {
    return FileError(path, std::string("cannot load: ") + e.what());
  }
}

}  // namespace socksim::tools
