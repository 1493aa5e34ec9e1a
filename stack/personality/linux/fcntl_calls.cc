// File: stack/personality/linux/fcntl_calls.cc
// fcntl(2) and ioctl(2) for the descriptors the personality models: the blocking mode
// (F_GETFL/F_SETFL with O_NONBLOCK, ioctl FIONBIO), close-on-exec (F_GETFD/F_SETFD),
// F_DUPFD/F_DUPFD_CLOEXEC, the queue sizes FIONREAD (SIOCINQ) and SIOCOUTQ, FIOCLEX/FIONCLEX,
// the interface queries SIOCGIFNAME/SIOCGIFFLAGS/SIOCGIFMTU/SIOCGIFINDEX on a socket, and the
// ENOTTY (or driver's) answer to a terminal request on what is not a terminal, with
// fs/fcntl.c's and fs/ioctl.c's order of checks.
#include <string>
#include <vector>

#include "sim/pipe.h"
#include "sim/topology.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/eventfd.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// SETFL_MASK (fs/fcntl.c): the status flags F_SETFL may change; the others it ignores.
constexpr std::uint32_t kSetflMask = kOAppend | kONonblock | kODirect | kONoatime;

// The access mode and the flags the open path fixed, as f_flags holds them for each object:
// sock_alloc_file gives O_RDWR, create_pipe_files O_RDONLY / O_WRONLY, eventfd's
// anon_inode_getfile O_RDWR; a file keeps what its open() fixed (Openat), or O_RDWR and
// O_LARGEFILE (force_o_largefile) when nothing recorded them. An O_PATH descriptor keeps only
// O_PATH.
std::uint32_t OpenFlags(const sim::OpenFileDescription& ofd) {
  if (ofd.flags().path_only) return kOPath;
  if (ofd.flags().open_flags) return *ofd.flags().open_flags;
  const auto& object = ofd.object();
  switch (object->kind()) {
    case sim::FileKind::kSocket:
    case sim::FileKind::kEventFd:
    case sim::FileKind::kEpoll:  // anon_inode_getfile(..., O_RDWR | (flags & O_CLOEXEC))
      return kORdwr;
    case sim::FileKind::kPipe: {
      const auto* end = dynamic_cast<const sim::PipeEnd*>(object.get());
      return end != nullptr && end->side() == sim::PipeEnd::Side::kWrite ? kOWronly : kORdonly;
    }
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kCharDevice:
    case sim::FileKind::kUnknown:
      return kORdwr | kOLargefile;
  }
  return kORdwr;
}

// Whether the object has an ->fasync operation, which is what sets FASYNC in f_flags
// (sock_fasync, pipe_fasync; eventfd has none).
bool HasFasync(const sim::FileObject& object) {
  return object.kind() == sim::FileKind::kSocket || object.kind() == sim::FileKind::kPipe;
}

// ---- interface queries (net/core/dev_ioctl.c) ----

// struct ifreq on x86-64: ifr_name[IFNAMSIZ] and a 24-byte union (ifr_ifindex, ifr_flags,
// ifr_mtu, ... all at offset 16).
constexpr std::uint64_t kIfreqSize = 40;
constexpr std::uint64_t kIfnamsiz = 16;
// The MTUs the drivers set: loopback_setup (64 KiB) and ether_setup (ETH_DATA_LEN).
constexpr std::uint32_t kLoopbackMtu = 65536;
constexpr std::uint32_t kEthernetMtu = 1500;

bool IsInterfaceQuery(std::uint32_t request) {
  return request == static_cast<std::uint32_t>(kSiocgifname) ||
         request == static_cast<std::uint32_t>(kSiocgifflags) ||
         request == static_cast<std::uint32_t>(kSiocgifmtu) ||
         request == static_cast<std::uint32_t>(kSiocgifindex);
}

// dev_get_flags for one of the node's interfaces: the loopback is IFF_LOOPBACK
// (loopback_setup), a link's end IFF_BROADCAST|IFF_MULTICAST (ether_setup); both are up, and
// IFF_RUNNING while the carrier is (a link that is down has none).
std::uint16_t InterfaceFlags(const sim::Topology& topo, const sim::Interface& iface) {
  if (!iface.link) return static_cast<std::uint16_t>(kIffUp | kIffLoopback | kIffRunning);
  std::uint16_t flags = static_cast<std::uint16_t>(kIffUp | kIffBroadcast | kIffMulticast);
  if (topo.link(*iface.link).up) flags |= static_cast<std::uint16_t>(kIffRunning);
  return flags;
}

// sock_do_ioctl hands a socket request its protocol does not know to dev_ioctl with a copy
// of the caller's struct ifreq (get_user_ifreq: all 40 bytes, EFAULT), and copies the whole
// struct back on success (put_user_ifreq). SIOCGIFNAME is dev_ifname (the name of
// ifr_ifindex); the others look the interface up by ifr_name, NUL-terminated at IFNAMSIZ - 1
// and cut at a ':' alias suffix, in dev_ifsioc_locked. An unknown interface is ENODEV.
CallResult InterfaceQuery(sim::Process& p, const sim::Topology& topo, sim::NodeId node,
                          std::uint32_t request, UserAddress arg) {
  auto& mem = p.memory();
  auto raw = mem.Peek(arg, kIfreqSize);
  if (!raw) return Errno(kEFAULT);
  std::vector<std::uint8_t> ifr = std::move(*raw);
  const sim::Interface* found = nullptr;
  if (request == static_cast<std::uint32_t>(kSiocgifname)) {
    const std::uint32_t index = ifr[16] | (ifr[17] << 8) | (ifr[18] << 16) |
                                (static_cast<std::uint32_t>(ifr[19]) << 24);
    for (const auto id : topo.node(node).interfaces) {
      if (topo.interface(id).index == index) found = &topo.interface(id);
    }
    if (found == nullptr) return Errno(kENODEV);
    ifr[kIfnamsiz - 1] = 0;
    for (std::size_t k = 0; k <= found->name.size() && k < kIfnamsiz; ++k) {
      ifr[k] = k < found->name.size() ? static_cast<std::uint8_t>(found->name[k]) : 0;
    }
  } else {
    std::string name;
    for (std::size_t k = 0; k + 1 < kIfnamsiz && ifr[k] != 0 && ifr[k] != ':'; ++k) {
      name.push_back(static_cast<char>(ifr[k]));
    }
    for (const auto id : topo.node(node).interfaces) {
      if (topo.interface(id).name == name) found = &topo.interface(id);
    }
    if (found == nullptr) return Errno(kENODEV);
    ifr[kIfnamsiz - 1] = 0;
    std::uint32_t value = 0;
    std::size_t width = 4;
    if (request == static_cast<std::uint32_t>(kSiocgifflags)) {
      value = InterfaceFlags(topo, *found);
      width = 2;  // ifr_flags is a short
    } else if (request == static_cast<std::uint32_t>(kSiocgifmtu)) {
      value = found->link ? kEthernetMtu : kLoopbackMtu;
    } else {
      value = found->index;
    }
    for (std::size_t k = 0; k < width; ++k) ifr[16 + k] = static_cast<std::uint8_t>(value >> (8 * k));
  }
  if (mem.CopyOut(arg, ifr).fault) return Errno(kEFAULT);
  return Success();
}

// check_fcntl_cmd: the commands an O_PATH descriptor allows (others are EBADF).
bool AllowedOnPath(int cmd) {
  return cmd == kFDupfd || cmd == kFDupfdCloexec || cmd == kFGetfd || cmd == kFSetfd ||
         cmd == kFGetfl;
}

}  // namespace

CallResult LinuxPersonality::Fcntl(sim::Process& p, int fd, int cmd, std::uint64_t arg) {
  // do_fcntl via fdget_raw: an O_PATH descriptor is found, but only check_fcntl_cmd's
  // commands may use it.
  if (fd < 0) return Errno(kEBADF);
  sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr) return Errno(kEBADF);
  sim::OpenFileDescription& ofd = *entry->description;
  if (ofd.flags().path_only && !AllowedOnPath(cmd)) return Errno(kEBADF);
  switch (cmd) {
    case kFDupfd:
    case kFDupfdCloexec: {
      // f_dupfd: the lowest free descriptor >= arg (as an unsigned int); arg at or above
      // RLIMIT_NOFILE is EINVAL, no free one below it EMFILE.
      const auto from = static_cast<std::uint32_t>(arg);
      if (from >= p.fds().limit()) return Errno(kEINVAL);
      auto installed = p.fds().Install(entry->description, cmd == kFDupfdCloexec, from);
      if (!installed) return Errno(kEMFILE);
      return Success(static_cast<std::int64_t>(*installed));
    }
    case kFGetfd:
      return Success(entry->close_on_exec ? kFdCloexec : 0);
    case kFSetfd:
      // set_close_on_exec: only the FD_CLOEXEC bit counts.
      entry->close_on_exec = (arg & kFdCloexec) != 0;
      return Success();
    case kFGetfl:
      return Success(static_cast<std::int64_t>(OpenFlags(ofd) | ofd.flags().os_flags |
                                               (ofd.flags().nonblocking ? kONonblock : 0)));
    case kFSetfl: {
      // setfl: O_DIRECT only where the file can do direct I/O (pipes switch to packet mode
      // with it; sockets and eventfds cannot: EINVAL); FASYNC through the object's ->fasync;
      // then f_flags takes SETFL_MASK from arg and keeps the rest (the access mode).
      const auto flags = static_cast<std::uint32_t>(arg);
      const auto& object = *ofd.object();
      if ((flags & kODirect) != 0 && object.kind() != sim::FileKind::kPipe) return Errno(kEINVAL);
      std::uint32_t kept = flags & kSetflMask & ~static_cast<std::uint32_t>(kONonblock);
      if (HasFasync(object) && (flags & kOAsync) != 0) kept |= kOAsync;
      ofd.flags().nonblocking = (flags & kONonblock) != 0;
      ofd.flags().os_flags = kept;
      return Success();
    }
    default:
      return Errno(kEINVAL);
  }
}

CallResult LinuxPersonality::Ioctl(sim::Process& p, int fd, std::uint32_t request,
                                   UserAddress arg) {
  // ioctl: fdget ignores O_PATH descriptors (EBADF); do_vfs_ioctl handles the generic
  // requests (FIONBIO for every file, FIONREAD for regular files) before the object's own
  // ioctl; an unknown request is ENOTTY.
  if (fd < 0) return Errno(kEBADF);
  sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return Errno(kEBADF);
  sim::OpenFileDescription& ofd = *entry->description;
  const auto& object = ofd.object();
  if (request == static_cast<std::uint32_t>(kFioclex) ||
      request == static_cast<std::uint32_t>(kFionclex)) {
    // do_vfs_ioctl: set_close_on_exec for any file, before the file's own ioctl.
    entry->close_on_exec = request == static_cast<std::uint32_t>(kFioclex);
    return Success();
  }
  if (request == static_cast<std::uint32_t>(kFionbio)) {
    // ioctl_fionbio: get_user(int), then O_NONBLOCK set or cleared.
    const auto on = p.memory().ReadU32(arg);
    if (!on) return Errno(kEFAULT);
    ofd.flags().nonblocking = *on != 0;
    return Success();
  }
  const bool inq = request == static_cast<std::uint32_t>(kFionread);
  const bool outq = request == static_cast<std::uint32_t>(kSiocoutq);
  std::optional<std::uint32_t> amount;
  switch (object->kind()) {
    case sim::FileKind::kRegularFile:
      // do_vfs_ioctl FIONREAD: i_size - f_pos; the simulator's files are empty.
      if (inq) amount = 0;
      break;
    case sim::FileKind::kPipe:
      // pipe_ioctl FIONREAD: the bytes in the pipe, asked at either end.
      if (inq) {
        const auto* end = dynamic_cast<const sim::PipeEnd*>(object.get());
        amount = static_cast<std::uint32_t>(end == nullptr ? 0 : end->channel().bytes.size());
      }
      break;
    case sim::FileKind::kSocket: {
      if (IsInterfaceQuery(request)) {
        // No protocol's ioctl (inet_ioctl, inet6_ioctl, unix_ioctl) knows these: sock_do_ioctl
        // passes them on to dev_ioctl in the socket's network namespace (the node's).
        const auto& s = static_cast<const stack::Socket&>(*object);
        return InterfaceQuery(p, stack_.world().topology(), s.node(), request, arg);
      }
      if (!inq && !outq) break;
      const auto& s = static_cast<const stack::Socket&>(*object);
      if (s.is_tcp()) {
        // tcp_ioctl: a listener is EINVAL; during the handshake both are 0; SIOCINQ is the
        // unread data, SIOCOUTQ write_seq - snd_una: what was written and not yet
        // acknowledged, held back (Nagle, TCP_CORK) or in flight, and a FIN not yet
        // acknowledged. A closed socket reports 0 (the simulator keeps no sequence there).
        if (s.state == TcpState::kListen) return Errno(kEINVAL);
        if (s.state == TcpState::kSynSent || s.state == TcpState::kSynReceived) {
          amount = 0;
        } else if (outq) {
          amount = s.state == TcpState::kClosed
                       ? 0u
                       : static_cast<std::uint32_t>(s.seq.snd_nxt - s.seq.snd_una +
                                                    s.HeldBytes());
        } else {
          amount = static_cast<std::uint32_t>(s.QueuedBytes());
        }
      } else if (s.is_inet()) {
        // udp_ioctl: SIOCINQ is the first datagram's payload length (first_packet_length);
        // SIOCOUTQ the send buffer in use, which a datagram leaves as soon as it is sent.
        if (inq) {
          amount = s.receive_queue.empty()
                       ? 0u
                       : static_cast<std::uint32_t>(s.receive_queue.front().bytes.size());
        } else {
          amount = 0;
        }
      } else {
        // unix_ioctl SIOCINQ (unix_inq_len): a listener is EINVAL; stream and seqpacket
        // sockets count every queued byte, datagram sockets the first datagram.
        // SIOCOUTQ (unix_outq_len) is the send buffer's memory in use, which counts kernel
        // buffer sizes rather than bytes: not modelled (ENOTTY is not what Linux says, so the
        // call fails loudly with EOPNOTSUPP instead of inventing a number).
        if (outq) return Errno(kEOPNOTSUPP);
        if (s.state == TcpState::kListen) return Errno(kEINVAL);
        if (s.type() == SockType::kDgram) {
          amount = s.receive_queue.empty()
                       ? 0u
                       : static_cast<std::uint32_t>(s.receive_queue.front().bytes.size());
        } else {
          amount = static_cast<std::uint32_t>(s.QueuedBytes());
        }
      }
      break;
    }
    case sim::FileKind::kEpoll:
      // ep_eventpoll_ioctl (6.9 on) refuses every request it does not know.
      if (version_.EpollHasIoctl()) return Errno(kEINVAL);
      break;
    case sim::FileKind::kCharDevice: {
      // The device's driver answers: /dev/null, /dev/zero and /dev/full (drivers/char/mem.c)
      // have no ioctl (ENOTTY); /dev/random and /dev/urandom (drivers/char/random.c
      // random_ioctl) refuse what they do not know with EINVAL. A terminal (tty_ioctl) would
      // answer TCGETS and the rest from its termios and window size, which the simulator does
      // not have: EOPNOTSUPP says so instead of a made-up answer.
      const auto* file = dynamic_cast<const sim::PlainFile*>(object.get());
      const std::string name = file == nullptr ? std::string() : file->name();
      if (name == "/dev/random" || name == "/dev/urandom") return Errno(kEINVAL);
      if (name != "/dev/null" && name != "/dev/zero" && name != "/dev/full") {
        return Errno(kEOPNOTSUPP);
      }
      break;
    }
    case sim::FileKind::kEventFd:
    case sim::FileKind::kUnknown:
      break;  // no ioctl of their own (eventfd_fops)
  }
  // vfs_ioctl: a file without the request (a socket's -ENOIOCTLCMD for a request outside
  // SOCK_IOC_TYPE, sock_do_ioctl; a pipe's pipe_ioctl; a regular file's filesystem) is ENOTTY,
  // so the terminal requests (TCGETS, TIOCGWINSZ, TIOCGPGRP, ...) are ENOTTY here.
  if (!amount) return Errno(kENOTTY);
  if (!p.memory().WriteU32(arg, *amount)) return Errno(kEFAULT);
  return Success();
}

}  // namespace socksim::stack::linux_abi
