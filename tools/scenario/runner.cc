// File: tools/scenario/runner.cc
// Line-by-line execution of a scenario. Split calls (<unfinished ...> / <... resumed>) are
// joined per pid before the run. In a written scenario the call starts at its unfinished line
// without waiting; if it would have to wait, it has no effect then and runs again, waiting, at
// its resumed line, where its outcome is checked. In a strace log the call took effect
// somewhere between its two lines, and what the other lines in between saw says where (a call
// starting a process or thread excepted: its child's lines follow at once, so it starts at its
// unfinished line as in a written scenario): it runs at its resumed line, where its
// outcome is checked, unless a line before then would have to wait or saw what only the
// call's effect explains (a readiness call or an EAGAIN that disagrees with the log); then
// the deferred calls run first, earliest first, and that line is tried again. A deferred
// readiness call whose result already agrees with the log is taken before any call with an
// effect runs, and a process's exit releases its descriptors one by one, highest first, as
// Linux does, so that a poll in flight may see just the first. (strace prints
// a line when the call returns to it, and a call that blocks in the kernel is printed as
// unfinished: a write whose data a later-printed read already holds, or a poll whose result
// counts a shutdown printed after it started, are both ordinary in a `-f` log.)
// Captures (`$name`, captures.h) live for the whole file: substituted into a line before it
// runs, bound while it is checked, resolved to values in the trace.
#include "tools/scenario/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "sim/address_space.h"
#include "sim/fd_table.h"
#include "tools/scenario/call_binder.h"
#include "tools/scenario/captures.h"
#include "tools/scenario/match.h"
#include "tools/scenario/model_limits.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/world_builder.h"
#include "tools/scenario/writer.h"
#include "tools/text/numbers.h"

namespace socksim::tools {
namespace {

// "100 getpeername(3, {...}, [128 => 16]) = 0", with the names the line gave its arguments
// (clone's `flags=`), so that a recorded trace binds them as the line did.
std::string WholeLine(const CallLine& call, const std::vector<Value>& args, const Outcome& outcome) {
  return FormatCallLine(call.pid, call.name, args, outcome, call.arg_names);
}

// `args` as `table` compares them: as they stand when its canonical form changes nothing in
// them, else a canonical copy, held in `copy`.
const std::vector<Value>& CanonicalArgs(const CallTable& table, const std::vector<Value>& args,
                                        std::vector<Value>& copy) {
  if (!table.ChangesInCanonicalForm(args)) return args;
  copy = args;
  table.CanonicalizeExpected(copy);
  return copy;
}

// Whether `v` holds, anywhere in it, a number in the range where calls lay out their memory
// (from sim::AddressSpace::kFirstAllocation up, except strace's stack pointers, which stand
// for "a fresh buffer"): a pointer that may mean an earlier call's buffer.
bool NamesCallMemory(const Value& v) {
  if (const auto n = IntegerOf(v)) {
    const auto address = static_cast<std::uint64_t>(*n);
    if (address >= sim::AddressSpace::kFirstAllocation &&
        (address < CallBinder::kStackLow || address >= CallBinder::kStackHigh)) {
      return true;
    }
  }
  for (const Value& item : v.items) {
    if (NamesCallMemory(item)) return true;
  }
  for (const Value::Field& field : v.fields) {
    if (NamesCallMemory(field.value)) return true;
  }
  return false;
}

// Whether a call line of `scenario` names such an address (CallTable::KeepCallMemory).
bool NamesCallMemory(const Scenario& scenario) {
  for (const Line& line : scenario.lines) {
    if (line.kind != Line::Kind::kCall) continue;
    for (const Value& arg : line.call.args) {
      if (NamesCallMemory(arg)) return true;
    }
  }
  return false;
}

// An argument that names a handle inherited from outside (kind=unknown).
bool TouchesUnknownFd(sim::Process& p, const CallLine& call, const CallTable& table) {
  if (call.args.empty() || !table.TakesHandleFirst(call.name)) return false;
  const Value& first = call.args[0];
  if (first.kind != Value::Kind::kInteger && first.kind != Value::Kind::kDecorated) return false;
  if (first.integer < 0) return false;
  const sim::FdEntry* e = p.fds().Lookup(static_cast<sim::Handle>(first.integer));
  return e != nullptr && e->description->object()->kind() == sim::FileKind::kUnknown;
}

// A call that gives out a new handle, whose recorded result is a number still open here:
// the table hands out a free one, so the line's moment is after that number's close.
bool HandleStillTaken(sim::Process& p, const CallLine& call, const CallTable& table) {
  if (!table.ReturnsNewHandle(call.name) || !call.outcome || call.outcome->kind != Outcome::Kind::kValue) return false;
  const std::int64_t n = call.outcome->value;
  if (n < 0 || n > INT32_MAX || !call.outcome->error_symbol.empty()) return false;
  return p.fds().Lookup(static_cast<sim::Handle>(n)) != nullptr;
}

// `hint port=N` / `hint autobind=NAME` / `hint received=N`: what the real system chose (or
// what its timing allowed), to be adopted by the next call line (written by importers; see
// docs/scenario-format.md).
bool IsHintDirective(const Directive& d) { return d.keyword == "hint"; }

// `hint ready=FD:in|out|in+out|none`: what a descriptor the simulator does not model (one
// inherited from outside) reported to the recorded readiness call, adopted for that call.
struct ReadyHint {
  sim::Handle fd = 0;
  sim::PlainFile::EnvironmentReadiness readiness;
};
std::optional<ReadyHint> ParseReadyHint(std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto fd = numbers::ParseUint64(value.substr(0, colon));
  if (!fd || *fd > (1u << 20)) return std::nullopt;
  const std::string_view what = value.substr(colon + 1);
  ReadyHint h;
  h.fd = static_cast<sim::Handle>(*fd);
  if (what == "in" || what == "in+out") h.readiness.readable = true;
  if (what == "out" || what == "in+out") h.readiness.writable = true;
  if (!h.readiness.readable && !h.readiness.writable && what != "none") return std::nullopt;
  return h;
}

// The unknown object behind `fd` of `p`, or nullptr.
sim::PlainFile* UnknownObject(sim::Process& p, sim::Handle fd) {
  sim::FdEntry* e = p.fds().Lookup(fd);
  if (e == nullptr || e->description->object()->kind() != sim::FileKind::kUnknown) return nullptr;
  return dynamic_cast<sim::PlainFile*>(e->description->object().get());
}

// Checks one hint; empty when it is well formed, else what is wrong.
std::string HintProblem(const CallLine::Hint& h) {
  if (h.kind == "port") {
    const auto port = numbers::ParseUint64(h.value);
    if (!port || *port == 0 || *port > 65535) return fmt::format("bad port '{}'", h.value);
    return {};
  }
  if (h.kind == "autobind") return {};
  if (h.kind == "after") return {};  // a location; a line it names nowhere is ignored
  if (h.kind == "ready") {
    if (!ParseReadyHint(h.value)) return fmt::format("bad readiness '{}' (FD:in, FD:out, FD:in+out or FD:none)", h.value);
    return {};
  }
  if (h.kind == "received") {
    const auto bytes = numbers::ParseUint64(h.value);
    if (!bytes || *bytes == 0) return fmt::format("bad byte count '{}'", h.value);
    return {};
  }
  if (h.kind == "at") {
    std::string why;
    if (!numbers::ParseDuration(h.value, {}, &why)) {
      return fmt::format("bad time '{}' ({})", h.value, why);
    }
    return {};
  }
  return fmt::format("unknown hint '{}' (port, autobind, received, ready, after, at)", h.kind);
}

// Offers a call's (checked) hints to the stack, for the next choice on the caller's node.
void OfferHints(stack::Stack& stack, sim::NodeId node, const std::vector<CallLine::Hint>& hints) {
  for (const auto& h : hints) {
    if (h.kind == "port") {
      stack.HintNextEphemeralPort(node,
                                  static_cast<std::uint16_t>(*numbers::ParseUint64(h.value)));
    } else if (h.kind == "autobind") {
      stack.HintNextAutobindName(node, h.value);
    } else if (h.kind == "received") {
      stack.HintNextStreamReceive(node, static_cast<std::size_t>(*numbers::ParseUint64(h.value)));
    }
  }
}

// Whether a line mentions a capture anywhere (its arguments or `= $name`).
bool HasCapture(const CallLine& call) {
  if (call.outcome && call.outcome->kind == Outcome::Kind::kCapture) return true;
  for (const auto& a : call.args) {
    if (FindCapture(a) != nullptr) return true;
  }
  return false;
}

// What the trace records for a line that did not run (skipped): its own text, unless it
// mentions captures, which a trace never holds; then the line with their values, and `_`
// for any without one.
std::string RecordedUnrun(const CallLine& call, const Captures& captures) {
  if (!HasCapture(call)) return call.text;
  CallLine line = call;
  (void)captures.Substitute(line);
  Outcome outcome = line.outcome.value_or(Outcome{});
  if (outcome.kind == Outcome::Kind::kCapture) outcome.kind = Outcome::Kind::kWildcard;
  const std::vector<Value> args = captures.Resolved(line.args);
  switch (line.part) {
    case CallPart::kUnfinished:
      return FormatUnfinished(line.pid, line.name, args, args.size(), line.arg_names);
    case CallPart::kResumed:
      return FormatResumed(line.pid, line.name, args, 0, outcome, line.arg_names);
    case CallPart::kWhole:
      break;
  }
  return FormatCallLine(line.pid, line.name, args, outcome, line.arg_names);
}

// The fault point of the neutral core (stack/core/transport.cc); each personality lists its
// own (PersonalityEntry::fault_points).
constexpr std::array<std::string_view, 1> kCoreFaultPoints = {"net.drop"};

// Levenshtein distance, for a "did you mean" among a few hundred short names.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean NAME?)" for the nearest of `names` (the first in their order on a tie), or
// empty when none is near enough to be a slip of the keyboard.
template <typename Names>
std::string Suggestion(std::string_view wrong, const Names& names) {
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, wrong.size() / 4) + 1;
  for (const auto& name : names) {
    const std::size_t d = EditDistance(wrong, name);
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : fmt::format(" (did you mean {}?)", best);
}

// What a written scenario may name, by personality: its calls and its fault points. A trace
// imported from a real system is exempt (ScenarioOrigin::kStrace): there an unmodelled call is
// skipped with a reason, but in a hand-written file a misspelt one would pass the same way.
class KnownNames {
 public:
  // Empty when `personality` knows call `name`, else the error for the line.
  std::string CallProblem(const std::string& personality, const std::string& name) {
    const std::vector<std::string>* names = CallsOf(personality);
    if (names == nullptr || std::binary_search(names->begin(), names->end(), name)) return {};
    return fmt::format("unknown call '{}' for personality {}{}", name, personality,
                       Suggestion(name, *names));
  }

  // Empty when some layer checks fault point `point`, else the error for the line.
  static std::string FaultProblem(const std::string& point) {
    std::vector<std::string_view> points(kCoreFaultPoints.begin(), kCoreFaultPoints.end());
    for (const PersonalityEntry* entry : Personalities()) {
      points.insert(points.end(), entry->fault_points.begin(), entry->fault_points.end());
    }
    if (std::find(points.begin(), points.end(), point) != points.end()) return {};
    return fmt::format("unknown fault point '{}'{}", point, Suggestion(point, points));
  }

 private:
  const std::vector<std::string>* CallsOf(const std::string& personality) {
    if (const auto it = calls_.find(personality); it != calls_.end()) return &it->second;
    const PersonalityEntry* entry = FindPersonality(personality);
    if (entry == nullptr || entry->call_names == nullptr) return nullptr;
    std::vector<std::string> names = entry->call_names();
    std::sort(names.begin(), names.end());
    return &calls_.emplace(personality, std::move(names)).first->second;
  }

  std::map<std::string, std::vector<std::string>> calls_;
};

struct Pending {
  std::size_t unfinished_index = 0;  // line index of the unfinished part
  std::size_t resumed_index = 0;
  std::size_t split = 0;             // number of arguments on the unfinished line
  CallLine joined;                   // captures substituted when the call first runs
  bool done = false;                 // executed (at or before its resumed line)
  ExecutedCall result;
};

// Calls that only look: running one changes nothing (for epoll, an edge-triggered or
// one-shot item's report is the exception, which a retried epoll_wait may then miss).
const std::set<std::string> kLookingCalls = {"poll", "ppoll", "select", "pselect6",
                                              "epoll_wait", "epoll_pwait", "epoll_pwait2"};

bool IsLookingLine(const Line& line) {
  return line.kind == Line::Kind::kCall && kLookingCalls.count(line.call.name) != 0;
}

// Calls that start a process or thread, which runs its own lines from the unfinished line on.
const std::set<std::string> kStartingCalls = {"clone", "clone3", "fork", "vfork"};

// Whether an attempt of a call can have changed nothing, so that its result may be dropped
// and the call tried again later: a call that only looks, or one that said "try again".
bool HadNoEffect(const CallLine& call, const ExecutedCall& got) {
  return kLookingCalls.count(call.name) != 0 || got.outcome.error_symbol == "EAGAIN";
}

// The thread or process a body line belongs to under `interleaving unknown`: a call's or an
// event's id, an `fd` directive's process, or the thread whose call it was read at (an
// importer places the descriptors a thread's call opened at that call); any other directive
// goes with the next line that has an owner (0 when none follows).
std::vector<std::int32_t> LineOwners(const Scenario& scenario, std::size_t from) {
  std::vector<std::int32_t> owners(scenario.lines.size(), 0);
  std::map<std::string, std::int32_t> caller_at;  // a call's location -> its thread
  for (std::size_t i = from; i < scenario.lines.size(); ++i) {
    if (scenario.lines[i].kind == Line::Kind::kCall) {
      caller_at.emplace(scenario.lines[i].call.location.ToString(), scenario.lines[i].call.pid);
    }
  }
  std::int32_t next = 0;
  for (std::size_t i = scenario.lines.size(); i-- > from;) {
    const Line& line = scenario.lines[i];
    std::int32_t owner = 0;
    if (line.kind == Line::Kind::kCall) owner = line.call.pid;
    if (line.kind == Line::Kind::kProcessEvent) owner = line.event().pid;
    if (line.kind == Line::Kind::kDirective && line.directive().keyword == "fd" &&
        !line.directive().words.empty()) {
      owner = static_cast<std::int32_t>(numbers::ParseInt64(line.directive().words[0]).value_or(0));
      if (const auto c = caller_at.find(line.directive().location.ToString()); c != caller_at.end())
        owner = c->second;
    }
    owners[i] = owner != 0 ? owner : next;
    if (owner != 0) next = owner;
  }
  return owners;
}

// The order of the owners' lines in one run under `interleaving unknown`: the decisions the
// policy of RunInterleaved made, and where a run departs from it (the search in RunScenario).
struct OrderChoices {
  struct Decision {
    std::vector<std::int32_t> owners;  // the owners that had a line to run, earliest first
    std::int32_t owner = 0;            // the one whose line ran (0: a deferred call ran)
    std::size_t verdicts_before = 0;   // verdicts reported before it
  };
  // Decision index -> owner to run first from there on, for as long as it can go on.
  std::map<std::size_t, std::int32_t> favour;
  std::vector<Decision> chosen;
  std::function<std::size_t()> verdict_count;
};

// `interleaving unknown`: each owner's lines run in file order, and at each step the earliest
// line among the owners that exist runs, unless its call would have to wait; then the next
// earliest is tried. When every one of them would wait, the earliest waits (the world runs
// until it completes, or it blocks forever and fails as in file order). Lines of an owner
// that never comes to exist run last, in file order, and fail as they would there.
// `after`: lines that must have run before a line may (an importer's `hint after=LOCATION`:
// the connect that succeeded in the log waits for the listen it reached).
// `flush`: runs one deferred split call, false when none can run now.
// `order`: where this run departs from the policy above (OrderChoices), and what it chose.
// `between_releases`: set here to what runs while a process's exit releases its descriptors
// one by one (the other owners' next lines that only look and already agree).
void RunInterleaved(const Scenario& scenario, std::size_t prelude, ScenarioWorld& sw,
                    const std::function<bool(std::size_t, bool)>& step,
                    const std::function<bool()>& flush,
                    const std::map<std::size_t, std::vector<std::size_t>>& after,
                    OrderChoices& order, std::function<void(const sim::Process&)>& between_releases) {
  std::size_t first_body = prelude;
  while (first_body < scenario.lines.size() &&
         scenario.lines[first_body].kind == Line::Kind::kDirective &&
         ScenarioWorld::IsHeaderKeyword(scenario.lines[first_body].directive().keyword) &&
         scenario.lines[first_body].directive().keyword != "fd") {
    (void)step(first_body++, true);
  }
  const std::vector<std::int32_t> owners = LineOwners(scenario, first_body);
  std::map<std::int32_t, std::deque<std::size_t>> queues;
  for (std::size_t i = first_body; i < scenario.lines.size(); ++i) queues[owners[i]].push_back(i);
  auto exists = [&](std::int32_t owner) {
    const sim::Thread* t = owner == 0 ? nullptr : sw.world().FindThread(owner);
    return t != nullptr && t->process().alive();
  };
  std::vector<bool> done(scenario.lines.size(), false);
  // A process's end (its exit_group, a fatal signal) ends every thread of it at once, so each
  // thread's own lines, which it printed before, run first.
  auto threads_go_on = [&](std::size_t i) {
    const Line& line = scenario.lines[i];
    if (line.kind != Line::Kind::kProcessEvent) return false;
    const ProcessEvent& ev = line.event();
    if (ev.kind != ProcessEvent::Kind::kExited && ev.kind != ProcessEvent::Kind::kKilled) return false;
    const sim::Thread* self = sw.world().FindThread(ev.pid);
    if (self == nullptr || (ev.kind == ProcessEvent::Kind::kExited && !self->is_main())) return false;
    for (const auto& [owner, queue] : queues) {
      if (owner == owners[i] || queue.empty()) continue;
      const sim::Thread* t = sw.world().FindThread(owner);
      if (t != nullptr && &t->process() == &self->process()) return true;
    }
    return false;
  };
  auto waiting = [&](std::size_t i) {
    if (threads_go_on(i)) return true;
    const auto it = after.find(i);
    if (it == after.end()) return false;
    for (std::size_t j : it->second) {
      if (!done[j]) return true;
    }
    return false;
  };
  // While an exit releases its descriptors, highest first: a look of another owner that
  // already agrees returns there (it may see the first release and not the next).
  between_releases = [&](const sim::Process& ending) {
    for (auto& [owner, queue] : queues) {
      if (queue.empty() || !exists(owner) || waiting(queue.front())) continue;
      const sim::Thread* t = sw.world().FindThread(owner);
      if (t == nullptr || &t->process() == &ending || !IsLookingLine(scenario.lines[queue.front()])) continue;
      const std::size_t i = queue.front();
      if (!step(i, false)) continue;
      done[i] = true;
      queue.pop_front();
    }
  };
  std::int32_t favoured = 0;  // the owner an order choice put first, while it can go on
  for (;;) {
    std::vector<std::size_t> fronts;  // the next line of each owner that exists, earliest first
    for (const auto& [owner, queue] : queues) {
      if (!queue.empty() && exists(owner)) fronts.push_back(queue.front());
    }
    if (fronts.empty()) break;
    std::sort(fronts.begin(), fronts.end());
    const std::size_t decision = order.chosen.size();
    OrderChoices::Decision taken;
    taken.verdicts_before = order.verdict_count();
    for (std::size_t i : fronts) taken.owners.push_back(owners[i]);
    if (const auto f = order.favour.find(decision); f != order.favour.end()) favoured = f->second;
    if (favoured != 0) {
      // Run the favoured owner's next line first, for as long as it can go on.
      const auto q = queues.find(favoured);
      const bool can = q != queues.end() && !q->second.empty() && exists(favoured) &&
                       !waiting(q->second.front()) && step(q->second.front(), false);
      if (can) {
        done[q->second.front()] = true;
        q->second.pop_front();
        taken.owner = favoured;
        order.chosen.push_back(std::move(taken));
        continue;
      }
      favoured = 0;
    }
    // What a process saw is taken as early as it agrees with the log, what it did as late as
    // the others' lines allow: a readiness call that already agrees runs before any call
    // with an effect, which then runs earliest first. (A look changes nothing, so taking it
    // early cannot make another line disagree; a write run too early can, by being seen.)
    bool ran = false;
    for (const bool looks_only : {true, false}) {
      for (std::size_t i : fronts) {
        if (ran || waiting(i) || looks_only != IsLookingLine(scenario.lines[i])) continue;
        if (step(i, false)) {
          queues[owners[i]].pop_front();
          done[i] = true;
          ran = true;
          taken.owner = owners[i];
        }
      }
      if (ran) break;
    }
    if (!ran && flush()) ran = true;  // a deferred call's effect may be what they wait for
    if (ran) {
      order.chosen.push_back(std::move(taken));
      continue;
    }
    {
      // Every line would wait: the earliest that waits for no other line waits in the world.
      // An order choice for this decision names the one that waits instead.
      std::size_t i = fronts.front();
      const auto f = order.favour.find(decision);
      for (std::size_t front : fronts) {
        if (!waiting(front) && (f == order.favour.end() || owners[front] == f->second)) {
          i = front;
          break;
        }
      }
      (void)step(i, true);
      queues[owners[i]].pop_front();
      done[i] = true;
      taken.owner = owners[i];
      order.chosen.push_back(std::move(taken));
    }
  }
  std::vector<std::size_t> rest;
  for (const auto& [owner, queue] : queues) rest.insert(rest.end(), queue.begin(), queue.end());
  between_releases = nullptr;  // it refers to this function's state
  std::sort(rest.begin(), rest.end());
  for (std::size_t i : rest) (void)step(i, true);
}

}  // namespace

namespace {

// One run of the scenario; under `interleaving unknown` in the order `order` asks for, which
// it fills with the decisions taken.
ScenarioResult RunInOrder(const Scenario& written, const RunOptions& options, OrderChoices& order) {
  ScenarioResult result;
  order.chosen.clear();
  order.verdict_count = [&result] { return result.verdicts.size(); };
  result.file = written.file;
  result.description = written.description;
  // The --header lines come first, as if written at the top; they are never recorded.
  const std::size_t prelude = options.header.size();
  Scenario combined;
  if (prelude != 0) {
    combined.file = written.file;
    combined.description = written.description;
    for (const Directive& d : options.header) {
      Line line;
      line.kind = Line::Kind::kDirective;
      line.mutable_directive() = d;
      combined.lines.push_back(std::move(line));
    }
    combined.lines.insert(combined.lines.end(), written.lines.begin(), written.lines.end());
  }
  const Scenario& scenario = prelude != 0 ? combined : written;
  // Read once: every call is told before it runs (tables are made as processes appear).
  const bool names_call_memory = NamesCallMemory(scenario);
  ScenarioWorld sw(scenario, options.seed, options.host, options.limits);
  result.seed = sw.world().options().seed;
  // The trace is made only when asked for (RunOptions::record_trace): formatting every
  // line's outcome is a large part of what a long replay costs, and replay never reads it.
  std::string trace;
  auto record = [&](const auto& make_line) {
    if (!options.record_trace) return;
    trace += make_line();
    trace += '\n';
  };
  // `$name` values bound so far; their scope is the whole file.
  Captures captures;
  // Calls and fault points a written scenario may name (not checked in an imported trace).
  const bool strict = scenario.origin == ScenarioOrigin::kWritten;
  KnownNames known;
  auto error = [&](const SourceLocation& at, const std::string& text, std::string message) {
    LineVerdict v;
    v.status = LineVerdict::Status::kError;
    v.location = at;
    v.line = text;
    v.message = std::move(message);
    result.verdicts.push_back(std::move(v));
    ++result.errors;
  };
  for (const auto& d : scenario.description) record([&] { return "# " + d; });
  for (std::size_t i = 0; i < prelude; ++i) {
    const Directive& d = options.header[i];
    if (!ScenarioWorld::IsHeaderKeyword(d.keyword)) {
      error(d.location, d.text, fmt::format("--header takes header directives, not '{}'", d.keyword));
    }
  }
  for (const auto& e : sw.errors()) error(e.location, "", e.message);
  if (result.errors != 0) return result;

  // The real system's choices to adopt, by call line index (from the lines or hint
  // directives just before them).
  std::map<std::size_t, std::vector<CallLine::Hint>> hints;
  {
    std::vector<CallLine::Hint> next;
    for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
      const Line& line = scenario.lines[i];
      if (line.kind == Line::Kind::kDirective && IsHintDirective(line.directive())) {
        const Directive& d = line.directive();
        if (d.options.size() != 1 || !d.words.empty()) {
          error(d.location, d.text, "hint takes one option: port=N or autobind=NAME");
          continue;
        }
        const auto& opt = d.options[0];
        const CallLine::Hint hint{opt.key, opt.value};
        if (const std::string problem = HintProblem(hint); !problem.empty()) {
          error(opt.location, d.text, problem);
          continue;
        }
        next.push_back(hint);
        continue;
      }
      const bool ends = line.kind == Line::Kind::kProcessEvent &&
                        (line.event().kind == ProcessEvent::Kind::kExited ||
                         line.event().kind == ProcessEvent::Kind::kKilled);
      if (line.kind != Line::Kind::kCall && !ends) continue;
      std::vector<CallLine::Hint> h = std::move(next);
      next.clear();
      for (const auto& own : ends ? line.event().hints : line.call.hints) {
        if (const std::string problem = HintProblem(own); !problem.empty()) {
          error(ends ? line.event().location : line.call.location, ends ? "" : line.call.text,
                problem);
          continue;
        }
        h.push_back(own);
      }
      if (ends) {
        // A process's end takes only `after` (it chooses nothing).
        for (const auto& own : h) {
          if (own.kind != "after")
            error(line.event().location, "",
                  fmt::format("a process's end takes no '{}' hint", own.kind));
        }
      }
      if (!h.empty()) hints[i] = std::move(h);
    }
  }
  // `hint at=T`: the recorded call started T after the log's first line. The time a program
  // spent between its calls (computing, or in calls the simulator does not model) is
  // invisible to the simulator, yet decides what the stack's timers (a delayed ACK) did
  // meanwhile, so virtual time runs up to that instant first; it never goes back (a line
  // run after its turn keeps the later time).
  std::optional<std::pair<sim::Instant, sim::Duration>> clock_origin;
  auto follow_recorded_clock = [&](const std::vector<CallLine::Hint>& line_hints) {
    for (const auto& hint : line_hints) {
      if (hint.kind != "at") continue;
      const auto at = numbers::ParseDuration(hint.value);
      if (!at) continue;
      if (!clock_origin) clock_origin.emplace(sw.world().now(), *at);
      const auto& [origin, first] = *clock_origin;
      if (*at <= first) continue;
      const sim::Instant target = origin + sim::Duration::Nanoseconds(at->ns - first.ns);
      if (target > sw.world().now()) (void)sw.world().RunUntil(target);
    }
  };
  // Runs one call with its line's hints offered to the stack, then withdraws them.
  auto execute = [&](CallTable& table, const CallLine& call, sim::Thread& t, bool may_wait,
                     std::size_t hint_line) {
    if (const auto h = hints.find(hint_line); h != hints.end()) {
      follow_recorded_clock(h->second);
      OfferHints(sw.stack(), t.process().node(), h->second);
    }
    // The environment's readiness of unknown objects holds for this call only.
    std::vector<sim::PlainFile*> adopted;
    if (const auto h = hints.find(hint_line); h != hints.end()) {
      for (const auto& hint : h->second) {
        if (hint.kind != "ready") continue;
        const auto r = ParseReadyHint(hint.value);
        sim::PlainFile* object = r ? UnknownObject(t.process(), r->fd) : nullptr;
        if (object == nullptr) continue;
        object->set_environment_readiness(r->readiness);
        adopted.push_back(object);
      }
    }
    ExecutedCall got;
    if (names_call_memory) table.KeepCallMemory();
    try {
      got = table.Execute(call, t, may_wait);
    } catch (const sim::LimitReached&) {
      throw;  // not the line's mistake: the run stops at it (below)
    } catch (const std::exception& e) {
      // The model refused what the line asks before changing anything (a fork to a pid that
      // already exists): the line's mistake, reported at it, never an abort.
      got = ExecutedCall{};
      got.bind_error = fmt::format("the simulated world cannot do this: {}", e.what());
      got.bind_error_location = call.location;
    }
    for (sim::PlainFile* object : adopted) object->set_environment_readiness(std::nullopt);
    sw.stack().ClearHints();
    if (options.after_call && got.bind_error.empty()) options.after_call(call, got, table);
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
        std::size_t first = 0;  // c.args[first] is the first argument the resumed line adds
        if (c.resumes_out && !c.args.empty() && !p.joined.args.empty()) {
          // `<... clone3 resumed> => out, ...`: the start line's last argument gets its out part.
          Value vr;
          vr.kind = Value::Kind::kValueResult;
          vr.location = p.joined.args.back().location;
          vr.has_out = true;
          vr.text = "=>";
          vr.items.push_back(std::move(p.joined.args.back()));
          vr.items.push_back(c.args.front());
          p.joined.args.back() = std::move(vr);
          first = 1;
        }
        const std::size_t before = p.joined.args.size();
        for (std::size_t k = first; k < c.args.size(); ++k) p.joined.args.push_back(c.args[k]);
        if (!c.arg_names.empty() || !p.joined.arg_names.empty()) {
          // Names stay parallel to the joined arguments ("" for an unnamed one).
          std::vector<std::string> names = c.arg_names;
          names.resize(c.args.size());
          names.erase(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(first));
          p.joined.arg_names.resize(before);
          p.joined.arg_names.insert(p.joined.arg_names.end(), names.begin(), names.end());
        }
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

  // Whether a call's outcome and outputs agree with its line, binding nothing (the captures
  // are a scratch copy): for trying a call before deciding to take its result.
  auto agrees = [&](const CallLine& expected, const ExecutedCall& got, CallTable& table) {
    if (!expected.outcome || got.blocked || !got.bind_error.empty() || !got.skip_reason.empty()) {
      return false;
    }
    Captures scratch = captures;
    Outcome wanted_outcome = *expected.outcome;
    std::string why;
    if (!table.CanonicalizeExpectedOutcome(expected.name, wanted_outcome, &why)) return false;
    if (!OutcomeMatches(wanted_outcome, got.outcome, &why, &scratch)) return false;
    std::vector<Value> wanted_copy, actual_copy;
    const std::vector<Value>& wanted = CanonicalArgs(table, expected.args, wanted_copy);
    const std::vector<Value>& actual = CanonicalArgs(table, got.args, actual_copy);
    for (std::size_t i = 0; i < wanted.size() && i < actual.size(); ++i) {
      if (!Matches(wanted[i], actual[i], &why, &scratch)) return false;
    }
    return true;
  };

  auto check = [&](const CallLine& expected, const ExecutedCall& got, sim::Process& p,
                   CallTable& table) {
    if (!got.bind_error.empty() && !strict) {
      // A log line in a form the call table cannot lay out (a constant it does not know):
      // the call is not replayed, and says why; in a written scenario it is the writer's
      // mistake.
      LineVerdict v{LineVerdict::Status::kSkip, expected.location, expected.text, "", "",
                    fmt::format("not replayed: {}", got.bind_error), {}};
      result.verdicts.push_back(std::move(v));
      ++result.skipped;
      return;
    }
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
      // A result written as one of the personality's symbols (= SOCKET_ERROR) compares as
      // its number.
      Outcome wanted_outcome = *expected.outcome;
      std::string problem;
      if (!table.CanonicalizeExpectedOutcome(expected.name, wanted_outcome, &problem)) {
        error(wanted_outcome.location, expected.text, problem);
        return;
      }
      if (strict && !wanted_outcome.error_symbol.empty() && !table.KnowsErrorName(wanted_outcome.error_symbol)) {
        // A written scenario names an error the personality has not got: its mistake, not a
        // divergence (a log keeps what the kernel printed, ERESTARTSYS included).
        error(wanted_outcome.location, expected.text,
              fmt::format("unknown error '{}' for personality {}", wanted_outcome.error_symbol, p.personality()));
        return;
      }
      ok = OutcomeMatches(wanted_outcome, got.outcome, &why, &captures);
      // Both sides in the form the personality prints (an input argument comes back as
      // written, in the trace's own notation). Every argument is compared even after a
      // difference, so that the line's captures are bound; the first difference is reported.
      std::vector<Value> wanted_copy, actual_copy;
      const std::vector<Value>& wanted = CanonicalArgs(table, expected.args, wanted_copy);
      const std::vector<Value>& actual = CanonicalArgs(table, got.args, actual_copy);
      for (std::size_t i = 0; i < wanted.size() && i < actual.size(); ++i) {
        std::string where;
        if (!Matches(wanted[i], actual[i], &where, &captures) && ok) {
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
    v.why = table.Explain(p, got.handles);
    result.verdicts.push_back(std::move(v));
    ++result.failed;
  };

  // Split calls past their unfinished line that have not run yet, earliest first.
  std::set<std::size_t> deferred;
  // Under `interleaving unknown`, what runs between an exit's releases (RunInterleaved).
  std::function<void(const sim::Process&)> between_releases;
  // Whether a deferred call other than pending `self` could be run early: one with an effect
  // another line may need (a call that only looks has none).
  auto flushable = [&](std::size_t self) {
    return std::any_of(deferred.begin(), deferred.end(), [&](std::size_t d) {
      return d != self && kLookingCalls.count(pendings[d].joined.name) == 0;
    });
  };
  // Takes the result of every deferred readiness call (other than `self`) that already agrees
  // with its log line, before a call with an effect runs and could change what it saw: a
  // look in flight returned somewhere between its two lines, and what it reported is taken as
  // early as it agrees, as RunInterleaved does for whole lines. (Linux's do_select() and
  // do_poll(), fs/select.c, return on the first pass that finds a descriptor ready, without
  // waiting for later events; a poll started before a write is printed and resumed after it
  // need not count the write's data.)
  // `ending`: a process being ended, whose own calls are not taken.
  auto take_agreeing_looks = [&](std::size_t self, const sim::Process* ending = nullptr) {
    for (auto it = deferred.begin(); it != deferred.end();) {
      Pending& pending = pendings[*it];
      sim::Thread* thread = *it == self || kLookingCalls.count(pending.joined.name) == 0
                                ? nullptr
                                : sw.world().FindThread(pending.joined.pid);
      CallTable* table = thread == nullptr || !thread->process().alive() ||
                                 &thread->process() == ending
                             ? nullptr
                             : sw.TableFor(thread->process());
      if (table == nullptr) {
        ++it;
        continue;
      }
      ExecutedCall got =
          execute(*table, pending.joined, *thread, /*may_wait=*/false, pending.unfinished_index);
      if (!agrees(pending.joined, got, *table)) {
        ++it;  // a look changes nothing: it is tried again later
        continue;
      }
      pending.result = std::move(got);
      pending.done = true;
      it = deferred.erase(it);
    }
  };
  // Runs the earliest deferred call that can complete now without waiting and changes
  // something; its result is checked at its resumed line. False when none can.
  auto flush = [&]() -> bool {
    take_agreeing_looks(pendings.size());
    for (const std::size_t d : deferred) {
      Pending& pending = pendings[d];
      if (kLookingCalls.count(pending.joined.name) != 0) continue;
      sim::Thread* thread = sw.world().FindThread(pending.joined.pid);
      if (thread == nullptr || !thread->process().alive()) continue;
      CallTable* table = sw.TableFor(thread->process());
      if (table == nullptr) continue;
      ExecutedCall got =
          execute(*table, pending.joined, *thread, /*may_wait=*/false, pending.unfinished_index);
      if (got.blocked) continue;
      if (got.bind_error.empty() && got.skip_reason.empty() && HadNoEffect(pending.joined, got)) {
        continue;  // said "try again": nothing changed, so it runs at its resumed line
      }
      pending.result = std::move(got);
      pending.done = true;
      deferred.erase(d);
      return true;
    }
    return false;
  };

  // Runs line i; false when `may_wait` is false and the line's call would have to wait, or
  // saw what needs a deferred call's effect first (it then had no effect and nothing was
  // checked or recorded).
  auto step_line = [&](std::size_t i, bool may_wait) -> bool {
    const Line& line = scenario.lines[i];
    if (line.kind == Line::Kind::kDirective) {
      record([&] { return line.directive().text; });
      if (IsHintDirective(line.directive())) return true;
      if (strict && line.directive().keyword == "fault" && line.directive().words.size() == 1) {
        if (const std::string problem = KnownNames::FaultProblem(line.directive().words[0]);
            !problem.empty()) {
          // At the point's name, which follows the keyword.
          SourceLocation at = line.directive().location;
          const std::size_t word = line.directive().text.find(line.directive().words[0],
                                                              line.directive().keyword.size());
          if (word != std::string::npos) at.column = static_cast<int>(word) + 1;
          error(at, line.directive().text, problem);
          return true;
        }
      }
      ScenarioError e;
      if (!sw.Apply(line.directive(), &e)) error(e.location, line.directive().text, e.message);
      return true;
    }
    if (line.kind == Line::Kind::kProcessEvent) {
      const ProcessEvent& ev = line.event();
      if (ev.kind == ProcessEvent::Kind::kExited || ev.kind == ProcessEvent::Kind::kKilled) {
        // The event names a thread: a thread other than the main one leaves its process; the
        // main thread's exit (or a kill) ends the process.
        sim::Thread* t = sw.world().FindThread(ev.pid);
        if (t == nullptr) {
          error(ev.location, "", fmt::format("no process {}", ev.pid));
          return true;
        }
        if (ev.kind == ProcessEvent::Kind::kKilled || t->is_main()) {
          if (!strict) {
            // Linux's exit: close_files() (fs/file.c) drops each descriptor with fput(),
            // which queues the final release as task work (fs/file_table.c); task_work_run()
            // (kernel/task_work.c) runs the newest first, so the files are released highest
            // descriptor first, and a poll in flight elsewhere may return having seen only
            // the first of them.
            sim::Process& ending = t->process();
            for (std::vector<sim::Handle> open = ending.fds().OpenDescriptors(); !open.empty();
                 open.pop_back()) {
              (void)ending.fds().Close(open.back());
              sw.stack().Settle();
              take_agreeing_looks(pendings.size(), &ending);
              if (between_releases) between_releases(ending);
            }
          }
          sw.world().Exit(t->process().pid(), ev.status);
        } else {
          sw.world().ExitThread(ev.pid, ev.status);
        }
        sw.stack().Settle();
        record([&] { return FormatProcessEvent(ev); });
      }
      return true;
    }
    if (line.kind == Line::Kind::kUnreadable) {
      // Only a strace log holds one (the parser rejects it in a scenario); an importer lists
      // it as not replayed, and one that passes it through still runs nothing for it.
      const UnreadableLine& u = line.unreadable();
      result.verdicts.push_back({LineVerdict::Status::kSkip, u.location, u.text, "", "",
                                 fmt::format("the line could not be read: {}", u.message), {}});
      ++result.skipped;
      return true;
    }
    if (!sw.host_skip_reason().empty()) {
      // Not comparable on this machine: every call is skipped (a split call once, at its
      // unfinished line), and the trace keeps the lines as written.
      if (line.call.part != CallPart::kResumed) {
        LineVerdict v{LineVerdict::Status::kSkip, line.call.location, line.call.text, "", "",
                      sw.host_skip_reason(), {}};
        result.verdicts.push_back(std::move(v));
        ++result.skipped;
      }
      record([&] { return RecordedUnrun(line.call, captures); });
      return true;
    }
    // Bound captures take their values before the line runs. A line without captures (every
    // line of a log) runs as it stands: copying each call line was 3 % of a replay.
    std::optional<CallLine> substituted;
    if (UsesCaptures(line.call)) {
      substituted.emplace(line.call);
      if (const auto problem = captures.Substitute(*substituted)) {
        error(problem->location, line.call.text, problem->message);
        record([&] { return RecordedUnrun(line.call, captures); });
        return true;
      }
    }
    const CallLine& call = substituted ? *substituted : line.call;
    // The line's id is a thread's: a process's own id names its main thread.
    sim::Thread* thread = sw.world().FindThread(call.pid);
    if (thread == nullptr) {
      error(call.location, call.text,
            fmt::format("no process {} (declare it with 'process {} host=...')", call.pid,
                        call.pid));
      return true;
    }
    sim::Process* p = &thread->process();
    if (!p->alive()) {
      error(call.location, call.text, fmt::format("process {} has exited", call.pid));
      return true;
    }
    CallTable* table = sw.TableFor(*p);
    if (table == nullptr) {
      error(call.location, call.text, fmt::format("personality '{}' is not available", p->personality()));
      return true;
    }
    if (strict) {
      if (const std::string problem = known.CallProblem(p->personality(), call.name);
          !problem.empty()) {
        // A split call is reported once, at its first line; it never runs.
        if (call.part != CallPart::kResumed) error(call.location, call.text, problem);
        record([&] { return RecordedUnrun(line.call, captures); });
        return true;
      }
    }
    const auto pending_it = pending_of_line.find(i);
    if (pending_it == pending_of_line.end()) {
      if (TouchesUnknownFd(*p, call, *table)) {
        // close() still runs, so that the descriptor table stays in step with the trace.
        if (call.name == "close") (void)execute(*table, call, *thread, true, i);
        LineVerdict v{LineVerdict::Status::kSkip, call.location, call.text, "", "",
                      "the descriptor was inherited from outside the trace (known-unknown)", {}};
        result.verdicts.push_back(std::move(v));
        ++result.skipped;
        record([&] { return RecordedUnrun(line.call, captures); });
        return true;
      }
      if (!may_wait && sw.interleaving_unknown() && HandleStillTaken(*p, call, *table)) {
        return false;  // the number it got was free then: another thread's close comes first
      }
      if (!strict && kLookingCalls.count(call.name) == 0) take_agreeing_looks(pendings.size());
      const ExecutedCall got = execute(*table, call, *thread, may_wait, i);
      if (got.blocked && !may_wait) return false;  // no effect: tried again later
      if (!may_wait && (sw.interleaving_unknown() || flushable(pendings.size())) &&
          HadNoEffect(call, got) && !agrees(call, got, *table)) {
        // Tried too early for what the log says (the data, the connection or the readiness
        // it saw had not happened yet here): the attempt changed nothing, so other
        // processes run first.
        return false;
      }
      check(call, got, *p, *table);
      if (got.bind_error.empty()) {
        record([&] {
          return got.skip_reason.empty() ? WholeLine(call, captures.Resolved(got.args), got.outcome)
                                         : RecordedUnrun(line.call, captures);
        });
      } else if (!strict) {
        // Not replayed: kept as written.
        record([&] { return RecordedUnrun(line.call, captures); });
      }
      return true;
    }
    const std::size_t pending_index = pending_it->second;
    Pending& pending = pendings[pending_index];
    if (call.part == CallPart::kUnfinished) {
      if (const auto problem = captures.Substitute(pending.joined)) {
        error(problem->location, pending.joined.text, problem->message);
        pending.done = true;
        pending.result.skip_reason = "reported at the unfinished line";
        record([&] {
          return FormatUnfinished(call.pid, call.name, captures.Resolved(pending.joined.args),
                                  pending.split, pending.joined.arg_names);
        });
        return true;
      }
      if (!strict && kStartingCalls.count(call.name) == 0) {
        // A log's split call: runs at its resumed line, or earlier when a line needs it.
        deferred.insert(pending_index);
        record([&] {
          return FormatUnfinished(call.pid, call.name, captures.Resolved(pending.joined.args),
                                  pending.split, pending.joined.arg_names);
        });
        return true;
      }
      // A written split call starts here: the thread is in it from this line on (a Winsock
      // blocking hook sees it blocked). A process or thread being started makes calls before
      // this line resumes, so it exists from here too.
      pending.result =
          execute(*table, pending.joined, *thread, /*may_wait=*/false, pending.unfinished_index);
      pending.done = !pending.result.blocked && pending.result.bind_error.empty() &&
                     pending.result.skip_reason.empty();
      record([&] {
        return FormatUnfinished(
            call.pid, call.name,
            captures.Resolved(pending.done ? pending.result.args : pending.joined.args),
            pending.split, pending.joined.arg_names);
      });
      if (!pending.result.bind_error.empty() || !pending.result.skip_reason.empty()) {
        check(pending.joined, pending.result, *p, *table);
        pending.done = true;
        pending.result.skip_reason = "reported at the unfinished line";
      } else if (!pending.done && !strict) {
        deferred.insert(pending_index);
      }
      return true;
    }
    // The resumed line: run the call if nothing ran it yet, then check it. A written call
    // that had to wait at its unfinished line waits here (under --host it is still in the
    // kernel); a log's call is first tried without waiting, as any other line.
    if (!pending.done) {
      if (!strict && kLookingCalls.count(call.name) == 0) take_agreeing_looks(pending_index);
      ExecutedCall got = execute(*table, pending.joined, *thread, may_wait || strict,
                                 pending.unfinished_index);
      if (got.blocked && !may_wait) return false;  // no effect: tried again later
      if (!may_wait && (sw.interleaving_unknown() || flushable(pending_index)) &&
          HadNoEffect(pending.joined, got) && !agrees(pending.joined, got, *table)) {
        return false;  // what it saw needs another call's effect first
      }
      pending.result = std::move(got);
      pending.done = true;
      deferred.erase(pending_index);
    }
    if (pending.result.skip_reason != "reported at the unfinished line") {
      check(pending.joined, pending.result, *p, *table);
    }
    const auto& args = pending.result.args.empty() ? pending.joined.args : pending.result.args;
    record([&] {
      return FormatResumed(call.pid, call.name, captures.Resolved(args), pending.split,
                           pending.result.outcome, pending.joined.arg_names);
    });
    return true;
  };
  // A line the simulated world refuses in a way no check caught (an exception from the model)
  // is an error at that line, and the run stops there: the world's state past it is not
  // trusted, and the lines after it are not run.
  bool stopped = false;
  auto step = [&](std::size_t i, bool may_wait) -> bool {
    if (stopped) return true;
    auto stop_at = [&](const std::string& message) {
      const Line& line = scenario.lines[i];
      const SourceLocation at = line.kind == Line::Kind::kCall           ? line.call.location
                                : line.kind == Line::Kind::kProcessEvent ? line.event().location
                                : line.kind == Line::Kind::kDirective
                                    ? line.directive().location
                                    : SourceLocation{scenario.file, 0, 0};
      error(at, line.kind == Line::Kind::kCall ? line.call.text : "", message);
      stopped = true;
      return true;
    };
    try {
      return step_line(i, may_wait);
    } catch (const sim::LimitReached& e) {
      return stop_at(fmt::format("{}; the run stops here", ReachedMessage(e)));
    } catch (const std::exception& e) {
      return stop_at(fmt::format("the simulated world cannot do this ({}); the run stops here", e.what()));
    }
  };

  if (!sw.interleaving_unknown()) {
    for (std::size_t i = prelude; i < scenario.lines.size(); ++i) {
      if (step(i, false)) continue;
      bool ran = false;
      while (!ran && flush()) ran = step(i, false);
      if (!ran) (void)step(i, true);
    }
  } else {
    // `hint after=LOCATION`: the line written at LOCATION runs first; `hint after=N`, the line
    // written on line N of the hinted line's own file (as a recorded scenario says it).
    std::map<std::string, std::size_t> by_location;
    std::map<std::pair<std::string, int>, std::size_t> by_line;
    for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
      if (scenario.lines[i].kind == Line::Kind::kCall) {
        by_location.emplace(scenario.lines[i].call.location.ToString(), i);
      }
      if (scenario.lines[i].kind == Line::Kind::kProcessEvent) {  // a thread's end
        by_location.emplace(scenario.lines[i].event().location.ToString(), i);
      }
      const Line& l = scenario.lines[i];
      if (l.kind == Line::Kind::kCall) by_line.emplace(std::make_pair(l.call.location.file, l.call.location.line), i);
      if (l.kind == Line::Kind::kProcessEvent) {
        by_line.emplace(std::make_pair(l.event().location.file, l.event().location.line), i);
      }
    }
    std::map<std::size_t, std::vector<std::size_t>> after;
    for (const auto& [line, list] : hints) {
      for (const auto& h : list) {
        if (h.kind != "after") continue;
        if (const auto it = by_location.find(h.value); it != by_location.end()) after[line].push_back(it->second);
        if (const auto n = numbers::ParseUint64(h.value); n && *n <= static_cast<std::uint64_t>(INT32_MAX)) {
          const Line& l = scenario.lines[line];
          const std::string& file =
              l.kind == Line::Kind::kCall ? l.call.location.file : l.event().location.file;
          const auto it = by_line.find({file, static_cast<int>(*n)});
          if (it != by_line.end()) after[line].push_back(it->second);
        }
      }
    }
    RunInterleaved(scenario, prelude, sw, step, flush, after, order, between_releases);
  }
  result.rng_draws = sw.world().rng().draws();
  result.trace = std::move(trace);
  result.skip_reason = sw.host_skip_reason();
  if (options.host && result.skip_reason.empty() && result.checked_nothing()) {
    // Under --host, a scenario whose every call was skipped is one the host cannot hold (a
    // second node, a link): skipped whole, for the first call's reason.
    for (const auto& v : result.verdicts) {
      if (v.status == LineVerdict::Status::kSkip) {
        result.skip_reason = v.message;
        break;
      }
    }
  }
  // After everything the result reports was taken, so that the hook cannot change it.
  if (options.at_end) options.at_end(sw);
  return result;
}

// RunInOrder, with a limit reached outside any line (while the world is built or torn down)
// reported as an error of the whole file rather than escaping to the caller. A limit reached
// at a line is reported at that line, inside RunInOrder.
ScenarioResult RunInOrderWithinLimits(const Scenario& scenario, const RunOptions& options, OrderChoices& order) {
  try {
    return RunInOrder(scenario, options, order);
  } catch (const sim::LimitReached& e) {
    ScenarioResult result;
    result.file = scenario.file;
    result.description = scenario.description;
    LineVerdict v;
    v.status = LineVerdict::Status::kError;
    v.location = SourceLocation{scenario.file, 0, 0};
    v.message = ReachedMessage(e);
    result.verdicts.push_back(std::move(v));
    result.errors = 1;
    return result;
  }
}

// The decision during which the first failing line was checked.
std::size_t FirstFailingDecision(const ScenarioResult& r, const OrderChoices& order) {
  std::size_t v = 0;
  while (v < r.verdicts.size() && r.verdicts[v].status != LineVerdict::Status::kFail) ++v;
  std::size_t d = 0;
  while (d + 1 < order.chosen.size() && order.chosen[d + 1].verdicts_before <= v) ++d;
  return d;
}

// How many runs the search for an order may make, and how far before the first failing line
// it looks for the choice to change.
constexpr std::size_t kOrderRuns = 200;
constexpr std::size_t kOrderWindow = 48;

}  // namespace

// Under `interleaving unknown` (a `-ff` log: one file per process, nothing says how their
// lines interleaved) the policy of RunInterleaved takes the first order that the lines allow;
// when some line then disagrees, another order may not. The search goes back from the
// decision during which the first line failed and, nearest first, lets another owner run
// from there on instead, keeping a run that fails fewer lines (or as many, later) and starting
// over from its first failure, until every line agrees, no change helps, or kOrderRuns runs
// are spent. Every run is deterministic, and so is the search: the same log gives the same
// order, the same verdicts and the same trace.
ScenarioResult RunScenario(const Scenario& scenario, const RunOptions& options) {
  OrderChoices order;
  ScenarioResult best = RunInOrderWithinLimits(scenario, options, order);
  if (best.failed == 0 || best.errors != 0 || options.host || order.chosen.empty()) return best;
  std::size_t runs = 0;
  std::size_t best_first = FirstFailingDecision(best, order);
  while (best.failed != 0 && runs < kOrderRuns) {
    bool improved = false;
    for (std::size_t back = 0; back <= kOrderWindow && back <= best_first && !improved; ++back) {
      const std::size_t k = best_first - back;
      const OrderChoices::Decision decision = order.chosen[k];
      std::set<std::int32_t> tried;
      for (const std::int32_t owner : decision.owners) {
        if (owner == decision.owner || !tried.insert(owner).second) continue;
        if (runs == kOrderRuns) break;
        OrderChoices trial;
        trial.favour = order.favour;
        trial.favour.erase(trial.favour.lower_bound(k), trial.favour.end());
        trial.favour[k] = owner;
        ScenarioResult r = RunInOrderWithinLimits(scenario, options, trial);
        ++runs;
        const std::size_t first = r.failed != 0 ? FirstFailingDecision(r, trial) : SIZE_MAX;
        if (r.errors == 0 && (r.failed < best.failed || (r.failed == best.failed && first > best_first))) {
          best = std::move(r);
          order = std::move(trial);
          best_first = first;
          improved = true;
          break;
        }
      }
    }
    if (!improved) break;
  }
  best.orders_tried = runs;
  return best;
}

}  // namespace socksim::tools
