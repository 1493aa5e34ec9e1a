// File: tools/scenario/import_report.cc
// The replay's accounting (import_report.h).
#include "tools/scenario/import_report.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace socksim::tools {
namespace {

using Counts = std::map<std::string, int>;

std::vector<std::pair<std::string, int>> Sorted(const Counts& counts, int* total) {
  std::vector<std::pair<std::string, int>> out(counts.begin(), counts.end());
  *total = 0;
  for (const auto& [name, n] : out) *total += n;
  return out;
}

// A line's identity in the run: where it was written and its text (a line the importer
// synthesized shares the location of the log line it was placed before).
std::string Key(const SourceLocation& at, const std::string& text) { return at.ToString() + "\n" + text; }

// Calls only sockets answer (the same list as an importer's; a run-time skip of one is a
// socket call whatever its descriptor).
const std::set<std::string> kSocketCalls = {
    "socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
    "getpeername", "shutdown", "sendto", "send", "recvfrom", "recv", "sendmsg", "recvmsg",
    "sendmmsg", "recvmmsg", "setsockopt", "getsockopt"};

std::string CountList(const std::vector<std::pair<std::string, int>>& counts) {
  std::string out;
  for (const auto& [name, n] : counts) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", name.empty() ? "(unreadable)" : name, n);
  }
  return out;
}

}  // namespace

ReplayAccount AccountReplay(const ImportResult& imported, const ScenarioResult& run) {
  ReplayAccount account;
  // Lines the run skipped, by location: they were kept but not checked.
  std::map<std::string, const LineVerdict*> run_skips;
  for (const auto& v : run.verdicts) {
    if (v.status == LineVerdict::Status::kSkip) run_skips[Key(v.location, v.line)] = &v;
  }
  Counts checked, adopted, known_unknown, not_replayed;
  for (const Line& line : imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall || line.call.part == CallPart::kResumed) continue;
    const CallLine& c = line.call;
    const auto skip = run_skips.find(Key(c.location, c.text));
    if (skip == run_skips.end()) {
      ++checked[c.name];
      continue;
    }
    const bool inherited = skip->second->message.find("known-unknown") != std::string::npos;
    ++(inherited ? known_unknown : not_replayed)[c.name];
    if (!inherited && kSocketCalls.count(c.name) != 0) {
      account.strict_failures.push_back(
          fmt::format("{}: {} ({})", c.location.ToString(), c.text, skip->second->message));
    }
  }
  for (const SkippedLine& s : imported.skipped) {
    switch (s.fate) {
      case ImportFate::kAdopted: ++adopted[s.call]; break;
      case ImportFate::kKnownUnknown: ++known_unknown[s.call]; break;
      case ImportFate::kNotReplayed:
        ++not_replayed[s.call];
        if (s.on_socket) {
          account.strict_failures.push_back(
              fmt::format("{}: {} ({})", s.location.ToString(), s.text, s.reason));
        }
        break;
    }
  }
  account.orders_tried = run.orders_tried;
  account.checked = Sorted(checked, &account.checked_total);
  account.adopted = Sorted(adopted, &account.adopted_total);
  account.known_unknown = Sorted(known_unknown, &account.known_unknown_total);
  account.not_replayed = Sorted(not_replayed, &account.not_replayed_total);
  return account;
}

std::string FormatReplayAccount(const ReplayAccount& a, const ImportResult& imported,
                                bool verbose) {
  std::string out = fmt::format(
      "replay: {} call(s) checked, {} adopted as recorded, {} known-unknown, {} not replayed "
      "({} on sockets); initial pid {}, {} line(s) synthesized\n",
      a.checked_total, a.adopted_total, a.known_unknown_total, a.not_replayed_total,
      a.strict_failures.size(), imported.initial_pid, imported.synthesized);
  const std::pair<const char*, const std::vector<std::pair<std::string, int>>*> rows[] = {
      {"checked", &a.checked},
      {"adopted", &a.adopted},
      {"known-unknown", &a.known_unknown},
      {"not replayed", &a.not_replayed}};
  for (const auto& [title, counts] : rows) {
    if (!counts->empty()) out += fmt::format("  {:<14} {}\n", title + std::string(":"), CountList(*counts));
  }
  if (a.orders_tried != 0) {
    out += fmt::format(
        "  order:         one file per process, so the order of their lines is unknown: the "
        "first order had a diverging line, and {} other order(s) were tried; the verdicts are "
        "the best one's\n",
        a.orders_tried);
  }
  for (const auto& w : imported.warnings) out += "warning: " + w + "\n";
  if (verbose) {
    for (const auto& s : imported.skipped) {
      out += fmt::format("  {}: {}: {}\n", s.location.ToString(), s.reason, s.text);
    }
  }
  return out;
}

}  // namespace socksim::tools
