// File: tools/scenario/buffers.h
// Caller buffers as scenarios describe them (docs/scenario-format.md, "Caller memory"): the
// memory annotations that say where an argument's bytes lie (`ro:`, `end:`, `mapped=N:`,
// `offset=N:`) and the buffer notation that says what the whole buffer holds before and after a
// call (`buffer(128, 0xaa) => buffer("\x02\x00...", 0xaa)`). Every personality's call table
// lays its pointer arguments out through these functions and prints them back with them, so the
// notation means the same for every system; what a personality adds is only which argument is
// a buffer and how large the call says it is. Memory is a sim::AddressSpace, which the host
// executor mirrors into a real process region by region, so a layout here is also the layout
// the real kernel sees.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/address_space.h"
#include "tools/scenario/ast.h"

namespace socksim::tools::buffers {

/// The largest buffer the notation describes and the most bytes one argument maps.
inline constexpr std::uint64_t kMaxSize = 16 * 1024 * 1024;

/// Where an argument's bytes are placed, from its memory annotation.
struct Layout {
  enum class Kind {
    kPlain,       // no annotation: fresh pages, an unmapped page after them
    kReadOnly,    // ro: mapped read-only once the inputs are written
    kAtEnd,       // end: the last byte is the last mapped byte
    kStraddling,  // mapped=N: the first N bytes mapped, the rest on an unmapped page
    kMisaligned,  // offset=N: starts N bytes past a page boundary
  };
  Kind kind = Kind::kPlain;
  /// kStraddling: the mapped bytes; kMisaligned: the offset into the page.
  std::uint64_t bytes = 0;

  friend bool operator==(const Layout&, const Layout&) = default;
};

/// The layout of Value::annotation ("", "ro", "end", "mapped=N", "offset=N"); nullopt with
/// `error` set for anything else or for an offset of a page or more.
std::optional<Layout> ParseLayout(std::string_view annotation, std::string* error);

/// Maps memory for a buffer of `size` bytes (one byte is mapped for size 0, so that the
/// buffer still has an address) as `layout` says and returns its address. kReadOnly memory is
/// writable until the caller protects it (sim::AddressSpace::Protect with kRead), so that the
/// inputs can be written first. nullopt with `error` set when the layout does not fit the
/// buffer (mapped=N with N > size).
std::optional<sim::UserAddress> Place(sim::AddressSpace& memory, const Layout& layout,
                                      std::uint64_t size, std::string* error);

/// True when `v` is written in buffer notation: `buffer(...)`, or `buffer(...) => EXPECTED`
/// (a Value::Kind::kValueResult with text "=>" whose input is a buffer(...) call).
bool IsBuffer(const Value& v);

/// A buffer argument, read from its notation.
struct Form {
  /// SIZE when written (`buffer(SIZE, FILL)`, `buffer(SIZE, "BYTES", FILL)`); without it
  /// (`buffer("BYTES", FILL)`) the buffer is as large as the call says (Lay's default_size).
  std::optional<std::uint64_t> size;
  /// BYTES: the first bytes of the buffer; the rest is `fill`.
  std::string content;
  std::uint8_t fill = 0;
  /// The `buffer(...)` part as written, with its annotation.
  Value input;
  /// What follows `=>` (`untouched`, a buffer(...) call, `_` or a capture), when written.
  std::optional<Value> expected;
};

/// Reads `v` (IsBuffer must hold); nullopt with `error` and `where` set when it is malformed:
/// SIZE beyond kMaxSize, FILL outside 0..255, BYTES longer than SIZE, a capture without a
/// value, or an expectation other than the four forms.
std::optional<Form> ParseForm(const Value& v, std::string* error, SourceLocation* where);

/// A buffer laid out in caller memory.
struct Placed {
  sim::UserAddress address = 0;
  std::uint64_t size = 0;
  Layout layout;
  /// The `size` bytes written into it before the call (BYTES then FILL).
  std::vector<std::uint8_t> initial;
  Form form;
};

/// Parses `v`, maps it (its layout from the annotation of its buffer(...) part) and fills it.
/// `default_size` is the size for the form without SIZE (the length the call is given),
/// raised to the length of BYTES and capped at kMaxSize. Bytes that fall on unmapped pages
/// are not written. nullopt with `error` and `where` set when `v` is malformed.
std::optional<Placed> Lay(sim::AddressSpace& memory, const Value& v, std::uint64_t default_size,
                          std::string* error, SourceLocation* where);

/// The buffer's `size` bytes after the call. A byte on an unmapped page cannot have changed
/// and is reported as it was set (its `initial` byte).
std::vector<std::uint8_t> ReadBack(const sim::AddressSpace& memory, const Placed& placed);

/// The argument as printed after the call: the buffer(...) part as written but with SIZE
/// always present (`buffer(SIZE, FILL)` or `buffer(SIZE, "BYTES", FILL)`, the annotation
/// kept), then ` => untouched` when `image` equals what was written, otherwise
/// ` => buffer("PREFIX", FILL)` with the shortest PREFIX after which every byte is FILL.
Value Printed(const Placed& placed, std::span<const std::uint8_t> image);

/// Compares the memory an expected `buffer(...) => EXPECTED` (EXPECTED `untouched` or a
/// buffer(...) call) describes with the memory a printed actual value (as Printed writes it)
/// describes, byte by byte over the actual buffer's SIZE: spellings do not matter, so
/// `buffer("ab\xaa", 0xaa)` and `buffer("ab", 0xaa)` are the same memory. On a mismatch
/// `where` says what differs and where.
bool SameMemory(const Value& expected, const Value& actual, std::string* where);

/// The buffers one call laid out from buffer notation, each under the value of the call line
/// it came from, so that a call table can print all of them after the call, wherever in its
/// arguments they were (a whole argument, a msghdr's iov_base). The values must outlive it.
class CallBuffers {
 public:
  /// Lays `v` out (Lay) and remembers it; nullopt with `error` and `where` set as Lay does.
  std::optional<sim::UserAddress> Add(sim::AddressSpace& memory, const Value& v,
                                      std::uint64_t default_size, std::string* error,
                                      SourceLocation* where);
  /// The buffer laid out for `v` (that very value, not an equal one), or nullptr.
  const Placed* Find(const Value& v) const;
  /// How `v` prints after the call (Printed), when a buffer was laid out for it.
  std::optional<Value> PrintedFor(const sim::AddressSpace& memory, const Value& v) const;
  /// Puts every buffer's printed form into `printed`, the call's arguments as printed, which
  /// run parallel to `given`, the arguments as written: a whole argument laid out here is
  /// replaced whatever was printed for it (the notation wins); a buffer inside an argument is
  /// found by walking both together while they have the same shape.
  void PrintInto(const sim::AddressSpace& memory, const std::vector<Value>& given,
                 std::vector<Value>& printed) const;

 private:
  void PrintNested(const sim::AddressSpace& memory, const Value& given, Value& printed) const;

  std::vector<std::pair<const Value*, Placed>> placed_;
};

}  // namespace socksim::tools::buffers
