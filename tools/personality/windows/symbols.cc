// File: tools/personality/windows/symbols.cc
// Windows constant names read from the personality's abi.def (the one source of the numbers),
// flag printing in abi.def's order, and the extension-function GUIDs by name.
#include "tools/personality/windows/symbols.h"

#include <fmt/format.h>

#include <iterator>
#include <limits>

#include "stack/personality/windows/provider/extension_functions.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim::tools::windows_symbols {
namespace {

enum class Category {
  kFamily,
  kSockType,
  kProtocol,
  kLevel,
  kSocketOption,
  kTcpOption,
  kIpv6Option,
  kShutdown,
  kMsgFlag,
  kIoctl,
  kSocketFlag,
  kPollEvent,
  kResult,
  kStatus,
  kDuplicate,
  kOther,
  kError
};

struct Named {
  Category category;
  std::string_view name;
  std::int64_t value;
  bool printed;  // false for an alias, read but never printed
};

// Every name of the Windows personality's abi.def, error codes included.
constexpr Named kAll[] = {
#define SOCKSIM_ABI(category, name, symbol, value) \
  Named{Category::category, symbol, static_cast<std::int64_t>(value), true},
#define SOCKSIM_ABI_ALIAS(category, symbol, value) \
  Named{Category::category, symbol, static_cast<std::int64_t>(value), false},
#define SOCKSIM_WSA_ERROR(symbol, value, message) Named{Category::kError, #symbol, value, true},
#define SOCKSIM_WSA_ERROR_ALIAS(symbol, value) Named{Category::kError, #symbol, value, false},
#include "stack/personality/windows/abi.def"
#undef SOCKSIM_ABI
};

// The first printed name of `value` in `category`.
std::optional<std::string_view> NameOf(Category category, std::int64_t value) {
  for (const Named& n : kAll) {
    if (n.category == category && n.printed && n.value == value) return n.name;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> Lookup(std::string_view name) {
  for (const Named& n : kAll) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

std::string Family(std::int64_t value) {
  if (auto n = NameOf(Category::kFamily, value)) return std::string(*n);
  return std::to_string(value);
}

std::string SockType(std::int64_t value) {
  if (auto n = NameOf(Category::kSockType, value)) return std::string(*n);
  return std::to_string(value);
}

std::string Protocol(std::int64_t value) {
  if (auto n = NameOf(Category::kProtocol, value)) return std::string(*n);
  return std::to_string(value);
}

std::string PollFlags(std::int64_t value) {
  // NAME|NAME|0xrest in abi.def's order, or 0 when empty.
  std::string out;
  std::int64_t rest = value;
  for (const Named& n : kAll) {
    if (n.category != Category::kPollEvent || !n.printed || n.value == 0) continue;
    if ((rest & n.value) == n.value) {
      if (!out.empty()) out += '|';
      out += n.name;
      rest &= ~n.value;
    }
  }
  if (rest != 0) {
    if (!out.empty()) out += '|';
    out += fmt::format("{:#x}", rest);
  }
  return out.empty() ? "0" : out;
}

std::string Error(std::int64_t code) {
  // The personality's error table is the one place that names codes.
  if (code == 0 || code < std::numeric_limits<int>::min() ||
      code > std::numeric_limits<int>::max()) {
    return {};
  }
  if (auto info = stack::windows_abi::WsaErrorByValue(static_cast<int>(code))) {
    return std::string(info->symbol);
  }
  return {};
}

std::optional<std::array<std::uint8_t, 16>> Guid(std::string_view name) {
  // The stack's table of extension functions is the one source of the GUID bytes.
  for (const auto& f : stack::windows_abi::ExtensionFunctions()) {
    if (f.guid_symbol == name) return f.guid;
  }
  return std::nullopt;
}

}  // namespace socksim::tools::windows_symbols
