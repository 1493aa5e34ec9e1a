// File: tools/personality/linux/host/host_linux_backend.cc
// Staging memory, requests to the agents, answers copied back, fork, pid translation and
// explanations from /proc.
#include "tools/personality/linux/host/host_linux_backend.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "tools/personality/linux/sockaddr_values.h"

namespace socksim::tools::host {
namespace {

namespace la = stack::linux_abi;

constexpr std::int64_t kTryMs = 200;    // a call that must not wait
constexpr std::int64_t kWaitMs = 10000;  // a call that may wait
constexpr std::int64_t kSendMs = 2000;

// The real system call behind each LinuxSyscall (kFork is the agent's own operation).
std::int64_t SyscallNumber(LinuxSyscall call) {
  switch (call) {
    case LinuxSyscall::kSocket: return SYS_socket;
    case LinuxSyscall::kSocketpair: return SYS_socketpair;
    case LinuxSyscall::kBind: return SYS_bind;
    case LinuxSyscall::kConnect: return SYS_connect;
    case LinuxSyscall::kListen: return SYS_listen;
    case LinuxSyscall::kAccept4: return SYS_accept4;
    case LinuxSyscall::kGetsockname: return SYS_getsockname;
    case LinuxSyscall::kGetpeername: return SYS_getpeername;
    case LinuxSyscall::kShutdown: return SYS_shutdown;
    case LinuxSyscall::kClose: return SYS_close;
    case LinuxSyscall::kDup: return SYS_dup;
    case LinuxSyscall::kDup2: return kPseudoDup2;  // libc's dup2: dup3 semantics differ for equal fds
    case LinuxSyscall::kDup3: return SYS_dup3;
    case LinuxSyscall::kSendto: return SYS_sendto;
    case LinuxSyscall::kRecvfrom: return SYS_recvfrom;
    case LinuxSyscall::kSendmsg: return SYS_sendmsg;
    case LinuxSyscall::kRecvmsg: return SYS_recvmsg;
    case LinuxSyscall::kSetsockopt: return SYS_setsockopt;
    case LinuxSyscall::kGetsockopt: return SYS_getsockopt;
    case LinuxSyscall::kOpenat: return SYS_openat;
    case LinuxSyscall::kSetresuid: return SYS_setresuid;
    case LinuxSyscall::kSetresgid: return SYS_setresgid;
    case LinuxSyscall::kFork: return -1;
    case LinuxSyscall::kCloneThread: return -1;
    case LinuxSyscall::kExecve: return -1;
    case LinuxSyscall::kRead: return SYS_read;
    case LinuxSyscall::kWrite: return SYS_write;
    case LinuxSyscall::kReadv: return SYS_readv;
    case LinuxSyscall::kWritev: return SYS_writev;
    case LinuxSyscall::kFcntl: return SYS_fcntl;
    case LinuxSyscall::kIoctl: return SYS_ioctl;
    case LinuxSyscall::kPipe2: return SYS_pipe2;
    case LinuxSyscall::kEventfd2: return SYS_eventfd2;
    case LinuxSyscall::kSendmmsg: return SYS_sendmmsg;
    case LinuxSyscall::kRecvmmsg: return SYS_recvmmsg;
    case LinuxSyscall::kPoll: return SYS_poll;
    case LinuxSyscall::kPpoll: return SYS_ppoll;
    case LinuxSyscall::kSelect: return SYS_select;
    case LinuxSyscall::kPselect6: return SYS_pselect6;
    case LinuxSyscall::kEpollCreate: return SYS_epoll_create;
    case LinuxSyscall::kEpollCreate1: return SYS_epoll_create1;
    case LinuxSyscall::kEpollCtl: return SYS_epoll_ctl;
    case LinuxSyscall::kEpollWait: return SYS_epoll_wait;
    case LinuxSyscall::kEpollPwait: return SYS_epoll_pwait;
    case LinuxSyscall::kUnlinkat: return SYS_unlinkat;
    case LinuxSyscall::kRenameat2: return SYS_renameat2;
  }
  return -1;
}

// Whether the call's first argument is a descriptor (the second too for dup2/dup3).
bool TakesFd(LinuxSyscall call) {
  switch (call) {
    case LinuxSyscall::kSocket:
    case LinuxSyscall::kSocketpair:
    case LinuxSyscall::kOpenat:
    case LinuxSyscall::kUnlinkat:
    case LinuxSyscall::kRenameat2:
    case LinuxSyscall::kSetresuid:
    case LinuxSyscall::kSetresgid:
    case LinuxSyscall::kFork:
    case LinuxSyscall::kCloneThread:
    case LinuxSyscall::kExecve:
    case LinuxSyscall::kPipe2:
    case LinuxSyscall::kEventfd2:
    case LinuxSyscall::kPoll:  // a pollfd array, whose descriptors the agent's are not
    case LinuxSyscall::kPpoll:
    case LinuxSyscall::kSelect:  // a count, then fd sets
    case LinuxSyscall::kPselect6:
    case LinuxSyscall::kEpollCreate:
    case LinuxSyscall::kEpollCreate1:
      return false;
    default:
      return true;
  }
}

std::uint8_t WireProt(sim::Protection prot) {
  const auto bits = static_cast<std::uint8_t>(prot);
  return static_cast<std::uint8_t>(((bits & static_cast<std::uint8_t>(sim::Protection::kRead)) != 0 ? kRegionRead : 0) |
                                   ((bits & static_cast<std::uint8_t>(sim::Protection::kWrite)) != 0 ? kRegionWrite : 0));
}

// A request carrying the call's arguments and the whole staging memory.
Request SyscallRequest(std::int64_t nr, const SyscallArgs& args, const sim::AddressSpace& mem) {
  Request r;
  r.op = Op::kSyscall;
  r.nr = nr;
  for (std::size_t i = 0; i < args.size(); ++i) r.args[i] = args[i];
  for (const auto& region : mem.Regions()) {
    r.regions.push_back(WireRegion{region.base, region.size, WireProt(region.prot), TrimZeros(region.bytes)});
  }
  return r;
}

// The host's file system is changed only inside the run's directory (the sandbox,
// docs/reliability.md): a UNIX socket name to bind or reach, a path to unlink, rename or
// create, that is absolute or climbs out with `..`, is refused. The agents run there, so a
// relative name stays in it.
bool Escapes(const std::string& path) {
  if (path.empty()) return false;
  if (path[0] == '/') return true;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (path.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

// A NUL-terminated string in the caller's memory, up to PATH_MAX bytes.
std::optional<std::string> PathAt(const sim::AddressSpace& mem, std::int64_t addr) {
  std::string out;
  for (std::int64_t i = 0; i < 4096; ++i) {
    const auto b = mem.Peek(static_cast<sim::UserAddress>(addr + i), 1);
    if (!b) return std::nullopt;
    if ((*b)[0] == 0) return out;
    out.push_back(static_cast<char>((*b)[0]));
  }
  return std::nullopt;
}

// The path of a sockaddr_un (not an abstract name), or nullopt for any other address.
std::optional<std::string> UnixPathAt(const sim::AddressSpace& mem, std::int64_t addr, std::int64_t len) {
  if (addr == 0 || len < 3 || len > 110) return std::nullopt;
  const auto bytes = mem.Peek(static_cast<sim::UserAddress>(addr), static_cast<std::uint64_t>(len));
  if (!bytes || (*bytes)[0] != 1 || (*bytes)[1] != 0 || (*bytes)[2] == 0) return std::nullopt;  // AF_UNIX = 1
  std::string path;
  for (std::size_t i = 2; i < bytes->size() && (*bytes)[i] != 0; ++i) path.push_back(static_cast<char>((*bytes)[i]));
  return path;
}

std::string OutsideTheRunDirectory(const sim::AddressSpace& mem, LinuxSyscall call, const SyscallArgs& args) {
  std::vector<std::string> paths;
  auto add = [&](const std::optional<std::string>& p) {
    if (p) paths.push_back(*p);
  };
  switch (call) {
    case LinuxSyscall::kBind:
    case LinuxSyscall::kConnect:
      add(UnixPathAt(mem, args[1], args[2]));
      break;
    case LinuxSyscall::kSendto:
      add(UnixPathAt(mem, args[4], args[5]));
      break;
    case LinuxSyscall::kOpenat:
      // Opening to read (/dev/null, a file the scenario names) changes nothing; creating or
      // truncating does (O_CREAT 0100, O_TRUNC 01000 on Linux).
      if ((args[2] & 01100) != 0) add(PathAt(mem, args[1]));
      break;
    case LinuxSyscall::kUnlinkat:
      add(PathAt(mem, args[1]));
      break;
    case LinuxSyscall::kRenameat2:
      add(PathAt(mem, args[1]));
      add(PathAt(mem, args[3]));
      break;
    default:
      break;
  }
  for (const auto& path : paths) {
    // /dev/null is neither created nor truncated by an open that asks it to be.
    if (call == LinuxSyscall::kOpenat && path == "/dev/null") continue;
    if (Escapes(path)) {
      return fmt::format("--host: '{}' is outside the run's directory; the host's files are touched only inside it "
                         "(the sandbox)",
                         path);
    }
  }
  return {};
}

bool SameCall(const Request& a, const Request& b) {
  if (a.nr != b.nr || a.args != b.args || a.regions.size() != b.regions.size()) return false;
  for (std::size_t i = 0; i < a.regions.size(); ++i) {
    const WireRegion& x = a.regions[i];
    const WireRegion& y = b.regions[i];
    if (x.address != y.address || x.size != y.size || x.prot != y.prot || x.init != y.init) return false;
  }
  return true;
}

// Copies the regions' contents after the call into the staging memory they were sent from.
bool CopyBack(sim::AddressSpace& mem, const Request& request, const Reply& reply) {
  for (std::size_t i = 0; i < request.regions.size() && i < reply.regions.size(); ++i) {
    const WireRegion& region = request.regions[i];
    std::vector<std::uint8_t> bytes = reply.regions[i];
    if (bytes.size() > region.size) return false;
    // Past what came back the region is zero now, and so it was past `init` before the call.
    bytes.resize(std::max(bytes.size(), region.init.size()), 0);
    (void)mem.Poke(region.address, bytes);
  }
  return true;
}

}  // namespace

HostLinuxBackend::~HostLinuxBackend() {
  for (auto& [pid, proc] : procs_) {
    if (proc.channel >= 0) close(proc.channel);
  }
  StopCoordinator(&coordinator_);
  if (!workdir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(workdir_, ignored);
  }
}

bool HostLinuxBackend::Start(std::vector<AgentSpec> specs, const std::vector<LoAddress>& addresses,
                             std::string* error) {
  // Relative socket paths land in a fresh directory, writable by every scenario uid.
  std::error_code ec;
  const std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (ec) {
    *error = "no temporary directory: " + ec.message();
    return false;
  }
  std::string dir = (tmp / "socksim-host-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {
    *error = fmt::format("creating a working directory in {}: {}", tmp.string(), std::strerror(errno));
    return false;
  }
  workdir_ = dir;
  if (chmod(dir.c_str(), 01777) != 0) {
    *error = fmt::format("chmod {}: {}", dir, std::strerror(errno));
    return false;
  }
  for (auto& s : specs) s.cwd = workdir_;
  if (!StartCoordinator(specs, addresses, &coordinator_, error)) return false;
  if (!coordinator_.isolated) {
    // No private namespace: IPv4 addresses move onto 127.0.0.0/8 (10.0.0.1 -> 127.0.0.1 keeps
    // the low three bytes); IPv6 ones cannot be given to this machine.
    map_.active = true;
    for (const auto& a : addresses) {
      if (a.family == AF_INET6) {
        *error = fmt::format("cannot create a network namespace, and {} (IPv6) cannot be mapped onto loopback", a.text);
        return false;
      }
      const std::uint8_t mapped[4] = {127, a.bytes[1], a.bytes[2], a.bytes[3]};
      std::uint32_t from = 0, to = 0;
      std::memcpy(&from, a.bytes, 4);
      std::memcpy(&to, mapped, 4);
      const auto taken = map_.to_scenario.find(to);
      if (taken != map_.to_scenario.end() && taken->second != from) {
        *error = fmt::format("cannot create a network namespace, and {} collides with another address on loopback", a.text);
        return false;
      }
      map_.to_host[from] = to;
      map_.to_scenario[to] = from;
    }
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Proc p;
    p.channel = coordinator_.channels[i];
    p.real = coordinator_.real_pids[i];
    procs_.emplace(specs[i].scenario_pid, std::move(p));
  }
  coordinator_.channels.clear();  // owned by procs_ from now on
  return true;
}

void HostLinuxBackend::BeginCall(sim::Process& process) {
  staging_[process.pid()] = std::make_unique<sim::AddressSpace>();
}

sim::AddressSpace& HostLinuxBackend::Memory(sim::Process& process) {
  auto& mem = staging_[process.pid()];
  if (!mem) mem = std::make_unique<sim::AddressSpace>();
  return *mem;
}

std::optional<HostProblem> HostLinuxBackend::TakeProblem() {
  std::optional<HostProblem> p = std::move(problem_);
  problem_.reset();
  return p;
}

stack::CallResult HostLinuxBackend::Fail(bool skip, std::string message) {
  problem_ = HostProblem{skip, std::move(message)};
  return stack::CallResult::Failure(-1, la::kEINVAL);
}

bool HostLinuxBackend::Send(Proc& proc, const Request& request, std::string* error) {
  if (WriteFrame(proc.channel, EncodeRequest(request), -1, NowMs() + kSendMs, error)) return true;
  *error = "host: " + *error;
  return false;
}

std::optional<Reply> HostLinuxBackend::Await(Proc& proc, std::int64_t ms, std::string* error, bool* timed_out) {
  *timed_out = false;
  std::vector<std::uint8_t> frame;
  const ReadStatus st = ReadFrame(proc.channel, &frame, nullptr, NowMs() + ms, error);
  if (st == ReadStatus::kTimeout) {
    *timed_out = true;
    return std::nullopt;
  }
  if (st == ReadStatus::kClosed) {
    *error = "host: the process died during the call";
    proc.alive = false;
    return std::nullopt;
  }
  if (st != ReadStatus::kOk) {
    *error = "host: " + *error;
    return std::nullopt;
  }
  auto reply = DecodeReply(frame, error);
  if (reply && !reply->agent_error.empty()) {
    *error = "host agent: " + reply->agent_error;
    return std::nullopt;
  }
  return reply;
}

stack::CallResult HostLinuxBackend::Invoke(sim::Thread& thread, LinuxSyscall call,
                                           const SyscallArgs& args, bool may_wait) {
  problem_.reset();
  sim::Process& p = thread.process();
  if (call == LinuxSyscall::kCloneThread) {
    // Threads share every kernel object a socket call touches (descriptors, credentials), so
    // a thread's calls run in its process's host process; only the world learns of it.
    std::optional<sim::Tid> tid;
    if (args[0] > 0) tid = static_cast<sim::Tid>(args[0]);
    return stack::CallResult::Success(world_.SpawnThread(p.pid(), tid).tid());
  }
  if (call == LinuxSyscall::kExecve) {
    // The agent cannot load a program; a trace's execve is the simulator's to replay.
    return Fail(true, "host: execve is not run on the host (there is no program to load)");
  }
  const auto it = procs_.find(p.pid());
  if (it == procs_.end() || !it->second.alive) {
    return Fail(false, fmt::format("host: pid {} has no running host process", p.pid()));
  }
  Proc& proc = it->second;
  if (TakesFd(call) && (args[0] == kChannelFd ||
                        ((call == LinuxSyscall::kDup2 || call == LinuxSyscall::kDup3) && args[1] == kChannelFd))) {
    return Fail(true, fmt::format("descriptor {} holds the host agent's request channel", kChannelFd));
  }
  std::string error;
  bool timed_out = false;
  sim::AddressSpace& mem = Memory(p);
  if (const std::string problem = OutsideTheRunDirectory(mem, call, args); !problem.empty()) {
    return Fail(true, problem);
  }
  MapAddresses(mem, call, args, /*outbound=*/true);
  MapCredentials(mem, call, args, /*to_real=*/true);
  const Request request = SyscallRequest(SyscallNumber(call), args, mem);
  if (proc.inflight) {
    if (proc.inflight->resumable && may_wait && call != LinuxSyscall::kFork) {
      // The same call, invoked again to wait for it: it was laid out again the same way, so
      // the answer's regions are the staging memory's.
      if (!SameCall(proc.inflight->request, request)) {
        return Fail(false, fmt::format("host: pid {} resumes a call other than the one still running", p.pid()));
      }
      const InFlight running = std::move(*proc.inflight);
      proc.inflight.reset();
      auto reply = Await(proc, kWaitMs, &error, &timed_out);
      if (timed_out) {
        proc.inflight = InFlight{running.request, false};
        return stack::CallResult::Blocked();
      }
      if (!reply) return Fail(false, error);
      return Complete(p, call, args, request, *reply);
    }
    // A call that never answered in time: if it has finished since, drop its answer.
    auto reply = Await(proc, 0, &error, &timed_out);
    if (timed_out) {
      return Fail(false, fmt::format("host: pid {} is still blocked in a call of an earlier line", p.pid()));
    }
    proc.inflight.reset();
    if (!reply) return Fail(false, error);
  }
  if (call == LinuxSyscall::kFork) return Fork(p, proc, args);
  if (!Send(proc, request, &error)) return Fail(false, error);
  auto reply = Await(proc, may_wait ? kWaitMs : kTryMs, &error, &timed_out);
  if (timed_out) {
    proc.inflight = InFlight{request, !may_wait};
    return stack::CallResult::Blocked();
  }
  if (!reply) return Fail(false, error);
  return Complete(p, call, args, request, *reply);
}

stack::CallResult HostLinuxBackend::Complete(sim::Process& p, LinuxSyscall call, const SyscallArgs& args,
                                             const Request& request, const Reply& reply) {
  if (reply.regions.size() != request.regions.size()) {
    return Fail(false, "host agent: the answer does not carry the call's memory");
  }
  sim::AddressSpace& mem = Memory(p);
  if (!CopyBack(mem, request, reply)) return Fail(false, "host agent: a region came back larger than sent");
  const stack::CallResult result = reply.ret == -1 ? stack::CallResult::Failure(-1, reply.err)
                                                   : stack::CallResult::Success(reply.ret);
  if (result.succeeded()) MapAddresses(mem, call, args, /*outbound=*/false);
  if (result.succeeded() || call == LinuxSyscall::kSendmsg) {
    MapCredentials(mem, call, args, /*to_real=*/false);
  }
  // SO_PEERCRED names a real pid: show the scenario's.
  if (call == LinuxSyscall::kGetsockopt && result.succeeded() && args[1] == la::kSolSocket &&
      args[2] == la::kSoPeercred && args[3] != 0) {
    const auto optval = static_cast<sim::UserAddress>(args[3]);
    const auto len = mem.ReadU32(static_cast<sim::UserAddress>(args[4]));
    const auto pid = mem.Peek(optval, 4);
    if (len && *len >= 4 && pid) {
      std::uint32_t real = 0;
      std::memcpy(&real, pid->data(), 4);
      const auto scenario = static_cast<std::uint32_t>(ScenarioPidOf(static_cast<std::int32_t>(real)));
      std::uint8_t out[4];
      std::memcpy(out, &scenario, 4);
      (void)mem.Poke(optval, out);
    }
  }
  return result;
}

stack::CallResult HostLinuxBackend::Fork(sim::Process& parent, Proc& proc, const SyscallArgs& args) {
  const std::optional<sim::Pid> wanted =
      args[0] > 0 ? std::optional<sim::Pid>(static_cast<sim::Pid>(args[0])) : std::nullopt;
  if (wanted && world_.FindProcess(*wanted) != nullptr) {
    return Fail(false, fmt::format("host: pid {} already exists", *wanted));
  }
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    return Fail(false, fmt::format("host: socketpair: {}", std::strerror(errno)));
  }
  Request r;
  r.op = Op::kFork;
  std::string error;
  const bool sent = WriteFrame(proc.channel, EncodeRequest(r), pair[1], NowMs() + kSendMs, &error);
  close(pair[1]);
  bool timed_out = false;
  std::optional<Reply> reply;
  if (sent) reply = Await(proc, kWaitMs, &error, &timed_out);
  if (!reply) {
    close(pair[0]);
    return Fail(false, "host: fork: " + (timed_out ? std::string("no answer") : error));
  }
  if (reply->ret <= 0) {
    close(pair[0]);
    return stack::CallResult::Failure(-1, reply->err);
  }
  const auto real = static_cast<pid_t>(reply->ret);
  sim::Pid child = 0;
  try {
    child = world_.Fork(parent.pid(), wanted).pid();
  } catch (const std::invalid_argument& e) {
    kill(real, SIGKILL);
    close(pair[0]);
    return Fail(false, fmt::format("host: fork: {}", e.what()));
  }
  Proc c;
  c.channel = pair[0];
  c.real = real;
  procs_[child] = std::move(c);
  return stack::CallResult::Success(child);
}

void HostLinuxBackend::MapAddresses(sim::AddressSpace& mem, LinuxSyscall call, const SyscallArgs& a,
                                    bool outbound) const {
  if (!map_.active) return;
  // Where the call's sockaddrs are: its inputs before the call, inputs and outputs after.
  std::vector<sim::UserAddress> at;
  const auto msg_name = [&] { return mem.ReadU64(static_cast<sim::UserAddress>(a[1])).value_or(0); };
  switch (call) {
    case LinuxSyscall::kBind:
    case LinuxSyscall::kConnect:
      at.push_back(static_cast<sim::UserAddress>(a[1]));
      break;
    case LinuxSyscall::kSendto:
      at.push_back(static_cast<sim::UserAddress>(a[4]));
      break;
    case LinuxSyscall::kSendmsg:
      at.push_back(msg_name());
      break;
    case LinuxSyscall::kRecvmsg:
      if (!outbound) at.push_back(msg_name());
      break;
    case LinuxSyscall::kRecvfrom:
      if (!outbound) at.push_back(static_cast<sim::UserAddress>(a[4]));
      break;
    case LinuxSyscall::kAccept4:
    case LinuxSyscall::kGetsockname:
    case LinuxSyscall::kGetpeername:
      if (!outbound) at.push_back(static_cast<sim::UserAddress>(a[1]));
      break;
    default:
      break;
  }
  const auto& table = outbound ? map_.to_host : map_.to_scenario;
  for (const sim::UserAddress where : at) {
    if (where == 0) continue;
    auto bytes = mem.Peek(where, 8);
    if (!bytes || ((*bytes)[0] | ((*bytes)[1] << 8)) != AF_INET) continue;
    std::uint32_t addr = 0;
    std::memcpy(&addr, bytes->data() + 4, 4);
    const auto it = table.find(addr);
    if (it == table.end()) continue;
    std::memcpy(bytes->data() + 4, &it->second, 4);
    (void)mem.Poke(where, *bytes);
  }
}

void HostLinuxBackend::MapCredentials(sim::AddressSpace& mem, LinuxSyscall call,
                                      const SyscallArgs& a, bool to_real) const {
  if (call != LinuxSyscall::kSendmsg && call != LinuxSyscall::kRecvmsg) return;
  if (call == LinuxSyscall::kRecvmsg && to_real) return;  // its control buffer is output only
  const auto msg = static_cast<sim::UserAddress>(a[1]);
  const auto control = mem.ReadU64(msg + 32).value_or(0);
  const auto controllen = mem.ReadU64(msg + 40).value_or(0);
  if (control == 0) return;
  // The control messages in turn (CMSG_NXTHDR); a struct ucred's pid is its first word.
  for (std::uint64_t at = 0; at + 16 <= controllen;) {
    const auto len = mem.ReadU64(control + at).value_or(0);
    if (len < 16) break;
    const auto level = mem.ReadU32(control + at + 8).value_or(0);
    const auto type = mem.ReadU32(control + at + 12).value_or(0);
    if (static_cast<std::int64_t>(level) == la::kSolSocket &&
        static_cast<std::int64_t>(type) == la::kScmCredentials && len >= 20 &&
        at + 20 <= controllen) {
      const auto pid = mem.ReadU32(control + at + 16).value_or(0);
      std::int64_t mapped = static_cast<std::int32_t>(pid);
      if (to_real) {
        const auto it = procs_.find(static_cast<int>(mapped));
        if (it != procs_.end()) mapped = it->second.real;
      } else {
        mapped = ScenarioPidOf(mapped);
      }
      std::uint8_t out[4];
      const auto word = static_cast<std::uint32_t>(mapped);
      std::memcpy(out, &word, 4);
      (void)mem.Poke(control + at + 16, out);
    }
    at += (len + 7) & ~std::uint64_t{7};
  }
}

std::int64_t HostLinuxBackend::ScenarioPidOf(std::int64_t real) const {
  for (const auto& [pid, proc] : procs_) {
    if (proc.real == real) return pid;
  }
  return real;
}

void HostLinuxBackend::EndProcess(int pid, bool kill_it, int status) {
  const auto it = procs_.find(pid);
  if (it == procs_.end() || !it->second.alive) return;
  Proc& p = it->second;
  std::string error;
  if (kill_it || p.inflight) {
    if (p.real > 0) kill(p.real, SIGKILL);
  } else {
    Request r;
    r.op = Op::kExit;
    r.status = status;
    if (!WriteFrame(p.channel, EncodeRequest(r), -1, NowMs() + kSendMs, &error) && p.real > 0) kill(p.real, SIGKILL);
  }
  // The channel closes when the process is gone (its descriptors are closed by then).
  const std::int64_t deadline = NowMs() + 5000;
  std::vector<std::uint8_t> frame;
  while (ReadFrame(p.channel, &frame, nullptr, deadline, &error) == ReadStatus::kOk) {
  }
  close(p.channel);
  p.channel = -1;
  p.alive = false;
  p.inflight.reset();
}

// " local {...}" / " peer {...}" for a socket, asked of its process.
std::string HostLinuxBackend::PeerName(Proc& proc, int fd, bool peer) {
  const char* label = peer ? " peer" : " local";
  sim::AddressSpace mem;
  const sim::UserAddress len = mem.Allocate(4);
  const sim::UserAddress addr = mem.Allocate(128);
  (void)mem.WriteU32(len, 128);
  const SyscallArgs args{fd, static_cast<std::int64_t>(addr), static_cast<std::int64_t>(len), 0, 0, 0};
  const LinuxSyscall call = peer ? LinuxSyscall::kGetpeername : LinuxSyscall::kGetsockname;
  const Request request = SyscallRequest(SyscallNumber(call), args, mem);
  std::string error;
  bool timed_out = false;
  if (!Send(proc, request, &error)) return "";
  const auto reply = Await(proc, kWaitMs, &error, &timed_out);
  if (!reply || reply->regions.size() != 2) return "";
  if (reply->ret != 0) return std::string(label) + ": none";
  if (!CopyBack(mem, request, *reply)) return "";
  MapAddresses(mem, call, args, /*outbound=*/false);
  const auto got = mem.ReadU32(len).value_or(0);
  const auto bytes = mem.Peek(addr, std::min<std::uint32_t>(got, 128));
  if (!bytes) return "";
  return std::string(label) + " " + LinuxSockaddrValue(*bytes).ToString();
}

std::vector<std::string> HostLinuxBackend::Explain(sim::Process& process,
                                                   const std::vector<std::int64_t>& fds) {
  std::vector<std::string> lines;
  const auto it = procs_.find(process.pid());
  if (it == procs_.end() || !it->second.alive) {
    lines.push_back(fmt::format("pid {}: no running host process", process.pid()));
    return lines;
  }
  Proc& p = it->second;
  for (std::int64_t fd : fds) {
    if (fd < 0) continue;
    char target[256] = {};
    const std::string link = fmt::format("/proc/{}/fd/{}", p.real, fd);
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n < 0) {
      lines.push_back(fmt::format("fd {}: not open in pid {} (host)", fd, process.pid()));
      continue;
    }
    std::string line = fmt::format("fd {}: {} (host pid {})", fd, std::string(target, static_cast<std::size_t>(n)), p.real);
    if (!p.inflight && std::strncmp(target, "socket:", 7) == 0) {
      line += PeerName(p, fd, false);
      line += PeerName(p, fd, true);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace socksim::tools::host
