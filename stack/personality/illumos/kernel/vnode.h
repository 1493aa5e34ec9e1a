// File: stack/personality/illumos/kernel/vnode.h
// What lies under an illumos descriptor, as ucredsys() and the STREAMS ioctls tell it apart
// (uts/common/syscall/ucredsys.c getpeerucred: v_type VSOCK, VFIFO, VCHR with or without a
// stream head, anything else): the neutral stack's sockets (TCP/UDP non-STREAMS sockets, and
// AF_UNIX as TPI sockets over tl), sim::PipeEnd for pipes and FIFOs, and the personality's own
// objects here: character devices (with a stream head, pushed modules and, with timod, a TLI
// endpoint's state) and files and directories, which need no contents.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/credentials.h"
#include "sim/fd_table.h"
#include "stack/core/socket.h"

namespace socksim::stack::illumos_abi {

/// The vnode types ucredsys() dispatches on.
enum class VnodeType : std::uint8_t {
  kSocket,      // VSOCK: a stack::Socket
  kFifo,        // VFIFO: a pipe end or an opened named FIFO (sim::PipeEnd)
  kCharDevice,  // VCHR: a DeviceNode
  kRegular,     // VREG
  kDirectory,   // VDIR
};

/// The TLI states timod tracks (uts/common/io/timod.c tim_flags: CONNWAIT, LOCORDREL,
/// REMORDREL), with the t_open/t_bind/t_listen states libnsl keeps (T_UNBND, T_IDLE, ...).
enum class TliState : std::uint8_t {
  kUnbound,        // T_UNBND: opened, not bound
  kIdle,           // T_IDLE: bound
  kListening,      // bound with a queue (qlen > 0): a listener, never connected
  kConnecting,     // T_OUTCON: t_connect sent, CONNWAIT
  kConnected,      // T_DATAXFER
  kLocalRelease,   // T_OUTREL: after t_sndrel (LOCORDREL)
  kRemoteRelease,  // T_INREL: the peer's orderly release arrived (REMORDREL)
  kDisconnected,   // after T_DISCON_IND or t_snddis: back to T_IDLE, the peer cred cleared
};

/// A character device opened by path: /dev/null (no stream head), or a STREAMS device
/// (/dev/tcp, /dev/tcp6, /dev/udp, /dev/ticots, /dev/ticotsord, /dev/ticlts) with its pushed
/// modules and, once timod is pushed, what timod knows of the TLI endpoint.
class DeviceNode final : public sim::FileObject {
 public:
  DeviceNode(std::string path, bool has_stream) : path_(std::move(path)), stream_(has_stream) {}
  sim::FileKind kind() const override { return sim::FileKind::kCharDevice; }
  void OnLastClose() override;

  const std::string& path() const { return path_; }
  /// The device has a stream head (v_stream != NULL).
  bool has_stream() const { return stream_; }
  /// Modules pushed on the stream, top first (I_PUSH / I_POP).
  std::vector<std::string> modules;
  bool has_module(const std::string& name) const;

  // ---- TLI (timod) ----
  /// T_COTS, T_COTS_ORD or T_CLTS (the provider's service type from T_INFO_ACK).
  int service_type = 0;
  TliState tli_state = TliState::kUnbound;
  /// The transport under the endpoint: a TCP or UDP socket for /dev/tcp, /dev/tcp6, /dev/udp;
  /// for the loopback transports (tl) a TCP-like pairing of DeviceNodes.
  SocketRef socket;
  std::weak_ptr<DeviceNode> tl_peer;  // tl: the connected endpoint
  /// tl: the address the endpoint is bound to, and pending connection indications.
  std::string tl_address;
  std::vector<std::weak_ptr<DeviceNode>> tl_pending;    // connectors waiting for t_listen
  std::vector<std::weak_ptr<DeviceNode>> tl_indicated;  // returned by t_listen, not accepted
  int tl_qlen = 0;
  /// /dev/tcp: the connections t_listen took from the stack, held until t_accept.
  std::vector<std::shared_ptr<DeviceNode>> tcp_held;
  /// Who opened the endpoint (tl_open: te_credp, te_cpid).
  std::optional<sim::CredentialSnapshot> opener;
  /// The peer credential timod saved (T_CONN_CON / T_CONN_IND), cleared by tim_clear_peer.
  std::optional<sim::CredentialSnapshot> peer;
  /// The connector's credential at t_connect (what tl carries in T_CONN_REQ).
  std::optional<sim::CredentialSnapshot> at_connect;
  std::int32_t sequence = 0;  // tl: the connection indication's sequence number
  /// An orderly release indication (T_ORDREL_IND) arrived and t_rcvrel has not taken it.
  bool release_pending = false;
  /// tl: a blocking t_connect returned blocked and completes when it is called again.
  bool resuming_connect = false;

 private:
  std::string path_;
  bool stream_;
};

/// A regular file or a directory; no contents are modelled.
class FileNode final : public sim::FileObject {
 public:
  FileNode(std::string path, bool directory) : path_(std::move(path)), directory_(directory) {}
  sim::FileKind kind() const override { return sim::FileKind::kRegularFile; }
  const std::string& path() const { return path_; }
  bool is_directory() const { return directory_; }

 private:
  std::string path_;
  bool directory_;
};

/// A raw IP socket (icmp.c: socket(AF_INET or AF_INET6, SOCK_RAW, proto)) or a routing
/// socket (rts.c: socket(AF_ROUTE, SOCK_RAW, 0)): a VSOCK sockfs socket whose protocol has
/// neither connections nor a peer credential (sock mode SM_ATOMIC, no SM_CONNREQUIRED). Only
/// its existence is modelled: getpeerucred answers ENOTSUP, close releases it, and the other
/// socket calls are not modelled (EOPNOTSUPP). Its FileKind is kCharDevice only because
/// FileKind::kSocket promises a neutral stack::Socket; TypeOf() reports it as a socket.
class ProtocolSocketNode final : public sim::FileObject {
 public:
  ProtocolSocketNode(int family, int protocol) : family_(family), protocol_(protocol) {}
  sim::FileKind kind() const override { return sim::FileKind::kCharDevice; }
  /// AF_INET, AF_INET6 (icmp) or AF_ROUTE (rts), as illumos numbers them.
  int family() const { return family_; }
  int protocol() const { return protocol_; }

 private:
  int family_;
  int protocol_;
};

/// The TLI state timod sees now: for an endpoint over a neutral TCP socket, the socket's
/// facts (a FIN from the peer is T_ORDREL_IND: REMORDREL; a reset or abort is T_DISCON_IND)
/// refine the state the TLI calls left.
TliState EffectiveTliState(const DeviceNode& dev);

/// The vnode type of the object under a descriptor.
VnodeType TypeOf(const sim::FileObject& object);

}  // namespace socksim::stack::illumos_abi
