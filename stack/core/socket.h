// File: stack/core/socket.h
// A neutral socket: the state every personality reads to answer its calls (bound name,
// connection state, peer, queues, captured credentials). The rules that change it live in
// stack.cc (binding, ports), tcp.cc, udp.cc and unix.cc; personalities read it but apply their
// own reporting rules (which states count as "connected" differs between OSes).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/credentials.h"
#include "sim/fd_table.h"
#include "sim/ids.h"
#include "sim/ip_address.h"
#include "stack/core/address.h"
#include "stack/core/error.h"
#include "stack/core/tcp_state.h"

namespace socksim::stack {

class Stack;

/// Who performed a call: what credential capture records (SO_PEERCRED, getpeerucred).
struct CallerIdentity {
  sim::Pid pid = 0;
  sim::Credentials credentials;
};

/// Credentials a socket captured from a process at a defined moment.
struct CapturedCredentials {
  sim::Pid pid = 0;
  sim::Credentials credentials;
};

/// One unit in a receive queue: a datagram, or a chunk of stream bytes, with any descriptors
/// passed alongside (SCM_RIGHTS) and the sender's name.
struct QueuedMessage {
  std::string bytes;
  std::optional<SocketAddress> source;  // datagrams only; nullopt when the sender has no name
  std::vector<sim::OfdRef> rights;
};

/// Socket options the stack itself acts on.
struct SocketOptions {
  bool reuse_address = false;    // SO_REUSEADDR
  bool linger_on = false;        // SO_LINGER l_onoff
  std::int32_t linger_seconds = 0;
  bool pass_credentials = false; // SO_PASSCRED (UNIX autobind on connect/send)
  bool v6_only = false;          // IPV6_V6ONLY
  bool broadcast = false;        // SO_BROADCAST
  bool keepalive = false;        // SO_KEEPALIVE
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

/// A neutral socket.
class Socket final : public sim::FileObject, public std::enable_shared_from_this<Socket> {
 public:
  Socket(Stack& stack, std::uint64_t id, sim::NodeId node, Family family, SockType type,
         int protocol);
  ~Socket() override;

  sim::FileKind kind() const override { return sim::FileKind::kSocket; }
  void OnLastClose() override;

  // Identity.
  std::uint64_t id() const { return id_; }  // creation order in the stack, for stable output
  sim::NodeId node() const { return node_; }
  Family family() const { return family_; }
  SockType type() const { return type_; }
  int protocol() const { return protocol_; }
  bool is_inet() const { return family_ == Family::kInet || family_ == Family::kInet6; }
  bool is_stream_like() const { return type_ != SockType::kDgram; }

  // ---- IP sockets ----
  /// Local name: address (unspecified until bound or chosen by routing) and port (0 = none).
  sim::Endpoint local;
  /// Destination: port 0 means none (Linux's inet_dport == 0 test).
  sim::Endpoint remote;
  /// bind() fixed the address / the port (Linux SOCK_BINDADDR_LOCK / SOCK_BINDPORT_LOCK).
  bool address_locked = false;
  bool port_locked = false;
  /// The port is held in the host's port table (false after it was released, even though
  /// `local.port` may still report it, as Linux's getsockname does after a refused connect).
  bool port_registered = false;
  TcpState state = TcpState::kClosed;
  /// The socket-level connection phase of a stream socket, separate from the protocol state
  /// as in Linux (struct socket's SS_* versus sk_state): a failed non-blocking connect leaves
  /// the socket "connecting" until the next connect() collects the error.
  enum class Phase : std::uint8_t { kUnconnected, kConnecting, kConnected };
  Phase phase = Phase::kUnconnected;
  /// What a non-blocking connect reports while the handshake runs (EINPROGRESS, EALREADY).
  Error connect_wait_error = Error::kInProgress;
  TcpSequence seq;
  /// Set when the connect() in progress was started by a blocking call.
  bool blocking_connect = false;
  /// The SYN retransmission timer and the connect attempt count.
  std::optional<sim::EventId> retransmit_timer;
  int syn_attempts = 0;

  // ---- UNIX sockets ----
  /// The socket's own name record (shared with the sockets accept() creates from a listener,
  /// as af_unix.c's unix_stream_connect shares the listener's address); nullptr = unnamed.
  std::shared_ptr<const UnixAddress> unix_name;
  /// The peer (stream: the other end; dgram: the connect()ed default destination).
  std::shared_ptr<Socket> unix_peer;

  // ---- Shared by all families ----
  SocketOptions options;
  /// A pending asynchronous error (SO_ERROR), reported once.
  std::optional<Error> pending_error;
  bool shut_read = false;   // SHUT_RD given, or the peer's FIN/close reached us
  bool shut_write = false;  // SHUT_WR given
  bool peer_finished = false;  // stream: the peer sent FIN / closed (end of file after the data)
  int backlog = 0;
  std::deque<std::shared_ptr<Socket>> accept_queue;
  /// Embryonic connections counted against the backlog (TCP SYN-RECEIVED children).
  int pending_children = 0;
  /// The listener a SYN-RECEIVED child will be queued on.
  std::weak_ptr<Socket> parent_listener;
  std::deque<QueuedMessage> receive_queue;
  /// Credentials captured by the stack (UNIX: socketpair, listen, connect).
  std::optional<CapturedCredentials> peer_credentials;
  /// Credentials of whoever created the socket (illumos captures these for connection peers).
  CapturedCredentials creator;
  /// True once the user closed the last descriptor; the protocol may still run (FIN-WAIT).
  bool user_closed = false;
  /// Set when the stack is destroyed before the socket; the last close then does nothing.
  bool stack_gone = false;

  /// Bytes waiting to be read.
  std::size_t QueuedBytes() const;

  /// Diagnostic description ("tcp#3 10.0.0.1:40000 -> 10.0.0.2:80 ESTABLISHED").
  std::string Describe() const;

  Stack& stack() { return stack_; }

 private:
  Stack& stack_;
  std::uint64_t id_;
  sim::NodeId node_;
  Family family_;
  SockType type_;
  int protocol_;
};

using SocketRef = std::shared_ptr<Socket>;

}  // namespace socksim::stack
