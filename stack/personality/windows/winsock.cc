// File: stack/personality/windows/winsock.cc
// The facade: set-up, providers, ws2's prolog and dispatch (reference (b.1)), and the ws2_32
// exports that act on one socket. Startup and the last error are in ws2/startup.cc, select
// and WSAPoll in ws2/select_poll.cc, the kernel32 handle functions in ws2/kernel32.cc.
#include "stack/personality/windows/winsock.h"

#include <stdexcept>

#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/windows_policy.h"
#include "stack/personality/windows/ws2/last_error.h"
#include "stack/personality/windows/ws2/ws2_process.h"

namespace socksim::stack::windows_abi {

Winsock::Winsock(Stack& stack, WindowsRelease release)
    : stack_(stack),
      release_(release),
      policy_(stack.RegisterPolicy(MakeWindowsPolicy(release))),
      tcpip_(std::make_unique<BaseProvider>(stack, policy_, release, "tcpip")),
      afunix_(std::make_unique<BaseProvider>(stack, policy_, release, "afunix")),
      catalog_(release, tcpip_.get(), afunix_.get()) {}

void Winsock::SetUpProcess(sim::Process& p) const {
  // Design "Handles": multiples of four from 0x100, never reused; no standard handles.
  p.fds() = sim::FdTable(sim::HandleNumbering::Sequential(kFirstHandle, kHandleStep));
  (void)ProcessState(p);
  (void)ThreadState(p.main_thread());
}

sim::Expected<sim::Ok, std::string> Winsock::InstallLayeredProvider(
    const LayeredProviderSpec& spec) {
  if (spec.name.empty()) return sim::Unexpected<std::string>{"a layered provider needs a name"};
  if (HasProvider(spec.name)) {
    return sim::Unexpected<std::string>{"provider '" + spec.name + "' is already installed"};
  }
  std::vector<ChainKind> kinds = spec.chains;
  if (kinds.empty()) kinds.assign(std::begin(kAllChainKinds), std::end(kAllChainKinds));
  layered_.push_back(std::make_unique<LayeredProvider>(spec));
  catalog_.Layer(layered_.back().get(), kinds);
  return sim::Ok{};
}

bool Winsock::HasProvider(std::string_view name) const { return FindProvider(name) != nullptr; }

ServiceProvider* Winsock::FindProvider(std::string_view name) const {
  if (name == tcpip_->name()) return tcpip_.get();
  if (name == afunix_->name()) return afunix_.get();
  for (const auto& p : layered_) {
    if (p->name() == name) return p.get();
  }
  return nullptr;
}

void Winsock::AllowWaiting(sim::Thread& thread, bool allowed) {
  ThreadState(thread).may_wait = allowed;
}

int Winsock::LastError(const sim::Thread& thread) const {
  const Ws2Thread* state = FindThreadState(thread);
  return state == nullptr ? 0 : static_cast<int>(state->last_error);
}

bool Winsock::ExtensionRetrieved(const sim::Process& p, ExtensionFunction f) const {
  const Ws2Process* state = FindProcessState(p);
  return state != nullptr && state->retrieved.count(f) != 0;
}

// ---------------------------------------------------------------------------------------------
// Prolog and dispatch

void Winsock::Reap(sim::Process& p) {
  tcpip_->Reap(p);
  afunix_->Reap(p);
}

SpiCaller Winsock::Caller(sim::Thread& t) {
  SpiCaller caller;
  caller.blocking_call_in_progress = ThreadState(t).blocking.has_value();
  const Ws2Process* process = FindProcessState(t.process());
  caller.winsock11 = process != nullptr && process->legacy();
  return caller;
}

CallResult Winsock::Fail(sim::Thread& t, std::int64_t value, int code) {
  ThreadState(t).last_error = static_cast<std::uint32_t>(code);
  return CallResult::Failure(value, code);
}

CallResult Winsock::Succeed(sim::Thread& t, std::int64_t value) {
  // Row 40: from Windows 7 a successful call sets the last error to 0; before, it left it.
  if (!release_.SuccessClearsLastError()) return CallResult::Success(value);
  ThreadState(t).last_error = 0;
  return CallResult::SuccessSetting(value, 0);
}

std::optional<CallResult> Winsock::Prolog(sim::Thread& t, std::string_view call, SocketHandle s,
                                          std::int64_t failure) {
  Reap(t.process());
  // WIN-7, rows 5 and 6: WSANOTINITIALISED before anything else (ReactOS ws2_32 WsQuickProlog).
  if (ProcessState(t.process()).startup_count == 0) return Fail(t, failure, kWSANOTINITIALISED);
  // WIN-10, row 42: one blocking call per thread (MS docs: "Windows Sockets only allows a
  // single blocking operation per task or thread to be outstanding"). The same call on the
  // same socket is the blocked call resuming; it fails WSAEINTR when it was cancelled
  // (WSACancelBlockingCall docs). A 1.1 program reaches this from its blocking hook; a 2.x
  // program has no hook (reference b.1 step 2), so a call on its blocked thread can only come
  // from a callback run during the wait, which the docs answer the same way ("WSAEINPROGRESS:
  // ... or the service provider is still processing a callback function"; confidence L).
  Ws2Thread& thread = ThreadState(t);
  if (thread.blocking) {
    if (thread.blocking->call != call || thread.blocking->socket != s) {
      return Fail(t, failure, kWSAEINPROGRESS);
    }
    const bool cancelled = thread.blocking->cancelled;
    thread.blocking.reset();
    if (cancelled) return Fail(t, failure, kWSAEINTR);
  }
  return std::nullopt;
}

template <typename Entry>
CallResult Winsock::Run(sim::Thread& t, std::string_view call, SocketHandle s, EntryPoint entry,
                        const ProviderChain& chain, Entry&& run) {
  SpiOutcome outcome;
  SpiCall spi(t, &chain, 0, ThreadState(t).may_wait, Caller(t), &outcome);
  int err = 0;
  const std::int64_t value = run(*chain.providers.front(), spi, &err);
  if (outcome.blocked) {
    // The call had to wait: with waiting not allowed it had no effect and the thread is now
    // inside a blocking call (design "Blocking"); a wait that can never end marks nothing.
    if (!outcome.forever) ThreadState(t).blocking = BlockingCall{std::string(call), s, false};
    return CallResult::Blocked();
  }
  if (value == FailureValue(entry)) {
    // Reference (b.1) step 6: the provider's *lpErrno becomes the last error; a failure that
    // left it 0 is WSASYSCALLFAILURE (ReactOS ws2_32: "the WSP call failed itself").
    return Fail(t, value, err != 0 ? err : kWSASYSCALLFAILURE);
  }
  return Succeed(t, value);
}

template <typename Entry>
CallResult Winsock::Dispatch(sim::Thread& t, std::string_view call, SocketHandle s,
                             EntryPoint entry, int pre_lookup_error, Entry&& run) {
  const std::int64_t failure = FailureValue(entry);
  if (auto r = Prolog(t, call, s, failure)) return *r;
  if (pre_lookup_error != 0) return Fail(t, failure, pre_lookup_error);
  // Reference (b.1) step 3: only the SOCKETs ws2 handed out are sockets (WIN-12, rows 1-4).
  const Ws2Process& process = ProcessState(t.process());
  const auto it = process.sockets.find(s);
  if (it == process.sockets.end()) return Fail(t, failure, kWSAENOTSOCK);
  const ProviderChain chain = it->second.chain;  // a copy: the call may change the table
  return Run(t, call, s, entry, chain, std::forward<Entry>(run));
}

int Winsock::PollSocket(sim::Thread& t, SocketHandle s, Readiness* readiness) {
  const Ws2Process& process = ProcessState(t.process());
  const auto it = process.sockets.find(s);
  if (it == process.sockets.end()) return kWSAENOTSOCK;
  const ProviderChain chain = it->second.chain;
  SpiOutcome outcome;
  SpiCall spi(t, &chain, 0, false, Caller(t), &outcome);
  int err = 0;
  const int r = chain.providers.front()->WSPPoll(spi, s, readiness, &err);
  if (r == kSocketError) return err != 0 ? err : kWSASYSCALLFAILURE;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Sockets

CallResult Winsock::Socket(sim::Thread& t, std::int32_t af, std::int32_t type,
                           std::int32_t protocol) {
  // socket() is WSASocket without protocol information, making overlapped-capable sockets
  // (socket docs: "the socket that is created will have the overlapped attribute").
  return WSASocketW(t, af, type, protocol, 0, 0, static_cast<std::uint32_t>(kWsaFlagOverlapped));
}

CallResult Winsock::WSASocketW(sim::Thread& t, std::int32_t af, std::int32_t type,
                               std::int32_t protocol, UserAddress protocol_info,
                               std::uint32_t group, std::uint32_t flags) {
  if (auto r = Prolog(t, "WSASocketW", 0, kInvalidSocket)) return *r;
  auto& mem = t.process().memory();
  if (protocol_info != 0) {
    // WSASocket docs / Wine test_WSASocket: with a WSAPROTOCOL_INFO, arguments given as 0 or
    // FROM_PROTOCOL_INFO take the structure's values.
    const auto info_af = ReadU32(mem, protocol_info + kProtocolInfoAddressFamily);
    const auto info_type = ReadU32(mem, protocol_info + kProtocolInfoSocketType);
    const auto info_protocol = ReadU32(mem, protocol_info + kProtocolInfoProtocol);
    if (!info_af || !info_type || !info_protocol) return Fail(t, kInvalidSocket, kWSAEFAULT);
    if (af == 0 || af == kFromProtocolInfo) af = static_cast<std::int32_t>(*info_af);
    if (type == 0 || type == kFromProtocolInfo) type = static_cast<std::int32_t>(*info_type);
    if (protocol == 0 || protocol == kFromProtocolInfo) {
      protocol = static_cast<std::int32_t>(*info_protocol);
    }
  }
  // Socket groups are reserved (WSASocket docs); a group other than 0 is refused (confidence
  // L for the code).
  if (group != 0) return Fail(t, kInvalidSocket, kWSAEINVAL);
  const Catalog::Match match = catalog_.Find(af, type, protocol);
  if (match.entry == nullptr) return Fail(t, kInvalidSocket, match.error);
  const CatalogEntry& entry = *match.entry;
  const int resolved = protocol != 0 ? protocol : entry.protocol;
  const ProviderChain chain = entry.chain;
  CallResult r = Run(t, "WSASocketW", 0, EntryPoint::kSocket, chain,
                     [&](ServiceProvider& top, SpiCall& spi, int* err) {
                       return static_cast<std::int64_t>(
                           top.WSPSocket(spi, entry.family, entry.type, resolved, flags, err));
                     });
  if (r.succeeded()) {
    ProcessState(t.process()).sockets[static_cast<SocketHandle>(r.value)] =
        SocketContext{chain, entry.family, entry.type, resolved};
  }
  return r;
}

CallResult Winsock::Closesocket(sim::Thread& t, SocketHandle s) {
  CallResult r = Dispatch(t, "closesocket", s, EntryPoint::kCloseSocket, 0,
                          [&](ServiceProvider& top, SpiCall& spi, int* err) {
                            return static_cast<std::int64_t>(top.WSPCloseSocket(spi, s, err));
                          });
  // Row 3: a closed SOCKET is no longer a socket to ws2.
  if (r.succeeded()) ProcessState(t.process()).sockets.erase(s);
  return r;
}

CallResult Winsock::Bind(sim::Thread& t, SocketHandle s, UserAddress name, std::int32_t namelen) {
  return Dispatch(t, "bind", s, EntryPoint::kBind, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPBind(spi, s, name, namelen, err));
                  });
}

CallResult Winsock::Listen(sim::Thread& t, SocketHandle s, std::int32_t backlog) {
  return Dispatch(t, "listen", s, EntryPoint::kListen, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPListen(spi, s, backlog, err));
                  });
}

CallResult Winsock::Connect(sim::Thread& t, SocketHandle s, UserAddress name,
                            std::int32_t namelen) {
  return Dispatch(t, "connect", s, EntryPoint::kConnect, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPConnect(spi, s, name, namelen, err));
                  });
}

CallResult Winsock::Accept(sim::Thread& t, SocketHandle s, UserAddress addr, UserAddress addrlen) {
  CallResult r = Dispatch(
      t, "accept", s, EntryPoint::kAccept, 0, [&](ServiceProvider& top, SpiCall& spi, int* err) {
        return static_cast<std::int64_t>(top.WSPAccept(spi, s, addr, addrlen, err));
      });
  if (r.succeeded()) {
    // The accepted socket is reached through its listener's chain.
    Ws2Process& process = ProcessState(t.process());
    const auto it = process.sockets.find(s);
    if (it != process.sockets.end()) {
      process.sockets[static_cast<SocketHandle>(r.value)] = it->second;
    }
  }
  return r;
}

CallResult Winsock::Getpeername(sim::Thread& t, SocketHandle s, UserAddress name,
                                UserAddress namelen) {
  // Reference (b.1) step 4: ws2 checks no pointer for getpeername; the provider does.
  return Dispatch(
      t, "getpeername", s, EntryPoint::kGetPeerName, 0,
      [&](ServiceProvider& top, SpiCall& spi, int* err) {
        return static_cast<std::int64_t>(top.WSPGetPeerName(spi, s, name, namelen, err));
      });
}

CallResult Winsock::Getsockname(sim::Thread& t, SocketHandle s, UserAddress name,
                                UserAddress namelen) {
  return Dispatch(t, "getsockname", s, EntryPoint::kGetSockName, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) -> std::int64_t {
                    // Reference (b.1) step 4: ws2's getsockname rejects a NULL name, a NULL
                    // namelen or *namelen < sizeof(SOCKADDR) itself, after the lookup
                    // (ReactOS sockctrl.c getsockname).
                    const auto& mem = t.process().memory();
                    const auto len = ReadU32(mem, namelen);
                    if (name == 0 || !len || static_cast<std::int32_t>(*len) < 16) {
                      *err = kWSAEFAULT;
                      return kSocketError;
                    }
                    return top.WSPGetSockName(spi, s, name, namelen, err);
                  });
}

CallResult Winsock::Shutdown(sim::Thread& t, SocketHandle s, std::int32_t how) {
  return Dispatch(t, "shutdown", s, EntryPoint::kShutdown, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPShutdown(spi, s, how, err));
                  });
}

CallResult Winsock::Send(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                         std::int32_t flags) {
  return Dispatch(t, "send", s, EntryPoint::kSend, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPSend(spi, s, buf, len, flags, err));
                  });
}

CallResult Winsock::Recv(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                         std::int32_t flags) {
  return Dispatch(t, "recv", s, EntryPoint::kRecv, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPRecv(spi, s, buf, len, flags, err));
                  });
}

CallResult Winsock::Sendto(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                           std::int32_t flags, UserAddress to, std::int32_t tolen) {
  return Dispatch(
      t, "sendto", s, EntryPoint::kSendTo, 0, [&](ServiceProvider& top, SpiCall& spi, int* err) {
        return static_cast<std::int64_t>(top.WSPSendTo(spi, s, buf, len, flags, to, tolen, err));
      });
}

CallResult Winsock::Recvfrom(sim::Thread& t, SocketHandle s, UserAddress buf, std::int32_t len,
                             std::int32_t flags, UserAddress from, UserAddress fromlen) {
  return Dispatch(t, "recvfrom", s, EntryPoint::kRecvFrom, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(
                        top.WSPRecvFrom(spi, s, buf, len, flags, from, fromlen, err));
                  });
}

CallResult Winsock::Setsockopt(sim::Thread& t, SocketHandle s, std::int32_t level,
                               std::int32_t optname, UserAddress optval, std::int32_t optlen) {
  // ReactOS sockctrl.c setsockopt: a NULL optval with a non-zero optlen is WSAEFAULT before
  // the socket is looked up (confidence M).
  const int pre = optval == 0 && optlen > 0 ? kWSAEFAULT : 0;
  return Dispatch(t, "setsockopt", s, EntryPoint::kSetSockOpt, pre,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(
                        top.WSPSetSockOpt(spi, s, level, optname, optval, optlen, err));
                  });
}

CallResult Winsock::Getsockopt(sim::Thread& t, SocketHandle s, std::int32_t level,
                               std::int32_t optname, UserAddress optval, UserAddress optlen) {
  return Dispatch(t, "getsockopt", s, EntryPoint::kGetSockOpt, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(
                        top.WSPGetSockOpt(spi, s, level, optname, optval, optlen, err));
                  });
}

CallResult Winsock::Ioctlsocket(sim::Thread& t, SocketHandle s, std::int32_t cmd,
                                UserAddress argp) {
  // ReactOS ioctl.c: ioctlsocket is WSAIoctl with argp as both the 4-byte input and output
  // (its own byte count is a local variable, not the caller's memory).
  const auto code = static_cast<std::uint32_t>(cmd);
  return Dispatch(
      t, "ioctlsocket", s, EntryPoint::kIoctl, 0,
      [&](ServiceProvider& top, SpiCall& spi, int* err) {
        return static_cast<std::int64_t>(top.WSPIoctl(spi, s, code, argp, 4, argp, 4, 0, 0, err));
      });
}

CallResult Winsock::WSAIoctl(sim::Thread& t, SocketHandle s, std::uint32_t code, UserAddress in,
                             std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
                             UserAddress bytes_returned, UserAddress overlapped,
                             UserAddress routine) {
  (void)routine;  // completion routines are not modelled; the OVERLAPPED carries the result
  CallResult r = Dispatch(t, "WSAIoctl", s, EntryPoint::kIoctl, 0,
                          [&](ServiceProvider& top, SpiCall& spi, int* err) -> std::int64_t {
                            // lpcbBytesReturned is required, with an OVERLAPPED too (WSAEFAULT:
                            // Wine test_get_extension_func, test_fionread_siocatmark,
                            // test_unsupported_ioctls, plain ok; the docs ask for it only
                            // without one).
                            if (bytes_returned == 0) {
                              *err = kWSAEFAULT;
                              return kSocketError;
                            }
                            return top.WSPIoctl(spi, s, code, in, in_len, out, out_len,
                                                bytes_returned, overlapped, err);
                          });
  if (r.succeeded() && code == static_cast<std::uint32_t>(kSioGetExtensionFunctionPointer)) {
    // The process now holds this function's pointer (design: the call table refuses a call of
    // a function never retrieved).
    if (const auto guid = ReadBytes(t.process().memory(), in, kGuidSize)) {
      if (const auto info = ExtensionByGuid(*guid)) {
        ProcessState(t.process()).retrieved.insert(info->function);
      }
    }
  }
  return r;
}

CallResult Winsock::WSAGetOverlappedResult(sim::Thread& t, SocketHandle s, UserAddress overlapped,
                                           UserAddress transferred, std::int32_t wait,
                                           UserAddress flags) {
  // Wine test_WSAGetOverlappedResult: the SOCKET is looked up first, so a DuplicateHandle copy
  // is WSAENOTSOCK.
  return Dispatch(t, "WSAGetOverlappedResult", s, EntryPoint::kGetOverlappedResult, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(top.WSPGetOverlappedResult(
                        spi, s, overlapped, transferred, wait != 0, flags, err));
                  });
}

// ---------------------------------------------------------------------------------------------
// Extension functions

CallResult Winsock::ConnectEx(sim::Thread& t, SocketHandle s, UserAddress name,
                              std::int32_t namelen, UserAddress send_buffer,
                              std::uint32_t send_length, UserAddress bytes_sent,
                              UserAddress overlapped) {
  return Dispatch(
      t, "ConnectEx", s, EntryPoint::kConnectEx, 0,
      [&](ServiceProvider& top, SpiCall& spi, int* err) {
        return static_cast<std::int64_t>(top.ConnectEx(spi, s, name, namelen, send_buffer,
                                                       send_length, bytes_sent, overlapped, err));
      });
}

CallResult Winsock::AcceptEx(sim::Thread& t, SocketHandle listen, SocketHandle accept,
                             UserAddress output, std::uint32_t receive_length,
                             std::uint32_t local_length, std::uint32_t remote_length,
                             UserAddress bytes_received, UserAddress overlapped) {
  if (auto r = Prolog(t, "AcceptEx", listen, kFalse)) return *r;
  // Wine test_AcceptEx: OVERLAPPED.Internal is STATUS_PENDING before anything is checked (even
  // for an invalid listen socket), and a NULL OVERLAPPED is ERROR_INVALID_PARAMETER.
  if (overlapped == 0) return Fail(t, kFalse, kERROR_INVALID_PARAMETER);
  (void)WriteU64(t.process().memory(), overlapped + kOverlappedInternal, kStatusPending);
  return Dispatch(t, "AcceptEx", listen, EntryPoint::kAcceptEx, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(
                        top.AcceptEx(spi, listen, accept, output, receive_length, local_length,
                                     remote_length, bytes_received, overlapped, err));
                  });
}

CallResult Winsock::DisconnectEx(sim::Thread& t, SocketHandle s, UserAddress overlapped,
                                 std::uint32_t flags, std::uint32_t reserved) {
  return Dispatch(t, "DisconnectEx", s, EntryPoint::kDisconnectEx, 0,
                  [&](ServiceProvider& top, SpiCall& spi, int* err) {
                    return static_cast<std::int64_t>(
                        top.DisconnectEx(spi, s, overlapped, flags, reserved, err));
                  });
}

// ---------------------------------------------------------------------------------------------
// SPI

CallResult Winsock::WSPGetPeerName(sim::Thread& t, SocketHandle s, UserAddress name,
                                   UserAddress namelen, UserAddress lp_errno,
                                   std::string_view provider) {
  Reap(t.process());
  auto& mem = t.process().memory();
  const auto before = Writable(mem, lp_errno, 4) ? ReadU32(mem, lp_errno) : std::nullopt;
  int cell = before ? static_cast<int>(*before) : 0;
  // The chain the call enters: the socket's, from its top or from the named provider; a
  // provider the socket's chain does not pass knows nothing of the socket (WSAENOTSOCK).
  const Ws2Process* process = FindProcessState(t.process());
  const SocketContext* context = nullptr;
  if (process != nullptr) {
    const auto it = process->sockets.find(s);
    if (it != process->sockets.end()) context = &it->second;
  }
  ProviderChain chain;
  std::size_t position = 0;
  if (provider.empty()) {
    if (context != nullptr) {
      chain = context->chain;
    } else {
      chain.providers = {tcpip_.get()};
    }
  } else {
    ServiceProvider* named = FindProvider(provider);
    if (named == nullptr) {
      throw std::invalid_argument("no provider named '" + std::string(provider) + "'");
    }
    bool found = false;
    if (context != nullptr) {
      const auto& ps = context->chain.providers;
      for (std::size_t i = 0; i < ps.size() && !found; ++i) {
        if (ps[i] == named) {
          chain = context->chain;
          position = i;
          found = true;
        }
      }
    }
    if (!found) chain.providers = {named};
  }
  SpiOutcome outcome;
  SpiCall spi(t, &chain, position, ThreadState(t).may_wait, Caller(t), &outcome);
  const int value = chain.providers[position]->WSPGetPeerName(spi, s, name, namelen, &cell);
  if (outcome.blocked) return CallResult::Blocked();
  std::optional<int> code;
  if (before) {
    (void)WriteU32(mem, lp_errno, static_cast<std::uint32_t>(cell));
    if (static_cast<std::uint32_t>(cell) != *before) code = cell;
  }
  // SPI-6: 0 on success, SOCKET_ERROR with the code only in *lpErrno.
  if (value == kSocketError) return CallResult::Failure(value, code);
  return CallResult{CallResult::Status::kSucceeded, value, code};
}

}  // namespace socksim::stack::windows_abi
