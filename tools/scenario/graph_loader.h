// File: tools/scenario/graph_loader.h
// Loads network graphs from files into a sim::Topology, so a scenario can say `graph net.dot`
// or `graph net.gml`. Two formats are read, both with hand-written parsers that report every
// problem as "file:line:col: message" (1-based; columns count bytes, a tab is one column).
//
// Common rules
//  - Durations: a decimal number, optional spaces, then a unit: ns, us, ms, s (also nsec,
//    usec, msec, sec, secs, min, mins and the spelled-out nanosecond(s), microsecond(s),
//    millisecond(s), second(s), minute(s)); units are case-insensitive. Fractions are exact
//    ("1.5ms" is 1500000 ns) and must come to a whole number of nanoseconds. Negative values
//    are rejected. "1ms", "250us", "50 ms", "2s", "10ns".
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
// DOT (our dialect of Graphviz)
//  - `[strict] graph NAME { ... }` or `digraph`; one graph per file. Keywords are
//    case-insensitive. Comments: `// ...`, `/* ... */` and lines whose first non-blank
//    character is `#`. IDs are unquoted (letters, digits and '_', so 1ms is one ID
//    unlike in Graphviz; or a numeral such as -1.5) or quoted ("..." with \" for a quote;
//    "a" + "b" concatenates). Other text, such as 10.0.0.1 or 1.5ms, must be quoted. HTML strings, ports, subgraphs and `node [...]` / `edge [...]` default
//    statements are rejected with an error. `graph [...]` and `ID = ID` graph attributes are
//    accepted and ignored.
//  - Node statement: `a [kind=router, ip="10.0.0.1/24 fd00::1/64"];`. Every node must be
//    declared by exactly one node statement (a second one is a "duplicate node" error);
//    nodes are created in declaration order. kind is host (default) or router.
//  - Edge statement: `a -- b [latency="1ms", loss="1/100"];` (`->` in a digraph; links are
//    always bidirectional). Chains `a -- b -- c` create one link per hop with the same
//    attributes. Edges may name only declared nodes (declared anywhere in the file) and are
//    created in file order. Attributes: latency (required), loss ("N/D", a decimal 0..1 or a
//    percentage "1%"; decimals become N/1000000 rounded half up), delay (extra fault delay),
//    up (true/false), tail_ip / head_ip (addresses for the interface this edge creates on
//    its left / right node; not allowed on chains). Self-loops are an error.
//  - Attribute lists `[k=v, k=v; k=v]` (separators optional). Unknown attributes are errors,
//    except Graphviz drawing attributes (label, shape, color, style, ...), which are ignored,
//    so Topology::ToDot output is accepted syntactically.
//
// GML (the Shadow simulator's network graph format)
//  - `graph [ directed 0|1 node [ id N ... ] edge [ source N target M ... ] ]`; keys are
//    [A-Za-z_][A-Za-z0-9_]*, values are integers, reals, strings ("..." with \" and \\) or
//    nested lists; `#` starts a comment to the end of the line. Keys outside `graph` and
//    unmodelled keys (host_bandwidth_*, bandwidth_*, jitter, country_code, ...) are ignored
//    whatever their value. A key repeated inside one node or edge is an error.
//  - Node: `id` (integer, required, unique). Name = `label` if present, else "node<ID>".
//    `ip_address` (string, prefix optional) as described above; `kind` "host"/"router" is a
//    socksim extension (default host).
//  - Edge: `source`, `target` (required node ids), `latency` (required string; a bare number
//    means seconds, as in Shadow), `packet_loss` (number 0..1, default 0, exact decimal to
//    N/1000000, rounded half up). Self-loops (source == target, Shadow's intra-node latency)
//    are validated and then skipped. In a directed graph the reverse edge v->u of an earlier
//    u->v must have the same latency and loss and adds no second link (socksim links are
//    symmetric); any other repeated pair is a duplicate-edge error.
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
GraphLoadResult LoadGraph(const std::string& path, sim::Topology& topology);

/// Parses DOT text; file_name is only used in diagnostics.
GraphLoadResult LoadDot(std::string_view text, const std::string& file_name,
                        sim::Topology& topology);

/// Parses Shadow-style GML text; file_name is only used in diagnostics.
GraphLoadResult LoadGml(std::string_view text, const std::string& file_name,
                        sim::Topology& topology);

}  // namespace socksim::tools
