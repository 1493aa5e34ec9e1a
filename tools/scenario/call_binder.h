// File: tools/scenario/call_binder.h
// The part of binding one call line that every personality's call table shares: reading
// arguments as integers of the ABI's widths (a value that does not fit is an error of the
// line, never truncated), named constants through the personality's symbol lookup, laying
// pointer arguments out in caller memory (memory annotations and buffer notation through
// tools/scenario/buffers.h, literal pointers passed as they are so they fault as they would),
// value-result cells, and printing outputs back into the line's notation. A personality adds
// what only it knows: which call takes which argument types, how its sockaddrs are laid out,
// how its return values and error codes are spelled. A problem of the line (a missing
// argument, an unknown constant, a capture with no value) ends binding through Fail, which
// Execute turns into ExecutedCall::bind_error.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/address_space.h"
#include "sim/process.h"
#include "stack/personality/call_result.h"
#include "tools/scenario/ast.h"
#include "tools/scenario/buffers.h"
#include "tools/scenario/call_table.h"

namespace socksim::tools {

/// A problem of the call line found while binding it (thrown by CallBinder::Fail, caught by
/// CallBinder::Execute): the message and where in the line it is.
struct BindFailure {
  std::string message;
  SourceLocation location;
};

/// A personality's named constants: the value of a name of any category, or nullopt.
using SymbolLookup = std::optional<std::int64_t> (*)(std::string_view name);

/// The bytes a personality lays out for a sockaddr value; nullopt with `error` set when the
/// value is not one it understands.
using SockaddrEncoder =
    std::function<std::optional<std::vector<std::uint8_t>>(const Value&, std::string*)>;
/// The value a personality prints for returned sockaddr bytes.
using SockaddrPrinter = std::function<Value(std::span<const std::uint8_t>)>;

/// Binds one call's arguments and collects the printed result. A personality's call table
/// derives from it (adding how it runs the call and spells the outcome) or uses it as is.
class CallBinder {
 public:
  /// strace prints user-space buffers in [kStackLow, kStackHigh); such a literal pointer means
  /// "a valid buffer" and gets fresh memory; any other literal is used as it is.
  static constexpr std::uint64_t kStackLow = 0x7f0000000000ULL;
  static constexpr std::uint64_t kStackHigh = 0x800000000000ULL;
  /// The most memory one argument maps: longer lengths are passed on but the mapping ends here.
  static constexpr std::uint64_t kLargestBuffer = buffers::kMaxSize;
  /// The input of a length cell written `_` (or a whole `_` length argument): room for any
  /// sockaddr, sizeof(struct sockaddr_storage), 128 bytes in every ABI socksim models
  /// (Linux <bits/socket.h>, Windows ws2def.h SOCKADDR_STORAGE).
  static constexpr std::uint32_t kAnyLength = 128;

  /// `memory` is where the arguments are laid out (the process's own, or a host executor's
  /// staging copy); `symbols` resolves the personality's named constants.
  CallBinder(sim::AddressSpace& memory, const CallLine& call, sim::Thread& thread, bool may_wait,
             SymbolLookup symbols);
  virtual ~CallBinder() = default;
  CallBinder(const CallBinder&) = delete;
  CallBinder& operator=(const CallBinder&) = delete;

  /// Runs `body` (a handler binding and running the call through this binder), then prints
  /// buffer notation back (PrintBuffers); a Fail inside becomes the result's bind_error.
  /// Memory marked with Scratch is unmapped when it returns, however it returns.
  ExecutedCall Execute(const std::function<void()>& body);

  /// Makes the memory this call maps for itself call-scoped: Fresh's plain buffers and cells
  /// (no annotation) are marked with Scratch as they are made. For a personality whose calls
  /// never keep a caller pointer past their return (Linux's synchronous calls), so that a long
  /// replay does not keep every line's buffers mapped. Off unless asked for: Winsock's
  /// overlapped calls write their buffers after they return. Memory the line describes (an
  /// annotation, buffer notation) or names (a literal pointer) is never scratch.
  void ScopeMemoryToCall() { call_scoped_ = true; }
  /// Marks `base`, the start of a plain mapping this call made for itself
  /// (sim::AddressSpace::Allocate), as the call's own: unmapped when Execute returns, once
  /// outputs are printed. Does nothing unless ScopeMemoryToCall was asked for. Unmapping
  /// frees the bytes but never gives the addresses out again (allocation only moves up), so
  /// every later call is laid out where it would have been. Returns `base`.
  sim::UserAddress Scratch(sim::UserAddress base);

  /// The memory arguments are laid out in.
  sim::AddressSpace& mem() { return memory_; }
  sim::Process& process() { return thread_.process(); }
  sim::Thread& thread() { return thread_; }
  bool may_wait() const { return may_wait_; }
  const CallLine& call() const { return call_; }
  ExecutedCall& out() { return out_; }
  std::size_t argc() const { return call_.args.size(); }

  /// Fails unless the line has exactly `n` arguments.
  void Need(std::size_t n);
  /// Ends binding with a problem of the line at `where`.
  [[noreturn]] void Fail(const SourceLocation& where, std::string message);
  /// Fails when `v`, read as an input, still holds a capture (one no earlier line bound).
  void Concrete(const Value& v);
  /// Argument `i`; fails when the line has fewer.
  const Value& Arg(std::size_t i);

  /// An integer argument: a number, a named constant or flags joined with '|' (each a
  /// constant of the personality or an integer literal), NULL as 0.
  std::int64_t Int(std::size_t i);
  /// An integer of the personality's syntax outside the argument list (a structure member, a
  /// cell's content), read as Int reads an argument.
  std::int64_t IntOf(const Value& v);
  /// A 32-bit argument (a Linux int or socklen_t, a Windows int, DWORD or BOOL): any 32-bit
  /// value, written as a signed or an unsigned number (0xffffffff is -1); a value that needs
  /// more bits is an error of the line, never truncated. Returned sign-extended.
  std::int64_t Word(std::size_t i);
  /// A 32-bit argument as an unsigned value (socklen_t, DWORD).
  std::uint32_t Len32(std::size_t i) { return static_cast<std::uint32_t>(Word(i)); }
  /// A 16-bit argument (a Windows WORD): any value written as 0..0xffff or -0x8000..-1.
  std::uint16_t Half(std::size_t i);
  /// A 64-bit argument (size_t, a Windows SOCKET or HANDLE): any 64-bit value (a negative
  /// literal is its bit pattern).
  std::uint64_t Size(std::size_t i) { return static_cast<std::uint64_t>(Int(i)); }
  /// Remembers a handle the call touches, for explanations (ExecutedCall::handles).
  void NoteHandle(std::int64_t handle);

  /// Memory for an output (or in-out) buffer of `size` bytes described by `v`. A buffer in
  /// buffer notation has the size it names (`size` only when it names none). An unbound
  /// capture here stands for the output, as `_` does, and binds to what is printed.
  sim::UserAddress Buffer(const Value& v, std::uint64_t size);
  /// Fresh memory laid out as the value's annotation says (buffers::Layout: ro:, end:,
  /// mapped=N:, offset=N:). A length larger than kLargestBuffer maps kLargestBuffer bytes
  /// followed by unmapped memory, as a program whose buffer is smaller than the length it
  /// passes: the call still gets the length, and faults (or stops) where the mapping ends, as
  /// the system would.
  sim::UserAddress Fresh(const Value& v, std::uint64_t size);
  /// A buffer in buffer notation, laid out and filled (`size` is its size when it names
  /// none); printed in that notation after the call (PrintBuffers).
  sim::UserAddress Place(const Value& v, std::uint64_t size);
  /// Fresh memory for `v` holding `bytes` (its annotation applies).
  sim::UserAddress Bytes(const Value& v, std::span<const std::uint8_t> bytes);
  /// The buffer notation `v` (an argument or a part of one) prints after the call, when `v`
  /// was laid out by Place; nullopt otherwise.
  std::optional<Value> PrintedBuffer(const Value& v) { return buffers_.PrintedFor(mem(), v); }
  /// Prints every buffer in buffer notation in it, in place of whatever the handler printed
  /// for its argument (the notation wins), nested ones included (a sendmsg msghdr).
  void PrintBuffers();
  /// Applies read-only protection once the inputs are written.
  void Seal();

  /// A value-result length: `[in => out]`, `[in]`, NULL or a literal pointer. Returns the
  /// address and the input value.
  std::pair<sim::UserAddress, std::uint32_t> LengthCell(std::size_t i);
  /// A 4-byte cell holding `value`, laid out as `v`'s annotation says; of a cell that
  /// straddles into unmapped memory (mapped=2:[16]) only the mapped bytes are written.
  sim::UserAddress Cell(const Value& v, std::uint32_t value);
  /// A cell of `width` bytes (1 to 8) holding `value`, little-endian, laid out as Cell.
  sim::UserAddress WideCell(const Value& v, std::uint64_t value, int width);
  /// An input sockaddr placed in memory and padded to `len` bytes, to at most `largest` (the
  /// size of the ABI's sockaddr_storage: a longer length is refused before the system reads).
  sim::UserAddress InSockaddr(std::size_t i, std::uint64_t len, std::uint64_t largest,
                              const SockaddrEncoder& encode);
  /// Input bytes from a string argument (or a buffer of `len` zero bytes for other forms),
  /// padded with zeros to `len` (at most kLargestBuffer: see Fresh).
  sim::UserAddress InBytes(std::size_t i, std::uint64_t len);

  /// The address a call returns with a value-result length (getpeername, getsockname, accept,
  /// recvfrom): the length cell (when the line gives one) and a buffer for the name with room
  /// for the caller's length, or the ABI's sockaddr_storage size (`storage`) for 0 or more.
  struct NameCell {
    sim::UserAddress name = 0;
    sim::UserAddress len_cell = 0;
    std::uint32_t in = 0;
  };
  NameCell BindNameCell(std::size_t name, std::size_t len, std::uint64_t storage);
  /// Prints a NameCell's address and length back (nothing without a length cell).
  void PrintNameCell(std::size_t name, std::size_t len, const NameCell& cell,
                     const SockaddrPrinter& print);

  /// Prints the length cell back: `[in]` when unchanged, else `[in => out]`; after a failure
  /// strace shows the input only, unless the line asked for the output explicitly.
  void PrintLength(std::size_t i, sim::UserAddress cell, std::uint32_t in);
  /// Prints a returned sockaddr (the first min(in, out) bytes) on success.
  void PrintSockaddr(std::size_t i, sim::UserAddress at, sim::UserAddress len_cell,
                     std::uint32_t in, const SockaddrPrinter& print);
  /// Prints the first `n` bytes at `at` as a string on success.
  void PrintBytes(std::size_t i, sim::UserAddress at, std::int64_t n);
  /// Replaces printed argument `i` (keeping its location).
  void SetArg(std::size_t i, Value v);

  /// Whether the call has run and succeeded.
  bool Succeeded() const { return out_.result.succeeded(); }
  /// The name of argument i when the line names it (clone's `flags=`), else "".
  std::string ArgName(std::size_t i) const;
  /// The index of the argument the line names `name` (`provider="tcpip"`), or nullopt.
  std::optional<std::size_t> NamedArg(std::string_view name) const;
  /// The return value the line expects, when it names one (fork's child pid).
  std::optional<std::int64_t> ExpectedReturn() const;
  /// Records the call's result (value, status, blocked); the outcome is the personality's.
  void SetResult(const stack::CallResult& r);

 private:
  sim::AddressSpace& memory_;
  const CallLine& call_;
  sim::Thread& thread_;
  bool may_wait_;
  SymbolLookup symbols_;
  ExecutedCall out_;
  // Which of out_.args a call printed (SetArg); the rest are copied from the line only when
  // the call is over (PrintBuffers), so that an argument the call prints is never copied
  // first (a sockaddr and its length: the copies were 4 % of a replay).
  std::vector<bool> printed_;
  std::vector<sim::UserAddress> read_only_;
  bool call_scoped_ = false;
  // Mappings to unmap when Execute returns (Scratch).
  std::vector<sim::UserAddress> scratch_;
  // Buffers laid out from buffer notation, under the values of the call line they came from.
  buffers::CallBuffers buffers_;
};

}  // namespace socksim::tools
