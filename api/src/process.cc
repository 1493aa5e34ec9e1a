// File: api/src/process.cc
// The typed helpers, written once for every system: each places what the call reads in the
// process's simulated memory (the sockaddr in the system's own layout, the length cell),
// makes the system's call through its SystemCalls adapter, and reads the outcome back (the
// length written back, the buffer, the decoded name, the bytes received). Memory is the
// process's AddressSpace.
#include "socksim/process.h"

#include <algorithm>
#include <stdexcept>

#include "api/src/world_state.h"

namespace socksim {
namespace {

using detail::Args;
using detail::Hex;

std::string Quote(std::string_view data) {
  std::string out = "\"";
  for (const char c : data.substr(0, 32)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += "0123456789abcdef"[u >> 4];
      out += "0123456789abcdef"[u & 0xf];
    }
  }
  out += data.size() > 32 ? "\"..." : "\"";
  return out;
}

}  // namespace

namespace detail {

Result WorldState::ToResult(System system, std::string call, const stack::CallResult& r,
                            bool t_error) {
  Result out;
  out.system = system;
  out.call = std::move(call);
  out.value = r.value;
  out.error = r.code;
  out.t_error = t_error;
  switch (r.status) {
    case stack::CallResult::Status::kSucceeded:
      out.outcome = Result::Outcome::kSucceeded;
      break;
    case stack::CallResult::Status::kFailed:
      out.outcome = Result::Outcome::kFailed;
      break;
    case stack::CallResult::Status::kBlocked:
      out.outcome = Result::Outcome::kWouldWait;
      break;
  }
  return out;
}

}  // namespace detail

// ---- Memory ----

Pointer Memory::Allocate(std::size_t size) {
  return world_->ProcessOf(pid_).memory().Allocate(std::max<std::size_t>(size, 1));
}

Pointer Memory::Place(std::span<const std::uint8_t> bytes) {
  const Pointer at = Allocate(bytes.size());
  if (!Write(at, bytes)) throw std::logic_error("a fresh region could not be written");
  return at;
}

Pointer Memory::PlaceU32(std::uint32_t value) {
  const Pointer at = Allocate(4);
  if (!WriteU32(at, value)) throw std::logic_error("a fresh region could not be written");
  return at;
}

bool Memory::Write(Pointer at, std::span<const std::uint8_t> bytes) {
  return world_->ProcessOf(pid_).memory().Poke(at, bytes);
}

bool Memory::WriteU32(Pointer at, std::uint32_t value) {
  return world_->ProcessOf(pid_).memory().WriteU32(at, value);
}

std::optional<std::vector<std::uint8_t>> Memory::Read(Pointer at, std::size_t size) const {
  return world_->ProcessOf(pid_).memory().Peek(at, size);
}

std::optional<std::uint32_t> Memory::ReadU32(Pointer at) const {
  return world_->ProcessOf(pid_).memory().ReadU32(at);
}

std::optional<std::uint64_t> Memory::ReadU64(Pointer at) const {
  return world_->ProcessOf(pid_).memory().ReadU64(at);
}

// ---- the typed helpers ----
namespace {

// Finishes a call: the caller's error state, the trace, the Result.
Result Finish(detail::WorldState& w, sim::Process& p, detail::SystemCalls& calls,
              std::string call, const stack::CallResult& r, const std::string& args) {
  calls.AfterCall(p, r);
  auto out = detail::WorldState::ToResult(calls.system(), std::move(call), r);
  w.Record(static_cast<int>(p.pid()), out, args);
  return out;
}

// A call that writes a name into a buffer of `size` bytes and its length into a cell.
template <typename Call>
Result NameCall(detail::WorldState& w, sim::Process& p, detail::SystemCalls& calls,
                std::string name, Handle s, std::uint32_t size, Call&& call) {
  const Pointer buf = p.memory().Allocate(std::max<std::uint32_t>(size, 1));
  const Pointer len = p.memory().Allocate(4);
  (void)p.memory().WriteU32(len, size);
  const auto r = call(buf, len);
  calls.AfterCall(p, r);
  auto out = detail::WorldState::ToResult(calls.system(), std::move(name), r);
  out.buffer_size = size;
  if (r.succeeded()) {
    out.length = p.memory().ReadU32(len);
    out.bytes = p.memory().Peek(buf, size).value_or(std::vector<std::uint8_t>{});
    if (out.length && *out.length <= size) {
      out.address = calls.Decode(std::span(out.bytes).first(*out.length));
    }
  }
  w.Record(static_cast<int>(p.pid()), out,
           Args({std::to_string(s), Hex(buf), "[" + std::to_string(size) + "]"}));
  return out;
}

}  // namespace

Result Process::Socket(Domain domain, Type type, int protocol) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const int d = calls.DomainNumber(domain);
  const int t = calls.TypeNumber(type);
  return Finish(*world_, p, calls, "socket", calls.Socket(p, d, t, protocol),
                Args({std::to_string(d), std::to_string(t), std::to_string(protocol)}));
}

Result Process::Bind(Handle s, const Address& address) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const auto bytes = calls.Encode(address);
  const Pointer at = memory().Place(bytes);
  return Finish(*world_, p, calls, "bind",
                calls.Bind(p, s, at, static_cast<std::uint32_t>(bytes.size())),
                Args({std::to_string(s), address.ToString(), std::to_string(bytes.size())}));
}

Result Process::Listen(Handle s, int backlog) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  return Finish(*world_, p, calls, "listen", calls.Listen(p, s, backlog),
                Args({std::to_string(s), std::to_string(backlog)}));
}

Result Process::Connect(Handle s, const Address& address) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const auto bytes = calls.Encode(address);
  const Pointer at = memory().Place(bytes);
  return Finish(*world_, p, calls, "connect",
                calls.Connect(p, s, at, static_cast<std::uint32_t>(bytes.size())),
                Args({std::to_string(s), address.ToString(), std::to_string(bytes.size())}));
}

Result Process::Accept(Handle s, std::optional<std::uint32_t> buffer_size) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  return NameCall(*world_, p, calls, "accept", s, buffer_size.value_or(calls.storage_size()),
                  [&](Pointer buf, Pointer len) { return calls.Accept(p, s, buf, len); });
}

Result Process::GetPeerName(Handle s, std::optional<std::uint32_t> buffer_size) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  return NameCall(*world_, p, calls, "getpeername", s,
                  buffer_size.value_or(calls.storage_size()),
                  [&](Pointer buf, Pointer len) { return calls.GetName(p, s, buf, len, true); });
}

Result Process::GetSockName(Handle s, std::optional<std::uint32_t> buffer_size) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  return NameCall(*world_, p, calls, "getsockname", s,
                  buffer_size.value_or(calls.storage_size()),
                  [&](Pointer buf, Pointer len) { return calls.GetName(p, s, buf, len, false); });
}

Result Process::Send(Handle s, std::string_view data) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const std::vector<std::uint8_t> bytes(data.begin(), data.end());
  const Pointer at = memory().Place(bytes);
  return Finish(*world_, p, calls, "send", calls.Send(p, s, at, bytes.size()),
                Args({std::to_string(s), Quote(data), std::to_string(data.size())}));
}

Result Process::Recv(Handle s, std::size_t max) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const Pointer at = memory().Allocate(max);
  const auto r = calls.Recv(p, s, at, max);
  calls.AfterCall(p, r);
  auto out = detail::WorldState::ToResult(system_, "recv", r);
  if (r.succeeded() && r.value > 0) {
    const auto bytes = p.memory().Peek(at, static_cast<std::uint64_t>(r.value));
    if (bytes) out.data.assign(bytes->begin(), bytes->end());
  }
  world_->Record(pid_, out, Args({std::to_string(s), Hex(at), std::to_string(max)}));
  return out;
}

Result Process::SendTo(Handle s, std::string_view data, const Address& to) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const std::vector<std::uint8_t> bytes(data.begin(), data.end());
  const Pointer at = memory().Place(bytes);
  const auto name = calls.Encode(to);
  const Pointer to_at = memory().Place(name);
  return Finish(*world_, p, calls, "sendto",
                calls.SendTo(p, s, at, bytes.size(), to_at,
                             static_cast<std::uint32_t>(name.size())),
                Args({std::to_string(s), Quote(data), std::to_string(data.size()),
                      to.ToString()}));
}

Result Process::RecvFrom(Handle s, std::size_t max) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const Pointer at = memory().Allocate(max);
  const std::uint32_t size = calls.storage_size();
  const Pointer from = memory().Allocate(size);
  const Pointer len = memory().PlaceU32(size);
  const auto r = calls.RecvFrom(p, s, at, max, from, len);
  calls.AfterCall(p, r);
  auto out = detail::WorldState::ToResult(system_, "recvfrom", r);
  out.buffer_size = size;
  if (r.succeeded()) {
    if (r.value > 0) {
      const auto bytes = p.memory().Peek(at, static_cast<std::uint64_t>(r.value));
      if (bytes) out.data.assign(bytes->begin(), bytes->end());
    }
    out.length = p.memory().ReadU32(len);
    out.bytes = p.memory().Peek(from, size).value_or(std::vector<std::uint8_t>{});
    if (out.length && *out.length <= size && *out.length > 0) {
      out.address = calls.Decode(std::span(out.bytes).first(*out.length));
    }
  }
  world_->Record(pid_, out,
                 Args({std::to_string(s), Hex(at), std::to_string(max), Hex(from),
                       "[" + std::to_string(size) + "]"}));
  return out;
}

Result Process::Shutdown(Handle s, ShutdownHow how) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  const int h = calls.ShutdownNumber(how);
  return Finish(*world_, p, calls, "shutdown", calls.Shutdown(p, s, h),
                Args({std::to_string(s), std::to_string(h)}));
}

Result Process::Close(Handle s) {
  auto& calls = world_->Calls(system_);
  auto& p = world_->ProcessOf(pid_);
  return Finish(*world_, p, calls, system_ == System::kWindows ? "closesocket" : "close",
                calls.Close(p, s), std::to_string(s));
}

void Process::Exit(int status) {
  auto& calls = world_->Calls(system_);
  calls.Exit(world_->ProcessOf(pid_), status);
}

int Process::last_error() const {
  return world_->Calls(system_).LastError(world_->ProcessOf(pid_));
}

}  // namespace socksim
