// File: tools/personality/windows/call_table.cc
// Windows call handlers. Each reads its arguments with the types the x64 SDK headers give the
// function (winsock2.h, mswsock.h, ws2spi.h, fileapi.h, handleapi.h): SOCKET and HANDLE 64
// bits, int/long/DWORD/BOOL/u_long 32 bits, WORD 16 bits; a value that needs more bits is an
// error of the line, never truncated. Pointers are laid out by the generic CallBinder
// (tools/scenario/call_binder.h): sockaddrs through the Windows codec, value-result cells,
// buffer notation and memory annotations as for every personality. Windows structures are laid
// out here with their x64 sizes: WSADATA (408 bytes), fd_set (u_int count, then 64 SOCKETs at
// offset 8: 520 bytes), TIMEVAL (two longs), WSAPOLLFD (SOCKET, SHORT events, SHORT revents:
// 16 bytes), LINGER (two u_shorts), CSADDR_INFO (40 bytes), OVERLAPPED (32 bytes). The
// outcome is spelled as Windows spells the function's return type, and after a failure
// reported through the last error, that error follows as WSAGetLastError would return it.
#include "tools/personality/windows/call_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "stack/core/socket.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/extension_functions.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/winsock.h"
#include "stack/personality/windows/wsa_error_table.h"
#include "tools/personality/windows/sockaddr_values.h"
#include "tools/personality/windows/symbols.h"
#include "tools/scenario/buffers.h"
#include "tools/scenario/call_binder.h"
#include "tools/scenario/captures.h"
#include "tools/scenario/sockaddr_notation.h"
#include "tools/scenario/values.h"
#include "tools/text/numbers.h"

namespace socksim::tools {

namespace wa = stack::windows_abi;
using sim::UserAddress;

namespace {

// The structure layouts (sizes and offsets) are the personality's: abi_constants.h.
constexpr std::uint64_t kSockaddrStorageSize = wa::kSockaddrStorageSize;
constexpr std::size_t kFdSetCapacity = static_cast<std::size_t>(wa::kFdSetsize);

// How a function's return value reads, and whether its failure leaves the code in the
// thread's last error (printed after the result) or elsewhere.
enum class Returns {
  kInt,        // int: 0 or a count, SOCKET_ERROR on failure; the last error follows
  kSocket,     // SOCKET: in hex, INVALID_SOCKET on failure; the last error follows
  kBool,       // BOOL: TRUE / FALSE; the last error follows a failure
  kHandle,     // HANDLE: in hex, INVALID_HANDLE_VALUE on failure; the last error follows
  kCode,       // int holding an error code (WSAStartup): the code is the result
  kLastError,  // WSAGetLastError: the code as its symbol
  kVoid,       // WSASetLastError: `= _`
  kSpi,        // an SPI entry point: 0 / SOCKET_ERROR, the code only through *lpErrno
};

struct CallShape {
  std::string_view name;
  Returns returns;
};

constexpr CallShape kShapes[] = {
    {"AcceptEx", Returns::kBool},
    {"CloseHandle", Returns::kBool},
    {"ConnectEx", Returns::kBool},
    {"CreateFileW", Returns::kHandle},
    {"DisconnectEx", Returns::kBool},
    {"DuplicateHandle", Returns::kBool},
    {"WSACancelBlockingCall", Returns::kInt},
    {"WSACleanup", Returns::kInt},
    {"WSAGetLastError", Returns::kLastError},
    {"WSAGetOverlappedResult", Returns::kBool},
    {"WSAIoctl", Returns::kInt},
    {"WSAIsBlocking", Returns::kBool},
    {"WSAPoll", Returns::kInt},
    {"WSASetLastError", Returns::kVoid},
    {"WSASocketW", Returns::kSocket},
    {"WSAStartup", Returns::kCode},
    {"WSPGetPeerName", Returns::kSpi},
    {"accept", Returns::kSocket},
    {"bind", Returns::kInt},
    {"closesocket", Returns::kInt},
    {"connect", Returns::kInt},
    {"getpeername", Returns::kInt},
    {"getsockname", Returns::kInt},
    {"getsockopt", Returns::kInt},
    {"ioctlsocket", Returns::kInt},
    {"listen", Returns::kInt},
    {"recv", Returns::kInt},
    {"recvfrom", Returns::kInt},
    {"select", Returns::kInt},
    {"send", Returns::kInt},
    {"sendto", Returns::kInt},
    {"setsockopt", Returns::kInt},
    {"shutdown", Returns::kInt},
    {"socket", Returns::kSocket},
};

std::optional<Returns> ReturnsOf(std::string_view name) {
  for (const CallShape& s : kShapes) {
    if (s.name == name) return s.returns;
  }
  return std::nullopt;
}

// "0x100" for a handle value; 0 stays "0".
Value HexValue(std::uint64_t v) {
  Value out = values::Integer(static_cast<std::int64_t>(v));
  if (v != 0) out.text = fmt::format("{:#x}", v);
  return out;
}

// An error code as WSAGetLastError's caller would name it: its symbol, or the number (in hex
// when it is no small positive number, as a value such as WSASetLastError(0xdeadbeef) left).
Value ErrorValue(std::uint64_t code) {
  const auto c = static_cast<std::int32_t>(static_cast<std::uint32_t>(code));
  if (c == 0) return values::Integer(0);
  const std::string name = windows_symbols::Error(c);
  if (!name.empty()) return values::Symbol(name);
  Value number = values::Integer(c);
  if (c < 0 || c > 0xffff) number.text = fmt::format("{:#x}", static_cast<std::uint32_t>(c));
  return number;
}

// A constant's name as printed, or the number when the printer found none (it gave digits).
Value Named(std::string name, std::int64_t value) {
  if (name == std::to_string(value)) return values::Integer(value);
  return values::Symbol(std::move(name));
}

// A 32-bit cell's content as a (signed) int.
Value IntValue(std::uint64_t v) {
  return values::Integer(static_cast<std::int32_t>(static_cast<std::uint32_t>(v)));
}

// A list as the parser reads it back: one scalar in brackets is a value-result without an
// output ([0x100]); anything else is a list.
Value ListValue(std::vector<Value> items) {
  if (items.size() == 1 &&
      (items[0].kind == Value::Kind::kInteger || items[0].kind == Value::Kind::kSymbol)) {
    return values::ValueResult(std::move(items[0]), std::nullopt);
  }
  return values::Array(std::move(items));
}

// The members of a written list: [a, b], [a] (a value-result with no output) or [].
std::optional<std::vector<const Value*>> ListItems(const Value& v) {
  std::vector<const Value*> out;
  if (v.kind == Value::Kind::kArray) {
    for (const auto& item : v.items) out.push_back(&item);
    return out;
  }
  if (v.kind == Value::Kind::kValueResult && !v.has_out && v.items.size() == 1) {
    out.push_back(&v.items[0]);
    return out;
  }
  return std::nullopt;
}

// The low `width` bytes of `v`.
std::uint64_t Truncated(std::uint64_t v, int width) {
  return width >= 8 ? v : v & ((std::uint64_t{1} << (8 * width)) - 1);
}

// Every symbol (or flag set) of the personality inside `v` as its number, keeping its
// spelling for messages: a value compares as the number it means, so that SOCK_STREAM and 1,
// WSAECONNREFUSED and 10061, or two orders of the same revents flags are the same.
void CanonicalizeSymbols(Value& v) {
  if (v.kind == Value::Kind::kSymbol) {
    std::int64_t total = 0;
    for (const auto& flag : v.flags) {
      const auto n = windows_symbols::Lookup(flag);
      const auto literal = n ? std::nullopt : numbers::ParseIntegerLiteral(flag);
      if (!n && !literal) return;  // not one of ours (a GUID's name): compared as text
      total |= n ? *n : *literal;
    }
    const SourceLocation at = v.location;
    std::string text = v.text;
    v = values::Integer(total);
    v.text = std::move(text);
    v.location = at;
    return;
  }
  for (auto& f : v.fields) CanonicalizeSymbols(f.value);
  for (auto& item : v.items) CanonicalizeSymbols(item);
}

// A one-member list in the form ListValue prints, wherever it is inside `v`.
void CanonicalizeLists(Value& v) {
  if (v.kind == Value::Kind::kArray && v.items.size() == 1 &&
      (v.items[0].kind == Value::Kind::kInteger || v.items[0].kind == Value::Kind::kSymbol)) {
    Value item = std::move(v.items[0]);
    const SourceLocation at = v.location;
    const std::string annotation = v.annotation;
    v = values::ValueResult(std::move(item), std::nullopt);
    v.location = at;
    v.annotation = annotation;
  }
  for (auto& f : v.fields) CanonicalizeLists(f.value);
  for (auto& item : v.items) CanonicalizeLists(item);
}

// A NUL-terminated string of at most `size` bytes in caller memory.
std::string CString(const sim::AddressSpace& mem, UserAddress at, std::uint64_t size) {
  const auto bytes = mem.Peek(at, size);
  if (!bytes) return {};
  const auto end = std::find(bytes->begin(), bytes->end(), std::uint8_t{0});
  return std::string(bytes->begin(), end);
}

std::uint64_t LittleEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < bytes.size() && k < 8; ++k) v |= std::uint64_t{bytes[k]} << (8 * k);
  return v;
}

}  // namespace

/// Binds one call's arguments (the generic CallBinder with Windows' constants) and runs it
/// through the facade.
class WindowsCallTable::Binder : public CallBinder {
 public:
  Binder(WindowsCallTable& table, wa::Winsock& winsock, const CallLine& call, sim::Thread& thread,
         bool may_wait)
      : CallBinder(thread.process().memory(), call, thread, may_wait, &windows_symbols::Lookup),
        table_(table),
        winsock_(winsock) {}

  wa::Winsock& ws() { return winsock_; }

  /// Records the facade's result, spelled as the function's return type reads.
  void Finish(const stack::CallResult& r) {
    SetResult(r);
    const Returns returns = ReturnsOf(call().name).value_or(Returns::kInt);
    Outcome o;
    o.location = call().outcome ? call().outcome->location : call().location;
    o.value = r.value;
    const auto u = static_cast<std::uint64_t>(r.value);
    switch (returns) {
      case Returns::kInt:
      case Returns::kSpi:
        o.value_text = r.value == -1 ? "SOCKET_ERROR" : std::to_string(r.value);
        break;
      case Returns::kSocket:
        o.value_text = r.value == -1 ? "INVALID_SOCKET" : HexValue(u).ToString();
        break;
      case Returns::kHandle:
        o.value_text = r.value == -1 ? "INVALID_HANDLE_VALUE" : HexValue(u).ToString();
        break;
      case Returns::kBool:
        o.value_text = r.value == 0 ? "FALSE" : r.value == 1 ? "TRUE" : std::to_string(r.value);
        break;
      case Returns::kCode:
      case Returns::kLastError:
        o.value_text = ErrorValue(u).ToString();
        break;
      case Returns::kVoid:
        o.kind = Outcome::Kind::kWildcard;
        o.value_text = "_";
        break;
    }
    const bool reports_last_error = returns == Returns::kInt || returns == Returns::kSocket ||
                                    returns == Returns::kBool || returns == Returns::kHandle;
    if (reports_last_error && r.failed()) {
      const int last = ws().LastError(thread());
      const auto info = wa::WsaErrorByValue(last);
      if (last != 0) o.error_symbol = ErrorValue(static_cast<std::uint32_t>(last)).ToString();
      // Microsoft's short text, when the line wrote one to compare with; else none, so that
      // a recording stays as terse as the line.
      if (info && call().outcome && !call().outcome->error_text.empty()) {
        o.error_text = std::string(info->message);
      }
    }
    out().outcome = o;
  }

  /// A SOCKET (or HANDLE) argument: 64 bits, remembered for explanations.
  std::uint64_t Socket(std::size_t i) {
    const std::uint64_t s = Size(i);
    NoteHandle(static_cast<std::int64_t>(s));
    return s;
  }
  /// An int (or long, or BOOL) argument.
  std::int32_t Int32(std::size_t i) { return static_cast<std::int32_t>(Word(i)); }

  /// An input sockaddr, through the Windows codec.
  UserAddress InAddress(std::size_t i, std::int32_t len) {
    return InSockaddr(i, static_cast<std::uint64_t>(std::max(len, 0)), kSockaddrStorageSize,
                      &WindowsSockaddrBytes);
  }

  /// An LPOVERLAPPED: NULL, a named one (`&ov1`, kept per process), a literal pointer, or
  /// fresh zeroed memory (`_`, buffer notation).
  UserAddress Overlapped(std::size_t i) {
    const Value& v = Arg(i);
    if (v.kind == Value::Kind::kAddressOf) return table_.NamedOverlapped(process(), v.text);
    Concrete(v);
    return Buffer(v, wa::kOverlappedSize);
  }

  /// A cell of `width` bytes (4 or 8) that the call reads and may write: `[in]`, `[in => out]`
  /// (in a number or a constant; `_` for 0), `_`, buffer notation, NULL or a literal pointer.
  struct ValueCell {
    UserAddress at = 0;
    std::uint64_t in = 0;
  };
  ValueCell Cell(std::size_t i, int width) {
    const Value& v = Arg(i);
    if (buffers::IsBuffer(v)) {
      const UserAddress at = Place(v, static_cast<std::uint64_t>(width));
      const auto bytes = mem().Peek(at, static_cast<std::uint64_t>(width));
      return {at, bytes ? LittleEndian(*bytes) : 0};
    }
    const Value* in = nullptr;
    if (v.kind == Value::Kind::kValueResult && v.text != "=>") in = &v.items.at(0);
    if (v.kind == Value::Kind::kArray && v.items.size() == 1) in = &v.items[0];
    if (in != nullptr || v.kind == Value::Kind::kWildcard) {
      std::uint64_t value = 0;
      if (in != nullptr && in->kind != Value::Kind::kWildcard) {
        const std::int64_t n = IntOf(*in);
        // A value the cell cannot hold is refused, never truncated (as for arguments).
        const int bits = 8 * width;
        if (bits < 64 && (n < -(std::int64_t{1} << (bits - 1)) || n >= (std::int64_t{1} << bits))) {
          Fail(in->location, fmt::format("{} does not fit the {}-bit cell of argument {} of {}", n,
                                         bits, i + 1, call().name));
        }
        value = Truncated(static_cast<std::uint64_t>(n), width);
      }
      return {WideCell(v, value, width), value};
    }
    return {Buffer(v, static_cast<std::uint64_t>(width)), 0};
  }

  /// Prints a cell back as PrintLength prints a length: `[in]` when unchanged, `[in => out]`
  /// when the call changed it (or, after a failure, when the line asked for the output), each
  /// part spelled by `print`.
  void PrintCell(std::size_t i, const ValueCell& cell, int width, Value (*print)(std::uint64_t)) {
    const Value& written = Arg(i);
    if (cell.at == 0 || buffers::IsBuffer(written)) return;
    const bool listed = written.kind == Value::Kind::kArray && written.items.size() == 1;
    const bool result = written.kind == Value::Kind::kValueResult && written.text != "=>";
    if (!listed && !result && written.kind != Value::Kind::kWildcard) return;
    const auto now = mem().Peek(cell.at, static_cast<std::uint64_t>(width));
    const std::uint64_t out = now ? LittleEndian(*now) : cell.in;
    const bool show_out = Succeeded() ? out != cell.in : (result && written.has_out);
    // The input as written when it is a number holding the cell's value (0xdeadbeef stays
    // 0xdeadbeef), else as `print` spells it.
    Value in_value = print(cell.in);
    const Value* in_written = listed ? &written.items[0] : result ? &written.items.at(0) : nullptr;
    if (in_written != nullptr && in_written->kind == Value::Kind::kInteger &&
        Truncated(static_cast<std::uint64_t>(in_written->integer), width) == cell.in) {
      in_value = *in_written;
      in_value.location = {};
    }
    std::optional<Value> out_value;
    if (show_out) out_value = out == cell.in ? in_value : print(out);
    Value printed = values::ValueResult(std::move(in_value), std::move(out_value));
    printed.annotation = written.annotation;
    SetArg(i, std::move(printed));
  }

  /// The call's process must have retrieved `function` through WSAIoctl, as a program can
  /// only reach an extension function through the pointer it gets that way.
  void NeedExtension(wa::ExtensionFunction function, std::string_view guid) {
    if (!ws().ExtensionRetrieved(process(), function)) {
      Fail(call().location,
           fmt::format("{} is an extension function: process {} has not retrieved it "
                       "(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, {}, ...) first)",
                       call().name, process().pid(), guid));
    }
  }

 private:
  WindowsCallTable& table_;
  wa::Winsock& winsock_;
};

namespace {

using Binder = WindowsCallTable::Binder;

// getpeername / getsockname / WSPGetPeerName's address: name out, length cell.
using NameArgs = CallBinder::NameCell;
NameArgs BindName(Binder& b, std::size_t name, std::size_t len) {
  return b.BindNameCell(name, len, kSockaddrStorageSize);
}
void PrintName(Binder& b, const NameArgs& a, std::size_t name, std::size_t len) {
  b.PrintNameCell(name, len, a, &WindowsSockaddrValue);
}

// The WSADATA WSAStartup wrote, in the documented member order.
Value PrintWsadata(Binder& b, UserAddress at) {
  auto& mem = b.mem();
  const auto u16 = [&](std::uint64_t off) {
    const auto bytes = mem.Peek(at + off, 2);
    return bytes ? static_cast<std::uint64_t>(LittleEndian(*bytes)) : 0;
  };
  const auto vendor = mem.ReadU64(at + wa::kWsadataVendorInfo).value_or(0);
  return values::Struct({
      {"wVersion", HexValue(u16(wa::kWsadataVersion))},
      {"wHighVersion", HexValue(u16(wa::kWsadataHighVersion))},
      {"szDescription",
       values::String(CString(mem, at + wa::kWsadataDescription, wa::kWsadataDescriptionSize))},
      {"szSystemStatus",
       values::String(CString(mem, at + wa::kWsadataSystemStatus, wa::kWsadataSystemStatusSize))},
      {"iMaxSockets", values::Integer(static_cast<std::int64_t>(u16(wa::kWsadataMaxSockets)))},
      {"iMaxUdpDg", values::Integer(static_cast<std::int64_t>(u16(wa::kWsadataMaxUdpDg)))},
      {"lpVendorInfo", vendor == 0 ? values::Null() : HexValue(vendor)},
  });
}

// An fd_set argument: NULL, `[s, ...]`, `[s, ...] => [s, ...]`, `_` (empty), buffer notation
// or a literal pointer. Returns its address (0 for NULL).
UserAddress BindFdSet(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind == Value::Kind::kNull) return 0;
  if (buffers::IsBuffer(v)) return b.Place(v, wa::kFdSetSize);
  const bool both = v.kind == Value::Kind::kValueResult && v.text == "=>";
  const Value& in = both ? v.items.at(0) : v;
  if (in.kind == Value::Kind::kInteger || in.kind == Value::Kind::kPointer) {
    return b.Buffer(in, wa::kFdSetSize);
  }
  std::vector<std::uint64_t> sockets;
  if (in.kind != Value::Kind::kWildcard) {
    const auto items = ListItems(in);
    if (!items) b.Fail(in.location, "an fd_set is a list of SOCKETs such as [$s] or []");
    for (const Value* item : *items) {
      b.Concrete(*item);
      sockets.push_back(static_cast<std::uint64_t>(b.IntOf(*item)));
      b.NoteHandle(static_cast<std::int64_t>(sockets.back()));
    }
  }
  if (sockets.size() > kFdSetCapacity) {
    b.Fail(in.location,
           fmt::format("an fd_set holds at most {} SOCKETs (FD_SETSIZE)", kFdSetCapacity));
  }
  std::vector<std::uint8_t> bytes(wa::kFdSetSize, 0);
  const auto count = static_cast<std::uint32_t>(sockets.size());
  for (int k = 0; k < 4; ++k) bytes[k] = static_cast<std::uint8_t>(count >> (8 * k));
  for (std::size_t s = 0; s < sockets.size(); ++s) {
    for (int k = 0; k < 8; ++k) {
      bytes[wa::kFdSetArray + 8 * s + k] = static_cast<std::uint8_t>(sockets[s] >> (8 * k));
    }
  }
  return b.Bytes(in, bytes);
}

// After select: `in => out` for a set written with `=>` or as `_`; a set written without
// `=>` checks only its input and is printed as written.
void PrintFdSet(Binder& b, std::size_t i, UserAddress at) {
  const Value& v = b.Arg(i);
  if (at == 0 || !b.Succeeded() || buffers::IsBuffer(v)) return;
  const bool both = v.kind == Value::Kind::kValueResult && v.text == "=>";
  if (!both && v.kind != Value::Kind::kWildcard) return;
  const auto count = b.mem().ReadU32(at + wa::kFdSetCount).value_or(0);
  std::vector<Value> out;
  for (std::uint32_t s = 0; s < count && s < kFdSetCapacity; ++s) {
    out.push_back(HexValue(b.mem().ReadU64(at + wa::kFdSetArray + 8 * s).value_or(0)));
  }
  Value printed;
  printed.kind = Value::Kind::kValueResult;
  printed.text = "=>";
  printed.has_out = true;
  printed.items.push_back(both ? v.items.at(0) : values::Array({}));
  printed.items.push_back(ListValue(std::move(out)));
  b.SetArg(i, std::move(printed));
}

// A TIMEVAL (two longs), from {tv_sec=S, tv_usec=U}; NULL waits forever.
UserAddress BindTimeval(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind != Value::Kind::kStruct) return b.Buffer(v, wa::kTimevalSize);
  b.Concrete(v);
  std::vector<std::uint8_t> bytes(wa::kTimevalSize, 0);
  const char* names[] = {"tv_sec", "tv_usec"};
  for (int m = 0; m < 2; ++m) {
    const Value* f = values::FieldOf(v, names[m]);
    if (f == nullptr) b.Fail(v.location, fmt::format("a TIMEVAL needs {}=", names[m]));
    const std::int64_t x = b.IntOf(*f);
    if (x < std::numeric_limits<std::int32_t>::min() ||
        x > std::numeric_limits<std::int32_t>::max()) {
      b.Fail(f->location, fmt::format("{} does not fit a 32-bit long", x));
    }
    for (int k = 0; k < 4; ++k) bytes[4 * m + k] = static_cast<std::uint8_t>(x >> (8 * k));
  }
  return b.Bytes(v, bytes);
}

// The WSAPOLLFD array: [{fd=S, events=E, revents=R}, ...].
UserAddress BindPollFds(Binder& b, std::size_t i, std::uint32_t nfds) {
  const Value& v = b.Arg(i);
  if (buffers::IsBuffer(v)) return b.Place(v, wa::kPollFdSize * nfds);
  if (v.kind != Value::Kind::kArray) return b.Buffer(v, wa::kPollFdSize * nfds);
  std::vector<std::uint8_t> bytes(wa::kPollFdSize * std::max<std::size_t>(v.items.size(), 1), 0);
  for (std::size_t n = 0; n < v.items.size(); ++n) {
    const Value& item = v.items[n];
    b.Concrete(item);
    const Value* fd = values::FieldOf(item, "fd");
    const Value* events = values::FieldOf(item, "events");
    const Value* revents = values::FieldOf(item, "revents");
    if (fd == nullptr || events == nullptr) {
      b.Fail(item.location, "a WSAPOLLFD is {fd=SOCKET, events=FLAGS, revents=FLAGS}");
    }
    const auto s = static_cast<std::uint64_t>(b.IntOf(*fd));
    b.NoteHandle(static_cast<std::int64_t>(s));
    const std::int64_t e = b.IntOf(*events);
    // revents is what the call leaves: written plain it is only the expectation (0 goes in,
    // as a program's zeroed array); written `IN => OUT`, IN goes in.
    const bool both =
        revents != nullptr && revents->kind == Value::Kind::kValueResult && revents->text == "=>";
    const std::int64_t r = both ? b.IntOf(revents->items.at(0)) : 0;
    for (const std::int64_t x : {e, r}) {
      if (x < std::numeric_limits<std::int16_t>::min() || x > 0xffff) {
        b.Fail(item.location, fmt::format("{} does not fit a 16-bit SHORT", x));
      }
    }
    std::uint8_t* at = &bytes[wa::kPollFdSize * n];
    for (int k = 0; k < 8; ++k) at[wa::kPollFdFd + k] = static_cast<std::uint8_t>(s >> (8 * k));
    for (int k = 0; k < 2; ++k) at[wa::kPollFdEvents + k] = static_cast<std::uint8_t>(e >> (8 * k));
    for (int k = 0; k < 2; ++k) {
      at[wa::kPollFdRevents + k] = static_cast<std::uint8_t>(r >> (8 * k));
    }
  }
  return b.Bytes(v, bytes);
}

// After WSAPoll: each entry as written, with the revents the call set.
void PrintPollFds(Binder& b, std::size_t i, UserAddress at) {
  const Value& v = b.Arg(i);
  if (!b.Succeeded() || v.kind != Value::Kind::kArray) return;
  std::vector<Value> out;
  for (std::size_t n = 0; n < v.items.size(); ++n) {
    const Value& item = v.items[n];
    const auto bytes = b.mem().Peek(at + wa::kPollFdSize * n + wa::kPollFdRevents, 2);
    const auto revents = bytes ? static_cast<std::int64_t>(LittleEndian(*bytes)) : 0;
    Value left =
        revents == 0 ? values::Integer(0) : values::Symbol(windows_symbols::PollFlags(revents));
    const Value* written = values::FieldOf(item, "revents");
    if (written != nullptr && written->kind == Value::Kind::kValueResult && written->text == "=>") {
      Value both = *written;
      both.items.at(1) = std::move(left);
      left = std::move(both);
    }
    // An entry written without revents checks only its input and is printed as written.
    if (written == nullptr) {
      out.push_back(item);
      continue;
    }
    out.push_back(values::Struct({{"fd", *values::FieldOf(item, "fd")},
                                  {"events", *values::FieldOf(item, "events")},
                                  {"revents", std::move(left)}}));
  }
  b.SetArg(i, values::Array(std::move(out)));
}

// A setsockopt value: [N] (an int, or with optlen 8 a 64-bit value such as a SOCKET),
// {l_onoff=N, l_linger=N} (LINGER: two u_shorts), a string, buffer notation, NULL or a pointer.
UserAddress BindOption(Binder& b, std::size_t i, std::int64_t level, std::int64_t name,
                       std::int32_t len) {
  const Value& v = b.Arg(i);
  const auto room = static_cast<std::uint64_t>(std::max(len, 0));
  if (buffers::IsBuffer(v)) return b.Place(v, room);
  b.Concrete(v);
  std::vector<std::uint8_t> bytes;
  auto put = [&](std::int64_t x, int width) {
    for (int k = 0; k < width; ++k) bytes.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
  };
  if (const auto items = ListItems(v); items && items->size() == 1) {
    const int width = len == 8 ? 8 : 4;
    const std::int64_t x = b.IntOf(*items->front());
    if (width == 4 && (x < std::numeric_limits<std::int32_t>::min() ||
                       x > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max()))) {
      b.Fail(items->front()->location,
             fmt::format("{} does not fit a 32-bit option value (a length of 8 takes 64 bits)", x));
    }
    put(x, width);
  } else if (v.kind == Value::Kind::kStruct) {
    const bool linger = level == wa::kSolSocket && name == wa::kSoLinger;
    for (const auto& f : v.fields) {
      const std::int64_t x = b.IntOf(f.value);
      const std::int64_t low = linger ? std::numeric_limits<std::int16_t>::min()
                                      : std::numeric_limits<std::int32_t>::min();
      const std::int64_t high = linger ? 0xffff : 0xffffffffLL;
      if (x < low || x > high) {
        b.Fail(f.value.location,
               fmt::format("{} does not fit the {}-bit member {}", x, linger ? 16 : 32, f.name));
      }
      put(x, linger ? 2 : 4);
    }
  } else if (v.kind == Value::Kind::kString) {
    return b.InBytes(i, room);
  } else {
    return b.Buffer(v, room);
  }
  if (bytes.size() < room) bytes.resize(room, 0);
  return b.Bytes(v, bytes);
}

// What getsockopt returned, read back: LINGER's members, CSADDR_INFO with its addresses
// followed, [int] for four bytes (SO_ERROR as the error's symbol), [N] for one or eight, and
// the raw bytes otherwise.
Value PrintOption(Binder& b, std::int64_t level, std::int64_t name, UserAddress at,
                  UserAddress len_cell) {
  const Value& given = b.Arg(3);
  const auto n = b.mem().ReadU32(len_cell);
  if (!n || *n == 0 || *n > 65536) return given;
  const auto bytes = b.mem().Peek(at, *n);
  if (!bytes) return given;
  const bool socket_level = level == wa::kSolSocket;
  if (socket_level && name == wa::kSoLinger && bytes->size() >= 4) {
    return values::Struct(
        {{"l_onoff", values::Integer(static_cast<std::int64_t>(LittleEndian({bytes->data(), 2})))},
         {"l_linger",
          values::Integer(static_cast<std::int64_t>(LittleEndian({bytes->data() + 2, 2})))}});
  }
  if (socket_level && name == wa::kSoBspState && bytes->size() >= wa::kCsaddrInfoSize) {
    auto address = [&](std::size_t off) {
      const std::uint64_t ptr = LittleEndian({bytes->data() + off, 8});
      const auto len = static_cast<std::int32_t>(LittleEndian(
          {bytes->data() + off + (wa::kCsaddrLocalLength - wa::kCsaddrLocalPointer), 4}));
      Value sa = values::Null();
      if (ptr != 0 && len > 0) {
        const auto sa_bytes = b.mem().Peek(ptr, static_cast<std::uint64_t>(len));
        sa = sa_bytes ? WindowsSockaddrValue(*sa_bytes) : HexValue(ptr);
      }
      return values::Struct(
          {{"lpSockaddr", std::move(sa)}, {"iSockaddrLength", values::Integer(len)}});
    };
    const auto type =
        static_cast<std::int32_t>(LittleEndian({bytes->data() + wa::kCsaddrSocketType, 4}));
    const auto protocol =
        static_cast<std::int32_t>(LittleEndian({bytes->data() + wa::kCsaddrProtocol, 4}));
    return values::Struct({{"LocalAddr", address(wa::kCsaddrLocalPointer)},
                           {"RemoteAddr", address(wa::kCsaddrRemotePointer)},
                           {"iSocketType", Named(windows_symbols::SockType(type), type)},
                           {"iProtocol", Named(windows_symbols::Protocol(protocol), protocol)}});
  }
  const std::uint64_t word = LittleEndian(*bytes);
  if (bytes->size() == 4) {
    if (socket_level && name == wa::kSoError && word != 0) {
      return values::ValueResult(ErrorValue(word), std::nullopt);
    }
    if (socket_level && name == wa::kSoType) {
      const auto type = static_cast<std::int32_t>(word);
      return values::ValueResult(Named(windows_symbols::SockType(type), type), std::nullopt);
    }
    return values::ValueResult(IntValue(word), std::nullopt);
  }
  if (bytes->size() == 1 || bytes->size() == 8) {
    return values::ValueResult(values::Integer(static_cast<std::int64_t>(word)), std::nullopt);
  }
  return values::String(std::string(bytes->begin(), bytes->end()));
}

}  // namespace

WindowsCallTable::WindowsCallTable(wa::Winsock* winsock) : winsock_(winsock) {
  // ---- ws2_32: startup and the last error ----
  handlers_["WSAStartup"] = [](Binder& b) {
    b.Need(2);
    const std::uint16_t version = b.Half(0);
    const UserAddress data = b.Buffer(b.Arg(1), wa::kWsadataSize);
    b.Seal();
    b.Finish(b.ws().WSAStartup(b.thread(), version, data));
    // WSAStartup fills WSADATA when it succeeds and, with the versions it supports, when it
    // refuses the requested one (WSAVERNOTSUPPORTED; MS docs, WSAStartup).
    const auto value = b.out().result.value;
    if (data != 0 && !buffers::IsBuffer(b.Arg(1)) &&
        (value == 0 || value == wa::kWSAVERNOTSUPPORTED) &&
        b.mem().Accessible(data, wa::kWsadataSize, sim::Protection::kRead)) {
      b.SetArg(1, PrintWsadata(b, data));
    }
  };
  handlers_["WSACleanup"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.ws().WSACleanup(b.thread()));
  };
  handlers_["WSAGetLastError"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.ws().WSAGetLastError(b.thread()));
  };
  handlers_["WSASetLastError"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.ws().WSASetLastError(b.thread(), b.Int32(0)));
  };
  handlers_["WSAIsBlocking"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.ws().WSAIsBlocking(b.thread()));
  };
  handlers_["WSACancelBlockingCall"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.ws().WSACancelBlockingCall(b.thread()));
  };

  // ---- sockets ----
  handlers_["socket"] = [](Binder& b) {
    b.Need(3);
    b.Finish(b.ws().Socket(b.thread(), b.Int32(0), b.Int32(1), b.Int32(2)));
  };
  handlers_["WSASocketW"] = [](Binder& b) {
    b.Need(6);
    const std::int32_t af = b.Int32(0), type = b.Int32(1), protocol = b.Int32(2);
    // WSAPROTOCOL_INFOW: 628 bytes on x64 (winsock2.h); read when not NULL.
    const UserAddress info = b.Buffer(b.Arg(3), 628);
    const std::uint32_t group = b.Len32(4), flags = b.Len32(5);
    b.Seal();
    b.Finish(b.ws().WSASocketW(b.thread(), af, type, protocol, info, group, flags));
  };
  handlers_["closesocket"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.ws().Closesocket(b.thread(), b.Socket(0)));
  };
  handlers_["bind"] = [](Binder& b) {
    b.Need(3);
    const auto s = b.Socket(0);
    const std::int32_t len = b.Int32(2);
    const UserAddress name = b.InAddress(1, len);
    b.Seal();
    b.Finish(b.ws().Bind(b.thread(), s, name, len));
  };
  handlers_["connect"] = [](Binder& b) {
    b.Need(3);
    const auto s = b.Socket(0);
    const std::int32_t len = b.Int32(2);
    const UserAddress name = b.InAddress(1, len);
    b.Seal();
    b.Finish(b.ws().Connect(b.thread(), s, name, len));
  };
  handlers_["listen"] = [](Binder& b) {
    b.Need(2);
    const auto s = b.Socket(0);
    b.Finish(b.ws().Listen(b.thread(), s, b.Int32(1)));
  };
  handlers_["accept"] = [](Binder& b) {
    b.Need(3);
    const auto s = b.Socket(0);
    const NameArgs a = BindName(b, 1, 2);
    b.Seal();
    b.Finish(b.ws().Accept(b.thread(), s, a.name, a.len_cell));
    PrintName(b, a, 1, 2);
  };
  auto name_call = [](bool peer) {
    return [peer](Binder& b) {
      b.Need(3);
      const auto s = b.Socket(0);
      const NameArgs a = BindName(b, 1, 2);
      b.Seal();
      b.Finish(peer ? b.ws().Getpeername(b.thread(), s, a.name, a.len_cell)
                    : b.ws().Getsockname(b.thread(), s, a.name, a.len_cell));
      PrintName(b, a, 1, 2);
    };
  };
  handlers_["getpeername"] = name_call(true);
  handlers_["getsockname"] = name_call(false);
  handlers_["shutdown"] = [](Binder& b) {
    b.Need(2);
    const auto s = b.Socket(0);
    b.Finish(b.ws().Shutdown(b.thread(), s, b.Int32(1)));
  };

  // ---- data ----
  auto send_call = [](bool with_address) {
    return [with_address](Binder& b) {
      b.Need(with_address ? 6 : 4);
      const auto s = b.Socket(0);
      const std::int32_t len = b.Int32(2);
      const UserAddress buf = b.InBytes(1, static_cast<std::uint64_t>(std::max(len, 0)));
      const std::int32_t flags = b.Int32(3);
      UserAddress to = 0;
      std::int32_t tolen = 0;
      if (with_address) {
        tolen = b.Int32(5);
        to = b.InAddress(4, tolen);
      }
      b.Seal();
      b.Finish(with_address ? b.ws().Sendto(b.thread(), s, buf, len, flags, to, tolen)
                            : b.ws().Send(b.thread(), s, buf, len, flags));
    };
  };
  handlers_["send"] = send_call(false);
  handlers_["sendto"] = send_call(true);
  auto recv_call = [](bool with_address) {
    return [with_address](Binder& b) {
      b.Need(with_address ? 6 : 4);
      const auto s = b.Socket(0);
      const std::int32_t len = b.Int32(2);
      const UserAddress buf = b.Buffer(b.Arg(1), static_cast<std::uint64_t>(std::max(len, 0)));
      const std::int32_t flags = b.Int32(3);
      NameArgs from;
      if (with_address) from = BindName(b, 4, 5);
      b.Seal();
      b.Finish(with_address
                   ? b.ws().Recvfrom(b.thread(), s, buf, len, flags, from.name, from.len_cell)
                   : b.ws().Recv(b.thread(), s, buf, len, flags));
      b.PrintBytes(1, buf, std::min<std::int64_t>(b.out().result.value, std::max(len, 0)));
      if (with_address) PrintName(b, from, 4, 5);
    };
  };
  handlers_["recv"] = recv_call(false);
  handlers_["recvfrom"] = recv_call(true);

  // ---- options and control ----
  handlers_["setsockopt"] = [](Binder& b) {
    b.Need(5);
    const auto s = b.Socket(0);
    const std::int32_t level = b.Int32(1), name = b.Int32(2), len = b.Int32(4);
    const UserAddress value = BindOption(b, 3, level, name, len);
    b.Seal();
    b.Finish(b.ws().Setsockopt(b.thread(), s, level, name, value, len));
  };
  handlers_["getsockopt"] = [](Binder& b) {
    b.Need(5);
    const auto s = b.Socket(0);
    const std::int32_t level = b.Int32(1), name = b.Int32(2);
    const auto [len_cell, in] = b.LengthCell(4);
    const UserAddress value = b.Buffer(b.Arg(3), std::min<std::uint32_t>(in == 0 ? 16 : in, 65536));
    b.Seal();
    b.Finish(b.ws().Getsockopt(b.thread(), s, level, name, value, len_cell));
    if (b.Succeeded() && value != 0 && !buffers::IsBuffer(b.Arg(3))) {
      b.SetArg(3, PrintOption(b, level, name, value, len_cell));
    }
    b.PrintLength(4, len_cell, in);
  };
  handlers_["ioctlsocket"] = [](Binder& b) {
    b.Need(3);
    const auto s = b.Socket(0);
    const std::int32_t cmd = b.Int32(1);  // a long: FIONBIO is 0x8004667e
    const Binder::ValueCell arg = b.Cell(2, 4);
    b.Seal();
    b.Finish(b.ws().Ioctlsocket(b.thread(), s, cmd, arg.at));
    b.PrintCell(2, arg, 4, &IntValue);
  };
  handlers_["WSAIoctl"] = [](Binder& b) {
    b.Need(9);
    const auto s = b.Socket(0);
    const std::uint32_t code = b.Len32(1);
    const std::uint32_t in_len = b.Len32(3);
    const std::uint32_t out_len = b.Len32(5);
    // The input: a GUID by its mswsock.h name (WSAID_CONNECTEX), or bytes.
    const Value& in_value = b.Arg(2);
    UserAddress in = 0;
    if (in_value.kind == Value::Kind::kSymbol) {
      const auto guid = windows_symbols::Guid(in_value.text);
      if (!guid) b.Fail(in_value.location, fmt::format("unknown GUID '{}'", in_value.text));
      in = b.Bytes(in_value, *guid);
    } else {
      in = b.InBytes(2, in_len);
    }
    // The output: a cell of up to 8 bytes ([_ => $fn], a function pointer), or a buffer.
    const Value& out_value = b.Arg(4);
    const bool cell = (out_value.kind == Value::Kind::kValueResult && out_value.text != "=>") ||
                      (out_value.kind == Value::Kind::kArray && out_value.items.size() == 1);
    const int width = static_cast<int>(std::clamp<std::uint32_t>(out_len, 1, 8));
    Binder::ValueCell out_cell;
    UserAddress out = 0;
    if (cell) {
      out_cell = b.Cell(4, width);
      out = out_cell.at;
    } else {
      out = b.Buffer(out_value, out_len);
    }
    UserAddress bytes = 0;
    std::uint32_t bytes_in = 0;
    if (b.Arg(6).kind != Value::Kind::kNull) std::tie(bytes, bytes_in) = b.LengthCell(6);
    const UserAddress overlapped = b.Overlapped(7);
    const UserAddress routine = b.Size(8);
    b.Seal();
    b.Finish(
        b.ws().WSAIoctl(b.thread(), s, code, in, in_len, out, out_len, bytes, overlapped, routine));
    if (cell) b.PrintCell(4, out_cell, width, &HexValue);
    if (bytes != 0) b.PrintLength(6, bytes, bytes_in);
  };
  handlers_["select"] = [](Binder& b) {
    b.Need(5);
    const std::int32_t nfds = b.Int32(0);
    const UserAddress read = BindFdSet(b, 1);
    const UserAddress write = BindFdSet(b, 2);
    const UserAddress except = BindFdSet(b, 3);
    const UserAddress timeout = BindTimeval(b, 4);
    b.Seal();
    b.Finish(b.ws().Select(b.thread(), nfds, read, write, except, timeout));
    PrintFdSet(b, 1, read);
    PrintFdSet(b, 2, write);
    PrintFdSet(b, 3, except);
  };
  handlers_["WSAPoll"] = [](Binder& b) {
    b.Need(3);
    const std::uint32_t nfds = b.Len32(1);
    const UserAddress fds = BindPollFds(b, 0, nfds);
    const std::int32_t timeout = b.Int32(2);
    b.Seal();
    b.Finish(b.ws().WSAPoll(b.thread(), fds, nfds, timeout));
    PrintPollFds(b, 0, fds);
  };

  // ---- overlapped operations and the mswsock extension functions ----
  handlers_["WSAGetOverlappedResult"] = [](Binder& b) {
    b.Need(5);
    const auto s = b.Socket(0);
    const UserAddress overlapped = b.Overlapped(1);
    UserAddress transferred = 0, flags = 0;
    std::uint32_t transferred_in = 0, flags_in = 0;
    if (b.Arg(2).kind != Value::Kind::kNull)
      std::tie(transferred, transferred_in) = b.LengthCell(2);
    const std::int32_t wait = b.Int32(3);
    if (b.Arg(4).kind != Value::Kind::kNull) std::tie(flags, flags_in) = b.LengthCell(4);
    b.Seal();
    b.Finish(b.ws().WSAGetOverlappedResult(b.thread(), s, overlapped, transferred, wait, flags));
    if (transferred != 0) b.PrintLength(2, transferred, transferred_in);
    if (flags != 0) b.PrintLength(4, flags, flags_in);
  };
  handlers_["ConnectEx"] = [](Binder& b) {
    b.Need(7);
    b.NeedExtension(wa::ExtensionFunction::kConnectEx, "WSAID_CONNECTEX");
    const auto s = b.Socket(0);
    const std::int32_t len = b.Int32(2);
    const UserAddress name = b.InAddress(1, len);
    const std::uint32_t send_length = b.Len32(4);
    const UserAddress send = b.InBytes(3, send_length);
    UserAddress sent = 0;
    std::uint32_t sent_in = 0;
    if (b.Arg(5).kind != Value::Kind::kNull) std::tie(sent, sent_in) = b.LengthCell(5);
    const UserAddress overlapped = b.Overlapped(6);
    b.Seal();
    b.Finish(b.ws().ConnectEx(b.thread(), s, name, len, send, send_length, sent, overlapped));
    if (sent != 0) b.PrintLength(5, sent, sent_in);
  };
  handlers_["AcceptEx"] = [](Binder& b) {
    b.Need(8);
    b.NeedExtension(wa::ExtensionFunction::kAcceptEx, "WSAID_ACCEPTEX");
    const auto listener = b.Socket(0);
    const auto acceptor = b.Socket(1);
    const std::uint32_t receive = b.Len32(3), local = b.Len32(4), remote = b.Len32(5);
    const UserAddress output =
        b.Buffer(b.Arg(2), std::uint64_t{receive} + std::uint64_t{local} + std::uint64_t{remote});
    UserAddress received = 0;
    std::uint32_t received_in = 0;
    if (b.Arg(6).kind != Value::Kind::kNull) std::tie(received, received_in) = b.LengthCell(6);
    const UserAddress overlapped = b.Overlapped(7);
    b.Seal();
    b.Finish(b.ws().AcceptEx(b.thread(), listener, acceptor, output, receive, local, remote,
                             received, overlapped));
    if (received != 0) b.PrintLength(6, received, received_in);
  };
  handlers_["DisconnectEx"] = [](Binder& b) {
    b.Need(4);
    b.NeedExtension(wa::ExtensionFunction::kDisconnectEx, "WSAID_DISCONNECTEX");
    const auto s = b.Socket(0);
    const UserAddress overlapped = b.Overlapped(1);
    const std::uint32_t flags = b.Len32(2), reserved = b.Len32(3);
    b.Seal();
    b.Finish(b.ws().DisconnectEx(b.thread(), s, overlapped, flags, reserved));
  };

  // ---- kernel32: handles that are not sockets ----
  handlers_["CreateFileW"] = [](Binder& b) {
    b.Need(1);
    const Value& path = b.Arg(0);
    b.Concrete(path);
    if (path.kind != Value::Kind::kString) b.Fail(path.location, "the path must be a string");
    b.Finish(b.ws().CreateFileW(b.thread(), path.text));
  };
  handlers_["DuplicateHandle"] = [](Binder& b) {
    b.Need(7);
    const auto source_process = b.Size(0);
    const auto source = b.Socket(1);
    const auto target_process = b.Size(2);
    const Binder::ValueCell target = b.Cell(3, 8);
    const std::uint32_t access = b.Len32(4);
    const std::int32_t inherit = b.Int32(5);
    const std::uint32_t options = b.Len32(6);
    b.Seal();
    b.Finish(b.ws().DuplicateHandle(b.thread(), source_process, source, target_process, target.at,
                                    access, inherit, options));
    b.PrintCell(3, target, 8, &HexValue);
  };
  handlers_["CloseHandle"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.ws().CloseHandle(b.thread(), b.Socket(0)));
  };

  // ---- the SPI, called directly as a provider's own test would ----
  handlers_["WSPGetPeerName"] = [](Binder& b) {
    // WSPGetPeerName(s, name, namelen, lpErrno) with an optional provider="NAME" last.
    std::string provider;
    if (const auto named = b.NamedArg("provider")) {
      const Value& v = b.Arg(*named);
      if (*named != 4 || v.kind != Value::Kind::kString) {
        b.Fail(v.location, "provider= comes last and names a provider: provider=\"tcpip\"");
      }
      provider = v.text;
      if (!b.ws().HasProvider(provider)) {
        b.Fail(v.location, fmt::format("no provider named '{}' (the base providers are tcpip "
                                       "and afunix; layered ones are named by their lsp line)",
                                       provider));
      }
      b.Need(5);
    } else {
      b.Need(4);
    }
    const auto s = b.Socket(0);
    const NameArgs a = BindName(b, 1, 2);
    const Binder::ValueCell errno_cell = b.Cell(3, 4);
    b.Seal();
    b.Finish(b.ws().WSPGetPeerName(b.thread(), s, a.name, a.len_cell, errno_cell.at, provider));
    PrintName(b, a, 1, 2);
    b.PrintCell(3, errno_cell, 4, &ErrorValue);
  };

  // Every call says how its result reads (kShapes); a handler without one is a bug here.
  for (const auto& [name, handler] : handlers_) {
    if (!ReturnsOf(name)) throw std::logic_error("no result shape for " + name);
  }
}

UserAddress WindowsCallTable::NamedOverlapped(sim::Process& process, const std::string& name) {
  const auto key = std::make_pair(process.pid(), name);
  if (const auto it = overlapped_.find(key); it != overlapped_.end()) return it->second;
  const UserAddress at = process.memory().Allocate(wa::kOverlappedSize);
  overlapped_.emplace(key, at);
  return at;
}

void WindowsCallTable::SetSetupError(std::string message, SourceLocation where) {
  setup_error_ = std::move(message);
  setup_error_location_ = std::move(where);
}

ExecutedCall WindowsCallTable::Execute(const CallLine& call, sim::Thread& thread, bool may_wait) {
  if (!setup_error_.empty()) {
    ExecutedCall out;
    out.bind_error = setup_error_;
    out.bind_error_location = setup_error_location_;
    return out;
  }
  const auto it = handlers_.find(call.name);
  if (it == handlers_.end() || winsock_ == nullptr) {
    ExecutedCall out;
    out.skip_reason = fmt::format("'{}' is not modelled by the windows personality", call.name);
    return out;
  }
  // A call that would wait for other processes at an <unfinished ...> line returns blocked
  // and has no effect; it runs again, waiting, at its resumed line (winsock.h AllowWaiting).
  winsock_->AllowWaiting(thread, may_wait);
  Binder binder(*this, *winsock_, call, thread, may_wait);
  return binder.Execute([&] { it->second(binder); });
}

std::vector<std::string> WindowsCallTable::Explain(sim::Process& process,
                                                   const std::vector<std::int64_t>& handles) {
  std::vector<std::string> lines;
  for (const std::int64_t h : handles) {
    const auto value = static_cast<std::uint64_t>(h);
    const sim::FdEntry* entry = process.fds().Lookup(static_cast<sim::Handle>(value));
    if (entry == nullptr) {
      lines.push_back(fmt::format("handle {:#x}: not a handle of pid {}", value, process.pid()));
      continue;
    }
    const auto& object = entry->description->object();
    if (object->kind() == sim::FileKind::kSocket) {
      const auto socket = std::static_pointer_cast<stack::Socket>(object);
      lines.push_back(fmt::format("SOCKET {:#x}: {}", value, socket->Describe()));
    } else {
      lines.push_back(fmt::format("handle {:#x}: {}", value, sim::ToString(object->kind())));
    }
  }
  return lines;
}

void WindowsCallTable::CanonicalizeExpected(std::vector<Value>& args) const {
  for (Value& v : args) {
    sockaddr_notation::CanonicalizeScopeNames(v);
    CanonicalizeLists(v);
    CanonicalizeSymbols(v);
  }
}

bool WindowsCallTable::KnowsErrorName(std::string_view symbol) const {
  // The personality's one table of codes (wsa_error_table); a scenario may name only those.
  return stack::windows_abi::WsaErrorBySymbol(symbol).has_value();
}

bool WindowsCallTable::CanonicalizeExpectedOutcome(const std::string& call_name, Outcome& expected,
                                                   std::string* error) const {
  if (expected.kind != Outcome::Kind::kValue) return true;
  const Returns returns = ReturnsOf(call_name).value_or(Returns::kInt);
  const bool wide = returns == Returns::kSocket || returns == Returns::kHandle;
  if (numbers::ParseIntegerLiteral(expected.value_text)) {
    // A 32-bit result written unsigned (= 0xffffffff) is its bit pattern (-1).
    if (!wide && expected.value > std::numeric_limits<std::int32_t>::max() &&
        expected.value <= static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
      expected.value = static_cast<std::int32_t>(static_cast<std::uint32_t>(expected.value));
    }
    return true;
  }
  const auto value = windows_symbols::Lookup(expected.value_text);
  if (!value) {
    *error = fmt::format(
        "unknown result '{}' (a number or a Windows constant such as "
        "SOCKET_ERROR, INVALID_SOCKET, TRUE, FALSE or WSAENOTCONN)",
        expected.value_text);
    return false;
  }
  expected.value = *value;
  return true;
}

std::vector<std::string> WindowsCallTable::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers_) names.push_back(name);
  return names;
}

}  // namespace socksim::tools
