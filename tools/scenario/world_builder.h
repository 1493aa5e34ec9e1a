// File: tools/scenario/world_builder.h
// Builds the simulated world a scenario declares: nodes, links and addresses (or a graph
// file), processes with credentials and personalities, their threads, inherited descriptors,
// and each personality's binding (from the registry: nothing here names a personality).
// Control directives (advance, link-down, fault, thread) are applied here too, since they act
// on the same objects.
#pragma once

#include <filesystem>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/call_table.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {

/// The sandbox for files a scenario names (a graph): `name` resolved against the directory
/// of `scenario_file`, if it is relative, has no `..`, reaches (through any symlinks) a
/// regular file inside that directory; else nullopt with `problem` set.
std::optional<std::filesystem::path> SandboxedInputPath(const std::string& scenario_file, const std::string& name,
                                                        std::string* problem);

/// A problem in a scenario's text, with its location.
struct ScenarioError {
  SourceLocation location;
  std::string message;
};

/// The world of one scenario run and everything that drives it.
class ScenarioWorld {
 public:
  /// Reads the header directives of `scenario`; `seed` overrides the file's `seed`. With a
  /// host executor the calls run on this machine instead of in the simulator.
  /// `limits` bound what the world may hold and run (sim/limits.h).
  ScenarioWorld(const Scenario& scenario, std::optional<std::uint64_t> seed,
                const HostExecutorLookup& host = {}, const sim::ModelLimits& limits = {});
  ~ScenarioWorld();

  /// Problems found while building (empty when the world is ready).
  const std::vector<ScenarioError>& errors() const { return errors_; }

  /// With a host executor: why every call of the scenario is skipped (a personality it
  /// speaks has no host executor), or empty when the calls run on the host.
  const std::string& host_skip_reason() const { return host_skip_reason_; }
  /// `interleaving unknown` was declared: a call may wait while later lines of other
  /// processes run (runner.h).
  bool interleaving_unknown() const { return interleaving_unknown_; }

  sim::World& world() { return *world_; }
  stack::Stack& stack() { return *stack_; }
  /// The call table for a process's personality, or nullptr if that personality is not built.
  CallTable* TableFor(const sim::Process& process);

  /// Applies a control directive (advance, settle, link-down, link-up, fault, thread, a
  /// deferred fd); false with an error when it is malformed. Header directives are ignored.
  bool Apply(const Directive& d, ScenarioError* error);

  /// True for keywords that describe the world rather than act in it (generic ones and those
  /// the registry's personalities own).
  static bool IsHeaderKeyword(const std::string& keyword);

 private:
  void Build(const Scenario& scenario);
  void Error(const SourceLocation& at, std::string message);
  std::optional<sim::NodeId> Node(const Directive& d, const std::string& name);
  PersonalityBinding* Binding(const std::string& name);
  void AddHost(const Directive& d);
  void AddLink(const Directive& d);
  void AddProcess(const Directive& d);
  /// Adds the addresses of an `A=ADDR/PREFIX,...` option to an interface; false on a bad one.
  bool AddAddresses(const Directive::Option& option, sim::InterfaceId iface);
  /// Installs the descriptor an `fd` directive declares; false with a message if it cannot.
  bool InstallFd(const Directive& d, std::string* message);
  /// Creates the thread a `thread` directive declares; false with a message if it cannot.
  bool AddThread(const Directive& d, std::string* message);

  std::unique_ptr<sim::World> world_;
  std::unique_ptr<stack::Stack> stack_;
  std::map<std::string, std::unique_ptr<PersonalityBinding>> bindings_;
  std::set<std::string> started_;
  std::map<std::string, std::unique_ptr<CallTable>> host_tables_;
  bool on_host_ = false;
  std::string host_skip_reason_;
  bool interleaving_unknown_ = false;
  std::string default_personality_;
  std::vector<ScenarioError> errors_;
  std::set<int> deferred_lines_;  // lines of `fd`/`thread` directives applied during the run
};

}  // namespace socksim::tools
