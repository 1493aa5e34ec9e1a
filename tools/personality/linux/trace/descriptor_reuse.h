// File: tools/personality/linux/trace/descriptor_reuse.h
// A descriptor number given out again orders the threads of a process. The kernel hands out
// the lowest free number (fs/file.c, alloc_fd), so when a thread gets number N a second time
// without having closed it, another thread closed it in between. In a log recorded one file
// per thread (strace -ff) that is often the only sign of the order: a threaded server accepts
// a connection as 4, hands it to a new thread, and accepts the next as 4 again once that
// thread closed it. The importer tells this model where each number was made and closed and
// where each thread was made; it answers which making must wait for which close.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

class DescriptorReuse {
 public:
  /// Thread `tid` of process `process` made descriptor `fd` on `line`.
  void Made(std::int32_t process, int fd, std::size_t line, std::int32_t tid);
  /// Thread `tid` of process `process` closed descriptor `fd` on `line`.
  void Closed(std::int32_t process, int fd, std::size_t line, std::int32_t tid);
  /// Thread `maker` made thread `thread` on `line`.
  void ThreadMade(std::int32_t maker, std::int32_t thread, std::size_t line);

  /// What a log line of thread `c.pid` of `process` tells: the numbers it made or closed
  /// (a successful call's result, pipe's and socketpair's pair, dup2's target), the thread
  /// it made (clone with CLONE_THREAD).
  void Note(const CallLine& c, std::int32_t process, std::size_t line);

  /// (waiting line, line it waits for): a thread made number N again with no close of N of
  /// its own since it made N before; the close of N by the one thread it made in between
  /// (the one the number was handed to) came first. Sorted.
  std::vector<std::pair<std::size_t, std::size_t>> Edges() const;

 private:
  struct Event {
    bool made;
    std::size_t line;
    std::int32_t tid;
  };
  std::map<std::pair<std::int32_t, int>, std::vector<Event>> events_;  // (process, fd) -> in walk order
  std::map<std::int32_t, std::vector<std::pair<std::size_t, std::int32_t>>> made_threads_;  // maker -> (line, thread)
};

}  // namespace socksim::tools
