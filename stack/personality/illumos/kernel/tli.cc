// File: stack/personality/illumos/kernel/tli.cc
// TLI endpoints as libnsl and timod make them (lib/libnsl/nsl/t_open.c pushes timod;
// uts/common/io/timod.c keeps the peer credential from T_CONN_CON / T_CONN_IND and clears it
// on T_ORDREL_IND, t_sndrel and T_DISCON_IND: tim_clear_peer), over two transports: TCP
// through the neutral stack (/dev/tcp, /dev/tcp6; /dev/udp is connectionless) and the
// loopback transport tl (/dev/ticots, /dev/ticotsord, /dev/ticlts: uts/common/io/tl.c),
// modelled here as endpoints paired in the personality. The states and credentials follow
// reference 1.4 and 1.5 (TLI rows): a tl connector gets the acceptor endpoint's credential at
// its t_open (tl_conn_res), a /dev/tcp connector the listener's at its open (the SYN-ACK), an
// acceptor the connector's at t_connect; after an orderly release in either direction, or a
// disconnect, getpeerucred is ENOTCONN (rows 25-27).
#include <algorithm>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/sockaddr_codec.h"

namespace socksim::stack::illumos_abi {
namespace {

constexpr std::uint64_t kCallOpt = 16;  // struct t_call: addr, opt, udata, sequence
constexpr std::uint64_t kCallUdata = 32;
constexpr std::uint64_t kCallSequence = 48;
constexpr std::uint64_t kBindQlen = 16;  // struct t_bind: addr, qlen
constexpr std::uint64_t kNetbufLen = 4;  // struct netbuf: maxlen, len, buf
constexpr std::uint64_t kNetbufBuf = 8;

// T_INFINITE and T_INVALID (sys/tiuser.h): no limit, and not supported.
constexpr std::int32_t kTInfinite = -1;
constexpr std::int32_t kTInvalid = -2;

// What a provider's T_INFO_ACK says, as t_open copies it into struct t_info.
struct InfoAck {
  std::int32_t addr, tsdu, etsdu, connect, discon;
  // OPT_size: tl's template gives T_INFINITE; tcp and udp compute theirs when they attach
  // (tcp_max_optbuf_len, udp_max_optbuf_len: optcom_max_optbuf_len over their option
  // tables), a sum the model does not reproduce, so t_info.options is left as it was.
  std::optional<std::int32_t> options;
};
// IP_MAXPACKET less the UDP and IP headers (udp.c UDP_MAXPACKET_IPV4 / _IPV6).
constexpr std::int32_t kUdpMaxPacket4 = 65535 - 8 - 20;
constexpr std::int32_t kUdpMaxPacket6 = 65535 - 8 - 40;
// strmsgsz (uts/common/conf/param.c: 0x10000), tl's TSDU on ticlts (tl_copy_info).
constexpr std::int32_t kStrmsgsz = 0x10000;

struct Transport {
  std::string_view path;
  int service_type;
  Family family;  // kUnspec: tl
  SockType type;
  InfoAck info;
};
// tcp.c tcp_g_t_info_ack / tcp_g_t_info_ack_v6 (TSDU 0, ETSDU T_INFINITE, no connect or
// disconnect data, ADDR sizeof (sin_t) / sizeof (sin6_t)); udp.c udp_g_t_info_ack_ipv4 /
// _ipv6; tl.c tl_cots_info_ack (all T_INFINITE) and tl_clts_info_ack as tl_copy_info()
// finishes them (ticotsord's SERV_type T_COTS_ORD, ticlts' TSDU strmsgsz).
constexpr Transport kTransports[] = {
    {"/dev/tcp",
     kTCotsOrd,
     Family::kInet,
     SockType::kStream,
     {16, 0, kTInfinite, kTInvalid, kTInvalid, std::nullopt}},
    {"/dev/tcp6",
     kTCotsOrd,
     Family::kInet6,
     SockType::kStream,
     {32, 0, kTInfinite, kTInvalid, kTInvalid, std::nullopt}},
    {"/dev/udp",
     kTClts,
     Family::kInet,
     SockType::kDgram,
     {16, kUdpMaxPacket4, kTInvalid, kTInvalid, kTInvalid, std::nullopt}},
    {"/dev/udp6",
     kTClts,
     Family::kInet6,
     SockType::kDgram,
     {32, kUdpMaxPacket6, kTInvalid, kTInvalid, kTInvalid, std::nullopt}},
    {"/dev/ticots",
     kTCots,
     Family::kUnspec,
     SockType::kStream,
     {kTInfinite, kTInfinite, kTInfinite, kTInfinite, kTInfinite, kTInfinite}},
    {"/dev/ticotsord",
     kTCotsOrd,
     Family::kUnspec,
     SockType::kStream,
     {kTInfinite, kTInfinite, kTInfinite, kTInfinite, kTInfinite, kTInfinite}},
    {"/dev/ticlts",
     kTClts,
     Family::kUnspec,
     SockType::kDgram,
     {kTInfinite, kStrmsgsz, kTInvalid, kTInvalid, kTInvalid, kTInfinite}},
};

// t_open(3NSL) -> _t_create(): struct t_info {addr, options, tsdu, etsdu, connect, discon,
// servtype} from the T_INFO_ACK (libnsl _utility.c, as t_getinfo.c does). The TLI t_info has
// no `flags` member (only XTI's does: "TLI t_info struct does not have flags"), so the word
// after servtype is not written. False on a fault.
bool WriteTInfo(sim::AddressSpace& mem, UserAddress at, const Transport& tr) {
  const auto put = [&](std::uint64_t word, std::int32_t v) {
    return mem.WriteU32(at + 4 * word, static_cast<std::uint32_t>(v));
  };
  bool ok = put(0, tr.info.addr);
  if (tr.info.options) ok = ok && put(1, *tr.info.options);
  return ok && put(2, tr.info.tsdu) && put(3, tr.info.etsdu) && put(4, tr.info.connect) &&
         put(5, tr.info.discon) && put(6, tr.service_type);
}

// t_listen(3NSL) with TLI semantics: each netbuf of the t_call receives its part of the
// T_CONN_IND, and a part longer than the netbuf's maxlen is TBUFOVFLW (after the sequence
// was set and the indication taken). 0 or the t_errno.
int WriteNetbuf(sim::AddressSpace& mem, UserAddress at, const std::vector<std::uint8_t>& bytes) {
  const auto maxlen = mem.ReadU32(at);
  const auto buf = mem.ReadU64(at + kNetbufBuf);
  if (!maxlen || !buf) return kTSYSERR;
  if (bytes.size() > *maxlen) return kTBUFOVFLW;
  if (!bytes.empty() && !mem.Poke(*buf, bytes)) return kTSYSERR;
  if (!mem.WriteU32(at + kNetbufLen, static_cast<std::uint32_t>(bytes.size()))) return kTSYSERR;
  return 0;
}

// A struct netbuf's bytes (len bytes at buf), or nullopt on a fault.
std::optional<std::vector<std::uint8_t>> ReadNetbuf(const sim::AddressSpace& mem, UserAddress at) {
  const auto len = mem.ReadU32(at + 4);
  const auto buf = mem.ReadU64(at + 8);
  if (!len || !buf) return std::nullopt;
  std::vector<std::uint8_t> bytes(*len);
  if (*len != 0 && mem.CopyIn(*buf, bytes).fault) return std::nullopt;
  return bytes;
}

}  // namespace

CallResult Illumos::TFail(sim::Thread& t, int t_errno, int sys_errno) const {
  IllumosThread& state = ThreadState(t);
  state.t_errno = t_errno;
  if (t_errno == kTSYSERR) state.errno_value = sys_errno;
  return CallResult::Failure(-1, t_errno);
}

std::shared_ptr<DeviceNode> Illumos::LookupEndpoint(const sim::Process& p, Fd fd) const {
  const sim::FdEntry* entry = Lookup(p, fd);
  if (entry == nullptr) return nullptr;
  auto dev = std::dynamic_pointer_cast<DeviceNode>(entry->description->object());
  if (!dev || !dev->has_module("timod")) return nullptr;
  return dev;
}

std::map<std::string, std::weak_ptr<DeviceNode>>& Illumos::TlNames(sim::NodeId node) {
  return tl_names_[node];
}

CallResult Illumos::TOpen(sim::Thread& t, std::string_view path, std::int32_t oflag,
                          UserAddress info) {
  const Transport* transport = nullptr;
  for (const Transport& tr : kTransports) {
    if (tr.path == path) transport = &tr;
  }
  // t_open(): open(2) of the device, then I_PUSH timod; a path that is no transport fails
  // in open (ENOENT) or in the push (a device without a stream), both TSYSERR.
  if (transport == nullptr) {
    const bool exists = path == "/dev/null" || path == "/dev/zero";
    return TFail(t, kTSYSERR, exists ? kENOSTR : kENOENT);
  }
  sim::Process& p = t.process();
  auto dev = std::make_shared<DeviceNode>(std::string(path), true);
  dev->modules.insert(dev->modules.begin(), "timod");
  dev->service_type = transport->service_type;
  dev->opener = p.Snapshot();  // tl_open: te_credp, te_cpid; tcp: conn_cred at open
  if (transport->family != Family::kUnspec) {
    auto socket =
        stack_.Create(p.node(), transport->family, transport->type, 0, policy_, p.Snapshot());
    if (!socket) return TFail(t, kTSYSERR, ToErrno(socket.error()).value);
    dev->socket = *socket;
  }
  const CallResult fd =
      Install(t, dev, (oflag & (kONonblock | kONdelay)) != 0, (oflag & kOCloexec) != 0);
  if (fd.failed()) return TFail(t, kTSYSERR, *fd.code);
  // _t_create() fills *info when it is not NULL; a fault there is the library's own crash,
  // modelled as TSYSERR EFAULT with the descriptor closed again.
  if (info != 0 && !WriteTInfo(p.memory(), info, *transport)) {
    (void)p.fds().Close(static_cast<sim::Handle>(fd.value));
    return TFail(t, kTSYSERR, kEFAULT);
  }
  return fd;
}

CallResult Illumos::TBind(sim::Thread& t, Fd fd, UserAddress req, UserAddress ret) {
  (void)ret;
  sim::Process& p = t.process();
  auto dev = LookupEndpoint(p, fd);
  if (!dev) return TFail(t, kTBADF);
  if (dev->tli_state != TliState::kUnbound) return TFail(t, kTOUTSTATE);
  std::vector<std::uint8_t> addr;
  std::uint32_t qlen = 0;
  if (req != 0) {
    const auto bytes = ReadNetbuf(p.memory(), req);
    const auto q = p.memory().ReadU32(req + kBindQlen);
    if (!bytes || !q) return TFail(t, kTSYSERR, kEFAULT);
    addr = *bytes;
    qlen = *q;
  }
  if (dev->service_type == kTClts) qlen = 0;
  if (dev->socket) {
    stack::Socket& s = *dev->socket;
    SocketAddress where = sim::Endpoint{
        s.family() == Family::kInet ? sim::IpAddress::AnyV4() : sim::IpAddress::AnyV6(), 0};
    if (!addr.empty()) {
      const std::size_t need = s.family() == Family::kInet ? kSockaddrInSize : kSockaddrIn6Size;
      if (addr.size() < need) return TFail(t, kTBADADDR);
      where = s.family() == Family::kInet ? DecodeSockaddrIn(addr) : DecodeSockaddrIn6(addr);
    }
    auto bound = stack_.Bind(s, where, p.Snapshot());
    if (!bound) {
      if (bound.error() == Error::kAddressInUse) return TFail(t, kTNOADDR);
      if (bound.error() == Error::kNotPermitted) return TFail(t, kTACCES);
      return TFail(t, kTSYSERR, ToErrno(bound.error()).value);
    }
    if (qlen > 0) {
      auto listening = stack_.Listen(s, static_cast<int>(qlen), p.Snapshot());
      if (!listening) return TFail(t, kTSYSERR, ToErrno(listening.error()).value);
    }
  } else {
    // tl_bind(): an empty address asks tl for a unique one; a listener's address is its own.
    std::string name(addr.begin(), addr.end());
    if (name.empty()) name = "tl." + std::to_string(++tl_autobind_);
    auto& names = TlNames(p.node());
    const std::string key = dev->path() + '\n' + name;
    if (auto it = names.find(key); it != names.end() && !it->second.expired()) {
      return TFail(t, kTNOADDR);
    }
    names[key] = dev;
    dev->tl_address = name;
  }
  dev->tl_qlen = static_cast<int>(qlen);
  dev->tli_state = qlen > 0 ? TliState::kListening : TliState::kIdle;
  return CallResult::Success();
}

CallResult Illumos::TConnect(sim::Thread& t, Fd fd, UserAddress sndcall, UserAddress rcvcall) {
  (void)rcvcall;
  sim::Process& p = t.process();
  auto dev = LookupEndpoint(p, fd);
  if (!dev) return TFail(t, kTBADF);
  if (dev->service_type == kTClts) return TFail(t, kTNOTSUPPORT);
  const bool nonblocking = Lookup(p, fd)->description->flags().nonblocking;
  if (!nonblocking && dev->tli_state == TliState::kConnecting && !dev->socket) {
    // A blocking t_connect still waiting for its T_CONN_CON, which tl sends at the
    // listener's t_accept.
    return CallResult::Blocked();
  }
  if (!nonblocking && dev->tli_state == TliState::kConnected && !dev->socket &&
      dev->resuming_connect) {
    dev->resuming_connect = false;
    return CallResult::Success();  // the resumed t_connect after t_accept
  }
  if (dev->tli_state != TliState::kIdle) return TFail(t, kTOUTSTATE);
  const auto addr = ReadNetbuf(p.memory(), sndcall);
  if (!addr) return TFail(t, kTSYSERR, kEFAULT);
  dev->at_connect = p.Snapshot();
  if (dev->socket) {
    stack::Socket& s = *dev->socket;
    const std::size_t need = s.family() == Family::kInet ? kSockaddrInSize : kSockaddrIn6Size;
    if (addr->size() < need) return TFail(t, kTBADADDR);
    const sim::Endpoint to =
        s.family() == Family::kInet ? DecodeSockaddrIn(*addr) : DecodeSockaddrIn6(*addr);
    // tcp_tpi: T_CONN_REQ; tcp_do_connect takes the caller's cred and pid.
    auto progress =
        stack_.Connect(s, ConnectRequest{to, true, ConnectVia::kCall}, p.Snapshot());
    if (!progress) return TFail(t, kTSYSERR, ToErrno(progress.error()).value);
    if (*progress == ConnectProgress::kInProgress) {
      const bool settled = Wait(
          t, [&s] { return s.state != TcpState::kSynSent && s.state != TcpState::kSynReceived; });
      if (!settled) return CallResult::Blocked();
      auto finished = stack_.FinishConnect(s);
      // A refused connection arrives as T_DISCON_IND: t_connect fails TLOOK.
      if (!finished) return TFail(t, kTLOOK);
    }
    stack_.Settle();
    dev->tli_state = TliState::kConnected;
    // tcp_conn_con(): the SYN-ACK's cred, the listener's at its open (none from another host).
    if (s.peer_credentials && s.peer_credentials->at_socket) {
      dev->peer = s.peer_credentials->at_socket;
    } else {
      dev->peer.reset();
    }
    return CallResult::Success();
  }
  // tl_conn_req(): a listener bound to the address on this host, else T_DISCON_IND (TLOOK).
  auto& names = TlNames(p.node());
  const auto it = names.find(dev->path() + '\n' + std::string(addr->begin(), addr->end()));
  auto listener = it == names.end() ? nullptr : it->second.lock();
  if (!listener || listener->tli_state != TliState::kListening) return TFail(t, kTLOOK);
  listener->tl_pending.push_back(dev);
  dev->tli_state = TliState::kConnecting;
  // t_connect(3NSL): a non-blocking endpoint returns TNODATA once the request is sent (the
  // T_CONN_CON still reaches timod, which saves the peer credential from it).
  if (nonblocking) return TFail(t, kTNODATA);
  dev->resuming_connect = true;
  return CallResult::Blocked();
}

CallResult Illumos::TListen(sim::Thread& t, Fd fd, UserAddress call) {
  sim::Process& p = t.process();
  auto dev = LookupEndpoint(p, fd);
  if (!dev) return TFail(t, kTBADF);
  if (dev->service_type == kTClts) return TFail(t, kTNOTSUPPORT);
  if (dev->tli_state != TliState::kListening) return TFail(t, kTOUTSTATE);
  const bool nonblocking = Lookup(p, fd)->description->flags().nonblocking;
  std::int32_t sequence = 0;
  std::vector<std::uint8_t> source;  // the T_CONN_IND's SRC address
  if (dev->socket) {
    stack::Socket& s = *dev->socket;
    if (!stack_.ReadyToAccept(s)) {
      if (nonblocking) return TFail(t, kTNODATA);
      if (!Wait(t, [&] { return stack_.ReadyToAccept(s); })) return CallResult::Blocked();
    }
    auto child = stack_.Accept(s, p.Snapshot());
    if (!child) return TFail(t, kTSYSERR, ToErrno(child.error()).value);
    // tcp's T_CONN_IND carries the connector's address as a sin_t / sin6_t.
    source = Encode(SocketAddress{(*child)->remote});
    // The T_CONN_IND: held until t_accept, numbered by the indication count.
    auto holder = std::make_shared<DeviceNode>(dev->path(), true);
    holder->socket = *child;
    holder->sequence = ++dev->sequence;
    dev->tl_indicated.push_back(holder);
    dev->tcp_held.push_back(holder);
    sequence = holder->sequence;
  } else {
    // tl: drop connectors that went away, then take the oldest indication.
    auto& pending = dev->tl_pending;
    pending.erase(std::remove_if(pending.begin(), pending.end(),
                                 [](const std::weak_ptr<DeviceNode>& w) { return w.expired(); }),
                  pending.end());
    if (pending.empty()) {
      if (nonblocking) return TFail(t, kTNODATA);
      return CallResult::Blocked();  // only another process's t_connect can end the wait
    }
    auto connector = pending.front().lock();
    pending.erase(pending.begin());
    connector->sequence = ++dev->sequence;
    dev->tl_indicated.push_back(connector);
    sequence = connector->sequence;
    // tl_conn_req(): the T_CONN_IND's source is the connector's bound address (te_ap).
    source.assign(connector->tl_address.begin(), connector->tl_address.end());
  }
  if (call == 0) return CallResult::Success();
  auto& mem = p.memory();
  if (!mem.WriteU32(call + kCallSequence, static_cast<std::uint32_t>(sequence))) {
    return TFail(t, kTSYSERR, kEFAULT);
  }
  // The address, then the options and the connect data (none in the model: length 0).
  for (const auto& [offset, bytes] :
       {std::pair{std::uint64_t{0}, source}, std::pair{kCallOpt, std::vector<std::uint8_t>{}},
        std::pair{kCallUdata, std::vector<std::uint8_t>{}}}) {
    const int err = WriteNetbuf(mem, call + offset, bytes);
    if (err == kTSYSERR) return TFail(t, kTSYSERR, kEFAULT);
    if (err != 0) return TFail(t, err);
  }
  return CallResult::Success();
}

CallResult Illumos::TAccept(sim::Thread& t, Fd fd, Fd resfd, UserAddress call) {
  sim::Process& p = t.process();
  auto dev = LookupEndpoint(p, fd);
  auto res = LookupEndpoint(p, resfd);
  if (!dev || !res) return TFail(t, kTBADF);
  if (dev->tli_state != TliState::kListening) return TFail(t, kTOUTSTATE);
  if (res->tli_state != TliState::kUnbound && res->tli_state != TliState::kIdle) {
    return TFail(t, kTOUTSTATE);
  }
  const auto seq = p.memory().ReadU32(call + kCallSequence);
  if (!seq) return TFail(t, kTSYSERR, kEFAULT);
  auto& indicated = dev->tl_indicated;
  const auto it = std::find_if(indicated.begin(), indicated.end(), [&](const auto& w) {
    auto d = w.lock();
    return d && d->sequence == static_cast<std::int32_t>(*seq);
  });
  if (it == indicated.end()) return TFail(t, kTBADSEQ);
  auto other = it->lock();
  indicated.erase(it);
  if (dev->socket) {
    // The connection moves to the accepting endpoint; timod copies the T_CONN_IND's cred
    // (the connector's at connect: tcp_do_connect), none from another host.
    std::erase(dev->tcp_held, other);
    if (res->socket && res->socket != other->socket) res->socket->OnLastClose();
    res->socket = other->socket;
    other->socket.reset();
    const auto& record = res->socket->peer_credentials;
    if (record && record->at_connect) {
      res->peer = record->at_connect;
    } else {
      res->peer.reset();
    }
  } else {
    // tl_conn_res(): T_CONN_CON to the connector with the acceptor endpoint's te_credp and
    // te_cpid (its t_open); the acceptor's timod keeps the T_CONN_IND's (the connector's at
    // t_connect).
    other->tl_peer = res;
    res->tl_peer = other;
    other->peer = res->opener;
    other->tli_state = TliState::kConnected;
    res->peer = other->at_connect;
  }
  res->tli_state = TliState::kConnected;
  return CallResult::Success();
}

CallResult Illumos::TSndrel(sim::Thread& t, Fd fd) {
  auto dev = LookupEndpoint(t.process(), fd);
  if (!dev) return TFail(t, kTBADF);
  // t_sndrel(): only T_COTS_ORD providers have an orderly release.
  if (dev->service_type != kTCotsOrd) return TFail(t, kTNOTSUPPORT);
  const TliState now = EffectiveTliState(*dev);
  if (now != TliState::kConnected && now != TliState::kRemoteRelease) return TFail(t, kTOUTSTATE);
  // timod: LOCORDREL, and tim_clear_peer().
  dev->peer.reset();
  if (dev->socket) {
    (void)stack_.Shutdown(*dev->socket, false, true);
    stack_.Settle();
  } else if (auto peer = dev->tl_peer.lock()) {
    // The peer's timod gets T_ORDREL_IND: REMORDREL, its peer cred cleared.
    peer->release_pending = true;
    peer->peer.reset();
    if (peer->tli_state == TliState::kConnected) peer->tli_state = TliState::kRemoteRelease;
  }
  dev->tli_state = now == TliState::kRemoteRelease ? TliState::kIdle : TliState::kLocalRelease;
  return CallResult::Success();
}

CallResult Illumos::TRcvrel(sim::Thread& t, Fd fd) {
  auto dev = LookupEndpoint(t.process(), fd);
  if (!dev) return TFail(t, kTBADF);
  if (dev->service_type != kTCotsOrd) return TFail(t, kTNOTSUPPORT);
  const TliState now = EffectiveTliState(*dev);
  const bool indicated = dev->socket ? dev->socket->peer_finished : dev->release_pending;
  if (now != TliState::kRemoteRelease && !(now == TliState::kLocalRelease && indicated)) {
    if (now == TliState::kConnected || now == TliState::kLocalRelease) return TFail(t, kTNOREL);
    return TFail(t, kTOUTSTATE);
  }
  dev->release_pending = false;
  dev->peer.reset();
  dev->tli_state = now == TliState::kLocalRelease ? TliState::kIdle : TliState::kRemoteRelease;
  return CallResult::Success();
}

CallResult Illumos::TSnddis(sim::Thread& t, Fd fd, UserAddress call) {
  (void)call;
  auto dev = LookupEndpoint(t.process(), fd);
  if (!dev) return TFail(t, kTBADF);
  if (dev->service_type == kTClts) return TFail(t, kTNOTSUPPORT);
  const TliState now = EffectiveTliState(*dev);
  if (now != TliState::kConnected && now != TliState::kConnecting &&
      now != TliState::kLocalRelease && now != TliState::kRemoteRelease) {
    return TFail(t, kTOUTSTATE);
  }
  if (dev->socket) {
    // T_DISCON_REQ: the connection is reset.
    (void)stack_.Connect(*dev->socket,
                         ConnectRequest{UnspecifiedAddress{}, true, ConnectVia::kCall},
                         t.process().Snapshot());
    stack_.Settle();
  } else if (auto peer = dev->tl_peer.lock()) {
    peer->tl_peer.reset();
    peer->peer.reset();
    peer->tli_state = TliState::kDisconnected;
  }
  dev->tl_peer.reset();
  dev->peer.reset();
  dev->tli_state = TliState::kIdle;
  return CallResult::Success();
}

CallResult Illumos::TClose(sim::Thread& t, Fd fd) {
  if (!LookupEndpoint(t.process(), fd)) return TFail(t, kTBADF);
  (void)t.process().fds().Close(static_cast<sim::Handle>(fd));
  stack_.Settle();
  return CallResult::Success();
}

}  // namespace socksim::stack::illumos_abi
