// File: sim/topology.h
// The simulated network: nodes (hosts and routers), links with latency and up/down state,
// interfaces with addresses, and routing over the graph. The graph is a Boost.Graph adjacency
// list; routes are shortest paths by latency with a fixed tie-break, recomputed whenever a link
// changes state, so the same topology always routes the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/ids.h"
#include "sim/ip_address.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace socksim::sim {

/// Whether a node runs applications (a host) or only forwards packets (a router).
enum class NodeKind { kHost, kRouter };

/// An address assigned to an interface, with its on-link prefix length.
struct InterfaceAddress {
  IpAddress address;
  int prefix_len = 0;
};

/// One network interface of a node: the loopback, or one end of a link.
struct Interface {
  InterfaceId id;
  NodeId node;
  std::string name;                 // "lo", "eth0", "eth1", ... in creation order per node
  std::uint32_t index = 0;          // per-node interface index (ifindex): lo is 1, then 2, 3, ...
  std::optional<LinkId> link;       // none for the loopback
  std::vector<InterfaceAddress> addresses;
};

/// Per-link fault options; every probability is a Ratio, drawn from the world's Rng.
struct LinkFaults {
  Ratio loss{0, 1};        // chance that a packet is dropped
  Duration extra_delay{};  // added to every packet's latency
};

/// A point-to-point link between two interfaces.
struct Link {
  LinkId id;
  InterfaceId a;
  InterfaceId b;
  Duration latency;
  bool up = true;
  LinkFaults faults;
};

/// A host or router.
struct Node {
  NodeId id;
  NodeKind kind = NodeKind::kHost;
  std::string name;
  std::vector<InterfaceId> interfaces;  // loopback first
};

/// Why no route exists; the stack turns these into ENETUNREACH / EHOSTUNREACH.
enum class RouteError {
  kNetworkUnreachable,  // no interface of the sender's family, or the address is on no known network
  kHostUnreachable,     // the destination network is known but no up path reaches the address
};

/// A resolved route from one node to a destination address.
struct Route {
  NodeId destination;              // the node that owns the address (the sender itself if local)
  bool local = false;              // delivered without leaving the node (loopback or own address)
  InterfaceId egress;              // the sender's outgoing interface (its loopback if local)
  IpAddress source;                // the address the sender uses as source
  std::vector<NodeId> path;        // nodes from sender to destination, both included
  Duration latency;                // sum of link latencies along the path (0 if local)
  std::vector<LinkId> links;       // the links crossed, in path order (empty if local); names
                                   // the exact link when two nodes are joined more than once
};

/// The outcome of a route lookup.
struct RouteResult {
  std::optional<Route> route;
  RouteError error = RouteError::kNetworkUnreachable;  // meaningful only when !route
};

/// The network graph and everything attached to it.
class Topology {
 public:
  Topology();
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  // Unknown ids throw std::out_of_range; malformed arguments throw std::invalid_argument.

  /// Adds a node. Every node gets a loopback interface "lo" (index 1) with 127.0.0.1/8 and ::1/128.
  /// Names must be unique (FindNode and the DOT output rely on it).
  /// Past the node limit (set_node_limit) it throws LimitReached and adds nothing.
  NodeId AddNode(std::string name, NodeKind kind);
  /// How many nodes AddNode may make (the world's ModelLimits::nodes); no limit by default.
  void set_node_limit(std::uint64_t limit) { node_limit_ = limit; }
  /// Connects two distinct nodes; each gets a new interface "ethN" whose index follows its last
  /// one. The latency must not be negative.
  LinkId AddLink(NodeId a, NodeId b, Duration latency);
  /// Assigns an address to an interface. The prefix must fit the version (0..32 or 0..128) and
  /// the address must not already be on that interface.
  void AddAddress(InterfaceId iface, IpAddress address, int prefix_len);
  /// Brings a link up or down; routes are recomputed on the next lookup.
  void SetLinkUp(LinkId link, bool up);
  /// Sets a link's faults; the loss ratio must be Valid() and the extra delay not negative.
  void SetLinkFaults(LinkId link, LinkFaults faults);

  const Node& node(NodeId id) const;
  const Link& link(LinkId id) const;
  const Interface& interface(InterfaceId id) const;
  /// The node named `name` (O(log n)).
  std::optional<NodeId> FindNode(const std::string& name) const;
  /// The interface of `node` with index `index` (the scope id of a link-local address).
  std::optional<InterfaceId> FindInterfaceByIndex(NodeId node, std::uint32_t index) const;
  /// The node that owns `address` on one of its interfaces (the lowest interface id on a clash;
  /// every node has 127.0.0.1 and ::1, so those belong to node 0). O(log n).
  std::optional<NodeId> OwnerOf(const IpAddress& address) const;
  /// True when `address` is assigned to one of `node`'s interfaces (loopback range included).
  bool IsLocalAddress(NodeId node, const IpAddress& address) const;
  std::size_t node_count() const;
  std::size_t link_count() const;

  /// Resolves a route from `from` to `destination`. `scope_id` selects the outgoing interface
  /// for link-local destinations (0 means none given).
  RouteResult RouteTo(NodeId from, const IpAddress& destination, std::uint32_t scope_id = 0) const;

  /// The topology in Graphviz DOT, nodes and edges in id order.
  std::string ToDot() const;

  /// Incremented on every change; lets callers cache derived data.
  std::uint64_t generation() const { return generation_; }

 private:
  struct Graph;  // the Boost.Graph representation, kept out of the header

  // Records that `iface` holds `address` in owner_by_address_.
  void IndexAddress(const IpAddress& address, InterfaceId iface);

  std::vector<Node> nodes_;
  std::vector<Link> links_;
  std::vector<Interface> interfaces_;
  // Lookup indexes, kept in step by AddNode and AddAddress (nothing is ever removed), so that
  // building a graph of N nodes costs O(N log N) rather than a scan per node.
  std::map<std::string, NodeId, std::less<>> node_by_name_;
  std::map<IpAddress, InterfaceId> owner_by_address_;  // the lowest interface id with each address
  std::uint64_t generation_ = 0;
  std::uint64_t node_limit_ = ~std::uint64_t{0};
  // The graph and route cache, rebuilt lazily when generation_ has moved on.
  mutable std::unique_ptr<Graph> graph_;
};

}  // namespace socksim::sim
