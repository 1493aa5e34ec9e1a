// File: stack/personality/illumos/illumos.h
// The illumos personality's facade: one method per illumos function (system calls, libsocket's
// calls, which are system calls on illumos, libnsl's TLI calls, and the ucred functions of
// libc), each taking the calling thread and answering as illumos does. It is built as illumos
// is: libc (libc/: the getpeerucred wrapper, the ucred accessors reading ucred_t bytes, the
// heap) over the kernel (kernel/: ucredsys dispatching on the vnode type to sockfs, fifofs,
// timod; sockfs calls over the neutral stack; fifofs; tli; processes). errno and t_errno are
// per thread. Sources: ../shared/reference/illumos.md and illumos-gate, cited where applied.
//
// Results follow the project's convention: `value` is the C return value (a pointer as its
// 64-bit pattern; a uid_t/gid_t/pid_t... as a 32-bit pattern widened as a signed number, so
// (uid_t)-1 is -1); `code` is the errno the call set (nullopt when it set none); for a failed
// t_* call `code` is the t_errno and, for TSYSERR, the thread's errno holds the system error.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/address_space.h"
#include "sim/pipe.h"
#include "sim/process.h"
#include "stack/core/stack.h"
#include "stack/personality/call_result.h"
#include "stack/personality/illumos/illumos_policy.h"
#include "stack/personality/illumos/kernel/vnode.h"
#include "stack/personality/illumos/libc/heap.h"

namespace socksim::stack::illumos_abi {

using sim::UserAddress;
using Fd = std::int32_t;

/// libc's per-thread state: errno (set by a failed call, left alone by a successful one),
/// libnsl's t_errno, and whether calls on the thread may wait for other processes.
struct IllumosThread final : sim::ThreadExtension {
  int errno_value = 0;
  int t_errno = 0;
  bool may_wait = true;
};

/// libc's per-process state: the heap (copied at fork with the address space).
struct IllumosProcess final : sim::ProcessExtension {
  Heap heap;
  std::unique_ptr<sim::ProcessExtension> CloneForFork() const override {
    return std::make_unique<IllumosProcess>(*this);
  }
};

/// The illumos personality over a neutral stack.
class Illumos {
 public:
  explicit Illumos(Stack& stack);

  Stack& stack() { return stack_; }
  /// The policy every socket this personality creates follows (registered with the stack).
  const Policy& policy() const { return policy_; }
  /// A new process: POSIX descriptor numbering (the table's default), RLIMIT_NOFILE 256, libc
  /// heap, errno state on its main thread.
  void SetUpProcess(sim::Process& p) const;
  /// Whether calls on `thread` may wait for other processes (false: a call that would block
  /// returns CallResult::Blocked() with no effect).
  void AllowWaiting(sim::Thread& thread, bool allowed);
  /// The thread's errno and t_errno (0 when never set).
  int Errno(const sim::Thread& thread) const;
  int TErrno(const sim::Thread& thread) const;

  /// Makes `path` exist on `node` as a regular file or a directory, as a scenario's header can
  /// ask (open() then finds it); false when the name exists already.
  bool AddPath(sim::NodeId node, const std::string& path, bool directory);

  // ---- files, pipes, STREAMS (fcntl.h, unistd.h, stropts.h) ----
  /// open(path, oflag, mode): a path the host knows (/dev/null, /dev/tcp, /dev/tcp6,
  /// /dev/udp, /dev/ticots, /dev/ticotsord, /dev/ticlts always exist; "/" and "/tmp" are
  /// directories; O_CREAT makes a regular file); a FIFO made by mkfifo; a name a pipe end is
  /// fattach()ed to (with connld pushed: a new pipe, see Ioctl).
  CallResult Open(sim::Thread& t, std::string_view path, std::int32_t oflag, std::int32_t mode);
  CallResult Close(sim::Thread& t, Fd fd);
  CallResult Dup(sim::Thread& t, Fd fd);
  /// pipe(int fds[2]).
  CallResult Pipe(sim::Thread& t, UserAddress fds);
  CallResult Mkfifo(sim::Thread& t, std::string_view path, std::int32_t mode);
  CallResult Fattach(sim::Thread& t, Fd fd, std::string_view path);
  CallResult Fdetach(sim::Thread& t, std::string_view path);
  /// ioctl(fd, request, arg): I_PUSH / I_POP take a module name string at `arg`; I_SENDFD
  /// takes the descriptor as the value of `arg`; I_RECVFD fills a struct strrecvfd
  /// {int fd; uid_t uid; gid_t gid; char fill[8];} at `arg`.
  CallResult Ioctl(sim::Thread& t, Fd fd, std::int32_t request, UserAddress arg_or_value);
  /// fcntl(fd, F_GETFL) / fcntl(fd, F_SETFL, flags) (O_NONBLOCK, O_NDELAY).
  CallResult Fcntl(sim::Thread& t, Fd fd, std::int32_t cmd, std::int64_t arg);

  // ---- sockets (sys/socket.h) ----
  CallResult Socket(sim::Thread& t, std::int32_t domain, std::int32_t type, std::int32_t protocol);
  CallResult Socketpair(sim::Thread& t, std::int32_t domain, std::int32_t type,
                        std::int32_t protocol, UserAddress sv);
  CallResult Bind(sim::Thread& t, Fd fd, UserAddress addr, std::uint32_t addrlen);
  CallResult Listen(sim::Thread& t, Fd fd, std::int32_t backlog);
  CallResult Connect(sim::Thread& t, Fd fd, UserAddress addr, std::uint32_t addrlen);
  CallResult Accept(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen);
  CallResult Getsockname(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen);
  CallResult Getpeername(sim::Thread& t, Fd fd, UserAddress addr, UserAddress addrlen);
  CallResult Shutdown(sim::Thread& t, Fd fd, std::int32_t how);
  CallResult Send(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len, std::int32_t flags);
  CallResult Recv(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len, std::int32_t flags);
  CallResult Sendto(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len, std::int32_t flags,
                    UserAddress to, std::uint32_t tolen);
  CallResult Recvfrom(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len, std::int32_t flags,
                      UserAddress from, UserAddress fromlen);
  /// sendmsg/recvmsg with a struct msghdr (LP64 layout, abi_constants.h); SCM_RIGHTS is the
  /// only control message carried.
  CallResult Sendmsg(sim::Thread& t, Fd fd, UserAddress msg, std::int32_t flags);
  CallResult Recvmsg(sim::Thread& t, Fd fd, UserAddress msg, std::int32_t flags);
  CallResult Setsockopt(sim::Thread& t, Fd fd, std::int32_t level, std::int32_t name,
                        UserAddress val, std::uint32_t len);
  CallResult Getsockopt(sim::Thread& t, Fd fd, std::int32_t level, std::int32_t name,
                        UserAddress val, UserAddress len);

  // ---- processes and credentials ----
  CallResult Fork(sim::Thread& t, std::optional<sim::Pid> child_pid = std::nullopt);
  CallResult Exit(sim::Thread& t, std::int32_t status);
  CallResult Getpid(sim::Thread& t);
  CallResult Setuid(sim::Thread& t, sim::Uid uid);
  CallResult Seteuid(sim::Thread& t, sim::Uid uid);
  CallResult Setreuid(sim::Thread& t, sim::Uid r, sim::Uid e);
  CallResult Setgid(sim::Thread& t, sim::Gid gid);
  CallResult Setegid(sim::Thread& t, sim::Gid gid);
  /// setgroups(n, const gid_t *list).
  CallResult Setgroups(sim::Thread& t, std::int32_t n, UserAddress list);

  // ---- TLI (libnsl; t_open pushes timod) ----
  // A failed t_* call returns -1 with `code` = the t_errno (TOUTSTATE, TLOOK, ...), which is
  // also the thread's t_errno; for TSYSERR the system error is in the thread's errno
  // (Errno()). Structures are LP64: struct netbuf {unsigned maxlen; unsigned len; char *buf;}
  // (16 bytes); struct t_bind {struct netbuf addr; unsigned qlen;} (24); struct t_call
  // {struct netbuf addr, opt, udata; int sequence;} (56, sequence at 48).
  /// t_open(path, oflag, info): /dev/tcp, /dev/tcp6 (TCP through the neutral stack),
  /// /dev/udp, /dev/udp6, /dev/ticots (T_COTS), /dev/ticotsord (T_COTS_ORD), /dev/ticlts
  /// (T_CLTS); `info` (struct t_info *) is not filled in (pass NULL).
  CallResult TOpen(sim::Thread& t, std::string_view path, std::int32_t oflag, UserAddress info);
  /// t_bind(fd, req, ret): req may be NULL (any address, qlen 0); `ret` is not filled in.
  CallResult TBind(sim::Thread& t, Fd fd, UserAddress req, UserAddress ret);
  /// t_listen(fd, call): the next connection indication; its sequence goes to call->sequence.
  CallResult TListen(sim::Thread& t, Fd fd, UserAddress call);
  /// t_accept(fd, resfd, call): accepts the indication call->sequence on `resfd`.
  CallResult TAccept(sim::Thread& t, Fd fd, Fd resfd, UserAddress call);
  /// t_connect(fd, sndcall, rcvcall): to sndcall->addr; `rcvcall` is not filled in. On the
  /// loopback transports the call waits for the listener's t_accept (blocked until then; a
  /// later t_connect on the same endpoint completes it).
  CallResult TConnect(sim::Thread& t, Fd fd, UserAddress sndcall, UserAddress rcvcall);
  CallResult TSndrel(sim::Thread& t, Fd fd);
  CallResult TRcvrel(sim::Thread& t, Fd fd);
  CallResult TSnddis(sim::Thread& t, Fd fd, UserAddress call);
  CallResult TClose(sim::Thread& t, Fd fd);

  // ---- libc: ucred (ucred.h) ----
  /// getpeerucred(fd, ucred_t **ucred_pp).
  CallResult Getpeerucred(sim::Thread& t, Fd fd, UserAddress ucred_pp);
  /// ucred_get(pid): a ucred_t * or NULL.
  CallResult UcredGet(sim::Thread& t, sim::Pid pid);
  /// ucred_free(uc): void; returns 0 (NULL is a no-op).
  CallResult UcredFree(sim::Thread& t, UserAddress uc);
  CallResult UcredSize(sim::Thread& t);
  CallResult UcredGeteuid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetruid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetsuid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetegid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetrgid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetsgid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetpid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetprojid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetzoneid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetauid(sim::Thread& t, UserAddress uc);
  CallResult UcredGetasid(sim::Thread& t, UserAddress uc);
  /// ucred_getgroups(uc, const gid_t **groups_pp): the count; *groups_pp = the array inside
  /// the ucred_t (or NULL when the count is 0).
  CallResult UcredGetgroups(sim::Thread& t, UserAddress uc, UserAddress groups_pp);
  /// ucred_getprivset(uc, name): a pointer to the set inside the ucred_t, or NULL.
  CallResult UcredGetprivset(sim::Thread& t, UserAddress uc, std::string_view set_name);
  /// ucred_getpflags(uc, flag): 1 or 0, or (uint_t)-1 (value -1, as every 32-bit result) with
  /// EINVAL.
  CallResult UcredGetpflags(sim::Thread& t, UserAddress uc, std::uint32_t flag);
  CallResult UcredGetlabel(sim::Thread& t, UserAddress uc);
  CallResult UcredGetamask(sim::Thread& t, UserAddress uc);
  CallResult UcredGetatid(sim::Thread& t, UserAddress uc);
  /// Whether `uc` is a live ucred_t this process holds (the call table refuses an accessor
  /// line on anything else: passing garbage is a crash on illumos, not an errno).
  bool HoldsUcred(const sim::Process& p, UserAddress uc) const;

 private:
  // Per-host name space (what open() can find): path -> object.
  struct NameEntry {
    enum class Kind : std::uint8_t { kFile, kDirectory, kFifo, kAttached };
    Kind kind = Kind::kFile;
    std::shared_ptr<sim::PipeChannel> fifo;  // kFifo: the FIFO's channel
    std::shared_ptr<sim::PipeEnd> attached;  // kAttached: the fattach()ed pipe end
  };
  // STREAMS state of one pipe (both ends): modules pushed on each end, descriptors sent
  // (I_SENDFD, connld) waiting at each end for I_RECVFD.
  struct PassedFd {
    sim::OfdRef description;
    sim::Uid uid = 0;
    sim::Gid gid = 0;
  };
  struct PipeStreams {
    std::weak_ptr<sim::PipeEnd> ends[2];
    std::vector<std::string> modules[2];
    std::vector<PassedFd> queue[2];  // waiting to be received at end i
  };

  IllumosThread& ThreadState(sim::Thread& t) const;
  IllumosProcess& ProcessState(sim::Process& p) const;
  CallResult Fail(sim::Thread& t, int err) const;
  CallResult FailWithValue(sim::Thread& t, std::int64_t value, int err) const;
  CallResult FailError(sim::Thread& t, Error e) const;
  std::map<std::string, NameEntry>& Names(sim::NodeId node);
  const sim::FdEntry* Lookup(const sim::Process& p, Fd fd) const;
  struct SocketLookup {
    SocketRef socket;
    const sim::FdEntry* entry = nullptr;
    int err = 0;
  };
  // getsonode(): EBADF, then ENOTSOCK for a descriptor that is no socket (EOPNOTSUPP for a
  // raw IP or routing socket, whose calls beyond socket, getpeerucred and close are not
  // modelled).
  SocketLookup LookupSocket(const sim::Process& p, Fd fd) const;
  // socket() of a raw IP (icmp) or routing (rts) socket: a ProtocolSocketNode.
  CallResult RawSocket(sim::Thread& t, std::int32_t domain, std::int32_t type,
                       std::int32_t protocol, std::int32_t flags);
  CallResult Install(sim::Thread& t, std::shared_ptr<sim::FileObject> object, bool nonblocking,
                     bool cloexec);
  // Runs the world until `ready` (waiting allowed) and tells whether it holds.
  bool Wait(sim::Thread& t, const std::function<bool()>& ready);
  // The caller's name length, copied in before the socket is asked (getpeername,
  // getsockname, accept in socksyscalls.c): EFAULT for an unreadable length or a NULL buffer
  // with a non-zero length.
  struct NameLength {
    std::uint32_t ulen = 0;
    int err = 0;
  };
  NameLength ReadNameLength(sim::Thread& t, UserAddress addr, UserAddress addrlen);
  CallResult CopyOutName(sim::Thread& t, const std::vector<std::uint8_t>& name, UserAddress addr,
                         std::uint32_t ulen, UserAddress addrlen);
  struct DecodedAddress {
    SocketAddress address;
    std::vector<std::uint8_t> raw;
    int err = 0;
  };
  DecodedAddress ReadAddress(sim::Thread& t, const stack::Socket& s, UserAddress addr,
                             std::uint32_t addrlen, bool for_connect);
  CallResult DoSend(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len, std::int32_t flags,
                    UserAddress to, std::uint32_t tolen, std::vector<sim::OfdRef> rights);
  struct ReceiveOutcome {
    CallResult result;
    Received received;
  };
  ReceiveOutcome DoReceive(sim::Thread& t, Fd fd, UserAddress buf, std::uint64_t len,
                           std::int32_t flags);
  PipeStreams& StreamsOf(const std::shared_ptr<sim::PipeEnd>& end, int* side);
  PipeStreams* FindStreams(const sim::PipeEnd* end, int* side);
  void RegisterPipe(const std::shared_ptr<sim::PipeEnd>& a, const std::shared_ptr<sim::PipeEnd>& b);

  // TLI (kernel/tli.cc).
  CallResult TFail(sim::Thread& t, int t_errno, int sys_errno = 0) const;
  std::shared_ptr<DeviceNode> LookupEndpoint(const sim::Process& p, Fd fd) const;
  std::map<std::string, std::weak_ptr<DeviceNode>>& TlNames(sim::NodeId node);

  // ucredsys (kernel/ucredsys.cc).
  struct PeerCred {
    std::optional<sim::CredentialSnapshot> cred;
    int err = 0;
  };
  PeerCred KernelGetPeerCred(sim::Thread& t, Fd fd);
  PeerCred SocketPeerCred(stack::Socket& s);
  PeerCred FifoPeerCred(const sim::PipeEnd& end);
  PeerCred TimodPeerCred(const DeviceNode& dev);
  // libc accessors' common read of a ucred_t field.
  std::optional<std::uint32_t> ReadUcred32(sim::Thread& t, UserAddress uc, std::uint64_t off);
  CallResult IdAccessor(sim::Thread& t, UserAddress uc, std::uint64_t cred_field);

  Stack& stack_;
  const Policy& policy_;
  std::map<sim::NodeId, std::map<std::string, NameEntry>> names_;
  std::map<sim::NodeId, std::map<std::string, std::weak_ptr<DeviceNode>>> tl_names_;
  std::uint64_t tl_autobind_ = 0;
  std::deque<PipeStreams> pipes_;  // a deque: references stay valid as it grows
};

}  // namespace socksim::stack::illumos_abi
