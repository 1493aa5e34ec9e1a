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

void DescriptorCensus::Add(std::size_t n) {
  if (n > limit_ || open_ > limit_ - n) throw LimitReached(Limit::kDescriptors, limit_);
  open_ += n;
}

FdTable::FdTable(const FdTable& other) : table_(other.table_), census_(other.census_) {
  if (census_ != nullptr) census_->Add(table_.size());
}

FdTable& FdTable::operator=(FdTable&& other) {
  if (this == &other) return *this;
  const std::size_t incoming = other.table_.size();
  const std::size_t outgoing = table_.size();
  if (census_ != nullptr && incoming > outgoing) census_->Add(incoming - outgoing);
  if (census_ != nullptr && outgoing > incoming) census_->Remove(outgoing - incoming);
  if (other.census_ != nullptr) other.census_->Remove(incoming);
  other.census_ = nullptr;
  table_ = std::move(other.table_);
  return *this;
}

FdTable::~FdTable() {
  if (census_ != nullptr) census_->Remove(table_.size());
}

void FdTable::set_census(DescriptorCensus* census) {
  if (census != nullptr) census->Add(table_.size());
  if (census_ != nullptr) census_->Remove(table_.size());
  census_ = census;
}

Expected<Handle, FdError> FdTable::Install(OfdRef description, bool close_on_exec,
                                           Handle min_fd) {
  // Counted before it is placed, so that a table at the world's limit changes nothing.
  if (census_ != nullptr) census_->Add(1);
  auto fd = table_.Insert(FdEntry{std::move(description), close_on_exec}, min_fd);
  if (!fd) {
    if (census_ != nullptr) census_->Remove(1);
    return Unexpected{FdError::kTooManyOpen};
  }
  return *fd;
}

Expected<Handle, FdError> FdTable::InstallAt(Handle fd, OfdRef description, bool close_on_exec) {
  // The replaced entry is destroyed after the new one is in place, so that the old
  // description's final close runs with the table already consistent (dup2's "closed
  // silently" rule).
  std::optional<FdEntry> old;
  const bool adds = fd < table_.limit() && table_.Find(fd) == nullptr;
  if (census_ != nullptr && adds) census_->Add(1);
  auto placed = table_.InsertAt(fd, FdEntry{std::move(description), close_on_exec}, &old);
  if (!placed) return Unexpected{FdError::kBadDescriptor};
  return *placed;
}

Expected<Ok, FdError> FdTable::Close(Handle fd) {
  auto removed = table_.Remove(fd);
  if (!removed) return Unexpected{FdError::kBadDescriptor};
  if (census_ != nullptr) census_->Remove(1);
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
  if (census_ != nullptr) census_->Remove(dropped.size());
}

void FdTable::CloseAll() {
  // Ascending order, one at a time, so that each final close sees the later descriptors still
  // open (the order a process's exit walks its table in).
  while (const auto first = table_.First()) {
    auto removed = table_.Remove(*first);
    if (census_ != nullptr) census_->Remove(1);
  }
}

}  // namespace socksim::sim
