// File: tools/text/excerpt.h
// How input is quoted back in a message: at most a bounded number of bytes of it, so that a
// hostile line (100 MB, control bytes) costs a message no more than its limit and cannot
// drive the terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace socksim::tools::text {

/// The bytes of a quoted excerpt (docs/reliability.md).
inline constexpr std::size_t kExcerptBytes = 240;

/// `s` as a message quotes it: its first `limit` bytes, with "... (N more bytes)" when cut,
/// and each control byte other than a tab written as \xNN.
std::string Excerpt(std::string_view s, std::size_t limit = kExcerptBytes);

}  // namespace socksim::tools::text
