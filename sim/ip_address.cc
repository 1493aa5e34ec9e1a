// File: sim/ip_address.cc
// Text conversion and classification of IP addresses (RFC 4291, RFC 5952).
#include "sim/ip_address.h"

#include <fmt/format.h>

#include <vector>

namespace socksim::sim {
namespace {

std::optional<std::uint32_t> ParseV4(std::string_view text) {
  std::uint32_t value = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
    std::uint32_t octet = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      octet = octet * 10 + static_cast<std::uint32_t>(text[i] - '0');
      ++i;
      if (++digits > 3 || octet > 255) return std::nullopt;
    }
    value = (value << 8) | octet;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  return value;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses the groups of one side of "::" into 16-bit words; an IPv4 tail counts as two.
bool ParseV6Groups(std::string_view text, bool allow_v4_tail, std::vector<std::uint16_t>& out) {
  if (text.empty()) return true;
  std::size_t start = 0;
  for (;;) {
    const std::size_t colon = text.find(':', start);
    const std::string_view group =
        text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    const bool last = colon == std::string_view::npos;
    if (last && allow_v4_tail && group.find('.') != std::string_view::npos) {
      const auto v4 = ParseV4(group);
      if (!v4) return false;
      out.push_back(static_cast<std::uint16_t>(*v4 >> 16));
      out.push_back(static_cast<std::uint16_t>(*v4 & 0xffff));
      return true;
    }
    if (group.empty() || group.size() > 4) return false;
    std::uint16_t word = 0;
    for (char c : group) {
      const int h = HexValue(c);
      if (h < 0) return false;
      word = static_cast<std::uint16_t>((word << 4) | h);
    }
    out.push_back(word);
    if (last) return true;
    start = colon + 1;
  }
}

std::optional<std::array<std::uint8_t, 16>> ParseV6(std::string_view text) {
  std::vector<std::uint16_t> head;
  std::vector<std::uint16_t> tail;
  const std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!ParseV6Groups(text, true, head) || head.size() != 8) return std::nullopt;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    if (!ParseV6Groups(text.substr(0, gap), false, head)) return std::nullopt;
    if (!ParseV6Groups(text.substr(gap + 2), true, tail)) return std::nullopt;
    if (head.size() + tail.size() > 7) return std::nullopt;
  }
  std::array<std::uint16_t, 8> words{};
  for (std::size_t i = 0; i < head.size(); ++i) words[i] = head[i];
  for (std::size_t i = 0; i < tail.size(); ++i) words[8 - tail.size() + i] = tail[i];
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<std::uint8_t>(words[i] >> 8);
    bytes[2 * i + 1] = static_cast<std::uint8_t>(words[i] & 0xff);
  }
  return bytes;
}

}  // namespace

IpAddress IpAddress::V4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress ip;
  ip.version_ = IpVersion::kV4;
  ip.bytes_ = {a, b, c, d};
  return ip;
}

IpAddress IpAddress::V4FromUint(std::uint32_t host_order) {
  return V4(static_cast<std::uint8_t>(host_order >> 24), static_cast<std::uint8_t>(host_order >> 16),
            static_cast<std::uint8_t>(host_order >> 8), static_cast<std::uint8_t>(host_order));
}

IpAddress IpAddress::V6(const std::array<std::uint8_t, 16>& bytes) {
  IpAddress ip;
  ip.version_ = IpVersion::kV6;
  ip.bytes_ = bytes;
  return ip;
}

IpAddress IpAddress::AnyV6() { return V6({}); }

IpAddress IpAddress::LoopbackV6() {
  std::array<std::uint8_t, 16> b{};
  b[15] = 1;
  return V6(b);
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.find(':') == std::string_view::npos) {
    const auto v4 = ParseV4(text);
    if (!v4) return std::nullopt;
    return V4FromUint(*v4);
  }
  const auto v6 = ParseV6(text);
  if (!v6) return std::nullopt;
  return V6(*v6);
}

std::uint32_t IpAddress::v4_uint() const {
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
         (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

bool IpAddress::IsUnspecified() const {
  for (auto b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

bool IpAddress::IsLoopback() const {
  if (is_v4()) return bytes_[0] == 127;
  return *this == LoopbackV6();
}

bool IpAddress::IsLinkLocal() const {
  if (is_v4()) return false;
  // RFC 4291 2.5.6 (fe80::/10) and 2.7 (scope 2 multicast, ff02::/16 and its flag variants).
  if (bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80) return true;
  return bytes_[0] == 0xff && (bytes_[1] & 0x0f) == 0x02;
}

bool IpAddress::IsV4Mapped() const {
  if (is_v4()) return false;
  for (int i = 0; i < 10; ++i) {
    if (bytes_[i] != 0) return false;
  }
  return bytes_[10] == 0xff && bytes_[11] == 0xff;
}

IpAddress IpAddress::ToV4Mapped() const {
  if (is_v6()) return *this;
  std::array<std::uint8_t, 16> b{};
  b[10] = 0xff;
  b[11] = 0xff;
  for (int i = 0; i < 4; ++i) b[12 + i] = bytes_[i];
  return V6(b);
}

std::optional<IpAddress> IpAddress::UnmapV4() const {
  if (!IsV4Mapped()) return std::nullopt;
  return V4(bytes_[12], bytes_[13], bytes_[14], bytes_[15]);
}

bool IpAddress::InPrefix(const IpAddress& network, int prefix_len) const {
  if (version_ != network.version_) return false;
  for (int bit = 0; bit < prefix_len; ++bit) {
    const int byte = bit / 8;
    const int mask = 0x80 >> (bit % 8);
    if ((bytes_[byte] & mask) != (network.bytes_[byte] & mask)) return false;
  }
  return true;
}

std::string IpAddress::ToString() const {
  if (is_v4()) return fmt::format("{}.{}.{}.{}", bytes_[0], bytes_[1], bytes_[2], bytes_[3]);
  if (IsV4Mapped()) {
    return fmt::format("::ffff:{}.{}.{}.{}", bytes_[12], bytes_[13], bytes_[14], bytes_[15]);
  }
  std::array<std::uint16_t, 8> words{};
  for (int i = 0; i < 8; ++i) words[i] = static_cast<std::uint16_t>((bytes_[2 * i] << 8) | bytes_[2 * i + 1]);
  // RFC 5952 4.2: compress the longest run of two or more zero words, the first one on a tie.
  int best_start = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    if (words[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += fmt::format("{:x}", words[i]);
  }
  return out;
}

std::string Endpoint::ToString() const {
  if (address.is_v4()) return fmt::format("{}:{}", address.ToString(), port);
  if (scope_id != 0) return fmt::format("[{}%{}]:{}", address.ToString(), scope_id, port);
  return fmt::format("[{}]:{}", address.ToString(), port);
}

}  // namespace socksim::sim
