// File: tools/personality/linux/syscall_table.h
// The Linux personality's call table for scenarios and traces: binds strace-style arguments
// to caller memory, runs the syscall through a backend (the simulator, or the host kernel for
// --host), and prints the outcome back in strace notation.
#pragma once

#include <functional>
#include <map>
#include <string>

#include <memory>

#include "tools/scenario/call_table.h"
#include "tools/personality/linux/backend.h"

namespace socksim::tools {

/// Linux calls by name.
class LinuxCallTable final : public CallTable {
 public:
  explicit LinuxCallTable(std::unique_ptr<LinuxBackend> backend);

  ExecutedCall Execute(const CallLine& call, sim::Thread& thread, bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& handles) override;
  /// strace's if_nametoindex("lo") / ("ethN") in a sin6_scope_id becomes the number the
  /// simulated host gives that interface (sockaddr_values.h).
  void CanonicalizeExpected(std::vector<Value>& args) const override;
  bool ChangesInCanonicalForm(const std::vector<Value>& args) const override;
  bool TakesHandleFirst(const std::string& call_name) const override;
  bool ReturnsNewHandle(const std::string& call_name) const override;
  bool KnowsErrorName(std::string_view symbol) const override;
  /// From then on a call's plain buffers and cells stay mapped after it returns.
  void KeepCallMemory() override { keep_call_memory_ = true; }

  /// Names of the calls this table knows, sorted (for --help and docs).
  std::vector<std::string> Names() const;
  /// The same list without a backend (for importers deciding what can be replayed).
  static std::vector<std::string> KnownCalls() { return LinuxCallTable(nullptr).Names(); }

  class Binder;  // per-call argument binding (defined in the .cc)

 private:
  using Handler = std::function<void(Binder&)>;  // as LinuxHandlers (syscall_binder.h)
  std::unique_ptr<LinuxBackend> backend_;
  std::map<std::string, Handler> handlers_;
  // Whether a line may name an earlier call's memory (KeepCallMemory); until then each call's
  // plain memory is unmapped when it returns.
  bool keep_call_memory_ = false;
};

}  // namespace socksim::tools
