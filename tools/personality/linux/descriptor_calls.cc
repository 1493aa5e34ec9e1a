// File: tools/personality/linux/descriptor_calls.cc
// Linux call handlers for what real programs do around their sockets, in strace's notation:
// fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK), ioctl(3, FIONBIO, [1]), ioctl(3, FIONREAD, [5]),
// pipe2([3, 4], O_CLOEXEC), eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK), read/write on any
// descriptor, readv/writev with `[{iov_base="...", iov_len=5}, ...]`, and sendmmsg/recvmmsg
// with `[{msg_hdr={...}, msg_len=12}, ...]` (the result is the number of messages),
// ioctl(3, FIOCLEX) with no third argument, and the interface queries with a struct ifreq,
// `{ifr_name="lo", ifr_mtu=65536}`. strace's
// comment after a result (`= 0x2 (flags O_RDWR)`) is a comment: the value is what is checked.
#include <algorithm>
#include <limits>

#include "tools/personality/linux/symbols.h"
#include "tools/personality/linux/syscall_binder.h"
#include "tools/scenario/buffers.h"
#include "tools/scenario/values.h"

namespace socksim::tools {
namespace {

namespace la = stack::linux_abi;
using Binder = LinuxCallTable::Binder;
using sim::UserAddress;

// struct mmsghdr on x86-64: a struct msghdr, msg_len and padding.
constexpr std::uint64_t kMmsghdrSize = la::kMsghdrSize + 8;

// The one integer of `[5]` (strace's notation for an int behind a pointer), if `v` is that.
std::optional<std::int64_t> CellInteger(Binder& b, const Value& v) {
  if ((v.kind == Value::Kind::kArray || (v.kind == Value::Kind::kValueResult && !v.has_out)) &&
      v.items.size() == 1) {
    b.Concrete(v.items[0]);
    return b.IntOf(v.items[0]);
  }
  return std::nullopt;
}

// An array of struct iovec laid out from `[{iov_base="...", iov_len=N}, ...]`: for a write the
// strings are the bytes, for a read the room. Returns the array's address and the vectors.
struct BuiltIov {
  UserAddress array = 0;
  std::vector<std::pair<UserAddress, std::uint64_t>> iov;
};

BuiltIov BuildIov(Binder& b, const Value& v, bool sending) {
  if (v.kind != Value::Kind::kArray) {
    // A literal pointer (NULL, 0x1) is passed as it is, so that it faults as on Linux.
    return BuiltIov{b.Buffer(v, 16), {}};
  }
  auto& mem = b.mem();
  BuiltIov out;
  for (const auto& item : v.items) {
    const Value* base = values::FieldOf(item, "iov_base");
    const Value* len_value = values::FieldOf(item, "iov_len");
    if (base == nullptr || len_value == nullptr) {
      b.Fail(item.location, "expected {iov_base=..., iov_len=N}");
    }
    b.Concrete(*len_value);
    const auto len = static_cast<std::uint64_t>(b.IntOf(*len_value));
    if (buffers::IsBuffer(*base)) {
      out.iov.emplace_back(b.Place(*base, len), len);
      continue;
    }
    if (sending) b.Concrete(*base);
    std::vector<std::uint8_t> bytes(std::min<std::uint64_t>(len, CallBinder::kLargestBuffer), 0);
    if (sending && base->kind == Value::Kind::kString) {
      for (std::size_t i = 0; i < base->text.size() && i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::uint8_t>(base->text[i]);
      }
    }
    const UserAddress at = b.Fresh(*base, bytes.size());
    (void)mem.Poke(at, bytes);
    out.iov.emplace_back(at, len);
  }
  out.array = b.Scratch(mem.Allocate(16 * (out.iov.empty() ? 1 : out.iov.size())));
  for (std::size_t i = 0; i < out.iov.size(); ++i) {
    (void)mem.WriteU64(out.array + 16 * i, out.iov[i].first);
    (void)mem.WriteU64(out.array + 16 * i + 8, out.iov[i].second);
  }
  return out;
}

// The vectors after a read of `received` bytes, as strace prints them: each iov_base holds
// the bytes that landed in it.
Value PrintReadIov(Binder& b, const Value& given, const BuiltIov& built, std::int64_t received) {
  std::vector<Value> items;
  std::int64_t left = received;
  for (std::size_t k = 0; k < built.iov.size(); ++k) {
    const auto& [base, len] = built.iov[k];
    const auto take = static_cast<std::uint64_t>(
        std::clamp<std::int64_t>(left, 0, static_cast<std::int64_t>(std::min<std::uint64_t>(len, INT64_MAX))));
    left -= static_cast<std::int64_t>(take);
    const Value& given_base = *values::FieldOf(given.items[k], "iov_base");
    if (auto buffer = b.PrintedBuffer(given_base)) {
      items.push_back(values::Struct({{"iov_base", std::move(*buffer)},
                                      {"iov_len", values::Integer(static_cast<std::int64_t>(len))}}));
      continue;
    }
    const auto bytes = b.mem().Peek(base, take);
    items.push_back(values::Struct(
        {{"iov_base", values::String(bytes ? std::string(bytes->begin(), bytes->end()) : "")},
         {"iov_len", values::Integer(static_cast<std::int64_t>(len))}}));
  }
  return values::Array(std::move(items));
}

// An array of struct mmsghdr from `[{msg_hdr={...}, msg_len=N}, ...]`.
struct BuiltMmsg {
  UserAddress array = 0;
  std::vector<BuiltMsghdr> headers;
};

BuiltMmsg BuildMmsg(Binder& b, const Value& v, bool sending) {
  if (v.kind != Value::Kind::kArray) return BuiltMmsg{b.Buffer(v, kMmsghdrSize), {}};
  BuiltMmsg out;
  out.array = b.Scratch(b.mem().Allocate(kMmsghdrSize * (v.items.empty() ? 1 : v.items.size())));
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    const Value* hdr = values::FieldOf(v.items[i], "msg_hdr");
    if (hdr == nullptr) b.Fail(v.items[i].location, "expected {msg_hdr={...}, msg_len=N}");
    out.headers.push_back(BuildMsghdr(b, *hdr, sending, out.array + kMmsghdrSize * i));
    (void)b.mem().WriteU32(out.array + kMmsghdrSize * i + la::kMsghdrSize, 0);
  }
  return out;
}

// The entries after the call: the first `done` with their msg_len (and for recvmmsg the
// received msghdr), the others as given.
Value PrintMmsg(Binder& b, const Value& given, const BuiltMmsg& built, std::int64_t done,
                bool received) {
  std::vector<Value> items;
  for (std::size_t i = 0; i < built.headers.size(); ++i) {
    if (static_cast<std::int64_t>(i) >= done) {
      items.push_back(given.items[i]);
      continue;
    }
    const auto len =
        b.mem().ReadU32(built.array + kMmsghdrSize * i + la::kMsghdrSize).value_or(0);
    const Value& hdr = *values::FieldOf(given.items[i], "msg_hdr");
    items.push_back(values::Struct(
        {{"msg_hdr", received ? PrintReceivedMsghdr(b, hdr, built.headers[i], len) : hdr},
         {"msg_len", values::Integer(len)}}));
  }
  return values::Array(std::move(items));
}

// Prints the bytes a read put at `buf`, at most `len`.
void PrintRead(Binder& b, std::size_t i, UserAddress buf, std::uint64_t len) {
  b.PrintBytes(i, buf,
               std::min<std::int64_t>(b.out().result.value,
                                      static_cast<std::int64_t>(std::min<std::uint64_t>(len, INT64_MAX))));
}

// ---- ioctl: terminal requests and interface queries ----

// The size of what a request's argument points to, for a literal pointer: the kernel's
// struct termios (4 tcflag_t, c_line, NCCS = 19 control characters: 36 bytes), struct
// winsize (8), struct ifreq (40), else an int.
std::uint64_t IoctlRoom(std::uint32_t request) {
  switch (static_cast<int>(request)) {
    case la::kTcgets:
    case la::kTcsets:
    case la::kTcsetsw:
    case la::kTcsetsf:
      return 36;
    case la::kTiocgwinsz:
    case la::kTiocswinsz:
      return 8;
    case la::kSiocgifname:
    case la::kSiocgifflags:
    case la::kSiocgifmtu:
    case la::kSiocgifindex:
      return 40;
    default:
      return 4;
  }
}

bool IsIfreqRequest(std::uint32_t request) { return IoctlRoom(request) == 40; }

// The member of struct ifreq's union a request reads or writes, as strace names it.
const char* IfreqMember(std::uint32_t request) {
  switch (static_cast<int>(request)) {
    case la::kSiocgifflags: return "ifr_flags";
    case la::kSiocgifmtu: return "ifr_mtu";
    default: return "ifr_ifindex";
  }
}

// ioctl(4, SIOCGIFNAME, {ifr_ifindex=1, ifr_name="lo"}) and
// ioctl(4, SIOCGIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|IFF_LOOPBACK|IFF_RUNNING}): a
// struct ifreq from its input member (ifr_ifindex for SIOCGIFNAME, ifr_name for the others),
// printed after a success with the output member after the input, as strace prints it
// (after a failure strace prints the input only, which is what the line gives).
void IfreqCall(Binder& b, int fd, std::uint32_t request, const Value& v) {
  const bool by_index = request == static_cast<std::uint32_t>(la::kSiocgifname);
  UserAddress at = 0;
  if (v.kind == Value::Kind::kStruct) {
    std::vector<std::uint8_t> bytes(40, 0);
    if (by_index) {
      const Value* index = values::FieldOf(v, "ifr_ifindex");
      if (index == nullptr) b.Fail(v.location, "expected {ifr_ifindex=N, ...}");
      b.Concrete(*index);
      const auto n = static_cast<std::uint32_t>(b.IntOf(*index));
      for (int k = 0; k < 4; ++k) bytes[16 + k] = static_cast<std::uint8_t>(n >> (8 * k));
    } else {
      const Value* name = values::FieldOf(v, "ifr_name");
      if (name == nullptr || name->kind != Value::Kind::kString) {
        b.Fail(v.location, "expected {ifr_name=\"...\", ...}");
      }
      for (std::size_t k = 0; k < name->text.size() && k < 16; ++k) {
        bytes[k] = static_cast<std::uint8_t>(name->text[k]);
      }
    }
    at = b.Bytes(v, bytes);
  } else {
    at = b.Buffer(v, 40);
  }
  b.Seal();
  b.Sys(LinuxSyscall::kIoctl, {fd, request, static_cast<std::int64_t>(at)});
  if (!b.Succeeded() || v.kind != Value::Kind::kStruct) return;
  const auto ifr = b.mem().Peek(at, 40);
  if (!ifr) return;
  std::string name;
  for (std::size_t k = 0; k < 16 && (*ifr)[k] != 0; ++k) name.push_back(static_cast<char>((*ifr)[k]));
  const std::uint32_t word = (*ifr)[16] | ((*ifr)[17] << 8) | ((*ifr)[18] << 16) |
                             (static_cast<std::uint32_t>((*ifr)[19]) << 24);
  Value member;
  if (request == static_cast<std::uint32_t>(la::kSiocgifflags)) {
    member = values::Symbol(linux_symbols::IfFlags(static_cast<std::uint16_t>(word)));
    if (member.text == "0") member = values::Integer(0);
  } else {
    member = values::Integer(static_cast<std::int32_t>(word));
  }
  if (by_index) {
    b.SetArg(2, values::Struct({{"ifr_ifindex", member}, {"ifr_name", values::String(name)}}));
  } else {
    b.SetArg(2, values::Struct({{"ifr_name", values::String(name)}, {IfreqMember(request), member}}));
  }
}

}  // namespace

void AddDescriptorCalls(LinuxHandlers& handlers) {
  handlers["fcntl"] = [](Binder& b) {
    if (b.argc() != 2 && b.argc() != 3) b.Need(3);
    const int fd = b.Fd(0);
    const auto cmd = b.Word(1);
    const std::int64_t arg = b.argc() == 3 ? b.Int(2) : 0;
    b.Sys(LinuxSyscall::kFcntl, {fd, cmd, arg});
  };
  handlers["ioctl"] = [](Binder& b) {
    // strace prints two arguments for a request that takes none (FIOCLEX, FIONCLEX).
    if (b.argc() != 2) b.Need(3);
    const int fd = b.Fd(0);
    const auto request = static_cast<std::uint32_t>(b.Word(1));
    if (b.argc() == 2) {
      b.Seal();
      b.Sys(LinuxSyscall::kIoctl, {fd, request, 0});
      return;
    }
    const Value& v = b.Arg(2);
    if (IsIfreqRequest(request)) {
      IfreqCall(b, fd, request, v);
      return;
    }
    UserAddress at = 0;
    if (const auto value = CellInteger(b, v)) {
      // [1] for FIONBIO is the input; for FIONREAD and SIOCOUTQ the cell is the output.
      at = b.Cell(v, request == static_cast<std::uint32_t>(la::kFionbio)
                         ? static_cast<std::uint32_t>(*value)
                         : 0u);
    } else {
      at = b.Buffer(v, IoctlRoom(request));
    }
    b.Seal();
    b.Sys(LinuxSyscall::kIoctl, {fd, request, static_cast<std::int64_t>(at)});
    if (b.Succeeded() && request != static_cast<std::uint32_t>(la::kFionbio) &&
        !buffers::IsBuffer(v)) {
      if (const auto n = b.mem().ReadU32(at)) {
        b.SetArg(2, values::ValueResult(values::Integer(static_cast<std::int32_t>(*n)), std::nullopt));
      }
    }
  };
  // pipe(2) is pipe2 with no flags.
  auto pipe = [](Binder& b, bool with_flags) {
    b.Need(with_flags ? 2 : 1);
    const UserAddress fds = b.Buffer(b.Arg(0), 8);
    const std::int64_t flags = with_flags ? b.Word(1) : 0;
    b.Seal();
    b.Sys(LinuxSyscall::kPipe2, {static_cast<std::int64_t>(fds), flags});
    if (b.Succeeded()) {
      const auto r = b.mem().ReadU32(fds);
      const auto w = b.mem().ReadU32(fds + 4);
      if (r && w) b.SetArg(0, values::Array({values::Integer(*r), values::Integer(*w)}));
    }
  };
  handlers["pipe"] = [pipe](Binder& b) { pipe(b, false); };
  handlers["pipe2"] = [pipe](Binder& b) { pipe(b, true); };
  // glibc's eventfd() is eventfd2 (strace prints eventfd2).
  auto eventfd = [](Binder& b) {
    b.Need(2);
    b.Sys(LinuxSyscall::kEventfd2, {static_cast<std::uint32_t>(b.Word(0)), b.Word(1)});
  };
  handlers["eventfd"] = eventfd;
  handlers["eventfd2"] = eventfd;
  handlers["read"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const auto len = b.Size(2);
    const UserAddress buf = b.Buffer(b.Arg(1), len);
    b.Seal();
    b.Sys(LinuxSyscall::kRead, {fd, static_cast<std::int64_t>(buf), static_cast<std::int64_t>(len)});
    PrintRead(b, 1, buf, len);
  };
  handlers["write"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const auto len = b.Size(2);
    const UserAddress buf = b.InBytes(1, len);
    b.Seal();
    b.Sys(LinuxSyscall::kWrite, {fd, static_cast<std::int64_t>(buf), static_cast<std::int64_t>(len)});
  };
  handlers["readv"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const BuiltIov iov = BuildIov(b, b.Arg(1), /*sending=*/false);
    const auto count = b.Word(2);
    b.Seal();
    b.Sys(LinuxSyscall::kReadv, {fd, static_cast<std::int64_t>(iov.array), count});
    if (b.Succeeded() && b.Arg(1).kind == Value::Kind::kArray) {
      b.SetArg(1, PrintReadIov(b, b.Arg(1), iov, b.out().result.value));
    }
  };
  handlers["writev"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const BuiltIov iov = BuildIov(b, b.Arg(1), /*sending=*/true);
    const auto count = b.Word(2);
    b.Seal();
    b.Sys(LinuxSyscall::kWritev, {fd, static_cast<std::int64_t>(iov.array), count});
  };
  handlers["sendmmsg"] = [](Binder& b) {
    b.Need(4);
    const int fd = b.Fd(0);
    const BuiltMmsg m = BuildMmsg(b, b.Arg(1), /*sending=*/true);
    const auto vlen = b.Word(2);
    const auto flags = b.Word(3);
    b.Seal();
    b.Sys(LinuxSyscall::kSendmmsg, {fd, static_cast<std::int64_t>(m.array), vlen, flags});
    if (b.Succeeded() && b.Arg(1).kind == Value::Kind::kArray) {
      b.SetArg(1, PrintMmsg(b, b.Arg(1), m, b.out().result.value, /*received=*/false));
    }
  };
  handlers["recvmmsg"] = [](Binder& b) {
    b.Need(5);
    const int fd = b.Fd(0);
    const BuiltMmsg m = BuildMmsg(b, b.Arg(1), /*sending=*/false);
    const auto vlen = b.Word(2);
    const auto flags = b.Word(3);
    const Value& timeout = b.Arg(4);
    UserAddress ts = 0;
    if (timeout.kind == Value::Kind::kStruct) {
      // {tv_sec=1, tv_nsec=0}: struct timespec, two 64-bit members.
      const Value* sec = values::FieldOf(timeout, "tv_sec");
      const Value* nsec = values::FieldOf(timeout, "tv_nsec");
      if (sec == nullptr || nsec == nullptr) b.Fail(timeout.location, "expected {tv_sec=N, tv_nsec=N}");
      ts = b.Fresh(timeout, 16);
      (void)b.mem().WriteU64(ts, static_cast<std::uint64_t>(b.IntOf(*sec)));
      (void)b.mem().WriteU64(ts + 8, static_cast<std::uint64_t>(b.IntOf(*nsec)));
    } else if (timeout.kind != Value::Kind::kNull) {
      ts = b.Buffer(timeout, 16);
    }
    b.Seal();
    b.Sys(LinuxSyscall::kRecvmmsg,
          {fd, static_cast<std::int64_t>(m.array), vlen, flags, static_cast<std::int64_t>(ts)});
    if (b.Succeeded() && b.Arg(1).kind == Value::Kind::kArray) {
      b.SetArg(1, PrintMmsg(b, b.Arg(1), m, b.out().result.value, /*received=*/true));
    }
  };
}

}  // namespace socksim::tools
