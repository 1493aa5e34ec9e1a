// File: api/src/linux_process.cc
// LinuxProcess: each system call is the Linux personality's (stack/personality/linux), then
// errno stored as glibc's wrapper stores it (RecordErrno: a failure sets the calling thread's
// errno, a success leaves it), then one line in the world's recent calls. The adapter below
// gives the typed helpers Linux's numbers and sockaddr layouts (sockaddr_codec.h).
#include "socksim/linux.h"

#include <memory>
#include <span>

#include "api/src/address_conversion.h"
#include "api/src/world_state.h"
#include "stack/personality/linux/abi_constants.h"
#include "stack/personality/linux/linux_personality.h"
#include "stack/personality/linux/sockaddr_codec.h"

namespace socksim {
namespace {

namespace la = stack::linux_abi;
using detail::Args;
using detail::Hex;

class LinuxCalls final : public detail::SystemCalls {
 public:
  explicit LinuxCalls(la::LinuxPersonality& os) : os_(os) {}

  System system() const override { return System::kLinux; }
  std::uint32_t storage_size() const override { return la::kSockaddrStorageSize; }
  int DomainNumber(Domain d) const override {
    switch (d) {
      case Domain::kInet:
        return la::kAfInet;
      case Domain::kInet6:
        return la::kAfInet6;
      case Domain::kUnix:
        return la::kAfUnix;
    }
    return la::kAfUnspec;
  }
  int TypeNumber(Type t) const override {
    switch (t) {
      case Type::kStream:
        return la::kSockStream;
      case Type::kDgram:
        return la::kSockDgram;
      case Type::kSeqPacket:
        return la::kSockSeqPacket;
    }
    return 0;
  }
  int ShutdownNumber(ShutdownHow how) const override {
    switch (how) {
      case ShutdownHow::kRead:
        return la::kShutRd;
      case ShutdownHow::kWrite:
        return la::kShutWr;
      case ShutdownHow::kBoth:
        return la::kShutRdwr;
    }
    return la::kShutRdwr;
  }
  std::vector<std::uint8_t> Encode(const Address& address) const override {
    return la::Encode(ToNeutral(address));
  }
  std::optional<Address> Decode(std::span<const std::uint8_t> bytes) const override {
    const auto family = la::ReadFamily(bytes);
    if (!family) return std::nullopt;
    if (*family == la::kAfInet && bytes.size() >= la::kSockaddrInSize) {
      return FromNeutral(la::DecodeSockaddrIn(bytes));
    }
    if (*family == la::kAfInet6 && bytes.size() >= la::kSin6LenRfc2133) {
      return FromNeutral(la::DecodeSockaddrIn6(bytes));
    }
    if (*family == la::kAfUnix) {
      if (bytes.size() == 2) return Address::UnixUnnamed();
      return FromNeutral(la::DecodeReturnedUn(bytes));
    }
    if (*family == la::kAfUnspec) return Address();
    return std::nullopt;
  }

  stack::CallResult Socket(sim::Process& p, int d, int t, int proto) override {
    return os_.Socket(p, d, t, proto);
  }
  stack::CallResult Bind(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Bind(p, static_cast<int>(s), a, n);
  }
  stack::CallResult Listen(sim::Process& p, Handle s, int backlog) override {
    return os_.Listen(p, static_cast<int>(s), backlog);
  }
  stack::CallResult Connect(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Connect(p, static_cast<int>(s), a, n);
  }
  stack::CallResult Accept(sim::Process& p, Handle s, Pointer a, Pointer n) override {
    return os_.Accept(p, static_cast<int>(s), a, n);
  }
  stack::CallResult GetName(sim::Process& p, Handle s, Pointer a, Pointer n,
                            bool peer) override {
    return peer ? os_.Getpeername(p, static_cast<int>(s), a, n)
                : os_.Getsockname(p, static_cast<int>(s), a, n);
  }
  stack::CallResult Send(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Sendto(p, static_cast<int>(s), b, n, 0, 0, 0);
  }
  stack::CallResult Recv(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Recvfrom(p, static_cast<int>(s), b, n, 0, 0, 0);
  }
  stack::CallResult SendTo(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer to,
                           std::uint32_t tolen) override {
    return os_.Sendto(p, static_cast<int>(s), b, n, 0, to, tolen);
  }
  stack::CallResult RecvFrom(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer from,
                             Pointer fromlen) override {
    return os_.Recvfrom(p, static_cast<int>(s), b, n, 0, from, fromlen);
  }
  stack::CallResult Shutdown(sim::Process& p, Handle s, int how) override {
    return os_.Shutdown(p, static_cast<int>(s), how);
  }
  stack::CallResult Close(sim::Process& p, Handle s) override {
    return os_.Close(p, static_cast<int>(s));
  }
  void Exit(sim::Process& p, int status) override { (void)os_.Exit(p, status); }
  int LastError(sim::Process& p) const override { return la::ThreadErrno(p.main_thread()); }
  void AfterCall(sim::Process& p, const stack::CallResult& r) const override {
    la::RecordErrno(p.main_thread(), r);
  }

 private:
  la::LinuxPersonality& os_;
};

}  // namespace

namespace detail {
std::unique_ptr<SystemCalls> MakeLinuxCalls(la::LinuxPersonality& personality) {
  return std::make_unique<LinuxCalls>(personality);
}
}  // namespace detail

namespace {

// One system call: run it, store errno, record it, return the C value.
template <typename Call>
std::int64_t Syscall(detail::WorldState& w, int pid, const char* name, const std::string& args,
                     Call&& call) {
  auto& p = w.ProcessOf(pid);
  const stack::CallResult r = call(w.Linux(), p);
  la::RecordErrno(p.main_thread(), r);
  w.Record(pid, detail::WorldState::ToResult(System::kLinux, name, r), args);
  return r.value;
}

std::string N(std::int64_t v) { return std::to_string(v); }

}  // namespace

int LinuxProcess::socket(int domain, int type, int protocol) {
  return static_cast<int>(Syscall(*world_, pid_, "socket", Args({N(domain), N(type), N(protocol)}),
                                  [&](auto& os, auto& p) { return os.Socket(p, domain, type, protocol); }));
}

int LinuxProcess::socketpair(int domain, int type, int protocol, Pointer sv) {
  return static_cast<int>(
      Syscall(*world_, pid_, "socketpair", Args({N(domain), N(type), N(protocol), Hex(sv)}),
              [&](auto& os, auto& p) { return os.Socketpair(p, domain, type, protocol, sv); }));
}

int LinuxProcess::bind(int fd, Pointer addr, std::uint32_t addrlen) {
  return static_cast<int>(Syscall(*world_, pid_, "bind", Args({N(fd), Hex(addr), N(addrlen)}),
                                  [&](auto& os, auto& p) { return os.Bind(p, fd, addr, addrlen); }));
}

int LinuxProcess::listen(int fd, int backlog) {
  return static_cast<int>(Syscall(*world_, pid_, "listen", Args({N(fd), N(backlog)}),
                                  [&](auto& os, auto& p) { return os.Listen(p, fd, backlog); }));
}

int LinuxProcess::connect(int fd, Pointer addr, std::uint32_t addrlen) {
  return static_cast<int>(
      Syscall(*world_, pid_, "connect", Args({N(fd), Hex(addr), N(addrlen)}),
              [&](auto& os, auto& p) { return os.Connect(p, fd, addr, addrlen); }));
}

int LinuxProcess::accept(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Syscall(*world_, pid_, "accept", Args({N(fd), Hex(addr), Hex(addrlen)}),
              [&](auto& os, auto& p) { return os.Accept(p, fd, addr, addrlen); }));
}

int LinuxProcess::accept4(int fd, Pointer addr, Pointer addrlen, int flags) {
  return static_cast<int>(
      Syscall(*world_, pid_, "accept4", Args({N(fd), Hex(addr), Hex(addrlen), N(flags)}),
              [&](auto& os, auto& p) { return os.Accept4(p, fd, addr, addrlen, flags); }));
}

int LinuxProcess::getpeername(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Syscall(*world_, pid_, "getpeername", Args({N(fd), Hex(addr), Hex(addrlen)}),
              [&](auto& os, auto& p) { return os.Getpeername(p, fd, addr, addrlen); }));
}

int LinuxProcess::getsockname(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Syscall(*world_, pid_, "getsockname", Args({N(fd), Hex(addr), Hex(addrlen)}),
              [&](auto& os, auto& p) { return os.Getsockname(p, fd, addr, addrlen); }));
}

int LinuxProcess::getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen) {
  return static_cast<int>(Syscall(
      *world_, pid_, "getsockopt", Args({N(fd), N(level), N(optname), Hex(optval), Hex(optlen)}),
      [&](auto& os, auto& p) { return os.Getsockopt(p, fd, level, optname, optval, optlen); }));
}

int LinuxProcess::setsockopt(int fd, int level, int optname, Pointer optval,
                             std::uint32_t optlen) {
  return static_cast<int>(Syscall(
      *world_, pid_, "setsockopt", Args({N(fd), N(level), N(optname), Hex(optval), N(optlen)}),
      [&](auto& os, auto& p) { return os.Setsockopt(p, fd, level, optname, optval, optlen); }));
}

std::int64_t LinuxProcess::sendto(int fd, Pointer buf, std::uint64_t len, int flags,
                                  Pointer dest, std::uint32_t destlen) {
  return Syscall(*world_, pid_, "sendto",
                 Args({N(fd), Hex(buf), std::to_string(len), N(flags), Hex(dest), N(destlen)}),
                 [&](auto& os, auto& p) { return os.Sendto(p, fd, buf, len, flags, dest, destlen); });
}

std::int64_t LinuxProcess::recvfrom(int fd, Pointer buf, std::uint64_t len, int flags,
                                    Pointer src, Pointer srclen) {
  return Syscall(*world_, pid_, "recvfrom",
                 Args({N(fd), Hex(buf), std::to_string(len), N(flags), Hex(src), Hex(srclen)}),
                 [&](auto& os, auto& p) { return os.Recvfrom(p, fd, buf, len, flags, src, srclen); });
}

// send(2) and recv(2) are sendto and recvfrom without an address (net/socket.c
// __sys_sendto, __sys_recvfrom: glibc's send and recv make exactly these system calls).
std::int64_t LinuxProcess::send(int fd, Pointer buf, std::uint64_t len, int flags) {
  return sendto(fd, buf, len, flags, 0, 0);
}

std::int64_t LinuxProcess::recv(int fd, Pointer buf, std::uint64_t len, int flags) {
  return recvfrom(fd, buf, len, flags, 0, 0);
}

int LinuxProcess::shutdown(int fd, int how) {
  return static_cast<int>(Syscall(*world_, pid_, "shutdown", Args({N(fd), N(how)}),
                                  [&](auto& os, auto& p) { return os.Shutdown(p, fd, how); }));
}

int LinuxProcess::close(int fd) {
  return static_cast<int>(Syscall(*world_, pid_, "close", N(fd),
                                  [&](auto& os, auto& p) { return os.Close(p, fd); }));
}

Result LinuxProcess::PeerCred(int fd, std::optional<PeerCredentials>* credentials) {
  // struct ucred {pid_t pid; uid_t uid; gid_t gid;} (include/linux/socket.h): 12 bytes.
  constexpr std::uint32_t kUcredSize = 12;
  auto m = memory();
  const Pointer val = m.Allocate(kUcredSize);
  const Pointer len = m.PlaceU32(kUcredSize);
  auto& w = *world_;
  auto& p = w.ProcessOf(pid_);
  const auto r = w.Linux().Getsockopt(p, fd, la::kSolSocket, la::kSoPeercred, val, len);
  la::RecordErrno(p.main_thread(), r);
  auto out = detail::WorldState::ToResult(System::kLinux, "getsockopt", r);
  out.buffer_size = kUcredSize;
  if (r.succeeded()) {
    out.length = m.ReadU32(len);
    out.bytes = m.Read(val, kUcredSize).value_or(std::vector<std::uint8_t>{});
    if (credentials && out.bytes.size() == kUcredSize) {
      const auto u32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(out.bytes[at]) |
               static_cast<std::uint32_t>(out.bytes[at + 1]) << 8 |
               static_cast<std::uint32_t>(out.bytes[at + 2]) << 16 |
               static_cast<std::uint32_t>(out.bytes[at + 3]) << 24;
      };
      *credentials = PeerCredentials{static_cast<std::int32_t>(u32(0)), u32(4), u32(8)};
    }
  } else if (credentials) {
    credentials->reset();
  }
  w.Record(pid_, out, Args({N(fd), "SOL_SOCKET", "SO_PEERCRED", Hex(val), Hex(len)}));
  return out;
}

}  // namespace socksim
