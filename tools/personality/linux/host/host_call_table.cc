// File: tools/personality/linux/host/host_call_table.cc
// `socksim run --host`: the Linux call table (tools/personality/linux/syscall_table.h) over the host
// backend (tools/personality/linux/host/host_linux_backend.h), so that arguments are bound and results printed
// by the very code that serves the simulator. Around it, a thin table adds what only the
// host run needs and only a scenario's lines can tell: the scenario's processes and addresses
// to start with, `+++ exited/killed +++` and `advance`/`settle` applied before the next call
// line, the lines after a `link-down`/`link-up`/`fault`/`graph` skipped (not reproducible on
// one kernel), and the host's own failures reported as errors of the line.
#include "tools/personality/linux/host/host_call_table.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <set>

#include "tools/personality/linux/host/host_linux_backend.h"
#include "tools/personality/linux/syscall_table.h"
#include "tools/text/numbers.h"
#include "tools/scenario/registry.h"

namespace socksim::tools {
namespace {

constexpr std::int64_t kAdvanceCapMs = 200;  // real pause for `advance` / `settle`

// Something that happens between call lines, applied before the next call runs.
struct Event {
  int line = 0;
  enum class Kind { kExit, kKill, kPause } kind = Kind::kExit;
  int pid = 0;
  int status = 0;
  std::int64_t ms = 0;
};

// What the scenario asks of the host: processes, addresses, events, where comparison ends.
struct HostPlan {
  std::vector<host::AgentSpec> specs;
  std::vector<host::LoAddress> addresses;
  std::vector<Event> events;  // by line
  int incomparable_line = INT_MAX;
  int nodes = 0;
  std::string incomparable_reason;
};

// A directive's number (decimal, 0x hex or 0 octal), nullopt unless the whole text is one.
std::optional<std::int64_t> ToInt(const std::string& text) {
  return numbers::ParseIntegerLiteral(text);
}

// "a,b,c" split at commas.
std::vector<std::string> Items(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// The addresses a `link` (its end options) or a `host` (its lo= option) puts on interfaces;
// on the host every one of them goes on the namespace's lo.
void AddLinkAddresses(const Directive& d, std::vector<host::LoAddress>* addresses) {
  for (const auto& opt : d.options) {
    if (opt.key == "latency") continue;
    for (const auto& item : Items(opt.value)) {
      const std::string ip = item.substr(0, item.find('/'));
      host::LoAddress a;
      a.text = ip;
      if (inet_pton(AF_INET, ip.c_str(), a.bytes) == 1) {
        a.family = AF_INET;
        a.prefix = 32;
        addresses->push_back(a);
      } else if (inet_pton(AF_INET6, ip.c_str(), a.bytes) == 1) {
        a.family = AF_INET6;
        a.prefix = 128;
        addresses->push_back(a);
      }
    }
  }
}

// A `process` directive as an agent; false with `error` set for a non-Linux process.
bool AddProcess(const Directive& d, std::vector<host::AgentSpec>* specs, std::set<int>* pids, std::string* error) {
  if (d.words.size() != 1) return true;  // the world builder reports it
  const auto pid = ToInt(d.words[0]);
  if (!pid || *pid <= 0) return true;
  host::AgentSpec s;
  s.scenario_pid = static_cast<int>(*pid);
  std::optional<std::uint32_t> euid, suid, egid, sgid;
  for (const auto& opt : d.options) {
    const auto v = ToInt(opt.value);
    const auto u = static_cast<std::uint32_t>(v.value_or(0));
    if (opt.key == "uid") {
      s.ruid = s.euid = s.suid = u;
    } else if (opt.key == "gid") {
      s.rgid = s.egid = s.sgid = u;
    } else if (opt.key == "euid") {
      euid = u;
    } else if (opt.key == "suid") {
      suid = u;
    } else if (opt.key == "egid") {
      egid = u;
    } else if (opt.key == "sgid") {
      sgid = u;
    } else if (opt.key == "fdlimit" && v) {
      s.fd_limit = static_cast<int>(*v);
    } else if (opt.key == "stdio") {
      s.stdio = opt.value != "no";
    } else if (opt.key == "personality" && opt.value != "linux") {
      *error = fmt::format("process {} has personality '{}': only Linux runs on the host", *pid, opt.value);
      return false;
    } else if (opt.key == "groups") {
      for (const auto& g : Items(opt.value)) {
        if (const auto n = ToInt(g)) s.groups.push_back(static_cast<std::uint32_t>(*n));
      }
    }
  }
  if (euid) s.euid = *euid;
  if (suid) s.suid = *suid;
  if (egid) s.egid = *egid;
  if (sgid) s.sgid = *sgid;
  if (pids->insert(s.scenario_pid).second) specs->push_back(s);
  return true;
}

std::optional<HostPlan> PlanFor(const Scenario& scenario, std::string* error) {
  HostPlan plan;
  std::set<int> pids;
  for (const auto& line : scenario.lines) {
    if (line.kind == Line::Kind::kProcessEvent) {
      const ProcessEvent& ev = line.event();
      if (ev.kind == ProcessEvent::Kind::kExited || ev.kind == ProcessEvent::Kind::kKilled) {
        plan.events.push_back(Event{ev.location.line,
                                    ev.kind == ProcessEvent::Kind::kExited ? Event::Kind::kExit : Event::Kind::kKill,
                                    ev.pid, ev.status, 0});
      }
      continue;
    }
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive();
    if (d.keyword == "link-down" || d.keyword == "link-up" || d.keyword == "fault" || d.keyword == "graph") {
      if (d.location.line < plan.incomparable_line) {
        plan.incomparable_line = d.location.line;
        plan.incomparable_reason = fmt::format(
            "not comparable on the host after '{}' (line {}): all hosts share one network namespace there", d.text,
            d.location.line);
      }
    } else if (d.keyword == "advance" || d.keyword == "settle") {
      std::int64_t ms = kAdvanceCapMs;
      if (d.keyword == "advance" && d.words.size() == 1) {
        if (const auto dur = numbers::ParseDuration(d.words[0])) {
          ms = std::min<std::int64_t>(kAdvanceCapMs, dur->ns / 1000000);
        }
      }
      plan.events.push_back(Event{d.location.line, Event::Kind::kPause, 0, 0, std::max<std::int64_t>(ms, 1)});
    } else if (d.keyword == "host" || d.keyword == "router") {
      // Several nodes become one namespace on the host: their addresses, routes and latencies
      // collapse into loopback, so such a scenario is the simulator's alone.
      if (++plan.nodes == 2 && 0 < plan.incomparable_line) {
        plan.incomparable_line = 0;
        plan.incomparable_reason = fmt::format(
            "not comparable on the host: '{}' (line {}) declares a second node, and all nodes share one "
            "network namespace there", d.text, d.location.line);
      }
      AddLinkAddresses(d, &plan.addresses);  // lo=ADDR/PREFIX,...
    } else if (d.keyword == "link") {
      AddLinkAddresses(d, &plan.addresses);
    } else if (d.keyword == "process") {
      if (!AddProcess(d, &plan.specs, &pids, error)) return std::nullopt;
    } else if (d.keyword == "fd") {
      if (d.words.size() != 2) continue;
      const auto pid = ToInt(d.words[0]);
      const auto n = ToInt(d.words[1]);
      if (!pid || !n || *n < 0 || *n >= host::kChannelFd) continue;
      for (auto& s : plan.specs) {
        if (s.scenario_pid != *pid) continue;
        const auto* kind = d.Find("kind");
        s.fds.push_back(host::InheritedFd{static_cast<int>(*n), kind && kind->value == "pipe"});
      }
    } else if (d.keyword == "personality" && d.words.size() == 1 && d.words[0] != "linux") {
      *error = fmt::format("personality '{}': only Linux scenarios run on the host", d.words[0]);
      return std::nullopt;
    }
  }
  std::stable_sort(plan.events.begin(), plan.events.end(), [](const Event& a, const Event& b) { return a.line < b.line; });
  return plan;
}

/// The Linux call table, with the scenario's events and the host's problems around it.
class HostCallTable final : public CallTable {
 public:
  HostCallTable(std::unique_ptr<LinuxCallTable> linux_calls, host::HostLinuxBackend* backend, HostPlan plan)
      : linux_(std::move(linux_calls)), backend_(backend), plan_(std::move(plan)) {}

  ExecutedCall Execute(const CallLine& call, sim::Thread& thread, bool may_wait) override {
    if (call.location.line > plan_.incomparable_line) {
      ExecutedCall out;
      out.skip_reason = plan_.incomparable_reason;
      return out;
    }
    ApplyEventsBefore(call.location.line);
    ExecutedCall out = linux_->Execute(call, thread, may_wait);
    if (auto problem = backend_->TakeProblem()) {
      ExecutedCall failed;
      if (problem->skip) {
        failed.skip_reason = std::move(problem->message);
      } else {
        failed.bind_error = std::move(problem->message);
        failed.bind_error_location = call.location;
      }
      return failed;
    }
    return out;
  }
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& handles) override {
    return linux_->Explain(process, handles);
  }
  bool ChangesInCanonicalForm(const std::vector<Value>& args) const override {
    return linux_->ChangesInCanonicalForm(args);
  }
  void CanonicalizeExpected(std::vector<Value>& args) const override {
    linux_->CanonicalizeExpected(args);
  }
  void KeepCallMemory() override { linux_->KeepCallMemory(); }

 private:
  void ApplyEventsBefore(int line) {
    while (next_event_ < plan_.events.size() && plan_.events[next_event_].line < line) {
      const Event& e = plan_.events[next_event_++];
      if (e.kind == Event::Kind::kPause) {
        usleep(static_cast<useconds_t>(e.ms * 1000));
      } else {
        backend_->EndProcess(e.pid, e.kind == Event::Kind::kKill, e.status);
      }
    }
  }

  std::unique_ptr<LinuxCallTable> linux_;
  host::HostLinuxBackend* backend_;  // owned by linux_
  HostPlan plan_;
  std::size_t next_event_ = 0;
};

}  // namespace

std::unique_ptr<CallTable> MakeHostCallTable(const Scenario& scenario, sim::World& world, std::string* error) {
  auto plan = PlanFor(scenario, error);
  if (!plan) return nullptr;
  auto backend = std::make_unique<host::HostLinuxBackend>(world);
  if (!backend->Start(plan->specs, plan->addresses, error)) return nullptr;
  host::HostLinuxBackend* raw = backend.get();
  return std::make_unique<HostCallTable>(std::make_unique<LinuxCallTable>(std::move(backend)), raw,
                                         std::move(*plan));
}

namespace {

class LinuxHostExecutor final : public HostExecutor {
 public:
  std::unique_ptr<CallTable> MakeTable(const Scenario& scenario, sim::World& world,
                                       std::string* error) const override {
    return MakeHostCallTable(scenario, world, error);
  }
};

}  // namespace

const HostExecutor& linux_host_executor() {
  static const LinuxHostExecutor kExecutor;
  return kExecutor;
}

}  // namespace socksim::tools
