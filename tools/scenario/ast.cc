// File: tools/scenario/ast.cc
// Printing and comparison helpers of the scenario AST.
#include "tools/scenario/ast.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace socksim::tools {

const std::string& FileName::Empty() {
  // Made on first use and never destroyed: no static constructor, nothing to order at exit.
  static const std::string* const kEmpty = new std::string();
  return *kEmpty;
}

std::ostream& operator<<(std::ostream& os, const FileName& name) { return os << name.str(); }

std::string SourceLocation::ToString() const {
  std::string out = file.str();
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
    if (column > 0) {
      out += ':';
      out += std::to_string(column);
    }
  }
  return out;
}

std::string QuoteStraceString(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\t': out += "\\t"; continue;
      case '\n': out += "\\n"; continue;
      case '\v': out += "\\v"; continue;
      case '\f': out += "\\f"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    // Octal with as few digits as possible, unless an octal digit follows (then all three),
    // which is how strace keeps "\0" followed by "1" from reading as "\01".
    const bool digit_follows =
        i + 1 < bytes.size() && bytes[i + 1] >= '0' && bytes[i + 1] <= '7';
    out += '\\';
    if (digit_follows || c >= 0100) {
      out += static_cast<char>('0' + (c >> 6));
      out += static_cast<char>('0' + ((c >> 3) & 7));
    } else if (c >= 010) {
      out += static_cast<char>('0' + ((c >> 3) & 7));
    }
    out += static_cast<char>('0' + (c & 7));
  }
  out += '"';
  return out;
}

namespace {

std::string HexOf(std::int64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  auto u = static_cast<std::uint64_t>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[u & 0xf]);
    u >>= 4;
  } while (u != 0);
  return "0x" + digits;
}

void AppendList(std::string& out, const std::vector<Value>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += items[i].ToString();
  }
}

}  // namespace

std::string Value::ToString() const {
  std::string out;
  if (!annotation.empty()) {
    out += annotation;
    out += ':';
  }
  switch (kind) {
    case Kind::kInteger:
      out += text.empty() ? std::to_string(integer) : text;
      break;
    case Kind::kPointer:
      out += text.empty() ? HexOf(integer) : text;
      break;
    case Kind::kSymbol:
      if (flags.empty()) {
        out += text;
      } else {
        for (std::size_t i = 0; i < flags.size(); ++i) {
          if (i != 0) out += '|';
          out += flags[i];
        }
      }
      if (!decoration.empty()) {
        out += '<';
        out += decoration;
        out += '>';
      }
      break;
    case Kind::kString:
      out += QuoteStraceString(text);
      if (truncated) out += "...";
      break;
    case Kind::kTagged:
      out += tag;
      out += QuoteStraceString(text);
      if (truncated) out += "...";
      break;
    case Kind::kNull:
      out += "NULL";
      break;
    case Kind::kStruct:
      out += '{';
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i != 0) out += ", ";
        if (!fields[i].name.empty()) {
          out += fields[i].name;
          out += '=';
        }
        out += fields[i].value.ToString();
      }
      out += '}';
      break;
    case Kind::kArray:
      out += '[';
      AppendList(out, items);
      out += ']';
      break;
    case Kind::kValueResult: {
      const bool bare = text == "=>";
      if (!bare) out += '[';
      if (!items.empty()) out += items[0].ToString();
      if (has_out && items.size() > 1) {
        out += " => ";
        out += items[1].ToString();
      }
      if (!bare) out += ']';
      break;
    }
    case Kind::kCall:
      out += text;
      out += '(';
      AppendList(out, items);
      out += ')';
      break;
    case Kind::kAddressOf:
      out += '&';
      out += text;
      break;
    case Kind::kWildcard:
      out += text == "..." ? "..." : "_";
      break;
    case Kind::kDecorated:
      out += std::to_string(integer);
      out += '<';
      out += text;
      out += '>';
      if (deleted) out += "(deleted)";
      break;
    case Kind::kCapture:
      out += '$';
      out += text;
      break;
    case Kind::kSet:
      if (complement) out += '~';
      out += '[';
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += ' ';
        out += items[i].ToString();
      }
      out += ']';
      break;
    case Kind::kExpression: {
      // strace spaces the logical and comparison operators, not the arithmetic ones.
      const bool spaced = text != "*" && text != "<<";
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i != 0) out += spaced ? " " + text + " " : text;
        out += items[i].ToString();
      }
      break;
    }
    case Kind::kNote:
      out += "<... ";
      out += text;
      out += " ...>";
      break;
  }
  return out;
}

std::optional<std::int64_t> IntegerOf(const Value& v) {
  if (v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kDecorated) return v.integer;
  if (v.kind != Value::Kind::kExpression || v.items.size() != 2) return std::nullopt;
  const auto a = IntegerOf(v.items[0]);
  const auto b = IntegerOf(v.items[1]);
  if (!a || !b) return std::nullopt;
  if (v.text == "*") {
    std::int64_t product = 0;
    if (__builtin_mul_overflow(*a, *b, &product)) return std::nullopt;
    return product;
  }
  if (v.text == "<<") {
    if (*a < 0 || *b < 0 || *b > 62 || *a > (std::numeric_limits<std::int64_t>::max() >> *b)) {
      return std::nullopt;
    }
    return *a << *b;
  }
  return std::nullopt;
}

bool Value::SameAs(const Value& other) const {
  if (kind != other.kind || integer != other.integer || truncated != other.truncated ||
      has_out != other.has_out || annotation != other.annotation || tag != other.tag ||
      decoration != other.decoration || deleted != other.deleted ||
      complement != other.complement ||
      fields.size() != other.fields.size() || items.size() != other.items.size()) {
    return false;
  }
  if (kind == Kind::kSymbol) {
    if (ToString() != other.ToString()) return false;
  } else if (kind != Kind::kInteger && kind != Kind::kPointer && text != other.text) {
    return false;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name != other.fields[i].name) return false;
    if (!fields[i].value.SameAs(other.fields[i].value)) return false;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].SameAs(other.items[i])) return false;
  }
  return true;
}

const Directive::Option* Directive::Find(const std::string& key) const {
  for (const auto& option : options) {
    if (option.key == key) return &option;
  }
  return nullptr;
}

}  // namespace socksim::tools
