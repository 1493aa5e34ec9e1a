// File: tools/graph/gml_reader.cc
// GML reading in two steps (the dialect is in gml_reader.h): GmlReader turns the text into a
// tree of key/value items, keeping every position; MakeGmlPlan then picks the keys socksim
// models out of `graph`, `node` and `edge` and checks their values.
#include "tools/graph/gml_reader.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tools/graph/graph_values.h"
#include "tools/text/numbers.h"

namespace socksim::tools::graph {
namespace {

using sim::Duration;
using sim::NodeKind;
using sim::Ratio;

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
          throw SyntaxError{c_.pos(), "expected ']' to close " + Quote(owner->key) + " opened at " +
                                          PosText(owner->value.pos) + ", found end of file"};
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
        throw SyntaxError{c_.pos(),
                          "expected a value after key " + Quote(item.key) + ", found end of file"};
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
        throw SyntaxError{
            c_.pos(), "expected a value after key " + Quote(item.key) + ", found " + Quote(Word())};
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

// An integer value as int64. The reader already checked the text is a sign and digits; the
// magnitude must fit INT64_MAX, so -9223372036854775808 is out of range like its negation.
std::optional<std::int64_t> GmlInt(const GmlValue& v) {
  if (v.kind != GmlValue::Kind::kInt) return std::nullopt;
  std::string_view t = v.text;
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  std::optional<std::int64_t> n = numbers::ParseInt64(t);
  if (n == std::numeric_limits<std::int64_t>::min()) n.reset();
  return n;
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
    diags.Add(graph->value.pos,
              "graph must be a list \"[ ... ]\", found " + ShowValue(graph->value));
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
        diags.Add(item.key_pos,
                  "duplicate key \"directed\" (first at " + PosText(directed_item->key_pos) + ")");
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
        diags.Add(item.value.pos,
                  "edge must be a list \"[ ... ]\", found " + ShowValue(item.value));
      } else {
        edges.push_back(&item);
      }
    } else if (item.key == "node") {
      if (item.value.kind != GmlValue::Kind::kList) {
        diags.Add(item.value.pos,
                  "node must be a list \"[ ... ]\", found " + ShowValue(item.value));
        continue;
      }
      auto fields = Fields(item, diags);
      PlanNode n;
      n.pos = item.key_pos;
      auto id_it = fields.find("id");
      std::int64_t id = -1;  // stays negative when missing or invalid (reported here)
      if (id_it == fields.end()) {
        diags.Add(item.key_pos, "node has no id");
      } else if (std::optional<std::int64_t> v = GmlInt(id_it->second->value); v && *v >= 0) {
        id = *v;
      } else {
        diags.Add(id_it->second->value.pos, "node id must be a non-negative integer, found " +
                                                ShowValue(id_it->second->value));
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
      if (n.name.empty() && id >= 0) n.name = "node" + std::to_string(id);
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
        std::string k =
            f->second->value.kind == GmlValue::Kind::kString ? Lower(f->second->value.text) : "";
        if (k == "host") {
          n.kind = NodeKind::kHost;
        } else if (k == "router") {
          n.kind = NodeKind::kRouter;
        } else {
          diags.Add(f->second->value.pos, "bad kind " + ShowValue(f->second->value) +
                                              " (expected \"host\" or \"router\")");
        }
      }
      if (id < 0) continue;
      if (auto dup = by_id.find(id); dup != by_id.end()) {
        diags.Add(id_it->second->value.pos, "duplicate node id " + std::to_string(id) +
                                                " (first at " + PosText(dup->second.second) + ")");
        continue;
      }
      if (auto dup = names.find(n.name); dup != names.end()) {
        diags.Add(n.pos, "duplicate node name " + Quote(n.name) + " (first at " +
                             PosText(dup->second) + ")");
        continue;
      }
      by_id.emplace(id, std::make_pair(plan.nodes.size(), id_it->second->value.pos));
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
        diags.Add(f->second->value.pos, std::string(kEnds[k]) +
                                            " must be an integer node id, found " +
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
      if (auto d = ParseLatency(f->second->value.text, true, &error)) {
        values.latency = *d;
      } else {
        diags.Add(f->second->value.pos,
                  "bad latency " + Quote(f->second->value.text) + ": " + error);
        ok = false;
      }
    }
    if (auto f = fields.find("packet_loss"); f != fields.end()) {
      const GmlValue& v = f->second->value;
      std::string error;
      if (v.kind != GmlValue::Kind::kInt && v.kind != GmlValue::Kind::kReal) {
        diags.Add(v.pos, "packet_loss must be a number between 0 and 1, found " + ShowValue(v));
        ok = false;
      } else if (auto r = ParseDecimalProbability(v.text, &error)) {
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

}  // namespace

std::optional<Plan> ReadGml(std::string_view text, Diagnostics& diags) {
  std::vector<GmlItem> top;
  try {
    top = GmlReader(text).ReadAll();
  } catch (const SyntaxError& e) {
    diags.Add(e.pos, e.message);
    return std::nullopt;
  }
  return MakeGmlPlan(top, diags);
}

}  // namespace socksim::tools::graph
