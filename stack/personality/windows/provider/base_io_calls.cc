// File: stack/personality/windows/provider/base_io_calls.cc
// send/recv/sendto/recvfrom in the base provider. Windows checks a whole buffer before it
// moves a byte (send/recv docs: WSAEFAULT when "the buf parameter is not completely contained
// in a valid part of the user address space"), reports a reset on every later call
// (row 32: recv and send give WSAECONNRESET), answers a call after shutdown with WSAESHUTDOWN,
// and hands a datagram too long for the buffer back truncated with WSAEMSGSIZE.
#include <algorithm>

#include "stack/personality/windows/abi_constants.h"
#include "stack/personality/windows/provider/base_provider.h"
#include "stack/personality/windows/provider/caller_memory.h"
#include "stack/personality/windows/sockaddr_codec.h"
#include "stack/personality/windows/wsa_error_table.h"

namespace socksim::stack::windows_abi {
namespace {

int Fail(int* lpErrno, int code) {
  *lpErrno = code;
  return static_cast<int>(kSocketError);
}

// The caller's bytes, read whole or not at all.
class WholeBuffer final : public Payload {
 public:
  WholeBuffer(const sim::AddressSpace& mem, UserAddress at, std::uint64_t size)
      : mem_(mem), at_(at), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::optional<std::string> Read(bool) override {
    const auto bytes = ReadBytes(mem_, at_, size_);
    if (!bytes) return std::nullopt;
    return std::string(bytes->begin(), bytes->end());
  }

 private:
  const sim::AddressSpace& mem_;
  UserAddress at_;
  std::uint64_t size_;
};

// The caller's buffer, checked writable in full before the call takes anything.
class BufferSink final : public ReceiveSink {
 public:
  BufferSink(sim::AddressSpace& mem, UserAddress at) : mem_(mem), at_(at) {}
  std::size_t Write(std::string_view bytes) override {
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const sim::CopyResult copied = mem_.CopyOut(at_ + offset_, std::span(data, bytes.size()));
    offset_ += copied.bytes_copied;
    return copied.bytes_copied;
  }

 private:
  sim::AddressSpace& mem_;
  UserAddress at_;
  std::uint64_t offset_ = 0;
};

// The code a reset or aborted connection reports from then on (row 32: WSAECONNRESET; a reset
// while the peer had already closed is the policy's kBrokenPipe: WSAECONNABORTED, as the
// FD_CLOSE of Wine test_close_events reports it).
int TerminationCode(Error e) { return ToWsaError(e).value; }

// The send/recv flags Windows knows; others are WSAEOPNOTSUPP (send/recv docs; confidence M).
constexpr std::int64_t kSendFlags = kMsgOob | kMsgDontroute;
constexpr std::int64_t kRecvFlags = kMsgOob | kMsgPeek | kMsgWaitall | kMsgPushImmediate;

}  // namespace

int BaseProvider::DoSend(SpiCall& call, Context& c, UserAddress buf, int len, int flags,
                         UserAddress to, int tolen, int* lpErrno) {
  Socket& socket = *c.socket;
  BaseSocketState& st = *c.state;
  sim::Process& p = call.process();
  if ((flags & ~kSendFlags) != 0) return Fail(lpErrno, kWSAEOPNOTSUPP);
  // A negative length cannot describe a buffer (confidence L).
  if (len < 0) return Fail(lpErrno, kWSAEFAULT);
  const auto size = static_cast<std::uint64_t>(len);
  if (socket.type() != SockType::kDgram) {
    // send docs: WSAENOTCONN for an unconnected stream socket, and in the connecting state
    // (row 22, Wine test_connecting_socket) or while a ConnectEx is pending; WSAESHUTDOWN after
    // SD_SEND or DisconnectEx (row 30); a reset connection keeps failing WSAECONNRESET.
    // MSG_OOB is accepted and sent as normal data (no urgent data is modelled).
    if (!StreamConnected(socket, st)) return Fail(lpErrno, kWSAENOTCONN);
    if (st.send_shut || st.disconnected) return Fail(lpErrno, kWSAESHUTDOWN);
    if (socket.termination) {
      socket.pending_error.reset();
      return Fail(lpErrno, TerminationCode(*socket.termination));
    }
    if (size != 0 && !Readable(p.memory(), buf, size)) return Fail(lpErrno, kWSAEFAULT);
    WholeBuffer payload(p.memory(), buf, size);
    auto sent = stack_.Send(socket, payload, std::nullopt, {});
    if (!sent) return Fail(lpErrno, ToWsaError(sent.error()).value);
    stack_.Settle();
    return static_cast<int>(*sent);
  }
  // Datagrams. sendto docs: MSG_OOB is WSAEOPNOTSUPP on a datagram socket.
  if ((flags & kMsgOob) != 0) return Fail(lpErrno, kWSAEOPNOTSUPP);
  if (st.send_shut) return Fail(lpErrno, kWSAESHUTDOWN);
  std::optional<SocketAddress> destination;
  if (to != 0) {
    SocketAddress target;
    if (const int err = DecodeName(p, socket, to, tolen, false, &target, nullptr); err != 0) {
      return Fail(lpErrno, err);
    }
    const auto& ep = std::get<sim::Endpoint>(target);
    // sendto docs: a zero port or an unspecified address is WSAEADDRNOTAVAIL; a broadcast
    // address without SO_BROADCAST is WSAEACCES.
    if (ep.port == 0) return Fail(lpErrno, kWSAEADDRNOTAVAIL);
    if (ep.address.is_v4() && ep.address.v4_uint() == 0xffffffffu && !socket.options.broadcast) {
      return Fail(lpErrno, kWSAEACCES);
    }
    destination = target;
  } else if (!st.peer) {
    // A send without a default peer is WSAENOTCONN (reference (f2): Windows, where Wine 8
    // says WSAEINVAL).
    return Fail(lpErrno, kWSAENOTCONN);
  }
  if (size != 0 && !Readable(p.memory(), buf, size)) return Fail(lpErrno, kWSAEFAULT);
  WholeBuffer payload(p.memory(), buf, size);
  auto sent = stack_.Send(socket, payload, destination, {});
  if (!sent) {
    // send docs: for UDP, WSAECONNRESET reports an ICMP port unreachable for an earlier
    // datagram.
    if (sent.error() == Error::kConnectionRefused) return Fail(lpErrno, kWSAECONNRESET);
    return Fail(lpErrno, ToWsaError(sent.error()).value);
  }
  stack_.Settle();
  return static_cast<int>(*sent);
}

int BaseProvider::DoRecv(SpiCall& call, Context& c, UserAddress buf, int len, int flags,
                         UserAddress from, UserAddress fromlen, int* lpErrno) {
  Socket& socket = *c.socket;
  BaseSocketState& st = *c.state;
  sim::Process& p = call.process();
  if ((flags & ~kRecvFlags) != 0) return Fail(lpErrno, kWSAEOPNOTSUPP);
  if (len < 0) return Fail(lpErrno, kWSAEFAULT);
  const auto size = static_cast<std::uint64_t>(len);
  const bool peek = (flags & kMsgPeek) != 0;
  const bool datagram = socket.type() == SockType::kDgram;
  std::size_t name_size = 0;
  if (datagram) {
    // recv docs: a datagram socket that was never bound is WSAEINVAL.
    if (socket.local.port == 0) return Fail(lpErrno, kWSAEINVAL);
    if ((flags & kMsgOob) != 0) return Fail(lpErrno, kWSAEOPNOTSUPP);
    if (st.receive_shut) return Fail(lpErrno, kWSAESHUTDOWN);
    if (from != 0) {
      // recvfrom docs: WSAEFAULT when *fromlen is too small for the address; checked before a
      // datagram is taken (confidence M).
      name_size = NameSize(socket);
      const auto room = ReadU32(p.memory(), fromlen);
      if (fromlen == 0 || !room ||
          static_cast<std::int32_t>(*room) < static_cast<std::int32_t>(name_size)) {
        return Fail(lpErrno, kWSAEFAULT);
      }
    }
  } else {
    // Row 22: recv while a plain connect runs is WSAENOTCONN, as for an unconnected socket.
    if (!StreamConnected(socket, st)) return Fail(lpErrno, kWSAENOTCONN);
    if (st.receive_shut) return Fail(lpErrno, kWSAESHUTDOWN);
  }
  if (size != 0 && !Writable(p.memory(), buf, size)) return Fail(lpErrno, kWSAEFAULT);
  // A stream reset by the peer fails from then on, whatever was still queued (AFD drops the
  // receive buffer with the connection; row 32; confidence M).
  const auto reset = [&] { return !datagram && socket.termination.has_value(); };
  const auto ready = [&] {
    if (reset()) return true;
    if (!datagram && (flags & kMsgWaitall) != 0 && !st.nonblocking && socket.QueuedBytes() < size &&
        !socket.peer_finished) {
      return false;
    }
    return stack_.ReadyToReceive(socket);
  };
  if (!ready()) {
    if (st.nonblocking) return Fail(lpErrno, kWSAEWOULDBLOCK);
    if (!call.may_wait()) {
      call.MarkBlocked();
      return static_cast<int>(kSocketError);
    }
    std::optional<sim::Instant> deadline;
    if (st.receive_timeout_ms != 0) {
      deadline = stack_.world().now() + sim::Duration::Milliseconds(st.receive_timeout_ms);
    }
    if (!WaitForWorld(stack_, ready, deadline)) {
      if (deadline) return Fail(lpErrno, kWSAETIMEDOUT);  // SO_RCVTIMEO (setsockopt docs)
      call.MarkBlockedForever();
      return static_cast<int>(kSocketError);
    }
  }
  if (reset()) {
    socket.pending_error.reset();
    return Fail(lpErrno, TerminationCode(*socket.termination));
  }
  BufferSink sink(p.memory(), buf);
  auto got = stack_.Receive(socket, static_cast<std::size_t>(size), peek, sink);
  if (!got) {
    // recv docs: on a UDP socket WSAECONNRESET reports an ICMP port unreachable.
    if (datagram && got.error() == Error::kConnectionRefused) {
      return Fail(lpErrno, kWSAECONNRESET);
    }
    return Fail(lpErrno, ToWsaError(got.error()).value);
  }
  if (datagram && from != 0 && got->source) {
    const std::vector<std::uint8_t> name = Encode(*got->source);
    (void)WriteBytes(p.memory(), from, name);
    (void)WriteU32(p.memory(), fromlen, static_cast<std::uint32_t>(name.size()));
  }
  // recv docs: a datagram longer than the buffer is truncated and the call fails WSAEMSGSIZE.
  if (datagram && got->truncated) return Fail(lpErrno, kWSAEMSGSIZE);
  // Row 21 "related facts": recvfrom on a stream never writes from/fromlen.
  return static_cast<int>(got->length);
}

int BaseProvider::WSPSend(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                          int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  return DoSend(call, c, buf, len, flags, 0, 0, lpErrno);
}

int BaseProvider::WSPSendTo(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                            UserAddress to, int tolen, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  // sendto docs: on a connection-oriented socket `to` and `tolen` are ignored.
  if (c.socket->type() != SockType::kDgram) to = 0;
  return DoSend(call, c, buf, len, flags, to, tolen, lpErrno);
}

int BaseProvider::WSPRecv(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                          int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  return DoRecv(call, c, buf, len, flags, 0, 0, lpErrno);
}

int BaseProvider::WSPRecvFrom(SpiCall& call, SocketHandle s, UserAddress buf, int len, int flags,
                              UserAddress from, UserAddress fromlen, int* lpErrno) {
  Context c;
  if (!Enter(call, s, &c, lpErrno)) return static_cast<int>(kSocketError);
  // Wine test_tcp_sendto_recvfrom: a stream never reports a sender.
  if (c.socket->type() != SockType::kDgram) from = 0;
  return DoRecv(call, c, buf, len, flags, from, fromlen, lpErrno);
}

}  // namespace socksim::stack::windows_abi
