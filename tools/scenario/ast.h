// File: tools/scenario/ast.h
// The parsed form of a scenario or trace: header directives and call lines whose arguments
// are strace-style values. Interpretation of the values (which argument is a sockaddr, which
// a value-result length) belongs to each personality's call table, not to the parser.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socksim::tools {

/// Where something was written: file, 1-based line and column.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file:line:col"
  std::string ToString() const;
};

/// A strace-style value.
struct Value {
  enum class Kind {
    kInteger,      // 42, -1, 0x1f (text keeps the spelling)
    kSymbol,       // AF_INET, SOCK_STREAM|SOCK_CLOEXEC (flags split on '|'), or an identifier
    kString,       // "abc" (bytes after unescaping); `truncated` for a trailing ...
    kTagged,       // a string with a tag before it: strace's @"name" (tag "@")
    kNull,         // NULL
    kPointer,      // 0x7ffc... in a pointer position (integer literal kept in `integer`)
    kStruct,       // {key=value, ...}; fields in order, key empty for positional members
    kArray,        // [v, v, ...]
    kValueResult,  // [in => out] or [in->out] (or [v] as in == out, see `has_out`)
    kCall,         // htons(80), inet_addr("1.2.3.4"), inet_pton(AF_INET6, "::1", &sin6_addr)
    kAddressOf,    // &name
    kWildcard,     // _ : any value is accepted
    kDecorated,    // 3<TCP:[...]> : integer with strace -y decoration (decoration text kept)
    kCapture,      // $port : a value captured on one line and used on later ones (text: the
                   // name without '$'); scenario only, never in a recorded trace
  };
  struct Field;

  Kind kind = Kind::kInteger;
  SourceLocation location;
  std::int64_t integer = 0;           // kInteger, kPointer, kDecorated
  std::string text;                   // kSymbol (whole text), kString bytes, kTagged bytes,
                                      // kCall / kAddressOf name, kDecorated decoration,
                                      // kCapture name
  std::vector<std::string> flags;     // kSymbol split on '|'
  bool truncated = false;             // kString ended with "..."
  std::string tag;                    // kTagged: the tag ("@")
  std::vector<Field> fields;          // kStruct
  std::vector<Value> items;           // kArray; kCall arguments; kValueResult {in, out}
  bool has_out = false;               // kValueResult: written as [in => out]
  /// Memory annotation written before the value (scenario only): "ro" for `ro:[128]` or
  /// `ro:0x7ffc0000`, "end" for `end:[8]`, "mapped=4" for `mapped=4:buffer(16, 0xaa)`,
  /// "offset=1" for `offset=1:[16]` (the number as written, decimal); empty when none.
  /// tools/scenario/buffers.h says what each one lays out.
  std::string annotation;

  // Parser conventions (tools/scenario/parser.h has the details):
  //  - Every integer literal (decimal, hex, octal with a leading 0) is kInteger with its
  //    spelling in `text`; the parser never produces kPointer (the call table decides).
  //  - `...` standing for omitted members/items is kWildcard with text "...".
  //  - kValueResult with text "=>" was written without brackets (clone3's `{...} => {...}`).

  /// The value in strace notation (canonical spacing), for messages and traces.
  std::string ToString() const;

  /// Structural equality, ignoring `location` (and, for integers, the spelling in `text`).
  bool SameAs(const Value& other) const;
};

/// Bytes quoted and escaped as strace prints them: "a\tb\0\1" (without a trailing "...").
std::string QuoteStraceString(std::string_view bytes);

struct Value::Field {
  std::string name;  // empty for a positional member
  Value value;
};

/// The expected (or recorded) outcome of a call: "= 0", "= -1 ENOTCONN (text)", "= ?",
/// "= $fd".
struct Outcome {
  enum class Kind { kValue, kWildcard, kUnknown, kCapture };  // = N | = _ | = ? | = $name
  Kind kind = Kind::kValue;
  std::int64_t value = 0;
  std::string value_text;       // as written ("3", "-1", "SOCKET_ERROR", "3<TCP:[...]>", "$s")
  std::string capture;          // kCapture: the name without '$'; kept (with kind kValue)
                                // when the runner substitutes the capture's value
  std::string error_symbol;     // "ENOTCONN", "WSAENOTCONN", "TSYSERR ENOTCONN" (codes one
                                // space apart); empty when none
  std::string error_text;       // "(Transport endpoint is not connected)" without parentheses
  bool injected = false;        // strace's (INJECTED) marker
  SourceLocation location;
};

/// Which part of a split (blocking) call a line is.
enum class CallPart {
  kWhole,       // name(args) = result
  kUnfinished,  // name(args <unfinished ...>
  kResumed,     // <... name resumed>args) = result
};

/// One call line.
struct CallLine {
  SourceLocation location;
  std::int32_t pid = 0;
  std::string name;
  std::vector<Value> args;  // for kResumed: only the arguments after the resume point
  /// Names of arguments strace wrote as `name=value` (clone's `flags=...`): either empty
  /// (no argument was named) or parallel to `args`, with "" for unnamed arguments.
  std::vector<std::string> arg_names;
  CallPart part = CallPart::kWhole;
  std::optional<Outcome> outcome;  // absent for kUnfinished
  std::string text;                // the original line, for messages
  /// Choices the real system made during this call, adopted instead of drawn (set by an
  /// importer, or by preceding `hint KIND=VALUE` lines): kinds are the stack's choices,
  /// "port" (the next automatic port) and "autobind" (the next automatic UNIX name).
  struct Hint {
    std::string kind;
    std::string value;
    friend bool operator==(const Hint&, const Hint&) = default;
  };
  std::vector<Hint> hints;

  /// The hint of `kind`, or nullptr.
  const Hint* FindHint(std::string_view kind) const {
    for (const auto& h : hints) {
      if (h.kind == kind) return &h;
    }
    return nullptr;
  }
};

/// A header or control line: `keyword word word key=value ...`.
struct Directive {
  SourceLocation location;
  std::string keyword;                 // host, router, link, process, graph, advance, fault, ...
  std::vector<std::string> words;      // positional words
  struct Option {
    std::string key;
    std::string value;
    SourceLocation location;
  };
  std::vector<Option> options;         // key=value pairs in order
  std::string text;

  /// The option's value, or nullptr.
  const Option* Find(const std::string& key) const;
};

/// A process event from strace: "+++ exited with N +++", "+++ killed by SIG +++",
/// "--- SIGCHLD {...} ---", "strace: Process N attached".
struct ProcessEvent {
  enum class Kind { kExited, kKilled, kSignal, kAttached };
  Kind kind = Kind::kExited;
  SourceLocation location;
  std::int32_t pid = 0;
  int status = 0;
  std::string detail;
};

/// One line of a scenario, in file order.
struct Line {
  enum class Kind { kDirective, kCall, kProcessEvent };
  Kind kind = Kind::kCall;
  Directive directive;
  CallLine call;
  ProcessEvent event;
};

/// A parsed file.
struct Scenario {
  std::string file;
  std::vector<Line> lines;
  /// Comment lines that start with "# what:" / "# source:" (shown in reports).
  std::vector<std::string> description;
};

}  // namespace socksim::tools
