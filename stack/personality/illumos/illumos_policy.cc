// File: stack/personality/illumos/illumos_policy.cc
// illumos' answers to the neutral stack's policy questions. Each line names where illumos
// decides it (illumos-gate, uts/common/inet/...); the defaults of tunables are those ndd(8)
// and ipadm(8) report on a fresh system. Confidence is M unless said otherwise: read, not run.
#include "stack/personality/illumos/illumos_policy.h"

namespace socksim::stack::illumos_abi {

Policy MakeIllumosPolicy() {
  Policy p;
  p.owner = "illumos";
  // tcp_connect_ipv4() / tcp_connect_ipv6(): a destination of INADDR_ANY (or ::) means this
  // host ("the loopback address"), as in BSD.
  p.unspecified_destination = UnspecifiedDestination::kLoopback;
  // tcp_input_data(): an acceptable RST in CLOSE_WAIT goes through tcp_clean_death() with
  // ECONNRESET like the other synchronized states (L).
  p.close_wait_reset = CloseWaitReset::kConnectionReset;
  // tcp_bind_select_lport() / tcp_bindi(): SO_REUSEADDR lets a bind share a port whose holders
  // are not listening (L for the finer cases).
  p.port_sharing = PortSharing::kAllReuseAndNoneListens;
  // tcp_listen() / tcp_bindi() are not run again for a socket already bound (L).
  p.listen_rechecks_port = false;
  // tcp_rput_data() / so_recvmsg(): data then the orderly end; a pending error is reported
  // once by so_recvmsg() before blocking (L).
  p.receive_order = ReceiveOrder::kEndOfStreamFirst;
  // so_sendmsg(): a pending so_error is returned before SS_CANTSENDMORE gives EPIPE (L).
  p.send_order = SendOrder::kErrorFirst;
  // tcp_input_listener(): "listen queue overflow" drops the SYN (tcp_listendrop), no reset.
  p.full_backlog = FullBacklog::kDropRequest;
  // tcp_update_next_port() / tcp_bindi(): an anonymous port is one no bound TCP endpoint holds,
  // picked in order from tcp_next_port_to_try, with no even/odd preference (L for sharing).
  p.connect_shares_ports = false;
  p.connect_port_parity = PortParity::kAny;
  p.bind_port_parity = PortParity::kAny;
  // udp_connect(): an unbound socket is bound (udp_do_bind with port 0) first.
  p.datagram_connect_binds_first = true;
  // udp_disconnect(): the remote address is cleared; the bound port and address stay (L).
  p.datagram_disconnect_forgets_implicit_name = false;
  // so_connect() / so_wait_connected(): the connection's own error; ECONNREFUSED by default.
  p.failed_connect_error = Error::kConnectionRefused;
  // tcp_clean_death() leaves the bound local address as it was (L).
  p.failed_connect_resets_source = false;
  // tl.c tl_unitdata(): a datagram to an endpoint that is gone is refused (T_UDERROR_IND,
  // ECONNREFUSED at the sender; L).
  p.dead_datagram_peer_refuses = true;
  // AF_UNIX over tl: no abstract namespace and no Linux-style autobind names.
  p.autobind = AutobindNaming{AutobindNaming::Kind::kNone, 0, 1};
  p.abstract_names = false;
  p.abstract_names_per_type = false;
  // tcp_smallest_anon_port 32768, tcp_largest_anon_port 65535, tcp_smallest_nonpriv_port 1024;
  // tcp_rexmit_interval_initial 1 s, tcp_rexmit_interval_max 60 s; tcp_ip_abort_cinterval
  // 180 s, which with 1, 2, 4, ... 60 s back-off is 7 SYN retransmissions (L: the abort is a
  // time, the core counts retries); tcp_time_wait_interval 60 s.
  p.tunables.ephemeral_low = 32768;
  p.tunables.ephemeral_high = 65535;
  p.tunables.privileged_port_limit = 1024;
  p.tunables.syn_initial_rto = sim::Duration::Seconds(1);
  p.tunables.rto_max = sim::Duration::Seconds(60);
  p.tunables.syn_retries = 7;
  p.tunables.time_wait = sim::Duration::Seconds(60);
  p.tunables.host_unreachable_delay = sim::Duration::Seconds(3);
  // tl.c: tl_maxqlen-style queueing of connectionless AF_UNIX messages (L).
  p.tunables.max_datagram_queue = 16;
  p.tunables.max_unix_datagram = 65536;
  return p;
}

}  // namespace socksim::stack::illumos_abi
