// File: stack/personality/windows/provider/chain_kind.cc
// The spellings of the base entries a layered provider names.
#include "stack/personality/windows/provider/chain_kind.h"

#include <array>
#include <utility>

namespace socksim::stack::windows_abi {
namespace {

constexpr std::array<std::pair<ChainKind, std::string_view>, 7> kKindNames = {{
    {ChainKind::kTcp, "tcp"},
    {ChainKind::kUdp, "udp"},
    {ChainKind::kRaw, "raw"},
    {ChainKind::kTcp6, "tcp6"},
    {ChainKind::kUdp6, "udp6"},
    {ChainKind::kRaw6, "raw6"},
    {ChainKind::kUnix, "unix"},
}};

}  // namespace

std::string_view ToString(ChainKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<ChainKind> ChainKindByName(std::string_view name) {
  for (const auto& [k, spelling] : kKindNames) {
    if (spelling == name) return k;
  }
  return std::nullopt;
}

}  // namespace socksim::stack::windows_abi
