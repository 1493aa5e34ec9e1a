// File: tools/personality/linux/trace/strace_values.cc
// Reading strace's printed values (strace_values.h).
#include "tools/personality/linux/trace/strace_values.h"

#include <algorithm>

namespace socksim::tools::strace_values {

bool HasFlag(const Value& v, const std::string& flag) {
  if (v.kind == Value::Kind::kSymbol) return std::find(v.flags.begin(), v.flags.end(), flag) != v.flags.end();
  for (const auto& f : v.fields) {
    if (HasFlag(f.value, flag)) return true;
  }
  for (const auto& item : v.items) {
    if (HasFlag(item, flag)) return true;
  }
  return false;
}

bool HasFlagPrefix(const Value& v, const std::string& prefix) {
  return v.kind == Value::Kind::kSymbol && std::any_of(v.flags.begin(), v.flags.end(), [&](const std::string& f) {
           return f.rfind(prefix, 0) == 0;
         });
}

std::optional<std::int64_t> NamedInteger(const Value& v, const std::string& name) {
  for (const auto& f : v.fields) {
    if (f.name == name && (f.value.kind == Value::Kind::kInteger || f.value.kind == Value::Kind::kPointer)) {
      return f.value.integer;
    }
    if (const auto inner = NamedInteger(f.value, name)) return inner;
  }
  for (const auto& item : v.items) {
    if (const auto inner = NamedInteger(item, name)) return inner;
  }
  return std::nullopt;
}

}  // namespace socksim::tools::strace_values
