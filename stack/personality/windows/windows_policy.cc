// File: stack/personality/windows/windows_policy.cc
// Windows' answers to the neutral stack's policy questions, and the bind-sharing table. Each
// line names where Windows decides it; docs/semantics/windows.md collects them with their
// confidence.
#include "stack/personality/windows/windows_policy.h"

namespace socksim::stack::windows_abi {
namespace {

// What a result cell of the sharing table says.
enum class Cell : std::uint8_t {
  kShare,   // SUCCESS
  kInUse,   // INUSE: STATUS_ADDRESS_ALREADY_EXISTS -> WSAEADDRINUSE
  kDenied,  // DENIED: STATUS_ACCESS_DENIED -> WSAEACCES
  kCheck,   // CHECK: an access check of the second socket's owner against the first's
};

// The option a socket asked for (SO_REUSEADDR and SO_EXCLUSIVEADDRUSE exclude each other:
// Wine test_reuseaddr, the later setsockopt fails WSAEINVAL).
int OptionIndex(const Socket& s) {
  if (s.options.exclusive_address) return 2;
  if (s.options.reuse_address) return 1;
  return 0;
}

// "Sharing Transport Addresses" (Microsoft Learn, Winsock Kernel): rows are the second bind
// (the binder), columns the first (the holder); each indexed [option][scope] with options
// none / SO_REUSEADDR / SO_EXCLUSIVEADDRUSE and scopes wildcard / specific.
constexpr Cell kTable[3][2][3][2] = {
    // Second: no options.
    {{{Cell::kInUse, Cell::kShare}, {Cell::kInUse, Cell::kShare}, {Cell::kInUse, Cell::kShare}},
     {{Cell::kCheck, Cell::kInUse}, {Cell::kCheck, Cell::kDenied}, {Cell::kDenied, Cell::kInUse}}},
    // Second: SO_REUSEADDR.
    {{{Cell::kDenied, Cell::kShare}, {Cell::kShare, Cell::kShare}, {Cell::kDenied, Cell::kShare}},
     {{Cell::kCheck, Cell::kDenied}, {Cell::kShare, Cell::kShare}, {Cell::kDenied, Cell::kDenied}}},
    // Second: SO_EXCLUSIVEADDRUSE.
    {{{Cell::kInUse, Cell::kInUse}, {Cell::kInUse, Cell::kInUse}, {Cell::kInUse, Cell::kInUse}},
     {{Cell::kCheck, Cell::kInUse}, {Cell::kCheck, Cell::kInUse}, {Cell::kDenied, Cell::kInUse}}},
};

// An address as the sharing rules see it: IPv4 (including a v4-mapped IPv6 address, which
// names the IPv4 address: Wine test_reuseaddr ::ffff:127.0.0.1 vs 127.0.0.1 -> WSAEADDRINUSE)
// or IPv6, and whether it is the wildcard.
struct Scope {
  bool v4 = false;
  sim::IpAddress address;
  bool wildcard = false;
};

Scope ScopeOf(const sim::IpAddress& address) {
  Scope s;
  if (address.is_v4()) {
    s.v4 = true;
    s.address = address;
  } else if (const auto v4 = address.UnmapV4()) {
    s.v4 = true;
    s.address = *v4;
  } else {
    s.address = address;
  }
  s.wildcard = s.address.IsUnspecified();
  return s;
}

// The CHECK cells: "the second socket's security context is checked against the first
// socket's security descriptor"; Winsock's default descriptor admits the same account (Wine
// test_reuseaddr binds a specific address beside its own wildcard successfully). The account
// is the creator's effective uid.
bool SameOwner(const Socket& a, const Socket& b) {
  const auto& x = a.credentials()->at_socket;
  const auto& y = b.credentials()->at_socket;
  if (!x || !y) return true;
  return x->get().euid == y->get().euid;
}

std::optional<Error> Verdict(Cell cell, const Socket& binder, const Socket& holder) {
  switch (cell) {
    case Cell::kShare:
      return std::nullopt;
    case Cell::kInUse:
      return Error::kAddressInUse;
    case Cell::kDenied:
      return Error::kAccessDenied;
    case Cell::kCheck:
      return SameOwner(binder, holder) ? std::nullopt : std::optional<Error>(Error::kAccessDenied);
  }
  return Error::kAddressInUse;
}

bool DualStackWildcard(const Socket& s, const Scope& scope) {
  return s.family() == Family::kInet6 && !scope.v4 && scope.wildcard && !s.options.v6_only;
}

}  // namespace

std::optional<Error> JudgePortSharing(const Socket& binder, const sim::Endpoint& wanted,
                                      const Socket& holder) {
  const Scope mine = ScopeOf(wanted.address);
  const Scope theirs = ScopeOf(holder.local.address);
  if (mine.v4 != theirs.v4) {
    // Across families (Wine test_reuseaddr tests_exclusive, sockets with IPV6_V6ONLY off): a
    // dual-stack wildcard holder with exclusive use refuses IPv4 binders as access denied
    // ([::] excl then 127.0.0.1 or 0.0.0.0 -> WSAEACCES), and a dual-stack wildcard binder
    // asking for exclusive use finds an IPv4 holder in use (127.0.0.1 then [::] excl ->
    // WSAEADDRINUSE); without exclusive use both coexist (test_ipv6only: "bind on both IPv4
    // and IPv6 with IPV6_V6ONLY disabled succeeds by default").
    if (DualStackWildcard(holder, theirs) && mine.v4) {
      return holder.options.exclusive_address ? std::optional<Error>(Error::kAccessDenied)
                                              : std::nullopt;
    }
    if (DualStackWildcard(binder, mine) && theirs.v4) {
      return binder.options.exclusive_address ? std::optional<Error>(Error::kAddressInUse)
                                              : std::nullopt;
    }
    return std::nullopt;
  }
  // "If two sockets are bound to two different specific local transport addresses, neither
  // transport address is shared."
  if (!mine.wildcard && !theirs.wildcard && mine.address != theirs.address) return std::nullopt;
  const Cell cell = kTable[OptionIndex(binder)][mine.wildcard ? 0 : 1][OptionIndex(holder)]
                          [theirs.wildcard ? 0 : 1];
  return Verdict(cell, binder, holder);
}

Policy MakeWindowsPolicy(const WindowsRelease& release) {
  (void)release;
  Policy p;
  p.owner = "windows";
  // connect() to INADDR_ANY / in6addr_any fails (connect docs: "WSAEADDRNOTAVAIL: The remote
  // address is not a valid address (such as INADDR_ANY or in6addr_any)").
  p.unspecified_destination = UnspecifiedDestination::kRefuse;
  // A reset after the peer finished leaves the error the next receive reports as
  // WSAECONNABORTED (Wine test_shutdown, todo_wine); wsa_error_table maps kBrokenPipe to it.
  p.close_wait_reset = CloseWaitReset::kBrokenPipe;
  // The sharing table above (Wine test_reuseaddr; Microsoft "Sharing Transport Addresses").
  p.port_sharing = PortSharing::kJudgedPerHolder;
  p.port_judge = &JudgePortSharing;
  // Two SO_REUSEADDR sockets bound to one address may both listen (Wine test_reuseaddr:
  // listen(s2) succeeds on Windows, todo_wine).
  p.listen_rechecks_port = false;
  // A receive after a reset that followed the peer's FIN reports the error, not the end of the
  // stream (Wine test_shutdown: WSAECONNABORTED, not 0).
  p.receive_order = ReceiveOrder::kErrorFirst;
  // Not observed either way; the error first, as for a receive (confidence L).
  p.send_order = SendOrder::kErrorFirst;
  // "If a connection request arrives when the queue is full, the client will receive an
  // error with an indication of WSAECONNREFUSED" (listen docs).
  p.full_backlog = FullBacklog::kRefuse;
  // A bound port is never shared by connect() without SO_REUSE_UNICASTPORT (not modelled).
  p.connect_shares_ports = false;
  p.connect_port_parity = PortParity::kAny;
  p.bind_port_parity = PortParity::kAny;
  // A UDP connect() binds the socket (getsockname after connect works: Wine test_connect_udp).
  p.datagram_connect_binds_first = true;
  // An AF_UNSPEC connect dissolves a UDP association and nothing else: Winsock has no call
  // that unbinds a socket, and the connect docs' "the socket will be disconnected" speaks
  // of the default remote address only (confidence M: Wine test_connect_udp checks
  // getpeername, not getsockname, after the disconnect).
  p.datagram_disconnect_forgets_implicit_name = false;
  // A refused connect reports WSAECONNREFUSED (Wine test_errors, test_connect).
  p.failed_connect_error = Error::kConnectionRefused;
  // A socket bound before a failed connect keeps its name (Wine test_select: getsockname
  // succeeds after the refused connect); an implicit source is not observed (confidence L).
  p.failed_connect_resets_source = false;
  p.dead_datagram_peer_refuses = true;
  // AF_UNIX on Windows has neither autobind names nor an abstract namespace ("AF_UNIX comes
  // to Windows": path names only).
  p.autobind = AutobindNaming{AutobindNaming::Kind::kNone, 0, 0};
  p.abstract_names = false;
  p.abstract_names_per_type = false;
  // The dynamic port range 49152-65535 (netsh int ipv4 show dynamicport tcp default, RFC
  // 6335); no privileged ports; an initial RTO of 3 s and 2 SYN retransmissions
  // (TcpMaxConnectRetransmissions default 2; Get-NetTCPSetting InitialRtoMs 3000; confidence
  // M); TIME-WAIT 120 s (TcpTimedWaitDelay default).
  p.tunables.ephemeral_low = 49152;
  p.tunables.ephemeral_high = 65535;
  p.tunables.privileged_port_limit = 0;
  p.tunables.syn_initial_rto = sim::Duration::Seconds(3);
  p.tunables.rto_max = sim::Duration::Seconds(60);
  p.tunables.syn_retries = 2;
  p.tunables.time_wait = sim::Duration::Seconds(120);
  p.tunables.host_unreachable_delay = sim::Duration::Seconds(3);
  return p;
}

}  // namespace socksim::stack::windows_abi
