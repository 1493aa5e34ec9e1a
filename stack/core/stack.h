// File: stack/core/stack.h
// The neutral socket layer: the operations every personality builds its calls from. It owns
// the per-host protocol tables (ports, connections, the UNIX name space) and moves packets over
// the world's topology as events. It knows no errno, no WSA code and no sockaddr byte.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/world.h"
#include "stack/core/socket.h"

namespace socksim::stack {

/// Outcome of a connect that did not fail at once.
enum class ConnectProgress {
  kConnected,   // the association exists now (UDP, UNIX, or an already-completed handshake)
  kInProgress,  // a TCP handshake was started; wait for the state to leave SYN-SENT
};

/// What a receive returned.
struct Received {
  std::string bytes;
  std::optional<SocketAddress> source;  // datagram sender, if it has a name
  std::vector<sim::OfdRef> rights;
  bool end_of_stream = false;  // stream: orderly end (0 bytes)
};

/// Tunables of the simulated stack; the defaults are Linux's.
struct StackOptions {
  std::uint16_t ephemeral_low = 32768;   // net.ipv4.ip_local_port_range
  std::uint16_t ephemeral_high = 60999;
  std::uint16_t unprivileged_port_start = 1024;  // net.ipv4.ip_unprivileged_port_start
  sim::Duration syn_initial_rto = sim::Duration::Seconds(1);  // TCP_TIMEOUT_INIT
  int syn_retries = 6;                                        // net.ipv4.tcp_syn_retries
  sim::Duration time_wait = sim::Duration::Seconds(60);       // TCP_TIMEWAIT_LEN
  sim::Duration host_unreachable_delay = sim::Duration::Seconds(3);  // neighbour resolution
  int somaxconn = 4096;                                       // net.core.somaxconn
  int max_dgram_qlen = 10;                                    // net.unix.max_dgram_qlen
};

/// A packet in flight: a TCP segment or a UDP datagram between wire (non-mapped) endpoints.
struct Packet {
  enum class Protocol : std::uint8_t { kTcp, kUdp, kIcmpPortUnreachable };
  Protocol protocol = Protocol::kTcp;
  sim::Endpoint src;
  sim::Endpoint dst;
  bool syn = false, ack = false, fin = false, rst = false;
  std::uint32_t seq = 0;
  std::uint32_t ack_number = 0;
  std::string payload;

  /// tcpdump-like one-line description used as the event label.
  std::string Describe() const;
};

/// The neutral stack over one world.
class Stack {
 public:
  explicit Stack(sim::World& world, StackOptions options = {});
  ~Stack();
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  sim::World& world() { return world_; }
  const StackOptions& options() const { return options_; }

  /// Creates an unbound socket on `node`. Validation of family/type/protocol numbers is the
  /// personality's; this checks only combinations the stack cannot model.
  Result<SocketRef> Create(sim::NodeId node, Family family, SockType type, int protocol,
                           const CallerIdentity& caller);
  /// Two connected UNIX sockets (socketpair).
  Result<std::pair<SocketRef, SocketRef>> CreatePair(sim::NodeId node, SockType type,
                                                     int protocol, const CallerIdentity& caller);

  /// bind(): `address` already decoded and family-checked by the personality. For UNIX, an
  /// unnamed address asks for autobind.
  Result<Ok> Bind(Socket& socket, const SocketAddress& address, const CallerIdentity& caller);
  /// listen(): backlog already clamped by the personality.
  Result<Ok> Listen(Socket& socket, int backlog, const CallerIdentity& caller);
  /// connect(): UnspecifiedAddress dissolves a datagram association (or disconnects TCP).
  Result<ConnectProgress> Connect(Socket& socket, const SocketAddress& address,
                                  const CallerIdentity& caller, bool blocking);
  /// Completes a connect after the handshake left SYN-SENT: Ok, or the connection's error.
  Result<Ok> FinishConnect(Socket& socket);
  /// accept(): the next established connection, or kWouldBlock when none is queued.
  Result<SocketRef> Accept(Socket& listener);
  /// send()/sendto()/sendmsg(): returns the bytes accepted.
  Result<std::size_t> Send(Socket& socket, const std::string& bytes,
                           const std::optional<SocketAddress>& destination,
                           std::vector<sim::OfdRef> rights, const CallerIdentity& caller);
  /// recv()/recvfrom()/recvmsg(): kWouldBlock when nothing is ready.
  Result<Received> Receive(Socket& socket, std::size_t max_bytes, bool peek);
  /// shutdown(): the personality has already mapped `how`.
  Result<Ok> Shutdown(Socket& socket, bool read, bool write);

  /// Gives an unbound IP socket an ephemeral port (inet_autobind); Ok if it has one.
  Result<Ok> EnsurePort(Socket& socket) { return AutoBind(socket); }

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

  /// All sockets ever created that are still alive, in creation order (diagnostics).
  std::vector<SocketRef> LiveSockets() const;

  /// One-shot hints for replaying a recorded trace: the next ephemeral port chosen on `node`
  /// (bind to port 0, or autobind by connect/listen/sendto) is `port` when it is free, and the
  /// next UNIX autobind name on `node` is `name` (five hex digits) when it is free. A hint is
  /// consumed by the first choice on its node; ClearHints drops whatever was not used.
  void HintNextEphemeralPort(sim::NodeId node, std::uint16_t port) { port_hints_[node] = port; }
  void HintNextAutobindName(sim::NodeId node, std::string name) { name_hints_[node] = std::move(name); }
  void ClearHints() {
    port_hints_.clear();
    name_hints_.clear();
  }

  /// Number of packets delivered / dropped so far (diagnostics and tests).
  std::uint64_t packets_delivered() const { return packets_delivered_; }
  std::uint64_t packets_dropped() const { return packets_dropped_; }

 private:
  friend class Socket;
  struct HostTables;
  using FourTuple = std::tuple<sim::Endpoint, sim::Endpoint>;  // (local wire, remote wire)

  HostTables& Tables(sim::NodeId node);
  SocketRef Adopt(SocketRef socket);

  // Ports (stack.cc).
  bool PortConflicts(const Socket& socket, const sim::Endpoint& wanted) const;
  Result<Ok> RegisterPort(Socket& socket, const sim::Endpoint& wanted);
  void UnregisterPort(Socket& socket);
  Result<std::uint16_t> ChooseEphemeralPort(Socket& socket, const sim::IpAddress& address);
  Result<Ok> AutoBind(Socket& socket);
  Result<Ok> BindInet(Socket& socket, const sim::Endpoint& wanted, const CallerIdentity& caller);

  // Packets (stack.cc).
  void Transmit(sim::NodeId from, Packet packet);
  void Deliver(sim::NodeId node, const Packet& packet);

  // TCP (tcp.cc).
  Result<ConnectProgress> TcpConnect(Socket& socket, const sim::Endpoint& to, bool blocking);
  Result<Ok> TcpDisconnect(Socket& socket);
  void TcpReceive(sim::NodeId node, const Packet& packet);
  void TcpSendControl(Socket& socket, bool syn, bool ack, bool fin, bool rst,
                      std::string payload = {});
  void TcpSendReset(sim::NodeId node, const Packet& in);
  void TcpSetState(Socket& socket, TcpState next);
  void TcpAbort(Socket& socket, Error error);
  void TcpClose(Socket& socket);
  void TcpShutdownWrite(Socket& socket);
  void TcpScheduleSynRetransmit(Socket& socket);
  void TcpEnterTimeWait(Socket& socket);
  void RegisterConnection(Socket& socket);
  void UnregisterConnection(Socket& socket);
  SocketRef FindConnection(sim::NodeId node, const sim::Endpoint& local,
                           const sim::Endpoint& remote);
  SocketRef FindListener(sim::NodeId node, const sim::Endpoint& local);

  // UDP (udp.cc).
  Result<ConnectProgress> UdpConnect(Socket& socket, const SocketAddress& address);
  void UdpDisconnect(Socket& socket);
  Result<std::size_t> UdpSend(Socket& socket, const std::string& bytes,
                              const std::optional<SocketAddress>& destination);
  void UdpReceive(sim::NodeId node, const Packet& packet);
  void IcmpReceive(sim::NodeId node, const Packet& packet);

  // UNIX (unix.cc).
  Result<Ok> UnixBind(Socket& socket, const UnixAddress& address);
  Result<Ok> UnixAutoBind(Socket& socket);
  Result<Ok> UnixListen(Socket& socket, const CallerIdentity& caller);
  Result<ConnectProgress> UnixConnect(Socket& socket, const SocketAddress& address,
                                      const CallerIdentity& caller);
  Result<std::size_t> UnixSend(Socket& socket, const std::string& bytes,
                               const std::optional<SocketAddress>& destination,
                               std::vector<sim::OfdRef> rights);
  Result<SocketRef> UnixLookup(const Socket& socket, const UnixAddress& address);
  void UnixRelease(Socket& socket);

  // Helpers shared by the protocols.
  static sim::Endpoint WireEndpoint(const sim::Endpoint& ep);
  sim::Endpoint SocketView(const Socket& socket, const sim::Endpoint& wire) const;
  Error RouteErrorToError(sim::RouteError error) const;

  sim::World& world_;
  StackOptions options_;
  std::uint64_t next_socket_id_ = 1;
  std::map<sim::NodeId, std::unique_ptr<HostTables>> hosts_;
  std::map<std::uint64_t, std::weak_ptr<Socket>> sockets_;  // by id, for diagnostics
  std::map<std::uint64_t, SocketRef> orphans_;  // user-closed TCP sockets still closing
  std::uint64_t packets_delivered_ = 0;
  std::uint64_t packets_dropped_ = 0;
  std::map<sim::NodeId, std::uint16_t> port_hints_;  // HintNextEphemeralPort
  std::map<sim::NodeId, std::string> name_hints_;    // HintNextAutobindName
};

}  // namespace socksim::stack
