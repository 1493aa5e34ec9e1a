// File: stack/core/stack.cc
// Socket creation, binding and port ownership, the generic send/receive/accept paths, and
// packet transport over the topology. Protocol state machines live in tcp.cc, udp.cc, unix.cc.
#include "stack/core/stack.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/log.h"
#include "stack/core/host_tables.h"

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
    // A dual-stack wildcard also takes the IPv4 wildcard (ipv6(7) IPV6_V6ONLY).
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

std::string Packet::Describe() const {
  switch (protocol) {
    case Protocol::kTcp: {
      std::string flags;
      if (syn) flags += 'S';
      if (fin) flags += 'F';
      if (rst) flags += 'R';
      if (!payload.empty()) flags += 'P';
      if (ack) flags += '.';
      return fmt::format("tcp {} > {} [{}] seq {} ack {} len {}", src.ToString(), dst.ToString(),
                         flags, seq, ack_number, payload.size());
    }
    case Protocol::kUdp:
      return fmt::format("udp {} > {} len {}", src.ToString(), dst.ToString(), payload.size());
    case Protocol::kIcmpPortUnreachable:
      return fmt::format("icmp port-unreachable {} > {} about {}", src.ToString(),
                         dst.ToString(), payload);
  }
  return "?";
}

Stack::Stack(sim::World& world, StackOptions options) : world_(world), options_(options) {}

Stack::~Stack() {
  // Sockets can outlive the stack (descriptors in processes the world destroys later). Detach
  // them, and break the reference cycles that peers, accept queues and in-flight descriptors
  // form, so that everything is freed.
  std::vector<SocketRef> live = LiveSockets();
  for (auto& s : live) s->stack_gone = true;
  for (auto& s : live) {
    s->unix_peer.reset();
    s->accept_queue.clear();
    s->receive_queue.clear();
  }
  orphans_.clear();
}

Stack::HostTables& Stack::Tables(sim::NodeId node) {
  auto& slot = hosts_[node];
  if (!slot) slot = std::make_unique<HostTables>();
  return *slot;
}

SocketRef Stack::Adopt(SocketRef socket) {
  sockets_[socket->id()] = socket;
  return socket;
}

Result<SocketRef> Stack::Create(sim::NodeId node, Family family, SockType type, int protocol,
                                const CallerIdentity& caller) {
  if (family == Family::kUnspec) return Fail(Error::kAddressFamilyNotSupported);
  if (family != Family::kUnix && type == SockType::kSeqPacket) {
    return Fail(Error::kSocketTypeNotSupported);
  }
  auto socket = std::make_shared<Socket>(*this, next_socket_id_++, node, family, type, protocol);
  socket->creator = CapturedCredentials{caller.pid, caller.credentials};
  if (family == Family::kInet6) socket->local.address = sim::IpAddress::AnyV6();
  if (family == Family::kInet6) socket->remote.address = sim::IpAddress::AnyV6();
  return Adopt(socket);
}

// ---------------------------------------------------------------------------------------------
// Binding and ports

Error Stack::RouteErrorToError(sim::RouteError error) const {
  switch (error) {
    case sim::RouteError::kNetworkUnreachable:
      return Error::kNetworkUnreachable;
    case sim::RouteError::kHostUnreachable:
      return Error::kHostUnreachable;
  }
  return Error::kNetworkUnreachable;
}

sim::Endpoint Stack::WireEndpoint(const sim::Endpoint& ep) {
  sim::Endpoint wire = ep;
  if (auto v4 = ep.address.UnmapV4()) wire.address = *v4;
  wire.flow_info = 0;
  if (wire.address.is_v4() || !wire.address.IsLinkLocal()) wire.scope_id = 0;
  return wire;
}

sim::Endpoint Stack::SocketView(const Socket& socket, const sim::Endpoint& wire) const {
  sim::Endpoint view = wire;
  // An AF_INET6 socket sees IPv4 peers as v4-mapped addresses (ipv6(7)).
  if (socket.family() == Family::kInet6 && wire.address.is_v4()) {
    view.address = wire.address.ToV4Mapped();
  }
  return view;
}

bool Stack::PortConflicts(const Socket& socket, const sim::Endpoint& wanted) const {
  const auto host = hosts_.find(socket.node());
  if (host == hosts_.end()) return false;
  const auto& table = socket.type() == SockType::kStream ? host->second->tcp_ports
                                                          : host->second->udp_ports;
  const auto it = table.find(wanted.port);
  if (it == table.end()) return false;
  const Coverage mine = CoverageOf(socket, wanted.address);
  for (const auto& weak : it->second) {
    const SocketRef other = weak.lock();
    if (!other || other.get() == &socket) continue;
    const Coverage theirs = CoverageOf(*other, other->local.address);
    if (!Overlap(mine.v4, theirs.v4) && !Overlap(mine.v6, theirs.v6)) continue;
    // Linux inet_csk_bind_conflict: both SO_REUSEADDR and the other not listening -> shared.
    if (socket.options.reuse_address && other->options.reuse_address &&
        other->state != TcpState::kListen) {
      continue;
    }
    return true;
  }
  return false;
}

Result<Ok> Stack::RegisterPort(Socket& socket, const sim::Endpoint& wanted) {
  if (PortConflicts(socket, wanted)) return Fail(Error::kAddressInUse);
  auto& tables = Tables(socket.node());
  auto& table = socket.type() == SockType::kStream ? tables.tcp_ports : tables.udp_ports;
  table[wanted.port].push_back(socket.shared_from_this());
  socket.local.port = wanted.port;
  socket.port_registered = true;
  return Ok{};
}

void Stack::UnregisterPort(Socket& socket) {
  if (!socket.port_registered) return;
  socket.port_registered = false;
  auto host = hosts_.find(socket.node());
  if (host == hosts_.end()) return;
  auto& table = socket.type() == SockType::kStream ? host->second->tcp_ports
                                                    : host->second->udp_ports;
  auto it = table.find(socket.local.port);
  if (it == table.end()) return;
  std::erase_if(it->second, [&](const std::weak_ptr<Socket>& w) {
    auto s = w.lock();
    return !s || s.get() == &socket;
  });
  if (it->second.empty()) table.erase(it);
}

Result<std::uint16_t> Stack::ChooseEphemeralPort(Socket& socket, const sim::IpAddress& address) {
  // Linux starts at a random offset in ip_local_port_range and probes upwards
  // (inet_csk_find_open_port / __inet_hash_connect); the offset comes from the world's Rng.
  if (const auto hint = port_hints_.find(socket.node()); hint != port_hints_.end()) {
    // A replayed trace's choice, taken (without a draw) when that port is entirely free.
    const sim::Endpoint candidate{address, hint->second};
    port_hints_.erase(hint);
    const bool saved = socket.options.reuse_address;
    socket.options.reuse_address = false;
    const bool conflict = candidate.port == 0 || PortConflicts(socket, candidate);
    socket.options.reuse_address = saved;
    if (!conflict) return candidate.port;
  }
  const std::uint32_t low = options_.ephemeral_low;
  const std::uint32_t span = std::uint32_t{options_.ephemeral_high} - low + 1;
  const std::uint64_t offset = world_.rng().UniformBelow(span);
  for (std::uint32_t i = 0; i < span; ++i) {
    const auto port = static_cast<std::uint16_t>(low + (offset + i) % span);
    sim::Endpoint candidate{address, port};
    // A fresh ephemeral port must be entirely free, whatever SO_REUSEADDR says.
    const bool saved = socket.options.reuse_address;
    socket.options.reuse_address = false;
    const bool conflict = PortConflicts(socket, candidate);
    socket.options.reuse_address = saved;
    if (!conflict) return port;
  }
  return Fail(Error::kAddressInUse);
}

Result<Ok> Stack::AutoBind(Socket& socket) {
  if (socket.port_registered) return Ok{};
  auto port = ChooseEphemeralPort(socket, socket.local.address);
  if (!port) return Fail(port.error());
  return RegisterPort(socket, sim::Endpoint{socket.local.address, *port});
}

Result<Ok> Stack::BindInet(Socket& socket, const sim::Endpoint& wanted,
                           const CallerIdentity& caller) {
  // Order of checks follows Linux __inet_bind / __inet6_bind: address validity, privileged
  // port, then "already bound", then the port table.
  const sim::IpAddress& addr = wanted.address;
  sim::Endpoint bound = wanted;
  if (socket.family() == Family::kInet6) {
    if (addr.IsV4Mapped()) {
      // __inet6_bind: a v4-mapped address on a V6ONLY socket is EINVAL.
      if (socket.options.v6_only) return Fail(Error::kInvalidArgument);
      const auto v4 = *addr.UnmapV4();
      if (!v4.IsUnspecified() && !world_.topology().IsLocalAddress(socket.node(), v4)) {
        return Fail(Error::kAddressNotAvailable);
      }
    } else if (!addr.IsUnspecified()) {
      if (addr.IsLinkLocal()) {
        // __inet6_bind: link-local needs an interface, from sin6_scope_id.
        if (wanted.scope_id == 0) return Fail(Error::kInvalidArgument);
        if (!world_.topology().FindInterfaceByIndex(socket.node(), wanted.scope_id)) {
          return Fail(Error::kNoSuchEntry);
        }
      }
      if (!world_.topology().IsLocalAddress(socket.node(), addr)) {
        return Fail(Error::kAddressNotAvailable);
      }
    }
    if (!addr.IsLinkLocal()) bound.scope_id = 0;
  } else {
    // inet_addr_valid_or_nonlocal: local, wildcard, multicast or limited broadcast.
    const bool multicast = (addr.bytes()[0] & 0xf0) == 0xe0;
    const bool broadcast = addr.v4_uint() == 0xffffffffu;
    if (!addr.IsUnspecified() && !multicast && !broadcast &&
        !world_.topology().IsLocalAddress(socket.node(), addr)) {
      return Fail(Error::kAddressNotAvailable);
    }
    bound.scope_id = 0;
  }
  bound.flow_info = 0;
  if (wanted.port != 0 && wanted.port < options_.unprivileged_port_start &&
      !caller.credentials.privileged()) {
    return Fail(Error::kAccessDenied);
  }
  // "Already bound" is Linux's inet_num test: a port the socket still holds. A port released
  // after a refused connect no longer counts, although getsockname still shows it.
  if (socket.state != TcpState::kClosed || socket.port_registered) {
    return Fail(Error::kInvalidArgument);
  }
  const sim::Endpoint saved = socket.local;
  socket.local.address = bound.address;
  socket.local.scope_id = bound.scope_id;
  if (wanted.port == 0) {
    auto port = ChooseEphemeralPort(socket, bound.address);
    if (!port) {
      socket.local = saved;
      return Fail(port.error());
    }
    bound.port = *port;
  }
  auto registered = RegisterPort(socket, bound);
  if (!registered) {
    socket.local = saved;
    return registered;
  }
  socket.address_locked = !bound.address.IsUnspecified();
  socket.port_locked = wanted.port != 0;
  return Ok{};
}

Result<Ok> Stack::Bind(Socket& socket, const SocketAddress& address,
                       const CallerIdentity& caller) {
  if (socket.family() == Family::kUnix) {
    const auto* unix_address = std::get_if<UnixAddress>(&address);
    if (unix_address == nullptr) return Fail(Error::kInvalidArgument);
    if (unix_address->kind == UnixAddress::Kind::kUnnamed) return UnixAutoBind(socket);
    return UnixBind(socket, *unix_address);
  }
  const auto* ep = std::get_if<sim::Endpoint>(&address);
  if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
  return BindInet(socket, *ep, caller);
}

Result<Ok> Stack::Listen(Socket& socket, int backlog, const CallerIdentity& caller) {
  if (socket.type() == SockType::kDgram) return Fail(Error::kOperationNotSupported);
  if (socket.family() == Family::kUnix) {
    auto result = UnixListen(socket, caller);
    if (!result) return result;
    socket.backlog = backlog;
    return Ok{};
  }
  // inet_listen: only an unconnected (CLOSE) or already listening socket may listen.
  if (socket.state != TcpState::kClosed && socket.state != TcpState::kListen) {
    return Fail(Error::kInvalidArgument);
  }
  if (socket.state == TcpState::kClosed) {
    // inet_csk_listen_start -> get_port(0): an unbound socket gets an ephemeral port; a bound
    // one is checked again, now as a listener: two SO_REUSEADDR sockets may share a port while
    // bound, but not both listen (measured B7: the second listen() is EADDRINUSE).
    if (!socket.port_registered) {
      socket.local.port = 0;
      auto bound = AutoBind(socket);
      if (!bound) return bound;
    } else if (PortConflicts(socket, socket.local)) {
      return Fail(Error::kAddressInUse);
    }
    TcpSetState(socket, TcpState::kListen);
  }
  socket.backlog = backlog;
  return Ok{};
}

Result<ConnectProgress> Stack::Connect(Socket& socket, const SocketAddress& address,
                                       const CallerIdentity& caller, bool blocking) {
  if (socket.family() == Family::kUnix) return UnixConnect(socket, address, caller);
  if (socket.type() == SockType::kDgram) return UdpConnect(socket, address);
  if (std::holds_alternative<UnspecifiedAddress>(address)) {
    auto result = TcpDisconnect(socket);
    if (!result) return Fail(result.error());
    return ConnectProgress::kConnected;
  }
  const auto* ep = std::get_if<sim::Endpoint>(&address);
  if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
  return TcpConnect(socket, *ep, blocking);
}

Result<SocketRef> Stack::Accept(Socket& listener) {
  if (listener.type() == SockType::kDgram) return Fail(Error::kOperationNotSupported);
  const bool listening = listener.family() == Family::kUnix
                             ? listener.backlog > 0 || listener.state == TcpState::kListen
                             : listener.state == TcpState::kListen;
  if (!listening) return Fail(Error::kInvalidArgument);
  if (listener.accept_queue.empty()) return Fail(Error::kWouldBlock);
  SocketRef child = listener.accept_queue.front();
  listener.accept_queue.pop_front();
  return child;
}

bool Stack::ReadyToAccept(const Socket& listener) const {
  return !listener.accept_queue.empty() || listener.state != TcpState::kListen;
}

Result<std::size_t> Stack::Send(Socket& socket, const std::string& bytes,
                                const std::optional<SocketAddress>& destination,
                                std::vector<sim::OfdRef> rights, const CallerIdentity& caller) {
  (void)caller;
  if (socket.family() == Family::kUnix) {
    return UnixSend(socket, bytes, destination, std::move(rights));
  }
  if (!rights.empty()) return Fail(Error::kOperationNotSupported);
  if (socket.type() == SockType::kDgram) return UdpSend(socket, bytes, destination);
  // tcp_sendmsg_locked + sk_stream_wait_connect: a pending error first, then state.
  if (socket.pending_error) {
    const Error e = *socket.pending_error;
    socket.pending_error.reset();
    return Fail(e);
  }
  if (socket.shut_write) return Fail(Error::kShutDown);
  if (socket.state == TcpState::kSynSent || socket.state == TcpState::kSynReceived) {
    return Fail(Error::kWouldBlock);
  }
  if (!CanSend(socket.state)) return Fail(Error::kNotConnected);
  if (bytes.empty()) return std::size_t{0};
  TcpSendControl(socket, false, true, false, false, bytes);
  return bytes.size();
}

bool Stack::ReadyToReceive(const Socket& socket) const {
  if (!socket.receive_queue.empty() || socket.pending_error || socket.shut_read ||
      socket.peer_finished) {
    return true;
  }
  if (socket.is_inet() && socket.type() == SockType::kStream) {
    return socket.state == TcpState::kClosed || socket.state == TcpState::kListen;
  }
  return false;
}

Result<Received> Stack::Receive(Socket& socket, std::size_t max_bytes, bool peek) {
  Received out;
  const bool tcp = socket.is_inet() && socket.type() == SockType::kStream;
  if (tcp && socket.state == TcpState::kListen) return Fail(Error::kNotConnected);
  if (!socket.receive_queue.empty()) {
    if (socket.type() == SockType::kDgram || socket.type() == SockType::kSeqPacket) {
      QueuedMessage& front = socket.receive_queue.front();
      out.bytes = front.bytes.substr(0, max_bytes);
      out.source = front.source;
      out.rights = front.rights;
      if (!peek) socket.receive_queue.pop_front();
      return out;
    }
    // Stream: gather across chunks, but never past a chunk that carries descriptors, so that
    // rights arrive with the bytes they were sent with (af_unix.c unix_stream_read_generic).
    std::size_t index = 0;
    while (index < socket.receive_queue.size() && out.bytes.size() < max_bytes) {
      QueuedMessage& chunk = socket.receive_queue[index];
      if (!chunk.rights.empty() && !out.bytes.empty()) break;
      const std::size_t take = std::min(max_bytes - out.bytes.size(), chunk.bytes.size());
      out.bytes += chunk.bytes.substr(0, take);
      if (!chunk.rights.empty()) {
        out.rights = chunk.rights;
        if (!peek) chunk.rights.clear();
      }
      if (!peek) {
        chunk.bytes.erase(0, take);
        if (chunk.bytes.empty()) {
          socket.receive_queue.erase(socket.receive_queue.begin() +
                                     static_cast<std::ptrdiff_t>(index));
          continue;
        }
      }
      if (!out.rights.empty()) break;
      ++index;
    }
    return out;
  }
  // tcp_recvmsg_locked: an orderly end already received (SOCK_DONE) comes before a pending
  // error, so FIN then RST reads 0 and leaves the error in SO_ERROR (measured F-series).
  if (tcp && socket.peer_finished) {
    out.end_of_stream = true;
    return out;
  }
  if (socket.pending_error) {
    const Error e = *socket.pending_error;
    socket.pending_error.reset();
    return Fail(e);
  }
  if (socket.shut_read || socket.peer_finished) {
    out.end_of_stream = true;
    return out;
  }
  if (tcp && socket.state == TcpState::kClosed) return Fail(Error::kNotConnected);
  if (socket.family() == Family::kUnix && socket.is_stream_like() && !socket.unix_peer) {
    return Fail(Error::kNotConnected);
  }
  return Fail(Error::kWouldBlock);
}

Result<Ok> Stack::Shutdown(Socket& socket, bool read, bool write) {
  if (socket.is_inet() && socket.type() == SockType::kStream) {
    // inet_shutdown: only synchronized or connecting sockets; LISTEN/CLOSE -> ENOTCONN
    // (a LISTEN socket given SHUT_RD is stopped instead, which the simulator does not model).
    if (socket.state == TcpState::kClosed || socket.state == TcpState::kListen) {
      return Fail(Error::kNotConnected);
    }
    if (read) socket.shut_read = true;
    if (write && !socket.shut_write) {
      socket.shut_write = true;
      TcpShutdownWrite(socket);
    }
    return Ok{};
  }
  if (socket.is_inet()) {
    // UDP: inet_shutdown allows it only on a connected socket.
    if (socket.state != TcpState::kEstablished) return Fail(Error::kNotConnected);
    if (read) socket.shut_read = true;
    if (write) socket.shut_write = true;
    return Ok{};
  }
  // unix_shutdown: no state test; the peer of a stream socket sees the mirrored flags.
  if (read) socket.shut_read = true;
  if (write) socket.shut_write = true;
  if (socket.is_stream_like() && socket.unix_peer) {
    if (write) socket.unix_peer->peer_finished = true;
  }
  return Ok{};
}

std::optional<Error> Stack::TakePendingError(Socket& socket) {
  auto e = socket.pending_error;
  socket.pending_error.reset();
  return e;
}

bool Stack::RunUntil(const std::function<bool()>& done) {
  std::uint64_t events = 0;
  const std::uint64_t budget = world_.options().budget_events_max;
  while (!done()) {
    auto& queue = world_.queue();
    if (queue.pending() == 0) return false;
    const auto outcome = queue.RunUntil(queue.next_time(), budget - events);
    events += outcome.events_run;
    if (outcome.status == sim::RunStatus::kBudgetExhausted || events >= budget) {
      sim::Log().warn("event budget exhausted while waiting for a blocking call");
      return done();
    }
  }
  return true;
}

void Stack::Settle() { (void)world_.queue().RunUntil(world_.now(), world_.options().budget_events_max); }

void Stack::Release(Socket& socket) {
  socket.user_closed = true;
  if (world_.tearing_down()) {
    // No more events: only drop the references that could keep sockets alive in a cycle.
    socket.unix_peer.reset();
    socket.accept_queue.clear();
    socket.receive_queue.clear();
    return;
  }
  if (socket.family() == Family::kUnix) {
    UnixRelease(socket);
    return;
  }
  if (socket.type() == SockType::kDgram) {
    UnregisterPort(socket);
    socket.state = TcpState::kClosed;
    return;
  }
  TcpClose(socket);
}

std::vector<SocketRef> Stack::LiveSockets() const {
  std::vector<SocketRef> out;
  for (const auto& [id, weak] : sockets_) {
    if (auto s = weak.lock()) out.push_back(s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Packet transport

void Stack::Transmit(sim::NodeId from, Packet packet) {
  const auto route = world_.topology().RouteTo(from, packet.dst.address, packet.dst.scope_id);
  if (!route.route) {
    ++packets_dropped_;
    sim::Log().debug("drop (no route): {}", packet.Describe());
    return;
  }
  if (world_.faults().ShouldFail("net.drop")) {
    ++packets_dropped_;
    sim::Log().debug("drop (fault net.drop): {}", packet.Describe());
    return;
  }
  // Each link on the path drops the packet with its configured loss probability, drawn from
  // the world's Rng (a link without loss draws nothing).
  for (const sim::LinkId link : route.route->links) {
    if (world_.rng().Chance(world_.topology().link(link).faults.loss)) {
      ++packets_dropped_;
      sim::Log().debug("drop (link {} loss): {}", link.value, packet.Describe());
      return;
    }
  }
  const sim::NodeId to = route.route->destination;
  std::string label = packet.Describe();
  world_.queue().ScheduleAfter(route.route->latency, std::move(label),
                               [this, to, p = std::move(packet)] { Deliver(to, p); });
}

void Stack::Deliver(sim::NodeId node, const Packet& packet) {
  ++packets_delivered_;
  switch (packet.protocol) {
    case Packet::Protocol::kTcp:
      TcpReceive(node, packet);
      return;
    case Packet::Protocol::kUdp:
      UdpReceive(node, packet);
      return;
    case Packet::Protocol::kIcmpPortUnreachable:
      IcmpReceive(node, packet);
      return;
  }
}

}  // namespace socksim::stack
