// File: tools/scenario/sockaddr_notation.cc
// Reading and printing strace's sockaddr notation with a personality's family numbers; the
// bytes are the personality's codec's business (sockaddr_notation.h).
#include "tools/scenario/sockaddr_notation.h"

#include <fmt/format.h>

#include <algorithm>

#include "tools/scenario/values.h"
#include "tools/text/numbers.h"

namespace socksim::tools::sockaddr_notation {
namespace {

std::optional<std::int64_t> IntegerOf(const Value& v, const Families& families) {
  if (v.kind == Value::Kind::kInteger) return v.integer;
  if (v.kind == Value::Kind::kSymbol) return families.lookup(v.text);
  return std::nullopt;
}

// htons(N) / htonl(N) / a plain number.
std::optional<std::int64_t> Wrapped(const Value& v, std::string_view fn, const Families& families) {
  if (v.kind == Value::Kind::kCall && v.text == fn && v.items.size() == 1) {
    return IntegerOf(v.items[0], families);
  }
  return IntegerOf(v, families);
}

// A port member: htons(N) or N, 0..65535; false with `error` set otherwise.
bool PortOf(const Value& v, const char* field, const Families& families, std::uint16_t* port,
            std::string* error) {
  const auto p = Wrapped(v, "htons", families);
  if (!p || *p < 0 || *p > 65535) {
    *error = std::string("bad ") + field + " '" + v.ToString() + "'";
    return false;
  }
  *port = static_cast<std::uint16_t>(*p);
  return true;
}

// sin6_scope_id: a number or if_nametoindex("lo"/"ethN").
std::optional<std::int64_t> ScopeId(const Value& v, const Families& families) {
  if (v.kind == Value::Kind::kCall && v.text == "if_nametoindex" && v.items.size() == 1 &&
      v.items[0].kind == Value::Kind::kString) {
    return InterfaceIndexOf(v.items[0].text);
  }
  return IntegerOf(v, families);
}

std::optional<Parsed> ReadInet(const Value& value, const Families& families, std::string* error) {
  const Value* port = values::FieldOf(value, "sin_port");
  const Value* addr = values::FieldOf(value, "sin_addr");
  if (port == nullptr || addr == nullptr) {
    *error = "AF_INET needs sin_port= and sin_addr=";
    return std::nullopt;
  }
  Parsed out;
  out.kind = Parsed::Kind::kInet;
  if (!PortOf(*port, "sin_port", families, &out.endpoint.port, error)) return std::nullopt;
  if (addr->kind == Value::Kind::kCall && addr->text == "inet_addr" && addr->items.size() == 1 &&
      addr->items[0].kind == Value::Kind::kString) {
    const auto ip = sim::IpAddress::Parse(addr->items[0].text);
    if (!ip || !ip->is_v4()) {
      *error = "bad IPv4 address '" + addr->items[0].text + "'";
      return std::nullopt;
    }
    out.endpoint.address = *ip;
  } else if (auto raw = Wrapped(*addr, "htonl", families)) {
    out.endpoint.address = sim::IpAddress::V4FromUint(static_cast<std::uint32_t>(*raw));
  } else {
    *error = "bad sin_addr '" + addr->ToString() + "'";
    return std::nullopt;
  }
  return out;
}

std::optional<Parsed> ReadInet6(const Value& value, const Families& families, std::string* error) {
  const Value* port = values::FieldOf(value, "sin6_port");
  if (port == nullptr) {
    *error = "AF_INET6 needs sin6_port=";
    return std::nullopt;
  }
  Parsed out;
  out.kind = Parsed::Kind::kInet6;
  sim::Endpoint& ep = out.endpoint;
  if (!PortOf(*port, "sin6_port", families, &ep.port, error)) return std::nullopt;
  if (const Value* flow = values::FieldOf(value, "sin6_flowinfo")) {
    const auto f = Wrapped(*flow, "htonl", families);
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
    const auto sc = ScopeId(*scope, families);
    if (!sc || *sc < 0 || *sc > 0xffffffffLL) {
      *error = "bad sin6_scope_id '" + scope->ToString() + "'";
      return std::nullopt;
    }
    ep.scope_id = static_cast<std::uint32_t>(*sc);
  }
  return out;
}

}  // namespace

std::optional<Parsed> Read(const Value& value, const Families& families, std::string* error) {
  if (value.kind != Value::Kind::kStruct) {
    *error = "expected a sockaddr {sa_family=...}";
    return std::nullopt;
  }
  const Value* family_v = values::FieldOf(value, "sa_family");
  if (family_v == nullptr) {
    *error = "a sockaddr needs sa_family=";
    return std::nullopt;
  }
  const auto family = IntegerOf(*family_v, families);
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
    Parsed out;
    out.kind = Parsed::Kind::kRaw;
    out.family = static_cast<std::uint16_t>(*family);
    out.data = data->text;
    return out;
  }
  if (*family == families.inet) return ReadInet(value, families, error);
  if (*family == families.inet6) return ReadInet6(value, families, error);
  if (*family == families.local) {
    Parsed out;
    out.kind = Parsed::Kind::kUnix;
    const Value* path = values::FieldOf(value, "sun_path");
    if (path == nullptr) return out;
    out.named = true;
    out.abstract = path->kind == Value::Kind::kTagged && path->tag == "@";
    if (!out.abstract && path->kind != Value::Kind::kString) {
      *error = "sun_path must be a string or @\"abstract\"";
      return std::nullopt;
    }
    out.path = path->text;
    return out;
  }
  if (*family == families.unspec) {
    Parsed out;
    out.kind = Parsed::Kind::kUnspec;
    return out;
  }
  *error = fmt::format("sockaddr family {} is not modelled", family_v->ToString());
  return std::nullopt;
}

// The members and arguments below are moved in one by one: a braced list would copy each
// (a getpeername prints one of these per call, and the copies were 2 % of a replay).
namespace {
Value CallOf(std::string name, Value arg) {
  std::vector<Value> args;
  args.push_back(std::move(arg));
  return values::Call(std::move(name), std::move(args));
}
}  // namespace

Value InetValue(std::string family_symbol, const sim::Endpoint& ep) {
  std::vector<Value::Field> fields;
  fields.reserve(3);
  fields.push_back({"sa_family", values::Symbol(std::move(family_symbol))});
  fields.push_back({"sin_port", CallOf("htons", values::Integer(ep.port))});
  fields.push_back({"sin_addr", CallOf("inet_addr", values::String(ep.address.ToString()))});
  return values::Struct(std::move(fields));
}

Value Inet6Value(std::string family_symbol, const sim::Endpoint& ep) {
  std::vector<Value> pton;
  pton.reserve(3);
  pton.push_back(values::Symbol("AF_INET6"));
  pton.push_back(values::String(ep.address.ToString()));
  pton.push_back(values::AddressOf("sin6_addr"));
  std::vector<Value::Field> fields;
  fields.reserve(5);
  fields.push_back({"sa_family", values::Symbol(std::move(family_symbol))});
  fields.push_back({"sin6_port", CallOf("htons", values::Integer(ep.port))});
  fields.push_back({"sin6_flowinfo", CallOf("htonl", values::Integer(ep.flow_info))});
  fields.push_back({"", values::Call("inet_pton", std::move(pton))});
  fields.push_back({"sin6_scope_id", values::Integer(ep.scope_id)});
  return values::Struct(std::move(fields));
}

Value UnixValue(std::string family_symbol, const stack::UnixAddress& name) {
  std::vector<Value::Field> fields;
  fields.push_back({"sa_family", values::Symbol(std::move(family_symbol))});
  if (name.kind != stack::UnixAddress::Kind::kUnnamed) {
    fields.push_back({"sun_path", name.kind == stack::UnixAddress::Kind::kAbstract
                                      ? values::Tagged("@", name.name)
                                      : values::String(name.name)});
  }
  return values::Struct(std::move(fields));
}

Value RawValue(std::string family_symbol, std::string data) {
  return values::Struct({{"sa_family", values::Symbol(std::move(family_symbol))},
                         {"sa_data", values::String(std::move(data))}});
}

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

bool HasScopeNames(const Value& v) {
  if (v.kind == Value::Kind::kCall && v.text == "if_nametoindex") return true;
  return std::any_of(v.fields.begin(), v.fields.end(),
                     [](const Value::Field& f) { return HasScopeNames(f.value); }) ||
         std::any_of(v.items.begin(), v.items.end(),
                     [](const Value& item) { return HasScopeNames(item); });
}

}  // namespace socksim::tools::sockaddr_notation
