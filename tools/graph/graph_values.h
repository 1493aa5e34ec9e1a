// File: tools/graph/graph_values.h
// The value grammars of graph attributes, shared by the DOT and GML readers: latencies and
// delays (numbers::ParseDuration's graph grammar), loss probabilities and address lists. Each
// returns nullopt on failure and sets *error to a reason that follows "bad latency \"...\": ".
// Internal to tools/graph; the rules are documented in graph_loader.h, dot_reader.h and
// gml_reader.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.h"
#include "sim/time.h"
#include "sim/topology.h"

namespace socksim::tools::graph {

/// A latency or delay: "1.5ms", "50 ms", "2 Seconds"; with bare_is_seconds (GML, as in
/// Shadow) a number without a unit is seconds.
std::optional<sim::Duration> ParseLatency(std::string_view text, bool bare_is_seconds,
                                          std::string* error);

/// A decimal 0..1 with optional fraction and exponent ("0.01", "1e-3") as N/1000000, rounded
/// half up on the first dropped digit, so probabilities stay exact integers (no floating point).
std::optional<sim::Ratio> ParseDecimalProbability(std::string_view text, std::string* error);

/// DOT's loss: "N/D" (numbers::ParseRatio), a decimal 0..1 or a percentage "1.5%".
std::optional<sim::Ratio> ParseLoss(std::string_view text, std::string* error);

/// A list of "address[/prefix]" separated by blanks or commas; without a prefix an address
/// gets /32 (IPv4) or /128 (IPv6). An address listed twice is an error.
std::optional<std::vector<sim::InterfaceAddress>> ParseAddresses(std::string_view text,
                                                                 std::string* error);

}  // namespace socksim::tools::graph
