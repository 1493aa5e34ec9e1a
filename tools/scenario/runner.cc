// File: tools/scenario/runner.cc
// Line-by-line execution of a scenario. Split calls (<unfinished ...> / <... resumed>) are
// joined per pid before the run: the call starts at its unfinished line without waiting; if it
// would have to wait, it has no effect then and runs again, waiting, at its resumed line, where
// its outcome is checked.
#include "tools/scenario/runner.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

#include "sim/fd_table.h"
#include "tools/scenario/match.h"
#include "tools/scenario/world_builder.h"

namespace socksim::tools {
namespace {

std::string CallText(const CallLine& call, const std::vector<Value>& args, std::size_t from,
                     std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += args[i].ToString();
  }
  (void)call;
  return out;
}

// "100 getpeername(3, {...}, [128 => 16]) = 0"
std::string WholeLine(const CallLine& call, const std::vector<Value>& args, const Outcome& outcome) {
  return fmt::format("{} {}({}) {}", call.pid, call.name, CallText(call, args, 0, args.size()),
                     FormatOutcome(outcome));
}

// An fd argument that refers to a descriptor inherited from outside (kind=unknown).
bool TouchesUnknownFd(sim::Process& p, const CallLine& call) {
  if (call.args.empty()) return false;
  const Value& first = call.args[0];
  if (first.kind != Value::Kind::kInteger && first.kind != Value::Kind::kDecorated) return false;
  const sim::FdEntry* e = p.fds().Lookup(static_cast<int>(first.integer));
  return e != nullptr && e->description->object()->kind() == sim::FileKind::kUnknown;
}

// `hint port=N` / `hint autobind=NAME`: what the kernel chose, to be adopted by the next call
// line (written by the strace importer; see docs/scenario-format.md).
bool IsHintDirective(const Directive& d) { return d.keyword == "hint"; }

struct Hints {
  std::optional<std::uint16_t> port;
  std::optional<std::string> name;
};

struct Pending {
  std::size_t unfinished_index = 0;  // line index of the unfinished part
  std::size_t resumed_index = 0;
  std::size_t split = 0;             // number of arguments on the unfinished line
  CallLine joined;
  bool done = false;                 // executed at the unfinished line
  ExecutedCall result;
};

}  // namespace

ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioResult result;
  result.file = scenario.file;
  result.description = scenario.description;
  ScenarioWorld sw(scenario, options.seed, options.host ? Execution::kHost : Execution::kSimulated);
  result.seed = sw.world().options().seed;
  std::string trace;
  auto record = [&](const std::string& line) { trace += line + "\n"; };
  auto error = [&](const SourceLocation& at, const std::string& text, std::string message) {
    LineVerdict v;
    v.status = LineVerdict::Status::kError;
    v.location = at;
    v.line = text;
    v.message = std::move(message);
    result.verdicts.push_back(std::move(v));
    ++result.errors;
  };
  for (const auto& d : scenario.description) record("# " + d);
  for (const auto& e : sw.errors()) error(e.location, "", e.message);
  if (!sw.errors().empty()) return result;

  // The kernel's choices to adopt, by call line index (from the lines or hint directives).
  std::map<std::size_t, Hints> hints;
  {
    Hints next;
    for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
      const Line& line = scenario.lines[i];
      if (line.kind == Line::Kind::kDirective && IsHintDirective(line.directive)) {
        const Directive& d = line.directive;
        if (d.options.size() != 1 || !d.words.empty()) {
          error(d.location, d.text, "hint takes one option: port=N or autobind=NAME");
        } else if (const auto& opt = d.options[0]; opt.key == "port") {
          const int port = std::atoi(opt.value.c_str());
          if (port <= 0 || port > 65535 || std::to_string(port) != opt.value) {
            error(opt.location, d.text, fmt::format("bad port '{}'", opt.value));
          } else {
            next.port = static_cast<std::uint16_t>(port);
          }
        } else if (opt.key == "autobind") {
          next.name = opt.value;
        } else {
          error(opt.location, d.text, fmt::format("unknown hint '{}' (port, autobind)", opt.key));
        }
        continue;
      }
      if (line.kind != Line::Kind::kCall) continue;
      Hints h = next;
      next = Hints{};
      if (line.call.ephemeral_port_hint) h.port = line.call.ephemeral_port_hint;
      if (line.call.autobind_name_hint) h.name = line.call.autobind_name_hint;
      if (h.port || h.name) hints[i] = h;
    }
  }
  // Runs one call with its line's hints offered to the stack, then withdraws them.
  auto execute = [&](CallTable& table, const CallLine& call, sim::Process& p, bool may_wait,
                     std::size_t hint_line) {
    if (const auto h = hints.find(hint_line); h != hints.end()) {
      if (h->second.port) sw.stack().HintNextEphemeralPort(p.node(), *h->second.port);
      if (h->second.name) sw.stack().HintNextAutobindName(p.node(), *h->second.name);
    }
    ExecutedCall got = table.Execute(call, p, may_wait);
    sw.stack().ClearHints();
    return got;
  };

  // Pair every unfinished line with the next resumed line of the same pid and call.
  std::map<std::size_t, std::size_t> pending_of_line;  // unfinished or resumed index -> pending
  std::vector<Pending> pendings;
  {
    std::map<std::int32_t, std::size_t> open;  // pid -> pending index
    for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
      const Line& line = scenario.lines[i];
      if (line.kind != Line::Kind::kCall) continue;
      const CallLine& c = line.call;
      if (c.part == CallPart::kUnfinished) {
        if (open.count(c.pid) != 0) {
          error(c.location, c.text, fmt::format("pid {} starts a call while another is unfinished", c.pid));
          continue;
        }
        Pending p;
        p.unfinished_index = i;
        p.split = c.args.size();
        p.joined = c;
        open[c.pid] = pendings.size();
        pending_of_line[i] = pendings.size();
        pendings.push_back(std::move(p));
      } else if (c.part == CallPart::kResumed) {
        const auto it = open.find(c.pid);
        if (it == open.end() || pendings[it->second].joined.name != c.name) {
          error(c.location, c.text, fmt::format("'<... {} resumed>' with no unfinished {} in pid {}", c.name, c.name, c.pid));
          continue;
        }
        Pending& p = pendings[it->second];
        p.resumed_index = i;
        for (const auto& a : c.args) p.joined.args.push_back(a);
        p.joined.outcome = c.outcome;
        p.joined.part = CallPart::kWhole;
        pending_of_line[i] = it->second;
        open.erase(it);
      }
    }
    for (const auto& [pid, index] : open) {
      const CallLine& c = pendings[index].joined;
      error(c.location, c.text, fmt::format("unfinished {} in pid {} is never resumed", c.name, pid));
    }
  }
  if (result.errors != 0) return result;

  auto check = [&](const CallLine& expected, const ExecutedCall& got, sim::Process& p, CallTable& table) {
    if (!got.bind_error.empty()) {
      error(got.bind_error_location, expected.text, got.bind_error);
      return;
    }
    if (!got.skip_reason.empty()) {
      LineVerdict v;
      v.status = LineVerdict::Status::kSkip;
      v.location = expected.location;
      v.line = expected.text;
      v.message = got.skip_reason;
      result.verdicts.push_back(std::move(v));
      ++result.skipped;
      return;
    }
    std::string why;
    bool ok = true;
    if (got.blocked) {
      ok = expected.outcome && expected.outcome->kind == Outcome::Kind::kUnknown;
      if (!ok) why = "the call blocks forever: nothing in the world can complete it";
    } else if (expected.outcome) {
      ok = OutcomeMatches(*expected.outcome, got.outcome, &why);
      for (std::size_t i = 0; ok && i < expected.args.size() && i < got.args.size(); ++i) {
        std::string where;
        if (!Matches(expected.args[i], got.args[i], &where)) {
          ok = false;
          why = fmt::format("argument {}: {}", i + 1, where);
        }
      }
    }
    if (ok) {
      ++result.passed;
      return;
    }
    LineVerdict v;
    v.status = LineVerdict::Status::kFail;
    v.location = expected.outcome ? expected.outcome->location : expected.location;
    v.line = expected.text;
    v.expected = WholeLine(expected, expected.args, expected.outcome.value_or(Outcome{}));
    v.actual = got.blocked ? fmt::format("{} {}(...) blocks", expected.pid, expected.name)
                           : WholeLine(expected, got.args, got.outcome);
    v.message = why;
    v.why = table.Explain(p, got.fds);
    result.verdicts.push_back(std::move(v));
    ++result.failed;
  };

  for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
    const Line& line = scenario.lines[i];
    if (line.kind == Line::Kind::kDirective) {
      record(line.directive.text);
      if (IsHintDirective(line.directive)) continue;
      ScenarioError e;
      if (!sw.Apply(line.directive, &e)) error(e.location, line.directive.text, e.message);
      continue;
    }
    if (line.kind == Line::Kind::kProcessEvent) {
      const ProcessEvent& ev = line.event;
      if (ev.kind == ProcessEvent::Kind::kExited || ev.kind == ProcessEvent::Kind::kKilled) {
        sim::Process* p = sw.world().FindProcess(ev.pid);
        if (p == nullptr) {
          error(ev.location, "", fmt::format("no process {}", ev.pid));
          continue;
        }
        sw.world().Exit(ev.pid, ev.status);
        sw.stack().Settle();
        record(ev.kind == ProcessEvent::Kind::kExited
                   ? fmt::format("{} +++ exited with {} +++", ev.pid, ev.status)
                   : fmt::format("{} +++ killed by {} +++", ev.pid, ev.detail));
      }
      continue;
    }
    const CallLine& call = line.call;
    sim::Process* p = sw.world().FindProcess(call.pid);
    if (p == nullptr) {
      error(call.location, call.text, fmt::format("no process {} (declare it with 'process {} host=...')", call.pid, call.pid));
      continue;
    }
    if (!p->alive()) {
      error(call.location, call.text, fmt::format("process {} has exited", call.pid));
      continue;
    }
    CallTable* table = sw.TableFor(*p);
    if (table == nullptr) {
      error(call.location, call.text, fmt::format("personality '{}' is not available", p->personality()));
      continue;
    }
    const auto pending_it = pending_of_line.find(i);
    if (pending_it == pending_of_line.end()) {
      if (TouchesUnknownFd(*p, call)) {
        // close() still runs, so that the descriptor table stays in step with the trace.
        if (call.name == "close") (void)execute(*table, call, *p, true, i);
        LineVerdict v{LineVerdict::Status::kSkip, call.location, call.text, "", "",
                      "the descriptor was inherited from outside the trace (known-unknown)", {}};
        result.verdicts.push_back(std::move(v));
        ++result.skipped;
        record(call.text);
        continue;
      }
      const ExecutedCall got = execute(*table, call, *p, /*may_wait=*/true, i);
      check(call, got, *p, *table);
      if (got.bind_error.empty()) {
        record(got.skip_reason.empty() ? WholeLine(call, got.args, got.outcome) : call.text);
      }
      continue;
    }
    Pending& pending = pendings[pending_it->second];
    if (call.part == CallPart::kUnfinished) {
      pending.result = execute(*table, pending.joined, *p, /*may_wait=*/false, pending.unfinished_index);
      pending.done = !pending.result.blocked && pending.result.bind_error.empty() &&
                     pending.result.skip_reason.empty();
      record(fmt::format("{} {}({} <unfinished ...>", call.pid, call.name,
                         CallText(call, pending.done ? pending.result.args : pending.joined.args, 0, pending.split) +
                             (pending.split > 0 ? "," : "")));
      if (!pending.result.bind_error.empty() || !pending.result.skip_reason.empty()) {
        check(pending.joined, pending.result, *p, *table);
        pending.done = true;
        pending.result.skip_reason = "reported at the unfinished line";
      }
      continue;
    }
    // The resumed line: finish the call if it had to wait, then check it.
    if (!pending.done) {
      pending.result = execute(*table, pending.joined, *p, /*may_wait=*/true, pending.unfinished_index);
    }
    if (pending.result.skip_reason != "reported at the unfinished line") {
      check(pending.joined, pending.result, *p, *table);
    }
    const auto& args = pending.result.args.empty() ? pending.joined.args : pending.result.args;
    record(fmt::format("{} <... {} resumed>{}) {}", call.pid, call.name,
                       CallText(call, args, pending.split, args.size()), FormatOutcome(pending.result.outcome)));
  }
  result.rng_draws = sw.world().rng().draws();
  result.trace = std::move(trace);
  return result;
}

}  // namespace socksim::tools
