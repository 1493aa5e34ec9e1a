// File: stack/core/unix.cc
// UNIX-domain sockets on one host, after Linux net/unix/af_unix.c: a per-host name space of
// pathname and abstract names, autobind, socketpair, stream/seqpacket connect through a
// listener (with credential capture), one-way datagram association, and what a survivor sees
// after its peer closes.
#include <fmt/format.h>

#include "sim/log.h"
#include "stack/core/host_tables.h"
#include "stack/core/stack.h"

namespace socksim::stack {

Result<std::pair<SocketRef, SocketRef>> Stack::CreatePair(sim::NodeId node, SockType type,
                                                          int protocol,
                                                          const CallerIdentity& caller) {
  auto a = Create(node, Family::kUnix, type, protocol, caller);
  if (!a) return Fail(a.error());
  auto b = Create(node, Family::kUnix, type, protocol, caller);
  if (!b) return Fail(b.error());
  // unix_socketpair: each end is the other's peer, both unnamed and established, and both
  // record the caller's credentials (init_peercred).
  for (auto [self, other] : {std::pair{*a, *b}, std::pair{*b, *a}}) {
    self->unix_peer = other;
    self->state = TcpState::kEstablished;
    self->phase = Socket::Phase::kConnected;
    self->peer_credentials = CapturedCredentials{caller.pid, caller.credentials};
  }
  return std::pair{*a, *b};
}

Result<Ok> Stack::UnixAutoBind(Socket& socket) {
  // unix_autobind: a bound socket keeps its name and the call succeeds.
  if (socket.unix_name) return Ok{};
  auto& tables = Tables(socket.node());
  if (const auto hint = name_hints_.find(socket.node()); hint != name_hints_.end()) {
    // A replayed trace's choice, taken (without a draw) when the name is free.
    const std::string name = hint->second;
    name_hints_.erase(hint);
    const auto key = std::pair{socket.type(), name};
    const auto it = tables.unix_abstract.find(key);
    if (name.size() == 5 && (it == tables.unix_abstract.end() || it->second.expired())) {
      tables.unix_abstract[key] = socket.shared_from_this();
      socket.unix_name = std::make_shared<const UnixAddress>(UnixAddress::Abstract(name));
      return Ok{};
    }
  }
  // Names are NUL + five lower-case hex digits; the search starts one past a random point of
  // the 2^20 space and gives up with ENOSPC after a full cycle.
  constexpr std::uint32_t kSpace = 1u << 20;
  const auto start = static_cast<std::uint32_t>(world_.rng().UniformBelow(kSpace));
  std::uint32_t n = start;
  for (;;) {
    n = (n + 1) % kSpace;
    const std::string name = fmt::format("{:05x}", n);
    const auto key = std::pair{socket.type(), name};
    const auto it = tables.unix_abstract.find(key);
    if (it == tables.unix_abstract.end() || it->second.expired()) {
      tables.unix_abstract[key] = socket.shared_from_this();
      socket.unix_name = std::make_shared<const UnixAddress>(UnixAddress::Abstract(name));
      return Ok{};
    }
    if (n == start) return Fail(Error::kNoSpace);
  }
}

Result<Ok> Stack::UnixBind(Socket& socket, const UnixAddress& address) {
  auto& tables = Tables(socket.node());
  if (address.kind == UnixAddress::Kind::kPathname) {
    // unix_bind_bsd creates the file first (EADDRINUSE if it exists), then finds the socket
    // already bound (EINVAL).
    if (tables.unix_paths.count(address.name) != 0) return Fail(Error::kAddressInUse);
    if (socket.unix_name) return Fail(Error::kInvalidArgument);
    tables.unix_paths[address.name] = socket.shared_from_this();
  } else {
    // unix_bind_abstract tests "already bound" before the name table.
    if (socket.unix_name) return Fail(Error::kInvalidArgument);
    const auto key = std::pair{socket.type(), address.name};
    const auto it = tables.unix_abstract.find(key);
    if (it != tables.unix_abstract.end() && !it->second.expired()) {
      return Fail(Error::kAddressInUse);
    }
    tables.unix_abstract[key] = socket.shared_from_this();
  }
  socket.unix_name = std::make_shared<const UnixAddress>(address);
  return Ok{};
}

Result<Ok> Stack::UnixListen(Socket& socket, const CallerIdentity& caller) {
  // unix_listen: unbound -> EINVAL; only CLOSE or LISTEN sockets may listen.
  if (!socket.unix_name) return Fail(Error::kInvalidArgument);
  if (socket.state != TcpState::kClosed && socket.state != TcpState::kListen) {
    return Fail(Error::kInvalidArgument);
  }
  socket.state = TcpState::kListen;
  // init_peercred: every successful listen() records the caller's credentials anew.
  socket.peer_credentials = CapturedCredentials{caller.pid, caller.credentials};
  return Ok{};
}

Result<SocketRef> Stack::UnixLookup(const Socket& socket, const UnixAddress& address) {
  auto& tables = Tables(socket.node());
  SocketRef other;
  if (address.kind == UnixAddress::Kind::kPathname) {
    // unix_find_bsd: no file -> ENOENT; a file with no live socket -> ECONNREFUSED.
    const auto it = tables.unix_paths.find(address.name);
    if (it == tables.unix_paths.end()) return Fail(Error::kNoSuchEntry);
    other = it->second.lock();
  } else {
    // unix_find_abstract: no such name for this socket type -> ECONNREFUSED.
    const auto it = tables.unix_abstract.find(std::pair{socket.type(), address.name});
    if (it != tables.unix_abstract.end()) other = it->second.lock();
  }
  if (!other || other->user_closed) return Fail(Error::kConnectionRefused);
  if (other->type() != socket.type()) return Fail(Error::kProtocolWrongType);
  return other;
}

Result<ConnectProgress> Stack::UnixConnect(Socket& socket, const SocketAddress& address,
                                           const CallerIdentity& caller) {
  if (socket.type() == SockType::kDgram) {
    // unix_dgram_connect: AF_UNSPEC dissolves the association, legal when none exists.
    if (std::holds_alternative<UnspecifiedAddress>(address)) {
      socket.unix_peer.reset();
      socket.state = TcpState::kClosed;
      return ConnectProgress::kConnected;
    }
    const auto* target = std::get_if<UnixAddress>(&address);
    if (target == nullptr) return Fail(Error::kInvalidArgument);
    if (socket.options.pass_credentials && !socket.unix_name) {
      auto bound = UnixAutoBind(socket);
      if (!bound) return Fail(bound.error());
    }
    auto other = UnixLookup(socket, *target);
    if (!other) return Fail(other.error());
    // One-way: the target does not learn of us (getpeername(2) NOTES, LNX-16).
    socket.unix_peer = *other;
    socket.state = TcpState::kEstablished;
    return ConnectProgress::kConnected;
  }
  const auto* target = std::get_if<UnixAddress>(&address);
  if (target == nullptr) return Fail(Error::kInvalidArgument);
  // prepare_peercred: the caller's credentials are taken at the start of connect().
  const CapturedCredentials connector{caller.pid, caller.credentials};
  if (socket.options.pass_credentials && !socket.unix_name) {
    auto bound = UnixAutoBind(socket);
    if (!bound) return Fail(bound.error());
  }
  auto found = UnixLookup(socket, *target);
  if (!found) return Fail(found.error());
  SocketRef listener = *found;
  // unix_stream_connect: the target must be listening and accepting.
  if (listener->state != TcpState::kListen || listener->shut_read) {
    return Fail(Error::kConnectionRefused);
  }
  if (static_cast<int>(listener->accept_queue.size()) > listener->backlog) {
    return Fail(Error::kWouldBlock);
  }
  switch (socket.state) {
    case TcpState::kClosed:
      break;
    case TcpState::kEstablished:
      return Fail(Error::kAlreadyConnected);
    case TcpState::kListen:
    case TcpState::kSynSent:
    case TcpState::kSynReceived:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
    case TcpState::kClosing:
    case TcpState::kLastAck:
    case TcpState::kTimeWait:
      return Fail(Error::kInvalidArgument);
  }
  auto created = Create(socket.node(), Family::kUnix, socket.type(), socket.protocol(),
                        CallerIdentity{listener->creator.pid, listener->creator.credentials});
  if (!created) return Fail(created.error());
  SocketRef server_side = *created;
  // The server-side socket shares the listener's name record and records the connector's
  // credentials; the client receives a copy of the listener's recorded credentials.
  server_side->unix_name = listener->unix_name;
  server_side->unix_peer = socket.shared_from_this();
  server_side->peer_credentials = connector;
  server_side->state = TcpState::kEstablished;
  server_side->phase = Socket::Phase::kConnected;
  server_side->options.pass_credentials = listener->options.pass_credentials;
  socket.unix_peer = server_side;
  socket.peer_credentials = listener->peer_credentials;
  socket.state = TcpState::kEstablished;
  socket.phase = Socket::Phase::kConnected;
  listener->accept_queue.push_back(server_side);
  return ConnectProgress::kConnected;
}

Result<std::size_t> Stack::UnixSend(Socket& socket, const std::string& bytes,
                                    const std::optional<SocketAddress>& destination,
                                    std::vector<sim::OfdRef> rights) {
  const bool has_destination =
      destination && !std::holds_alternative<UnspecifiedAddress>(*destination);
  if (socket.type() == SockType::kStream) {
    // unix_stream_sendmsg: a name is refused; then the peer, then our own shutdown.
    if (has_destination) {
      return Fail(socket.state == TcpState::kEstablished ? Error::kAlreadyConnected
                                                         : Error::kOperationNotSupported);
    }
    if (!socket.unix_peer) return Fail(Error::kNotConnected);
    if (socket.shut_write) return Fail(Error::kBrokenPipe);
    Socket& other = *socket.unix_peer;
    if (other.user_closed || other.shut_read) return Fail(Error::kBrokenPipe);
    other.receive_queue.push_back(QueuedMessage{bytes, std::nullopt, std::move(rights)});
    return bytes.size();
  }
  if (socket.type() == SockType::kSeqPacket) {
    // unix_seqpacket_sendmsg: must be connected; a given name is ignored.
    if (socket.state != TcpState::kEstablished || !socket.unix_peer) {
      return Fail(Error::kNotConnected);
    }
    if (socket.shut_write) return Fail(Error::kBrokenPipe);
    Socket& other = *socket.unix_peer;
    if (other.user_closed || other.shut_read) return Fail(Error::kBrokenPipe);
    other.receive_queue.push_back(QueuedMessage{bytes, std::nullopt, std::move(rights)});
    return bytes.size();
  }
  // unix_dgram_sendmsg.
  if (socket.options.pass_credentials && !socket.unix_name) {
    auto bound = UnixAutoBind(socket);
    if (!bound) return Fail(bound.error());
  }
  SocketRef other;
  if (has_destination) {
    const auto* target = std::get_if<UnixAddress>(&*destination);
    if (target == nullptr) return Fail(Error::kInvalidArgument);
    auto found = UnixLookup(socket, *target);
    if (!found) return Fail(found.error());
    other = *found;
  } else {
    if (!socket.unix_peer) return Fail(Error::kNotConnected);
    other = socket.unix_peer;
    if (other->user_closed) {
      // The connected peer is dead: drop the association and report ECONNREFUSED (only now
      // does getpeername start failing: linux.md 1.7).
      socket.unix_peer.reset();
      socket.state = TcpState::kClosed;
      return Fail(Error::kConnectionRefused);
    }
  }
  if (socket.shut_write) return Fail(Error::kBrokenPipe);
  // unix_recvq_full: more than net.unix.max_dgram_qlen (10) queued -> EAGAIN (measured: the
  // 12th datagram to a reader that never reads).
  if (other.get() != &socket && other->unix_peer.get() != &socket &&
      other->receive_queue.size() > static_cast<std::size_t>(options_.max_dgram_qlen)) {
    return Fail(Error::kWouldBlock);
  }
  std::optional<SocketAddress> source;
  if (socket.unix_name) source = SocketAddress{*socket.unix_name};
  other->receive_queue.push_back(QueuedMessage{bytes, source, std::move(rights)});
  return bytes.size();
}

void Stack::UnixRelease(Socket& socket) {
  // unix_release_sock.
  auto host = hosts_.find(socket.node());
  if (host != hosts_.end() && socket.unix_name &&
      socket.unix_name->kind == UnixAddress::Kind::kAbstract) {
    auto& names = host->second->unix_abstract;
    const auto it = names.find(std::pair{socket.type(), socket.unix_name->name});
    if (it != names.end()) {
      auto owner = it->second.lock();
      if (!owner || owner.get() == &socket) names.erase(it);
    }
  }
  const bool had_unread = !socket.receive_queue.empty();
  socket.state = TcpState::kClosed;
  socket.shut_read = socket.shut_write = true;
  SocketRef peer = std::move(socket.unix_peer);
  socket.unix_peer.reset();
  if (peer && socket.is_stream_like()) {
    // The survivor is shut down both ways and keeps its peer pointer, so its getpeername keeps
    // answering; ECONNRESET if data was left unread here.
    peer->shut_read = peer->shut_write = true;
    peer->peer_finished = true;
    if (had_unread) peer->pending_error = Error::kConnectionReset;
  }
  // Connections never accepted die with the listener; their clients see ECONNRESET (embrion).
  for (auto& child : socket.accept_queue) {
    child->user_closed = true;
    if (SocketRef client = child->unix_peer) {
      client->shut_read = client->shut_write = true;
      client->peer_finished = true;
      client->pending_error = Error::kConnectionReset;
    }
    child->unix_peer.reset();
    child->receive_queue.clear();
  }
  socket.accept_queue.clear();
  socket.receive_queue.clear();
}

}  // namespace socksim::stack
