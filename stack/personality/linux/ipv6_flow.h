// File: stack/personality/linux/ipv6_flow.h
// IPv6 flow labels as Linux keeps them (net/ipv6/ip6_flowlabel.c): the per-socket bits and
// label of struct ipv6_pinfo (IPV6_FLOWINFO_SEND, IPV6_FLOWINFO, np->flow_label and the list
// of labels the socket holds), and the per-namespace table of leased labels that
// IPV6_FLOWLABEL_MGR manages. What getpeername reports in sin6_flowinfo, and whether connect()
// accepts a label, are read from here; sending and receiving labels on packets are not modelled.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "sim/process.h"
#include "sim/rng.h"
#include "stack/core/socket.h"
#include "stack/personality/linux/linux_socket_state.h"

namespace socksim::stack::linux_abi {

/// struct in6_flowlabel_req (include/uapi/linux/in6.h): 32 bytes.
inline constexpr std::uint32_t kFlowlabelReqSize = 32;
/// The offset of flr_label, which a GET with label 0 writes the chosen label back to.
inline constexpr std::uint64_t kFlowlabelReqLabelOffset = 16;
/// IPV6_FLOWINFO_MASK and IPV6_FLOWLABEL_MASK (include/net/ipv6.h), in host order: the traffic
/// class and label of sin6_flowinfo, and the label alone.
inline constexpr std::uint32_t kFlowinfoMask = 0x0FFFFFFF;
inline constexpr std::uint32_t kFlowlabelMask = 0x000FFFFF;

/// A decoded struct in6_flowlabel_req (flr_dst is not used by the model).
struct FlowLabelRequest {
  std::uint32_t label = 0;  // flr_label, host order
  std::uint8_t action = 0;  // IPV6_FL_A_GET 0, PUT 1, RENEW 2
  std::uint8_t share = 0;   // IPV6_FL_S_NONE 0, EXCL 1, PROCESS 2, USER 3, ANY 255
  std::uint16_t flags = 0;  // IPV6_FL_F_CREATE 1, EXCL 2, REFLECT 4, REMOTE 8
  std::uint16_t expires = 0;
  std::uint16_t linger = 0;
};

/// Decodes the first kFlowlabelReqSize bytes of a request as the kernel reads them.
FlowLabelRequest DecodeFlowLabelRequest(const std::vector<std::uint8_t>& bytes);


/// sin6_flowinfo in getpeername and accept (inet6_getname): np->flow_label while the socket
/// has IPV6_FLOWINFO_SEND, else 0. getsockname always reports 0.
std::uint32_t PeerFlowInfo(const Socket& socket);

/// The flow labels leased on every host (each host is one network namespace).
class Ipv6FlowLabels {
 public:
  Ipv6FlowLabels();

  /// connect() on an AF_INET6 socket with an AF_INET6 address (tcp_v6_connect,
  /// __ip6_datagram_connect): with IPV6_FLOWINFO_SEND the label and traffic class of
  /// `flowinfo` become np->flow_label (a stream socket drops the ECN bits,
  /// IP6_ECN_flow_init); a non-zero label must be one the socket holds once the namespace has
  /// seen an exclusive label (fl6_sock_lookup). Returns 0 or EINVAL; on 0 the label is set.
  int Connect(Socket& socket, std::uint32_t flowinfo);
  /// IPV6_FLOWLABEL_MGR (ipv6_flowlabel_opt): 0 or an errno. A GET of label 0 that creates a
  /// label chooses one with `rng` and sets `*chosen`.
  int Manage(const sim::Process& caller, Socket& socket, const FlowLabelRequest& request,
             sim::Rng& rng, std::uint32_t* chosen);
  /// What a socket made for a connection takes over from its listener (tcp_v6_syn_recv_sock
  /// copies ipv6_pinfo, then empties the label list).
  static void Inherit(const Socket& listener, Socket& child);

 private:
  int Get(const sim::Process& caller, Socket& socket, const FlowLabelRequest& request,
          sim::Rng& rng, std::uint32_t* chosen);
  std::shared_ptr<FlowLabelHosts> hosts_;
};

}  // namespace socksim::stack::linux_abi
