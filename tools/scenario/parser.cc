// File: tools/scenario/parser.cc
// Hand-written line parser for scenarios and strace logs (see parser.h for the decisions).
#include "tools/scenario/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/scenario/registry.h"
#include "tools/text/excerpt.h"

namespace socksim::tools {

namespace {

/// Gives back the room a vector's growth left past its last element. A parsed log keeps its
/// values until the import has moved them on, and growth by doubling left a sockaddr's three
/// members in room for four and most call lines' arguments likewise: about a quarter of what
/// a line's values took (bench/README.md).
template <class T>
void FitToSize(std::vector<T>& v) {
  if (v.capacity() > v.size()) v.shrink_to_fit();
}

/// Where the line that holds `from` ends: the first CR or LF at or after it, or npos. (The
/// same as find_first_of("\r\n"), which searched the two-byte set once per byte of a log: 8 %
/// of a replay.)
std::size_t FindLineEnd(std::string_view text, std::size_t from) {
  const auto end = std::find_if(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(),
                                [](char c) { return c == '\n' || c == '\r'; });
  return end == text.end() ? std::string_view::npos : static_cast<std::size_t>(end - text.begin());
}

/// How many lines of `text` hold something besides blanks and a comment: at most one parsed
/// line each, so reserving this many never holds room for blank or comment lines (which a
/// file may hold any number of, a byte or two each).
std::size_t LinesWithContent(std::string_view text) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    if (pos < text.size() && text[pos] != '\n' && text[pos] != '\r' && text[pos] != '#') ++count;
    pos = FindLineEnd(text, pos);
    if (pos == std::string_view::npos) break;
    ++pos;
  }
  return count;
}

constexpr int kMaxDepth = 200;

// The generic directives; a personality's own header keywords (`kernel`, `windows`, `lsp`)
// come from the registry, so that this file names no personality.
constexpr std::array<std::string_view, 15> kKeywords = {
    "personality", "seed", "host", "router", "link", "graph", "process",
    "fd", "thread", "advance", "settle", "link-down", "link-up", "hint", "interleaving"};
constexpr std::string_view kFaultKeyword = "fault";

bool IsKeyword(std::string_view word) {
  if (word == kFaultKeyword) return true;
  for (auto k : kKeywords) {
    if (k == word) return true;
  }
  return PersonalityForHeader(word) != nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentStart(char c) { return IsAlpha(c) || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

/// Removes ANSI CSI sequences (ESC '[' params final), as strace >= 7 colours its output.
std::string StripAnsi(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < line.size() && static_cast<unsigned char>(line[j]) >= 0x20 &&
             static_cast<unsigned char>(line[j]) <= 0x3f) {
        ++j;
      }
      if (j < line.size() && static_cast<unsigned char>(line[j]) >= 0x40 &&
          static_cast<unsigned char>(line[j]) <= 0x7e) {
        i = j + 1;
        continue;
      }
    }
    out += line[i];
    ++i;
  }
  return out;
}

struct Failure {
  std::size_t pos = 0;
  std::string message;
};

/// A result's annotation (`in [0], left {...}`) read as members; empty when it does not read
/// as values. Defined after LineParser, which reads it.
std::vector<Value::Field> ReadAnnotation(std::string_view text, const FileName& file, int line,
                                         std::size_t column_offset);

/// Parses one line (or one standalone value). The first problem wins; after it, every
/// parse function returns quickly with a failure so that no partial result is used.
class LineParser {
 public:
  /// `column_offset` places `text` inside a longer line (a result's annotation), so that
  /// locations count from the line's start.
  LineParser(std::string_view text, const FileName& file, int line, bool strace_mode,
             std::size_t column_offset = 0)
      : s_(text), file_(file), line_(line), strace_mode_(strace_mode),
        column_offset_(column_offset) {}

  const std::optional<Failure>& failure() const { return failure_; }
  std::size_t pos() const { return pos_; }
  /// The line's strace timestamp, once ParseLine (or ScanUnreadable) has read one.
  const std::optional<Timestamp>& timestamp() const { return timestamp_; }

  // ---- Whole lines -------------------------------------------------------------------

  /// Returns the line's content; nullopt for blank/comment lines or on failure.
  std::optional<Line> ParseLine(std::vector<std::string>& description) {
    const bool strace_mode = strace_mode_;
    SkipSpaces();
    if (AtEnd()) return std::nullopt;
    if (Peek() == '#') {
      CollectDescription(description);
      return std::nullopt;
    }
    if (StartsWith("strace:")) return ParseStraceMessage();

    const std::size_t line_start = pos_;
    bool has_pid = false;
    std::int32_t pid = 0;
    if (StartsWith("[pid")) {
      pos_ += 4;
      SkipSpaces();
      if (!ParsePid(pid)) return std::nullopt;
      SkipSpaces();
      if (Peek() != ']') return Fail(pos_, "expected ']' after '[pid N', found " + Describe(pos_));
      ++pos_;
      has_pid = true;
    } else if (IsDigit(Peek())) {
      std::size_t end = pos_;
      while (end < s_.size() && IsDigit(s_[end])) ++end;
      const char after = end < s_.size() ? s_[end] : '\0';
      if (after != ':' && after != '.') {
        if (!ParsePid(pid)) return std::nullopt;
        has_pid = true;
      }
    } else if (IsIdentStart(Peek())) {
      std::size_t end = pos_;
      while (end < s_.size() && IsIdentChar(s_[end])) ++end;
      const bool call_like = end < s_.size() && s_[end] == '(';
      if (!(strace_mode && call_like)) {
        if (call_like) {
          return Fail(pos_, "call line without a pid: expected 'PID " +
                                std::string(s_.substr(pos_, end - pos_)) + "(...)'");
        }
        return ParseDirective();
      }
    }
    if (has_pid) {
      if (!AtEnd() && !IsSpace(Peek())) {
        return Fail(pos_, "expected a space after the pid, found " + Describe(pos_));
      }
      SkipSpaces();
    } else if (!strace_mode) {
      return Fail(line_start, "expected a pid or a directive at the start of the line, found " +
                                  Describe(line_start));
    }
    if (IsDigit(Peek()) && !SkipTimestamp()) return std::nullopt;
    return ParseBody(pid);
  }

  /// What can be read of a line ParseLine rejected (strace mode): its pid, timestamp, call
  /// name and part, read leniently from the start. Use a fresh parser on the same text.
  UnreadableLine ScanUnreadable() {
    UnreadableLine out;
    SkipSpaces();
    if (StartsWith("[pid")) {
      pos_ += 4;
      SkipSpaces();
      std::int32_t pid = 0;
      if (IsDigit(Peek()) && ParsePid(pid)) out.pid = pid;
      SkipSpaces();
      if (Peek() == ']') ++pos_;
    } else if (IsDigit(Peek())) {
      std::size_t end = pos_;
      while (end < s_.size() && IsDigit(s_[end])) ++end;
      const char after = end < s_.size() ? s_[end] : '\0';
      std::int32_t pid = 0;
      if (after != ':' && after != '.' && ParsePid(pid)) out.pid = pid;
    }
    SkipSpaces();
    if (IsDigit(Peek()) && !SkipTimestamp()) return out;
    if (StartsWith("<...")) {
      pos_ += 4;
      SkipSpaces();
      out.part = CallPart::kResumed;
      out.name = std::string(ReadIdent());
      return out;
    }
    if (IsIdentStart(Peek())) {
      const std::string_view name = ReadIdent();
      if (Peek() == '(') out.name = std::string(name);
    }
    std::string_view rest = s_;
    while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
    if (!out.name.empty() && rest.ends_with("<unfinished ...>")) out.part = CallPart::kUnfinished;
    return out;
  }

  // ---- Values ------------------------------------------------------------------------

  /// A value with an optional memory annotation and flags.
  std::optional<Value> ParseValue(int depth) {
    if (failure_) return std::nullopt;
    if (depth > kMaxDepth) return Fail(pos_, "value nested too deeply");
    if (!SkipBlanks()) return std::nullopt;
    const std::size_t start = pos_;
    if (const std::size_t end = AnnotationEnd(pos_); end != 0) {
      auto annotation = ParseAnnotation(end);
      if (!annotation) return std::nullopt;
      pos_ = end;
      auto inner = ParseExpression(depth + 1, 0);
      if (!inner) return std::nullopt;
      inner->annotation = std::move(*annotation);
      inner->location = Loc(start);
      return inner;
    }
    return ParseExpression(depth + 1, 0);
  }

  /// The binary operator at pos_ (after spaces) and its binding strength, loosest first; an
  /// empty operator when none. strace prints these in values: rlimits (`8192*1024`), wait
  /// statuses (`WIFEXITED(s) && WEXITSTATUS(s) == 0`), ptrace stops (`SIGTRAP | 0x80`).
  std::pair<std::string_view, int> OperatorAt(std::size_t at) const {
    static constexpr std::array<std::pair<std::string_view, int>, 7> kOperators = {{
        {"||", 1}, {"&&", 2}, {"==", 3}, {"!=", 3}, {"|", 4}, {"<<", 5}, {"*", 6}}};
    const std::string_view rest = s_.substr(std::min(at, s_.size()));
    // Most values are followed by ',' or ')': one look at the first character spares the
    // seven comparisons (they were 2 % of a replay).
    if (rest.empty() || std::string_view("|&=!<*").find(rest[0]) == std::string_view::npos)
      return {{}, 0};
    for (const auto& [op, strength] : kOperators) {
      if (rest.starts_with(op)) return {op, strength};
    }
    return {{}, 0};
  }

  /// Operands joined by binary operators, by precedence climbing (left-associative).
  std::optional<Value> ParseExpression(int depth, int min_strength) {
    if (depth > kMaxDepth) return Fail(pos_, "value nested too deeply");
    auto lhs = ParseFlagged(depth);
    if (!lhs) return std::nullopt;
    for (;;) {
      std::size_t at = pos_;
      while (at < s_.size() && IsSpace(s_[at])) ++at;
      const auto [op, strength] = OperatorAt(at);
      if (op.empty() || strength < min_strength) return lhs;
      pos_ = at + op.size();
      if (!SkipBlanks()) return std::nullopt;
      auto rhs = ParseExpression(depth + 1, strength + 1);
      if (!rhs) return std::nullopt;
      Value e;
      e.kind = Value::Kind::kExpression;
      e.location = lhs->location;
      e.text = std::string(op);
      e.items.push_back(std::move(*lhs));
      e.items.push_back(std::move(*rhs));
      lhs = std::move(e);
    }
  }

  /// Where a memory annotation starting at `at` ends (just past its ':'), or 0 when the text
  /// there is not one. An annotation is `NAME:` or `NAME=WORD:`; only ro, end, mapped=N and
  /// offset=N are valid (ParseAnnotation), but every such shape is taken for one so that a
  /// misspelt annotation is reported as such rather than as a named argument.
  std::size_t AnnotationEnd(std::size_t at) const {
    if (at >= s_.size() || !IsIdentStart(s_[at])) return 0;
    std::size_t end = at;
    while (end < s_.size() && IsIdentChar(s_[end])) ++end;
    if (end < s_.size() && s_[end] == ':') return end + 1;
    if (end + 1 >= s_.size() || s_[end] != '=' || s_[end + 1] == '>') return 0;
    std::size_t word = end + 1;
    while (word < s_.size() && (IsIdentChar(s_[word]) || s_[word] == '-')) ++word;
    if (word == end + 1 || word >= s_.size() || s_[word] != ':') return 0;
    return word + 1;
  }

  /// The annotation between pos_ and `end` (AnnotationEnd's result) in Value::annotation's
  /// spelling ("ro", "mapped=4"); a failure for an unknown name or a bad number.
  std::optional<std::string> ParseAnnotation(std::size_t end) {
    const std::string_view whole = s_.substr(pos_, end - 1 - pos_);
    const std::size_t eq = whole.find('=');
    const std::string_view name = whole.substr(0, eq);
    const bool counted = name == "mapped" || name == "offset";
    if (!counted && name != "ro" && name != "end") {
      return Fail(pos_, "unknown memory annotation '" + std::string(whole) +
                            ":' (expected 'ro:', 'end:', 'mapped=N:' or 'offset=N:')");
    }
    if (!counted) {
      if (eq != std::string_view::npos) {
        return Fail(pos_ + eq, "memory annotation '" + std::string(name) + ":' takes no number");
      }
      return std::string(name);
    }
    if (eq == std::string_view::npos) {
      return Fail(pos_ + name.size(), "memory annotation '" + std::string(name) +
                                          "=N:' needs a number of bytes");
    }
    const std::string_view digits = whole.substr(eq + 1);
    std::uint64_t n = 0;
    for (const char c : digits) {
      if (!IsDigit(c)) {
        return Fail(pos_ + eq + 1, "bad number '" + std::string(digits) + "' in '" +
                                       std::string(name) + "=' (expected decimal digits)");
      }
      if (n > (UINT64_MAX - static_cast<std::uint64_t>(c - '0')) / 10) {
        return Fail(pos_ + eq + 1, "number '" + std::string(digits) + "' in '" +
                                       std::string(name) + "=' is out of range");
      }
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return std::string(name) + "=" + std::to_string(n);
  }

  /// A result's annotation as members: `WORD VALUE` (`in [0]`, `flags O_RDWR`) or a lone
  /// value (`Timeout`, poll's `[{fd=3, revents=POLLIN}]`), separated by commas, to the end.
  std::optional<std::vector<Value::Field>> ParseAnnotationMembers() {
    std::vector<Value::Field> members;
    for (;;) {
      if (!SkipBlanks()) return std::nullopt;
      Value::Field member;
      const std::size_t start = pos_;
      if (IsIdentStart(Peek())) {
        const std::string_view word = ReadIdent();
        if (IsSpace(Peek())) {
          SkipSpaces();
          if (!AtEnd() && Peek() != ',') {
            member.name = std::string(word);
          } else {
            pos_ = start;
          }
        } else {
          pos_ = start;
        }
      }
      auto value = ParseValue(0);
      if (!value) return std::nullopt;
      member.value = std::move(*value);
      members.push_back(std::move(member));
      if (!SkipBlanks()) return std::nullopt;
      if (AtEnd()) return members;
      if (Peek() != ',') return Fail(pos_, "expected ',' in the annotation, found " + Describe(pos_));
      ++pos_;
    }
  }

  /// A call argument: a value, or clone3's unbracketed `in => out`.
  std::optional<Value> ParseArgument(int depth) {
    auto in = ParseValue(depth);
    if (!in) return std::nullopt;
    if (!SkipBlanks()) return std::nullopt;
    if (!StartsWith("=>")) return in;
    pos_ += 2;
    auto out = ParseValue(depth);
    if (!out) return std::nullopt;
    Value vr;
    vr.kind = Value::Kind::kValueResult;
    vr.location = in->location;
    vr.has_out = true;
    vr.text = "=>";
    vr.items.push_back(std::move(*in));
    vr.items.push_back(std::move(*out));
    return vr;
  }

  /// Skips spaces and `/* ... */` comments; false (with a failure) for an open comment.
  bool SkipBlanks() {
    for (;;) {
      SkipSpaces();
      if (!StartsWith("/*")) return true;
      const std::size_t close = s_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        Fail(pos_, "unterminated comment '/*'");
        return false;
      }
      pos_ = close + 2;
    }
  }

  bool AtEnd() const { return pos_ >= s_.size(); }

  std::string Describe(std::size_t at) const {
    if (at >= s_.size()) return "end of line";
    std::size_t end = at + 1;
    if (IsIdentChar(s_[at])) {
      while (end < s_.size() && IsIdentChar(s_[end]) && end - at < 40) ++end;
    }
    std::string quoted = QuoteStraceString(s_.substr(at, end - at));
    return "'" + quoted.substr(1, quoted.size() - 2) + "'";
  }

  std::nullopt_t Fail(std::size_t at, std::string message) {
    if (!failure_) failure_ = Failure{at, std::move(message)};
    return std::nullopt;
  }

 private:
  // ---- Helpers -----------------------------------------------------------------------

  char Peek(std::size_t k = 0) const { return pos_ + k < s_.size() ? s_[pos_ + k] : '\0'; }
  bool StartsWith(std::string_view p) const { return s_.substr(std::min(pos_, s_.size())).starts_with(p); }
  void SkipSpaces() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  SourceLocation Loc(std::size_t at) const {
    return SourceLocation{file_, line_, static_cast<int>(at + column_offset_) + 1};
  }
  std::string_view ReadIdent() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && IsIdentChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  /// True when only blanks and perhaps a `#` comment are left.
  bool AtLineEnd() {
    SkipSpaces();
    return AtEnd() || Peek() == '#';
  }

  bool ParsePid(std::int32_t& pid) {
    const std::size_t start = pos_;
    if (!IsDigit(Peek())) {
      Fail(pos_, "expected a pid, found " + Describe(pos_));
      return false;
    }
    std::int64_t v = 0;
    while (IsDigit(Peek())) {
      v = v * 10 + (Peek() - '0');
      ++pos_;
      if (v > 0x7fffffff) {
        Fail(start, "pid out of range");
        return false;
      }
    }
    pid = static_cast<std::int32_t>(v);
    return true;
  }

  /// HH:MM:SS[.frac] or SECONDS.frac, followed by a space; kept in timestamp_.
  bool SkipTimestamp() {
    const std::size_t start = pos_;
    // Whole units and the fraction in nanoseconds; strace prints at most 9 digits of
    // fraction (-ttt with --timestamps=ns), more are cut, and 12 digits of seconds are far
    // beyond any clock it reads.
    std::uint64_t whole = 0;
    auto digits = [&] {
      const std::size_t from = pos_;
      std::uint64_t v = 0;
      while (IsDigit(Peek())) {
        if (pos_ - from < 12) v = v * 10 + static_cast<std::uint64_t>(Peek() - '0');
        ++pos_;
      }
      whole = v;
      return pos_ - from;
    };
    auto fraction = [&] {
      const std::size_t from = pos_;
      std::uint64_t ns = 0;
      std::size_t n = 0;
      while (IsDigit(Peek())) {
        if (n < 9) ns = ns * 10 + static_cast<std::uint64_t>(Peek() - '0');
        ++n;
        ++pos_;
      }
      for (; n < 9; ++n) ns *= 10;
      return pos_ == from ? std::optional<std::uint64_t>() : ns;
    };
    const std::size_t first = digits();
    std::uint64_t seconds = whole;
    std::uint64_t ns = 0;
    if (first > 12) {
      Fail(start, "bad timestamp (out of range)");
      return false;
    }
    if (Peek() == ':') {
      for (int part = 0; part < 2; ++part) {
        if (Peek() != ':') {
          Fail(start, "bad timestamp (expected HH:MM:SS)");
          return false;
        }
        ++pos_;
        if (digits() == 0) {
          Fail(start, "bad timestamp");
          return false;
        }
        seconds = seconds * 60 + whole;
      }
      if (Peek() == '.') {
        ++pos_;
        const auto f = fraction();
        if (!f) {
          Fail(start, "bad timestamp");
          return false;
        }
        ns = *f;
      }
    } else if (Peek() == '.') {
      ++pos_;
      const auto f = fraction();
      if (!f) {
        Fail(start, "bad timestamp");
        return false;
      }
      ns = *f;
    } else {
      Fail(start, "expected a call, found " + Describe(start));
      return false;
    }
    if (!IsSpace(Peek())) {
      Fail(pos_, "expected a space after the timestamp, found " + Describe(pos_));
      return false;
    }
    timestamp_ = Timestamp{std::string(s_.substr(start, pos_ - start)),
                           static_cast<std::int64_t>(seconds * 1000000000 + ns)};
    SkipSpaces();
    return true;
  }

  void CollectDescription(std::vector<std::string>& description) {
    std::size_t i = pos_ + 1;
    while (i < s_.size() && IsSpace(s_[i])) ++i;
    std::string_view rest = s_.substr(i);
    if (rest.starts_with("what:") || rest.starts_with("source:")) {
      while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
      description.emplace_back(rest);
    }
  }

  // ---- strace messages and process events ---------------------------------------------

  std::optional<Line> ParseStraceMessage() {
    const std::size_t start = pos_;
    pos_ += 7;
    SkipSpaces();
    if (!StartsWith("Process ")) return Fail(start, "unsupported strace message");
    pos_ += 8;
    std::int32_t pid = 0;
    if (!ParsePid(pid)) return std::nullopt;
    SkipSpaces();
    ProcessEvent::Kind kind = ProcessEvent::Kind::kAttached;
    if (StartsWith("attached")) {
      pos_ += 8;
    } else if (StartsWith("detached")) {
      // strace's own detach (interrupted, or -p given up), not an event of the process.
      kind = ProcessEvent::Kind::kDetached;
      pos_ += 8;
    } else {
      return Fail(pos_, "unsupported strace message (expected 'attached' or 'detached')");
    }
    if (!AtLineEnd()) return Fail(pos_, "unexpected " + Describe(pos_) + " after the message");
    Line line;
    line.kind = Line::Kind::kProcessEvent;
    line.mutable_event().kind = kind;
    line.mutable_event().location = Loc(start);
    line.mutable_event().pid = pid;
    return line;
  }

  std::optional<Line> ParseBody(std::int32_t pid) {
    const std::size_t start = pos_;
    if (StartsWith("+++")) return ParseExit(pid);
    if (StartsWith("---")) return ParseSignal(pid);
    if (StartsWith("<...")) return ParseCall(pid, true);
    if (IsIdentStart(Peek())) {
      std::size_t end = pos_;
      while (end < s_.size() && IsIdentChar(s_[end])) ++end;
      if (end < s_.size() && s_[end] == '(') return ParseCall(pid, false);
      return Fail(end, "expected '(' after the call name, found " + Describe(end));
    }
    return Fail(start, "expected a call or a process event, found " + Describe(start));
  }

  std::optional<Line> ParseExit(std::int32_t pid) {
    const std::size_t start = pos_;
    pos_ += 3;
    SkipSpaces();
    Line line;
    line.kind = Line::Kind::kProcessEvent;
    line.mutable_event().location = Loc(start);
    line.mutable_event().pid = pid;
    if (StartsWith("exited with ")) {
      pos_ += 12;
      const std::size_t num = pos_;
      bool neg = false;
      if (Peek() == '-') {
        neg = true;
        ++pos_;
      }
      if (!IsDigit(Peek())) return Fail(pos_, "expected an exit status, found " + Describe(pos_));
      std::int64_t v = 0;
      while (IsDigit(Peek())) {
        v = v * 10 + (Peek() - '0');
        ++pos_;
        if (v > 0x7fffffff) return Fail(num, "exit status out of range");
      }
      line.mutable_event().kind = ProcessEvent::Kind::kExited;
      line.mutable_event().status = static_cast<int>(neg ? -v : v);
    } else if (StartsWith("killed by ")) {
      pos_ += 10;
      if (!StartsWith("SIG")) return Fail(pos_, "expected a signal name, found " + Describe(pos_));
      line.mutable_event().kind = ProcessEvent::Kind::kKilled;
      line.mutable_event().detail = std::string(ReadIdent());
      SkipSpaces();
      if (StartsWith("(core dumped)")) {
        pos_ += 13;
        line.mutable_event().core_dumped = true;
      }
    } else {
      return Fail(pos_, "unknown process event " + Describe(pos_) +
                            " (expected 'exited with N' or 'killed by SIG...')");
    }
    SkipSpaces();
    if (!StartsWith("+++")) return Fail(pos_, "expected '+++', found " + Describe(pos_));
    pos_ += 3;
    if (!AtLineEnd()) return Fail(pos_, "unexpected " + Describe(pos_) + " after '+++'");
    return line;
  }

  std::optional<Line> ParseSignal(std::int32_t pid) {
    const std::size_t start = pos_;
    pos_ += 3;
    SkipSpaces();
    Line line;
    line.kind = Line::Kind::kProcessEvent;
    line.mutable_event().kind = ProcessEvent::Kind::kSignal;
    line.mutable_event().location = Loc(start);
    line.mutable_event().pid = pid;
    Value wildcard;
    wildcard.kind = Value::Kind::kWildcard;
    line.mutable_event().info = std::make_shared<const Value>(std::move(wildcard));
    if (StartsWith("stopped by ")) {
      // A group-stop (strace's print_stopped): the task stopped on that signal.
      pos_ += 11;
      line.mutable_event().kind = ProcessEvent::Kind::kStopped;
    }
    if (!StartsWith("SIG")) return Fail(pos_, "expected a signal name, found " + Describe(pos_));
    line.mutable_event().detail = std::string(ReadIdent());
    SkipSpaces();
    if (Peek() == '{' && line.event().kind == ProcessEvent::Kind::kSignal) {
      auto info = ParseValue(0);
      if (!info) return std::nullopt;
      line.mutable_event().info = std::make_shared<const Value>(std::move(*info));
      SkipSpaces();
    }
    if (!StartsWith("---")) return Fail(pos_, "expected '---', found " + Describe(pos_));
    pos_ += 3;
    if (!AtLineEnd()) return Fail(pos_, "unexpected " + Describe(pos_) + " after '---'");
    return line;
  }

  // ---- Directives ----------------------------------------------------------------------

  std::optional<Line> ParseDirective() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (IsIdentChar(s_[pos_]) || s_[pos_] == '-')) ++pos_;
    const std::string keyword(s_.substr(start, pos_ - start));
    if (!IsKeyword(keyword)) return Fail(start, "unknown directive '" + keyword + "'");
    if (!AtEnd() && !IsSpace(Peek()) && Peek() != '#') {
      return Fail(pos_, "expected a space after '" + keyword + "', found " + Describe(pos_));
    }
    Line line;
    line.kind = Line::Kind::kDirective;
    Directive& d = line.mutable_directive();
    d.location = Loc(start);
    d.keyword = keyword;
    for (;;) {
      SkipSpaces();
      if (AtEnd() || Peek() == '#') break;
      const std::size_t word_start = pos_;
      if (Peek() == '"') {
        auto word = ParseQuoted();
        if (!word) return std::nullopt;
        if (!AtEnd() && !IsSpace(Peek()) && Peek() != '#') {
          return Fail(pos_, "expected a space after the quoted word, found " + Describe(pos_));
        }
        d.words.push_back(std::move(*word));
        continue;
      }
      while (pos_ < s_.size() && !IsSpace(s_[pos_]) && s_[pos_] != '#' && s_[pos_] != '=' &&
             s_[pos_] != '"') {
        ++pos_;
      }
      if (Peek() == '"') return Fail(pos_, "unexpected '\"' inside a word");
      if (Peek() != '=') {
        d.words.emplace_back(s_.substr(word_start, pos_ - word_start));
        continue;
      }
      if (pos_ == word_start) return Fail(pos_, "missing option name before '='");
      Directive::Option option;
      option.key = std::string(s_.substr(word_start, pos_ - word_start));
      option.location = Loc(word_start);
      ++pos_;  // '='
      if (Peek() == '"') {
        auto value = ParseQuoted();
        if (!value) return std::nullopt;
        if (!AtEnd() && !IsSpace(Peek()) && Peek() != '#') {
          return Fail(pos_, "expected a space after the quoted value, found " + Describe(pos_));
        }
        option.value = std::move(*value);
      } else {
        const std::size_t value_start = pos_;
        while (pos_ < s_.size() && !IsSpace(s_[pos_]) && s_[pos_] != '#' && s_[pos_] != '"') {
          ++pos_;
        }
        if (Peek() == '"') return Fail(pos_, "unexpected '\"' inside a value");
        if (pos_ == value_start) {
          return Fail(value_start, "missing value after '" + option.key + "='");
        }
        option.value = std::string(s_.substr(value_start, pos_ - value_start));
      }
      d.options.push_back(std::move(option));
    }
    return line;
  }

  // ---- Call lines ------------------------------------------------------------------------

  std::optional<Line> ParseCall(std::int32_t pid, bool resumed) {
    Line line;
    line.kind = Line::Kind::kCall;
    CallLine& call = line.call;
    call.location = Loc(pos_);
    call.pid = pid;
    call.text = std::string(s_);
    bool unfinished = false;
    if (resumed) {
      call.part = CallPart::kResumed;
      pos_ += 4;
      SkipSpaces();
      if (!IsIdentStart(Peek())) return Fail(pos_, "expected a call name after '<...', found " + Describe(pos_));
      call.name = std::string(ReadIdent());
      SkipSpaces();
      if (StartsWith("resumed") && !StartsWith("resumed>")) {
        return Fail(pos_ + 7, "expected '>' after 'resumed', found " + Describe(pos_ + 7));
      }
      if (!StartsWith("resumed>")) return Fail(pos_, "expected 'resumed>', found " + Describe(pos_));
      pos_ += 8;
      SkipSpaces();
      if (StartsWith("<unfinished ...>")) {
        // "<... accept resumed> <unfinished ...>) = ?": the task died inside the call.
        pos_ += 16;
        SkipSpaces();
        if (Peek() != ')') return Fail(pos_, "expected ')' after '<unfinished ...>', found " + Describe(pos_));
        ++pos_;
      } else {
        if (Peek() == ',') {
          ++pos_;
        } else if (StartsWith("=>")) {
          // strace prints a changed value-result argument's out part after the resume point
          // when the call was split inside it (clone3's struct: print_clone3's exiting half).
          pos_ += 2;
          call.resumes_out = true;
          SkipSpaces();
          if (AtEnd() || Peek() == ')' || Peek() == ',') {
            return Fail(pos_, "expected the out part after '=>', found " + Describe(pos_));
          }
        }
        if (!ParseArguments(call, /*allow_unfinished=*/false, unfinished)) return std::nullopt;
      }
    } else {
      call.name = std::string(ReadIdent());
      ++pos_;  // '('
      if (!ParseArguments(call, /*allow_unfinished=*/true, unfinished)) return std::nullopt;
    }
    FitToSize(call.args);
    FitToSize(call.arg_names);
    if (unfinished) {
      call.part = CallPart::kUnfinished;
      if (!AtLineEnd()) return Fail(pos_, "unexpected " + Describe(pos_) + " after '<unfinished ...>'");
      return line;
    }
    Outcome outcome;
    if (!ParseOutcome(outcome)) return std::nullopt;
    call.outcome = std::move(outcome);
    return line;
  }

  /// Arguments up to and including ')' (or up to `<unfinished ...>` when allowed).
  bool ParseArguments(CallLine& call, bool allow_unfinished, bool& unfinished) {
    std::vector<Value>& args = call.args;
    if (!SkipBlanks()) return false;
    if (Peek() == ')') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!SkipBlanks()) return false;
      if (allow_unfinished && StartsWith("<unfinished ...>")) {
        pos_ += 16;
        unfinished = true;
        return true;
      }
      if (AtEnd()) {
        Fail(pos_, "expected an argument, found end of line (missing ')')");
        return false;
      }
      if (Peek() == ')') {
        Fail(pos_, "expected an argument after ',', found ')'");
        return false;
      }
      // strace names some arguments (clone's `flags=...`).
      std::string name;
      if (IsIdentStart(Peek()) && AnnotationEnd(pos_) == 0) {
        std::size_t end = pos_;
        while (end < s_.size() && IsIdentChar(s_[end])) ++end;
        if (end < s_.size() && s_[end] == '=' && (end + 1 >= s_.size() || s_[end + 1] != '>')) {
          name = std::string(s_.substr(pos_, end - pos_));
          pos_ = end + 1;
          if (AtEnd() || IsSpace(Peek()) || Peek() == ',' || Peek() == ')') {
            Fail(pos_, "expected a value after '" + name + "=', found " + Describe(pos_));
            return false;
          }
        }
      }
      auto arg = ParseArgument(0);
      if (!arg) return false;
      if (!name.empty() && call.arg_names.size() < args.size()) call.arg_names.resize(args.size());
      if (!name.empty() || !call.arg_names.empty()) call.arg_names.push_back(std::move(name));
      args.push_back(std::move(*arg));
      if (!SkipBlanks()) return false;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ')') {
        ++pos_;
        return true;
      }
      if (allow_unfinished && StartsWith("<unfinished ...>")) {
        pos_ += 16;
        unfinished = true;
        return true;
      }
      Fail(pos_, "expected ',' or ')' after argument, found " + Describe(pos_));
      return false;
    }
  }

  bool ParseOutcome(Outcome& outcome) {
    SkipSpaces();
    if (AtEnd() || Peek() == '#') {
      Fail(pos_, "missing '= RESULT' after ')'");
      return false;
    }
    if (Peek() != '=') {
      Fail(pos_, "expected '=' and a result after ')', found " + Describe(pos_));
      return false;
    }
    ++pos_;
    SkipSpaces();
    const std::size_t start = pos_;
    outcome.location = Loc(start);
    if (AtEnd() || Peek() == '#') {
      Fail(pos_, "missing result after '='");
      return false;
    }
    if (Peek() == '?') {
      ++pos_;
      outcome.kind = Outcome::Kind::kUnknown;
      outcome.value_text = "?";
    } else if (Peek() == '_' && !IsIdentChar(Peek(1))) {
      ++pos_;
      outcome.kind = Outcome::Kind::kWildcard;
      outcome.value_text = "_";
    } else if (Peek() == '-' || IsDigit(Peek())) {
      auto v = ParseNumber();
      if (!v) return false;
      outcome.value = v->integer;
      outcome.decoration = v->decoration;
    } else if (Peek() == '$') {
      ++pos_;
      if (!IsIdentStart(Peek())) {
        Fail(pos_, "expected a capture name after '$', found " + Describe(pos_));
        return false;
      }
      outcome.kind = Outcome::Kind::kCapture;
      outcome.capture = std::string(ReadIdent());
    } else if (IsIdentStart(Peek())) {
      ReadIdent();
    } else {
      Fail(pos_, "expected a result after '=', found " + Describe(pos_));
      return false;
    }
    if (outcome.value_text.empty()) outcome.value_text = std::string(s_.substr(start, pos_ - start));
    if (!AtEnd() && !IsSpace(Peek())) {
      Fail(pos_, "unexpected " + Describe(pos_) + " after the result");
      return false;
    }
    SkipSpaces();
    // Error symbols: one (ENOTCONN), or several separated by spaces when the function
    // reports its failure in more than one code (a TLI call's t_errno, then errno for
    // TSYSERR: `= -1 TSYSERR ENOTCONN`); kept as written, one space apart.
    while (Peek() >= 'A' && Peek() <= 'Z') {
      if (!outcome.error_symbol.empty()) outcome.error_symbol += ' ';
      outcome.error_symbol += std::string(ReadIdent());
      if (!AtEnd() && !IsSpace(Peek())) {
        Fail(pos_, "unexpected " + Describe(pos_) + " after the error name");
        return false;
      }
      SkipSpaces();
    }
    // (text) and (INJECTED).
    while (Peek() == '(') {
      const std::size_t open = pos_;
      int depth = 0;
      std::size_t close = std::string_view::npos;
      for (std::size_t i = pos_; i < s_.size(); ++i) {
        if (s_[i] == '(') ++depth;
        if (s_[i] == ')' && --depth == 0) {
          close = i;
          break;
        }
      }
      if (close == std::string_view::npos) {
        Fail(open, "unbalanced '(' after the result");
        return false;
      }
      const std::string_view inner = s_.substr(open + 1, close - open - 1);
      if (inner == "INJECTED") {
        if (outcome.injected) {
          Fail(open, "duplicate '(INJECTED)'");
          return false;
        }
        outcome.injected = true;
      } else {
        if (outcome.injected || !outcome.error_text.empty() || !outcome.annotation.empty()) {
          Fail(open, "unexpected " + Describe(open) + " after the result");
          return false;
        }
        if (outcome.error_symbol.empty() && !strace_mode_ && inner.substr(0, 6) == "flags ") {
          // strace's decoding of a successful result (fcntl F_GETFL: "= 0x802 (flags
          // O_RDWR|O_NONBLOCK)") is a comment in a scenario: the value before it is what is
          // checked (a log keeps it as the outcome's annotation, which no call prints).
          pos_ = close + 1;
          SkipSpaces();
          continue;
        }
        if (outcome.error_symbol.empty() && !strace_mode_) {
          Fail(open, "unexpected '(' after the result: an error text needs an error name before it");
          return false;
        }
        if (outcome.error_symbol.empty()) {
          // strace's decoding of a successful result (select's ready sets, fcntl's flags).
          outcome.annotation = std::string(inner);
          outcome.annotation_values =
              ReadAnnotation(inner, file_, line_, column_offset_ + open + 1);
        } else {
          outcome.error_text = std::string(inner);
        }
      }
      pos_ = close + 1;
      SkipSpaces();
    }
    // Duration.
    if (Peek() == '<') {
      const std::size_t open = pos_;
      const std::size_t close = s_.find('>', pos_);
      if (close == std::string_view::npos) {
        Fail(open, "unterminated duration '<'");
        return false;
      }
      const std::string_view inner = s_.substr(open + 1, close - open - 1);
      bool ok = inner == "unavailable" || inner == "detached ...";
      if (!ok && !inner.empty()) {
        // SECONDS[.frac]: at most 9 digits of fraction count (strace prints 6, or 9 with
        // --syscall-times=ns); a length strace cannot print is refused rather than wrapped.
        std::size_t i = 0;
        std::uint64_t seconds = 0;
        while (i < inner.size() && IsDigit(inner[i])) {
          seconds = seconds * 10 + static_cast<std::uint64_t>(inner[i] - '0');
          ++i;
        }
        std::uint64_t ns = 0;
        if (i > 0 && i <= 9 && i < inner.size() && inner[i] == '.') {
          ++i;
          const std::size_t frac = i;
          std::size_t n = 0;
          while (i < inner.size() && IsDigit(inner[i])) {
            if (n < 9) ns = ns * 10 + static_cast<std::uint64_t>(inner[i] - '0');
            ++n;
            ++i;
          }
          for (; n < 9; ++n) ns *= 10;
          ok = i > frac && i == inner.size();
        } else {
          ok = i > 0 && i <= 9 && i == inner.size();
        }
        if (ok) outcome.duration_ns = static_cast<std::int64_t>(seconds * 1000000000 + ns);
      }
      if (!ok) {
        Fail(open + 1, "bad duration '<" + std::string(inner) + ">'");
        return false;
      }
      pos_ = close + 1;
    }
    if (!AtLineEnd()) {
      Fail(pos_, "unexpected " + Describe(pos_) + " after the result");
      return false;
    }
    return true;
  }

  // ---- Value grammar ------------------------------------------------------------------

  std::optional<Value> ParseFlagged(int depth) {
    const std::size_t start = pos_;
    auto first = ParsePrimary(depth);
    if (!first) return std::nullopt;
    if (Peek() != '|' || Peek(1) == '|') return first;
    if (first->kind != Value::Kind::kSymbol && first->kind != Value::Kind::kInteger) {
      return Fail(pos_, "unexpected '|' after " + first->ToString());
    }
    Value v;
    v.kind = Value::Kind::kSymbol;
    v.location = first->location;
    v.flags.push_back(first->text);
    while (Peek() == '|' && Peek(1) != '|') {
      ++pos_;
      const std::size_t part = pos_;
      if (IsIdentStart(Peek())) {
        const std::string_view name = ReadIdent();
        if (name == "NULL" || name == "_") return Fail(part, "expected a flag name after '|', found " + Describe(part));
        v.flags.emplace_back(name);
      } else if (IsDigit(Peek())) {
        auto n = ParseNumber();
        if (!n) return std::nullopt;
        if (n->kind != Value::Kind::kInteger) return Fail(part, "unexpected decoration in a flag set");
        v.flags.push_back(n->text);
      } else {
        return Fail(part, "expected a flag name after '|', found " + Describe(part));
      }
    }
    v.text = std::string(s_.substr(start, pos_ - start));
    return v;
  }

  // A quoted string at pos_ (an abstract name when `kind` says so), with strace's trailing
  // "..." truncation mark.
  std::optional<Value> ParseStringValue(std::size_t start, Value::Kind kind) {
    auto bytes = ParseQuoted();
    if (!bytes) return std::nullopt;
    Value v;
    v.kind = kind;
    v.location = Loc(start);
    v.text = std::move(*bytes);
    if (StartsWith("...")) {
      pos_ += 3;
      v.truncated = true;
    }
    return v;
  }

  std::optional<Value> ParsePrimary(int depth) {
    if (depth > kMaxDepth) return Fail(pos_, "value nested too deeply");
    const std::size_t start = pos_;
    const char c = Peek();
    if (AtEnd()) return Fail(pos_, "expected a value, found end of line");
    if (c == '"') return ParseStringValue(start, Value::Kind::kString);
    if (c == '@') {
      if (Peek(1) != '"') return Fail(pos_ + 1, "expected '\"' after '@', found " + Describe(pos_ + 1));
      ++pos_;
      auto v = ParseStringValue(start, Value::Kind::kTagged);
      if (v) v->tag = "@";
      return v;
    }
    if (c == '{') return ParseStruct(depth);
    if (c == '[') return ParseBracket(depth);
    if (c == '~') {
      // A complemented set (strace's sprintsigmask: `~[]` is every signal).
      ++pos_;
      if (Peek() != '[') return Fail(pos_, "expected '[' after '~', found " + Describe(pos_));
      auto set = ParseBracket(depth);
      if (!set) return std::nullopt;
      if (set->kind == Value::Kind::kValueResult && !set->has_out) {
        set->kind = Value::Kind::kSet;
      } else if (set->kind == Value::Kind::kArray && set->items.empty()) {
        set->kind = Value::Kind::kSet;
      } else if (set->kind != Value::Kind::kSet) {
        return Fail(start, "expected a set after '~' (members separated by spaces)");
      }
      set->complement = true;
      set->location = Loc(start);
      return set;
    }
    if (StartsWith("<...")) {
      // A remark in place of the arguments: restart_syscall's `<... resuming interrupted
      // read ...>`.
      const std::size_t close = s_.find(" ...>", pos_ + 4);
      if (close == std::string_view::npos) return Fail(pos_, "unterminated '<...' remark");
      Value v;
      v.kind = Value::Kind::kNote;
      v.location = Loc(start);
      std::string_view inner = s_.substr(pos_ + 4, close - pos_ - 4);
      while (!inner.empty() && IsSpace(inner.front())) inner.remove_prefix(1);
      v.text = std::string(inner);
      pos_ = close + 5;
      return v;
    }
    if (c == '&') {
      ++pos_;
      if (!IsIdentStart(Peek())) return Fail(pos_, "expected a name after '&', found " + Describe(pos_));
      Value v;
      v.kind = Value::Kind::kAddressOf;
      v.location = Loc(start);
      v.text = std::string(ReadIdent());
      return v;
    }
    if (c == '-' || IsDigit(c)) return ParseNumber();
    if (c == '$') {
      ++pos_;
      if (!IsIdentStart(Peek())) {
        return Fail(pos_, "expected a capture name after '$', found " + Describe(pos_));
      }
      Value v;
      v.kind = Value::Kind::kCapture;
      v.location = Loc(start);
      v.text = std::string(ReadIdent());
      return v;
    }
    if (StartsWith("...")) {
      pos_ += 3;
      Value v;
      v.kind = Value::Kind::kWildcard;
      v.location = Loc(start);
      v.text = "...";
      return v;
    }
    if (IsIdentStart(c)) {
      const std::string_view name = ReadIdent();
      Value v;
      v.location = Loc(start);
      if (Peek() == '(') {
        v.kind = Value::Kind::kCall;
        v.text = std::string(name);
        ++pos_;
        if (!SkipBlanks()) return std::nullopt;
        if (Peek() == ')') {
          ++pos_;
          return v;
        }
        for (;;) {
          auto arg = ParseValue(depth + 1);
          if (!arg) return std::nullopt;
          v.items.push_back(std::move(*arg));
          if (!SkipBlanks()) return std::nullopt;
          if (Peek() == ',') {
            ++pos_;
            continue;
          }
          if (Peek() == ')') {
            ++pos_;
            FitToSize(v.items);
            return v;
          }
          return Fail(pos_, "expected ',' or ')' after argument, found " + Describe(pos_));
        }
      }
      if (name == "NULL") {
        v.kind = Value::Kind::kNull;
      } else if (name == "_") {
        v.kind = Value::Kind::kWildcard;
      } else {
        v.kind = Value::Kind::kSymbol;
        v.text = std::string(name);
        v.flags.push_back(v.text);
        if (Peek() == '<') {
          // -y on a descriptor strace names: `AT_FDCWD</root>` (the working directory).
          auto decoration = ParseDecoration();
          if (!decoration) return std::nullopt;
          v.decoration = std::move(*decoration);
        }
      }
      return v;
    }
    return Fail(pos_, "expected a value, found " + Describe(pos_));
  }

  /// Integer literal with an optional `-y` decoration.
  std::optional<Value> ParseNumber() {
    const std::size_t start = pos_;
    bool neg = false;
    if (Peek() == '-') {
      neg = true;
      ++pos_;
    }
    auto bad = [&]() -> std::nullopt_t {
      std::size_t end = pos_;
      while (end < s_.size() && (IsIdentChar(s_[end]) || s_[end] == '.')) ++end;
      std::string shown(s_.substr(start, end - start));
      if (shown.empty() || shown == "-") return Fail(start, "bad integer: expected digits, found " + Describe(pos_));
      return Fail(start, "bad integer '" + shown + "'");
    };
    if (!IsDigit(Peek())) return bad();
    std::uint64_t mag = 0;
    bool overflow = false;
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      if (!IsHex(Peek())) return bad();
      while (IsHex(Peek())) {
        if (mag >> 60) overflow = true;
        mag = mag * 16 + static_cast<std::uint64_t>(HexValue(Peek()));
        ++pos_;
      }
    } else if (Peek() == '0' && IsDigit(Peek(1))) {
      while (IsDigit(Peek())) {
        if (!IsOctal(Peek())) return bad();
        if (mag >> 61) overflow = true;
        mag = mag * 8 + static_cast<std::uint64_t>(Peek() - '0');
        ++pos_;
      }
    } else {
      while (IsDigit(Peek())) {
        const auto d = static_cast<std::uint64_t>(Peek() - '0');
        if (mag > (UINT64_MAX - d) / 10) overflow = true;
        mag = mag * 10 + d;
        ++pos_;
      }
    }
    if (IsIdentChar(Peek()) || (Peek() == '.' && IsDigit(Peek(1)))) return bad();
    if (overflow) return Fail(start, "bad integer '" + std::string(s_.substr(start, pos_ - start)) + "': out of range");
    if (neg && mag > (std::uint64_t{1} << 63)) {
      return Fail(start, "bad integer '" + std::string(s_.substr(start, pos_ - start)) + "': out of range");
    }
    Value v;
    v.kind = Value::Kind::kInteger;
    v.location = Loc(start);
    v.text = std::string(s_.substr(start, pos_ - start));
    v.integer = neg ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
    if (Peek() == '<' && Peek(1) != '<') {
      auto decoration = ParseDecoration();
      if (!decoration) return std::nullopt;
      v.kind = Value::Kind::kDecorated;
      v.text = std::move(*decoration);
      v.decoration = v.text;
      // strace's printfd: a path whose file was unlinked is followed by "(deleted)".
      if (StartsWith("(deleted)")) {
        pos_ += 9;
        v.deleted = true;
      }
    }
    return v;
  }

  /// `<...>` after a descriptor: nested `<>` count outside `[...]` and strings.
  std::optional<std::string> ParseDecoration() {
    const std::size_t open = pos_;
    int angle = 0;
    int bracket = 0;
    std::size_t i = pos_;
    while (i < s_.size()) {
      const char c = s_[i];
      if (c == '"') {
        ++i;
        while (i < s_.size() && s_[i] != '"') i += s_[i] == '\\' ? 2 : 1;
        if (i >= s_.size()) break;
      } else if (c == '[') {
        ++bracket;
      } else if (c == ']') {
        if (bracket > 0) --bracket;
      } else if (c == '<' && bracket == 0) {
        ++angle;
      } else if (c == '>' && bracket == 0) {
        if (--angle == 0) {
          pos_ = i + 1;
          return std::string(s_.substr(open + 1, i - open - 1));
        }
      }
      ++i;
    }
    Fail(open, "unterminated descriptor decoration '<'");
    return std::nullopt;
  }

  /// "..." with C escapes; returns the bytes. pos_ is at the opening quote.
  std::optional<std::string> ParseQuoted() {
    const std::size_t open = pos_;
    ++pos_;
    std::string bytes;
    for (;;) {
      if (AtEnd()) {
        Fail(open, "unterminated string");
        return std::nullopt;
      }
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return bytes;
      }
      if (c != '\\') {
        bytes += c;
        ++pos_;
        continue;
      }
      const std::size_t esc = pos_;
      ++pos_;
      if (AtEnd()) {
        Fail(open, "unterminated string");
        return std::nullopt;
      }
      const char e = s_[pos_];
      switch (e) {
        case 'n': bytes += '\n'; ++pos_; continue;
        case 't': bytes += '\t'; ++pos_; continue;
        case 'r': bytes += '\r'; ++pos_; continue;
        case 'v': bytes += '\v'; ++pos_; continue;
        case 'f': bytes += '\f'; ++pos_; continue;
        case 'a': bytes += '\a'; ++pos_; continue;
        case 'b': bytes += '\b'; ++pos_; continue;
        case 'e': bytes += '\x1b'; ++pos_; continue;
        case '\\': bytes += '\\'; ++pos_; continue;
        case '"': bytes += '"'; ++pos_; continue;
        case '\'': bytes += '\''; ++pos_; continue;
        case '?': bytes += '?'; ++pos_; continue;
        default: break;
      }
      if (IsOctal(e)) {
        unsigned v = 0;
        for (int k = 0; k < 3 && IsOctal(Peek()); ++k) {
          v = v * 8 + static_cast<unsigned>(Peek() - '0');
          ++pos_;
        }
        if (v > 0xff) {
          Fail(esc, "octal escape out of range in string");
          return std::nullopt;
        }
        bytes += static_cast<char>(v);
        continue;
      }
      if (e == 'x') {
        ++pos_;
        if (!IsHex(Peek())) {
          Fail(esc, "expected hex digits after '\\x' in string");
          return std::nullopt;
        }
        unsigned v = 0;
        for (int k = 0; k < 2 && IsHex(Peek()); ++k) {
          v = v * 16 + static_cast<unsigned>(HexValue(Peek()));
          ++pos_;
        }
        bytes += static_cast<char>(v);
        continue;
      }
      const std::string shown = QuoteStraceString(std::string_view(&e, 1));
      Fail(esc, "unknown escape '\\" + shown.substr(1, shown.size() - 2) + "' in string");
      return std::nullopt;
    }
  }

  std::optional<Value> ParseStruct(int depth) {
    const std::size_t open = pos_;
    ++pos_;
    Value v;
    v.kind = Value::Kind::kStruct;
    v.location = Loc(open);
    if (!SkipBlanks()) return std::nullopt;
    if (Peek() == '}') {
      ++pos_;
      return v;
    }
    for (;;) {
      if (!SkipBlanks()) return std::nullopt;
      Value::Field field;
      if (IsIdentStart(Peek()) && AnnotationEnd(pos_) == 0) {
        std::size_t end = pos_;
        while (end < s_.size() && IsIdentChar(s_[end])) ++end;
        if (end < s_.size() && s_[end] == '=' && (end + 1 >= s_.size() || s_[end + 1] != '>')) {
          field.name = std::string(s_.substr(pos_, end - pos_));
          pos_ = end + 1;
          if (AtEnd() || IsSpace(Peek()) || Peek() == ',' || Peek() == '}') {
            return Fail(pos_, "expected a value after '" + field.name + "=', found " + Describe(pos_));
          }
        }
      }
      if (AtEnd()) return Fail(pos_, "unbalanced '{': expected a member or '}', found end of line");
      // A member may be `in => out` as an argument may (a buffer in a msghdr's iov_base).
      auto member = ParseArgument(depth + 1);
      if (!member) return std::nullopt;
      field.value = std::move(*member);
      v.fields.push_back(std::move(field));
      if (!SkipBlanks()) return std::nullopt;
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        FitToSize(v.fields);
        return v;
      }
      if (AtEnd()) return Fail(open, "unbalanced '{': no matching '}'");
      return Fail(pos_, "expected ',' or '}' after structure member, found " + Describe(pos_));
    }
  }

  std::optional<Value> ParseBracket(int depth) {
    const std::size_t open = pos_;
    ++pos_;
    Value v;
    v.location = Loc(open);
    if (!SkipBlanks()) return std::nullopt;
    if (Peek() == ']') {
      ++pos_;
      v.kind = Value::Kind::kArray;
      return v;
    }
    auto first = ParseValue(depth + 1);
    if (!first) return std::nullopt;
    if (!SkipBlanks()) return std::nullopt;
    if (StartsWith("=>") || StartsWith("->")) {
      pos_ += 2;
      auto second = ParseValue(depth + 1);
      if (!second) return std::nullopt;
      if (!SkipBlanks()) return std::nullopt;
      if (Peek() != ']') {
        if (AtEnd()) return Fail(open, "unbalanced '[': no matching ']'");
        return Fail(pos_, "expected ']' after the value-result, found " + Describe(pos_));
      }
      ++pos_;
      v.kind = Value::Kind::kValueResult;
      v.has_out = true;
      v.items.reserve(2);
      v.items.push_back(std::move(*first));
      v.items.push_back(std::move(*second));
      return v;
    }
    if (Peek() != ']' && Peek() != ',' && !AtEnd() && pos_ > 0 && IsSpace(s_[pos_ - 1])) {
      // Members separated by spaces: a signal set (`[INT TERM]`), a descriptor set
      // (select's `[0 3]`), a CPU set.
      v.kind = Value::Kind::kSet;
      v.items.push_back(std::move(*first));
      for (;;) {
        auto item = ParseValue(depth + 1);
        if (!item) return std::nullopt;
        v.items.push_back(std::move(*item));
        if (!SkipBlanks()) return std::nullopt;
        if (Peek() == ']') {
          ++pos_;
          FitToSize(v.items);
          return v;
        }
        if (AtEnd()) return Fail(open, "unbalanced '[': no matching ']'");
        if (!IsSpace(s_[pos_ - 1])) {
          return Fail(pos_, "expected ' ' or ']' after set member, found " + Describe(pos_));
        }
      }
    }
    if (Peek() == ']') {
      ++pos_;
      const auto k = first->kind;
      const bool scalar = k == Value::Kind::kInteger || k == Value::Kind::kSymbol ||
                          k == Value::Kind::kNull ||
                          (k == Value::Kind::kWildcard && first->text.empty());
      v.kind = scalar ? Value::Kind::kValueResult : Value::Kind::kArray;
      v.items.push_back(std::move(*first));
      return v;
    }
    v.kind = Value::Kind::kArray;
    v.items.push_back(std::move(*first));
    for (;;) {
      if (Peek() == ']') {
        ++pos_;
        FitToSize(v.items);
        return v;
      }
      if (Peek() != ',') {
        if (AtEnd()) return Fail(open, "unbalanced '[': no matching ']'");
        return Fail(pos_, "expected ',' or ']' after array item, found " + Describe(pos_));
      }
      ++pos_;
      auto item = ParseValue(depth + 1);
      if (!item) return std::nullopt;
      v.items.push_back(std::move(*item));
      if (!SkipBlanks()) return std::nullopt;
    }
  }

  std::string_view s_;
  // Held by value: a copy shares the name, and a caller may pass a temporary.
  const FileName file_;
  int line_;
  bool strace_mode_;
  std::size_t column_offset_ = 0;
  std::size_t pos_ = 0;
  std::optional<Failure> failure_;
  std::optional<Timestamp> timestamp_;
};

std::vector<Value::Field> ReadAnnotation(std::string_view text, const FileName& file, int line,
                                         std::size_t column_offset) {
  LineParser parser(text, file, line, /*strace_mode=*/true, column_offset);
  auto members = parser.ParseAnnotationMembers();
  if (!members || parser.failure()) return {};
  return std::move(*members);
}

std::string CaretLine(std::string_view excerpt, int column) {
  std::string out;
  for (int i = 0; i + 1 < column; ++i) {
    const auto idx = static_cast<std::size_t>(i);
    out += idx < excerpt.size() && excerpt[idx] == '\t' ? '\t' : ' ';
  }
  out += '^';
  return out;
}

}  // namespace

// The names strace gives Linux's signals (its signalent tables; the real-time ones as
// SIGRTMIN, SIGRT_1 .. SIGRT_30 and SIGRTMAX).
bool IsLinuxSignalName(std::string_view name) {
  static const std::set<std::string_view> kNames = {
      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",  "SIGTRAP", "SIGABRT",  "SIGIOT",    "SIGBUS",
      "SIGFPE",  "SIGKILL",   "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE",  "SIGALRM",   "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",  "SIGTTOU",   "SIGURG",
      "SIGXCPU", "SIGXFSZ",   "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",  "SIGPOLL",   "SIGPWR",
      "SIGSYS",  "SIGRTMIN",  "SIGRTMAX"};
  if (kNames.count(name) != 0) return true;
  if (name.rfind("SIGRT_", 0) != 0 || name.size() < 7 || name.size() > 8) return false;
  int n = 0;
  for (const char c : name.substr(6)) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n >= 1 && n <= 30;
}

std::string Diagnostic::ToString() const {
  const std::size_t limit = 4 * text::kExcerptBytes;
  std::string out = text::Excerpt(location.ToString()) + ": " + text::Excerpt(message, limit);
  if (!excerpt.empty()) {
    // The line quoted as far as the excerpt goes; the caret only where it still points at
    // the byte (within the excerpt, no byte before it escaped).
    const std::string shown = text::Excerpt(excerpt, limit);
    out += "\n  ";
    out += shown;
    const auto column = static_cast<std::size_t>(location.column > 0 ? location.column : 0);
    if (column > 0 && column <= limit && column <= excerpt.size() &&
        shown.compare(0, column, excerpt, 0, column) == 0) {
      out += "\n  ";
      out += CaretLine(excerpt, location.column);
    }
  }
  return out;
}

ParseResult ParseScenario(std::string_view text, const std::string& file_name,
                          const ParseOptions& options) {
  ParseResult result;
  result.scenario.file = file_name;
  // One copy of the name, shared by every location of the file.
  const FileName shared_name(file_name);
  if (options.strace_mode) result.scenario.origin = ScenarioOrigin::kStrace;
  // Room for every line at once: grown by doubling, the vector of a long log held up to twice
  // the room its lines needed, and moved them on each growth. A little more than the lines,
  // for the lines an importer adds (a header, the descriptors a log inherits), so that it can
  // assemble its scenario in this room rather than beside it.
  const std::size_t lines = LinesWithContent(text);
  result.scenario.lines.reserve(lines + lines / 64 + 16);
  std::size_t start = 0;
  int line_number = 0;
  while (start < text.size()) {
    // A line ends at LF, CRLF, or a lone CR (old Mac files): a file of CR-only line ends is
    // read line by line, not as one line.
    std::size_t end = FindLineEnd(text, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    if (end < text.size() && text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
    if (line_number == INT32_MAX) {
      Diagnostic d;
      d.location = SourceLocation{shared_name, line_number, 1};
      d.message = fmt::format("more than {} lines", INT32_MAX);
      result.errors.push_back(std::move(d));
      break;
    }
    ++line_number;
    if (raw.size() > options.limits.max_line_bytes) {
      // Refused whole, in either mode: neither parsed nor echoed.
      Diagnostic d;
      d.location = SourceLocation{shared_name, line_number, 1};
      d.message = fmt::format("the line is {} bytes, over the limit of {} (raise it with --max-line-bytes)",
                              raw.size(), options.limits.max_line_bytes);
      result.errors.push_back(std::move(d));
      continue;
    }
    // Colours stripped; a line without an escape (nearly every one) is read where it lies.
    std::string stripped;
    std::string_view clean = raw;
    if (raw.find('\x1b') != std::string_view::npos) {
      stripped = StripAnsi(raw);
      clean = stripped;
    }
    LineParser parser(clean, shared_name, line_number, options.strace_mode);
    auto line = parser.ParseLine(result.scenario.description);
    if (parser.failure() && options.strace_mode) {
      // A log is never rejected for one line: what can be read of it is kept, for the
      // importer to list as not replayed.
      LineParser scanner(clean, shared_name, line_number, /*strace_mode=*/true);
      Line unreadable;
      unreadable.kind = Line::Kind::kUnreadable;
      unreadable.mutable_unreadable() = scanner.ScanUnreadable();
      unreadable.timestamp = scanner.timestamp();
      unreadable.mutable_unreadable().location =
          SourceLocation{shared_name, line_number, static_cast<int>(parser.failure()->pos) + 1};
      unreadable.mutable_unreadable().message = parser.failure()->message;
      unreadable.mutable_unreadable().text = std::string(raw);
      result.scenario.lines.push_back(std::move(unreadable));
      continue;
    }
    if (parser.failure()) {
      Diagnostic d;
      d.location = SourceLocation{shared_name, line_number, static_cast<int>(parser.failure()->pos) + 1};
      d.message = parser.failure()->message;
      d.excerpt = clean;
      result.errors.push_back(std::move(d));
      continue;
    }
    if (!line) continue;
    if (line->kind == Line::Kind::kProcessEvent &&
        line->event().kind == ProcessEvent::Kind::kKilled &&
        !IsLinuxSignalName(line->event().detail)) {
      // strace names the signal that killed a process; no other name can come from it, in a
      // log or in a scenario: the line is nonsense, not a line to skip.
      Diagnostic d;
      d.location = line->event().location;
      d.location.column = static_cast<int>(clean.find("SIG")) + 1;
      d.message = fmt::format("unknown signal '{}'", text::Excerpt(line->event().detail));
      d.excerpt = clean;
      result.errors.push_back(std::move(d));
      continue;
    }
    line->timestamp = parser.timestamp();
    if (line->kind == Line::Kind::kCall) line->call.text = std::string(raw);
    if (line->kind == Line::Kind::kDirective) line->mutable_directive().text = std::string(raw);
    result.scenario.lines.push_back(std::move(*line));
  }
  return result;
}

ParseResult ParseScenarioFile(const std::string& path, const ParseOptions& options) {
  auto refuse = [&](std::string message) {
    ParseResult result;
    result.scenario.file = path;
    Diagnostic d;
    d.location = SourceLocation{path, 0, 0};
    d.message = std::move(message);
    result.errors.push_back(std::move(d));
    return result;
  };
  // Only a regular file is read: a directory, a FIFO or a device (/dev/zero) could hang the
  // read or feed it without end.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return refuse("cannot open: no such file");
  if (!std::filesystem::is_regular_file(status)) return refuse("not a regular file (a directory, FIFO or device is not read)");
  std::ifstream in(path, std::ios::binary);
  if (!in) return refuse("cannot open the file");
  std::string text;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > options.limits.max_file_bytes) {
      return refuse(fmt::format("the file is over the limit of {} bytes (raise it with --max-input-bytes)",
                                options.limits.max_file_bytes));
    }
    if (in.eof()) break;
  }
  // A read error (an I/O error, /proc/self/mem at offset 0) is not an empty file.
  if (in.bad() || (!in.eof() && in.fail())) return refuse("cannot read the file (a read error)");
  return ParseScenario(text, path, options);
}

std::optional<Value> ParseValue(std::string_view text, std::string* error) {
  LineParser parser(text, FileName(), 1, /*strace_mode=*/false);  // locations name no file
  auto v = parser.ParseArgument(0);
  if (v && parser.SkipBlanks() && !parser.AtEnd()) {
    parser.Fail(parser.pos(), "unexpected " + parser.Describe(parser.pos()) + " after the value");
  }
  if (parser.failure()) {
    if (error) *error = "col " + std::to_string(parser.failure()->pos + 1) + ": " + parser.failure()->message;
    return std::nullopt;
  }
  return v;
}

}  // namespace socksim::tools
