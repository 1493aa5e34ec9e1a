// File: tools/scenario/parser.h
// Parser of the scenario format (docs/scenario-format.md) and of real `strace -f` logs.
//
// Lines: blank, comment (`#` to the end of the line outside strings; `# what:` and
// `# source:` comment lines go to Scenario::description as "what: ..." / "source: ..."),
// directive (keywords of the doc's two tables), call line, process event.
//
// Decisions (the parser is syntactic; meaning belongs to the personalities' call tables):
//  - Integers: every literal (decimal, `0x` hex, octal with a leading 0 as strace prints
//    modes) is Value::Kind::kInteger with its spelling in `text`. The parser never produces
//    kPointer: whether `0x7ffc783a3fe0` is a pointer depends on the argument position, which
//    only the call table knows. Literals up to 2^64-1 are accepted; values above INT64_MAX
//    are stored as their two's-complement bit pattern (0xffffffffffffffff -> -1). `-X
//    verbose` comments (`0x2 /* AF_INET */`) are skipped; the number is kept.
//  - Flags: `A|B|0x80` is kSymbol with `flags` {A, B, 0x80}; a lone symbol has flags {A}.
//  - `[v]` with exactly one scalar item (integer, symbol, NULL, `_`) is kValueResult with
//    has_out = false (a length cell, `[16]`, `[NULL]`); with any other single item (struct,
//    string, decorated descriptor, array, call) it is a one-element kArray. A consumer that
//    expects an array should accept a kValueResult without out as a one-element array.
//    `[]` is an empty array. `[in => out]` and `[in->out]` are kValueResult with has_out.
//  - clone3's unbracketed `{...} => {...}` argument is kValueResult with text "=>"; so is a
//    structure member written that way (`iov_base=buffer(8, 0) => untouched`).
//  - `...` standing for omitted members, items or arguments is kWildcard with text "...".
//  - `-y` decorations: `3<TCP:[...]>` is kDecorated (integer 3, text and decoration
//    "TCP:[...]"; `deleted` for a following "(deleted)"); `AT_FDCWD</root>` is kSymbol with
//    decoration "/root"; a decorated return value keeps the integer in Outcome::value, the
//    decoration in Outcome::decoration and the whole spelling in Outcome::value_text.
//  - Sets: members separated by spaces (`[INT TERM]`, `[0 3]`) are kSet, `~[...]` with
//    `complement`; a one-member `[INT]` stays a kValueResult without out and `[]` an empty
//    kArray, as above.
//  - Operators in values (`8192*1024`, `1<<20`, `WIFEXITED(s) && WEXITSTATUS(s) == 0`, a spaced
//    ` | `) are kExpression trees, C's precedence (|| && == != | << *), left-associative; an
//    unspaced `A|B` stays a flag set. IntegerOf folds `*` and `<<` over integers.
//  - `<... text ...>` in place of a value (restart_syscall's) is kNote.
//  - Memory annotations `ro:`, `end:`, `mapped=N:` and `offset=N:` (only those; N decimal)
//    set Value::annotation ("ro", "mapped=4"); any other `NAME:` or `NAME=WORD:` before a
//    value is an error, so a misspelt annotation is never read as a named argument.
//  - Captures: `$name` (an identifier after '$') is kCapture with the name in `text`; a
//    result `= $name` is Outcome::Kind::kCapture. Their meaning is the runner's.
//  - Results: `= N`, `= 0x100`, `= 3<...>`, `= SYMBOL` (value 0, value_text the symbol),
//    `= ?`, `= _`, `= $name`; then optional error symbols (identifiers starting with an upper-case
//    letter, kept in error_symbol one space apart: `ENOTCONN`, or a TLI call's
//    `TSYSERR ENOTCONN`), an optional `(text)`, an optional `(INJECTED)`, an optional `<duration>`.
//    A `(text)` without an error symbol (`= 0 (Timeout)`, `= 1 (in [0])`) is accepted only
//    in strace_mode and is kept in Outcome::annotation (and, read as values, in
//    annotation_values), never in error_text.
//  - Timestamps (`18:12:57`, `18:12:57.655630`, `1795371189.569680`) are kept in
//    Line::timestamp and durations (`<0.000012>`) in Outcome::duration_ns; ANSI colour
//    escapes are dropped; columns in diagnostics count bytes (a tab is one column) of the
//    line after ANSI escapes are removed.
//  - Each line has at most one diagnostic (the first problem); parsing continues with the
//    next line. Nothing is thrown; nesting deeper than 200 levels is an error.
//  - In strace_mode no line is an error: one that cannot be read becomes a
//    Line::Kind::kUnreadable line with the diagnostic's position and message and what can be
//    read of its start (pid, call name, unfinished/resumed part, timestamp), and the
//    scenario's origin is ScenarioOrigin::kStrace.
#pragma once

#include <cstdint>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {

/// A parse problem: "file:line:col: message", the offending line and a caret under it.
struct Diagnostic {
  SourceLocation location;
  std::string message;
  std::string excerpt;  // the offending line (empty when there is none, e.g. missing file)

  /// "file:line:col: message\n  <line>\n  <caret>" (the last two only with an excerpt).
  std::string ToString() const;
};

/// The input limits (docs/reliability.md): a file or line past one is refused with a message
/// that names the limit and the option that raises it.
struct InputLimits {
  std::uint64_t max_file_bytes = std::uint64_t{256} << 20;  // --max-input-bytes
  std::uint64_t max_line_bytes = std::uint64_t{1} << 20;    // --max-line-bytes
};

struct ParseOptions {
  /// Accept real strace logs: lines without a pid prefix (pid 0 = the initial process,
  /// which the caller resolves), `(text)` after a successful result, and unreadable lines
  /// (kept as Line::Kind::kUnreadable instead of diagnostics).
  bool strace_mode = false;
  InputLimits limits;
};

struct ParseResult {
  Scenario scenario;
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

/// Parses a whole scenario or trace. Every bad line gives one diagnostic (in strace_mode, one
/// unreadable line instead).
ParseResult ParseScenario(std::string_view text, const std::string& file_name,
                          const ParseOptions& options = {});

/// Reads and parses a file. One that cannot be used gives one file-level diagnostic: missing,
/// not a regular file (a directory, FIFO or device is never read), over `limits.max_file_bytes`,
/// or a read error.
ParseResult ParseScenarioFile(const std::string& path, const ParseOptions& options = {});

/// Parses one value (e.g. "[128 => 16]", "ro:[128]"), or an argument's unbracketed
/// `in => out` ("buffer(8, 0) => untouched"); the whole text must be one value.
/// On failure returns nullopt and, when `error` is given, sets it to "col N: message".
std::optional<Value> ParseValue(std::string_view text, std::string* error);

}  // namespace socksim::tools
