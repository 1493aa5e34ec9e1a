// File: tools/personality/illumos/symbols.cc
// illumos constant names read from the personality's abi.def (the one source of the numbers),
// and the errno and t_errno names and texts from its errno table.
#include "tools/personality/illumos/symbols.h"

#include <iterator>

#include "stack/personality/illumos/errno_table.h"

namespace socksim::tools::illumos_symbols {
namespace {

namespace ia = stack::illumos_abi;

enum class Category {
  kFamily,
  kSockType,
  kTypeFlag,
  kProtocol,
  kLevel,
  kSocketOption,
  kShutdown,
  kMsgFlag,
  kOpenFlag,
  kFcntlCmd,
  kIoctl,
  kServiceType,
  kPrivFlag,
  kOther,
};

struct Named {
  Category category;
  std::string_view name;
  std::int64_t value;
  bool printed;  // false for an alias, read but never printed
};

// Every constant of the illumos personality's abi.def.
constexpr Named kAll[] = {
#define SOCKSIM_ABI(category, name, symbol, value) Named{Category::category, symbol, value, true},
#define SOCKSIM_ABI_ALIAS(category, symbol, value) Named{Category::category, symbol, value, false},
#include "stack/personality/illumos/abi.def"
};

std::string NameIn(Category category, std::int64_t value) {
  for (const Named& n : kAll) {
    if (n.category == category && n.printed && n.value == value) return std::string(n.name);
  }
  return std::to_string(value);
}

}  // namespace

std::optional<std::int64_t> Lookup(std::string_view name) {
  for (const Named& n : kAll) {
    if (n.name == name) return n.value;
  }
  if (const auto e = ia::ErrnoBySymbol(name)) return e->value;
  if (const auto t = ia::TErrnoBySymbol(name)) return t->value;
  return std::nullopt;
}

std::string Family(std::int64_t value) { return NameIn(Category::kFamily, value); }
std::string SockType(std::int64_t value) { return NameIn(Category::kSockType, value); }
std::string Protocol(std::int64_t value) { return NameIn(Category::kProtocol, value); }

std::string ErrnoSymbol(int value) {
  const auto e = ia::ErrnoByValue(value);
  return e ? std::string(e->symbol) : std::string();
}

std::string ErrnoText(int value) {
  const auto e = ia::ErrnoByValue(value);
  return e ? std::string(e->message) : std::string();
}

std::string TliErrorSymbol(int value) {
  const auto t = ia::TErrnoByValue(value);
  return t ? std::string(t->symbol) : std::string();
}

}  // namespace socksim::tools::illumos_symbols
