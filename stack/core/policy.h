// File: stack/core/policy.h
// The choices an operating system makes that the neutral stack must not make for it. The core
// reports facts and offers options; each personality fills one Policy, registers it with the
// Stack, and every socket it creates follows it. A rule that is the same in every modelled OS
// (an RFC's) stays in the core; anything two OSes do differently is a field here, named after
// what it decides, never after who decides it. The values each personality picks, with their
// sources, are in stack/personality/<os>/ and docs/semantics/<os>.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "sim/ip_address.h"
#include "sim/time.h"
#include "stack/core/error.h"

namespace socksim::stack {

class Socket;

/// What connect() or sendto() does with an unspecified destination (0.0.0.0, ::).
enum class UnspecifiedDestination : std::uint8_t {
  kLoopback,  // it means this host: the loopback address of the family
  kRefuse,    // the address is not available (kAddressNotAvailable)
};

/// What a reset that arrives while the peer has already closed (CLOSE-WAIT) leaves pending.
enum class CloseWaitReset : std::uint8_t {
  kBrokenPipe,       // the next write fails as a broken pipe
  kConnectionReset,  // the next call fails as a reset, as in any other synchronized state
};

/// The source address of a connection to an address of the loopback range (127/8) that is not
/// itself an address of the host's interfaces (127.0.0.2 when only 127.0.0.1 is configured).
enum class LoopbackRangeSource : std::uint8_t {
  kDestination,      // the destination itself, as for the host's own addresses
  kLoopbackAddress,  // the loopback interface's own address (127.0.0.1): the range's route
                     // names it as its preferred source
};

/// When a socket may bind an address whose port another socket holds.
enum class PortSharing : std::uint8_t {
  // Both sockets set the reuse option and the holder is not listening (a listener can never
  // share its port).
  kAllReuseAndNoneListens,
  // The binding socket set the reuse option: it may take the port whoever holds it, unless the
  // holder asked for exclusive use.
  kReuseTakesOver,
  // Policy::port_judge decides, holder by holder: which addresses meet (a wildcard and a
  // specific address may coexist), and what the options of both sockets allow. For a rule
  // that is a table over both sockets' options rather than a predicate the core can state.
  kJudgedPerHolder,
};

/// Under PortSharing::kJudgedPerHolder: the error `binder` meets binding `wanted` while
/// `holder` holds the same port of the same protocol, or nullopt when they may share it.
using PortJudge = std::optional<Error> (*)(const Socket& binder, const sim::Endpoint& wanted,
                                           const Socket& holder);

/// Which of "the peer ended the stream" and "an error is pending" a receive reports first.
enum class ReceiveOrder : std::uint8_t {
  kEndOfStreamFirst,  // an orderly end already received reads as 0; the error stays pending
  kErrorFirst,        // the pending error is reported (and cleared) first
};

/// Which of "an error is pending" and "this side shut down writing" a send reports first.
enum class SendOrder : std::uint8_t {
  kErrorFirst,     // the pending error, then the shutdown
  kShutdownFirst,  // the shutdown, then the pending error
};

/// What a full accept queue does to an arriving connection request.
enum class FullBacklog : std::uint8_t {
  kDropRequest,  // the SYN is dropped; the client retransmits (and may time out)
  kRefuse,       // the SYN is answered with a reset (the client sees a refused connection)
};

/// Which ports an automatic choice tries first, inside the ephemeral range.
enum class PortParity : std::uint8_t { kAny, kEvenFirst, kOddFirst };

/// How an unbound UNIX socket gets a name when it must have one.
struct AutobindNaming {
  enum class Kind : std::uint8_t {
    kNone,       // no automatic names: the socket stays unnamed
    kHexDigits,  // a name in the abstract namespace of `digits` lower-case hex digits
  };
  Kind kind = Kind::kNone;
  int digits = 5;
  std::uint32_t space = 1u << 20;  // names are drawn from [0, space)
};

/// When a TCP receiver acknowledges the data it receives.
enum class AckTiming : std::uint8_t {
  // Every segment that brings data is acknowledged as it arrives.
  kEverySegment,
  // A budget of quick ACKs when data starts to flow; once the connection is interactive (this
  // side sent data within the ACK timeout of the last arrival) ACKs wait, for a timer or for
  // data of this side's to ride on, unless more than one full segment is unacknowledged or
  // the application drained a small segment (stack/core/tcp_timing.cc).
  kQuickThenDelayedWhenInteractive,
};

/// When a TCP sender may hold back a segment shorter than the maximum segment size.
enum class SmallSegments : std::uint8_t {
  // Every write is sent at once.
  kSendAtOnce,
  // Nagle's rule (RFC 896) in Minshall's form: a small segment waits while an earlier small
  // segment is unacknowledged, unless the socket asked for no delay; a corked socket holds
  // every small segment.
  kHoldWhileSmallUnacknowledged,
};

/// Numbers of the stack that differ between systems (their defaults are documented by the
/// personality that sets them).
struct Tunables {
  std::uint16_t ephemeral_low = 49152;  // automatic port range, inclusive
  std::uint16_t ephemeral_high = 65535;
  std::uint16_t privileged_port_limit = 1024;  // ports below need privilege to bind (0: none)
  sim::Duration syn_initial_rto = sim::Duration::Seconds(1);  // RFC 6298 (2.1)
  sim::Duration rto_max = sim::Duration::Seconds(120);        // back-off never exceeds this
  int syn_retries = 6;  // SYN retransmissions before the connect times out
  sim::Duration time_wait = sim::Duration::Seconds(60);              // RFC 793: 2 MSL
  sim::Duration host_unreachable_delay = sim::Duration::Seconds(3);  // neighbour resolution
  int max_datagram_queue = 10;            // UNIX datagrams queued at a reader that does not read
  std::size_t max_unix_datagram = 65536;  // the largest UNIX datagram (or seqpacket record)
  // TCP segment sizes (payload bytes, after a timestamp option): a connection inside one
  // host (over its loopback MTU), and one that crosses a link (an Ethernet MTU).
  std::uint32_t mss_same_host_v4 = 65483;
  std::uint32_t mss_same_host_v6 = 65464;
  std::uint32_t mss_across_link_v4 = 1448;
  std::uint32_t mss_across_link_v6 = 1428;
  // AckTiming::kQuickThenDelayedWhenInteractive and SmallSegments::kHoldWhileSmallUnacknowledged.
  std::uint32_t initial_receive_mss = 536;  // the receiver's first guess of the sender's
  std::uint32_t minimum_mss = 88;
  std::uint32_t receive_space = 65536;      // the initial receive window, before rounding
  std::uint32_t tcp_header_bytes = 32;      // the header data segments carry (with timestamps)
  int quick_acks_max = 16;
  int interactive_threshold = 1;            // replies that make a connection interactive
  sim::Duration ack_timeout_min = sim::Duration::Milliseconds(40);
  sim::Duration delayed_ack_max = sim::Duration::Milliseconds(200);
  sim::Duration delayed_ack_max_bulk = sim::Duration::Milliseconds(500);
  sim::Duration rto_min = sim::Duration::Milliseconds(200);
};

/// Everything a personality decides about the sockets it creates.
struct Policy {
  /// For messages: the name of the personality that registered the policy.
  const char* owner = "";
  UnspecifiedDestination unspecified_destination = UnspecifiedDestination::kRefuse;
  LoopbackRangeSource loopback_range_source = LoopbackRangeSource::kDestination;
  CloseWaitReset close_wait_reset = CloseWaitReset::kConnectionReset;
  PortSharing port_sharing = PortSharing::kAllReuseAndNoneListens;
  /// The judge PortSharing::kJudgedPerHolder asks (required with it, unused otherwise).
  PortJudge port_judge = nullptr;
  /// listen() on a port shared while merely bound checks the sharing rule again, now as a
  /// listener (two reuse sockets may both bind, but only one may then listen).
  bool listen_rechecks_port = false;
  ReceiveOrder receive_order = ReceiveOrder::kErrorFirst;
  SendOrder send_order = SendOrder::kErrorFirst;
  FullBacklog full_backlog = FullBacklog::kRefuse;
  /// connect() may give a socket a port other connected sockets use, as long as the four-tuple
  /// (local address, local port, remote address, remote port) stays unique.
  bool connect_shares_ports = false;
  PortParity connect_port_parity = PortParity::kAny;  // stream sockets' connect()
  PortParity bind_port_parity = PortParity::kAny;     // stream sockets' bind(port 0) / listen()
  /// A datagram connect() gets a port before the destination is examined, so a failed connect
  /// leaves the socket bound.
  bool datagram_connect_binds_first = false;
  /// Dissolving a datagram association (connect to an unspecified address) gives back the
  /// source address and the port the socket did not bind explicitly, so its name reads as
  /// unbound again (false: the socket keeps the name it had).
  bool datagram_disconnect_forgets_implicit_name = false;
  /// What a failed connect reports when the connection recorded no error of its own.
  Error failed_connect_error = Error::kConnectionRefused;
  /// A blocking connect that failed forgets the source address routing chose for it.
  bool failed_connect_resets_source = false;
  /// While a connection waits out TIME-WAIT, the socket its user holds reads as closed (the
  /// connection lives on in a separate record), so shutdown() finds it not connected (false:
  /// the socket itself is in TIME-WAIT and may still be shut down).
  bool time_wait_reads_closed = false;
  /// shutdown() of a listening stream socket: a write shutdown does nothing, and a read
  /// shutdown stops the listener (its queued connections are reset, it is closed and keeps an
  /// explicitly bound name); both succeed (false: a listener is not connected).
  bool shutdown_stops_listener = false;
  /// A UNIX datagram send to a connected peer that has closed fails as refused and dissolves
  /// the association (false: the datagram is dropped and the send succeeds).
  bool dead_datagram_peer_refuses = true;
  AutobindNaming autobind;
  /// UNIX names in an abstract namespace (not in the file system) exist.
  bool abstract_names = false;
  /// Abstract names are separate per socket type (a stream and a datagram socket may hold the
  /// same name).
  bool abstract_names_per_type = false;
  AckTiming ack_timing = AckTiming::kEverySegment;
  SmallSegments small_segments = SmallSegments::kSendAtOnce;
  Tunables tunables;
};

}  // namespace socksim::stack
