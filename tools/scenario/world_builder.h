// File: tools/scenario/world_builder.h
// Builds the simulated world a scenario declares: nodes, links and addresses (or a graph
// file), processes with credentials and personalities, inherited descriptors, and the
// personalities' call tables. Control directives (advance, link-down, fault) are applied here
// too, since they act on the same objects.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/world.h"
#include "stack/core/stack.h"
#include "stack/personality/linux/linux_personality.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/call_table.h"

namespace socksim::tools {

/// A problem in a scenario's text, with its location.
struct ScenarioError {
  SourceLocation location;
  std::string message;
};

/// Where the calls of a scenario run.
enum class Execution {
  kSimulated,  // in the simulator
  kHost,       // on the kernel of the machine running socksim (Linux personality only)
};

/// The world of one scenario run and everything that drives it.
class ScenarioWorld {
 public:
  /// Reads the header directives of `scenario`; `seed` overrides the file's `seed`.
  ScenarioWorld(const Scenario& scenario, std::optional<std::uint64_t> seed,
                Execution execution = Execution::kSimulated);
  ~ScenarioWorld();

  /// Problems found while building (empty when the world is ready).
  const std::vector<ScenarioError>& errors() const { return errors_; }

  sim::World& world() { return *world_; }
  stack::Stack& stack() { return *stack_; }
  /// The call table for a process's personality, or nullptr if that personality is not built.
  CallTable* TableFor(const sim::Process& process);

  /// Applies a control directive (advance, settle, link-down, link-up, fault); false with an
  /// error when it is malformed. Header directives are ignored here.
  bool Apply(const Directive& d, ScenarioError* error);

  /// True for keywords that describe the world rather than act in it.
  static bool IsHeaderKeyword(const std::string& keyword);

 private:
  void Build(const Scenario& scenario);
  void Error(const SourceLocation& at, std::string message);
  std::optional<sim::NodeId> Node(const Directive& d, const std::string& name);
  /// Installs the descriptor an `fd` directive declares; false with a message if it cannot.
  bool InstallFd(const Directive& d, std::string* message);

  std::unique_ptr<sim::World> world_;
  std::unique_ptr<stack::Stack> stack_;
  std::unique_ptr<stack::linux_abi::LinuxPersonality> linux_;
  std::map<std::string, std::unique_ptr<CallTable>> tables_;
  std::string default_personality_ = "linux";
  std::vector<ScenarioError> errors_;
  std::set<int> deferred_fds_;  // lines of `fd` directives installed during the run
};

/// Parses "1500ms", "2s", "10us", "5ns"; nullopt if malformed.
std::optional<sim::Duration> ParseDuration(std::string_view text);

}  // namespace socksim::tools
