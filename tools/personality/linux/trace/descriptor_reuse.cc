// File: tools/personality/linux/trace/descriptor_reuse.cc
// The order a descriptor number given out again puts on threads (descriptor_reuse.h).
#include "tools/personality/linux/trace/descriptor_reuse.h"

#include "tools/personality/linux/trace/strace_values.h"

#include <algorithm>
#include <climits>
#include <set>
#include <string>

namespace socksim::tools {
namespace {

// Calls whose result is a new descriptor.
const std::set<std::string> kMakesDescriptor = {
    "socket", "accept", "accept4", "open", "openat", "openat2", "creat", "dup", "eventfd", "eventfd2",
    "epoll_create", "epoll_create1", "signalfd", "signalfd4", "timerfd_create", "memfd_create",
    "inotify_init", "inotify_init1", "fanotify_init", "userfaultfd", "pidfd_open", "pidfd_getfd",
    "perf_event_open", "open_tree", "fsopen", "fspick", "fsmount", "open_by_handle_at",
    "memfd_secret", "io_uring_setup", "mq_open"};

}  // namespace

namespace {

// Calls whose first argument is an open descriptor they act on.
const std::set<std::string> kOnDescriptor = {
    "read", "write", "readv", "writev", "pread64", "pwrite64", "recv", "recvfrom", "recvmsg",
    "recvmmsg", "send", "sendto", "sendmsg", "sendmmsg", "getpeername", "getsockname",
    "getsockopt", "setsockopt", "shutdown", "bind", "listen", "connect", "accept", "accept4",
    "fcntl", "ioctl", "fstat", "lseek", "dup", "dup2", "dup3", "epoll_ctl", "epoll_wait",
    "epoll_pwait", "epoll_pwait2", "close"};

}  // namespace

DescriptorEvents EventsOf(const CallLine& c) {
  DescriptorEvents out;
  const bool ok = c.outcome && c.outcome->kind == Outcome::Kind::kValue && c.outcome->error_symbol.empty() &&
                  c.outcome->value >= 0;
  if (!ok) return out;
  const std::int64_t ret = c.outcome->value;
  const auto& a = c.args;
  auto number = [](std::int64_t fd, std::vector<int>* into) {
    if (fd >= 0 && fd <= INT32_MAX) into->push_back(static_cast<int>(fd));
  };
  auto is_number = [](const Value& v) { return v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kDecorated; };
  if (kOnDescriptor.count(c.name) != 0 && !a.empty() && is_number(a[0])) number(a[0].integer, &out.used);
  if (c.name == "epoll_ctl" && a.size() >= 3 && is_number(a[2])) number(a[2].integer, &out.used);
  if (c.name == "close" && !a.empty() && is_number(a[0])) {
    number(a[0].integer, &out.closed);
  } else if ((c.name == "pipe" || c.name == "pipe2") && !a.empty()) {
    for (const auto& item : a[0].items) number(item.integer, &out.made);
  } else if (c.name == "socketpair" && a.size() >= 4) {
    for (const auto& item : a[3].items) number(item.integer, &out.made);
  } else if ((c.name == "dup2" || c.name == "dup3") && a.size() >= 2) {
    number(a[1].integer, &out.made);
  } else if (kMakesDescriptor.count(c.name) != 0 ||
             (c.name == "fcntl" && a.size() >= 2 && (strace_values::HasFlag(a[1], "F_DUPFD") || strace_values::HasFlag(a[1], "F_DUPFD_CLOEXEC")))) {
    number(ret, &out.made);
  } else if ((c.name == "clone" || c.name == "clone3") && ret > 0 && ret <= INT32_MAX) {
    if (std::any_of(a.begin(), a.end(), [](const Value& v) { return strace_values::HasFlag(v, "CLONE_THREAD"); })) {
      out.thread = static_cast<std::int32_t>(ret);
    }
  }
  return out;
}

void DescriptorReuse::Note(const CallLine& c, std::int32_t process, std::size_t line) {
  const DescriptorEvents e = EventsOf(c);
  for (const int fd : e.used) Used(process, fd, line, c.pid);
  for (const int fd : e.closed) Closed(process, fd, line, c.pid);
  for (const int fd : e.made) Made(process, fd, line, c.pid);
  if (e.thread != 0) ThreadMade(c.pid, e.thread, line);
}

void DescriptorReuse::Made(std::int32_t process, int fd, std::size_t line, std::int32_t tid) {
  events_[{process, fd}].push_back(Event{Event::Kind::kMade, line, tid});
}

void DescriptorReuse::Closed(std::int32_t process, int fd, std::size_t line, std::int32_t tid) {
  events_[{process, fd}].push_back(Event{Event::Kind::kClosed, line, tid});
}

void DescriptorReuse::Used(std::int32_t process, int fd, std::size_t line, std::int32_t tid) {
  events_[{process, fd}].push_back(Event{Event::Kind::kUsed, line, tid});
}

void DescriptorReuse::ThreadMade(std::int32_t maker, std::int32_t thread, std::size_t line) {
  made_threads_[maker].emplace_back(line, thread);
}

std::vector<std::pair<std::size_t, std::size_t>> DescriptorReuse::Edges() const {
  std::set<std::pair<std::size_t, std::size_t>> edges;
  for (const auto& [key, events] : events_) {
    // Each thread's own events are in its file's order, whatever the walk did with the others.
    std::map<std::int32_t, const Event*> last_made;  // tid -> its last making of the number
    std::map<std::int32_t, bool> closed_since;       // tid -> it closed the number since then
    for (const Event& e : events) {
      if (e.kind == Event::Kind::kUsed) continue;
      if (e.kind == Event::Kind::kClosed) {
        closed_since[e.tid] = true;
        continue;
      }
      const auto before = last_made.find(e.tid);
      if (before != last_made.end() && !closed_since[e.tid]) {
        // The number was free again: a thread this one made between the two closed it.
        std::vector<std::int32_t> handed_to;
        if (const auto t = made_threads_.find(e.tid); t != made_threads_.end()) {
          for (const auto& [line, thread] : t->second) {
            if (line > before->second->line && line < e.line) handed_to.push_back(thread);
          }
        }
        if (handed_to.size() == 1) {
          const Event* close = nullptr;
          std::size_t closes = 0;
          for (const Event& c : events) {
            if (c.kind == Event::Kind::kClosed && c.tid == handed_to[0]) {
              ++closes;
              if (close == nullptr) close = &c;
            }
          }
          if (closes >= 1) edges.emplace(e.line, close->line);
        }
      }
      last_made[e.tid] = &e;
      closed_since[e.tid] = false;
    }
  }
  return {edges.begin(), edges.end()};
}

std::vector<std::pair<std::size_t, std::size_t>> DescriptorReuse::HandOverEdges() const {
  std::set<std::pair<std::size_t, std::size_t>> edges;
  for (const auto& [key, events] : events_) {
    const Event* latest_made = nullptr;   // the last making, by any thread
    const Event* latest_close = nullptr;  // the last close, by any thread
    std::set<std::int32_t> used_since;    // threads that used it since the making
    for (const Event& e : events) {
      if (e.kind == Event::Kind::kMade) {
        // Made again after another thread's close: that close freed the number.
        if (latest_close != nullptr && latest_close->tid != e.tid) edges.emplace(e.line, latest_close->line);
        latest_made = &e;
        latest_close = nullptr;
        used_since.clear();
      } else if (e.kind == Event::Kind::kClosed) {
        latest_close = &e;
      } else if (latest_made != nullptr && latest_made->tid != e.tid && used_since.insert(e.tid).second) {
        edges.emplace(e.line, latest_made->line);
      }
    }
  }
  return {edges.begin(), edges.end()};
}

}  // namespace socksim::tools
