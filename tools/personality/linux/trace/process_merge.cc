// File: tools/personality/linux/trace/process_merge.cc
// The round-robin merge of per-process strace files (process_merge.h).
#include "tools/personality/linux/trace/process_merge.h"

#include "tools/personality/linux/trace/descriptor_reuse.h"
#include "tools/personality/linux/trace/strace_values.h"

#include <algorithm>
#include <climits>
#include <deque>
#include <map>
#include <optional>
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

}  // namespace

std::optional<std::int32_t> WaitedChild(const CallLine& c) {
  // wait4 (and waitpid, its wrapper) returns the id of a child that changed state; the state
  // is an exit or a fatal signal unless the status says it stopped or went on
  // (kernel/exit.c, wait_task_zombie against wait_task_stopped/wait_task_continued).
  if (c.name != "wait4" && c.name != "waitpid") return std::nullopt;
  if (!c.outcome || !c.outcome->error_symbol.empty() || c.outcome->value <= 0 || c.outcome->value > INT32_MAX) {
    return std::nullopt;
  }
  if (c.text.find("WIFSTOPPED") != std::string::npos || c.text.find("WIFCONTINUED") != std::string::npos) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(c.outcome->value);
}

namespace {

std::int32_t OwnerOf(const Line& line) {
  if (line.kind == Line::Kind::kCall) return line.call.pid;
  if (line.kind == Line::Kind::kProcessEvent) return line.event().pid;
  if (line.kind == Line::Kind::kUnreadable) return line.unreadable().pid;
  return 0;
}

}  // namespace

Scenario MergePerProcessFiles(const Scenario& parsed) {
  Scenario out;
  out.file = parsed.file;
  out.description = parsed.description;
  out.origin = parsed.origin;
  std::map<std::int32_t, std::deque<const Line*>> queues;
  // A descriptor number a thread gets again waits for the close that freed it, by another
  // thread (DescriptorReuse); the lines are known here by their place in `parsed`.
  std::map<std::size_t, std::vector<std::size_t>> waits_for;  // line -> lines it waits for
  // (process, fd) -> (line, thread) of the lines that make it, and that close it.
  std::map<std::pair<std::int32_t, int>, std::vector<std::pair<std::size_t, std::int32_t>>> makings, closings;
  {
    std::map<std::int32_t, std::int32_t> process_of;  // thread -> its process (CLONE_THREAD)
    DescriptorReuse reuse;
    for (std::size_t i = 0; i < parsed.lines.size(); ++i) {
      const Line& line = parsed.lines[i];
      if (line.kind != Line::Kind::kCall) continue;
      const CallLine& c = line.call;
      std::int32_t process = c.pid;
      while (process_of.count(process) != 0 && process_of[process] != process) process = process_of[process];
      reuse.Note(c, process, i);
      const bool thread = (c.name == "clone" || c.name == "clone3") && c.outcome && c.outcome->value > 0 &&
                          std::any_of(c.args.begin(), c.args.end(), [](const Value& a) { return strace_values::HasFlag(a, "CLONE_THREAD"); });
      if (thread) process_of[static_cast<std::int32_t>(c.outcome->value)] = process;
    }
    for (const auto& [making, close] : reuse.Edges()) waits_for[making].push_back(close);
    // Where each process's threads make each number, for the uses that need one made first.
    for (std::size_t i = 0; i < parsed.lines.size(); ++i) {
      const Line& line = parsed.lines[i];
      if (line.kind != Line::Kind::kCall) continue;
      std::int32_t process = line.call.pid;
      while (process_of.count(process) != 0 && process_of[process] != process) process = process_of[process];
      const DescriptorEvents e = EventsOf(line.call);
      for (const int fd : e.made) makings[{process, fd}].emplace_back(i, line.call.pid);
      for (const int fd : e.closed) closings[{process, fd}].emplace_back(i, line.call.pid);
    }
  }
  auto index_of = [&](const Line* l) { return static_cast<std::size_t>(l - parsed.lines.data()); };
  std::vector<bool> line_placed(parsed.lines.size(), false);
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
  // Threads: who made each (CLONE_THREAD), the word the kernel clears and wakes when one
  // exits (CLONE_CHILD_CLEARTID: child_tidptr=, clone3's child_tid=), and whom a joiner waits
  // for (FUTEX_WAIT on that word, as pthread_join does) until the thread's lines are placed.
  std::map<std::int32_t, std::int32_t> creator;                  // thread -> the id that made it
  std::map<std::pair<std::int32_t, std::int64_t>, std::int32_t> tid_word;  // (maker, word) -> thread
  std::map<std::int32_t, std::int32_t> joining;                  // id -> thread it waits for
  std::map<std::int32_t, std::set<int>> open_numbers;  // process -> numbers placed lines made open
  auto group_of = [&](std::int32_t id) {
    while (creator.count(id) != 0) id = creator[id];
    return id;
  };
  auto note_thread = [&](const CallLine& c) {
    const bool ok = c.outcome && c.outcome->error_symbol.empty() && c.outcome->value > 0;
    if (!ok || (c.name != "clone" && c.name != "clone3")) return;
    if (!std::any_of(c.args.begin(), c.args.end(), [](const Value& a) { return strace_values::HasFlag(a, "CLONE_THREAD"); })) return;
    const auto thread = static_cast<std::int32_t>(c.outcome->value);
    creator[thread] = c.pid;
    for (const Value& a : c.args) {
      if (const auto word = strace_values::NamedInteger(a, "child_tid")) tid_word[{group_of(c.pid), *word}] = thread;
    }
    for (std::size_t k = 0; k < c.args.size() && k < c.arg_names.size(); ++k) {
      if (c.arg_names[k] == "child_tidptr" && (c.args[k].kind == Value::Kind::kInteger || c.args[k].kind == Value::Kind::kPointer)) {
        tid_word[{group_of(c.pid), c.args[k].integer}] = thread;
      }
    }
  };
  auto note_join = [&](const CallLine& c) {
    if (const auto child = WaitedChild(c)) {
      joining[c.pid] = *child;
      return;
    }
    if (c.name != "futex" || c.args.size() < 2 || !strace_values::HasFlagPrefix(c.args[1], "FUTEX_WAIT")) return;
    if (c.args[0].kind != Value::Kind::kInteger && c.args[0].kind != Value::Kind::kPointer) return;
    const auto it = tid_word.find({group_of(c.pid), c.args[0].integer});
    if (it != tid_word.end() && it->second != c.pid) joining[c.pid] = it->second;
  };
  // Whether `id` cannot go on yet: it joins a thread with lines left, or its next line ends
  // its process (exit_group) while another thread of it has lines left.
  auto held = [&](std::int32_t id) {
    if (const auto j = joining.find(id); j != joining.end()) {
      if (!queues[j->second].empty()) return true;
      joining.erase(j);
    }
    const auto& queue = queues[id];
    if (!queue.empty()) {
      if (const auto w = waits_for.find(index_of(queue.front())); w != waits_for.end()) {
        for (const std::size_t l : w->second) {
          if (!line_placed[l]) return true;
        }
      }
      // A number this thread uses that is not open, and that another thread of its process
      // makes in a line still to come: it was handed over, so it waits for that line. A
      // number it is given that is still open, and that another thread closes in a line still
      // to come: the kernel gives out free numbers only, so it waits for that close.
      if (queue.front()->kind == Line::Kind::kCall) {
        const std::int32_t group = group_of(id);
        const auto& open = open_numbers[group];
        const DescriptorEvents events = EventsOf(queue.front()->call);
        auto pending = [&](const auto& lines, int fd) {
          const auto m = lines.find({group, fd});
          if (m == lines.end()) return false;
          for (const auto& [line, tid] : m->second) {
            if (tid != id && !line_placed[line]) return true;
          }
          return false;
        };
        for (const int fd : events.used) {
          if (open.count(fd) == 0 && pending(makings, fd)) return true;
        }
        if (queue.front()->call.name != "dup2" && queue.front()->call.name != "dup3") {
          for (const int fd : events.made) {
            if (open.count(fd) != 0 && pending(closings, fd)) return true;
          }
        }
      }
    }
    if (queue.empty() || queue.front()->kind != Line::Kind::kCall || queue.front()->call.name != "exit_group") {
      return false;
    }
    for (const auto& [thread, maker] : creator) {
      if (thread != id && group_of(thread) == group_of(id) && !queues[thread].empty()) return true;
    }
    return false;
  };
  std::size_t turn = 0;
  std::size_t placed = 0;
  std::size_t total = 0;
  for (const auto& [pid, queue] : queues) total += queue.size();
  while (placed < total) {
    std::size_t tried = 0;
    auto idle = [&](std::int32_t id) { return queues[id].empty() || held(id); };
    while (tried < runnable.size() && idle(runnable[turn % runnable.size()])) {
      ++turn;
      ++tried;
    }
    bool forced = false;  // the front line goes first even though it is held
    if (tried == runnable.size()) {
      if (std::all_of(runnable.begin(), runnable.end(), [&](std::int32_t id) { return queues[id].empty(); })) {
        break;  // the rest belongs to processes no line forks
      }
      // Everyone left is held: by a thread no line makes runnable, or in a cycle the lines do
      // not show. The next in turn goes on.
      while (queues[runnable[turn % runnable.size()]].empty()) ++turn;
      joining.erase(runnable[turn % runnable.size()]);
      forced = true;
    }
    auto& queue = queues[runnable[turn % runnable.size()]];
    while (!queue.empty()) {
      const Line* line = queue.front();
      if (!forced && held(OwnerOf(*line))) break;
      forced = false;
      queue.pop_front();
      out.lines.push_back(*line);
      line_placed[index_of(line)] = true;
      ++placed;
      if (line->kind != Line::Kind::kCall) continue;
      const CallLine& c = line->call;
      const std::int32_t pid = c.pid;
      note(pid, c);
      note_thread(c);
      note_join(c);
      {
        const DescriptorEvents e = EventsOf(c);
        auto& open = open_numbers[group_of(pid)];
        for (const int fd : e.closed) open.erase(fd);
        for (const int fd : e.made) open.insert(fd);
      }
      if (IsFork(c.name) && c.outcome && c.outcome->value > 0) {
        const auto child = static_cast<std::int32_t>(c.outcome->value);
        if (queues.count(child) != 0 &&
            std::find(runnable.begin(), runnable.end(), child) == runnable.end()) {
          runnable.push_back(child);
          waitable[child] = waitable[pid];
          if (creator.count(child) == 0) open_numbers[child] = open_numbers[group_of(pid)];  // a fork copies the table
        }
      }
      if (may_wait(pid, c) || joining.count(pid) != 0) break;
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
