// File: fuzz/parse_fuzz.cc
// The scenario parser on any bytes, as a scenario and as a strace log: it returns lines or
// diagnostics, and every diagnostic can be printed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/scenario/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool strace : {false, true}) {
    const auto parsed = socksim::tools::ParseScenario(text, "fuzz.scn", socksim::tools::ParseOptions{.strace_mode = strace});
    for (const auto& d : parsed.errors) (void)d.ToString();
  }
  return 0;
}
