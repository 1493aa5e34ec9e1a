// File: tools/personality/illumos/call_table.h
// The illumos personality's call table for scenarios: binds a line's arguments into caller
// memory with the LP64 illumos types (an int, a socklen_t and the uid_t, gid_t, pid_t,
// zoneid_t and projid_t ids 32 bits, size_t and pointers 64, none ever truncated), calls the
// facade (stack/personality/illumos/illumos.h), and prints the outcome back in the notation
// the line was written in: a C return value as a number (a pointer in hex, or NULL), then the
// errno the call set with its strerror text, or for a TLI call its t_errno and, after
// TSYSERR, the errno. ucred_t pointers are checked before use: an accessor on a pointer the
// process does not hold is an error of the line (on illumos it is a crash, not an errno).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/process.h"
#include "tools/scenario/call_table.h"

namespace socksim::stack::illumos_abi {
class Illumos;
}  // namespace socksim::stack::illumos_abi

namespace socksim::tools {

/// illumos system calls and libc (libsocket, libnsl, ucred) functions by name.
class IllumosCallTable final : public CallTable {
 public:
  /// `illumos` may be null only for KnownCalls (a table that runs nothing).
  explicit IllumosCallTable(stack::illumos_abi::Illumos* illumos);

  ExecutedCall Execute(const CallLine& call, sim::Thread& thread, bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& handles) override;
  /// A one-member list is one shape whether written with a number or NULL (`[0x100000000]`,
  /// `[NULL]`, which the parser reads as a value-result) or with a capture (`[$uc]`, a list),
  /// so that pointer cells and one-descriptor lists compare, captures bound or not.
  void CanonicalizeExpected(std::vector<Value>& args) const override;
  // Its lists and symbols have more than one spelling: every argument list is canonicalized.
  bool ChangesInCanonicalForm(const std::vector<Value>& args) const override {
    (void)args;
    return true;
  }
  /// Whether `symbol` is a code of this personality's error table.
  bool KnowsErrorName(std::string_view symbol) const override;
  /// `= NULL` is 0, an illumos constant (`= AU_NOAUDITID`) its number, and a number written
  /// unsigned for a 32-bit result (`= 0xffffffff` for a uid_t) its bit pattern (-1).
  bool CanonicalizeExpectedOutcome(const std::string& call_name, Outcome& expected,
                                   std::string* error) const override;

  /// A problem found while the world was set up (a `file` line naming an unknown host or a
  /// name that exists), reported as an error of every call line at `where`.
  void SetSetupError(std::string message, SourceLocation where);

  /// Names of the calls this table knows, sorted (for --help and docs).
  std::vector<std::string> Names() const;
  /// The same list without a facade.
  static std::vector<std::string> KnownCalls() { return IllumosCallTable(nullptr).Names(); }

  class Binder;  // per-call argument binding (defined in the .cc)

 private:
  using Handler = std::function<void(Binder&)>;
  stack::illumos_abi::Illumos* illumos_;
  std::map<std::string, Handler> handlers_;
  std::string setup_error_;
  SourceLocation setup_error_location_;
};

}  // namespace socksim::tools
