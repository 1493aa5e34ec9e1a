// File: tools/personality/linux/sockaddr_values.cc
// Conversion between strace's sockaddr notation and Linux sockaddr bytes. The notation's fields
// become neutral addresses and the bytes come from the Linux personality's codec
// (stack/personality/linux/sockaddr_codec.h), the only code that knows the layouts.
#include "tools/personality/linux/sockaddr_values.h"

#include <fmt/format.h>

#include "sim/ip_address.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tools/personality/linux/symbols.h"
#include "tools/text/numbers.h"
#include "tools/scenario/values.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;

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

// A port member: htons(N) or N, 0..65535; false with `error` set otherwise.
bool PortOf(const Value& v, const char* field, std::uint16_t* port, std::string* error) {
  const auto p = Wrapped(v, "htons");
  if (!p || *p < 0 || *p > 65535) {
    *error = std::string("bad ") + field + " '" + v.ToString() + "'";
    return false;
  }
  *port = static_cast<std::uint16_t>(*p);
  return true;
}

// sin6_scope_id: a number or if_nametoindex("lo"/"ethN").
std::optional<std::int64_t> ScopeId(const Value& v) {
  if (v.kind == Value::Kind::kCall && v.text == "if_nametoindex" && v.items.size() == 1 &&
      v.items[0].kind == Value::Kind::kString) {
    return InterfaceIndexOf(v.items[0].text);
  }
  return IntegerOf(v);
}

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
    if (*family < 0 || *family > 0xffff) {
      *error = "bad sa_family '" + family_v->ToString() + "'";
      return std::nullopt;
    }
    return la::EncodeRaw(static_cast<std::uint16_t>(*family), data->text);
  }
  // The concrete families: the fields become a neutral address and the personality's codec
  // lays out the bytes, so there is one writer of Linux sockaddr bytes.
  if (*family == la::kAfInet) {
    const Value* port = values::FieldOf(value, "sin_port");
    const Value* addr = values::FieldOf(value, "sin_addr");
    if (port == nullptr || addr == nullptr) {
      *error = "AF_INET needs sin_port= and sin_addr=";
      return std::nullopt;
    }
    sim::Endpoint ep;
    if (!PortOf(*port, "sin_port", &ep.port, error)) return std::nullopt;
    if (addr->kind == Value::Kind::kCall && addr->text == "inet_addr" && addr->items.size() == 1 &&
        addr->items[0].kind == Value::Kind::kString) {
      const auto ip = sim::IpAddress::Parse(addr->items[0].text);
      if (!ip || !ip->is_v4()) {
        *error = "bad IPv4 address '" + addr->items[0].text + "'";
        return std::nullopt;
      }
      ep.address = *ip;
    } else if (auto raw = Wrapped(*addr, "htonl")) {
      ep.address = sim::IpAddress::V4FromUint(static_cast<std::uint32_t>(*raw));
    } else {
      *error = "bad sin_addr '" + addr->ToString() + "'";
      return std::nullopt;
    }
    return la::Encode(stack::SocketAddress{ep});
  }
  if (*family == la::kAfInet6) {
    const Value* port = values::FieldOf(value, "sin6_port");
    if (port == nullptr) {
      *error = "AF_INET6 needs sin6_port=";
      return std::nullopt;
    }
    sim::Endpoint ep;
    if (!PortOf(*port, "sin6_port", &ep.port, error)) return std::nullopt;
    if (const Value* flow = values::FieldOf(value, "sin6_flowinfo")) {
      const auto f = Wrapped(*flow, "htonl");
      if (!f) {
        *error = "bad sin6_flowinfo '" + flow->ToString() + "'";
        return std::nullopt;
      }
      ep.flow_info = static_cast<std::uint32_t>(*f);
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
        ep.address = *ip;
        have_address = true;
      }
    }
    if (!have_address) {
      *error = "AF_INET6 needs inet_pton(AF_INET6, \"...\", &sin6_addr)";
      return std::nullopt;
    }
    if (const Value* scope = values::FieldOf(value, "sin6_scope_id")) {
      const auto sc = ScopeId(*scope);
      if (!sc || *sc < 0 || *sc > 0xffffffffLL) {
        *error = "bad sin6_scope_id '" + scope->ToString() + "'";
        return std::nullopt;
      }
      ep.scope_id = static_cast<std::uint32_t>(*sc);
    }
    return la::Encode(stack::SocketAddress{ep});
  }
  if (*family == la::kAfUnix) {
    const Value* path = values::FieldOf(value, "sun_path");
    if (path == nullptr) return la::Encode(stack::SocketAddress{stack::UnixAddress::Unnamed()});
    const bool abstract = path->kind == Value::Kind::kTagged && path->tag == "@";
    if (!abstract && path->kind != Value::Kind::kString) {
      *error = "sun_path must be a string or @\"abstract\"";
      return std::nullopt;
    }
    // As a C program passes it: the name's bytes, a pathname with its terminating NUL.
    return la::EncodeUnixAsPassed(abstract, path->text);
  }
  if (*family == la::kAfUnspec) return std::vector<std::uint8_t>(16, 0);
  *error = fmt::format("sockaddr family {} is not modelled", family_v->ToString());
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
  const int family = *la::ReadFamily(bytes);
  fields.push_back({"sa_family", values::Symbol(linux_symbols::Family(family))});
  // Decoded by the personality's codec; strace prints a field per member.
  if (family == la::kAfInet && bytes.size() >= la::kSockaddrInSize) {
    const sim::Endpoint ep = la::DecodeSockaddrIn(bytes);
    fields.push_back({"sin_port", Call("htons", {Integer(ep.port)})});
    fields.push_back({"sin_addr", Call("inet_addr", {values::String(ep.address.ToString())})});
    return values::Struct(std::move(fields));
  }
  if (family == la::kAfInet6 && bytes.size() >= la::kSockaddrIn6Size) {
    const sim::Endpoint ep = la::DecodeSockaddrIn6(bytes);
    fields.push_back({"sin6_port", Call("htons", {Integer(ep.port)})});
    fields.push_back({"sin6_flowinfo", Call("htonl", {Integer(ep.flow_info)})});
    fields.push_back({"", Call("inet_pton", {values::Symbol("AF_INET6"),
                                             values::String(ep.address.ToString()),
                                             values::AddressOf("sin6_addr")})});
    fields.push_back({"sin6_scope_id", Integer(ep.scope_id)});
    return values::Struct(std::move(fields));
  }
  if (family == la::kAfUnix) {
    if (bytes.size() == 2) return values::Struct(std::move(fields));
    if (bytes.size() <= la::kSockaddrUnSize + 1) {
      const stack::UnixAddress name = la::DecodeReturnedUn(bytes);
      fields.push_back({"sun_path", name.kind == stack::UnixAddress::Kind::kAbstract
                                        ? values::Tagged("@", name.name)
                                        : values::String(name.name)});
      return values::Struct(std::move(fields));
    }
  }
  // Short or undecoded: the generic sa_data dump.
  fields.push_back({"sa_data", values::String(std::string(bytes.begin() + 2, bytes.end()))});
  return values::Struct(std::move(fields));
}

}  // namespace socksim::tools
