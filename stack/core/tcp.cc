// File: stack/core/tcp.cc
// The TCP connection state machine (RFC 793 section 3.9, "Event Processing"): connect, the
// three-way handshake, data, orderly release with FIN, abortive release with RST, TIME-WAIT,
// and SYN retransmission (RFC 6298). Segments travel as world events. All transitions go
// through TcpSetState. Where systems differ (a reset in CLOSE-WAIT, a full accept queue, an
// unspecified destination, sharing a port across four-tuples) the socket's Policy decides.
#include <fmt/format.h>

#include <algorithm>

#include "sim/log.h"
#include "stack/core/demux.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// A SYN occupies one sequence number (RFC 793 3.3).
constexpr std::uint32_t kSynSequenceSpace = 1;

}  // namespace

void Stack::TcpSetState(Socket& socket, TcpState next) {
  if (socket.state == next) return;
  if (sim::DebugEnabled()) {
    sim::Log().debug("tcp#{} {} => {}", socket.id(), ToString(socket.state), ToString(next));
  }
  if (socket.state == TcpState::kListen) UnregisterListener(socket);
  socket.state = next;
  if (next == TcpState::kListen) RegisterListener(socket);
  if (next == TcpState::kEstablished) socket.was_established = true;
}

// ---------------------------------------------------------------------------------------------
// Tables

void Stack::RegisterConnection(Socket& socket) {
  auto& table = Tables(socket.node()).tcp_connections.sockets;
  // The socket's endpoints are about to become its key: it cannot be in the table already
  // under other ones (every way back to CLOSED removed it).
  if (socket.in_connection_table) UnregisterConnection(socket);
  const auto [it, inserted] = table.insert(&socket);
  if (!inserted) {
    // A socket with the same four-tuple gives its place to the new one (a connection that
    // reuses the four-tuple of one in TIME-WAIT).
    (*it)->in_connection_table = false;
    table.erase(it);
    table.insert(&socket);
  }
  socket.in_connection_table = true;
}

void Stack::UnregisterConnection(Socket& socket) {
  if (!socket.in_connection_table) return;
  socket.in_connection_table = false;
  HostTables* tables = FindTables(socket.node());
  if (tables == nullptr) return;
  auto& table = tables->tcp_connections.sockets;
  const auto it = table.find(&socket);
  if (it != table.end() && *it == &socket) {
    table.erase(it);
    return;
  }
  // Unreachable while the endpoints of a socket in the table stay fixed; should a change
  // break that rule, the slot still must not outlive the socket.
  absl::erase_if(table, [&](const Socket* s) { return s == &socket; });
}

bool Stack::ConnectionExists(sim::NodeId node, const sim::Endpoint& local,
                             const sim::Endpoint& remote) const {
  HostTables* tables = FindTables(node);
  if (tables == nullptr) return false;
  return tables->tcp_connections.sockets.contains(FourTuple{local, remote});
}

SocketRef Stack::FindConnection(sim::NodeId node, const sim::Endpoint& local,
                                const sim::Endpoint& remote) {
  HostTables* tables = FindTables(node);
  if (tables == nullptr) return nullptr;
  const auto& table = tables->tcp_connections.sockets;
  const auto it = table.find(FourTuple{local, remote});
  // weak_from_this: a socket is in the table until its destructor runs.
  return it == table.end() ? nullptr : (*it)->weak_from_this().lock();
}

void Stack::RegisterListener(Socket& socket) {
  Tables(socket.node()).tcp_listeners[socket.local.port].push_back(socket.weak_from_this());
}

void Stack::UnregisterListener(Socket& socket) {
  HostTables* tables = FindTables(socket.node());
  if (tables == nullptr) return;
  const auto it = tables->tcp_listeners.find(socket.local.port);
  if (it == tables->tcp_listeners.end()) return;
  std::erase_if(it->second, [&](const std::weak_ptr<Socket>& w) {
    auto s = w.lock();
    return !s || s.get() == &socket;
  });
  if (it->second.empty()) tables->tcp_listeners.erase(it);
}

SocketRef Stack::FindListener(sim::NodeId node, const sim::Endpoint& local) {
  HostTables* tables = FindTables(node);
  if (tables == nullptr) return nullptr;
  const auto it = tables->tcp_listeners.find(local.port);
  if (it == tables->tcp_listeners.end()) return nullptr;
  // The most specific listener wins: an exact local address beats a wildcard, and for IPv4
  // traffic an IPv4 socket beats a dual-stack IPv6 one. Ties keep the earliest listener.
  SocketRef best;
  int best_score = -1;
  for (const auto& weak : it->second) {
    SocketRef s = weak.lock();
    if (!s || s->state != TcpState::kListen) continue;
    const sim::Endpoint bound = WireEndpoint(s->local);
    int score = 0;
    if (local.address.is_v4()) {
      if (s->family() == Family::kInet6 && s->options.v6_only) continue;
      if (s->family() == Family::kInet6 && bound.address.is_v6() &&
          !bound.address.IsUnspecified()) {
        continue;
      }
      score = s->family() == Family::kInet ? 2 : 1;
    } else {
      if (s->family() != Family::kInet6) continue;
      if (bound.address.is_v4()) continue;
      score = 2;
    }
    if (!bound.address.IsUnspecified()) {
      if (bound.address != local.address) continue;
      score += 4;
    }
    if (score > best_score) {
      best = s;
      best_score = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Segments out

void Stack::TcpSendControl(Socket& socket, bool syn, bool ack, bool fin, bool rst,
                           std::string payload, bool push) {
  Packet p;
  p.protocol = Packet::Protocol::kTcp;
  p.src = WireEndpoint(socket.local);
  p.dst = WireEndpoint(socket.remote);
  p.dst.scope_id = socket.remote.scope_id;
  p.syn = syn;
  p.ack = ack;
  p.fin = fin;
  p.rst = rst;
  p.seq = socket.seq.snd_nxt;
  p.ack_number = ack ? socket.seq.rcv_nxt : 0;
  p.payload = std::move(payload);
  p.psh = push && !p.payload.empty();
  p.sender = socket.credentials();
  socket.seq.snd_nxt +=
      static_cast<std::uint32_t>(p.payload.size()) + (syn ? 1u : 0u) + (fin ? 1u : 0u);
  if (fin) socket.seq.fin_sent = true;
  // What every segment tells the timing rules (tcp_timing.cc; __tcp_transmit_skb).
  if (syn) socket.handshake_sent_at = world_.now();
  if (ack) TcpAckSent(socket);
  if (!p.payload.empty()) TcpDataSent(socket);
  Transmit(socket.node(), std::move(p));
}

void Stack::TcpSendReset(sim::NodeId node, const Packet& in) {
  // RFC 793 3.4 "Reset Generation", case 1: no connection. If the incoming segment has an ACK
  // field, the reset takes its sequence number from it; otherwise seq 0 with an ACK.
  Packet p;
  p.protocol = Packet::Protocol::kTcp;
  p.src = in.dst;
  p.dst = in.src;
  p.rst = true;
  if (in.ack) {
    p.seq = in.ack_number;
  } else {
    p.ack = true;
    p.ack_number = in.seq + static_cast<std::uint32_t>(in.payload.size()) + (in.syn ? 1u : 0u) +
                   (in.fin ? 1u : 0u);
  }
  Transmit(node, std::move(p));
}

void Stack::TcpScheduleSynRetransmit(Socket& socket) {
  // RFC 6298 (2.1, 5.5): an initial RTO, doubled on every expiry up to the policy's maximum;
  // after the policy's number of retransmissions the connect times out.
  const sim::Duration rto = std::min(
      socket.policy().tunables.syn_initial_rto.Doubled(static_cast<unsigned>(socket.syn_attempts)),
      socket.policy().tunables.rto_max);
  std::weak_ptr<Socket> weak = socket.weak_from_this();
  socket.retransmit_timer = world_.queue().ScheduleAfter(
      rto, sim::EventLabel("tcp#{} syn timer", socket.id()), [this, weak] {
        SocketRef s = weak.lock();
        if (!s || s->state != TcpState::kSynSent) return;
        s->retransmit_timer.reset();
        if (s->syn_attempts >= s->policy().tunables.syn_retries) {
          TcpAbort(*s, Error::kTimedOut);
          return;
        }
        ++s->syn_attempts;
        s->seq.snd_nxt = s->seq.iss;
        TcpSendControl(*s, true, false, false, false);
        TcpScheduleSynRetransmit(*s);
      });
}

void Stack::TcpConnectionResolved(Socket& socket) {
  // An overlapped request ends with a completion: an event at the instant the handshake
  // resolved, so that its consumer sees it in virtual time, in order with other events.
  if (socket.connect_via != ConnectVia::kOverlapped || socket.completion) return;
  std::optional<Error> error;
  if (socket.state == TcpState::kClosed) error = socket.termination;
  std::weak_ptr<Socket> weak = socket.weak_from_this();
  world_.queue().ScheduleAfter(sim::Duration{},
                               sim::EventLabel("tcp#{} connect completion", socket.id()),
                               [this, weak, error] {
                                 if (SocketRef s = weak.lock()) {
                                   s->completion = std::make_unique<const ConnectCompletion>(
                                       ConnectCompletion{world_.now(), error});
                                 }
                               });
}

// ---------------------------------------------------------------------------------------------
// User calls

Result<ConnectProgress> Stack::TcpConnect(Socket& socket, const sim::Endpoint& to, bool blocking) {
  switch (socket.phase) {
    case Socket::Phase::kConnected:
      return Fail(Error::kAlreadyConnected);
    case Socket::Phase::kConnecting:
      socket.connect_wait_error = Error::kAlreadyInProgress;
      break;
    case Socket::Phase::kUnconnected: {
      if (socket.state != TcpState::kClosed) return Fail(Error::kAlreadyConnected);
      sim::Endpoint dest = to;
      if (dest.address.IsUnspecified()) {
        const auto meant = UnspecifiedDestinationFor(socket, dest.address);
        if (!meant) return Fail(Error::kAddressNotAvailable);
        dest.address = *meant;
      }
      const sim::Endpoint wire_dest = WireEndpoint(dest);
      if (socket.family() == Family::kInet6 && dest.address.IsV4Mapped() &&
          socket.options.v6_only) {
        return Fail(Error::kNetworkUnreachable);
      }
      if (wire_dest.address.is_v6() && wire_dest.address.IsLinkLocal() && dest.scope_id == 0 &&
          socket.local.scope_id == 0) {
        return Fail(Error::kInvalidArgument);  // a link-local destination needs an interface
      }
      const std::uint32_t scope = dest.scope_id != 0 ? dest.scope_id : socket.local.scope_id;
      const auto route = world_.topology().RouteTo(socket.node(), wire_dest.address, scope);
      const bool host_unreachable =
          !route.route && route.error == sim::RouteError::kHostUnreachable;
      if (!route.route && !host_unreachable) return Fail(RouteErrorToError(route.error));
      if (socket.local.address.IsUnspecified() ||
          (socket.family() == Family::kInet6 && socket.local.address.IsV4Mapped() &&
           socket.local.address.UnmapV4()->IsUnspecified())) {
        sim::IpAddress source;
        if (route.route) {
          source = RouteSource(socket, *route.route, wire_dest.address);
        } else {
          // No path: the source stays unspecified in the destination's version.
          source = wire_dest.address.is_v4() ? sim::IpAddress::AnyV4() : sim::IpAddress::AnyV6();
        }
        socket.local.address = socket.family() == Family::kInet6 ? source.ToV4Mapped() : source;
      }
      socket.remote = dest;
      socket.remote.flow_info = to.flow_info;
      if (wire_dest.address.is_v6() && wire_dest.address.IsLinkLocal()) {
        socket.remote.scope_id = scope;
        socket.local.scope_id = scope;
      } else {
        socket.remote.scope_id = 0;
      }
      if (!socket.port_registered) {
        // An unbound socket gets an automatic port now, unique as a four-tuple.
        auto bound = AutoBind(socket, PortUse::kConnect);
        if (!bound) {
          socket.remote = sim::Endpoint{socket.remote.address, 0};
          return Fail(Error::kAddressNotAvailable);
        }
      } else if (ConnectionExists(socket.node(), WireEndpoint(socket.local),
                                  WireEndpoint(socket.remote))) {
        // A bound socket may not repeat a four-tuple another connection has.
        socket.remote = sim::Endpoint{socket.remote.address, 0};
        return Fail(Error::kAddressNotAvailable);
      }
      socket.seq = TcpSequence{};
      // A new connection times its segments afresh; only the interactive mode TCP_QUICKACK
      // set is the socket's own.
      TcpTimingStop(socket);
      if (socket.timing) {
        const int interactive = socket.timing->interactive;
        *socket.timing = TcpTiming{};
        socket.timing->interactive = interactive;
      }
      socket.handshake_timed = false;
      socket.seq.iss = static_cast<std::uint32_t>(world_.rng().Next());
      socket.seq.snd_nxt = socket.seq.iss;
      socket.seq.snd_una = socket.seq.iss;
      socket.syn_attempts = 0;
      socket.pending_error.reset();
      socket.termination.reset();
      socket.shut_read = socket.shut_write = socket.peer_finished = false;
      TcpSetState(socket, TcpState::kSynSent);
      RegisterConnection(socket);
      socket.phase = Socket::Phase::kConnecting;
      socket.blocking_connect = blocking;
      socket.connect_wait_error = Error::kInProgress;
      TcpSendControl(socket, true, false, false, false);
      if (host_unreachable) {
        // Neighbour resolution fails after a while and the connect reports the host
        // unreachable.
        std::weak_ptr<Socket> weak = socket.weak_from_this();
        world_.queue().ScheduleAfter(socket.policy().tunables.host_unreachable_delay,
                                     sim::EventLabel("tcp#{} neighbour unreachable", socket.id()),
                                     [this, weak] {
                                       SocketRef s = weak.lock();
                                       if (s && s->state == TcpState::kSynSent) {
                                         TcpAbort(*s, Error::kHostUnreachable);
                                       }
                                     });
      } else {
        TcpScheduleSynRetransmit(socket);
      }
      break;
    }
  }
  if (socket.state == TcpState::kSynSent || socket.state == TcpState::kSynReceived) {
    return ConnectProgress::kInProgress;
  }
  auto finished = FinishConnect(socket);
  if (!finished) return Fail(finished.error());
  return ConnectProgress::kConnected;
}

Result<Ok> Stack::FinishConnect(Socket& socket) {
  if (socket.family() == Family::kUnix || socket.type() == SockType::kDgram) return Ok{};
  if (socket.state == TcpState::kSynSent || socket.state == TcpState::kSynReceived) {
    return Fail(socket.connect_wait_error);
  }
  if (socket.state == TcpState::kClosed) {
    // The stored error (or the policy's default), then the socket is disconnected.
    const Error e = socket.pending_error.value_or(socket.policy().failed_connect_error);
    socket.pending_error.reset();
    socket.phase = Socket::Phase::kUnconnected;
    const sim::IpAddress kept = socket.local.address;
    (void)TcpDisconnect(socket);
    if (!socket.policy().failed_connect_resets_source) socket.local.address = kept;
    return Fail(e);
  }
  socket.phase = Socket::Phase::kConnected;
  return Ok{};
}

Result<Ok> Stack::TcpDisconnect(Socket& socket) {
  // Stop listening or reset the connection, then forget the destination and, unless bind()
  // fixed it, the source address. The port leaves the bind table (unless bind() fixed it)
  // while the socket's name keeps reporting it.
  const TcpState old = socket.state;
  if (old == TcpState::kListen) {
    auto children = socket.accept_queue.TakeAll();
    for (auto& child : children) TcpAbort(*child, Error::kConnectionReset);
  } else if (old == TcpState::kEstablished || old == TcpState::kCloseWait ||
             old == TcpState::kFinWait1 || old == TcpState::kFinWait2 ||
             old == TcpState::kSynReceived) {
    TcpSendControl(socket, false, true, false, true);
  }
  if (socket.retransmit_timer) {
    world_.queue().Cancel(*socket.retransmit_timer);
    socket.retransmit_timer.reset();
  }
  TcpTimingStop(socket);
  UnregisterConnection(socket);
  TcpSetState(socket, TcpState::kClosed);
  if (!socket.port_locked) UnregisterPort(socket);
  if (!socket.address_locked) {
    socket.local.address =
        socket.family() == Family::kInet6 ? sim::IpAddress::AnyV6() : sim::IpAddress::AnyV4();
  }
  socket.remote.port = 0;
  socket.shut_read = socket.shut_write = socket.peer_finished = false;
  socket.pending_error.reset();
  socket.phase = Socket::Phase::kUnconnected;
  return Ok{};
}

Result<std::size_t> Stack::TcpSend(Socket& socket, Payload& payload) {
  // A pending error and "shut down for writing", then the connection state; the caller's
  // bytes are read only once all of these passed.
  if (const auto blocked = SendBlocked(socket, Error::kShutDown)) return Fail(*blocked);
  if (socket.state == TcpState::kSynSent || socket.state == TcpState::kSynReceived) {
    return Fail(Error::kWouldBlock);
  }
  if (!CanSend(socket.state)) return Fail(Error::kNotConnected);
  if (payload.size() == 0) return std::size_t{0};
  auto bytes = payload.Read(/*partial=*/true);
  if (!bytes) return Fail(Error::kFault);
  const std::size_t n = bytes->size();
  TcpQueueData(socket, std::move(*bytes));
  return n;
}

void Stack::TcpAbort(Socket& socket, Error error) {
  // The error becomes the socket's pending error, the state CLOSED, both directions shut,
  // and an automatically bound port is released.
  if (socket.retransmit_timer) {
    world_.queue().Cancel(*socket.retransmit_timer);
    socket.retransmit_timer.reset();
  }
  TcpTimingStop(socket);  // what was held back is lost with the connection
  if (!socket.user_closed) socket.pending_error = error;
  socket.termination = error;
  if (auto parent = socket.parent_listener.lock();
      parent && socket.state == TcpState::kSynReceived) {
    --parent->pending_children;
  }
  const bool was_connecting = socket.state == TcpState::kSynSent;
  UnregisterConnection(socket);
  TcpSetState(socket, TcpState::kClosed);
  socket.shut_read = socket.shut_write = true;
  if (!socket.port_locked) UnregisterPort(socket);
  orphans_.erase(socket.id());
  if (was_connecting) TcpConnectionResolved(socket);
}

void Stack::TcpEnterTimeWait(Socket& socket) {
  TcpSetState(socket, TcpState::kTimeWait);
  TcpTimingStop(socket);
  std::weak_ptr<Socket> weak = socket.weak_from_this();
  world_.queue().ScheduleAfter(socket.policy().tunables.time_wait,
                               sim::EventLabel("tcp#{} time-wait end", socket.id()), [this, weak] {
                                 SocketRef s = weak.lock();
                                 if (!s || s->state != TcpState::kTimeWait) return;
                                 UnregisterConnection(*s);
                                 TcpSetState(*s, TcpState::kClosed);
                                 if (!s->port_locked || s->user_closed) UnregisterPort(*s);
                                 orphans_.erase(s->id());
                               });
}

void Stack::TcpShutdownWrite(Socket& socket) {
  // RFC 793 3.5 CLOSE: ESTABLISHED -> FIN-WAIT-1, CLOSE-WAIT -> LAST-ACK, with a FIN; a
  // connecting socket is disconnected instead.
  switch (socket.state) {
    case TcpState::kEstablished:
    case TcpState::kSynReceived:
      TcpSetState(socket, TcpState::kFinWait1);
      TcpSendFin(socket);
      return;
    case TcpState::kCloseWait:
      TcpSetState(socket, TcpState::kLastAck);
      TcpSendFin(socket);
      return;
    case TcpState::kSynSent:
      (void)TcpDisconnect(socket);
      return;
    case TcpState::kClosed:
    case TcpState::kListen:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kClosing:
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
      return;
  }
}

void Stack::TcpClose(Socket& socket) {
  // The user is gone; both directions are shut.
  socket.shut_read = true;
  switch (socket.state) {
    case TcpState::kListen: {
      // Queued and embryonic children are reset.
      auto children = socket.accept_queue.TakeAll();
      for (auto& child : children) {
        TcpSendControl(*child, false, true, false, true);
        child->user_closed = true;
        TcpAbort(*child, Error::kConnectionReset);
      }
      TcpSetState(socket, TcpState::kClosed);
      UnregisterPort(socket);
      return;
    }
    case TcpState::kClosed:
      UnregisterPort(socket);
      return;
    case TcpState::kSynSent:
      if (socket.retransmit_timer) world_.queue().Cancel(*socket.retransmit_timer);
      socket.retransmit_timer.reset();
      UnregisterConnection(socket);
      TcpSetState(socket, TcpState::kClosed);
      UnregisterPort(socket);
      return;
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kCloseWait: {
      const bool data_unread = socket.QueuedBytes() > 0;
      const bool abortive = socket.options.linger_on && socket.options.linger_seconds == 0;
      if (data_unread || abortive) {
        // Unread data (RFC 2525 2.17) or a zero linger time: RST instead of FIN.
        TcpSendControl(socket, false, true, false, true);
        TcpAbort(socket, Error::kConnectionReset);
        UnregisterPort(socket);
        socket.receive_queue.clear();
        return;
      }
      orphans_[socket.id()] = socket.shared_from_this();
      socket.shut_write = true;
      TcpShutdownWrite(socket);
      return;
    }
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kClosing:
    case TcpState::kLastAck: {
      // Our FIN is already out, but unread data still means the peer's bytes were lost: RST
      // (RFC 2525 2.17). compare: Linux tcp_close sends it in any state but LISTEN and CLOSE
      // (measured on the real kernel by the corpus scenario close-unread-after-own-fin-resets).
      // A zero linger time resets a connection whose peer may still send (FIN-WAIT-1/2).
      // compare: Linux tcp_need_reset.
      const bool data_unread = socket.QueuedBytes() > 0;
      const bool abortive =
          socket.options.linger_on && socket.options.linger_seconds == 0 &&
          (socket.state == TcpState::kFinWait1 || socket.state == TcpState::kFinWait2);
      if (data_unread || abortive) {
        TcpSendControl(socket, false, true, false, true);
        TcpAbort(socket, Error::kConnectionReset);
        UnregisterPort(socket);
        socket.receive_queue.clear();
        return;
      }
      orphans_[socket.id()] = socket.shared_from_this();
      return;
    }
    case TcpState::kTimeWait:
      orphans_[socket.id()] = socket.shared_from_this();
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Segments in

void Stack::TcpAcceptSyn(sim::NodeId node, Socket& listener, const Packet& packet) {
  // RFC 793 3.9 LISTEN state, "third check for a SYN".
  const int queued = static_cast<int>(listener.accept_queue.size());
  if (queued + listener.pending_children > listener.backlog) {
    switch (listener.policy().full_backlog) {
      case FullBacklog::kDropRequest:
        if (sim::DebugEnabled()) {
          sim::Log().debug("tcp#{} accept queue full; SYN dropped", listener.id());
        }
        return;
      case FullBacklog::kRefuse:
        TcpSendReset(node, packet);
        return;
    }
  }
  SocketRef child =
      MakeSocket(node, listener.family(), listener.type(), listener.protocol(), listener.policy());
  child->origin = SocketOrigin::kAccepted;
  child->options = listener.options;
  // The connection's socket starts from what its listener recorded; it learns its peer's
  // record from the SYN (nothing when the SYN came from another host).
  child->set_credentials(listener.credentials());
  child->peer_credentials = packet.sender;
  child->local = SocketView(*child, packet.dst);
  child->remote = SocketView(*child, packet.src);
  child->parent_listener = listener.weak_from_this();
  child->seq.irs = packet.seq;
  child->seq.rcv_nxt = packet.seq + kSynSequenceSpace;
  child->seq.iss = static_cast<std::uint32_t>(world_.rng().Next());
  child->seq.snd_nxt = child->seq.iss;
  child->phase = Socket::Phase::kConnected;
  TcpSetState(*child, TcpState::kSynReceived);
  RegisterConnection(*child);
  // The child holds the listener's port in the bind table, as a bound holder.
  auto& tables = Tables(node);
  BindBucket& bucket = tables.tcp_ports[child->local.port];
  child->port_ticket = tables.next_registration++;
  bucket.owners.emplace_hint(bucket.owners.end(), child->port_ticket, child->weak_from_this());
  ++bucket.bound_owners;
  child->port_registered = true;
  ++listener.pending_children;
  // Until accept() the stack owns the child (the newest socket, so its id goes last).
  orphans_.emplace_hint(orphans_.end(), child->id(), child);
  TcpSendControl(*child, true, true, false, false);
}

void Stack::TcpReceive(sim::NodeId node, const Packet& packet) {
  SocketRef socket = FindConnection(node, packet.dst, packet.src);
  if (!socket) {
    SocketRef listener = FindListener(node, packet.dst);
    if (listener && packet.syn && !packet.ack && !packet.rst) {
      TcpAcceptSyn(node, *listener, packet);
      return;
    }
    // RFC 793 3.4: a segment for no connection draws a reset, unless it is a reset.
    if (!packet.rst) TcpSendReset(node, packet);
    return;
  }

  Socket& s = *socket;
  switch (s.state) {
    case TcpState::kSynSent:
      // RFC 793 3.9 SYN-SENT: an acceptable RST means the connection is refused.
      if (packet.rst) {
        if (packet.ack && packet.ack_number == s.seq.snd_nxt) {
          TcpAbort(s, Error::kConnectionRefused);
        }
        return;
      }
      if (packet.syn && packet.ack && packet.ack_number == s.seq.snd_nxt) {
        s.seq.irs = packet.seq;
        s.seq.rcv_nxt = packet.seq + kSynSequenceSpace;
        s.seq.snd_una = packet.ack_number;
        if (s.retransmit_timer) world_.queue().Cancel(*s.retransmit_timer);
        s.retransmit_timer.reset();
        s.peer_credentials = packet.sender;
        TcpSetState(s, TcpState::kEstablished);
        s.handshake_round_trip = world_.now() - s.handshake_sent_at;
        s.handshake_timed = true;
        TcpSendControl(s, false, true, false, false);
        TcpConnectionResolved(s);
        return;
      }
      if (packet.syn && !packet.ack) {
        // RFC 793 3.4 figure 8, simultaneous initiation: a SYN without ACK in SYN-SENT moves
        // the socket to SYN-RECEIVED, and it answers with SYN,ACK (its own SYN again). This is
        // also what a socket connecting to its own address meets: its SYN comes back to it.
        s.seq.irs = packet.seq;
        s.seq.rcv_nxt = packet.seq + kSynSequenceSpace;
        s.peer_credentials = packet.sender;
        if (s.retransmit_timer) world_.queue().Cancel(*s.retransmit_timer);
        s.retransmit_timer.reset();
        TcpSetState(s, TcpState::kSynReceived);
        s.seq.snd_nxt = s.seq.iss;
        TcpSendControl(s, true, true, false, false);
      }
      return;
    case TcpState::kClosed:
    case TcpState::kListen:
      return;
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
    case TcpState::kClosing:
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
      break;
  }

  // Synchronized states. "Second, check the RST bit" (RFC 793 3.9); what a reset in
  // CLOSE-WAIT leaves pending is the policy's.
  if (packet.rst) {
    if (s.state == TcpState::kTimeWait) return;  // RFC 1337: TIME-WAIT ignores resets
    const bool broken_pipe = s.state == TcpState::kCloseWait &&
                             s.policy().close_wait_reset == CloseWaitReset::kBrokenPipe;
    TcpAbort(s, broken_pipe ? Error::kBrokenPipe : Error::kConnectionReset);
    return;
  }
  // SYN-RECEIVED: the handshake's final ACK moves the child to ESTABLISHED and onto the
  // listener's accept queue.
  if (s.state == TcpState::kSynReceived) {
    if (!packet.ack || packet.ack_number != s.seq.snd_nxt) return;
    s.seq.snd_una = packet.ack_number;
    TcpSetState(s, TcpState::kEstablished);
    s.handshake_round_trip = world_.now() - s.handshake_sent_at;
    s.handshake_timed = true;
    if (s.origin != SocketOrigin::kAccepted) {
      // A simultaneous open (RFC 793 figure 8): the SYN,ACK that acknowledges our SYN
      // completes the connect() of a socket no listener made.
      TcpConnectionResolved(s);
      return;
    }
    SocketRef parent = s.parent_listener.lock();
    if (parent) --parent->pending_children;
    if (!parent || parent->state != TcpState::kListen) {
      TcpSendControl(s, false, true, false, true);
      s.user_closed = true;
      TcpAbort(s, Error::kConnectionReset);
      return;
    }
    parent->accept_queue.push_back(socket);
    orphans_.erase(s.id());
  }
  // Whether this segment brought something to acknowledge (data, a FIN), which
  // TcpAckCheck then does at once or later (tcp_timing.cc).
  bool owe_ack = false;
  // Text: "seventh, process the segment text".
  if (!packet.payload.empty()) {
    if (s.user_closed && (s.state == TcpState::kFinWait1 || s.state == TcpState::kFinWait2)) {
      // Data for a socket nobody can read any more resets the connection (RFC 2525 2.17).
      TcpSendControl(s, false, true, false, true);
      TcpAbort(s, Error::kConnectionReset);
      return;
    }
    if (CanReceive(s.state) && packet.seq == s.seq.rcv_nxt) {
      TcpDataArrived(s, packet);  // before rcv_nxt moves: the timing starts from the last ACK
      s.receive_queue.push_back(QueuedMessage{packet.payload, std::nullopt, {}, packet.sender});
      s.seq.rcv_nxt += static_cast<std::uint32_t>(packet.payload.size());
      owe_ack = true;
    }
  }
  // "fifth, check the ACK field": our FIN acknowledged?
  const bool fin_acked = packet.ack && s.seq.fin_sent && packet.ack_number == s.seq.snd_nxt;
  if (packet.ack) s.seq.snd_una = packet.ack_number;
  if (fin_acked) {
    switch (s.state) {
      case TcpState::kFinWait1:
        TcpSetState(s, TcpState::kFinWait2);
        break;
      case TcpState::kClosing:
        TcpEnterTimeWait(s);
        break;
      case TcpState::kLastAck:
        UnregisterConnection(s);
        TcpSetState(s, TcpState::kClosed);
        if (!s.port_locked || s.user_closed) UnregisterPort(s);
        orphans_.erase(s.id());
        return;
      case TcpState::kClosed:
      case TcpState::kListen:
      case TcpState::kSynSent:
      case TcpState::kSynReceived:
      case TcpState::kEstablished:
      case TcpState::kFinWait2:
      case TcpState::kCloseWait:
      case TcpState::kTimeWait:
        break;
    }
  }
  // "eighth, check the FIN bit".
  if (packet.fin) {
    const std::uint32_t fin_seq = packet.seq + static_cast<std::uint32_t>(packet.payload.size());
    if (fin_seq != s.seq.rcv_nxt && s.state != TcpState::kTimeWait) return;
    if (s.state != TcpState::kTimeWait) s.seq.rcv_nxt = fin_seq + 1;
    s.peer_finished = true;
    bool ack_now = true;
    switch (s.state) {
      case TcpState::kEstablished:
        // The ACK is owed, and may wait like one for data (tcp_fin), below.
        TcpSetState(s, TcpState::kCloseWait);
        TcpFinArrived(s);
        ack_now = false;
        owe_ack = true;
        break;
      case TcpState::kFinWait1:
        TcpSetState(s, TcpState::kClosing);
        break;
      case TcpState::kFinWait2:
        TcpEnterTimeWait(s);
        break;
      case TcpState::kClosed:
      case TcpState::kListen:
      case TcpState::kSynSent:
      case TcpState::kSynReceived:
      case TcpState::kCloseWait:
      case TcpState::kClosing:
      case TcpState::kLastAck:
      case TcpState::kTimeWait:
        break;
    }
    if (ack_now) TcpSendControl(s, false, true, false, false);
  }
  // tcp_data_snd_check, then tcp_ack_snd_check: what the ACK field released leaves first, and
  // an owed ACK rides on it.
  if (s.HeldBytes() != 0 && CanSend(s.state)) TcpPushPending(s, false);
  if (owe_ack) TcpAckCheck(s);
}

}  // namespace socksim::stack
