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
    "accept", "accept4", "read", "readv", "recv", "recvfrom", "recvmsg", "recvmmsg",
    "poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2",
    "wait4", "waitid", "nanosleep", "clock_nanosleep", "futex", "pause", "rt_sigsuspend",
    "rt_sigtimedwait", "connect", "sendto", "sendmsg", "write", "writev", "sendmmsg"};

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
      if (IsFork(c.name) && c.outcome && c.outcome->value > 0) {
        const auto child = static_cast<std::int32_t>(c.outcome->value);
        if (queues.count(child) != 0 &&
            std::find(runnable.begin(), runnable.end(), child) == runnable.end()) {
          runnable.push_back(child);
        }
      }
      if (kMayWait.count(c.name) != 0) break;
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
