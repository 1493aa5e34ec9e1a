// File: tools/personality/illumos/call_table.cc
// illumos call handlers. Each reads its arguments with the types illumos' headers give the
// function on amd64 (LP64: sys/socket.h, unistd.h, stropts.h, tiuser.h, ucred.h): an int, a
// socklen_t, a uid_t, gid_t, pid_t, zoneid_t or projid_t is 32 bits, a size_t or a pointer 64;
// a value that needs more bits is an error of the line, never truncated. Pointers are laid
// out by the generic CallBinder (tools/scenario/call_binder.h): sockaddrs through the illumos
// codec, value-result cells, buffer notation and memory annotations as for every personality.
// What is illumos' own is laid out here: the `ucred_t *` cell of getpeerucred (8 bytes, its
// pointer printed NULL or in hex), the `const gid_t *` cell of ucred_getgroups (printed as the
// gid_t array it points to), struct strrecvfd (int fd, uid_t uid, gid_t gid, char fill[8]:
// 20 bytes), and the libnsl structures of the TLI calls: struct netbuf (unsigned maxlen,
// unsigned len, char *buf: 16 bytes), struct t_bind (netbuf addr, unsigned qlen: 24), struct
// t_call (netbuf addr, opt, udata, int sequence: 56) and struct t_info (eight t_scalar_t: 32);
// an output structure is printed back only when the call wrote into it.
#include "tools/personality/illumos/call_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <span>
#include <stdexcept>

#include "stack/core/socket.h"
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/errno_table.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/vnode.h"
#include "stack/personality/illumos/sockaddr_codec.h"
#include "tools/personality/illumos/sockaddr_values.h"
#include "tools/personality/illumos/symbols.h"
#include "tools/scenario/buffers.h"
#include "tools/scenario/call_binder.h"
#include "tools/scenario/sockaddr_notation.h"
#include "tools/scenario/values.h"
#include "tools/text/numbers.h"

namespace socksim::tools {

namespace ia = stack::illumos_abi;
using sim::UserAddress;

namespace {

// The structure layouts the personality defines (abi_constants.h, sockaddr_codec.h).
constexpr std::uint64_t kSockaddrStorageSize = ia::kSockaddrStorageSize;
constexpr std::uint64_t kStrrecvfdSize = ia::kStrrecvfdSize;
constexpr std::uint64_t kNetbufSize = ia::kNetbufSize;
// The members of the libnsl structures, LP64 (see the file comment).
constexpr std::uint64_t kNetbufLen = 4;
constexpr std::uint64_t kNetbufBuf = 8;
constexpr std::uint64_t kTBindSize = kNetbufSize + 8;
constexpr std::uint64_t kTBindQlen = 16;
constexpr std::uint64_t kTCallSize = 56;
constexpr std::uint64_t kTCallOpt = 16;
constexpr std::uint64_t kTCallUdata = 32;
constexpr std::uint64_t kTCallSequence = 48;
constexpr std::uint64_t kTInfoSize = 32;
// Room behind an output netbuf (its maxlen): any address a transport returns fits.
constexpr std::uint32_t kNetbufRoom = 256;

// How a function's return value reads and where its failure's code is.
enum class Returns {
  kInt,      // int (0, a count, a descriptor), -1 with errno
  kId,       // a 32-bit id (uid_t, pid_t, ...) as a signed number, -1 with errno when unknown
  kPointer,  // a pointer: in hex, NULL on failure (errno set, except where illumos sets none)
  kVoid,     // void: `= _`
  kTli,      // a TLI call: -1 with t_errno, and errno after TSYSERR
};

struct CallShape {
  std::string_view name;
  Returns returns;
};

constexpr CallShape kShapes[] = {
    {"accept", Returns::kInt},
    {"bind", Returns::kInt},
    {"close", Returns::kInt},
    {"connect", Returns::kInt},
    {"dup", Returns::kInt},
    {"exit", Returns::kVoid},
    {"fattach", Returns::kInt},
    {"fcntl", Returns::kInt},
    {"fdetach", Returns::kInt},
    {"fork", Returns::kId},
    {"getpeername", Returns::kInt},
    {"getpeerucred", Returns::kInt},
    {"getpid", Returns::kId},
    {"getsockname", Returns::kInt},
    {"getsockopt", Returns::kInt},
    {"ioctl", Returns::kInt},
    {"listen", Returns::kInt},
    {"mkfifo", Returns::kInt},
    {"open", Returns::kInt},
    {"pipe", Returns::kInt},
    {"recv", Returns::kInt},
    {"recvfrom", Returns::kInt},
    {"recvmsg", Returns::kInt},
    {"send", Returns::kInt},
    {"sendmsg", Returns::kInt},
    {"sendto", Returns::kInt},
    {"setegid", Returns::kInt},
    {"seteuid", Returns::kInt},
    {"setgid", Returns::kInt},
    {"setgroups", Returns::kInt},
    {"setreuid", Returns::kInt},
    {"setsockopt", Returns::kInt},
    {"setuid", Returns::kInt},
    {"shutdown", Returns::kInt},
    {"socket", Returns::kInt},
    {"socketpair", Returns::kInt},
    {"t_accept", Returns::kTli},
    {"t_bind", Returns::kTli},
    {"t_close", Returns::kTli},
    {"t_connect", Returns::kTli},
    {"t_listen", Returns::kTli},
    {"t_open", Returns::kTli},
    {"t_rcvrel", Returns::kTli},
    {"t_snddis", Returns::kTli},
    {"t_sndrel", Returns::kTli},
    {"ucred_free", Returns::kVoid},
    {"ucred_get", Returns::kPointer},
    {"ucred_getamask", Returns::kPointer},
    {"ucred_getasid", Returns::kId},
    {"ucred_getatid", Returns::kPointer},
    {"ucred_getauid", Returns::kId},
    {"ucred_getegid", Returns::kId},
    {"ucred_geteuid", Returns::kId},
    {"ucred_getgroups", Returns::kInt},
    {"ucred_getlabel", Returns::kPointer},
    {"ucred_getpflags", Returns::kId},
    {"ucred_getpid", Returns::kId},
    {"ucred_getprivset", Returns::kPointer},
    {"ucred_getprojid", Returns::kId},
    {"ucred_getrgid", Returns::kId},
    {"ucred_getruid", Returns::kId},
    {"ucred_getsgid", Returns::kId},
    {"ucred_getsuid", Returns::kId},
    {"ucred_getzoneid", Returns::kId},
    {"ucred_size", Returns::kInt},
};

std::optional<Returns> ReturnsOf(std::string_view name) {
  for (const CallShape& s : kShapes) {
    if (s.name == name) return s.returns;
  }
  return std::nullopt;
}

// A pointer as printed: NULL, or the address in hex.
Value PointerValue(std::uint64_t v) {
  if (v == 0) return values::Null();
  Value out = values::Integer(static_cast<std::int64_t>(v));
  out.text = fmt::format("{:#x}", v);
  return out;
}

// A 32-bit cell's content as a (signed) int.
Value IntValue(std::uint64_t v) {
  return values::Integer(static_cast<std::int32_t>(static_cast<std::uint32_t>(v)));
}

// A constant's name as printed, or the number when the printer found none (it gave digits).
Value Named(std::string name, std::int64_t value) {
  if (name == std::to_string(value)) return values::Integer(value);
  return values::Symbol(std::move(name));
}

std::uint64_t LittleEndian(std::span<const std::uint8_t> bytes) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < bytes.size() && k < 8; ++k) v |= std::uint64_t{bytes[k]} << (8 * k);
  return v;
}

// The one input of a written cell: `[in]` (a value-result without output, or a one-member
// list), `[in => out]`; nullptr for any other form.
const Value* CellInput(const Value& v) {
  if (v.kind == Value::Kind::kValueResult && v.text != "=>") return &v.items.at(0);
  if (v.kind == Value::Kind::kArray && v.items.size() == 1) return &v.items[0];
  return nullptr;
}

// A one-member list in the form the printer gives it, wherever it is inside `v` (an unbound
// capture included: `cmsg_data=[$fd]` then binds what `[5]` holds).
void CanonicalizeLists(Value& v) {
  if (v.kind == Value::Kind::kArray && v.items.size() == 1 &&
      (v.items[0].kind == Value::Kind::kInteger || v.items[0].kind == Value::Kind::kSymbol ||
       v.items[0].kind == Value::Kind::kNull || v.items[0].kind == Value::Kind::kCapture)) {
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

}  // namespace

/// Binds one call's arguments (the generic CallBinder with illumos' constants) and runs it
/// through the facade.
class IllumosCallTable::Binder : public CallBinder {
 public:
  Binder(ia::Illumos& illumos, const CallLine& call, sim::Thread& thread, bool may_wait)
      : CallBinder(thread.process().memory(), call, thread, may_wait, &illumos_symbols::Lookup),
        illumos_(illumos) {}

  ia::Illumos& os() { return illumos_; }

  /// Records the facade's result, spelled as the function's return type reads.
  void Finish(const stack::CallResult& r) {
    SetResult(r);
    const Returns returns = ReturnsOf(call().name).value_or(Returns::kInt);
    Outcome o;
    o.location = call().outcome ? call().outcome->location : call().location;
    o.value = r.value;
    switch (returns) {
      case Returns::kInt:
      case Returns::kTli:
        o.value_text = std::to_string(r.value);
        break;
      case Returns::kId:
        o.value = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.value));
        o.value_text = std::to_string(o.value);
        break;
      case Returns::kPointer:
        o.value_text = PointerValue(static_cast<std::uint64_t>(r.value)).ToString();
        break;
      case Returns::kVoid:
        o.kind = Outcome::Kind::kWildcard;
        o.value_text = std::string(1, '_');  // moved in: GCC 12 misreads a literal's copy here
        break;
    }
    if (r.code && returns == Returns::kTli && r.failed()) {
      // t_errno, then for TSYSERR the errno the transport left (t_error(3NSL)).
      const std::string symbol = illumos_symbols::TliErrorSymbol(*r.code);
      o.error_symbol = symbol.empty() ? std::to_string(*r.code) : symbol;
      if (illumos_symbols::Lookup("TSYSERR") == *r.code) {
        const int e = os().Errno(thread());
        const std::string errno_symbol = illumos_symbols::ErrnoSymbol(e);
        o.error_symbol += " " + (errno_symbol.empty() ? std::to_string(e) : errno_symbol);
        o.error_text = illumos_symbols::ErrnoText(e);
      }
    } else if (r.code) {
      // A C function's errno: after a failure, and after an accessor that returns its
      // "unknown" value with EINVAL; never printed when the call left errno alone.
      const std::string symbol = illumos_symbols::ErrnoSymbol(*r.code);
      o.error_symbol = symbol.empty() ? std::to_string(*r.code) : symbol;
      o.error_text = illumos_symbols::ErrnoText(*r.code);
    }
    out().outcome = o;
  }

  /// A descriptor argument (an int), remembered for explanations.
  std::int32_t Fd(std::size_t i) {
    const auto fd = static_cast<std::int32_t>(Word(i));
    if (fd >= 0) NoteHandle(fd);
    return fd;
  }
  /// An int argument.
  std::int32_t Int32(std::size_t i) { return static_cast<std::int32_t>(Word(i)); }
  /// A uid_t, gid_t or pid_t argument: 32 bits, written unsigned or as a negative number.
  std::uint32_t Id(std::size_t i) { return static_cast<std::uint32_t>(Word(i)); }

  /// A path argument: a string.
  std::string Path(std::size_t i) {
    const Value& v = Arg(i);
    Concrete(v);
    if (v.kind != Value::Kind::kString) Fail(v.location, "the path must be a string");
    return v.text;
  }

  /// An input sockaddr, through the illumos codec.
  UserAddress InAddress(std::size_t i, std::uint32_t len) {
    return InSockaddr(i, len, kSockaddrStorageSize, &IllumosSockaddrBytes);
  }

  /// A `ucred_t *` argument of an accessor: the process must hold it (from getpeerucred or
  /// ucred_get, not freed), since anything else is undefined behaviour on illumos (a crash or
  /// garbage), not an errno the simulator could answer. NULL is accepted where `null_ok`
  /// (ucred_free(NULL) does nothing).
  UserAddress Ucred(std::size_t i, bool null_ok = false) {
    const Value& v = Arg(i);
    Concrete(v);
    const auto uc = static_cast<UserAddress>(IntOf(v));
    if (uc == 0 && null_ok) return uc;
    if (!os().HoldsUcred(process(), uc)) {
      Fail(v.location,
           fmt::format("{}: {} is not a ucred_t process {} holds (one getpeerucred or "
                       "ucred_get returned and ucred_free has not freed): passing anything "
                       "else is undefined on illumos, not an error it reports",
                       call().name, PointerValue(uc).ToString(), process().pid()));
    }
    return uc;
  }

  /// A pointer cell of 8 bytes the call reads and may write: `[in]`, `[in => out]` (in NULL,
  /// a pointer or `_` for NULL), `_` (NULL), buffer notation, or a literal pointer to such a
  /// cell. NULL as the whole argument is refused where the function dereferences it
  /// unconditionally (getpeerucred's ucred_t **: a crash, not an errno).
  struct PointerCell {
    UserAddress at = 0;
    std::uint64_t in = 0;
  };
  PointerCell Cell8(std::size_t i, bool refuse_null) {
    const Value& v = Arg(i);
    if (v.kind == Value::Kind::kNull && refuse_null) {
      Fail(v.location, fmt::format("{} dereferences argument {} unconditionally: NULL crashes "
                                   "the process on illumos; write a cell such as [NULL => $uc]",
                                   call().name, i + 1));
    }
    if (buffers::IsBuffer(v)) {
      const UserAddress at = Place(v, 8);
      const auto bytes = mem().Peek(at, 8);
      return {at, bytes ? LittleEndian(*bytes) : 0};
    }
    const Value* in = CellInput(v);
    if (in != nullptr || v.kind == Value::Kind::kWildcard) {
      std::uint64_t value = 0;
      if (in != nullptr && in->kind != Value::Kind::kWildcard) {
        Concrete(*in);
        value = static_cast<std::uint64_t>(IntOf(*in));
      }
      return {WideCell(v, value, 8), value};
    }
    Concrete(v);
    return {Buffer(v, 8), 0};
  }

  /// Prints a pointer cell back: `[in]` when unchanged, `[in => out]` when the call changed
  /// it (or, after a failure, when the line asked for the output); the output spelled by
  /// `print` (a pointer by default).
  void PrintCell8(std::size_t i, const PointerCell& cell,
                  const std::function<Value(std::uint64_t)>& print = &PointerValue) {
    const Value& written = Arg(i);
    if (cell.at == 0 || buffers::IsBuffer(written)) return;
    const Value* in_written = CellInput(written);
    const bool result = written.kind == Value::Kind::kValueResult && written.text != "=>";
    if (in_written == nullptr && written.kind != Value::Kind::kWildcard) return;
    const auto now = mem().Peek(cell.at, 8);
    const std::uint64_t out = now ? LittleEndian(*now) : cell.in;
    const bool show_out = Succeeded() ? out != cell.in : (result && written.has_out);
    Value in_value = PointerValue(cell.in);
    if (in_written != nullptr && in_written->kind == Value::Kind::kInteger &&
        static_cast<std::uint64_t>(in_written->integer) == cell.in) {
      in_value = *in_written;
      in_value.location = {};
    }
    std::optional<Value> out_value;
    if (show_out) out_value = print(out);
    Value printed = values::ValueResult(std::move(in_value), std::move(out_value));
    printed.annotation = written.annotation;
    SetArg(i, std::move(printed));
  }

  /// A NUL-terminated string argument laid out in caller memory (an I_PUSH module name).
  UserAddress CString(std::size_t i) {
    const Value& v = Arg(i);
    Concrete(v);
    if (v.kind != Value::Kind::kString) return Buffer(v, 1);
    std::vector<std::uint8_t> bytes(v.text.begin(), v.text.end());
    bytes.push_back(0);
    return Bytes(v, bytes);
  }

 private:
  ia::Illumos& illumos_;
};

namespace {

using Binder = IllumosCallTable::Binder;

// getpeername / getsockname / accept / recvfrom's address: name out, length cell.
using NameArgs = CallBinder::NameCell;
NameArgs BindName(Binder& b, std::size_t name, std::size_t len) {
  return b.BindNameCell(name, len, kSockaddrStorageSize);
}
void PrintName(Binder& b, const NameArgs& a, std::size_t name, std::size_t len) {
  b.PrintNameCell(name, len, a, &IllumosSockaddrValue);
}

// An int[2] output (pipe, socketpair): `[$r, $w]`, `_`, or a pointer; printed `[r, w]`.
UserAddress BindPair(Binder& b, std::size_t i) {
  const Value& v = b.Arg(i);
  if (v.kind == Value::Kind::kArray || v.kind == Value::Kind::kWildcard) return b.Fresh(v, 8);
  b.Concrete(v);
  return b.Buffer(v, 8);
}
void PrintPair(Binder& b, std::size_t i, UserAddress at) {
  const Value& v = b.Arg(i);
  if (!b.Succeeded() || at == 0 || buffers::IsBuffer(v)) return;
  const auto first = b.mem().ReadU32(at);
  const auto second = b.mem().ReadU32(at + 4);
  if (first && second) b.SetArg(i, values::Array({IntValue(*first), IntValue(*second)}));
}

// A setsockopt value: [N] (an int), {l_onoff=N, l_linger=N} (struct linger: two ints), a
// string, buffer notation, NULL or a pointer.
UserAddress BindOption(Binder& b, std::size_t i, std::uint32_t len) {
  const Value& v = b.Arg(i);
  if (buffers::IsBuffer(v)) return b.Place(v, len);
  b.Concrete(v);
  std::vector<std::uint8_t> bytes;
  auto put = [&](const Value& item) {
    const std::int64_t x = b.IntOf(item);
    if (x < std::numeric_limits<std::int32_t>::min() ||
        x > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
      b.Fail(item.location, fmt::format("{} does not fit a 32-bit option value", x));
    }
    for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
  };
  if (const Value* in = CellInput(v)) {
    put(*in);
  } else if (v.kind == Value::Kind::kStruct) {
    for (const auto& f : v.fields) put(f.value);
  } else if (v.kind == Value::Kind::kString) {
    return b.InBytes(i, len);
  } else {
    return b.Buffer(v, len);
  }
  if (bytes.size() < len) bytes.resize(std::min<std::uint64_t>(len, CallBinder::kLargestBuffer), 0);  // at most kLargestBuffer laid out
  return b.Bytes(v, bytes);
}

// What getsockopt returned: struct linger's members, [int] for four bytes (SO_ERROR as the
// errno's symbol, SO_TYPE as the type's), the raw bytes otherwise.
Value PrintOption(Binder& b, std::int32_t level, std::int32_t name, UserAddress at,
                  UserAddress len_cell) {
  const Value& given = b.Arg(3);
  const auto n = b.mem().ReadU32(len_cell);
  if (!n || *n == 0 || *n > 65536) return given;
  const auto bytes = b.mem().Peek(at, *n);
  if (!bytes) return given;
  const bool socket_level = level == ia::kSolSocket;
  if (socket_level && name == ia::kSoLinger && bytes->size() >= 8) {
    return values::Struct({{"l_onoff", IntValue(LittleEndian({bytes->data(), 4}))},
                           {"l_linger", IntValue(LittleEndian({bytes->data() + 4, 4}))}});
  }
  if (bytes->size() == 4) {
    const auto word = static_cast<std::int32_t>(LittleEndian(*bytes));
    if (socket_level && name == ia::kSoError && word != 0) {
      const std::string symbol = illumos_symbols::ErrnoSymbol(word);
      if (!symbol.empty()) return values::ValueResult(values::Symbol(symbol), std::nullopt);
    }
    if (socket_level && name == ia::kSoType) {
      return values::ValueResult(Named(illumos_symbols::SockType(word), word), std::nullopt);
    }
    return values::ValueResult(values::Integer(word), std::nullopt);
  }
  return values::String(std::string(bytes->begin(), bytes->end()));
}

// ---- msghdr (sendmsg / recvmsg) ----

// A member of a msghdr value, failing with the value's location when it is missing.
const Value& Member(Binder& b, const Value& v, const char* name) {
  const Value* f = values::FieldOf(v, name);
  if (f == nullptr) b.Fail(v.location, fmt::format("msghdr needs {}=", name));
  return *f;
}

// A count member: N or [N] / [in => out] (its input), read as a 32-bit unsigned value.
std::uint32_t CountOf(Binder& b, const Value& v) {
  const Value* in = CellInput(v);
  const Value& number = in != nullptr ? *in : v;
  const std::int64_t x = b.IntOf(number);
  if (x < 0 || x > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
    b.Fail(number.location, fmt::format("{} does not fit a 32-bit socklen_t", x));
  }
  return static_cast<std::uint32_t>(x);
}

// The descriptors of an SCM_RIGHTS cmsg_data value: [4] or [4, 5].
std::vector<std::int64_t> FdList(Binder& b, const Value& v) {
  std::vector<std::int64_t> fds;
  if (const Value* in = CellInput(v); in != nullptr && v.kind == Value::Kind::kValueResult) {
    fds.push_back(b.IntOf(*in));
  } else if (v.kind == Value::Kind::kArray) {
    for (const auto& item : v.items) fds.push_back(b.IntOf(item));
  } else {
    b.Fail(v.location, "cmsg_data must be a list of descriptors such as [4]");
  }
  return fds;
}

struct BuiltMsghdr {
  UserAddress msghdr = 0;
  UserAddress name = 0;
  std::uint32_t namelen = 0;
  std::vector<std::pair<UserAddress, std::uint64_t>> iov;  // base, length
  UserAddress control = 0;
  std::uint32_t controllen = 0;
};

// The 4-byte alignment of control messages on amd64 (sys/socket.h _CMSG_HDR_ALIGNMENT).
constexpr std::uint64_t CmsgAlign(std::uint64_t n) { return (n + 3) & ~std::uint64_t{3}; }

// Lays out an LP64 struct msghdr (abi_constants.h) from its notation. For sendmsg the
// iov_base strings and the control messages are inputs; for recvmsg they are room.
BuiltMsghdr BuildMsghdr(Binder& b, const Value& v, bool sending) {
  if (v.kind != Value::Kind::kStruct) b.Fail(v.location, "expected a msghdr {msg_name=..., ...}");
  if (sending) b.Concrete(v);
  auto& mem = b.mem();
  BuiltMsghdr out;
  const Value& name = Member(b, v, "msg_name");
  out.namelen = CountOf(b, Member(b, v, "msg_namelen"));
  const std::uint64_t name_room = std::min<std::uint64_t>(out.namelen, kSockaddrStorageSize);
  if (buffers::IsBuffer(name)) {
    out.name = b.Place(name, name_room);
  } else if (name.kind == Value::Kind::kStruct && sending) {
    std::string error;
    auto bytes = IllumosSockaddrBytes(name, &error);
    if (!bytes) b.Fail(name.location, error);
    if (bytes->size() < name_room) bytes->resize(name_room, 0);
    out.name = b.Bytes(name, *bytes);
  } else if (name.kind != Value::Kind::kNull) {
    out.name = b.Fresh(name, std::max<std::uint64_t>(name_room, 1));
  }
  const Value& iov = Member(b, v, "msg_iov");
  if (iov.kind != Value::Kind::kArray) {
    b.Fail(iov.location, "msg_iov must be a list of {iov_base=..., iov_len=N}");
  }
  for (const auto& item : iov.items) {
    const Value& base = Member(b, item, "iov_base");
    const std::uint64_t len = static_cast<std::uint64_t>(b.IntOf(Member(b, item, "iov_len")));
    if (buffers::IsBuffer(base)) {
      out.iov.emplace_back(b.Place(base, len), len);
    } else if (sending && base.kind == Value::Kind::kString) {
      std::vector<std::uint8_t> bytes(base.text.begin(), base.text.end());
      bytes.resize(std::min<std::uint64_t>(len, CallBinder::kLargestBuffer), 0);
      out.iov.emplace_back(b.Bytes(base, bytes), len);
    } else {
      out.iov.emplace_back(b.Fresh(base, len), len);
    }
  }
  const UserAddress iov_array =
      mem.Allocate(ia::kIovecSize * std::max<std::size_t>(out.iov.size(), 1));
  for (std::size_t i = 0; i < out.iov.size(); ++i) {
    (void)mem.WriteU64(iov_array + ia::kIovecSize * i, out.iov[i].first);
    (void)mem.WriteU64(iov_array + ia::kIovecSize * i + 8, out.iov[i].second);
  }
  const Value& control = Member(b, v, "msg_control");
  out.controllen = CountOf(b, Member(b, v, "msg_controllen"));
  if (control.kind != Value::Kind::kNull) {
    std::vector<std::uint8_t> bytes(std::max<std::uint32_t>(out.controllen, 1), 0);
    if (sending) {
      if (control.kind != Value::Kind::kArray) {
        b.Fail(control.location, "msg_control must be a list of cmsgs");
      }
      std::uint64_t offset = 0;
      for (const auto& cmsg : control.items) {
        const auto fds = FdList(b, Member(b, cmsg, "cmsg_data"));
        const auto len = static_cast<std::uint32_t>(b.IntOf(Member(b, cmsg, "cmsg_len")));
        const auto level = static_cast<std::uint32_t>(b.IntOf(Member(b, cmsg, "cmsg_level")));
        const auto type = static_cast<std::uint32_t>(b.IntOf(Member(b, cmsg, "cmsg_type")));
        std::vector<std::uint8_t> one(ia::kCmsghdrSize + 4 * fds.size(), 0);
        for (int k = 0; k < 4; ++k) {
          one[k] = static_cast<std::uint8_t>(len >> (8 * k));
          one[4 + k] = static_cast<std::uint8_t>(level >> (8 * k));
          one[8 + k] = static_cast<std::uint8_t>(type >> (8 * k));
        }
        for (std::size_t f = 0; f < fds.size(); ++f) {
          for (int k = 0; k < 4; ++k) {
            one[ia::kCmsghdrSize + 4 * f + k] = static_cast<std::uint8_t>(fds[f] >> (8 * k));
          }
        }
        for (std::size_t k = 0; k < one.size() && offset + k < bytes.size(); ++k) {
          bytes[offset + k] = one[k];
        }
        offset += CmsgAlign(one.size());
      }
    }
    out.control = mem.Allocate(bytes.size());
    (void)mem.Poke(out.control, bytes);
  }
  out.msghdr = mem.Allocate(ia::kMsghdrSize);
  (void)mem.WriteU64(out.msghdr + ia::kMsghdrName, out.name);
  (void)mem.WriteU32(out.msghdr + ia::kMsghdrNamelen, out.namelen);
  (void)mem.WriteU64(out.msghdr + ia::kMsghdrIov, iov_array);
  (void)mem.WriteU32(out.msghdr + ia::kMsghdrIovlen, static_cast<std::uint32_t>(out.iov.size()));
  (void)mem.WriteU64(out.msghdr + ia::kMsghdrControl, out.control);
  (void)mem.WriteU32(out.msghdr + ia::kMsghdrControllen, out.controllen);
  (void)mem.WriteU32(out.msghdr + ia::kMsghdrFlags, 0);
  return out;
}

// The msghdr after recvmsg: the name and length written back, each vector's received bytes,
// the control messages (SCM_RIGHTS with the descriptors installed), the flags.
Value PrintReceivedMsghdr(Binder& b, const Value& given, const BuiltMsghdr& m,
                          std::int64_t received) {
  auto& mem = b.mem();
  std::vector<Value::Field> fields;
  const auto namelen = mem.ReadU32(m.msghdr + ia::kMsghdrNamelen).value_or(0);
  const Value& given_name = *values::FieldOf(given, "msg_name");
  if (auto buffer = b.PrintedBuffer(given_name)) {
    fields.push_back({"msg_name", std::move(*buffer)});
  } else if (m.name != 0 && namelen > 0) {
    const auto bytes = mem.Peek(m.name, std::min(namelen, m.namelen));
    fields.push_back({"msg_name", bytes ? IllumosSockaddrValue(*bytes) : values::Null()});
  } else {
    fields.push_back({"msg_name", m.name == 0 ? values::Null() : given_name});
  }
  fields.push_back({"msg_namelen", values::Integer(namelen)});
  std::vector<Value> iovs;
  std::int64_t left = received;
  const Value& given_iov = *values::FieldOf(given, "msg_iov");
  for (std::size_t k = 0; k < m.iov.size(); ++k) {
    const auto& [base, len] = m.iov[k];
    const auto take = static_cast<std::uint64_t>(
        std::max<std::int64_t>(0, std::min<std::int64_t>(left, static_cast<std::int64_t>(len))));
    left -= static_cast<std::int64_t>(take);
    const auto length = values::Integer(static_cast<std::int64_t>(len));
    if (auto buffer = b.PrintedBuffer(*values::FieldOf(given_iov.items[k], "iov_base"))) {
      iovs.push_back(values::Struct({{"iov_base", std::move(*buffer)}, {"iov_len", length}}));
      continue;
    }
    const auto bytes = mem.Peek(base, take);
    iovs.push_back(values::Struct(
        {{"iov_base", values::String(bytes ? std::string(bytes->begin(), bytes->end()) : "")},
         {"iov_len", length}}));
  }
  fields.push_back({"msg_iov", values::Array(std::move(iovs))});
  fields.push_back({"msg_iovlen", values::Integer(static_cast<std::int64_t>(m.iov.size()))});
  const auto used = mem.ReadU32(m.msghdr + ia::kMsghdrControllen).value_or(0);
  std::vector<Value> cmsgs;
  for (std::uint64_t off = 0; m.control != 0 && off + ia::kCmsghdrSize <= used;) {
    const auto len = mem.ReadU32(m.control + off).value_or(0);
    const auto level = static_cast<std::int32_t>(mem.ReadU32(m.control + off + 4).value_or(0));
    const auto type = static_cast<std::int32_t>(mem.ReadU32(m.control + off + 8).value_or(0));
    std::vector<Value> fds;
    for (std::uint64_t at = ia::kCmsghdrSize; at + 4 <= len; at += 4) {
      fds.push_back(IntValue(mem.ReadU32(m.control + off + at).value_or(0)));
    }
    Value data =
        fds.size() == 1 ? values::ValueResult(fds[0], std::nullopt) : values::Array(std::move(fds));
    cmsgs.push_back(
        values::Struct({{"cmsg_len", values::Integer(len)},
                        {"cmsg_level", level == ia::kSolSocket ? values::Symbol("SOL_SOCKET")
                                                               : values::Integer(level)},
                        {"cmsg_type", type == ia::kScmRights ? values::Symbol("SCM_RIGHTS")
                                                             : values::Integer(type)},
                        {"cmsg_data", std::move(data)}}));
    if (len < ia::kCmsghdrSize) break;
    off += CmsgAlign(len);
  }
  fields.push_back(
      {"msg_control", m.control == 0 ? values::Null() : values::Array(std::move(cmsgs))});
  fields.push_back({"msg_controllen", values::Integer(used)});
  fields.push_back({"msg_flags", IntValue(mem.ReadU32(m.msghdr + ia::kMsghdrFlags).value_or(0))});
  return values::Struct(std::move(fields));
}

// ---- TLI structures ----

// The bytes of a netbuf written in a line: NULL (none), a string (a transport address as its
// bytes: a tl name), a sockaddr (a /dev/tcp address, through the codec), or buffer notation.
std::vector<std::uint8_t> NetbufBytes(Binder& b, const Value& v) {
  b.Concrete(v);
  if (v.kind == Value::Kind::kNull || v.kind == Value::Kind::kWildcard) return {};
  if (v.kind == Value::Kind::kString) return {v.text.begin(), v.text.end()};
  if (v.kind == Value::Kind::kStruct) {
    std::string error;
    auto bytes = IllumosSockaddrBytes(v, &error);
    if (!bytes) b.Fail(v.location, error);
    return *bytes;
  }
  b.Fail(v.location,
         fmt::format("a netbuf is NULL, a string or a sockaddr, found '{}'", v.ToString()));
}

// Writes a netbuf at `at`: an input holding `bytes` (maxlen = len), or an output with
// kNetbufRoom bytes of room (len 0).
void PutNetbuf(Binder& b, UserAddress at, const std::vector<std::uint8_t>* bytes) {
  auto& mem = b.mem();
  const std::uint64_t room =
      bytes != nullptr ? std::max<std::size_t>(bytes->size(), 1) : kNetbufRoom;
  const UserAddress buf = mem.Allocate(room);
  if (bytes != nullptr) (void)mem.Poke(buf, *bytes);
  const auto len = static_cast<std::uint32_t>(bytes != nullptr ? bytes->size() : 0);
  (void)mem.WriteU32(at, bytes != nullptr ? len : kNetbufRoom);
  (void)mem.WriteU32(at + kNetbufLen, len);
  (void)mem.WriteU64(at + kNetbufBuf, buf);
}

// A returned netbuf: NULL for none, the sockaddr its bytes hold when they read as one of the
// families illumos decodes (a /dev/tcp address), else the bytes as a string (a tl name).
Value NetbufValue(Binder& b, UserAddress at) {
  auto& mem = b.mem();
  const auto len = mem.ReadU32(at + kNetbufLen).value_or(0);
  const auto buf = mem.ReadU64(at + kNetbufBuf).value_or(0);
  if (len == 0 || buf == 0) return values::Null();
  const auto bytes = mem.Peek(buf, std::min<std::uint32_t>(len, kNetbufRoom));
  if (!bytes) return values::Null();
  const bool inet = bytes->size() >= 2 &&
                    (LittleEndian({bytes->data(), 2}) == static_cast<std::uint64_t>(ia::kAfInet) ||
                     LittleEndian({bytes->data(), 2}) == static_cast<std::uint64_t>(ia::kAfInet6));
  if (inet) return IllumosSockaddrValue(*bytes);
  return values::String(std::string(bytes->begin(), bytes->end()));
}

// A struct t_bind or t_call argument: NULL, `_` (room for every output), a structure naming
// some of its members (inputs from what they hold), or a literal pointer. `members` are the
// structure's netbuf members with their offsets; `int_member` its integer one.
struct TliStruct {
  UserAddress at = 0;
  bool printed = false;  // printed back after the call (a structure or `_`)
  // Its bytes before the call: a structure the call left as it was is printed as written
  // (the facade fills only what illumos' library fills that the model needs).
  std::vector<std::uint8_t> before;
};

// Whether the `size` bytes at `at` differ from `before`.
bool Changed(Binder& b, UserAddress at, const std::vector<std::uint8_t>& before) {
  const auto now = b.mem().Peek(at, before.size());
  return now && *now != before;
}
struct NetbufMember {
  const char* name;
  std::uint64_t offset;
};
TliStruct BindTliStruct(Binder& b, std::size_t i, std::uint64_t size,
                        std::span<const NetbufMember> members, const char* int_member,
                        std::uint64_t int_offset) {
  const Value& v = b.Arg(i);
  if (v.kind == Value::Kind::kNull) return {};
  if (v.kind != Value::Kind::kStruct && v.kind != Value::Kind::kWildcard) {
    b.Concrete(v);
    return {b.Buffer(v, size), false};
  }
  const UserAddress at = b.Fresh(v, size);
  for (const auto& m : members) {
    const Value* f = v.kind == Value::Kind::kStruct ? values::FieldOf(v, m.name) : nullptr;
    if (f != nullptr && f->kind != Value::Kind::kWildcard && f->kind != Value::Kind::kCapture) {
      const auto bytes = NetbufBytes(b, *f);
      PutNetbuf(b, at + m.offset, &bytes);
    } else {
      PutNetbuf(b, at + m.offset, nullptr);
    }
  }
  const Value* n = v.kind == Value::Kind::kStruct ? values::FieldOf(v, int_member) : nullptr;
  if (n != nullptr && n->kind != Value::Kind::kWildcard && n->kind != Value::Kind::kCapture) {
    const std::int64_t x = b.IntOf(*n);
    if (x < std::numeric_limits<std::int32_t>::min() ||
        x > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
      b.Fail(n->location, fmt::format("{} does not fit the 32-bit member {}", x, int_member));
    }
    (void)b.mem().WriteU32(at + int_offset, static_cast<std::uint32_t>(x));
  }
  if (v.kind == Value::Kind::kStruct) {
    for (const auto& f : v.fields) {
      bool known = f.name == int_member;
      for (const auto& m : members) known = known || f.name == m.name;
      if (!known) {
        b.Fail(f.value.location, fmt::format("no member '{}' here (members: {}{}{})", f.name,
                                             members.empty() ? "" : members[0].name,
                                             members.size() > 1 ? ", ..., " : ", ", int_member));
      }
    }
  }
  return {at, true, b.mem().Peek(at, size).value_or(std::vector<std::uint8_t>{})};
}
// After the call: the members the line named (all of them for `_`), as they are now.
void PrintTliStruct(Binder& b, std::size_t i, const TliStruct& s,
                    std::span<const NetbufMember> members, const char* int_member,
                    std::uint64_t int_offset) {
  if (!s.printed || !b.Succeeded() || !Changed(b, s.at, s.before)) return;
  const Value& v = b.Arg(i);
  const bool all = v.kind == Value::Kind::kWildcard;
  std::vector<Value::Field> fields;
  auto named = [&](const char* name) { return all || values::FieldOf(v, name) != nullptr; };
  for (const auto& m : members) {
    if (named(m.name)) fields.push_back({m.name, NetbufValue(b, s.at + m.offset)});
  }
  if (named(int_member)) {
    fields.push_back({int_member, IntValue(b.mem().ReadU32(s.at + int_offset).value_or(0))});
  }
  b.SetArg(i, values::Struct(std::move(fields)));
}

constexpr NetbufMember kTBindMembers[] = {{"addr", 0}};
constexpr NetbufMember kTCallMembers[] = {{"addr", 0}, {"opt", kTCallOpt}, {"udata", kTCallUdata}};

// struct t_info after t_open: the members the line names, in the header's order.
void PrintTInfo(Binder& b, std::size_t i, UserAddress at) {
  const Value& v = b.Arg(i);
  if (at == 0 || !b.Succeeded() ||
      (v.kind != Value::Kind::kStruct && v.kind != Value::Kind::kWildcard) ||
      !Changed(b, at, std::vector<std::uint8_t>(kTInfoSize, 0))) {
    return;
  }
  static constexpr const char* kMembers[] = {"addr",    "options", "tsdu",     "etsdu",
                                             "connect", "discon",  "servtype", "flags"};
  std::vector<Value::Field> fields;
  for (std::size_t m = 0; m < std::size(kMembers); ++m) {
    if (v.kind == Value::Kind::kStruct && values::FieldOf(v, kMembers[m]) == nullptr) continue;
    const auto word = b.mem().ReadU32(at + 4 * m).value_or(0);
    Value printed = IntValue(word);
    if (std::string_view(kMembers[m]) == "servtype") {
      for (const char* type : {"T_COTS", "T_COTS_ORD", "T_CLTS"}) {
        if (illumos_symbols::Lookup(type) == static_cast<std::int64_t>(word)) {
          printed = values::Symbol(type);
        }
      }
    }
    fields.push_back({kMembers[m], std::move(printed)});
  }
  b.SetArg(i, values::Struct(std::move(fields)));
}

// A TLI state as t_getstate(3NSL) names it, with timod's orderly-release flags.
const char* TliStateName(ia::TliState state) {
  switch (state) {
    case ia::TliState::kUnbound:
      return "T_UNBND";
    case ia::TliState::kIdle:
      return "T_IDLE";
    case ia::TliState::kListening:
      return "T_IDLE (listening)";
    case ia::TliState::kConnecting:
      return "T_OUTCON";
    case ia::TliState::kConnected:
      return "T_DATAXFER";
    case ia::TliState::kLocalRelease:
      return "T_OUTREL";
    case ia::TliState::kRemoteRelease:
      return "T_INREL";
    case ia::TliState::kDisconnected:
      return "T_IDLE (disconnected)";
  }
  return "?";
}

// The gid_t array ucred_getgroups made `*groups` point to: `count` entries, or NULL.
Value GroupsValue(Binder& b, std::uint64_t at, std::int64_t count) {
  if (at == 0) return values::Null();
  std::vector<Value> gids;
  for (std::int64_t k = 0; k < count && k < 65536; ++k) {
    gids.push_back(IntValue(b.mem().ReadU32(at + 4 * static_cast<std::uint64_t>(k)).value_or(0)));
  }
  // One member prints as the parser reads `[10]` back: a value-result.
  if (gids.size() == 1) return values::ValueResult(std::move(gids[0]), std::nullopt);
  return values::Array(std::move(gids));
}

}  // namespace

IllumosCallTable::IllumosCallTable(ia::Illumos* illumos) : illumos_(illumos) {
  // ---- files, pipes and STREAMS ----
  handlers_["open"] = [](Binder& b) {
    if (b.argc() != 2 && b.argc() != 3) b.Need(2);
    const std::string path = b.Path(0);
    const std::int32_t oflag = b.Int32(1);
    const std::int32_t mode = b.argc() == 3 ? b.Int32(2) : 0;
    b.Finish(b.os().Open(b.thread(), path, oflag, mode));
  };
  handlers_["close"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().Close(b.thread(), b.Fd(0)));
  };
  handlers_["dup"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().Dup(b.thread(), b.Fd(0)));
  };
  handlers_["pipe"] = [](Binder& b) {
    b.Need(1);
    const UserAddress fds = BindPair(b, 0);
    b.Seal();
    b.Finish(b.os().Pipe(b.thread(), fds));
    PrintPair(b, 0, fds);
  };
  handlers_["mkfifo"] = [](Binder& b) {
    b.Need(2);
    const std::string path = b.Path(0);
    b.Finish(b.os().Mkfifo(b.thread(), path, b.Int32(1)));
  };
  handlers_["fattach"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    b.Finish(b.os().Fattach(b.thread(), fd, b.Path(1)));
  };
  handlers_["fdetach"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().Fdetach(b.thread(), b.Path(0)));
  };
  handlers_["ioctl"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const std::int32_t request = b.Int32(1);
    if (request == ia::kIPush) {
      // I_PUSH's argument is the module's name (streamio(4I)).
      const UserAddress name = b.CString(2);
      b.Seal();
      b.Finish(b.os().Ioctl(b.thread(), fd, request, name));
      return;
    }
    if (request == ia::kIRecvfd) {
      // struct strrecvfd, filled on success: `{fd=$got, uid=U, gid=G}` or `_`.
      const Value& v = b.Arg(2);
      const bool printed = v.kind == Value::Kind::kStruct || v.kind == Value::Kind::kWildcard;
      UserAddress at = 0;
      if (printed) {
        at = b.Fresh(v, kStrrecvfdSize);
      } else {
        b.Concrete(v);
        at = b.Buffer(v, kStrrecvfdSize);
      }
      b.Seal();
      b.Finish(b.os().Ioctl(b.thread(), fd, request, at));
      if (printed && b.Succeeded()) {
        b.SetArg(2, values::Struct({{"fd", IntValue(b.mem().ReadU32(at).value_or(0))},
                                    {"uid", IntValue(b.mem().ReadU32(at + 4).value_or(0))},
                                    {"gid", IntValue(b.mem().ReadU32(at + 8).value_or(0))}}));
      }
      return;
    }
    // I_SENDFD, I_POP and the rest take a value (the descriptor to send; I_POP ignores it).
    const std::int64_t arg = b.Int(2);
    b.Finish(b.os().Ioctl(b.thread(), fd, request, static_cast<UserAddress>(arg)));
  };
  handlers_["fcntl"] = [](Binder& b) {
    if (b.argc() != 2 && b.argc() != 3) b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const std::int32_t cmd = b.Int32(1);
    const std::int64_t arg = b.argc() == 3 ? b.Int(2) : 0;
    b.Finish(b.os().Fcntl(b.thread(), fd, cmd, arg));
  };

  // ---- sockets ----
  handlers_["socket"] = [](Binder& b) {
    b.Need(3);
    b.Finish(b.os().Socket(b.thread(), b.Int32(0), b.Int32(1), b.Int32(2)));
  };
  handlers_["socketpair"] = [](Binder& b) {
    b.Need(4);
    const std::int32_t domain = b.Int32(0), type = b.Int32(1), protocol = b.Int32(2);
    const UserAddress sv = BindPair(b, 3);
    b.Seal();
    b.Finish(b.os().Socketpair(b.thread(), domain, type, protocol, sv));
    PrintPair(b, 3, sv);
  };
  auto address_call = [](bool connect) {
    return [connect](Binder& b) {
      b.Need(3);
      const std::int32_t fd = b.Fd(0);
      const std::uint32_t len = b.Len32(2);
      const UserAddress addr = b.InAddress(1, len);
      b.Seal();
      b.Finish(connect ? b.os().Connect(b.thread(), fd, addr, len)
                       : b.os().Bind(b.thread(), fd, addr, len));
    };
  };
  handlers_["bind"] = address_call(false);
  handlers_["connect"] = address_call(true);
  handlers_["listen"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    b.Finish(b.os().Listen(b.thread(), fd, b.Int32(1)));
  };
  auto name_call = [](int which) {  // 0 accept, 1 getsockname, 2 getpeername
    return [which](Binder& b) {
      b.Need(3);
      const std::int32_t fd = b.Fd(0);
      const NameArgs a = BindName(b, 1, 2);
      b.Seal();
      b.Finish(which == 0   ? b.os().Accept(b.thread(), fd, a.name, a.len_cell)
               : which == 1 ? b.os().Getsockname(b.thread(), fd, a.name, a.len_cell)
                            : b.os().Getpeername(b.thread(), fd, a.name, a.len_cell));
      PrintName(b, a, 1, 2);
    };
  };
  handlers_["accept"] = name_call(0);
  handlers_["getsockname"] = name_call(1);
  handlers_["getpeername"] = name_call(2);
  handlers_["shutdown"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    b.Finish(b.os().Shutdown(b.thread(), fd, b.Int32(1)));
  };
  auto send_call = [](bool with_address) {
    return [with_address](Binder& b) {
      b.Need(with_address ? 6 : 4);
      const std::int32_t fd = b.Fd(0);
      const std::uint64_t len = b.Size(2);
      const UserAddress buf = b.InBytes(1, len);
      const std::int32_t flags = b.Int32(3);
      UserAddress to = 0;
      std::uint32_t tolen = 0;
      if (with_address) {
        tolen = b.Len32(5);
        to = b.InAddress(4, tolen);
      }
      b.Seal();
      b.Finish(with_address ? b.os().Sendto(b.thread(), fd, buf, len, flags, to, tolen)
                            : b.os().Send(b.thread(), fd, buf, len, flags));
    };
  };
  handlers_["send"] = send_call(false);
  handlers_["sendto"] = send_call(true);
  auto recv_call = [](bool with_address) {
    return [with_address](Binder& b) {
      b.Need(with_address ? 6 : 4);
      const std::int32_t fd = b.Fd(0);
      const std::uint64_t len = b.Size(2);
      const UserAddress buf = b.Buffer(b.Arg(1), len);
      const std::int32_t flags = b.Int32(3);
      NameArgs from;
      if (with_address) from = BindName(b, 4, 5);
      b.Seal();
      b.Finish(with_address
                   ? b.os().Recvfrom(b.thread(), fd, buf, len, flags, from.name, from.len_cell)
                   : b.os().Recv(b.thread(), fd, buf, len, flags));
      const auto room = static_cast<std::int64_t>(std::min<std::uint64_t>(len, INT64_MAX));
      b.PrintBytes(1, buf, std::min<std::int64_t>(b.out().result.value, room));
      if (with_address) PrintName(b, from, 4, 5);
    };
  };
  handlers_["recv"] = recv_call(false);
  handlers_["recvfrom"] = recv_call(true);
  handlers_["sendmsg"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const BuiltMsghdr m = BuildMsghdr(b, b.Arg(1), /*sending=*/true);
    const std::int32_t flags = b.Int32(2);
    b.Seal();
    b.Finish(b.os().Sendmsg(b.thread(), fd, m.msghdr, flags));
  };
  handlers_["recvmsg"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const BuiltMsghdr m = BuildMsghdr(b, b.Arg(1), /*sending=*/false);
    const std::int32_t flags = b.Int32(2);
    b.Seal();
    b.Finish(b.os().Recvmsg(b.thread(), fd, m.msghdr, flags));
    if (b.Succeeded()) b.SetArg(1, PrintReceivedMsghdr(b, b.Arg(1), m, b.out().result.value));
  };
  handlers_["setsockopt"] = [](Binder& b) {
    b.Need(5);
    const std::int32_t fd = b.Fd(0);
    const std::int32_t level = b.Int32(1), name = b.Int32(2);
    const std::uint32_t len = b.Len32(4);
    const UserAddress value = BindOption(b, 3, len);
    b.Seal();
    b.Finish(b.os().Setsockopt(b.thread(), fd, level, name, value, len));
  };
  handlers_["getsockopt"] = [](Binder& b) {
    b.Need(5);
    const std::int32_t fd = b.Fd(0);
    const std::int32_t level = b.Int32(1), name = b.Int32(2);
    const auto [len_cell, in] = b.LengthCell(4);
    const UserAddress value = b.Buffer(b.Arg(3), std::min<std::uint32_t>(in == 0 ? 16 : in, 65536));
    b.Seal();
    b.Finish(b.os().Getsockopt(b.thread(), fd, level, name, value, len_cell));
    if (b.Succeeded() && value != 0 && !buffers::IsBuffer(b.Arg(3))) {
      b.SetArg(3, PrintOption(b, level, name, value, len_cell));
    }
    b.PrintLength(4, len_cell, in);
  };

  // ---- processes and credentials ----
  handlers_["fork"] = [](Binder& b) {
    b.Need(0);
    // The child's pid is the one the line names, or the next free one.
    const auto wanted = b.ExpectedReturn();
    std::optional<sim::Pid> child;
    if (wanted && *wanted > 0 && *wanted <= std::numeric_limits<sim::Pid>::max()) {
      child = static_cast<sim::Pid>(*wanted);
    }
    b.Finish(b.os().Fork(b.thread(), child));
  };
  handlers_["exit"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().Exit(b.thread(), b.Int32(0)));
  };
  handlers_["getpid"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.os().Getpid(b.thread()));
  };
  auto id_call = [](stack::CallResult (ia::Illumos::*set)(sim::Thread&, std::uint32_t)) {
    return [set](Binder& b) {
      b.Need(1);
      b.Finish((b.os().*set)(b.thread(), b.Id(0)));
    };
  };
  handlers_["setuid"] = id_call(&ia::Illumos::Setuid);
  handlers_["seteuid"] = id_call(&ia::Illumos::Seteuid);
  handlers_["setgid"] = id_call(&ia::Illumos::Setgid);
  handlers_["setegid"] = id_call(&ia::Illumos::Setegid);
  handlers_["setgroups"] = [](Binder& b) {
    // setgroups(n, const gid_t *list): the list written `[10, 20]` (laid out as gid_t values),
    // `[]`, NULL, buffer notation or a literal pointer.
    b.Need(2);
    const std::int32_t n = b.Int32(0);
    const Value& v = b.Arg(1);
    UserAddress list = 0;
    if (v.kind == Value::Kind::kArray || CellInput(v) != nullptr) {
      b.Concrete(v);
      std::vector<const Value*> items;
      if (v.kind == Value::Kind::kArray) {
        for (const auto& item : v.items) items.push_back(&item);
      } else {
        items.push_back(CellInput(v));
      }
      std::vector<std::uint8_t> bytes;
      for (const Value* item : items) {
        const std::int64_t g = b.IntOf(*item);
        if (g < std::numeric_limits<std::int32_t>::min() ||
            g > static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
          b.Fail(item->location, fmt::format("{} does not fit a 32-bit gid_t", g));
        }
        for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(g >> (8 * k)));
      }
      list = b.Bytes(v, bytes);
    } else {
      b.Concrete(v);
      list = b.Buffer(v, 4 * static_cast<std::uint64_t>(std::max(n, 0)));
    }
    b.Seal();
    b.Finish(b.os().Setgroups(b.thread(), n, list));
  };
  handlers_["setreuid"] = [](Binder& b) {
    b.Need(2);
    b.Finish(b.os().Setreuid(b.thread(), b.Id(0), b.Id(1)));
  };

  // ---- TLI (libnsl) ----
  handlers_["t_open"] = [](Binder& b) {
    b.Need(3);
    const std::string path = b.Path(0);
    const std::int32_t oflag = b.Int32(1);
    const Value& v = b.Arg(2);
    UserAddress info = 0;
    if (v.kind == Value::Kind::kStruct || v.kind == Value::Kind::kWildcard) {
      info = b.Fresh(v, kTInfoSize);
    } else {
      b.Concrete(v);
      info = b.Buffer(v, kTInfoSize);
    }
    b.Seal();
    b.Finish(b.os().TOpen(b.thread(), path, oflag, info));
    PrintTInfo(b, 2, info);
  };
  handlers_["t_bind"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const TliStruct req = BindTliStruct(b, 1, kTBindSize, kTBindMembers, "qlen", kTBindQlen);
    const TliStruct ret = BindTliStruct(b, 2, kTBindSize, kTBindMembers, "qlen", kTBindQlen);
    b.Seal();
    b.Finish(b.os().TBind(b.thread(), fd, req.at, ret.at));
    PrintTliStruct(b, 2, ret, kTBindMembers, "qlen", kTBindQlen);
  };
  handlers_["t_listen"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    const TliStruct call =
        BindTliStruct(b, 1, kTCallSize, kTCallMembers, "sequence", kTCallSequence);
    b.Seal();
    b.Finish(b.os().TListen(b.thread(), fd, call.at));
    PrintTliStruct(b, 1, call, kTCallMembers, "sequence", kTCallSequence);
  };
  handlers_["t_accept"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const std::int32_t resfd = b.Fd(1);
    const TliStruct call =
        BindTliStruct(b, 2, kTCallSize, kTCallMembers, "sequence", kTCallSequence);
    b.Seal();
    b.Finish(b.os().TAccept(b.thread(), fd, resfd, call.at));
  };
  handlers_["t_connect"] = [](Binder& b) {
    b.Need(3);
    const std::int32_t fd = b.Fd(0);
    const TliStruct snd =
        BindTliStruct(b, 1, kTCallSize, kTCallMembers, "sequence", kTCallSequence);
    const TliStruct rcv =
        BindTliStruct(b, 2, kTCallSize, kTCallMembers, "sequence", kTCallSequence);
    b.Seal();
    b.Finish(b.os().TConnect(b.thread(), fd, snd.at, rcv.at));
    PrintTliStruct(b, 2, rcv, kTCallMembers, "sequence", kTCallSequence);
  };
  handlers_["t_snddis"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    const TliStruct call =
        BindTliStruct(b, 1, kTCallSize, kTCallMembers, "sequence", kTCallSequence);
    b.Seal();
    b.Finish(b.os().TSnddis(b.thread(), fd, call.at));
  };
  auto tli_fd_call = [](stack::CallResult (ia::Illumos::*call)(sim::Thread&, ia::Fd)) {
    return [call](Binder& b) {
      b.Need(1);
      b.Finish((b.os().*call)(b.thread(), b.Fd(0)));
    };
  };
  handlers_["t_sndrel"] = tli_fd_call(&ia::Illumos::TSndrel);
  handlers_["t_rcvrel"] = tli_fd_call(&ia::Illumos::TRcvrel);
  handlers_["t_close"] = tli_fd_call(&ia::Illumos::TClose);

  // ---- ucred (libc) ----
  handlers_["getpeerucred"] = [](Binder& b) {
    b.Need(2);
    const std::int32_t fd = b.Fd(0);
    const Binder::PointerCell cell = b.Cell8(1, /*refuse_null=*/true);
    b.Seal();
    b.Finish(b.os().Getpeerucred(b.thread(), fd, cell.at));
    b.PrintCell8(1, cell);
  };
  handlers_["ucred_get"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().UcredGet(b.thread(), static_cast<sim::Pid>(b.Int32(0))));
  };
  handlers_["ucred_free"] = [](Binder& b) {
    b.Need(1);
    b.Finish(b.os().UcredFree(b.thread(), b.Ucred(0, /*null_ok=*/true)));
  };
  handlers_["ucred_size"] = [](Binder& b) {
    b.Need(0);
    b.Finish(b.os().UcredSize(b.thread()));
  };
  using Accessor = stack::CallResult (ia::Illumos::*)(sim::Thread&, UserAddress);
  auto accessor = [](Accessor get) {
    return [get](Binder& b) {
      b.Need(1);
      const UserAddress uc = b.Ucred(0);
      b.Finish((b.os().*get)(b.thread(), uc));
    };
  };
  handlers_["ucred_geteuid"] = accessor(&ia::Illumos::UcredGeteuid);
  handlers_["ucred_getruid"] = accessor(&ia::Illumos::UcredGetruid);
  handlers_["ucred_getsuid"] = accessor(&ia::Illumos::UcredGetsuid);
  handlers_["ucred_getegid"] = accessor(&ia::Illumos::UcredGetegid);
  handlers_["ucred_getrgid"] = accessor(&ia::Illumos::UcredGetrgid);
  handlers_["ucred_getsgid"] = accessor(&ia::Illumos::UcredGetsgid);
  handlers_["ucred_getpid"] = accessor(&ia::Illumos::UcredGetpid);
  handlers_["ucred_getprojid"] = accessor(&ia::Illumos::UcredGetprojid);
  handlers_["ucred_getzoneid"] = accessor(&ia::Illumos::UcredGetzoneid);
  handlers_["ucred_getauid"] = accessor(&ia::Illumos::UcredGetauid);
  handlers_["ucred_getasid"] = accessor(&ia::Illumos::UcredGetasid);
  handlers_["ucred_getlabel"] = accessor(&ia::Illumos::UcredGetlabel);
  handlers_["ucred_getamask"] = accessor(&ia::Illumos::UcredGetamask);
  handlers_["ucred_getatid"] = accessor(&ia::Illumos::UcredGetatid);
  handlers_["ucred_getgroups"] = [](Binder& b) {
    // ucred_getgroups(uc, const gid_t **groups): the cell's output prints as the array it
    // points to (the count the call returns), so that a line checks the gids themselves.
    b.Need(2);
    const UserAddress uc = b.Ucred(0);
    const Binder::PointerCell cell = b.Cell8(1, /*refuse_null=*/true);
    b.Seal();
    b.Finish(b.os().UcredGetgroups(b.thread(), uc, cell.at));
    const std::int64_t count = b.out().result.value;
    b.PrintCell8(1, cell, [&b, count](std::uint64_t at) { return GroupsValue(b, at, count); });
  };
  handlers_["ucred_getprivset"] = [](Binder& b) {
    b.Need(2);
    const UserAddress uc = b.Ucred(0);
    const Value& name = b.Arg(1);
    b.Concrete(name);
    if (name.kind != Value::Kind::kString) {
      b.Fail(name.location, "the privilege set's name is a string such as \"Effective\"");
    }
    b.Finish(b.os().UcredGetprivset(b.thread(), uc, name.text));
  };
  handlers_["ucred_getpflags"] = [](Binder& b) {
    b.Need(2);
    const UserAddress uc = b.Ucred(0);
    b.Finish(b.os().UcredGetpflags(b.thread(), uc, b.Len32(1)));
  };

  // Every call says how its result reads (kShapes); a handler without one is a bug here.
  for (const auto& [name, handler] : handlers_) {
    if (!ReturnsOf(name)) throw std::logic_error("no result shape for " + name);
  }
}

void IllumosCallTable::SetSetupError(std::string message, SourceLocation where) {
  setup_error_ = std::move(message);
  setup_error_location_ = std::move(where);
}

ExecutedCall IllumosCallTable::Execute(const CallLine& call, sim::Thread& thread, bool may_wait) {
  if (!setup_error_.empty()) {
    ExecutedCall out;
    out.bind_error = setup_error_;
    out.bind_error_location = setup_error_location_;
    return out;
  }
  const auto it = handlers_.find(call.name);
  if (it == handlers_.end() || illumos_ == nullptr) {
    ExecutedCall out;
    out.skip_reason = fmt::format("'{}' is not modelled by the illumos personality", call.name);
    return out;
  }
  // A call that would wait for other processes at an <unfinished ...> line returns blocked
  // and has no effect; it runs again, waiting, at its resumed line.
  illumos_->AllowWaiting(thread, may_wait);
  Binder binder(*illumos_, call, thread, may_wait);
  return binder.Execute([&] { it->second(binder); });
}

std::vector<std::string> IllumosCallTable::Explain(sim::Process& process,
                                                   const std::vector<std::int64_t>& handles) {
  std::vector<std::string> lines;
  for (const std::int64_t h : handles) {
    const sim::FdEntry* entry = process.fds().Lookup(static_cast<sim::Handle>(h));
    if (entry == nullptr) {
      lines.push_back(fmt::format("fd {}: not open in pid {}", h, process.pid()));
      continue;
    }
    const auto& object = entry->description->object();
    if (object->kind() == sim::FileKind::kSocket) {
      const auto socket = std::static_pointer_cast<stack::Socket>(object);
      lines.push_back(fmt::format("fd {}: {}", h, socket->Describe()));
    } else if (const auto* dev = dynamic_cast<const ia::DeviceNode*>(object.get())) {
      // A STREAMS device: its path, the modules pushed on it, and for a TLI endpoint the
      // state timod sees.
      std::string modules;
      for (const auto& m : dev->modules) modules += (modules.empty() ? "" : ",") + m;
      std::string line =
          fmt::format("fd {}: {}{}", h, dev->path(), dev->has_stream() ? "" : " (no stream head)");
      if (!modules.empty()) line += " modules=" + modules;
      if (dev->has_module("timod"))
        line += std::string(" ") + TliStateName(ia::EffectiveTliState(*dev));
      lines.push_back(std::move(line));
    } else if (const auto* file = dynamic_cast<const ia::FileNode*>(object.get())) {
      lines.push_back(fmt::format("fd {}: {} {}", h, file->is_directory() ? "directory" : "file",
                                  file->path()));
    } else {
      lines.push_back(fmt::format("fd {}: {}", h, sim::ToString(object->kind())));
    }
  }
  return lines;
}

void IllumosCallTable::CanonicalizeExpected(std::vector<Value>& args) const {
  for (Value& v : args) {
    sockaddr_notation::CanonicalizeScopeNames(v);
    CanonicalizeLists(v);
  }
}

bool IllumosCallTable::KnowsErrorName(std::string_view symbol) const {
  // "TSYSERR ECONNREFUSED": a t_errno, then the errno it carries; each from the personality's
  // one table (errno_table), t_errno values first.
  bool any = false;
  while (!symbol.empty()) {
    const std::size_t space = symbol.find(' ');
    const std::string_view word = symbol.substr(0, space);
    if (!word.empty()) {
      if (!stack::illumos_abi::ErrnoBySymbol(word) && !stack::illumos_abi::TErrnoBySymbol(word)) return false;
      any = true;
    }
    symbol = space == std::string_view::npos ? std::string_view() : symbol.substr(space + 1);
  }
  return any;
}

bool IllumosCallTable::CanonicalizeExpectedOutcome(const std::string& call_name, Outcome& expected,
                                                   std::string* error) const {
  if (expected.kind != Outcome::Kind::kValue) return true;
  const Returns returns = ReturnsOf(call_name).value_or(Returns::kInt);
  if (numbers::ParseIntegerLiteral(expected.value_text)) {
    // A 32-bit result written unsigned (= 0xffffffff for a uid_t) is its bit pattern (-1).
    if (returns != Returns::kPointer && expected.value > std::numeric_limits<std::int32_t>::max() &&
        expected.value <= static_cast<std::int64_t>(std::numeric_limits<std::uint32_t>::max())) {
      expected.value = static_cast<std::int32_t>(static_cast<std::uint32_t>(expected.value));
    }
    return true;
  }
  if (expected.value_text == "NULL") {
    expected.value = 0;
    return true;
  }
  const auto value = illumos_symbols::Lookup(expected.value_text);
  if (!value) {
    *error = fmt::format(
        "unknown result '{}' (a number, NULL, a pointer or an illumos constant such as "
        "AU_NOAUDITID)",
        expected.value_text);
    return false;
  }
  expected.value = *value;
  return true;
}

std::vector<std::string> IllumosCallTable::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, handler] : handlers_) names.push_back(name);
  return names;
}

}  // namespace socksim::tools
