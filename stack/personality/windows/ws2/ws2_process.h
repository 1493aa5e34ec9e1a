// File: stack/personality/windows/ws2/ws2_process.h
// What ws2_32 keeps per process: the WSAStartup reference count and the version the process
// negotiated, the SOCKET context table (only the SOCKETs ws2 handed out are sockets to it), and
// the extension functions the process retrieved. ReactOS dll/win32/ws2_32 (dprocess.c,
// startup.c, dsocket.c) shows the structure; the behaviours are Windows' (reference (c)).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "sim/process.h"
#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/extension_functions.h"
#include "stack/personality/windows/provider/service_provider.h"

namespace socksim::stack::windows_abi {

/// ws2's context for one SOCKET: the chain its calls go down, and the catalog entry's triple.
struct SocketContext {
  ProviderChain chain;
  int family = 0;
  int type = 0;
  int protocol = 0;
};

/// ws2_32's per-process state.
class Ws2Process final : public sim::ProcessExtension {
 public:
  /// WSAStartup calls not yet matched by WSACleanup; 0 means "not initialised".
  int startup_count = 0;
  /// The lowest version any WSAStartup of the process asked for (ReactOS dprocess.c
  /// WsProcSetVersion keeps the lowest; the Winsock 1.1 hooks then work for the whole process:
  /// ReactOS apitest WSAStartup "upgrade the version").
  std::uint16_t version = MakeWord(2, 2);
  /// The SOCKETs ws2 handed out, ascending (ordered: cleanup destroys them in this order).
  std::map<SocketHandle, SocketContext> sockets;
  /// The extension functions the process retrieved through SIO_GET_EXTENSION_FUNCTION_POINTER.
  std::set<ExtensionFunction> retrieved;

  /// Winsock 1.x: the process negotiated a major version below 2.
  bool legacy() const { return (version & 0xff) < 2; }

  std::unique_ptr<sim::ProcessExtension> CloneForFork() const override {
    return std::make_unique<Ws2Process>(*this);
  }
};

/// The process's ws2 state, created on first use. Throws std::logic_error when the process
/// carries another personality's state.
Ws2Process& ProcessState(sim::Process& process);
/// The state, or nullptr when the process never had any.
const Ws2Process* FindProcessState(const sim::Process& process);

}  // namespace socksim::stack::windows_abi
