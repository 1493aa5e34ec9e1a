// File: tools/scenario/import.h
// What a trace importer (a personality's reader of logs recorded on a real system, such as
// strace's) takes and gives: the imported scenario, the lines it does not replay and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

struct ImportOptions {
  std::optional<std::uint32_t> uid;         // default 0
  std::optional<std::uint32_t> gid;         // default 0
  std::optional<std::int32_t> initial_pid;  // default: from the log
  /// Calls the personality models; empty means its call table's names.
  std::vector<std::string> known_calls;
};

/// A line of the log that the imported scenario does not check.
struct SkippedLine {
  SourceLocation location;
  std::string text;
  std::string reason;
};

struct ImportResult {
  Scenario scenario;                 // header directives, then the body
  std::vector<SkippedLine> skipped;  // in log order
  std::int32_t initial_pid = 0;
  int synthesized = 0;               // lines the importer added (fork lines)
};

}  // namespace socksim::tools
