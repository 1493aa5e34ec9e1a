// File: tools/scenario/world_builder.cc
// Header directives -> world; control directives -> world changes. Personalities come from the
// registry: the header keywords they own are handed to their binding, and each binding sets
// up the processes that speak it.
#include "tools/scenario/world_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "tools/graph/graph_loader.h"
#include "tools/scenario/model_limits.h"
#include "tools/text/numbers.h"

namespace socksim::tools {

std::optional<std::filesystem::path> SandboxedInputPath(const std::string& scenario_file, const std::string& name,
                                                        std::string* problem) {
  namespace fs = std::filesystem;
  const fs::path relative(name);
  if (name.empty() || relative.is_absolute() || relative.has_root_name() || relative.has_root_directory()) {
    *problem = "only a path relative to the scenario's directory is read (the sandbox, docs/reliability.md)";
    return std::nullopt;
  }
  for (const auto& part : relative) {
    if (part == "..") {
      *problem = "a path may not climb out of the scenario's directory with '..' (the sandbox)";
      return std::nullopt;
    }
  }
  std::error_code ec;
  const fs::path base = fs::path(scenario_file).parent_path();
  const fs::path root = fs::weakly_canonical(fs::absolute(base.empty() ? fs::path(".") : base, ec), ec);
  const fs::path target = fs::absolute(base / relative, ec);
  const fs::path real = fs::weakly_canonical(target, ec);
  if (ec) {
    *problem = "the path cannot be resolved";
    return std::nullopt;
  }
  // Every symlink on the way is followed: the file it reaches must still be inside.
  const auto [root_end, real_it] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (root_end != root.end()) {
    *problem = "the path leaves the scenario's directory through a symlink (the sandbox)";
    return std::nullopt;
  }
  (void)real_it;
  const auto status = fs::status(real, ec);
  if (ec || !fs::exists(status)) {
    *problem = "no such file";
    return std::nullopt;
  }
  if (!fs::is_regular_file(status)) {
    *problem = "not a regular file (a directory, FIFO or device is not read)";
    return std::nullopt;
  }
  return real;
}

namespace {

// Keywords every scenario may use, whatever its personalities.
const std::vector<std::string>& GenericHeaderKeywords() {
  static const std::vector<std::string> kKeywords = {"personality", "seed",    "host", "router",
                                                     "link",        "graph",   "process",
                                                     "fd",          "thread",  "interleaving"};
  return kKeywords;
}

// A positive pid or tid; nullopt (with a reason) for anything a Pid cannot hold.
std::optional<sim::Pid> ParseId(std::string_view text) {
  const auto v = numbers::ParseInt64(text);
  if (!v || *v <= 0 || *v > std::numeric_limits<sim::Pid>::max()) return std::nullopt;
  return static_cast<sim::Pid>(*v);
}

// A comma-separated list of names (privileges, flags), sorted; `none` is the empty list.
// nullopt for an empty name or a character outside letters, digits and '_'.
std::optional<std::vector<std::string>> NameList(std::string_view text) {
  std::vector<std::string> out;
  if (text == "none") return out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    const std::string_view name = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (name.empty()) return std::nullopt;
    for (const char ch : name) {
      const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '_';
      if (!word) return std::nullopt;
    }
    out.emplace_back(name);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

bool ScenarioWorld::IsHeaderKeyword(const std::string& keyword) {
  for (const auto& k : GenericHeaderKeywords()) {
    if (k == keyword) return true;
  }
  return PersonalityForHeader(keyword) != nullptr;
}

ScenarioWorld::ScenarioWorld(const Scenario& scenario, std::optional<std::uint64_t> seed,
                             const HostExecutorLookup& host, const sim::ModelLimits& limits)
    : on_host_(static_cast<bool>(host)) {
  // The seed and the personalities' header settings must be known before anything is built.
  std::uint64_t file_seed = 1;
  default_personality_ = std::string(Personalities().front()->name);
  std::vector<const Directive*> owned;  // header directives a personality owns
  for (const auto& line : scenario.lines) {
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive();
    if (d.keyword == "seed") {
      const auto v = d.words.size() == 1 ? numbers::ParseUint64(d.words[0]) : std::nullopt;
      if (!v) {
        Error(d.location, "seed takes one non-negative integer");
      } else {
        file_seed = *v;
      }
    } else if (d.keyword == "personality") {
      if (d.words.size() != 1) {
        Error(d.location, "personality takes one name");
      } else if (FindPersonality(d.words[0]) == nullptr) {
        Error(d.location, fmt::format("personality '{}' is not available (known: {})",
                                      d.words[0], PersonalityNames()));
      } else {
        default_personality_ = d.words[0];
      }
    } else if (d.keyword == "interleaving") {
      // `interleaving unknown`: the lines of different processes need not run in file order
      // (a log recorded one file per process); `interleaving as-written` is the default.
      if (d.words.size() != 1 || (d.words[0] != "unknown" && d.words[0] != "as-written")) {
        Error(d.location, "interleaving takes 'unknown' or 'as-written'");
      } else {
        interleaving_unknown_ = d.words[0] == "unknown";
      }
    } else if (PersonalityForHeader(d.keyword) != nullptr) {
      owned.push_back(&d);
    }
  }
  world_ = std::make_unique<sim::World>(
      sim::WorldOptions{.seed = seed.value_or(file_seed), .limits = limits});
  stack_ = std::make_unique<stack::Stack>(*world_);
  // Header settings go to their personality's binding before it starts.
  for (const Directive* d : owned) {
    const PersonalityEntry* entry = PersonalityForHeader(d->keyword);
    auto& binding = bindings_[std::string(entry->name)];
    if (!binding) binding = entry->make_binding();
    std::string message;
    if (!binding->ApplyHeader(*d, &message)) Error(d->location, message);
  }
  if (Binding(default_personality_) == nullptr) {
    Error(SourceLocation{scenario.file, 1, 1},
          fmt::format("personality '{}' could not be built", default_personality_));
  }
  if (on_host_) {
    // Every personality the scenario's processes speak must have a host executor; one that
    // has none (no real system to compare with here) makes the whole scenario the
    // simulator's alone: it is built as usual and its calls are reported as skipped.
    std::vector<std::string> spoken = {default_personality_};
    for (const auto& line : scenario.lines) {
      if (line.kind != Line::Kind::kDirective || line.directive().keyword != "process") continue;
      if (const auto* p = line.directive().Find("personality")) spoken.push_back(p->value);
    }
    for (const auto& name : spoken) {
      if (FindPersonality(name) != nullptr && host(name) == nullptr) {
        host_skip_reason_ = fmt::format(
            "--host: personality '{}' has no host executor (its calls are the simulator's "
            "alone)",
            name);
        on_host_ = false;
        break;
      }
    }
  }
  if (on_host_) {
    std::string error;
    const HostExecutor* executor = host(default_personality_);
    auto table = executor == nullptr ? nullptr : executor->MakeTable(scenario, *world_, &error);
    if (executor == nullptr) error = fmt::format("personality '{}' cannot run on this machine",
                                                 default_personality_);
    if (!table) {
      Error(SourceLocation{scenario.file, 1, 1}, "--host: " + error);
    } else {
      host_tables_[default_personality_] = std::move(table);
    }
  }
  Build(scenario);
}

ScenarioWorld::~ScenarioWorld() = default;

void ScenarioWorld::Error(const SourceLocation& at, std::string message) {
  errors_.push_back(ScenarioError{at, std::move(message)});
}

PersonalityBinding* ScenarioWorld::Binding(const std::string& name) {
  auto it = bindings_.find(name);
  if (it == bindings_.end()) {
    const PersonalityEntry* entry = FindPersonality(name);
    if (entry == nullptr) return nullptr;
    it = bindings_.emplace(name, entry->make_binding()).first;
  }
  // A binding made for a header directive starts when first needed, after the header.
  if (started_.insert(name).second) it->second->Start(*world_, *stack_);
  return it->second.get();
}

std::optional<sim::NodeId> ScenarioWorld::Node(const Directive& d, const std::string& name) {
  auto id = world_->topology().FindNode(name);
  if (!id) Error(d.location, fmt::format("unknown host '{}'", name));
  return id;
}

bool ScenarioWorld::AddAddresses(const Directive::Option& opt, sim::InterfaceId iface) {
  bool ok = true;
  std::size_t start = 0;
  while (start <= opt.value.size()) {
    const std::size_t comma = opt.value.find(',', start);
    const std::string item = opt.value.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t slash = item.find('/');
    const auto ip = sim::IpAddress::Parse(item.substr(0, slash));
    std::optional<std::uint64_t> prefix;
    if (ip) {
      prefix = slash == std::string::npos ? std::optional<std::uint64_t>(ip->is_v4() ? 32 : 128)
                                          : numbers::ParseUint64(item.substr(slash + 1));
    }
    if (!ip || !prefix || *prefix > (ip->is_v4() ? 32u : 128u)) {
      errors_.push_back(
          {opt.location, fmt::format("bad address '{}' (want ADDR/PREFIX)", item)});
      ok = false;
    } else {
      world_->topology().AddAddress(iface, *ip, static_cast<int>(*prefix));
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ok;
}

void ScenarioWorld::AddHost(const Directive& d) {
  auto& topo = world_->topology();
  if (d.words.size() != 1) {
    Error(d.location, fmt::format("{} takes one name", d.keyword));
    return;
  }
  if (topo.FindNode(d.words[0])) {
    Error(d.location, fmt::format("'{}' is declared twice", d.words[0]));
    return;
  }
  const sim::NodeId node =
      topo.AddNode(d.words[0], d.keyword == "host" ? sim::NodeKind::kHost : sim::NodeKind::kRouter);
  for (const auto& opt : d.options) {
    if (opt.key == "lo") {
      // Extra addresses on the node's own loopback interface (`lo=fe80::1/64`), so that a
      // one-host scenario can use them and still run on a real kernel with --host.
      AddAddresses(opt, topo.node(node).interfaces.front());
    } else {
      errors_.push_back({opt.location, fmt::format("unknown {} option '{}'", d.keyword, opt.key)});
    }
  }
}

void ScenarioWorld::AddLink(const Directive& d) {
  auto& topo = world_->topology();
  if (d.words.size() != 2) {
    Error(d.location, "link takes two node names");
    return;
  }
  const auto a = Node(d, d.words[0]);
  const auto b = Node(d, d.words[1]);
  if (!a || !b) return;
  sim::Duration latency = sim::Duration::Microseconds(100);
  if (const auto* opt = d.Find("latency")) {
    const auto parsed = numbers::ParseDuration(opt->value);
    if (!parsed) {
      errors_.push_back({opt->location, fmt::format("bad latency '{}'", opt->value)});
      return;
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
    AddAddresses(opt, iface);
  }
}

void ScenarioWorld::AddProcess(const Directive& d) {
  const auto pid = d.words.size() == 1 ? ParseId(d.words[0]) : std::nullopt;
  if (!pid) {
    Error(d.location, "process takes a positive pid");
    return;
  }
  sim::ProcessSpec spec;
  spec.pid = *pid;
  spec.personality = default_personality_;
  const auto* host = d.Find("host");
  if (host == nullptr) {
    Error(d.location, "process needs host=NAME");
    return;
  }
  const auto node = Node(d, host->value);
  if (!node) return;
  spec.node = *node;
  sim::Credentials c;
  std::optional<sim::Uid> euid, suid;
  std::optional<sim::Gid> egid, sgid;
  ProcessSetup setup;
  bool ok = true;
  for (const auto& opt : d.options) {
    // An id is a 32-bit unsigned value; anything else is refused, never truncated.
    auto id = [&]() -> std::optional<std::uint32_t> {
      const auto v = numbers::ParseUint64(opt.value);
      if (!v || *v > std::numeric_limits<std::uint32_t>::max()) {
        errors_.push_back({opt.location, fmt::format("'{}' needs a number from 0 to 4294967295, "
                                                     "found '{}'", opt.key, opt.value)});
        ok = false;
        return std::nullopt;
      }
      return static_cast<std::uint32_t>(*v);
    };
    auto signed_id = [&]() -> std::optional<std::int32_t> {
      const auto v = numbers::ParseInt64(opt.value);
      if (!v || *v < std::numeric_limits<std::int32_t>::min() ||
          *v > std::numeric_limits<std::int32_t>::max()) {
        errors_.push_back({opt.location, fmt::format("'{}' needs a 32-bit number, found '{}'",
                                                     opt.key, opt.value)});
        ok = false;
        return std::nullopt;
      }
      return static_cast<std::int32_t>(*v);
    };
    // An audit id: a 32-bit value written unsigned or as a negative number (-2 is
    // 0xfffffffe), as an au_id_t or au_asid_t prints either way.
    auto id_or_negative = [&]() -> std::optional<std::uint32_t> {
      const auto v = numbers::ParseInt64(opt.value);
      if (!v || *v < std::numeric_limits<std::int32_t>::min() ||
          *v > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
        errors_.push_back({opt.location, fmt::format("'{}' needs a 32-bit number, found '{}'",
                                                     opt.key, opt.value)});
        ok = false;
        return std::nullopt;
      }
      return static_cast<std::uint32_t>(*v);
    };
    if (opt.key == "host") continue;
    if (opt.key == "uid") {
      if (auto v = id()) c.ruid = c.euid = c.suid = *v;
    } else if (opt.key == "gid") {
      if (auto v = id()) c.rgid = c.egid = c.sgid = *v;
    } else if (opt.key == "euid") {
      if (auto v = id()) euid = *v;
    } else if (opt.key == "suid") {
      if (auto v = id()) suid = *v;
    } else if (opt.key == "egid") {
      if (auto v = id()) egid = *v;
    } else if (opt.key == "sgid") {
      if (auto v = id()) sgid = *v;
    } else if (opt.key == "zone") {
      if (auto v = signed_id()) c.zone_id = *v;
    } else if (opt.key == "project") {
      if (auto v = signed_id()) c.project_id = *v;
    } else if (opt.key == "fdlimit") {
      const auto v = numbers::ParseUint64(opt.value);
      if (!v) {
        errors_.push_back(
            {opt.location, fmt::format("'fdlimit' needs a number, found '{}'", opt.value)});
        ok = false;
      } else {
        setup.descriptor_limit = *v;
      }
    } else if (opt.key == "groups") {
      std::size_t start = 0;
      while (start < opt.value.size()) {
        const std::size_t comma = opt.value.find(',', start);
        const auto g = numbers::ParseUint64(opt.value.substr(
            start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!g || *g > std::numeric_limits<sim::Gid>::max()) {
          errors_.push_back({opt.location, fmt::format("bad group list '{}'", opt.value)});
          ok = false;
          break;
        }
        c.groups.push_back(static_cast<sim::Gid>(*g));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (opt.key == "privs" || opt.key == "eprivs" || opt.key == "iprivs" ||
               opt.key == "pprivs" || opt.key == "lprivs") {
      // Privilege sets (privileges(7)): `privs=` sets the effective, inheritable and
      // permitted sets at once, the others one set each; `none` is the empty set.
      const auto names = NameList(opt.value);
      if (!names) {
        errors_.push_back({opt.location, fmt::format("'{}' needs privilege names such as "
                                                     "net_privaddr,proc_audit or none, found "
                                                     "'{}'",
                                                     opt.key, opt.value)});
        ok = false;
      } else {
        auto& sets = c.privileges;
        if (opt.key == "privs" || opt.key == "eprivs") sets.effective = *names;
        if (opt.key == "privs" || opt.key == "iprivs") sets.inheritable = *names;
        if (opt.key == "privs" || opt.key == "pprivs") sets.permitted = *names;
        if (opt.key == "lprivs") sets.limit = *names;
      }
    } else if (opt.key == "pflags") {
      // Process privilege flags by name (PRIV_AWARE,PRIV_DEBUG); the personality reads them.
      const auto names = NameList(opt.value);
      if (!names) {
        errors_.push_back({opt.location, fmt::format("'pflags' needs flag names such as "
                                                     "PRIV_AWARE,PRIV_DEBUG or none, found "
                                                     "'{}'",
                                                     opt.value)});
        ok = false;
      } else {
        c.privileges.flags = *names;
      }
    } else if (opt.key == "auid") {
      if (auto v = id_or_negative()) c.audit.audit_uid = *v;
    } else if (opt.key == "asid") {
      if (auto v = id_or_negative()) c.audit.session_id = *v;
    } else if (opt.key == "amask" || opt.key == "atid") {
      // Two numbers: the success and failure masks, or the terminal's port and machine.
      const std::size_t comma = opt.value.find(',');
      // Decimal or 0x hex, never negative.
      auto number = [&](std::string_view text) -> std::optional<std::uint64_t> {
        if (text.empty() || text[0] == '-') return std::nullopt;
        const auto v = numbers::ParseIntegerLiteral(text);
        if (!v) return std::nullopt;
        return static_cast<std::uint64_t>(*v);
      };
      const std::string_view value = opt.value;
      const auto first = comma == std::string::npos ? std::nullopt : number(value.substr(0, comma));
      const auto second =
          comma == std::string::npos ? std::nullopt : number(value.substr(comma + 1));
      const bool port_and_machine = opt.key == "atid";
      if (!first || !second || *second > std::numeric_limits<std::uint32_t>::max() ||
          (!port_and_machine && *first > std::numeric_limits<std::uint32_t>::max())) {
        errors_.push_back(
            {opt.location,
             fmt::format("'{}' needs two numbers {}, found '{}'", opt.key,
                         port_and_machine ? "PORT,MACHINE (a 64-bit port, a 32-bit machine)"
                                          : "SUCCESS,FAILURE (32-bit masks)",
                         opt.value)});
        ok = false;
      } else if (port_and_machine) {
        c.audit.terminal_port = *first;
        c.audit.terminal_machine = static_cast<std::uint32_t>(*second);
      } else {
        c.audit.mask_success = static_cast<std::uint32_t>(*first);
        c.audit.mask_failure = static_cast<std::uint32_t>(*second);
      }
    } else if (opt.key == "label") {
      c.label = opt.value;
    } else if (opt.key == "personality") {
      spec.personality = opt.value;
    } else if (opt.key == "name") {
      spec.name = opt.value;
    } else if (opt.key == "stdio") {
      if (opt.value != "yes" && opt.value != "no") {
        errors_.push_back({opt.location, "stdio takes yes or no"});
        ok = false;
      }
      setup.stdio = opt.value == "yes";
    } else {
      errors_.push_back({opt.location, fmt::format("unknown process option '{}'", opt.key)});
      ok = false;
    }
  }
  if (!ok) return;
  if (euid) c.euid = *euid;
  if (suid) c.suid = *suid;
  if (egid) c.egid = *egid;
  if (sgid) c.sgid = *sgid;
  spec.credentials = c;
  PersonalityBinding* binding = Binding(spec.personality);
  if (binding == nullptr) {
    Error(d.location, fmt::format("personality '{}' is not available (known: {})",
                                  spec.personality, PersonalityNames()));
    return;
  }
  if (on_host_ && host_tables_.count(spec.personality) == 0) {
    Error(d.location,
          fmt::format("--host: personality '{}' cannot run on this machine", spec.personality));
    return;
  }
  if (world_->FindThread(*spec.pid) != nullptr) {
    Error(d.location, fmt::format("pid {} is declared twice", *spec.pid));
    return;
  }
  sim::Process& p = world_->Spawn(spec);
  binding->SetUpProcess(p, setup);
}

void ScenarioWorld::Build(const Scenario& scenario) {
  // An `fd` or `thread` line after the first call, event or control directive describes
  // something that appeared during the run: Apply installs it there.
  bool in_body = false;
  for (const auto& line : scenario.lines) {
    if (line.kind != Line::Kind::kDirective || !IsHeaderKeyword(line.directive().keyword)) {
      in_body = true;
    }
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive();
    try {
      if (d.keyword == "host" || d.keyword == "router") {
        AddHost(d);
      } else if (d.keyword == "link") {
        AddLink(d);
      } else if (d.keyword == "graph") {
        if (d.words.size() != 1) {
          Error(d.location, "graph takes one file name");
          continue;
        }
        std::string problem;
        const auto path = SandboxedInputPath(d.location.file, d.words[0], &problem);
        if (!path) {
          SourceLocation at = d.location;
          if (const std::size_t w = d.text.find(d.words[0], d.keyword.size()); w != std::string::npos) {
            at.column = static_cast<int>(w) + 1;
          }
          Error(at, fmt::format("graph '{}': {}", d.words[0], problem));
          continue;
        }
        const auto result = LoadGraph(path->string(), world_->topology());
        for (const auto& e : result.errors) {
          errors_.push_back({SourceLocation{e.file, e.line, e.column}, e.message});
        }
      } else if (d.keyword == "process") {
        AddProcess(d);
      } else if (d.keyword == "fd" || d.keyword == "thread") {
        if (in_body) {
          deferred_lines_.insert(d.location.line);  // applied when the run reaches it
          continue;
        }
        std::string message;
        const bool ok = d.keyword == "fd" ? InstallFd(d, &message) : AddThread(d, &message);
        if (!ok) Error(d.location, message);
      }
    } catch (const sim::LimitReached& e) {
      Error(d.location, ReachedMessage(e));
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
  const auto pid = d.words.size() == 2 ? ParseId(d.words[0]) : std::nullopt;
  const auto number = d.words.size() == 2 ? numbers::ParseUint64(d.words[1]) : std::nullopt;
  if (!pid || !number) return fail("fd takes a pid and a descriptor number");
  sim::Process* p = world_->FindProcess(*pid);
  if (p == nullptr) {
    // A thread's id names its process's table (an importer names the thread whose call
    // opened the descriptor, so that the line goes with that thread's).
    if (sim::Thread* t = world_->FindThread(static_cast<sim::Tid>(*pid)); t != nullptr) p = &t->process();
  }
  if (p == nullptr) return fail(fmt::format("fd: no process {}", d.words[0]));
  // An exited process's table stays empty: its exit closed every descriptor (exit_files), and
  // nothing can open one for it after.
  if (!p->alive()) return fail(fmt::format("fd: process {} has exited", d.words[0]));
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
  // cloexec=yes: the descriptor goes at the next execve (an importer adopting O_CLOEXEC).
  bool cloexec = false;
  if (const auto* c = d.Find("cloexec")) {
    if (c->value != "yes" && c->value != "no") return fail("cloexec takes yes or no");
    cloexec = c->value == "yes";
  }
  // oflags=: the flags the file was opened with (an importer's adopted open), which fix what
  // F_GETFL reports; the process's personality reads them.
  sim::StatusFlags status;
  if (const auto* o = d.Find("oflags")) {
    const auto it = bindings_.find(p->personality());
    const auto read = it == bindings_.end() ? std::nullopt : it->second->FileStatus(o->value);
    if (!read) return fail(fmt::format("fd: cannot read oflags '{}'", o->value));
    status = *read;
  }
  auto ofd = std::make_shared<sim::OpenFileDescription>(
      std::make_shared<sim::PlainFile>(kind, path ? path->value : std::string("unknown")),
      status);
  if (!p->fds().InstallAt(*number, ofd, cloexec)) return fail("fd number out of range");
  return true;
}

bool ScenarioWorld::AddThread(const Directive& d, std::string* message) {
  auto fail = [&](std::string m) {
    *message = std::move(m);
    return false;
  };
  const auto tid = d.words.size() == 1 ? ParseId(d.words[0]) : std::nullopt;
  const auto* owner = d.Find("process");
  const auto pid = owner ? ParseId(owner->value) : std::nullopt;
  if (!tid || !pid) return fail("thread takes a thread id and process=PID");
  sim::Process* p = world_->FindProcess(*pid);
  if (p == nullptr || !p->alive()) return fail(fmt::format("thread: no live process {}", *pid));
  if (world_->FindThread(*tid) != nullptr) return fail(fmt::format("id {} is in use", *tid));
  world_->SpawnThread(*pid, *tid);
  return true;
}

CallTable* ScenarioWorld::TableFor(const sim::Process& process) {
  if (on_host_) {
    const auto it = host_tables_.find(process.personality());
    return it == host_tables_.end() ? nullptr : it->second.get();
  }
  const auto it = bindings_.find(process.personality());
  return it == bindings_.end() ? nullptr : &it->second->table();
}

bool ScenarioWorld::Apply(const Directive& d, ScenarioError* error) {
  auto fail = [&](std::string message) {
    *error = ScenarioError{d.location, std::move(message)};
    return false;
  };
  if ((d.keyword == "fd" || d.keyword == "thread") && deferred_lines_.count(d.location.line)) {
    std::string message;
    const bool ok = d.keyword == "fd" ? InstallFd(d, &message) : AddThread(d, &message);
    return ok || fail(message);
  }
  if (IsHeaderKeyword(d.keyword)) return true;
  if (d.keyword == "advance") {
    const auto dur = d.words.size() == 1 ? numbers::ParseDuration(d.words[0]) : std::nullopt;
    if (!dur) return fail("advance takes a duration such as 1500ms");
    const auto until = sim::CheckedAdd(world_->now(), *dur);
    if (!until) return fail("advance would take virtual time past its end (about 292 years)");
    const auto outcome = world_->RunUntil(*until);
    if (outcome.status == sim::RunStatus::kBudgetExhausted) {
      return fail("event budget exhausted while advancing");
    }
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
        const auto v = numbers::ParseUint64(opt.value);
        if (!v) return fail("skip needs a count");
        rule.skip = *v;
      } else if (opt.key == "times") {
        if (opt.value == "forever") {
          rule.times = sim::FaultRule::kForever;
        } else {
          const auto v = numbers::ParseUint64(opt.value);
          if (!v) return fail("times needs a count or 'forever'");
          rule.times = *v;
        }
      } else if (opt.key == "chance") {
        const auto ratio = numbers::ParseRatio(opt.value);
        if (!ratio) return fail("chance needs NUM/DEN with 0 <= NUM <= DEN");
        rule.probability = *ratio;
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
