// File: tools/scenario/match.cc
// Structural matching of strace-style values.
#include "tools/scenario/match.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "tools/scenario/buffers.h"
#include "tools/scenario/captures.h"
#include "tools/text/numbers.h"

namespace socksim::tools {
namespace {

// strace -s prints at most that many bytes of a string and marks the cut with "...": what
// follows is unknown (not zeros, not absent), so two strings agree when their printed bytes
// agree as far as both are known, and a side printed whole is at least as long as the other
// side's prefix.
bool SameKnownBytes(const Value& expected, const Value& actual) {
  const std::string& e = expected.text;
  const std::string& a = actual.text;
  if (!expected.truncated && !actual.truncated) return e == a;
  if (expected.truncated && !actual.truncated) return a.size() >= e.size() && a.starts_with(e);
  if (!expected.truncated && actual.truncated) return e.size() >= a.size() && e.starts_with(a);
  return e.size() <= a.size() ? a.starts_with(e) : e.starts_with(a);
}

}  // namespace

bool Matches(const Value& expected, const Value& actual, std::string* where, Captures* captures) {
  using K = Value::Kind;
  if (expected.kind == K::kWildcard) return true;
  if (expected.kind == K::kCapture) {
    if (captures == nullptr) return true;
    if (const Value* bound = captures->Find(expected.text)) {
      return Matches(*bound, actual, where, captures);
    }
    if (FindCapture(actual) == nullptr) captures->Bind(expected.text, actual);
    return true;
  }
  if (buffers::IsBuffer(expected)) {
    // Without `=>` the buffer's contents after the call are not checked, as with `_`.
    if (expected.kind != K::kValueResult || expected.items.size() < 2) return true;
    const Value& want = expected.items[1];
    if (want.kind == K::kWildcard || want.kind == K::kCapture) {
      if (actual.kind != K::kValueResult || actual.items.size() < 2) {
        *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
        return false;
      }
      return Matches(want, actual.items[1], where, captures);
    }
    return buffers::SameMemory(expected, actual, where);
  }
  // A pointer printed for a buffer the call did not fill matches any pointer.
  if ((expected.kind == K::kPointer || expected.kind == K::kInteger) &&
      (actual.kind == K::kPointer || actual.kind == K::kInteger) &&
      expected.integer == actual.integer) {
    return true;
  }
  if (expected.kind == K::kDecorated || actual.kind == K::kDecorated) {
    // strace -y decorations are hints, not truth (strace-format.md 3): compare the number.
    if (expected.integer == actual.integer) return true;
    *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
    return false;
  }
  // `[4]` parses as a value-result without out but `[4<pipe:[1]>]` as a one-element array
  // (parser.h): either spelling is the same one-element list.
  const auto lone_item = [](const Value& v) -> const Value* {
    if (v.kind == K::kValueResult && !v.has_out && v.items.size() == 1) return &v.items[0];
    if (v.kind == K::kArray && v.items.size() == 1) return &v.items[0];
    return nullptr;
  };
  if (expected.kind != actual.kind && lone_item(expected) != nullptr &&
      lone_item(actual) != nullptr) {
    return Matches(*lone_item(expected), *lone_item(actual), where, captures);
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
    case K::kTagged:
      if (expected.tag == actual.tag && SameKnownBytes(expected, actual)) return true;
      *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
      return false;
    case K::kNull:
    case K::kWildcard:
    case K::kDecorated:  // handled before the switch
    case K::kCapture:    // handled before the switch
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
        if (!Matches(e.value, a.value, &inner, captures)) {
          *where = (e.name.empty() ? std::string("member") : e.name) + ": " + inner;
          return false;
        }
      }
      return true;
    }
    case K::kNote:
      if (expected.text == actual.text) return true;
      *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
      return false;
    case K::kSet:
    case K::kExpression:
      if (expected.complement != actual.complement ||
          (expected.kind == K::kExpression && expected.text != actual.text)) {
        *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
        return false;
      }
      [[fallthrough]];
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
        if (!Matches(expected.items[i], actual.items[i], &inner, captures)) {
          *where = fmt::format("[{}]: {}", i, inner);
          return false;
        }
      }
      return true;
    }
    case K::kValueResult: {
      std::string inner;
      if (!Matches(expected.items.at(0), actual.items.at(0), &inner, captures)) {
        *where = "in length: " + inner;
        return false;
      }
      // [16] on a success means "16 in, 16 back"; the actual prints [16] then too.
      const Value& e_out = expected.has_out ? expected.items.at(1) : expected.items.at(0);
      const Value& a_out = actual.has_out ? actual.items.at(1) : actual.items.at(0);
      if (!Matches(e_out, a_out, &inner, captures)) {
        *where = "length written back: " + inner;
        return false;
      }
      return true;
    }
  }
  return false;
}

namespace {

// The "left {tv_sec=S, tv_usec=U}" (or tv_nsec) member of an annotation: the text without
// it, and the time in nanoseconds (nullopt when there is none).
struct TimeLeft {
  std::string rest;
  std::optional<std::int64_t> ns;
};

TimeLeft SplitTimeLeft(const std::string& annotation) {
  TimeLeft out{annotation, std::nullopt};
  const std::size_t at = annotation.find("left {");
  if (at == std::string::npos) return out;
  const std::size_t close = annotation.find('}', at);
  if (close == std::string::npos) return out;
  const std::string inner = annotation.substr(at + 6, close - at - 6);
  std::size_t from = at;
  if (from >= 2 && annotation.compare(from - 2, 2, ", ") == 0) from -= 2;
  out.rest = annotation.substr(0, from) + annotation.substr(close + 1);
  // The digits after `key` ("tv_sec="), up to the next comma or the end.
  auto number = [&](std::string_view key) -> std::optional<std::int64_t> {
    const std::size_t k = inner.find(key);
    if (k == std::string::npos) return std::nullopt;
    const std::size_t begin = k + key.size();
    const std::size_t end = std::min(inner.find(',', begin), inner.size());
    return numbers::ParseInt64(std::string_view(inner).substr(begin, end - begin));
  };
  const auto sec = number("tv_sec=");
  const auto usec = number("tv_usec=");
  const auto nsec = number("tv_nsec=");
  if (sec && (usec || nsec)) out.ns = *sec * 1000000000 + (usec ? *usec * 1000 : *nsec);
  return out;
}

// Whether a recorded annotation agrees with the one the call printed. The time a wait left is
// the recorded run's wall clock, of which virtual time only knows the waiting it modelled: a
// recorded value agrees when it is no more than the simulator's (the real wait can only have
// taken longer).
bool AnnotationsAgree(const std::string& expected, const std::string& actual) {
  const TimeLeft e = SplitTimeLeft(expected);
  const TimeLeft a = SplitTimeLeft(actual);
  if (e.rest != a.rest) return false;
  if (e.ns && a.ns) return *e.ns >= 0 && *e.ns <= *a.ns;
  return e.ns.has_value() == a.ns.has_value();
}

}  // namespace

bool OutcomeMatches(const Outcome& expected, const Outcome& actual, std::string* why,
                    Captures* captures) {
  switch (expected.kind) {
    case Outcome::Kind::kWildcard:
      return true;
    case Outcome::Kind::kUnknown:
      *why = "the line expects a call that never returns";
      return false;
    case Outcome::Kind::kCapture:
      if (captures != nullptr) {
        if (const Value* bound = captures->Find(expected.capture)) {
          if (bound->integer != actual.value) {
            *why = fmt::format("return value differs (${} is {})", expected.capture,
                               bound->ToString());
            return false;
          }
        } else if (actual.kind == Outcome::Kind::kValue) {
          Value v;
          v.kind = Value::Kind::kInteger;
          v.integer = actual.value;
          v.text = actual.value_text.empty() ? std::to_string(actual.value) : actual.value_text;
          captures->Bind(expected.capture, v);
        }
      }
      break;
    case Outcome::Kind::kValue:
      break;
  }
  if (expected.kind == Outcome::Kind::kValue && expected.value != actual.value) {
    *why = expected.capture.empty() ? "return value differs"
                                    : fmt::format("return value differs (${} is {})",
                                                  expected.capture, expected.value_text);
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
  // What strace prints after a result (poll's revents, select's sets) is checked when the
  // call says it too; one it does not print (fcntl's "flags O_RDWR") is a comment.
  if (!expected.annotation.empty() && !actual.annotation.empty() &&
      !AnnotationsAgree(expected.annotation, actual.annotation)) {
    *why = fmt::format("result annotation differs: ({}) where the call says ({})",
                       expected.annotation, actual.annotation);
    return false;
  }
  return true;
}

}  // namespace socksim::tools
