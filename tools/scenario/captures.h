// File: tools/scenario/captures.h
// Captures (`$name`, docs/scenario-format.md): a value a call produced on one line (an
// ephemeral port, a descriptor, a pointer) that later lines use. The runner owns one Captures
// for a whole scenario file: before a line runs, bound captures in it are replaced by their
// values; while its outcome is compared, each unbound capture matches whatever stands at its
// position and binds to it. Nothing here knows a personality: a call table only has to report
// a capture it meets in an input position (FindCapture, UnboundCaptureMessage), since after
// substitution any capture left there has no value yet.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// The first capture inside `v` (`v` itself included, depth first in written order), or
/// nullptr when there is none.
const Value* FindCapture(const Value& v);

/// Whether `call` holds a capture, in an argument or as its outcome (Captures::Substitute
/// changes nothing in a call without one).
bool UsesCaptures(const CallLine& call);

/// "$port has no value yet": the error for a capture read as an input before any line bound it.
std::string UnboundCaptureMessage(const Value& capture);

/// The captures bound so far in one scenario run.
class Captures {
 public:
  /// The value bound to `name`, or nullptr.
  const Value* Find(std::string_view name) const;
  /// Binds `name` to `value` (a value without captures); a name is bound once.
  void Bind(const std::string& name, const Value& value);

  /// Replaces, in `call`'s arguments and outcome, every bound capture by its value (with the
  /// capture's location). nullopt when that worked; otherwise what is wrong, at the place it is
  /// wrong: `= $name` where `$name` holds something other than a number.
  struct Problem {
    SourceLocation location;
    std::string message;
  };
  std::optional<Problem> Substitute(CallLine& call) const;
  /// The same for one value.
  void Substitute(Value& v) const;

  /// `v` as a recorded trace writes it: bound captures replaced by their values and unbound
  /// ones by `_`, so that no trace ever holds a capture.
  Value Resolved(const Value& v) const;
  /// Resolved for a whole argument list.
  std::vector<Value> Resolved(const std::vector<Value>& args) const;

 private:
  // Resolved, in place.
  void Resolve(Value& v) const;

  std::map<std::string, Value, std::less<>> bound_;
};

}  // namespace socksim::tools
