// File: tools/scenario/ast.h
// The parsed form of a scenario or trace: header directives and call lines whose arguments
// are strace-style values. Interpretation of the values (which argument is a sockaddr, which
// a value-result length) belongs to each personality's call table, not to the parser.
#pragma once

#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <boost/smart_ptr/intrusive_ref_counter.hpp>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tools/scenario/boxed.h"

namespace socksim::tools {

/// The name of the file a location is in. Every location of one parsed file shares one copy
/// of the name: a log of a million lines holds tens of millions of locations (every value has
/// one), and a string each was a large part of what a parsed line costs. Copying a FileName
/// copies a pointer; the name never changes once made. The count of holders sits with the
/// name (boost::intrusive_ptr), so that a FileName is one pointer wide, not two as a
/// shared_ptr is.
class FileName {
 public:
  FileName() = default;
  // Implicit, so that a location is still written SourceLocation{"a.scn", 3, 4}; each such
  // conversion makes a new copy of the name, so a parser makes one FileName and copies it.
  FileName(std::string name) : name_(new Shared(std::move(name))) {}
  FileName(const char* name) : FileName(std::string(name)) {}

  /// The name ("" when none was given).
  const std::string& str() const { return name_ ? name_->name : Empty(); }
  operator const std::string&() const { return str(); }
  bool empty() const { return str().empty(); }
  std::size_t size() const { return str().size(); }

  friend bool operator==(const FileName& a, const FileName& b) {
    return a.name_ == b.name_ || a.str() == b.str();
  }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }

 private:
  // Counted atomically, as a shared_ptr counts: nothing stops two threads copying one name.
  struct Shared : boost::intrusive_ref_counter<Shared, boost::thread_safe_counter> {
    explicit Shared(std::string n) : name(std::move(n)) {}
    const std::string name;
  };
  static const std::string& Empty();

  boost::intrusive_ptr<const Shared> name_;
};

/// Prints the name (for test messages).
std::ostream& operator<<(std::ostream& os, const FileName& name);

/// Where something was written: file, 1-based line and column.
struct SourceLocation {
  FileName file;
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
    kSet,          // [INT TERM], [0 3], ~[RTMIN RT_1], ~[] : strace's space-separated signal,
                   // descriptor and bit sets (`items`; `complement` for ~)
    kExpression,   // 8192*1024, WIFEXITED(s) && WEXITSTATUS(s) == 0 : a binary operator
                   // (`text`: "*", "<<", "==", "!=", "&&", "||") over items {lhs, rhs}
    kNote,         // <... resuming interrupted read ...> : strace's remark in place of a value
                   // (`text`: what it says, without "<... " and " ...>")
  };
  struct Field;

  // The flags sit beside `kind`, in the padding before the 8-byte members, so that they
  // cost no room of their own (a parsed log holds many values per line).
  Kind kind = Kind::kInteger;
  bool truncated = false;             // kString/kTagged: strace printed "..." after it (its -s
                                      // limit): `text` is only a prefix of the bytes
  /// kDecorated: strace wrote "(deleted)" after the decoration (the path no longer names the
  /// file: `6</tmp/f>(deleted)`).
  bool deleted = false;
  bool complement = false;            // kSet: written ~[...] (every member but these)
  bool has_out = false;               // kValueResult: written as [in => out]
  SourceLocation location;
  std::int64_t integer = 0;           // kInteger, kPointer, kDecorated
  std::string text;                   // kSymbol (whole text), kString bytes, kTagged bytes,
                                      // kCall / kAddressOf name, kDecorated decoration,
                                      // kCapture name, kExpression operator, kNote remark
  BoxedVector<std::string> flags;     // kSymbol split on '|'
  /// strace -y/-yy decoration: kDecorated (the same text as `text`, "TCP:[...]",
  /// "/etc/hosts") and a symbol written with one (`AT_FDCWD</root>` is kSymbol "AT_FDCWD"
  /// with decoration "/root"); empty when none.
  BoxedString decoration;
  BoxedString tag;                    // kTagged: the tag ("@")
  std::vector<Field> fields;          // kStruct
  std::vector<Value> items;           // kArray; kCall arguments; kValueResult {in, out};
                                      // kSet members; kExpression {lhs, rhs}
  /// Memory annotation written before the value (scenario only): "ro" for `ro:[128]` or
  /// `ro:0x7ffc0000`, "end" for `end:[8]`, "mapped=4" for `mapped=4:buffer(16, 0xaa)`,
  /// "offset=1" for `offset=1:[16]` (the number as written, decimal); empty when none.
  /// tools/scenario/buffers.h says what each one lays out.
  BoxedString annotation;

  // Parser conventions (tools/scenario/parser.h has the details):
  //  - Every integer literal (decimal, hex, octal with a leading 0) is kInteger with its
  //    spelling in `text`; the parser never produces kPointer (the call table decides).
  //  - `...` standing for omitted members/items is kWildcard with text "...".
  //  - kValueResult with text "=>" was written without brackets (clone3's `{...} => {...}`).
  //  - A set with one member (`[INT]`, `[3]`) reads as a kValueResult without out, and an
  //    empty one (`[]`) as an empty kArray, as the parser cannot tell them apart; `~[]` and
  //    `~[INT]` are kSet.

  /// The value in strace notation (canonical spacing), for messages and traces.
  std::string ToString() const;

  /// Structural equality, ignoring `location` (and, for integers, the spelling in `text`).
  bool SameAs(const Value& other) const;
};

/// The number `v` stands for: an integer (also decorated), or an arithmetic kExpression of
/// such (`8192*1024`, `1<<20`); nullopt for anything else or on overflow.
std::optional<std::int64_t> IntegerOf(const Value& v);

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
  bool injected = false;        // strace's (INJECTED) marker (beside `kind`: no room of its own)
  std::int64_t value = 0;
  std::string value_text;       // as written ("3", "-1", "SOCKET_ERROR", "3<TCP:[...]>", "$s")
  BoxedString capture;          // kCapture: the name without '$'; kept (with kind kValue)
                                // when the runner substitutes the capture's value
  BoxedString error_symbol;     // "ENOTCONN", "WSAENOTCONN", "TSYSERR ENOTCONN" (codes one
                                // space apart); empty when none
  BoxedString error_text;       // "(Transport endpoint is not connected)" without parentheses
  /// strace -y decoration of a returned descriptor (`= 3</etc/hosts>` -> "/etc/hosts",
  /// `= 3<TCP:[...]>` -> "TCP:[...]"); the whole spelling stays in value_text.
  BoxedString decoration;
  /// What strace wrote in parentheses after a result that is not a failure (strace mode):
  /// `= 0 (Timeout)` -> "Timeout", `= 1 (in [0], left {tv_sec=0, tv_usec=99})`,
  /// `= 0x2 (flags O_RDWR)`, `= 1 ([{fd=3, revents=POLLIN}])`; without the parentheses.
  BoxedString annotation;
  /// `annotation` read as comma-separated members, each `WORD VALUE` (name "in", "out",
  /// "left", "flags") or a lone value (name empty: `Timeout` is the symbol, poll's array);
  /// empty when it does not read that way.
  std::vector<Value::Field> annotation_values;
  /// strace -T: the time spent in the call (`<0.000012>` -> 12000); nullopt when not
  /// printed or `<unavailable>`.
  std::optional<std::int64_t> duration_ns;
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
  // The small members together, so that they share one 8-byte slot.
  std::int32_t pid = 0;
  CallPart part = CallPart::kWhole;
  /// kResumed: the line began with ` => out` (strace's split clone3: `<... clone3 resumed>
  /// => {parent_tid=[8]}, 88) = 8`): args[0] is the out part of the start line's last
  /// argument, and joining the two makes that argument `in => out`.
  bool resumes_out = false;
  std::string name;
  std::vector<Value> args;  // for kResumed: only the arguments after the resume point
  /// Names of arguments strace wrote as `name=value` (clone's `flags=...`): either empty
  /// (no argument was named) or parallel to `args`, with "" for unnamed arguments.
  std::vector<std::string> arg_names;
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
/// "--- SIGCHLD {...} ---", "--- stopped by SIGSTOP ---", "strace: Process N attached",
/// "strace: Process N detached".
struct ProcessEvent {
  enum class Kind { kExited, kKilled, kSignal, kAttached, kStopped, kDetached };
  Kind kind = Kind::kExited;
  bool core_dumped = false;   // kKilled: "(core dumped)"
  SourceLocation location;
  std::int32_t pid = 0;
  int status = 0;             // kExited: the exit status
  std::string detail;         // kKilled, kSignal, kStopped: the signal ("SIGCHLD")
  /// kSignal: the siginfo strace printed (`{si_signo=SIGCHLD, si_code=CLD_EXITED, ...}`, a
  /// kStruct), or kWildcard when it printed none (as for kStopped); null for the other kinds. Behind a pointer
  /// because every Line holds a ProcessEvent and few are signals; shared by copies of the
  /// line, as it never changes once parsed.
  std::shared_ptr<const Value> info;
  /// kExited, kKilled: `hint after=LOCATION` lines before it (an importer's: the process
  /// ends only after the line at LOCATION, which another process printed, ran).
  std::vector<CallLine::Hint> hints;
};

/// A strace log line the parser could not read (strace mode only; in a scenario such a line
/// is an error): what could be read of it, so that an importer can list it as not replayed.
struct UnreadableLine {
  SourceLocation location;      // where reading failed (line and column)
  std::int32_t pid = 0;         // 0 when the line has no pid prefix (strace without -f)
  std::string name;             // the call's name when one could be read, else empty
  /// kUnfinished when the line ends with `<unfinished ...>`, kResumed when it starts with
  /// `<... NAME resumed>`, so that split calls still pair up.
  CallPart part = CallPart::kWhole;
  std::string message;          // the parse error, as a diagnostic would give it
  std::string text;             // the line as written
};

/// strace -t/-tt/-ttt: when the line was printed.
struct Timestamp {
  std::string text;             // as written: "18:12:57", "04:49:57.108242", "1795371189.5696"
  /// Nanoseconds since midnight (the HH:MM:SS forms) or since the epoch (SECONDS.frac).
  std::int64_t ns = 0;
};

/// One line of a scenario, in file order. Nearly every line of a log is a call, so the call
/// sits inline and the other kinds are boxed: side by side, the four kinds made a line of
/// 896 bytes, and a log holds its lines twice over while it is imported (bench/README.md).
/// The boxed kinds are read through `directive()`, `event()`, `unreadable()` (an empty one
/// when never written) and written through `mutable_...()`, which makes one.
struct Line {
  enum class Kind { kDirective, kCall, kProcessEvent, kUnreadable };
  Kind kind = Kind::kCall;
  CallLine call;
  /// The line's strace timestamp (calls, process events and unreadable lines), if it had one.
  std::optional<Timestamp> timestamp;

  const Directive& directive() const { return directive_.Get(); }
  Directive& mutable_directive() { return directive_.Mutable(); }
  const ProcessEvent& event() const { return event_.Get(); }
  ProcessEvent& mutable_event() { return event_.Mutable(); }
  const UnreadableLine& unreadable() const { return unreadable_.Get(); }
  UnreadableLine& mutable_unreadable() { return unreadable_.Mutable(); }

 private:
  Boxed<Directive> directive_;
  Boxed<ProcessEvent> event_;
  Boxed<UnreadableLine> unreadable_;
};

/// Where a scenario's lines come from, which decides how strictly they are run.
enum class ScenarioOrigin {
  kWritten,  // a scenario or recorded trace: every call and fault point must be known
  kStrace,   // a real strace log (ParseOptions::strace_mode) and what an importer made of it:
             // calls outside the model are skipped with a reason
};

/// A parsed file.
struct Scenario {
  std::string file;
  ScenarioOrigin origin = ScenarioOrigin::kWritten;
  std::vector<Line> lines;
  /// Comment lines that start with "# what:" / "# source:" (shown in reports).
  std::vector<std::string> description;
};

}  // namespace socksim::tools
