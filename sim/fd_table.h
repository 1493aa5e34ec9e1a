// File: sim/fd_table.h
// Per-process descriptor tables and the open file descriptions they share. A descriptor (or a
// Windows SOCKET) is a handle naming an open file description; dup and fork make more
// descriptors for the same description, and the object behind it is released when the last
// description reference goes away. Each personality applies its own system call's order of
// checks around these operations.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/expected.h"
#include "sim/handle_table.h"
#include "sim/limits.h"

namespace socksim::sim {

/// What kind of object a descriptor refers to; only kSocket objects are sockets.
enum class FileKind {
  kSocket,
  kRegularFile,
  kPipe,
  kEventFd,
  kCharDevice,
  kEpoll,    // an event poll instance (epoll): a descriptor that is no socket
  kUnknown,  // inherited from outside the simulation; what it is was never observed
};

/// "socket", "file", "pipe", "eventfd", "chardev", "epoll", "unknown".
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

  /// Readiness of an object the simulator does not model (kind kUnknown: inherited from
  /// outside), as a recorded trace saw it at one readiness call: a fact of the environment,
  /// adopted for that call only (set before it, cleared after). Absent: never ready.
  struct EnvironmentReadiness {
    bool readable = false;
    bool writable = false;
  };
  const std::optional<EnvironmentReadiness>& environment_readiness() const { return readiness_; }
  void set_environment_readiness(std::optional<EnvironmentReadiness> r) { readiness_ = r; }

 private:
  FileKind kind_;
  std::string name_;
  std::optional<EnvironmentReadiness> readiness_;
};

/// Status flags of an open file description (shared between dup'ed descriptors).
struct StatusFlags {
  bool nonblocking = false;  // O_NONBLOCK
  bool path_only = false;    // a path-only descriptor (O_PATH): names the object, allows no I/O
  /// Further status bits the personality keeps in its own numbering and the simulator never
  /// acts on (Linux: O_APPEND, O_ASYNC, O_NOATIME as F_SETFL stored them).
  std::uint32_t os_flags = 0;
  /// The flags open() fixed for the description's life (the access mode and the like, in the
  /// personality's numbering), which F_SETFL cannot change; absent when the object's kind
  /// alone decides them (a socket, a pipe end).
  std::optional<std::uint32_t> open_flags;
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
  kBadDescriptor,  // not open, or a number the table can never hold (EBADF)
  kTooManyOpen,    // no free descriptor below the limit (EMFILE)
};

/// One slot of a descriptor table.
struct FdEntry {
  OfdRef description;
  bool close_on_exec = false;
};

/// The open descriptors of every table in one world, counted against the world's descriptor
/// limit (sim/limits.h). A table with a census refuses, with LimitReached, an entry past it.
class DescriptorCensus {
 public:
  explicit DescriptorCensus(std::uint64_t limit) : limit_(limit) {}
  /// Counts `n` more open descriptors; throws LimitReached (counting nothing) past the limit.
  void Add(std::size_t n);
  void Remove(std::size_t n) { open_ -= n; }
  std::uint64_t open() const { return open_; }
  std::uint64_t limit() const { return limit_; }

 private:
  std::uint64_t limit_;
  std::uint64_t open_ = 0;
};

/// A process's descriptor table: open file descriptions by descriptor number, numbered by the
/// table's policy (lowest free for POSIX descriptors, handle values for Windows sockets). The
/// default limit is "none"; a personality sets its OS's limit when a process starts.
class FdTable {
 public:
  explicit FdTable(HandleNumbering numbering = HandleNumbering::LowestFree(),
                   Handle limit = HandleTable<FdEntry>::kNoLimit)
      : table_(numbering, limit) {}
  /// fork(2)'s copy: the same descriptions under the same numbers, counted in the same census.
  FdTable(const FdTable& other);
  /// A table put in place of another (Winsock's numbering) keeps the census of the one it
  /// replaces: the census belongs to the process, not to the numbering.
  FdTable& operator=(FdTable&& other);
  FdTable(FdTable&&) = delete;
  FdTable& operator=(const FdTable&) = delete;
  ~FdTable();

  /// Counts this table's descriptors in `census` from now on (the world's, at spawn).
  void set_census(DescriptorCensus* census);

  /// Installs `description` at the number the policy chooses (for lowest-free, the lowest free
  /// descriptor >= min_fd).
  Expected<Handle, FdError> Install(OfdRef description, bool close_on_exec, Handle min_fd = 0);
  /// Installs at exactly `fd`, replacing (and closing) what was there; fd must be < limit.
  Expected<Handle, FdError> InstallAt(Handle fd, OfdRef description, bool close_on_exec);
  /// The entry for `fd`, or nullptr.
  const FdEntry* Lookup(Handle fd) const { return table_.Find(fd); }
  FdEntry* Lookup(Handle fd) { return table_.Find(fd); }
  /// Closes `fd`; kBadDescriptor if it is not open.
  Expected<Ok, FdError> Close(Handle fd);

  /// dup(2): the lowest free descriptor; the copy does not have close-on-exec.
  Expected<Handle, FdError> Dup(Handle oldfd);
  /// dup2(2): newfd == oldfd returns it if open; newfd at or above the limit is kBadDescriptor.
  Expected<Handle, FdError> Dup2(Handle oldfd, Handle newfd);

  /// The descriptor Install(min_fd) would use now, or nullopt when none is free.
  std::optional<Handle> NextFree(Handle min_fd = 0) const { return table_.NextFree(min_fd); }

  /// Drops every descriptor marked close-on-exec (execve).
  void CloseOnExec();
  /// Drops every descriptor, in ascending order (exit).
  void CloseAll();

  /// Open descriptors in ascending order.
  std::vector<Handle> OpenDescriptors() const { return table_.Handles(); }
  std::size_t size() const { return table_.size(); }
  Handle limit() const { return table_.limit(); }
  void set_limit(Handle limit) { table_.set_limit(limit); }
  const HandleNumbering& numbering() const { return table_.numbering(); }

 private:
  HandleTable<FdEntry> table_;
  DescriptorCensus* census_ = nullptr;
};

}  // namespace socksim::sim
