// File: tools/personality/linux/sockaddr_values.cc
// Conversion between strace's sockaddr notation and Linux sockaddr bytes (layouts from the
// Linux personality's codec: sockaddr_in 16, sockaddr_in6 28, sockaddr_un 110 bytes).
#include "tools/personality/linux/sockaddr_values.h"

#include <fmt/format.h>

#include "sim/ip_address.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tools/personality/linux/symbols.h"
#include "tools/scenario/numbers.h"
#include "tools/scenario/values.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;

void PutU16Be(std::vector<std::uint8_t>& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

void PutU32Be(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

void PutU32Le(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::optional<std::int64_t> IntegerOf(const Value& v) {
  if (v.kind == Value::Kind::kInteger) return v.integer;
  if (v.kind == Value::Kind::kSymbol) return linux_symbols::Lookup(v.text);
  return std::nullopt;
}

// htons(N) / htonl(N) / a plain number.
std::optional<std::int64_t> Wrapped(const Value& v, std::string_view fn) {
  if (v.kind == Value::Kind::kCall && v.text == fn && v.items.size() == 1) return IntegerOf(v.items[0]);
  return IntegerOf(v);
}

// sin6_scope_id: a number or if_nametoindex("lo"/"ethN").
std::optional<std::int64_t> ScopeId(const Value& v) {
  if (v.kind == Value::Kind::kCall && v.text == "if_nametoindex" && v.items.size() == 1 &&
      v.items[0].kind == Value::Kind::kString) {
    return InterfaceIndexOf(v.items[0].text);
  }
  return IntegerOf(v);
}

std::string EscapeNone(const std::string& s) { return s; }

}  // namespace

std::optional<std::int64_t> InterfaceIndexOf(std::string_view name) {
  if (name == "lo") return 1;
  if (name.size() > 3 && name.substr(0, 3) == "eth") {
    const auto n = numbers::ParseUint64(name.substr(3));
    if (n && *n < 0xfffffffdULL) return static_cast<std::int64_t>(*n) + 2;
  }
  return std::nullopt;
}

void CanonicalizeScopeNames(Value& v) {
  if (v.kind == Value::Kind::kCall && v.text == "if_nametoindex" && v.items.size() == 1 &&
      v.items[0].kind == Value::Kind::kString) {
    if (const auto index = InterfaceIndexOf(v.items[0].text)) {
      Value number = values::Integer(*index);
      number.location = v.location;
      v = std::move(number);
    }
    return;
  }
  for (auto& f : v.fields) CanonicalizeScopeNames(f.value);
  for (auto& item : v.items) CanonicalizeScopeNames(item);
}

std::optional<std::vector<std::uint8_t>> LinuxSockaddrBytes(const Value& value,
                                                            std::string* error) {
  if (value.kind != Value::Kind::kStruct) {
    *error = "expected a sockaddr {sa_family=...}";
    return std::nullopt;
  }
  const Value* family_v = values::FieldOf(value, "sa_family");
  if (family_v == nullptr) {
    *error = "a sockaddr needs sa_family=";
    return std::nullopt;
  }
  const auto family = IntegerOf(*family_v);
  if (!family) {
    *error = "unknown address family '" + family_v->ToString() + "'";
    return std::nullopt;
  }
  // The generic form strace prints for families it does not decode or for short addresses.
  if (const Value* data = values::FieldOf(value, "sa_data")) {
    if (data->kind != Value::Kind::kString) {
      *error = "sa_data must be a string";
      return std::nullopt;
    }
    std::vector<std::uint8_t> b(2 + data->text.size());
    b[0] = static_cast<std::uint8_t>(*family);
    b[1] = static_cast<std::uint8_t>(*family >> 8);
    for (std::size_t i = 0; i < data->text.size(); ++i) b[2 + i] = static_cast<std::uint8_t>(data->text[i]);
    return b;
  }
  if (*family == la::kAfInet) {
    std::vector<std::uint8_t> b(la::kSockaddrInSize, 0);
    b[0] = la::kAfInet;
    const Value* port = values::FieldOf(value, "sin_port");
    const Value* addr = values::FieldOf(value, "sin_addr");
    if (port == nullptr || addr == nullptr) {
      *error = "AF_INET needs sin_port= and sin_addr=";
      return std::nullopt;
    }
    const auto p = Wrapped(*port, "htons");
    if (!p || *p < 0 || *p > 65535) {
      *error = "bad sin_port '" + port->ToString() + "'";
      return std::nullopt;
    }
    PutU16Be(b, 2, static_cast<std::uint16_t>(*p));
    if (addr->kind == Value::Kind::kCall && addr->text == "inet_addr" && addr->items.size() == 1 &&
        addr->items[0].kind == Value::Kind::kString) {
      const auto ip = sim::IpAddress::Parse(addr->items[0].text);
      if (!ip || !ip->is_v4()) {
        *error = "bad IPv4 address '" + addr->items[0].text + "'";
        return std::nullopt;
      }
      PutU32Be(b, 4, ip->v4_uint());
    } else if (auto raw = Wrapped(*addr, "htonl")) {
      PutU32Be(b, 4, static_cast<std::uint32_t>(*raw));
    } else {
      *error = "bad sin_addr '" + addr->ToString() + "'";
      return std::nullopt;
    }
    return b;
  }
  if (*family == la::kAfInet6) {
    std::vector<std::uint8_t> b(la::kSockaddrIn6Size, 0);
    b[0] = la::kAfInet6;
    const Value* port = values::FieldOf(value, "sin6_port");
    if (port == nullptr) {
      *error = "AF_INET6 needs sin6_port=";
      return std::nullopt;
    }
    const auto p = Wrapped(*port, "htons");
    if (!p || *p < 0 || *p > 65535) {
      *error = "bad sin6_port '" + port->ToString() + "'";
      return std::nullopt;
    }
    PutU16Be(b, 2, static_cast<std::uint16_t>(*p));
    if (const Value* flow = values::FieldOf(value, "sin6_flowinfo")) {
      const auto f = Wrapped(*flow, "htonl");
      if (!f) {
        *error = "bad sin6_flowinfo '" + flow->ToString() + "'";
        return std::nullopt;
      }
      PutU32Be(b, 4, static_cast<std::uint32_t>(*f));
    }
    // The address is the positional member inet_pton(AF_INET6, "::1", &sin6_addr).
    bool have_address = false;
    for (const auto& f : value.fields) {
      const Value& v = f.value;
      if (f.name.empty() && v.kind == Value::Kind::kCall && v.text == "inet_pton" &&
          v.items.size() == 3 && v.items[1].kind == Value::Kind::kString) {
        const auto ip = sim::IpAddress::Parse(v.items[1].text);
        if (!ip || !ip->is_v6()) {
          *error = "bad IPv6 address '" + v.items[1].text + "'";
          return std::nullopt;
        }
        for (int i = 0; i < 16; ++i) b[8 + i] = ip->bytes()[i];
        have_address = true;
      }
    }
    if (!have_address) {
      *error = "AF_INET6 needs inet_pton(AF_INET6, \"...\", &sin6_addr)";
      return std::nullopt;
    }
    if (const Value* scope = values::FieldOf(value, "sin6_scope_id")) {
      const auto s = ScopeId(*scope);
      if (!s) {
        *error = "bad sin6_scope_id '" + scope->ToString() + "'";
        return std::nullopt;
      }
      PutU32Le(b, 24, static_cast<std::uint32_t>(*s));
    }
    return b;
  }
  if (*family == la::kAfUnix) {
    const Value* path = values::FieldOf(value, "sun_path");
    if (path == nullptr) return std::vector<std::uint8_t>{la::kAfUnix, 0};  // unnamed
    std::vector<std::uint8_t> b{la::kAfUnix, 0};
    if (path->kind == Value::Kind::kTagged && path->tag == "@") {
      b.push_back(0);
    } else if (path->kind != Value::Kind::kString) {
      *error = "sun_path must be a string or @\"abstract\"";
      return std::nullopt;
    }
    for (char c : path->text) b.push_back(static_cast<std::uint8_t>(c));
    if (path->kind == Value::Kind::kString) b.push_back(0);  // as a C program's strlen + 1
    return b;
  }
  if (*family == la::kAfUnspec) return std::vector<std::uint8_t>(16, 0);
  *error = fmt::format("sockaddr family {} is not modelled", EscapeNone(family_v->ToString()));
  return std::nullopt;
}

Value LinuxSockaddrValue(std::span<const std::uint8_t> bytes) {
  using values::Call;
  using values::Integer;
  std::vector<Value::Field> fields;
  if (bytes.size() < 2) {
    // strace prints what it can; fewer than two bytes carry not even a family.
    std::string raw(bytes.begin(), bytes.end());
    fields.push_back({"sa_family", values::Symbol("AF_UNSPEC")});
    fields.push_back({"sa_data", values::String(raw)});
    return values::Struct(std::move(fields));
  }
  const int family = bytes[0] | (bytes[1] << 8);
  fields.push_back({"sa_family", values::Symbol(linux_symbols::Family(family))});
  auto be16 = [&](std::size_t at) { return (bytes[at] << 8) | bytes[at + 1]; };
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
           (std::uint32_t{bytes[at + 2]} << 8) | bytes[at + 3];
  };
  if (family == la::kAfInet && bytes.size() >= la::kSockaddrInSize) {
    fields.push_back({"sin_port", Call("htons", {Integer(be16(2))})});
    fields.push_back({"sin_addr", Call("inet_addr", {values::String(sim::IpAddress::V4FromUint(be32(4)).ToString())})});
    return values::Struct(std::move(fields));
  }
  if (family == la::kAfInet6 && bytes.size() >= la::kSockaddrIn6Size) {
    std::array<std::uint8_t, 16> a{};
    for (int i = 0; i < 16; ++i) a[i] = bytes[8 + i];
    const std::uint32_t scope = bytes[24] | (bytes[25] << 8) | (bytes[26] << 16) |
                                (std::uint32_t{bytes[27]} << 24);
    fields.push_back({"sin6_port", Call("htons", {Integer(be16(2))})});
    fields.push_back({"sin6_flowinfo", Call("htonl", {Integer(be32(4))})});
    fields.push_back({"", Call("inet_pton", {values::Symbol("AF_INET6"),
                                             values::String(sim::IpAddress::V6(a).ToString()),
                                             values::AddressOf("sin6_addr")})});
    fields.push_back({"sin6_scope_id", Integer(scope)});
    return values::Struct(std::move(fields));
  }
  if (family == la::kAfUnix) {
    if (bytes.size() == 2) return values::Struct(std::move(fields));
    if (bytes[2] == 0) {
      fields.push_back({"sun_path", values::Tagged("@", std::string(bytes.begin() + 3, bytes.end()))});
    } else {
      std::string path;
      for (std::size_t i = 2; i < bytes.size() && bytes[i] != 0; ++i) path += static_cast<char>(bytes[i]);
      fields.push_back({"sun_path", values::String(path)});
    }
    return values::Struct(std::move(fields));
  }
  // Short or undecoded: the generic sa_data dump.
  fields.push_back({"sa_data", values::String(std::string(bytes.begin() + 2, bytes.end()))});
  return values::Struct(std::move(fields));
}

}  // namespace socksim::tools
