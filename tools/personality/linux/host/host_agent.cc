// File: tools/personality/linux/host/host_agent.cc
// Coordinator and agents. Everything here after fork() runs in a child of socksim: it must
// validate what it is sent and exit rather than throw or return into socksim's code.
//
// Process layout:
//   socksim ── control socket ──> coordinator (private netns, child subreaper)
//                                   ├─ anchor (process group leader; only waits)
//                                   ├─ agent for `process 100`  ── channel ──> socksim
//                                   └─ agent for `process 200`  ── channel ──> socksim
//                                        └─ forked agent (scenario pid 201) ── own channel
// Every agent joins the anchor's process group, and so do the agents they fork, so stopping
// the run is one kill() of that group followed by reaping until no child is left.
#include "tools/personality/linux/host/host_agent.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tools/personality/linux/host/host_wire.h"

namespace socksim::tools::host {
namespace {

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void CloseRange(unsigned from, unsigned to) {
  if (from > to) return;
  if (syscall(SYS_close_range, from, to, 0) == 0) return;
  const unsigned last = std::min(to, 65535u);
  for (unsigned fd = from; fd <= last; ++fd) close(static_cast<int>(fd));
}

// Closes every descriptor except those in `keep`.
void CloseAllExcept(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = 0;
  for (int k : keep) {
    if (k < 0) continue;
    if (static_cast<unsigned>(k) > from) CloseRange(from, static_cast<unsigned>(k) - 1);
    from = static_cast<unsigned>(k) + 1;
  }
  CloseRange(from, ~0u);
}

void SendReply(int fd, const Reply& r) {
  std::string ignored;
  (void)WriteFrame(fd, EncodeReply(r), -1, NowMs() + 10000, &ignored);
}

// ---------------------------------------------------------------------------------------
// The network namespace.

bool BringUpLoopback(std::string* error) {
  const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    *error = Errno("socket for ioctl");
    return false;
  }
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
  if (ok) {
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    ok = ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
  }
  if (!ok) *error = Errno("bringing lo up");
  close(s);
  return ok;
}

bool AddLoAddress(const LoAddress& a, std::string* error) {
  const int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (nl < 0) {
    *error = Errno("netlink socket");
    return false;
  }
  struct {
    nlmsghdr n;
    ifaddrmsg ifa;
    char attrs[64];
  } req{};
  const std::size_t len = a.family == AF_INET ? 4 : 16;
  req.n.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  req.n.nlmsg_type = RTM_NEWADDR;
  req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  req.n.nlmsg_seq = 1;
  req.ifa.ifa_family = static_cast<std::uint8_t>(a.family);
  req.ifa.ifa_prefixlen = static_cast<std::uint8_t>(a.prefix);
  req.ifa.ifa_flags = a.family == AF_INET6 ? IFA_F_NODAD : 0;
  req.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  req.ifa.ifa_index = if_nametoindex("lo");
  auto add_attr = [&](unsigned short type) {
    auto* rta = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&req) + NLMSG_ALIGN(req.n.nlmsg_len));
    rta->rta_type = type;
    rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
    std::memcpy(RTA_DATA(rta), a.bytes, len);
    req.n.nlmsg_len = NLMSG_ALIGN(req.n.nlmsg_len) + RTA_ALIGN(rta->rta_len);
  };
  add_attr(IFA_LOCAL);
  add_attr(IFA_ADDRESS);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  bool ok = sendto(nl, &req, req.n.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) >= 0;
  if (!ok) *error = Errno("netlink send");
  alignas(nlmsghdr) char answer[4096];
  while (ok) {
    pollfd p{nl, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) {
      *error = "no answer from netlink adding " + a.text;
      ok = false;
      break;
    }
    const ssize_t n = recv(nl, answer, sizeof(answer), 0);
    if (n < 0) {
      *error = Errno("netlink recv");
      ok = false;
      break;
    }
    auto* h = reinterpret_cast<nlmsghdr*>(answer);
    if (!NLMSG_OK(h, static_cast<unsigned>(n))) continue;
    if (h->nlmsg_type == NLMSG_ERROR) {
      const auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
      if (e->error != 0 && e->error != -EEXIST) {
        *error = "adding " + a.text + " to lo: " + std::strerror(-e->error);
        ok = false;
      }
      break;
    }
  }
  close(nl);
  return ok;
}

// ---------------------------------------------------------------------------------------
// An agent.

bool AllowedSyscall(std::int64_t nr) {
  static const std::int64_t kAllowed[] = {
      SYS_socket,      SYS_socketpair,  SYS_bind,     SYS_connect,    SYS_listen,     SYS_accept4,
      SYS_getsockname, SYS_getpeername, SYS_shutdown, SYS_close,      SYS_dup,        SYS_dup3,
      SYS_sendto,      SYS_recvfrom,    SYS_sendmsg,  SYS_recvmsg,    SYS_setsockopt, SYS_getsockopt,
      SYS_openat,      SYS_setresuid,   SYS_setresgid, kPseudoDup2,
      // Descriptor calls around sockets (tools/personality/linux/descriptor_calls.cc).
      SYS_read,        SYS_write,       SYS_readv,    SYS_writev,     SYS_fcntl,      SYS_ioctl,
      SYS_pipe2,       SYS_eventfd2,    SYS_sendmmsg, SYS_recvmmsg,
      // Readiness calls (tools/personality/linux/readiness_calls.cc).
      SYS_poll,        SYS_ppoll,       SYS_select,   SYS_pselect6,   SYS_epoll_create, SYS_epoll_create1,
      SYS_epoll_ctl,   SYS_epoll_wait,  SYS_epoll_pwait,
      // Path calls (tools/personality/linux/path_calls.cc).

      SYS_unlinkat,    SYS_renameat2};
  return std::find(std::begin(kAllowed), std::end(kAllowed), nr) != std::end(kAllowed);
}

int ProtOf(std::uint8_t prot) {
  return ((prot & kRegionRead) != 0 ? PROT_READ : 0) | ((prot & kRegionWrite) != 0 ? PROT_WRITE : 0);
}

// Maps the request's regions at their addresses, runs the call with the raw arguments (their
// pointers point into the regions, nested ones included), and returns the regions' contents.
// Every region mapped is unmapped again before the reply.
Reply RunSyscall(const Request& req) {
  Reply reply;
  if (!AllowedSyscall(req.nr)) {
    reply.agent_error = "system call " + std::to_string(req.nr) + " is not served by the host agent";
    return reply;
  }
  if (static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) != kRegionPage) {
    reply.agent_error = "the host's page size is not " + std::to_string(kRegionPage) + " bytes";
    return reply;
  }
  std::vector<const WireRegion*> mapped;
  for (const auto& region : req.regions) {
    void* want = reinterpret_cast<void*>(region.address);
    void* got = mmap(want, region.size, PROT_READ | PROT_WRITE,
                     MAP_FIXED_NOREPLACE | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (got == MAP_FAILED || got != want) {
      char where[64];
      std::snprintf(where, sizeof(where), "0x%llx", static_cast<unsigned long long>(region.address));
      reply.agent_error = got == MAP_FAILED && errno == EEXIST
                              ? std::string("the agent's memory is already in use at ") + where
                              : Errno((std::string("mmap at ") + where).c_str());
      if (got != MAP_FAILED) munmap(got, region.size);  // an old kernel that ignored the hint
      break;
    }
    mapped.push_back(&region);
    auto* base = static_cast<std::uint8_t*>(got);
    if (!region.init.empty()) std::memcpy(base, region.init.data(), region.init.size());
    if (mprotect(base, region.size, ProtOf(region.prot)) != 0) {
      reply.agent_error = Errno("mprotect");
      break;
    }
  }
  if (reply.agent_error.empty()) {
    const auto& a = req.args;
    errno = 0;
    long ret = 0;
    if (req.nr == kPseudoDup2) {
      ret = dup2(static_cast<int>(a[0]), static_cast<int>(a[1]));
    } else {
      ret = syscall(req.nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    reply.ret = ret;
    reply.err = ret == -1 ? errno : 0;
    // A change of credentials clears the parent-death signal; arm it again.
    if (req.nr == SYS_setresuid || req.nr == SYS_setresgid) (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (const WireRegion* region : mapped) {
      auto* base = reinterpret_cast<std::uint8_t*>(region->address);
      if (mprotect(base, region->size, PROT_READ) != 0) {
        reply.agent_error = Errno("mprotect");
        break;
      }
      reply.regions.push_back(TrimZeros(std::span<const std::uint8_t>(base, region->size)));
    }
  }
  for (const WireRegion* region : mapped) munmap(reinterpret_cast<void*>(region->address), region->size);
  return reply;
}

// Raises the soft descriptor limit to the hard one while the agent rearranges its own
// descriptors above the scenario's range; restored by the destructor.
class RaisedFdLimit {
 public:
  RaisedFdLimit() {
    if (getrlimit(RLIMIT_NOFILE, &saved_) == 0) {
      rlimit raised = saved_;
      raised.rlim_cur = raised.rlim_max;
      (void)setrlimit(RLIMIT_NOFILE, &raised);
    }
  }
  ~RaisedFdLimit() { (void)setrlimit(RLIMIT_NOFILE, &saved_); }
  RaisedFdLimit(const RaisedFdLimit&) = delete;
  RaisedFdLimit& operator=(const RaisedFdLimit&) = delete;

 private:
  rlimit saved_{};
};

[[noreturn]] void ServeChannel() {
  for (;;) {
    std::vector<std::uint8_t> frame;
    int passed = -1;
    std::string error;
    const ReadStatus st = ReadFrame(kChannelFd, &frame, &passed, -1, &error);
    if (st != ReadStatus::kOk) _exit(0);  // socksim has gone: nothing left to serve
    auto req = DecodeRequest(frame, &error);
    if (!req) {
      if (passed >= 0) close(passed);
      Reply r;
      r.agent_error = error;
      SendReply(kChannelFd, r);
      continue;
    }
    if (req->op == Op::kExit) _exit(req->status & 0xff);
    if (req->op == Op::kSyscall) {
      if (passed >= 0) close(passed);
      SendReply(kChannelFd, RunSyscall(*req));
      continue;
    }
    // kFork: the child serves the channel that came with the request.
    Reply r;
    if (passed < 0) {
      r.agent_error = "fork request without a channel";
      SendReply(kChannelFd, r);
      continue;
    }
    int channel = -1;
    {
      RaisedFdLimit raised;
      channel = fcntl(passed, F_DUPFD_CLOEXEC, kChannelFd + 1);
    }
    close(passed);
    if (channel < 0) {
      r.agent_error = Errno("moving the new channel");
      SendReply(kChannelFd, r);
      continue;
    }
    const pid_t child = fork();
    if (child == 0) {
      {
        RaisedFdLimit raised;
        if (dup2(channel, kChannelFd) != kChannelFd) _exit(127);
      }
      close(channel);
      continue;  // the new process: serve its own channel
    }
    close(channel);
    r.ret = child;
    r.err = child < 0 ? errno : 0;
    SendReply(kChannelFd, r);
  }
}

[[noreturn]] void AgentMain(const AgentSpec& spec, int channel, pid_t group) {
  std::string error;
  auto fail = [&](const std::string& what) {
    Reply r;
    r.agent_error = "starting pid " + std::to_string(spec.scenario_pid) + ": " + what;
    SendReply(kChannelFd, r);
    _exit(1);
  };
  (void)setpgid(0, group);
  (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
  signal(SIGPIPE, SIG_IGN);   // EPIPE is the answer, as a program ignoring SIGPIPE sees it
  signal(SIGCHLD, SIG_IGN);   // forked agents are reaped by the kernel
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_max < static_cast<rlim_t>(kChannelFd + 64)) {
    lim.rlim_max = lim.rlim_cur = static_cast<rlim_t>(kChannelFd + 64);
    (void)setrlimit(RLIMIT_NOFILE, &lim);
  }
  {
    RaisedFdLimit raised;
    if (channel != kChannelFd && dup2(channel, kChannelFd) != kChannelFd) _exit(127);
  }
  CloseAllExcept({kChannelFd});
  if (spec.stdio) {
    for (int fd = 0; fd < 3; ++fd) {
      if (open("/dev/null", O_RDWR) != fd) fail("opening /dev/null as descriptor " + std::to_string(fd));
    }
  }
  for (const auto& f : spec.fds) {
    int fds[2] = {-1, -1};
    if (f.pipe) {
      if (pipe(fds) != 0) fail(Errno("pipe"));
    } else {
      fds[0] = open("/dev/null", O_RDWR);
      if (fds[0] < 0) fail(Errno("open /dev/null"));
    }
    if (fds[0] != f.number) {
      if (dup2(fds[0], f.number) != f.number) fail(Errno("placing an inherited descriptor"));
      close(fds[0]);
    }
    if (fds[1] >= 0 && fds[1] != f.number) close(fds[1]);
  }
  if (chdir(spec.cwd.c_str()) != 0) fail(Errno("chdir"));
  std::vector<gid_t> groups(spec.groups.begin(), spec.groups.end());
  if (syscall(SYS_setgroups, groups.size(), groups.empty() ? nullptr : groups.data()) != 0) fail(Errno("setgroups"));
  if (syscall(SYS_setresgid, spec.rgid, spec.egid, spec.sgid) != 0) fail(Errno("setresgid"));
  if (syscall(SYS_setresuid, spec.ruid, spec.euid, spec.suid) != 0) fail(Errno("setresuid"));
  (void)prctl(PR_SET_PDEATHSIG, SIGKILL);  // cleared by the credential change
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
    lim.rlim_cur = std::min<rlim_t>(static_cast<rlim_t>(spec.fd_limit), lim.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) fail(Errno("setrlimit"));
  }
  SendReply(kChannelFd, Reply{});  // ready
  ServeChannel();
}

// ---------------------------------------------------------------------------------------
// The coordinator.

[[noreturn]] void CoordinatorMain(int control, const std::vector<AgentSpec>& specs,
                                  const std::vector<int>& agent_ends, const std::vector<LoAddress>& addresses,
                                  pid_t socksim) {
  (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != socksim) _exit(1);
  (void)prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::vector<int> keep = agent_ends;
  keep.push_back(control);
  CloseAllExcept(keep);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGCHLD, SIG_DFL);
  Reply ready;
  bool isolated = true;
  if (unshare(CLONE_NEWNET) != 0) {
    if (errno == EPERM) {
      isolated = false;
    } else {
      ready.agent_error = Errno("unshare(CLONE_NEWNET)");
    }
  }
  if (isolated && ready.agent_error.empty()) {
    std::string error;
    if (!BringUpLoopback(&error)) {
      ready.agent_error = error;
    } else {
      for (const auto& a : addresses) {
        if (!AddLoAddress(a, &error)) {
          ready.agent_error = error;
          break;
        }
      }
    }
  }
  std::vector<pid_t> agents;
  pid_t anchor = -1;
  if (ready.agent_error.empty()) {
    anchor = fork();
    if (anchor == 0) {
      (void)setpgid(0, 0);
      (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
      CloseAllExcept({});
      for (;;) pause();
    }
    if (anchor < 0) ready.agent_error = Errno("fork");
    if (anchor > 0) (void)setpgid(anchor, anchor);  // whichever of the two runs first
  }
  for (std::size_t i = 0; i < specs.size() && ready.agent_error.empty(); ++i) {
    const pid_t pid = fork();
    if (pid == 0) {
      close(control);
      for (std::size_t j = 0; j < agent_ends.size(); ++j) {
        if (j != i) close(agent_ends[j]);
      }
      AgentMain(specs[i], agent_ends[i], anchor);
    }
    if (pid < 0) {
      ready.agent_error = Errno("fork");
      break;
    }
    agents.push_back(pid);
  }
  for (int fd : agent_ends) close(fd);
  ready.ret = isolated ? 1 : 0;
  std::vector<std::uint8_t> pids;
  for (pid_t p : agents) {
    for (int k = 0; k < 4; ++k) pids.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(p) >> (8 * k)));
  }
  ready.regions.push_back(std::move(pids));
  SendReply(control, ready);
  // Reap until socksim asks us to stop (any frame) or goes away.
  while (ready.agent_error.empty()) {
    pollfd p{control, POLLIN, 0};
    const int r = poll(&p, 1, 100);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (r > 0) break;
  }
  if (anchor > 0) kill(-anchor, SIGKILL);
  for (pid_t p : agents) kill(p, SIGKILL);
  const std::int64_t deadline = NowMs() + 5000;
  while (NowMs() < deadline) {
    const pid_t w = waitpid(-1, nullptr, WNOHANG);
    if (w < 0 && errno == ECHILD) break;
    if (w <= 0) usleep(2000);
  }
  _exit(0);
}

}  // namespace

bool StartCoordinator(const std::vector<AgentSpec>& specs, const std::vector<LoAddress>& addresses,
                      Coordinator* out, std::string* error) {
  *out = Coordinator{};
  int control[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) != 0) {
    *error = Errno("socketpair");
    return false;
  }
  std::vector<int> mine;
  std::vector<int> theirs;
  auto close_all = [&] {
    for (int fd : mine) close(fd);
    for (int fd : theirs) close(fd);
    close(control[0]);
    close(control[1]);
  };
  for (std::size_t i = 0; i < specs.size(); ++i) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
      *error = Errno("socketpair");
      close_all();
      return false;
    }
    mine.push_back(pair[0]);
    theirs.push_back(pair[1]);
  }
  const pid_t self = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    *error = Errno("fork");
    close_all();
    return false;
  }
  if (pid == 0) CoordinatorMain(control[1], specs, theirs, addresses, self);
  close(control[1]);
  for (int fd : theirs) close(fd);
  out->pid = pid;
  out->control = control[0];
  out->channels = mine;
  auto give_up = [&](std::string message) {
    *error = std::move(message);
    StopCoordinator(out);
    return false;
  };
  std::vector<std::uint8_t> frame;
  std::string why;
  if (ReadFrame(out->control, &frame, nullptr, NowMs() + 15000, &why) != ReadStatus::kOk) {
    return give_up("the coordinator did not start" + (why.empty() ? std::string() : ": " + why));
  }
  auto ready = DecodeReply(frame, &why);
  if (!ready) return give_up(why);
  if (!ready->agent_error.empty()) return give_up(ready->agent_error);
  out->isolated = ready->ret == 1;
  if (ready->regions.size() != 1 || ready->regions[0].size() != 4 * specs.size()) return give_up("bad ready message");
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::uint32_t p = 0;
    for (int k = 0; k < 4; ++k) p |= std::uint32_t{ready->regions[0][4 * i + static_cast<std::size_t>(k)]} << (8 * k);
    out->real_pids.push_back(static_cast<pid_t>(p));
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const ReadStatus st = ReadFrame(out->channels[i], &frame, nullptr, NowMs() + 10000, &why);
    if (st != ReadStatus::kOk) return give_up("process " + std::to_string(specs[i].scenario_pid) + " did not start");
    auto hello = DecodeReply(frame, &why);
    if (!hello) return give_up(why);
    if (!hello->agent_error.empty()) return give_up(hello->agent_error);
  }
  return true;
}

void StopCoordinator(Coordinator* c) {
  for (int fd : c->channels) {
    if (fd >= 0) close(fd);
  }
  c->channels.clear();
  if (c->control >= 0) {
    close(c->control);  // the coordinator sees the channel close and stops its processes
    c->control = -1;
  }
  if (c->pid > 0) {
    const std::int64_t deadline = NowMs() + 8000;
    int status = 0;
    pid_t w = 0;
    while ((w = waitpid(c->pid, &status, WNOHANG)) == 0 && NowMs() < deadline) usleep(2000);
    if (w == 0) {
      kill(c->pid, SIGKILL);
      (void)waitpid(c->pid, &status, 0);
    }
    c->pid = -1;
  }
}

}  // namespace socksim::tools::host
