// File: stack/core/stack.cc
// The facade of the neutral stack: socket creation, the generic bind/listen/connect/accept/
// send/receive/shutdown entry points that dispatch to the protocols, the run loops, and
// release. Ports and bind rules are in ports.cc, packet transport in transport.cc, protocol
// state machines in tcp.cc, udp.cc and unix.cc.
#include "stack/core/stack.h"

#include <stdexcept>

#include "sim/limits.h"
#include "sim/log.h"
#include "stack/core/demux.h"

namespace socksim::stack {

Stack::Stack(sim::World& world) : world_(world), sockets_(std::make_unique<SocketIndex>()) {}

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

const Policy& Stack::RegisterPolicy(const Policy& policy) {
  policies_.push_back(policy);
  return policies_.back();
}

Stack::HostTables& Stack::Tables(sim::NodeId node) {
  auto& slot = hosts_[node];
  if (!slot) slot = std::make_unique<HostTables>();
  return *slot;
}

Stack::HostTables* Stack::FindTables(sim::NodeId node) const {
  const auto it = hosts_.find(node);
  return it == hosts_.end() ? nullptr : it->second.get();
}

SocketRef Stack::Adopt(SocketRef socket) {
  sockets_->live.emplace_hint(sockets_->live.end(), socket->id(), socket.get());
  return socket;
}

void Stack::Forget(Socket& socket) {
  UnregisterConnection(socket);
  sockets_->live.erase(socket.id());
}

std::size_t Stack::live_socket_count() const { return sockets_->live.size(); }

SocketRef Stack::MakeSocket(sim::NodeId node, Family family, SockType type, int protocol,
                            const Policy& policy) {
  bool registered = false;
  for (const Policy& p : policies_) registered = registered || &p == &policy;
  if (!registered) throw std::logic_error("Stack: a socket's policy must be registered first");
  // The simulator's own limit (sim/limits.h), not an OS's: no errno models it.
  if (const std::uint64_t limit = world_.options().limits.sockets; live_socket_count() >= limit) {
    throw sim::LimitReached(sim::Limit::kSockets, limit);
  }
  auto socket =
      std::make_shared<Socket>(*this, next_socket_id_++, node, family, type, protocol, policy);
  if (family == Family::kInet6) {
    socket->local.address = sim::IpAddress::AnyV6();
    socket->remote.address = sim::IpAddress::AnyV6();
  }
  return Adopt(socket);
}

Result<SocketRef> Stack::Create(sim::NodeId node, Family family, SockType type, int protocol,
                                const Policy& policy, const sim::CredentialSnapshot& caller) {
  if (family == Family::kUnspec) return Fail(Error::kAddressFamilyNotSupported);
  if (family != Family::kUnix && type == SockType::kSeqPacket) {
    return Fail(Error::kSocketTypeNotSupported);
  }
  SocketRef socket = MakeSocket(node, family, type, protocol, policy);
  socket->RecordCredentials(CredentialMoment::kSocket, caller);
  return socket;
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the protocols

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
  // An AF_INET6 socket sees IPv4 peers as v4-mapped addresses (RFC 4291 2.5.5.2, RFC 3493 3.7).
  if (socket.family() == Family::kInet6 && wire.address.is_v4()) {
    view.address = wire.address.ToV4Mapped();
  }
  return view;
}

std::optional<sim::IpAddress> Stack::UnspecifiedDestinationFor(
    const Socket& socket, const sim::IpAddress& address) const {
  switch (socket.policy().unspecified_destination) {
    case UnspecifiedDestination::kLoopback:
      return address.is_v4() || address.IsV4Mapped() ? sim::IpAddress::LoopbackV4()
                                                     : sim::IpAddress::LoopbackV6();
    case UnspecifiedDestination::kRefuse:
      return std::nullopt;
  }
  return std::nullopt;
}

sim::IpAddress Stack::RouteSource(const Socket& socket, const sim::Route& route,
                                  const sim::IpAddress& destination) const {
  if (!route.local || !destination.is_v4() || !destination.IsLoopback() ||
      socket.policy().loopback_range_source == LoopbackRangeSource::kDestination) {
    return route.source;
  }
  // An address the host was given keeps itself as source; the rest of the range uses the
  // loopback interface's first IPv4 address.
  const auto& topology = world_.topology();
  const sim::Node& node = topology.node(socket.node());
  for (const sim::InterfaceId id : node.interfaces) {
    for (const auto& a : topology.interface(id).addresses) {
      if (a.address == destination) return route.source;
    }
  }
  for (const auto& a : topology.interface(route.egress).addresses) {
    if (a.address.is_v4() && a.address.IsLoopback()) return a.address;
  }
  return route.source;
}

// ---------------------------------------------------------------------------------------------
// Entry points

Result<Ok> Stack::Bind(Socket& socket, const SocketAddress& address,
                       const sim::CredentialSnapshot& caller) {
  Result<Ok> bound = Ok{};
  if (socket.family() == Family::kUnix) {
    const auto* unix_address = std::get_if<UnixAddress>(&address);
    if (unix_address == nullptr) return Fail(Error::kInvalidArgument);
    bound = unix_address->kind == UnixAddress::Kind::kUnnamed ? UnixAutoBind(socket)
                                                              : UnixBind(socket, *unix_address);
  } else {
    const auto* ep = std::get_if<sim::Endpoint>(&address);
    if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
    bound = BindInet(socket, *ep, caller);
  }
  if (bound) socket.RecordCredentials(CredentialMoment::kBind, caller);
  return bound;
}

Result<Ok> Stack::Listen(Socket& socket, int backlog, const sim::CredentialSnapshot& caller) {
  if (socket.type() == SockType::kDgram) return Fail(Error::kOperationNotSupported);
  if (socket.family() == Family::kUnix) {
    auto result = UnixListen(socket);
    if (!result) return result;
  } else {
    // Only an unconnected (CLOSED) or already listening socket may listen.
    if (socket.state != TcpState::kClosed && socket.state != TcpState::kListen) {
      return Fail(Error::kInvalidArgument);
    }
    if (socket.state == TcpState::kClosed) {
      if (!socket.port_registered) {
        // An unbound socket gets an automatic port.
        socket.local.port = 0;
        auto bound = AutoBind(socket, PortUse::kBind);
        if (!bound) return bound;
      } else if (socket.policy().listen_rechecks_port) {
        if (const auto conflict = PortConflict(socket, socket.local)) return Fail(*conflict);
      }
      TcpSetState(socket, TcpState::kListen);
    }
  }
  socket.backlog = backlog;
  socket.RecordCredentials(CredentialMoment::kListen, caller);
  return Ok{};
}

Result<ConnectProgress> Stack::Connect(Socket& socket, const ConnectRequest& request,
                                       const sim::CredentialSnapshot& caller) {
  // The connector's credentials are taken at the start of the call: what the peer records
  // is who asked to connect, even if the caller's identity changes while the handshake runs.
  socket.RecordCredentials(CredentialMoment::kConnect, caller);
  if (socket.family() == Family::kUnix) return UnixConnect(socket, request.address, caller);
  if (socket.type() == SockType::kDgram) return UdpConnect(socket, request.address);
  if (std::holds_alternative<UnspecifiedAddress>(request.address)) {
    auto result = TcpDisconnect(socket);
    if (!result) return Fail(result.error());
    return ConnectProgress::kConnected;
  }
  const auto* ep = std::get_if<sim::Endpoint>(&request.address);
  if (ep == nullptr) return Fail(Error::kAddressFamilyNotSupported);
  if (socket.phase == Socket::Phase::kUnconnected) {
    socket.connect_via = request.via;
    socket.completion.reset();
  }
  return TcpConnect(socket, *ep, request.blocking);
}

Result<SocketRef> Stack::Accept(Socket& listener, const sim::CredentialSnapshot& caller) {
  if (listener.type() == SockType::kDgram) return Fail(Error::kOperationNotSupported);
  if (listener.state != TcpState::kListen) return Fail(Error::kInvalidArgument);
  if (listener.accept_queue.empty()) return Fail(Error::kWouldBlock);
  SocketRef child = listener.accept_queue.front();
  listener.accept_queue.pop_front();
  child->RecordCredentials(CredentialMoment::kAccept, caller);
  return child;
}

bool Stack::ReadyToAccept(const Socket& listener) const {
  return !listener.accept_queue.empty() || listener.state != TcpState::kListen;
}

std::optional<Error> Stack::SendBlocked(Socket& socket, Error shutdown_error) {
  auto take_error = [&]() -> std::optional<Error> {
    if (!socket.pending_error) return std::nullopt;
    const Error e = *socket.pending_error;
    socket.pending_error.reset();
    return e;
  };
  const bool shut = socket.shut_write;
  if (socket.policy().send_order == SendOrder::kErrorFirst) {
    if (const auto e = take_error()) return e;
    if (shut) return shutdown_error;
  } else {
    if (shut) return shutdown_error;
    if (const auto e = take_error()) return e;
  }
  return std::nullopt;
}

Result<std::size_t> Stack::Send(Socket& socket, Payload& payload,
                                const std::optional<SocketAddress>& destination,
                                std::vector<sim::OfdRef> rights,
                                const SendCredentials& credentials) {
  if (socket.family() == Family::kUnix) {
    return UnixSend(socket, payload, destination, std::move(rights), credentials);
  }
  if (!rights.empty()) return Fail(Error::kOperationNotSupported);
  if (socket.type() == SockType::kDgram) return UdpSend(socket, payload, destination);
  return TcpSend(socket, payload);
}

bool Stack::ReadyToReceive(const Socket& socket) const {
  if (!socket.receive_queue.empty() || socket.pending_error || socket.shut_read ||
      socket.peer_finished) {
    return true;
  }
  if (socket.is_tcp()) {
    return socket.state == TcpState::kClosed || socket.state == TcpState::kListen;
  }
  return false;
}

Result<Received> Stack::ReceiveMessage(Socket& socket, std::size_t max_bytes, bool peek,
                                       ReceiveSink& sink) {
  // One datagram (or seqpacket record) per call: the rest of a longer one is discarded.
  QueuedMessage& front = socket.receive_queue.front();
  Received out;
  out.message_length = front.bytes.size();
  out.truncated = front.bytes.size() > max_bytes;
  const std::string_view data =
      std::string_view(front.bytes).substr(0, std::min(max_bytes, front.bytes.size()));
  const std::size_t written = sink.Write(data);
  if (written < data.size()) {
    // The message was taken off the queue before the copy, so a fault loses it (unless only
    // peeking): a datagram is never half delivered.
    if (!peek) socket.receive_queue.pop_front();
    return Fail(Error::kFault);
  }
  out.length = written;
  out.source = front.source;
  out.rights = front.rights;
  out.sender = front.sender;
  out.passed = front.passed;
  out.destination = front.destination;
  if (!peek) socket.receive_queue.pop_front();
  return out;
}

Result<Received> Stack::ReceiveStream(Socket& socket, std::size_t max_bytes, bool peek,
                                      ReceiveSink& sink) {
  // Gather across chunks (each one send's bytes), but never past a chunk that carries
  // descriptors, so that rights arrive with the bytes they were sent with. A chunk is consumed
  // only if it was copied whole: a fault leaves that chunk and the rest queued (though the
  // bytes before the fault were written), and a fault in the first chunk is the call's error
  // (measured: 5 bytes queued, 2 writable, EFAULT and the next read gets all 5).
  if (const auto hint = receive_hints_.find(socket.node()); hint != receive_hints_.end()) {
    max_bytes = std::min(max_bytes, hint->second);
  }
  Received out;
  std::size_t index = 0;
  while (index < socket.receive_queue.size() && out.length < max_bytes) {
    QueuedMessage& chunk = socket.receive_queue[index];
    if (!chunk.rights.empty() && out.length != 0) break;
    // unix_stream_read_generic: a reader that asks for credentials never glues bytes from
    // writers whose credentials differ (unix_skb_scm_eq).
    if (socket.options.pass_credentials && out.length != 0 && chunk.passed != out.passed) break;
    const std::size_t take = std::min(max_bytes - out.length, chunk.bytes.size());
    const std::size_t written = sink.Write(std::string_view(chunk.bytes).substr(0, take));
    if (written < take) {
      if (out.length == 0) return Fail(Error::kFault);
      break;
    }
    out.length += written;
    if (!out.sender) out.sender = chunk.sender;
    if (out.length == written) out.passed = chunk.passed;
    const bool carried_rights = !chunk.rights.empty();
    if (carried_rights) out.rights = chunk.rights;
    if (!peek) {
      if (carried_rights) chunk.rights.clear();
      chunk.bytes.erase(0, written);
      if (chunk.bytes.empty()) {
        socket.receive_queue.erase_at(index);
        if (carried_rights) break;
        continue;
      }
    }
    if (carried_rights) break;
    ++index;
  }
  return out;
}

Result<Received> Stack::Receive(Socket& socket, std::size_t max_bytes, bool peek,
                                ReceiveSink& sink) {
  const bool tcp = socket.is_tcp();
  if (tcp && socket.state == TcpState::kListen) return Fail(Error::kNotConnected);
  if (!socket.receive_queue.empty()) {
    if (socket.type() == SockType::kDgram || socket.type() == SockType::kSeqPacket) {
      return ReceiveMessage(socket, max_bytes, peek, sink);
    }
    auto received = ReceiveStream(socket, max_bytes, peek, sink);
    if (received && tcp) TcpConsumed(socket, received->length);
    return received;
  }
  Received out;
  const bool end_first = socket.policy().receive_order == ReceiveOrder::kEndOfStreamFirst;
  if (end_first && tcp && socket.peer_finished) {
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
  if (socket.is_tcp()) {
    // Only synchronized or connecting sockets; CLOSED is not connected, and so is LISTEN
    // unless the policy says a read shutdown stops the listener.
    if (socket.state == TcpState::kListen && socket.policy().shutdown_stops_listener) {
      if (read) return TcpDisconnect(socket);
      return Ok{};
    }
    if (socket.state == TcpState::kClosed || socket.state == TcpState::kListen) {
      return Fail(Error::kNotConnected);
    }
    // A connection in TIME-WAIT may have left the user's socket closed (the policy's).
    if (socket.state == TcpState::kTimeWait && socket.policy().time_wait_reads_closed) {
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
    // A datagram socket can be shut down only while it has a default peer.
    if (socket.state != TcpState::kEstablished) return Fail(Error::kNotConnected);
    if (read) socket.shut_read = true;
    if (write) socket.shut_write = true;
    return Ok{};
  }
  // UNIX: no state test; the peer of a stream socket sees the mirrored end of stream.
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

void Stack::Settle() {
  (void)world_.queue().RunUntil(world_.now(), world_.options().budget_events_max);
}

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
    socket.receive_queue.clear();
    return;
  }
  TcpClose(socket);
}

namespace {

// Whether two records hold the very same snapshots: the same moments, each with the same pid
// and the same credentials object. Stricter than equal contents, and a pointer compare.
bool SameSnapshots(const CredentialRecord& a, const CredentialRecord& b) {
  const auto same = [](const std::optional<sim::CredentialSnapshot>& x,
                       const std::optional<sim::CredentialSnapshot>& y) {
    if (x.has_value() != y.has_value()) return false;
    return !x || (x->pid == y->pid && x->credentials == y->credentials);
  };
  return same(a.at_socket, b.at_socket) && same(a.at_bind, b.at_bind) &&
         same(a.at_listen, b.at_listen) && same(a.at_connect, b.at_connect) &&
         same(a.at_accept, b.at_accept);
}

}  // namespace

CredentialRecordRef Stack::ShareCredentials(CredentialRecord record) {
  for (const auto& recent : recent_records_) {
    if (auto shared = recent.lock(); shared && SameSnapshots(*shared, record)) return shared;
  }
  auto made = std::make_shared<const CredentialRecord>(std::move(record));
  // A slot whose record is gone is taken first, so that the short-lived records (a client's
  // before its connect()) do not push out the ones that many sockets keep.
  std::size_t slot = next_recent_record_;
  for (std::size_t i = 0; i < recent_records_.size(); ++i) {
    if (recent_records_[i].expired()) {
      slot = i;
      break;
    }
  }
  if (slot == next_recent_record_) {
    next_recent_record_ = (next_recent_record_ + 1) % recent_records_.size();
  }
  recent_records_[slot] = made;
  return made;
}

std::vector<SocketRef> Stack::LiveSockets() const {
  std::vector<SocketRef> out;
  out.reserve(sockets_->live.size());
  for (const auto& [id, socket] : sockets_->live) {
    if (auto s = socket->weak_from_this().lock()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace socksim::stack
