// File: tools/graph/dot_reader.h
// The DOT reader: lexer, parser and the step that turns its statements into a Plan, for our
// dialect of Graphviz (the rules below; the rules shared with GML are in graph_loader.h).
// Boost.Graph's read_graphviz is not used because it reports errors without line:col, accepts
// subgraphs, ports and default attribute statements that socksim must reject, and hands every
// attribute over as an untyped string through dynamic_properties.
//
// DOT (our dialect of Graphviz)
//  - `[strict] graph NAME { ... }` or `digraph`; one graph per file. Keywords are
//    case-insensitive. Comments: `// ...`, `/* ... */` and lines whose first non-blank
//    character is `#`. IDs are unquoted (letters, digits and '_', so 1ms is one ID
//    unlike in Graphviz; or a numeral such as -1.5) or quoted ("..." with \" for a quote;
//    "a" + "b" concatenates). Other text, such as 10.0.0.1 or 1.5ms, must be quoted. HTML
//    strings, ports, subgraphs and `node [...]` / `edge [...]` default statements are
//    rejected with an error. `graph [...]` and `ID = ID` graph attributes are accepted and
//    ignored.
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
#pragma once

#include <optional>
#include <string_view>

#include "tools/graph/graph_plan.h"

namespace socksim::tools::graph {

/// Reads DOT text into a Plan. A syntax error stops the read: it is added to diags and the
/// result is nullopt. Value errors (bad latency, undeclared node, duplicates) are all added
/// to diags and the Plan is still returned; it is only usable when diags stayed empty.
std::optional<Plan> ReadDot(std::string_view text, Diagnostics& diags);

}  // namespace socksim::tools::graph
