// File: stack/core/stack.h
// The neutral socket layer: the operations every personality builds its calls from. It owns
// the per-host protocol tables (bind buckets, listeners, connections, the UNIX name space) and
// moves packets over the world's topology as events. It knows no errno, no WSA code and no
// sockaddr byte, and it makes no choice an OS makes differently: those come from each socket's
// Policy (stack/core/policy.h), and the order of checks inside one call is the personality's.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/world.h"
#include "stack/core/packet.h"
#include "stack/core/policy.h"
#include "stack/core/socket.h"

namespace socksim::stack {

struct BindBucket;

/// Outcome of a connect that did not fail at once.
enum class ConnectProgress {
  kConnected,   // the association exists now (UDP, UNIX, or an already-completed handshake)
  kInProgress,  // a TCP handshake was started; wait for the state to leave SYN-SENT
};

/// A connect request as the personality decoded it.
struct ConnectRequest {
  SocketAddress address;
  bool blocking = true;
  ConnectVia via = ConnectVia::kCall;
};

/// The bytes a send carries, read from the caller at the moment the protocol copies them (the
/// protocol's checks that come first may fail before any byte is read).
class Payload {
 public:
  virtual ~Payload() = default;
  /// The length the caller asked to send (after the personality's own clamping).
  virtual std::uint64_t size() const = 0;
  /// Reads the bytes. A stream protocol accepts a prefix (`partial` true): the bytes before
  /// the first unreadable one; a datagram protocol needs all of them. nullopt: nothing could
  /// be read (kFault).
  virtual std::optional<std::string> Read(bool partial) = 0;
};

/// A Payload already in memory (tests, and calls whose bytes the personality copied itself).
class BytesPayload final : public Payload {
 public:
  explicit BytesPayload(std::string bytes) : bytes_(std::move(bytes)) {}
  std::uint64_t size() const override { return bytes_.size(); }
  std::optional<std::string> Read(bool) override { return bytes_; }

 private:
  std::string bytes_;
};

/// Where a receive puts the bytes it takes, written at the moment the protocol copies them.
class ReceiveSink {
 public:
  virtual ~ReceiveSink() = default;
  /// Copies `bytes` to the caller; returns how many were written before a fault.
  virtual std::size_t Write(std::string_view bytes) = 0;
};

/// What a receive returned.
struct Received {
  std::size_t length = 0;  // bytes written to the sink
  std::optional<SocketAddress> source;  // datagram sender, if it has a name
  std::vector<sim::OfdRef> rights;
  CredentialRecordRef sender;  // the sender's credentials when they are known
  std::optional<MessageCredentials> passed;  // UNIX: credentials attached to the message
  std::optional<sim::Endpoint> destination;  // UDP: the datagram's destination (wire form)
  bool end_of_stream = false;  // stream: orderly end (0 bytes)
  bool truncated = false;      // datagram: the message was longer than the room given
  std::size_t message_length = 0;  // datagram: the whole message's length
};

/// The neutral stack over one world.
class Stack {
 public:
  explicit Stack(sim::World& world);
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  sim::World& world() { return world_; }

  /// Keeps `policy` for the stack's lifetime and returns the stable copy sockets will refer
  /// to. Each personality registers its policy once.
  const Policy& RegisterPolicy(const Policy& policy);

  /// Creates an unbound socket on `node`, recording `caller` as its creator. Validation of
  /// family/type/protocol numbers is the personality's; this checks only combinations the
  /// stack cannot model.
  Result<SocketRef> Create(sim::NodeId node, Family family, SockType type, int protocol,
                           const Policy& policy, const sim::CredentialSnapshot& caller);
  /// Two connected UNIX sockets (socketpair): each records `caller` as its creator and sees
  /// the other's record as its peer's.
  Result<std::pair<SocketRef, SocketRef>> CreatePair(sim::NodeId node, SockType type,
                                                     int protocol, const Policy& policy,
                                                     const sim::CredentialSnapshot& caller);

  /// bind(): `address` already decoded and family-checked by the personality. For UNIX, an
  /// unnamed address asks for autobind.
  Result<Ok> Bind(Socket& socket, const SocketAddress& address,
                  const sim::CredentialSnapshot& caller);
  /// listen(): backlog already clamped by the personality.
  Result<Ok> Listen(Socket& socket, int backlog, const sim::CredentialSnapshot& caller);
  /// connect(): UnspecifiedAddress dissolves a datagram association (or disconnects TCP).
  Result<ConnectProgress> Connect(Socket& socket, const ConnectRequest& request,
                                  const sim::CredentialSnapshot& caller);
  /// Completes a connect after the handshake left SYN-SENT: Ok, or the connection's error.
  Result<Ok> FinishConnect(Socket& socket);
  /// accept(): the next established connection, or kWouldBlock when none is queued. `caller`
  /// is recorded on the socket handed out.
  Result<SocketRef> Accept(Socket& listener, const sim::CredentialSnapshot& caller);
  /// send()/sendto()/sendmsg(): returns the bytes accepted. The payload is read where the
  /// protocol copies it; `destination` is absent for a plain send. `credentials` matter only
  /// to UNIX sockets.
  Result<std::size_t> Send(Socket& socket, Payload& payload,
                           const std::optional<SocketAddress>& destination,
                           std::vector<sim::OfdRef> rights, const SendCredentials& credentials = {});
  /// recv()/recvfrom()/recvmsg(): up to `max_bytes` into `sink`; kWouldBlock when nothing is
  /// ready. A fault while copying a stream leaves the bytes not copied in the queue.
  Result<Received> Receive(Socket& socket, std::size_t max_bytes, bool peek, ReceiveSink& sink);
  /// shutdown(): the personality has already mapped `how`.
  Result<Ok> Shutdown(Socket& socket, bool read, bool write);

  // TCP options that decide when segments leave (tcp_timing.cc); each takes effect at once
  // (turning TCP_NODELAY on, or uncorking, sends what was held back).
  void TcpSetNoDelay(Socket& socket, bool on);
  void TcpSetCork(Socket& socket, bool on);
  /// TCP_QUICKACK's value: 0 makes the connection interactive (ACKs wait), anything else
  /// ends that.
  void TcpSetQuickAck(Socket& socket, int value);
  /// Whether the connection is interactive (its ACKs wait): what TCP_QUICKACK reads negated.
  bool TcpInteractive(const Socket& socket) const;

  // The UNIX name space as file operations see it (unix.cc). A pathname socket's file is an
  // entry of its host's name space that outlives the socket (unix(7)); removing or renaming
  // it changes what connect() finds, never the name the bound socket (and its peers) report.
  /// Whether a socket file has `path` on `node`.
  bool UnixPathExists(sim::NodeId node, const std::string& path) const;
  /// Removes the socket file `path` (unlink): kNoSuchEntry when there is none. A new bind()
  /// may then take the path; connect() to it finds nothing.
  Result<Ok> UnlinkUnixPath(sim::NodeId node, const std::string& path);
  /// Moves the socket file `from` to `to` (rename), replacing what `to` named: connect() to
  /// `to` reaches the socket `from` reached, and `from` is gone. kNoSuchEntry when `from` does
  /// not exist; renaming a path to itself changes nothing.
  Result<Ok> RenameUnixPath(sim::NodeId node, const std::string& from, const std::string& to);
  /// Swaps two socket files (an exchanging rename): kNoSuchEntry unless both exist.
  Result<Ok> ExchangeUnixPaths(sim::NodeId node, const std::string& a, const std::string& b);

  /// Gives an unbound IP socket an ephemeral port; Ok if it has one.
  Result<Ok> EnsurePort(Socket& socket) { return AutoBind(socket, PortUse::kBind); }

  /// SO_ERROR: takes the pending error.
  std::optional<Error> TakePendingError(Socket& socket);

  /// True when a blocking call of this kind could complete now (or will never complete
  /// differently): used by personalities to decide how long to run the world.
  bool ReadyToAccept(const Socket& listener) const;
  bool ReadyToReceive(const Socket& socket) const;

  /// Runs the world until `done()` holds or nothing is left to run; false if it never held.
  bool RunUntil(const std::function<bool()>& done);
  /// Runs events due at the current instant (what happens "immediately" after a call).
  void Settle();

  /// Called by Socket::OnLastClose.
  void Release(Socket& socket);
  /// Called by ~Socket: the socket leaves the stack's index and its connection table.
  void Forget(Socket& socket);

  /// Live sockets in creation order (diagnostics).
  std::vector<SocketRef> LiveSockets() const;
  /// Number of live sockets (diagnostics, benchmarks).
  std::size_t live_socket_count() const;

  /// One-shot hints for replaying a recorded trace: the next ephemeral port chosen on `node`
  /// is `port` when it is free, and the next UNIX autobind name on `node` is `name` when it
  /// is free. A hint is consumed by the first choice on its node; ClearHints drops whatever
  /// was not used.
  void HintNextEphemeralPort(sim::NodeId node, std::uint16_t port) { port_hints_[node] = port; }
  void HintNextAutobindName(sim::NodeId node, std::string name) {
    name_hints_[node] = std::move(name);
  }
  /// A third hint, for the amount of stream data a receive takes: how much had arrived when
  /// the recorded call ran is a fact of the real run's timing, not of the protocol, so the
  /// next stream receive on `node` takes at most `bytes` (it still takes less if less is
  /// queued). Unlike the others it lasts until ClearHints, so that a receive that waits keeps
  /// it.
  void HintNextStreamReceive(sim::NodeId node, std::size_t bytes) { receive_hints_[node] = bytes; }
  void ClearHints() {
    port_hints_.clear();
    name_hints_.clear();
    receive_hints_.clear();
  }

  /// A record holding what `record` holds: one of the last few records made when one holds
  /// the very same snapshots (each moment's pid and credentials object), else a new one. Records are immutable, so sockets may share one; the sockets a
  /// process opens one after another (clients, and the ends a listener accepts for them) then
  /// hold one record between them instead of a copy each (bench/README.md: memory per
  /// connection). Called by Socket.
  CredentialRecordRef ShareCredentials(CredentialRecord record);

  /// Number of packets delivered / dropped so far (diagnostics and tests).
  std::uint64_t packets_delivered() const { return packets_delivered_; }
  std::uint64_t packets_dropped() const { return packets_dropped_; }

 private:
  friend class Socket;
  struct HostTables;
  /// What an automatic port is for: connect() may share ports across four-tuples.
  enum class PortUse : std::uint8_t { kBind, kConnect };

  HostTables& Tables(sim::NodeId node);
  HostTables* FindTables(sim::NodeId node) const;
  SocketRef Adopt(SocketRef socket);
  SocketRef MakeSocket(sim::NodeId node, Family family, SockType type, int protocol,
                       const Policy& policy);

  // Ports (ports.cc).
  struct PortTable;    // demux.h
  struct SocketIndex;  // demux.h
  struct ConnectionTable;  // demux.h
  static PortTable& PortsOf(HostTables& tables, const Socket& socket);
  /// The error binding `wanted` would give under the socket's sharing policy, if any.
  std::optional<Error> PortConflict(const Socket& socket, const sim::Endpoint& wanted) const;
  Result<Ok> RegisterPort(Socket& socket, const sim::Endpoint& wanted, bool from_connect);
  void UnregisterPort(Socket& socket);
  Result<std::uint16_t> ChooseEphemeralPort(Socket& socket, const sim::IpAddress& address,
                                            PortUse use);
  Result<Ok> AutoBind(Socket& socket, PortUse use);
  Result<Ok> BindInet(Socket& socket, const sim::Endpoint& wanted,
                      const sim::CredentialSnapshot& caller);

  // Packets (transport.cc).
  void Transmit(sim::NodeId from, Packet packet);
  void Deliver(sim::NodeId node, const Packet& packet);

  // TCP (tcp.cc).
  Result<ConnectProgress> TcpConnect(Socket& socket, const sim::Endpoint& to, bool blocking);
  Result<Ok> TcpDisconnect(Socket& socket);
  Result<std::size_t> TcpSend(Socket& socket, Payload& payload);
  void TcpReceive(sim::NodeId node, const Packet& packet);
  void TcpAcceptSyn(sim::NodeId node, Socket& listener, const Packet& packet);
  void TcpSendControl(Socket& socket, bool syn, bool ack, bool fin, bool rst,
                      std::string payload = {}, bool push = true);
  void TcpSendReset(sim::NodeId node, const Packet& in);
  void TcpSetState(Socket& socket, TcpState next);
  void TcpAbort(Socket& socket, Error error);
  void TcpClose(Socket& socket);
  void TcpShutdownWrite(Socket& socket);
  void TcpScheduleSynRetransmit(Socket& socket);
  void TcpEnterTimeWait(Socket& socket);
  void TcpConnectionResolved(Socket& socket);
  // When segments leave (tcp_timing.cc): Policy::small_segments and Policy::ack_timing.
  TcpTiming& TimingOf(Socket& socket);
  void TcpTimingStop(Socket& socket);
  std::uint32_t ReceiveWindow(const Socket& socket) const;
  bool TcpHoldsBack(const Socket& socket, const TcpTiming& timing, std::size_t length) const;
  void TcpQueueData(Socket& socket, std::string bytes);
  void TcpPushPending(Socket& socket, bool force);
  void TcpSendHeldSegment(Socket& socket, TcpTiming& timing);
  void TcpSendFin(Socket& socket);
  void TcpAckSent(Socket& socket);
  void TcpDataSent(Socket& socket);
  void TcpDataArrived(Socket& socket, const Packet& packet);
  void GrantQuickAcks(Socket& socket);
  void TcpFinArrived(Socket& socket);
  void TcpAckCheck(Socket& socket);
  void TcpArmDelayedAck(Socket& socket);
  void TcpDelayedAckFires(Socket& socket);
  void TcpConsumed(Socket& socket, std::size_t copied);
  void RegisterConnection(Socket& socket);
  void UnregisterConnection(Socket& socket);
  bool ConnectionExists(sim::NodeId node, const sim::Endpoint& local,
                        const sim::Endpoint& remote) const;
  SocketRef FindConnection(sim::NodeId node, const sim::Endpoint& local,
                           const sim::Endpoint& remote);
  void RegisterListener(Socket& socket);
  void UnregisterListener(Socket& socket);
  SocketRef FindListener(sim::NodeId node, const sim::Endpoint& local);

  // UDP (udp.cc).
  Result<ConnectProgress> UdpConnect(Socket& socket, const SocketAddress& address);
  void UdpDisconnect(Socket& socket);
  Result<std::size_t> UdpSend(Socket& socket, Payload& payload,
                              const std::optional<SocketAddress>& destination);
  void UdpReceive(sim::NodeId node, const Packet& packet);
  void IcmpReceive(sim::NodeId node, const Packet& packet);

  // UNIX (unix.cc).
  Result<Ok> UnixBind(Socket& socket, const UnixAddress& address);
  Result<Ok> UnixAutoBind(Socket& socket);
  Result<Ok> UnixListen(Socket& socket);
  Result<ConnectProgress> UnixConnect(Socket& socket, const SocketAddress& address,
                                      const sim::CredentialSnapshot& caller);
  Result<std::size_t> UnixSend(Socket& socket, Payload& payload,
                               const std::optional<SocketAddress>& destination,
                               std::vector<sim::OfdRef> rights,
                               const SendCredentials& credentials);
  Result<SocketRef> UnixLookup(const Socket& socket, const UnixAddress& address);
  void UnixRelease(Socket& socket);
  void UnixSetState(Socket& socket, TcpState next);

  // The error a send reports before it reads anything: a pending error (consumed) and this
  // side's write shutdown (`shutdown_error`), in the policy's order; nullopt when neither.
  std::optional<Error> SendBlocked(Socket& socket, Error shutdown_error);

  // Receive paths (stack.cc).
  Result<Received> ReceiveStream(Socket& socket, std::size_t max_bytes, bool peek,
                                 ReceiveSink& sink);
  Result<Received> ReceiveMessage(Socket& socket, std::size_t max_bytes, bool peek,
                                  ReceiveSink& sink);

  // Helpers shared by the protocols.
  static sim::Endpoint WireEndpoint(const sim::Endpoint& ep);
  sim::Endpoint SocketView(const Socket& socket, const sim::Endpoint& wire) const;
  Error RouteErrorToError(sim::RouteError error) const;
  std::optional<sim::IpAddress> UnspecifiedDestinationFor(const Socket& socket,
                                                          const sim::IpAddress& address) const;
  // The source address `route` gives `socket` for `destination` (wire form), with the
  // policy's choice for the loopback range.
  sim::IpAddress RouteSource(const Socket& socket, const sim::Route& route,
                             const sim::IpAddress& destination) const;

  sim::World& world_;
  std::deque<Policy> policies_;  // stable addresses: sockets refer to these
  std::uint64_t next_socket_id_ = 1;
  std::map<sim::NodeId, std::unique_ptr<HostTables>> hosts_;
  std::unique_ptr<SocketIndex> sockets_;  // live sockets by id
  std::map<std::uint64_t, SocketRef> orphans_;  // sockets the stack owns (closing, unaccepted)
  std::uint64_t packets_delivered_ = 0;
  std::uint64_t packets_dropped_ = 0;
  std::map<sim::NodeId, std::uint16_t> port_hints_;  // HintNextEphemeralPort
  std::map<sim::NodeId, std::string> name_hints_;    // HintNextAutobindName
  std::map<sim::NodeId, std::size_t> receive_hints_;  // HintNextStreamReceive
  // ShareCredentials' last records (an expired slot is reused first, otherwise they are
  // replaced in turn); only compared, never listed.
  std::array<std::weak_ptr<const CredentialRecord>, 4> recent_records_;
  std::size_t next_recent_record_ = 0;
};

}  // namespace socksim::stack
