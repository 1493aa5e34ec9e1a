// File: stack/personality/windows/provider/base_overlapped_calls.cc
// WSAIoctl's codes, the overlapped functions (ConnectEx, AcceptEx, DisconnectEx) and
// WSAGetOverlappedResult in the base provider. An operation that cannot finish at once
// returns FALSE with ERROR_IO_PENDING and leaves STATUS_PENDING in OVERLAPPED.Internal; it is
// completed lazily (Reap, at the process's next call, and in WSAGetOverlappedResult), when
// the neutral core's ConnectCompletion arrived or a connection is queued (design "Overlapped
// operations"). The completed socket stays without its context until SO_UPDATE_*_CONTEXT
// (rows 23-27).
#include <algorithm>
#include <array>
#include <utility>

#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/base_provider.h"
#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/provider/extension_functions.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim::stack::windows_abi {
namespace {

int Fail(int* lpErrno, int code) {
  *lpErrno = code;
  return static_cast<int>(kSocketError);
}
int FailFalse(int* lpErrno, int code) {
  *lpErrno = code;
  return static_cast<int>(kFalse);
}

// NTSTATUS <-> the code WSAGetOverlappedResult reports (Wine test_WSAGetOverlappedResult
// map_status, whose expectations pass on Windows; reference (e)). The first pair with a code
// is the status an operation failing with that code completes with.
struct StatusPair {
  std::int64_t status;
  int code;
};
constexpr std::array<StatusPair, 20> kStatusPairs = {{
    {kStatusSuccess, 0},
    {kStatusPending, kWSA_IO_INCOMPLETE},
    {kStatusBufferOverflow, kWSAEMSGSIZE},
    {kStatusBufferTooSmall, kWSAEFAULT},
    {kStatusAccessViolation, kWSAEFAULT},
    {kStatusInvalidHandle, kWSAENOTSOCK},
    {kStatusInvalidParameter, kWSAEINVAL},
    {kStatusAccessDenied, kWSAEACCES},
    {kStatusCancelled, kERROR_OPERATION_ABORTED},
    {kStatusNotSupported, kWSAEOPNOTSUPP},
    {kStatusNetworkBusy, kWSAENETDOWN},
    {kStatusInvalidConnection, kWSAENOTCONN},
    {kStatusConnectionActive, kWSAEISCONN},
    {kStatusAddressAlreadyExists, kWSAEADDRINUSE},
    {kStatusConnectionRefused, kWSAECONNREFUSED},
    {kStatusConnectionReset, kWSAECONNRESET},
    {kStatusConnectionAborted, kWSAECONNABORTED},
    {kStatusIoTimeout, kWSAETIMEDOUT},
    {kStatusHostUnreachable, kWSAEHOSTUNREACH},
    {kStatusNetworkUnreachable, kWSAENETUNREACH},
}};

// Writes an OVERLAPPED's Internal and InternalHigh (nothing when the memory is gone).
void WriteOverlapped(sim::AddressSpace& mem, UserAddress ov, std::uint64_t status,
                     std::uint64_t transferred) {
  (void)WriteU64(mem, ov + kOverlappedInternal, status);
  (void)WriteU64(mem, ov + kOverlappedInternalHigh, transferred);
}

}  // namespace

std::uint32_t StatusOfError(int code) {
  for (const auto& p : kStatusPairs) {
    if (p.code == code && p.status != kStatusPending) return static_cast<std::uint32_t>(p.status);
  }
  return static_cast<std::uint32_t>(kStatusInvalidParameter);
}

int ErrorOfStatus(std::uint32_t status) {
  for (const auto& p : kStatusPairs) {
    if (static_cast<std::uint32_t>(p.status) == status) return p.code;
  }
  // NT_SUCCESS statuses (the top bit clear) are successes; any other failure is WSAEINVAL
  // (Wine map_status's default; confidence M).
  return (status & 0x80000000u) == 0 ? 0 : kWSAEINVAL;
}

// ---------------------------------------------------------------------------------------------
// WSAIoctl

int BaseProvider::WSPIoctl(SpiCall& call, SocketHandle s, std::uint32_t code, UserAddress in,
                           std::uint32_t in_len, UserAddress out, std::uint32_t out_len,
                           UserAddress bytes_returned, UserAddress overlapped, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  auto& mem = call.process().memory();
  // (ws2's WSAIoctl has already required lpcbBytesReturned;
  // ioctlsocket passes none.)
  const auto returned = [&](std::uint32_t n) {
    if (bytes_returned != 0) (void)WriteU32(mem, bytes_returned, n);
  };
  // A synchronous success with an OVERLAPPED also completes it (Wine test_get_extension_func:
  // Internal and InternalHigh are 0 afterwards).
  const auto done = [&](std::uint32_t n) {
    returned(n);
    if (overlapped != 0) WriteOverlapped(mem, overlapped, kStatusSuccess, n);
    return 0;
  };
  switch (static_cast<std::int64_t>(code)) {
    case kFionbio: {
      // Wine test_ioctlsocket: an unreadable argument (even the value passed instead of a
      // pointer) is WSAEFAULT; the byte count is 0 either way.
      returned(0);
      const auto v = in_len >= 4 ? ReadU32(mem, in) : std::nullopt;
      if (!v) return Fail(lpErrno, kWSAEFAULT);
      c.state->nonblocking = *v != 0;
      return done(0);
    }
    case kFionread: {
      if (out_len < 4 || !Writable(mem, out, 4)) return Fail(lpErrno, kWSAEFAULT);
      // ioctlsocket docs: a stream reports all the bytes queued, a datagram socket the size of
      // the first datagram.
      std::uint32_t n = 0;
      if (c.socket->type() == SockType::kDgram) {
        if (!c.socket->receive_queue.empty()) {
          n = static_cast<std::uint32_t>(c.socket->receive_queue.front().bytes.size());
        }
      } else {
        n = static_cast<std::uint32_t>(c.socket->QueuedBytes());
      }
      (void)WriteU32(mem, out, n);
      return done(4);
    }
    case kSiocatmark:
      // No urgent data is modelled: "at the mark" is TRUE (ioctlsocket docs).
      if (out_len < 4 || !Writable(mem, out, 4)) return Fail(lpErrno, kWSAEFAULT);
      (void)WriteU32(mem, out, 1);
      return done(4);
    case kSioBaseHandle:
      // The SOCKET of the base provider: the same value here, as layered providers mint no
      // handles of their own.
      if (out_len < 8 || !Writable(mem, out, 8)) return Fail(lpErrno, kWSAEFAULT);
      (void)WriteU64(mem, out, s);
      return done(8);
    case kSioGetExtensionFunctionPointer: {
      // Wine test_get_extension_func: the GUID is 16 bytes, the pointer 8; an unknown GUID is
      // WSAEINVAL and leaves the byte count alone.
      if (in_len < kGuidSize) return Fail(lpErrno, kWSAEFAULT);
      const auto guid = ReadBytes(mem, in, kGuidSize);
      if (!guid) return Fail(lpErrno, kWSAEFAULT);
      if (out_len < 8 || !Writable(mem, out, 8)) return Fail(lpErrno, kWSAEFAULT);
      const auto info = ExtensionByGuid(*guid);
      if (!info) return Fail(lpErrno, kWSAEINVAL);
      (void)WriteU64(mem, out, info->pointer);
      return done(8);
    }
    default:
      // Wine test_unsupported_ioctls: an unknown code is WSAEOPNOTSUPP with a byte count of 0;
      // with an OVERLAPPED the call reports ERROR_IO_PENDING and the OVERLAPPED completes with
      // STATUS_NOT_SUPPORTED.
      returned(0);
      if (overlapped != 0) {
        WriteOverlapped(mem, overlapped, kStatusNotSupported, 0);
        return Fail(lpErrno, kERROR_IO_PENDING);
      }
      return Fail(lpErrno, kWSAEOPNOTSUPP);
  }
}

// ---------------------------------------------------------------------------------------------
// ConnectEx, AcceptEx, DisconnectEx

int BaseProvider::ConnectEx(SpiCall& call, SocketHandle s, UserAddress name, int namelen,
                            UserAddress send_buffer, std::uint32_t send_length,
                            UserAddress bytes_sent, UserAddress overlapped, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kFalse);
  Socket& socket = *c.socket;
  BaseSocketState& st = *c.state;
  sim::Process& p = call.process();
  auto& mem = p.memory();
  // Wine test_ConnectEx: a NULL OVERLAPPED is ERROR_INVALID_PARAMETER; Internal is
  // STATUS_PENDING from here on, also when a later check fails.
  if (overlapped == 0) return FailFalse(lpErrno, kERROR_INVALID_PARAMETER);
  (void)WriteU64(mem, overlapped + kOverlappedInternal, kStatusPending);
  // ConnectEx docs / Wine test_ConnectEx: a listening socket, one with a ConnectEx pending, or
  // one named by an AcceptEx is WSAEINVAL; a connected one WSAEISCONN; an unbound one
  // WSAEINVAL ("s is an unbound or a listening socket"); a datagram socket has no ConnectEx
  // (WSAEOPNOTSUPP, confidence L).
  if (socket.state == TcpState::kListen || st.connectex_pending || st.accept_target) {
    return FailFalse(lpErrno, kWSAEINVAL);
  }
  if (StreamConnected(socket, st) || st.disconnected) return FailFalse(lpErrno, kWSAEISCONN);
  // A plain connect still in progress: WSAEINVAL, not the WSAEALREADY a second connect()
  // gets (Wine test_connecting_socket, plain ok).
  if (socket.phase == Socket::Phase::kConnecting && !st.connect_failed) {
    return FailFalse(lpErrno, kWSAEINVAL);
  }
  const bool bound =
      socket.family() == Family::kUnix ? socket.unix_name != nullptr : socket.local.port != 0;
  if (!bound) return FailFalse(lpErrno, kWSAEINVAL);
  if (socket.type() == SockType::kDgram) return FailFalse(lpErrno, kWSAEOPNOTSUPP);
  SocketAddress target;
  std::vector<std::uint8_t> raw;
  if (const int err = DecodeName(p, socket, name, namelen, false, &target, &raw); err != 0) {
    return FailFalse(lpErrno, err);
  }
  if (const auto* ep = std::get_if<sim::Endpoint>(&target); ep != nullptr && ep->port == 0) {
    return FailFalse(lpErrno, kWSAEADDRNOTAVAIL);
  }
  // The send buffer is read when the call is made (ConnectEx docs: sent once connected).
  std::string data;
  if (send_buffer != 0 && send_length != 0) {
    const auto bytes = ReadBytes(mem, send_buffer, send_length);
    if (!bytes) return FailFalse(lpErrno, kWSAEFAULT);
    data.assign(bytes->begin(), bytes->end());
  }
  // SO_ERROR keeps an earlier failure until a connection succeeds (Wine test_select).
  st.connect_failed = false;
  ConnectRequest request{target, false, ConnectVia::kOverlapped};
  auto progress = stack_.Connect(socket, request, p.Snapshot());
  if (!progress) return FailFalse(lpErrno, ToWsaError(progress.error()).value);
  if (*progress == ConnectProgress::kConnected) {
    // Connected at once (AF_UNIX): the call completes synchronously (confidence L).
    const std::size_t n = ConnectExConnected(socket, st, data);
    WriteOverlapped(mem, overlapped, kStatusSuccess, n);
    if (bytes_sent != 0) (void)WriteU32(mem, bytes_sent, static_cast<std::uint32_t>(n));
    stack_.Settle();
    return static_cast<int>(kTrue);
  }
  st.connectex_pending = true;
  st.came = Came::kNone;
  st.context_updated = false;
  st.peer.reset();  // row 23: no peer while the ConnectEx is pending
  PendingOperation op;
  op.kind = PendingOperation::Kind::kConnectEx;
  op.sequence = next_operation_++;
  op.pid = p.pid();
  op.overlapped = overlapped;
  op.send_data = std::move(data);
  st.operations[overlapped] = std::move(op);
  stack_.Settle();
  return FailFalse(lpErrno, kERROR_IO_PENDING);
}

int BaseProvider::AcceptEx(SpiCall& call, SocketHandle listen, SocketHandle accept,
                           UserAddress output, std::uint32_t receive_length,
                           std::uint32_t local_length, std::uint32_t remote_length,
                           UserAddress bytes_received, UserAddress overlapped, int* lpErrno) {
  (void)bytes_received;  // written only by a synchronous completion, which the model never has
  Context l;
  if (!Enter(call, listen, &l, lpErrno)) return static_cast<int>(kFalse);
  sim::Process& p = call.process();
  // Wine test_AcceptEx: a listen socket that is not listening is WSAEINVAL, then the accept
  // socket must be a socket (WSAENOTSOCK), the output buffer present and the remote address
  // area non-empty (WSAEFAULT), and the accept socket fresh: not bound, not connected, not
  // already given to another AcceptEx (WSAEINVAL).
  if (l.socket->state != TcpState::kListen) return FailFalse(lpErrno, kWSAEINVAL);
  Context a;
  if (!Find(p, accept, &a)) return FailFalse(lpErrno, kWSAENOTSOCK);
  if (output == 0 || remote_length == 0) return FailFalse(lpErrno, kWSAEFAULT);
  const Socket& fresh = *a.socket;
  const bool bound =
      fresh.family() == Family::kUnix ? fresh.unix_name != nullptr : fresh.local.port != 0;
  if (fresh.type() != l.socket->type() || fresh.family() != l.socket->family() || bound ||
      fresh.state != TcpState::kClosed || a.state->accept_target || a.state->came != Came::kNone ||
      a.state->connectex_pending) {
    return FailFalse(lpErrno, kWSAEINVAL);
  }
  const std::uint64_t total = std::uint64_t{receive_length} + local_length + remote_length;
  if (!Writable(p.memory(), output, total)) return FailFalse(lpErrno, kWSAEFAULT);
  a.state->accept_target = true;
  PendingOperation op;
  op.kind = PendingOperation::Kind::kAcceptEx;
  op.sequence = next_operation_++;
  op.pid = p.pid();
  op.overlapped = overlapped;
  op.accept_handle = accept;
  op.accept_socket = a.socket;
  op.output = output;
  op.receive_length = receive_length;
  op.local_length = local_length;
  op.remote_length = remote_length;
  l.state->operations[overlapped] = std::move(op);
  return FailFalse(lpErrno, kERROR_IO_PENDING);
}

int BaseProvider::DisconnectEx(SpiCall& call, SocketHandle s, UserAddress overlapped,
                               std::uint32_t flags, std::uint32_t reserved, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kFalse);
  Socket& socket = *c.socket;
  BaseSocketState& st = *c.state;
  // DisconnectEx docs: dwReserved must be 0 and dwFlags 0 or TF_REUSE_SOCKET (WSAEINVAL); the
  // socket must be connected (WSAENOTCONN; Wine test_DisconnectEx on an unconnected socket).
  if (reserved != 0 || (flags & ~static_cast<std::uint32_t>(kTfReuseSocket)) != 0) {
    return FailFalse(lpErrno, kWSAEINVAL);
  }
  // A socket DisconnectEx already disconnected may be disconnected again: the synchronous
  // call returns TRUE a second time (Wine test_DisconnectEx, plain ok).
  if (socket.type() == SockType::kDgram || (!StreamConnected(socket, st) && !st.disconnected)) {
    return FailFalse(lpErrno, kWSAENOTCONN);
  }
  // A graceful disconnect: this side's FIN (DisconnectEx docs). Row 30: the peer stays
  // reportable; connect then gives WSAEISCONN and send WSAESHUTDOWN. TF_REUSE_SOCKET's
  // "prepare for reuse" is not modelled (confidence L).
  if (!st.disconnected) {
    st.disconnected = true;
    st.send_shut = true;
    if (socket.state != TcpState::kClosed || socket.family() == Family::kUnix) {
      (void)stack_.Shutdown(socket, false, true);
    }
  }
  stack_.Settle();
  if (overlapped == 0) return static_cast<int>(kTrue);
  sim::Process& p = call.process();
  (void)WriteU64(p.memory(), overlapped + kOverlappedInternal, kStatusPending);
  PendingOperation op;
  op.kind = PendingOperation::Kind::kDisconnectEx;
  op.sequence = next_operation_++;
  op.pid = p.pid();
  op.overlapped = overlapped;
  st.operations[overlapped] = std::move(op);
  return FailFalse(lpErrno, kERROR_IO_PENDING);
}

// ---------------------------------------------------------------------------------------------
// Completion

std::size_t BaseProvider::ConnectExConnected(Socket& socket, BaseSocketState& state,
                                             const std::string& data) {
  // Row 24: connected, but without its context until SO_UPDATE_CONNECT_CONTEXT.
  state.came = Came::kConnectEx;
  state.context_updated = false;
  state.connected_at = stack_.world().now();
  state.so_error = 0;  // a successful connection resets it (Wine test_select)
  state.peer = PeerName(socket);
  if (data.empty()) return 0;
  BytesPayload payload(data);
  auto sent = stack_.Send(socket, payload, std::nullopt, {});
  return sent ? *sent : 0;
}

bool BaseProvider::OperationReady(const Socket& socket, const PendingOperation& op) const {
  switch (op.kind) {
    case PendingOperation::Kind::kConnectEx:
      return socket.completion != nullptr;
    case PendingOperation::Kind::kDisconnectEx:
      return true;
    case PendingOperation::Kind::kAcceptEx: {
      if (socket.state != TcpState::kListen) return true;
      if (op.accept_socket.expired()) return true;
      if (socket.accept_queue.empty()) return false;
      if (op.receive_length == 0) return true;
      // AcceptEx docs: with a receive buffer the call completes once the first data block
      // arrived (or the connection ended).
      const Socket& child = *socket.accept_queue.front();
      return !child.receive_queue.empty() || child.peer_finished || child.termination;
    }
  }
  return false;
}

void BaseProvider::Complete(sim::Process& process, Socket& socket, BaseSocketState& state,
                            const PendingOperation& op) {
  auto& mem = process.memory();
  switch (op.kind) {
    case PendingOperation::Kind::kDisconnectEx:
      WriteOverlapped(mem, op.overlapped, kStatusSuccess, 0);
      return;
    case PendingOperation::Kind::kConnectEx: {
      const std::optional<Error> error = socket.completion->error;
      state.connectex_pending = false;
      auto finished = stack_.FinishConnect(socket);
      if (error || !finished) {
        const Error e = error ? *error : finished.error();
        const int code = ToWsaError(e).value;
        state.connect_failed = true;
        state.so_error = code;
        state.peer.reset();
        WriteOverlapped(mem, op.overlapped, StatusOfError(code), 0);
        return;
      }
      const std::size_t n = ConnectExConnected(socket, state, op.send_data);
      WriteOverlapped(mem, op.overlapped, kStatusSuccess, n);
      return;
    }
    case PendingOperation::Kind::kAcceptEx: {
      SocketRef fresh = op.accept_socket.lock();
      const sim::FdEntry* entry = process.fds().Lookup(op.accept_handle);
      if (socket.state != TcpState::kListen || !fresh || entry == nullptr ||
          entry->description->object() != fresh) {
        WriteOverlapped(mem, op.overlapped, kStatusCancelled, 0);
        return;
      }
      auto* fresh_state = dynamic_cast<BaseSocketState*>(fresh->extension());
      if (fresh_state != nullptr) fresh_state->accept_target = false;
      // AcceptEx docs: each address area needs 16 bytes more than the address; Wine
      // test_AcceptEx: a smaller one completes with STATUS_BUFFER_TOO_SMALL (WSAEFAULT) and the
      // connection stays queued (a local area of 0 is accepted; confidence M).
      const std::uint32_t need =
          static_cast<std::uint32_t>(NameSize(socket)) + kAcceptExAddressExtra;
      if ((op.local_length != 0 && op.local_length < need) || op.remote_length < need) {
        WriteOverlapped(mem, op.overlapped, kStatusBufferTooSmall, 0);
        return;
      }
      auto child = stack_.Accept(socket, process.Snapshot());
      if (!child) {
        WriteOverlapped(mem, op.overlapped, kStatusCancelled, 0);
        return;
      }
      Socket& accepted = **child;
      std::size_t n = 0;
      if (op.receive_length != 0) {
        class Sink final : public ReceiveSink {
         public:
          Sink(sim::AddressSpace& m, UserAddress at) : m_(m), at_(at) {}
          std::size_t Write(std::string_view bytes) override {
            const auto* d = reinterpret_cast<const std::uint8_t*>(bytes.data());
            const auto r = m_.CopyOut(at_ + done_, std::span(d, bytes.size()));
            done_ += r.bytes_copied;
            return r.bytes_copied;
          }

         private:
          sim::AddressSpace& m_;
          UserAddress at_;
          std::uint64_t done_ = 0;
        } sink(mem, op.output);
        if (auto got = stack_.Receive(accepted, op.receive_length, false, sink)) n = got->length;
      }
      // The address areas after the data: each a 4-byte length, then the address (the layout
      // GetAcceptExSockaddrs reads back; Wine's, confidence L: Windows documents only that
      // the areas are opaque to the program).
      const std::vector<std::uint8_t> local = LocalName(accepted);
      const std::vector<std::uint8_t> remote = PeerName(accepted);
      const UserAddress local_at = op.output + op.receive_length;
      const UserAddress remote_at = local_at + op.local_length;
      if (op.local_length != 0) {
        (void)WriteU32(mem, local_at, static_cast<std::uint32_t>(local.size()));
        (void)WriteBytes(mem, local_at + 4, local);
      }
      (void)WriteU32(mem, remote_at, static_cast<std::uint32_t>(remote.size()));
      (void)WriteBytes(mem, remote_at + 4, remote);
      // The connection takes the accept socket's handle (and its FIONBIO state); row 26: no
      // context until SO_UPDATE_ACCEPT_CONTEXT.
      auto accepted_state =
          NewState(fresh_state != nullptr ? fresh_state->af : state.af,
                   fresh_state != nullptr ? fresh_state->type : state.type,
                   fresh_state != nullptr ? fresh_state->protocol : state.protocol);
      if (fresh_state != nullptr) {
        accepted_state->nonblocking = fresh_state->nonblocking;
        accepted_state->create_flags = fresh_state->create_flags;
      }
      accepted_state->came = Came::kAcceptEx;
      accepted_state->connected_at = stack_.world().now();
      accepted_state->peer = remote;
      accepted.set_extension(std::move(accepted_state));
      fresh.reset();
      (void)process.fds().InstallAt(
          op.accept_handle, std::make_shared<sim::OpenFileDescription>(*child, sim::StatusFlags{}),
          false);
      WriteOverlapped(mem, op.overlapped, kStatusSuccess, n);
      return;
    }
  }
}

void BaseProvider::Reap(sim::Process& process) {
  // Every call a process makes reaps first, and the walk below visits every descriptor: a
  // provider that never started an overlapped operation (each start takes a sequence number)
  // has nothing to complete, so most programs' calls skip the walk.
  if (next_operation_ == 1) return;
  bool completed = false;
  for (auto& [handle, c] : SocketsOf(process)) {
    (void)handle;
    if (c.state->operations.empty()) continue;
    std::vector<PendingOperation> ops;
    for (const auto& [ov, op] : c.state->operations) {
      if (op.pid == process.pid()) ops.push_back(op);
    }
    std::sort(ops.begin(), ops.end(), [](const PendingOperation& a, const PendingOperation& b) {
      return a.sequence < b.sequence;
    });
    for (const PendingOperation& op : ops) {
      if (!OperationReady(*c.socket, op)) continue;
      c.state->operations.erase(op.overlapped);
      Complete(process, *c.socket, *c.state, op);
      completed = true;
    }
  }
  if (completed) stack_.Settle();
}

void BaseProvider::CancelOperations(sim::Process& process, const Socket& socket,
                                    BaseSocketState& state) {
  auto& mem = process.memory();
  for (const auto& [ov, op] : state.operations) {
    if (op.pid == process.pid()) WriteOverlapped(mem, ov, kStatusCancelled, 0);
    if (op.kind == PendingOperation::Kind::kAcceptEx) {
      if (SocketRef fresh = op.accept_socket.lock()) {
        if (auto* s = dynamic_cast<BaseSocketState*>(fresh->extension())) s->accept_target = false;
      }
    }
  }
  state.operations.clear();
  state.connectex_pending = false;
  // An AcceptEx elsewhere that names this socket as its accept socket is cancelled too.
  for (auto& [handle, c] : SocketsOf(process)) {
    (void)handle;
    for (auto it = c.state->operations.begin(); it != c.state->operations.end();) {
      const PendingOperation& op = it->second;
      if (op.kind == PendingOperation::Kind::kAcceptEx &&
          op.accept_socket.lock().get() == &socket) {
        WriteOverlapped(mem, op.overlapped, kStatusCancelled, 0);
        it = c.state->operations.erase(it);
      } else {
        ++it;
      }
    }
  }
}

int BaseProvider::WSPGetOverlappedResult(SpiCall& call, SocketHandle s, UserAddress overlapped,
                                         UserAddress transferred, bool wait, UserAddress flags,
                                         int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kFalse);
  sim::Process& p = call.process();
  auto& mem = p.memory();
  // WSAGetOverlappedResult docs: the OVERLAPPED, the byte count and the flags are required.
  if (overlapped == 0 || transferred == 0 || flags == 0) return FailFalse(lpErrno, kWSAEFAULT);
  auto status = ReadU64(mem, overlapped + kOverlappedInternal);
  if (!status) return FailFalse(lpErrno, kWSAEFAULT);
  if (*status == static_cast<std::uint64_t>(kStatusPending)) {
    // Wine test_WSAGetOverlappedResult: pending and not waiting is WSA_IO_INCOMPLETE.
    if (!wait) return FailFalse(lpErrno, kWSA_IO_INCOMPLETE);
    // Waiting: run the world until the operation can complete (design "Blocking").
    Context owner;
    const PendingOperation* op = nullptr;
    for (auto& [handle, candidate] : SocketsOf(p)) {
      (void)handle;
      const auto it = candidate.state->operations.find(overlapped);
      if (it != candidate.state->operations.end()) {
        owner = candidate;
        op = &it->second;
        break;
      }
    }
    if (op == nullptr) {
      // Nothing will ever complete it.
      if (call.may_wait()) {
        call.MarkBlockedForever();
      } else {
        call.MarkBlocked();
      }
      return static_cast<int>(kFalse);
    }
    const PendingOperation copy = *op;
    Socket& socket = *owner.socket;
    if (!OperationReady(socket, copy)) {
      if (!call.may_wait()) {
        call.MarkBlocked();
        return static_cast<int>(kFalse);
      }
      if (!stack_.RunUntil([&] { return OperationReady(socket, copy); })) {
        call.MarkBlockedForever();
        return static_cast<int>(kFalse);
      }
    }
    Reap(p);
    status = ReadU64(mem, overlapped + kOverlappedInternal);
    if (!status) return FailFalse(lpErrno, kWSAEFAULT);
  }
  const auto moved = ReadU64(mem, overlapped + kOverlappedInternalHigh);
  if (!moved || !WriteU32(mem, transferred, static_cast<std::uint32_t>(*moved))) {
    return FailFalse(lpErrno, kWSAEFAULT);
  }
  const int code = ErrorOfStatus(static_cast<std::uint32_t>(*status));
  if (code != 0) return FailFalse(lpErrno, code);
  return static_cast<int>(kTrue);
}

}  // namespace socksim::stack::windows_abi
