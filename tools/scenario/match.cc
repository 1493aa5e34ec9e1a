// File: tools/scenario/match.cc
// Structural matching of strace-style values.
#include "tools/scenario/match.h"

#include <fmt/format.h>

namespace socksim::tools {

bool Matches(const Value& expected, const Value& actual, std::string* where) {
  using K = Value::Kind;
  if (expected.kind == K::kWildcard) return true;
  // A pointer printed for a buffer the call did not fill matches any pointer.
  if ((expected.kind == K::kPointer || expected.kind == K::kInteger) &&
      (actual.kind == K::kPointer || actual.kind == K::kInteger) && expected.integer == actual.integer) {
    return true;
  }
  // strace prints sin6_scope_id as if_nametoindex("lo") when the tracing host knows the
  // interface; the simulator prints the number. Interfaces are numbered as in the simulated
  // host (lo 1, ethN N + 2), never resolved against the machine running socksim.
  if (expected.kind == K::kCall && expected.text == "if_nametoindex" && actual.kind == K::kInteger &&
      expected.items.size() == 1 && expected.items[0].kind == K::kString) {
    const std::string& name = expected.items[0].text;
    std::int64_t index = -1;
    if (name == "lo") index = 1;
    if (name.size() > 3 && name.rfind("eth", 0) == 0 &&
        name.find_first_not_of("0123456789", 3) == std::string::npos) {
      index = std::stoll(name.substr(3)) + 2;
    }
    if (index == actual.integer) return true;
    *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
    return false;
  }
  if (expected.kind == K::kDecorated || actual.kind == K::kDecorated) {
    // strace -y decorations are hints, not truth (strace-format.md 3): compare the number.
    if (expected.integer == actual.integer) return true;
    *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
    return false;
  }
  if (expected.kind != actual.kind) {
    *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
    return false;
  }
  switch (expected.kind) {
    case K::kInteger:
    case K::kPointer:
      if (expected.integer == actual.integer) return true;
      *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
      return false;
    case K::kSymbol:
    case K::kAddressOf:
      if (expected.text == actual.text) return true;
      *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
      return false;
    case K::kString:
    case K::kAbstract:
      if (expected.text == actual.text) return true;
      if (expected.truncated && actual.text.compare(0, expected.text.size(), expected.text) == 0) return true;
      *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
      return false;
    case K::kNull:
    case K::kWildcard:
    case K::kDecorated:  // handled before the switch
      return true;
    case K::kStruct: {
      if (expected.fields.size() != actual.fields.size()) {
        *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
        return false;
      }
      for (std::size_t i = 0; i < expected.fields.size(); ++i) {
        const auto& e = expected.fields[i];
        const auto& a = actual.fields[i];
        if (e.name != a.name) {
          *where = fmt::format("expected field '{}', got '{}'", e.name, a.name);
          return false;
        }
        std::string inner;
        if (!Matches(e.value, a.value, &inner)) {
          *where = (e.name.empty() ? std::string("member") : e.name) + ": " + inner;
          return false;
        }
      }
      return true;
    }
    case K::kCall:
    case K::kArray: {
      if (expected.kind == K::kCall && expected.text != actual.text) {
        *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
        return false;
      }
      if (expected.items.size() != actual.items.size()) {
        *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
        return false;
      }
      for (std::size_t i = 0; i < expected.items.size(); ++i) {
        std::string inner;
        if (!Matches(expected.items[i], actual.items[i], &inner)) {
          *where = fmt::format("[{}]: {}", i, inner);
          return false;
        }
      }
      return true;
    }
    case K::kValueResult: {
      std::string inner;
      if (!Matches(expected.items.at(0), actual.items.at(0), &inner)) {
        *where = "in length: " + inner;
        return false;
      }
      // [16] on a success means "16 in, 16 back"; the actual prints [16] then too.
      const Value& e_out = expected.has_out ? expected.items.at(1) : expected.items.at(0);
      const Value& a_out = actual.has_out ? actual.items.at(1) : actual.items.at(0);
      if (!Matches(e_out, a_out, &inner)) {
        *where = "length written back: " + inner;
        return false;
      }
      return true;
    }
  }
  return false;
}

std::string FormatOutcome(const Outcome& o) {
  switch (o.kind) {
    case Outcome::Kind::kWildcard:
      return "= _";
    case Outcome::Kind::kUnknown:
      return "= ?";
    case Outcome::Kind::kValue:
      break;
  }
  std::string out = "= " + (o.value_text.empty() ? std::to_string(o.value) : o.value_text);
  if (!o.error_symbol.empty()) {
    out += " " + o.error_symbol;
    if (!o.error_text.empty()) out += " (" + o.error_text + ")";
  }
  return out;
}

bool OutcomeMatches(const Outcome& expected, const Outcome& actual, std::string* why) {
  switch (expected.kind) {
    case Outcome::Kind::kWildcard:
      return true;
    case Outcome::Kind::kUnknown:
      *why = "the line expects a call that never returns";
      return false;
    case Outcome::Kind::kValue:
      break;
  }
  if (expected.value != actual.value) {
    *why = "return value differs";
    return false;
  }
  if (expected.error_symbol != actual.error_symbol) {
    *why = expected.error_symbol.empty() ? "unexpected error" : "error differs";
    return false;
  }
  if (!expected.error_text.empty() && expected.error_text != actual.error_text) {
    *why = "error message differs";
    return false;
  }
  return true;
}

}  // namespace socksim::tools
