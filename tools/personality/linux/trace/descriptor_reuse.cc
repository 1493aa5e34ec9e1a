// File: tools/personality/linux/trace/descriptor_reuse.cc
// The order a descriptor number given out again puts on threads (descriptor_reuse.h).
#include "tools/personality/linux/trace/descriptor_reuse.h"

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

bool HasSymbol(const Value& v, const std::string& flag) {
  if (v.kind == Value::Kind::kSymbol) return std::find(v.flags.begin(), v.flags.end(), flag) != v.flags.end();
  for (const auto& f : v.fields) {
    if (HasSymbol(f.value, flag)) return true;
  }
  for (const auto& item : v.items) {
    if (HasSymbol(item, flag)) return true;
  }
  return false;
}

}  // namespace

void DescriptorReuse::Note(const CallLine& c, std::int32_t process, std::size_t line) {
  const bool ok = c.outcome && c.outcome->kind == Outcome::Kind::kValue && c.outcome->error_symbol.empty() &&
                  c.outcome->value >= 0;
  if (!ok) return;
  const std::int64_t ret = c.outcome->value;
  const auto& a = c.args;
  auto made = [&](std::int64_t fd) {
    if (fd >= 0 && fd <= INT32_MAX) Made(process, static_cast<int>(fd), line, c.pid);
  };
  if (c.name == "close" && !a.empty()) {
    if (a[0].integer >= 0 && a[0].integer <= INT32_MAX) Closed(process, static_cast<int>(a[0].integer), line, c.pid);
  } else if ((c.name == "pipe" || c.name == "pipe2") && !a.empty()) {
    for (const auto& item : a[0].items) made(item.integer);
  } else if (c.name == "socketpair" && a.size() >= 4) {
    for (const auto& item : a[3].items) made(item.integer);
  } else if ((c.name == "dup2" || c.name == "dup3") && a.size() >= 2) {
    made(a[1].integer);
  } else if (kMakesDescriptor.count(c.name) != 0 ||
             (c.name == "fcntl" && a.size() >= 2 && (HasSymbol(a[1], "F_DUPFD") || HasSymbol(a[1], "F_DUPFD_CLOEXEC")))) {
    made(ret);
  } else if ((c.name == "clone" || c.name == "clone3") && ret > 0 && ret <= INT32_MAX) {
    const bool thread = std::any_of(a.begin(), a.end(), [](const Value& v) { return HasSymbol(v, "CLONE_THREAD"); });
    if (thread) ThreadMade(c.pid, static_cast<std::int32_t>(ret), line);
  }
}

void DescriptorReuse::Made(std::int32_t process, int fd, std::size_t line, std::int32_t tid) {
  events_[{process, fd}].push_back(Event{true, line, tid});
}

void DescriptorReuse::Closed(std::int32_t process, int fd, std::size_t line, std::int32_t tid) {
  events_[{process, fd}].push_back(Event{false, line, tid});
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
      if (!e.made) {
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
            if (!c.made && c.tid == handed_to[0]) {
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

}  // namespace socksim::tools
