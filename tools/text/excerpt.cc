// File: tools/text/excerpt.cc
// Bounded, printable quoting of input in messages (excerpt.h).
#include "tools/text/excerpt.h"

#include <fmt/format.h>

namespace socksim::tools::text {

std::string Excerpt(std::string_view s, std::size_t limit) {
  std::string out;
  const std::size_t n = s.size() < limit ? s.size() : limit;
  out.reserve(n + 24);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > limit) out += fmt::format("... ({} more bytes)", s.size() - limit);
  return out;
}

}  // namespace socksim::tools::text
