// File: stack/core/tcp_timing.cc
// When TCP segments leave: what a sender holds back (Policy::small_segments) and when a
// receiver acknowledges (Policy::ack_timing). Under the defaults every write leaves at once and
// every data segment is acknowledged as it arrives. The other choices are Nagle's rule in
// Minshall's form (RFC 896, draft-minshall-nagle) and delayed ACKs (RFC 1122 4.2.3.2) with a
// budget of quick ACKs and an interactive mode; each rule names the function of the
// reference stack it follows (compare: Linux net/ipv4/tcp_input.c, tcp_output.c, tcp_timer.c),
// and the personality that opts in says where it was measured.
//
// Not modelled: the receive window (an ACK sent because a read or an arrival opened it
// "significantly", __tcp_select_window), autocorking (tcp_should_autocork holds a small write
// only until the previous segment left the device, at once on loopback), retransmission (an
// ACK lost to a fault leaves what it would have released held until the next ACK), and jiffy
// rounding of the timers.
#include <algorithm>

#include "sim/log.h"
#include "stack/core/packet.h"
#include "stack/core/stack.h"

namespace socksim::stack {
namespace {

// Sequence-number order (RFC 793 3.3): a is later than b.
bool After(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(b - a) < 0; }

bool Delays(const Socket& s) {
  return s.policy().ack_timing == AckTiming::kQuickThenDelayedWhenInteractive;
}

bool Interactive(const Socket& s) {
  return s.timing && s.timing->interactive >= s.policy().tunables.interactive_threshold;
}

// tcp_in_quickack_mode: quick ACKs left, and the connection is not interactive.
bool QuickAckMode(const Socket& s) {
  return s.timing && s.timing->quick_acks > 0 && !Interactive(s);
}

// The next segment of what is held: at most one segment size.
std::size_t NextSegmentLength(const TcpTiming& t) {
  return t.mss == 0 ? t.unsent.size() : std::min<std::size_t>(t.unsent.size(), t.mss);
}

bool Synchronized(TcpState state) {
  return state != TcpState::kClosed && state != TcpState::kListen &&
         state != TcpState::kSynSent;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Setting up

TcpTiming& Stack::TimingOf(Socket& socket) {
  if (!socket.timing) {
    socket.timing = std::make_unique<TcpTiming>();
    socket.timing->acked_to = socket.seq.rcv_nxt;  // the handshake's ACK covered this much
  }
  TcpTiming& t = *socket.timing;
  if (t.mss == 0 && Synchronized(socket.state)) {
    // tcp_finish_connect / tcp_create_openreq_child: the segment size of the path (a
    // connection inside the host runs over its loopback MTU), the receiver's first estimate
    // of the peer's segment size (tcp_initialize_rcv_mss: min(mss, 536, window / 2), at
    // least 88), and the handshake's round trip as the first smoothed RTT.
    const Tunables& tun = socket.policy().tunables;
    const sim::Endpoint peer = WireEndpoint(socket.remote);
    const auto route = world_.topology().RouteTo(socket.node(), peer.address,
                                                 socket.remote.scope_id);
    const bool same_host = route.route && route.route->destination == socket.node();
    const bool v6 = peer.address.is_v6();
    if (same_host) {
      t.mss = v6 ? tun.mss_same_host_v6 : tun.mss_same_host_v4;
    } else {
      t.mss = v6 ? tun.mss_across_link_v6 : tun.mss_across_link_v4;
    }
    t.receive_mss =
        std::max(std::min({t.mss, tun.initial_receive_mss, ReceiveWindow(socket) / 2}),
                 tun.minimum_mss);
    t.round_trip = socket.HandshakeRoundTrip();
  }
  return t;
}

std::uint32_t Stack::ReceiveWindow(const Socket& socket) const {
  // tcp_select_initial_window: the space rounded down to a multiple of the segment size.
  const std::uint32_t space = socket.policy().tunables.receive_space;
  const std::uint32_t mss = socket.timing ? socket.timing->mss : 0;
  return mss != 0 && space > mss ? space - space % mss : space;
}

void Stack::TcpTimingStop(Socket& socket) {
  if (!socket.timing) return;
  TcpTiming& t = *socket.timing;
  t.unsent.clear();
  t.ack_owed = false;
  if (t.ack_timer) world_.queue().Cancel(*t.ack_timer);
  t.ack_timer.reset();
  if (t.probe_timer) world_.queue().Cancel(*t.probe_timer);
  t.probe_timer.reset();
}

// ---------------------------------------------------------------------------------------------
// Sending

bool Stack::TcpHoldsBack(const Socket& socket, const TcpTiming& t, std::size_t length) const {
  // tcp_nagle_test / tcp_nagle_check: only a segment shorter than the segment size waits; a
  // corked socket holds it (TCP_NAGLE_CORK); otherwise, unless the socket asked for no delay
  // (TCP_NAGLE_OFF), it waits while the last small segment sent is unacknowledged
  // (tcp_minshall_check: snd_una < snd_sml <= snd_nxt).
  if (socket.policy().small_segments == SmallSegments::kSendAtOnce) return false;
  if (t.mss != 0 && length >= t.mss) return false;
  if (socket.options.corked) return true;
  if (socket.options.no_delay) return false;
  return t.small_end && After(*t.small_end, socket.seq.snd_una) &&
         !After(*t.small_end, socket.seq.snd_nxt);
}

void Stack::TcpQueueData(Socket& socket, std::string bytes) {
  if (socket.policy().small_segments == SmallSegments::kSendAtOnce) {
    TcpSendControl(socket, false, true, false, false, std::move(bytes));
    return;
  }
  // tcp_sendmsg_locked appends to the unsent tail of the write queue, then tcp_push.
  TimingOf(socket).unsent += bytes;
  TcpPushPending(socket, false);
}

void Stack::TcpPushPending(Socket& socket, bool force) {
  // tcp_write_xmit: full segments first, each sent; a short last one only if the rules above
  // let it go (or `force`: TCP_NAGLE_PUSH).
  if (!socket.timing) return;
  TcpTiming& t = *socket.timing;
  while (!t.unsent.empty()) {
    if (!force && TcpHoldsBack(socket, t, NextSegmentLength(t))) break;
    TcpSendHeldSegment(socket, t);
  }
  if (t.unsent.empty() || socket.seq.snd_una != socket.seq.snd_nxt || t.probe_timer) return;
  // __tcp_push_pending_frames: held data with nothing in flight (a corked socket) arms the
  // zero-window probe timer (tcp_check_probe_timer, at max(RTO, TCP_RTO_MIN)); when it fires,
  // tcp_write_wakeup sends the head of the queue whatever Nagle says. This is the 200 ms
  // ceiling tcp(7) gives TCP_CORK.
  std::weak_ptr<Socket> weak = socket.weak_from_this();
  t.probe_timer = world_.queue().ScheduleAfter(
      socket.policy().tunables.rto_min, sim::EventLabel("tcp#{} probe timer", socket.id()),
      [this, weak] {
        SocketRef s = weak.lock();
        if (!s || !s->timing) return;
        TcpTiming& timing = *s->timing;
        timing.probe_timer.reset();
        if (!CanSend(s->state) || timing.unsent.empty()) return;
        if (s->seq.snd_una != s->seq.snd_nxt) return;
        TcpSendHeldSegment(*s, timing);
      });
}

void Stack::TcpSendHeldSegment(Socket& socket, TcpTiming& t) {
  // One segment of what is held, PSH on the last (tcp_mark_push); a short one becomes the last
  // small segment sent (tcp_minshall_update).
  const std::size_t length = NextSegmentLength(t);
  std::string segment = t.unsent.substr(0, length);
  t.unsent.erase(0, length);
  TcpSendControl(socket, false, true, false, false, std::move(segment), t.unsent.empty());
  if (t.mss == 0 || length < t.mss) t.small_end = socket.seq.snd_nxt;
}

void Stack::TcpSendFin(Socket& socket) {
  // tcp_send_fin: the FIN rides on the last unsent segment, and everything goes, Nagle off.
  if (socket.HeldBytes() == 0) {
    TcpSendControl(socket, false, true, true, false);
    return;
  }
  TcpTiming& t = *socket.timing;
  while (t.mss != 0 && t.unsent.size() > t.mss) TcpSendHeldSegment(socket, t);
  std::string last = std::move(t.unsent);
  t.unsent.clear();
  TcpSendControl(socket, false, true, true, false, std::move(last));
}

void Stack::TcpAckSent(Socket& socket) {
  // tcp_event_ack_sent: one quick ACK spent if one was owed (tcp_dec_quickack_mode; the last
  // one deflates the ACK timeout), nothing owed any more, the delayed ACK cancelled
  // (compare: inet_csk_clear_xmit_timer), and rcv_wup = rcv_nxt (tcp_select_window). A
  // connection without timing state has nothing to count.
  if (!socket.timing) return;
  TcpTiming& t = *socket.timing;
  if (t.quick_acks > 0 && t.ack_owed) {
    if (--t.quick_acks == 0) t.ack_timeout = socket.policy().tunables.ack_timeout_min;
  }
  t.ack_owed = t.small_arrived = t.small_arrived_twice = false;
  if (t.ack_timer) world_.queue().Cancel(*t.ack_timer);
  t.ack_timer.reset();
  t.acked_to = socket.seq.rcv_nxt;
}

void Stack::TcpDataSent(Socket& socket) {
  // tcp_event_data_sent: data sent within the ACK timeout of the last arrival is a reply
  // (compare: inet_csk_inc_pingpong_cnt).
  if (!Delays(socket) || !socket.timing) return;  // no data arrived yet: the timeout is 0
  TcpTiming& t = *socket.timing;
  if (world_.now() - t.last_arrival < t.ack_timeout && t.interactive < 255) ++t.interactive;
}

// ---------------------------------------------------------------------------------------------
// Receiving

void Stack::TcpDataArrived(Socket& socket, const Packet& packet) {
  // tcp_event_data_recv: an ACK is owed; the peer's segment size is measured; the ACK timeout
  // follows the gaps between arrivals. (Without delayed ACKs, TcpAckCheck acknowledges it.)
  if (!Delays(socket)) return;
  TcpTiming& t = TimingOf(socket);
  t.ack_owed = true;
  const Tunables& tun = socket.policy().tunables;
  // tcp_measure_rcv_mss.
  const auto length = static_cast<std::uint32_t>(packet.payload.size());
  const std::uint32_t previous_small = t.last_small_size;
  t.last_small_size = 0;
  bool measured = false;
  if (length >= t.receive_mss) {
    t.receive_mss = t.mss == 0 ? length : std::min(length, t.mss);
    if (packet.psh) t.small_arrived = true;
    measured = true;
  } else {
    // With its header: at least 536 + 20 bytes, or 88 + 20 without PSH (a full segment of a
    // path with a small MTU), is a segment size; two equal in a row are taken.
    constexpr std::uint32_t kBareHeader = 20;
    const std::uint32_t with_header = length + tun.tcp_header_bytes;
    if (with_header >= tun.initial_receive_mss + kBareHeader ||
        (with_header >= tun.minimum_mss + kBareHeader && !packet.psh)) {
      t.last_small_size = length;
      if (length == previous_small) {
        t.receive_mss = length;
        measured = true;
      }
    }
    if (!measured) {
      if (t.small_arrived) t.small_arrived_twice = true;
      t.small_arrived = true;
    }
  }
  const sim::Instant now = world_.now();
  const sim::Duration ato_min = tun.ack_timeout_min;
  if (t.ack_timeout.ns == 0) {
    // The first data: a budget of quick ACKs (tcp_incr_quickack).
    GrantQuickAcks(socket);
    t.ack_timeout = ato_min;
  } else {
    const sim::Duration gap = now - t.last_arrival;
    const sim::Duration half = sim::Duration::Nanoseconds(t.ack_timeout.ns / 2);
    if (gap.ns <= ato_min.ns / 2) {
      t.ack_timeout = half + sim::Duration::Nanoseconds(ato_min.ns / 2);
    } else if (gap < t.ack_timeout) {
      t.ack_timeout = std::min(half + gap, tun.rto_min);
    } else if (gap > tun.rto_min) {
      GrantQuickAcks(socket);  // the sender was idle: acknowledge quickly again
    }
  }
  t.last_arrival = now;
}

void Stack::GrantQuickAcks(Socket& socket) {
  // tcp_incr_quickack: enough to open the window at two segments per ACK, at least 2, at most
  // TCP_MAX_QUICKACKS; never fewer than are left.
  TcpTiming& t = *socket.timing;
  const std::uint32_t per_ack = 2 * std::max<std::uint32_t>(t.receive_mss, 1);
  int quick = static_cast<int>(ReceiveWindow(socket) / per_ack);
  if (quick == 0) quick = 2;
  quick = std::min(quick, socket.policy().tunables.quick_acks_max);
  t.quick_acks = std::max(t.quick_acks, quick);
}

void Stack::TcpFinArrived(Socket& socket) {
  // tcp_fin in ESTABLISHED or SYN-RECEIVED: the ACK is owed, and the connection turns
  // interactive (compare: inet_csk_enter_pingpong_mode), so it waits like any other.
  if (!Delays(socket)) return;
  TcpTiming& t = TimingOf(socket);
  t.ack_owed = true;
  t.interactive = socket.policy().tunables.interactive_threshold;
}

void Stack::TcpAckCheck(Socket& socket) {
  // __tcp_ack_snd_check: at once when more than one full segment is unacknowledged or in
  // quick-ACK mode; otherwise the delayed ACK (tcp_send_delayed_ack). Without delayed ACKs
  // every segment that brought data or a FIN is acknowledged as it arrives.
  if (!Delays(socket)) {
    TcpSendControl(socket, false, true, false, false);
    return;
  }
  TcpTiming& t = TimingOf(socket);
  if (!t.ack_owed) return;  // an ACK already went (on data this segment released)
  if (socket.seq.rcv_nxt - t.acked_to > t.receive_mss ||
      QuickAckMode(socket)) {
    TcpSendControl(socket, false, true, false, false);
    return;
  }
  TcpArmDelayedAck(socket);
}

void Stack::TcpArmDelayedAck(Socket& socket) {
  // tcp_send_delayed_ack: the ACK timeout, bounded (above TCP_DELACK_MIN) by 500 ms, or 200 ms
  // for an interactive or pushed connection, and by the round trip (at least TCP_DELACK_MIN);
  // then by icsk_delack_max. A timer already running keeps its earlier deadline, and one due
  // within a quarter of the timeout sends the ACK now.
  TcpTiming& t = *socket.timing;
  const Tunables& tun = socket.policy().tunables;
  sim::Duration ato = t.ack_timeout;
  if (ato > tun.ack_timeout_min) {
    sim::Duration max_ato = tun.delayed_ack_max_bulk;
    if (Interactive(socket) || t.small_arrived) max_ato = tun.delayed_ack_max;
    if (t.round_trip) max_ato = std::min(max_ato, std::max(*t.round_trip, tun.ack_timeout_min));
    ato = std::min(ato, max_ato);
  }
  ato = std::min(ato, tun.delayed_ack_max);
  const sim::Instant now = world_.now();
  sim::Instant due = now + ato;
  if (t.ack_timer) {
    if (t.ack_due <= now + sim::Duration::Nanoseconds(ato.ns / 4)) {
      TcpSendControl(socket, false, true, false, false);
      return;
    }
    if (!(due < t.ack_due)) due = t.ack_due;
    world_.queue().Cancel(*t.ack_timer);
  }
  t.ack_due = due;
  std::weak_ptr<Socket> weak = socket.weak_from_this();
  t.ack_timer = world_.queue().ScheduleAt(
      due, sim::EventLabel("tcp#{} delayed ack", socket.id()), [this, weak] {
        SocketRef s = weak.lock();
        if (!s || !s->timing) return;
        s->timing->ack_timer.reset();
        TcpDelayedAckFires(*s);
      });
}

void Stack::TcpDelayedAckFires(Socket& socket) {
  // tcp_delack_timer_handler: a delayed ACK that was missed inflates the timeout (doubled, at
  // most the RTO), unless the connection was interactive: then it stops being so and the
  // timeout deflates.
  TcpTiming& t = *socket.timing;
  if (!t.ack_owed || !Synchronized(socket.state)) return;
  const Tunables& tun = socket.policy().tunables;
  if (!Interactive(socket)) {
    t.ack_timeout = std::min(t.ack_timeout.Doubled(1), tun.rto_min);
  } else {
    t.interactive = 0;
    t.ack_timeout = tun.ack_timeout_min;
  }
  TcpSendControl(socket, false, true, false, false);
}

// ---------------------------------------------------------------------------------------------
// What the user does

void Stack::TcpConsumed(Socket& socket, std::size_t copied) {
  // tcp_cleanup_rbuf (after every read, a peek too): the owed ACK goes when more than a full
  // segment is unacknowledged, or when this read took bytes and emptied the queue after a
  // small segment arrived (two, on an interactive connection).
  if (!socket.is_tcp() || !Delays(socket) || !socket.timing) return;
  TcpTiming& t = *socket.timing;
  if (!t.ack_owed || !Synchronized(socket.state)) return;
  const bool drained_small = copied > 0 && socket.receive_queue.empty() &&
                             (t.small_arrived_twice || (t.small_arrived && !Interactive(socket)));
  if (socket.seq.rcv_nxt - t.acked_to > t.receive_mss || drained_small) {
    TcpSendControl(socket, false, true, false, false);
  }
}

void Stack::TcpSetNoDelay(Socket& socket, bool on) {
  // __tcp_sock_set_nodelay: turning it on pushes what is held (TCP_NAGLE_PUSH).
  socket.options.no_delay = on;
  if (on && socket.HeldBytes() != 0 && CanSend(socket.state)) TcpPushPending(socket, true);
}

void Stack::TcpSetCork(Socket& socket, bool on) {
  // __tcp_sock_set_cork: uncorking pushes, forced only when Nagle is off.
  socket.options.corked = on;
  if (!on && socket.HeldBytes() != 0 && CanSend(socket.state)) {
    TcpPushPending(socket, socket.options.no_delay);
  }
}

void Stack::TcpSetQuickAck(Socket& socket, int value) {
  // __tcp_sock_set_quickack: 0 makes the connection interactive; anything else ends that and,
  // on a connection that owes an ACK, sends it as a read that drained a pushed segment would
  // (tcp_cleanup_rbuf(sk, 1)); an even value then makes it interactive again.
  TcpTiming& t = TimingOf(socket);
  const int threshold = socket.policy().tunables.interactive_threshold;
  if (value == 0) {
    t.interactive = threshold;
    return;
  }
  t.interactive = 0;
  if ((socket.state == TcpState::kEstablished || socket.state == TcpState::kCloseWait) &&
      t.ack_owed) {
    t.small_arrived = true;
    TcpConsumed(socket, 1);
    if ((value & 1) == 0) t.interactive = threshold;
  }
}

bool Stack::TcpInteractive(const Socket& socket) const { return Interactive(socket); }

}  // namespace socksim::stack
