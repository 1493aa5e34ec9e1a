// File: tests/tools/graph/graph_loader_test.cc
// DOT and GML graph loading into a Topology: values, naming, addresses and diagnostics.
#include "tools/graph/graph_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace socksim::tools {
namespace {

using sim::Duration;
using sim::InterfaceAddress;
using sim::IpAddress;
using sim::NodeKind;
using sim::Topology;

std::string DataPath(const std::string& name) {
  return ((std::filesystem::path(SOCKSIM_SOURCE_DIR) / "tests/tools/graph") / "data" / name).string();
}

std::string Errors(const GraphLoadResult& r) {
  std::string out;
  for (const GraphDiagnostic& d : r.errors) out += d.ToString() + "\n";
  return out;
}

const sim::Node& NodeNamed(const Topology& t, const std::string& name) {
  auto id = t.FindNode(name);
  EXPECT_TRUE(id) << name;
  return t.node(id.value_or(sim::NodeId{0}));
}

// The addresses of a node's interface by index into Node::interfaces (0 is lo), as text.
std::vector<std::string> Addresses(const Topology& t, const std::string& node, std::size_t i) {
  std::vector<std::string> out;
  const sim::Node& n = NodeNamed(t, node);
  if (i >= n.interfaces.size()) return out;
  for (const InterfaceAddress& a : t.interface(n.interfaces[i]).addresses) {
    out.push_back(a.address.ToString() + "/" + std::to_string(a.prefix_len));
  }
  return out;
}

// Loads text that must fail with exactly one error; returns it.
GraphDiagnostic OneError(const GraphLoadResult& r) {
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.errors.size(), 1u) << Errors(r);
  return r.errors.empty() ? GraphDiagnostic{} : r.errors.front();
}

TEST(GraphLoaderDot, LoadsThreeNodeFile) {
  Topology t;
  GraphLoadResult r = LoadGraph(DataPath("three_nodes.dot"), t);
  ASSERT_TRUE(r.ok) << Errors(r);
  ASSERT_EQ(t.node_count(), 3u);
  EXPECT_EQ(t.node(sim::NodeId{0}).name, "client");
  EXPECT_EQ(t.node(sim::NodeId{1}).name, "r1");
  EXPECT_EQ(t.node(sim::NodeId{2}).name, "server");
  EXPECT_EQ(t.node(sim::NodeId{0}).kind, NodeKind::kHost);
  EXPECT_EQ(t.node(sim::NodeId{1}).kind, NodeKind::kRouter);
  EXPECT_EQ(t.node(sim::NodeId{2}).kind, NodeKind::kHost);

  ASSERT_EQ(t.link_count(), 2u);
  const sim::Link& access = t.link(sim::LinkId{0});
  EXPECT_EQ(access.latency, Duration::Milliseconds(1));
  EXPECT_EQ(access.faults.loss.num, 1u);
  EXPECT_EQ(access.faults.loss.den, 100u);
  EXPECT_EQ(t.interface(access.a).node, sim::NodeId{0});
  EXPECT_EQ(t.interface(access.b).node, sim::NodeId{1});
  const sim::Link& core = t.link(sim::LinkId{1});
  EXPECT_EQ(core.latency, Duration::Microseconds(250));
  EXPECT_EQ(core.faults.loss.num, 0u);

  // Edge addresses first, then the node's own `ip` on the interface of its first edge.
  EXPECT_EQ(Addresses(t, "client", 1),
            (std::vector<std::string>{"10.0.1.1/24", "10.0.1.2/24", "fd00:1::2/64"}));
  EXPECT_TRUE(Addresses(t, "r1", 1).empty());
  EXPECT_EQ(Addresses(t, "r1", 2), (std::vector<std::string>{"10.0.2.1/24"}));
  EXPECT_EQ(Addresses(t, "server", 1), (std::vector<std::string>{"fd00:2::2/64", "10.0.2.2/24"}));

  // The loaded graph routes end to end.
  sim::RouteResult route = t.RouteTo(sim::NodeId{0}, *IpAddress::Parse("10.0.2.2"));
  ASSERT_TRUE(route.route);
  EXPECT_EQ(route.route->latency, Duration::Microseconds(1250));
}

TEST(GraphLoaderDot, RoundTripThroughToDot) {
  Topology t;
  GraphLoadResult r = LoadGraph(DataPath("three_nodes.dot"), t);
  ASSERT_TRUE(r.ok) << Errors(r);
  std::string dot = t.ToDot();
  EXPECT_NE(dot.find("n0 -- n1 [label=\"1ms loss 1/100\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("n1 -- n2 [label=\"250us\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("eth0 10.0.2.2/24"), std::string::npos) << dot;
}

TEST(GraphLoaderDot, DurationsAndLossForms) {
  Topology t;
  GraphLoadResult r = LoadDot(R"(graph g {
    a; b; c; d; e;
    a -- b [latency="50 ms", loss="0.25"];
    b -- c [latency=2s, loss="5%"];
    c -- d [latency="10ns", loss="0.0000015"];
    d -- e [latency="1.5ms", delay="3us", up=false];
  })",
                              "inline.dot", t);
  ASSERT_TRUE(r.ok) << Errors(r);
  ASSERT_EQ(t.link_count(), 4u);
  EXPECT_EQ(t.link(sim::LinkId{0}).latency, Duration::Milliseconds(50));
  EXPECT_EQ(t.link(sim::LinkId{0}).faults.loss.num, 250000u);
  EXPECT_EQ(t.link(sim::LinkId{0}).faults.loss.den, 1000000u);
  EXPECT_EQ(t.link(sim::LinkId{1}).latency, Duration::Seconds(2));
  EXPECT_EQ(t.link(sim::LinkId{1}).faults.loss.num, 50000u);
  EXPECT_EQ(t.link(sim::LinkId{2}).latency, Duration::Nanoseconds(10));
  EXPECT_EQ(t.link(sim::LinkId{2}).faults.loss.num, 2u);  // 1.5 millionths, rounded half up
  EXPECT_EQ(t.link(sim::LinkId{3}).latency, Duration::Microseconds(1500));
  EXPECT_EQ(t.link(sim::LinkId{3}).faults.extra_delay, Duration::Microseconds(3));
  EXPECT_FALSE(t.link(sim::LinkId{3}).up);
  EXPECT_TRUE(t.link(sim::LinkId{0}).up);
}

TEST(GraphLoaderDot, LossRatioTermsFitUint64) {
  // loss="N/D" is read by numbers::ParseRatio, as the fault directive's chance= is: each term
  // may be as large as 2^64-1, and one past it is an error rather than a wrapped value.
  Topology t;
  GraphLoadResult r = LoadDot(
      "graph g { a; b; a -- b [latency=1ms, "
      "loss=\"18446744073709551614/18446744073709551615\"]; }",
      "ratio.dot", t);
  ASSERT_TRUE(r.ok) << Errors(r);
  EXPECT_EQ(t.link(sim::LinkId{0}).faults.loss.num, 18446744073709551614u);
  EXPECT_EQ(t.link(sim::LinkId{0}).faults.loss.den, 18446744073709551615u);

  Topology t2;
  GraphDiagnostic d = OneError(
      LoadDot("graph g { a; b; a -- b [latency=1ms, loss=\"1/18446744073709551616\"]; }",
              "ratio.dot", t2));
  EXPECT_EQ(d.ToString(),
            "ratio.dot:1:43: bad loss \"1/18446744073709551616\": expected N/D with "
            "non-negative integers");
}

TEST(GraphLoaderDot, DigraphChainsAndDrawingAttributes) {
  Topology t;
  GraphLoadResult r = LoadDot(
      "strict digraph \"net\" {\n"
      "  rankdir = LR;\n"
      "  graph [label=\"ignored\"];\n"
      "  \"host \" + \"one\" [label=\"drawn\", shape=box]\n"
      "  r [kind=router] b\n"
      "  \"host one\" -> r -> b [latency=\"1us\", color=red]\n"
      "  lonely [ip=\"192.0.2.9\"]\n"
      "}\n",
      "chain.dot", t);
  ASSERT_TRUE(r.ok) << Errors(r);
  ASSERT_EQ(t.node_count(), 4u);
  EXPECT_EQ(t.node(sim::NodeId{0}).name, "host one");
  ASSERT_EQ(t.link_count(), 2u);
  EXPECT_EQ(t.link(sim::LinkId{1}).latency, Duration::Microseconds(1));
  // A node without links keeps its `ip` on the loopback, with a full-length prefix.
  EXPECT_EQ(Addresses(t, "lonely", 0),
            (std::vector<std::string>{"127.0.0.1/8", "::1/128", "192.0.2.9/32"}));
}

TEST(GraphLoaderDot, MissingBracketReportsExactPosition) {
  Topology t;
  GraphDiagnostic d = OneError(LoadDot("graph g {\n  a [kind=router\n}\n", "bad.dot", t));
  EXPECT_EQ(d.ToString(),
            "bad.dot:3:1: expected an attribute name or ']' to close the attribute list opened "
            "at 2:5, found '}'");
  EXPECT_EQ(t.node_count(), 0u);
}

TEST(GraphLoaderDot, BadLatencyQuotesTheText) {
  Topology t;
  GraphDiagnostic d = OneError(
      LoadDot("graph g {\n  a; b;\n  a -- b [latency=\"10 parsecs\"];\n}\n", "bad.dot", t));
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.column, 19);
  EXPECT_EQ(d.message,
            "bad latency \"10 parsecs\": unknown unit \"parsecs\" (use ns, us, ms or s)");
  EXPECT_EQ(t.node_count(), 0u);  // nothing is built from a file with errors
}

TEST(GraphLoaderDot, UnknownNodeInEdge) {
  Topology t;
  GraphDiagnostic d =
      OneError(LoadDot("graph g {\n  a;\n  a -- ghost [latency=1ms];\n}\n", "bad.dot", t));
  EXPECT_EQ(d.ToString(),
            "bad.dot:3:8: edge refers to undeclared node \"ghost\" (declare it with a node "
            "statement, e.g. \"ghost\";)");
}

TEST(GraphLoaderDot, DuplicateNode) {
  Topology t;
  GraphDiagnostic d = OneError(LoadDot("graph g {\n  a;\n  b; a [kind=router];\n}\n", "bad.dot", t));
  EXPECT_EQ(d.ToString(), "bad.dot:3:6: duplicate node \"a\" (first declared at 2:3)");
}

TEST(GraphLoaderDot, NameAlreadyInTopology) {
  Topology t;
  t.AddNode("a", NodeKind::kHost);
  GraphDiagnostic d = OneError(LoadDot("graph g { a }", "x.dot", t));
  EXPECT_EQ(d.ToString(), "x.dot:1:11: node \"a\" already exists in the topology");
  EXPECT_EQ(t.node_count(), 1u);
}

TEST(GraphLoaderDot, TopologyErrorsBecomeDiagnostics) {
  // The node `ip` and the edge's tail_ip put the same address on one interface: the Topology
  // throws, the loader reports it at the node's `ip` value.
  Topology t;
  GraphLoadResult r = LoadDot(
      "graph g {\n a [ip=\"10.0.0.1/24\"]; b;\n a -- b [latency=1ms, tail_ip=\"10.0.0.1/24\"];\n}",
      "clash.dot", t);
  GraphDiagnostic d = OneError(r);
  EXPECT_EQ(d.line, 2);
  EXPECT_EQ(d.column, 8);
  EXPECT_NE(d.message.find("cannot assign 10.0.0.1/24"), std::string::npos) << d.message;
}

TEST(GraphLoaderDot, SyntaxAndValueErrors) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"graph g { node [shape=box]; }",
       "e.dot:1:11: default attribute statements (node [...]) are not supported; put the "
       "attributes on each node"},
      {"graph g { a; b; a -> b [latency=1ms]; }",
       "e.dot:1:19: '->' is only allowed in a digraph; use '--' in a graph"},
      {"graph g { a [ip=10.0.0.1/24] }",
       "e.dot:1:17: \"10.0.0.1\" is not a valid unquoted ID (letters, digits and '_', or a "
       "number); put it in quotes"},
      {"graph g { a [ip=\"10.0.0.300\"] }",
       "e.dot:1:17: bad ip \"10.0.0.300\": not an IP address: \"10.0.0.300\""},
      {"graph g { a [colour=red] }",
       "e.dot:1:14: unknown node attribute \"colour\" (known: kind, ip)"},
      {"graph g { a; b; a -- b; }", "e.dot:1:19: edge \"a\" -- \"b\" has no latency attribute"},
      {"graph g { a; a -- a [latency=1ms]; }",
       "e.dot:1:19: self-loop \"a\" -- \"a\": a link joins two distinct nodes"},
      {"graph g { a; b; a -- b [latency=1ms, loss=\"3/2\"]; }",
       "e.dot:1:43: bad loss \"3/2\": a probability cannot exceed 1"},
      {"graph g { a; b; a -- b [latency=\"-1ms\"]; }",
       "e.dot:1:33: bad latency \"-1ms\": a duration cannot be negative"},
      {"graph g { a; b; a -- b [latency=\"1\"]; }",
       "e.dot:1:33: bad latency \"1\": missing unit (use ns, us, ms or s)"},
      {"graph g { a; b; a -- b [latency=\"0.1ns\"]; }",
       "e.dot:1:33: bad latency \"0.1ns\": more precision than one nanosecond"},
      {"graph g { a /* open", "e.dot:1:13: unterminated comment \"/*\""},
      {"graph g { a; } graph h { }",
       "e.dot:1:16: unexpected \"graph\" after the graph's closing '}' (one graph per file)"},
      {"graph g { a;", "e.dot:1:13: expected '}' to close the graph body opened at 1:9, found end of file"},
      {"", "e.dot:1:1: expected 'graph' or 'digraph', found end of file"},
      {"graph g { a:p }", "e.dot:1:12: ports (\"a\":port) are not supported"},
  };
  for (const Case& c : cases) {
    Topology t;
    GraphLoadResult r = LoadDot(c.text, "e.dot", t);
    ASSERT_FALSE(r.ok) << c.text;
    EXPECT_EQ(r.errors.front().ToString(), c.expected) << c.text;
    EXPECT_EQ(t.node_count(), 0u) << c.text;
  }
}

TEST(GraphLoaderGml, LoadsShadowGraph) {
  Topology t;
  GraphLoadResult r = LoadGraph(DataPath("shadow_two_nodes.gml"), t);
  ASSERT_TRUE(r.ok) << Errors(r);
  ASSERT_EQ(t.node_count(), 2u);
  EXPECT_EQ(t.node(sim::NodeId{0}).name, "alpha");
  EXPECT_EQ(t.node(sim::NodeId{1}).name, "node1");  // no label: node<ID>
  EXPECT_EQ(t.node(sim::NodeId{0}).kind, NodeKind::kHost);
  ASSERT_EQ(t.link_count(), 1u);  // the self-loop is skipped
  const sim::Link& l = t.link(sim::LinkId{0});
  EXPECT_EQ(l.latency, Duration::Milliseconds(10));
  EXPECT_EQ(l.faults.loss.num, 10000u);
  EXPECT_EQ(l.faults.loss.den, 1000000u);
  EXPECT_NE(t.ToDot().find("n0 -- n1 [label=\"10ms loss 10000/1000000\"]"), std::string::npos)
      << t.ToDot();
}

TEST(GraphLoaderGml, ShadowDocumentationExamplesLoad) {
  // The single-node graph of Shadow's configuration example, and the older specification's
  // example with ip_address (assigned to the loopback since the node has no link).
  Topology t;
  GraphLoadResult r = LoadGml(R"(graph [
  node [
    id 0
    host_bandwidth_down "140 Mbit"
    host_bandwidth_up "18 Mbit"
  ]
  edge [
    source 0
    target 0
    latency "50 ms"
    packet_loss 0.01
  ]
]
)",
                              "a.gml", t);
  ASSERT_TRUE(r.ok) << Errors(r);
  EXPECT_EQ(t.node_count(), 1u);
  EXPECT_EQ(t.link_count(), 0u);

  Topology t2;
  r = LoadGml(R"(graph [
  directed 0
  node [
    id 0
    label "node at 1.2.3.4"
    country_code "US"
    city_code "Portland"
    ip_address "1.2.3.4"
    bandwidth_down "100 Mbit"
    bandwidth_up "100 Mbit"
  ]
  edge [
    source 0
    target 0
    label "path from 1.2.3.4 to 1.2.3.4"
    latency "10 ms"
    jitter "0 ms"
    packet_loss 0.0
  ]
]
)",
              "b.gml", t2);
  ASSERT_TRUE(r.ok) << Errors(r);
  EXPECT_EQ(t2.node(sim::NodeId{0}).name, "node at 1.2.3.4");
  EXPECT_TRUE(t2.IsLocalAddress(sim::NodeId{0}, *IpAddress::Parse("1.2.3.4")));
}

TEST(GraphLoaderGml, AddressesKindsAndDirectedEdges) {
  Topology t;
  GraphLoadResult r = LoadGml(R"(# a comment
Creator "hand"
graph [
  directed 1
  graphics [ x 1.5 y -2 ]
  node [ id 7 ip_address "10.0.0.7" kind "router" ]
  node [ id 3 ip_address "fd00::3/64, 10.0.0.3/24" ]
  edge [ source 7 target 3 latency "2 ms" packet_loss 1e-3 ]
  edge [ source 3 target 7 latency "0.002" packet_loss 0.001 ]
  edge [ source 3 target 3 latency "1 ms" ]
]
)",
                              "d.gml", t);
  ASSERT_TRUE(r.ok) << Errors(r);
  ASSERT_EQ(t.node_count(), 2u);
  EXPECT_EQ(t.node(sim::NodeId{0}).name, "node7");
  EXPECT_EQ(t.node(sim::NodeId{0}).kind, NodeKind::kRouter);
  ASSERT_EQ(t.link_count(), 1u);  // the reverse edge of a directed graph adds no link
  EXPECT_EQ(t.link(sim::LinkId{0}).latency, Duration::Milliseconds(2));
  EXPECT_EQ(t.link(sim::LinkId{0}).faults.loss.num, 1000u);
  EXPECT_EQ(Addresses(t, "node7", 1), (std::vector<std::string>{"10.0.0.7/32"}));
  EXPECT_EQ(Addresses(t, "node3", 1), (std::vector<std::string>{"fd00::3/64", "10.0.0.3/24"}));
}

TEST(GraphLoaderGml, Errors) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"graph [\n  node [\n    id 0\n", "e.gml:4:1: expected ']' to close \"node\" opened at 2:8, found end of file"},
      {"graph [\n  node [ id 0 ]\n  edge [ source 0 target 4 latency \"1 ms\" ]\n]\n",
       "e.gml:3:26: edge target 4 is not a node id"},
      {"graph [\n  node [ id 0 ]\n  node [ id 0 ]\n]\n",
       "e.gml:3:13: duplicate node id 0 (first at 2:13)"},
      {"graph [\n  node [ id 0 label \"x\" ]\n  node [ id 1 label \"x\" ]\n]\n",
       "e.gml:3:21: duplicate node name \"x\" (first at 2:21)"},
      {"graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 latency \"10 parsecs\" ]\n]",
       "e.gml:4:35: bad latency \"10 parsecs\": unknown unit \"parsecs\" (use ns, us, ms or s)"},
      {"graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 latency 10 ]\n]",
       "e.gml:4:35: latency must be a string such as \"10 ms\", found 10"},
      {"graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 latency \"1 ms\" packet_loss 1.5 ]\n]",
       "e.gml:4:54: bad packet_loss 1.5: a probability cannot exceed 1"},
      {"graph [\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 latency \"1 ms\" ]\n"
       " edge [ target 0 source 1 latency \"1 ms\" ]\n]",
       "e.gml:5:2: duplicate edge between nodes 1 and 0 (first at 4:2)"},
      {"graph [\n directed 1\n node [ id 0 ]\n node [ id 1 ]\n edge [ source 0 target 1 latency \"1 ms\" ]\n"
       " edge [ source 1 target 0 latency \"2 ms\" ]\n]",
       "e.gml:6:2: edge 1 -> 0 differs in latency or packet_loss from the reverse edge at 5:2; "
       "socksim links are symmetric"},
      {"graph [\n node [ id 0 id 1 ]\n]", "e.gml:2:14: duplicate key \"id\" in node (first at 2:9)"},
      {"graph [\n node [ id 0 ]\n 5 ]", "e.gml:3:2: expected a key, found \"5\" (or ']' to close \"graph\" opened at 1:7)"},
      {"graph [ directed 2 ]", "e.gml:1:18: directed must be 0 or 1, found 2"},
      {"graph [ node [ id 1.2.3 ] ]", "e.gml:1:19: malformed number \"1.2.3\""},
      {"graph [ node [ label \"open ] ]", "e.gml:1:22: unterminated string"},
      {"Version 1", "e.gml:1:1: no \"graph [ ... ]\" found"},
      {"graph [ ] ]", "e.gml:1:11: unexpected ']' with no list open"},
  };
  for (const Case& c : cases) {
    Topology t;
    GraphLoadResult r = LoadGml(c.text, "e.gml", t);
    ASSERT_FALSE(r.ok) << c.text;
    EXPECT_EQ(r.errors.front().ToString(), c.expected) << c.text;
    EXPECT_EQ(t.node_count(), 0u) << c.text;
  }
}

TEST(GraphLoader, FileLevelErrors) {
  Topology t;
  GraphDiagnostic d = OneError(LoadGraph(DataPath("three_nodes.txt"), t));
  EXPECT_EQ(d.line, 0);
  EXPECT_NE(d.ToString().find("three_nodes.txt: unknown graph file extension \".txt\""),
            std::string::npos)
      << d.ToString();
  d = OneError(LoadGraph(DataPath("missing.gml"), t));
  EXPECT_NE(d.ToString().find("missing.gml: no such file"), std::string::npos) << d.ToString();
  d = OneError(LoadGraph(DataPath("MISSING.GV"), t));
  EXPECT_NE(d.message.find("no such file"), std::string::npos);
}

TEST(GraphLoader, NeverThrowsOnTruncatedInput) {
  // Every prefix of valid files either loads or yields diagnostics; none throws or crashes.
  const std::string dot =
      "graph g { a [kind=router, ip=\"10.0.0.1/24\"]; b; a -- b [latency=\"1 ms\", "
      "loss=\"1/2\"]; /* c */ }";
  const std::string gml =
      "graph [ node [ id 0 label \"a\" ] node [ id 1 ] edge [ source 0 target 1 latency "
      "\"1 ms\" packet_loss 0.5 ] ]";
  for (std::size_t n = 0; n <= dot.size(); ++n) {
    Topology t;
    GraphLoadResult r = LoadDot(std::string_view(dot).substr(0, n), "p.dot", t);
    EXPECT_EQ(r.ok, r.errors.empty());
    EXPECT_EQ(r.ok, n == dot.size()) << n << ": " << Errors(r);
  }
  for (std::size_t n = 0; n <= gml.size(); ++n) {
    Topology t;
    GraphLoadResult r = LoadGml(std::string_view(gml).substr(0, n), "p.gml", t);
    EXPECT_EQ(r.ok, r.errors.empty());
  }
}

}  // namespace
}  // namespace socksim::tools
