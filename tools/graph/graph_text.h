// File: tools/graph/graph_text.h
// What the DOT and GML readers share for reading text and wording messages: positions, a
// cursor that counts lines and byte columns, the exception that stops a parse at a syntax
// error, and the quoting and character classes every diagnostic is written with. Internal to
// tools/graph; the public entry is graph_loader.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace socksim::tools::graph {

/// A 1-based line and byte column (a tab is one column); {0, 0} means the whole file.
struct Pos {
  int line = 0;
  int column = 0;
};

/// "line:col", the form messages use to point back at an earlier place.
std::string PosText(Pos p);

/// Text quoted for a message (numbers::QuoteForMessage, so value errors quote alike).
std::string Quote(std::string_view text);

/// ASCII lower case, for the case-insensitive keywords and values of both formats.
std::string Lower(std::string_view s);

/// Character classes of both formats; bytes >= 0x80 are none of them.
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// s without leading and trailing IsSpace bytes.
std::string_view Trim(std::string_view s);

/// A cursor over the text that tracks line and column.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return i_ >= text_.size(); }
  /// The byte `ahead` places on, or '\0' past the end.
  char peek(std::size_t ahead = 0) const {
    return i_ + ahead < text_.size() ? text_[i_ + ahead] : '\0';
  }
  Pos pos() const { return Pos{line_, column_}; }
  std::size_t offset() const { return i_; }
  /// The text from offset `from` up to the cursor.
  std::string_view slice(std::size_t from) const { return text_.substr(from, i_ - from); }
  void advance();
  /// True when only blanks precede the cursor on its line.
  bool at_line_start() const { return at_line_start_; }

 private:
  std::string_view text_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool at_line_start_ = true;
};

/// Thrown inside a reader to stop at a syntax error; the reader catches it and turns it into
/// a diagnostic, so it never leaves tools/graph.
struct SyntaxError {
  Pos pos;
  std::string message;
};

}  // namespace socksim::tools::graph
