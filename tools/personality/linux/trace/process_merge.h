// File: tools/personality/linux/trace/process_merge.h
// One order for the lines of a log recorded one file per process (strace -ff). Each file is
// in order, but nothing says how the files interleave. The proposed order runs a process
// until it makes a call that may have waited for another (accept, a read, a poll, wait4, a
// sleep), then the next process that can run, round-robin; a child starts only after the
// line that forked it. The order only has to be good enough for the importer to pair what
// one process chose with what another saw; the runner lets a call wait while later lines of
// other processes run (`interleaving unknown`), so it need not be the real one.
#pragma once

#include <cstdint>
#include <optional>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// `parsed` holds every file's lines, each with its process's id, files one after another.
Scenario MergePerProcessFiles(const Scenario& parsed);

/// The child a wait4 (or waitpid) line reaped: it had exited, or a signal had killed it, so
/// its lines came before the waiter's next ones. None for any other line.
std::optional<std::int32_t> WaitedChild(const CallLine& c);

}  // namespace socksim::tools
