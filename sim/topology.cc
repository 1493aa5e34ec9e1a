// File: sim/topology.cc
// Topology bookkeeping (nodes, links, interfaces, addresses) and the simulator's routing model.
//
// Routing model. RouteTo(from, dst, scope_id) answers, in this order:
//
//  1. Local. dst is in the loopback range (127.0.0.0/8 or ::1) or is assigned to one of `from`'s
//     interfaces: the packet never leaves the node. destination = from, local = true, egress =
//     from's "lo", path = {from}, latency 0, no links. The source is dst itself: for an own
//     address that is what every stack picks, and for 127.x.y.z Linux also answers from the
//     destination (so 127.0.0.2 talks to 127.0.0.2); for ::1 the destination is ::1 anyway.
//
//  2. Link-local IPv6 (fe80::/10, ff02::/16). Such an address only means something on one link,
//     so scope_id must name an interface of `from` by index; 0 or an unknown index gives
//     kNetworkUnreachable (the stack has already turned a missing scope into EINVAL). An
//     interface with no IPv6 address at all also gives kNetworkUnreachable (no address of the
//     family to send from). The interface's link must be up and dst must be assigned to the node
//     at its other end, else kHostUnreachable. Source: the interface's first fe80::/10 address,
//     else its first IPv6 address. The path is the single hop across that link.
//
//  3. Everything else.
//     a. `from` needs a non-loopback interface whose link is up and which has an address of
//        dst's version, else kNetworkUnreachable (no usable interface of the family).
//     b. The owner is OwnerOf(dst). Without an owner the answer is kHostUnreachable when dst lies
//        in the on-link prefix of one of from's non-loopback addresses of that version (the
//        network is known, the host is missing), else kNetworkUnreachable.
//     c. With an owner: the shortest path over the links that are up, any node forwarding
//        (routers and hosts alike). No path gives kHostUnreachable.
//     d. Egress is from's interface on the first link of the path. Source is the egress
//        interface's first non-link-local address of dst's version, else its first address of
//        that version, else the same two searches over from's other non-loopback interfaces in
//        interface-id order.
//
// Path choice, a total order so the same topology always routes the same way:
//   - primary key: the sum of the links' configured latencies. Fault delays (extra_delay) are
//     not part of the metric: like a real routing protocol, routing does not see injected
//     delay, so a delay fault slows the path down instead of silently steering around it;
//   - then fewer hops;
//   - then the lexicographically smallest sequence of node ids from sender to destination;
//   - then, between two nodes joined by several equally good links, the lowest link id.
// Implementation: Boost's dijkstra runs once per destination node over the composite weight
// (latency_ns, hops), compared lexicographically, giving every node its best cost to the
// destination. The path is then walked forward from the sender, taking at each step the smallest
// (node id, link id) whose link lies on some best path (cost(link) + best(next) == best(here)).
// Because every best path from the chosen node is still available, the greedy walk yields the
// smallest sequence by construction, independent of the order in which Boost visits edges.
// Route.latency is the sum of latency + faults.extra_delay over the links crossed.
//
// The Boost graph and the results are derived data, cached in Topology::Graph and rebuilt on
// the first lookup after any change (generation_ moved on). The simulator is single-threaded,
// so the mutable cache inside const lookups needs no locking.
#include "sim/topology.h"

#include <fmt/format.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/property_map.hpp>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "sim/limits.h"

namespace socksim::sim {
namespace {

// The composite path cost; the defaulted ordering compares latency first, then hops.
struct Cost {
  std::int64_t ns = 0;
  std::uint32_t hops = 0;
  friend auto operator<=>(const Cost&, const Cost&) = default;
};

constexpr Cost kInfinite{std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::uint32_t>::max()};

struct CostLess {
  bool operator()(const Cost& a, const Cost& b) const { return a < b; }
};

// Saturating, because Boost relaxes undirected edges in both directions and may combine an
// unreached (infinite) distance with a weight.
struct CostPlus {
  Cost operator()(const Cost& a, const Cost& b) const {
    if (a == kInfinite || b == kInfinite) return kInfinite;
    return Cost{a.ns + b.ns, a.hops + b.hops};
  }
};

struct EdgeProps {
  Cost cost;
  std::uint32_t link = 0;
};

// Vertex i is NodeId i; one edge per link that is up.
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                         boost::no_property, EdgeProps>;

template <typename T>
const T& CheckedAt(const std::vector<T>& items, std::uint32_t index, const char* what) {
  if (index >= items.size()) {
    throw std::out_of_range(fmt::format("unknown {} id {} (have {})", what, index, items.size()));
  }
  return items[index];
}

template <typename T>
T& CheckedAt(std::vector<T>& items, std::uint32_t index, const char* what) {
  return const_cast<T&>(CheckedAt(std::as_const(items), index, what));
}

RouteResult Unreachable(RouteError error) { return RouteResult{std::nullopt, error}; }

bool IsFe80(const IpAddress& a) { return a.is_v6() && a.bytes()[0] == 0xfe && (a.bytes()[1] & 0xc0) == 0x80; }

bool HasVersion(const Interface& iface, IpVersion version) {
  for (const auto& a : iface.addresses) {
    if (a.address.version() == version) return true;
  }
  return false;
}

// The first address of `version` on `iface`, optionally skipping link-local ones.
std::optional<IpAddress> FirstAddress(const Interface& iface, IpVersion version, bool skip_link_local) {
  for (const auto& a : iface.addresses) {
    if (a.address.version() != version) continue;
    if (skip_link_local && a.address.IsLinkLocal()) continue;
    return a.address;
  }
  return std::nullopt;
}

Duration EffectiveLatency(const Link& link) { return link.latency + link.faults.extra_delay; }

// DOT quoted-string escaping: quotes and backslashes are escaped, newlines become "\n".
std::string DotEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// The largest unit that divides the value exactly, so labels stay short and exact.
std::string FormatDuration(Duration d) {
  if (d.ns % 1'000'000'000 == 0) return fmt::format("{}s", d.ns / 1'000'000'000);
  if (d.ns % 1'000'000 == 0) return fmt::format("{}ms", d.ns / 1'000'000);
  if (d.ns % 1'000 == 0) return fmt::format("{}us", d.ns / 1'000);
  return fmt::format("{}ns", d.ns);
}

bool IsDefaultLoopbackAddress(const InterfaceAddress& a) {
  return (a.address == IpAddress::LoopbackV4() && a.prefix_len == 8) ||
         (a.address == IpAddress::LoopbackV6() && a.prefix_len == 128);
}

}  // namespace

struct Topology::Graph {
  explicit Graph(const Topology& topology);

  RouteResult Resolve(NodeId from, const IpAddress& dst, std::uint32_t scope_id);
  RouteResult LocalRoute(NodeId from, const IpAddress& dst) const;
  RouteResult LinkLocalRoute(NodeId from, const IpAddress& dst, std::uint32_t scope_id) const;
  RouteResult RemoteRoute(NodeId from, const IpAddress& dst);
  const std::vector<Cost>& CostsTo(std::uint32_t destination);
  IpAddress PickSource(const Node& from, const Interface& egress, IpVersion version) const;

  const Topology& topology;
  std::uint64_t generation;
  BoostGraph graph;
  std::map<std::uint32_t, std::vector<Cost>> costs_to;  // best cost of every node, per destination
  std::map<std::tuple<std::uint32_t, IpAddress, std::uint32_t>, RouteResult> routes;
};

Topology::Graph::Graph(const Topology& t)
    : topology(t), generation(t.generation_), graph(t.nodes_.size()) {
  for (const Link& link : t.links_) {
    if (!link.up) continue;
    const NodeId a = t.interfaces_[link.a.value].node;
    const NodeId b = t.interfaces_[link.b.value].node;
    boost::add_edge(a.value, b.value, EdgeProps{Cost{link.latency.ns, 1}, link.id.value}, graph);
  }
}

RouteResult Topology::Graph::Resolve(NodeId from, const IpAddress& dst, std::uint32_t scope_id) {
  if (topology.IsLocalAddress(from, dst)) return LocalRoute(from, dst);
  if (dst.IsLinkLocal()) return LinkLocalRoute(from, dst, scope_id);
  return RemoteRoute(from, dst);
}

RouteResult Topology::Graph::LocalRoute(NodeId from, const IpAddress& dst) const {
  Route route;
  route.destination = from;
  route.local = true;
  route.egress = topology.nodes_[from.value].interfaces.front();  // the loopback
  route.source = dst;
  route.path = {from};
  return RouteResult{std::move(route), RouteError::kNetworkUnreachable};
}

RouteResult Topology::Graph::LinkLocalRoute(NodeId from, const IpAddress& dst,
                                            std::uint32_t scope_id) const {
  if (scope_id == 0) return Unreachable(RouteError::kNetworkUnreachable);
  const auto iface_id = topology.FindInterfaceByIndex(from, scope_id);
  if (!iface_id) return Unreachable(RouteError::kNetworkUnreachable);
  const Interface& iface = topology.interfaces_[iface_id->value];

  std::optional<IpAddress> source;
  for (const auto& a : iface.addresses) {
    if (IsFe80(a.address)) {
      source = a.address;
      break;
    }
  }
  if (!source) source = FirstAddress(iface, IpVersion::kV6, false);
  if (!source) return Unreachable(RouteError::kNetworkUnreachable);

  if (!iface.link) return Unreachable(RouteError::kHostUnreachable);
  const Link& link = topology.links_[iface.link->value];
  if (!link.up) return Unreachable(RouteError::kHostUnreachable);
  const InterfaceId peer_iface = link.a == iface.id ? link.b : link.a;
  const NodeId peer = topology.interfaces_[peer_iface.value].node;
  bool owned = false;
  for (InterfaceId id : topology.nodes_[peer.value].interfaces) {
    for (const auto& a : topology.interfaces_[id.value].addresses) owned = owned || a.address == dst;
  }
  if (!owned) return Unreachable(RouteError::kHostUnreachable);

  Route route;
  route.destination = peer;
  route.egress = iface.id;
  route.source = *source;
  route.path = {from, peer};
  route.latency = EffectiveLatency(link);
  route.links = {link.id};
  return RouteResult{std::move(route), RouteError::kNetworkUnreachable};
}

RouteResult Topology::Graph::RemoteRoute(NodeId from, const IpAddress& dst) {
  const Node& node = topology.nodes_[from.value];
  const IpVersion version = dst.version();

  // 3a: some up, non-loopback interface of the family.
  bool usable = false;
  for (InterfaceId id : node.interfaces) {
    const Interface& iface = topology.interfaces_[id.value];
    if (!iface.link || !topology.links_[iface.link->value].up) continue;
    usable = usable || HasVersion(iface, version);
  }
  if (!usable) return Unreachable(RouteError::kNetworkUnreachable);

  // 3b: nobody has the address; is it at least on one of our networks?
  const auto owner = topology.OwnerOf(dst);
  if (!owner) {
    for (InterfaceId id : node.interfaces) {
      const Interface& iface = topology.interfaces_[id.value];
      if (!iface.link) continue;  // the loopback is not a network anyone else is on
      for (const auto& a : iface.addresses) {
        if (a.address.version() == version && dst.InPrefix(a.address, a.prefix_len)) {
          return Unreachable(RouteError::kHostUnreachable);
        }
      }
    }
    return Unreachable(RouteError::kNetworkUnreachable);
  }
  if (*owner == from) return LocalRoute(from, dst);  // unreachable after rule 1; kept for safety

  // 3c: walk the best paths forward, smallest (node id, link id) first.
  const std::vector<Cost>& best = CostsTo(owner->value);
  if (best[from.value] == kInfinite) return Unreachable(RouteError::kHostUnreachable);
  Route route;
  route.destination = *owner;
  route.path = {from};
  std::uint32_t here = from.value;
  while (here != owner->value) {
    std::optional<std::pair<std::uint32_t, std::uint32_t>> step;  // (next node, link)
    auto [edge, edges_end] = boost::out_edges(here, graph);
    for (; edge != edges_end; ++edge) {
      const std::uint32_t next = static_cast<std::uint32_t>(boost::target(*edge, graph));
      const EdgeProps& props = graph[*edge];
      if (best[next] == kInfinite || CostPlus{}(props.cost, best[next]) != best[here]) continue;
      const std::pair<std::uint32_t, std::uint32_t> candidate{next, props.link};
      if (!step || candidate < *step) step = candidate;
    }
    // Dijkstra's costs guarantee a tight edge out of every finite node but the destination.
    if (!step) throw std::logic_error("topology: inconsistent shortest-path costs");
    const Link& link = topology.links_[step->second];
    route.path.push_back(NodeId{step->first});
    route.links.push_back(link.id);
    route.latency = route.latency + EffectiveLatency(link);
    here = step->first;
  }

  // 3d: egress and source.
  const Link& first = topology.links_[route.links.front().value];
  route.egress = topology.interfaces_[first.a.value].node == from ? first.a : first.b;
  route.source = PickSource(node, topology.interfaces_[route.egress.value], version);
  return RouteResult{std::move(route), RouteError::kNetworkUnreachable};
}

const std::vector<Cost>& Topology::Graph::CostsTo(std::uint32_t destination) {
  auto it = costs_to.find(destination);
  if (it != costs_to.end()) return it->second;
  std::vector<Cost> costs(boost::num_vertices(graph), kInfinite);
  // Links are symmetric, so the costs from the destination are the costs to it.
  boost::dijkstra_shortest_paths(
      graph, boost::vertex(destination, graph),
      boost::weight_map(boost::get(&EdgeProps::cost, graph))
          .distance_map(boost::make_iterator_property_map(costs.begin(),
                                                          boost::get(boost::vertex_index, graph)))
          .distance_compare(CostLess{})
          .distance_combine(CostPlus{})
          .distance_inf(kInfinite)
          .distance_zero(Cost{}));
  return costs_to.emplace(destination, std::move(costs)).first->second;
}

IpAddress Topology::Graph::PickSource(const Node& from, const Interface& egress,
                                      IpVersion version) const {
  std::vector<const Interface*> order{&egress};
  for (InterfaceId id : from.interfaces) {
    const Interface& iface = topology.interfaces_[id.value];
    if (iface.link && iface.id != egress.id) order.push_back(&iface);
  }
  for (bool skip_link_local : {true, false}) {
    for (const Interface* iface : order) {
      if (auto a = FirstAddress(*iface, version, skip_link_local)) return *a;
    }
  }
  // Rule 3a guarantees an address above; this only keeps the function total.
  return version == IpVersion::kV4 ? IpAddress::LoopbackV4() : IpAddress::LoopbackV6();
}

Topology::Topology() = default;
Topology::~Topology() = default;

NodeId Topology::AddNode(std::string name, NodeKind kind) {
  if (FindNode(name)) throw std::invalid_argument("duplicate node name: " + name);
  if (nodes_.size() >= node_limit_) throw LimitReached(Limit::kNodes, node_limit_);
  const NodeId id{static_cast<std::uint32_t>(nodes_.size())};
  const InterfaceId lo{static_cast<std::uint32_t>(interfaces_.size())};
  interfaces_.push_back(Interface{lo, id, "lo", 1, std::nullopt,
                                  {InterfaceAddress{IpAddress::LoopbackV4(), 8},
                                   InterfaceAddress{IpAddress::LoopbackV6(), 128}}});
  for (const auto& a : interfaces_.back().addresses) IndexAddress(a.address, lo);
  node_by_name_.emplace(name, id);
  nodes_.push_back(Node{id, kind, std::move(name), {lo}});
  ++generation_;
  return id;
}

LinkId Topology::AddLink(NodeId a, NodeId b, Duration latency) {
  CheckedAt(nodes_, a.value, "node");
  CheckedAt(nodes_, b.value, "node");
  if (a == b) throw std::invalid_argument(fmt::format("link from node {} to itself", a.value));
  if (latency.ns < 0) throw std::invalid_argument("negative link latency");
  const LinkId id{static_cast<std::uint32_t>(links_.size())};
  // The new interface is "eth<k>" where k counts the node's links so far (the loopback is
  // interface 0 of the node), and its index continues after the last one.
  auto attach = [&](NodeId n) {
    Node& node = nodes_[n.value];
    const InterfaceId iface{static_cast<std::uint32_t>(interfaces_.size())};
    const auto count = static_cast<std::uint32_t>(node.interfaces.size());
    interfaces_.push_back(Interface{iface, n, fmt::format("eth{}", count - 1), count + 1, id, {}});
    node.interfaces.push_back(iface);
    return iface;
  };
  const InterfaceId ia = attach(a);
  const InterfaceId ib = attach(b);
  links_.push_back(Link{id, ia, ib, latency, true, LinkFaults{}});
  ++generation_;
  return id;
}

void Topology::AddAddress(InterfaceId iface, IpAddress address, int prefix_len) {
  Interface& target = CheckedAt(interfaces_, iface.value, "interface");
  const int max_len = address.is_v4() ? 32 : 128;
  if (prefix_len < 0 || prefix_len > max_len) {
    throw std::invalid_argument(
        fmt::format("prefix length {} out of range 0..{} for {}", prefix_len, max_len, address.ToString()));
  }
  for (const auto& a : target.addresses) {
    if (a.address == address) {
      throw std::invalid_argument(
          fmt::format("{} is already assigned to {}", address.ToString(), target.name));
    }
  }
  target.addresses.push_back(InterfaceAddress{address, prefix_len});
  IndexAddress(address, iface);
  ++generation_;
}

void Topology::SetLinkUp(LinkId link, bool up) {
  Link& target = CheckedAt(links_, link.value, "link");
  if (target.up == up) return;  // not a change: cached routes stay valid
  target.up = up;
  ++generation_;
}

void Topology::SetLinkFaults(LinkId link, LinkFaults faults) {
  Link& target = CheckedAt(links_, link.value, "link");
  if (!faults.loss.Valid()) throw std::invalid_argument("link loss ratio is not a probability");
  if (faults.extra_delay.ns < 0) throw std::invalid_argument("negative extra delay");
  const LinkFaults& old = target.faults;
  if (old.loss.num == faults.loss.num && old.loss.den == faults.loss.den &&
      old.extra_delay == faults.extra_delay) {
    return;
  }
  target.faults = faults;
  ++generation_;
}

const Node& Topology::node(NodeId id) const { return CheckedAt(nodes_, id.value, "node"); }
const Link& Topology::link(LinkId id) const { return CheckedAt(links_, id.value, "link"); }
const Interface& Topology::interface(InterfaceId id) const {
  return CheckedAt(interfaces_, id.value, "interface");
}

std::optional<NodeId> Topology::FindNode(const std::string& name) const {
  const auto it = node_by_name_.find(name);
  if (it == node_by_name_.end()) return std::nullopt;
  return it->second;
}

std::optional<InterfaceId> Topology::FindInterfaceByIndex(NodeId node_id, std::uint32_t index) const {
  for (InterfaceId id : node(node_id).interfaces) {
    if (interfaces_[id.value].index == index) return id;
  }
  return std::nullopt;
}

std::optional<NodeId> Topology::OwnerOf(const IpAddress& address) const {
  const auto it = owner_by_address_.find(address);
  if (it == owner_by_address_.end()) return std::nullopt;
  return interfaces_[it->second.value].node;
}

void Topology::IndexAddress(const IpAddress& address, InterfaceId iface) {
  // A scan over interfaces in id order would stop at the lowest id; keep that one.
  const auto [it, inserted] = owner_by_address_.emplace(address, iface);
  if (!inserted && iface < it->second) it->second = iface;
}

bool Topology::IsLocalAddress(NodeId node_id, const IpAddress& address) const {
  const Node& n = node(node_id);
  if (address.IsLoopback()) return true;  // all of 127/8 is on "lo", not just 127.0.0.1
  for (InterfaceId id : n.interfaces) {
    for (const auto& a : interfaces_[id.value].addresses) {
      if (a.address == address) return true;
    }
  }
  return false;
}

std::size_t Topology::node_count() const { return nodes_.size(); }
std::size_t Topology::link_count() const { return links_.size(); }

RouteResult Topology::RouteTo(NodeId from, const IpAddress& destination, std::uint32_t scope_id) const {
  node(from);  // validates the id before anything is cached under it
  if (!graph_ || graph_->generation != generation_) graph_ = std::make_unique<Graph>(*this);
  // The scope only matters for link-local destinations; keying on 0 otherwise shares entries.
  const std::uint32_t scope = destination.IsLinkLocal() ? scope_id : 0;
  const auto key = std::make_tuple(from.value, destination, scope);
  auto it = graph_->routes.find(key);
  if (it == graph_->routes.end()) {
    it = graph_->routes.emplace(key, graph_->Resolve(from, destination, scope)).first;
  }
  return it->second;
}

std::string Topology::ToDot() const {
  std::string out = "graph topology {\n";
  for (const Node& n : nodes_) {
    // The default loopback addresses are on every node, so they are left out as noise.
    std::string label = DotEscape(n.name);
    for (InterfaceId id : n.interfaces) {
      const Interface& iface = interfaces_[id.value];
      for (const auto& a : iface.addresses) {
        if (!iface.link && IsDefaultLoopbackAddress(a)) continue;
        label += fmt::format("\\n{} {}/{}", DotEscape(iface.name), a.address.ToString(), a.prefix_len);
      }
    }
    out += fmt::format("  n{} [label=\"{}\", shape={}];\n", n.id.value, label,
                       n.kind == NodeKind::kHost ? "box" : "ellipse");
  }
  for (const Link& l : links_) {
    std::string label = FormatDuration(l.latency);
    if (l.faults.extra_delay.ns != 0) label += " +" + FormatDuration(l.faults.extra_delay);
    if (l.faults.loss.num != 0) label += fmt::format(" loss {}/{}", l.faults.loss.num, l.faults.loss.den);
    out += fmt::format("  n{} -- n{} [label=\"{}\"{}];\n", interfaces_[l.a.value].node.value,
                       interfaces_[l.b.value].node.value, label, l.up ? "" : ", style=dashed");
  }
  out += "}\n";
  return out;
}

}  // namespace socksim::sim
