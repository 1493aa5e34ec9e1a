// File: stack/personality/linux/kernel_version.cc
// Parsing and printing of kernel versions.
#include "stack/personality/linux/kernel_version.h"

#include <charconv>

namespace socksim::stack::linux_abi {

std::string KernelVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<KernelVersion> KernelVersion::Parse(std::string_view text) {
  KernelVersion v;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  auto r = std::from_chars(p, end, v.major);
  if (r.ec != std::errc{} || r.ptr == end || *r.ptr != '.') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, v.minor);
  if (r.ec != std::errc{}) return std::nullopt;
  if (r.ptr != end) {
    int patch = 0;
    if (*r.ptr != '.') return std::nullopt;
    r = std::from_chars(r.ptr + 1, end, patch);
    if (r.ec != std::errc{} || r.ptr != end) return std::nullopt;
  }
  if (v.major < 2 || v.minor < 0) return std::nullopt;
  return v;
}

}  // namespace socksim::stack::linux_abi
