// File: tools/scenario/writer.cc
// Scenario and trace text, in the notation the parser reads.
#include "tools/scenario/writer.h"

#include <fmt/format.h>

#include <map>

namespace socksim::tools {

std::string FormatOutcome(const Outcome& o) {
  switch (o.kind) {
    case Outcome::Kind::kWildcard:
      return "= _";
    case Outcome::Kind::kUnknown:
      return "= ?";
    case Outcome::Kind::kValue:
    case Outcome::Kind::kCapture:  // value_text is "$name"
      break;
  }
  std::string out = "= " + (o.value_text.empty() ? std::to_string(o.value) : o.value_text);
  if (!o.error_symbol.empty()) {
    out += " " + o.error_symbol.str();
    if (!o.error_text.empty()) out += " (" + o.error_text.str() + ")";
  }
  return out;
}

std::string FormatArgs(const std::vector<Value>& args, std::size_t from, std::size_t to,
                       const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = from; i < to && i < args.size(); ++i) {
    if (i > from) out += ", ";
    if (i < names.size() && !names[i].empty()) out += names[i] + "=";
    out += args[i].ToString();
  }
  return out;
}

std::string FormatCallLine(std::int32_t pid, const std::string& name,
                           const std::vector<Value>& args, const Outcome& outcome,
                           const std::vector<std::string>& names) {
  return fmt::format("{} {}({}) {}", pid, name, FormatArgs(args, 0, args.size(), names),
                     FormatOutcome(outcome));
}

std::string FormatUnfinished(std::int32_t pid, const std::string& name,
                             const std::vector<Value>& args, std::size_t split,
                             const std::vector<std::string>& names) {
  return fmt::format("{} {}({}{} <unfinished ...>", pid, name, FormatArgs(args, 0, split, names),
                     split > 0 ? "," : "");
}

std::string FormatResumed(std::int32_t pid, const std::string& name,
                          const std::vector<Value>& args, std::size_t split,
                          const Outcome& outcome, const std::vector<std::string>& names) {
  return fmt::format("{} <... {} resumed>{}) {}", pid, name,
                     FormatArgs(args, split, args.size(), names), FormatOutcome(outcome));
}

std::string FormatProcessEvent(const ProcessEvent& event) {
  switch (event.kind) {
    case ProcessEvent::Kind::kExited:
      return fmt::format("{} +++ exited with {} +++", event.pid, event.status);
    case ProcessEvent::Kind::kKilled:
      return fmt::format("{} +++ killed by {} +++", event.pid, event.detail);
    case ProcessEvent::Kind::kSignal:
    case ProcessEvent::Kind::kAttached:
    case ProcessEvent::Kind::kStopped:
    case ProcessEvent::Kind::kDetached:
      return {};
  }
  return {};
}

std::vector<std::string> FormatHints(const CallLine& call) {
  std::vector<std::string> out;
  for (const auto& h : call.hints) out.push_back(fmt::format("hint {}={}", h.kind, h.value));
  return out;
}

namespace {

// The hints written before a line: a call's, or a process end's.
const std::vector<CallLine::Hint>* HintsOf(const Line& line) {
  if (line.kind == Line::Kind::kCall) return &line.call.hints;
  if (line.kind == Line::Kind::kProcessEvent) return &line.event().hints;
  return nullptr;
}

// The text of one line as written (empty: not written), without its hints.
std::string LineText(const Line& line) {
  switch (line.kind) {
    case Line::Kind::kDirective:
      return line.directive().text;
    case Line::Kind::kProcessEvent:
      return FormatProcessEvent(line.event());
    case Line::Kind::kUnreadable:
      // A log line nothing could be made of has no place in a runnable scenario; the
      // importer that kept it lists it as not replayed.
      return {};
    case Line::Kind::kCall: {
      const CallLine& c = line.call;
      switch (c.part) {
        case CallPart::kUnfinished:
          return FormatUnfinished(c.pid, c.name, c.args, c.args.size(), c.arg_names);
        case CallPart::kResumed: {
          std::string text = FormatResumed(c.pid, c.name, c.args, 0, c.outcome.value_or(Outcome{}), c.arg_names);
          if (c.resumes_out) {
            // The out part of the start line's last argument: ` => out` after the resume point.
            const std::size_t at = text.find("resumed>") + 8;
            text.insert(at, " => ");
          }
          return text;
        }
        case CallPart::kWhole:
          return FormatCallLine(c.pid, c.name, c.args, c.outcome.value_or(Outcome{}), c.arg_names);
      }
      return {};
    }
  }
  return {};
}

std::string LocationOf(const Line& line) {
  if (line.kind == Line::Kind::kCall) return line.call.location.ToString();
  if (line.kind == Line::Kind::kProcessEvent) return line.event().location.ToString();
  return {};
}

}  // namespace

std::string FormatScenarioText(const Scenario& scenario) {
  // First where each line lands: `hint after=LOCATION` names a line by where it was read
  // (another file, for a replayed log), which the written file renumbers; it is written as
  // the line's number in this file.
  std::vector<std::string> texts;
  std::map<std::string, std::size_t> written_at;
  std::size_t n = scenario.description.size();
  for (const auto& line : scenario.lines) {
    texts.push_back(LineText(line));
    if (texts.back().empty()) continue;
    if (const auto* hints = HintsOf(line)) n += hints->size();
    ++n;
    if (const std::string at = LocationOf(line); !at.empty()) written_at.emplace(at, n);
  }
  std::string out;
  for (const auto& d : scenario.description) out += "# " + d + "\n";
  for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
    if (texts[i].empty()) continue;
    if (const auto* hints = HintsOf(scenario.lines[i])) {
      for (const auto& h : *hints) {
        std::string value = h.value;
        if (h.kind == "after") {
          const auto it = written_at.find(value);
          if (it != written_at.end()) value = std::to_string(it->second);
        }
        out += fmt::format("hint {}={}\n", h.kind, value);
      }
    }
    out += texts[i] + "\n";
  }
  return out;
}

std::string WithSeedDirective(std::string_view text, std::uint64_t seed) {
  std::string out;
  out.reserve(text.size() + 32);
  bool placed = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(pos, end - pos);
    pos = end;
    const std::size_t first = line.find_first_not_of(" \t");
    const std::string_view body = first == std::string_view::npos ? std::string_view() : line.substr(first);
    const bool comment = body.empty() || body[0] == '#' || body[0] == '\r' || body[0] == '\n';
    const bool seed_line = body.size() > 4 && body.substr(0, 4) == "seed" &&
                           (body[4] == ' ' || body[4] == '\t' || body[4] == '\r' || body[4] == '\n');
    if (!placed && !comment) {
      out += fmt::format("seed {}\n", seed);
      placed = true;
    }
    if (!seed_line) out += line;
  }
  if (!placed) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += fmt::format("seed {}\n", seed);
  }
  return out;
}

}  // namespace socksim::tools
