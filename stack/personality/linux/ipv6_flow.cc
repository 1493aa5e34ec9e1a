// File: stack/personality/linux/ipv6_flow.cc
// Flow label leases and the per-socket flow state (net/ipv6/ip6_flowlabel.c, the SNDFLOW
// parts of net/ipv6/af_inet6.c, tcp_ipv6.c and datagram.c), in the order the kernel checks
// them. Leases do not expire and a released label is free at once: the kernel keeps a label
// for its linger time (at least FL_MIN_LINGER, 6 s) after its last user, which is not modelled.
#include "stack/personality/linux/ipv6_flow.h"

#include <algorithm>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"

namespace socksim::stack::linux_abi {

namespace {

// in6.h: actions, sharing modes and flags of struct in6_flowlabel_req.
constexpr std::uint8_t kActionGet = 0;
constexpr std::uint8_t kActionPut = 1;
constexpr std::uint8_t kActionRenew = 2;
constexpr std::uint8_t kShareExcl = 1;
constexpr std::uint8_t kShareProcess = 2;
constexpr std::uint8_t kShareUser = 3;
constexpr std::uint8_t kShareAny = 255;
constexpr std::uint16_t kFlagCreate = 1;
constexpr std::uint16_t kFlagExcl = 2;
constexpr std::uint16_t kFlagReflect = 4;
// ip6_flowlabel.c FL_MAX_LINGER: longer linger or expiry times need CAP_NET_ADMIN.
constexpr std::uint16_t kMaxLinger = 150;
// INET_ECN_MASK << 20 (IP6_ECN_flow_init): the ECN bits of the traffic class.
constexpr std::uint32_t kEcnBits = 3u << 20;

}  // namespace

/// A leased label: who may share it (fl_create records the owner for PROCESS and USER).
struct FlowLabelLease {
  std::uint8_t share = 0;
  sim::Pid pid = 0;
  sim::Uid uid = 0;
  int users = 0;
};

/// One namespace's labels (net->ipv6 fl_ht) and whether an exclusive one was ever made
/// (net->ipv6.flowlabel_has_excl, which fl_create sets and nothing clears).
struct FlowLabelHost {
  std::map<std::uint32_t, FlowLabelLease> leases;
  bool exclusive_seen = false;
};

struct FlowLabelHosts {
  std::map<sim::NodeId, FlowLabelHost> hosts;

  void Release(sim::NodeId node, std::uint32_t label) {
    auto& leases = hosts[node].leases;
    const auto it = leases.find(label);
    if (it != leases.end() && --it->second.users <= 0) leases.erase(it);
  }
};

FlowLabelRequest DecodeFlowLabelRequest(const std::vector<std::uint8_t>& b) {
  FlowLabelRequest r;
  r.label = (std::uint32_t{b[16]} << 24) | (std::uint32_t{b[17]} << 16) |
            (std::uint32_t{b[18]} << 8) | std::uint32_t{b[19]};
  r.action = b[20];
  r.share = b[21];
  r.flags = static_cast<std::uint16_t>(b[22] | (b[23] << 8));
  r.expires = static_cast<std::uint16_t>(b[24] | (b[25] << 8));
  r.linger = static_cast<std::uint16_t>(b[26] | (b[27] << 8));
  return r;
}

LinuxSocketState::~LinuxSocketState() {
  if (auto hosts = table.lock()) {
    for (const std::uint32_t label : labels) hosts->Release(node, label);
  }
}

LinuxSocketState& StateOf(Socket& socket) {
  if (auto* state = dynamic_cast<LinuxSocketState*>(socket.extension())) return *state;
  auto fresh = std::make_unique<LinuxSocketState>();
  fresh->node = socket.node();
  LinuxSocketState& ref = *fresh;
  socket.set_extension(std::move(fresh));
  return ref;
}

const LinuxSocketState* FindState(const Socket& socket) {
  return dynamic_cast<const LinuxSocketState*>(socket.extension());
}

std::uint32_t PeerFlowInfo(const Socket& socket) {
  const LinuxSocketState* state = FindState(socket);
  return state != nullptr && state->send_flowinfo ? state->flow_label : 0;
}

Ipv6FlowLabels::Ipv6FlowLabels() : hosts_(std::make_shared<FlowLabelHosts>()) {}

int Ipv6FlowLabels::Connect(Socket& socket, std::uint32_t flowinfo) {
  const LinuxSocketState* found = FindState(socket);
  if (found == nullptr || !found->send_flowinfo) {
    // Without SNDFLOW the label is never looked at, and np->flow_label becomes 0.
    if (found != nullptr) StateOf(socket).flow_label = 0;
    return 0;
  }
  LinuxSocketState& state = StateOf(socket);
  std::uint32_t label = flowinfo & kFlowinfoMask;
  if (socket.type() == SockType::kStream) label &= ~kEcnBits;
  if ((label & kFlowlabelMask) != 0 && hosts_->hosts[socket.node()].exclusive_seen) {
    // fl6_sock_lookup searches only the socket's own list (__fl6_sock_lookup).
    const auto& held = state.labels;
    if (std::find(held.begin(), held.end(), label & kFlowlabelMask) == held.end()) return kEINVAL;
  }
  state.flow_label = label;
  return 0;
}

int Ipv6FlowLabels::Manage(const sim::Process& caller, Socket& socket,
                           const FlowLabelRequest& request, sim::Rng& rng,
                           std::uint32_t* chosen) {
  LinuxSocketState& state = StateOf(socket);
  state.table = hosts_;
  switch (request.action) {
    case kActionPut: {
      // ipv6_flowlabel_put: REFLECT needs the option it would clear (not modelled: EPERM as
      // with net.ipv6.flowlabel_consistency); a label the socket does not hold is ESRCH;
      // giving up the connected label clears it from np->flow_label.
      if ((request.flags & kFlagReflect) != 0) return kEPERM;
      auto& held = state.labels;
      const auto it = std::find(held.begin(), held.end(), request.label);
      if (it == held.end()) return kESRCH;
      if ((state.flow_label & kFlowlabelMask) == request.label) state.flow_label &= ~kFlowlabelMask;
      held.erase(it);
      hosts_->Release(socket.node(), request.label);
      return 0;
    }
    case kActionRenew: {
      // ipv6_flowlabel_renew: only a label the socket holds (the CAP_NET_ADMIN renewal of any
      // label with IPV6_FL_S_NONE is not modelled); times over FL_MAX_LINGER need privilege.
      const auto& held = state.labels;
      if (std::find(held.begin(), held.end(), request.label) == held.end()) return kESRCH;
      if ((request.linger > kMaxLinger || request.expires > kMaxLinger) &&
          !caller.Snapshot().get().privileged()) {
        return kEPERM;
      }
      return 0;
    }
    case kActionGet:
      return Get(caller, socket, request, rng, chosen);
    default:
      return kEINVAL;
  }
}

int Ipv6FlowLabels::Get(const sim::Process& caller, Socket& socket,
                        const FlowLabelRequest& request, sim::Rng& rng, std::uint32_t* chosen) {
  LinuxSocketState& state = StateOf(socket);
  FlowLabelHost& host = hosts_->hosts[socket.node()];
  // ipv6_flowlabel_get: REFLECT (EPERM under the default flowlabel_consistency), a label with
  // bits outside the 20-bit field, then fl_create's checks.
  if ((request.flags & kFlagReflect) != 0) return kEPERM;
  if ((request.label & ~kFlowlabelMask) != 0) return kEINVAL;
  // fl_create: the sharing mode, the owner it records, the linger and expiry times.
  FlowLabelLease wanted;
  wanted.share = request.share;
  const auto who = caller.Snapshot();
  switch (request.share) {
    case kShareExcl:
    case kShareAny:
      break;
    case kShareProcess:
      wanted.pid = who.pid;
      break;
    case kShareUser:
      wanted.uid = who.get().euid;
      break;
    default:
      return kEINVAL;
  }
  if ((request.linger > kMaxLinger || request.expires > kMaxLinger) && !who.get().privileged()) {
    return kEPERM;
  }
  // fl_shared_exclusive: from here on connect() checks labels in this namespace, even if this
  // request fails below.
  if (request.share != kShareAny) host.exclusive_seen = true;
  auto join = [&](std::uint32_t label) {
    state.labels.push_back(label);
    ++host.leases[label].users;
  };
  if (request.label != 0) {
    const auto it = host.leases.find(request.label);
    if (it != host.leases.end()) {
      // An existing label: EEXIST for an exclusive request, EPERM unless the sharing modes
      // match and allow this caller; else the socket joins the lease.
      if ((request.flags & kFlagExcl) != 0) return kEEXIST;
      const FlowLabelLease& have = it->second;
      if (have.share == kShareExcl || have.share != wanted.share ||
          (have.share == kShareProcess && have.pid != wanted.pid) ||
          (have.share == kShareUser && have.uid != wanted.uid)) {
        return kEPERM;
      }
      join(request.label);
      return 0;
    }
  }
  if ((request.flags & kFlagCreate) == 0) return kENOENT;
  std::uint32_t label = request.label;
  if (label == 0) {
    // fl_intern: a random non-zero label nobody leases.
    do {
      label = static_cast<std::uint32_t>(rng.UniformBelow(kFlowlabelMask)) + 1;
    } while (host.leases.count(label) != 0);
    *chosen = label;
  }
  FlowLabelLease& lease = host.leases[label];
  lease = wanted;
  lease.users = 0;
  join(label);
  return 0;
}

void Ipv6FlowLabels::Inherit(const Socket& listener, Socket& child) {
  const LinuxSocketState* from = FindState(listener);
  if (from == nullptr) return;
  LinuxSocketState& to = StateOf(child);
  to.send_flowinfo = from->send_flowinfo;
  to.receive_flowinfo = from->receive_flowinfo;
  to.flow_label = from->flow_label;
}

}  // namespace socksim::stack::linux_abi
