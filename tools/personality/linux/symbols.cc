// File: tools/personality/linux/symbols.cc
// Linux constant names as strace prints them, read from the personality's abi.def (the one
// source of the numbers), and strace-style flag printing.
#include "tools/personality/linux/symbols.h"

#include <fmt/format.h>

#include <iterator>
#include <utility>

#include "stack/personality/linux/abi_constants.h"

namespace socksim::tools::linux_symbols {
namespace {

namespace la = stack::linux_abi;

enum class Category { kFamily, kSockType, kTypeFlag, kProtocol, kLevel, kSocketOption,
                      kIpv6Option, kIpOption, kTcpOption, kShutdown, kMsgFlag, kPollEvent, kEpollEvent, kEpollOp,
                      kEpollFlag, kIfFlag, kOther };

struct Named {
  Category category;
  std::string_view name;
  std::int64_t value;
  bool printed;  // false for an alias, read but never printed
};

// Every name of the Linux personality's abi.def, the one source of these numbers.
constexpr Named kAll[] = {
#define SOCKSIM_ABI(category, name, symbol, value) Named{Category::category, symbol, value, true},
#define SOCKSIM_ABI_ALIAS(category, symbol, value) Named{Category::category, symbol, value, false},
#include "stack/personality/linux/abi.def"
#undef SOCKSIM_ABI
};

// The names of one category, in abi.def's order (a view: no copy, no static constructor).
struct CategoryView {
  Category category;
  struct Iterator {
    const Named* at;
    const Named* end;
    Category category;
    void Skip() {
      while (at != end && at->category != category) ++at;
    }
    const Named& operator*() const { return *at; }
    Iterator& operator++() {
      ++at;
      Skip();
      return *this;
    }
    bool operator!=(const Iterator& other) const { return at != other.at; }
  };
  Iterator begin() const {
    Iterator it{std::begin(kAll), std::end(kAll), category};
    it.Skip();
    return it;
  }
  Iterator end() const { return Iterator{std::end(kAll), std::end(kAll), category}; }
};

constexpr CategoryView kFamilies{Category::kFamily};
constexpr CategoryView kTypes{Category::kSockType};
constexpr CategoryView kTypeFlags{Category::kTypeFlag};
constexpr CategoryView kProtocols{Category::kProtocol};
constexpr CategoryView kLevels{Category::kLevel};
constexpr CategoryView kSocketOptions{Category::kSocketOption};
constexpr CategoryView kIpv6Options{Category::kIpv6Option};
constexpr CategoryView kIpOptions{Category::kIpOption};
constexpr CategoryView kTcpOptions{Category::kTcpOption};
constexpr CategoryView kShut{Category::kShutdown};
constexpr CategoryView kMsgFlags{Category::kMsgFlag};
constexpr CategoryView kPollEvents{Category::kPollEvent};
constexpr CategoryView kEpollEvents{Category::kEpollEvent};
constexpr CategoryView kEpollOps{Category::kEpollOp};
constexpr CategoryView kEpollFlags{Category::kEpollFlag};
constexpr CategoryView kIfFlags{Category::kIfFlag};

template <typename Table>
std::optional<std::string_view> NameOf(const Table& table, std::int64_t value) {
  for (const auto& n : table) {
    if (n.printed && n.value == value) return n.name;
  }
  return std::nullopt;
}

// strace prints a flag set as NAME|NAME|0xrest, or 0 when empty.
template <typename Table>
std::string Flags(const Table& table, std::int64_t value) {
  std::string out;
  std::int64_t rest = value;
  for (const auto& n : table) {
    if (n.printed && n.value != 0 && (rest & n.value) == n.value) {
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
  for (const Named& n : kAll) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

std::string Family(std::int64_t value) {
  // Aliases are never printed (AF_UNIX, not AF_LOCAL).
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
  if (family == la::kAfUnix) return std::to_string(value);  // AF_UNIX protocols print as numbers
  if (auto n = NameOf(kProtocols, value)) return std::string(*n);
  return std::to_string(value);
}

std::string Level(std::int64_t value) {
  if (auto n = NameOf(kLevels, value)) return std::string(*n);
  return std::to_string(value);
}

std::string Option(std::int64_t level, std::int64_t value) {
  if (level == la::kSolSocket) {
    if (auto n = NameOf(kSocketOptions, value)) return std::string(*n);
  }
  if (level == la::kSolIpv6) {
    if (auto n = NameOf(kIpv6Options, value)) return std::string(*n);
  }
  if (level == la::kSolIp) {
    if (auto n = NameOf(kIpOptions, value)) return std::string(*n);
  }
  if (level == la::kSolTcp) {
    if (auto n = NameOf(kTcpOptions, value)) return std::string(*n);
  }
  return std::to_string(value);
}

std::string Shutdown(std::int64_t value) {
  if (auto n = NameOf(kShut, value)) return std::string(*n);
  return std::to_string(value);
}

std::string MsgFlags(std::int64_t value) { return Flags(kMsgFlags, value); }

std::string AcceptFlags(std::int64_t value) { return Flags(kTypeFlags, value); }

std::string PollEvents(std::uint32_t value) { return Flags(kPollEvents, value); }

// Sign-extended as the table holds EPOLLET: bit 31 of the int events word.
std::string EpollEvents(std::uint32_t value) {
  return Flags(kEpollEvents, static_cast<std::int32_t>(value));
}

std::string EpollOp(std::int64_t value) {
  if (const auto name = NameOf(kEpollOps, value)) return std::string(*name);
  return std::to_string(value);
}

// strace: an unknown flag as 0x1 /* EPOLL_??? */.
std::string EpollCreateFlags(std::int64_t value) {
  std::string out = Flags(kEpollFlags, value & la::kEpollCloexec);
  const std::int64_t rest = value & ~std::int64_t{la::kEpollCloexec};
  if (rest == 0) return out;
  const std::string unknown = fmt::format("{:#x} /* EPOLL_??? */", rest);
  return (value & la::kEpollCloexec) != 0 ? out + "|" + unknown : unknown;
}

// struct ifreq's ifr_flags is a short: the value is its 16 bits.
std::string IfFlags(std::uint16_t value) { return Flags(kIfFlags, value); }

}  // namespace socksim::tools::linux_symbols
