// File: stack/core/unix.cc
// UNIX-domain sockets on one host: a per-host name space of pathname names (and, where the
// policy has them, abstract names), automatic names, socketpair, stream/seqpacket connect
// through a listener, one-way datagram association, and what a survivor sees after its peer
// closes. Connected sockets learn their peer's credential record directly (no packet carries
// it: both ends are on one host).
#include <fmt/format.h>

#include "sim/log.h"
#include "stack/core/demux.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// The abstract-namespace key of a name for `socket`'s policy.
std::pair<int, std::string> AbstractKey(const Socket& socket, const std::string& name) {
  return {socket.policy().abstract_names_per_type ? static_cast<int>(socket.type()) + 1 : 0,
          name};
}

// unix_scm_to_skb / maybe_add_creds: credentials the sender named go with the message; without
// them the sender's own are attached when either end asks for credentials (SO_PASSCRED), and
// none otherwise.
std::optional<MessageCredentials> AttachedCredentials(const Socket& sender, const Socket& receiver,
                                                      const SendCredentials& credentials) {
  if (credentials.given) return credentials.given;
  if (sender.options.pass_credentials || receiver.options.pass_credentials) {
    return credentials.own;
  }
  return std::nullopt;
}

}  // namespace

void Stack::UnixSetState(Socket& socket, TcpState next) {
  if (socket.state == next) return;
  if (sim::DebugEnabled()) {
    sim::Log().debug("unix#{} {} => {}", socket.id(), ToString(socket.state), ToString(next));
  }
  socket.state = next;
  if (next == TcpState::kEstablished) socket.was_established = true;
}

Result<std::pair<SocketRef, SocketRef>> Stack::CreatePair(sim::NodeId node, SockType type,
                                                          int protocol, const Policy& policy,
                                                          const sim::CredentialSnapshot& caller) {
  auto a = Create(node, Family::kUnix, type, protocol, policy, caller);
  if (!a) return Fail(a.error());
  auto b = Create(node, Family::kUnix, type, protocol, policy, caller);
  if (!b) return Fail(b.error());
  // Each end is the other's peer, both unnamed and established; each sees the other's record
  // (both name the caller as creator).
  for (auto [self, other] : {std::pair{*a, *b}, std::pair{*b, *a}}) {
    self->unix_peer = other;
    self->origin = SocketOrigin::kPair;
    UnixSetState(*self, TcpState::kEstablished);
    self->phase = Socket::Phase::kConnected;
    self->peer_credentials = other->credentials();
  }
  return std::pair{*a, *b};
}

Result<Ok> Stack::UnixAutoBind(Socket& socket) {
  // A bound socket keeps its name and the call succeeds.
  if (socket.unix_name) return Ok{};
  const AutobindNaming& naming = socket.policy().autobind;
  if (naming.kind == AutobindNaming::Kind::kNone) return Ok{};
  auto& tables = Tables(socket.node());
  auto take = [&](const std::string& name) {
    const auto key = AbstractKey(socket, name);
    const auto it = tables.unix_abstract.find(key);
    if (it != tables.unix_abstract.end() && !it->second.expired()) return false;
    tables.unix_abstract[key] = socket.weak_from_this();
    socket.unix_name = std::make_shared<const UnixAddress>(UnixAddress::Abstract(name));
    return true;
  };
  if (const auto hint = name_hints_.find(socket.node()); hint != name_hints_.end()) {
    // A replayed trace's choice, taken (without a draw) when the name is free.
    const std::string name = hint->second;
    name_hints_.erase(hint);
    if (name.size() == static_cast<std::size_t>(naming.digits) && take(name)) return Ok{};
  }
  // Names are `digits` lower-case hex digits; the search starts one past a random point of the
  // name space and gives up after a full cycle.
  const std::uint32_t space = naming.space;
  const auto start = static_cast<std::uint32_t>(world_.rng().UniformBelow(space));
  std::uint32_t n = start;
  for (;;) {
    n = (n + 1) % space;
    if (take(fmt::format("{:0{}x}", n, naming.digits))) return Ok{};
    if (n == start) return Fail(Error::kNoSpace);
  }
}

Result<Ok> Stack::UnixBind(Socket& socket, const UnixAddress& address) {
  auto& tables = Tables(socket.node());
  if (address.kind == UnixAddress::Kind::kPathname) {
    // The file is created first (in use if it exists), then the socket is found to be bound
    // already.
    if (tables.unix_paths.count(address.name) != 0) return Fail(Error::kAddressInUse);
    if (socket.unix_name) return Fail(Error::kInvalidArgument);
    tables.unix_paths[address.name] = socket.weak_from_this();
  } else {
    if (!socket.policy().abstract_names) return Fail(Error::kInvalidArgument);
    // "Already bound" is tested before the name table.
    if (socket.unix_name) return Fail(Error::kInvalidArgument);
    const auto key = AbstractKey(socket, address.name);
    const auto it = tables.unix_abstract.find(key);
    if (it != tables.unix_abstract.end() && !it->second.expired()) {
      return Fail(Error::kAddressInUse);
    }
    tables.unix_abstract[key] = socket.weak_from_this();
  }
  socket.unix_name = std::make_shared<const UnixAddress>(address);
  return Ok{};
}

Result<Ok> Stack::UnixListen(Socket& socket) {
  // Unbound: invalid; only an unconnected or listening socket may listen.
  if (!socket.unix_name) return Fail(Error::kInvalidArgument);
  if (socket.state != TcpState::kClosed && socket.state != TcpState::kListen) {
    return Fail(Error::kInvalidArgument);
  }
  UnixSetState(socket, TcpState::kListen);
  return Ok{};
}

Result<SocketRef> Stack::UnixLookup(const Socket& socket, const UnixAddress& address) {
  auto& tables = Tables(socket.node());
  SocketRef other;
  if (address.kind == UnixAddress::Kind::kPathname) {
    // No file: no such entry; a file with no live socket: refused.
    const auto it = tables.unix_paths.find(address.name);
    if (it == tables.unix_paths.end()) return Fail(Error::kNoSuchEntry);
    other = it->second.lock();
  } else {
    if (!socket.policy().abstract_names) return Fail(Error::kInvalidArgument);
    // An abstract name nobody holds (for this socket type) is refused.
    const auto it = tables.unix_abstract.find(AbstractKey(socket, address.name));
    if (it != tables.unix_abstract.end()) other = it->second.lock();
  }
  if (!other || other->user_closed) return Fail(Error::kConnectionRefused);
  if (other->type() != socket.type()) return Fail(Error::kProtocolWrongType);
  return other;
}

Result<ConnectProgress> Stack::UnixConnect(Socket& socket, const SocketAddress& address,
                                           const sim::CredentialSnapshot& caller) {
  (void)caller;  // recorded by Connect before the protocol runs
  if (socket.type() == SockType::kDgram) {
    // An unspecified address dissolves the association, legal when none exists.
    if (std::holds_alternative<UnspecifiedAddress>(address)) {
      socket.unix_peer.reset();
      UnixSetState(socket, TcpState::kClosed);
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
    UnixSetState(socket, TcpState::kEstablished);
    return ConnectProgress::kConnected;
  }
  const auto* target = std::get_if<UnixAddress>(&address);
  if (target == nullptr) return Fail(Error::kInvalidArgument);
  if (socket.options.pass_credentials && !socket.unix_name) {
    auto bound = UnixAutoBind(socket);
    if (!bound) return Fail(bound.error());
  }
  auto found = UnixLookup(socket, *target);
  if (!found) return Fail(found.error());
  SocketRef listener = *found;
  // The target must be listening and accepting.
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
  // The socket made for the connection shares the listener's name record and starts from its
  // credential record; it sees the connector's record (taken at the start of connect) as its
  // peer's, and the connector sees the listener's record as it is now.
  SocketRef server_side = MakeSocket(socket.node(), Family::kUnix, socket.type(),
                                     socket.protocol(), listener->policy());
  server_side->origin = SocketOrigin::kAccepted;
  server_side->set_credentials(listener->credentials());
  server_side->unix_name = listener->unix_name;
  server_side->unix_peer = socket.shared_from_this();
  server_side->peer_credentials = socket.credentials();
  UnixSetState(*server_side, TcpState::kEstablished);
  server_side->phase = Socket::Phase::kConnected;
  server_side->options.pass_credentials = listener->options.pass_credentials;
  socket.unix_peer = server_side;
  socket.peer_credentials = listener->credentials();
  UnixSetState(socket, TcpState::kEstablished);
  socket.phase = Socket::Phase::kConnected;
  listener->accept_queue.push_back(server_side);
  return ConnectProgress::kConnected;
}

Result<std::size_t> Stack::UnixSend(Socket& socket, Payload& payload,
                                    const std::optional<SocketAddress>& destination,
                                    std::vector<sim::OfdRef> rights,
                               const SendCredentials& credentials) {
  const bool has_destination =
      destination && !std::holds_alternative<UnspecifiedAddress>(*destination);
  if (socket.type() == SockType::kStream) {
    // A name is refused; then the peer and our own shutdown; the bytes are copied before the
    // peer's state is looked at, so a bad buffer wins over a closed peer.
    if (has_destination) {
      return Fail(socket.state == TcpState::kEstablished ? Error::kAlreadyConnected
                                                         : Error::kOperationNotSupported);
    }
    if (!socket.unix_peer) return Fail(Error::kNotConnected);
    if (socket.shut_write) return Fail(Error::kBrokenPipe);
    if (payload.size() == 0) return std::size_t{0};  // nothing is queued, not even rights
    auto bytes = payload.Read(/*partial=*/true);
    if (!bytes) return Fail(Error::kFault);
    Socket& other = *socket.unix_peer;
    if (other.user_closed || other.shut_read) return Fail(Error::kBrokenPipe);
    const std::size_t n = bytes->size();
    other.receive_queue.push_back(QueuedMessage{std::move(*bytes), std::nullopt, std::move(rights),
                                                socket.credentials(),
                                                AttachedCredentials(socket, other, credentials)});
    return n;
  }
  if (socket.type() == SockType::kSeqPacket) {
    // Must be connected; a given name is ignored.
    if (socket.state != TcpState::kEstablished || !socket.unix_peer) {
      return Fail(Error::kNotConnected);
    }
    if (socket.shut_write) return Fail(Error::kBrokenPipe);
    if (payload.size() > socket.policy().tunables.max_unix_datagram) return Fail(Error::kMessageTooLong);
    auto bytes = payload.Read(/*partial=*/false);
    if (!bytes) return Fail(Error::kFault);
    Socket& other = *socket.unix_peer;
    if (other.user_closed || other.shut_read) return Fail(Error::kBrokenPipe);
    const std::size_t n = bytes->size();
    other.receive_queue.push_back(QueuedMessage{std::move(*bytes), std::nullopt, std::move(rights),
                                                socket.credentials(),
                                                AttachedCredentials(socket, other, credentials)});
    return n;
  }
  // Datagrams: no destination and no peer first; then the automatic name, the size and our
  // shutdown; the copy; then the destination is looked up (so a bad buffer wins over a
  // missing name), a dead peer, and a full queue.
  if (!has_destination && !socket.unix_peer) return Fail(Error::kNotConnected);
  if (socket.options.pass_credentials && !socket.unix_name) {
    auto bound = UnixAutoBind(socket);
    if (!bound) return Fail(bound.error());
  }
  if (payload.size() > socket.policy().tunables.max_unix_datagram) return Fail(Error::kMessageTooLong);
  if (socket.shut_write) return Fail(Error::kBrokenPipe);
  auto bytes = payload.Read(/*partial=*/false);
  if (!bytes) return Fail(Error::kFault);
  SocketRef other;
  if (has_destination) {
    const auto* target = std::get_if<UnixAddress>(&*destination);
    if (target == nullptr) return Fail(Error::kInvalidArgument);
    auto found = UnixLookup(socket, *target);
    if (!found) return Fail(found.error());
    other = *found;
  } else {
    other = socket.unix_peer;
    if (other->user_closed) {
      if (!socket.policy().dead_datagram_peer_refuses) return bytes->size();
      // The connected peer is dead: the association is dropped and the send refused; only now
      // does the socket stop reporting a peer.
      socket.unix_peer.reset();
      UnixSetState(socket, TcpState::kClosed);
      return Fail(Error::kConnectionRefused);
    }
  }
  // A reader that does not read holds at most the policy's number of datagrams (from senders
  // other than its own peer and itself); the next is refused as "would block".
  if (other.get() != &socket && other->unix_peer.get() != &socket &&
      other->receive_queue.size() >
          static_cast<std::size_t>(socket.policy().tunables.max_datagram_queue)) {
    return Fail(Error::kWouldBlock);
  }
  std::optional<SocketAddress> source;
  if (socket.unix_name) source = SocketAddress{*socket.unix_name};
  const std::size_t n = bytes->size();
  other->receive_queue.push_back(QueuedMessage{std::move(*bytes), source, std::move(rights),
                                               socket.credentials(),
                                               AttachedCredentials(socket, *other, credentials)});
  return n;
}

bool Stack::UnixPathExists(sim::NodeId node, const std::string& path) const {
  const HostTables* tables = FindTables(node);
  return tables != nullptr && tables->unix_paths.count(path) != 0;
}

Result<Ok> Stack::UnlinkUnixPath(sim::NodeId node, const std::string& path) {
  // The entry goes; the socket keeps its name record, as a bound socket's name is a copy of
  // what bind() was given, not a reference to the file.
  HostTables* tables = FindTables(node);
  if (tables == nullptr || tables->unix_paths.erase(path) == 0) return Fail(Error::kNoSuchEntry);
  return Ok{};
}

Result<Ok> Stack::RenameUnixPath(sim::NodeId node, const std::string& from,
                                 const std::string& to) {
  HostTables* tables = FindTables(node);
  if (tables == nullptr) return Fail(Error::kNoSuchEntry);
  auto& paths = tables->unix_paths;
  const auto it = paths.find(from);
  if (it == paths.end()) return Fail(Error::kNoSuchEntry);
  if (from == to) return Ok{};
  std::weak_ptr<Socket> target = it->second;
  paths.erase(it);
  paths[to] = std::move(target);
  return Ok{};
}

Result<Ok> Stack::ExchangeUnixPaths(sim::NodeId node, const std::string& a,
                                    const std::string& b) {
  HostTables* tables = FindTables(node);
  if (tables == nullptr) return Fail(Error::kNoSuchEntry);
  auto& paths = tables->unix_paths;
  const auto first = paths.find(a);
  const auto second = paths.find(b);
  if (first == paths.end() || second == paths.end()) return Fail(Error::kNoSuchEntry);
  std::swap(first->second, second->second);
  return Ok{};
}

void Stack::UnixRelease(Socket& socket) {
  auto host = hosts_.find(socket.node());
  if (host != hosts_.end() && socket.unix_name &&
      socket.unix_name->kind == UnixAddress::Kind::kAbstract) {
    auto& names = host->second->unix_abstract;
    const auto it = names.find(AbstractKey(socket, socket.unix_name->name));
    if (it != names.end()) {
      auto owner = it->second.lock();
      if (!owner || owner.get() == &socket) names.erase(it);
    }
  }
  const bool had_unread = !socket.receive_queue.empty();
  UnixSetState(socket, TcpState::kClosed);
  socket.shut_read = socket.shut_write = true;
  SocketRef peer = std::move(socket.unix_peer);
  socket.unix_peer.reset();
  if (peer && socket.is_stream_like()) {
    // The survivor is shut down both ways and keeps its peer pointer, so its getpeername keeps
    // answering; a reset is pending if data was left unread here.
    peer->shut_read = peer->shut_write = true;
    peer->peer_finished = true;
    if (had_unread) {
      peer->pending_error = Error::kConnectionReset;
      peer->termination = Error::kConnectionReset;
    }
  }
  // Connections never accepted die with the listener; their clients see a reset.
  auto children = socket.accept_queue.TakeAll();
  for (auto& child : children) {
    child->user_closed = true;
    if (SocketRef client = child->unix_peer) {
      client->shut_read = client->shut_write = true;
      client->peer_finished = true;
      client->pending_error = Error::kConnectionReset;
      client->termination = Error::kConnectionReset;
    }
    child->unix_peer.reset();
    child->receive_queue.clear();
  }
  socket.receive_queue.clear();
}

}  // namespace socksim::stack
