// File: stack/personality/linux/kernel_version.h
// The Linux release a personality imitates, and every behaviour that differs between releases,
// each with its source. The default is the newest behaviour known (6.18, measured).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace socksim::stack::linux_abi {

/// A Linux release as major.minor.
struct KernelVersion {
  int major = 6;
  int minor = 18;

  friend auto operator<=>(const KernelVersion&, const KernelVersion&) = default;

  /// "6.18"
  std::string ToString() const;
  /// Parses "6.18" or "6.18.44"; nullopt for anything else.
  static std::optional<KernelVersion> Parse(std::string_view text);

  /// net/socket.c move_addr_to_user: since 6.18 ("net: remove one stac/clac pair from
  /// move_addr_to_user()") the full length is stored in *addrlen before the address is
  /// copied; up to 6.17 the address was copied first and *addrlen written last.
  bool WritesLengthBeforeAddress() const { return *this >= KernelVersion{6, 18}; }

  /// fs/eventpoll.c: since 6.9 ("eventpoll: Add epoll ioctl for epoll_params") an epoll file
  /// has an ioctl of its own, ep_eventpoll_ioctl, which answers any request but
  /// EPIOCSPARAMS/EPIOCGPARAMS with EINVAL; before, vfs_ioctl found none (ENOTTY).
  bool EpollHasIoctl() const { return *this >= KernelVersion{6, 9}; }
};

/// The default: the newest behaviour socksim knows.
inline constexpr KernelVersion kNewestKernel{6, 18};

}  // namespace socksim::stack::linux_abi
