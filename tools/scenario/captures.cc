// File: tools/scenario/captures.cc
// Substitution and resolution of `$name` captures.
#include "tools/scenario/captures.h"

#include <fmt/format.h>

#include <utility>

namespace socksim::tools {

const Value* FindCapture(const Value& v) {
  if (v.kind == Value::Kind::kCapture) return &v;
  for (const auto& f : v.fields) {
    if (const Value* c = FindCapture(f.value)) return c;
  }
  for (const auto& item : v.items) {
    if (const Value* c = FindCapture(item)) return c;
  }
  return nullptr;
}

bool UsesCaptures(const CallLine& call) {
  if (call.outcome && call.outcome->kind == Outcome::Kind::kCapture) return true;
  for (const auto& a : call.args) {
    if (FindCapture(a) != nullptr) return true;
  }
  return false;
}

std::string UnboundCaptureMessage(const Value& capture) {
  return fmt::format("${} has no value yet (no earlier line bound it)", capture.text);
}

const Value* Captures::Find(std::string_view name) const {
  const auto it = bound_.find(name);
  return it == bound_.end() ? nullptr : &it->second;
}

void Captures::Bind(const std::string& name, const Value& value) {
  Value stored = value;
  stored.annotation.clear();
  bound_.emplace(name, std::move(stored));
}

void Captures::Substitute(Value& v) const {
  if (v.kind == Value::Kind::kCapture) {
    if (const Value* bound = Find(v.text)) {
      const SourceLocation at = v.location;
      const std::string annotation = v.annotation;
      v = *bound;
      v.location = at;
      v.annotation = annotation;
    }
    return;
  }
  for (auto& f : v.fields) Substitute(f.value);
  for (auto& item : v.items) Substitute(item);
}

std::optional<Captures::Problem> Captures::Substitute(CallLine& call) const {
  for (auto& a : call.args) Substitute(a);
  if (!call.outcome || call.outcome->kind != Outcome::Kind::kCapture) return std::nullopt;
  Outcome& o = *call.outcome;
  const Value* bound = Find(o.capture);
  if (bound == nullptr) return std::nullopt;
  switch (bound->kind) {
    case Value::Kind::kInteger:
    case Value::Kind::kPointer:
    case Value::Kind::kDecorated:
      o.kind = Outcome::Kind::kValue;
      o.value = bound->integer;
      o.value_text = bound->kind == Value::Kind::kDecorated ? std::to_string(bound->integer)
                                                            : bound->ToString();
      return std::nullopt;
    default:
      return Problem{o.location, fmt::format("${} holds {}, which is not a return value", o.capture,
                                             bound->ToString())};
  }
}

void Captures::Resolve(Value& v) const {
  if (v.kind == Value::Kind::kCapture) {
    Value out;
    if (const Value* bound = Find(v.text)) {
      out = *bound;
    } else {
      out.kind = Value::Kind::kWildcard;
    }
    out.location = v.location;
    out.annotation = std::move(v.annotation);
    v = std::move(out);
    return;
  }
  for (auto& f : v.fields) Resolve(f.value);
  for (auto& item : v.items) Resolve(item);
}

Value Captures::Resolved(const Value& v) const {
  // One copy, resolved in place: a copy per level of nesting would make deep values costly.
  Value out = v;
  Resolve(out);
  return out;
}

std::vector<Value> Captures::Resolved(const std::vector<Value>& args) const {
  std::vector<Value> out;
  out.reserve(args.size());
  for (const auto& a : args) out.push_back(Resolved(a));
  return out;
}

}  // namespace socksim::tools
