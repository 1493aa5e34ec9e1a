// File: api/src/result.cc
// Results as text, and error codes by number and symbol through each personality's one table
// (stack/personality/<os>/*_table.h): nothing here holds a number of its own.
#include "socksim/result.h"

#include <string>

#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim {

std::string_view SystemName(System system) {
  switch (system) {
    case System::kLinux:
      return "linux";
    case System::kWindows:
      return "windows";
    case System::kIllumos:
      return "illumos";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, System system) { return os << SystemName(system); }

void PrintTo(System system, std::ostream* os) { *os << SystemName(system); }

std::optional<ErrorName> DescribeError(System system, int code, bool t_error) {
  const auto name = [](const auto& info) -> std::optional<ErrorName> {
    if (!info) return std::nullopt;
    return ErrorName{std::string(info->symbol), std::string(info->message)};
  };
  switch (system) {
    case System::kLinux:
      return name(stack::linux_abi::ErrnoByValue(code));
    case System::kWindows:
      return name(stack::windows_abi::WsaErrorByValue(code));
    case System::kIllumos:
      return t_error ? name(stack::illumos_abi::TErrnoByValue(code))
                     : name(stack::illumos_abi::ErrnoByValue(code));
  }
  return std::nullopt;
}

std::optional<int> ErrorNumber(System system, std::string_view symbol) {
  const auto number = [](const auto& info) -> std::optional<int> {
    if (!info) return std::nullopt;
    return info->value;
  };
  switch (system) {
    case System::kLinux:
      return number(stack::linux_abi::ErrnoBySymbol(symbol));
    case System::kWindows:
      return number(stack::windows_abi::WsaErrorBySymbol(symbol));
    case System::kIllumos: {
      if (const auto e = stack::illumos_abi::ErrnoBySymbol(symbol)) return e->value;
      return number(stack::illumos_abi::TErrnoBySymbol(symbol));
    }
  }
  return std::nullopt;
}

std::string Result::error_symbol() const {
  if (!error) return "";
  const auto name = DescribeError(system, *error, t_error);
  return name ? name->symbol : std::to_string(*error);
}

std::string Result::ToString() const {
  std::string out = call + " = ";
  if (would_wait()) return out + "? (would wait: nothing in the world can complete it)";
  out += std::to_string(value);
  if (length) {
    out += " [" + (buffer_size ? std::to_string(*buffer_size) + " => " : std::string()) +
           std::to_string(*length) + "]";
  }
  if (address && succeeded()) out += " " + address->ToString();
  if (!data.empty()) out += " (" + std::to_string(data.size()) + " bytes)";
  if (error && (failed() || *error != 0)) {
    const auto name = DescribeError(system, *error, t_error);
    out += name ? " " + name->symbol + " (" + name->message + ")"
                : " error " + std::to_string(*error);
  }
  return out;
}

std::ostream& operator<<(std::ostream& os, const Result& result) {
  return os << result.ToString();
}

void PrintTo(const Result& result, std::ostream* os) { *os << result.ToString(); }

}  // namespace socksim
