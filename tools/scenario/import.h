// File: tools/scenario/import.h
// What a trace importer (a personality's reader of logs recorded on a real system, such as
// strace's) takes and gives: the imported scenario, the lines it does not replay and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"
#include "tools/scenario/parser.h"

namespace socksim::tools {

struct ImportOptions {
  std::optional<std::uint32_t> uid;         // default 0
  std::optional<std::uint32_t> gid;         // default 0
  std::optional<std::int32_t> initial_pid;  // default: from the log
  /// Calls the personality models; empty means its call table's names.
  std::vector<std::string> known_calls;
  /// The log came as one file per process (strace -ff): each process's lines are in order,
  /// but how they interleave is unknown, so the importer only proposes an order and the
  /// imported scenario lets a call wait while other processes run (`interleaving unknown`).
  bool per_process_files = false;
};

/// What became of a log line the imported scenario does not check as a call.
enum class ImportFate {
  kNotReplayed,   // outside the model: listed, and a failure under --strict when on a socket
  kKnownUnknown,  // on something the model does not own (an inherited descriptor, a netlink
                  // socket): counted, never failed
  kAdopted,       // a decision of the environment (file system, loader), taken as recorded
};

/// A line of the log that the imported scenario does not check.
struct SkippedLine {
  SourceLocation location;
  std::string text;
  std::string reason;
  std::string call;  // the syscall's name ("" for a signal or a line that could not be read)
  ImportFate fate = ImportFate::kNotReplayed;
  bool on_socket = false;  // a socket call, or a call on a descriptor the model has as a socket
};

struct ImportResult {
  Scenario scenario;                 // header directives, then the body
  std::vector<SkippedLine> skipped;  // in log order
  std::int32_t initial_pid = 0;
  int synthesized = 0;               // lines the importer added (fork lines)
  /// What the importer had to guess, for the user (a fork the filter hid, and so on).
  std::vector<std::string> warnings;
  /// What makes the log unusable, at its lines (a call resumed under another pid than the one
  /// that started it): the replay reports them and exits 2 instead of running the log.
  std::vector<Diagnostic> errors;
};

}  // namespace socksim::tools
