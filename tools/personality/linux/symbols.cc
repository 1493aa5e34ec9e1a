// File: tools/personality/linux/symbols.cc
// Tables of Linux x86-64 constant names (uapi headers) and strace-style flag printing.
#include "tools/personality/linux/symbols.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace socksim::tools::linux_symbols {
namespace {

struct Named {
  std::string_view name;
  std::int64_t value;
};

constexpr std::array kFamilies = {
    Named{"AF_UNSPEC", 0}, Named{"AF_UNIX", 1}, Named{"AF_LOCAL", 1}, Named{"AF_INET", 2},
    Named{"AF_INET6", 10}, Named{"AF_NETLINK", 16}, Named{"AF_PACKET", 17},
    Named{"PF_UNSPEC", 0}, Named{"PF_UNIX", 1}, Named{"PF_LOCAL", 1}, Named{"PF_INET", 2},
    Named{"PF_INET6", 10},
};
constexpr std::array kTypes = {
    Named{"SOCK_STREAM", 1}, Named{"SOCK_DGRAM", 2}, Named{"SOCK_RAW", 3},
    Named{"SOCK_RDM", 4}, Named{"SOCK_SEQPACKET", 5}, Named{"SOCK_DCCP", 6},
    Named{"SOCK_PACKET", 10},
};
constexpr std::array kTypeFlags = {Named{"SOCK_CLOEXEC", 02000000}, Named{"SOCK_NONBLOCK", 04000}};
constexpr std::array kProtocols = {
    Named{"IPPROTO_IP", 0}, Named{"IPPROTO_ICMP", 1}, Named{"IPPROTO_TCP", 6},
    Named{"IPPROTO_UDP", 17}, Named{"IPPROTO_IPV6", 41}, Named{"IPPROTO_RAW", 255},
};
constexpr std::array kLevels = {
    Named{"SOL_IP", 0}, Named{"SOL_SOCKET", 1}, Named{"SOL_TCP", 6}, Named{"SOL_UDP", 17},
    Named{"SOL_IPV6", 41},
};
constexpr std::array kSocketOptions = {
    Named{"SO_DEBUG", 1},      Named{"SO_REUSEADDR", 2},  Named{"SO_TYPE", 3},
    Named{"SO_ERROR", 4},      Named{"SO_DONTROUTE", 5},  Named{"SO_BROADCAST", 6},
    Named{"SO_SNDBUF", 7},     Named{"SO_RCVBUF", 8},     Named{"SO_KEEPALIVE", 9},
    Named{"SO_LINGER", 13},    Named{"SO_REUSEPORT", 15}, Named{"SO_PASSCRED", 16},
    Named{"SO_PEERCRED", 17},  Named{"SO_ACCEPTCONN", 30}, Named{"SO_PROTOCOL", 38},
    Named{"SO_DOMAIN", 39},
};
constexpr std::array kIpv6Options = {Named{"IPV6_V6ONLY", 26}};
constexpr std::array kShut = {Named{"SHUT_RD", 0}, Named{"SHUT_WR", 1}, Named{"SHUT_RDWR", 2}};
constexpr std::array kMsgFlags = {
    Named{"MSG_OOB", 0x1},        Named{"MSG_PEEK", 0x2},     Named{"MSG_DONTROUTE", 0x4},
    Named{"MSG_CTRUNC", 0x8},     Named{"MSG_TRUNC", 0x20},   Named{"MSG_DONTWAIT", 0x40},
    Named{"MSG_EOR", 0x80},       Named{"MSG_WAITALL", 0x100}, Named{"MSG_NOSIGNAL", 0x4000},
    Named{"MSG_CMSG_CLOEXEC", 0x40000000},
};
constexpr std::array kOther = {
    Named{"O_RDONLY", 0},      Named{"O_WRONLY", 1},       Named{"O_RDWR", 2},
    Named{"O_NONBLOCK", 04000}, Named{"O_CLOEXEC", 02000000}, Named{"O_PATH", 010000000},
    Named{"AT_FDCWD", -100},   Named{"SCM_RIGHTS", 1},     Named{"SCM_CREDENTIALS", 2},
};

template <typename Table>
std::optional<std::int64_t> Find(const Table& table, std::string_view name) {
  for (const auto& n : table) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

template <typename Table>
std::optional<std::string_view> NameOf(const Table& table, std::int64_t value) {
  for (const auto& n : table) {
    if (n.value == value) return n.name;
  }
  return std::nullopt;
}

// strace prints a flag set as NAME|NAME|0xrest, or 0 when empty.
template <typename Table>
std::string Flags(const Table& table, std::int64_t value) {
  std::string out;
  std::int64_t rest = value;
  for (const auto& n : table) {
    if (n.value != 0 && (rest & n.value) == n.value) {
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

}  // namespace

std::optional<std::int64_t> Lookup(std::string_view name) {
  for (auto r : {Find(kFamilies, name), Find(kTypes, name), Find(kTypeFlags, name),
                 Find(kProtocols, name), Find(kLevels, name), Find(kSocketOptions, name),
                 Find(kIpv6Options, name), Find(kShut, name), Find(kMsgFlags, name),
                 Find(kOther, name)}) {
    if (r) return r;
  }
  return std::nullopt;
}

std::string Family(std::int64_t value) {
  // The first name of a value is the one strace prints (AF_UNIX, not AF_LOCAL).
  if (auto n = NameOf(kFamilies, value)) return std::string(*n);
  return std::to_string(value);
}

std::string SockType(std::int64_t value) {
  const std::int64_t base = value & 0xf;
  std::string out;
  if (auto n = NameOf(kTypes, base)) {
    out = std::string(*n);
  } else {
    out = fmt::format("{:#x}", base);
  }
  const std::int64_t flags = value & ~std::int64_t{0xf};
  if (flags != 0) out += "|" + Flags(kTypeFlags, flags);
  return out;
}

std::string Protocol(std::int64_t family, std::int64_t value) {
  if (family == 1) return std::to_string(value);  // AF_UNIX protocols print as numbers
  if (auto n = NameOf(kProtocols, value)) return std::string(*n);
  return std::to_string(value);
}

std::string Level(std::int64_t value) {
  if (auto n = NameOf(kLevels, value)) return std::string(*n);
  return std::to_string(value);
}

std::string Option(std::int64_t level, std::int64_t value) {
  if (level == 1) {
    if (auto n = NameOf(kSocketOptions, value)) return std::string(*n);
  }
  if (level == 41) {
    if (auto n = NameOf(kIpv6Options, value)) return std::string(*n);
  }
  return std::to_string(value);
}

std::string Shutdown(std::int64_t value) {
  if (auto n = NameOf(kShut, value)) return std::string(*n);
  return std::to_string(value);
}

std::string MsgFlags(std::int64_t value) { return Flags(kMsgFlags, value); }

std::string AcceptFlags(std::int64_t value) { return Flags(kTypeFlags, value); }

}  // namespace socksim::tools::linux_symbols
