// File: tools/scenario/call_table.h
// The interface between the scenario runner and a personality: execute one call line on a
// thread of a process and describe what happened in the same notation the line was written in.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/process.h"
#include "stack/personality/call_result.h"
#include "tools/scenario/ast.h"

namespace socksim::tools {

/// What executing a call line produced.
struct ExecutedCall {
  /// The line could not be turned into a call (unknown call, malformed argument, a value that
  /// does not fit the personality's type): a problem of the scenario, reported with its
  /// location, not a divergence of the simulator.
  std::string bind_error;
  SourceLocation bind_error_location;
  /// The call is outside what socksim models (reported as skipped, not failed).
  std::string skip_reason;
  /// The call would block and nothing in the world can unblock it now; it had no effect.
  bool blocked = false;

  stack::CallResult result;
  /// The arguments as the personality prints them after the call (outputs decoded on success).
  std::vector<Value> args;
  /// The outcome in this personality's notation.
  Outcome outcome;
  /// Handles (descriptors, SOCKETs) the call touched, for explanations.
  std::vector<std::int64_t> handles;
};

/// A personality's calls, as the runner sees them.
class CallTable {
 public:
  virtual ~CallTable() = default;

  /// Executes `call` (its full argument list) on `thread`. When `may_wait` is false a call
  /// that would have to wait for other processes reports `blocked` instead of running the
  /// world.
  virtual ExecutedCall Execute(const CallLine& call, sim::Thread& thread, bool may_wait) = 0;

  /// One line per handle describing the state behind it ("fd 3: tcp#2 ... SYN-SENT").
  virtual std::vector<std::string> Explain(sim::Process& process,
                                           const std::vector<std::int64_t>& handles) = 0;

  /// Said (before any call, and again before each) when a line of the scenario names, as a
  /// number, an address where calls' memory is laid out (sim::AddressSpace::kFirstAllocation
  /// and above, outside the range of strace's stack pointers that stand for "a fresh
  /// buffer"): that line may mean a buffer an earlier call laid out, so a table that unmaps a
  /// call's own memory when the call returns (CallBinder::ScopeMemoryToCall) keeps it all
  /// mapped for the run, as it was before. The default has nothing to keep.
  virtual void KeepCallMemory() {}

  /// Rewrites, in an expected argument list, the notations this personality's printer never
  /// produces but its traces contain, into the form it prints (strace's if_nametoindex("lo")
  /// becomes the interface number). The default leaves the values as they are.
  virtual void CanonicalizeExpected(std::vector<Value>& args) const { (void)args; }
  /// Whether CanonicalizeExpected would change anything in `args`: when it would not, the
  /// runner compares the arguments as they stand instead of a canonical copy (copying every
  /// line's arguments, twice, was a sixth of a replay). A table that overrides
  /// CanonicalizeExpected overrides this too; true is always correct, only slower.
  virtual bool ChangesInCanonicalForm(const std::vector<Value>& args) const {
    (void)args;
    return false;
  }
  /// Whether the call's first argument is a descriptor or handle (so that a call on a
  /// known-unknown one is skipped); select's nfds or eventfd's initial count is not.
  virtual bool TakesHandleFirst(const std::string& call_name) const {
    (void)call_name;
    return true;
  }

  /// Whether `symbol` names one of the personality's errors (ENOTCONN, WSAENOTCONN). The
  /// default: any name is.
  virtual bool KnowsErrorName(std::string_view symbol) const {
    (void)symbol;
    return true;
  }

  /// Whether a successful call returns a new handle, given out as the personality's table
  /// numbers them (Linux: the lowest free descriptor). The default: none does.
  virtual bool ReturnsNewHandle(const std::string& call_name) const {
    (void)call_name;
    return false;
  }

  /// Resolves, in the expected outcome of a call to `call_name`, a return value written as
  /// one of this personality's symbols (Winsock's `= SOCKET_ERROR`, `= INVALID_SOCKET`,
  /// `= FALSE`, `= WSAENOTCONN`) to its number, so that it compares as a number; `value_text`
  /// keeps the spelling for reports. False with `error` set when the symbol is not one of the
  /// personality's. The default resolves nothing (a Linux result is a number).
  virtual bool CanonicalizeExpectedOutcome(const std::string& call_name, Outcome& expected,
                                           std::string* error) const {
    (void)call_name;
    (void)expected;
    (void)error;
    return true;
  }
};

}  // namespace socksim::tools
