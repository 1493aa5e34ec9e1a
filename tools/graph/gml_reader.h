// File: tools/graph/gml_reader.h
// The GML reader: a reader of GML's key/value lists and the step that turns Shadow's
// network graph keys into a Plan (the rules below; the rules shared with DOT are in
// graph_loader.h).
//
// GML (the Shadow simulator's network graph format)
//  - `graph [ directed 0|1 node [ id N ... ] edge [ source N target M ... ] ]`; keys are
//    [A-Za-z_][A-Za-z0-9_]*, values are integers, reals, strings ("..." with \" and \\) or
//    nested lists; `#` starts a comment to the end of the line. Keys outside `graph` and
//    unmodelled keys (host_bandwidth_*, bandwidth_*, jitter, country_code, ...) are ignored
//    whatever their value. A key repeated inside one node or edge is an error.
//  - Node: `id` (integer, required, unique). Name = `label` if present, else "node<ID>".
//    `ip_address` (string, prefix optional) as described in graph_loader.h; `kind`
//    "host"/"router" is a socksim extension (default host).
//  - Edge: `source`, `target` (required node ids), `latency` (required string; a bare number
//    means seconds, as in Shadow), `packet_loss` (number 0..1, default 0, exact decimal to
//    N/1000000, rounded half up). Self-loops (source == target, Shadow's intra-node latency)
//    are validated and then skipped. In a directed graph the reverse edge v->u of an earlier
//    u->v must have the same latency and loss and adds no second link (socksim links are
//    symmetric); any other repeated pair is a duplicate-edge error.
#pragma once

#include <optional>
#include <string_view>

#include "tools/graph/graph_plan.h"

namespace socksim::tools::graph {

/// Reads GML text into a Plan. A syntax error stops the read: it is added to diags and the
/// result is nullopt. Value errors (missing keys, unknown node ids, duplicates) are all added
/// to diags and the Plan is still returned; it is only usable when diags stayed empty.
std::optional<Plan> ReadGml(std::string_view text, Diagnostics& diags);

}  // namespace socksim::tools::graph
