// File: tools/scenario/values.h
// Builders and accessors for strace-style Values, shared by the personalities' call tables,
// the recorder and the importer, so that every tool writes values the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools::values {

inline Value Integer(std::int64_t v) {
  Value out;
  out.kind = Value::Kind::kInteger;
  out.integer = v;
  out.text = std::to_string(v);
  return out;
}

inline Value Symbol(std::string text) {
  Value out;
  out.kind = Value::Kind::kSymbol;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = text.find('|', start);
    out.flags.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  out.text = std::move(text);
  return out;
}

inline Value String(std::string bytes) {
  Value out;
  out.kind = Value::Kind::kString;
  out.text = std::move(bytes);
  return out;
}

/// A tagged string, such as strace's @"name" (tag "@").
inline Value Tagged(std::string tag, std::string bytes) {
  Value out;
  out.kind = Value::Kind::kTagged;
  out.tag = std::move(tag);
  out.text = std::move(bytes);
  return out;
}

inline Value Null() {
  Value out;
  out.kind = Value::Kind::kNull;
  return out;
}

inline Value Call(std::string name, std::vector<Value> args) {
  Value out;
  out.kind = Value::Kind::kCall;
  out.text = std::move(name);
  out.items = std::move(args);
  return out;
}

inline Value AddressOf(std::string name) {
  Value out;
  out.kind = Value::Kind::kAddressOf;
  out.text = std::move(name);
  return out;
}

inline Value Struct(std::vector<Value::Field> fields) {
  Value out;
  out.kind = Value::Kind::kStruct;
  out.fields = std::move(fields);
  return out;
}

inline Value Array(std::vector<Value> items) {
  Value out;
  out.kind = Value::Kind::kArray;
  out.items = std::move(items);
  return out;
}

/// [in => out], or [in] when out is absent.
inline Value ValueResult(Value in, std::optional<Value> out_value) {
  Value out;
  out.kind = Value::Kind::kValueResult;
  out.items.push_back(std::move(in));
  if (out_value) {
    out.items.push_back(std::move(*out_value));
    out.has_out = true;
  }
  return out;
}

/// The field `name` of a struct value, or nullptr.
inline const Value* FieldOf(const Value& v, std::string_view name) {
  for (const auto& f : v.fields) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

}  // namespace socksim::tools::values
