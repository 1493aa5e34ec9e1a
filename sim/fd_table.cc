// File: sim/fd_table.cc
// Descriptor allocation (lowest free number, POSIX 2.14) and dup/dup2/dup3 rules from the
// Linux man pages dup(2) ERRORS and fs/file.c (ksys_dup3: EBADF for newfd >= RLIMIT_NOFILE).
#include "sim/fd_table.h"

namespace socksim::sim {

const char* ToString(FileKind kind) {
  switch (kind) {
    case FileKind::kSocket:
      return "socket";
    case FileKind::kRegularFile:
      return "file";
    case FileKind::kPipe:
      return "pipe";
    case FileKind::kEventFd:
      return "eventfd";
    case FileKind::kCharDevice:
      return "chardev";
    case FileKind::kUnknown:
      return "unknown";
  }
  return "?";
}

OpenFileDescription::~OpenFileDescription() {
  // Each object has exactly one open file description in the simulator (socket() and accept()
  // each create a new object), so the description's end is the object's final close even when
  // protocol tables still hold the object itself.
  if (object_) object_->OnLastClose();
}

Expected<int, FdError> FdTable::Install(OfdRef description, bool close_on_exec, int min_fd) {
  int fd = min_fd < 0 ? 0 : min_fd;
  for (auto it = entries_.lower_bound(fd); it != entries_.end() && it->first == fd; ++it) ++fd;
  if (fd >= limit_) return Unexpected{FdError::kTooManyOpen};
  entries_.emplace(fd, FdEntry{std::move(description), close_on_exec});
  return fd;
}

Expected<int, FdError> FdTable::InstallAt(int fd, OfdRef description, bool close_on_exec) {
  if (fd < 0 || fd >= limit_) return Unexpected{FdError::kBadDescriptor};
  // Replace after the new entry is in place, so that the old description's final close runs
  // with the table already consistent (dup2's "closed silently" rule).
  FdEntry old;
  auto it = entries_.find(fd);
  if (it != entries_.end()) old = std::move(it->second);
  entries_[fd] = FdEntry{std::move(description), close_on_exec};
  return fd;
}

const FdEntry* FdTable::Lookup(int fd) const {
  const auto it = entries_.find(fd);
  return it == entries_.end() ? nullptr : &it->second;
}

FdEntry* FdTable::Lookup(int fd) {
  const auto it = entries_.find(fd);
  return it == entries_.end() ? nullptr : &it->second;
}

Expected<Ok, FdError> FdTable::Close(int fd) {
  auto node = entries_.extract(fd);
  if (node.empty()) return Unexpected{FdError::kBadDescriptor};
  return Ok{};  // node's destructor drops the reference after the table is updated
}

Expected<int, FdError> FdTable::Dup(int oldfd) {
  const FdEntry* entry = Lookup(oldfd);
  if (entry == nullptr) return Unexpected{FdError::kBadDescriptor};
  return Install(entry->description, false);
}

Expected<int, FdError> FdTable::Dup2(int oldfd, int newfd) {
  const FdEntry* entry = Lookup(oldfd);
  if (entry == nullptr) return Unexpected{FdError::kBadDescriptor};
  if (newfd == oldfd) return newfd;
  return InstallAt(newfd, entry->description, false);
}

Expected<int, FdError> FdTable::Dup3(int oldfd, int newfd, bool close_on_exec) {
  // Linux ksys_dup3 tests oldfd == newfd before looking anything up.
  if (oldfd == newfd) return Unexpected{FdError::kInvalidArgument};
  if (newfd < 0 || newfd >= limit_) return Unexpected{FdError::kBadDescriptor};
  const FdEntry* entry = Lookup(oldfd);
  if (entry == nullptr) return Unexpected{FdError::kBadDescriptor};
  return InstallAt(newfd, entry->description, close_on_exec);
}

void FdTable::CloseOnExec() {
  std::vector<FdEntry> dropped;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.close_on_exec) {
      dropped.push_back(std::move(it->second));
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void FdTable::CloseAll() {
  // Close in ascending order, as Linux's close_files walks the table.
  while (!entries_.empty()) {
    auto node = entries_.extract(entries_.begin());
  }
}

std::vector<int> FdTable::OpenDescriptors() const {
  std::vector<int> out;
  out.reserve(entries_.size());
  for (const auto& [fd, entry] : entries_) out.push_back(fd);
  return out;
}

}  // namespace socksim::sim
