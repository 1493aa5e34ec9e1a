// File: tools/scenario/registry.h
// The personality registry: what one OS personality plugs into the scenario layer, and the list
// of personalities this build has. The list is generated at configure time from one CMake list
// (cmake/personalities.cmake), so adding a personality means adding its folders and one name
// there; nothing here or in any other generic file names a personality. There is no static
// self-registration: the generated list is an ordinary table of functions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/handle_table.h"
#include "sim/world.h"
#include "stack/core/stack.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/call_table.h"
#include "tools/scenario/import.h"

namespace socksim::tools {

/// How a `process` line asks for a process to start, beyond identity and credentials.
struct ProcessSetup {
  /// The descriptor limit (`fdlimit=`); nullopt keeps the personality's default.
  std::optional<sim::Handle> descriptor_limit;
  /// Whether the process starts with its standard descriptors open (`stdio=`).
  bool stdio = true;
};

/// One personality's part in one scenario world.
class PersonalityBinding {
 public:
  virtual ~PersonalityBinding() = default;

  /// A header directive whose keyword this personality owns (its entry's header_keywords);
  /// false with a message when it is malformed. Called before Start.
  virtual bool ApplyHeader(const Directive& directive, std::string* error) = 0;
  /// Builds the personality over the world's stack, once the header is read.
  virtual void Start(sim::World& world, stack::Stack& stack) = 0;
  /// Prepares a process a `process` line created: limits, numbering, standard descriptors.
  virtual void SetUpProcess(sim::Process& process, const ProcessSetup& setup) = 0;
  /// The call table that runs this personality's calls in the simulator.
  virtual CallTable& table() = 0;
  /// The status flags of a file opened with `open_flags` as the personality spells them
  /// (an `fd ... oflags=O_RDONLY|O_NONBLOCK` an importer declares); nullopt when it cannot
  /// read them.
  virtual std::optional<sim::StatusFlags> FileStatus(std::string_view open_flags) const {
    (void)open_flags;
    return std::nullopt;
  }
};

/// How to run a scenario's calls on the real system instead of the simulator (`--host`);
/// supplied by the program that links a host executor (the CLI), never by the library.
class HostExecutor {
 public:
  virtual ~HostExecutor() = default;
  /// A call table that runs `scenario`'s calls on this machine; nullptr with `error` set
  /// when this machine cannot run it. Processes it forks are registered in `world`.
  virtual std::unique_ptr<CallTable> MakeTable(const Scenario& scenario, sim::World& world,
                                               std::string* error) const = 0;
};

/// A personality as the registry lists it.
struct PersonalityEntry {
  /// The name scenarios use (`personality linux`, `process ... personality=linux`).
  std::string_view name;
  /// Header keywords this personality owns (`kernel`).
  std::span<const std::string_view> header_keywords;
  /// A fresh binding for one scenario world.
  std::unique_ptr<PersonalityBinding> (*make_binding)();
  /// Names of the calls its call table knows, sorted (for importers and --help).
  std::vector<std::string> (*call_names)();
  /// A trace importer (`socksim replay --format NAME`), or nullptr: its format name and
  /// the function that turns a parsed log into a runnable scenario.
  std::string_view trace_format;
  ImportResult (*import_trace)(Scenario parsed, const ImportOptions& options) = nullptr;
  /// The fault points this personality's layers check (sim::FaultInjector names, such as
  /// "linux.getpeername.nobufs"), so that a scenario's `fault` line naming none of them, nor
  /// one of the neutral core's, is refused instead of arming a point nothing checks.
  std::span<const std::string_view> fault_points;
};

/// Every personality of this build, in the order of the build's list (the first is the
/// default personality of a scenario that names none).
std::span<const PersonalityEntry* const> Personalities();
/// The entry named `name`, or nullptr.
const PersonalityEntry* FindPersonality(std::string_view name);
/// The entry that owns header keyword `keyword`, or nullptr.
const PersonalityEntry* PersonalityForHeader(std::string_view keyword);
/// "linux, windows" (for messages).
std::string PersonalityNames();

}  // namespace socksim::tools
