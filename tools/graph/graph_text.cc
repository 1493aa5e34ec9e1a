// File: tools/graph/graph_text.cc
// Positions, quoting and the line-counting cursor shared by the graph readers.
#include "tools/graph/graph_text.h"

#include <cctype>

#include "tools/text/numbers.h"

namespace socksim::tools::graph {

std::string PosText(Pos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

std::string Quote(std::string_view text) { return numbers::QuoteForMessage(text); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

void Cursor::advance() {
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

}  // namespace socksim::tools::graph
