// File: stack/core/tcp.cc
// The TCP connection state machine (RFC 793 section 3.9, "Event Processing"), as Linux applies
// it: connect, the three-way handshake, data, orderly release with FIN, abortive release with
// RST, TIME-WAIT, and SYN retransmission. Segments travel as world events. All transitions go
// through TcpSetState.
#include <fmt/format.h>

#include "sim/log.h"
#include "stack/core/host_tables.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// RFC 793 3.3: sequence numbers are compared modulo 2^32.
constexpr std::uint32_t kSynSequenceSpace = 1;

}  // namespace

void Stack::TcpSetState(Socket& socket, TcpState next) {
  if (socket.state == next) return;
  sim::Log().debug("tcp#{} {} => {}", socket.id(), ToString(socket.state), ToString(next));
  socket.state = next;
}

void Stack::RegisterConnection(Socket& socket) {
  auto& tables = Tables(socket.node());
  tables.tcp_connections[{WireEndpoint(socket.local), WireEndpoint(socket.remote)}] =
      socket.shared_from_this();
}

void Stack::UnregisterConnection(Socket& socket) {
  auto host = hosts_.find(socket.node());
  if (host == hosts_.end()) return;
  auto& table = host->second->tcp_connections;
  const auto it = table.find({WireEndpoint(socket.local), WireEndpoint(socket.remote)});
  if (it != table.end()) {
    auto s = it->second.lock();
    if (!s || s.get() == &socket) table.erase(it);
  }
}

SocketRef Stack::FindConnection(sim::NodeId node, const sim::Endpoint& local,
                                const sim::Endpoint& remote) {
  auto host = hosts_.find(node);
  if (host == hosts_.end()) return nullptr;
  const auto it = host->second->tcp_connections.find({local, remote});
  if (it == host->second->tcp_connections.end()) return nullptr;
  return it->second.lock();
}

SocketRef Stack::FindListener(sim::NodeId node, const sim::Endpoint& local) {
  auto host = hosts_.find(node);
  if (host == hosts_.end()) return nullptr;
  const auto it = host->second->tcp_ports.find(local.port);
  if (it == host->second->tcp_ports.end()) return nullptr;
  // Scored like Linux's compute_score: an exact local address beats a wildcard, and for IPv4
  // traffic an AF_INET socket beats a dual-stack AF_INET6 one. Ties keep the earliest bound.
  SocketRef best;
  int best_score = -1;
  for (const auto& weak : it->second) {
    SocketRef s = weak.lock();
    if (!s || s->state != TcpState::kListen) continue;
    const sim::Endpoint bound = WireEndpoint(s->local);
    int score = 0;
    if (local.address.is_v4()) {
      if (s->family() == Family::kInet6 && s->options.v6_only) continue;
      if (s->family() == Family::kInet6 && bound.address.is_v6() && !bound.address.IsUnspecified()) {
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

void Stack::TcpSendControl(Socket& socket, bool syn, bool ack, bool fin, bool rst,
                           std::string payload) {
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
  socket.seq.snd_nxt += static_cast<std::uint32_t>(p.payload.size()) + (syn ? 1u : 0u) +
                        (fin ? 1u : 0u);
  if (fin) socket.seq.fin_sent = true;
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
    p.ack_number = in.seq + static_cast<std::uint32_t>(in.payload.size()) +
                   (in.syn ? 1u : 0u) + (in.fin ? 1u : 0u);
  }
  Transmit(node, std::move(p));
}

void Stack::TcpScheduleSynRetransmit(Socket& socket) {
  // RFC 6298 (2.1, 5.5): initial RTO of one second, doubled on every expiry; Linux gives up
  // after tcp_syn_retries retransmissions with ETIMEDOUT.
  const std::int64_t rto_ns = options_.syn_initial_rto.ns << socket.syn_attempts;
  std::weak_ptr<Socket> weak = socket.shared_from_this();
  socket.retransmit_timer = world_.queue().ScheduleAfter(
      sim::Duration{rto_ns}, fmt::format("tcp#{} syn timer", socket.id()), [this, weak] {
        SocketRef s = weak.lock();
        if (!s || s->state != TcpState::kSynSent) return;
        s->retransmit_timer.reset();
        if (s->syn_attempts >= options_.syn_retries) {
          TcpAbort(*s, Error::kTimedOut);
          return;
        }
        ++s->syn_attempts;
        s->seq.snd_nxt = s->seq.iss;
        TcpSendControl(*s, true, false, false, false);
        TcpScheduleSynRetransmit(*s);
      });
}

Result<ConnectProgress> Stack::TcpConnect(Socket& socket, const sim::Endpoint& to,
                                          bool blocking) {
  // Linux __inet_stream_connect, by socket phase.
  switch (socket.phase) {
    case Socket::Phase::kConnected:
      return Fail(Error::kAlreadyConnected);
    case Socket::Phase::kConnecting:
      socket.connect_wait_error = Error::kAlreadyInProgress;
      break;
    case Socket::Phase::kUnconnected: {
      if (socket.state != TcpState::kClosed) return Fail(Error::kAlreadyConnected);
      // tcp_v4_connect / tcp_v6_connect: an unspecified destination means this host's loopback.
      sim::Endpoint dest = to;
      if (dest.address.IsUnspecified()) {
        dest.address = socket.family() == Family::kInet6 && !dest.address.is_v4()
                           ? sim::IpAddress::LoopbackV6()
                           : sim::IpAddress::LoopbackV4();
      }
      const sim::Endpoint wire_dest = WireEndpoint(dest);
      if (socket.family() == Family::kInet6 && dest.address.IsV4Mapped() &&
          socket.options.v6_only) {
        return Fail(Error::kNetworkUnreachable);
      }
      if (wire_dest.address.is_v6() && wire_dest.address.IsLinkLocal() && dest.scope_id == 0 &&
          socket.local.scope_id == 0) {
        return Fail(Error::kInvalidArgument);  // tcp_v6_connect: link-local needs an interface
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
          source = route.route->source;
        } else {
          // No path: take an address of the right version from the host's interfaces, as the
          // route to an on-link destination would.
          source = wire_dest.address.is_v4() ? sim::IpAddress::AnyV4() : sim::IpAddress::AnyV6();
        }
        socket.local.address =
            socket.family() == Family::kInet6 ? source.ToV4Mapped() : source;
      }
      socket.remote = dest;
      socket.remote.flow_info = to.flow_info;
      if (wire_dest.address.is_v6() && wire_dest.address.IsLinkLocal()) {
        socket.remote.scope_id = scope;
        socket.local.scope_id = scope;
      } else {
        socket.remote.scope_id = 0;
      }
      // inet_hash_connect: an unbound socket gets an ephemeral port now.
      if (!socket.port_registered) {
        auto bound = AutoBind(socket);
        if (!bound) {
          socket.remote = sim::Endpoint{socket.remote.address, 0};
          return Fail(Error::kAddressNotAvailable);
        }
      }
      socket.seq = TcpSequence{};
      socket.seq.iss = static_cast<std::uint32_t>(world_.rng().Next());
      socket.seq.snd_nxt = socket.seq.iss;
      socket.seq.snd_una = socket.seq.iss;
      socket.syn_attempts = 0;
      socket.pending_error.reset();
      socket.shut_read = socket.shut_write = socket.peer_finished = false;
      TcpSetState(socket, TcpState::kSynSent);
      RegisterConnection(socket);
      socket.phase = Socket::Phase::kConnecting;
      socket.blocking_connect = blocking;
      socket.connect_wait_error = Error::kInProgress;
      TcpSendControl(socket, true, false, false, false);
      if (host_unreachable) {
        // Neighbour resolution fails after a few seconds and the connect reports EHOSTUNREACH.
        std::weak_ptr<Socket> weak = socket.shared_from_this();
        world_.queue().ScheduleAfter(options_.host_unreachable_delay,
                                     fmt::format("tcp#{} neighbour unreachable", socket.id()),
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
    // __inet_stream_connect "sock_error": the stored error (or ECONNABORTED), then disconnect,
    // which resets an automatically chosen source address (measured: 0.0.0.0 afterwards).
    const Error e = socket.pending_error.value_or(Error::kConnectionAborted);
    socket.pending_error.reset();
    socket.phase = Socket::Phase::kUnconnected;
    (void)TcpDisconnect(socket);
    return Fail(e);
  }
  socket.phase = Socket::Phase::kConnected;
  return Ok{};
}

Result<Ok> Stack::TcpDisconnect(Socket& socket) {
  // tcp_disconnect: stop listening or reset the connection, then forget the destination and,
  // unless bind() fixed it, the source address. The port leaves the bind table (unless bind()
  // fixed it) while getsockname keeps reporting it (linux.md 1.6).
  const TcpState old = socket.state;
  if (old == TcpState::kListen) {
    for (auto& child : socket.accept_queue) TcpAbort(*child, Error::kConnectionReset);
    socket.accept_queue.clear();
  } else if (old == TcpState::kEstablished || old == TcpState::kCloseWait ||
             old == TcpState::kFinWait1 || old == TcpState::kFinWait2 ||
             old == TcpState::kSynReceived) {
    TcpSendControl(socket, false, true, false, true);
  }
  if (socket.retransmit_timer) {
    world_.queue().Cancel(*socket.retransmit_timer);
    socket.retransmit_timer.reset();
  }
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

void Stack::TcpAbort(Socket& socket, Error error) {
  // tcp_reset / tcp_done: the error becomes the socket's pending error, the state CLOSED, both
  // directions shut, and an automatically bound port is released.
  if (socket.retransmit_timer) {
    world_.queue().Cancel(*socket.retransmit_timer);
    socket.retransmit_timer.reset();
  }
  if (!socket.user_closed) socket.pending_error = error;
  if (auto parent = socket.parent_listener.lock();
      parent && socket.state == TcpState::kSynReceived) {
    --parent->pending_children;
  }
  UnregisterConnection(socket);
  TcpSetState(socket, TcpState::kClosed);
  socket.shut_read = socket.shut_write = true;
  if (!socket.port_locked) UnregisterPort(socket);
  orphans_.erase(socket.id());
}

void Stack::TcpEnterTimeWait(Socket& socket) {
  TcpSetState(socket, TcpState::kTimeWait);
  std::weak_ptr<Socket> weak = socket.shared_from_this();
  world_.queue().ScheduleAfter(options_.time_wait, fmt::format("tcp#{} time-wait end", socket.id()),
                               [this, weak] {
                                 SocketRef s = weak.lock();
                                 if (!s || s->state != TcpState::kTimeWait) return;
                                 UnregisterConnection(*s);
                                 TcpSetState(*s, TcpState::kClosed);
                                 if (!s->port_locked || s->user_closed) UnregisterPort(*s);
                                 orphans_.erase(s->id());
                               });
}

void Stack::TcpShutdownWrite(Socket& socket) {
  // tcp_shutdown + tcp_close_state: ESTABLISHED -> FIN-WAIT-1, CLOSE-WAIT -> LAST-ACK, with a
  // FIN; a connecting socket is disconnected instead.
  switch (socket.state) {
    case TcpState::kEstablished:
    case TcpState::kSynReceived:
      TcpSetState(socket, TcpState::kFinWait1);
      TcpSendControl(socket, false, true, true, false);
      return;
    case TcpState::kCloseWait:
      TcpSetState(socket, TcpState::kLastAck);
      TcpSendControl(socket, false, true, true, false);
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
  // tcp_close: the user is gone; both directions are shut.
  socket.shut_read = true;
  switch (socket.state) {
    case TcpState::kListen:
      // inet_csk_listen_stop: queued and embryonic children are reset.
      for (auto& child : socket.accept_queue) {
        TcpSendControl(*child, false, true, false, true);
        child->user_closed = true;
        TcpAbort(*child, Error::kConnectionReset);
      }
      socket.accept_queue.clear();
      TcpSetState(socket, TcpState::kClosed);
      UnregisterPort(socket);
      return;
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
        // tcp_close: unread data (RFC 2525 2.17) or SO_LINGER{1,0} -> RST instead of FIN.
        TcpSendControl(socket, false, true, false, true);
        TcpAbort(socket, Error::kConnectionReset);
        UnregisterPort(socket);
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
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
      orphans_[socket.id()] = socket.shared_from_this();
      return;
  }
}

void Stack::TcpReceive(sim::NodeId node, const Packet& packet) {
  SocketRef socket = FindConnection(node, packet.dst, packet.src);
  if (!socket) {
    SocketRef listener = FindListener(node, packet.dst);
    if (listener && packet.syn && !packet.ack && !packet.rst) {
      // RFC 793 3.9 LISTEN state, "third check for a SYN". Linux drops the SYN when the accept
      // queue is full (sk_acceptq_is_full) and the client retransmits.
      const int queued = static_cast<int>(listener->accept_queue.size());
      if (queued + listener->pending_children > listener->backlog) {
        sim::Log().debug("tcp#{} accept queue full; SYN dropped", listener->id());
        return;
      }
      auto child = std::make_shared<Socket>(*this, next_socket_id_++, node, listener->family(),
                                            listener->type(), listener->protocol());
      Adopt(child);
      child->options = listener->options;
      child->creator = listener->creator;
      child->local = SocketView(*child, packet.dst);
      child->remote = SocketView(*child, packet.src);
      child->parent_listener = listener;
      child->seq.irs = packet.seq;
      child->seq.rcv_nxt = packet.seq + kSynSequenceSpace;
      child->seq.iss = static_cast<std::uint32_t>(world_.rng().Next());
      child->seq.snd_nxt = child->seq.iss;
      child->phase = Socket::Phase::kConnected;
      TcpSetState(*child, TcpState::kSynReceived);
      RegisterConnection(*child);
      // The child shares the listener's port (inet_csk_clone_lock inherits the bind bucket).
      Tables(node).tcp_ports[child->local.port].push_back(child);
      child->port_registered = true;
      ++listener->pending_children;
      // Until accept() the stack owns the child.
      orphans_[child->id()] = child;
      TcpSendControl(*child, true, true, false, false);
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
        TcpSetState(s, TcpState::kEstablished);
        TcpSendControl(s, false, true, false, false);
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

  // Synchronized states. "Second, check the RST bit" (RFC 793 3.9): tcp_reset reports EPIPE in
  // CLOSE-WAIT and ECONNRESET otherwise.
  if (packet.rst) {
    if (s.state == TcpState::kTimeWait) return;  // RFC 1337: TIME-WAIT ignores resets
    TcpAbort(s, s.state == TcpState::kCloseWait ? Error::kBrokenPipe : Error::kConnectionReset);
    return;
  }
  // SYN-RECEIVED: the handshake's final ACK moves the child to ESTABLISHED and onto the
  // listener's accept queue.
  if (s.state == TcpState::kSynReceived) {
    if (!packet.ack || packet.ack_number != s.seq.snd_nxt) return;
    s.seq.snd_una = packet.ack_number;
    TcpSetState(s, TcpState::kEstablished);
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
  // Text: "seventh, process the segment text".
  if (!packet.payload.empty()) {
    if (s.user_closed && (s.state == TcpState::kFinWait1 || s.state == TcpState::kFinWait2)) {
      // tcp_rcv_state_process: data for a closed socket resets the connection.
      TcpSendControl(s, false, true, false, true);
      TcpAbort(s, Error::kConnectionReset);
      return;
    }
    if (CanReceive(s.state) && packet.seq == s.seq.rcv_nxt) {
      s.receive_queue.push_back(QueuedMessage{packet.payload, std::nullopt, {}});
      s.seq.rcv_nxt += static_cast<std::uint32_t>(packet.payload.size());
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
    switch (s.state) {
      case TcpState::kEstablished:
        TcpSetState(s, TcpState::kCloseWait);
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
    TcpSendControl(s, false, true, false, false);
  }
}

}  // namespace socksim::stack
