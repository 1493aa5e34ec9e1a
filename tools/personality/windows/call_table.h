// File: tools/personality/windows/call_table.h
// The Windows personality's call table for scenarios: binds a line's arguments into caller
// memory with the x64 Windows types (a SOCKET or HANDLE is 64 bits, an int, DWORD or BOOL 32
// bits, a WORD 16, none ever truncated), calls the Winsock facade
// (stack/personality/windows/winsock.h), and prints the outcome back in the notation the line
// was written in: results spelled as Windows spells them (SOCKET_ERROR, INVALID_SOCKET, TRUE,
// FALSE, a SOCKET in hex) and, after a failure, the thread's last error as WSAGetLastError
// returns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/address_space.h"
#include "sim/process.h"
#include "tools/scenario/call_table.h"

namespace socksim::stack::windows_abi {
class Winsock;
}  // namespace socksim::stack::windows_abi

namespace socksim::tools {

/// Winsock, kernel32 and SPI calls by name.
class WindowsCallTable final : public CallTable {
 public:
  /// `winsock` may be null only for KnownCalls (a table that runs nothing).
  explicit WindowsCallTable(stack::windows_abi::Winsock* winsock);

  ExecutedCall Execute(const CallLine& call, sim::Thread& thread, bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process,
                                   const std::vector<std::int64_t>& handles) override;
  /// if_nametoindex("lo") in a sin6_scope_id becomes the interface's number; a one-member
  /// list is one shape whether written with a number (`[0x100]`, which the parser reads as a
  /// value-result) or with a capture (`[$s]`, a list), so fd_sets and SOCKET cells compare;
  /// a Windows constant (or flag set) becomes its number, so `[SOCK_STREAM]` and `[1]`, or
  /// `POLLHUP|POLLERR` and `POLLERR|POLLHUP`, are the same.
  void CanonicalizeExpected(std::vector<Value>& args) const override;
  // Its lists and symbols have more than one spelling: every argument list is canonicalized.
  bool ChangesInCanonicalForm(const std::vector<Value>& args) const override {
    (void)args;
    return true;
  }
  /// Whether `symbol` is a code of this personality's error table.
  bool KnowsErrorName(std::string_view symbol) const override;
  /// `= SOCKET_ERROR`, `= INVALID_SOCKET`, `= TRUE`, `= WSAENOTCONN` ... become their numbers;
  /// a number written for a 32-bit result (`= 0xffffffff`) is that result's bit pattern.
  bool CanonicalizeExpectedOutcome(const std::string& call_name, Outcome& expected,
                                   std::string* error) const override;

  /// A problem found while the world was set up (an `lsp` line the catalog refused), reported
  /// as an error of every call line at `where`.
  void SetSetupError(std::string message, SourceLocation where);

  /// Names of the calls this table knows, sorted (for --help and docs).
  std::vector<std::string> Names() const;
  /// The same list without a facade.
  static std::vector<std::string> KnownCalls() { return WindowsCallTable(nullptr).Names(); }

  class Binder;  // per-call argument binding (defined in the .cc)

  /// The 32-byte OVERLAPPED the line names `&NAME` in `process`: allocated in the process's
  /// memory on first use and kept for its life, so later lines name the same one.
  sim::UserAddress NamedOverlapped(sim::Process& process, const std::string& name);

 private:
  using Handler = std::function<void(Binder&)>;
  stack::windows_abi::Winsock* winsock_;
  std::map<std::string, Handler> handlers_;
  std::map<std::pair<sim::Pid, std::string>, sim::UserAddress> overlapped_;
  std::string setup_error_;
  SourceLocation setup_error_location_;
};

}  // namespace socksim::tools
