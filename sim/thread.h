// File: sim/thread.h
// A thread of a simulated process. Processes own their threads; the first one, created with
// the process, has the process's id as its thread id (as Linux's thread-group leader does).
// What one OS keeps per thread (the C library's errno, Winsock's last error) lives in the
// thread's extension, owned by the process's personality.
#pragma once

#include <memory>

#include "sim/ids.h"

namespace socksim::sim {

class Process;

/// Per-thread state owned by a personality.
class ThreadExtension {
 public:
  virtual ~ThreadExtension() = default;
};

/// A thread of execution in a process; calls run on a thread.
class Thread {
 public:
  Thread(Tid tid, Process& process) : tid_(tid), process_(process) {}
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  Tid tid() const { return tid_; }
  Process& process() const { return process_; }
  /// True for the thread created with the process (its tid is the pid).
  bool is_main() const;

  ThreadExtension* extension() const { return extension_.get(); }
  void set_extension(std::unique_ptr<ThreadExtension> ext) { extension_ = std::move(ext); }

 private:
  Tid tid_;
  Process& process_;
  std::unique_ptr<ThreadExtension> extension_;
};

}  // namespace socksim::sim
