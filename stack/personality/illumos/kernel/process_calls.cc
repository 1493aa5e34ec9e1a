// File: stack/personality/illumos/kernel/process_calls.cc
// fork, exit, getpid and the credential changes scenarios use to show capture timing
// (uts/common/syscall/uid.c setuid, seteuid, setreuid; gid.c setgid, setegid). A credential
// change makes a new value: what sockets and pipe ends recorded earlier keeps the old one
// (ILL-2). Privilege is judged as sim::Credentials does (effective uid 0), which is what
// PRIV_PROC_SETID amounts to for a process that is not privilege aware.
#include <algorithm>

#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/ucred_layout.h"

namespace socksim::stack::illumos_abi {

CallResult Illumos::Fork(sim::Thread& t, std::optional<sim::Pid> child_pid) {
  // The child shares the open file descriptions: its endpoints are the parent's, so what
  // they recorded goes with them (reference 1.4, last paragraph).
  sim::Process& child = stack_.world().Fork(t.process().pid(), child_pid);
  SetUpProcess(child);
  child.fds().set_limit(t.process().fds().limit());
  return CallResult::Success(child.pid());
}

CallResult Illumos::Exit(sim::Thread& t, std::int32_t status) {
  stack_.world().Exit(t.process().pid(), status);
  stack_.Settle();
  return CallResult::Success();
}

CallResult Illumos::Getpid(sim::Thread& t) { return CallResult::Success(t.process().pid()); }

CallResult Illumos::Setuid(sim::Thread& t, sim::Uid uid) {
  sim::Process& p = t.process();
  sim::Credentials c = p.credentials();
  // setuid(): with privilege all three uids; otherwise only the effective uid, and only to
  // the real or saved uid (EPERM).
  if (c.privileged()) {
    c.ruid = c.euid = c.suid = uid;
  } else if (uid == c.ruid || uid == c.suid) {
    c.euid = uid;
  } else {
    return Fail(t, kEPERM);
  }
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

CallResult Illumos::Seteuid(sim::Thread& t, sim::Uid uid) {
  sim::Process& p = t.process();
  sim::Credentials c = p.credentials();
  if (!c.privileged() && uid != c.ruid && uid != c.suid) return Fail(t, kEPERM);
  c.euid = uid;
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

CallResult Illumos::Setreuid(sim::Thread& t, sim::Uid r, sim::Uid e) {
  sim::Process& p = t.process();
  sim::Credentials c = p.credentials();
  // setreuid(): unprivileged, the real uid may become the effective one, the effective any
  // of real/effective/saved; the saved uid follows a new effective uid when the real uid is
  // set or the effective uid differs from the (old) real uid.
  if (!c.privileged()) {
    if (r != sim::kUnchangedId && r != c.ruid && r != c.euid) return Fail(t, kEPERM);
    if (e != sim::kUnchangedId && e != c.ruid && e != c.euid && e != c.suid) {
      return Fail(t, kEPERM);
    }
  }
  const sim::Uid old_ruid = c.ruid;
  if (r != sim::kUnchangedId) c.ruid = r;
  if (e != sim::kUnchangedId) c.euid = e;
  if (r != sim::kUnchangedId || (e != sim::kUnchangedId && e != old_ruid)) c.suid = c.euid;
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

CallResult Illumos::Setgid(sim::Thread& t, sim::Gid gid) {
  sim::Process& p = t.process();
  sim::Credentials c = p.credentials();
  if (c.privileged()) {
    c.rgid = c.egid = c.sgid = gid;
  } else if (gid == c.rgid || gid == c.sgid) {
    c.egid = gid;
  } else {
    return Fail(t, kEPERM);
  }
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

CallResult Illumos::Setegid(sim::Thread& t, sim::Gid gid) {
  sim::Process& p = t.process();
  sim::Credentials c = p.credentials();
  if (!c.privileged() && gid != c.rgid && gid != c.sgid) return Fail(t, kEPERM);
  c.egid = gid;
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

CallResult Illumos::Setgroups(sim::Thread& t, std::int32_t n, UserAddress list) {
  sim::Process& p = t.process();
  // setgroups() (uts/common/syscall/groups.c): the count first (EINVAL beyond ngroups_max),
  // then the copyin (EFAULT), then PRIV_PROC_SETID (secpolicy_allow_setid: EPERM);
  // crsetgroups() keeps the list sorted.
  if (n < 0 || static_cast<std::uint32_t>(n) > kNgroupsMax) return Fail(t, kEINVAL);
  std::vector<sim::Gid> groups;
  for (std::int32_t i = 0; i < n; ++i) {
    const auto g = p.memory().ReadU32(list + 4 * static_cast<std::uint64_t>(i));
    if (!g) return Fail(t, kEFAULT);
    groups.push_back(*g);
  }
  if (!HasPrivilege(p.credentials(), "proc_setid")) return Fail(t, kEPERM);
  std::sort(groups.begin(), groups.end());
  sim::Credentials c = p.credentials();
  c.groups = std::move(groups);
  p.set_credentials(std::move(c));
  return CallResult::Success();
}

}  // namespace socksim::stack::illumos_abi
