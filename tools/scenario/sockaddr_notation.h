// File: tools/scenario/sockaddr_notation.h
// strace's sockaddr notation, read into neutral addresses and printed from them, for every
// personality: {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("10.0.0.2")}, the
// AF_INET6 form with sin6_flowinfo=htonl(N), inet_pton(AF_INET6, "::1", &sin6_addr) and
// sin6_scope_id=N or if_nametoindex("lo"), AF_UNIX with sun_path="p" or sun_path=@"abstract",
// and the generic {sa_family=N, sa_data="..."} form. The notation is the same whatever the
// system; what differs is the family numbers (AF_INET6 is 10 on Linux, 23 on Windows) and the
// bytes, so a personality supplies its Families and turns a Parsed address into bytes with
// its own codec (and decodes returned bytes with it before printing them here).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/ip_address.h"
#include "stack/core/address.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/call_binder.h"

namespace socksim::tools::sockaddr_notation {

/// A personality's address family numbers, and its constants for reading the notation.
struct Families {
  std::int64_t unspec = 0;
  std::int64_t local = 0;  // AF_UNIX
  std::int64_t inet = 0;
  std::int64_t inet6 = 0;
  /// Resolves the names written in a sockaddr (AF_INET, and any constant of the personality).
  SymbolLookup lookup = nullptr;
};

/// A sockaddr as the notation describes it, before a personality lays out its bytes.
struct Parsed {
  enum class Kind {
    kRaw,     // {sa_family=N, sa_data="..."}: the family field and the bytes after it
    kInet,    // endpoint (port, IPv4 address)
    kInet6,   // endpoint (port, flow info, IPv6 address, scope id)
    kUnix,    // named, abstract, path
    kUnspec,  // {sa_family=AF_UNSPEC}
  };
  Kind kind = Kind::kRaw;
  std::uint16_t family = 0;  // kRaw: the family field as written
  std::string data;          // kRaw: the bytes after the family field
  sim::Endpoint endpoint;    // kInet, kInet6
  bool named = false;        // kUnix: a sun_path was written (else the unnamed address)
  bool abstract = false;     // kUnix: sun_path=@"..."
  std::string path;          // kUnix: the name's bytes as written
};

/// Reads a sockaddr value; nullopt with `error` set when the value is not one (a missing
/// member, a bad port or address, a family the notation does not decode). `_` inside
/// (htons(_)) is an error here: inputs must be concrete.
std::optional<Parsed> Read(const Value& value, const Families& families, std::string* error);

/// {sa_family=FAMILY, sin_port=htons(P), sin_addr=inet_addr("A")}
Value InetValue(std::string family_symbol, const sim::Endpoint& endpoint);
/// {sa_family=FAMILY, sin6_port=htons(P), sin6_flowinfo=htonl(F),
///  inet_pton(AF_INET6, "A", &sin6_addr), sin6_scope_id=S}
Value Inet6Value(std::string family_symbol, const sim::Endpoint& endpoint);
/// {sa_family=FAMILY} for an unnamed address, else with sun_path="p" or sun_path=@"name".
Value UnixValue(std::string family_symbol, const stack::UnixAddress& name);
/// {sa_family=FAMILY, sa_data="..."}: the generic form for a short or undecoded address.
Value RawValue(std::string family_symbol, std::string data);

/// The index the simulated host gives an interface name strace printed (lo is 1, ethN is
/// N + 2: interfaces in creation order); names are never resolved against the machine running
/// socksim. nullopt for any other name.
std::optional<std::int64_t> InterfaceIndexOf(std::string_view name);

/// Replaces every if_nametoindex("NAME") inside `v` whose name InterfaceIndexOf knows by the
/// number (what the call tables print).
void CanonicalizeScopeNames(Value& v);
/// Whether `v` holds an if_nametoindex(...) call that CanonicalizeScopeNames could replace.
bool HasScopeNames(const Value& v);

}  // namespace socksim::tools::sockaddr_notation
