// File: tools/graph/graph_loader.cc
// The public entry of graph loading: picks the reader by extension, and applies the Plan a
// reader produced to the Topology only when the whole file read and validated cleanly, so the
// two formats behave the same once parsed.
#include "tools/graph/graph_loader.h"

#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>

#include "sim/limits.h"
#include "tools/graph/dot_reader.h"
#include "tools/graph/gml_reader.h"
#include "tools/graph/graph_plan.h"

namespace socksim::tools {

std::string GraphDiagnostic::ToString() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

using graph::Diagnostics;
using graph::Lower;
using graph::Plan;
using graph::PlanLink;
using graph::PlanNode;
using graph::Pos;
using graph::Quote;
using sim::InterfaceAddress;

// Checks names against the topology; the parsers already rejected duplicates in the file.
void CheckNamesFree(const Plan& plan, const sim::Topology& topology, Diagnostics& diags) {
  for (const PlanNode& n : plan.nodes) {
    if (topology.FindNode(n.name)) {
      diags.Add(n.pos, "node " + Quote(n.name) + " already exists in the topology");
    }
  }
}

void Build(const Plan& plan, sim::Topology& topology, Diagnostics& diags) {
  const auto guarded = [&](Pos pos, const std::string& what, const auto& action) -> bool {
    try {
      action();
      return true;
    } catch (const sim::LimitReached&) {
      throw;  // the world's limit, not the file's mistake: the caller reports it
    } catch (const std::exception& e) {
      diags.Add(pos, what + ": " + e.what());
    } catch (...) {
      diags.Add(pos, what + ": unknown error");
    }
    return false;
  };
  std::vector<std::optional<sim::NodeId>> ids(plan.nodes.size());
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const PlanNode& n = plan.nodes[i];
    guarded(n.pos, "cannot add node " + Quote(n.name),
            [&] { ids[i] = topology.AddNode(n.name, n.kind); });
  }
  // The interface each node's first link created.
  std::vector<std::optional<sim::InterfaceId>> first_iface(plan.nodes.size());
  const auto add_addresses = [&](sim::InterfaceId iface, const std::vector<InterfaceAddress>& list,
                                 Pos pos) {
    for (const InterfaceAddress& a : list) {
      guarded(pos, "cannot assign " + a.address.ToString() + "/" + std::to_string(a.prefix_len),
              [&] { topology.AddAddress(iface, a.address, a.prefix_len); });
    }
  };
  for (const PlanLink& l : plan.links) {
    if (!ids[l.a] || !ids[l.b]) continue;
    std::optional<sim::LinkId> link;
    const std::string what =
        "cannot link " + Quote(plan.nodes[l.a].name) + " and " + Quote(plan.nodes[l.b].name);
    if (!guarded(l.pos, what, [&] { link = topology.AddLink(*ids[l.a], *ids[l.b], l.latency); })) {
      continue;
    }
    guarded(l.pos, what, [&] {
      if (l.faults.loss.num != 0 || l.faults.extra_delay.ns != 0) {
        topology.SetLinkFaults(*link, l.faults);
      }
      if (!l.up) topology.SetLinkUp(*link, false);
    });
    const sim::Link& created = topology.link(*link);
    if (!first_iface[l.a]) first_iface[l.a] = created.a;
    if (!first_iface[l.b]) first_iface[l.b] = created.b;
    add_addresses(created.a, l.a_addresses, l.a_addresses_pos);
    add_addresses(created.b, l.b_addresses, l.b_addresses_pos);
  }
  for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
    const PlanNode& n = plan.nodes[i];
    if (n.addresses.empty() || !ids[i]) continue;
    sim::InterfaceId iface;
    if (first_iface[i]) {
      iface = *first_iface[i];
    } else {
      iface = topology.node(*ids[i]).interfaces.front();  // the loopback
    }
    add_addresses(iface, n.addresses, n.addresses_pos);
  }
}

GraphLoadResult Finish(const Plan& plan, sim::Topology& topology, Diagnostics diags) {
  if (diags.empty()) CheckNamesFree(plan, topology, diags);
  if (diags.empty()) Build(plan, topology, diags);
  return std::move(diags).Result();
}

// Reads with `read` (ReadDot or ReadGml) and builds; anything thrown below is a bug or an
// allocation failure, reported as a diagnostic rather than escaping to the caller.
GraphLoadResult Load(std::string_view text, const std::string& file_name, sim::Topology& topology,
                     std::optional<Plan> (*read)(std::string_view, Diagnostics&)) {
  Diagnostics diags(file_name);
  try {
    std::optional<Plan> plan = read(text, diags);
    if (!plan) return std::move(diags).Result();
    return Finish(*plan, topology, std::move(diags));
  } catch (const sim::LimitReached&) {
    throw;
  } catch (const std::exception& e) {
    diags.Add(Pos{}, std::string("internal error: ") + e.what());
  }
  return std::move(diags).Result();
}

GraphLoadResult FileError(const std::string& path, std::string message) {
  GraphLoadResult r;
  r.ok = false;
  r.errors.push_back(GraphDiagnostic{path, 0, 0, std::move(message)});
  return r;
}

}  // namespace

GraphLoadResult LoadDot(std::string_view text, const std::string& file_name,
                        sim::Topology& topology) {
  return Load(text, file_name, topology, &graph::ReadDot);
}

GraphLoadResult LoadGml(std::string_view text, const std::string& file_name,
                        sim::Topology& topology) {
  return Load(text, file_name, topology, &graph::ReadGml);
}

GraphLoadResult LoadGraph(const std::string& path, sim::Topology& topology) {
  try {
    std::string ext = Lower(std::filesystem::path(path).extension().string());
    bool dot = ext == ".dot" || ext == ".gv";
    bool gml = ext == ".gml";
    if (!dot && !gml) {
      return FileError(
          path, "unknown graph file extension " + Quote(ext) + " (expected .dot, .gv or .gml)");
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return FileError(path, "no such file");
    if (std::filesystem::is_directory(path, ec)) return FileError(path, "is a directory");
    if (!std::filesystem::is_regular_file(path, ec)) {
      return FileError(path, "not a regular file (a FIFO or device is not read)");
    }
    if (std::filesystem::file_size(path, ec) > (std::uintmax_t{256} << 20)) {
      return FileError(path, "the file is over the limit of 268435456 bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return FileError(path, "cannot open the file for reading");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return FileError(path, "error while reading the file");
    std::string text = buffer.str();
    return dot ? LoadDot(text, path, topology) : LoadGml(text, path, topology);
  } catch (const sim::LimitReached&) {
    throw;
  } catch (const std::exception& e) {
    return FileError(path, std::string("cannot load: ") + e.what());
  }
}

}  // namespace socksim::tools
