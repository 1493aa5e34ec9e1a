// File: tools/scenario/writer.cc
// Scenario and trace text, in the notation the parser reads.
#include "tools/scenario/writer.h"

#include <fmt/format.h>

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
    out += " " + o.error_symbol;
    if (!o.error_text.empty()) out += " (" + o.error_text + ")";
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

std::string FormatScenarioText(const Scenario& scenario) {
  std::string out;
  for (const auto& d : scenario.description) out += "# " + d + "\n";
  for (const auto& line : scenario.lines) {
    switch (line.kind) {
      case Line::Kind::kDirective:
        out += line.directive.text + "\n";
        break;
      case Line::Kind::kProcessEvent: {
        const std::string text = FormatProcessEvent(line.event);
        if (!text.empty()) out += text + "\n";
        break;
      }
      case Line::Kind::kUnreadable:
        // A log line nothing could be made of has no place in a runnable scenario; the
        // importer that kept it lists it as not replayed.
        break;
      case Line::Kind::kCall: {
        const CallLine& c = line.call;
        for (const auto& hint : FormatHints(c)) out += hint + "\n";
        switch (c.part) {
          case CallPart::kUnfinished:
            out += FormatUnfinished(c.pid, c.name, c.args, c.args.size(), c.arg_names) + "\n";
            break;
          case CallPart::kResumed: {
            std::string text =
                FormatResumed(c.pid, c.name, c.args, 0, c.outcome.value_or(Outcome{}), c.arg_names);
            if (c.resumes_out) {
              // The out part of the start line's last argument: ` => out` after the resume point.
              const std::size_t at = text.find("resumed>") + 8;
              text.insert(at, " => ");
            }
            out += text + "\n";
            break;
          }
          case CallPart::kWhole:
            out += FormatCallLine(c.pid, c.name, c.args, c.outcome.value_or(Outcome{}),
                                  c.arg_names) +
                   "\n";
            break;
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace socksim::tools
