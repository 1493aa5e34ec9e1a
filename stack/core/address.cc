// File: stack/core/address.cc
// Names of neutral families and types, and address text for diagnostics.
#include "stack/core/address.h"

namespace socksim::stack {

const char* ToString(Family family) {
  switch (family) {
    case Family::kUnspec:
      return "unspec";
    case Family::kInet:
      return "inet";
    case Family::kInet6:
      return "inet6";
    case Family::kUnix:
      return "unix";
  }
  return "?";
}

const char* ToString(SockType type) {
  switch (type) {
    case SockType::kStream:
      return "stream";
    case SockType::kDgram:
      return "dgram";
    case SockType::kSeqPacket:
      return "seqpacket";
  }
  return "?";
}

std::string UnixAddress::ToString() const {
  switch (kind) {
    case Kind::kUnnamed:
      return "unnamed";
    case Kind::kPathname:
      return "path:" + name;
    case Kind::kAbstract: {
      std::string out = "abstract:@";
      for (char c : name) out += (c == '\0') ? std::string("\\0") : std::string(1, c);
      return out;
    }
  }
  return "?";
}

std::string ToString(const SocketAddress& address) {
  if (std::holds_alternative<UnspecifiedAddress>(address)) return "unspec";
  if (const auto* ep = std::get_if<sim::Endpoint>(&address)) return ep->ToString();
  return std::get<UnixAddress>(address).ToString();
}

}  // namespace socksim::stack
