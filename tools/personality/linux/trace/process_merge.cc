// File: tools/personality/linux/trace/process_merge.cc
// The round-robin merge of per-process strace files (process_merge.h).
#include "tools/personality/linux/trace/process_merge.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace socksim::tools {
namespace {

// Calls after which a process may have waited for another one (so another one ran).
const std::set<std::string> kMayWait = {
    "accept", "accept4", "recv", "recvfrom", "recvmsg", "recvmmsg", "poll", "ppoll", "select",
    "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "wait4", "waitid", "nanosleep",
    "clock_nanosleep", "futex", "pause", "rt_sigsuspend", "rt_sigtimedwait", "connect",
    "sendto", "sendmsg", "sendmmsg"};
// Calls that wait only on a descriptor that can wait (a socket, a pipe, an eventfd, stdin):
// reading a file never lets another process run.
const std::set<std::string> kMayWaitOnDescriptor = {"read", "readv", "write", "writev"};
// Calls whose result is a descriptor that can wait.
const std::set<std::string> kMakesWaitable = {"socket", "accept", "accept4", "eventfd",
                                              "eventfd2", "epoll_create", "epoll_create1",
                                              "signalfd4", "timerfd_create"};

bool IsFork(const std::string& name) {
  return name == "clone" || name == "clone3" || name == "fork" || name == "vfork";
}

std::int32_t OwnerOf(const Line& line) {
  if (line.kind == Line::Kind::kCall) return line.call.pid;
  if (line.kind == Line::Kind::kProcessEvent) return line.event.pid;
  if (line.kind == Line::Kind::kUnreadable) return line.unreadable.pid;
  return 0;
}

}  // namespace

Scenario MergePerProcessFiles(const Scenario& parsed) {
  Scenario out;
  out.file = parsed.file;
  out.description = parsed.description;
  out.origin = parsed.origin;
  std::map<std::int32_t, std::deque<const Line*>> queues;
  std::set<std::int32_t> forked;  // ids some line forks
  for (const Line& line : parsed.lines) {
    if (line.kind == Line::Kind::kDirective) {
      out.lines.push_back(line);
      continue;
    }
    queues[OwnerOf(line)].push_back(&line);
    if (line.kind == Line::Kind::kCall && IsFork(line.call.name) && line.call.outcome &&
        line.call.outcome->error_symbol.empty() && line.call.outcome->value > 0) {
      forked.insert(static_cast<std::int32_t>(line.call.outcome->value));
    }
  }
  // Runnable processes in the order they became runnable: the roots (ascending id), then each
  // child once its fork line is placed.
  std::vector<std::int32_t> runnable;
  for (const auto& [pid, queue] : queues) {
    if (forked.count(pid) == 0) runnable.push_back(pid);
  }
  // Descriptors that can wait, per process (a child starts with its parent's; 0 is stdin).
  std::map<std::int32_t, std::set<std::int64_t>> waitable;
  for (std::int32_t root : runnable) waitable[root] = {0};
  auto note = [&](std::int32_t pid, const CallLine& c) {
    auto& fds = waitable[pid];
    const bool ok = c.outcome && c.outcome->error_symbol.empty() && c.outcome->value >= 0;
    if (!ok) return;
    if (kMakesWaitable.count(c.name) != 0) fds.insert(c.outcome->value);
    if ((c.name == "pipe" || c.name == "pipe2" || c.name == "socketpair") && !c.args.empty()) {
      for (const Value& item : c.args.back().items) fds.insert(item.integer);
    }
    if ((c.name == "dup2" || c.name == "dup3") && c.args.size() >= 2) {
      if (fds.count(c.args[0].integer) != 0) {
        fds.insert(c.args[1].integer);
      } else {
        fds.erase(c.args[1].integer);
      }
    }
    if ((c.name == "dup" || c.name == "fcntl") && !c.args.empty() && fds.count(c.args[0].integer) != 0) {
      fds.insert(c.outcome->value);
    }
    if (c.name == "close" && !c.args.empty()) fds.erase(c.args[0].integer);
  };
  auto may_wait = [&](std::int32_t pid, const CallLine& c) {
    if (kMayWait.count(c.name) != 0) return true;
    return kMayWaitOnDescriptor.count(c.name) != 0 && !c.args.empty() &&
           waitable[pid].count(c.args[0].integer) != 0;
  };
  std::size_t turn = 0;
  std::size_t placed = 0;
  std::size_t total = 0;
  for (const auto& [pid, queue] : queues) total += queue.size();
  while (placed < total) {
    std::size_t tried = 0;
    while (tried < runnable.size() && queues[runnable[turn % runnable.size()]].empty()) {
      ++turn;
      ++tried;
    }
    if (tried == runnable.size()) break;  // the rest belongs to processes no line forks
    auto& queue = queues[runnable[turn % runnable.size()]];
    while (!queue.empty()) {
      const Line* line = queue.front();
      queue.pop_front();
      out.lines.push_back(*line);
      ++placed;
      if (line->kind != Line::Kind::kCall) continue;
      const CallLine& c = line->call;
      const std::int32_t pid = c.pid;
      note(pid, c);
      if (IsFork(c.name) && c.outcome && c.outcome->value > 0) {
        const auto child = static_cast<std::int32_t>(c.outcome->value);
        if (queues.count(child) != 0 &&
            std::find(runnable.begin(), runnable.end(), child) == runnable.end()) {
          runnable.push_back(child);
          waitable[child] = waitable[pid];
        }
      }
      if (may_wait(pid, c)) break;
    }
    ++turn;
  }
  // Lines of processes that never became runnable keep their files' order, at the end.
  for (auto& [pid, queue] : queues) {
    for (const Line* line : queue) out.lines.push_back(*line);
  }
  return out;
}

}  // namespace socksim::tools
