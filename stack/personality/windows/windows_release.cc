// File: stack/personality/windows/windows_release.cc
// Parsing and printing of Windows releases.
#include "stack/personality/windows/windows_release.h"

#include <array>
#include <utility>

namespace socksim::stack::windows_abi {
namespace {

constexpr std::array<std::pair<WindowsRelease::Name, std::string_view>, 7> kNames = {{
    {WindowsRelease::Name::kXp, "xp"},
    {WindowsRelease::Name::kVista, "vista"},
    {WindowsRelease::Name::k7, "7"},
    {WindowsRelease::Name::k8, "8"},
    {WindowsRelease::Name::k81, "8.1"},
    {WindowsRelease::Name::k10, "10"},
    {WindowsRelease::Name::k11, "11"},
}};

}  // namespace

std::string WindowsRelease::ToString() const {
  for (const auto& [n, text] : kNames) {
    if (n == name) return std::string(text);
  }
  return "?";
}

std::optional<WindowsRelease> WindowsRelease::Parse(std::string_view text) {
  for (const auto& [n, spelling] : kNames) {
    if (spelling == text) return WindowsRelease{n};
  }
  return std::nullopt;
}

}  // namespace socksim::stack::windows_abi
