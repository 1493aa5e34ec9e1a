// File: tools/personality/linux/syscall_table.cc
// Linux call handlers. Each one reads its arguments the way the syscall takes them: integers
// and named constants, sockaddrs placed in caller memory (padded to the length argument),
// value-result lengths as 4-byte cells, output buffers as fresh writable memory (or, for a
// literal pointer such as 0x1 or NULL, that very address so that it faults as it would on
// Linux). The binding itself (integer widths, memory annotations and buffer notation such as
// `mapped=4:buffer(16, 0xaa) => ...`, cells, printing) is the generic
// tools/scenario/call_binder.h; a capture left in an input position has no value yet and is an
// error of the line. After the call, outputs are read back and
// printed as strace prints them, except that a buffer written in buffer notation is printed in
// it.
#include "tools/personality/linux/syscall_table.h"

#include "tools/personality/linux/syscall_binder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>

#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/errno_table.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"
#include "tools/personality/linux/path_calls.h"
#include "tools/personality/linux/sockaddr_values.h"
#include "tools/personality/linux/symbols.h"
#include "tools/personality/linux/syscall_binder.h"
#include "tools/scenario/buffers.h"
#include "tools/scenario/call_binder.h"
#include "tools/scenario/values.h"

namespace socksim::tools {

namespace la = stack::linux_abi;
using sim::UserAddress;

namespace {

// The most memory one argument maps (CallBinder::kLargestBuffer).
constexpr std::uint64_t kLargestBuffer = CallBinder::kLargestBuffer;

using Binder = LinuxCallTable::Binder;

// Room for a returned sockaddr: the kernel never copies more than sizeof(struct
// sockaddr_storage), whatever length the caller claims (move_addr_to_user).
std::uint64_t SockaddrRoom(std::uint32_t in) { return in == 0 || in > 128 ? 128 : in; }

// getpeername / getsockname / accept share one shape: fd, sockaddr out, length cell.
void NameCall(Binder& b, bool peer) {
  b.Need(3);
  const int fd = b.Fd(0);
  const auto [len_cell, in] = b.LengthCell(2);
  const UserAddress addr = b.Buffer(b.Arg(1), SockaddrRoom(in));
  b.Seal();
  b.Sys(peer ? LinuxSyscall::kGetpeername : LinuxSyscall::kGetsockname,
        {fd, static_cast<std::int64_t>(addr), static_cast<std::int64_t>(len_cell)});
  b.PrintSockaddr(1, addr, len_cell, in);
  b.PrintLength(2, len_cell, in);
}

void AcceptCall(Binder& b, bool four) {
  b.Need(four ? 4 : 3);
  const int fd = b.Fd(0);
  const int flags = four ? static_cast<int>(b.Word(3)) : 0;
  UserAddress addr = 0;
  UserAddress len_cell = 0;
  std::uint32_t in = 0;
  if (b.Arg(2).kind != Value::Kind::kNull) std::tie(len_cell, in) = b.LengthCell(2);
  if (b.Arg(1).kind != Value::Kind::kNull) addr = b.Buffer(b.Arg(1), SockaddrRoom(in));
  b.Seal();
  // accept is accept4 with no flags, as glibc issues it.
  b.Sys(LinuxSyscall::kAccept4,
        {fd, static_cast<std::int64_t>(addr), static_cast<std::int64_t>(len_cell), flags});
  b.PrintSockaddr(1, addr, len_cell, in);
  if (len_cell != 0) b.PrintLength(2, len_cell, in);
}

// What strace prints for a getsockopt value of n bytes: nothing decoded for n == 0 (the
// pointer), the struct members that fit for ucred and linger, [int] for four bytes (SO_ERROR
// as an errno name), and the raw bytes otherwise (checked with strace 6.1 on Linux 6.18).
Value PrintOption(Binder& b, int level, int name, UserAddress at, UserAddress len_cell) {
  const auto n = b.mem().ReadU32(len_cell);
  const Value& given = b.Arg(3);
  if (!n || *n == 0) return given;
  const auto bytes = b.mem().Peek(at, *n);
  if (!bytes) return given;
  auto word = [&](std::size_t k) -> std::int64_t {
    std::uint32_t w = 0;
    for (int j = 0; j < 4; ++j) w |= std::uint32_t{(*bytes)[k * 4 + j]} << (8 * j);
    return static_cast<std::int32_t>(w);
  };
  const std::size_t words = bytes->size() / 4;
  auto members = [&](std::initializer_list<const char*> names) {
    std::vector<Value::Field> fields;
    std::size_t k = 0;
    for (const char* field : names) {
      if (k >= words) break;
      fields.push_back({field, values::Integer(word(k++))});
    }
    return values::Struct(std::move(fields));
  };
  if (level == la::kSolSocket && name == la::kSoPeercred && words > 0) return members({"pid", "uid", "gid"});
  if (level == la::kSolSocket && name == la::kSoLinger && words > 0) return members({"l_onoff", "l_linger"});
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

// The descriptors of an SCM_RIGHTS cmsg_data value: [4], [4, 5] or decorated [4<...>].
std::vector<std::int64_t> FdList(Binder& b, const Value& v) {
  std::vector<std::int64_t> fds;
  if (v.kind == Value::Kind::kValueResult && !v.has_out && v.items.size() == 1) {
    fds.push_back(v.items[0].integer);
  } else if (v.kind == Value::Kind::kArray) {
    for (const auto& item : v.items) fds.push_back(item.integer);
  } else {
    b.Fail(v.location, "cmsg_data must be a list of descriptors such as [4]");
  }
  return fds;
}

// The members of an SCM_CREDENTIALS cmsg_data value, {pid=N, uid=N, gid=N}, in struct ucred's
// order.
std::vector<std::int64_t> UcredWords(Binder& b, const Value& v) {
  std::vector<std::int64_t> words;
  for (const char* name : {"pid", "uid", "gid"}) {
    const Value* member = values::FieldOf(v, name);
    if (member == nullptr) b.Fail(v.location, "SCM_CREDENTIALS data is {pid=N, uid=N, gid=N}");
    words.push_back(b.IntOf(*member));
  }
  return words;
}

// Reads a field of a msghdr value, failing with the value's location when it is missing.
const Value& Member(Binder& b, const Value& v, const char* name) {
  const Value* f = values::FieldOf(v, name);
  if (f == nullptr) b.Fail(v.location, fmt::format("msghdr needs {}=", name));
  return *f;
}

}  // namespace


// Lays out a struct msghdr (x86-64, 56 bytes) in caller memory from its strace form. For
// sendmsg the iov_base strings and cmsg_data are inputs; for recvmsg they are output room.
BuiltMsghdr BuildMsghdr(Binder& b, const Value& v, bool sending, UserAddress at) {
  if (v.kind != Value::Kind::kStruct) b.Fail(v.location, "expected a msghdr {msg_name=..., ...}");
  auto& mem = b.mem();
  BuiltMsghdr out;
  const Value& name = Member(b, v, "msg_name");
  const Value& namelen = Member(b, v, "msg_namelen");
  b.Concrete(namelen.kind == Value::Kind::kValueResult ? namelen.items.at(0) : namelen);
  const std::int64_t namelen_value =
      namelen.kind == Value::Kind::kValueResult ? namelen.items.at(0).integer : namelen.integer;
  if (namelen_value < 0 || namelen_value > std::numeric_limits<std::uint32_t>::max()) {
    b.Fail(namelen.location, "msg_namelen must fit a 32-bit socklen_t");
  }
  out.namelen = static_cast<std::uint32_t>(namelen_value);
  if (buffers::IsBuffer(name)) {
    out.name = b.Place(name, std::min<std::uint64_t>(out.namelen, la::kSockaddrStorageSize));
  } else if (name.kind == Value::Kind::kStruct && sending) {
    b.Concrete(name);
    std::string error;
    auto bytes = LinuxSockaddrBytes(name, &error);
    if (!bytes) b.Fail(name.location, error);
    if (bytes->size() < std::min<std::uint64_t>(out.namelen, la::kSockaddrStorageSize)) {
      bytes->resize(std::min<std::uint64_t>(out.namelen, la::kSockaddrStorageSize), 0);
    }
    out.name = b.Fresh(name, bytes->size());
    (void)mem.Poke(out.name, *bytes);
  } else if (name.kind != Value::Kind::kNull) {
    out.name = b.Fresh(name, std::clamp<std::uint64_t>(out.namelen, 1, la::kSockaddrStorageSize));
  }
  const Value& iov = Member(b, v, "msg_iov");
  if (iov.kind != Value::Kind::kArray) b.Fail(iov.location, "msg_iov must be a list of {iov_base=..., iov_len=N}");
  for (const auto& item : iov.items) {
    const Value& base = Member(b, item, "iov_base");
    const Value& len_value = Member(b, item, "iov_len");
    b.Concrete(len_value);
    const auto len = static_cast<std::uint64_t>(len_value.integer);
    if (buffers::IsBuffer(base)) {
      out.iov.emplace_back(b.Place(base, len), len);
      continue;
    }
    if (sending) b.Concrete(base);
    // At most kLargestBuffer bytes are mapped behind a vector; the length is passed as given.
    std::vector<std::uint8_t> bytes(std::min<std::uint64_t>(len, kLargestBuffer), 0);
    if (sending && base.kind == Value::Kind::kString) {
      for (std::size_t i = 0; i < base.text.size() && i < len; ++i) bytes[i] = static_cast<std::uint8_t>(base.text[i]);
    }
    const UserAddress at = b.Fresh(base, bytes.size());
    (void)mem.Poke(at, bytes);
    out.iov.emplace_back(at, len);
  }
  const UserAddress iov_array = b.Scratch(mem.Allocate(16 * (out.iov.empty() ? 1 : out.iov.size())));
  for (std::size_t i = 0; i < out.iov.size(); ++i) {
    (void)mem.WriteU64(iov_array + 16 * i, out.iov[i].first);
    (void)mem.WriteU64(iov_array + 16 * i + 8, out.iov[i].second);
  }
  // strace leaves msg_control out when msg_controllen is 0 (and may leave both out).
  const Value* control_field = values::FieldOf(v, "msg_control");
  const Value* controllen_field = values::FieldOf(v, "msg_controllen");
  const Value null_control = values::Null();
  const Value& control = control_field != nullptr ? *control_field : null_control;
  if (controllen_field != nullptr) {
    const Value& controllen = *controllen_field;
    b.Concrete(controllen.kind == Value::Kind::kValueResult ? controllen.items.at(0) : controllen);
    out.controllen = static_cast<std::uint64_t>(controllen.kind == Value::Kind::kValueResult ? controllen.items.at(0).integer : controllen.integer);
  } else if (control_field != nullptr) {
    b.Fail(v.location, "msghdr needs msg_controllen= with msg_control=");
  }
  if (control.kind != Value::Kind::kNull) {
    std::vector<std::uint8_t> bytes(std::min<std::uint64_t>(out.controllen, kLargestBuffer), 0);
    if (sending) {
      b.Concrete(control);
      if (control.kind != Value::Kind::kArray) b.Fail(control.location, "msg_control must be a list of cmsgs");
      std::size_t offset = 0;
      for (const auto& cmsg : control.items) {
        // SCM_CREDENTIALS carries a struct ucred {pid=N, uid=N, gid=N}: three 32-bit words,
        // laid out as SCM_RIGHTS' descriptors are.
        const Value& data = Member(b, cmsg, "cmsg_data");
        const auto fds = data.kind == Value::Kind::kStruct ? UcredWords(b, data) : FdList(b, data);
        const std::uint64_t len = static_cast<std::uint64_t>(Member(b, cmsg, "cmsg_len").integer);
        const std::int64_t level = linux_symbols::Lookup(Member(b, cmsg, "cmsg_level").text).value_or(0);
        const std::int64_t type = linux_symbols::Lookup(Member(b, cmsg, "cmsg_type").text).value_or(0);
        std::vector<std::uint8_t> one(16 + 4 * fds.size(), 0);
        for (int k = 0; k < 8; ++k) one[k] = static_cast<std::uint8_t>(len >> (8 * k));
        for (int k = 0; k < 4; ++k) one[8 + k] = static_cast<std::uint8_t>(level >> (8 * k));
        for (int k = 0; k < 4; ++k) one[12 + k] = static_cast<std::uint8_t>(type >> (8 * k));
        for (std::size_t f = 0; f < fds.size(); ++f) {
          for (int k = 0; k < 4; ++k) one[16 + 4 * f + k] = static_cast<std::uint8_t>(fds[f] >> (8 * k));
        }
        for (std::size_t k = 0; k < one.size() && offset + k < bytes.size(); ++k) bytes[offset + k] = one[k];
        offset += (one.size() + 7) & ~std::size_t{7};
      }
    }
    out.control = b.Scratch(mem.Allocate(bytes.empty() ? 1 : bytes.size()));
    (void)mem.Poke(out.control, bytes);
  }
  out.msghdr = at != 0 ? at : b.Scratch(mem.Allocate(la::kMsghdrSize));
  (void)mem.WriteU64(out.msghdr, out.name);
  (void)mem.WriteU32(out.msghdr + 8, out.namelen);
  (void)mem.WriteU64(out.msghdr + 16, iov_array);
  (void)mem.WriteU64(out.msghdr + 24, out.iov.size());
  (void)mem.WriteU64(out.msghdr + 32, out.control);
  (void)mem.WriteU64(out.msghdr + 40, out.controllen);
  (void)mem.WriteU32(out.msghdr + 48, 0);
  return out;
}

// The msghdr after recvmsg, as strace prints it.
Value PrintReceivedMsghdr(Binder& b, const Value& given, const BuiltMsghdr& m,
                          std::int64_t received) {
  auto& mem = b.mem();
  std::vector<Value::Field> fields;
  const auto namelen = mem.ReadU32(m.msghdr + 8).value_or(0);
  const Value& given_name = *values::FieldOf(given, "msg_name");
  if (auto buffer = b.PrintedBuffer(given_name)) {
    fields.push_back({"msg_name", std::move(*buffer)});
  } else if (m.name != 0 && namelen > 0) {
    const auto bytes = mem.Peek(m.name, std::min(namelen, m.namelen));
    fields.push_back({"msg_name", bytes ? LinuxSockaddrValue(*bytes) : values::Null()});
  } else {
    fields.push_back({"msg_name", m.name == 0 ? values::Null() : *values::FieldOf(given, "msg_name")});
  }
  // strace shows what the kernel wrote back as `in => out` when it changed the length
  // (____sys_recvmsg copies the address's length out through msg_namelen).
  if (namelen == m.namelen) {
    fields.push_back({"msg_namelen", values::Integer(namelen)});
  } else {
    Value changed = values::ValueResult(values::Integer(m.namelen), values::Integer(namelen));
    changed.text = "=>";
    fields.push_back({"msg_namelen", std::move(changed)});
  }
  std::vector<Value> iovs;
  std::int64_t left = received;
  const Value& given_iov = *values::FieldOf(given, "msg_iov");
  for (std::size_t k = 0; k < m.iov.size(); ++k) {
    const auto& [base, len] = m.iov[k];
    const auto take = static_cast<std::uint64_t>(std::max<std::int64_t>(0, std::min<std::int64_t>(left, static_cast<std::int64_t>(len))));
    left -= static_cast<std::int64_t>(take);
    if (auto buffer = b.PrintedBuffer(*values::FieldOf(given_iov.items[k], "iov_base"))) {
      iovs.push_back(values::Struct(
          {{"iov_base", std::move(*buffer)},
           {"iov_len", values::Integer(static_cast<std::int64_t>(len))}}));
      continue;
    }
    const auto bytes = mem.Peek(base, take);
    iovs.push_back(values::Struct({{"iov_base", values::String(bytes ? std::string(bytes->begin(), bytes->end()) : "")},
                                   {"iov_len", values::Integer(static_cast<std::int64_t>(len))}}));
  }
  fields.push_back({"msg_iov", values::Array(std::move(iovs))});
  fields.push_back({"msg_iovlen", values::Integer(static_cast<std::int64_t>(m.iov.size()))});
  const auto used = mem.ReadU64(m.msghdr + 40).value_or(0);
  if (used >= 16 && m.control != 0) {
    // Each control message in turn, stepping by CMSG_ALIGN(cmsg_len) as CMSG_NXTHDR does.
    std::vector<Value> cmsgs;
    for (std::uint64_t at = 0; at + 16 <= used;) {
      const auto len = mem.ReadU64(m.control + at).value_or(0);
      if (len < 16) break;
      const auto level = mem.ReadU32(m.control + at + 8).value_or(0);
      const auto type = mem.ReadU32(m.control + at + 12).value_or(0);
      std::vector<Value> words;
      for (std::uint64_t off = 16; off + 4 <= len && at + off + 4 <= used; off += 4) {
        words.push_back(values::Integer(mem.ReadU32(m.control + at + off).value_or(0)));
      }
      Value data;
      if (type == la::kScmCredentials && words.size() == 3) {
        data = values::Struct({{"pid", words[0]}, {"uid", words[1]}, {"gid", words[2]}});
      } else if (words.size() == 1) {
        data = values::ValueResult(words[0], std::nullopt);
      } else {
        data = values::Array(std::move(words));
      }
      if (static_cast<std::int64_t>(level) != la::kSolSocket) {
        // strace decodes only SOL_SOCKET's messages: another level's type is a bare number
        // and its data is left out.
        Value type_value = values::Integer(type);
        type_value.text = fmt::format("{:#x}", type);
        cmsgs.push_back(values::Struct(
            {{"cmsg_len", values::Integer(static_cast<std::int64_t>(len))},
             {"cmsg_level", values::Symbol(linux_symbols::Level(level))},
             {"cmsg_type", std::move(type_value)}}));
        at += (len + 7) & ~std::uint64_t{7};
        continue;
      }
      cmsgs.push_back(values::Struct(
          {{"cmsg_len", values::Integer(static_cast<std::int64_t>(len))},
           {"cmsg_level", values::Symbol(linux_symbols::Level(level))},
           {"cmsg_type", values::Symbol(type == la::kScmRights         ? "SCM_RIGHTS"
                                        : type == la::kScmCredentials ? "SCM_CREDENTIALS"
                                                                      : std::to_string(type))},
           {"cmsg_data", std::move(data)}}));
      at += (len + 7) & ~std::uint64_t{7};
    }
    fields.push_back({"msg_control", values::Array(std::move(cmsgs))});
  } else if (values::FieldOf(given, "msg_control") != nullptr) {
    fields.push_back({"msg_control", m.control == 0 ? values::Null() : values::Array({})});
  }
  // strace prints msg_controllen whenever msg_control is there, or it is not 0.
  if (values::FieldOf(given, "msg_controllen") != nullptr || used != 0) {
    fields.push_back({"msg_controllen", values::Integer(static_cast<std::int64_t>(used))});
  }
  const auto flags = mem.ReadU32(m.msghdr + 48).value_or(0);
  fields.push_back({"msg_flags", flags == 0 ? values::Integer(0) : values::Symbol(linux_symbols::MsgFlags(flags))});
  return values::Struct(std::move(fields));
}


LinuxCallTable::LinuxCallTable(std::unique_ptr<LinuxBackend> backend) : backend_(std::move(backend)) {
  RegisterReadinessCalls(handlers_);
  handlers_["socket"] = [](Binder& b) {
    b.Need(3);
    b.Sys(LinuxSyscall::kSocket, {b.Word(0), b.Word(1), b.Word(2)});
  };
  handlers_["socketpair"] = [](Binder& b) {
    b.Need(4);
    const UserAddress sv = b.Buffer(b.Arg(3), 8);
    b.Seal();
    b.Sys(LinuxSyscall::kSocketpair, {b.Word(0), b.Word(1), b.Word(2), static_cast<std::int64_t>(sv)});
    if (b.Succeeded()) {
      const auto a = b.mem().ReadU32(sv);
      const auto c = b.mem().ReadU32(sv + 4);
      if (a && c) b.SetArg(3, values::Array({values::Integer(*a), values::Integer(*c)}));
    }
  };
  // bind and connect share one shape: fd, an input sockaddr, its length.
  auto address_call = [](LinuxSyscall call) {
    return [call](Binder& b) {
      b.Need(3);
      const int fd = b.Fd(0);
      const auto len = b.Len32(2);
      const UserAddress addr = b.InSockaddr(1, len);
      b.Seal();
      b.Sys(call, {fd, static_cast<std::int64_t>(addr), len});
    };
  };
  handlers_["bind"] = address_call(LinuxSyscall::kBind);
  handlers_["connect"] = address_call(LinuxSyscall::kConnect);
  handlers_["listen"] = [](Binder& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kListen, {fd, b.Word(1)});
  };
  handlers_["accept"] = [](Binder& b) { AcceptCall(b, false); };
  handlers_["accept4"] = [](Binder& b) { AcceptCall(b, true); };
  handlers_["getpeername"] = [](Binder& b) { NameCall(b, true); };
  handlers_["getsockname"] = [](Binder& b) { NameCall(b, false); };
  handlers_["shutdown"] = [](Binder& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kShutdown, {fd, b.Word(1)});
  };
  handlers_["close"] = [](Binder& b) {
    b.Need(1);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kClose, {fd});
  };
  handlers_["dup"] = [](Binder& b) {
    b.Need(1);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kDup, {fd});
  };
  handlers_["dup2"] = [](Binder& b) {
    b.Need(2);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kDup2, {fd, b.Word(1)});
  };
  handlers_["dup3"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    b.Sys(LinuxSyscall::kDup3, {fd, b.Word(1), b.Word(2)});
  };
  // glibc's send/recv reach the kernel as sendto/recvfrom with no address (strace-format.md).
  auto sendto = [](Binder& b, bool with_address) {
    b.Need(with_address ? 6 : 4);
    const int fd = b.Fd(0);
    const auto len = b.Size(2);
    const UserAddress buf = b.InBytes(1, len);
    const int flags = static_cast<int>(b.Word(3));
    UserAddress dest = 0;
    std::uint32_t destlen = 0;
    if (with_address) {
      destlen = b.Len32(5);
      dest = b.InSockaddr(4, destlen);
    }
    b.Seal();
    b.Sys(LinuxSyscall::kSendto, {fd, static_cast<std::int64_t>(buf), static_cast<std::int64_t>(len), flags,
                                  static_cast<std::int64_t>(dest), destlen});
  };
  handlers_["sendto"] = [sendto](Binder& b) { sendto(b, true); };
  handlers_["send"] = [sendto](Binder& b) { sendto(b, false); };
  auto recvfrom = [](Binder& b, bool with_address) {
    b.Need(with_address ? 6 : 4);
    const int fd = b.Fd(0);
    const auto len = b.Size(2);
    const UserAddress buf = b.Buffer(b.Arg(1), len);
    const int flags = static_cast<int>(b.Word(3));
    UserAddress src = 0;
    UserAddress src_len = 0;
    std::uint32_t in = 0;
    if (with_address && b.Arg(5).kind != Value::Kind::kNull) std::tie(src_len, in) = b.LengthCell(5);
    if (with_address && b.Arg(4).kind != Value::Kind::kNull) src = b.Buffer(b.Arg(4), SockaddrRoom(in));
    b.Seal();
    b.Sys(LinuxSyscall::kRecvfrom, {fd, static_cast<std::int64_t>(buf), static_cast<std::int64_t>(len), flags,
                                    static_cast<std::int64_t>(src), static_cast<std::int64_t>(src_len)});
    b.PrintBytes(1, buf, std::min<std::int64_t>(b.out().result.value, static_cast<std::int64_t>(std::min<std::uint64_t>(len, INT64_MAX))));
    if (with_address) {
      b.PrintSockaddr(4, src, src_len, in);
      if (src_len != 0) b.PrintLength(5, src_len, in);
    }
  };
  handlers_["recvfrom"] = [recvfrom](Binder& b) { recvfrom(b, true); };
  handlers_["recv"] = [recvfrom](Binder& b) { recvfrom(b, false); };
  handlers_["sendmsg"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const BuiltMsghdr m = BuildMsghdr(b, b.Arg(1), /*sending=*/true);
    b.Seal();
    b.Sys(LinuxSyscall::kSendmsg, {fd, static_cast<std::int64_t>(m.msghdr), b.Word(2)});
  };
  handlers_["recvmsg"] = [](Binder& b) {
    b.Need(3);
    const int fd = b.Fd(0);
    const BuiltMsghdr m = BuildMsghdr(b, b.Arg(1), /*sending=*/false);
    const int flags = static_cast<int>(b.Word(2));
    b.Seal();
    b.Sys(LinuxSyscall::kRecvmsg, {fd, static_cast<std::int64_t>(m.msghdr), flags});
    if (b.Succeeded()) b.SetArg(1, PrintReceivedMsghdr(b, b.Arg(1), m, b.out().result.value));
  };
  handlers_["setsockopt"] = [](Binder& b) {
    b.Need(5);
    const int fd = b.Fd(0);
    const int level = static_cast<int>(b.Word(1));
    const int name = static_cast<int>(b.Word(2));
    const auto len = b.Len32(4);
    const Value& v = b.Arg(3);
    if (!buffers::IsBuffer(v)) b.Concrete(v);
    std::vector<std::uint8_t> bytes;
    auto put = [&](std::int64_t x) {
      for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
    };
    UserAddress at = 0;
    if ((v.kind == Value::Kind::kArray || (v.kind == Value::Kind::kValueResult && !v.has_out)) &&
        v.items.size() == 1) {  // [1]: strace prints an int option value in brackets
      put(b.IntOf(v.items[0]));  // a number or a named constant ([IP_PMTUDISC_DO])
    } else if (v.kind == Value::Kind::kStruct) {  // {l_onoff=1, l_linger=0}
      for (const auto& f : v.fields) put(b.IntOf(f.value));
    } else if (v.kind == Value::Kind::kString) {
      // A string value ("lo" for SO_BINDTODEVICE) is its bytes, in exactly `len` bytes of
      // memory: cut to len, or padded with zeros (the kernel reads min(len, its limit)).
      std::vector<std::uint8_t> text(v.text.begin(), v.text.end());
      // At most kLargestBuffer bytes are laid out whatever the length says (a 4 GiB optlen
      // maps 16 MiB): the option's own size is read of them, as the kernel reads it.
      text.resize(std::min<std::uint64_t>(len, Binder::kLargestBuffer), 0);
      at = b.Fresh(v, text.empty() ? 1 : text.size());
      (void)b.mem().Poke(at, text);
    } else {
      at = b.Buffer(v, len);
    }
    if (at == 0 && !bytes.empty()) {
      if (bytes.size() < len) bytes.resize(std::min<std::uint64_t>(len, Binder::kLargestBuffer), 0);
      at = b.Fresh(v, bytes.size());
      (void)b.mem().Poke(at, bytes);
    }
    b.Seal();
    b.Sys(LinuxSyscall::kSetsockopt, {fd, level, name, static_cast<std::int64_t>(at), len});
  };
  handlers_["getsockopt"] = [](Binder& b) {
    b.Need(5);
    const int fd = b.Fd(0);
    const int level = static_cast<int>(b.Word(1));
    const int name = static_cast<int>(b.Word(2));
    const auto [len_cell, in] = b.LengthCell(4);
    // Room for the longest value (struct tcp_info, 280 bytes on 6.18) and more, as a caller
    // may offer; the kernel copies at most the value's size.
    const UserAddress at = b.Buffer(b.Arg(3), std::min<std::uint32_t>(in == 0 ? 16 : in, 4096));
    b.Seal();
    b.Sys(LinuxSyscall::kGetsockopt, {fd, level, name, static_cast<std::int64_t>(at), static_cast<std::int64_t>(len_cell)});
    if (b.Succeeded() && !buffers::IsBuffer(b.Arg(3))) {
      b.SetArg(3, PrintOption(b, level, name, at, len_cell));
    }
    b.PrintLength(4, len_cell, in);
  };
  // open and openat reach the kernel as openat(AT_FDCWD, path, flags).
  auto open_path = [](Binder& b, std::size_t path_arg, std::size_t flags_arg) {
    const Value& path = b.Arg(path_arg);
    if (path.kind != Value::Kind::kString) b.Fail(path.location, "the path must be a string");
    std::vector<std::uint8_t> bytes(path.text.begin(), path.text.end());
    bytes.push_back(0);
    const UserAddress at = b.Fresh(path, bytes.size());
    (void)b.mem().Poke(at, bytes);
    b.Sys(LinuxSyscall::kOpenat, {la::kAtFdcwd, static_cast<std::int64_t>(at), b.Word(flags_arg)});
  };
  handlers_["open"] = [open_path](Binder& b) {
    if (b.argc() != 2 && b.argc() != 3) b.Need(2);
    open_path(b, 0, 1);
  };
  handlers_["openat"] = [open_path](Binder& b) {
    if (b.argc() != 3 && b.argc() != 4) b.Need(3);
    open_path(b, 1, 2);
  };
  // fork(2), vfork(2) and clone(2): the child's id is the one the line names (as the kernel
  // chose it), or the next free one. With CLONE_THREAD the child is a new thread of the
  // calling process, whose later calls the trace prints under that thread id.
  auto fork = [](Binder& b) {
    const auto wanted = b.ExpectedReturn();
    b.Sys(LinuxSyscall::kFork, {wanted && *wanted > 0 ? *wanted : 0});
  };
  handlers_["fork"] = fork;
  handlers_["vfork"] = fork;
  handlers_["clone"] = [fork](Binder& b) {
    for (std::size_t i = 0; i < b.argc(); ++i) {
      const Value& v = b.Arg(i);
      if (b.ArgName(i) == "flags" && v.kind == Value::Kind::kSymbol &&
          std::find(v.flags.begin(), v.flags.end(), "CLONE_THREAD") != v.flags.end()) {
        const auto wanted = b.ExpectedReturn();
        b.Sys(LinuxSyscall::kCloneThread, {wanted && *wanted > 0 ? *wanted : 0});
        return;
      }
    }
    fork(b);
  };
  // execve(path, argv, envp): the program the loader ran is a fact of the trace (an importer
  // adopts a failed execve, the loader's search, as recorded); what the socket model sees is
  // the descriptors, of which the close-on-exec ones close.
  handlers_["execve"] = [](Binder& b) { b.Sys(LinuxSyscall::kExecve, {}); };
  // unlink, rename and their *at forms, on the UNIX name space (path_calls.cc).
  for (const auto& entry : PathCalls()) {  // (a structured binding is not captured: clang 14)
    handlers_[entry.first] = [handler = entry.second](Binder& b) {
      handler(b, [&b](LinuxSyscall call, const SyscallArgs& args) { b.Sys(call, args); });
    };
  }
  handlers_["setresuid"] = [](Binder& b) {
    b.Need(3);
    b.Sys(LinuxSyscall::kSetresuid, {b.Word(0), b.Word(1), b.Word(2)});
  };
  handlers_["setresgid"] = [](Binder& b) {
    b.Need(3);
    b.Sys(LinuxSyscall::kSetresgid, {b.Word(0), b.Word(1), b.Word(2)});
  };
  AddDescriptorCalls(handlers_);
}

ExecutedCall LinuxCallTable::Execute(const CallLine& call, sim::Thread& thread, bool may_wait) {
  const auto it = handlers_.find(call.name);
  if (it == handlers_.end()) {
    ExecutedCall out;
    out.skip_reason = fmt::format("'{}' is not modelled by the linux personality", call.name);
    return out;
  }
  Binder binder(*backend_, call, thread, may_wait);
  // A Linux call never keeps a caller pointer once it returns (nothing here is asynchronous),
  // so its plain buffers and cells go with it, unless a line may name them later.
  if (!keep_call_memory_) binder.ScopeMemoryToCall();
  return binder.Execute([&] { it->second(binder); });
}

std::vector<std::string> LinuxCallTable::Explain(sim::Process& process,
                                                 const std::vector<std::int64_t>& handles) {
  return backend_->Explain(process, handles);
}

bool LinuxCallTable::TakesHandleFirst(const std::string& call_name) const {
  // The calls whose first argument is something else: a family, a path, a count, a pid.
  static const std::set<std::string> kOther = {
      "socket", "socketpair", "open", "pipe", "pipe2", "eventfd", "eventfd2", "epoll_create",
      "epoll_create1", "poll", "ppoll", "select", "pselect6", "fork", "vfork", "clone",
      "execve", "setresuid", "setresgid", "unlink", "rename"};
  return kOther.count(call_name) == 0;
}

bool LinuxCallTable::KnowsErrorName(std::string_view symbol) const {
  return stack::linux_abi::ErrnoBySymbol(symbol).has_value();
}

bool LinuxCallTable::ReturnsNewHandle(const std::string& call_name) const {
  // The calls that return a new descriptor, the lowest free one (fs/file.c, alloc_fd).
  static const std::set<std::string> kNew = {"socket", "accept", "accept4", "dup", "eventfd", "eventfd2",
                                             "epoll_create", "epoll_create1", "open", "openat"};
  return kNew.count(call_name) != 0;
}

void LinuxCallTable::CanonicalizeExpected(std::vector<Value>& args) const {
  for (Value& v : args) sockaddr_notation::CanonicalizeScopeNames(v);
}

bool LinuxCallTable::ChangesInCanonicalForm(const std::vector<Value>& args) const {
  return std::any_of(args.begin(), args.end(), sockaddr_notation::HasScopeNames);
}

std::vector<std::string> LinuxCallTable::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers_) names.push_back(name);
  return names;
}

}  // namespace socksim::tools
