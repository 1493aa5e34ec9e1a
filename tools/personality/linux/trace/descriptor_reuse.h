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

/// What one successful log line does with descriptor numbers: those it made (its result,
/// pipe's and socketpair's pair, dup2's target), closed, or used as open ones (the descriptor
/// argument of a call on one; epoll_ctl's watched descriptor too), and the thread it made
/// (clone with CLONE_THREAD). Empty for a failed call.
struct DescriptorEvents {
  std::vector<int> made, closed, used;
  std::int32_t thread = 0;
};
DescriptorEvents EventsOf(const CallLine& c);

class DescriptorReuse {
 public:
  /// Thread `tid` of process `process` made descriptor `fd` on `line`.
  void Made(std::int32_t process, int fd, std::size_t line, std::int32_t tid);
  /// Thread `tid` of process `process` closed descriptor `fd` on `line`.
  void Closed(std::int32_t process, int fd, std::size_t line, std::int32_t tid);
  /// Thread `tid` of process `process` used descriptor `fd` (open) on `line`.
  void Used(std::int32_t process, int fd, std::size_t line, std::int32_t tid);
  /// Thread `maker` made thread `thread` on `line`.
  void ThreadMade(std::int32_t maker, std::int32_t thread, std::size_t line);

  /// What a log line of thread `c.pid` of `process` tells: the numbers it made or closed
  /// (a successful call's result, pipe's and socketpair's pair, dup2's target), the thread
  /// it made (clone with CLONE_THREAD).
  void Note(const CallLine& c, std::int32_t process, std::size_t line);

  /// (waiting line, line it waits for): a thread made number N again with no close of N of
  /// its own since it made N before; the close of N by the one thread it made in between
  /// (the one the number was handed to) came first. Each thread's events count in its file's
  /// order only, so any order of the files gives the same answer. Sorted.
  std::vector<std::pair<std::size_t, std::size_t>> Edges() const;
  /// A thread's first use of a number another thread made last (a connection handed over)
  /// came after that making, and a making after another thread's close of the number came
  /// after that close. "Last" is in the order the events were told, which must be one the
  /// lines allow (the proposed order holds such lines until then). Sorted.
  std::vector<std::pair<std::size_t, std::size_t>> HandOverEdges() const;

 private:
  struct Event {
    enum class Kind { kMade, kClosed, kUsed } kind;
    std::size_t line;
    std::int32_t tid;
  };
  std::map<std::pair<std::int32_t, int>, std::vector<Event>> events_;  // (process, fd) -> in walk order
  std::map<std::int32_t, std::vector<std::pair<std::size_t, std::int32_t>>> made_threads_;  // maker -> (line, thread)
};

}  // namespace socksim::tools
