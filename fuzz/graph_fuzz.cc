// File: fuzz/graph_fuzz.cc
// The graph readers (DOT and GML) on any bytes, each into a fresh topology.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/topology.h"
#include "tools/graph/graph_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    socksim::sim::Topology topology;
    (void)socksim::tools::LoadDot(text, "fuzz.dot", topology);
  }
  {
    socksim::sim::Topology topology;
    (void)socksim::tools::LoadGml(text, "fuzz.gml", topology);
  }
  return 0;
}
