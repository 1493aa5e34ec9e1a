// File: api/src/scenario.cc
// Scenarios run from C++ through the library's scenario layer (tools/scenario: the parser and
// the runner `socksim run` uses), with the verdicts copied into public values.
#include "socksim/scenario.h"

#include <string>

#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

namespace socksim {
namespace {

ScenarioProblem::Kind KindOf(tools::LineVerdict::Status status) {
  switch (status) {
    case tools::LineVerdict::Status::kFail:
      return ScenarioProblem::Kind::kDivergence;
    case tools::LineVerdict::Status::kSkip:
      return ScenarioProblem::Kind::kSkipped;
    case tools::LineVerdict::Status::kPass:
    case tools::LineVerdict::Status::kError:
      break;
  }
  return ScenarioProblem::Kind::kError;
}

ScenarioOutcome Run(const tools::ParseResult& parsed, const std::string& file,
                    const ScenarioOptions& options) {
  ScenarioOutcome out;
  out.file = file;
  if (!parsed.ok()) {
    for (const auto& e : parsed.errors) {
      ScenarioProblem p;
      p.kind = ScenarioProblem::Kind::kError;
      p.file = e.location.file;
      p.line = e.location.line;
      p.column = e.location.column;
      p.text = e.excerpt;
      p.message = e.message;
      out.problems.push_back(std::move(p));
      ++out.errors;
    }
    return out;
  }
  tools::RunOptions run;
  run.seed = options.seed;
  const auto result = tools::RunScenario(parsed.scenario, run);
  out.seed = result.seed;
  out.passed = result.passed;
  out.failed = result.failed;
  out.errors = result.errors;
  out.skipped = result.skipped;
  out.trace = result.trace;
  for (const auto& v : result.verdicts) {
    if (v.status == tools::LineVerdict::Status::kPass) continue;
    ScenarioProblem p;
    p.kind = KindOf(v.status);
    p.file = v.location.file;
    p.line = v.location.line;
    p.column = v.location.column;
    p.text = v.line;
    p.expected = v.expected;
    p.actual = v.actual;
    p.message = v.message;
    p.why = v.why;
    out.problems.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::string ScenarioProblem::ToString() const {
  std::string out = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  switch (kind) {
    case Kind::kDivergence:
      out += "diverged: ";
      break;
    case Kind::kError:
      out += "error: ";
      break;
    case Kind::kSkipped:
      out += "skipped: ";
      break;
  }
  out += message;
  if (!text.empty()) out += "\n  line:     " + text;
  if (!expected.empty()) out += "\n  expected: " + expected;
  if (!actual.empty()) out += "\n  actual:   " + actual;
  for (const auto& w : why) out += "\n  why:      " + w;
  return out;
}

ScenarioOutcome RunScenarioText(std::string_view text, std::string_view name,
                                const ScenarioOptions& options) {
  const std::string file(name);
  return Run(tools::ParseScenario(text, file), file, options);
}

ScenarioOutcome RunScenarioFile(const std::string& path, const ScenarioOptions& options) {
  return Run(tools::ParseScenarioFile(path), path, options);
}

}  // namespace socksim
