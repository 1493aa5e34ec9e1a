// File: sim/fd_table.cc
// Descriptor installation, dup and dup2 (POSIX.1-2017 XSH dup(): the lowest free number;
// dup2() with equal descriptors returns it unchanged), over sim/handle_table.h.
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
    case FileKind::kEpoll:
      return "epoll";
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

Expected<Handle, FdError> FdTable::Install(OfdRef description, bool close_on_exec,
                                           Handle min_fd) {
  auto fd = table_.Insert(FdEntry{std::move(description), close_on_exec}, min_fd);
  if (!fd) return Unexpected{FdError::kTooManyOpen};
  return *fd;
}

Expected<Handle, FdError> FdTable::InstallAt(Handle fd, OfdRef description, bool close_on_exec) {
  // The replaced entry is destroyed after the new one is in place, so that the old
  // description's final close runs with the table already consistent (dup2's "closed
  // silently" rule).
  std::optional<FdEntry> old;
  auto placed = table_.InsertAt(fd, FdEntry{std::move(description), close_on_exec}, &old);
  if (!placed) return Unexpected{FdError::kBadDescriptor};
  return *placed;
}

Expected<Ok, FdError> FdTable::Close(Handle fd) {
  auto removed = table_.Remove(fd);
  if (!removed) return Unexpected{FdError::kBadDescriptor};
  return Ok{};  // the entry's destructor drops the reference after the table is updated
}

Expected<Handle, FdError> FdTable::Dup(Handle oldfd) {
  const FdEntry* entry = Lookup(oldfd);
  if (entry == nullptr) return Unexpected{FdError::kBadDescriptor};
  return Install(entry->description, false);
}

Expected<Handle, FdError> FdTable::Dup2(Handle oldfd, Handle newfd) {
  const FdEntry* entry = Lookup(oldfd);
  if (entry == nullptr) return Unexpected{FdError::kBadDescriptor};
  if (newfd == oldfd) return newfd;
  return InstallAt(newfd, entry->description, false);
}

void FdTable::CloseOnExec() {
  // Removed first, destroyed after: their final closes see the table without them.
  const auto dropped =
      table_.RemoveIf([](Handle, const FdEntry& entry) { return entry.close_on_exec; });
}

void FdTable::CloseAll() {
  // Ascending order, one at a time, so that each final close sees the later descriptors still
  // open (the order a process's exit walks its table in).
  while (const auto first = table_.First()) {
    auto removed = table_.Remove(*first);
  }
}

}  // namespace socksim::sim
