// File: stack/personality/linux/linux_personality.h
// The Linux system-call layer: each method is one syscall with the kernel's argument types,
// its order of checks, its copy-in and copy-out of the caller's memory and its errno values.
// Pointers are addresses in the calling process's simulated memory. Sources for each rule are
// cited where it is applied and collected in docs/semantics/linux.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/address_space.h"
#include "sim/process.h"
#include "stack/core/stack.h"
#include "stack/personality/call_result.h"
#include "stack/personality/linux/ipv6_flow.h"
#include "stack/personality/linux/kernel_version.h"
#include "stack/personality/linux/linux_policy.h"

namespace socksim::stack::linux_abi {

using sim::UserAddress;

/// The C library's per-thread state: errno, as the syscall wrapper leaves it (glibc stores a
/// failed call's error in the calling thread's errno and leaves it alone on success).
struct LinuxThreadState final : sim::ThreadExtension {
  int errno_value = 0;
};

/// Stores a call's error in the calling thread's errno (creating the state on first use).
void RecordErrno(sim::Thread& thread, const CallResult& result);
/// The thread's errno (0 when it never failed a call).
int ThreadErrno(const sim::Thread& thread);

/// One struct iovec as the kernel imported it: its base and its length, clamped so that the
/// total stays within MAX_RW_COUNT (lib/iov_iter.c import_iovec).
struct IoVector {
  UserAddress base = 0;
  std::uint64_t len = 0;
};

/// The Linux personality over a neutral stack.
class LinuxPersonality {
 public:
  explicit LinuxPersonality(Stack& stack, KernelVersion version = kNewestKernel);

  const KernelVersion& version() const { return version_; }
  Stack& stack() { return stack_; }
  /// The policy every socket this personality creates follows (registered with the stack).
  const Policy& policy() const { return policy_; }

  /// For a runner that tries a call without letting it wait (the descriptor is made
  /// non-blocking for that try): calls whose waiting does not follow from O_NONBLOCK alone
  /// (MSG_WAITALL, a recvmmsg batch) then report "would wait" before taking anything.
  void set_trying(bool trying) { trying_ = trying; }

  /// Gives a process Linux's starting limits (RLIMIT_NOFILE) and per-thread state.
  void SetUpProcess(sim::Process& p) const;

  // Descriptors that are not sockets, so that ENOTSOCK and EBADF(O_PATH) are reachable.
  /// open(path, O_RDWR): a regular file (or character device for "/dev/..." names).
  CallResult Open(sim::Process& p, const std::string& path, bool path_only = false);
  /// openat(AT_FDCWD, path, flags): Open with the caller's flags, which fix the access mode,
  /// the status flags F_GETFL reports and the descriptor's close-on-exec.
  CallResult Openat(sim::Process& p, const std::string& path, std::uint32_t flags);
  /// The status flags of an open file description that open() made with `flags`.
  static sim::StatusFlags FileStatus(std::uint32_t flags);
  CallResult Close(sim::Process& p, int fd);
  CallResult Dup(sim::Process& p, int fd);
  CallResult Dup2(sim::Process& p, int oldfd, int newfd);
  CallResult Dup3(sim::Process& p, int oldfd, int newfd, int flags);

  CallResult Socket(sim::Process& p, int domain, int type, int protocol);
  CallResult Socketpair(sim::Process& p, int domain, int type, int protocol, UserAddress sv);
  CallResult Bind(sim::Process& p, int fd, UserAddress addr, std::uint32_t addrlen);
  CallResult Listen(sim::Process& p, int fd, int backlog);
  CallResult Connect(sim::Process& p, int fd, UserAddress addr, std::uint32_t addrlen);
  CallResult Accept(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen);
  CallResult Accept4(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen, int flags);
  CallResult Getsockname(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen);
  CallResult Getpeername(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen);
  CallResult Shutdown(sim::Process& p, int fd, int how);

  CallResult Sendto(sim::Process& p, int fd, UserAddress buf, std::uint64_t len, int flags,
                    UserAddress dest, std::uint32_t destlen);
  CallResult Recvfrom(sim::Process& p, int fd, UserAddress buf, std::uint64_t len, int flags,
                      UserAddress src, UserAddress srclen);
  CallResult Sendmsg(sim::Process& p, int fd, UserAddress msg, int flags);
  CallResult Recvmsg(sim::Process& p, int fd, UserAddress msg, int flags);

  CallResult Setsockopt(sim::Process& p, int fd, int level, int optname, UserAddress optval,
                        std::uint32_t optlen);
  CallResult Getsockopt(sim::Process& p, int fd, int level, int optname, UserAddress optval,
                        UserAddress optlen);

  // Descriptor calls real programs make around their sockets (fcntl_calls.cc,
  // pipe_calls.cc, vector_io_calls.cc).
  /// fcntl(2): F_GETFL/F_SETFL, F_GETFD/F_SETFD, F_DUPFD/F_DUPFD_CLOEXEC.
  CallResult Fcntl(sim::Process& p, int fd, int cmd, std::uint64_t arg);
  /// ioctl(2): FIONBIO, FIONREAD (SIOCINQ) and SIOCOUTQ; `arg` points to an int.
  CallResult Ioctl(sim::Process& p, int fd, std::uint32_t request, UserAddress arg);
  /// pipe2(2): writes {read end, write end} to `fds` (flags O_CLOEXEC, O_NONBLOCK).
  CallResult Pipe2(sim::Process& p, UserAddress fds, int flags);
  /// eventfd2(2): an eventfd with counter `initval` (EFD_CLOEXEC, EFD_NONBLOCK, EFD_SEMAPHORE).
  CallResult Eventfd2(sim::Process& p, std::uint32_t initval, int flags);
  /// read(2) and write(2) on any descriptor: sockets, pipes, eventfds.
  CallResult Read(sim::Process& p, int fd, UserAddress buf, std::uint64_t count);
  CallResult Write(sim::Process& p, int fd, UserAddress buf, std::uint64_t count);
  /// readv(2) and writev(2): `iov` is an array of `iovcnt` struct iovec.
  CallResult Readv(sim::Process& p, int fd, UserAddress iov, int iovcnt);
  CallResult Writev(sim::Process& p, int fd, UserAddress iov, int iovcnt);
  /// sendmmsg(2) and recvmmsg(2): `vec` is an array of `vlen` struct mmsghdr; the result is
  /// the number of messages. recvmmsg's timeout must be NULL (no timer is modelled).
  CallResult Sendmmsg(sim::Process& p, int fd, UserAddress vec, std::uint32_t vlen, int flags);
  CallResult Recvmmsg(sim::Process& p, int fd, UserAddress vec, std::uint32_t vlen, int flags,
                      UserAddress timeout);
  // Readiness (readiness_calls.cc). A wait runs the world in virtual time until a descriptor
  // is ready or the timeout has passed (the clock then stands at the deadline). With
  // `may_wait` false a call that would have to wait returns {blocked} and has no effect.
  CallResult Poll(sim::Process& p, UserAddress fds, std::uint64_t nfds, int timeout_ms,
                  bool may_wait = true);
  CallResult Ppoll(sim::Process& p, UserAddress fds, std::uint64_t nfds, UserAddress tsp,
                   UserAddress sigmask, std::uint64_t sigsetsize, bool may_wait = true);
  CallResult Select(sim::Process& p, int nfds, UserAddress readfds, UserAddress writefds,
                    UserAddress exceptfds, UserAddress timeout, bool may_wait = true);
  /// `sig` points at pselect6's {const sigset_t *ss; size_t ss_len} pair (or is NULL).
  CallResult Pselect6(sim::Process& p, int nfds, UserAddress readfds, UserAddress writefds,
                      UserAddress exceptfds, UserAddress timeout, UserAddress sig,
                      bool may_wait = true);
  CallResult EpollCreate(sim::Process& p, int size);
  CallResult EpollCreate1(sim::Process& p, int flags);
  CallResult EpollCtl(sim::Process& p, int epfd, int op, int fd, UserAddress event);
  CallResult EpollWait(sim::Process& p, int epfd, UserAddress events, int maxevents,
                       int timeout_ms, bool may_wait = true);
  CallResult EpollPwait(sim::Process& p, int epfd, UserAddress events, int maxevents,
                        int timeout_ms, UserAddress sigmask, std::uint64_t sigsetsize,
                        bool may_wait = true);
  // Path calls on the simulated name space (path_calls.cc). Only UNIX socket files exist in
  // it, so a path no socket was bound to is missing (ENOENT).
  /// unlinkat(2) (unlink is unlinkat(AT_FDCWD, path, 0)).
  CallResult Unlinkat(sim::Process& p, int dirfd, const std::string& path, int flags);
  /// renameat2(2) (rename and renameat are renameat2 with AT_FDCWD and flags 0).
  CallResult Renameat2(sim::Process& p, int olddirfd, const std::string& oldpath, int newdirfd,
                       const std::string& newpath, unsigned flags);

  /// fork(2) and exit(2) through the world (the child's pid is returned to the parent).
  CallResult Fork(sim::Process& p, std::optional<sim::Pid> child_pid = std::nullopt);
  CallResult Exit(sim::Process& p, int status);
  /// execve(2) as far as descriptors go (the simulator loads no program): every descriptor
  /// marked close-on-exec is closed (fs/exec.c begin_new_exec -> do_close_on_exec).
  CallResult Execve(sim::Process& p);
  /// clone(2) with CLONE_THREAD: a new thread of `p` (its id is returned).
  CallResult CloneThread(sim::Process& p, std::optional<sim::Tid> tid = std::nullopt);
  /// setresuid(2) / setresgid(2).
  CallResult Setresuid(sim::Process& p, sim::Uid r, sim::Uid e, sim::Uid s);
  CallResult Setresgid(sim::Process& p, sim::Gid r, sim::Gid e, sim::Gid s);

 private:
  struct SocketLookup {
    // Not a SocketRef: the descriptor's open file description owns the socket, and no call
    // closes the descriptor it looked up, and what a sleeping call runs meanwhile is the
    // network (timers and segments), never another call; so a plain pointer is valid for the
    // rest of the call and spares every call a reference-count increment and decrement.
    stack::Socket* socket = nullptr;
    int err = 0;
    sim::FdEntry* entry = nullptr;
  };
  // fdget + sock_from_file: EBADF for a closed or O_PATH descriptor, ENOTSOCK otherwise.
  SocketLookup LookupSocket(sim::Process& p, int fd);
  CallResult Error(Error e) const;
  // move_addr_to_user with this kernel version's ordering.
  CallResult MoveAddrToUser(sim::Process& p, std::span<const std::uint8_t> kaddr,
                            UserAddress uaddr, UserAddress ulen);
  // move_addr_to_kernel: the raw bytes, or EINVAL/EFAULT.
  struct RawAddress {
    std::vector<std::uint8_t> bytes;
    int err = 0;
  };
  RawAddress ReadSockaddr(sim::Process& p, UserAddress addr, std::uint32_t addrlen);
  static sim::CredentialSnapshot Caller(const sim::Process& p) { return p.Snapshot(); }
  CallResult InstallSocket(sim::Process& p, SocketRef socket, int flags);
  CallResult DoAccept(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen, int flags);
  CallResult DoSend(sim::Process& p, SocketLookup& lookup, Payload& payload, int flags,
                    UserAddress dest, std::uint32_t destlen, std::vector<sim::OfdRef> rights,
                    std::optional<stack::MessageCredentials> given = std::nullopt);
  CallResult DoGetName(sim::Process& p, int fd, UserAddress addr, UserAddress addrlen, bool peer);
  // MSG_WAITALL: waits until a stream receive can fill `wanted` bytes (false: it would have to
  // wait for another process).
  bool WaitAll(stack::Socket& s, int flags, bool nonblocking, std::uint64_t wanted);
  // The options of option_calls.cc (SO_REUSEPORT, SO_PRIORITY, SO_BINDTODEVICE, buffer sizes,
  // TCP_*, IP_*, IPV6_RECVERR): the result when that file handles the option, else nullopt.
  std::optional<CallResult> SetMoreOption(sim::Process& p, stack::Socket& s, int level,
                                          int optname, UserAddress optval, std::uint32_t optlen);
  std::optional<CallResult> GetMoreOption(sim::Process& p, stack::Socket& s, int level,
                                          int optname, UserAddress optval, UserAddress optlen);
  // read/write and readv/writev: ksys_read/ksys_write's checks, then the object's read or
  // write (sock_read_iter / sock_write_iter, pipe_read / pipe_write, eventfd_read /
  // eventfd_write) over the imported vectors (pipe_calls.cc).
  CallResult DoRead(sim::Process& p, int fd, std::vector<IoVector> iov);
  CallResult DoWrite(sim::Process& p, int fd, std::vector<IoVector> iov);
  // One message of sendmmsg/recvmmsg: sendmsg/recvmsg on an already looked-up descriptor.
  CallResult DoSendmsg(sim::Process& p, SocketLookup& lookup, UserAddress msg, int flags);
  CallResult DoRecvmsg(sim::Process& p, SocketLookup& lookup, UserAddress msg, int flags);
  // TCP_MAXSEG, TCP_USER_TIMEOUT, IP_OPTIONS (read only), IPV6_MTU, IPV6_DONTFRAG and
  // IPV6_RECVPKTINFO (option_calls.cc): the call's result, or nullopt for any other option.
  std::optional<CallResult> SetSegmentOption(sim::Process& p, stack::Socket& s, int level,
                                             int optname, UserAddress optval,
                                             std::uint32_t optlen);
  std::optional<CallResult> GetSegmentOption(sim::Process& p, stack::Socket& s, int level,
                                             int optname, UserAddress optval,
                                             UserAddress optlen);
  // Protocol-level options kept apart from the socket-level ones (protocol_options.cc:
  // IP_BIND_ADDRESS_NO_PORT, TCP_INFO, the IPv6 flow options): the call's result, or nullopt
  // when (level, optname) is none of them on this socket.
  std::optional<CallResult> SetProtocolOption(sim::Process& p, stack::Socket& s, int level,
                                              int optname, UserAddress optval,
                                              std::uint32_t optlen);
  std::optional<CallResult> GetProtocolOption(sim::Process& p, stack::Socket& s, int level,
                                              int optname, UserAddress optval,
                                              UserAddress optlen);
  // A relative path's directory descriptor (path_calls.cc): 0 when the path is looked up from
  // the working directory, else the errno (EBADF, ENOTDIR: no directory can be opened here).
  int PathDirectory(sim::Process& p, int dirfd, const std::string& path);

  Stack& stack_;
  bool trying_ = false;
  KernelVersion version_;
  const Policy& policy_;
  Ipv6FlowLabels flow_labels_;
};

}  // namespace socksim::stack::linux_abi
