// File: tools/graph/graph_loader.h
// Loads network graphs from files into a sim::Topology, so a scenario can say `graph net.dot`
// or `graph net.gml`. Two formats are read, both with hand-written parsers that report every
// problem as "file:line:col: message" (1-based; columns count bytes, a tab is one column).
//
// Common rules
//  - Durations: a decimal number, optional spaces, then a unit: ns, us, ms, s (also nsec,
//    usec, msec, sec, secs, min, mins and the spelled-out nanosecond(s), microsecond(s),
//    millisecond(s), second(s), minute(s)); units are case-insensitive. Fractions are exact
//    ("1.5ms" is 1500000 ns) and must come to a whole number of nanoseconds. Negative values
//    and values beyond int64 nanoseconds (about 292 years) are rejected. "1ms", "250us",
//    "50 ms", "2s", "10ns". This is the graph grammar of tools/text/numbers.h.
//  - Addresses: a list separated by spaces or commas, each "address[/prefix]". Without a
//    prefix the address gets /32 (IPv4) or /128 (IPv6).
//  - Node addresses (DOT `ip`, GML `ip_address`) go on the interface created by the node's
//    first link in file order; a node without any link gets them on its loopback "lo".
//  - Names must be unique in the file and must not already exist in the topology.
//  - Syntax errors stop the parse at the first one; value errors (bad latency, unknown node,
//    duplicates) are all collected. The topology is only modified when the whole file parsed
//    and validated; a failure inside the Topology itself (reported as a diagnostic, never an
//    exception) can leave a partly built graph, which callers should discard.
//
// The dialects: DOT in tools/graph/dot_reader.h, GML in tools/graph/gml_reader.h. Their
// values (latency, loss, addresses) are read by tools/graph/graph_values.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/topology.h"

namespace socksim::tools {

/// One problem found while loading a graph.
struct GraphDiagnostic {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based byte column; 0 when line is 0
  std::string message;

  /// "file:line:col: message", or "file: message" when there is no line.
  std::string ToString() const;
};

/// The outcome of a load: ok is true exactly when errors is empty.
struct GraphLoadResult {
  bool ok = false;
  std::vector<GraphDiagnostic> errors;
};

/// Loads a graph file, choosing the format by extension: .dot / .gv (DOT) or .gml (GML),
/// compared case-insensitively. Unknown extensions and unreadable files are errors.
/// A topology at its node limit throws sim::LimitReached out of every loader: that is the
/// world's limit, not a problem of the file, and the caller reports it.
GraphLoadResult LoadGraph(const std::string& path, sim::Topology& topology);

/// Parses DOT text; file_name is only used in diagnostics.
GraphLoadResult LoadDot(std::string_view text, const std::string& file_name,
                        sim::Topology& topology);

/// Parses Shadow-style GML text; file_name is only used in diagnostics.
GraphLoadResult LoadGml(std::string_view text, const std::string& file_name,
                        sim::Topology& topology);

}  // namespace socksim::tools
