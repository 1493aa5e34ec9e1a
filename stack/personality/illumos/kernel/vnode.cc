// File: stack/personality/illumos/kernel/vnode.cc
// Telling the objects under a descriptor apart, and the last close of a device node.
#include "stack/personality/illumos/kernel/vnode.h"

#include <algorithm>

namespace socksim::stack::illumos_abi {

void DeviceNode::OnLastClose() {
  // tl_close(): a connected peer sees a disconnect (T_DISCON_IND, or T_ORDREL_IND for an
  // orderly-release transport: tl_co_unconnect); timod on its side clears the peer cred.
  if (auto peer = tl_peer.lock()) {
    peer->tl_peer.reset();
    peer->peer.reset();
    if (peer->tli_state != TliState::kUnbound) peer->tli_state = TliState::kDisconnected;
  }
  tl_peer.reset();
  // The endpoint's transport socket has no descriptor of its own: its last close is this one.
  if (socket) socket->OnLastClose();
  socket.reset();
  // Connections taken by t_listen and never accepted are closed with the listener.
  for (const auto& held : tcp_held) {
    if (held->socket) held->socket->OnLastClose();
  }
  tcp_held.clear();
}

TliState EffectiveTliState(const DeviceNode& dev) {
  if (!dev.socket) return dev.tli_state;
  const Socket& s = *dev.socket;
  const bool open_states =
      dev.tli_state == TliState::kConnected || dev.tli_state == TliState::kLocalRelease;
  if (open_states && s.termination) return TliState::kDisconnected;
  if (dev.tli_state == TliState::kConnected && s.peer_finished) return TliState::kRemoteRelease;
  return dev.tli_state;
}

bool DeviceNode::has_module(const std::string& name) const {
  return std::find(modules.begin(), modules.end(), name) != modules.end();
}

VnodeType TypeOf(const sim::FileObject& object) {
  if (dynamic_cast<const ProtocolSocketNode*>(&object) != nullptr) return VnodeType::kSocket;
  switch (object.kind()) {
    case sim::FileKind::kSocket:
      return VnodeType::kSocket;
    case sim::FileKind::kPipe:
      return VnodeType::kFifo;
    case sim::FileKind::kCharDevice:
    case sim::FileKind::kEventFd:
    case sim::FileKind::kEpoll:
      return VnodeType::kCharDevice;
    case sim::FileKind::kRegularFile:
    case sim::FileKind::kUnknown:
      break;
  }
  if (const auto* file = dynamic_cast<const FileNode*>(&object)) {
    return file->is_directory() ? VnodeType::kDirectory : VnodeType::kRegular;
  }
  return VnodeType::kRegular;
}

}  // namespace socksim::stack::illumos_abi
