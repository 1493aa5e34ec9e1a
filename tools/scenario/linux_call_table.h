// File: tools/scenario/linux_call_table.h
// The Linux personality's call table for scenarios and traces: binds strace-style arguments
// to caller memory, runs the syscall through LinuxPersonality, and prints the outcome back in
// strace notation.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "stack/personality/linux/linux_personality.h"
#include "tools/scenario/call_table.h"

namespace socksim::tools {

/// Linux calls by name.
class LinuxCallTable final : public CallTable {
 public:
  explicit LinuxCallTable(stack::linux_abi::LinuxPersonality& linux_calls);

  ExecutedCall Execute(const CallLine& call, sim::Process& process, bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process, const std::vector<int>& fds) override;
  std::string ErrorSymbol(int code) const override;

  /// Names of the calls this table knows, sorted (for --help and docs).
  std::vector<std::string> Names() const;

  class Binder;  // per-call argument binding (defined in the .cc)

 private:
  using Handler = std::function<void(Binder&)>;
  stack::linux_abi::LinuxPersonality& linux_;
  std::map<std::string, Handler> handlers_;
};

}  // namespace socksim::tools
