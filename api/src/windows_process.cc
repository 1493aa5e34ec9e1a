// File: api/src/windows_process.cc
// WindowsProcess: each function is the Windows personality's (stack/personality/windows: ws2
// over its providers), made on the process's main thread; ws2 stores the thread's last error
// itself, so nothing is added here. The adapter gives the typed helpers Windows's numbers and
// SOCKADDR layouts (sockaddr_codec.h).
#include "socksim/windows.h"

#include <memory>
#include <span>

#include "api/src/address_conversion.h"
#include "api/src/world_state.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/winsock.h"

namespace socksim {
namespace {

namespace wa = stack::windows_abi;
using detail::Args;
using detail::Hex;

wa::SocketHandle H(Handle s) { return static_cast<wa::SocketHandle>(s); }
std::int32_t Len(std::uint64_t n) { return static_cast<std::int32_t>(n); }

class WindowsCalls final : public detail::SystemCalls {
 public:
  WindowsCalls(wa::Winsock& os, sim::World& world) : os_(os), world_(world) {}

  System system() const override { return System::kWindows; }
  std::uint32_t storage_size() const override { return wa::kSockaddrStorageSize; }
  int DomainNumber(Domain d) const override {
    switch (d) {
      case Domain::kInet:
        return wa::kAfInet;
      case Domain::kInet6:
        return wa::kAfInet6;
      case Domain::kUnix:
        return wa::kAfUnix;
    }
    return wa::kAfUnspec;
  }
  int TypeNumber(Type t) const override {
    switch (t) {
      case Type::kStream:
        return wa::kSockStream;
      case Type::kDgram:
        return wa::kSockDgram;
      case Type::kSeqPacket:
        return wa::kSockSeqpacket;
    }
    return 0;
  }
  int ShutdownNumber(ShutdownHow how) const override {
    switch (how) {
      case ShutdownHow::kRead:
        return wa::kSdReceive;
      case ShutdownHow::kWrite:
        return wa::kSdSend;
      case ShutdownHow::kBoth:
        return wa::kSdBoth;
    }
    return wa::kSdBoth;
  }
  std::vector<std::uint8_t> Encode(const Address& address) const override {
    return wa::Encode(ToNeutral(address));
  }
  std::optional<Address> Decode(std::span<const std::uint8_t> bytes) const override {
    const auto family = wa::ReadFamily(bytes);
    if (!family) return std::nullopt;
    if (*family == wa::kAfInet && bytes.size() >= wa::kSockaddrInSize) {
      return FromNeutral(wa::DecodeSockaddrIn(bytes.first(wa::kSockaddrInSize)));
    }
    if (*family == wa::kAfInet6 && bytes.size() >= wa::kSockaddrIn6Size) {
      return FromNeutral(wa::DecodeSockaddrIn6(bytes.first(wa::kSockaddrIn6Size)));
    }
    if (*family == wa::kAfUnix && bytes.size() > 2) {
      const auto n = std::min(bytes.size(), wa::kSockaddrUnSize);
      const auto u = wa::DecodeSockaddrUn(bytes.first(n));
      // An unnamed AF_UNIX socket's name is the family and an empty path.
      if (u.kind == stack::UnixAddress::Kind::kPathname && u.name.empty()) {
        return Address::UnixUnnamed();
      }
      return FromNeutral(u);
    }
    if (*family == wa::kAfUnspec) return Address();
    return std::nullopt;
  }

  stack::CallResult Socket(sim::Process& p, int d, int t, int proto) override {
    return os_.Socket(p.main_thread(), d, t, proto);
  }
  stack::CallResult Bind(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Bind(p.main_thread(), H(s), a, Len(n));
  }
  stack::CallResult Listen(sim::Process& p, Handle s, int backlog) override {
    return os_.Listen(p.main_thread(), H(s), backlog);
  }
  stack::CallResult Connect(sim::Process& p, Handle s, Pointer a, std::uint32_t n) override {
    return os_.Connect(p.main_thread(), H(s), a, Len(n));
  }
  stack::CallResult Accept(sim::Process& p, Handle s, Pointer a, Pointer n) override {
    return os_.Accept(p.main_thread(), H(s), a, n);
  }
  stack::CallResult GetName(sim::Process& p, Handle s, Pointer a, Pointer n,
                            bool peer) override {
    return peer ? os_.Getpeername(p.main_thread(), H(s), a, n)
                : os_.Getsockname(p.main_thread(), H(s), a, n);
  }
  stack::CallResult Send(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Send(p.main_thread(), H(s), b, Len(n), 0);
  }
  stack::CallResult Recv(sim::Process& p, Handle s, Pointer b, std::uint64_t n) override {
    return os_.Recv(p.main_thread(), H(s), b, Len(n), 0);
  }
  stack::CallResult SendTo(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer to,
                           std::uint32_t tolen) override {
    return os_.Sendto(p.main_thread(), H(s), b, Len(n), 0, to, Len(tolen));
  }
  stack::CallResult RecvFrom(sim::Process& p, Handle s, Pointer b, std::uint64_t n, Pointer from,
                             Pointer fromlen) override {
    return os_.Recvfrom(p.main_thread(), H(s), b, Len(n), 0, from, fromlen);
  }
  stack::CallResult Shutdown(sim::Process& p, Handle s, int how) override {
    return os_.Shutdown(p.main_thread(), H(s), how);
  }
  stack::CallResult Close(sim::Process& p, Handle s) override {
    return os_.Closesocket(p.main_thread(), H(s));
  }
  // ExitProcess: the kernel closes every handle (the world's exit closes the table).
  void Exit(sim::Process& p, int status) override { world_.Exit(p.pid(), status); }
  int LastError(sim::Process& p) const override { return os_.LastError(p.main_thread()); }
  void AfterCall(sim::Process&, const stack::CallResult&) const override {}

 private:
  wa::Winsock& os_;
  sim::World& world_;
};

}  // namespace

namespace detail {
std::unique_ptr<SystemCalls> MakeWindowsCalls(wa::Winsock& personality) {
  return std::make_unique<WindowsCalls>(personality, personality.stack().world());
}
}  // namespace detail

namespace {

// One Winsock call on the main thread: run it, record it, return the C value.
template <typename Call>
std::int64_t Ws2(detail::WorldState& w, int pid, const char* name, const std::string& args,
                 Call&& call) {
  auto& p = w.ProcessOf(pid);
  const stack::CallResult r = call(w.Windows(), p.main_thread());
  w.Record(pid, detail::WorldState::ToResult(System::kWindows, name, r), args);
  return r.value;
}

std::string N(std::int64_t v) { return std::to_string(v); }

}  // namespace

int WindowsProcess::WSAStartup(std::uint16_t version_requested, Pointer wsadata) {
  return static_cast<int>(
      Ws2(*world_, pid_, "WSAStartup", Args({Hex(version_requested), Hex(wsadata)}),
          [&](auto& os, auto& t) { return os.WSAStartup(t, version_requested, wsadata); }));
}

int WindowsProcess::WSACleanup() {
  return static_cast<int>(
      Ws2(*world_, pid_, "WSACleanup", "", [&](auto& os, auto& t) { return os.WSACleanup(t); }));
}

int WindowsProcess::WSAGetLastError() {
  return static_cast<int>(Ws2(*world_, pid_, "WSAGetLastError", "",
                              [&](auto& os, auto& t) { return os.WSAGetLastError(t); }));
}

void WindowsProcess::WSASetLastError(int error) {
  (void)Ws2(*world_, pid_, "WSASetLastError", N(error),
            [&](auto& os, auto& t) { return os.WSASetLastError(t, error); });
}

WindowsProcess::SOCKET WindowsProcess::socket(int af, int type, int protocol) {
  return static_cast<SOCKET>(
      Ws2(*world_, pid_, "socket", Args({N(af), N(type), N(protocol)}),
          [&](auto& os, auto& t) { return os.Socket(t, af, type, protocol); }));
}

int WindowsProcess::closesocket(SOCKET s) {
  return static_cast<int>(Ws2(*world_, pid_, "closesocket", Hex(s),
                              [&](auto& os, auto& t) { return os.Closesocket(t, s); }));
}

int WindowsProcess::bind(SOCKET s, Pointer name, int namelen) {
  return static_cast<int>(Ws2(*world_, pid_, "bind", Args({Hex(s), Hex(name), N(namelen)}),
                              [&](auto& os, auto& t) { return os.Bind(t, s, name, namelen); }));
}

int WindowsProcess::listen(SOCKET s, int backlog) {
  return static_cast<int>(Ws2(*world_, pid_, "listen", Args({Hex(s), N(backlog)}),
                              [&](auto& os, auto& t) { return os.Listen(t, s, backlog); }));
}

int WindowsProcess::connect(SOCKET s, Pointer name, int namelen) {
  return static_cast<int>(
      Ws2(*world_, pid_, "connect", Args({Hex(s), Hex(name), N(namelen)}),
          [&](auto& os, auto& t) { return os.Connect(t, s, name, namelen); }));
}

WindowsProcess::SOCKET WindowsProcess::accept(SOCKET s, Pointer addr, Pointer addrlen) {
  return static_cast<SOCKET>(
      Ws2(*world_, pid_, "accept", Args({Hex(s), Hex(addr), Hex(addrlen)}),
          [&](auto& os, auto& t) { return os.Accept(t, s, addr, addrlen); }));
}

int WindowsProcess::getpeername(SOCKET s, Pointer name, Pointer namelen) {
  return static_cast<int>(
      Ws2(*world_, pid_, "getpeername", Args({Hex(s), Hex(name), Hex(namelen)}),
          [&](auto& os, auto& t) { return os.Getpeername(t, s, name, namelen); }));
}

int WindowsProcess::getsockname(SOCKET s, Pointer name, Pointer namelen) {
  return static_cast<int>(
      Ws2(*world_, pid_, "getsockname", Args({Hex(s), Hex(name), Hex(namelen)}),
          [&](auto& os, auto& t) { return os.Getsockname(t, s, name, namelen); }));
}

int WindowsProcess::send(SOCKET s, Pointer buf, int len, int flags) {
  return static_cast<int>(
      Ws2(*world_, pid_, "send", Args({Hex(s), Hex(buf), N(len), N(flags)}),
          [&](auto& os, auto& t) { return os.Send(t, s, buf, len, flags); }));
}

int WindowsProcess::recv(SOCKET s, Pointer buf, int len, int flags) {
  return static_cast<int>(
      Ws2(*world_, pid_, "recv", Args({Hex(s), Hex(buf), N(len), N(flags)}),
          [&](auto& os, auto& t) { return os.Recv(t, s, buf, len, flags); }));
}

int WindowsProcess::shutdown(SOCKET s, int how) {
  return static_cast<int>(Ws2(*world_, pid_, "shutdown", Args({Hex(s), N(how)}),
                              [&](auto& os, auto& t) { return os.Shutdown(t, s, how); }));
}

int WindowsProcess::WSPGetPeerName(SOCKET s, Pointer name, Pointer namelen, Pointer lp_errno,
                                   std::string_view provider) {
  return static_cast<int>(Ws2(
      *world_, pid_, "WSPGetPeerName", Args({Hex(s), Hex(name), Hex(namelen), Hex(lp_errno)}),
      [&](auto& os, auto& t) { return os.WSPGetPeerName(t, s, name, namelen, lp_errno, provider); }));
}

Result WindowsProcess::SpiGetPeerName(Handle s, std::optional<std::uint32_t> buffer_size,
                                      std::string_view provider) {
  const std::uint32_t size = buffer_size.value_or(wa::kSockaddrStorageSize);
  auto m = memory();
  const Pointer name = m.Allocate(size);
  const Pointer namelen = m.PlaceU32(size);
  // A cell the provider may or may not write: it starts at 0, as a caller's int would.
  const Pointer lp_errno = m.PlaceU32(0);
  auto& w = *world_;
  auto& p = w.ProcessOf(pid_);
  const auto r = w.Windows().WSPGetPeerName(p.main_thread(), H(s), name, namelen, lp_errno,
                                            provider);
  auto out = detail::WorldState::ToResult(System::kWindows, "WSPGetPeerName", r);
  out.buffer_size = size;
  if (r.succeeded()) {
    out.length = m.ReadU32(namelen);
    out.bytes = m.Read(name, size).value_or(std::vector<std::uint8_t>{});
    if (out.length && *out.length <= size) {
      out.address = w.Calls(System::kWindows).Decode(std::span(out.bytes).first(*out.length));
    }
  }
  w.Record(pid_, out,
           Args({Hex(H(s)), Hex(name), "[" + std::to_string(size) + "]", Hex(lp_errno)}));
  return out;
}

}  // namespace socksim
