// File: tools/scenario/buffers.cc
// Memory annotations and buffer notation: parsing, placement through sim::AddressSpace,
// reading back, printing and comparison of memory images.
#include "tools/scenario/buffers.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "tools/scenario/captures.h"
#include "tools/text/numbers.h"
#include "tools/scenario/values.h"

namespace socksim::tools::buffers {
namespace {

constexpr std::string_view kBufferName = "buffer";
constexpr std::string_view kUntouched = "untouched";

bool IsBufferCall(const Value& v) { return v.kind == Value::Kind::kCall && v.text == kBufferName; }

// The parts of one buffer(...) call; nullopt with `error`/`where` set when malformed.
struct CallParts {
  std::optional<std::uint64_t> size;
  std::string content;
  std::uint8_t fill = 0;
  const Value* fill_value = nullptr;
};

std::optional<CallParts> ReadCall(const Value& call, std::string* error, SourceLocation* where) {
  auto fail = [&](const Value& at, std::string message) -> std::optional<CallParts> {
    *error = std::move(message);
    *where = at.location;
    return std::nullopt;
  };
  if (const Value* capture = FindCapture(call))
    return fail(*capture, UnboundCaptureMessage(*capture));
  const auto& items = call.items;
  if (items.size() != 2 && items.size() != 3) {
    return fail(call, fmt::format("buffer takes (SIZE, FILL), (\"BYTES\", FILL) or (SIZE, "
                                  "\"BYTES\", FILL), found {} arguments",
                                  items.size()));
  }
  CallParts parts;
  const Value& fill = items.back();
  if (fill.kind != Value::Kind::kInteger || fill.integer < 0 || fill.integer > 0xff) {
    return fail(fill, fmt::format("the fill byte must be a number from 0 to 255 (0xff), found '{}'",
                                  fill.ToString()));
  }
  parts.fill = static_cast<std::uint8_t>(fill.integer);
  parts.fill_value = &fill;
  const Value* size = nullptr;
  const Value* bytes = nullptr;
  if (items.size() == 3) {
    size = &items[0];
    bytes = &items[1];
  } else if (items[0].kind == Value::Kind::kString) {
    bytes = &items[0];
  } else {
    size = &items[0];
  }
  if (size != nullptr) {
    if (size->kind != Value::Kind::kInteger || size->integer < 0 ||
        static_cast<std::uint64_t>(size->integer) > kMaxSize) {
      return fail(*size, fmt::format("the buffer size must be a number from 0 to {}, found '{}'",
                                     kMaxSize, size->ToString()));
    }
    parts.size = static_cast<std::uint64_t>(size->integer);
  }
  if (bytes != nullptr) {
    if (bytes->kind != Value::Kind::kString || bytes->truncated) {
      return fail(*bytes,
                  fmt::format("the buffer's first bytes must be a string \"...\", found '{}'",
                              bytes->ToString()));
    }
    parts.content = bytes->text;
    if (parts.size && parts.content.size() > *parts.size) {
      return fail(*bytes, fmt::format("{} bytes do not fit a buffer of {}", parts.content.size(),
                                      *parts.size));
    }
  }
  return parts;
}

// `size` bytes: `content`, then `fill`.
std::vector<std::uint8_t> Image(const std::string& content, std::uint8_t fill, std::uint64_t size) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(size), fill);
  std::copy_n(content.begin(), std::min<std::size_t>(content.size(), out.size()), out.begin());
  return out;
}

// The memory an expectation (or a printed result) describes in a buffer of `size` bytes
// that held `initial`: nullopt with `why` set when it cannot describe such a buffer.
std::optional<std::vector<std::uint8_t>> Described(const Value& v, std::uint64_t size,
                                                   const std::vector<std::uint8_t>& initial,
                                                   std::string* why) {
  if (v.kind == Value::Kind::kSymbol && v.text == kUntouched) return initial;
  if (!IsBufferCall(v)) {
    *why = fmt::format("'{}' does not describe a buffer", v.ToString());
    return std::nullopt;
  }
  std::string error;
  SourceLocation ignored;
  const auto parts = ReadCall(v, &error, &ignored);
  if (!parts) {
    *why = error;
    return std::nullopt;
  }
  if (parts->size && *parts->size != size) {
    *why =
        fmt::format("{} describes {} bytes, the buffer has {}", v.ToString(), *parts->size, size);
    return std::nullopt;
  }
  if (parts->content.size() > size) {
    *why = fmt::format("{} holds {} bytes, the buffer has {}", v.ToString(), parts->content.size(),
                       size);
    return std::nullopt;
  }
  return Image(parts->content, parts->fill, size);
}

std::string ByteText(std::uint8_t b) { return fmt::format("0x{:02x}", b); }

}  // namespace

std::optional<Layout> ParseLayout(std::string_view annotation, std::string* error) {
  Layout layout;
  if (annotation.empty()) return layout;
  if (annotation == "ro") {
    layout.kind = Layout::Kind::kReadOnly;
    return layout;
  }
  if (annotation == "end") {
    layout.kind = Layout::Kind::kAtEnd;
    return layout;
  }
  const std::size_t eq = annotation.find('=');
  const std::string_view name = annotation.substr(0, eq);
  const std::uint64_t n = eq == std::string_view::npos
                              ? 0
                              : numbers::ParseUint64(annotation.substr(eq + 1)).value_or(0);
  const bool counted =
      eq != std::string_view::npos && numbers::ParseUint64(annotation.substr(eq + 1)).has_value();
  if (name == "mapped" && counted) {
    layout.kind = Layout::Kind::kStraddling;
    layout.bytes = n;
    return layout;
  }
  if (name == "offset" && counted) {
    if (n >= sim::AddressSpace::kPageSize) {
      *error = fmt::format("offset={} is not within a page (offsets go up to {})", n,
                           sim::AddressSpace::kPageSize - 1);
      return std::nullopt;
    }
    layout.kind = Layout::Kind::kMisaligned;
    layout.bytes = n;
    return layout;
  }
  *error = fmt::format(
      "unknown memory annotation '{}:' (expected 'ro:', 'end:', 'mapped=N:' or "
      "'offset=N:')",
      annotation);
  return std::nullopt;
}

std::optional<sim::UserAddress> Place(sim::AddressSpace& memory, const Layout& layout,
                                      std::uint64_t size, std::string* error) {
  const std::uint64_t n = std::max<std::uint64_t>(size, 1);
  switch (layout.kind) {
    case Layout::Kind::kPlain:
    case Layout::Kind::kReadOnly:
      return memory.Allocate(n);
    case Layout::Kind::kAtEnd:
      return memory.AllocateAtEnd(n);
    case Layout::Kind::kStraddling:
      if (layout.bytes > size) {
        *error = fmt::format("mapped={} is more than the buffer's {} bytes", layout.bytes, size);
        return std::nullopt;
      }
      return memory.AllocateStraddling(n, layout.bytes);
    case Layout::Kind::kMisaligned:
      return memory.AllocateMisaligned(n, layout.bytes);
  }
  return std::nullopt;
}

bool IsBuffer(const Value& v) {
  if (IsBufferCall(v)) return true;
  return v.kind == Value::Kind::kValueResult && v.text == "=>" && !v.items.empty() &&
         IsBufferCall(v.items[0]);
}

std::optional<Form> ParseForm(const Value& v, std::string* error, SourceLocation* where) {
  const bool with_result = v.kind == Value::Kind::kValueResult;
  const Value& input = with_result ? v.items.at(0) : v;
  const auto parts = ReadCall(input, error, where);
  if (!parts) return std::nullopt;
  Form form;
  form.size = parts->size;
  form.content = parts->content;
  form.fill = parts->fill;
  form.input = input;
  if (with_result && v.items.size() > 1) {
    const Value& expected = v.items[1];
    const bool known = expected.kind == Value::Kind::kWildcard ||
                       expected.kind == Value::Kind::kCapture ||
                       (expected.kind == Value::Kind::kSymbol && expected.text == kUntouched);
    if (!known) {
      if (!IsBufferCall(expected)) {
        *error =
            fmt::format("expected 'untouched' or buffer(\"BYTES\", FILL) after '=>', found '{}'",
                        expected.ToString());
        *where = expected.location;
        return std::nullopt;
      }
      if (!ReadCall(expected, error, where)) return std::nullopt;
    }
    form.expected = expected;
  }
  return form;
}

std::optional<Placed> Lay(sim::AddressSpace& memory, const Value& v, std::uint64_t default_size,
                          std::string* error, SourceLocation* where) {
  auto form = ParseForm(v, error, where);
  if (!form) return std::nullopt;
  const auto layout = ParseLayout(form->input.annotation, error);
  if (!layout) {
    *where = form->input.location;
    return std::nullopt;
  }
  Placed placed;
  placed.size = form->size.value_or(std::min<std::uint64_t>(
      std::max<std::uint64_t>(default_size, form->content.size()), kMaxSize));
  const auto at = Place(memory, *layout, placed.size, error);
  if (!at) {
    *where = form->input.location;
    return std::nullopt;
  }
  placed.address = *at;
  placed.layout = *layout;
  placed.initial = Image(form->content, form->fill, placed.size);
  // Past the mapped part of a straddling buffer nothing can be written: Poke stops there.
  (void)memory.Poke(placed.address, placed.initial);
  placed.form = std::move(*form);
  return placed;
}

std::vector<std::uint8_t> ReadBack(const sim::AddressSpace& memory, const Placed& placed) {
  std::vector<std::uint8_t> image = placed.initial;
  const std::uint64_t mapped =
      memory.AccessiblePrefix(placed.address, placed.size, sim::Protection::kNone);
  if (const auto bytes = memory.Peek(placed.address, mapped)) {
    std::copy(bytes->begin(), bytes->end(), image.begin());
  }
  return image;
}

Value Printed(const Placed& placed, std::span<const std::uint8_t> image) {
  const Form& form = placed.form;
  const Value& fill = form.input.items.back();
  std::vector<Value> args{values::Integer(static_cast<std::int64_t>(placed.size))};
  if (!form.content.empty()) args.push_back(values::String(form.content));
  args.push_back(fill);
  Value input = values::Call(std::string(kBufferName), std::move(args));
  input.annotation = form.input.annotation;
  input.location = form.input.location;
  Value result;
  if (std::equal(image.begin(), image.end(), placed.initial.begin(), placed.initial.end())) {
    result = values::Symbol(std::string(kUntouched));
  } else {
    std::size_t prefix = image.size();
    while (prefix > 0 && image[prefix - 1] == form.fill) --prefix;
    result = values::Call(std::string(kBufferName),
                          {values::String(std::string(
                               image.begin(), image.begin() + static_cast<std::ptrdiff_t>(prefix))),
                           fill});
  }
  Value out;
  out.kind = Value::Kind::kValueResult;
  out.text = "=>";
  out.has_out = true;
  out.location = form.input.location;
  out.items.push_back(std::move(input));
  out.items.push_back(std::move(result));
  return out;
}

bool SameMemory(const Value& expected, const Value& actual, std::string* where) {
  auto differ = [&](std::string detail) {
    *where = fmt::format("expected {}, got {}", expected.ToString(), actual.ToString());
    if (!detail.empty()) *where += " (" + detail + ")";
    return false;
  };
  if (!IsBuffer(actual) || actual.kind != Value::Kind::kValueResult || actual.items.size() < 2) {
    return differ("");
  }
  std::string error;
  SourceLocation ignored;
  const auto written = ReadCall(actual.items[0], &error, &ignored);
  if (!written || !written->size) return differ("the actual buffer has no size");
  const std::uint64_t size = *written->size;
  const std::vector<std::uint8_t> initial = Image(written->content, written->fill, size);
  const auto got = Described(actual.items[1], size, initial, &error);
  if (!got) return differ(error);
  const auto want = Described(expected.items.at(1), size, initial, &error);
  if (!want) return differ(error);
  const auto mismatch = std::mismatch(want->begin(), want->end(), got->begin());
  if (mismatch.first == want->end()) return true;
  const auto at = static_cast<std::size_t>(mismatch.first - want->begin());
  return differ(fmt::format("byte {} is {}, expected {}", at, ByteText(*mismatch.second),
                            ByteText(*mismatch.first)));
}

std::optional<sim::UserAddress> CallBuffers::Add(sim::AddressSpace& memory, const Value& v,
                                                 std::uint64_t default_size, std::string* error,
                                                 SourceLocation* where) {
  auto placed = Lay(memory, v, default_size, error, where);
  if (!placed) return std::nullopt;
  const sim::UserAddress at = placed->address;
  placed_.emplace_back(&v, std::move(*placed));
  return at;
}

const Placed* CallBuffers::Find(const Value& v) const {
  for (const auto& [given, placed] : placed_) {
    if (given == &v) return &placed;
  }
  return nullptr;
}

std::optional<Value> CallBuffers::PrintedFor(const sim::AddressSpace& memory,
                                             const Value& v) const {
  const Placed* placed = Find(v);
  if (placed == nullptr) return std::nullopt;
  return Printed(*placed, ReadBack(memory, *placed));
}

void CallBuffers::PrintInto(const sim::AddressSpace& memory, const std::vector<Value>& given,
                            std::vector<Value>& printed) const {
  for (std::size_t i = 0; i < given.size() && i < printed.size(); ++i) {
    if (auto buffer = PrintedFor(memory, given[i])) {
      buffer->location = printed[i].location;
      printed[i] = std::move(*buffer);
    } else {
      PrintNested(memory, given[i], printed[i]);
    }
  }
}

void CallBuffers::PrintNested(const sim::AddressSpace& memory, const Value& given,
                              Value& printed) const {
  if (auto buffer = PrintedFor(memory, given)) {
    buffer->location = printed.location;
    printed = std::move(*buffer);
    return;
  }
  if (given.kind != printed.kind || given.fields.size() != printed.fields.size() ||
      given.items.size() != printed.items.size()) {
    return;
  }
  for (std::size_t k = 0; k < given.fields.size(); ++k) {
    PrintNested(memory, given.fields[k].value, printed.fields[k].value);
  }
  for (std::size_t k = 0; k < given.items.size(); ++k) {
    PrintNested(memory, given.items[k], printed.items[k]);
  }
}

}  // namespace socksim::tools::buffers
