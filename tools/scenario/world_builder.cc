// File: tools/scenario/world_builder.cc
// Header directives -> world; control directives -> world changes.
#include "tools/scenario/world_builder.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "tools/host/host_call_table.h"
#include "tools/graph/graph_loader.h"
#include "tools/scenario/linux_call_table.h"

namespace socksim::tools {
namespace {

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

const std::vector<std::string> kHeaderKeywords = {"personality", "kernel", "seed", "host", "router",
                                                  "link", "graph", "process", "fd"};

}  // namespace

std::optional<sim::Duration> ParseDuration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return std::nullopt;
  const auto n = ParseInt(text.substr(0, i));
  if (!n) return std::nullopt;
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit == "ns") return sim::Duration::Nanoseconds(*n);
  if (unit == "us") return sim::Duration::Microseconds(*n);
  if (unit == "ms") return sim::Duration::Milliseconds(*n);
  if (unit == "s") return sim::Duration::Seconds(*n);
  return std::nullopt;
}

bool ScenarioWorld::IsHeaderKeyword(const std::string& keyword) {
  for (const auto& k : kHeaderKeywords) {
    if (k == keyword) return true;
  }
  return false;
}

ScenarioWorld::ScenarioWorld(const Scenario& scenario, std::optional<std::uint64_t> seed,
                             Execution execution) {
  // The seed and kernel must be known before anything is built.
  std::uint64_t file_seed = 1;
  stack::linux_abi::KernelVersion kernel = stack::linux_abi::kNewestKernel;
  for (const auto& line : scenario.lines) {
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive;
    if (d.keyword == "seed") {
      const auto v = d.words.size() == 1 ? ParseInt(d.words[0]) : std::nullopt;
      if (!v || *v < 0) {
        Error(d.location, "seed takes one non-negative integer");
      } else {
        file_seed = static_cast<std::uint64_t>(*v);
      }
    } else if (d.keyword == "kernel") {
      const auto v = d.words.size() == 1 ? stack::linux_abi::KernelVersion::Parse(d.words[0]) : std::nullopt;
      if (!v) {
        Error(d.location, "kernel takes a version such as 6.18");
      } else {
        kernel = *v;
      }
    } else if (d.keyword == "personality") {
      if (d.words.size() != 1) {
        Error(d.location, "personality takes one name");
      } else {
        default_personality_ = d.words[0];
      }
    }
  }
  world_ = std::make_unique<sim::World>(sim::WorldOptions{.seed = seed.value_or(file_seed)});
  stack_ = std::make_unique<stack::Stack>(*world_);
  linux_ = std::make_unique<stack::linux_abi::LinuxPersonality>(*stack_, kernel);
  if (execution == Execution::kHost) {
    std::string error;
    auto host = MakeHostCallTable(scenario, *world_, &error);
    if (!host) {
      Error(SourceLocation{scenario.file, 1, 1}, "--host: " + error);
    } else {
      tables_["linux"] = std::move(host);
    }
  } else {
    tables_["linux"] = std::make_unique<LinuxCallTable>(std::make_unique<SimulatedLinuxBackend>(*linux_));
  }
  Build(scenario);
}

ScenarioWorld::~ScenarioWorld() = default;

void ScenarioWorld::Error(const SourceLocation& at, std::string message) {
  errors_.push_back(ScenarioError{at, std::move(message)});
}

std::optional<sim::NodeId> ScenarioWorld::Node(const Directive& d, const std::string& name) {
  auto id = world_->topology().FindNode(name);
  if (!id) Error(d.location, fmt::format("unknown host '{}'", name));
  return id;
}

void ScenarioWorld::Build(const Scenario& scenario) {
  auto& topo = world_->topology();
  // An `fd` line after the first call, event or control directive describes a descriptor that
  // appeared during the run (made by a call outside the model): Apply installs it there.
  bool in_body = false;
  for (const auto& line : scenario.lines) {
    if (line.kind != Line::Kind::kDirective || !IsHeaderKeyword(line.directive.keyword)) in_body = true;
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive;
    try {
      if (d.keyword == "host" || d.keyword == "router") {
        if (d.words.size() != 1) {
          Error(d.location, fmt::format("{} takes one name", d.keyword));
          continue;
        }
        if (topo.FindNode(d.words[0])) {
          Error(d.location, fmt::format("'{}' is declared twice", d.words[0]));
          continue;
        }
        topo.AddNode(d.words[0], d.keyword == "host" ? sim::NodeKind::kHost : sim::NodeKind::kRouter);
      } else if (d.keyword == "link") {
        if (d.words.size() != 2) {
          Error(d.location, "link takes two node names");
          continue;
        }
        const auto a = Node(d, d.words[0]);
        const auto b = Node(d, d.words[1]);
        if (!a || !b) continue;
        sim::Duration latency = sim::Duration::Microseconds(100);
        if (const auto* opt = d.Find("latency")) {
          const auto parsed = ParseDuration(opt->value);
          if (!parsed) {
            errors_.push_back({opt->location, fmt::format("bad latency '{}'", opt->value)});
            continue;
          }
          latency = *parsed;
        }
        const sim::LinkId link = topo.AddLink(*a, *b, latency);
        const auto& l = topo.link(link);
        for (const auto& opt : d.options) {
          if (opt.key == "latency") continue;
          sim::InterfaceId iface;
          if (opt.key == d.words[0]) {
            iface = l.a;
          } else if (opt.key == d.words[1]) {
            iface = l.b;
          } else {
            errors_.push_back({opt.location, fmt::format("unknown link option '{}'", opt.key)});
            continue;
          }
          std::size_t start = 0;
          while (start <= opt.value.size()) {
            const std::size_t comma = opt.value.find(',', start);
            const std::string item = opt.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            const std::size_t slash = item.find('/');
            const auto ip = sim::IpAddress::Parse(item.substr(0, slash));
            const auto prefix = slash == std::string::npos ? std::optional<std::int64_t>(ip && ip->is_v4() ? 32 : 128)
                                                           : ParseInt(item.substr(slash + 1));
            if (!ip || !prefix) {
              errors_.push_back({opt.location, fmt::format("bad address '{}' (want ADDR/PREFIX)", item)});
            } else {
              topo.AddAddress(iface, *ip, static_cast<int>(*prefix));
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
          }
        }
      } else if (d.keyword == "graph") {
        if (d.words.size() != 1) {
          Error(d.location, "graph takes one file name");
          continue;
        }
        const std::filesystem::path base = std::filesystem::path(d.location.file).parent_path();
        const auto result = LoadGraph((base / d.words[0]).string(), topo);
        for (const auto& e : result.errors) {
          errors_.push_back({SourceLocation{e.file, e.line, e.column}, e.message});
        }
      } else if (d.keyword == "process") {
        if (d.words.size() != 1 || !ParseInt(d.words[0]) || *ParseInt(d.words[0]) <= 0) {
          Error(d.location, "process takes a positive pid");
          continue;
        }
        sim::ProcessSpec spec;
        spec.pid = static_cast<sim::Pid>(*ParseInt(d.words[0]));
        spec.personality = default_personality_;
        const auto* host = d.Find("host");
        if (host == nullptr) {
          Error(d.location, "process needs host=NAME");
          continue;
        }
        const auto node = Node(d, host->value);
        if (!node) continue;
        spec.node = *node;
        sim::Credentials c;
        std::optional<sim::Uid> euid, suid;
        std::optional<sim::Gid> egid, sgid;
        int fd_limit = sim::FdTable::kDefaultLimit;
        bool stdio = true;
        bool ok = true;
        for (const auto& opt : d.options) {
          auto number = [&]() -> std::optional<std::int64_t> {
            auto v = ParseInt(opt.value);
            if (!v) {
              errors_.push_back({opt.location, fmt::format("'{}' needs a number, found '{}'", opt.key, opt.value)});
              ok = false;
            }
            return v;
          };
          if (opt.key == "host") continue;
          if (opt.key == "uid") {
            if (auto v = number()) c.ruid = c.euid = c.suid = static_cast<sim::Uid>(*v);
          } else if (opt.key == "gid") {
            if (auto v = number()) c.rgid = c.egid = c.sgid = static_cast<sim::Gid>(*v);
          } else if (opt.key == "euid") {
            if (auto v = number()) euid = static_cast<sim::Uid>(*v);
          } else if (opt.key == "suid") {
            if (auto v = number()) suid = static_cast<sim::Uid>(*v);
          } else if (opt.key == "egid") {
            if (auto v = number()) egid = static_cast<sim::Gid>(*v);
          } else if (opt.key == "sgid") {
            if (auto v = number()) sgid = static_cast<sim::Gid>(*v);
          } else if (opt.key == "zone") {
            if (auto v = number()) c.zone_id = static_cast<std::int32_t>(*v);
          } else if (opt.key == "project") {
            if (auto v = number()) c.project_id = static_cast<std::int32_t>(*v);
          } else if (opt.key == "fdlimit") {
            if (auto v = number()) fd_limit = static_cast<int>(*v);
          } else if (opt.key == "groups") {
            std::size_t start = 0;
            while (start < opt.value.size()) {
              const std::size_t comma = opt.value.find(',', start);
              const auto g = ParseInt(opt.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
              if (!g) {
                errors_.push_back({opt.location, fmt::format("bad group list '{}'", opt.value)});
                ok = false;
                break;
              }
              c.groups.push_back(static_cast<sim::Gid>(*g));
              if (comma == std::string::npos) break;
              start = comma + 1;
            }
          } else if (opt.key == "personality") {
            spec.personality = opt.value;
          } else if (opt.key == "name") {
            spec.name = opt.value;
          } else if (opt.key == "stdio") {
            if (opt.value != "yes" && opt.value != "no") {
              errors_.push_back({opt.location, "stdio takes yes or no"});
              ok = false;
            }
            stdio = opt.value == "yes";
          } else {
            errors_.push_back({opt.location, fmt::format("unknown process option '{}'", opt.key)});
            ok = false;
          }
        }
        if (!ok) continue;
        if (euid) c.euid = *euid;
        if (suid) c.suid = *suid;
        if (egid) c.egid = *egid;
        if (sgid) c.sgid = *sgid;
        spec.credentials = c;
        if (tables_.count(spec.personality) == 0) {
          Error(d.location, fmt::format("personality '{}' is not available (known: linux)", spec.personality));
          continue;
        }
        if (world_->FindProcess(*spec.pid)) {
          Error(d.location, fmt::format("pid {} is declared twice", *spec.pid));
          continue;
        }
        sim::Process& p = world_->Spawn(spec);
        p.fds().set_limit(fd_limit);
        // A process starts with descriptors 0, 1 and 2 open, as one started from a shell does
        // (its terminal); `stdio=no` starts with an empty table.
        for (int fd = 0; stdio && fd < 3 && fd < fd_limit; ++fd) {
          (void)p.fds().InstallAt(fd,
                                  std::make_shared<sim::OpenFileDescription>(
                                      std::make_shared<sim::PlainFile>(sim::FileKind::kCharDevice, "/dev/pts/0"),
                                      sim::StatusFlags{}),
                                  false);
        }
      } else if (d.keyword == "fd") {
        if (in_body) {
          deferred_fds_.insert(d.location.line);  // installed when the run reaches it
          continue;
        }
        std::string message;
        if (!InstallFd(d, &message)) Error(d.location, message);
      }
    } catch (const std::exception& e) {
      Error(d.location, e.what());
    }
  }
}

bool ScenarioWorld::InstallFd(const Directive& d, std::string* message) {
  auto fail = [&](std::string m) {
    *message = std::move(m);
    return false;
  };
  const auto pid = d.words.size() == 2 ? ParseInt(d.words[0]) : std::nullopt;
  const auto number = d.words.size() == 2 ? ParseInt(d.words[1]) : std::nullopt;
  if (!pid || !number) return fail("fd takes a pid and a descriptor number");
  sim::Process* p = world_->FindProcess(static_cast<sim::Pid>(*pid));
  if (p == nullptr) return fail(fmt::format("fd: no process {}", d.words[0]));
  sim::FileKind kind = sim::FileKind::kRegularFile;
  if (const auto* k = d.Find("kind")) {
    if (k->value == "file") {
      kind = sim::FileKind::kRegularFile;
    } else if (k->value == "chardev") {
      kind = sim::FileKind::kCharDevice;
    } else if (k->value == "pipe") {
      kind = sim::FileKind::kPipe;
    } else if (k->value == "unknown") {
      kind = sim::FileKind::kUnknown;  // calls on it are skipped by the runner
    } else {
      return fail(fmt::format("unknown fd kind '{}'", k->value));
    }
  }
  const auto* path = d.Find("path");
  auto ofd = std::make_shared<sim::OpenFileDescription>(
      std::make_shared<sim::PlainFile>(kind, path ? path->value : std::string("unknown")), sim::StatusFlags{});
  if (!p->fds().InstallAt(static_cast<int>(*number), ofd, false)) return fail("fd number out of range");
  return true;
}

CallTable* ScenarioWorld::TableFor(const sim::Process& process) {
  const auto it = tables_.find(process.personality());
  return it == tables_.end() ? nullptr : it->second.get();
}

bool ScenarioWorld::Apply(const Directive& d, ScenarioError* error) {
  auto fail = [&](std::string message) {
    *error = ScenarioError{d.location, std::move(message)};
    return false;
  };
  if (d.keyword == "fd" && deferred_fds_.count(d.location.line) != 0) {
    std::string message;
    return InstallFd(d, &message) || fail(message);
  }
  if (IsHeaderKeyword(d.keyword)) return true;
  if (d.keyword == "advance") {
    const auto dur = d.words.size() == 1 ? ParseDuration(d.words[0]) : std::nullopt;
    if (!dur) return fail("advance takes a duration such as 1500ms");
    const auto outcome = world_->RunUntil(world_->now() + *dur);
    if (outcome.status == sim::RunStatus::kBudgetExhausted) return fail("event budget exhausted while advancing");
    return true;
  }
  if (d.keyword == "settle") {
    if (world_->RunUntilIdle().status == sim::RunStatus::kBudgetExhausted) {
      return fail("event budget exhausted while settling");
    }
    return true;
  }
  if (d.keyword == "link-down" || d.keyword == "link-up") {
    if (d.words.size() != 2) return fail(d.keyword + " takes two node names");
    auto& topo = world_->topology();
    const auto a = topo.FindNode(d.words[0]);
    const auto b = topo.FindNode(d.words[1]);
    if (!a || !b) return fail("unknown node in " + d.keyword);
    for (std::size_t i = 0; i < topo.link_count(); ++i) {
      const sim::LinkId id{static_cast<std::uint32_t>(i)};
      const auto& l = topo.link(id);
      const auto na = topo.interface(l.a).node;
      const auto nb = topo.interface(l.b).node;
      if ((na == *a && nb == *b) || (na == *b && nb == *a)) {
        topo.SetLinkUp(id, d.keyword == "link-up");
        return true;
      }
    }
    return fail(fmt::format("no link between {} and {}", d.words[0], d.words[1]));
  }
  if (d.keyword == "fault") {
    if (d.words.size() != 1) return fail("fault takes a point name");
    sim::FaultRule rule;
    for (const auto& opt : d.options) {
      if (opt.key == "skip") {
        const auto v = ParseInt(opt.value);
        if (!v || *v < 0) return fail("skip needs a count");
        rule.skip = static_cast<std::uint64_t>(*v);
      } else if (opt.key == "times") {
        if (opt.value == "forever") {
          rule.times = sim::FaultRule::kForever;
        } else {
          const auto v = ParseInt(opt.value);
          if (!v || *v < 0) return fail("times needs a count or 'forever'");
          rule.times = static_cast<std::uint64_t>(*v);
        }
      } else if (opt.key == "chance") {
        const std::size_t slash = opt.value.find('/');
        const auto num = ParseInt(opt.value.substr(0, slash));
        const auto den = slash == std::string::npos ? std::nullopt : ParseInt(opt.value.substr(slash + 1));
        if (!num || !den || *den <= 0 || *num < 0 || *num > *den) return fail("chance needs NUM/DEN with 0 <= NUM <= DEN");
        rule.probability = sim::Ratio{static_cast<std::uint64_t>(*num), static_cast<std::uint64_t>(*den)};
      } else {
        return fail(fmt::format("unknown fault option '{}'", opt.key));
      }
    }
    world_->faults().Arm(d.words[0], rule);
    return true;
  }
  return fail(fmt::format("unknown directive '{}'", d.keyword));
}

}  // namespace socksim::tools
