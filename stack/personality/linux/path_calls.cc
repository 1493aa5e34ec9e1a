// File: stack/personality/linux/path_calls.cc
// unlinkat(2) and renameat2(2) on the simulated name space, which holds only the files
// bind() made for UNIX sockets (fs/namei.c do_unlinkat, do_renameat2). Removing or renaming a
// socket file changes what connect() finds (unix_find_bsd looks the path up), never the names
// the sockets report (unix_getname reads the address bind() recorded).
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"

namespace socksim::stack::linux_abi {
namespace {

CallResult Success() { return CallResult::Success(); }
CallResult Errno(int err) { return CallResult::Failure(-1, err); }

// The flags renameat2 knows (include/uapi/linux/fcntl.h).
constexpr unsigned kRenameFlags = kRenameNoreplace | kRenameExchange | kRenameWhiteout;

}  // namespace

int LinuxPersonality::PathDirectory(sim::Process& p, int dirfd, const std::string& path) {
  // path_init: an absolute path ignores dirfd; AT_FDCWD is the working directory; any other
  // descriptor must be open (EBADF) and a directory (ENOTDIR), which nothing here is.
  if (!path.empty() && path.front() == '/') return 0;
  if (dirfd == kAtFdcwd) return 0;
  if (dirfd < 0 || p.fds().Lookup(static_cast<sim::Handle>(dirfd)) == nullptr) return kEBADF;
  return kENOTDIR;
}

CallResult LinuxPersonality::Unlinkat(sim::Process& p, int dirfd, const std::string& path,
                                      int flags) {
  // unlinkat: flags other than AT_REMOVEDIR are EINVAL; AT_REMOVEDIR is rmdir, and a socket
  // file is not a directory.
  if ((flags & ~kAtRemovedir) != 0) return Errno(kEINVAL);
  if (path.empty()) return Errno(kENOENT);
  if (const int err = PathDirectory(p, dirfd, path); err != 0) return Errno(err);
  const sim::NodeId node = p.node();
  if ((flags & kAtRemovedir) != 0) {
    return Errno(stack_.UnixPathExists(node, path) ? kENOTDIR : kENOENT);
  }
  if (auto removed = stack_.UnlinkUnixPath(node, path); !removed) return Error(removed.error());
  return Success();
}

CallResult LinuxPersonality::Renameat2(sim::Process& p, int olddirfd, const std::string& oldpath,
                                       int newdirfd, const std::string& newpath, unsigned flags) {
  // do_renameat2: unknown flags, and NOREPLACE or WHITEOUT together with EXCHANGE, are
  // EINVAL; a whiteout is not modelled (EINVAL too).
  if ((flags & ~kRenameFlags) != 0) return Errno(kEINVAL);
  if ((flags & kRenameExchange) != 0 && (flags & (kRenameNoreplace | kRenameWhiteout)) != 0) {
    return Errno(kEINVAL);
  }
  if ((flags & kRenameWhiteout) != 0) return Errno(kEINVAL);
  if (oldpath.empty() || newpath.empty()) return Errno(kENOENT);
  if (const int err = PathDirectory(p, olddirfd, oldpath); err != 0) return Errno(err);
  if (const int err = PathDirectory(p, newdirfd, newpath); err != 0) return Errno(err);
  const sim::NodeId node = p.node();
  // The source must exist (ENOENT); NOREPLACE refuses an existing target (EEXIST, even when it
  // is the source itself) and EXCHANGE needs one (ENOENT).
  if (!stack_.UnixPathExists(node, oldpath)) return Errno(kENOENT);
  if ((flags & kRenameNoreplace) != 0 && stack_.UnixPathExists(node, newpath)) {
    return Errno(kEEXIST);
  }
  if ((flags & kRenameExchange) != 0) {
    if (auto swapped = stack_.ExchangeUnixPaths(node, oldpath, newpath); !swapped) {
      return Error(swapped.error());
    }
    return Success();
  }
  if (auto moved = stack_.RenameUnixPath(node, oldpath, newpath); !moved) {
    return Error(moved.error());
  }
  return Success();
}

}  // namespace socksim::stack::linux_abi
