// File: api/src/address.cc
// The text forms of socksim::Address and its conversion to the stack's neutral addresses.
// The IPv6 scope names are the simulated hosts' interface names (lo is index 1, ethN is
// N + 2), as tools/scenario/sockaddr_notation.h resolves if_nametoindex("ethN").
#include "socksim/address.h"

#include <charconv>
#include <stdexcept>

#include "api/src/address_conversion.h"
#include "sim/ip_address.h"

namespace socksim {
namespace {

std::optional<std::uint32_t> ParseNumber(std::string_view text, std::uint64_t max) {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

// "lo" -> 1, "ethN" -> N + 2, or a number.
std::optional<std::uint32_t> ParseScope(std::string_view scope) {
  if (scope == "lo") return 1;
  if (scope.starts_with("eth")) {
    const auto n = ParseNumber(scope.substr(3), 0xfffffffdU);
    if (n) return *n + 2;
    return std::nullopt;
  }
  return ParseNumber(scope, 0xffffffffU);
}

std::string ScopeText(std::uint32_t scope) {
  if (scope == 1) return "lo";
  if (scope >= 2) return "eth" + std::to_string(scope - 2);
  return "0";
}

std::optional<Address> Fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

}  // namespace

Address::Address(const char* text) : Address(std::string_view(text ? text : "")) {}
Address::Address(const std::string& text) : Address(std::string_view(text)) {}
Address::Address(std::string_view text) {
  std::string error;
  const auto parsed = Parse(text, &error);
  if (!parsed) throw std::invalid_argument(error);
  *this = *parsed;
}

std::optional<Address> Address::Parse(std::string_view text, std::string* error) {
  if (text == "(unspecified)") return Address();
  if (text == "(unnamed)") return UnixUnnamed();
  if (text.starts_with("@")) return UnixAbstract(text.substr(1));
  if (text.starts_with("/")) return UnixPath(text);
  if (text.starts_with("unix:")) {
    if (text.size() == 5) return Fail(error, "'unix:' needs a path after it");
    return UnixPath(text.substr(5));
  }
  // "[ip6%scope]:port" or "ip4:port".
  std::string_view host;
  std::string_view port_text;
  std::uint32_t scope = 0;
  if (text.starts_with("[")) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      return Fail(error, "'" + std::string(text) + "': no ']' after the IPv6 address");
    }
    host = text.substr(1, close - 1);
    const auto rest = text.substr(close + 1);
    if (!rest.starts_with(":")) {
      return Fail(error, "'" + std::string(text) + "': ':PORT' must follow ']'");
    }
    port_text = rest.substr(1);
    if (const auto percent = host.find('%'); percent != std::string_view::npos) {
      const auto s = ParseScope(host.substr(percent + 1));
      if (!s) {
        return Fail(error, "'" + std::string(text) +
                               "': the scope must be a number, lo or ethN");
      }
      scope = *s;
      host = host.substr(0, percent);
    }
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Fail(error, "'" + std::string(text) +
                             "' is no address: write 10.0.0.2:80, [fe80::1%eth0]:80, @name or "
                             "/path");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  const auto port = ParseNumber(port_text, 65535);
  if (!port) return Fail(error, "'" + std::string(text) + "': the port must be 0..65535");
  const auto ip = sim::IpAddress::Parse(host);
  if (!ip) return Fail(error, "'" + std::string(text) + "': '" + std::string(host) +
                                  "' is no IP address");
  const bool bracketed = text.starts_with("[");
  if (bracketed != ip->is_v6()) {
    return Fail(error, "'" + std::string(text) +
                           "': an IPv6 address is written in brackets, an IPv4 one is not");
  }
  return FromNeutral(stack::SocketAddress{
      sim::Endpoint{*ip, static_cast<std::uint16_t>(*port), scope, 0}});
}

Address Address::Ip(std::string_view ip, std::uint16_t port, std::uint32_t scope_id,
                    std::uint32_t flow_info) {
  const auto parsed = sim::IpAddress::Parse(ip);
  if (!parsed) throw std::invalid_argument("'" + std::string(ip) + "' is no IP address");
  return FromNeutral(stack::SocketAddress{sim::Endpoint{*parsed, port, scope_id, flow_info}});
}

Address Address::IpBytes(std::string_view network_order, std::uint16_t port,
                         std::uint32_t scope_id, std::uint32_t flow_info) {
  if (network_order.size() != 4 && network_order.size() != 16) {
    throw std::invalid_argument("an IP address has 4 or 16 bytes, not " +
                                std::to_string(network_order.size()));
  }
  Address a;
  a.kind_ = network_order.size() == 4 ? Kind::kInet : Kind::kInet6;
  a.bytes_ = std::string(network_order);
  a.port_ = port;
  // An IPv4 endpoint has no scope or flow label (sockaddr_in has no such fields).
  a.scope_id_ = a.kind_ == Kind::kInet6 ? scope_id : 0;
  a.flow_info_ = a.kind_ == Kind::kInet6 ? flow_info : 0;
  return a;
}

Address Address::UnixPath(std::string_view path) {
  Address a;
  a.kind_ = Kind::kUnixPath;
  a.bytes_ = std::string(path);
  return a;
}

Address Address::UnixAbstract(std::string_view name) {
  Address a;
  a.kind_ = Kind::kUnixAbstract;
  a.bytes_ = std::string(name);
  return a;
}

Address Address::UnixUnnamed() {
  Address a;
  a.kind_ = Kind::kUnixUnnamed;
  return a;
}

std::string Address::ip() const {
  if (!is_ip()) return "";
  const auto neutral = std::get<sim::Endpoint>(ToNeutral(*this));
  return neutral.address.ToString();
}

std::string Address::ToString() const {
  switch (kind_) {
    case Kind::kUnspecified:
      return "(unspecified)";
    case Kind::kUnixUnnamed:
      return "(unnamed)";
    case Kind::kUnixPath:
      return bytes_.starts_with("/") ? bytes_ : "unix:" + bytes_;
    case Kind::kUnixAbstract: {
      std::string out = "@";
      static constexpr char kHex[] = "0123456789abcdef";
      for (const char c : bytes_) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f && u != '\\') {
          out += c;
        } else {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        }
      }
      return out;
    }
    case Kind::kInet:
      return ip() + ":" + std::to_string(port_);
    case Kind::kInet6: {
      std::string out = "[" + ip();
      if (scope_id_ != 0) out += "%" + ScopeText(scope_id_);
      return out + "]:" + std::to_string(port_);
    }
  }
  return "";
}

std::ostream& operator<<(std::ostream& os, const Address& address) {
  return os << address.ToString();
}

// ---- conversion ----

stack::SocketAddress ToNeutral(const Address& a) {
  switch (a.kind()) {
    case Address::Kind::kUnspecified:
      return stack::UnspecifiedAddress{};
    case Address::Kind::kUnixUnnamed:
      return stack::UnixAddress::Unnamed();
    case Address::Kind::kUnixPath:
      return stack::UnixAddress::Pathname(a.unix_name());
    case Address::Kind::kUnixAbstract:
      return stack::UnixAddress::Abstract(a.unix_name());
    case Address::Kind::kInet:
    case Address::Kind::kInet6: {
      const auto& b = a.ip_bytes();
      sim::IpAddress ip;
      if (a.kind() == Address::Kind::kInet) {
        ip = sim::IpAddress::V4(static_cast<std::uint8_t>(b[0]), static_cast<std::uint8_t>(b[1]),
                                static_cast<std::uint8_t>(b[2]), static_cast<std::uint8_t>(b[3]));
      } else {
        std::array<std::uint8_t, 16> bytes{};
        for (std::size_t i = 0; i < 16; ++i) bytes[i] = static_cast<std::uint8_t>(b[i]);
        ip = sim::IpAddress::V6(bytes);
      }
      return sim::Endpoint{ip, a.port(), a.scope_id(), a.flow_info()};
    }
  }
  return stack::UnspecifiedAddress{};
}

Address FromNeutral(const stack::SocketAddress& neutral) {
  if (const auto* e = std::get_if<sim::Endpoint>(&neutral)) {
    const std::size_t n = e->address.is_v4() ? 4 : 16;
    const std::string bytes(reinterpret_cast<const char*>(e->address.bytes().data()), n);
    return Address::IpBytes(bytes, e->port, e->scope_id, e->flow_info);
  }
  if (const auto* u = std::get_if<stack::UnixAddress>(&neutral)) {
    switch (u->kind) {
      case stack::UnixAddress::Kind::kUnnamed:
        return Address::UnixUnnamed();
      case stack::UnixAddress::Kind::kPathname:
        return Address::UnixPath(u->name);
      case stack::UnixAddress::Kind::kAbstract:
        return Address::UnixAbstract(u->name);
    }
  }
  return Address();
}

}  // namespace socksim
