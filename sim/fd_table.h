// File: sim/fd_table.h
// Per-process descriptor tables and the open file descriptions they share. As in POSIX, a
// descriptor is a small integer naming an open file description; dup and fork make more
// descriptors for the same description, and the object behind it is released when the last
// description reference goes away.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/expected.h"

namespace socksim::sim {

/// What kind of object a descriptor refers to; only kSocket objects are sockets.
enum class FileKind {
  kSocket,
  kRegularFile,
  kPipe,
  kEventFd,
  kCharDevice,
  kUnknown,  // inherited from outside the simulation; what it is was never observed
};

/// "socket", "file", "pipe", "eventfd", "chardev", "unknown".
const char* ToString(FileKind kind);

/// Something a descriptor can refer to. The stack derives its sockets from this.
class FileObject {
 public:
  virtual ~FileObject() = default;
  virtual FileKind kind() const = 0;
  /// Called once, when the last open file description referring to this object is dropped
  /// (close of the last descriptor, exit, or an in-flight SCM_RIGHTS message discarded).
  virtual void OnLastClose() {}
};

/// A non-socket object: a regular file, pipe end, eventfd or character device (like /dev/null).
class PlainFile final : public FileObject {
 public:
  PlainFile(FileKind kind, std::string name) : kind_(kind), name_(std::move(name)) {}
  FileKind kind() const override { return kind_; }
  const std::string& name() const { return name_; }

 private:
  FileKind kind_;
  std::string name_;
};

/// Status flags of an open file description (shared between dup'ed descriptors).
struct StatusFlags {
  bool nonblocking = false;  // O_NONBLOCK
  bool path_only = false;    // O_PATH: the descriptor names the object but allows no I/O
};

/// An open file description: the object plus its shared status flags.
class OpenFileDescription {
 public:
  OpenFileDescription(std::shared_ptr<FileObject> object, StatusFlags flags)
      : object_(std::move(object)), flags_(flags) {}
  ~OpenFileDescription();
  OpenFileDescription(const OpenFileDescription&) = delete;
  OpenFileDescription& operator=(const OpenFileDescription&) = delete;

  const std::shared_ptr<FileObject>& object() const { return object_; }
  StatusFlags& flags() { return flags_; }
  const StatusFlags& flags() const { return flags_; }

 private:
  std::shared_ptr<FileObject> object_;
  StatusFlags flags_;
};

using OfdRef = std::shared_ptr<OpenFileDescription>;

/// Why a descriptor-table operation failed.
enum class FdError {
  kBadDescriptor,    // not open, negative, or beyond the table's limit where POSIX says EBADF
  kTooManyOpen,      // no free descriptor below the limit (EMFILE)
  kInvalidArgument,  // dup3 with oldfd == newfd, or bad flags (EINVAL)
};

/// One slot of a descriptor table.
struct FdEntry {
  OfdRef description;
  bool close_on_exec = false;
};

/// A process's descriptor table.
class FdTable {
 public:
  /// Default RLIMIT_NOFILE soft limit on Linux.
  static constexpr int kDefaultLimit = 1024;

  explicit FdTable(int limit = kDefaultLimit) : limit_(limit) {}

  /// Installs `description` at the lowest free descriptor >= min_fd.
  Expected<int, FdError> Install(OfdRef description, bool close_on_exec, int min_fd = 0);
  /// Installs at exactly `fd`, replacing (and closing) what was there; fd must be < limit.
  Expected<int, FdError> InstallAt(int fd, OfdRef description, bool close_on_exec);
  /// The entry for `fd`, or nullptr.
  const FdEntry* Lookup(int fd) const;
  FdEntry* Lookup(int fd);
  /// Closes `fd`; kBadDescriptor if it is not open.
  Expected<Ok, FdError> Close(int fd);

  /// dup(2): lowest free descriptor; the copy does not have close-on-exec.
  Expected<int, FdError> Dup(int oldfd);
  /// dup2(2): newfd == oldfd returns it if open; newfd out of range is kBadDescriptor.
  Expected<int, FdError> Dup2(int oldfd, int newfd);
  /// dup3(2): like dup2 but oldfd == newfd is kInvalidArgument.
  Expected<int, FdError> Dup3(int oldfd, int newfd, bool close_on_exec);

  /// Drops every descriptor marked close-on-exec (execve).
  void CloseOnExec();
  /// Drops every descriptor (exit).
  void CloseAll();

  /// Open descriptors in ascending order.
  std::vector<int> OpenDescriptors() const;
  std::size_t size() const { return entries_.size(); }
  int limit() const { return limit_; }
  void set_limit(int limit) { limit_ = limit; }

 private:
  std::map<int, FdEntry> entries_;
  int limit_;
};

}  // namespace socksim::sim
