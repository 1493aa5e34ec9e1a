// File: stack/core/udp.cc
// UDP (RFC 768): the default peer set by connect() (and dissolved by an unspecified address),
// sending, demultiplexing arriving datagrams, and ICMP port-unreachable reports (RFC 1122
// 4.1.3.1, 3.2.2.1). Whether connect() binds before it looks at the destination and what an
// unspecified destination means are the socket's Policy.
#include <fmt/format.h>

#include "sim/log.h"
#include "stack/core/demux.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// The first address of `version` on any non-loopback interface of `node`: the source the
// routing table would give for an on-link destination whose owner does not answer.
sim::IpAddress FallbackSource(const sim::Topology& topology, sim::NodeId node, bool v4) {
  for (const sim::InterfaceId id : topology.node(node).interfaces) {
    const auto& iface = topology.interface(id);
    if (!iface.link) continue;
    for (const auto& a : iface.addresses) {
      if (a.address.is_v4() == v4) return a.address;
    }
  }
  return v4 ? sim::IpAddress::AnyV4() : sim::IpAddress::AnyV6();
}

}  // namespace

Result<ConnectProgress> Stack::UdpConnect(Socket& socket, const SocketAddress& address) {
  if (std::holds_alternative<UnspecifiedAddress>(address)) {
    UdpDisconnect(socket);
    return ConnectProgress::kConnected;
  }
  const auto* ep = std::get_if<sim::Endpoint>(&address);
  if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
  const bool bind_first = socket.policy().datagram_connect_binds_first;
  if (bind_first && !socket.port_registered) {
    socket.local.port = 0;
    auto bound = AutoBind(socket, PortUse::kBind);
    if (!bound) return Fail(Error::kTryAgain);
  }
  sim::Endpoint dest = *ep;
  if (WireEndpoint(dest).address.IsUnspecified()) {
    // The route's destination is what is stored: an unspecified address becomes the loopback
    // address when the policy says it means this host.
    const auto meant = UnspecifiedDestinationFor(socket, dest.address);
    if (!meant) return Fail(Error::kAddressNotAvailable);
    dest.address = *meant;
    if (socket.family() == Family::kInet6 && dest.address.is_v4()) {
      dest.address = dest.address.ToV4Mapped();
    }
  }
  const sim::Endpoint wire = WireEndpoint(dest);
  if (socket.family() == Family::kInet6 && wire.address.is_v4() && socket.options.v6_only) {
    return Fail(Error::kNetworkUnreachable);  // ip6_datagram_connect_v6_only
  }
  if (wire.address.is_v6() && wire.address.IsLinkLocal() && dest.scope_id == 0 &&
      socket.local.scope_id == 0) {
    return Fail(Error::kInvalidArgument);  // ip6_datagram_connect: link-local needs a device
  }
  const std::uint32_t scope = dest.scope_id != 0 ? dest.scope_id : socket.local.scope_id;
  const auto route = world_.topology().RouteTo(socket.node(), wire.address, scope);
  sim::IpAddress source;
  if (route.route) {
    source = RouteSource(socket, *route.route, wire.address);
  } else if (route.error == sim::RouteError::kHostUnreachable) {
    // A datagram connect does not wait for the neighbour: an on-link address is accepted.
    source = FallbackSource(world_.topology(), socket.node(), wire.address.is_v4());
  } else {
    return Fail(RouteErrorToError(route.error));
  }
  if (!bind_first && !socket.port_registered) {
    socket.local.port = 0;
    auto bound = AutoBind(socket, PortUse::kBind);
    if (!bound) return Fail(Error::kTryAgain);
  }
  // The source address is filled only while unset, so a reconnect keeps the first one.
  if (WireEndpoint(socket.local).address.IsUnspecified()) {
    socket.local.address = socket.family() == Family::kInet6 ? source.ToV4Mapped() : source;
  }
  socket.remote = SocketView(socket, wire);
  socket.remote.flow_info = dest.flow_info;
  socket.remote.scope_id = wire.address.IsLinkLocal() ? scope : 0;
  if (socket.family() == Family::kInet6 && dest.address.is_v6()) {
    socket.remote.address = dest.address;
  }
  socket.state = TcpState::kEstablished;
  return ConnectProgress::kConnected;
}

void Stack::UdpDisconnect(Socket& socket) {
  // Forget the peer. If the policy says so, also reset the source address unless bound
  // explicitly, and give the port back unless bound explicitly (then the socket's name shows
  // port 0 again).
  socket.state = TcpState::kClosed;
  socket.remote = sim::Endpoint{
      socket.family() == Family::kInet6 ? sim::IpAddress::AnyV6() : sim::IpAddress::AnyV4(), 0};
  if (!socket.policy().datagram_disconnect_forgets_implicit_name) return;
  if (!socket.address_locked) {
    socket.local.address =
        socket.family() == Family::kInet6 ? sim::IpAddress::AnyV6() : sim::IpAddress::AnyV4();
    socket.local.scope_id = 0;
  }
  if (!socket.port_locked) {
    UnregisterPort(socket);
    socket.local.port = 0;
  }
}

Result<std::size_t> Stack::UdpSend(Socket& socket, Payload& payload,
                                   const std::optional<SocketAddress>& destination) {
  sim::Endpoint dest;
  if (destination && !std::holds_alternative<UnspecifiedAddress>(*destination)) {
    const auto* ep = std::get_if<sim::Endpoint>(&*destination);
    if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
    dest = *ep;
  } else {
    // No address and no default peer.
    if (socket.state != TcpState::kEstablished) return Fail(Error::kDestinationRequired);
    dest = socket.remote;
  }
  if (!socket.port_registered) {
    socket.local.port = 0;
    auto bound = AutoBind(socket, PortUse::kBind);
    if (!bound) return Fail(Error::kTryAgain);
  }
  sim::Endpoint wire_dest = WireEndpoint(dest);
  if (wire_dest.address.IsUnspecified()) {
    const auto meant = UnspecifiedDestinationFor(socket, wire_dest.address);
    if (!meant) return Fail(Error::kAddressNotAvailable);
    wire_dest.address = *meant;
  }
  const auto route = world_.topology().RouteTo(
      socket.node(), wire_dest.address, dest.scope_id != 0 ? dest.scope_id : socket.local.scope_id);
  sim::IpAddress source = WireEndpoint(socket.local).address;
  if (route.route) {
    if (source.IsUnspecified()) source = RouteSource(socket, *route.route, wire_dest.address);
  } else if (route.error == sim::RouteError::kNetworkUnreachable) {
    return Fail(Error::kNetworkUnreachable);
  } else if (source.IsUnspecified()) {
    source = FallbackSource(world_.topology(), socket.node(), wire_dest.address.is_v4());
  }
  // An IP datagram carries at most 65535 bytes: 65507 of UDP payload over IPv4 (20 bytes of IP
  // header, 8 of UDP header), 65527 over IPv6 (whose header is not counted; RFC 8200 3).
  const std::uint64_t max_payload = wire_dest.address.is_v4() ? 65507 : 65527;
  if (payload.size() > max_payload) return Fail(Error::kMessageTooLong);
  // A pending error (an ICMP report) and "shut down for writing".
  if (const auto blocked = SendBlocked(socket, Error::kBrokenPipe)) return Fail(*blocked);
  auto bytes = payload.Read(/*partial=*/false);
  if (!bytes) return Fail(Error::kFault);
  const std::size_t n = bytes->size();
  Packet p;
  p.protocol = Packet::Protocol::kUdp;
  p.src = sim::Endpoint{source, socket.local.port};
  p.dst = wire_dest;
  p.payload = std::move(*bytes);
  p.sender = socket.credentials();
  Transmit(socket.node(), std::move(p));
  return n;
}

void Stack::UdpReceive(sim::NodeId node, const Packet& packet) {
  auto host = hosts_.find(node);
  SocketRef best;
  int best_score = -1;
  if (host != hosts_.end()) {
    if (const BindBucket* bucket = FindIn(host->second->udp_ports, packet.dst.port)) {
      // The most specific socket wins: each matching bound or connected field adds to the
      // score, a mismatching one rules the socket out; ties keep the earliest bound.
      for (const auto& [ticket, weak] : bucket->owners) {
        SocketRef s = weak.lock();
        if (!s || s->user_closed) continue;
        const sim::Endpoint local = WireEndpoint(s->local);
        int score = 0;
        if (packet.dst.address.is_v4()) {
          if (s->family() == Family::kInet6 &&
              (s->options.v6_only || (local.address.is_v6() && !local.address.IsUnspecified()))) {
            continue;
          }
          score = s->family() == Family::kInet ? 2 : 1;
        } else {
          if (s->family() != Family::kInet6 || local.address.is_v4()) continue;
          score = 2;
        }
        if (!local.address.IsUnspecified()) {
          if (local.address != packet.dst.address) continue;
          score += 4;
        }
        if (s->state == TcpState::kEstablished) {
          const sim::Endpoint remote = WireEndpoint(s->remote);
          if (remote.address != packet.src.address || remote.port != packet.src.port) continue;
          score += 8;
        }
        if (score > best_score) {
          best = s;
          best_score = score;
        }
      }
    }
  }
  if (!best) {
    // RFC 1122 4.1.3.1: no listener -> ICMP port unreachable to the sender.
    Packet icmp;
    icmp.protocol = Packet::Protocol::kIcmpPortUnreachable;
    icmp.src = packet.dst;
    icmp.dst = packet.src;
    icmp.payload = packet.dst.ToString();
    Transmit(node, std::move(icmp));
    return;
  }
  if (best->shut_read) return;
  best->receive_queue.push_back(QueuedMessage{packet.payload,
                                              SocketAddress{SocketView(*best, packet.src)},
                                              {},
                                              packet.sender,
                                              std::nullopt,
                                              packet.dst});
}

void Stack::IcmpReceive(sim::NodeId node, const Packet& packet) {
  // RFC 1122 4.1.3.3: a port-unreachable report is passed to the application; only a
  // connected socket can be told (as a pending refused error), the others never learn of it.
  auto host = hosts_.find(node);
  if (host == hosts_.end()) return;
  const BindBucket* bucket = FindIn(host->second->udp_ports, packet.dst.port);
  if (bucket == nullptr) return;
  for (const auto& [ticket, weak] : bucket->owners) {
    SocketRef s = weak.lock();
    if (!s || s->state != TcpState::kEstablished) continue;
    const sim::Endpoint remote = WireEndpoint(s->remote);
    if (remote.address == packet.src.address && remote.port == packet.src.port) {
      s->pending_error = Error::kConnectionRefused;
      return;
    }
  }
}

}  // namespace socksim::stack
