// File: stack/core/ports.cc
// Who holds which port: conflict checks by the binding socket's sharing policy, registration
// in the host's bind buckets, the choice of automatic ports (the policy's parity, shared
// across distinct four-tuples for connect() when the policy allows it), and bind() for IP
// sockets.
#include <stdexcept>

#include "sim/log.h"
#include "stack/core/demux.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// Which part of the IPv4 and IPv6 address spaces a bound socket covers, for conflict checks.
struct Coverage {
  std::optional<sim::IpAddress> v4;  // unspecified address = any
  std::optional<sim::IpAddress> v6;
};

Coverage CoverageOf(const Socket& s, const sim::IpAddress& address) {
  Coverage c;
  if (address.is_v4()) {
    c.v4 = address;
  } else if (auto v4 = address.UnmapV4()) {
    c.v4 = *v4;
  } else if (address.IsUnspecified()) {
    c.v6 = address;
    // A dual-stack wildcard also takes the IPv4 wildcard (RFC 3493 5.3, IPV6_V6ONLY off).
    if (!s.options.v6_only) c.v4 = sim::IpAddress::AnyV4();
  } else {
    c.v6 = address;
  }
  return c;
}

bool Overlap(const std::optional<sim::IpAddress>& a, const std::optional<sim::IpAddress>& b) {
  if (!a || !b) return false;
  return a->IsUnspecified() || b->IsUnspecified() || *a == *b;
}

}  // namespace

Stack::PortTable& Stack::PortsOf(HostTables& tables, const Socket& socket) {
  return socket.type() == SockType::kStream ? tables.tcp_ports : tables.udp_ports;
}

std::optional<Error> Stack::PortConflict(const Socket& socket,
                                         const sim::Endpoint& wanted) const {
  HostTables* tables = FindTables(socket.node());
  if (tables == nullptr) return std::nullopt;
  const BindBucket* bucket = FindIn(PortsOf(*tables, socket), wanted.port);
  if (bucket == nullptr) return std::nullopt;
  if (socket.policy().port_sharing == PortSharing::kJudgedPerHolder) {
    // The policy's judge owns the whole rule, overlap included.
    const PortJudge judge = socket.policy().port_judge;
    if (judge == nullptr) throw std::logic_error("PortSharing::kJudgedPerHolder needs a judge");
    for (const auto& [ticket, weak] : bucket->owners) {
      const SocketRef other = weak.lock();
      if (!other || other.get() == &socket) continue;
      if (const auto error = judge(socket, wanted, *other)) return error;
    }
    return std::nullopt;
  }
  const Coverage mine = CoverageOf(socket, wanted.address);
  for (const auto& [ticket, weak] : bucket->owners) {
    const SocketRef other = weak.lock();
    if (!other || other.get() == &socket) continue;
    const Coverage theirs = CoverageOf(*other, other->local.address);
    if (!Overlap(mine.v4, theirs.v4) && !Overlap(mine.v6, theirs.v6)) continue;
    // A holder with exclusive use refuses everyone; one that asked to reuse is told that
    // access, not the address, is denied.
    if (other->options.exclusive_address) {
      return socket.options.reuse_address ? Error::kAccessDenied : Error::kAddressInUse;
    }
    if (socket.options.exclusive_address) return Error::kAddressInUse;
    switch (socket.policy().port_sharing) {
      case PortSharing::kAllReuseAndNoneListens:
        if (socket.options.reuse_address && other->options.reuse_address &&
            other->state != TcpState::kListen) {
          continue;
        }
        break;
      case PortSharing::kReuseTakesOver:
        if (socket.options.reuse_address) continue;
        break;
      case PortSharing::kJudgedPerHolder:
        break;  // answered above
    }
    return Error::kAddressInUse;
  }
  return std::nullopt;
}

Result<Ok> Stack::RegisterPort(Socket& socket, const sim::Endpoint& wanted, bool from_connect) {
  if (!from_connect) {
    if (const auto conflict = PortConflict(socket, wanted)) return Fail(*conflict);
  }
  auto& tables = Tables(socket.node());
  BindBucket& bucket = PortsOf(tables, socket)[wanted.port];
  socket.port_ticket = tables.next_registration++;
  bucket.owners.emplace_hint(bucket.owners.end(), socket.port_ticket, socket.weak_from_this());
  if (!from_connect) ++bucket.bound_owners;
  socket.local.port = wanted.port;
  socket.port_registered = true;
  socket.port_from_connect = from_connect;
  return Ok{};
}

void Stack::UnregisterPort(Socket& socket) {
  if (!socket.port_registered) return;
  socket.port_registered = false;
  HostTables* tables = FindTables(socket.node());
  if (tables == nullptr) return;
  auto& ports = PortsOf(*tables, socket);
  BindBucket* bucket = FindIn(ports, socket.local.port);
  if (bucket == nullptr) return;
  if (bucket->owners.erase(socket.port_ticket) == 1 && !socket.port_from_connect) {
    --bucket->bound_owners;
  }
  if (bucket->owners.empty()) ports.erase(socket.local.port);
}

Result<std::uint16_t> Stack::ChooseEphemeralPort(Socket& socket, const sim::IpAddress& address,
                                                 PortUse use) {
  const Policy& policy = socket.policy();
  const bool shares = use == PortUse::kConnect && socket.is_tcp() && policy.connect_shares_ports;
  // Whether `port` may be given to this socket now. A fresh port for bind() must be entirely
  // free, whatever the reuse option says; for connect() a port only other connect()s hold
  // may be shared when the four-tuple stays unique.
  auto usable = [&](std::uint16_t port) {
    if (port == 0) return false;
    const sim::Endpoint candidate{address, port};
    if (shares) {
      HostTables* tables = FindTables(socket.node());
      if (tables == nullptr) return true;
      const BindBucket* bucket = FindIn(PortsOf(*tables, socket), port);
      if (bucket == nullptr) return true;
      if (bucket->bound_owners != 0) return false;
      return !ConnectionExists(socket.node(), WireEndpoint(candidate), WireEndpoint(socket.remote));
    }
    const bool saved_reuse = socket.options.reuse_address;
    socket.options.reuse_address = false;
    const bool conflict = PortConflict(socket, candidate).has_value();
    socket.options.reuse_address = saved_reuse;
    return !conflict;
  };
  if (const auto hint = port_hints_.find(socket.node()); hint != port_hints_.end()) {
    // A replayed trace's choice, taken (without a draw) when it is usable.
    const std::uint16_t port = hint->second;
    port_hints_.erase(hint);
    if (usable(port)) return port;
  }
  // A random starting point in the range (from the world's Rng), then upwards with
  // wrap-around; with a parity preference, first the ports of that parity, then the others.
  const std::uint32_t low = policy.tunables.ephemeral_low;
  const std::uint32_t high = policy.tunables.ephemeral_high;
  if (high < low) return Fail(Error::kAddressInUse);
  const std::uint32_t span = high - low + 1;
  const std::uint64_t offset = world_.rng().UniformBelow(span);
  const PortParity parity = socket.is_tcp()
                                ? (use == PortUse::kConnect ? policy.connect_port_parity
                                                            : policy.bind_port_parity)
                                : PortParity::kAny;
  for (int pass = 0; pass < (parity == PortParity::kAny ? 1 : 2); ++pass) {
    for (std::uint32_t i = 0; i < span; ++i) {
      const auto port = static_cast<std::uint16_t>(low + (offset + i) % span);
      if (parity != PortParity::kAny) {
        const bool even = port % 2 == 0;
        const bool wanted_even = (parity == PortParity::kEvenFirst) == (pass == 0);
        if (even != wanted_even) continue;
      }
      if (usable(port)) return port;
    }
  }
  return Fail(use == PortUse::kConnect ? Error::kAddressNotAvailable : Error::kAddressInUse);
}

Result<Ok> Stack::AutoBind(Socket& socket, PortUse use) {
  if (socket.port_registered) return Ok{};
  auto port = ChooseEphemeralPort(socket, socket.local.address, use);
  if (!port) return Fail(port.error());
  const bool shared = use == PortUse::kConnect && socket.is_tcp() &&
                      socket.policy().connect_shares_ports;
  return RegisterPort(socket, sim::Endpoint{socket.local.address, *port}, shared);
}

Result<Ok> Stack::BindInet(Socket& socket, const sim::Endpoint& wanted,
                           const sim::CredentialSnapshot& caller) {
  // The checks run in this order: the address (it must be this host's, a wildcard, multicast
  // or broadcast; a link-local one needs an existing interface), the privileged port, "already
  // bound", then the port table. A personality whose OS checks in another order tests the
  // earlier conditions itself before calling.
  const sim::IpAddress& addr = wanted.address;
  sim::Endpoint bound = wanted;
  if (socket.family() == Family::kInet6) {
    if (addr.IsV4Mapped()) {
      // A v4-mapped address on an IPv6-only socket is invalid (RFC 3493 5.3).
      if (socket.options.v6_only) return Fail(Error::kInvalidArgument);
      const auto v4 = *addr.UnmapV4();
      if (!v4.IsUnspecified() && !world_.topology().IsLocalAddress(socket.node(), v4)) {
        return Fail(Error::kAddressNotAvailable);
      }
    } else if (!addr.IsUnspecified()) {
      if (addr.IsLinkLocal()) {
        // A link-local address needs an interface, from the scope id (RFC 4007 6).
        if (wanted.scope_id == 0) return Fail(Error::kInvalidArgument);
        if (!world_.topology().FindInterfaceByIndex(socket.node(), wanted.scope_id)) {
          return Fail(Error::kNoSuchDevice);
        }
      }
      if (!world_.topology().IsLocalAddress(socket.node(), addr)) {
        return Fail(Error::kAddressNotAvailable);
      }
    }
    if (!addr.IsLinkLocal()) bound.scope_id = 0;
  } else {
    const bool multicast = (addr.bytes()[0] & 0xf0) == 0xe0;
    const bool broadcast = addr.v4_uint() == 0xffffffffu;
    if (!addr.IsUnspecified() && !multicast && !broadcast &&
        !world_.topology().IsLocalAddress(socket.node(), addr)) {
      return Fail(Error::kAddressNotAvailable);
    }
    bound.scope_id = 0;
  }
  bound.flow_info = 0;
  if (wanted.port != 0 && wanted.port < socket.policy().tunables.privileged_port_limit &&
      !caller.get().privileged()) {
    return Fail(Error::kAccessDenied);
  }
  // "Already bound": a port the socket still holds. A port released after a refused connect
  // no longer counts, although the socket's name may still show it.
  if (socket.state != TcpState::kClosed || socket.port_registered) {
    return Fail(Error::kInvalidArgument);
  }
  const sim::Endpoint saved = socket.local;
  socket.local.address = bound.address;
  socket.local.scope_id = bound.scope_id;
  if (wanted.port == 0 && socket.options.bind_defers_port) {
    // Only the address is taken; nothing enters the port table, so the socket is still
    // "not bound" and a later bind() may change the address again.
    socket.local.port = 0;
    socket.address_locked = !bound.address.IsUnspecified();
    return Ok{};
  }
  if (wanted.port == 0) {
    auto port = ChooseEphemeralPort(socket, bound.address, PortUse::kBind);
    if (!port) {
      socket.local = saved;
      return Fail(port.error());
    }
    bound.port = *port;
  }
  auto registered = RegisterPort(socket, bound, /*from_connect=*/false);
  if (!registered) {
    socket.local = saved;
    return registered;
  }
  socket.address_locked = !bound.address.IsUnspecified();
  socket.port_locked = wanted.port != 0;
  return Ok{};
}

}  // namespace socksim::stack
