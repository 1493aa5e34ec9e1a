// File: tools/cli/terminal.cc
// Colour and progress on a terminal, plain output elsewhere (terminal.h).
#include "tools/cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "tools/text/excerpt.h"

namespace socksim::cli {

Terminal Terminal::Detect() {
  const bool out_tty = isatty(STDOUT_FILENO) == 1;
  const bool err_tty = isatty(STDERR_FILENO) == 1;
  // NO_COLOR: "when present and not an empty string", colour is off (no-color.org).
  const char* no_color = std::getenv("NO_COLOR");
  const bool colour = out_tty && (no_color == nullptr || no_color[0] == '\0');
  std::size_t width = 80;
  winsize size{};
  if (err_tty && ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) width = size.ws_col;
  return Terminal(colour, out_tty && err_tty, width);
}

std::string Terminal::Verdict(std::string text) const {
  if (!colour_ || text.size() < 4) return text;
  const std::string_view word(text.data(), 4);
  // SGR codes (ECMA-48): 32 green, 31 red, 33 yellow; 0 resets.
  const char* code = word == "PASS" ? "32" : word == "FAIL" ? "31" : word == "SKIP" ? "33" : nullptr;
  if (code == nullptr) return text;
  return "\x1b[" + std::string(code) + "m" + std::string(word) + "\x1b[0m" + text.substr(4);
}

void Terminal::Progress(std::size_t done, std::size_t total, std::string_view name) {
  if (!progress_) return;
  std::string line = "[" + std::to_string(done) + "/" + std::to_string(total) + "] " +
                     tools::text::Excerpt(name, tools::text::kExcerptBytes);
  // One column short of the width, so that the line never wraps and \r always reaches its start.
  if (width_ > 1 && line.size() > width_ - 1) line.resize(width_ - 1);
  const std::lock_guard<std::mutex> lock(mutex_);
  // \r to the start of the line, then EL (erase to its end) before the new text.
  std::fputs(("\r\x1b[K" + line).c_str(), stderr);
  std::fflush(stderr);
  shown_ = true;
}

void Terminal::ClearProgress() {
  const std::lock_guard<std::mutex> lock(mutex_);
  if (!shown_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace socksim::cli
