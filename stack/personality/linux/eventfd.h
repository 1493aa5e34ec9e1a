// File: stack/personality/linux/eventfd.h
// The eventfd object (fs/eventfd.c): a 64-bit counter behind a descriptor that is not a
// socket. write adds to it, read takes it (or 1 in semaphore mode); the personality applies
// the kernel's checks around these (eventfd_read, eventfd_write).
#pragma once

#include <cstdint>
#include <limits>

#include "sim/fd_table.h"

namespace socksim::stack::linux_abi {

/// An eventfd's counter (struct eventfd_ctx).
class EventFd final : public sim::FileObject {
 public:
  /// The largest value the counter holds: ULLONG_MAX - 1 (eventfd_write refuses a write that
  /// would reach ULLONG_MAX).
  static constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max() - 1;

  EventFd(std::uint64_t count, bool semaphore) : count_(count), semaphore_(semaphore) {}
  sim::FileKind kind() const override { return sim::FileKind::kEventFd; }

  std::uint64_t count() const { return count_; }
  bool semaphore() const { return semaphore_; }
  /// eventfd_ctx_do_read: the value a read returns (the whole counter, or 1 in semaphore
  /// mode), taken off the counter. The counter must not be 0.
  std::uint64_t Take() {
    const std::uint64_t v = semaphore_ ? 1 : count_;
    count_ -= v;
    return v;
  }
  /// Whether `v` can be added now without reaching ULLONG_MAX (else a writer waits).
  bool Fits(std::uint64_t v) const { return kMax - count_ >= v; }
  void Add(std::uint64_t v) { count_ += v; }

 private:
  std::uint64_t count_;
  bool semaphore_;
};

}  // namespace socksim::stack::linux_abi
