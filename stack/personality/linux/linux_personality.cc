// File: stack/personality/linux/linux_personality.cc
// Descriptor plumbing shared by every Linux call (fdget, sockfd_lookup, fd installation), and
// the calls that create, bind, connect and shut down sockets, with net/socket.c's order of
// checks.
#include "stack/personality/linux/linux_personality.h"

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim::stack::linux_abi {

namespace {

CallResult Success(std::int64_t value = 0) { return CallResult::Success(value); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

int FdErrno(sim::FdError e) {
  switch (e) {
    case sim::FdError::kBadDescriptor:
      return kEBADF;
    case sim::FdError::kTooManyOpen:
      return kEMFILE;
  }
  return kEINVAL;
}

}  // namespace

void RecordErrno(sim::Thread& thread, const CallResult& result) {
  if (!result.failed() || !result.code) return;
  auto* state = dynamic_cast<LinuxThreadState*>(thread.extension());
  if (state == nullptr) {
    auto fresh = std::make_unique<LinuxThreadState>();
    state = fresh.get();
    thread.set_extension(std::move(fresh));
  }
  state->errno_value = *result.code;
}

int ThreadErrno(const sim::Thread& thread) {
  const auto* state = dynamic_cast<const LinuxThreadState*>(thread.extension());
  return state == nullptr ? 0 : state->errno_value;
}

LinuxPersonality::LinuxPersonality(Stack& stack, KernelVersion version)
    : stack_(stack), version_(version), policy_(stack.RegisterPolicy(MakeLinuxPolicy())) {}

void LinuxPersonality::SetUpProcess(sim::Process& p) const {
  p.fds().set_limit(kDefaultDescriptorLimit);
}

CallResult LinuxPersonality::Error(stack::Error e) const { return Errno(ToErrno(e).value); }

LinuxPersonality::SocketLookup LinuxPersonality::LookupSocket(sim::Process& p, int fd) {
  // fdget ignores O_PATH descriptors, so they are EBADF, not ENOTSOCK (linux.md 1.1).
  if (fd < 0) return {nullptr, kEBADF, nullptr};
  sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(fd));
  if (entry == nullptr || entry->description->flags().path_only) return {nullptr, kEBADF, nullptr};
  const auto& object = entry->description->object();
  if (object->kind() != sim::FileKind::kSocket) return {nullptr, kENOTSOCK, entry};
  return {static_cast<stack::Socket*>(object.get()), 0, entry};
}

LinuxPersonality::RawAddress LinuxPersonality::ReadSockaddr(sim::Process& p, UserAddress addr,
                                                            std::uint32_t addrlen) {
  // move_addr_to_kernel: the length is a signed int no larger than sockaddr_storage.
  if (static_cast<std::int32_t>(addrlen) < 0 || addrlen > kSockaddrStorageSize) {
    return {{}, kEINVAL};
  }
  RawAddress raw;
  raw.bytes.resize(addrlen);
  if (addrlen != 0 && p.memory().CopyIn(addr, raw.bytes).fault) return {{}, kEFAULT};
  return raw;
}

CallResult LinuxPersonality::InstallSocket(sim::Process& p, SocketRef socket, int flags) {
  sim::StatusFlags status;
  status.nonblocking = (flags & kSockNonblock) != 0;
  auto ofd = std::make_shared<sim::OpenFileDescription>(std::move(socket), status);
  auto fd = p.fds().Install(std::move(ofd), (flags & kSockCloexec) != 0);
  if (!fd) return Errno(FdErrno(fd.error()));
  return Success(static_cast<std::int64_t>(*fd));
}

CallResult LinuxPersonality::Open(sim::Process& p, const std::string& path, bool path_only) {
  return Openat(p, path, path_only ? kOPath : kORdwr);
}

CallResult LinuxPersonality::Openat(sim::Process& p, const std::string& path,
                                    std::uint32_t flags) {
  const auto kind = path.rfind("/dev/", 0) == 0 ? sim::FileKind::kCharDevice
                                                : sim::FileKind::kRegularFile;
  auto ofd = std::make_shared<sim::OpenFileDescription>(
      std::make_shared<sim::PlainFile>(kind, path), FileStatus(flags));
  auto fd = p.fds().Install(std::move(ofd), (flags & kOCloexec) != 0);
  if (!fd) return Errno(FdErrno(fd.error()));
  return Success(*fd);
}

sim::StatusFlags LinuxPersonality::FileStatus(std::uint32_t flags) {
  sim::StatusFlags status;
  status.path_only = (flags & kOPath) != 0;
  if (!status.path_only) {
    // f_flags as the open path leaves them: build_open_how adds O_LARGEFILE on 64-bit
    // (force_o_largefile), build_open_flags strips O_CLOEXEC (it goes to the descriptor, in
    // get_unused_fd_flags), do_dentry_open drops O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC. Of the rest,
    // O_NONBLOCK and the bits F_SETFL may change stay changeable; the others are fixed.
    constexpr std::uint32_t kDropped = kOCloexec | kOCreat | kOExcl | kONoctty | kOTrunc;
    constexpr std::uint32_t kChangeable = kOAppend | kONonblock | kODirect | kONoatime;
    status.nonblocking = (flags & kONonblock) != 0;
    status.os_flags = flags & kChangeable & ~static_cast<std::uint32_t>(kONonblock);
    status.open_flags = (flags & ~(kDropped | kChangeable)) | kOLargefile;
  }
  return status;
}

CallResult LinuxPersonality::Close(sim::Process& p, int fd) {
  if (fd < 0) return Errno(kEBADF);
  auto closed = p.fds().Close(static_cast<sim::Handle>(fd));
  if (!closed) return Errno(FdErrno(closed.error()));
  stack_.Settle();
  return Success();
}

CallResult LinuxPersonality::Dup(sim::Process& p, int fd) {
  if (fd < 0) return Errno(kEBADF);
  auto r = p.fds().Dup(static_cast<sim::Handle>(fd));
  return r ? Success(static_cast<std::int64_t>(*r)) : Errno(FdErrno(r.error()));
}

CallResult LinuxPersonality::Dup2(sim::Process& p, int oldfd, int newfd) {
  // dup2: equal descriptors return at once if open; otherwise ksys_dup3 (newfd beyond
  // RLIMIT_NOFILE, or either descriptor negative as an unsigned int, is EBADF).
  if (oldfd < 0 || newfd < 0) return Errno(kEBADF);
  auto r = p.fds().Dup2(static_cast<sim::Handle>(oldfd), static_cast<sim::Handle>(newfd));
  return r ? Success(static_cast<std::int64_t>(*r)) : Errno(FdErrno(r.error()));
}

CallResult LinuxPersonality::Dup3(sim::Process& p, int oldfd, int newfd, int flags) {
  // ksys_dup3: unknown flags are EINVAL, then oldfd == newfd is EINVAL (both before any
  // lookup), then newfd >= RLIMIT_NOFILE is EBADF, then a closed oldfd is EBADF.
  if ((flags & ~kOCloexec) != 0) return Errno(kEINVAL);
  if (oldfd == newfd) return Errno(kEINVAL);
  if (newfd < 0 || static_cast<sim::Handle>(newfd) >= p.fds().limit()) return Errno(kEBADF);
  if (oldfd < 0) return Errno(kEBADF);
  const sim::FdEntry* entry = p.fds().Lookup(static_cast<sim::Handle>(oldfd));
  if (entry == nullptr) return Errno(kEBADF);
  auto r = p.fds().InstallAt(static_cast<sim::Handle>(newfd), entry->description,
                             (flags & kOCloexec) != 0);
  return r ? Success(static_cast<std::int64_t>(*r)) : Errno(FdErrno(r.error()));
}

namespace {

struct TypeDecode {
  Family family = Family::kUnspec;
  SockType type = SockType::kStream;
  int err = 0;
};

// __sock_create and the families' create functions (inet_create, inet6_create, unix_create):
// range checks, then the family, then the type/protocol table of that family.
TypeDecode DecodeSocketArgs(int domain, int type, int protocol) {
  TypeDecode out;
  if (domain < 0 || domain >= kNproto) return {Family::kUnspec, SockType::kStream, kEAFNOSUPPORT};
  if (type < 0 || type >= kSockMax) return {Family::kUnspec, SockType::kStream, kEINVAL};
  if (domain == kAfInet) {
    out.family = Family::kInet;
  } else if (domain == kAfInet6) {
    out.family = Family::kInet6;
  } else if (domain == kAfUnix) {
    out.family = Family::kUnix;
  } else {
    return {Family::kUnspec, SockType::kStream, kEAFNOSUPPORT};
  }
  if (out.family == Family::kUnix) {
    // unix_create: protocol must be 0 or PF_UNIX; SOCK_RAW behaves as SOCK_DGRAM.
    if (protocol != 0 && protocol != kAfUnix) return {out.family, out.type, kEPROTONOSUPPORT};
    switch (type) {
      case kSockStream:
        out.type = SockType::kStream;
        return out;
      case kSockDgram:
      case kSockRaw:
        out.type = SockType::kDgram;
        return out;
      case kSockSeqPacket:
        out.type = SockType::kSeqPacket;
        return out;
      default:
        return {out.family, out.type, kESOCKTNOSUPPORT};
    }
  }
  // inet_create: the inetsw table has TCP for SOCK_STREAM and UDP for SOCK_DGRAM; protocol 0
  // picks the default, another protocol must match; a type with no entry is ESOCKTNOSUPPORT.
  if (type == kSockStream) {
    out.type = SockType::kStream;
    if (protocol != 0 && protocol != kIpprotoTcp) out.err = kEPROTONOSUPPORT;
    return out;
  }
  if (type == kSockDgram) {
    out.type = SockType::kDgram;
    if (protocol != 0 && protocol != kIpprotoUdp) out.err = kEPROTONOSUPPORT;
    return out;
  }
  return {out.family, out.type, kESOCKTNOSUPPORT};
}

}  // namespace

CallResult LinuxPersonality::Socket(sim::Process& p, int domain, int type, int protocol) {
  // __sys_socket: flags beyond SOCK_NONBLOCK | SOCK_CLOEXEC are EINVAL.
  const int flags = type & ~kSockTypeMask;
  if ((flags & ~(kSockCloexec | kSockNonblock)) != 0) return Errno(kEINVAL);
  const TypeDecode d = DecodeSocketArgs(domain, type & kSockTypeMask, protocol);
  if (d.err != 0) return Errno(d.err);
  auto socket = stack_.Create(p.node(), d.family, d.type, protocol, policy_, Caller(p));
  if (!socket) return Error(socket.error());
  // sock_map_fd: the descriptor is allocated after the socket exists (EMFILE then).
  return InstallSocket(p, *socket, flags);
}

CallResult LinuxPersonality::Socketpair(sim::Process& p, int domain, int type, int protocol,
                                        UserAddress sv) {
  const int flags = type & ~kSockTypeMask;
  if ((flags & ~(kSockCloexec | kSockNonblock)) != 0) return Errno(kEINVAL);
  // __sys_socketpair reserves both descriptors and writes them to sv before it creates the
  // sockets, so a failing family still leaves the numbers in sv (measured A-series).
  const auto first = p.fds().NextFree(0);
  const auto second = first ? p.fds().NextFree(*first + 1) : std::nullopt;
  if (!first || !second) return Errno(kEMFILE);
  if (!p.memory().WriteU32(sv, static_cast<std::uint32_t>(*first)) ||
      !p.memory().WriteU32(sv + 4, static_cast<std::uint32_t>(*second))) {
    return Errno(kEFAULT);
  }
  const TypeDecode d = DecodeSocketArgs(domain, type & kSockTypeMask, protocol);
  if (d.err != 0) return Errno(d.err);
  // Only AF_UNIX implements socketpair; inet's is sock_no_socketpair (EOPNOTSUPP).
  if (d.family != Family::kUnix) return Errno(kEOPNOTSUPP);
  auto pair = stack_.CreatePair(p.node(), d.type, protocol, policy_, Caller(p));
  if (!pair) return Error(pair.error());
  // The two numbers were reserved above; installing at them cannot fail now.
  const bool cloexec = (flags & kSockCloexec) != 0;
  sim::StatusFlags status;
  status.nonblocking = (flags & kSockNonblock) != 0;
  for (const auto& [fd, socket] : {std::pair{*first, pair->first}, std::pair{*second, pair->second}}) {
    auto installed = p.fds().InstallAt(
        fd, std::make_shared<sim::OpenFileDescription>(socket, status), cloexec);
    if (!installed) return Errno(FdErrno(installed.error()));
  }
  return Success();
}

namespace {

// unix_validate_addr: a name must be longer than the family field, at most sockaddr_un, and
// carry AF_UNIX.
int ValidateUnix(const std::vector<std::uint8_t>& bytes) {
  if (bytes.size() <= 2 || bytes.size() > kSockaddrUnSize) return kEINVAL;
  if (ReadFamily(bytes) != kAfUnix) return kEINVAL;
  return 0;
}

struct InetDecode {
  sim::Endpoint endpoint;
  int err = 0;
};

// The length and family checks of inet_bind / inet6_bind.
InetDecode DecodeInetForBind(const stack::Socket& socket, const std::vector<std::uint8_t>& bytes) {
  if (socket.family() == Family::kInet) {
    if (bytes.size() < kSockaddrInSize) return {{}, kEINVAL};
    const auto family = ReadFamily(bytes);
    const sim::Endpoint ep = DecodeSockaddrIn(bytes);
    // __inet_bind: AF_UNSPEC is accepted as AF_INET only with INADDR_ANY.
    if (family != kAfInet && !(family == kAfUnspec && ep.address.IsUnspecified())) {
      return {{}, kEAFNOSUPPORT};
    }
    return {ep, 0};
  }
  if (bytes.size() < kSin6LenRfc2133) return {{}, kEINVAL};
  if (ReadFamily(bytes) != kAfInet6) return {{}, kEAFNOSUPPORT};
  return {DecodeSockaddrIn6(bytes), 0};
}

// tcp_v4_connect / tcp_v6_connect / ip4_datagram_connect / ip6_datagram_connect checks.
InetDecode DecodeInetForConnect(const stack::Socket& socket, const std::vector<std::uint8_t>& bytes) {
  const auto family = ReadFamily(bytes);
  if (socket.family() == Family::kInet) {
    if (bytes.size() < kSockaddrInSize) return {{}, kEINVAL};
    if (family != kAfInet) return {{}, kEAFNOSUPPORT};
    return {DecodeSockaddrIn(bytes), 0};
  }
  if (socket.type() == SockType::kDgram && family == kAfInet) {
    // ip6_datagram_connect hands an AF_INET address to the IPv4 code (unless V6ONLY).
    if (socket.options.v6_only) return {{}, kEAFNOSUPPORT};
    if (bytes.size() < kSockaddrInSize) return {{}, kEINVAL};
    sim::Endpoint ep = DecodeSockaddrIn(bytes);
    ep.address = ep.address.ToV4Mapped();
    return {ep, 0};
  }
  if (bytes.size() < kSin6LenRfc2133) return {{}, kEINVAL};
  if (family != kAfInet6) return {{}, kEAFNOSUPPORT};
  return {DecodeSockaddrIn6(bytes), 0};
}

}  // namespace

CallResult LinuxPersonality::Bind(sim::Process& p, int fd, UserAddress addr,
                                  std::uint32_t addrlen) {
  // __sys_bind: sockfd_lookup_light, then move_addr_to_kernel, then the protocol.
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  auto raw = ReadSockaddr(p, addr, addrlen);
  if (raw.err != 0) return Errno(raw.err);
  stack::Socket& s = *lookup.socket;
  SocketAddress target;
  if (s.family() == Family::kUnix) {
    // unix_bind: exactly sizeof(sa_family_t) with AF_UNIX asks for autobind.
    if (raw.bytes.size() == 2 && ReadFamily(raw.bytes) == kAfUnix) {
      target = UnixAddress::Unnamed();
    } else {
      if (const int err = ValidateUnix(raw.bytes); err != 0) return Errno(err);
      target = DecodeSockaddrUn(raw.bytes);
    }
  } else {
    const InetDecode d = DecodeInetForBind(s, raw.bytes);
    if (d.err != 0) return Errno(d.err);
    target = d.endpoint;
  }
  auto bound = stack_.Bind(s, target, Caller(p));
  if (!bound) return Error(bound.error());
  return Success();
}

CallResult LinuxPersonality::Listen(sim::Process& p, int fd, int backlog) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  // __sys_listen: min(backlog, net.core.somaxconn) as unsigned ints, so a negative backlog is
  // clamped to somaxconn; the protocol's backlog test then compares the queue against it.
  const int clamped = static_cast<unsigned>(backlog) > static_cast<unsigned>(kSomaxconn)
                          ? kSomaxconn
                          : backlog;
  auto r = stack_.Listen(*lookup.socket, clamped, Caller(p));
  if (!r) return Error(r.error());
  return Success();
}

CallResult LinuxPersonality::Connect(sim::Process& p, int fd, UserAddress addr,
                                     std::uint32_t addrlen) {
  // __sys_connect: lookup, move_addr_to_kernel, then the family's connect.
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  auto raw = ReadSockaddr(p, addr, addrlen);
  if (raw.err != 0) return Errno(raw.err);
  stack::Socket& s = *lookup.socket;
  const bool nonblocking = lookup.entry->description->flags().nonblocking;
  SocketAddress target;
  if (s.family() == Family::kUnix) {
    if (s.type() == SockType::kDgram) {
      // unix_dgram_connect: too short for a family is EINVAL; AF_UNSPEC dissolves.
      if (raw.bytes.size() < 2) return Errno(kEINVAL);
      if (ReadFamily(raw.bytes) == kAfUnspec) {
        target = UnspecifiedAddress{};
      } else {
        if (const int err = ValidateUnix(raw.bytes); err != 0) return Errno(err);
        target = DecodeSockaddrUn(raw.bytes);
      }
    } else {
      if (const int err = ValidateUnix(raw.bytes); err != 0) return Errno(err);
      target = DecodeSockaddrUn(raw.bytes);
    }
  } else {
    // inet_stream_connect / inet_dgram_connect: too short for a family is EINVAL, AF_UNSPEC
    // disconnects.
    if (raw.bytes.size() < 2) return Errno(kEINVAL);
    if (ReadFamily(raw.bytes) == kAfUnspec) {
      target = UnspecifiedAddress{};
    } else if (s.type() == SockType::kStream) {
      // __inet_stream_connect tests the socket's phase before tcp_v4_connect looks at the
      // address, so EISCONN beats a malformed address.
      if (s.phase == Socket::Phase::kConnected ||
          (s.phase == Socket::Phase::kUnconnected && s.state != TcpState::kClosed)) {
        return Errno(kEISCONN);
      }
      if (s.phase == Socket::Phase::kUnconnected) {
        const InetDecode d = DecodeInetForConnect(s, raw.bytes);
        if (d.err != 0) return Errno(d.err);
        target = d.endpoint;
        // tcp_v6_connect: the IPV6_FLOWINFO_SEND label check follows the family check.
        if (ReadFamily(raw.bytes) == kAfInet6 && s.family() == Family::kInet6) {
          if (const int err = flow_labels_.Connect(s, d.endpoint.flow_info); err != 0) {
            return Errno(err);
          }
        }
      } else {
        target = sim::Endpoint{};  // connecting: the address is not looked at again
      }
    } else {
      // inet_dgram_connect autobinds before ip4_datagram_connect checks the address.
      if (!s.port_registered) {
        auto bound = stack_.EnsurePort(s);
        if (!bound) return Errno(kEAGAIN);
      }
      const InetDecode d = DecodeInetForConnect(s, raw.bytes);
      if (d.err != 0) return Errno(d.err);
      target = d.endpoint;
      // __ip6_datagram_connect: the IPV6_FLOWINFO_SEND label check, after the autobind.
      if (ReadFamily(raw.bytes) == kAfInet6 && s.family() == Family::kInet6) {
        if (const int err = flow_labels_.Connect(s, d.endpoint.flow_info); err != 0) {
          return Errno(err);
        }
      }
    }
  }
  auto progress = stack_.Connect(
      s, ConnectRequest{target, !nonblocking, ConnectVia::kCall}, Caller(p));
  if (!progress) return Error(progress.error());
  if (*progress == ConnectProgress::kInProgress) {
    if (nonblocking) {
      // The kernel processes a loopback handshake before connect() returns EINPROGRESS
      // (softirq on local delivery), so same-instant events run now: a second connect()
      // then returns 0 (measured D-series), while over a link with latency it is EALREADY.
      stack_.Settle();
      return Error(s.connect_wait_error);
    }
    // inet_wait_for_connect: sleep until the handshake leaves SYN-SENT / SYN-RECEIVED.
    const bool settled = stack_.RunUntil([&s] {
      return s.state != TcpState::kSynSent && s.state != TcpState::kSynReceived;
    });
    if (!settled) return CallResult::Blocked();
    auto finished = stack_.FinishConnect(s);
    if (!finished) return Error(finished.error());
  }
  stack_.Settle();
  return Success();
}

CallResult LinuxPersonality::Shutdown(sim::Process& p, int fd, int how) {
  auto lookup = LookupSocket(p, fd);
  if (lookup.err != 0) return Errno(lookup.err);
  // inet_shutdown / unix_shutdown: how is SHUT_RD, SHUT_WR or SHUT_RDWR, else EINVAL.
  if (how < kShutRd || how > kShutRdwr) return Errno(kEINVAL);
  const bool rd = how == kShutRd || how == kShutRdwr;
  const bool wr = how == kShutWr || how == kShutRdwr;
  auto r = stack_.Shutdown(*lookup.socket, rd, wr);
  if (!r) return Error(r.error());
  stack_.Settle();
  return Success();
}

CallResult LinuxPersonality::Fork(sim::Process& p, std::optional<sim::Pid> child_pid) {
  sim::Process& child = stack_.world().Fork(p.pid(), child_pid);
  SetUpProcess(child);
  child.fds().set_limit(p.fds().limit());  // RLIMIT_NOFILE is inherited
  return Success(child.pid());
}

CallResult LinuxPersonality::Execve(sim::Process& p) {
  p.fds().CloseOnExec();
  stack_.Settle();
  return Success();
}

CallResult LinuxPersonality::CloneThread(sim::Process& p, std::optional<sim::Tid> tid) {
  sim::Thread& thread = stack_.world().SpawnThread(p.pid(), tid);
  return Success(thread.tid());
}

CallResult LinuxPersonality::Exit(sim::Process& p, int status) {
  stack_.world().Exit(p.pid(), status);
  stack_.Settle();
  return Success();
}

CallResult LinuxPersonality::Setresuid(sim::Process& p, sim::Uid r, sim::Uid e, sim::Uid s) {
  sim::Credentials changed = p.credentials();
  if (sim::SetResUid(changed, r, e, s) == sim::CredentialChange::kNotPermitted) {
    return Errno(kEPERM);
  }
  p.set_credentials(std::move(changed));
  return Success();
}

CallResult LinuxPersonality::Setresgid(sim::Process& p, sim::Gid r, sim::Gid e, sim::Gid s) {
  sim::Credentials changed = p.credentials();
  if (sim::SetResGid(changed, r, e, s) == sim::CredentialChange::kNotPermitted) {
    return Errno(kEPERM);
  }
  p.set_credentials(std::move(changed));
  return Success();
}

}  // namespace socksim::stack::linux_abi
