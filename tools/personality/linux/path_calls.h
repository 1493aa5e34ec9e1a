// File: tools/personality/linux/path_calls.h
// The path calls of the Linux call table: unlink, unlinkat, rename, renameat and renameat2 as
// strace prints them. The C library's unlink and rename reach the kernel as the *at forms with
// AT_FDCWD, which is what the backend runs (on the simulated name space, or on the host).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tools/personality/linux/backend.h"
#include "tools/scenario/call_binder.h"

namespace socksim::tools {

/// Issues one system call for a path handler (the call table's Binder::Sys).
using PathSyscall = std::function<void(LinuxSyscall, const SyscallArgs&)>;
/// A path call's handler: binds the line's arguments with `b` and issues its call.
using PathCallHandler = void (*)(CallBinder& b, const PathSyscall& sys);

/// The path calls by the names strace prints, for the call table to register.
std::vector<std::pair<std::string, PathCallHandler>> PathCalls();

}  // namespace socksim::tools
