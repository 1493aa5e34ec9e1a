// File: tools/personality/linux/trace/strace_import.h
// Turns a real `strace -f` log (parsed with ParseOptions::strace_mode) into a runnable
// scenario whose every recorded result is checked against the simulator (`socksim replay`).
//
// The world the importer declares:
//  - one host "localhost" (lo: 127.0.0.1/8, ::1/128). Non-loopback addresses the traced program
//    owns (bound, or shown as its local address by getsockname/accept/-y decorations) are put on
//    an interface of localhost, linked (latency 0) to a host "peer" that owns nothing: the
//    simulator only has addresses on interfaces, and remote servers are not modelled.
//  - processes from pids: the initial one (the first pid that is neither a clone result nor
//    announced by "Process N attached"; lines without a pid prefix belong to it) is declared
//    with `process PID host=localhost uid=U gid=G stdio=no`; children come from clone/fork/vfork
//    lines, or, when the trace filter hid those, from a `PARENT fork() = CHILD` line synthesized
//    just before the child's first line (the parent is the pid of the nearest earlier line).
//  - descriptors the log uses but never creates (stdio, inherited ones, ones made by calls the
//    filter hid or the model skips) are declared `fd PID N kind=unknown` (chardev/file/pipe
//    when a -y decoration says so): in the header when the number was never seen before in an
//    initial process, otherwise at the point where it appears. When a call returns a higher
//    descriptor than the lowest free one the importer knows of, the numbers in between are
//    declared the same way, so numbering matches the kernel's.
//  - the kernel's choices are adopted through hints on the call that made it choose (bind to
//    port 0, listen/connect/sendto on an unbound socket, UNIX bind with length 2): the value is
//    the first later output that reveals it (getsockname on the socket; the peer's accept,
//    getpeername or recvfrom; then, as a weaker source, -y decorations).
//
// Lines the simulator does not model are dropped and reported as skipped, with a reason:
// calls the Linux call table does not know, read/write on non-socket descriptors, calls of
// threads (CLONE_THREAD), calls strace marked (INJECTED), calls that never returned (`= ?`),
// signal deliveries. Calls the table knows are kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"
#include "tools/scenario/import.h"

namespace socksim::tools {

/// Imports a parsed strace log. A file that already declares its world (a socksim trace
/// written by `run --record`) keeps its directives; only unmodelled calls are dropped. The
/// log is taken by value: a caller done with it moves it in, and the lines the scenario keeps
/// as they stand are moved into it rather than copied.
ImportResult ImportStrace(Scenario parsed_in_strace_mode, const ImportOptions& options = {});


}  // namespace socksim::tools
