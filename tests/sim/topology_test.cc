// File: tests/sim/topology_test.cc
// Topology construction (interfaces, ids, addresses), the routing model documented at the top of
// sim/topology.cc (local, link-local, shortest path with its tie-break, unreachable cases), the
// DOT output and the generation counter.
#include "sim/topology.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace socksim::sim {
namespace {

IpAddress P(const char* text) {
  const auto ip = IpAddress::Parse(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress());
}

Duration Ms(std::int64_t n) { return Duration::Milliseconds(n); }
Duration Us(std::int64_t n) { return Duration::Microseconds(n); }

// The interface "eth<k>" of a node (interface 0 is the loopback).
InterfaceId Eth(const Topology& t, NodeId node, std::size_t k) { return t.node(node).interfaces.at(k + 1); }

std::vector<NodeId> Path(std::initializer_list<NodeId> nodes) { return nodes; }

// By value: RouteTo returns a temporary, so a reference into it would dangle.
Route MustRoute(const RouteResult& r) {
  if (!r.route) throw std::runtime_error("expected a route");
  return *r.route;
}

TEST(TopologyTest, EveryNodeHasLoopbackWithIndexOne) {
  Topology t;
  const NodeId h = t.AddNode("h", NodeKind::kHost);
  const NodeId r = t.AddNode("r", NodeKind::kRouter);
  EXPECT_EQ(h, NodeId{0});
  EXPECT_EQ(r, NodeId{1});
  EXPECT_EQ(t.node_count(), 2u);
  for (NodeId n : {h, r}) {
    const Node& node = t.node(n);
    ASSERT_EQ(node.interfaces.size(), 1u);
    const Interface& lo = t.interface(node.interfaces[0]);
    EXPECT_EQ(lo.name, "lo");
    EXPECT_EQ(lo.index, 1u);
    EXPECT_EQ(lo.node, n);
    EXPECT_FALSE(lo.link.has_value());
    ASSERT_EQ(lo.addresses.size(), 2u);
    EXPECT_EQ(lo.addresses[0].address, P("127.0.0.1"));
    EXPECT_EQ(lo.addresses[0].prefix_len, 8);
    EXPECT_EQ(lo.addresses[1].address, P("::1"));
    EXPECT_EQ(lo.addresses[1].prefix_len, 128);
    EXPECT_EQ(t.FindInterfaceByIndex(n, 1), node.interfaces[0]);
    EXPECT_FALSE(t.FindInterfaceByIndex(n, 2).has_value());
  }
  EXPECT_EQ(t.node(h).kind, NodeKind::kHost);
  EXPECT_EQ(t.node(r).kind, NodeKind::kRouter);
  EXPECT_EQ(t.FindNode("r"), r);
  EXPECT_FALSE(t.FindNode("nope").has_value());
}

TEST(TopologyTest, InterfacesAreNamedAndIndexedInCreationOrder) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);    // lo = interface 0
  const NodeId b = t.AddNode("b", NodeKind::kRouter);  // lo = interface 1
  const NodeId c = t.AddNode("c", NodeKind::kHost);    // lo = interface 2
  const LinkId ab = t.AddLink(a, b, Ms(1));            // a.eth0 = 3, b.eth0 = 4
  const LinkId ac = t.AddLink(a, c, Ms(2));            // a.eth1 = 5, c.eth0 = 6
  const LinkId bc = t.AddLink(b, c, Ms(3));            // b.eth1 = 7, c.eth1 = 8
  EXPECT_EQ(ab, LinkId{0});
  EXPECT_EQ(ac, LinkId{1});
  EXPECT_EQ(bc, LinkId{2});
  EXPECT_EQ(t.link_count(), 3u);

  const std::vector<InterfaceId> a_ifaces = {InterfaceId{0}, InterfaceId{3}, InterfaceId{5}};
  EXPECT_EQ(t.node(a).interfaces, a_ifaces);
  const std::vector<InterfaceId> c_ifaces = {InterfaceId{2}, InterfaceId{6}, InterfaceId{8}};
  EXPECT_EQ(t.node(c).interfaces, c_ifaces);

  struct Expected {
    InterfaceId id;
    NodeId node;
    const char* name;
    std::uint32_t index;
    LinkId link;
  };
  const std::vector<Expected> expected = {
      {InterfaceId{3}, a, "eth0", 2, ab}, {InterfaceId{4}, b, "eth0", 2, ab},
      {InterfaceId{5}, a, "eth1", 3, ac}, {InterfaceId{6}, c, "eth0", 2, ac},
      {InterfaceId{7}, b, "eth1", 3, bc}, {InterfaceId{8}, c, "eth1", 3, bc},
  };
  for (const auto& e : expected) {
    SCOPED_TRACE(e.id.value);
    const Interface& iface = t.interface(e.id);
    EXPECT_EQ(iface.id, e.id);
    EXPECT_EQ(iface.node, e.node);
    EXPECT_EQ(iface.name, e.name);
    EXPECT_EQ(iface.index, e.index);
    EXPECT_EQ(iface.link, e.link);
    EXPECT_EQ(t.FindInterfaceByIndex(e.node, e.index), e.id);
  }
  const Link& link = t.link(ac);
  EXPECT_EQ(link.id, ac);
  EXPECT_EQ(link.a, InterfaceId{5});
  EXPECT_EQ(link.b, InterfaceId{6});
  EXPECT_EQ(link.latency, Ms(2));
  EXPECT_TRUE(link.up);
  EXPECT_FALSE(t.FindInterfaceByIndex(a, 4).has_value());
  EXPECT_FALSE(t.FindInterfaceByIndex(a, 0).has_value());
}

TEST(TopologyTest, AddressesAndOwnership) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  t.AddLink(a, b, Ms(1));
  t.AddAddress(Eth(t, a, 0), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, b, 0), P("10.0.0.2"), 24);
  t.AddAddress(Eth(t, b, 0), P("10.0.0.1"), 24);  // a clash: the lower interface id wins
  EXPECT_EQ(t.OwnerOf(P("10.0.0.1")), a);
  EXPECT_EQ(t.OwnerOf(P("10.0.0.2")), b);
  EXPECT_FALSE(t.OwnerOf(P("10.0.0.3")).has_value());
  EXPECT_TRUE(t.IsLocalAddress(b, P("10.0.0.1")));
  EXPECT_TRUE(t.IsLocalAddress(a, P("127.0.0.1")));
  EXPECT_TRUE(t.IsLocalAddress(a, P("127.9.9.9")));  // the whole of 127/8 is on lo
  EXPECT_TRUE(t.IsLocalAddress(a, P("::1")));
  EXPECT_FALSE(t.IsLocalAddress(a, P("10.0.0.2")));
  EXPECT_FALSE(t.IsLocalAddress(a, P("::ffff:10.0.0.1")));
  const auto& addrs = t.interface(Eth(t, b, 0)).addresses;
  ASSERT_EQ(addrs.size(), 2u);
  EXPECT_EQ(addrs[0].address, P("10.0.0.2"));
  EXPECT_EQ(addrs[0].prefix_len, 24);
}

TEST(TopologyTest, LocalRoutes) {
  Topology t;
  const NodeId h = t.AddNode("h", NodeKind::kHost);
  const NodeId peer = t.AddNode("peer", NodeKind::kHost);
  const LinkId l = t.AddLink(h, peer, Ms(1));
  t.AddAddress(Eth(t, h, 0), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, h, 0), P("2001:db8::1"), 64);
  const InterfaceId lo = t.node(h).interfaces[0];

  struct Case {
    const char* dst;
    const char* source;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1", "127.0.0.1"}, {"127.1.2.3", "127.1.2.3"}, {"::1", "::1"},
      {"10.0.0.1", "10.0.0.1"},   {"2001:db8::1", "2001:db8::1"},
  };
  for (bool link_up : {true, false}) {
    t.SetLinkUp(l, link_up);  // local delivery does not care about links
    for (const auto& c : cases) {
      SCOPED_TRACE(std::string(c.dst) + (link_up ? " up" : " down"));
      const Route r = MustRoute(t.RouteTo(h, P(c.dst)));
      EXPECT_TRUE(r.local);
      EXPECT_EQ(r.destination, h);
      EXPECT_EQ(r.egress, lo);
      EXPECT_EQ(r.source, P(c.source));
      EXPECT_EQ(r.path, Path({h}));
      EXPECT_EQ(r.latency, Duration{});
      EXPECT_TRUE(r.links.empty());
    }
  }
  // A node without any link still reaches itself.
  const NodeId alone = t.AddNode("alone", NodeKind::kHost);
  EXPECT_TRUE(MustRoute(t.RouteTo(alone, P("127.0.0.1"))).local);
  EXPECT_TRUE(MustRoute(t.RouteTo(alone, P("::1"))).local);
}

// h1 has two ways to h2: through r1 (1ms + 10ms) and through r2 (1ms + 2ms).
struct TwoPaths {
  Topology t;
  NodeId h1, h2, r1, r2;
  LinkId h1_r1, h1_r2, r1_h2, r2_h2;

  TwoPaths() {
    h1 = t.AddNode("h1", NodeKind::kHost);
    h2 = t.AddNode("h2", NodeKind::kHost);
    r1 = t.AddNode("r1", NodeKind::kRouter);
    r2 = t.AddNode("r2", NodeKind::kRouter);
    h1_r1 = t.AddLink(h1, r1, Ms(1));   // h1.eth0
    h1_r2 = t.AddLink(h1, r2, Ms(1));   // h1.eth1
    r1_h2 = t.AddLink(r1, h2, Ms(10));  // h2.eth0
    r2_h2 = t.AddLink(r2, h2, Ms(2));   // h2.eth1
    t.AddAddress(Eth(t, h1, 0), P("10.0.1.1"), 24);
    t.AddAddress(Eth(t, h1, 1), P("fe80::1"), 64);
    t.AddAddress(Eth(t, h1, 1), P("10.0.2.1"), 24);
    t.AddAddress(Eth(t, h2, 0), P("10.0.3.2"), 24);
    t.AddAddress(Eth(t, h2, 1), P("10.0.4.2"), 24);
  }
};

TEST(TopologyTest, PicksTheFasterOfTwoPaths) {
  TwoPaths n;
  // 10.0.3.2 sits on h2's r1-facing interface, but routing is to the owner node, by latency.
  for (const char* dst : {"10.0.3.2", "10.0.4.2"}) {
    SCOPED_TRACE(dst);
    const Route r = MustRoute(n.t.RouteTo(n.h1, P(dst)));
    EXPECT_FALSE(r.local);
    EXPECT_EQ(r.destination, n.h2);
    EXPECT_EQ(r.path, Path({n.h1, n.r2, n.h2}));
    EXPECT_EQ(r.links, (std::vector<LinkId>{n.h1_r2, n.r2_h2}));
    EXPECT_EQ(r.egress, Eth(n.t, n.h1, 1));
    EXPECT_EQ(r.source, P("10.0.2.1"));  // the egress's first non-link-local IPv4 address
    EXPECT_EQ(r.latency, Ms(3));
  }
  // The way back is the mirror image.
  const Route back = MustRoute(n.t.RouteTo(n.h2, P("10.0.1.1")));
  EXPECT_EQ(back.path, Path({n.h2, n.r2, n.h1}));
  EXPECT_EQ(back.egress, Eth(n.t, n.h2, 1));
  EXPECT_EQ(back.source, P("10.0.4.2"));
  // A router forwards and can be a destination too, once it has an address.
  n.t.AddAddress(Eth(n.t, n.r1, 0), P("10.0.1.254"), 24);
  const Route to_router = MustRoute(n.t.RouteTo(n.h1, P("10.0.1.254")));
  EXPECT_EQ(to_router.path, Path({n.h1, n.r1}));
  EXPECT_EQ(to_router.egress, Eth(n.t, n.h1, 0));
  EXPECT_EQ(to_router.source, P("10.0.1.1"));
  EXPECT_EQ(to_router.latency, Ms(1));
}

TEST(TopologyTest, FaultDelayAddsLatencyButDoesNotSteer) {
  TwoPaths n;
  n.t.SetLinkFaults(n.r2_h2, LinkFaults{Ratio{0, 1}, Ms(20)});
  const Route r = MustRoute(n.t.RouteTo(n.h1, P("10.0.4.2")));
  EXPECT_EQ(r.path, Path({n.h1, n.r2, n.h2}));  // the metric is the configured latency
  EXPECT_EQ(r.latency, Ms(23));                 // but the packet feels the fault
}

TEST(TopologyTest, LinkDownRecomputesRoute) {
  TwoPaths n;
  const IpAddress dst = P("10.0.4.2");
  ASSERT_EQ(MustRoute(n.t.RouteTo(n.h1, dst)).latency, Ms(3));

  n.t.SetLinkUp(n.r2_h2, false);
  const Route alternate = MustRoute(n.t.RouteTo(n.h1, dst));
  EXPECT_EQ(alternate.path, Path({n.h1, n.r1, n.h2}));
  EXPECT_EQ(alternate.egress, Eth(n.t, n.h1, 0));
  EXPECT_EQ(alternate.source, P("10.0.1.1"));
  EXPECT_EQ(alternate.latency, Ms(11));

  n.t.SetLinkUp(n.r1_h2, false);  // h1 still has up interfaces, but nothing reaches h2
  const RouteResult none = n.t.RouteTo(n.h1, dst);
  EXPECT_FALSE(none.route.has_value());
  EXPECT_EQ(none.error, RouteError::kHostUnreachable);

  n.t.SetLinkUp(n.h1_r1, false);
  n.t.SetLinkUp(n.h1_r2, false);  // now h1 has no up interface at all
  EXPECT_EQ(n.t.RouteTo(n.h1, dst).error, RouteError::kNetworkUnreachable);

  for (LinkId l : {n.h1_r1, n.h1_r2, n.r1_h2, n.r2_h2}) n.t.SetLinkUp(l, true);
  const Route restored = MustRoute(n.t.RouteTo(n.h1, dst));
  EXPECT_EQ(restored.path, Path({n.h1, n.r2, n.h2}));
  EXPECT_EQ(restored.latency, Ms(3));
}

// Two equal-latency paths where the fewer-hop one has the larger node ids.
TEST(TopologyTest, TieBreakPrefersFewerHops) {
  Topology t;
  const NodeId h1 = t.AddNode("h1", NodeKind::kHost);    // 0
  const NodeId h2 = t.AddNode("h2", NodeKind::kHost);    // 1
  const NodeId x = t.AddNode("x", NodeKind::kRouter);    // 2
  const NodeId y = t.AddNode("y", NodeKind::kRouter);    // 3
  const NodeId big = t.AddNode("big", NodeKind::kRouter);  // 4
  t.AddLink(h1, x, Ms(1));
  t.AddLink(x, y, Us(500));
  t.AddLink(y, h2, Us(500));
  t.AddLink(h1, big, Ms(1));
  t.AddLink(big, h2, Ms(1));
  t.AddAddress(Eth(t, h1, 0), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, h2, 0), P("10.0.9.2"), 24);
  const Route r = MustRoute(t.RouteTo(h1, P("10.0.9.2")));
  EXPECT_EQ(r.path, Path({h1, big, h2}));  // {0,4,1} has fewer hops than {0,2,3,1}
  EXPECT_EQ(r.latency, Ms(2));
}

// Equal latency and hops: the smallest node-id sequence, compared from the sender, wins.
TEST(TopologyTest, TieBreakIsLexicographicFromTheSender) {
  // Paths {0,5,2,1} and {0,3,4,1}: the second is smaller at the first difference (3 < 5) even
  // though its last router (4) is bigger than the other's (2). Links to the loser come first so
  // that insertion order cannot be what decides.
  auto build = [](Topology& t, bool reversed) {
    for (const char* name : {"h1", "h2", "x2", "x3", "x4", "x5"}) {
      t.AddNode(name, name[0] == 'h' ? NodeKind::kHost : NodeKind::kRouter);
    }
    const NodeId h1{0}, h2{1}, x2{2}, x3{3}, x4{4}, x5{5};
    std::vector<std::pair<NodeId, NodeId>> links = {{h1, x5}, {x5, x2}, {x2, h2},
                                                    {h1, x3}, {x3, x4}, {x4, h2}};
    if (reversed) std::reverse(links.begin(), links.end());
    for (const auto& [a, b] : links) t.AddLink(a, b, Ms(1));
    t.AddAddress(t.node(h1).interfaces[1], P("10.0.0.1"), 24);
    t.AddAddress(t.node(h2).interfaces[1], P("10.0.9.2"), 24);
  };
  const std::vector<NodeId> expected = {NodeId{0}, NodeId{3}, NodeId{4}, NodeId{1}};
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "links added in reverse" : "links added in order");
    Topology t;
    build(t, reversed);
    const Route first = MustRoute(t.RouteTo(NodeId{0}, P("10.0.9.2")));
    EXPECT_EQ(first.path, expected);
    EXPECT_EQ(first.latency, Ms(3));
    // Stable: asking again, and after a flap that forces a rebuild, gives the same answer.
    EXPECT_EQ(MustRoute(t.RouteTo(NodeId{0}, P("10.0.9.2"))).path, expected);
    t.SetLinkUp(LinkId{0}, false);
    t.SetLinkUp(LinkId{0}, true);
    const Route again = MustRoute(t.RouteTo(NodeId{0}, P("10.0.9.2")));
    EXPECT_EQ(again.path, expected);
    EXPECT_EQ(again.links, first.links);
  }
}

TEST(TopologyTest, ParallelLinksTieBreakOnLinkId) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  const LinkId slow = t.AddLink(a, b, Ms(5));    // a.eth0
  const LinkId first = t.AddLink(a, b, Ms(1));   // a.eth1
  const LinkId second = t.AddLink(a, b, Ms(1));  // a.eth2
  t.AddAddress(Eth(t, a, 0), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, a, 1), P("10.0.1.1"), 24);
  t.AddAddress(Eth(t, a, 2), P("10.0.2.1"), 24);
  t.AddAddress(Eth(t, b, 0), P("10.0.0.2"), 24);
  Route r = MustRoute(t.RouteTo(a, P("10.0.0.2")));
  EXPECT_EQ(r.links, std::vector<LinkId>{first});
  EXPECT_EQ(r.egress, Eth(t, a, 1));
  EXPECT_EQ(r.source, P("10.0.1.1"));
  t.SetLinkUp(first, false);
  r = MustRoute(t.RouteTo(a, P("10.0.0.2")));
  EXPECT_EQ(r.links, std::vector<LinkId>{second});
  EXPECT_EQ(r.source, P("10.0.2.1"));
  t.SetLinkUp(second, false);
  r = MustRoute(t.RouteTo(a, P("10.0.0.2")));
  EXPECT_EQ(r.links, std::vector<LinkId>{slow});
  EXPECT_EQ(r.latency, Ms(5));
}

TEST(TopologyTest, SourceFallsBackAcrossInterfaces) {
  Topology t;
  const NodeId h = t.AddNode("h", NodeKind::kHost);
  const NodeId r = t.AddNode("r", NodeKind::kRouter);
  const NodeId s = t.AddNode("s", NodeKind::kHost);
  t.AddLink(h, r, Ms(1));  // h.eth0: unnumbered for IPv4, link-local only for IPv6
  t.AddLink(h, s, Ms(9));  // h.eth1: the addresses
  t.AddLink(r, s, Ms(1));
  t.AddAddress(Eth(t, h, 0), P("fe80::1"), 64);
  t.AddAddress(Eth(t, h, 1), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, s, 1), P("10.0.5.5"), 24);
  t.AddAddress(Eth(t, s, 1), P("2001:db8::5"), 64);
  const Route v4 = MustRoute(t.RouteTo(h, P("10.0.5.5")));
  EXPECT_EQ(v4.egress, Eth(t, h, 0));
  EXPECT_EQ(v4.source, P("10.0.0.1"));  // the egress has no IPv4 address; eth1's is used
  const Route v6 = MustRoute(t.RouteTo(h, P("2001:db8::5")));
  EXPECT_EQ(v6.egress, Eth(t, h, 0));
  EXPECT_EQ(v6.source, P("fe80::1"));  // only a link-local address of the family exists
  t.AddAddress(Eth(t, h, 1), P("2001:db8:1::1"), 64);
  EXPECT_EQ(MustRoute(t.RouteTo(h, P("2001:db8::5"))).source, P("2001:db8:1::1"));
}

TEST(TopologyTest, NoAddressOfTheFamilyIsNetworkUnreachable) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  const NodeId lonely = t.AddNode("lonely", NodeKind::kHost);
  t.AddLink(a, b, Ms(1));
  t.AddAddress(Eth(t, a, 0), P("10.0.0.1"), 24);  // a is IPv4 only
  t.AddAddress(Eth(t, b, 0), P("10.0.0.2"), 24);
  t.AddAddress(Eth(t, b, 0), P("2001:db8::2"), 64);
  t.AddAddress(t.node(lonely).interfaces[0], P("192.0.2.9"), 32);  // on lo only
  EXPECT_EQ(t.RouteTo(a, P("2001:db8::2")).error, RouteError::kNetworkUnreachable);
  EXPECT_FALSE(t.RouteTo(a, P("2001:db8::2")).route.has_value());
  EXPECT_TRUE(t.RouteTo(a, P("10.0.0.2")).route.has_value());
  // No link at all: loopback addresses do not count.
  EXPECT_EQ(t.RouteTo(lonely, P("10.0.0.2")).error, RouteError::kNetworkUnreachable);
  EXPECT_EQ(t.RouteTo(b, P("192.0.2.9")).error, RouteError::kHostUnreachable);  // owned, no path
}

TEST(TopologyTest, UnknownDestinationOnLinkIsHostUnreachableOffLinkIsNetworkUnreachable) {
  TwoPaths n;
  n.t.AddAddress(Eth(n.t, n.h1, 0), P("2001:db8:1::1"), 64);
  struct Case {
    const char* dst;
    RouteError error;
  };
  const std::vector<Case> cases = {
      {"10.0.1.99", RouteError::kHostUnreachable},      // in h1's 10.0.1.0/24
      {"10.0.2.200", RouteError::kHostUnreachable},     // in h1's 10.0.2.0/24
      {"10.0.3.99", RouteError::kNetworkUnreachable},   // h2's network, not one of h1's
      {"192.0.2.1", RouteError::kNetworkUnreachable},
      {"2001:db8:1::99", RouteError::kHostUnreachable},
      {"2001:db8:2::1", RouteError::kNetworkUnreachable},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.dst);
    const RouteResult r = n.t.RouteTo(n.h1, P(c.dst));
    EXPECT_FALSE(r.route.has_value());
    EXPECT_EQ(r.error, c.error);
  }
}

TEST(TopologyTest, LinkLocalNeedsAScope) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  const NodeId c = t.AddNode("c", NodeKind::kHost);
  const LinkId ab = t.AddLink(a, b, Ms(1));  // a.eth0 (index 2)
  t.AddLink(a, c, Ms(2));                    // a.eth1 (index 3)
  t.AddAddress(Eth(t, a, 0), P("2001:db8::1"), 64);
  t.AddAddress(Eth(t, a, 0), P("fe80::1"), 64);
  t.AddAddress(Eth(t, b, 0), P("fe80::2"), 64);
  t.AddAddress(Eth(t, c, 0), P("fe80::3"), 64);
  const IpAddress b_ll = P("fe80::2");

  // Without a usable scope the address means nothing.
  EXPECT_EQ(t.RouteTo(a, b_ll, 0).error, RouteError::kNetworkUnreachable);
  EXPECT_EQ(t.RouteTo(a, b_ll, 9).error, RouteError::kNetworkUnreachable);
  EXPECT_FALSE(t.RouteTo(a, b_ll).route.has_value());

  const Route r = MustRoute(t.RouteTo(a, b_ll, 2));
  EXPECT_FALSE(r.local);
  EXPECT_EQ(r.destination, b);
  EXPECT_EQ(r.egress, Eth(t, a, 0));
  EXPECT_EQ(r.source, P("fe80::1"));  // the fe80:: address, though a global one came first
  EXPECT_EQ(r.path, Path({a, b}));
  EXPECT_EQ(r.links, std::vector<LinkId>{ab});
  EXPECT_EQ(r.latency, Ms(1));

  // a.eth1 has no IPv6 address at all: nothing to send from.
  EXPECT_EQ(t.RouteTo(a, P("fe80::3"), 3).error, RouteError::kNetworkUnreachable);
  t.AddAddress(Eth(t, a, 1), P("2001:db8:3::1"), 64);

  // The wrong link, the loopback, or a neighbour that lacks the address: host unreachable.
  EXPECT_EQ(t.RouteTo(a, b_ll, 3).error, RouteError::kHostUnreachable);
  EXPECT_EQ(t.RouteTo(a, b_ll, 1).error, RouteError::kHostUnreachable);
  EXPECT_EQ(t.RouteTo(a, P("fe80::99"), 2).error, RouteError::kHostUnreachable);
  const Route to_c = MustRoute(t.RouteTo(a, P("fe80::3"), 3));
  EXPECT_EQ(to_c.destination, c);
  EXPECT_EQ(to_c.source, P("2001:db8:3::1"));  // no fe80:: there; its first IPv6 address

  t.SetLinkUp(ab, false);
  EXPECT_EQ(t.RouteTo(a, b_ll, 2).error, RouteError::kHostUnreachable);

  // One's own link-local address is local, whatever the scope.
  const Route own = MustRoute(t.RouteTo(a, P("fe80::1"), 0));
  EXPECT_TRUE(own.local);
  EXPECT_EQ(own.source, P("fe80::1"));
}

TEST(TopologyTest, ToDotGolden) {
  Topology t;
  const NodeId client = t.AddNode("client", NodeKind::kHost);
  const NodeId core = t.AddNode("core \"r1\" \\ main", NodeKind::kRouter);
  const NodeId server = t.AddNode("server", NodeKind::kHost);
  t.AddLink(client, core, Ms(1));
  const LinkId back = t.AddLink(core, server, Us(250));
  t.AddAddress(Eth(t, client, 0), P("10.0.0.1"), 24);
  t.AddAddress(Eth(t, client, 0), P("fe80::1"), 64);
  t.AddAddress(Eth(t, core, 0), P("10.0.0.254"), 24);
  t.AddAddress(Eth(t, core, 1), P("10.0.1.254"), 24);
  t.AddAddress(Eth(t, server, 0), P("10.0.1.2"), 24);
  t.AddAddress(t.node(server).interfaces[0], P("192.0.2.1"), 32);  // extra lo address is shown
  t.SetLinkUp(back, false);
  t.SetLinkFaults(back, LinkFaults{Ratio{1, 100}, Ms(2)});
  const std::string expected = R"dot(graph topology {
  n0 [label="client\neth0 10.0.0.1/24\neth0 fe80::1/64", shape=box];
  n1 [label="core \"r1\" \\ main\neth0 10.0.0.254/24\neth1 10.0.1.254/24", shape=ellipse];
  n2 [label="server\nlo 192.0.2.1/32\neth0 10.0.1.2/24", shape=box];
  n0 -- n1 [label="1ms"];
  n1 -- n2 [label="250us +2ms loss 1/100", style=dashed];
}
)dot";
  EXPECT_EQ(t.ToDot(), expected);
  EXPECT_EQ(t.ToDot(), t.ToDot());
  EXPECT_EQ(Topology().ToDot(), "graph topology {\n}\n");
}

TEST(TopologyTest, GenerationIncrementsOnEveryChange) {
  Topology t;
  std::uint64_t last = t.generation();
  auto changed = [&] {
    const bool moved = t.generation() > last;
    last = t.generation();
    return moved;
  };
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  EXPECT_TRUE(changed());
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  EXPECT_TRUE(changed());
  const LinkId l = t.AddLink(a, b, Ms(1));
  EXPECT_TRUE(changed());
  t.AddAddress(Eth(t, a, 0), P("10.0.0.1"), 24);
  EXPECT_TRUE(changed());
  t.AddAddress(Eth(t, b, 0), P("10.0.0.2"), 24);
  EXPECT_TRUE(changed());
  t.SetLinkUp(l, false);
  EXPECT_TRUE(changed());
  t.SetLinkUp(l, false);  // no change, no bump
  EXPECT_FALSE(changed());
  t.SetLinkUp(l, true);
  EXPECT_TRUE(changed());
  t.SetLinkFaults(l, LinkFaults{Ratio{1, 2}, Ms(1)});
  EXPECT_TRUE(changed());
  t.SetLinkFaults(l, LinkFaults{Ratio{1, 2}, Ms(1)});
  EXPECT_FALSE(changed());
  // Lookups are derived data and never move the generation.
  (void)t.RouteTo(a, P("10.0.0.2"));
  (void)t.ToDot();
  EXPECT_FALSE(changed());
}

TEST(TopologyTest, OwnerClashGoesToTheLowestInterfaceIdWhateverTheOrderOfAssignment) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  const NodeId c = t.AddNode("c", NodeKind::kHost);
  t.AddLink(a, b, Ms(1));
  t.AddLink(b, c, Ms(1));
  // c's interface has the highest id and gets the address first, a's (the lowest) last.
  t.AddAddress(Eth(t, c, 0), P("10.9.9.9"), 24);
  EXPECT_EQ(t.OwnerOf(P("10.9.9.9")), c);
  t.AddAddress(Eth(t, b, 1), P("10.9.9.9"), 24);
  EXPECT_EQ(t.OwnerOf(P("10.9.9.9")), b);
  t.AddAddress(Eth(t, a, 0), P("10.9.9.9"), 24);
  EXPECT_EQ(t.OwnerOf(P("10.9.9.9")), a);
  t.AddAddress(Eth(t, b, 0), P("10.9.9.9"), 24);  // lower than b's eth1, higher than a's eth0
  EXPECT_EQ(t.OwnerOf(P("10.9.9.9")), a);
  // Every node has the loopback addresses; the first node's loopback is the lowest interface.
  EXPECT_EQ(t.OwnerOf(P("127.0.0.1")), a);
  EXPECT_EQ(t.OwnerOf(P("::1")), a);
  EXPECT_FALSE(t.OwnerOf(P("127.0.0.2")).has_value());
}

TEST(TopologyTest, TwentyThousandNodeChainLooksUpEveryNameAndAddress) {
  // n0 - n1 - ... - n19999; link i joins n(i) and n(i+1) with 10.0.0.0 + 4i + {1, 2} /30.
  constexpr std::uint32_t kNodes = 20'000;
  Topology t;
  for (std::uint32_t i = 0; i < kNodes; ++i) {
    EXPECT_EQ(t.AddNode("n" + std::to_string(i), i % 2 == 0 ? NodeKind::kHost : NodeKind::kRouter),
              NodeId{i});
  }
  const auto address = [](std::uint32_t link, std::uint32_t host) {
    return IpAddress::V4FromUint(0x0a000000 + 4 * link + host);
  };
  const auto left = [&](std::uint32_t link) { return address(link, 1); };
  const auto right = [&](std::uint32_t link) { return address(link, 2); };
  for (std::uint32_t i = 0; i + 1 < kNodes; ++i) {
    const LinkId l = t.AddLink(NodeId{i}, NodeId{i + 1}, Us(1));
    t.AddAddress(t.link(l).a, left(i), 30);
    t.AddAddress(t.link(l).b, right(i), 30);
  }
  EXPECT_EQ(t.node_count(), kNodes);
  EXPECT_EQ(t.link_count(), kNodes - 1);
  for (std::uint32_t i = 0; i < kNodes; ++i) {
    ASSERT_EQ(t.FindNode("n" + std::to_string(i)), NodeId{i});
  }
  EXPECT_FALSE(t.FindNode("n20000").has_value());
  EXPECT_FALSE(t.FindNode("").has_value());
  for (std::uint32_t i = 0; i + 1 < kNodes; ++i) {
    ASSERT_EQ(t.OwnerOf(left(i)), NodeId{i});
    ASSERT_EQ(t.OwnerOf(right(i)), NodeId{i + 1});
    ASSERT_FALSE(t.OwnerOf(address(i, 3)).has_value());
  }
  EXPECT_EQ(t.OwnerOf(P("127.0.0.1")), NodeId{0});
  EXPECT_THROW(t.AddNode("n12345", NodeKind::kHost), std::invalid_argument);

  // End to end: every hop, once; the second lookup comes from the cache.
  const Route r = MustRoute(t.RouteTo(NodeId{0}, right(kNodes - 2)));
  EXPECT_EQ(r.destination, NodeId{kNodes - 1});
  ASSERT_EQ(r.path.size(), kNodes);
  EXPECT_EQ(r.path[kNodes / 2], NodeId{kNodes / 2});
  EXPECT_EQ(r.links.size(), kNodes - 1);
  EXPECT_EQ(r.latency, Us(kNodes - 1));
  EXPECT_EQ(r.source, left(0));
  EXPECT_EQ(MustRoute(t.RouteTo(NodeId{0}, right(kNodes - 2))).path, r.path);
  t.SetLinkUp(LinkId{kNodes / 2}, false);
  EXPECT_EQ(t.RouteTo(NodeId{0}, right(kNodes - 2)).error, RouteError::kHostUnreachable);
}

TEST(TopologyTest, MisuseThrows) {
  Topology t;
  const NodeId a = t.AddNode("a", NodeKind::kHost);
  const NodeId b = t.AddNode("b", NodeKind::kHost);
  const LinkId l = t.AddLink(a, b, Ms(1));
  const InterfaceId eth = Eth(t, a, 0);
  const NodeId ghost{42};

  EXPECT_THROW(t.node(ghost), std::out_of_range);
  EXPECT_THROW(t.link(LinkId{7}), std::out_of_range);
  EXPECT_THROW(t.interface(InterfaceId{99}), std::out_of_range);
  EXPECT_THROW(t.AddLink(a, ghost, Ms(1)), std::out_of_range);
  EXPECT_THROW(t.AddAddress(InterfaceId{99}, P("10.0.0.1"), 24), std::out_of_range);
  EXPECT_THROW(t.SetLinkUp(LinkId{7}, false), std::out_of_range);
  EXPECT_THROW(t.SetLinkFaults(LinkId{7}, LinkFaults{}), std::out_of_range);
  EXPECT_THROW(t.FindInterfaceByIndex(ghost, 1), std::out_of_range);
  EXPECT_THROW(t.IsLocalAddress(ghost, P("127.0.0.1")), std::out_of_range);
  EXPECT_THROW(t.RouteTo(ghost, P("127.0.0.1")), std::out_of_range);

  EXPECT_THROW(t.AddAddress(eth, P("10.0.0.1"), 33), std::invalid_argument);
  EXPECT_THROW(t.AddAddress(eth, P("2001:db8::1"), 129), std::invalid_argument);
  EXPECT_THROW(t.AddAddress(eth, P("10.0.0.1"), -1), std::invalid_argument);
  EXPECT_NO_THROW(t.AddAddress(eth, P("10.0.0.1"), 32));
  EXPECT_NO_THROW(t.AddAddress(eth, P("2001:db8::1"), 128));
  EXPECT_THROW(t.AddAddress(eth, P("10.0.0.1"), 24), std::invalid_argument);  // already there
  EXPECT_THROW(t.AddNode("a", NodeKind::kRouter), std::invalid_argument);
  EXPECT_THROW(t.AddLink(a, a, Ms(1)), std::invalid_argument);
  EXPECT_THROW(t.AddLink(a, b, Duration{-1}), std::invalid_argument);
  EXPECT_THROW(t.SetLinkFaults(l, LinkFaults{Ratio{2, 1}, {}}), std::invalid_argument);
  EXPECT_THROW(t.SetLinkFaults(l, LinkFaults{Ratio{0, 0}, {}}), std::invalid_argument);
  EXPECT_THROW(t.SetLinkFaults(l, LinkFaults{Ratio{}, Duration{-5}}), std::invalid_argument);
  // Failed calls leave the topology as it was.
  EXPECT_EQ(t.node_count(), 2u);
  EXPECT_EQ(t.link_count(), 1u);
  EXPECT_EQ(t.interface(eth).addresses.size(), 2u);
}

}  // namespace
}  // namespace socksim::sim
