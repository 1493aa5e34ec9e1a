// File: api/src/illumos_process.cc
// IllumosProcess: each function is the illumos personality's (stack/personality/illumos:
// libc over the kernel), made on the process's main thread; libc stores errno itself. The
// adapter gives the typed helpers illumos's numbers and sockaddr layouts (sockaddr_codec.h).
#include "socksim/illumos.h"

#include <memory>
#include <span>

#include "api/src/address_conversion.h"
#include "api/src/world_state.h"
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/sockaddr_codec.h"

namespace socksim {
namespace {

namespace ia = stack::illumos_abi;
using detail::Args;
using detail::Hex;

ia::Fd F(Handle s) { return static_cast<ia::Fd>(s); }

class IllumosCalls final : public detail::SystemCalls {
 public:
  explicit IllumosCalls(ia::Illumos& os) : os_(os) {}

  System system() const override { return System::kIllumos; }
  std::uint32_t storage_size() const override { return ia::kSockaddrStorageSize; }
  int DomainNumber(Domain d) const override {
    switch (d) {
      case Domain::kInet:
        return ia::kAfInet;
      case Domain::kInet6:
        return ia::kAfInet6;
      case Domain::kUnix:
        return ia::kAfUnix;
    }
    return ia::kAfUnspec;
  }
  int TypeNumber(Type t) const override {
    switch (t) {
      case Type::kStream:
        return ia::kSockStream;
      case Type::kDgram:
        return ia::kSockDgram;
      case Type::kSeqPacket:
        return ia::kSockSeqPacket;
    }
    return 0;
  }
  int ShutdownNumber(ShutdownHow how) const override {
    switch (how) {
      case ShutdownHow::kRead:
        return ia::kShutRd;
      case ShutdownHow::kWrite:
        return ia::kShutWr;
      case ShutdownHow::kBoth:
        return ia::kShutRdwr;
    }
    return ia::kShutRdwr;
  }
  std::vector<std::uint8_t> Encode(const Address& address) const override {
    return ia::Encode(ToNeutral(address));
  }
  std::optional<Address> Decode(std::span<const std::uint8_t> bytes) const override {
    const auto family = ia::ReadFamily(bytes);
    if (!family) return std::nullopt;
    if (*family == ia::kAfInet && bytes.size() >= ia::kSockaddrInSize) {
      return FromNeutral(ia::DecodeSockaddrIn(bytes));
    }
    if (*family == ia::kAfInet6 && bytes.size() >= ia::kSockaddrIn6Size) {
      return FromNeutral(ia::DecodeSockaddrIn6(bytes));
    }
    if (*family == ia::kAfUnix) {
      if (bytes.size() == 2) return Address::UnixUnnamed();
      return FromNeutral(ia::DecodeSockaddrUn(bytes.first(std::min<std::size_t>(bytes.size(),
                                                                               ia::kSockaddrUnSize))));
    }
    if (*family == ia::kAfUnspec) return Address();
    return std::nullopt;
  }

  stack::CallResult Socket(sim::Process& p, int d, int t, int proto) override {
    return os_.Socket(p.main_thread(), d, t, proto);
  }
  stack::CallResult Bind(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Bind(p.main_thread(), F(s), a, n);
  }
  stack::CallResult Listen(sim::Process& p, Handle s, int backlog) override {
    return os_.Listen(p.main_thread(), F(s), backlog);
  }
  stack::CallResult Connect(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Connect(p.main_thread(), F(s), a, n);
  }
  stack::CallResult Accept(sim::Process& p, Handle s, Pointer a, Pointer n) override {
    return os_.Accept(p.main_thread(), F(s), a, n);
  }
  stack::CallResult GetName(sim::Process& p, Handle s, Pointer a, Pointer n,
                            bool peer) override {
    return peer ? os_.Getpeername(p.main_thread(), F(s), a, n)
                : os_.Getsockname(p.main_thread(), F(s), a, n);
  }
  stack::CallResult Send(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Send(p.main_thread(), F(s), b, n, 0);
  }
  stack::CallResult Recv(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Recv(p.main_thread(), F(s), b, n, 0);
  }
  stack::CallResult SendTo(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer to,
                           std::uint32_t tolen) override {
    return os_.Sendto(p.main_thread(), F(s), b, n, 0, to, tolen);
  }
  stack::CallResult RecvFrom(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer from,
                             Pointer fromlen) override {
    return os_.Recvfrom(p.main_thread(), F(s), b, n, 0, from, fromlen);
  }
  stack::CallResult Shutdown(sim::Process& p, Handle s, int how) override {
    return os_.Shutdown(p.main_thread(), F(s), how);
  }
  stack::CallResult Close(sim::Process& p, Handle s) override {
    return os_.Close(p.main_thread(), F(s));
  }
  void Exit(sim::Process& p, int status) override { (void)os_.Exit(p.main_thread(), status); }
  int LastError(sim::Process& p) const override { return os_.Errno(p.main_thread()); }
  void AfterCall(sim::Process&, const stack::CallResult&) const override {}

 private:
  ia::Illumos& os_;
};

}  // namespace

namespace detail {
std::unique_ptr<SystemCalls> MakeIllumosCalls(ia::Illumos& personality) {
  return std::make_unique<IllumosCalls>(personality);
}
}  // namespace detail

namespace {

// One call on the main thread: run it, record it, return the C value.
template <typename Call>
std::int64_t Libc(detail::WorldState& w, int pid, const char* name, const std::string& args,
                  Call&& call) {
  auto& p = w.ProcessOf(pid);
  const stack::CallResult r = call(w.Illumos(), p.main_thread());
  w.Record(pid, detail::WorldState::ToResult(System::kIllumos, name, r), args);
  return r.value;
}

std::string N(std::int64_t v) { return std::to_string(v); }

}  // namespace

int IllumosProcess::socket(int domain, int type, int protocol) {
  return static_cast<int>(
      Libc(*world_, pid_, "socket", Args({N(domain), N(type), N(protocol)}),
           [&](auto& os, auto& t) { return os.Socket(t, domain, type, protocol); }));
}

int IllumosProcess::bind(int fd, Pointer addr, std::uint32_t addrlen) {
  return static_cast<int>(Libc(*world_, pid_, "bind", Args({N(fd), Hex(addr), N(addrlen)}),
                               [&](auto& os, auto& t) { return os.Bind(t, fd, addr, addrlen); }));
}

int IllumosProcess::listen(int fd, int backlog) {
  return static_cast<int>(Libc(*world_, pid_, "listen", Args({N(fd), N(backlog)}),
                               [&](auto& os, auto& t) { return os.Listen(t, fd, backlog); }));
}

int IllumosProcess::connect(int fd, Pointer addr, std::uint32_t addrlen) {
  return static_cast<int>(
      Libc(*world_, pid_, "connect", Args({N(fd), Hex(addr), N(addrlen)}),
           [&](auto& os, auto& t) { return os.Connect(t, fd, addr, addrlen); }));
}

int IllumosProcess::accept(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Libc(*world_, pid_, "accept", Args({N(fd), Hex(addr), Hex(addrlen)}),
           [&](auto& os, auto& t) { return os.Accept(t, fd, addr, addrlen); }));
}

int IllumosProcess::getpeername(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Libc(*world_, pid_, "getpeername", Args({N(fd), Hex(addr), Hex(addrlen)}),
           [&](auto& os, auto& t) { return os.Getpeername(t, fd, addr, addrlen); }));
}

int IllumosProcess::getsockname(int fd, Pointer addr, Pointer addrlen) {
  return static_cast<int>(
      Libc(*world_, pid_, "getsockname", Args({N(fd), Hex(addr), Hex(addrlen)}),
           [&](auto& os, auto& t) { return os.Getsockname(t, fd, addr, addrlen); }));
}

int IllumosProcess::close(int fd) {
  return static_cast<int>(
      Libc(*world_, pid_, "close", N(fd), [&](auto& os, auto& t) { return os.Close(t, fd); }));
}

int IllumosProcess::getpeerucred(int fd, Pointer ucred_pp) {
  return static_cast<int>(
      Libc(*world_, pid_, "getpeerucred", Args({N(fd), Hex(ucred_pp)}),
           [&](auto& os, auto& t) { return os.Getpeerucred(t, fd, ucred_pp); }));
}

// The accessors return uid_t, gid_t, pid_t, zoneid_t: 32-bit values the personality widens
// as signed numbers, so (uid_t)-1 is -1 (illumos.h).
std::int64_t IllumosProcess::ucred_geteuid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_geteuid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGeteuid(t, uc); });
}

std::int64_t IllumosProcess::ucred_getruid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_getruid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGetruid(t, uc); });
}

std::int64_t IllumosProcess::ucred_getegid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_getegid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGetegid(t, uc); });
}

std::int64_t IllumosProcess::ucred_getrgid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_getrgid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGetrgid(t, uc); });
}

std::int64_t IllumosProcess::ucred_getpid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_getpid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGetpid(t, uc); });
}

std::int64_t IllumosProcess::ucred_getzoneid(Pointer uc) {
  return Libc(*world_, pid_, "ucred_getzoneid", Hex(uc),
              [&](auto& os, auto& t) { return os.UcredGetzoneid(t, uc); });
}

void IllumosProcess::ucred_free(Pointer uc) {
  (void)Libc(*world_, pid_, "ucred_free", Hex(uc),
             [&](auto& os, auto& t) { return os.UcredFree(t, uc); });
}

Result IllumosProcess::PeerUcred(int fd, std::optional<PeerCredentials>* credentials) {
  // ucred_t *uc = NULL; getpeerucred(fd, &uc) allocates it (getpeerucred(3C)).
  const Pointer pp = memory().Allocate(8);
  auto& w = *world_;
  auto& p = w.ProcessOf(pid_);
  const auto r = w.Illumos().Getpeerucred(p.main_thread(), fd, pp);
  auto out = detail::WorldState::ToResult(System::kIllumos, "getpeerucred", r);
  w.Record(pid_, out, Args({N(fd), Hex(pp)}));
  if (credentials) credentials->reset();
  if (!r.succeeded()) return out;
  const auto uc = memory().ReadU64(pp);
  if (!uc || *uc == 0) return out;
  if (credentials) {
    *credentials = PeerCredentials{static_cast<std::int32_t>(ucred_getpid(*uc)),
                                   static_cast<std::uint32_t>(ucred_geteuid(*uc)),
                                   static_cast<std::uint32_t>(ucred_getegid(*uc))};
  }
  ucred_free(*uc);
  return out;
}

}  // namespace socksim
