// File: api/include/socksim/scenario.h
// Runs a scenario (docs/scenario-format.md) from C++: a file, or a string written in the test.
// The outcome lists every line that did not pass with its place in the scenario, the call as
// written, what was expected, what happened and why (the state of the sockets it used), as
// `socksim run` prints them. socksim::testing::ExpectScenario turns those into test failures
// at the C++ line that ran the scenario.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socksim {

struct ScenarioOptions {
  /// Overrides the scenario's `seed` line.
  std::optional<std::uint64_t> seed;
};

/// One line that did not pass.
struct ScenarioProblem {
  enum class Kind : std::uint8_t {
    kDivergence,  // the call's outcome differs from the expectation
    kError,       // the line cannot be run (a parse error, an unknown call, a bad value)
    kSkipped,     // the line was not checked (an unknown descriptor, ...)
  };
  Kind kind = Kind::kDivergence;
  std::string file;
  int line = 0;
  int column = 0;
  std::string text;      // the line as written
  std::string expected;  // divergences: the expectation, in strace notation
  std::string actual;    // divergences: what happened, in the same notation
  std::string message;   // what differs, or the error or skip reason
  std::vector<std::string> why;
  /// "name.scn:4:1: getpeername(...) = 0: expected ... got ...; why: ..." (several lines).
  std::string ToString() const;
};

struct ScenarioOutcome {
  std::string file;
  std::uint64_t seed = 0;
  int passed = 0;
  int failed = 0;
  int errors = 0;
  int skipped = 0;
  std::vector<ScenarioProblem> problems;
  /// The run recorded in the scenario format (a passing scenario's trace runs again as is).
  std::string trace;
  /// Passed: no divergence and no error, and at least one call was checked.
  bool ok() const { return failed == 0 && errors == 0 && passed > 0; }
};

/// Parses and runs `text`; `name` is the file name its problems are reported under.
ScenarioOutcome RunScenarioText(std::string_view text, std::string_view name = "inline.scn",
                                const ScenarioOptions& options = {});
/// Reads and runs the file at `path` (an unreadable file is one error problem).
ScenarioOutcome RunScenarioFile(const std::string& path, const ScenarioOptions& options = {});

}  // namespace socksim
