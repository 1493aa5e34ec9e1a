// File: stack/personality/linux/linux_policy.cc
// Linux's answers to the neutral stack's policy questions. Each line names where Linux decides
// it; the measurements are in docs/semantics/linux-measured.md.
#include "stack/personality/linux/linux_policy.h"

namespace socksim::stack::linux_abi {

Policy MakeLinuxPolicy() {
  Policy p;
  p.owner = "linux";
  // tcp_v4_connect / ip4_datagram_connect route 0.0.0.0 (and tcp_v6_connect ::) to this host.
  p.unspecified_destination = UnspecifiedDestination::kLoopback;
  // ip_route_output_key_hash_rcu(): an RTN_LOCAL route gives its fib_prefsrc as source, and
  // the kernel's "local 127.0.0.0/8 dev lo src 127.0.0.1" names 127.0.0.1, so a connection
  // to 127.0.0.2 comes from 127.0.0.1 (measured: scenarios/linux/kernel/
  // loopback-source-address.scn with --host).
  p.loopback_range_source = LoopbackRangeSource::kLoopbackAddress;
  // tcp_reset(): a reset in CLOSE_WAIT sets sk_err = EPIPE, elsewhere ECONNRESET.
  p.close_wait_reset = CloseWaitReset::kBrokenPipe;
  // inet_csk_bind_conflict(): sharing needs SO_REUSEADDR on both and the holder not listening.
  p.port_sharing = PortSharing::kAllReuseAndNoneListens;
  // inet_csk_listen_start() calls get_port() again (measured B7: the second of two
  // SO_REUSEADDR sockets bound to one port fails listen() with EADDRINUSE).
  p.listen_rechecks_port = true;
  // tcp_recvmsg_locked(): SOCK_DONE (an orderly end already received) is tested before
  // sk_err, so FIN then RST reads 0 and leaves the error in SO_ERROR (measured F-series).
  p.receive_order = ReceiveOrder::kEndOfStreamFirst;
  // tcp_sendmsg_locked() / sk_stream_error(): sk_err first, then EPIPE for SEND_SHUTDOWN.
  p.send_order = SendOrder::kErrorFirst;
  // tcp_conn_request(): a full accept queue drops the SYN (no reset); the client retransmits.
  p.full_backlog = FullBacklog::kDropRequest;
  // __inet_hash_connect() shares a port between connections with distinct four-tuples and
  // tries ports of the range's low parity (even) first; inet_csk_find_open_port() (bind to
  // port 0, listen() autobind) tries the other parity (odd) first, so that bind() does not
  // use up the ports connect() prefers (measured: 20 connect()s got even ports, 20 bind(0)s
  // odd ones; with a two-port range six connections to three listeners shared both ports).
  p.connect_shares_ports = true;
  p.connect_port_parity = PortParity::kEvenFirst;
  p.bind_port_parity = PortParity::kOddFirst;
  // inet_dgram_connect() autobinds before ip4_datagram_connect() looks at the address, so a
  // failed connect leaves the socket bound.
  p.datagram_connect_binds_first = true;
  // __udp_disconnect(): inet_reset_saddr() unless SOCK_BINDADDR_LOCK, and the port is
  // unhashed unless SOCK_BINDPORT_LOCK (scenarios/linux/udp/af-unspec-disconnect.scn).
  p.datagram_disconnect_forgets_implicit_name = true;
  // __inet_stream_connect(): "sock_error(sk) ? : -ECONNABORTED", then tcp_disconnect(),
  // which forgets an automatically chosen source address (measured: 0.0.0.0 afterwards).
  p.failed_connect_error = Error::kConnectionAborted;
  p.failed_connect_resets_source = true;
  // tcp_time_wait() hands the connection to an inet_timewait_sock and tcp_done() sets the
  // user's socket to TCP_CLOSE, so inet_shutdown() answers ENOTCONN (measured with --host:
  // scenarios/linux/kernel/shutdown-time-wait.scn).
  p.time_wait_reads_closed = true;
  // inet_shutdown(): case TCP_LISTEN breaks out unless RCV_SHUTDOWN is asked, then falls
  // through to sk_prot->disconnect (tcp_disconnect), and the call returns 0 (measured with
  // --host: scenarios/linux/shutdown/listener-shutdown-stops-listening.scn).
  p.shutdown_stops_listener = true;
  // unix_dgram_sendmsg(): a dead connected peer is dropped (unix_peer(sk) = NULL) and the
  // send fails with ECONNREFUSED.
  p.dead_datagram_peer_refuses = true;
  // unix_autobind(): NUL + five lower-case hex digits from a random point of a 2^20 space.
  p.autobind = AutobindNaming{AutobindNaming::Kind::kHexDigits, 5, 1u << 20};
  // unix(7) "Abstract sockets"; unix_abstract_hash() mixes the socket type into the hash, so a
  // stream and a datagram socket may hold the same name (measured H-series).
  p.abstract_names = true;
  p.abstract_names_per_type = true;
  // net.ipv4.ip_local_port_range 32768 60999; net.ipv4.ip_unprivileged_port_start 1024;
  // TCP_TIMEOUT_INIT 1 s, TCP_RTO_MAX 120 s, net.ipv4.tcp_syn_retries 6, TCP_TIMEWAIT_LEN
  // 60 s; net.unix.max_dgram_qlen 10; unix_dgram_sendmsg() refuses len > sk_sndbuf - 32 with
  // the default net.core.wmem_default of 212992.
  p.tunables.ephemeral_low = 32768;
  p.tunables.ephemeral_high = 60999;
  p.tunables.privileged_port_limit = 1024;
  p.tunables.syn_initial_rto = sim::Duration::Seconds(1);
  p.tunables.rto_max = sim::Duration::Seconds(120);
  p.tunables.syn_retries = 6;
  p.tunables.time_wait = sim::Duration::Seconds(60);
  p.tunables.host_unreachable_delay = sim::Duration::Seconds(3);
  p.tunables.max_datagram_queue = 10;
  p.tunables.max_unix_datagram = 212992 - 32;
  // Nagle in Minshall's form (tcp_nagle_check, tcp_minshall_check) and delayed ACK with quick
  // ACKs and pingpong mode (tcp_event_data_recv, __tcp_ack_snd_check, tcp_send_delayed_ack,
  // tcp_delack_timer_handler, tcp_cleanup_rbuf), with include/net/tcp.h's numbers:
  // TCP_MAX_QUICKACKS 16, TCP_ATO_MIN and TCP_DELACK_MIN 40 ms, TCP_DELACK_MAX 200 ms, HZ/2
  // for a bulk receiver, TCP_RTO_MIN 200 ms, TCP_MSS_DEFAULT 536, TCP_MIN_MSS 88; the
  // sysctls net.ipv4.tcp_pingpong_thresh 1 and net.ipv4.tcp_rmem's 131072 (a 65536-byte
  // initial window at the default scaling ratio); loopback's MTU 65536 and Ethernet's 1500
  // less the IP and TCP headers and a timestamp option. Measured over loopback with --host:
  // scenarios/linux/tcp/nagle-*.scn and delayed-ack-*.scn.
  p.ack_timing = AckTiming::kQuickThenDelayedWhenInteractive;
  p.small_segments = SmallSegments::kHoldWhileSmallUnacknowledged;
  p.tunables.mss_same_host_v4 = 65483;
  p.tunables.mss_same_host_v6 = 65464;
  p.tunables.mss_across_link_v4 = 1448;
  p.tunables.mss_across_link_v6 = 1428;
  p.tunables.initial_receive_mss = 536;
  p.tunables.minimum_mss = 88;
  p.tunables.receive_space = 65536;
  p.tunables.tcp_header_bytes = 32;
  p.tunables.quick_acks_max = 16;
  p.tunables.interactive_threshold = 1;
  p.tunables.ack_timeout_min = sim::Duration::Milliseconds(40);
  p.tunables.delayed_ack_max = sim::Duration::Milliseconds(200);
  p.tunables.delayed_ack_max_bulk = sim::Duration::Milliseconds(500);
  p.tunables.rto_min = sim::Duration::Milliseconds(200);
  return p;
}

}  // namespace socksim::stack::linux_abi
