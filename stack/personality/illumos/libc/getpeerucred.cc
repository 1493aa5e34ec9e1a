// File: stack/personality/illumos/libc/getpeerucred.cc
// getpeerucred(3C) as libc builds it (lib/libc/port/sys/getpeerucred.c) over ucredsys, in the
// order of reference (b): P0 read *ucp; P1 allocate ucred_size() bytes when it is NULL (before
// the descriptor is looked at: rows 35, ILL-5, ILL-11, ILL-15); P2 the kernel (K1-K4); P3 on
// failure free only what P1 allocated and leave *ucp alone (row 32); P4 store the buffer in
// *ucp (the same pointer when reused, without any size check: row 31, ILL-6).
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/ucred_layout.h"

namespace socksim::stack::illumos_abi {

CallResult Illumos::Getpeerucred(sim::Thread& t, Fd fd, UserAddress ucred_pp) {
  sim::Process& p = t.process();
  auto& mem = p.memory();
  // P0: *ucp is read in user space; an unreadable ucp is a SIGSEGV on illumos, not an errno.
  // It is reported as a failure that sets nothing (the call table refuses such a line).
  const auto current = mem.ReadU64(ucred_pp);
  if (!current) return CallResult::Failure(-1, std::nullopt);
  UserAddress uc = *current;
  bool allocated = false;
  if (uc == 0) {
    // P1: _ucred_alloc(): malloc(ucred_size()) and uc_size stamped; malloc's errno on
    // failure (ENOMEM, or EAGAIN as the man page also allows).
    const Heap::Allocation a = ProcessState(p).heap.Allocate(mem, stack_.world().faults(),
                                                             LibcUcredSize(), BlockUse::kUcred);
    if (a.err != 0) return Fail(t, a.err);
    uc = a.address;
    allocated = true;
    (void)mem.WriteU32(uc + kUcSize, LibcUcredSize());
  }
  // P2: ucredsys(UCREDSYS_GETPEERUCRED, fd, uc).
  const PeerCred peer = KernelGetPeerCred(t, fd);
  int err = peer.err;
  if (err == 0) {
    // K3: cred2ucred(peer, cached pid, ..., caller's cred), then copyout of uc_size bytes;
    // a bad destination is EFAULT, reachable only now (rows 33, 34; ILL-13).
    const std::vector<std::uint8_t> bytes = Cred2Ucred(*peer.cred, p.credentials());
    if (mem.CopyOut(uc, bytes).fault) err = kEFAULT;
  }
  if (err != 0) {
    // P3: only a buffer allocated here is freed; *ucp is untouched.
    if (allocated) (void)ProcessState(p).heap.Free(uc);
    return Fail(t, err);
  }
  // P4.
  if (!mem.WriteU64(ucred_pp, uc)) return CallResult::Failure(-1, std::nullopt);
  return CallResult::Success();
}

}  // namespace socksim::stack::illumos_abi
