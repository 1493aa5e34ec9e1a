// File: tools/graph/graph_plan.h
// The Plan both readers produce (nodes and links with every value already checked) and the
// diagnostics list they report into. Reading into a Plan first, and letting graph_loader.cc
// alone apply it, keeps DOT and GML behaving the same once parsed and leaves the Topology
// untouched by a file that has any error. Internal to tools/graph.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "sim/topology.h"
#include "tools/graph/graph_loader.h"
#include "tools/graph/graph_text.h"

namespace socksim::tools::graph {

/// Collects the diagnostics of one file.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void Add(Pos p, std::string message) {
    errors_.push_back(GraphDiagnostic{file_, p.line, p.column, std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  /// The load result: ok exactly when nothing was added.
  GraphLoadResult Result() && {
    GraphLoadResult r;
    r.ok = errors_.empty();
    r.errors = std::move(errors_);
    return r;
  }

 private:
  std::string file_;
  std::vector<GraphDiagnostic> errors_;
};

/// A node to create, in file order.
struct PlanNode {
  std::string name;
  sim::NodeKind kind = sim::NodeKind::kHost;
  Pos pos;
  std::vector<sim::InterfaceAddress> addresses;  // for the interface of the first link
  Pos addresses_pos;
};

/// A link to create between two planned nodes, in file order.
struct PlanLink {
  std::size_t a = 0;  // indexes into Plan::nodes
  std::size_t b = 0;
  Pos pos;
  sim::Duration latency;
  sim::LinkFaults faults;
  bool up = true;
  std::vector<sim::InterfaceAddress> a_addresses;
  Pos a_addresses_pos;
  std::vector<sim::InterfaceAddress> b_addresses;
  Pos b_addresses_pos;
};

/// Everything a graph file asks for.
struct Plan {
  std::vector<PlanNode> nodes;
  std::vector<PlanLink> links;
};

}  // namespace socksim::tools::graph
