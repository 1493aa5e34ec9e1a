// File: tools/scenario/call_binder.cc
// The shared argument binder (call_binder.h): integer widths, caller memory layouts, cells and
// the printing of outputs, in the notation docs/scenario-format.md describes.
#include "tools/scenario/call_binder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

#include "tools/scenario/captures.h"
#include "tools/scenario/values.h"
#include "tools/text/numbers.h"

namespace socksim::tools {

using sim::UserAddress;

CallBinder::CallBinder(sim::AddressSpace& memory, const CallLine& call, sim::Thread& thread,
                       bool may_wait, SymbolLookup symbols)
    : memory_(memory), call_(call), thread_(thread), may_wait_(may_wait), symbols_(symbols) {
  out_.args.resize(call.args.size());
  printed_.assign(call.args.size(), false);
}

void CallBinder::PrintBuffers() {
  for (std::size_t i = 0; i < out_.args.size(); ++i) {
    if (!printed_[i]) out_.args[i] = call_.args[i];
  }
  buffers_.PrintInto(mem(), call_.args, out_.args);
}

ExecutedCall CallBinder::Execute(const std::function<void()>& body) {
  // Scratch memory goes when the call is over, also when the world throws out of it (a model
  // limit ends the run there).
  struct ReleaseScratch {
    CallBinder& binder;
    ~ReleaseScratch() {
      for (sim::UserAddress base : binder.scratch_) (void)binder.memory_.Unmap(base);
      binder.scratch_.clear();
    }
  } release{*this};
  try {
    body();
    PrintBuffers();
  } catch (const BindFailure& failure) {
    ExecutedCall out;
    out.bind_error = failure.message;
    out.bind_error_location = failure.location;
    return out;
  }
  return std::move(out_);
}

void CallBinder::Need(std::size_t n) {
  if (call_.args.size() != n) {
    Fail(call_.location,
         fmt::format("{} takes {} arguments, found {}", call_.name, n, call_.args.size()));
  }
}

void CallBinder::Fail(const SourceLocation& where, std::string message) {
  throw BindFailure{std::move(message), where};
}

void CallBinder::Concrete(const Value& v) {
  if (const Value* capture = FindCapture(v)) {
    Fail(capture->location, UnboundCaptureMessage(*capture));
  }
}

const Value& CallBinder::Arg(std::size_t i) {
  if (i >= call_.args.size()) {
    Fail(call_.location, fmt::format("{}: missing argument {}", call_.name, i + 1));
  }
  return call_.args[i];
}

std::int64_t CallBinder::Int(std::size_t i) { return IntOf(Arg(i)); }

std::int64_t CallBinder::IntOf(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kInteger:
    case Value::Kind::kPointer:
    case Value::Kind::kDecorated:
      return v.integer;
    case Value::Kind::kSymbol: {
      std::int64_t total = 0;
      for (const auto& flag : v.flags) {
        if (auto n = symbols_(flag)) {
          total |= *n;
        } else if (auto num = numbers::ParseIntegerLiteral(flag)) {
          total |= *num;
        } else {
          Fail(v.location, fmt::format("unknown constant '{}'", flag));
        }
      }
      return total;
    }
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kCapture:
      Fail(v.location, UnboundCaptureMessage(v));
    default:
      Fail(v.location, fmt::format("expected an integer, found '{}'", v.ToString()));
  }
}

std::int64_t CallBinder::Word(std::size_t i) {
  const std::int64_t v = Int(i);
  if (v < std::numeric_limits<std::int32_t>::min() ||
      v > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
    Fail(Arg(i).location,
         fmt::format("{} does not fit the 32-bit argument {} of {}", v, i + 1, call_.name));
  }
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
}

std::uint16_t CallBinder::Half(std::size_t i) {
  const std::int64_t v = Int(i);
  if (v < std::numeric_limits<std::int16_t>::min() ||
      v > static_cast<std::int64_t>(std::numeric_limits<std::uint16_t>::max())) {
    Fail(Arg(i).location,
         fmt::format("{} does not fit the 16-bit argument {} of {}", v, i + 1, call_.name));
  }
  return static_cast<std::uint16_t>(v);
}

void CallBinder::NoteHandle(std::int64_t handle) { out_.handles.push_back(handle); }

UserAddress CallBinder::Buffer(const Value& v, std::uint64_t size) {
  if (buffers::IsBuffer(v)) return Place(v, size);
  if (v.kind == Value::Kind::kNull) return 0;
  if (v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kPointer) {
    const auto addr = static_cast<std::uint64_t>(v.integer);
    if (addr < kStackLow || addr >= kStackHigh) return addr;  // a literal, faults as it would
  }
  return Fresh(v, size);
}

UserAddress CallBinder::Fresh(const Value& v, std::uint64_t size) {
  if (size > kLargestBuffer) size = kLargestBuffer;
  std::string error;
  const auto layout = buffers::ParseLayout(v.annotation, &error);
  if (!layout) Fail(v.location, error);
  const auto at = buffers::Place(mem(), *layout, size, &error);
  if (!at) Fail(v.location, error);
  if (layout->kind == buffers::Layout::Kind::kReadOnly) read_only_.push_back(*at);
  // A plain buffer starts its mapping (buffers::Place maps it with Allocate), so it can be
  // unmapped by its address; an annotated one keeps the layout the line asked for.
  if (layout->kind == buffers::Layout::Kind::kPlain) (void)Scratch(*at);
  return *at;
}

UserAddress CallBinder::Scratch(UserAddress base) {
  if (call_scoped_) scratch_.push_back(base);
  return base;
}

UserAddress CallBinder::Place(const Value& v, std::uint64_t size) {
  std::string error;
  SourceLocation where;
  const auto at = buffers_.Add(mem(), v, size, &error, &where);
  if (!at) Fail(where, error);
  if (buffers_.Find(v)->layout.kind == buffers::Layout::Kind::kReadOnly) {
    read_only_.push_back(*at);
  }
  return *at;
}

UserAddress CallBinder::Bytes(const Value& v, std::span<const std::uint8_t> bytes) {
  const UserAddress at = Fresh(v, bytes.size());
  (void)mem().Poke(at, bytes);
  return at;
}

void CallBinder::Seal() {
  for (UserAddress at : read_only_) (void)mem().Protect(at, sim::Protection::kRead);
}

std::pair<UserAddress, std::uint32_t> CallBinder::LengthCell(std::size_t i) {
  const Value& v = Arg(i);
  if (buffers::IsBuffer(v)) {
    // The cell's bytes as the notation gives them; the system reads what is mapped of them.
    const UserAddress at = Place(v, 4);
    return {at, mem().ReadU32(at).value_or(0)};
  }
  if (v.kind == Value::Kind::kValueResult) {
    const Value& in = v.items.at(0);
    std::uint32_t value = 0;
    if (in.kind == Value::Kind::kInteger) {
      value = static_cast<std::uint32_t>(in.integer);
    } else if (in.kind == Value::Kind::kCapture) {
      Fail(in.location, UnboundCaptureMessage(in));
    } else if (in.kind != Value::Kind::kWildcard) {
      Fail(in.location, fmt::format("expected a length, found '{}'", in.ToString()));
    } else {
      value = kAnyLength;
    }
    return {Cell(v, value), value};
  }
  if (v.kind == Value::Kind::kWildcard) return {Cell(v, kAnyLength), kAnyLength};
  return {Buffer(v, 4), 0};
}

UserAddress CallBinder::Cell(const Value& v, std::uint32_t value) { return WideCell(v, value, 4); }

UserAddress CallBinder::WideCell(const Value& v, std::uint64_t value, int width) {
  const UserAddress at = Fresh(v, static_cast<std::uint64_t>(width));
  std::uint8_t bytes[8];
  for (int k = 0; k < width; ++k) bytes[k] = static_cast<std::uint8_t>(value >> (8 * k));
  (void)mem().Poke(at, std::span<const std::uint8_t>(bytes, static_cast<std::size_t>(width)));
  return at;
}

UserAddress CallBinder::InSockaddr(std::size_t i, std::uint64_t len, std::uint64_t largest,
                                   const SockaddrEncoder& encode) {
  const Value& v = Arg(i);
  const std::uint64_t room = std::min<std::uint64_t>(len, largest);
  if (buffers::IsBuffer(v)) return Place(v, room);
  Concrete(v);
  if (v.kind != Value::Kind::kStruct) return Buffer(v, room);
  std::string error;
  auto bytes = encode(v, &error);
  if (!bytes) Fail(v.location, error);
  if (bytes->size() < room) bytes->resize(room, 0);
  return Bytes(v, *bytes);
}

UserAddress CallBinder::InBytes(std::size_t i, std::uint64_t len) {
  const Value& v = Arg(i);
  if (buffers::IsBuffer(v)) return Place(v, len);
  Concrete(v);
  if (v.kind != Value::Kind::kString) return Buffer(v, len);
  std::vector<std::uint8_t> bytes(v.text.begin(), v.text.end());
  const std::uint64_t room = std::min<std::uint64_t>(len, kLargestBuffer);
  if (bytes.size() < room) bytes.resize(room, 0);
  return Bytes(v, bytes);
}

CallBinder::NameCell CallBinder::BindNameCell(std::size_t name, std::size_t len,
                                              std::uint64_t storage) {
  NameCell out;
  if (Arg(len).kind != Value::Kind::kNull) std::tie(out.len_cell, out.in) = LengthCell(len);
  if (Arg(name).kind != Value::Kind::kNull) {
    out.name = Buffer(Arg(name), out.in == 0 || out.in > storage ? storage : out.in);
  }
  return out;
}

void CallBinder::PrintNameCell(std::size_t name, std::size_t len, const NameCell& cell,
                               const SockaddrPrinter& print) {
  if (cell.len_cell == 0) return;
  PrintSockaddr(name, cell.name, cell.len_cell, cell.in, print);
  PrintLength(len, cell.len_cell, cell.in);
}

void CallBinder::PrintLength(std::size_t i, UserAddress cell, std::uint32_t in) {
  const Value& expected = Arg(i);
  if (buffers::IsBuffer(expected)) return;  // printed by PrintBuffers
  if (expected.kind != Value::Kind::kValueResult && expected.kind != Value::Kind::kWildcard) {
    return;
  }
  const auto now = mem().Peek(cell, 4);
  std::uint32_t out = in;
  if (now) {
    out = (*now)[0] | ((*now)[1] << 8) | ((*now)[2] << 16) | (std::uint32_t{(*now)[3]} << 24);
  }
  const bool show_out =
      Succeeded() ? out != in : (expected.kind == Value::Kind::kValueResult && expected.has_out);
  // The input as the line wrote it when it is a number of the cell's 32 bits (0xdeadbeef
  // stays 0xdeadbeef, not -559038737, so that it compares with the line); else the number.
  Value in_value = values::Integer(static_cast<std::int32_t>(in));
  if (expected.kind == Value::Kind::kValueResult) {
    const Value& written = expected.items.at(0);
    if (written.kind == Value::Kind::kInteger &&
        static_cast<std::uint32_t>(written.integer) == in &&
        written.integer >= std::numeric_limits<std::int32_t>::min() &&
        written.integer <= static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
      in_value = written;
      in_value.location = {};
    }
  }
  std::optional<Value> out_value;
  if (show_out) {
    out_value = out == in ? in_value : values::Integer(static_cast<std::int32_t>(out));
  }
  Value printed = values::ValueResult(std::move(in_value), std::move(out_value));
  printed.annotation = expected.annotation;
  SetArg(i, std::move(printed));
}

void CallBinder::PrintSockaddr(std::size_t i, UserAddress at, UserAddress len_cell,
                               std::uint32_t in, const SockaddrPrinter& print) {
  if (!Succeeded() || at == 0 || buffers::IsBuffer(Arg(i))) return;
  const auto len = mem().ReadU32(len_cell);
  if (!len) return;
  const std::uint32_t n = std::min(in, *len);
  if (n == 0) return;  // nothing was written; strace prints the pointer
  const auto bytes = mem().Peek(at, n);
  if (bytes) SetArg(i, print(*bytes));
}

void CallBinder::PrintBytes(std::size_t i, UserAddress at, std::int64_t n) {
  if (!Succeeded() || at == 0 || n < 0 || buffers::IsBuffer(Arg(i))) return;
  const auto bytes = mem().Peek(at, static_cast<std::uint64_t>(n));
  if (bytes) SetArg(i, values::String(std::string(bytes->begin(), bytes->end())));
}

void CallBinder::SetArg(std::size_t i, Value v) {
  if (i < out_.args.size()) {
    v.location = call_.args[i].location;
    out_.args[i] = std::move(v);
    printed_[i] = true;
  }
}

std::string CallBinder::ArgName(std::size_t i) const {
  return i < call_.arg_names.size() ? call_.arg_names[i] : std::string();
}

std::optional<std::size_t> CallBinder::NamedArg(std::string_view name) const {
  for (std::size_t i = 0; i < call_.arg_names.size(); ++i) {
    if (call_.arg_names[i] == name) return i;
  }
  return std::nullopt;
}

std::optional<std::int64_t> CallBinder::ExpectedReturn() const {
  if (call_.outcome && call_.outcome->kind == Outcome::Kind::kValue) return call_.outcome->value;
  return std::nullopt;
}

void CallBinder::SetResult(const stack::CallResult& r) {
  out_.result = r;
  out_.blocked = r.blocked();
}

}  // namespace socksim::tools
