// File: stack/personality/windows/windows_release.h
// The Windows release a personality imitates (the scenario header `windows 10`), and every
// behaviour of the model that differs between releases, each with its source. The default is
// Windows 11.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::stack::windows_abi {

/// A Windows client release, in order.
struct WindowsRelease {
  enum class Name : std::uint8_t { kXp, kVista, k7, k8, k81, k10, k11 };
  Name name = Name::k11;

  friend auto operator<=>(const WindowsRelease&, const WindowsRelease&) = default;

  /// "xp", "vista", "7", "8", "8.1", "10", "11".
  std::string ToString() const;
  /// Parses the spellings ToString gives; nullopt for anything else.
  static std::optional<WindowsRelease> Parse(std::string_view text);

  /// A successful Winsock call sets the last error to 0 from Windows 7 on and leaves it alone
  /// before (reference row 40; Wine test_getsockname, test_bind, test_shutdown accept the old
  /// value only "< 7").
  bool SuccessClearsLastError() const { return name >= Name::k7; }
  /// The AF_UNIX provider exists from Windows 10 (version 1803, "AF_UNIX comes to Windows").
  bool HasAfUnix() const { return name >= Name::k10; }
  /// The IPv6 catalog entries come before the IPv4 ones, so WSASocket(AF_UNSPEC, ...) with a
  /// protocol picks AF_INET6 (Wine test_WSASocket accepts AF_INET6 for these cases "win11";
  /// confidence M-L).
  bool Ipv6EntriesFirst() const { return name >= Name::k11; }
};

/// The default: Windows 11.
inline constexpr WindowsRelease kNewestRelease{WindowsRelease::Name::k11};

}  // namespace socksim::stack::windows_abi
