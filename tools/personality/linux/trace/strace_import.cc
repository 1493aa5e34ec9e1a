// File: tools/personality/linux/trace/strace_import.cc
// strace log -> runnable scenario. One pass over the log keeps a model of every process's
// descriptor table (what the simulator will have, not what the kernel had), decides which
// lines to keep, and collects the calls where the kernel chose a port or an autobind name and
// the later lines that reveal the choice; the choices become hints on those calls.
#include "tools/personality/linux/trace/strace_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "tools/personality/linux/syscall_table.h"
#include "tools/personality/linux/trace/data_order.h"
#include "tools/personality/linux/trace/descriptor_reuse.h"
#include "tools/personality/linux/trace/kept_lines.h"
#include "tools/personality/linux/trace/process_merge.h"
#include "tools/personality/linux/trace/strace_values.h"
#include "tools/scenario/match.h"

namespace socksim::tools {
namespace {

constexpr const char* kHost = "localhost";
// The most descriptors a call's result may skip over that the log never showed being opened
// (docs/reliability.md): real gaps are a few inherited descriptors.
constexpr int kMaxDescriptorGap = 4096;
// The fewest arguments each call the importer reads takes (as strace prints it): a line with
// fewer is not replayed, and nothing reads past its arguments.
const std::map<std::string, std::size_t> kMinArguments = {
    {"dup", 1},        {"dup2", 2},       {"dup3", 3},       {"open", 2},        {"openat", 3},
    {"creat", 2},      {"fcntl", 2},      {"close", 1},      {"socket", 3},      {"socketpair", 4},
    {"bind", 3},       {"connect", 3},    {"listen", 2},     {"accept", 3},      {"accept4", 4},
    {"getsockname", 3}, {"getpeername", 3}, {"sendto", 6},   {"recvfrom", 6},    {"send", 4},
    {"recv", 4},       {"sendmsg", 3},    {"recvmsg", 3},    {"sendmmsg", 4},    {"recvmmsg", 5},
    {"read", 3},       {"write", 3},      {"readv", 3},      {"writev", 3},      {"setsockopt", 5},
    {"getsockopt", 5}, {"shutdown", 2},   {"ioctl", 2},      {"poll", 3},        {"ppoll", 4},
    {"select", 5},     {"pselect6", 6},   {"epoll_ctl", 4},  {"epoll_wait", 4},  {"epoll_pwait", 5},
    {"pipe", 1},       {"pipe2", 2},      {"eventfd2", 2},   {"close_range", 3}, {"wait4", 4},
    {"futex", 2},      {"unlink", 1},     {"unlinkat", 3},   {"rename", 2},      {"renameat", 4},
    {"renameat2", 5},  {"execve", 3},     {"execveat", 5}};

std::vector<std::string> LinuxCallNames() { return LinuxCallTable::KnownCalls(); }

using strace_values::HasFlag;

const Value* Field(const Value& v, const std::string& name) {
  for (const auto& f : v.fields) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

// sin_port=htons(N) / sin6_port=htons(N) -> N.
std::optional<int> PortOf(const Value& sockaddr) {
  if (sockaddr.kind != Value::Kind::kStruct) return std::nullopt;
  for (const char* name : {"sin_port", "sin6_port"}) {
    const Value* p = Field(sockaddr, name);
    if (p == nullptr) continue;
    if (p->kind == Value::Kind::kCall && p->items.size() == 1 && p->items[0].kind == Value::Kind::kInteger) {
      return static_cast<int>(p->items[0].integer);
    }
    if (p->kind == Value::Kind::kInteger) return static_cast<int>(p->integer);
  }
  return std::nullopt;
}

std::string FamilyOf(const Value& sockaddr) {
  const Value* f = sockaddr.kind == Value::Kind::kStruct ? Field(sockaddr, "sa_family") : nullptr;
  return f != nullptr && f->kind == Value::Kind::kSymbol ? f->text : std::string();
}

// The address text of sin_addr=inet_addr("a") or inet_pton(AF_INET6, "a", &sin6_addr).
std::string AddressOf(const Value& sockaddr) {
  if (sockaddr.kind != Value::Kind::kStruct) return {};
  for (const auto& f : sockaddr.fields) {
    const Value& v = f.value;
    if (v.kind != Value::Kind::kCall) continue;
    if (v.text == "inet_addr" && v.items.size() == 1 && v.items[0].kind == Value::Kind::kString) return v.items[0].text;
    if (v.text == "inet_pton" && v.items.size() >= 2 && v.items[1].kind == Value::Kind::kString) return v.items[1].text;
  }
  return {};
}

std::optional<std::string> AbstractNameOf(const Value& sockaddr) {
  const Value* p = sockaddr.kind == Value::Kind::kStruct ? Field(sockaddr, "sun_path") : nullptr;
  if (p != nullptr && p->kind == Value::Kind::kTagged && p->tag == "@") return p->text;
  return std::nullopt;
}

// Local address of a -y decoration: "TCP:[127.0.0.1:43299]", "TCP:[a:p->b:q]",
// "UDPv6:[[::]:51386]" -> port; "UNIX:[131797,@\"644bc\"]" -> abstract name.
struct DecoratedLocal {
  std::optional<int> port;
  std::optional<std::string> abstract_name;
};

DecoratedLocal ParseDecoration(const std::string& text) {
  DecoratedLocal out;
  const std::size_t colon = text.find(":[");
  if (colon == std::string::npos || text.empty() || text.back() != ']') return out;
  const std::string proto = text.substr(0, colon);
  std::string inner = text.substr(colon + 2, text.size() - colon - 3);
  if (proto.rfind("UNIX", 0) == 0) {
    const std::size_t at = inner.find(",@\"");
    if (at != std::string::npos && inner.find("->") == std::string::npos && inner.size() >= at + 4 &&
        inner.back() == '"') {
      out.abstract_name = inner.substr(at + 3, inner.size() - at - 4);
    }
    return out;
  }
  if (proto != "TCP" && proto != "TCPv6" && proto != "UDP" && proto != "UDPv6") return out;
  const std::size_t arrow = inner.find("->");
  if (arrow != std::string::npos) inner = inner.substr(0, arrow);
  const std::size_t last = inner.rfind(':');
  if (last == std::string::npos || last + 1 >= inner.size()) return out;  // inode only
  int port = 0;
  for (std::size_t i = last + 1; i < inner.size(); ++i) {
    if (inner[i] < '0' || inner[i] > '9') return out;
    port = port * 10 + (inner[i] - '0');
    if (port > 65535) return out;
  }
  out.port = port;
  return out;
}

bool IsLoopbackOrWildcard(const std::string& a) {
  return a.empty() || a == "0.0.0.0" || a == "::" || a == "::1" || a.rfind("127.", 0) == 0 ||
         a.rfind("::ffff:127.", 0) == 0 || a == "::ffff:0.0.0.0";
}

// Calls whose first argument is a descriptor (those the Linux table knows, and common %desc
// calls it does not).
const std::set<std::string> kFdFirst = {
    "bind", "connect", "listen", "accept", "accept4", "getpeername", "getsockname", "shutdown",
    "close", "dup", "dup2", "dup3", "sendto", "send", "write", "recvfrom", "recv", "read",
    "setsockopt", "getsockopt", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "readv", "writev",
    "pread64", "pwrite64", "preadv", "pwritev", "fcntl", "fstat", "fstatfs", "ioctl", "lseek",
    "fsync", "fdatasync", "ftruncate", "fchmod", "fchown", "flock", "getdents64", "sendfile",
    "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "fadvise64", "splice", "tee",
    "fgetxattr", "fsetxattr", "fchdir", "syncfs"};
// Calls outside the model that return a new descriptor.
const std::set<std::string> kCreatesFd = {
    "eventfd", "eventfd2", "epoll_create", "epoll_create1", "signalfd", "signalfd4",
    "timerfd_create", "memfd_create", "inotify_init", "inotify_init1", "fanotify_init",
    "userfaultfd", "pidfd_open", "pidfd_getfd", "perf_event_open", "open_tree", "fsopen",
    "fspick", "fsmount", "creat", "open_by_handle_at", "memfd_secret", "landlock_create_ruleset",
    "bpf", "io_uring_setup", "mq_open"};
// The readiness waits: a signal can end each early with EINTR.
const std::set<std::string> kReadinessWaits = {"poll",       "ppoll",       "select",
                                               "pselect6",   "epoll_wait",  "epoll_pwait",
                                               "epoll_pwait2"};
// Calls the model runs only on sockets; on other descriptors they would diverge.
const std::set<std::string> kSocketIo = {"read", "write"};
// Calls on the file system's names (the simulator's holds only bound UNIX sockets).
const std::set<std::string> kPathCalls = {"unlink", "unlinkat", "rename", "renameat", "renameat2"};
// Calls that read a stream (their result is how many bytes had arrived).
const std::set<std::string> kStreamReads = {"read", "readv", "recv", "recvfrom", "recvmsg"};
// Calls that take data from a descriptor, and that put data into one.
const std::set<std::string> kDataReads = {"read", "readv", "recv", "recvfrom", "recvmsg", "recvmmsg"};
const std::set<std::string> kDataWrites = {"write", "writev", "send", "sendto", "sendmsg", "sendmmsg"};
// Calls that only sockets answer: not replaying one is what --strict fails on.
const std::set<std::string> kSocketCalls = {
    "socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
    "getpeername", "shutdown", "sendto", "send", "recvfrom", "recv", "sendmsg", "recvmsg",
    "sendmmsg", "recvmmsg", "setsockopt", "getsockopt"};
// Descriptor calls that act on a socket when given one (fstat or fadvise on it do not: they
// are the file's, not the socket's).
const std::set<std::string> kSocketDescriptorCalls = {
    "read", "write", "readv", "writev", "ioctl", "fcntl", "close", "dup", "dup2", "dup3",
    "sendfile", "splice", "poll", "select", "epoll_ctl"};
// Address families the model has sockets of; a socket of another family (netlink, packet) is
// a known-unknown.
const std::set<std::string> kModelledFamilies = {"AF_INET", "AF_INET6", "AF_UNIX", "AF_LOCAL",
                                                 "PF_INET", "PF_INET6", "PF_UNIX", "PF_LOCAL"};

struct SockInfo {
  std::string family;        // AF_INET, AF_INET6, AF_UNIX, ...
  bool stream = true;
  bool port_bound = false;   // IP: the socket holds a local port
  bool port_locked = false;  // IP: bound to an explicit port (kept across a disconnect)
  std::optional<int> local_port;
  bool unix_named = false;
  int peer = -1;
  std::optional<int> connected_port;  // datagram association
  bool connect_paired = false;        // stream: its connect is queued for (or met) an accept
  std::string unix_path;              // AF_UNIX: the name it was bound to
  std::string unix_peer_path;         // AF_UNIX datagram: the name it connected to
  bool listening = false;             // stream: listen succeeded
  bool connect_counted = false;       // stream: its connect was counted for the listener's queue
};

struct FdInfo {
  // kModelled: a non-socket object a kept call made (a pipe, an eventfd, an epoll instance),
  // whose calls the simulator answers.
  enum class Kind { kSocket, kUnknown, kFile, kChardev, kPipe, kModelled };
  Kind kind = Kind::kUnknown;
  int sock = -1;
  bool cloexec = false;  // closed by a successful execve
  int pipe = -1;         // kModelled pipe ends: which pipe (both ends share it)
  int counter = -1;      // kModelled eventfd: which counter (every descriptor for it shares it)
  bool pipe_writer = false;  // kModelled pipe: the write end
};

// A write whose data strace cut at its -s limit, and the bytes the reader's lines showed.
struct TruncatedWrite {
  Value* data;
  std::size_t count;
  std::map<std::size_t, char> revealed;
};

struct Candidate {
  std::size_t line;  // the (start) line of the choosing call
  int sock;
  bool port;  // else an autobind name
};

struct Observation {
  std::size_t line;
  int sock;
  std::optional<int> port;
  std::optional<std::string> name;
  bool weak;  // from a -y decoration
};

class Importer {
 public:
  Importer(Scenario in, const ImportOptions& options)
      : in_(std::move(in)), options_(options), keep_(in_.lines) {
    const auto names = options.known_calls.empty() ? LinuxCallNames() : options.known_calls;
    known_.insert(names.begin(), names.end());
    before_.resize(in_.lines.size() + 1);
    after_.resize(in_.lines.size() + 1);
  }

  ImportResult Run() {
    result_.scenario.file = in_.file;
    result_.scenario.origin = in_.origin;
    result_.scenario.description = in_.description;
    bool declared = false;
    for (const auto& line : in_.lines) {
      if (line.kind == Line::Kind::kDirective && line.directive().keyword == "process")
        declared = true;
    }
    if (declared) return PassThrough();
    if (result_.scenario.description.empty()) {
      result_.scenario.description.push_back("what: strace log " + in_.file + " replayed");
      result_.scenario.description.push_back(options_.per_process_files
                                                  ? "source: recorded on Linux with strace -ff"
                                                  : "source: recorded on Linux with strace -f");
    }
    initial_ = FindInitialPid();
    result_.initial_pid = initial_;
    known_pids_.insert(initial_);
    Pair();
    if (options_.per_process_files) FindServers();
    for (std::size_t i = 0; i < in_.lines.size(); ++i) {
      Visit(i);
      if (options_.per_process_files) NoteEnds(i);
    }
    ObservePeersSeen();
    ResolveHints();
    if (options_.per_process_files) OrderWritersAfterReaders();
    OrderJoins();
    OrderDescriptorReuse();
    AdoptRevealedBytes();
    AdoptClock();
    Assemble();
    return std::move(result_);
  }

 private:
  // ---- Setup ---------------------------------------------------------------------------

  // The recorded clock (-t, -tt, -ttt): each kept call says when it started, from the log's
  // first timestamp (`hint at=`; the runner lets virtual time catch up, docs/replay.md). A
  // time of day that goes back crossed midnight. The hint is the last a call gets: Assemble
  // adds it (ClockHint) as it moves the line into the scenario.
  void AdoptClock() {
    for (const auto& line : in_.lines) {
      if (line.timestamp) {
        clock_origin_ = line.timestamp->ns;
        clock_time_of_day_ = line.timestamp->text.find(':') != std::string::npos;
        return;
      }
    }
  }
  // The `at` hint of log line `source`, kept as a call, or nullopt.
  std::optional<CallLine::Hint> ClockHint(const Line& source) const {
    constexpr std::int64_t kDay = 86'400'000'000'000;
    if (!clock_origin_ || !source.timestamp) return std::nullopt;
    std::int64_t since = source.timestamp->ns - *clock_origin_;
    if (since < 0 && clock_time_of_day_) since += kDay;
    if (since < 0) return std::nullopt;
    return CallLine::Hint{
        "at", since % 1000 == 0 ? fmt::format("{}us", since / 1000) : fmt::format("{}ns", since)};
  }

  ImportResult PassThrough() {
    for (auto& line : in_.lines) {
      if (line.kind == Line::Kind::kCall && known_.count(line.call.name) == 0) {
        Skip(line.call, fmt::format("'{}' is not modelled", line.call.name));
        continue;
      }
      if (line.kind == Line::Kind::kProcessEvent &&
          line.event().kind != ProcessEvent::Kind::kExited &&
          line.event().kind != ProcessEvent::Kind::kKilled) {
        continue;
      }
      result_.scenario.lines.push_back(std::move(line));
    }
    return std::move(result_);
  }

  static bool IsForkCall(const std::string& name) {
    return name == "clone" || name == "clone3" || name == "fork" || name == "vfork";
  }

  std::int32_t FindInitialPid() {
    if (options_.initial_pid) return *options_.initial_pid;
    std::set<std::int32_t> children;
    for (const auto& line : in_.lines) {
      if (line.kind == Line::Kind::kProcessEvent &&
          line.event().kind == ProcessEvent::Kind::kAttached) {
        children.insert(line.event().pid);
      }
      if (line.kind == Line::Kind::kCall && IsForkCall(line.call.name) && line.call.outcome &&
          line.call.outcome->kind == Outcome::Kind::kValue && line.call.outcome->value > 0) {
        children.insert(static_cast<std::int32_t>(line.call.outcome->value));
      }
    }
    // Of the pids no line creates, the one alive longest: a process that exits while another
    // such pid lives on is a child whose fork the filter hid, not the one strace started.
    std::vector<std::int32_t> order;           // first appearance
    std::map<std::int32_t, std::size_t> end;   // index of the exit line; absent: never exits
    for (std::size_t i = 0; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      std::int32_t pid = 0;
      if (line.kind == Line::Kind::kCall) pid = line.call.pid;
      if (line.kind == Line::Kind::kProcessEvent &&
          line.event().kind != ProcessEvent::Kind::kAttached) {
        pid = line.event().pid;
        if (line.event().kind != ProcessEvent::Kind::kSignal) end[pid] = i;
      }
      if (pid > 0 && children.count(pid) == 0 && std::find(order.begin(), order.end(), pid) == order.end()) {
        order.push_back(pid);
      }
    }
    if (!order.empty()) {
      std::int32_t best = order.front();
      for (std::int32_t pid : order) {
        const bool best_ends = end.count(best) != 0;
        if (!best_ends) break;
        if (end.count(pid) == 0 || end[pid] > end[best]) best = pid;
      }
      return best;
    }
    // No line names it (strace -f to stderr with one process): the pid the kernel reported in
    // SO_PEERCRED is the best witness left.
    for (const auto& line : in_.lines) {
      const CallLine& c = line.call;
      if (line.kind != Line::Kind::kCall || c.name != "getsockopt" || c.args.size() != 5) continue;
      if (!HasFlag(c.args[2], "SO_PEERCRED")) continue;
      const Value* pid = Field(c.args[3], "pid");
      if (pid != nullptr && pid->kind == Value::Kind::kInteger && pid->integer > 0 &&
          children.count(static_cast<std::int32_t>(pid->integer)) == 0) {
        return static_cast<std::int32_t>(pid->integer);
      }
    }
    return 1;
  }

  std::int32_t Pid(std::int32_t raw) const { return raw == 0 ? initial_ : raw; }
  bool HasThreads(std::int32_t pid) const {
    return std::any_of(threads_.begin(), threads_.end(), [pid](const auto& t) { return t.second == pid; });
  }
  // The process a thread id belongs to (a process's own id names its main thread).
  std::int32_t Proc(std::int32_t tid) const {
    const auto it = threads_.find(tid);
    return it == threads_.end() ? tid : it->second;
  }

  // Joins <unfinished ...> with <... resumed> per pid.
  void Pair() {
    std::map<std::int32_t, std::size_t> open;
    for (std::size_t i = 0; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      if (line.kind != Line::Kind::kCall) continue;
      const CallLine& c = line.call;
      const std::int32_t pid = Pid(c.pid);
      if (c.part == CallPart::kUnfinished) {
        open[pid] = i;
      } else if (c.part == CallPart::kResumed) {
        const auto it = open.find(pid);
        if (it != open.end() && in_.lines[it->second].call.name == c.name) {
          resumed_of_[it->second] = i;
          unfinished_of_[i] = it->second;
          open.erase(it);
          continue;
        }
        // strace prints a resume under the thread that started the call (strace's syscall.c,
        // syscall_exiting_decode: the pair is per traced thread). A resume of a call that
        // another thread has unfinished is not a log strace wrote: the pids were changed or
        // the lines of two logs were mixed. A resume whose start is nowhere (the log began
        // while the call was under way) stays a line that is not replayed.
        for (const auto& [other, start] : open) {
          if (other == pid || in_.lines[start].call.name != c.name) continue;
          const CallLine& started = in_.lines[start].call;
          result_.errors.push_back(Diagnostic{
              c.location,
              fmt::format("pid {} resumes {}, which pid {} started at {} and has not finished: strace "
                          "prints a call's resume under the pid that started it",
                          c.pid, c.name, started.pid, started.location.ToString()),
              {}});
          break;
        }
      }
    }
  }

  // ---- Bookkeeping ---------------------------------------------------------------------

  void Skip(const CallLine& c, std::string reason, ImportFate fate = ImportFate::kNotReplayed) {
    SkippedLine skipped{c.location, c.text, std::move(reason), c.name, fate, false};
    skipped.on_socket = kSocketCalls.count(c.name) != 0 ||
                        (kSocketDescriptorCalls.count(c.name) != 0 && !c.args.empty() &&
                         SockOf(Proc(Pid(c.pid)), c.args[0]) >= 0);
    result_.skipped.push_back(std::move(skipped));
  }

  static Line MakeDirective(const SourceLocation& at, std::string text, std::string keyword,
                            std::vector<std::string> words,
                            std::vector<std::pair<std::string, std::string>> options) {
    Line line;
    line.kind = Line::Kind::kDirective;
    Directive& d = line.mutable_directive();
    d.location = at;
    d.keyword = std::move(keyword);
    d.words = std::move(words);
    for (auto& [k, v] : options) d.options.push_back(Directive::Option{k, v, at});
    d.text = std::move(text);
    return line;
  }

  int LowestFree(std::int32_t pid) {
    const auto& table = fds_[pid];
    int n = 0;
    while (table.count(n) != 0) ++n;
    return n;
  }

  static std::string KindWord(FdInfo::Kind k) {
    switch (k) {
      case FdInfo::Kind::kFile: return "file";
      case FdInfo::Kind::kChardev: return "chardev";
      case FdInfo::Kind::kPipe: return "pipe";
      default: return "unknown";
    }
  }

  // What a -y decoration says about a descriptor that is not a socket the log created.
  static std::pair<FdInfo::Kind, std::string> KindOfDecoration(const std::string& text) {
    if (text.rfind("pipe:[", 0) == 0) return {FdInfo::Kind::kPipe, ""};
    if (!text.empty() && text[0] == '/') {
      const std::size_t lt = text.find('<');
      const std::string path = text.substr(0, lt);
      if (lt != std::string::npos && text.compare(lt, 6, "<char ") == 0) return {FdInfo::Kind::kChardev, path};
      if (lt == std::string::npos) return {FdInfo::Kind::kFile, path};
    }
    return {FdInfo::Kind::kUnknown, ""};
  }

  // The first decoration of descriptor `fd` of `pid` from line `from` on, before the log
  // creates or closes that number again in that pid.
  std::string DecorationAhead(std::int32_t pid, int fd, std::size_t from) {
    for (std::size_t i = from; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      if (line.kind != Line::Kind::kCall || Pid(line.call.pid) != pid) continue;
      const CallLine& c = line.call;
      if (!c.args.empty() && c.args[0].kind == Value::Kind::kDecorated && c.args[0].integer == fd) {
        return c.args[0].text;
      }
      if (c.outcome && c.outcome->kind == Outcome::Kind::kValue && c.outcome->value == fd &&
          c.outcome->error_symbol.empty() && c.name != "close") {
        return {};
      }
      if (c.name == "close" && !c.args.empty() && c.args[0].integer == fd) return {};
    }
    return {};
  }

  // The open flags of descriptor `fd` of `pid` as its first F_GETFL from line `from` on
  // reports them (`= 0x8001 (flags O_WRONLY|O_LARGEFILE)`), before the log changes them
  // (F_SETFL) or makes or closes that number again in that pid; empty when none says. For a
  // file opened outside the trace, whoever opened it decided them: the environment's answer.
  std::string OpenFlagsAhead(std::int32_t pid, int fd, std::size_t from) {
    for (std::size_t i = from; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      if (line.kind != Line::Kind::kCall || Pid(line.call.pid) != pid) continue;
      const CallLine& c = line.call;
      if (c.part == CallPart::kResumed) continue;
      const bool on_fd = !c.args.empty() && c.args[0].integer == fd &&
                         (c.args[0].kind == Value::Kind::kInteger || c.args[0].kind == Value::Kind::kDecorated);
      if (c.name == "fcntl" && on_fd && c.args.size() >= 2 && HasFlag(c.args[1], "F_SETFL")) return {};
      if (c.name == "fcntl" && on_fd && c.args.size() == 2 && HasFlag(c.args[1], "F_GETFL")) {
        if (!c.outcome || !c.outcome->error_symbol.empty()) return {};
        for (const auto& f : c.outcome->annotation_values) {
          if (f.name == "flags" && f.value.kind == Value::Kind::kSymbol) return f.value.text;
        }
        return {};
      }
      if (c.outcome && c.outcome->kind == Outcome::Kind::kValue && c.outcome->value == fd &&
          c.outcome->error_symbol.empty() && c.name != "close" && !on_fd) {
        return {};
      }
      if ((c.name == "dup2" || c.name == "dup3") && c.args.size() >= 2 && c.args[1].integer == fd) return {};
      if (c.name == "close" && on_fd) return {};
    }
    return {};
  }

  // Declares descriptor `fd` of `pid` as existing: in the header when it can have been there
  // from the start, else by an `fd` line before (or after) line `at`.
  void Declare(std::int32_t pid, int fd, std::size_t at, bool after, std::size_t decoration_from,
               FdInfo::Kind kind = FdInfo::Kind::kUnknown, std::string path = {},
               bool cloexec = false, bool existed = false, std::string oflags = {}) {
    if (kind == FdInfo::Kind::kUnknown) {
      const std::string decoration = DecorationAhead(pid, fd, decoration_from);
      std::tie(kind, path) = KindOfDecoration(decoration);
      // A file or device known only by its decoration was opened outside the trace.
      if ((kind == FdInfo::Kind::kFile || kind == FdInfo::Kind::kChardev) && oflags.empty()) {
        oflags = OpenFlagsAhead(pid, fd, decoration_from);
      }
    }
    FdInfo info;
    info.kind = kind;
    info.cloexec = cloexec;
    fds_[pid][fd] = info;
    // A number the initial process was found holding (`existed`: a call used it or stepped
    // over it) without any line of it having made or closed it came from outside: it was
    // there from the start, so every process forked since has it too (the shell's inherited
    // descriptors that `F_DUPFD, 10` steps over).
    const bool header = pid == initial_ && seen_[pid].count(fd) == 0 && ((!forked_ && !after) || existed);
    if (header && forked_) {
      for (auto& [other, table] : fds_) {
        if (other != pid && seen_[other].count(fd) == 0 && table.count(fd) == 0) {
          table[fd] = info;
          seen_[other].insert(fd);
        }
      }
    }
    seen_[pid].insert(fd);
    std::vector<std::pair<std::string, std::string>> opts = {{"kind", KindWord(kind)}};
    // One file per process: the thread whose call this is owns the line (its process's table
    // gets the descriptor), so that it runs in that thread's turn.
    const std::int32_t owner = options_.per_process_files && calling_tid_ != 0 && Proc(calling_tid_) == pid && !header
                                   ? calling_tid_
                                   : pid;
    std::string text = fmt::format("fd {} {} kind={}", owner, fd, KindWord(kind));
    if (!path.empty()) {
      opts.emplace_back("path", path);
      const bool plain = path.find_first_of(" \t\"#=") == std::string::npos;
      text += " path=" + (plain ? path : QuoteStraceString(path));
    }
    if (cloexec) {
      opts.emplace_back("cloexec", "yes");
      text += " cloexec=yes";
    }
    if (!oflags.empty()) {  // the open's flags, which F_GETFL reports back
      opts.emplace_back("oflags", oflags);
      text += " oflags=" + oflags;
    }
    const SourceLocation loc = at < in_.lines.size() ? LocationOf(at) : SourceLocation{in_.file, 1, 1};
    Line d = MakeDirective(loc, text, "fd", {std::to_string(owner), std::to_string(fd)}, opts);
    if (header) {
      header_fds_.push_back(std::move(d));
    } else if (after) {
      after_[at].push_back(std::move(d));
    } else {
      before_[at].push_back(std::move(d));
    }
  }

  SourceLocation LocationOf(std::size_t i) const {
    const Line& l = in_.lines[i];
    if (l.kind == Line::Kind::kCall) return l.call.location;
    if (l.kind == Line::Kind::kProcessEvent) return l.event().location;
    return l.directive().location;
  }

  // A call returned descriptor `fd`: numbers below it the model thinks free were taken by
  // something the log does not show.
  // A kept call that makes a descriptor the model holds open shows that a call the log does
  // not print closed it (close_range and closefrom under an -e filter, a close in a thread the
  // filter hid): it is closed by a synthesized close before the call, so the simulator picks
  // the same number (alloc_fd takes the lowest free one).
  void FillGap(std::int32_t pid, int fd, std::size_t start, bool after) {
    if (fd < 0 || fd > 1 << 20) return;
    // A gap of more numbers than a process inherits or opens unseen is not the environment's
    // doing: it is left as it is (the call's result then diverges, with its location),
    // rather than filled one declaration at a time.
    if (fd - LowestFree(pid) > kMaxDescriptorGap) return;
    if (!after && fds_[pid].count(fd) != 0 && !(options_.per_process_files && HasThreads(pid))) {
      // (Per-process files do not order a thread's lines against its siblings': there the
      // close may come later in the merged log.)
      SynthesizeClose(pid, fd, start, /*before=*/true);
    }
    for (int n = LowestFree(pid); n < fd; n = LowestFree(pid)) {
      Declare(pid, n, start, after, start + 1, FdInfo::Kind::kUnknown, {}, false, true);
    }
  }

  // A descriptor used by a call: make sure the model (and so the simulator) has it.
  void EnsureFd(std::int32_t pid, const Value& v, const CallLine& c, std::size_t start) {
    if (v.kind != Value::Kind::kInteger && v.kind != Value::Kind::kDecorated) return;
    if (v.integer < 0 || v.integer > 1 << 20) return;
    const int fd = static_cast<int>(v.integer);
    if (c.outcome && c.outcome->error_symbol == "EBADF") return;  // it really was not open
    if (fds_[pid].count(fd) != 0) return;
    Declare(pid, fd, start, false, start, FdInfo::Kind::kUnknown, {}, false, true);
  }

  int NewSocket(std::string family, bool stream) {
    SockInfo s;
    s.family = std::move(family);
    s.stream = stream;
    socks_.push_back(s);
    return static_cast<int>(socks_.size()) - 1;
  }

  void Install(std::int32_t pid, int fd, FdInfo info) {
    if (const int w = WritingSide(info); w != -1) writing_held_.emplace(w, pid);
    fds_[pid][fd] = info;
    seen_[pid].insert(fd);
  }

  const FdInfo* FdOf(std::int32_t pid, const Value& v) {
    if (v.kind != Value::Kind::kInteger && v.kind != Value::Kind::kDecorated) return nullptr;
    const auto& table = fds_[pid];
    const auto it = table.find(static_cast<int>(v.integer));
    return it == table.end() ? nullptr : &it->second;
  }

  int SockOf(std::int32_t pid, const Value& v) {
    const FdInfo* info = FdOf(pid, v);
    return info != nullptr && info->kind == FdInfo::Kind::kSocket ? info->sock : -1;
  }

  void Observe(std::size_t line, int sock, std::optional<int> port, std::optional<std::string> name, bool weak) {
    if (sock < 0) return;
    if (port && *port > 0 && !weak) socks_[static_cast<std::size_t>(sock)].local_port = *port;
    observations_.push_back(Observation{line, sock, port, std::move(name), weak});
  }

  void NoteLocalAddress(const Value& sockaddr) {
    const std::string a = AddressOf(sockaddr);
    if (!IsLoopbackOrWildcard(a)) {
      const std::string v4 = a.rfind("::ffff:", 0) == 0 ? a.substr(7) : a;
      local_addresses_.insert(v4);
    }
  }

  // ---- The walk ------------------------------------------------------------------------

  // Makes `pid` a process of the world before line `at` (a fork of the nearest earlier pid).
  void EnsureProcess(std::int32_t pid, std::size_t at) {
    if (known_pids_.count(pid) != 0 || threads_.count(pid) != 0) return;
    std::int32_t parent = initial_;
    for (std::size_t j = at; j-- > 0;) {
      const Line& l = in_.lines[j];
      if (l.kind != Line::Kind::kCall) continue;
      const std::int32_t p = Proc(Pid(l.call.pid));
      if (p != pid && known_pids_.count(p) != 0 && exited_.count(p) == 0) {
        parent = p;
        break;
      }
    }
    Fork(parent, pid);
    result_.warnings.push_back(fmt::format(
        "{}: pid {} appears without the fork that made it (the trace filter hid it): placed as a "
        "child of pid {} just before its first line; record with -f and no -e filter, or with "
        "-e trace=%network,%desc,%process, to replay forks as they happened",
        LocationOf(at).ToString(), pid, parent));
    Line line;
    line.kind = Line::Kind::kCall;
    CallLine& c = line.call;
    c.location = LocationOf(at);
    c.pid = parent;
    c.name = "fork";
    Outcome o;
    o.value = pid;
    o.value_text = std::to_string(pid);
    o.location = c.location;
    c.outcome = o;
    c.text = fmt::format("{} fork() = {}", parent, pid);
    before_[at].push_back(std::move(line));
    ++result_.synthesized;
    // The fork's moment is a guess, and so is what the child inherited: a descriptor the
    // child makes anew before using it was not open in it, so it is closed right after the
    // fork (a synthesized close), keeping the child's numbering the log's.
    std::vector<int> not_inherited;
    for (const auto& [fd, info] : fds_[pid]) {
      if (CreatedBeforeUsed(pid, fd, at)) not_inherited.push_back(fd);
    }
    for (int fd : not_inherited) {
      seen_[pid].erase(fd);
      SynthesizeClose(pid, fd, at, /*before=*/true);
    }
  }

  // Whether the first line of `pid` from `from` on that mentions descriptor `fd` creates it.
  bool CreatedBeforeUsed(std::int32_t pid, int fd, std::size_t from) const {
    for (std::size_t i = from; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      if (line.kind != Line::Kind::kCall || Proc(Pid(line.call.pid)) != pid) continue;
      const CallLine& c = line.call;
      const bool fd_first = kFdFirst.count(c.name) != 0 ||
                            (!c.args.empty() && c.args[0].kind == Value::Kind::kDecorated);
      if (fd_first && !c.args.empty() && c.args[0].integer == fd &&
          (c.args[0].kind == Value::Kind::kInteger || c.args[0].kind == Value::Kind::kDecorated)) {
        return false;
      }
      if ((c.name == "dup2" || c.name == "dup3") && c.args.size() >= 2 && c.args[1].integer == fd) return true;
      if ((c.name == "pipe" || c.name == "pipe2" || c.name == "socketpair") && !c.args.empty()) {
        for (const auto& item : c.args.back().items) {
          if (item.integer == fd) return true;
        }
      }
      if (c.outcome && c.outcome->kind == Outcome::Kind::kValue && c.outcome->error_symbol.empty() &&
          c.outcome->value == fd && !fd_first && c.name != "fork" && c.name != "clone" &&
          c.name != "clone3" && c.name != "vfork") {
        return true;  // socket(), open(), eventfd2(), ... returned it
      }
      if ((c.name == "accept" || c.name == "accept4" || c.name == "dup") && c.outcome &&
          c.outcome->error_symbol.empty() && c.outcome->value == fd) {
        return true;
      }
    }
    return false;
  }

  void Fork(std::int32_t parent, std::int32_t child) {
    fds_[child] = fds_[parent];
    for (const auto& [fd, info] : fds_[child]) seen_[child].insert(fd);
    known_pids_.insert(child);
    forked_ = true;
  }

  void Visit(std::size_t i) {
    const Line& line = in_.lines[i];
    if (line.kind == Line::Kind::kDirective) {
      keep_.Put(i, line);
      return;
    }
    if (line.kind == Line::Kind::kUnreadable) {
      const UnreadableLine& u = line.unreadable();
      SkippedLine skipped{u.location, u.text, "strace printed it in a form socksim cannot read: " + u.message,
                          u.name, ImportFate::kNotReplayed, kSocketCalls.count(u.name) != 0};
      result_.skipped.push_back(std::move(skipped));
      return;
    }
    if (line.kind == Line::Kind::kProcessEvent) {
      const ProcessEvent& ev = line.event();
      const std::int32_t pid = Pid(ev.pid);
      if (ev.kind == ProcessEvent::Kind::kAttached) {
        EnsureProcess(pid, i);
        return;
      }
      if (ev.kind == ProcessEvent::Kind::kStopped || ev.kind == ProcessEvent::Kind::kDetached) {
        // A stop and strace letting go change nothing the model holds; a detached process's
        // later calls are simply not in the log.
        return;
      }
      if (ev.kind == ProcessEvent::Kind::kSignal) {
        result_.skipped.push_back({ev.location, fmt::format("{} --- {} ---", pid, ev.detail),
                                   "signal delivery is not modelled", "(signal)",
                                   ImportFate::kNotReplayed, false});
        return;
      }
      if (threads_.count(pid) != 0) {
        // A thread's end: kept while its process lives (exit_group prints one line per
        // thread, the leader's last; a thread outliving its process has nothing to leave).
        if (exited_.count(Proc(pid)) != 0) return;
        Line kept = line;
        kept.mutable_event().pid = pid;
        keep_.Put(i, std::move(kept));
        threads_.erase(pid);
        return;
      }
      EnsureProcess(pid, i);
      Line kept = line;
      kept.mutable_event().pid = pid;
      exited_.insert(pid);
      exit_kept_at_ = ExitPoint(pid, i);
      keep_.Put(exit_kept_at_, std::move(kept));
      return;
    }
    const CallLine& c = line.call;
    const std::int32_t pid = Pid(c.pid);
    if (c.name == "exit_group" && c.part != CallPart::kUnfinished) exit_group_line_[Proc(pid)] = i;
    if (c.part == CallPart::kUnfinished) {
      const auto resumed = resumed_of_.find(i);
      if (resumed == resumed_of_.end()) {
        Skip(c, "the call never completes in the log");
        return;
      }
      EnsureProcess(pid, i);
      if (IsForkCall(c.name)) {
        // The child runs before the fork returns to the parent (vfork waits for the child's
        // execve; clone's child often prints first): the child exists from the start line.
        Call(Joined(i, resumed->second), pid, i, resumed->second);
        handled_at_start_.insert(resumed->second);
      }
      return;  // otherwise handled with its resumed line
    }
    if (c.part == CallPart::kResumed) {
      if (handled_at_start_.count(i) != 0) return;
      const auto it = unfinished_of_.find(i);
      if (it == unfinished_of_.end()) {
        Skip(c, "resumed call without its start");
        return;
      }
      Call(Joined(it->second, i), pid, it->second, i);
      return;
    }
    EnsureProcess(pid, i);
    Call(c, pid, i, i);
  }

  // Where a process's end (`+++ exited` on line `i`) takes effect: just after its exit_group
  // line (the resumed one of a split call) when the log has one and nothing of the process
  // was kept after it but its threads' ends, which the process's end then covers. strace
  // prints that line at the exit stop, which do_exit reports before exit_files closes the
  // descriptors (kernel/exit.c), and the `+++ exited` line only once it reaps the process: a
  // peer's call printed in between can already see them closed (a FIN read as end of file).
  std::size_t ExitPoint(std::int32_t pid, std::size_t i) {
    const auto g = exit_group_line_.find(pid);
    if (g == exit_group_line_.end() || g->second >= i || keep_.has(g->second)) return i;
    std::vector<std::size_t> thread_ends;
    for (std::size_t k = g->second + 1; k < i; ++k) {
      if (!keep_.has(k)) continue;
      const Line& l = keep_.View(k);
      if (l.kind == Line::Kind::kProcessEvent && l.event().pid != pid &&
          Proc(l.event().pid) == pid) {
        thread_ends.push_back(k);
        continue;
      }
      const std::int32_t owner = keep_.Owner(k);
      if (owner != 0 && Proc(owner) == pid) return i;
    }
    for (std::size_t k : thread_ends) keep_.Drop(k);
    return g->second;
  }

  // The call a split pair makes: the start line's arguments, then the resumed line's, and
  // the resumed line's outcome.
  CallLine Joined(std::size_t start, std::size_t end) const {
    const CallLine& c = in_.lines[end].call;
    CallLine joined = in_.lines[start].call;
    std::size_t first = 0;  // the resumed line's first argument that is a new one
    if (c.resumes_out && !c.args.empty() && !joined.args.empty()) {
      // `<... clone3 resumed> => out, ...`: the start line's last argument gets its out part.
      Value vr;
      vr.kind = Value::Kind::kValueResult;
      vr.location = joined.args.back().location;
      vr.has_out = true;
      vr.text = "=>";
      vr.items.push_back(std::move(joined.args.back()));
      vr.items.push_back(c.args.front());
      joined.args.back() = std::move(vr);
      first = 1;
    }
    const std::size_t added = c.args.size() - first;
    for (std::size_t k = first; k < c.args.size(); ++k) joined.args.push_back(c.args[k]);
    if (!c.arg_names.empty() || !joined.arg_names.empty()) {
      joined.arg_names.resize(joined.args.size() - added);
      for (std::size_t k = first; k < c.arg_names.size(); ++k) {
        joined.arg_names.push_back(c.arg_names[k]);
      }
      joined.arg_names.resize(joined.args.size());
    }
    joined.resumes_out = false;
    joined.outcome = c.outcome;
    joined.part = CallPart::kWhole;
    return joined;
  }

  void Keep(std::size_t start, std::size_t end, std::int32_t pid) {
    for (std::size_t k : {start, end}) keep_.KeepLogLine(k, pid);
  }

  void SkipBoth(std::size_t start, std::size_t end, const std::string& reason,
                ImportFate fate = ImportFate::kNotReplayed) {
    Skip(in_.lines[start].call, reason, fate);
    if (end != start) Skip(in_.lines[end].call, reason, fate);
  }

  // One logical call (joined when split): `start` is its first line, `end` its last.
  void Call(const CallLine& c, std::int32_t tid, std::size_t start, std::size_t end) {
    calling_tid_ = tid;
    CallIn(c, tid, start, end);
    calling_tid_ = 0;
  }

  void CallIn(const CallLine& c, std::int32_t tid, std::size_t start, std::size_t end) {
    if (const auto need = kMinArguments.find(c.name); need != kMinArguments.end() && c.args.size() < need->second) {
      return SkipBoth(start, end, fmt::format("'{}' takes {} argument(s), the line has {}", c.name, need->second,
                                              c.args.size()));
    }
    const std::int32_t pid = Proc(tid);  // whose descriptor table the call uses
    const Outcome* o = c.outcome ? &*c.outcome : nullptr;
    if (o != nullptr && o->injected) return SkipBoth(start, end, "the result was injected by strace (INJECTED)");
    if (o == nullptr || o->kind == Outcome::Kind::kUnknown) {
      return SkipBoth(start, end, o != nullptr && !o->error_symbol.empty()
                                      ? fmt::format("interrupted ({}) and restarted", o->error_symbol)
                                      : "the task died during the call (= ?)");
    }
    const bool ok = o->error_symbol.empty() && o->value >= 0;
    const std::int64_t ret = o->value;

    if (o->error_symbol == "EINTR" && kReadinessWaits.count(c.name) != 0) {
      // A signal ended the real wait early (fs/select.c and fs/eventpoll.c return -EINTR when
      // signal_pending; the timed waits are not restarted). Signals are not modelled, and an
      // interrupted wait changed nothing but the clock: the environment's, adopted.
      return SkipBoth(start, end, "a signal interrupted the wait (signals are not modelled), adopted as recorded",
                      ImportFate::kAdopted);
    }
    if (options_.per_process_files) {
      NoteJoin(c, tid, end, ok, ret);
      descriptor_reuse_.Note(c, pid, start);
    }
    if (IsForkCall(c.name)) return ForkCall(c, tid, start, end, ok, ret);
    if (c.name == "open" || c.name == "openat" || c.name == "creat") return AdoptOpen(c, pid, start, end, ok, ret);
    if (c.name == "execve" || c.name == "execveat") return Exec(c, tid, start, end, ok);
    if (kPathCalls.count(c.name) != 0) return PathCall(c, tid, start, end, ok);

    const bool fd_first = kFdFirst.count(c.name) != 0 ||
                          (!c.args.empty() && c.args[0].kind == Value::Kind::kDecorated);
    if (fd_first && !c.args.empty()) EnsureFd(pid, c.args[0], c, start);
    if (fd_first && !c.args.empty() && c.args[0].kind == Value::Kind::kDecorated) {
      const DecoratedLocal d = ParseDecoration(c.args[0].text);
      if (d.port || d.abstract_name) Observe(start, SockOf(pid, c.args[0]), d.port, d.abstract_name, true);
    }

    if (c.name == "socket" && ok && !c.args.empty() && kModelledFamilies.count(SymbolOf(c.args[0])) == 0) {
      // A family the model has no sockets of (netlink for the resolver's interface list,
      // packet sockets): the descriptor is the environment's, and so are its calls.
      SkipBoth(start, end, fmt::format("{} sockets are not modelled (known-unknown)", SymbolOf(c.args[0])),
               ImportFate::kKnownUnknown);
      FillGap(pid, static_cast<int>(ret), end, true);
      Declare(pid, static_cast<int>(ret), end, true, end + 1, FdInfo::Kind::kUnknown, {},
              HasFlag(c.args[1], "SOCK_CLOEXEC"));
      return;
    }
    if (known_.count(c.name) == 0) return Unmodelled(c, pid, start, end, ok, ret);

    const FdInfo* first = fd_first && !c.args.empty() ? FdOf(pid, c.args[0]) : nullptr;
    if (first != nullptr && first->kind == FdInfo::Kind::kUnknown && c.name == "fcntl" && c.args.size() >= 3) {
      return UnknownFcntl(c, pid, start, end, ok, ret);
    }
    if (first != nullptr && first->kind == FdInfo::Kind::kUnknown && c.name != "close" &&
        c.name != "accept" && c.name != "accept4" && c.name != "dup" && c.name != "dup2" &&
        c.name != "dup3") {
      // Split or whole, a call on a descriptor from outside the model is counted, not run.
      return SkipBoth(start, end, "the descriptor was inherited from outside the trace (known-unknown)",
                      ImportFate::kKnownUnknown);
    }
    if (first != nullptr && first->kind != FdInfo::Kind::kSocket && first->kind != FdInfo::Kind::kUnknown &&
        first->kind != FdInfo::Kind::kModelled && kSocketIo.count(c.name) != 0) {
      return SkipBoth(start, end, fmt::format("{} on a non-socket descriptor is not modelled", c.name));
    }
    if (first != nullptr && first->kind == FdInfo::Kind::kUnknown &&
        (c.name == "accept" || c.name == "accept4" || c.name == "dup" || c.name == "dup2" || c.name == "dup3")) {
      // The runner skips calls on known-unknowns, so the descriptor the call made is declared.
      SkipBoth(start, end, "the descriptor was inherited from outside the trace (known-unknown)",
               ImportFate::kKnownUnknown);
      if (ok) {
        if (c.name == "accept" || c.name == "accept4" || c.name == "dup") FillGap(pid, static_cast<int>(ret), end, true);
        Declare(pid, static_cast<int>(ret), end, true, end + 1);
      }
      return;
    }

    Keep(start, end, tid);
    Effects(c, pid, start, end, ok, ret);
    if (options_.per_process_files) NoteDataOrder(c, pid, start, end, ok, ret);
    if (ok && kReadinessWaits.count(c.name) != 0) AdoptUnknownReadiness(c, pid, start);
  }

  // The numbers a recorded descriptor list or set holds (poll's `[{fd=4, revents=POLLIN}]`,
  // select's `in [0 3]`), with the events each reported (empty for a set).
  static void CollectFds(const Value& v, std::vector<std::pair<std::int64_t, const Value*>>* out) {
    if (v.kind == Value::Kind::kStruct) {
      const Value* fd = nullptr;
      const Value* revents = nullptr;
      for (const auto& f : v.fields) {
        if (f.name == "fd") fd = &f.value;
        if (f.name == "revents") revents = &f.value;
      }
      if (fd != nullptr && (fd->kind == Value::Kind::kInteger || fd->kind == Value::Kind::kDecorated)) {
        out->emplace_back(fd->integer, revents);
      }
      return;
    }
    if (v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kDecorated) {
      out->emplace_back(v.integer, nullptr);
      return;
    }
    for (const auto& item : v.items) CollectFds(item, out);
  }

  // A readiness call that watched a descriptor from outside the model: what that object
  // reported is the environment's (the simulator cannot know whether a terminal had input or
  // an inherited socket had data), so the recorded answer for it is adopted as a `ready`
  // hint, while every modelled descriptor is still computed. poll's revents name it
  // (POLLIN/POLLRDNORM readable, POLLOUT/POLLWRNORM writable); select's sets say `in`/`out`.
  void AdoptUnknownReadiness(const CallLine& c, std::int32_t pid, std::size_t start) {
    if (!keep_.has(start) || !c.outcome) return;
    std::map<std::int64_t, std::pair<bool, bool>> reported;  // fd -> readable, writable
    const bool poll_form = c.name == "poll" || c.name == "ppoll";
    for (const auto& f : c.outcome->annotation_values) {
      std::vector<std::pair<std::int64_t, const Value*>> fds;
      CollectFds(f.value, &fds);
      for (const auto& [fd, revents] : fds) {
        auto& r = reported[fd];
        if (poll_form && f.name.empty() && revents != nullptr) {
          r.first = r.first || HasFlag(*revents, "POLLIN") || HasFlag(*revents, "POLLRDNORM");
          r.second = r.second || HasFlag(*revents, "POLLOUT") || HasFlag(*revents, "POLLWRNORM");
        } else if (!poll_form && f.name == "in") {
          r.first = true;
        } else if (!poll_form && f.name == "out") {
          r.second = true;
        }
      }
    }
    // The descriptors the call watched: poll's array, select's three sets.
    std::vector<std::pair<std::int64_t, const Value*>> watched;
    if (poll_form) {
      if (!c.args.empty()) CollectFds(c.args[0], &watched);
    } else if (c.name == "select" || c.name == "pselect6") {
      for (std::size_t k = 1; k < 4 && k < c.args.size(); ++k) CollectFds(c.args[k], &watched);
    }
    std::set<std::int64_t> done;
    for (const auto& [fd, unused] : watched) {
      (void)unused;
      if (fd < 0 || !done.insert(fd).second) continue;
      const auto& table = fds_[pid];
      const auto it = table.find(static_cast<int>(fd));
      if (it == table.end() || it->second.kind != FdInfo::Kind::kUnknown) continue;
      const auto r = reported.find(fd);
      if (r == reported.end() || (!r->second.first && !r->second.second)) continue;
      const char* what = r->second.first && r->second.second ? "in+out" : r->second.first ? "in" : "out";
      keep_.Edit(start).call.hints.push_back(
          CallLine::Hint{"ready", fmt::format("{}:{}", fd, what)});
    }
  }

  // unlink/rename and their *at forms: the simulator's name space holds only the socket files
  // the log bound, so a call on any other path is the file system's answer, adopted; one on a
  // path a socket of the log holds is checked.
  void PathCall(const CallLine& c, std::int32_t tid, std::size_t start, std::size_t end, bool ok) {
    const auto& a = c.args;
    const bool at_form = c.name != "unlink" && c.name != "rename";
    const std::size_t first = at_form ? 1 : 0;
    const std::size_t second = c.name == "rename" ? 1 : 3;
    const std::string from = a.size() > first ? a[first].text : std::string();
    const bool renaming = c.name.rfind("rename", 0) == 0;
    const std::string to = renaming && a.size() > second ? a[second].text : std::string();
    if (unix_paths_.count(from) == 0 || known_.count(c.name) == 0) {
      return SkipBoth(start, end, "the file system's answer, adopted as recorded", ImportFate::kAdopted);
    }
    Keep(start, end, tid);
    if (!ok) return;
    unix_paths_.erase(from);
    if (renaming) unix_paths_.insert(to);
  }

  // fcntl on a descriptor from outside: not run, but a copy it made (F_DUPFD, F_DUPFD_CLOEXEC)
  // and a close-on-exec flag it set (F_SETFD) are the model's, or the next execve keeps a
  // descriptor the kernel closed (do_close_on_exec). F_DUPFD takes the lowest free number
  // from its argument on (f_dupfd), so the numbers from there to the result were taken.
  void UnknownFcntl(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, bool ok,
                    std::int64_t ret) {
    SkipBoth(start, end, "the descriptor was inherited from outside the trace (known-unknown)",
             ImportFate::kKnownUnknown);
    if (!ok) return;
    const int fd = static_cast<int>(c.args[0].integer);
    const bool dup_cloexec = HasFlag(c.args[1], "F_DUPFD_CLOEXEC");
    if ((HasFlag(c.args[1], "F_DUPFD") || dup_cloexec) && c.args[2].kind == Value::Kind::kInteger &&
        ret >= 0 && ret <= 1 << 20) {
      for (int n = static_cast<int>(std::max<std::int64_t>(c.args[2].integer, 0)); n < ret; ++n) {
        if (fds_[pid].count(n) == 0) Declare(pid, n, start, false, start, FdInfo::Kind::kUnknown, {}, false, true);
      }
      Declare(pid, static_cast<int>(ret), end, true, end + 1, FdInfo::Kind::kUnknown, {}, dup_cloexec);
    } else if (HasFlag(c.args[1], "F_SETFD")) {
      const bool cloexec = HasFlag(c.args[2], "FD_CLOEXEC") || c.args[2].integer == 1;
      if (fds_[pid].at(fd).cloexec != cloexec) {
        Declare(pid, fd, end, true, end + 1, FdInfo::Kind::kUnknown, {}, cloexec);
      }
    }
  }

  static std::string SymbolOf(const Value& v) {
    return v.kind == Value::Kind::kSymbol ? v.text : std::to_string(v.integer);
  }

  // open/openat/creat: the file system's answer is a fact of the trace. A descriptor it gave
  // is declared as a file (a character device under /dev) at that point; a failure changed
  // nothing.
  void AdoptOpen(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, bool ok, std::int64_t ret) {
    SkipBoth(start, end, "the file system's answer, adopted as recorded", ImportFate::kAdopted);
    if (!ok) return;
    const std::size_t path_arg = c.name == "openat" ? 1 : 0;
    const std::string path = c.args.size() > path_arg ? c.args[path_arg].text : std::string();
    bool cloexec = false;
    for (const auto& a : c.args) cloexec = cloexec || HasFlag(a, "O_CLOEXEC");
    const auto kind = path.rfind("/dev/", 0) == 0 ? FdInfo::Kind::kChardev : FdInfo::Kind::kFile;
    // The flags as the open passed them (creat is open with O_WRONLY|O_CREAT|O_TRUNC).
    const std::size_t flags_arg = path_arg + 1;
    std::string oflags = "O_WRONLY|O_CREAT|O_TRUNC";
    if (c.name != "creat") {
      oflags = c.args.size() > flags_arg && c.args[flags_arg].kind == Value::Kind::kSymbol
                   ? c.args[flags_arg].text
                   : std::string();
    }
    FillGap(pid, static_cast<int>(ret), end, true);
    Declare(pid, static_cast<int>(ret), end, true, end + 1, kind, path, cloexec, false, oflags);
  }

  // execve: a failure is the loader's search (adopted); a success closes the close-on-exec
  // descriptors, in the model here and in the simulator by the kept line.
  void Exec(const CallLine& c, std::int32_t tid, std::size_t start, std::size_t end, bool ok) {
    if (!ok || c.name != "execve" || known_.count("execve") == 0) {
      return SkipBoth(start, end, ok ? fmt::format("'{}' is not modelled", c.name)
                                     : "the loader's answer, adopted as recorded",
                      ok ? ImportFate::kNotReplayed : ImportFate::kAdopted);
    }
    Keep(start, end, tid);
    for (std::size_t k : {start, end}) {
      CallLine& kept = keep_.Edit(k).call;
      kept.args.clear();  // argv and the environment are the loader's
      kept.arg_names.clear();
    }
    auto& table = fds_[Proc(tid)];
    for (auto it = table.begin(); it != table.end();) it = it->second.cloexec ? table.erase(it) : std::next(it);
  }

  void ForkCall(const CallLine& c, std::int32_t tid, std::size_t start, std::size_t end, bool ok, std::int64_t ret) {
    const std::int32_t pid = Proc(tid);
    bool thread = false;
    for (const auto& a : c.args) thread = thread || HasFlag(a, "CLONE_THREAD");
    if (!ok || ret <= 0) return SkipBoth(start, end, "a failed fork is not modelled");
    const auto child = static_cast<std::int32_t>(ret);
    if (thread) {
      // A thread shares its process's descriptors: its calls run on the process's table.
      if (threads_.count(child) != 0 || known_pids_.count(child) != 0) {
        return SkipBoth(start, end, "the thread already appeared; it was created before its first line");
      }
      threads_[child] = pid;
      Keep(start, end, tid);
      if (c.name != "clone") {
        // clone3's flags are inside its struct: the model's clone reads flags=.
        Value flags;
        flags.kind = Value::Kind::kSymbol;
        flags.text = "CLONE_VM|CLONE_THREAD";
        flags.flags = {"CLONE_VM", "CLONE_THREAD"};
        for (std::size_t k : {start, end}) {
          CallLine& kept = keep_.Edit(k).call;
          kept.name = "clone";
          kept.args.clear();
          kept.arg_names.clear();
          kept.resumes_out = false;
          if (k == start) {
            kept.args.push_back(flags);
            kept.arg_names.push_back("flags");
          }
        }
      }
      return;
    }
    if (known_pids_.count(child) != 0) {
      return SkipBoth(start, end, "the child already appeared; it was forked before its first line");
    }
    Fork(pid, child);
    data_order_.Forked(pid, child, start);
    Keep(start, end, tid);
    if (c.name == "clone3" || known_.count(c.name) == 0) {
      // The model's fork takes the child pid from the result; the arguments do not matter.
      for (std::size_t k : {start, end}) {
        CallLine& kept = keep_.Edit(k).call;
        kept.name = "fork";
        kept.args.clear();
        kept.arg_names.clear();
        kept.resumes_out = false;
      }
    }
  }

  // A close the log implies but does not print as one, placed after line `at` (or before).
  void SynthesizeClose(std::int32_t pid, int fd, std::size_t at, bool before = false) {
    fds_[pid].erase(fd);
    Line close;
    close.kind = Line::Kind::kCall;
    CallLine& k = close.call;
    k.location = LocationOf(at);
    k.pid = pid;
    k.name = "close";
    Value v;
    v.integer = fd;
    v.location = k.location;
    k.args.push_back(v);
    Outcome zero;
    zero.value_text = "0";
    zero.location = k.location;
    k.outcome = zero;
    k.text = fmt::format("{} close({}) = 0", pid, fd);
    (before ? before_ : after_)[at].push_back(std::move(close));
    ++result_.synthesized;
  }

  // close_range(first, last, flags): the simulator has no such call, so each descriptor the
  // model holds in the range is closed by a synthesized close (__close_range); with
  // CLOSE_RANGE_CLOEXEC they are only marked close-on-exec, which the model keeps for the
  // descriptors it declared.
  void CloseRange(const CallLine& c, std::int32_t pid, std::size_t end) {
    if (c.args.size() < 2 || c.args[0].kind != Value::Kind::kInteger || c.args[1].kind != Value::Kind::kInteger) return;
    const std::int64_t first = c.args[0].integer;
    const std::int64_t last = c.args[1].integer;
    const bool cloexec = c.args.size() >= 3 && HasFlag(c.args[2], "CLOSE_RANGE_CLOEXEC");
    std::vector<int> in_range;
    for (const auto& [fd, info] : fds_[pid]) {
      if (fd >= first && fd <= last) in_range.push_back(fd);
    }
    for (int fd : in_range) {
      FdInfo& info = fds_[pid][fd];
      if (!cloexec) {
        SynthesizeClose(pid, fd, end);
      } else if (info.kind == FdInfo::Kind::kUnknown || info.kind == FdInfo::Kind::kFile ||
                 info.kind == FdInfo::Kind::kChardev) {
        Declare(pid, fd, end, true, end + 1, info.kind, {}, true);
      } else {
        info.cloexec = true;
      }
    }
  }

  // A call outside the model: dropped, but its descriptors are kept in step.
  void Unmodelled(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, bool ok, std::int64_t ret) {
    SkipBoth(start, end, fmt::format("'{}' is not modelled", c.name));
    if (!ok) return;
    if (c.name == "close_range") return CloseRange(c, pid, end);
    std::vector<std::pair<int, FdInfo::Kind>> made;
    if ((c.name == "pipe" || c.name == "pipe2") && !c.args.empty()) {
      for (const auto& item : c.args[0].items) {
        if (item.kind == Value::Kind::kInteger || item.kind == Value::Kind::kDecorated) {
          made.emplace_back(static_cast<int>(item.integer), FdInfo::Kind::kPipe);
        }
      }
    } else if (kCreatesFd.count(c.name) != 0 ||
               (c.name == "fcntl" && c.args.size() >= 2 &&
                (HasFlag(c.args[1], "F_DUPFD") || HasFlag(c.args[1], "F_DUPFD_CLOEXEC")))) {
      made.emplace_back(static_cast<int>(ret), FdInfo::Kind::kUnknown);
    } else if (c.name == "recvmsg" && c.args.size() >= 2) {
      for (int fd : RightsOf(c.args[1])) made.emplace_back(fd, FdInfo::Kind::kUnknown);
    }
    for (const auto& [fd, kind] : made) {
      if (fd < 0) continue;
      if (c.name != "fcntl") FillGap(pid, fd, end, true);
      Declare(pid, fd, end, true, end + 1, kind);
    }
  }

  // The descriptors a msghdr's SCM_RIGHTS control messages carry (cmsg_data=[N, ...]), in
  // order: what sendmsg passed, or the numbers recvmsg installed (scm_detach_fds).
  static std::vector<int> RightsOf(const Value& msghdr) {
    std::vector<int> fds;
    const Value* control = msghdr.kind == Value::Kind::kStruct ? Field(msghdr, "msg_control") : nullptr;
    if (control == nullptr || control->kind != Value::Kind::kArray) return fds;
    for (const auto& cmsg : control->items) {
      const Value* type = Field(cmsg, "cmsg_type");
      const Value* data = Field(cmsg, "cmsg_data");
      if (type == nullptr || data == nullptr || !HasFlag(*type, "SCM_RIGHTS") || !HasFlagless(*data)) continue;
      for (const auto& item : data->items) {
        if (item.integer >= 0 && item.integer <= 1 << 20) fds.push_back(static_cast<int>(item.integer));
      }
    }
    return fds;
  }

  // SCM_RIGHTS through a kept sendmsg and recvmsg: a sendmsg queues what its descriptors
  // refer to on the peer's receive side (unix_scm_to_skb: the skb holds the files); a
  // recvmsg that received some installs them at the numbers the log shows, which are the
  // lowest free ones (scm_detach_fds -> receive_fd_user -> get_unused_fd_flags), so the later
  // calls on them run on the same objects here. MSG_CMSG_CLOEXEC makes them close-on-exec.
  // A descriptor whose sending the model could not follow stays outside it (known-unknown).
  void PassRights(const CallLine& c, std::int32_t pid, std::size_t start, bool ok, SockInfo* s) {
    if (!ok || c.args.size() < 2 || (c.name != "sendmsg" && c.name != "recvmsg")) return;
    const std::vector<int> fds = RightsOf(c.args[1]);
    if (c.name == "sendmsg") {
      if (fds.empty() || s == nullptr || s->family != "AF_UNIX" || s->peer < 0) return;
      std::vector<FdInfo> passed;
      for (int fd : fds) {
        const auto it = fds_[pid].find(fd);
        passed.push_back(it != fds_[pid].end() ? it->second : FdInfo{});
      }
      rights_in_flight_[s->peer].push_back(std::move(passed));
      return;
    }
    if (fds.empty()) return;
    const int sock = SockOf(pid, c.args[0]);
    std::vector<FdInfo> passed;
    if (auto it = rights_in_flight_.find(sock); it != rights_in_flight_.end() && !it->second.empty()) {
      passed = std::move(it->second.front());
      it->second.pop_front();
    }
    const bool cloexec = c.args.size() >= 3 && HasFlag(c.args[2], "MSG_CMSG_CLOEXEC");
    for (std::size_t k = 0; k < fds.size(); ++k) {
      FillGap(pid, fds[k], start, false);
      FdInfo info = k < passed.size() ? passed[k] : FdInfo{};
      info.cloexec = cloexec;
      Install(pid, fds[k], info);
    }
  }

  static bool HasFlagless(const Value& v) {
    if (v.kind != Value::Kind::kArray && v.kind != Value::Kind::kValueResult) return false;
    for (const auto& item : v.items) {
      if (item.kind != Value::Kind::kInteger && item.kind != Value::Kind::kDecorated) return false;
    }
    return !v.items.empty();
  }

  // Descriptor and socket effects of a kept call.
  void Effects(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, bool ok, std::int64_t ret) {
    const auto& a = c.args;
    const int sock = !a.empty() ? SockOf(pid, a[0]) : -1;
    SockInfo* s = sock >= 0 ? &socks_[static_cast<std::size_t>(sock)] : nullptr;
    const bool ip = s != nullptr && (s->family == "AF_INET" || s->family == "AF_INET6");
    if (ok && ret > 0) TrackStream(c, pid, start, end, ret);
    PassRights(c, pid, start, ok, s);
    if (s != nullptr && s->stream && ok && ret > 0 && kStreamReads.count(c.name) != 0 &&
        keep_.has(start)) {
      // How much of the stream had arrived is the recorded run's timing: adopted.
      keep_.Edit(start).call.hints.push_back(CallLine::Hint{"received", std::to_string(ret)});
    }
    if (c.name == "socket" && ok && a.size() == 3) {
      FillGap(pid, static_cast<int>(ret), start, false);
      const std::string family = a[0].kind == Value::Kind::kSymbol ? a[0].text : std::to_string(a[0].integer);
      Install(pid, static_cast<int>(ret), FdInfo{FdInfo::Kind::kSocket, NewSocket(family, !HasFlag(a[1], "SOCK_DGRAM")),
                                                 HasFlag(a[1], "SOCK_CLOEXEC")});
    } else if (c.name == "socketpair" && ok && a.size() == 4) {
      int ends[2] = {-1, -1};
      for (std::size_t k = 0; k < 2 && k < a[3].items.size(); ++k) {
        const int fd = static_cast<int>(a[3].items[k].integer);
        FillGap(pid, fd, start, false);
        ends[k] = NewSocket("AF_UNIX", !HasFlag(a[1], "SOCK_DGRAM"));
        Install(pid, fd, FdInfo{FdInfo::Kind::kSocket, ends[k], HasFlag(a[1], "SOCK_CLOEXEC")});
      }
      if (ends[0] >= 0 && ends[1] >= 0) {
        socks_[static_cast<std::size_t>(ends[0])].peer = ends[1];
        socks_[static_cast<std::size_t>(ends[1])].peer = ends[0];
      }
    } else if ((c.name == "accept" || c.name == "accept4") && ok) {
      FillGap(pid, static_cast<int>(ret), start, false);
      // NewSocket may move socks_, so take what is needed of the listener first.
      const bool have_listener = s != nullptr;
      const std::string family = have_listener ? s->family : "";
      const auto listener_port = have_listener ? s->local_port : std::nullopt;
      const std::string unix_path = have_listener ? s->unix_path : std::string();
      s = nullptr;
      const int accepted = NewSocket(family, true);
      Install(pid, static_cast<int>(ret),
              FdInfo{FdInfo::Kind::kSocket, accepted, a.size() >= 4 && HasFlag(a[3], "SOCK_CLOEXEC")});
      if (have_listener && !ip && !unix_path.empty()) {
        auto& queue = unix_connecting_[unix_path];
        if (!queue.empty()) {
          Link(accepted, queue.front());
          queue.erase(queue.begin());
        } else {
          unix_accepted_[unix_path].push_back(accepted);
        }
      }
      if (have_listener && ip && listener_port && a.size() >= 2) {
        auto& queue = tcp_connecting_[*listener_port];
        if (!queue.empty()) {
          const int connector = queue.front();
          queue.erase(queue.begin());
          Link(accepted, connector);
          Observe(end, connector, PortOf(a[1]), std::nullopt, false);
        } else {
          tcp_accepted_[*listener_port].push_back({accepted, PortOf(a[1])});
        }
      }
    } else if ((c.name == "open" || c.name == "openat") && ok) {
      FillGap(pid, static_cast<int>(ret), start, false);
      const Value& path = c.name == "open" ? a.at(0) : a.at(1);
      Install(pid, static_cast<int>(ret),
              FdInfo{path.text.rfind("/dev/", 0) == 0 ? FdInfo::Kind::kChardev : FdInfo::Kind::kFile, -1});
    } else if ((c.name == "dup" || c.name == "dup2" || c.name == "dup3") && ok) {
      const FdInfo* src = FdOf(pid, a[0]);
      FdInfo copy = src != nullptr ? *src : FdInfo{};
      copy.cloexec = c.name == "dup3" && a.size() >= 3 && HasFlag(a[2], "O_CLOEXEC");
      if (c.name == "dup") FillGap(pid, static_cast<int>(ret), start, false);
      Install(pid, static_cast<int>(ret), copy);
    } else if (c.name == "fcntl" && ok && a.size() >= 2) {
      const bool dup_cloexec = HasFlag(a[1], "F_DUPFD_CLOEXEC");
      if (HasFlag(a[1], "F_DUPFD") || dup_cloexec) {
        // The lowest free number at or above the minimum: the numbers in between that the
        // model thinks free were taken by something the log does not show.
        const std::int64_t lowest = a.size() >= 3 ? std::max<std::int64_t>(0, a[2].integer) : 0;
        for (std::int64_t n = lowest; n < ret && n < (1 << 20); ++n) {
          if (fds_[pid].count(static_cast<int>(n)) == 0) {
            Declare(pid, static_cast<int>(n), start, false, start, FdInfo::Kind::kUnknown, {}, false, true);
          }
        }
        const FdInfo* src = FdOf(pid, a[0]);
        FdInfo copy = src != nullptr ? *src : FdInfo{};
        copy.cloexec = dup_cloexec;
        Install(pid, static_cast<int>(ret), copy);
      } else if (HasFlag(a[1], "F_SETFD") && a.size() >= 3) {
        const auto it = fds_[pid].find(static_cast<int>(a[0].integer));
        if (it != fds_[pid].end()) it->second.cloexec = HasFlag(a[2], "FD_CLOEXEC") || a[2].integer == 1;
      }
    } else if (c.name == "ioctl" && ok && a.size() >= 2 &&
               (HasFlag(a[1], "FIOCLEX") || HasFlag(a[1], "FIONCLEX"))) {
      // do_vfs_ioctl: FIOCLEX and FIONCLEX set and clear close-on-exec on any descriptor.
      const auto it = fds_[pid].find(static_cast<int>(a[0].integer));
      if (it != fds_[pid].end()) it->second.cloexec = HasFlag(a[1], "FIOCLEX");
    } else if ((c.name == "pipe" || c.name == "pipe2") && ok && !a.empty()) {
      const bool cloexec = a.size() >= 2 && HasFlag(a[1], "O_CLOEXEC");
      ++pipes_;
      bool writer = false;  // pipe(2): fildes[0] is the read end, fildes[1] the write end
      for (const auto& item : a[0].items) {
        if (item.kind != Value::Kind::kInteger && item.kind != Value::Kind::kDecorated) continue;
        FillGap(pid, static_cast<int>(item.integer), start, false);
        FdInfo end_info{FdInfo::Kind::kModelled, -1, cloexec, pipes_};
        end_info.pipe_writer = writer;
        writer = true;
        Install(pid, static_cast<int>(item.integer), end_info);
      }
    } else if (kCreatesFd.count(c.name) != 0 && ok) {
      // A kept creator the simulator models (eventfd2, epoll_create1, ...).
      bool cloexec = false;
      for (const auto& arg : a) {
        cloexec = cloexec || HasFlag(arg, "EFD_CLOEXEC") || HasFlag(arg, "EPOLL_CLOEXEC") ||
                  HasFlag(arg, "O_CLOEXEC");
      }
      FillGap(pid, static_cast<int>(ret), start, false);
      FdInfo made{FdInfo::Kind::kModelled, -1, cloexec};
      // A semaphore-mode counter reads as 1 however high it is (fs/eventfd.c): what a read
      // leaves says nothing about what was written, so only a plain counter is followed.
      if (c.name.rfind("eventfd", 0) == 0 && !HasFlag(c.args.size() >= 2 ? a[1] : Value{}, "EFD_SEMAPHORE")) {
        made.counter = counters_++;
      }
      Install(pid, static_cast<int>(ret), made);
    } else if (c.name == "close" && ok && !a.empty()) {
      fds_[pid].erase(static_cast<int>(a[0].integer));
    } else if (c.name == "bind" && s != nullptr && a.size() == 3) {
      if (ip) {
        NoteLocalAddress(a[1]);
        const auto port = PortOf(a[1]);
        if (port && *port == 0 && !s->port_bound) candidates_.push_back({start, sock, true});
        if (ok) {
          s->port_bound = true;
          if (port && *port != 0) {
            s->local_port = *port;
            s->port_locked = true;
          }
        }
      } else if (s->family == "AF_UNIX" && a[2].kind == Value::Kind::kInteger && a[2].integer == 2) {
        if (!s->unix_named) candidates_.push_back({start, sock, false});
        if (ok) s->unix_named = true;
      } else if (ok) {
        s->unix_named = true;
        s->unix_path = UnixName(a[1]);
        if (const Value* path = a[1].kind == Value::Kind::kStruct ? Field(a[1], "sun_path") : nullptr;
            path != nullptr && path->kind == Value::Kind::kString) {
          unix_paths_.insert(path->text);
        }
      }
    } else if (c.name == "listen" && s != nullptr && ip) {
      if (!s->port_bound) candidates_.push_back({start, sock, true});
      if (ok) s->port_bound = true;
    } else if (c.name == "connect" && s != nullptr && !ip && s->stream && ok && a.size() == 3 &&
               !UnixName(a[1]).empty()) {
      // A UNIX stream connection: paired with the accept on the listener bound to the name.
      auto& accepted = unix_accepted_[UnixName(a[1])];
      if (!accepted.empty()) {
        Link(accepted.front(), sock);
        accepted.erase(accepted.begin());
      } else {
        unix_connecting_[UnixName(a[1])].push_back(sock);
      }
    } else if (c.name == "connect" && s != nullptr && ip && a.size() == 3) {
      WaitForServer(start, s->stream, PortOf(a[1]), ok || ErrorOf(c) == "EINPROGRESS");
      const bool unspec = FamilyOf(a[1]) == "AF_UNSPEC";
      const auto port = PortOf(a[1]);
      if (!unspec && !s->port_bound) candidates_.push_back({start, sock, true});
      // A datagram connect binds before routing, so even a failed one keeps its port.
      if (!unspec && (ok || !s->stream)) s->port_bound = true;
      // Disconnecting releases a port the socket did not bind explicitly (__udp_disconnect,
      // tcp_disconnect without SOCK_BINDPORT_LOCK): the next connect chooses again.
      if (unspec && ok && !s->port_locked) s->port_bound = false;
      if (!s->stream) s->connected_port = unspec ? std::nullopt : port;
      // A connect repeated after EINPROGRESS (its result, = 0 or EISCONN) is the same
      // connection: it is paired with an accept once.
      if (s->stream && !unspec && port && !s->connect_paired) {
        s->connect_paired = true;
        auto& accepted = tcp_accepted_[*port];
        if (!accepted.empty()) {
          Link(accepted.front().first, sock);
          Observe(end, sock, accepted.front().second, std::nullopt, false);
          accepted.erase(accepted.begin());
        } else {
          tcp_connecting_[*port].push_back(sock);
        }
      }
    } else if ((c.name == "sendto" || c.name == "send" || c.name == "write") && s != nullptr && ip && !s->stream) {
      if (!s->port_bound) candidates_.push_back({start, sock, true});
      std::optional<int> to = s->connected_port;
      if (c.name == "sendto" && a.size() == 6 && a[4].kind == Value::Kind::kStruct) to = PortOf(a[4]);
      WaitForServer(start, false, to, ok);
      if (ok) {
        s->port_bound = true;
        if (to) UdpSent(*to, sock, start, end, a.size() >= 2 ? ShownBytes(a[1]) : std::string());
      }
    } else if (c.name == "getsockname" && ok && s != nullptr && a.size() == 3) {
      if (ip) {
        NoteLocalAddress(a[1]);
        Observe(end, sock, PortOf(a[1]), std::nullopt, false);
      } else if (const auto name = AbstractNameOf(a[1])) {
        Observe(end, sock, std::nullopt, *name, false);
      }
    } else if (c.name == "getpeername" && ok && s != nullptr && options_.per_process_files && ip && a.size() == 3) {
      // One file per process: the connection may be paired only later in the walk.
      peer_seen_.push_back({end, sock, PortOf(a[1])});
    } else if (c.name == "getpeername" && ok && s != nullptr && s->peer >= 0 && ip && a.size() == 3) {
      Observe(end, s->peer, PortOf(a[1]), std::nullopt, false);
    } else if ((c.name == "sendmsg" || c.name == "sendmmsg") && s != nullptr && ip && !s->stream && a.size() >= 2) {
      // The same for a datagram sent by sendmsg or (one per message sent) sendmmsg: the
      // receiver's msg_name reveals the port the kernel chose.
      if (!s->port_bound) candidates_.push_back({start, sock, true});
      std::vector<const Value*> headers;
      if (c.name == "sendmsg") {
        headers.push_back(&a[1]);
      } else {
        for (const auto& item : a[1].items) {
          if (const Value* h = Field(item, "msg_hdr")) headers.push_back(h);
        }
        if (ok && static_cast<std::size_t>(ret) < headers.size()) headers.resize(static_cast<std::size_t>(ret));
      }
      if (ok) {
        s->port_bound = true;
        for (const Value* h : headers) {
          const Value* name = Field(*h, "msg_name");
          const std::optional<int> to = name != nullptr && name->kind == Value::Kind::kStruct ? PortOf(*name)
                                                                                               : s->connected_port;
          const Value* iov = Field(*h, "msg_iov");
          if (to) UdpSent(*to, sock, start, end, iov != nullptr ? ShownBytes(*iov) : std::string());
        }
      }
    } else if ((c.name == "recvfrom" || c.name == "recvmsg") && ok && s != nullptr && ip && !s->stream &&
               s->local_port) {
      const Value* from = nullptr;
      if (c.name == "recvfrom" && a.size() == 6) from = &a[4];
      if (c.name == "recvmsg" && a.size() >= 2) from = Field(a[1], "msg_name");
      const Value* iov = c.name == "recvfrom" ? &a[1] : Field(a[1], "msg_iov");
      const std::string data = iov != nullptr ? ShownBytes(*iov) : std::string();
      auto& senders = udp_sent_[*s->local_port];
      const auto it = SameData(senders, data);
      if (from != nullptr && it != senders.end()) {
        if (from->kind == Value::Kind::kStruct) Observe(end, it->sock, PortOf(*from), std::nullopt, false);
        senders.erase(it);
      } else if (from != nullptr) {
        // No send printed its result yet: the sender's call is split around this line (or,
        // one file per process, is in a file the walk has not reached there).
        udp_early_[*s->local_port].push_back(
            {end, from->kind == Value::Kind::kStruct ? PortOf(*from) : std::nullopt, data});
      }
    }
  }

  // A datagram sock sent to port `to` by a call on lines `start`..`end`: the sender of the
  // first receipt the log printed between them (a split send whose receiver ran before its
  // result was printed: the datagram left at the start), or else of the next receipt to come.
  // With one file per process any earlier receipt not yet matched is this send's.
  // The datagram's bytes: with one file per process the first receipt that shows the same
  // bytes is this send's (a DNS query's id tells several clients' apart), else the first.
  void UdpSent(int to, int sock, std::size_t start, std::size_t end, const std::string& data) {
    auto& early = udp_early_[to];
    auto match = early.end();
    for (auto it = early.begin(); it != early.end(); ++it) {
      // One file per process (-ff): the receiver's file may come first whatever the order was,
      // and the receipt is the one that shows the same bytes.
      if (!options_.per_process_files && (it->line <= start || it->line >= end)) continue;
      if (options_.per_process_files && !Agree(it->data, data)) continue;
      match = it;
      break;
    }
    if (match != early.end()) {
      // Seen at the receipt; in another file it says only that the port was chosen by the
      // time of this send, which is where it is taken to be revealed.
      const std::size_t seen_at = options_.per_process_files ? std::max(match->line, end) : match->line;
      if (match->port) Observe(seen_at, sock, match->port, std::nullopt, false);
      early.erase(match);
      return;
    }
    udp_sent_[to].push_back({sock, data});
  }

  // The bytes a buffer argument shows (an iovec's, concatenated); strace may have cut them.
  static std::string ShownBytes(const Value& v) {
    if (v.kind == Value::Kind::kString) return v.text;
    std::string out;
    for (const auto& item : v.items) {
      const Value* base = Field(item, "iov_base");
      if (base == nullptr || base->kind != Value::Kind::kString) break;
      out += base->text;
      if (base->truncated) break;
    }
    return out;
  }

  // Whether two shown prefixes of datagrams can be the same datagram.
  static bool Agree(const std::string& a, const std::string& b) {
    const std::size_t n = std::min(a.size(), b.size());
    return a.compare(0, n, b, 0, n) == 0;
  }

  // The datagram sent that a receipt is: the first; with one file per process the first
  // whose shown bytes agree with the receipt's (none: its send is still to come in the walk).
  struct SentDatagram {
    int sock;
    std::string data;
  };
  std::vector<SentDatagram>::iterator SameData(std::vector<SentDatagram>& sent, const std::string& data) {
    if (!options_.per_process_files) return sent.begin();
    return std::find_if(sent.begin(), sent.end(), [&](const SentDatagram& d) { return Agree(d.data, data); });
  }

  // sun_path="/p" or @"name" -> a key naming the socket file or the abstract name.
  static std::string UnixName(const Value& sockaddr) {
    const Value* p = sockaddr.kind == Value::Kind::kStruct ? Field(sockaddr, "sun_path") : nullptr;
    if (p == nullptr) return {};
    if (p->kind == Value::Kind::kTagged && p->tag == "@") return "@" + p->text;
    return p->kind == Value::Kind::kString && !p->text.empty() ? "/" + p->text : std::string();
  }

  // The stream a descriptor writes to: a stream socket's own direction, or a pipe. -1 when
  // the model cannot follow it.
  int WriteStreamOf(std::int32_t pid, const Value& fd) {
    const FdInfo* info = FdOf(pid, fd);
    if (info == nullptr) return -1;
    if (info->kind == FdInfo::Kind::kModelled && info->pipe >= 0) return -2 - info->pipe;
    if (info->kind != FdInfo::Kind::kSocket || info->sock < 0) return -1;
    return socks_[static_cast<std::size_t>(info->sock)].stream ? info->sock : -1;
  }

  // The argument `index` of a kept call as it stands in the kept line that holds it.
  Value* KeptArg(std::size_t start, std::size_t end, std::size_t index) {
    if (!keep_.has(start)) return nullptr;
    auto& first = keep_.Edit(start).call.args;
    if (index < first.size()) return &first[index];
    if (end == start || !keep_.has(end)) return nullptr;
    auto& rest = keep_.Edit(end).call.args;
    const std::size_t k = index - first.size();
    return k < rest.size() ? &rest[k] : nullptr;
  }

  // Follows the bytes of streams from writes to reads: a write strace cut at its -s limit
  // leaves the simulator's copy of the rest unknown (zero), while the reader's line shows
  // those bytes; they are adopted into the write (the data the program really wrote). Each
  // side is counted in its own order and the two are matched by offset once the walk is over
  // (MatchStreamBytes): a reader's line may come first (a write still <unfinished ...>, or a
  // file of its own), and a connection may be paired only later in the walk.
  void TrackStream(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, std::int64_t ret) {
    const bool plain_write = c.name == "write" || c.name == "send" || c.name == "sendto";
    const bool plain_read = c.name == "read" || c.name == "recv" || c.name == "recvfrom";
    const bool other_write = c.name == "writev" || c.name == "sendmsg";
    const bool other_read = c.name == "readv" || c.name == "recvmsg";
    if (c.args.size() < 2 || !(plain_write || plain_read || other_write || other_read)) return;
    const bool reading = plain_read || other_read;
    const auto n = static_cast<std::size_t>(ret);
    if (!reading) {
      const int stream = WriteStreamOf(pid, c.args[0]);
      if (stream == -1) return;
      StreamWrite w{-1, n, n};
      if (plain_write && c.args[1].kind == Value::Kind::kString && c.args[1].truncated &&
          c.args[1].text.size() < n && c.args.size() >= 3 && c.args[2].kind == Value::Kind::kInteger) {
        if (Value* data = KeptArg(start, end, 1)) {
          w.truncated = static_cast<int>(truncated_writes_.size());
          truncated_writes_.push_back(TruncatedWrite{data, static_cast<std::size_t>(c.args[2].integer), {}});
          w.shown = c.args[1].text.size();
        }
      }
      stream_writes_[stream].push_back(w);
      data_order_.Written(StreamChannel(stream), n, start, c.pid);
      return;
    }
    const int endpoint = ReadEndpoint(pid, c.args[0]);
    if (endpoint == -1) return;
    const std::string* shown = plain_read && c.args[1].kind == Value::Kind::kString ? &c.args[1].text : nullptr;
    stream_reads_[endpoint].push_back(StreamRead{n, shown != nullptr ? *shown : std::string()});
    stream_events_.push_back(StreamEvent{false, endpoint, n, end, c.pid, pid, {}});
  }

  // What a stream read is counted on until the walk is over: a stream socket's own id (its
  // peer, which wrote the bytes, may be paired later), a pipe's stream; -1 when the model
  // cannot follow it.
  int ReadEndpoint(std::int32_t pid, const Value& fd) {
    const FdInfo* info = FdOf(pid, fd);
    if (info == nullptr) return -1;
    if (info->kind == FdInfo::Kind::kModelled && info->pipe >= 0) return -2 - info->pipe;
    if (info->kind != FdInfo::Kind::kSocket || info->sock < 0) return -1;
    const SockInfo& s = socks_[static_cast<std::size_t>(info->sock)];
    return s.stream && !s.listening ? info->sock : -1;  // a listener's queue is its own channel
  }

  // The stream a read endpoint reads, now that every pairing is known.
  int StreamRead_(int endpoint) const {
    if (endpoint < -1) return endpoint;  // a pipe
    return socks_[static_cast<std::size_t>(endpoint)].peer;
  }

  // Matches each stream's written bytes with its read bytes by offset, each side in its order.
  // Only the bytes the reads show are visited (the counts are the log's, whatever they say).
  void MatchStreamBytes() {
    for (const auto& [endpoint, reads] : stream_reads_) {
      const int stream = StreamRead_(endpoint);
      const auto w = stream_writes_.find(stream);
      if (stream == -1 || w == stream_writes_.end()) continue;
      const auto& writes = w->second;
      std::size_t wi = 0;
      std::uint64_t woff = 0;  // where writes[wi] starts in the stream
      std::uint64_t roff = 0;  // where the current read starts
      for (const StreamRead& read : reads) {
        const std::uint64_t shown_end = roff + read.shown.size();
        // Each write the shown part of this read overlaps, past what its own line printed.
        while (wi < writes.size() && woff < shown_end) {
          const StreamWrite& write = writes[wi];
          const std::uint64_t cut_from = woff + write.shown;  // its first byte strace did not print
          const std::uint64_t write_end = woff + write.n;
          if (write.truncated >= 0) {
            const std::uint64_t from = std::max(cut_from, roff);
            const std::uint64_t to = std::min(write_end, shown_end);
            auto& revealed = truncated_writes_[static_cast<std::size_t>(write.truncated)].revealed;
            for (std::uint64_t at = from; at < to; ++at) {
              revealed[static_cast<std::size_t>(at - woff)] = read.shown[static_cast<std::size_t>(at - roff)];
            }
          }
          if (write_end > shown_end) break;  // the rest of this write is in later reads
          woff = write_end;
          ++wi;
        }
        roff += read.n;
        // Writes that ended inside the part of the read strace did not show.
        while (wi < writes.size() && woff + writes[wi].n <= roff) {
          woff += writes[wi].n;
          ++wi;
        }
      }
    }
  }

  // Extends each cut write by the bytes its readers showed, as far as they are contiguous.
  void AdoptRevealedBytes() {
    MatchStreamBytes();
    for (auto& w : truncated_writes_) {
      std::string& text = w.data->text;
      for (auto it = w.revealed.find(text.size()); it != w.revealed.end() && it->first == text.size(); ++it) {
        text.push_back(it->second);
      }
      if (text.size() >= w.count) w.data->truncated = false;
    }
  }

  void Link(int x, int y) {
    socks_[static_cast<std::size_t>(x)].peer = y;
    socks_[static_cast<std::size_t>(y)].peer = x;
  }

  // ---- Servers, for -ff logs ----------------------------------------------------------

  static std::string ErrorOf(const CallLine& c) { return c.outcome ? c.outcome->error_symbol : ""; }

  // Where each port's server became reachable: the successful listen on a TCP socket bound to
  // it, the successful bind of a UDP one (the first in the proposed order).
  void FindServers() {
    std::map<std::pair<std::int32_t, std::int64_t>, bool> datagram;  // (pid, fd) -> SOCK_DGRAM
    std::map<std::pair<std::int32_t, std::int64_t>, int> bound;      // (pid, fd) -> port
    for (std::size_t i = 0; i < in_.lines.size(); ++i) {
      const Line& line = in_.lines[i];
      if (line.kind != Line::Kind::kCall || line.call.part == CallPart::kResumed) continue;
      const CallLine& c = line.call;
      const std::int32_t pid = Pid(c.pid);
      const bool ok = c.outcome && c.outcome->kind == Outcome::Kind::kValue &&
                      c.outcome->error_symbol.empty() && c.outcome->value >= 0;
      if (!ok || c.args.empty()) continue;
      const auto key = std::make_pair(pid, c.args[0].integer);
      if (c.name == "socket" && c.args.size() >= 2) {
        datagram[{pid, c.outcome->value}] = HasFlag(c.args[1], "SOCK_DGRAM");
      } else if (c.name == "bind" && c.args.size() >= 2) {
        const auto port = PortOf(c.args[1]);
        if (!port || *port == 0) continue;
        bound[key] = *port;
        if (datagram[key]) udp_server_.emplace(*port, i);
      } else if (c.name == "listen" && bound.count(key) != 0) {
        tcp_server_.emplace(bound[key], i);
      }
    }
  }

  // In a -ff replay, a connect (or a datagram sent) that reached its server in the log waits
  // for the line that made the server reachable, which another file holds.
  void WaitForServer(std::size_t line, bool stream, std::optional<int> port, bool reached) {
    if (!options_.per_process_files || !port || !reached || !keep_.has(line)) return;
    const auto& servers = stream ? tcp_server_ : udp_server_;
    const auto it = servers.find(*port);
    if (it == servers.end()) return;
    keep_.Edit(line).call.hints.push_back(
        CallLine::Hint{"after", LocationOf(it->second).ToString()});
  }

  // ---- What readers did not see, for -ff logs -----------------------------------------

  static std::string StreamChannel(int stream) { return "stream " + std::to_string(stream); }

  // The receive queue of datagrams sent to a port or a UNIX name. An IPv4 and an IPv6 socket
  // may hold the same port (a server listens on both): the family tells them apart.
  static std::string DatagramChannel(const std::string& family, const std::string& to) {
    if (family == "AF_INET" || family == "PF_INET") return "udp " + to;
    if (family == "AF_INET6" || family == "PF_INET6") return "udp6 " + to;
    return "unix " + to;
  }
  // What a datagram socket receives on: its port, or the name it was bound to; empty when the
  // model does not know it.
  static std::string ReceivingChannel(const SockInfo& s) {
    const bool ip = s.family == "AF_INET" || s.family == "AF_INET6" || s.family == "PF_INET" || s.family == "PF_INET6";
    if (ip) return s.local_port ? DatagramChannel(s.family, std::to_string(*s.local_port)) : std::string();
    return s.unix_path.empty() ? std::string() : DatagramChannel(s.family, s.unix_path);
  }

  // The channel a descriptor is read from, other than a stream (ReadEndpoint): an eventfd's
  // counter, a listener's queue, a datagram socket's receive queue; empty when the model
  // cannot follow it.
  std::string ReadChannel(std::int32_t pid, const Value& fd) {
    if (const FdInfo* info = FdOf(pid, fd); info != nullptr && info->counter >= 0) {
      return "eventfd " + std::to_string(info->counter);
    }
    if (const int sock = SockOf(pid, fd); sock >= 0 && socks_[static_cast<std::size_t>(sock)].listening) {
      return AcceptChannel(socks_[static_cast<std::size_t>(sock)]);
    }

    const int sock = SockOf(pid, fd);
    if (sock < 0) return {};
    const SockInfo& s = socks_[static_cast<std::size_t>(sock)];
    return s.stream ? std::string() : ReceivingChannel(s);
  }

  // The stream a descriptor's object writes into, whose end its last close makes: a stream
  // socket's direction, a pipe's write end; -1 for any other.
  int WritingSide(const FdInfo& info) const {
    if (info.kind == FdInfo::Kind::kModelled && info.pipe >= 0) return info.pipe_writer ? -2 - info.pipe : -1;
    if (info.kind != FdInfo::Kind::kSocket || info.sock < 0) return -1;
    return socks_[static_cast<std::size_t>(info.sock)].stream ? info.sock : -1;
  }

  // After line i: the streams whose writing side no live process holds any more ended there
  // (a reader then sees end of file: POLLIN on a socket, POLLHUP on a pipe). A shutdown for
  // writing ends the socket's direction while it stays open.
  void NoteEnds(std::size_t i) {
    const Line& line = in_.lines[i];
    std::size_t at = i;
    if (line.kind == Line::Kind::kProcessEvent) {
      if (line.event().kind != ProcessEvent::Kind::kExited &&
          line.event().kind != ProcessEvent::Kind::kKilled)
        return;
      at = exit_kept_at_;
    } else if (line.kind == Line::Kind::kCall) {
      const CallLine& c = line.call;
      if (c.name == "shutdown" && c.outcome && c.outcome->value == 0 && c.args.size() >= 2 &&
          (HasFlag(c.args[1], "SHUT_WR") || HasFlag(c.args[1], "SHUT_RDWR")) && keep_.has(i)) {
        const int sock = SockOf(Proc(Pid(c.pid)), c.args[0]);
        if (sock >= 0 && socks_[static_cast<std::size_t>(sock)].stream) {
          data_order_.ShutDown(StreamChannel(sock), i, c.pid);
        }
        return;
      }
      if (c.name != "close" && c.name != "dup2" && c.name != "dup3" && c.name != "execve" &&
          c.name != "execveat" && c.name != "close_range" && c.name != "exit_group") {
        return;
      }
    } else {
      return;
    }
    // Who holds which writing side now, against who did at the last such line.
    std::set<std::pair<int, std::int32_t>> held;
    for (const auto& [pid, table] : fds_) {
      if (exited_.count(pid) != 0) continue;
      for (const auto& [fd, info] : table) {
        if (const int w = WritingSide(info); w != -1) held.emplace(w, pid);
      }
    }
    for (const auto& [w, pid] : writing_held_) {
      if (held.count({w, pid}) != 0 || !keep_.has(at)) continue;
      data_order_.Dropped(StreamChannel(w), at, pid, keep_.Owner(at),
                          line.kind == Line::Kind::kProcessEvent);
    }
    writing_held_ = std::move(held);
  }

  // A reader looked at descriptor `fd` on `line` and found nothing to read (nor an end).
  void NoteUnseen(std::int32_t pid, const Value& fd, std::size_t line, std::int32_t tid) {
    if (const int endpoint = ReadEndpoint(pid, fd); endpoint != -1) {
      // A stream: what it reads is known once the walk is over (StreamEvent).
      std::vector<int> held;
      for (const auto& [n, info] : fds_[pid]) {
        if (const int w = WritingSide(info); w != -1) held.push_back(w);
      }
      stream_events_.push_back(StreamEvent{true, endpoint, 0, line, tid, pid, std::move(held)});
      return;
    }
    if (const std::string ch = ReadChannel(pid, fd); !ch.empty()) data_order_.Unseen(ch, line, tid, pid, false);
  }

  // The queue of connections a listener accepts from: its port (by family) or its name.
  static std::string AcceptChannel(const SockInfo& s) {
    const bool ip = s.family == "AF_INET" || s.family == "AF_INET6" || s.family == "PF_INET" || s.family == "PF_INET6";
    if (ip) return s.local_port ? "accept " + DatagramChannel(s.family, std::to_string(*s.local_port)) : std::string();
    return s.unix_path.empty() ? std::string() : "accept " + DatagramChannel(s.family, s.unix_path);
  }

  // A listener's connections, as DataOrder counts them: a connect reaching it is a unit
  // written (sent by the connecting socket, whose port the accept's address names), an
  // accept a unit read; a poll that did not report the listener readable, or an accept that
  // said EAGAIN, found none (inet_csk_listen_poll: readable while the accept queue holds one).
  void NoteConnections(const CallLine& c, std::int32_t pid, std::size_t start, bool ok, std::int64_t ret) {
    const auto& a = c.args;
    const int sock = SockOf(pid, a[0]);
    if (sock < 0) return;
    SockInfo& s = socks_[static_cast<std::size_t>(sock)];
    if (!s.stream) return;
    const bool ip = s.family == "AF_INET" || s.family == "AF_INET6" || s.family == "PF_INET" || s.family == "PF_INET6";
    if (c.name == "listen" && ok) {
      s.listening = true;
      if (const std::string ch = AcceptChannel(s); !ch.empty()) listeners_.insert(ch);
    }
    if (c.name == "connect" && a.size() >= 2 && (ok || ErrorOf(c) == "EINPROGRESS") && a[1].kind == Value::Kind::kStruct) {
      std::string to;
      if (ip) {
        if (const auto port = PortOf(a[1])) to = std::to_string(*port);
      } else {
        to = UnixName(a[1]);
      }
      if (!to.empty() && !s.connect_counted) {
        s.connect_counted = true;  // a connect repeated after EINPROGRESS is the same one
        connections_made_.push_back({"accept " + DatagramChannel(s.family, to), start, c.pid, ip ? sock : -1});
      }
    }
    if ((c.name == "accept" || c.name == "accept4") && ok && ret >= 0 && s.listening) {
      std::string source;
      if (ip && a.size() >= 2 && a[1].kind == Value::Kind::kStruct) {
        if (const auto port = PortOf(a[1])) source = std::to_string(*port);
      }
      if (const std::string ch = AcceptChannel(s); !ch.empty()) data_order_.Read(ch, 1, c.pid, source);
    }
  }

  // Feeds DataOrder what a kept call did with datagrams, and what a look or a read did not see
  // (stream writes and reads come from TrackStream).
  void NoteDataOrder(const CallLine& c, std::int32_t pid, std::size_t start, std::size_t end, bool ok,
                     std::int64_t ret) {
    const auto& a = c.args;
    if (a.empty()) return;
    const bool reading = kDataReads.count(c.name) != 0;
    if (reading && c.outcome && (c.outcome->error_symbol == "EAGAIN" || c.outcome->error_symbol == "EWOULDBLOCK")) {
      NoteUnseen(pid, a[0], end, c.pid);
      return;
    }
    NoteEpollInterest(c, pid, ok, ret);
    if (ok && kReadinessWaits.count(c.name) != 0) return NoteUnseenByLook(c, pid, end);
    if (c.name == "listen" || c.name == "connect" || c.name == "accept" || c.name == "accept4") {
      if ((c.name == "accept" || c.name == "accept4") && (ErrorOf(c) == "EAGAIN" || ErrorOf(c) == "EWOULDBLOCK")) {
        NoteUnseen(pid, a[0], end, c.pid);
        return;
      }
      NoteConnections(c, pid, start, ok, ret);
    }
    if (const FdInfo* info = FdOf(pid, a[0]); info != nullptr && info->counter >= 0) {
      // An eventfd: a write adds its 8-byte value to the counter, a read takes all of it and
      // leaves none (fs/eventfd.c, eventfd_read and eventfd_write).
      const std::string ch = "eventfd " + std::to_string(info->counter);
      const auto value = a.size() >= 2 && ok ? CounterValue(a[1]) : std::nullopt;
      if (!value) return;
      if (c.name == "write") data_order_.Written(ch, *value, start, c.pid);
      if (c.name == "read") {
        data_order_.Read(ch, *value, c.pid);
        data_order_.Unseen(ch, end, c.pid);
      }
      return;
    }
    const int sock = SockOf(pid, a[0]);
    if (sock < 0 || !ok) return;
    SockInfo& s = socks_[static_cast<std::size_t>(sock)];
    if (s.stream) return;
    const bool ip = s.family == "AF_INET" || s.family == "AF_INET6";
    if (c.name == "connect" && !ip && a.size() >= 2) s.unix_peer_path = UnixName(a[1]);
    if (reading) {
      const std::string ch = ReceivingChannel(s);
      // Where the datagram came from, as the call reports it (recvfrom's address, recvmsg's
      // msg_name): an IP sender's port.
      const Value* from = nullptr;
      if (c.name == "recvfrom" && a.size() == 6) from = &a[4];
      if (c.name == "recvmsg" && a.size() >= 2) from = Field(a[1], "msg_name");
      std::string source;
      if (ip && from != nullptr && from->kind == Value::Kind::kStruct) {
        if (const auto port = PortOf(*from)) source = std::to_string(*port);
      }
      if (!ch.empty()) data_order_.Read(ch, c.name == "recvmmsg" ? static_cast<std::size_t>(ret) : 1, c.pid, source);
      return;
    }
    if (kDataWrites.count(c.name) == 0) return;
    // Where each datagram went: the call's address (sendto's, each msghdr's msg_name), else
    // the socket's association.
    std::vector<const Value*> names;
    if (c.name == "sendto" && a.size() == 6) {
      names.push_back(&a[4]);
    } else if (c.name == "sendmsg" && a.size() >= 2) {
      names.push_back(Field(a[1], "msg_name"));
    } else if (c.name == "sendmmsg" && a.size() >= 2) {
      for (const auto& item : a[1].items) {
        const Value* h = Field(item, "msg_hdr");
        names.push_back(h != nullptr ? Field(*h, "msg_name") : nullptr);
      }
      if (static_cast<std::size_t>(ret) < names.size()) names.resize(static_cast<std::size_t>(ret));
    } else {
      names.push_back(nullptr);
    }
    for (const Value* name : names) {
      std::string to;
      if (name != nullptr && name->kind == Value::Kind::kStruct) {
        if (ip) {
          if (const auto port = PortOf(*name)) to = std::to_string(*port);
        } else {
          to = UnixName(*name);
        }
      } else if (ip && s.connected_port) {
        to = std::to_string(*s.connected_port);
      } else if (!ip) {
        to = s.unix_peer_path;
      }
      // The sender's port is known only once the walk is over (a later line may reveal it).
      if (!to.empty()) datagrams_sent_.push_back({DatagramChannel(s.family, to), start, c.pid, ip ? sock : -1});
    }
  }

  // Whether poll's revents report something about input (anything but POLLOUT/POLLWRNORM).
  static bool SeesInput(const Value& revents) {
    if (revents.kind == Value::Kind::kSymbol) {
      return std::any_of(revents.flags.begin(), revents.flags.end(),
                         [](const std::string& f) { return f != "POLLOUT" && f != "POLLWRNORM"; });
    }
    return revents.kind != Value::Kind::kInteger || revents.integer != 0;
  }

  // The 8-byte little-endian value an eventfd read or write carried, as strace printed it.
  static std::optional<std::size_t> CounterValue(const Value& v) {
    if (v.kind != Value::Kind::kString || v.truncated || v.text.size() != 8) return std::nullopt;
    std::uint64_t n = 0;
    for (std::size_t k = 8; k-- > 0;) n = (n << 8) | static_cast<unsigned char>(v.text[k]);
    if (n > (std::uint64_t{1} << 32)) return std::nullopt;  // a count, not a flood
    return static_cast<std::size_t>(n);
  }

  // epoll's interest lists, per process and epoll descriptor: the descriptors level-triggered
  // for input (EPOLLIN without EPOLLET or EPOLLONESHOT), by the data they report as.
  void NoteEpollInterest(const CallLine& c, std::int32_t pid, bool ok, std::int64_t ret) {
    const auto& a = c.args;
    if ((c.name == "epoll_create" || c.name == "epoll_create1") && ok) {
      epoll_interest_.erase({pid, static_cast<int>(ret)});
      return;
    }
    if (c.name != "epoll_ctl" || !ok || a.size() < 3) return;
    auto& list = epoll_interest_[{pid, static_cast<int>(a[0].integer)}];
    const std::int64_t fd = a[2].integer;
    for (auto it = list.begin(); it != list.end();) it = it->second == fd ? list.erase(it) : std::next(it);
    if (HasFlag(a[1], "EPOLL_CTL_DEL") || a.size() < 4) return;
    const Value* events = Field(a[3], "events");
    const Value* data = Field(a[3], "data");
    const Value* u64 = data != nullptr ? Field(*data, "u64") : nullptr;
    if (events == nullptr || u64 == nullptr || !HasFlag(*events, "EPOLLIN") || HasFlag(*events, "EPOLLET") ||
        HasFlag(*events, "EPOLLONESHOT")) {
      return;
    }
    list.emplace_back(u64->integer, fd);
  }

  // An epoll wait that returned fewer events than it could: every descriptor of its interest
  // list watched level-triggered for input that it did not report had nothing to read
  // (ep_send_events reports each ready one, up to maxevents).
  void NoteUnseenByEpoll(const CallLine& c, std::int32_t pid, std::size_t end) {
    const auto& a = c.args;
    if (!c.outcome || a.size() < 3 || a[2].kind != Value::Kind::kInteger || c.outcome->value >= a[2].integer) return;
    const auto it = epoll_interest_.find({pid, static_cast<int>(a[0].integer)});
    if (it == epoll_interest_.end()) return;
    std::map<std::int64_t, int> by_data;  // data -> how many descriptors report as it
    for (const auto& [data, fd] : it->second) ++by_data[data];
    std::set<std::int64_t> reported;
    for (const auto& item : a[1].items) {
      const Value* data = Field(item, "data");
      const Value* u64 = data != nullptr ? Field(*data, "u64") : nullptr;
      if (u64 == nullptr) return;  // a result the model cannot read: it says nothing
      reported.insert(u64->integer);
    }
    for (const auto& [data, fd] : it->second) {
      if (reported.count(data) != 0 || by_data[data] != 1) continue;
      Value v;
      v.kind = Value::Kind::kInteger;
      v.integer = fd;
      NoteUnseen(pid, v, end, c.pid);
    }
  }

  // A readiness call's descriptors watched for input that it did not report readable.
  void NoteUnseenByLook(const CallLine& c, std::int32_t pid, std::size_t end) {
    if (!c.outcome) return;
    if (c.name == "epoll_wait" || c.name == "epoll_pwait" || c.name == "epoll_pwait2") {
      return NoteUnseenByEpoll(c, pid, end);
    }
    const bool poll_form = c.name == "poll" || c.name == "ppoll";
    if (!poll_form && c.name != "select" && c.name != "pselect6") return;
    std::set<std::int64_t> readable;
    for (const auto& f : c.outcome->annotation_values) {
      std::vector<std::pair<std::int64_t, const Value*>> fds;
      CollectFds(f.value, &fds);
      for (const auto& [fd, revents] : fds) {
        // Any event but writability counts as seen: POLLHUP or POLLERR is not "nothing to read".
        const bool seen = poll_form ? f.name.empty() && revents != nullptr && SeesInput(*revents) : f.name == "in";
        if (seen) readable.insert(fd);
      }
    }
    std::vector<std::int64_t> watched;
    if (poll_form) {
      for (const auto& item : c.args[0].items) {
        const Value* fd = Field(item, "fd");
        const Value* events = Field(item, "events");
        if (fd == nullptr || events == nullptr) continue;
        if (HasFlag(*events, "POLLIN") || HasFlag(*events, "POLLRDNORM")) watched.push_back(fd->integer);
      }
    } else if (c.args.size() >= 2) {
      std::vector<std::pair<std::int64_t, const Value*>> set;
      CollectFds(c.args[1], &set);
      for (const auto& [fd, unused] : set) watched.push_back(fd);
    }
    std::set<std::int64_t> done;
    for (const std::int64_t fd : watched) {
      if (fd < 0 || readable.count(fd) != 0 || !done.insert(fd).second) continue;
      Value v;
      v.kind = Value::Kind::kInteger;
      v.integer = fd;
      NoteUnseen(pid, v, end, c.pid);
    }
  }

  // Each write that brought what a look did not see, and each end of a stream, waits for
  // that look (DataOrder).
  void OrderWritersAfterReaders() {
    for (const StreamEvent& e : stream_events_) {
      const int stream = StreamRead_(e.endpoint);
      if (stream == -1) continue;
      const std::string ch = StreamChannel(stream);
      if (e.look) {
        const bool holds = std::find(e.held.begin(), e.held.end(), stream) != e.held.end();
        data_order_.Unseen(ch, e.line, e.owner, e.holder, holds);
      } else {
        data_order_.Read(ch, e.units, e.owner);
      }
    }
    for (auto& d : connections_made_) {
      // An IPv4 connect reaches an IPv6 listener on the port when no IPv4 one holds it (a
      // wildcard [::] listener takes IPv4 connections, as v4-mapped addresses).
      const std::string v6 = "accept udp6 " + d.channel.substr(std::string("accept udp ").size());
      if (d.channel.rfind("accept udp ", 0) == 0 && listeners_.count(d.channel) == 0 && listeners_.count(v6) != 0) {
        d.channel = v6;
      }
      std::string source;
      if (d.sock >= 0) {
        const auto& port = socks_[static_cast<std::size_t>(d.sock)].local_port;
        if (port) source = std::to_string(*port);
      }
      data_order_.Written(d.channel, 1, d.line, d.owner, source);
    }
    for (const auto& d : datagrams_sent_) {
      std::string source;
      if (d.sock >= 0) {
        const auto& port = socks_[static_cast<std::size_t>(d.sock)].local_port;
        if (port) source = std::to_string(*port);
      }
      data_order_.Written(d.channel, 1, d.line, d.owner, source);
    }
    for (const auto& [write, look] : data_order_.Edges()) {
      if (!keep_.has(write) || !keep_.has(look)) continue;
      WaitFor(keep_.Edit(write), look);
    }
  }

  // `line` (a kept call, or a process's end) runs only after kept line k.
  void WaitFor(Line& line, std::size_t k) {
    const CallLine::Hint hint{"after", KeptLocation(k).ToString()};
    auto add = [&](std::vector<CallLine::Hint>& hints) {
      const bool known = std::any_of(hints.begin(), hints.end(), [&](const CallLine::Hint& h) {
        return h.kind == hint.kind && h.value == hint.value;
      });
      if (!known) hints.push_back(hint);
    };
    if (line.kind == Line::Kind::kCall) add(line.call.hints);
    if (line.kind == Line::Kind::kProcessEvent) add(line.mutable_event().hints);
  }

  // Where the runner finds kept line k: a process's end kept at its exit_group line keeps
  // its own location.
  SourceLocation KeptLocation(std::size_t k) const {
    const Line& l = keep_.View(k);
    if (l.kind == Line::Kind::kProcessEvent) return l.event().location;
    if (l.kind == Line::Kind::kCall) return l.call.location;
    return LocationOf(k);
  }

  // ---- Descriptor numbers given out again, for -ff logs --------------------------------

  // Each making of a number again waits for the other thread's close that freed it.
  void OrderDescriptorReuse() {
    for (const auto& [making, close] : descriptor_reuse_.Edges()) {
      if (keep_.has(making) && keep_.has(close)) WaitFor(keep_.Edit(making), close);
    }
    for (const auto& [use, making] : descriptor_reuse_.HandOverEdges()) {
      if (keep_.has(use) && keep_.has(making)) WaitFor(keep_.Edit(use), making);
    }
  }

  // ---- Threads joined, for -ff logs ----------------------------------------------------

  // A child reaped by wait4 had ended (WaitedChild). A thread made with CLONE_CHILD_CLEARTID
  // has the kernel clear its id word and wake the futex there when it exits (kernel/fork.c,
  // mm_release); pthread_join waits on that word (FUTEX_WAIT with the thread's id), and finds
  // it cleared (EAGAIN) once the thread is gone. Either way the joiner's next line comes
  // after the thread's end.
  void NoteJoin(const CallLine& c, std::int32_t tid, std::size_t end, bool ok, std::int64_t ret) {
    if (const auto child = WaitedChild(c)) {
      joins_.push_back({end, tid, *child});  // the reaped child's lines came first
      return;
    }
    if ((c.name == "clone" || c.name == "clone3") && ok && ret > 0) {
      bool thread = false;
      for (const auto& a : c.args) thread = thread || HasFlag(a, "CLONE_THREAD");
      std::optional<std::int64_t> word;
      for (std::size_t k = 0; k < c.args.size() && !word; ++k) {
        if (k < c.arg_names.size() && c.arg_names[k] == "child_tidptr" &&
            (c.args[k].kind == Value::Kind::kInteger || c.args[k].kind == Value::Kind::kPointer)) {
          word = c.args[k].integer;
        }
        if (!word) word = strace_values::NamedInteger(c.args[k], "child_tid");
      }
      if (thread && word) tid_word_[{Proc(tid), *word}] = static_cast<std::int32_t>(ret);
      return;
    }
    if (c.name != "futex" || c.args.size() < 3 || !strace_values::HasFlagPrefix(c.args[1], "FUTEX_WAIT")) return;
    if (c.args[0].kind != Value::Kind::kInteger && c.args[0].kind != Value::Kind::kPointer) return;
    const auto it = tid_word_.find({Proc(tid), c.args[0].integer});
    if (it == tid_word_.end() || it->second == tid) return;
    const bool gone = ok || (c.outcome && c.outcome->error_symbol == "EAGAIN");
    if (gone) joins_.push_back({end, tid, it->second});
  }


  // The joiner's next kept call waits for the joined thread's last kept line.
  void OrderJoins() {
    std::map<std::int32_t, std::size_t> last;  // owner -> its last kept line
    for (std::size_t k = 0; k < keep_.size(); ++k) {
      if (keep_.has(k)) last[keep_.Owner(k)] = k;
    }
    for (const Join& j : joins_) {
      const auto thread_end = last.find(j.thread);
      if (thread_end == last.end()) continue;
      for (std::size_t k = j.line + 1; k < keep_.size(); ++k) {
        if (!keep_.has(k) || keep_.Owner(k) != j.joiner) continue;
        WaitFor(keep_.Edit(k), thread_end->second);
        break;
      }
    }
  }

  // ---- Hints and output ----------------------------------------------------------------

  // -ff: what a getpeername showed of the peer it was paired with by the walk's end. In
  // another file, it says only that the peer's port was chosen by then: it is taken to be
  // revealed after the peer's choosing calls.
  void ObservePeersSeen() {
    for (const auto& seen : peer_seen_) {
      const int peer = socks_[static_cast<std::size_t>(seen.sock)].peer;
      if (peer < 0) continue;
      std::size_t line = seen.line;
      for (const Candidate& cand : candidates_) {
        if (cand.sock == peer) line = std::max(line, cand.line + 1);
      }
      Observe(line, peer, seen.port, std::nullopt, false);
    }
  }

  void ResolveHints() {
    for (const Candidate& cand : candidates_) {
      const Observation* found = nullptr;
      for (int pass = 0; pass < 2 && found == nullptr; ++pass) {
        for (const auto& ob : observations_) {
          if (ob.sock != cand.sock || ob.weak != (pass == 1)) continue;
          if (pass == 0 ? ob.line < cand.line : ob.line <= cand.line) continue;
          if (cand.port ? !(ob.port && *ob.port > 0) : !ob.name) continue;
          found = &ob;
          break;
        }
      }
      if (found == nullptr || !keep_.has(cand.line)) continue;
      CallLine& call = keep_.Edit(cand.line).call;
      if (cand.port) {
        call.hints.push_back(CallLine::Hint{"port", std::to_string(*found->port)});
      } else {
        call.hints.push_back(CallLine::Hint{"autobind", *found->name});
      }
    }
  }

  // The scenario: its header, then for each log line what goes before it, the line if kept,
  // and what goes after it. Assembled in the log's own vector, so that a long log's lines are
  // not held twice at the import's peak (bench/README.md): the kept lines are first moved to
  // the front in order (each only ever moves towards the front), the vector is sized to the
  // scenario, and then filled from the back (each kept line only ever moves towards the back,
  // into room already emptied).
  void Assemble() {
    std::vector<Line> head;
    const SourceLocation top{in_.file, 1, 1};
    head.push_back(MakeDirective(top, "personality linux", "personality", {"linux"}, {}));
    if (options_.per_process_files) {
      head.push_back(MakeDirective(top, "interleaving unknown", "interleaving", {"unknown"}, {}));
    }
    head.push_back(MakeDirective(top, std::string("host ") + kHost, "host", {kHost}, {}));
    if (!local_addresses_.empty()) {
      std::string list;
      for (const auto& a : local_addresses_) {
        if (!list.empty()) list += ",";
        list += a + (a.find(':') != std::string::npos ? "/128" : "/32");
      }
      head.push_back(MakeDirective(top, "host peer", "host", {"peer"}, {}));
      head.push_back(
          MakeDirective(top, fmt::format("link {} peer latency=0ns {}={}", kHost, kHost, list),
                        "link", {kHost, "peer"}, {{"latency", "0ns"}, {kHost, list}}));
    }
    const std::uint32_t uid = options_.uid.value_or(0);
    const std::uint32_t gid = options_.gid.value_or(0);
    head.push_back(MakeDirective(
        top, fmt::format("process {} host={} uid={} gid={} stdio=no", initial_, kHost, uid, gid),
        "process", {std::to_string(initial_)},
        {{"host", kHost},
         {"uid", std::to_string(uid)},
         {"gid", std::to_string(gid)},
         {"stdio", "no"}}));
    for (auto& d : header_fds_) head.push_back(std::move(d));

    std::vector<Line>& lines = in_.lines;
    const std::size_t n = lines.size();
    // The kept lines, to the front in order, each with its clock hint (the hint is read from
    // the log's line before it is taken: taking the log's own line empties it). Line i is
    // still in place when it is reached, as every earlier line went to a place before i.
    std::vector<bool> kept_at(n, false);
    std::size_t kept = 0;
    std::size_t added = head.size();
    for (std::size_t i = 0; i < n; ++i) {
      added += before_[i].size() + after_[i].size();
      if (!keep_.has(i)) continue;
      std::optional<CallLine::Hint> at = ClockHint(lines[i]);
      Line taken = keep_.Take(i);
      if (at && taken.kind == Line::Kind::kCall) taken.call.hints.push_back(std::move(*at));
      lines[kept++] = std::move(taken);
      kept_at[i] = true;
    }
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(kept), lines.end());
    lines.resize(kept + added);
    // From the back: slot `to - 1` is the next to fill; kept lines [0, from) are still to
    // place, and each goes to a slot at or after its own.
    std::size_t to = lines.size();
    std::size_t from = kept;
    auto place = [&](std::vector<Line>& more) {
      for (auto it = more.rbegin(); it != more.rend(); ++it) lines[--to] = std::move(*it);
      more = {};  // what the scenario now holds goes at once
    };
    for (std::size_t i = n; i-- > 0;) {
      place(after_[i]);
      if (kept_at[i]) {
        --from;
        --to;
        if (to != from) lines[to] = std::move(lines[from]);
      }
      place(before_[i]);
    }
    place(head);
    result_.scenario.lines = std::move(lines);
  }

  Scenario in_;
  ImportOptions options_;
  std::set<std::string> known_;
  ImportResult result_;
  std::int32_t initial_ = 1;
  bool forked_ = false;
  std::map<std::size_t, std::size_t> resumed_of_, unfinished_of_;
  std::set<std::size_t> handled_at_start_;  // resumed lines of calls handled at their start
  std::vector<std::vector<Line>> before_, after_;
  KeptLines keep_;  // what is kept at each line of in_ (after in_: it refers to its lines)
  std::optional<std::int64_t> clock_origin_;  // the log's first timestamp (AdoptClock)
  bool clock_time_of_day_ = false;            // ... written as a time of day
  std::vector<Line> header_fds_;
  std::map<std::int32_t, std::map<int, FdInfo>> fds_;
  std::map<std::int32_t, std::set<int>> seen_;
  std::set<std::int32_t> known_pids_, exited_;
  std::map<std::int32_t, std::size_t> exit_group_line_;  // process -> its last exit_group line
  std::map<std::int32_t, std::int32_t> threads_;  // thread id -> its process
  std::vector<SockInfo> socks_;
  std::vector<Candidate> candidates_;
  std::vector<Observation> observations_;
  struct PeerSeen {
    std::size_t line;
    int sock;
    std::optional<int> port;
  };
  std::vector<PeerSeen> peer_seen_;  // -ff: getpeername results, for ObservePeersSeen
  // -ff: (process, epoll descriptor) -> (data, descriptor) watched level-triggered for input.
  std::map<std::pair<std::int32_t, int>, std::vector<std::pair<std::int64_t, std::int64_t>>> epoll_interest_;
  std::map<int, std::vector<int>> tcp_connecting_;  // destination port -> connectors waiting
  std::map<int, std::vector<std::pair<int, std::optional<int>>>> tcp_accepted_;  // port -> (accepted, peer port)
  std::map<int, std::vector<SentDatagram>> udp_sent_;  // destination port -> senders
  // destination port -> datagrams received before their split send resumed in the log (the
  // send happened at its start line; its result printed later): the receipt's line, the
  // sender's port, the bytes shown.
  struct EarlyReceipt {
    std::size_t line;
    std::optional<int> port;
    std::string data;
  };
  std::map<int, std::vector<EarlyReceipt>> udp_early_;
  std::map<std::string, std::vector<int>> unix_connecting_, unix_accepted_;  // name -> sockets waiting
  int pipes_ = -1;                                  // the last pipe made
  // receiving socket -> the descriptors of each message sent to it with SCM_RIGHTS, not yet received
  std::map<int, std::deque<std::vector<FdInfo>>> rights_in_flight_;
  DataOrder data_order_;  // -ff: what readers did not see, and which writes that orders
  DescriptorReuse descriptor_reuse_;  // -ff: numbers given out again
  std::int32_t calling_tid_ = 0;      // the thread whose call is being visited
  struct Join {
    std::size_t line;  // the joiner's futex line
    std::int32_t joiner, thread;
  };
  std::vector<Join> joins_;                                          // -ff: threads joined
  int counters_ = 0;                                                 // eventfd counters made
  struct DatagramSent {
    std::string channel;
    std::size_t line;
    std::int32_t owner;
    int sock;  // an IP sender (its port names it), else -1
  };
  std::vector<DatagramSent> datagrams_sent_;  // -ff: in the walk's order, each sender's in its own
  std::vector<DatagramSent> connections_made_;  // -ff: connects, as datagrams_sent_
  std::set<std::string> listeners_;              // -ff: AcceptChannel of every listener
  std::set<std::pair<int, std::int32_t>> writing_held_;  // -ff: (WritingSide, process holding it)
  std::size_t exit_kept_at_ = 0;    // where the last process end visited was kept
  std::map<std::pair<std::int32_t, std::int64_t>, std::int32_t> tid_word_;  // (pid, word) -> thread
  struct StreamWrite {
    int truncated;      // index into truncated_writes_, or -1
    std::size_t n;      // bytes written
    std::size_t shown;  // of which the line shows the first
  };
  struct StreamRead {
    std::size_t n;
    std::string shown;  // the bytes the line shows (empty: none)
  };
  std::map<int, std::vector<StreamWrite>> stream_writes_;  // StreamOf (writing) -> in order
  std::map<int, std::vector<StreamRead>> stream_reads_;    // ReadEndpoint -> in order
  // -ff: reads and looks on streams, in the walk's order, for DataOrder once pairings are known.
  struct StreamEvent {
    bool look;
    int endpoint;
    std::size_t units;
    std::size_t line;
    std::int32_t owner, holder;
    std::vector<int> held;  // the writing sides the reader's process held at a look
  };
  std::vector<StreamEvent> stream_events_;
  std::vector<TruncatedWrite> truncated_writes_;
  std::set<std::string> local_addresses_;
  std::set<std::string> unix_paths_;  // socket files the log's binds made and still hold
  std::map<int, std::size_t> tcp_server_, udp_server_;  // port -> the line it became reachable
};

}  // namespace

ImportResult ImportStrace(Scenario parsed, const ImportOptions& options) {
  if (!options.per_process_files) return Importer(std::move(parsed), options).Run();
  return Importer(MergePerProcessFiles(parsed), options).Run();
}

}  // namespace socksim::tools
