// File: stack/core/socket.h
// A neutral socket: the facts every personality reads to answer its calls (bound name,
// connection state, peer, queues, how and when the connection was made, the credentials
// recorded at each moment of its life). The rules that change it live in stack.cc, ports.cc,
// tcp.cc, udp.cc and unix.cc; personalities read these facts and apply their own reporting
// rules (which states count as "connected" differs between OSes). A personality keeps its own
// per-socket state in the extension slot.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/credentials.h"
#include "sim/event_slot.h"
#include "sim/fd_table.h"
#include "sim/ids.h"
#include "sim/ip_address.h"
#include "sim/lazy_deque.h"
#include "sim/time.h"
#include "stack/core/address.h"
#include "stack/core/error.h"
#include "stack/core/policy.h"
#include "stack/core/tcp_state.h"

namespace socksim::stack {

class Stack;

/// The credentials a socket recorded at each moment any modelled OS captures them. Which one a
/// call reports is the personality's rule (one OS reports the listener's at listen(), another
/// the listener's at socket()). A record is immutable and shared: a later moment makes a new
/// record, so a copy taken by a peer is a snapshot of what was known then.
struct CredentialRecord {
  std::optional<sim::CredentialSnapshot> at_socket;   // socket() / socketpair() / creation
  std::optional<sim::CredentialSnapshot> at_bind;     // the last successful bind()
  std::optional<sim::CredentialSnapshot> at_listen;   // the last successful listen()
  std::optional<sim::CredentialSnapshot> at_connect;  // the start of the last connect()
  std::optional<sim::CredentialSnapshot> at_accept;   // accept() that handed this socket out
};
using CredentialRecordRef = std::shared_ptr<const CredentialRecord>;

/// The moments a CredentialRecord holds.
enum class CredentialMoment : std::uint8_t { kSocket, kBind, kListen, kConnect, kAccept };

/// How a socket came to exist.
enum class SocketOrigin : std::uint8_t {
  kCreated,   // socket()
  kPair,      // one end of socketpair()
  kAccepted,  // made by a listener for an arriving connection
};

/// How the connection attempt in progress (or the last one) was started.
enum class ConnectVia : std::uint8_t {
  kCall,        // a connect() call (blocking or not)
  kOverlapped,  // an asynchronous request whose end is a completion event (ConnectEx-like)
};

/// The end of an asynchronous (overlapped) connection request, delivered as a world event.
struct ConnectCompletion {
  sim::Instant at;
  std::optional<Error> error;  // nullopt: connected
};

/// Per-socket state owned by the personality that created the socket.
class SocketExtension {
 public:
  virtual ~SocketExtension() = default;
};

/// The pid, uid and gid a local message says it comes from: named by the sender (a
/// personality's credentials control message), or the sending process's own.
struct MessageCredentials {
  sim::Pid pid = 0;
  sim::Uid uid = 0;
  sim::Gid gid = 0;
  friend bool operator==(const MessageCredentials&, const MessageCredentials&) = default;
};

/// The credentials a send offers for its message: the ones the sender named, if any, and the
/// sending process's own, which a UNIX send attaches when either end has pass_credentials.
struct SendCredentials {
  std::optional<MessageCredentials> given;
  MessageCredentials own;
};

/// One unit in a receive queue: a datagram, or a chunk of stream bytes, with any descriptors
/// passed alongside (SCM_RIGHTS), the sender's name, and the sender's credentials when they
/// crossed no host boundary.
struct QueuedMessage {
  std::string bytes;
  std::optional<SocketAddress> source;  // datagrams only; nullopt when the sender has no name
  std::vector<sim::OfdRef> rights;
  CredentialRecordRef sender;  // nullptr when unknown (a remote sender)
  std::optional<MessageCredentials> passed;  // UNIX: credentials attached to this message
  std::optional<sim::Endpoint> destination;  // UDP: where the datagram was sent (packet info)
};

/// Socket options the stack itself acts on.
/// The flags are one bit each (8 bytes for the whole set instead of 16, in every socket), so
/// a flag is set by assignment; its address cannot be taken.
struct SocketOptions {
  std::int32_t linger_seconds = 0;   // SO_LINGER l_linger
  bool reuse_address : 1 = false;    // SO_REUSEADDR
  bool exclusive_address : 1 = false;  // exclusive use of the bound address (SO_EXCLUSIVEADDRUSE)
  bool linger_on : 1 = false;        // SO_LINGER l_onoff
  bool pass_credentials : 1 = false; // SO_PASSCRED (UNIX autobind on connect/send, credentials)
  bool v6_only : 1 = false;          // IPV6_V6ONLY
  bool broadcast : 1 = false;        // SO_BROADCAST
  bool keepalive : 1 = false;        // SO_KEEPALIVE
  /// bind() to port 0 fixes only the address: the port stays 0 (and the socket unbound in the
  /// port table) until connect(), listen() or a send chooses one, so that the choice can take
  /// the four-tuple into account (IP_BIND_ADDRESS_NO_PORT).
  bool bind_defers_port : 1 = false;
  bool no_delay : 1 = false;  // TCP: small segments are never held back (Nagle's rule off)
  bool corked : 1 = false;    // TCP: every small segment is held until uncorked or closed
};

/// TCP send/receive sequence variables (RFC 793 3.2), enough to order SYN, data, FIN and RST.
struct TcpSequence {
  std::uint32_t iss = 0;      // initial send sequence number
  std::uint32_t snd_nxt = 0;  // next sequence number to send
  std::uint32_t snd_una = 0;  // oldest unacknowledged
  std::uint32_t irs = 0;      // initial receive sequence number
  std::uint32_t rcv_nxt = 0;  // next expected from the peer
  bool fin_sent = false;
};

/// What a TCP sender holds back, and the receiver's acknowledgement clock: the state of
/// Policy::small_segments and Policy::ack_timing (stack/core/tcp_timing.cc). Each field names
/// its counterpart in the reference stack (compare: Linux tcp_sock, inet_connection_sock).
struct TcpTiming {
  // ---- Sending ----
  std::string unsent;              // written, not yet sent (the unsent part of the write queue)
  std::uint32_t mss = 0;           // the connection's segment size (mss_cache; 0: unlimited)
  std::optional<std::uint32_t> small_end;  // end of the last small segment sent (snd_sml)
  sim::EventSlot probe_timer;  // held data with nothing in flight (ICSK_TIME_PROBE0)
  // ---- Acknowledging ----
  bool ack_owed = false;             // data or a FIN no ACK has covered yet (ICSK_ACK_SCHED)
  bool small_arrived = false;        // a short or pushed segment arrived (ICSK_ACK_PUSHED)...
  bool small_arrived_twice = false;  // ...and another one after it (ICSK_ACK_PUSHED2)
  int quick_acks = 0;                // ACKs still sent at once (icsk_ack.quick)
  int interactive = 0;               // replies sent soon after an arrival (icsk_ack.pingpong)
  sim::Duration ack_timeout{};       // icsk_ack.ato; zero until the first data arrived
  sim::Instant last_arrival{};       // icsk_ack.lrcvtime
  std::uint32_t acked_to = 0;        // rcv_nxt when the last ACK was sent (rcv_wup)
  std::uint32_t receive_mss = 0;     // the peer's segment size as measured (icsk_ack.rcv_mss)
  std::uint32_t last_small_size = 0;  // icsk_ack.last_seg_size
  sim::EventSlot ack_timer;  // the delayed ACK (icsk_delack_timer)...
  sim::Instant ack_due{};                 // ...and when it fires (icsk_ack.timeout)
  std::optional<sim::Duration> round_trip;  // measured over the handshake (srtt)
};

/// A neutral socket.
class Socket final : public sim::FileObject, public std::enable_shared_from_this<Socket> {
 public:
  Socket(Stack& stack, std::uint64_t id, sim::NodeId node, Family family, SockType type,
         int protocol, const Policy& policy);
  ~Socket() override;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  sim::FileKind kind() const override { return sim::FileKind::kSocket; }
  void OnLastClose() override;

  // Identity.
  std::uint64_t id() const { return id_; }  // creation order in the stack, for stable output
  sim::NodeId node() const { return node_; }
  Family family() const { return family_; }
  SockType type() const { return type_; }
  int protocol() const { return protocol_; }
  const Policy& policy() const { return *policy_; }
  bool is_inet() const { return family_ == Family::kInet || family_ == Family::kInet6; }
  bool is_tcp() const { return is_inet() && type_ == SockType::kStream; }
  bool is_stream_like() const { return type_ != SockType::kDgram; }

  // The members are ordered so that each group of small fields fills a whole word: a world
  // of a million connections holds two million sockets, and padding between the fields cost
  // 32 bytes a socket.

  // ---- IP sockets ----
  /// Local name: address (unspecified until bound or chosen by routing) and port (0 = none).
  sim::Endpoint local;
  /// Destination: port 0 means none.
  sim::Endpoint remote;
  /// bind() fixed the address / the port.
  bool address_locked = false;
  bool port_locked = false;
  /// The port is held in the host's port table (false after it was released, even though
  /// `local.port` may still report it).
  bool port_registered = false;
  /// The port was chosen by connect() (its bind bucket may be shared by distinct four-tuples).
  bool port_from_connect = false;
  /// The socket is in its host's table of connections by four-tuple (demux.h), which derives
  /// its key from `local` and `remote`: while this is set they must not change.
  bool in_connection_table = false;
  /// Set when the connect() in progress was started by a blocking call.
  bool blocking_connect = false;
  /// How the connection attempt was started (for an overlapped one, see `completion`).
  ConnectVia connect_via = ConnectVia::kCall;
  /// The socket-level connection phase of a stream socket, separate from the protocol state:
  /// a failed non-blocking connect leaves the socket "connecting" until the next connect()
  /// collects the error.
  enum class Phase : std::uint8_t { kUnconnected, kConnecting, kConnected };
  Phase phase = Phase::kUnconnected;
  TcpState state = TcpState::kClosed;
  /// What a non-blocking connect reports while the handshake runs (in progress, already).
  Error connect_wait_error = Error::kInProgress;
  /// The handshake's round trip below was measured (HandshakeRoundTrip(); a flag and a
  /// duration, where an optional took 8 bytes more).
  bool handshake_timed = false;
  /// The connect attempt count (SYNs sent for the attempt in progress).
  int syn_attempts = 0;
  TcpSequence seq;
  /// The socket's key in its port's bind bucket (registration order on its host).
  std::uint64_t port_ticket = 0;
  /// When this side's SYN (or SYN,ACK) left, and the handshake's round trip once it ended.
  sim::Instant handshake_sent_at{};
  sim::Duration handshake_round_trip{};
  std::optional<sim::Duration> HandshakeRoundTrip() const {
    return handshake_timed ? std::optional(handshake_round_trip) : std::nullopt;
  }
  /// Made when the connection first carries data under a policy that times its segments
  /// (Stack::TimingOf): most connections of a large world never do, and need none of it.
  std::unique_ptr<TcpTiming> timing;
  /// The end of an overlapped connection request, once it is known (nullptr before). Out of
  /// line: few connections are overlapped, and every socket would carry the space.
  std::unique_ptr<const ConnectCompletion> completion;
  /// The SYN retransmission timer.
  sim::EventSlot retransmit_timer;

  // ---- UNIX sockets ----
  /// The socket's own name record (shared with the sockets made for its arriving
  /// connections); nullptr = unnamed.
  std::shared_ptr<const UnixAddress> unix_name;
  /// The peer (stream: the other end; dgram: the connect()ed default destination).
  std::shared_ptr<Socket> unix_peer;

  // ---- Shared by all families ----
  SocketOptions options;
  /// A pending asynchronous error (SO_ERROR), reported once.
  std::optional<Error> pending_error;
  /// Why the connection ended, when it ended abnormally (reset, time-out, refusal); unlike the
  /// pending error it is not consumed by being reported.
  std::optional<Error> termination;
  SocketOrigin origin = SocketOrigin::kCreated;
  /// The connection reached the established state at least once.
  bool was_established = false;
  bool shut_read = false;   // SHUT_RD given, or the peer's FIN/close reached us
  bool shut_write = false;  // SHUT_WR given
  bool peer_finished = false;  // the peer ended its stream (FIN, close)
  /// True once the user closed the last descriptor; the protocol may still run (FIN-WAIT).
  bool user_closed = false;
  /// Set when the stack is destroyed before the socket; the last close then does nothing.
  bool stack_gone = false;
  int backlog = 0;
  /// Embryonic connections counted against the backlog (TCP SYN-RECEIVED children).
  int pending_children = 0;
  sim::LazyDeque<std::shared_ptr<Socket>> accept_queue;
  /// The listener a SYN-RECEIVED child will be queued on.
  std::weak_ptr<Socket> parent_listener;
  sim::LazyDeque<QueuedMessage> receive_queue;

  /// This side ended its stream: a FIN was sent (TCP) or writing was shut down (UNIX).
  bool we_finished() const { return is_tcp() ? seq.fin_sent : shut_write; }

  // ---- Credentials ----
  /// What this socket recorded about its own users (never nullptr).
  const CredentialRecordRef& credentials() const { return credentials_; }
  /// Records `who` at `moment` (a new immutable record replaces the old one).
  void RecordCredentials(CredentialMoment moment, const sim::CredentialSnapshot& who);
  /// Replaces the whole record (a socket made for a connection starts from its listener's).
  void set_credentials(CredentialRecordRef record) { credentials_ = std::move(record); }
  /// What the peer had recorded when the connection was made: a socket on the same host sees
  /// its peer's record; a connection from another host carries none (nullptr).
  CredentialRecordRef peer_credentials;

  // ---- Personality state ----
  SocketExtension* extension() const { return extension_.get(); }
  void set_extension(std::unique_ptr<SocketExtension> ext) { extension_ = std::move(ext); }

  /// Bytes waiting to be read.
  std::size_t QueuedBytes() const;
  /// Bytes written that the sender still holds back (TCP, Policy::small_segments).
  std::size_t HeldBytes() const { return timing ? timing->unsent.size() : 0; }

  /// Diagnostic description ("tcp#3 10.0.0.1:40000 -> 10.0.0.2:80 ESTABLISHED").
  std::string Describe() const;

  Stack& stack() { return stack_; }

 private:
  Stack& stack_;
  std::uint64_t id_;
  const Policy* policy_;
  CredentialRecordRef credentials_;
  std::unique_ptr<SocketExtension> extension_;
  sim::NodeId node_;
  int protocol_;
  Family family_;
  SockType type_;
};

using SocketRef = std::shared_ptr<Socket>;

}  // namespace socksim::stack
