// File: tools/graph/dot_reader.cc
// DOT lexer and recursive-descent parser (the dialect is in dot_reader.h). The parser keeps
// node and edge statements as written; MakePlan then checks their attribute values and
// resolves edge ends against all node statements, so edges may name nodes declared later.
#include "tools/graph/dot_reader.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tools/graph/graph_values.h"

namespace socksim::tools::graph {
namespace {

using sim::NodeKind;

enum class DotTok {
  kId,
  kString,
  kLBrace,
  kRBrace,
  kLBracket,
  kRBracket,
  kEqual,
  kSemi,
  kComma,
  kColon,
  kUndirected,
  kDirected,
  kPlus,
  kEof
};

struct DotToken {
  DotTok kind = DotTok::kEof;
  std::string text;  // ID text, or the string's contents after unescaping
  Pos pos;
};

std::string DescribeDot(const DotToken& t) {
  switch (t.kind) {
    case DotTok::kEof:
      return "end of file";
    case DotTok::kString:
      return "string " + Quote(t.text);
    case DotTok::kId:
      return Quote(t.text);
    default:
      return "'" + t.text + "'";
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
      case '{':
        return punct(DotTok::kLBrace, 1);
      case '}':
        return punct(DotTok::kRBrace, 1);
      case '[':
        return punct(DotTok::kLBracket, 1);
      case ']':
        return punct(DotTok::kRBracket, 1);
      case '=':
        return punct(DotTok::kEqual, 1);
      case ';':
        return punct(DotTok::kSemi, 1);
      case ',':
        return punct(DotTok::kComma, 1);
      case ':':
        return punct(DotTok::kColon, 1);
      case '+':
        return punct(DotTok::kPlus, 1);
      case '"':
        return LexString(t);
      case '<':
        throw SyntaxError{t.pos, "HTML strings (<...>) are not supported; use a quoted string"};
      default:
        break;
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
      "label",    "xlabel",   "shape",     "style",     "color",     "fillcolor",
      "fontname", "fontsize", "fontcolor", "penwidth",  "width",     "height",
      "pos",      "comment",  "tooltip",   "arrowhead", "arrowtail", "dir",
      "weight",   "len",      "headlabel", "taillabel", "group",     "rank"};
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
      throw SyntaxError{tok_.pos,
                        "expected '{' to open the graph body, found " + DescribeDot(tok_)};
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
          if (auto d = ParseLatency(a.value, false, &error)) {
            proto.latency = *d;
          } else {
            diags_.Add(a.value_pos, "bad latency " + Quote(a.value) + ": " + error);
          }
        } else if (a.name == "delay") {
          if (auto d = ParseLatency(a.value, false, &error)) {
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
    return IsKeyword("node") || IsKeyword("edge") || IsKeyword("graph") || IsKeyword("digraph") ||
           IsKeyword("subgraph") || IsKeyword("strict");
  }

  // An ID: unquoted, or quoted strings joined by '+'.
  std::string ReadId() {
    if (tok_.kind == DotTok::kId) {
      if (AtKeyword()) {
        throw SyntaxError{
            tok_.pos, "keyword " + Quote(tok_.text) + " cannot be used as an ID; put it in quotes"};
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
        throw SyntaxError{tok_.pos,
                          "expected a quoted string after '+', found " + DescribeDot(tok_)};
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
          throw SyntaxError{tok_.pos,
                            "expected an attribute name or ']' to close the attribute "
                            "list opened at " +
                                PosText(open) + ", found " + DescribeDot(tok_)};
        }
        DotAttr a;
        a.name_pos = tok_.pos;
        a.name = tok_.text;
        Take();
        if (tok_.kind != DotTok::kEqual) {
          throw SyntaxError{tok_.pos, "expected '=' after attribute " + Quote(a.name) + ", found " +
                                          DescribeDot(tok_)};
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

}  // namespace

std::optional<Plan> ReadDot(std::string_view text, Diagnostics& diags) {
  try {
    DotParser parser(text, diags);  // lexes the first token, which may already be an error
    parser.Parse();
    return parser.MakePlan();
  } catch (const SyntaxError& e) {
    diags.Add(e.pos, e.message);
    return std::nullopt;
  }
}

}  // namespace socksim::tools::graph
