// File: stack/personality/illumos/kernel/ucredsys.cc
// The kernel half of getpeerucred(3C): ucredsys(UCREDSYS_GETPEERUCRED, fd, buf)
// (uts/common/syscall/ucredsys.c getpeerucred) and the per-object handlers it reaches, in the
// order of reference (b): K1 the descriptor (EBADF); K2 by vnode type: sockets
// (sockcommon_sops.c so_ioctl -> sockcommon_subr.c socket_ioctl_common for TCP/UDP,
// socktpi.c sotpi_ioctl for AF_UNIX: S1-S5), FIFOs and pipes (fifovnops.c fifo_ioctl ->
// fifo_strioctl: only a connld-tagged end has a peer), character devices (no stream head:
// ENOTSUP; a stream with timod: timod.c timodwproc; any other NAK mapped to ENOTSUP), and
// everything else ENOTSUP. K3 (the conversion and copy-out) is in libc/getpeerucred.cc's
// caller, Illumos::Getpeerucred, since it needs the user buffer.
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/sockfs.h"

namespace socksim::stack::illumos_abi {

Illumos::PeerCred Illumos::KernelGetPeerCred(sim::Thread& t, Fd fd) {
  // K1: getf(fd) fails -> EBADF (reference row 1).
  const sim::FdEntry* entry = Lookup(t.process(), fd);
  if (entry == nullptr) return {std::nullopt, kEBADF};
  const auto& object = entry->description->object();
  switch (TypeOf(*object)) {
    case VnodeType::kSocket:
      // S2 for raw IP and routing sockets: icmp.c and rts.c sockets are SM_ATOMIC, without
      // SM_CONNREQUIRED, so socket_ioctl_common() answers ENOTSUP (row 11). Nothing is ever
      // pending on them (so_error stays 0), so S1 has nothing to report first.
      if (dynamic_cast<const ProtocolSocketNode*>(object.get()) != nullptr) {
        return {std::nullopt, kENOTSUP};
      }
      return SocketPeerCred(static_cast<stack::Socket&>(*object));
    case VnodeType::kFifo:
      return FifoPeerCred(static_cast<const sim::PipeEnd&>(*object));
    case VnodeType::kCharDevice: {
      const auto* dev = dynamic_cast<const DeviceNode*>(object.get());
      // VCHR without v_stream (/dev/null) -> ENOTSUP (row 3).
      if (dev == nullptr || !dev->has_stream()) return {std::nullopt, kENOTSUP};
      return TimodPeerCred(*dev);
    }
    case VnodeType::kRegular:
    case VnodeType::kDirectory:
      // The default branch: VREG, VDIR, VDOOR, VPROC ... -> ENOTSUP (row 2).
      return {std::nullopt, kENOTSUP};
  }
  return {std::nullopt, kENOTSUP};
}

Illumos::PeerCred Illumos::SocketPeerCred(stack::Socket& s) {
  // S1 (non-STREAMS sockets only: so_ioctl before socket_ioctl_common): a pending so_error is
  // returned and cleared, once (rows 10, 16, 29). AF_UNIX sockets are TPI sockets
  // (sotpi_ioctl), which have no such step.
  if (s.family() != Family::kUnix && !ResetAfterBothFins(s)) {
    if (const auto e = stack_.TakePendingError(s)) return {std::nullopt, ToErrno(*e).value};
  }
  // S2: a socket without SM_CONNREQUIRED (UDP, AF_UNIX SOCK_DGRAM) -> ENOTSUP (rows 9, 12).
  if (s.type() == SockType::kDgram) return {std::nullopt, kENOTSUP};
  // S3: not SS_ISCONNECTED (fresh, connecting, listening, aborted) -> ENOTCONN (13-15, 29).
  if (!IsConnected(s)) return {std::nullopt, kENOTCONN};
  // S4: connected, so_peercred NULL (a TCP peer on another host: the wire carries no cred)
  // -> EINVAL (row 24).
  const CredentialRecordRef& peer = s.peer_credentials;
  if (!peer) return {std::nullopt, kEINVAL};
  // S5: the cred and pid sockfs stored. Which moment they are from is the capture rule of
  // reference 1.4: an accepted socket holds what the connector's T_CONN_REQ / SYN carried
  // (its cred at connect(): tcp_do_connect, sotpi_connect); a connecting socket holds what
  // the listener's endpoint was created with (tl_open te_credp; tcp_create_common conn_cred,
  // inherited by the eager through conn_inherit_parent and carried by the SYN-ACK); a
  // socketpair end holds its creator's (so_socketpair).
  const std::optional<sim::CredentialSnapshot>& chosen =
      s.origin == SocketOrigin::kAccepted ? peer->at_connect : peer->at_socket;
  if (!chosen) return {std::nullopt, kEINVAL};
  return {chosen, 0};
}

Illumos::PeerCred Illumos::FifoPeerCred(const sim::PipeEnd& end) {
  // fifo_strioctl(_I_GETPEERCRED): fn_pcredp is set only on the end connld sent (fifo_connld);
  // any other pipe or FIFO end has none -> ENOTSUP (rows 5, 6, 8; 7 succeeds).
  if (!end.credential_tag()) return {std::nullopt, kENOTSUP};
  return {end.credential_tag(), 0};
}

Illumos::PeerCred Illumos::TimodPeerCred(const DeviceNode& dev) {
  // Without timod the driver NAKs the unknown ioctl, which ucredsys maps to ENOTSUP (row 4).
  if (!dev.has_module("timod")) return {std::nullopt, kENOTSUP};
  // timodwproc(_I_GETPEERCRED): not connection-oriented -> ENOTSUP (row 27); connected, no
  // orderly release pending, and a peer cred saved -> it; anything else -> ENOTCONN (rows 25,
  // 26: a /dev/tcp endpoint with a remote peer is ENOTCONN, not EINVAL).
  if (dev.service_type != kTCots && dev.service_type != kTCotsOrd) {
    return {std::nullopt, kENOTSUP};
  }
  if (EffectiveTliState(dev) == TliState::kConnected && dev.peer) return {dev.peer, 0};
  return {std::nullopt, kENOTCONN};
}

}  // namespace socksim::stack::illumos_abi
