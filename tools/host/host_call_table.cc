// File: tools/host/host_call_table.cc
// `socksim run --host`: the Linux call lines of a scenario run as real system calls in real
// processes (tools/host/host_agent.h), with arguments bound and results printed the way the
// simulator's LinuxCallTable does, so that the same expectations are checked against the
// kernel of this machine.
//
// Binding mirrors tools/scenario/linux_call_table.cc rule for rule: integers and named
// constants, sockaddrs padded to the length argument, value-result lengths as 4-byte cells,
// fresh buffers for `_` and stack-range pointers, literal pointers (0x1, NULL) passed as they
// are so that the kernel itself faults. Instead of simulated memory the buffers travel in the
// request to the agent, which places them in its own memory (ro: and end: included) and sends
// their contents back after the call.
#include "tools/host/host_call_table.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <climits>
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "sim/fd_table.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "tools/host/host_agent.h"
#include "tools/host/host_wire.h"
#include "tools/scenario/linux_sockaddr_values.h"
#include "tools/scenario/linux_symbols.h"
#include "tools/scenario/values.h"
#include "tools/scenario/world_builder.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;
using host::kChannelFd;
using host::Placement;
using host::ReadStatus;
using host::Reply;
using host::Request;
using host::WireArg;
using host::WireBuffer;

// strace prints user-space buffers in this range; such a literal means "a valid buffer".
constexpr std::uint64_t kStackLow = 0x7f0000000000ULL;
constexpr std::uint64_t kStackHigh = 0x800000000000ULL;

// How long a call may take before it counts as blocked.
constexpr std::int64_t kTryMs = 200;         // an <unfinished ...> line
constexpr std::int64_t kWholeMs = 5000;      // a whole line
constexpr std::int64_t kResumeMs = 10000;    // a <... resumed> line
constexpr std::int64_t kAdvanceCapMs = 200;  // real pause for `advance` / `settle`
constexpr std::int64_t kAtFdcwd = -100;

struct BindFailure {
  std::string message;
  SourceLocation location;
};

struct SkipCall {
  std::string reason;
};

// A pointer argument: one of the request's buffers, or a literal address (NULL is 0).
struct Ptr {
  int buf = -1;
  std::uint64_t raw = 0;
  bool null() const { return buf < 0 && raw == 0; }
};

// IPv4 addresses of the scenario moved onto 127.0.0.0/8 when no namespace can be created.
struct AddressMap {
  bool active = false;
  std::map<std::uint32_t, std::uint32_t> to_host;    // network order values
  std::map<std::uint32_t, std::uint32_t> to_scenario;

  void Apply(std::vector<std::uint8_t>& b, bool outbound) const {
    if (!active || b.size() < 8) return;
    const std::uint16_t family = static_cast<std::uint16_t>(b[0] | (b[1] << 8));
    if (family != AF_INET) return;
    std::uint32_t a = 0;
    std::memcpy(&a, b.data() + 4, 4);
    const auto& m = outbound ? to_host : to_scenario;
    const auto it = m.find(a);
    if (it != m.end()) std::memcpy(b.data() + 4, &it->second, 4);
  }
};

}  // namespace

class HostBinder;
using Printer = std::function<void(HostBinder&)>;
using HostHandler = std::function<void(HostBinder&)>;

/// One call's binding: the request for the agent, then the printed result.
class HostBinder {
 public:
  HostBinder(const CallLine& call, const AddressMap& map) : call_(call), map_(map) { out_.args = call.args; }

  ExecutedCall& out() { return out_; }
  Request& request() { return req_; }
  std::size_t argc() const { return call_.args.size(); }
  const CallLine& call() const { return call_; }

  void Need(std::size_t n) {
    if (call_.args.size() != n) {
      Fail(call_.location, fmt::format("{} takes {} arguments, found {}", call_.name, n, call_.args.size()));
    }
  }

  [[noreturn]] void Fail(const SourceLocation& where, std::string message) {
    throw BindFailure{std::move(message), where};
  }

  const Value& Arg(std::size_t i) {
    if (i >= call_.args.size()) Fail(call_.location, fmt::format("{}: missing argument {}", call_.name, i + 1));
    return call_.args[i];
  }

  std::int64_t Int(std::size_t i) {
    const Value& v = Arg(i);
    switch (v.kind) {
      case Value::Kind::kInteger:
      case Value::Kind::kPointer:
      case Value::Kind::kDecorated:
        return v.integer;
      case Value::Kind::kSymbol: {
        std::int64_t total = 0;
        for (const auto& flag : v.flags) {
          if (auto n = linux_symbols::Lookup(flag)) {
            total |= *n;
          } else if (auto num = ParseNumber(flag)) {
            total |= *num;
          } else {
            Fail(v.location, fmt::format("unknown constant '{}'", flag));
          }
        }
        return total;
      }
      case Value::Kind::kNull:
        return 0;
      default:
        Fail(v.location, fmt::format("expected an integer, found '{}'", v.ToString()));
    }
  }

  int Fd(std::size_t i) {
    const std::int64_t fd = Int(i);
    NotChannel(fd);
    if (fd >= -1) fds_.push_back(static_cast<int>(fd));
    out_.fds = fds_;
    return static_cast<int>(fd);
  }

  /// The agent's channel number is not the scenario's to use.
  static void NotChannel(std::int64_t fd) {
    if (fd == kChannelFd) {
      throw SkipCall{fmt::format("descriptor {} holds the host agent's request channel", kChannelFd)};
    }
  }

  Ptr Buffer(const Value& v, std::uint64_t size) {
    if (v.kind == Value::Kind::kNull) return Ptr{};
    if (v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kPointer) {
      const auto addr = static_cast<std::uint64_t>(v.integer);
      if (addr < kStackLow || addr >= kStackHigh) return Ptr{-1, addr};
    }
    return Fresh(v, size, {});
  }

  Ptr Fresh(const Value& v, std::uint64_t size, std::vector<std::uint8_t> init) {
    if (size > host::kMaxBuffer) {
      throw SkipCall{fmt::format("a buffer of {} bytes is larger than the host agent serves", size)};
    }
    if (req_.bufs.size() >= host::kMaxBuffers) Fail(call_.location, "too many buffers for the host agent");
    WireBuffer b;
    b.size = static_cast<std::uint32_t>(size);
    b.placement = v.annotation == "end"  ? Placement::kAtEnd
                  : v.annotation == "ro" ? Placement::kReadOnly
                                         : Placement::kNormal;
    if (init.size() > size) init.resize(size);
    b.init = std::move(init);
    req_.bufs.push_back(std::move(b));
    return Ptr{static_cast<int>(req_.bufs.size() - 1), 0};
  }

  static std::vector<std::uint8_t> U32Bytes(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v >> 16),
            static_cast<std::uint8_t>(v >> 24)};
  }

  std::pair<Ptr, std::uint32_t> LengthCell(std::size_t i) {
    const Value& v = Arg(i);
    if (v.kind == Value::Kind::kValueResult) {
      const Value& in = v.items.at(0);
      std::uint32_t value = 0;
      if (in.kind == Value::Kind::kInteger) {
        value = static_cast<std::uint32_t>(in.integer);
      } else if (in.kind != Value::Kind::kWildcard) {
        Fail(in.location, fmt::format("expected a length, found '{}'", in.ToString()));
      } else {
        value = 128;
      }
      return {Fresh(v, 4, U32Bytes(value)), value};
    }
    if (v.kind == Value::Kind::kWildcard) return {Fresh(v, 4, U32Bytes(128)), 128};
    return {Buffer(v, 4), 0};
  }

  Ptr InSockaddr(std::size_t i, std::uint64_t len) {
    const Value& v = Arg(i);
    if (v.kind != Value::Kind::kStruct) return Buffer(v, len);
    std::string error;
    auto bytes = LinuxSockaddrBytes(v, &error);
    if (!bytes) Fail(v.location, error);
    map_.Apply(*bytes, true);
    if (bytes->size() < len) bytes->resize(len, 0);
    const std::size_t n = bytes->size();
    return Fresh(v, n, std::move(*bytes));
  }

  Ptr InBytes(std::size_t i, std::uint64_t len) {
    const Value& v = Arg(i);
    if (v.kind != Value::Kind::kString) return Buffer(v, len);
    std::vector<std::uint8_t> bytes(v.text.begin(), v.text.end());
    if (bytes.size() < len) bytes.resize(len, 0);
    const std::size_t n = bytes.size();
    return Fresh(v, n, std::move(bytes));
  }

  /// The system call to run.
  void Syscall(std::int64_t nr, std::initializer_list<WireArg> args) {
    req_.op = host::Op::kSyscall;
    req_.nr = nr;
    req_.args.assign(args.begin(), args.end());
  }
  static WireArg I(std::int64_t v) { return WireArg{false, static_cast<std::uint64_t>(v)}; }
  static WireArg P(Ptr p) {
    return p.buf >= 0 ? WireArg{true, static_cast<std::uint64_t>(p.buf)} : WireArg{false, p.raw};
  }

  /// Bytes of a buffer after the call; nullopt for literal addresses (nothing to read).
  std::optional<std::vector<std::uint8_t>> Peek(Ptr p, std::uint64_t n, std::uint64_t offset = 0) const {
    if (p.buf < 0 || static_cast<std::size_t>(p.buf) >= reply_.bufs.size()) return std::nullopt;
    const auto& b = reply_.bufs[static_cast<std::size_t>(p.buf)];
    if (offset + n > b.size()) return std::nullopt;
    return std::vector<std::uint8_t>(b.begin() + static_cast<std::ptrdiff_t>(offset),
                                     b.begin() + static_cast<std::ptrdiff_t>(offset + n));
  }
  std::optional<std::uint32_t> ReadU32(Ptr p, std::uint64_t offset = 0) const {
    const auto b = Peek(p, 4, offset);
    if (!b) return std::nullopt;
    return (*b)[0] | ((*b)[1] << 8) | ((*b)[2] << 16) | (std::uint32_t{(*b)[3]} << 24);
  }

  void PrintLength(std::size_t i, Ptr cell, std::uint32_t in) {
    const Value& expected = Arg(i);
    if (expected.kind != Value::Kind::kValueResult && expected.kind != Value::Kind::kWildcard) return;
    std::uint32_t out = in;
    if (auto now = ReadU32(cell)) out = *now;
    const bool show_out = Succeeded() ? out != in : (expected.kind == Value::Kind::kValueResult && expected.has_out);
    Value printed = values::ValueResult(values::Integer(static_cast<std::int32_t>(in)),
                                        show_out ? std::optional<Value>(values::Integer(static_cast<std::int32_t>(out)))
                                                 : std::nullopt);
    printed.annotation = expected.annotation;
    SetArg(i, printed);
  }

  void PrintSockaddr(std::size_t i, Ptr at, Ptr len_cell, std::uint32_t in) {
    if (!Succeeded() || at.null()) return;
    const auto len = ReadU32(len_cell);
    if (!len) return;
    const std::uint32_t n = std::min(in, *len);
    if (n == 0) return;
    auto bytes = Peek(at, n);
    if (!bytes) return;
    map_.Apply(*bytes, false);
    SetArg(i, LinuxSockaddrValue(*bytes));
  }

  void PrintBytes(std::size_t i, Ptr at, std::int64_t n) {
    if (!Succeeded() || at.null() || n < 0) return;
    const auto bytes = Peek(at, static_cast<std::uint64_t>(n));
    if (bytes) SetArg(i, values::String(std::string(bytes->begin(), bytes->end())));
  }

  void SetArg(std::size_t i, Value v) {
    if (i < out_.args.size()) {
      v.location = out_.args[i].location;
      out_.args[i] = std::move(v);
    }
  }

  bool Succeeded() const { return out_.result.code == 0 && !out_.result.blocked; }

  std::optional<std::int64_t> ExpectedReturn() const {
    if (call_.outcome && call_.outcome->kind == Outcome::Kind::kValue) return call_.outcome->value;
    return std::nullopt;
  }

  void Finish(stack::CallResult r) {
    out_.result = r;
    out_.blocked = r.blocked;
    Outcome o;
    o.location = call_.outcome ? call_.outcome->location : call_.location;
    o.value = r.value;
    o.value_text = std::to_string(r.value);
    if (r.code != 0) {
      const auto info = la::ErrnoByValue(r.code);
      o.error_symbol = info ? std::string(info->symbol) : std::to_string(r.code);
      o.error_text = info ? std::string(info->message) : "";
    }
    out_.outcome = o;
  }

  /// The agent's answer arrived: record it and print the outputs.
  void Complete(Reply reply) {
    reply_ = std::move(reply);
    Finish(stack::CallResult{reply_.ret, reply_.ret == -1 ? reply_.err : 0, false});
    if (printer) printer(*this);
  }

  static std::optional<std::int64_t> ParseNumber(const std::string& s) {
    try {
      std::size_t used = 0;
      const long long v = std::stoll(s, &used, 0);
      if (used == s.size()) return v;
    } catch (...) {
    }
    return std::nullopt;
  }

  Printer printer;
  /// fork/clone: the scenario pid the child gets.
  std::optional<int> fork_child;
  /// Real pid -> scenario pid, for SO_PEERCRED.
  std::function<std::int64_t(std::int64_t)> scenario_pid;

 private:
  const CallLine& call_;
  const AddressMap& map_;
  Request req_;
  Reply reply_;
  ExecutedCall out_;
  std::vector<int> fds_;
};

namespace {

void NameCall(HostBinder& b, bool peer) {
  b.Need(3);
  const int fd = b.Fd(0);
  const auto [len_cell, in] = b.LengthCell(2);
  const Ptr addr = b.Buffer(b.Arg(1), in == 0 ? 128 : in);
  b.Syscall(peer ? SYS_getpeername : SYS_getsockname, {HostBinder::I(fd), HostBinder::P(addr), HostBinder::P(len_cell)});
  b.printer = [addr, len_cell, in](HostBinder& x) {
    x.PrintSockaddr(1, addr, len_cell, in);
    x.PrintLength(2, len_cell, in);
  };
}

void AcceptCall(HostBinder& b, bool four) {
  b.Need(four ? 4 : 3);
  const int fd = b.Fd(0);
  const int flags = four ? static_cast<int>(b.Int(3)) : 0;
  Ptr addr;
  Ptr len_cell;
  std::uint32_t in = 0;
  if (b.Arg(2).kind != Value::Kind::kNull) std::tie(len_cell, in) = b.LengthCell(2);
  if (b.Arg(1).kind != Value::Kind::kNull) addr = b.Buffer(b.Arg(1), in == 0 ? 128 : in);
  if (four) {
    b.Syscall(SYS_accept4, {HostBinder::I(fd), HostBinder::P(addr), HostBinder::P(len_cell), HostBinder::I(flags)});
  } else {
    b.Syscall(SYS_accept, {HostBinder::I(fd), HostBinder::P(addr), HostBinder::P(len_cell)});
  }
  b.printer = [addr, len_cell, in](HostBinder& x) {
    x.PrintSockaddr(1, addr, len_cell, in);
    if (!len_cell.null()) x.PrintLength(2, len_cell, in);
  };
}

void SendCall(HostBinder& b, bool with_address) {
  b.Need(with_address ? 6 : 4);
  const int fd = b.Fd(0);
  const auto len = static_cast<std::uint64_t>(b.Int(2));
  const Ptr buf = b.InBytes(1, len);
  const int flags = static_cast<int>(b.Int(3));
  Ptr dest;
  std::uint32_t destlen = 0;
  if (with_address) {
    destlen = static_cast<std::uint32_t>(b.Int(5));
    dest = b.InSockaddr(4, destlen);
  }
  b.Syscall(SYS_sendto, {HostBinder::I(fd), HostBinder::P(buf), HostBinder::I(static_cast<std::int64_t>(len)),
                         HostBinder::I(flags), HostBinder::P(dest), HostBinder::I(destlen)});
}

void RecvCall(HostBinder& b, bool with_address) {
  b.Need(with_address ? 6 : 4);
  const int fd = b.Fd(0);
  const auto len = static_cast<std::uint64_t>(b.Int(2));
  const Ptr buf = b.Buffer(b.Arg(1), len);
  const int flags = static_cast<int>(b.Int(3));
  Ptr src;
  Ptr src_len;
  std::uint32_t in = 0;
  if (with_address && b.Arg(5).kind != Value::Kind::kNull) std::tie(src_len, in) = b.LengthCell(5);
  if (with_address && b.Arg(4).kind != Value::Kind::kNull) src = b.Buffer(b.Arg(4), in == 0 ? 128 : in);
  b.Syscall(SYS_recvfrom, {HostBinder::I(fd), HostBinder::P(buf), HostBinder::I(static_cast<std::int64_t>(len)),
                           HostBinder::I(flags), HostBinder::P(src), HostBinder::P(src_len)});
  b.printer = [buf, src, src_len, in, with_address](HostBinder& x) {
    x.PrintBytes(1, buf, x.out().result.value);
    if (with_address) {
      x.PrintSockaddr(4, src, src_len, in);
      if (!src_len.null()) x.PrintLength(5, src_len, in);
    }
  };
}

// getsockopt's option value as the simulator prints it: the argument as written when nothing
// was returned, the struct members that fit for ucred (pid translated back to the scenario's)
// and linger, [int] for four bytes (SO_ERROR as an errno name), raw bytes otherwise.
Value PrintOption(HostBinder& b, int level, int name, Ptr at, Ptr len_cell) {
  const auto n = b.ReadU32(len_cell);
  const Value given = b.out().args.size() > 3 ? b.out().args[3] : Value{};
  if (!n || *n == 0) return given;
  const auto bytes = b.Peek(at, *n);
  if (!bytes) return given;
  auto word = [&](std::size_t k) -> std::int64_t {
    std::uint32_t w = 0;
    for (std::size_t j = 0; j < 4; ++j) w |= std::uint32_t{(*bytes)[k * 4 + j]} << (8 * j);
    return static_cast<std::int32_t>(w);
  };
  const std::size_t words = bytes->size() / 4;
  auto members = [&](std::initializer_list<const char*> names, bool pid_first) {
    std::vector<Value::Field> fields;
    std::size_t k = 0;
    for (const char* field : names) {
      if (k >= words) break;
      std::int64_t v = word(k);
      if (pid_first && k == 0 && b.scenario_pid) v = b.scenario_pid(v);
      ++k;
      fields.push_back({field, values::Integer(v)});
    }
    return values::Struct(std::move(fields));
  };
  if (level == la::kSolSocket && name == la::kSoPeercred && words > 0) return members({"pid", "uid", "gid"}, true);
  if (level == la::kSolSocket && name == la::kSoLinger && words > 0) return members({"l_onoff", "l_linger"}, false);
  if (bytes->size() == 4) {
    if (level == la::kSolSocket && name == la::kSoError && word(0) != 0) {
      if (const auto info = la::ErrnoByValue(static_cast<int>(word(0)))) {
        return values::ValueResult(values::Symbol(std::string(info->symbol)), std::nullopt);
      }
    }
    return values::ValueResult(values::Integer(word(0)), std::nullopt);
  }
  return values::String(std::string(bytes->begin(), bytes->end()));
}

std::map<std::string, HostHandler> MakeHandlers() {
  using B = HostBinder;
  std::map<std::string, HostHandler> h;
  h["socket"] = [](B& b) {
    b.Need(3);
    b.Syscall(SYS_socket, {B::I(b.Int(0)), B::I(b.Int(1)), B::I(b.Int(2))});
  };
  h["socketpair"] = [](B& b) {
    b.Need(4);
    const std::int64_t domain = b.Int(0), type = b.Int(1), protocol = b.Int(2);
    const Ptr sv = b.Buffer(b.Arg(3), 8);
    b.Syscall(SYS_socketpair, {B::I(domain), B::I(type), B::I(protocol), B::P(sv)});
    b.printer = [sv](B& x) {
      if (!x.Succeeded()) return;
      const auto a = x.ReadU32(sv);
      const auto c = x.ReadU32(sv, 4);
      if (a && c) x.SetArg(3, values::Array({values::Integer(*a), values::Integer(*c)}));
    };
  };
  auto address_call = [](B& b, std::int64_t nr) {
    b.Need(3);
    const int fd = b.Fd(0);
    const auto len = static_cast<std::uint32_t>(b.Int(2));
    const Ptr addr = b.InSockaddr(1, len);
    b.Syscall(nr, {B::I(fd), B::P(addr), B::I(len)});
  };
  h["bind"] = [address_call](B& b) { address_call(b, SYS_bind); };
  h["connect"] = [address_call](B& b) { address_call(b, SYS_connect); };
  h["listen"] = [](B& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    b.Syscall(SYS_listen, {B::I(fd), B::I(b.Int(1))});
  };
  h["accept"] = [](B& b) { AcceptCall(b, false); };
  h["accept4"] = [](B& b) { AcceptCall(b, true); };
  h["getpeername"] = [](B& b) { NameCall(b, true); };
  h["getsockname"] = [](B& b) { NameCall(b, false); };
  h["shutdown"] = [](B& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    b.Syscall(SYS_shutdown, {B::I(fd), B::I(b.Int(1))});
  };
  h["close"] = [](B& b) {
    b.Need(1);
    b.Syscall(SYS_close, {B::I(b.Fd(0))});
  };
  h["dup"] = [](B& b) {
    b.Need(1);
    b.Syscall(SYS_dup, {B::I(b.Fd(0))});
  };
  h["dup2"] = [](B& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    const std::int64_t to = b.Int(1);
    B::NotChannel(to);
    b.Syscall(host::kPseudoDup2, {B::I(fd), B::I(to)});
  };
  h["dup3"] = [](B& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const std::int64_t to = b.Int(1);
    B::NotChannel(to);
    b.Syscall(SYS_dup3, {B::I(fd), B::I(to), B::I(b.Int(2))});
  };
  h["sendto"] = [](B& b) { SendCall(b, true); };
  h["send"] = [](B& b) { SendCall(b, false); };
  h["write"] = [](B& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const auto len = static_cast<std::uint64_t>(b.Int(2));
    const Ptr buf = b.InBytes(1, len);
    b.Syscall(SYS_write, {B::I(fd), B::P(buf), B::I(static_cast<std::int64_t>(len))});
  };
  h["recvfrom"] = [](B& b) { RecvCall(b, true); };
  h["recv"] = [](B& b) { RecvCall(b, false); };
  h["read"] = [](B& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const auto len = static_cast<std::uint64_t>(b.Int(2));
    const Ptr buf = b.Buffer(b.Arg(1), len);
    b.Syscall(SYS_read, {B::I(fd), B::P(buf), B::I(static_cast<std::int64_t>(len))});
    b.printer = [buf](B& x) { x.PrintBytes(1, buf, x.out().result.value); };
  };
  h["setsockopt"] = [](B& b) {
    b.Need(5);
    const int fd = b.Fd(0);
    const int level = static_cast<int>(b.Int(1));
    const int name = static_cast<int>(b.Int(2));
    const auto len = static_cast<std::uint32_t>(b.Int(4));
    const Value& v = b.Arg(3);
    std::vector<std::uint8_t> bytes;
    auto put = [&](std::int64_t x) {
      for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
    };
    Ptr at;
    bool placed = false;
    if ((v.kind == Value::Kind::kArray || (v.kind == Value::Kind::kValueResult && !v.has_out)) &&
        v.items.size() == 1) {
      put(v.items[0].integer);
    } else if (v.kind == Value::Kind::kStruct) {
      for (const auto& f : v.fields) put(f.value.integer);
    } else {
      at = b.Buffer(v, len);
      placed = true;
    }
    if (!placed && !bytes.empty()) {
      if (bytes.size() < len) bytes.resize(len, 0);
      const std::size_t n = bytes.size();
      at = b.Fresh(v, n, std::move(bytes));
    }
    b.Syscall(SYS_setsockopt, {B::I(fd), B::I(level), B::I(name), B::P(at), B::I(len)});
  };
  h["getsockopt"] = [](B& b) {
    b.Need(5);
    const int fd = b.Fd(0);
    const int level = static_cast<int>(b.Int(1));
    const int name = static_cast<int>(b.Int(2));
    const auto [len_cell, in] = b.LengthCell(4);
    const Ptr at = b.Buffer(b.Arg(3), in == 0 ? 16 : in);
    b.Syscall(SYS_getsockopt, {B::I(fd), B::I(level), B::I(name), B::P(at), B::P(len_cell)});
    b.printer = [level, name, at, len_cell = len_cell, in = in](B& x) {
      if (x.Succeeded()) x.SetArg(3, PrintOption(x, level, name, at, len_cell));
      x.PrintLength(4, len_cell, in);
    };
  };
  auto open_call = [](B& b, std::size_t path_index) {
    const Value& path = b.Arg(path_index);
    if (path.kind != Value::Kind::kString) {
      b.Fail(path.location, path_index == 0 ? "open needs a path string" : "openat needs a path string");
    }
    const std::int64_t dirfd = path_index == 0 ? kAtFdcwd : b.Int(0);
    const std::int64_t flags = b.Int(path_index + 1);
    const std::int64_t mode = b.argc() > path_index + 2 ? b.Int(path_index + 2) : 0;
    std::vector<std::uint8_t> bytes(path.text.begin(), path.text.end());
    bytes.push_back(0);
    const std::size_t n = bytes.size();
    const Ptr p = b.Fresh(path, n, std::move(bytes));
    b.Syscall(SYS_openat, {B::I(dirfd), B::P(p), B::I(flags), B::I(mode)});
  };
  h["open"] = [open_call](B& b) {
    b.Need(2);
    open_call(b, 0);
  };
  h["openat"] = [open_call](B& b) {
    if (b.argc() < 3) b.Need(3);
    open_call(b, 1);
  };
  auto fork = [](B& b) {
    if (auto r = b.ExpectedReturn(); r && *r > 0) b.fork_child = static_cast<int>(*r);
    else b.fork_child = 0;  // the table picks the next free pid
    b.request().op = host::Op::kFork;
  };
  h["fork"] = fork;
  h["vfork"] = fork;
  h["clone"] = [fork](B& b) {
    for (const auto& v : b.out().args) {
      for (const auto& f : v.fields) {
        if (f.name == "flags" && f.value.text.find("CLONE_THREAD") != std::string::npos) {
          b.Fail(f.value.location, "threads (CLONE_THREAD) are not modelled");
        }
      }
    }
    fork(b);
  };
  h["setresuid"] = [](B& b) {
    b.Need(3);
    b.Syscall(SYS_setresuid, {B::I(static_cast<std::uint32_t>(b.Int(0))), B::I(static_cast<std::uint32_t>(b.Int(1))),
                              B::I(static_cast<std::uint32_t>(b.Int(2)))});
  };
  h["setresgid"] = [](B& b) {
    b.Need(3);
    b.Syscall(SYS_setresgid, {B::I(static_cast<std::uint32_t>(b.Int(0))), B::I(static_cast<std::uint32_t>(b.Int(1))),
                              B::I(static_cast<std::uint32_t>(b.Int(2)))});
  };
  return h;
}

}  // namespace

namespace {

// Something that happens between call lines, applied before the next call runs.
struct Event {
  int line = 0;
  enum class Kind { kExit, kKill, kPause } kind = Kind::kExit;
  int pid = 0;
  int status = 0;
  std::int64_t ms = 0;
};

/// The table: one agent per scenario pid.
class HostCallTable final : public CallTable {
 public:
  HostCallTable() : handlers_(MakeHandlers()) {}
  ~HostCallTable() override {
    host::StopCoordinator(&coordinator_);
    if (!workdir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(workdir_, ignored);
    }
  }
  HostCallTable(const HostCallTable&) = delete;
  HostCallTable& operator=(const HostCallTable&) = delete;

  bool Start(const Scenario& scenario, std::string* error);
  ExecutedCall Execute(const CallLine& call, sim::Process& process, bool may_wait) override;
  std::vector<std::string> Explain(sim::Process& process, const std::vector<int>& fds) override;
  std::string ErrorSymbol(int code) const override {
    const auto info = la::ErrnoByValue(code);
    return info ? std::string(info->symbol) : std::to_string(code);
  }

 private:
  struct Proc {
    int channel = -1;
    pid_t real = -1;
    bool alive = true;
    std::unique_ptr<HostBinder> inflight;  // a call that has not answered yet
    int inflight_line = 0;
    bool stale = false;                    // nobody will collect it (a whole line that blocked)
  };

  void ApplyEventsBefore(int line);
  void EndProcess(int pid, bool kill_it, int status);
  ExecutedCall RunFork(HostBinder& b, Proc& p, int pid);
  std::optional<Reply> Await(Proc& p, std::int64_t ms, std::string* error, bool* timed_out);
  std::int64_t ScenarioPidOf(std::int64_t real) const {
    for (const auto& [pid, proc] : procs_) {
      if (proc.real == real) return pid;
    }
    return real;
  }
  static ExecutedCall BindError(const SourceLocation& at, std::string message) {
    ExecutedCall out;
    out.bind_error = std::move(message);
    out.bind_error_location = at;
    return out;
  }

  std::map<std::string, HostHandler> handlers_;
  host::Coordinator coordinator_;
  std::map<int, Proc> procs_;
  std::vector<Event> events_;
  std::size_t next_event_ = 0;
  int incomparable_line_ = INT_MAX;
  std::string incomparable_reason_;
  int next_pid_ = 100;
  AddressMap map_;
  std::string workdir_;  // the processes' working directory, removed at the end
};

std::optional<std::int64_t> ToInt(const std::string& s) {
  return HostBinder::ParseNumber(s);
}

bool HostCallTable::Start(const Scenario& scenario, std::string* error) {
  std::vector<host::AgentSpec> specs;
  std::vector<host::LoAddress> addresses;
  std::set<int> pids;
  for (const auto& line : scenario.lines) {
    if (line.kind == Line::Kind::kProcessEvent) {
      const ProcessEvent& ev = line.event;
      if (ev.kind == ProcessEvent::Kind::kExited || ev.kind == ProcessEvent::Kind::kKilled) {
        events_.push_back(Event{ev.location.line, ev.kind == ProcessEvent::Kind::kExited ? Event::Kind::kExit : Event::Kind::kKill,
                                ev.pid, ev.status, 0});
      }
      continue;
    }
    if (line.kind != Line::Kind::kDirective) continue;
    const Directive& d = line.directive;
    if (d.keyword == "link-down" || d.keyword == "link-up" || d.keyword == "fault" || d.keyword == "graph") {
      if (d.location.line < incomparable_line_) {
        incomparable_line_ = d.location.line;
        incomparable_reason_ = fmt::format(
            "not comparable on the host after '{}' (line {}): all hosts share one network namespace there",
            d.text, d.location.line);
      }
    } else if (d.keyword == "advance" || d.keyword == "settle") {
      std::int64_t ms = kAdvanceCapMs;
      if (d.keyword == "advance" && d.words.size() == 1) {
        if (const auto dur = ParseDuration(d.words[0])) ms = std::min<std::int64_t>(kAdvanceCapMs, dur->ns / 1000000);
      }
      events_.push_back(Event{d.location.line, Event::Kind::kPause, 0, 0, std::max<std::int64_t>(ms, 1)});
    } else if (d.keyword == "link") {
      for (const auto& opt : d.options) {
        if (opt.key == "latency") continue;
        std::size_t start = 0;
        while (start <= opt.value.size()) {
          const std::size_t comma = opt.value.find(',', start);
          const std::string item = opt.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
          const std::string ip = item.substr(0, item.find('/'));
          host::LoAddress a;
          a.text = ip;
          if (inet_pton(AF_INET, ip.c_str(), a.bytes) == 1) {
            a.family = AF_INET;
            a.prefix = 32;
            addresses.push_back(a);
          } else if (inet_pton(AF_INET6, ip.c_str(), a.bytes) == 1) {
            a.family = AF_INET6;
            a.prefix = 128;
            addresses.push_back(a);
          }
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
    } else if (d.keyword == "process") {
      if (d.words.size() != 1) continue;  // the world builder reports it
      const auto pid = ToInt(d.words[0]);
      if (!pid || *pid <= 0) continue;
      host::AgentSpec s;
      s.scenario_pid = static_cast<int>(*pid);
      std::optional<std::uint32_t> euid, suid, egid, sgid;
      for (const auto& opt : d.options) {
        const auto v = ToInt(opt.value);
        const auto u = static_cast<std::uint32_t>(v.value_or(0));
        if (opt.key == "uid") s.ruid = s.euid = s.suid = u;
        else if (opt.key == "gid") s.rgid = s.egid = s.sgid = u;
        else if (opt.key == "euid") euid = u;
        else if (opt.key == "suid") suid = u;
        else if (opt.key == "egid") egid = u;
        else if (opt.key == "sgid") sgid = u;
        else if (opt.key == "fdlimit" && v) s.fd_limit = static_cast<int>(*v);
        else if (opt.key == "stdio") s.stdio = opt.value != "no";
        else if (opt.key == "personality" && opt.value != "linux") {
          *error = fmt::format("process {} has personality '{}': only Linux runs on the host", *pid, opt.value);
          return false;
        } else if (opt.key == "groups") {
          std::size_t start = 0;
          while (start < opt.value.size()) {
            const std::size_t comma = opt.value.find(',', start);
            if (auto g = ToInt(opt.value.substr(start, comma == std::string::npos ? std::string::npos : comma - start))) {
              s.groups.push_back(static_cast<std::uint32_t>(*g));
            }
            if (comma == std::string::npos) break;
            start = comma + 1;
          }
        }
      }
      if (euid) s.euid = *euid;
      if (suid) s.suid = *suid;
      if (egid) s.egid = *egid;
      if (sgid) s.sgid = *sgid;
      if (pids.insert(s.scenario_pid).second) specs.push_back(s);
    } else if (d.keyword == "fd") {
      if (d.words.size() != 2) continue;
      const auto pid = ToInt(d.words[0]);
      const auto n = ToInt(d.words[1]);
      if (!pid || !n || *n < 0 || *n >= kChannelFd) continue;
      for (auto& s : specs) {
        if (s.scenario_pid != *pid) continue;
        const auto* kind = d.Find("kind");
        s.fds.push_back(host::InheritedFd{static_cast<int>(*n), kind && kind->value == "pipe"});
      }
    } else if (d.keyword == "personality" && d.words.size() == 1 && d.words[0] != "linux") {
      *error = fmt::format("personality '{}': only Linux scenarios run on the host", d.words[0]);
      return false;
    }
  }
  std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) { return a.line < b.line; });
  // Relative socket paths land in a fresh directory, writable by every scenario uid.
  char dir[] = "/tmp/socksim-host-XXXXXX";
  if (mkdtemp(dir) == nullptr || chmod(dir, 01777) != 0) {
    *error = fmt::format("creating a working directory: {}", std::strerror(errno));
    return false;
  }
  workdir_ = dir;
  for (auto& s : specs) s.cwd = workdir_;
  if (!host::StartCoordinator(specs, addresses, &coordinator_, error)) return false;
  if (!coordinator_.isolated) {
    // No private namespace: IPv4 addresses move onto 127.0.0.0/8 (10.0.0.1 -> 127.0.0.1 keeps
    // the low three bytes); IPv6 ones cannot be given to this machine.
    map_.active = true;
    for (const auto& a : addresses) {
      if (a.family == AF_INET6) {
        *error = fmt::format("cannot create a network namespace, and {} (IPv6) cannot be mapped onto loopback", a.text);
        return false;
      }
      std::uint8_t mapped[4] = {127, a.bytes[1], a.bytes[2], a.bytes[3]};
      std::uint32_t from = 0, to = 0;
      std::memcpy(&from, a.bytes, 4);
      std::memcpy(&to, mapped, 4);
      if (map_.to_scenario.count(to) != 0 && map_.to_scenario[to] != from) {
        *error = fmt::format("cannot create a network namespace, and {} collides with another address on loopback", a.text);
        return false;
      }
      map_.to_host[from] = to;
      map_.to_scenario[to] = from;
    }
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Proc p;
    p.channel = coordinator_.channels[i];
    p.real = coordinator_.real_pids[i];
    procs_.emplace(specs[i].scenario_pid, std::move(p));
  }
  return true;
}

std::optional<Reply> HostCallTable::Await(Proc& p, std::int64_t ms, std::string* error, bool* timed_out) {
  *timed_out = false;
  std::vector<std::uint8_t> frame;
  const ReadStatus st = host::ReadFrame(p.channel, &frame, nullptr, host::NowMs() + ms, error);
  if (st == ReadStatus::kTimeout) {
    *timed_out = true;
    return std::nullopt;
  }
  if (st == ReadStatus::kClosed) {
    *error = "the host process died during the call";
    p.alive = false;
    return std::nullopt;
  }
  if (st != ReadStatus::kOk) return std::nullopt;
  auto reply = host::DecodeReply(frame, error);
  if (reply && !reply->agent_error.empty()) {
    *error = "host agent: " + reply->agent_error;
    return std::nullopt;
  }
  return reply;
}

void HostCallTable::EndProcess(int pid, bool kill_it, int status) {
  const auto it = procs_.find(pid);
  if (it == procs_.end() || !it->second.alive) return;
  Proc& p = it->second;
  std::string error;
  if (kill_it || p.inflight) {
    if (p.real > 0) kill(p.real, SIGKILL);
  } else {
    Request r;
    r.op = host::Op::kExit;
    r.status = status;
    if (!host::WriteFrame(p.channel, host::EncodeRequest(r), -1, host::NowMs() + 2000, &error) && p.real > 0) {
      kill(p.real, SIGKILL);
    }
  }
  // The channel closes when the process is gone (its descriptors are closed by then).
  const std::int64_t deadline = host::NowMs() + 5000;
  std::vector<std::uint8_t> frame;
  while (host::ReadFrame(p.channel, &frame, nullptr, deadline, &error) == ReadStatus::kOk) {
  }
  close(p.channel);
  p.channel = -1;
  p.alive = false;
  p.inflight.reset();
}

void HostCallTable::ApplyEventsBefore(int line) {
  while (next_event_ < events_.size() && events_[next_event_].line < line) {
    const Event& e = events_[next_event_++];
    if (e.kind == Event::Kind::kPause) {
      usleep(static_cast<useconds_t>(e.ms * 1000));
    } else {
      EndProcess(e.pid, e.kind == Event::Kind::kKill, e.status);
    }
  }
}

ExecutedCall HostCallTable::RunFork(HostBinder& b, Proc& p, int pid) {
  int child = *b.fork_child;
  if (child > 0 && procs_.count(child) != 0 && child != pid) {
    return BindError(b.call().args.empty() ? b.call().location : b.call().args[0].location,
                     fmt::format("pid {} already exists", child));
  }
  if (child <= 0) {
    while (procs_.count(next_pid_) != 0) ++next_pid_;
    child = next_pid_++;
  }
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    return BindError(b.call().location, fmt::format("host: socketpair: {}", std::strerror(errno)));
  }
  Request r;
  r.op = host::Op::kFork;
  std::string error;
  const bool sent = host::WriteFrame(p.channel, host::EncodeRequest(r), pair[1], host::NowMs() + 2000, &error);
  close(pair[1]);
  bool timed_out = false;
  std::optional<Reply> reply;
  if (sent) reply = Await(p, kWholeMs, &error, &timed_out);
  if (!reply) {
    close(pair[0]);
    return BindError(b.call().location, "host: fork: " + (timed_out ? std::string("no answer") : error));
  }
  if (reply->ret > 0) {
    Proc c;
    c.channel = pair[0];
    c.real = static_cast<pid_t>(reply->ret);
    procs_.emplace(child, std::move(c));
    reply->ret = child;
  } else {
    close(pair[0]);
  }
  b.Complete(std::move(*reply));
  return std::move(b.out());
}

ExecutedCall HostCallTable::Execute(const CallLine& call, sim::Process& process, bool may_wait) {
  const auto handler = handlers_.find(call.name);
  if (handler == handlers_.end()) {
    ExecutedCall out;
    out.skip_reason = fmt::format("'{}' is not run on the host yet (socksim run --host)", call.name);
    return out;
  }
  if (call.location.line > incomparable_line_) {
    ExecutedCall out;
    out.skip_reason = incomparable_reason_;
    return out;
  }
  ApplyEventsBefore(call.location.line);
  const int pid = process.pid();
  const auto it = procs_.find(pid);
  if (it == procs_.end() || !it->second.alive) {
    return BindError(call.location, fmt::format("host: pid {} has no running host process", pid));
  }
  Proc& p = it->second;
  std::string error;
  bool timed_out = false;
  if (p.inflight) {
    if (!p.stale && may_wait && p.inflight_line == call.location.line) {
      // The <... resumed> line of a call that was still running at its unfinished line.
      std::unique_ptr<HostBinder> b = std::move(p.inflight);
      auto reply = Await(p, kResumeMs, &error, &timed_out);
      if (timed_out) {
        p.inflight = std::move(b);
        p.stale = true;
        ExecutedCall out = p.inflight->out();
        out.blocked = true;
        out.result = stack::CallResult{-1, 0, true};
        return out;
      }
      if (!reply) return BindError(call.location, error);
      b->Complete(std::move(*reply));
      return std::move(b->out());
    }
    // A call that never answered in time: if it has finished since, drop its answer.
    auto reply = Await(p, 0, &error, &timed_out);
    if (timed_out) {
      return BindError(call.location, fmt::format("host: pid {} is still blocked in {} (line {})", pid,
                                                  p.inflight->call().name, p.inflight_line));
    }
    p.inflight.reset();
    if (!reply) return BindError(call.location, error);
  }
  auto b = std::make_unique<HostBinder>(call, map_);
  b->scenario_pid = [this](std::int64_t real) { return ScenarioPidOf(real); };
  try {
    handler->second(*b);
  } catch (const BindFailure& failure) {
    return BindError(failure.location, failure.message);
  } catch (const SkipCall& skip) {
    ExecutedCall out;
    out.skip_reason = skip.reason;
    return out;
  }
  if (b->fork_child) return RunFork(*b, p, pid);
  if (!host::WriteFrame(p.channel, host::EncodeRequest(b->request()), -1, host::NowMs() + 2000, &error)) {
    return BindError(call.location, "host: " + error);
  }
  auto reply = Await(p, may_wait ? kWholeMs : kTryMs, &error, &timed_out);
  if (timed_out) {
    b->Finish(stack::CallResult{-1, 0, true});
    ExecutedCall out = b->out();
    p.inflight = std::move(b);
    p.inflight_line = call.location.line;
    p.stale = may_wait;
    return out;
  }
  if (!reply) return BindError(call.location, error);
  b->Complete(std::move(*reply));
  return std::move(b->out());
}

std::vector<std::string> HostCallTable::Explain(sim::Process& process, const std::vector<int>& fds) {
  std::vector<std::string> lines;
  const auto it = procs_.find(process.pid());
  if (it == procs_.end() || !it->second.alive) {
    lines.push_back(fmt::format("pid {}: no running host process", process.pid()));
    return lines;
  }
  Proc& p = it->second;
  for (int fd : fds) {
    if (fd < 0) continue;
    char target[256] = {};
    const std::string link = fmt::format("/proc/{}/fd/{}", p.real, fd);
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n < 0) {
      lines.push_back(fmt::format("fd {}: not open in pid {} (host)", fd, process.pid()));
      continue;
    }
    std::string line = fmt::format("fd {}: {} (host pid {})", fd, std::string(target, static_cast<std::size_t>(n)), p.real);
    if (!p.inflight && std::strncmp(target, "socket:", 7) == 0) {
      for (const bool peer : {false, true}) {
        Request r;
        r.nr = peer ? SYS_getpeername : SYS_getsockname;
        r.args = {WireArg{false, static_cast<std::uint64_t>(fd)}, WireArg{true, 0}, WireArg{true, 1}};
        r.bufs.push_back(WireBuffer{128, Placement::kNormal, {}});
        r.bufs.push_back(WireBuffer{4, Placement::kNormal, HostBinder::U32Bytes(128)});
        std::string error;
        bool timed_out = false;
        if (!host::WriteFrame(p.channel, host::EncodeRequest(r), -1, host::NowMs() + 2000, &error)) break;
        auto reply = Await(p, kWholeMs, &error, &timed_out);
        if (!reply) break;
        if (reply->ret != 0 || reply->bufs.size() != 2) {
          line += peer ? " peer: none" : " local: none";
          continue;
        }
        const auto& len = reply->bufs[1];
        const std::uint32_t got = len[0] | (len[1] << 8) | (len[2] << 16) | (std::uint32_t{len[3]} << 24);
        std::vector<std::uint8_t> addr(reply->bufs[0].begin(), reply->bufs[0].begin() + std::min<std::uint32_t>(got, 128));
        map_.Apply(addr, false);
        line += (peer ? " peer " : " local ") + LinuxSockaddrValue(addr).ToString();
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace

std::unique_ptr<CallTable> MakeHostCallTable(const Scenario& scenario, sim::World& world, std::string* error) {
  (void)world;
  auto table = std::make_unique<HostCallTable>();
  if (!table->Start(scenario, error)) return nullptr;
  return table;
}

}  // namespace socksim::tools
