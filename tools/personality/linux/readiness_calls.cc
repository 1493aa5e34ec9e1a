// File: tools/personality/linux/readiness_calls.cc
// The Linux call table's readiness calls: poll, ppoll, select, pselect6 and the epoll calls.
// Arguments are laid out as the syscalls take them (struct pollfd arrays, fd_set bitmaps of
// 1024 bits, struct timeval / __kernel_timespec, pselect6's {sigmask, sigsetsize} pair, packed
// 12-byte struct epoll_event); outputs are printed as strace 6.1 prints them: epoll_wait's
// events array in its argument, poll's revents and select's result sets in the result's
// parenthesized text (`= 1 ([{fd=3, revents=POLLIN}])`, `= 2 (in [3], out [4], left {...})`,
// `= 0 (Timeout)`). A scenario may check revents and result sets in the arguments too: a
// pollfd written with `revents=` prints its revents, and an fd set written `[in] => [out]`
// prints the set the kernel wrote back.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tools/personality/linux/syscall_binder.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/values.h"

namespace socksim::tools {

namespace la = stack::linux_abi;
using sim::UserAddress;
using Binder = LinuxCallTable::Binder;

namespace {

// sizeof(fd_set) (FD_SETSIZE bits), sizeof(struct pollfd), sizeof(struct epoll_event).
constexpr std::uint64_t kFdSetSize = 128;
constexpr std::uint64_t kPollfdSize = 8;
constexpr std::uint64_t kEpollEventSize = 12;

// A value in the notation the parser reads, so that it compares with what a line wrote.
Value Parsed(Binder& b, const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  if (!v) b.Fail(b.call().location, "internal: cannot print " + text + ": " + error);
  return *v;
}

// ---- poll and ppoll ----

struct BuiltPollfds {
  UserAddress at = 0;
  std::vector<std::int32_t> fds;
  std::vector<bool> shows_revents;  // the line wrote revents= for this entry
};

// [{fd=3, events=POLLIN}, {fd=-1}] laid out as struct pollfd; NULL and literal pointers as
// they are.
BuiltPollfds BuildPollfds(Binder& b, std::size_t i, std::uint64_t nfds) {
  BuiltPollfds out;
  const Value& v = b.Arg(i);
  std::vector<const Value*> items;
  if (v.kind == Value::Kind::kArray) {
    for (const Value& item : v.items) items.push_back(&item);
  } else if (v.kind == Value::Kind::kValueResult && !v.has_out && v.items.size() == 1 &&
             v.items[0].kind == Value::Kind::kStruct) {
    items.push_back(&v.items[0]);  // a one-element list reads as [x]
  } else {
    out.at = b.Buffer(v, std::max<std::uint64_t>(1, nfds * kPollfdSize));
    return out;
  }
  std::vector<std::uint8_t> bytes(std::max<std::size_t>(1, items.size()) * kPollfdSize, 0);
  for (std::size_t k = 0; k < items.size(); ++k) {
    const Value& item = *items[k];
    if (item.kind != Value::Kind::kStruct) b.Fail(item.location, "expected {fd=N, events=...}");
    b.Concrete(item);
    const Value* fd = values::FieldOf(item, "fd");
    if (fd == nullptr) b.Fail(item.location, "a pollfd needs fd=");
    const Value* events = values::FieldOf(item, "events");
    const auto fd_value = static_cast<std::int32_t>(b.IntOf(*fd));
    const auto ev = static_cast<std::uint16_t>(events ? b.IntOf(*events) : 0);
    for (int j = 0; j < 4; ++j) bytes[k * 8 + j] = static_cast<std::uint8_t>(fd_value >> (8 * j));
    bytes[k * 8 + 4] = static_cast<std::uint8_t>(ev);
    bytes[k * 8 + 5] = static_cast<std::uint8_t>(ev >> 8);
    out.fds.push_back(fd_value);
    out.shows_revents.push_back(values::FieldOf(item, "revents") != nullptr);
    if (fd_value >= 0) b.NoteHandle(fd_value);
  }
  out.at = b.Bytes(v, bytes);
  return out;
}

// After the call: the array as strace prints it on entry ({fd=-1} for a negative descriptor),
// with revents for the entries that asked, and the annotation listing every revents set.
std::string PrintPollfds(Binder& b, std::size_t i, const BuiltPollfds& built) {
  if (built.fds.empty()) return "";
  std::vector<std::string> items;
  std::vector<std::string> returned;
  for (std::size_t k = 0; k < built.fds.size(); ++k) {
    const UserAddress at = built.at + k * kPollfdSize;
    // events in the low half of the second word, revents in the high half (little-endian).
    const auto word = b.mem().ReadU32(at + 4).value_or(0);
    const auto ev = static_cast<std::uint16_t>(word & 0xffff);
    const auto rev = static_cast<std::uint16_t>(word >> 16);
    const std::int32_t fd = built.fds[k];
    std::string item = fd < 0 ? fmt::format("{{fd={}", fd)
                              : fmt::format("{{fd={}, events={}", fd, linux_symbols::PollEvents(ev));
    if (built.shows_revents[k]) item += fmt::format(", revents={}", linux_symbols::PollEvents(rev));
    items.push_back(item + "}");
    if (rev != 0) returned.push_back(fmt::format("{{fd={}, revents={}}}", fd, linux_symbols::PollEvents(rev)));
  }
  b.SetArg(i, Parsed(b, "[" + fmt::format("{}", fmt::join(items, ", ")) + "]"));
  return "[" + fmt::format("{}", fmt::join(returned, ", ")) + "]";
}

// ---- timeouts and signal masks ----

// {tv_sec=1, tv_usec=0} / {tv_sec=0, tv_nsec=20000000} as two 64-bit members; NULL as 0.
UserAddress BuildTime(Binder& b, std::size_t i, const char* fraction) {
  const Value& v = b.Arg(i);
  if (v.kind != Value::Kind::kStruct) return b.Buffer(v, 16);
  b.Concrete(v);
  const Value* sec = values::FieldOf(v, "tv_sec");
  const Value* frac = values::FieldOf(v, fraction);
  if (sec == nullptr || frac == nullptr) {
    b.Fail(v.location, fmt::format("expected {{tv_sec=N, {}=N}}", fraction));
  }
  std::vector<std::uint8_t> bytes(16, 0);
  const std::int64_t s = b.IntOf(*sec);
  const std::int64_t f = b.IntOf(*frac);
  for (int k = 0; k < 8; ++k) bytes[k] = static_cast<std::uint8_t>(s >> (8 * k));
  for (int k = 0; k < 8; ++k) bytes[8 + k] = static_cast<std::uint8_t>(f >> (8 * k));
  return b.Bytes(v, bytes);
}

// What strace prints as "left {...}": the time the kernel wrote back.
std::string TimeLeft(Binder& b, UserAddress at, const char* fraction) {
  const auto sec = b.mem().ReadU64(at).value_or(0);
  const auto frac = b.mem().ReadU64(at + 8).value_or(0);
  return fmt::format("left {{tv_sec={}, {}={}}}", static_cast<std::int64_t>(sec), fraction,
                     static_cast<std::int64_t>(frac));
}

// A signal mask: NULL, or [] (the empty set; signals are not modelled, so only it is read).
UserAddress BuildSigmask(Binder& b, const Value& v) {
  if (v.kind == Value::Kind::kNull) return 0;
  if (v.kind == Value::Kind::kArray && v.items.empty()) {
    const std::vector<std::uint8_t> zero(8, 0);
    return b.Bytes(v, zero);
  }
  if (v.kind == Value::Kind::kInteger || v.kind == Value::Kind::kPointer) return b.Buffer(v, 8);
  b.Fail(v.location, "only the empty signal mask [] (or NULL) is modelled");
}

// pselect6's sixth argument: NULL or {sigmask=..., sigsetsize=8}.
UserAddress BuildSigArgpack(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind != Value::Kind::kStruct) return b.Buffer(v, 16);
  const Value* mask = values::FieldOf(v, "sigmask");
  const Value* size = values::FieldOf(v, "sigsetsize");
  if (mask == nullptr || size == nullptr) b.Fail(v.location, "expected {sigmask=..., sigsetsize=N}");
  const UserAddress mask_at = BuildSigmask(b, *mask);
  std::vector<std::uint8_t> bytes(16, 0);
  const auto n = static_cast<std::uint64_t>(b.IntOf(*size));
  for (int k = 0; k < 8; ++k) bytes[k] = static_cast<std::uint8_t>(mask_at >> (8 * k));
  for (int k = 0; k < 8; ++k) bytes[8 + k] = static_cast<std::uint8_t>(n >> (8 * k));
  return b.Bytes(v, bytes);
}

// ---- select and pselect6 ----

struct BuiltSet {
  UserAddress at = 0;
  bool prints_out = false;  // written [in] => [out]: the set written back is printed
};

// The descriptors of a set value: [3, 4], [3] or [], or strace's space-separated [3 4]
// (strace's decode_select separates the members with spaces).
std::vector<std::int64_t> SetMembers(Binder& b, const Value& v) {
  std::vector<std::int64_t> fds;
  if (v.kind == Value::Kind::kArray || (v.kind == Value::Kind::kSet && !v.complement)) {
    for (const Value& item : v.items) fds.push_back(b.IntOf(item));
  } else if (v.kind == Value::Kind::kValueResult && !v.has_out && v.items.size() == 1) {
    fds.push_back(b.IntOf(v.items[0]));
  } else {
    b.Fail(v.location, "an fd set is a list of descriptors such as [3, 4]");
  }
  return fds;
}

BuiltSet BuildSet(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  BuiltSet out;
  const Value* in = &v;
  if (v.kind == Value::Kind::kValueResult && v.has_out) {
    in = &v.items[0];
    out.prints_out = true;
  }
  if (in->kind == Value::Kind::kNull || in->kind == Value::Kind::kInteger ||
      in->kind == Value::Kind::kPointer) {
    out.at = b.Buffer(*in, kFdSetSize);
    return out;
  }
  b.Concrete(*in);
  std::vector<std::uint8_t> bytes(kFdSetSize, 0);
  for (const std::int64_t fd : SetMembers(b, *in)) {
    if (fd < 0 || static_cast<std::uint64_t>(fd) >= kFdSetSize * 8) {
      b.Fail(in->location, "a descriptor in an fd set must be in 0..1023 (FD_SETSIZE)");
    }
    bytes[static_cast<std::size_t>(fd) / 8] |= static_cast<std::uint8_t>(1u << (fd % 8));
    b.NoteHandle(fd);
  }
  out.at = b.Bytes(*in, bytes);
  return out;
}

// The descriptors set in the first `n` bits of a set in memory.
std::vector<int> ReadSet(Binder& b, UserAddress at, std::int64_t n) {
  std::vector<int> fds;
  const auto bytes = b.mem().Peek(at, kFdSetSize);
  if (!bytes) return fds;
  for (int fd = 0; fd < std::min<std::int64_t>(n, kFdSetSize * 8); ++fd) {
    if (((*bytes)[static_cast<std::size_t>(fd) / 8] >> (fd % 8) & 1) != 0) fds.push_back(fd);
  }
  return fds;
}

// [3] reads as a one-item value-result, [3, 4] as a list: print a set the way it is read,
// space-separated when the given set was (`[3 4]`, strace's spelling).
Value SetValue(Binder& b, const std::vector<int>& fds, const Value& given) {
  const bool spaced = given.kind == Value::Kind::kSet;
  return Parsed(b, fmt::format("[{}]", fmt::join(fds, spaced ? " " : ", ")));
}

void SelectCall(Binder& b, bool pselect) {
  b.Need(pselect ? 6 : 5);
  const std::int64_t n = b.Word(0);
  const BuiltSet sets[3] = {BuildSet(b, 1), BuildSet(b, 2), BuildSet(b, 3)};
  const char* fraction = pselect ? "tv_nsec" : "tv_usec";
  const UserAddress time_at = BuildTime(b, 4, fraction);
  const UserAddress sig = pselect ? BuildSigArgpack(b, 5) : 0;
  b.Seal();
  if (pselect) {
    b.Sys(LinuxSyscall::kPselect6, {n, static_cast<std::int64_t>(sets[0].at),
                                    static_cast<std::int64_t>(sets[1].at),
                                    static_cast<std::int64_t>(sets[2].at),
                                    static_cast<std::int64_t>(time_at), static_cast<std::int64_t>(sig)});
  } else {
    b.Sys(LinuxSyscall::kSelect, {n, static_cast<std::int64_t>(sets[0].at),
                                  static_cast<std::int64_t>(sets[1].at),
                                  static_cast<std::int64_t>(sets[2].at),
                                  static_cast<std::int64_t>(time_at)});
  }
  if (!b.Succeeded()) return;
  if (b.out().result.value == 0) {
    b.Annotate("Timeout");
    return;
  }
  // strace: "in [3 4], out [4], except [5]" for the non-empty sets, then the time left.
  static constexpr const char* kNames[3] = {"in", "out", "except"};
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < 3; ++k) {
    if (sets[k].at == 0) continue;
    const auto fds = ReadSet(b, sets[k].at, n);
    if (sets[k].prints_out) {
      const Value& given = b.Arg(k + 1);
      b.SetArg(k + 1, values::ValueResult(given.items[0], SetValue(b, fds, given.items[1])));
    }
    if (!fds.empty()) parts.push_back(fmt::format("{} [{}]", kNames[k], fmt::join(fds, " ")));
  }
  if (time_at != 0) parts.push_back(TimeLeft(b, time_at, fraction));
  b.Annotate(fmt::format("{}", fmt::join(parts, ", ")));
}

// ---- epoll ----

// {events=EPOLLIN|EPOLLET, data={u32=5, u64=5}} (or data=N) as a packed struct epoll_event.
UserAddress BuildEpollEvent(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind != Value::Kind::kStruct) return b.Buffer(v, kEpollEventSize);
  b.Concrete(v);
  const Value* events = values::FieldOf(v, "events");
  const Value* data = values::FieldOf(v, "data");
  if (events == nullptr || data == nullptr) b.Fail(v.location, "expected {events=..., data=...}");
  std::uint64_t d = 0;
  if (data->kind == Value::Kind::kStruct) {
    const Value* u64 = values::FieldOf(*data, "u64");
    const Value* u32 = values::FieldOf(*data, "u32");
    if (u64 == nullptr && u32 == nullptr) b.Fail(data->location, "expected data={u32=N, u64=N}");
    d = static_cast<std::uint64_t>(b.IntOf(u64 != nullptr ? *u64 : *u32));
  } else {
    d = static_cast<std::uint64_t>(b.IntOf(*data));
  }
  const auto e = static_cast<std::uint32_t>(b.IntOf(*events));
  std::vector<std::uint8_t> bytes(kEpollEventSize, 0);
  for (int k = 0; k < 4; ++k) bytes[k] = static_cast<std::uint8_t>(e >> (8 * k));
  for (int k = 0; k < 8; ++k) bytes[4 + k] = static_cast<std::uint8_t>(d >> (8 * k));
  return b.Bytes(v, bytes);
}

// The events epoll_wait wrote, as strace prints them.
Value PrintEpollEvents(Binder& b, UserAddress at, std::int64_t count) {
  std::vector<std::string> items;
  for (std::int64_t k = 0; k < count; ++k) {
    const UserAddress e = at + static_cast<std::uint64_t>(k) * kEpollEventSize;
    const auto events = b.mem().ReadU32(e).value_or(0);
    const auto data = b.mem().ReadU64(e + 4).value_or(0);
    items.push_back(fmt::format("{{events={}, data={{u32={}, u64={}}}}}",
                                linux_symbols::EpollEvents(events),
                                static_cast<std::uint32_t>(data), data));
  }
  return Parsed(b, fmt::format("[{}]", fmt::join(items, ", ")));
}

void EpollWaitCall(Binder& b, bool pwait) {
  b.Need(pwait ? 6 : 4);
  const int epfd = b.Fd(0);
  const std::int64_t maxevents = b.Word(2);
  const std::int64_t timeout = b.Word(3);
  const std::uint64_t room = static_cast<std::uint64_t>(std::clamp<std::int64_t>(maxevents, 1, 1024));
  const UserAddress events = b.Buffer(b.Arg(1), room * kEpollEventSize);
  const UserAddress sigmask = pwait ? BuildSigmask(b, b.Arg(4)) : 0;
  const std::int64_t sigsetsize = pwait ? static_cast<std::int64_t>(b.Size(5)) : 0;
  b.Seal();
  if (pwait) {
    b.Sys(LinuxSyscall::kEpollPwait, {epfd, static_cast<std::int64_t>(events), maxevents, timeout,
                                      static_cast<std::int64_t>(sigmask), sigsetsize});
  } else {
    b.Sys(LinuxSyscall::kEpollWait, {epfd, static_cast<std::int64_t>(events), maxevents, timeout});
  }
  if (b.Succeeded() && !buffers::IsBuffer(b.Arg(1))) {
    b.SetArg(1, PrintEpollEvents(b, events, b.out().result.value));
  }
}

void PollCall(Binder& b, bool ppoll) {
  b.Need(ppoll ? 5 : 3);
  const std::uint64_t nfds = b.Size(1);
  const BuiltPollfds fds = BuildPollfds(b, 0, nfds);
  UserAddress time_at = 0;
  UserAddress sigmask = 0;
  std::int64_t sigsetsize = 0;
  std::int64_t timeout = 0;
  if (ppoll) {
    time_at = BuildTime(b, 2, "tv_nsec");
    sigmask = BuildSigmask(b, b.Arg(3));
    sigsetsize = static_cast<std::int64_t>(b.Size(4));
  } else {
    timeout = b.Word(2);
  }
  b.Seal();
  if (ppoll) {
    b.Sys(LinuxSyscall::kPpoll, {static_cast<std::int64_t>(fds.at), static_cast<std::int64_t>(nfds),
                                 static_cast<std::int64_t>(time_at), static_cast<std::int64_t>(sigmask),
                                 sigsetsize});
  } else {
    b.Sys(LinuxSyscall::kPoll, {static_cast<std::int64_t>(fds.at), static_cast<std::int64_t>(nfds), timeout});
  }
  if (!b.Succeeded()) return;
  const std::string returned = PrintPollfds(b, 0, fds);
  if (b.out().result.value == 0) {
    b.Annotate("Timeout");
    return;
  }
  b.Annotate(ppoll && time_at != 0 ? returned + ", " + TimeLeft(b, time_at, "tv_nsec") : returned);
}

}  // namespace

void RegisterReadinessCalls(
    std::map<std::string, std::function<void(LinuxCallTable::Binder&)>>& handlers) {
  handlers["poll"] = [](Binder& b) { PollCall(b, false); };
  handlers["ppoll"] = [](Binder& b) { PollCall(b, true); };
  handlers["select"] = [](Binder& b) { SelectCall(b, false); };
  handlers["pselect6"] = [](Binder& b) { SelectCall(b, true); };
  handlers["epoll_create"] = [](Binder& b) {
    b.Need(1);
    b.Sys(LinuxSyscall::kEpollCreate, {b.Word(0)});
  };
  handlers["epoll_create1"] = [](Binder& b) {
    b.Need(1);
    b.Sys(LinuxSyscall::kEpollCreate1, {b.Word(0)});
  };
  handlers["epoll_ctl"] = [](Binder& b) {
    b.Need(4);
    const int epfd = b.Fd(0);
    const std::int64_t op = b.Word(1);
    const int fd = b.Fd(2);
    const UserAddress event = BuildEpollEvent(b, 3);
    b.Seal();
    b.Sys(LinuxSyscall::kEpollCtl, {epfd, op, fd, static_cast<std::int64_t>(event)});
  };
  handlers["epoll_wait"] = [](Binder& b) { EpollWaitCall(b, false); };
  handlers["epoll_pwait"] = [](Binder& b) { EpollWaitCall(b, true); };
}

}  // namespace socksim::tools
