// File: tools/cli/terminal.h
// What `socksim run` does differently on a terminal (docs/ci.md): coloured verdict words
// (PASS green, FAIL red, SKIP yellow) when stdout is a terminal and NO_COLOR is unset or
// empty (https://no-color.org), and a progress line on stderr, rewritten in place with \r and
// cleared at the end, when both stdout and stderr are terminals. Anywhere else (a pipe, a file,
// a CI log) the output is plain: no escape sequence, no progress.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

namespace socksim::cli {

/// The terminal's capabilities as the run found them at its start.
class Terminal {
 public:
  /// Looks at the standard descriptors and the environment.
  static Terminal Detect();
  Terminal(bool colour, bool progress, std::size_t width) : colour_(colour), progress_(progress), width_(width) {}

  /// A result as FormatResult printed it, with its leading verdict word coloured.
  std::string Verdict(std::string text) const;

  /// Shows "[done/total] name" on stderr in place of the previous progress line.
  /// Safe to call from several threads.
  void Progress(std::size_t done, std::size_t total, std::string_view name);
  /// Clears the progress line, if one was shown.
  void ClearProgress();

 private:
  bool colour_;
  bool progress_;
  std::size_t width_;
  bool shown_ = false;
  std::mutex mutex_;
};

}  // namespace socksim::cli
