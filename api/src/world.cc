// File: api/src/world.cc
// socksim::World over sim::World and stack::Stack: the topology calls as a scenario's host and
// link lines make them (tools/scenario/world_builder.cc), processes set up by their
// personality, time, faults and the recent-calls trace.
#include "socksim/world.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "api/src/world_state.h"
#include "sim/faults.h"
#include "sim/ip_address.h"
#include "sim/time.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/linux/kernel_version.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/windows/provider/layered_provider.h"
#include "stack/personality/windows/winsock.h"

namespace socksim {
namespace detail {
namespace {

sim::WorldOptions SimOptions(const WorldOptions& options) {
  sim::WorldOptions o;
  o.seed = options.seed;
  return o;
}

// "10.0.0.1/24" on `iface`.
void AddInterfaceAddress(sim::Topology& topo, sim::InterfaceId iface, const std::string& text) {
  const auto slash = text.find('/');
  const std::string ip_text = text.substr(0, slash);
  const auto ip = sim::IpAddress::Parse(ip_text);
  if (!ip) throw std::invalid_argument("'" + text + "': '" + ip_text + "' is no IP address");
  int prefix = ip->is_v4() ? 32 : 128;
  if (slash != std::string::npos) {
    const std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(p) > prefix) {
      throw std::invalid_argument("'" + text + "': the prefix length must be 0.." +
                                  std::to_string(prefix));
    }
    prefix = std::stoi(p);
  }
  topo.AddAddress(iface, *ip, prefix);
}

}  // namespace

WorldState::WorldState(const WorldOptions& o) : options(o), world(SimOptions(o)), stack(world) {}
WorldState::~WorldState() = default;

stack::linux_abi::LinuxPersonality& WorldState::Linux() {
  if (!linux_personality) {
    auto version = stack::linux_abi::kNewestKernel;
    if (!options.linux_kernel.empty()) {
      const auto parsed = stack::linux_abi::KernelVersion::Parse(options.linux_kernel);
      if (!parsed) {
        throw std::invalid_argument("linux_kernel '" + options.linux_kernel +
                                    "' is no release (write 6.18 or 5.4.0)");
      }
      version = *parsed;
    }
    linux_personality = std::make_unique<stack::linux_abi::LinuxPersonality>(stack, version);
    calls[static_cast<int>(System::kLinux)] = MakeLinuxCalls(*linux_personality);
  }
  return *linux_personality;
}

stack::windows_abi::Winsock& WorldState::Windows() {
  if (!windows_personality) {
    auto release = stack::windows_abi::kNewestRelease;
    if (!options.windows_release.empty()) {
      const auto parsed = stack::windows_abi::WindowsRelease::Parse(options.windows_release);
      if (!parsed) {
        throw std::invalid_argument("windows_release '" + options.windows_release +
                                    "' is no release (xp, vista, 7, 8, 8.1, 10, 11)");
      }
      release = *parsed;
    }
    windows_personality = std::make_unique<stack::windows_abi::Winsock>(stack, release);
    calls[static_cast<int>(System::kWindows)] = MakeWindowsCalls(*windows_personality);
  }
  return *windows_personality;
}

stack::illumos_abi::Illumos& WorldState::Illumos() {
  if (!illumos_personality) {
    illumos_personality = std::make_unique<stack::illumos_abi::Illumos>(stack);
    calls[static_cast<int>(System::kIllumos)] = MakeIllumosCalls(*illumos_personality);
  }
  return *illumos_personality;
}

SystemCalls& WorldState::Calls(System system) {
  switch (system) {
    case System::kLinux:
      Linux();
      break;
    case System::kWindows:
      Windows();
      break;
    case System::kIllumos:
      Illumos();
      break;
  }
  return *calls[static_cast<int>(system)];
}

sim::Process& WorldState::ProcessOf(int pid) {
  auto* p = world.FindProcess(static_cast<sim::Pid>(pid));
  if (!p || !p->alive()) {
    throw std::logic_error("process " + std::to_string(pid) + " has exited");
  }
  return *p;
}

void WorldState::Record(int pid, const Result& r, const std::string& args) {
  if (options.recent_calls == 0) return;
  std::string line = "[" + sim::FormatInstant(world.now()) + "] " + std::to_string(pid) + " " +
                     std::string(SystemName(r.system)) + " ";
  std::string text = r.ToString();
  // ToString begins with the call's name: put the arguments after it.
  line += r.call + "(" + args + ")" + text.substr(r.call.size());
  recent.push_back(std::move(line));
  while (recent.size() > options.recent_calls) recent.pop_front();
}

std::string Hex(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[v & 0xf]);
    v >>= 4;
  } while (v != 0);
  return "0x" + out;
}

std::string Args(std::initializer_list<std::string> args) {
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ", ";
    out += a;
  }
  return out;
}

}  // namespace detail

World::World(WorldOptions options) : state_(std::make_unique<detail::WorldState>(options)) {}
World::~World() = default;
World::World(World&&) noexcept = default;
World& World::operator=(World&&) noexcept = default;

std::uint64_t World::seed() const { return state_->options.seed; }

void World::AddHost(std::string_view name, const std::vector<std::string>& loopback_addresses) {
  auto& topo = state_->world.topology();
  if (name.empty()) throw std::invalid_argument("a host needs a name");
  if (topo.FindNode(std::string(name))) {
    throw std::invalid_argument("host '" + std::string(name) + "' is added twice");
  }
  const auto node = topo.AddNode(std::string(name), sim::NodeKind::kHost);
  for (const auto& a : loopback_addresses) {
    detail::AddInterfaceAddress(topo, topo.node(node).interfaces.front(), a);
  }
}

Link World::AddLink(std::string_view a, std::string_view b, const LinkOptions& options) {
  auto& topo = state_->world.topology();
  const auto find = [&](std::string_view n) {
    const auto node = topo.FindNode(std::string(n));
    if (!node) throw std::invalid_argument("no host named '" + std::string(n) + "'");
    return *node;
  };
  const auto na = find(a);
  const auto nb = find(b);
  if (options.latency.count() < 0) throw std::invalid_argument("a link's latency is not negative");
  const auto id = topo.AddLink(na, nb, sim::Duration::Nanoseconds(options.latency.count()));
  const auto& l = topo.link(id);
  for (const auto& addr : options.a_addresses) detail::AddInterfaceAddress(topo, l.a, addr);
  for (const auto& addr : options.b_addresses) detail::AddInterfaceAddress(topo, l.b, addr);
  state_->links.push_back(id);
  return Link{state_->links.size() - 1};
}

void World::CutLink(Link link) {
  if (link.id >= state_->links.size()) throw std::invalid_argument("no such link");
  state_->world.topology().SetLinkUp(state_->links[link.id], false);
}

void World::RestoreLink(Link link) {
  if (link.id >= state_->links.size()) throw std::invalid_argument("no such link");
  state_->world.topology().SetLinkUp(state_->links[link.id], true);
}

Process World::Spawn(System system, const ProcessOptions& options) {
  auto& topo = state_->world.topology();
  const auto node = topo.FindNode(options.host);
  if (!node) {
    throw std::invalid_argument("no host named '" + options.host + "' (add it with AddHost)");
  }
  auto creds = sim::Credentials::Of(options.uid, options.gid);
  creds.groups = options.groups;
  sim::ProcessSpec spec;
  if (options.pid) spec.pid = static_cast<sim::Pid>(*options.pid);
  spec.node = *node;
  spec.credentials = std::move(creds);
  spec.personality = std::string(SystemName(system));
  // The personality first: a bad release option throws before the world holds the process.
  (void)state_->Calls(system);
  auto& proc = state_->world.Spawn(spec);
  switch (system) {
    case System::kLinux:
      state_->Linux().SetUpProcess(proc);
      break;
    case System::kWindows:
      state_->Windows().SetUpProcess(proc);
      break;
    case System::kIllumos:
      state_->Illumos().SetUpProcess(proc);
      break;
  }
  Process handle(state_.get(), static_cast<int>(proc.pid()), system);
  if (system == System::kWindows && options.wsa_startup) {
    WindowsProcess w(state_.get(), handle.pid(), system);
    // sizeof(WSADATA) on x64 is 408 bytes (winsock2.h).
    const int code = w.WSAStartup(0x0202, w.memory().Allocate(408));
    if (code != 0) throw std::logic_error("WSAStartup(2.2) failed with " + std::to_string(code));
  }
  return handle;
}

LinuxProcess World::SpawnLinux(const ProcessOptions& options) {
  const auto p = Spawn(System::kLinux, options);
  return LinuxProcess(state_.get(), p.pid(), System::kLinux);
}

WindowsProcess World::SpawnWindows(const ProcessOptions& options) {
  const auto p = Spawn(System::kWindows, options);
  return WindowsProcess(state_.get(), p.pid(), System::kWindows);
}

IllumosProcess World::SpawnIllumos(const ProcessOptions& options) {
  const auto p = Spawn(System::kIllumos, options);
  return IllumosProcess(state_.get(), p.pid(), System::kIllumos);
}

void World::InstallLayeredProvider(std::string_view spec) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < spec.size()) {
    const auto space = spec.find(' ', start);
    const auto end = space == std::string_view::npos ? spec.size() : space;
    if (end > start) words.emplace_back(spec.substr(start, end - start));
    start = end + 1;
  }
  const auto parsed = stack::windows_abi::ParseLayeredProviderSpec(words);
  if (!parsed) throw std::invalid_argument("layered provider: " + parsed.error());
  const auto installed = state_->Windows().InstallLayeredProvider(*parsed);
  if (!installed) throw std::invalid_argument("layered provider: " + installed.error());
}

Duration World::now() const { return Duration(state_->world.now().ns); }

void World::Advance(Duration d) {
  if (d.count() < 0) throw std::invalid_argument("Advance takes a duration that is not negative");
  state_->world.RunUntil(state_->world.now() + sim::Duration::Nanoseconds(d.count()));
}

void World::Settle() { state_->world.RunUntilIdle(); }

void World::ArmFault(std::string_view point, const FaultOptions& options) {
  if (options.chance_denominator == 0 || options.chance_numerator > options.chance_denominator) {
    throw std::invalid_argument("a fault's chance is a fraction of at most 1");
  }
  sim::FaultRule rule;
  rule.skip = options.skip;
  rule.times = options.times;
  rule.probability = {options.chance_numerator, options.chance_denominator};
  state_->world.faults().Arm(std::string(point), rule);
}

std::vector<std::string> World::RecentCalls() const {
  return {state_->recent.begin(), state_->recent.end()};
}

}  // namespace socksim
