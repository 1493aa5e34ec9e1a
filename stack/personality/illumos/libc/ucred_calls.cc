// File: stack/personality/illumos/libc/ucred_calls.cc
// ucred_get(3C), ucred_free, ucred_size and the accessors of lib/libc/port/gen/ucred.c, each
// reading the ucred_t bytes in the caller's memory (the section offsets of
// kernel/ucred_layout.h) and answering as illumos does when a section is absent: -1 or NULL
// with EINVAL, except ucred_getauid (AU_NOAUDITID) and ucred_getasid (-1), which set no
// errno (reference (c), ILL-8). ucred_get's kernel half is uts/common/syscall/ucredsys.c
// ucred_get with priv_proc_cred_perm() (uts/common/os/priv.c).
#include "stack/personality/illumos/abi_constants.h"
#include "stack/personality/illumos/illumos.h"
#include "stack/personality/illumos/kernel/ucred_layout.h"

namespace socksim::stack::illumos_abi {
namespace {

// A 32-bit id as C returns it, widened as a signed number ((uid_t)-1 is -1).
std::int64_t Signed32(std::uint32_t v) { return static_cast<std::int32_t>(v); }

// A wild ucred_t pointer is a crash on illumos; it is reported as a failure setting nothing.
CallResult Crash() { return CallResult::Failure(-1, std::nullopt); }

// priv_proc_cred_perm(cr, tp, NULL, VREAD): the same credential, or every id of the target
// equal to the caller's effective ids; otherwise proc_owner. A target in another zone needs
// proc_zone as well.
bool MayRead(const sim::Process& caller, const sim::Process& target) {
  const sim::Credentials& c = caller.credentials();
  const sim::Credentials& x = target.credentials();
  if (x.zone_id != c.zone_id && !HasPrivilege(c, "proc_zone")) return false;
  if (caller.shared_credentials() == target.shared_credentials()) return true;
  const bool same_ids = x.ruid == c.euid && x.euid == c.euid && x.suid == c.euid &&
                        x.rgid == c.egid && x.egid == c.egid && x.sgid == c.egid;
  return same_ids || HasPrivilege(c, "proc_owner");
}

}  // namespace

bool Illumos::HoldsUcred(const sim::Process& p, UserAddress uc) const {
  const auto* state = dynamic_cast<const IllumosProcess*>(p.extension());
  return state != nullptr && state->heap.Holds(uc, BlockUse::kUcred);
}

std::optional<std::uint32_t> Illumos::ReadUcred32(sim::Thread& t, UserAddress uc,
                                                  std::uint64_t off) {
  return t.process().memory().ReadU32(uc + off);
}

CallResult Illumos::UcredGet(sim::Thread& t, sim::Pid pid) {
  sim::Process& p = t.process();
  auto& mem = p.memory();
  // libc ucred_get(): _ucred_alloc() first, then ucredsys(UCREDSYS_UCREDGET); the buffer is
  // freed on failure.
  const Heap::Allocation a = ProcessState(p).heap.Allocate(mem, stack_.world().faults(),
                                                           LibcUcredSize(), BlockUse::kUcred);
  if (a.err != 0) return FailWithValue(t, 0, a.err);
  const sim::Process* target = nullptr;
  int err = 0;
  if (pid == kPMyid || pid == p.pid()) {
    target = &p;
  } else if (pid < 0) {
    err = kEINVAL;
  } else {
    // prfind(): a live process of this system (this host); a caller outside the global zone
    // sees only its own zone's processes.
    target = stack_.world().FindProcess(pid);
    if (target == nullptr || !target->alive() || target->node() != p.node() ||
        (p.credentials().zone_id != 0 &&
         target->credentials().zone_id != p.credentials().zone_id)) {
      target = nullptr;
      err = kESRCH;
    } else if (!MayRead(p, *target)) {
      target = nullptr;
      err = kEACCES;
    }
  }
  if (target == nullptr) {
    (void)ProcessState(p).heap.Free(a.address);
    return FailWithValue(t, 0, err);
  }
  // pgetucred(): cred2ucred(p_cred, p_pid, NULL, CRED()).
  const std::vector<std::uint8_t> bytes = Cred2Ucred(target->Snapshot(), p.credentials());
  (void)mem.CopyOut(a.address, bytes);
  return CallResult::Success(static_cast<std::int64_t>(a.address));
}

CallResult Illumos::UcredFree(sim::Thread& t, UserAddress uc) {
  // ucred_free(): free(uc); free(NULL) does nothing.
  if (uc != 0) (void)ProcessState(t.process()).heap.Free(uc);
  return CallResult::Success();
}

CallResult Illumos::UcredSize(sim::Thread& t) {
  (void)t;
  return CallResult::Success(LibcUcredSize());
}

CallResult Illumos::IdAccessor(sim::Thread& t, UserAddress uc, std::uint64_t cred_field) {
  const auto credoff = ReadUcred32(t, uc, kUcCredoff);
  if (!credoff) return Crash();
  // UCCRED(uc) == NULL: (uid_t)-1 with EINVAL.
  if (*credoff == 0) return Fail(t, kEINVAL);
  const auto v = ReadUcred32(t, uc, *credoff + cred_field);
  if (!v) return Crash();
  return CallResult::Success(Signed32(*v));
}

CallResult Illumos::UcredGeteuid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 0); }
CallResult Illumos::UcredGetruid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 4); }
CallResult Illumos::UcredGetsuid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 8); }
CallResult Illumos::UcredGetegid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 12); }
CallResult Illumos::UcredGetrgid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 16); }
CallResult Illumos::UcredGetsgid(sim::Thread& t, UserAddress uc) { return IdAccessor(t, uc, 20); }

CallResult Illumos::UcredGetpid(sim::Thread& t, UserAddress uc) {
  const auto v = ReadUcred32(t, uc, kUcPid);
  if (!v) return Crash();
  // ucred_getpid(): -1 (NOPID) is "not available": EINVAL.
  if (Signed32(*v) == -1) return Fail(t, kEINVAL);
  return CallResult::Success(Signed32(*v));
}

CallResult Illumos::UcredGetprojid(sim::Thread& t, UserAddress uc) {
  const auto v = ReadUcred32(t, uc, kUcProjid);
  if (!v) return Crash();
  if (Signed32(*v) == -1) return Fail(t, kEINVAL);
  return CallResult::Success(Signed32(*v));
}

CallResult Illumos::UcredGetzoneid(sim::Thread& t, UserAddress uc) {
  const auto v = ReadUcred32(t, uc, kUcZoneid);
  if (!v) return Crash();
  // ucred_getzoneid(): outside MIN_ZONEID..MAX_ZONEID is EINVAL.
  const std::int64_t z = Signed32(*v);
  if (z < 0 || z > kMaxZoneid) return Fail(t, kEINVAL);
  return CallResult::Success(z);
}

CallResult Illumos::UcredGetauid(sim::Thread& t, UserAddress uc) {
  const auto audoff = ReadUcred32(t, uc, kUcAudoff);
  if (!audoff) return Crash();
  // UCAUD(uc) == NULL: AU_NOAUDITID, errno untouched.
  if (*audoff == 0) return CallResult::Success(kAuNoauditid);
  const auto v = ReadUcred32(t, uc, *audoff + kAiAuid);
  if (!v) return Crash();
  return CallResult::Success(Signed32(*v));
}

CallResult Illumos::UcredGetasid(sim::Thread& t, UserAddress uc) {
  const auto audoff = ReadUcred32(t, uc, kUcAudoff);
  if (!audoff) return Crash();
  // UCAUD(uc) == NULL: -1, errno untouched.
  if (*audoff == 0) return CallResult::Success(-1);
  const auto v = ReadUcred32(t, uc, *audoff + kAiAsid);
  if (!v) return Crash();
  return CallResult::Success(Signed32(*v));
}

CallResult Illumos::UcredGetatid(sim::Thread& t, UserAddress uc) {
  const auto audoff = ReadUcred32(t, uc, kUcAudoff);
  if (!audoff) return Crash();
  if (*audoff == 0) return FailWithValue(t, 0, kEINVAL);
  return CallResult::Success(static_cast<std::int64_t>(uc + *audoff + kAiTermid));
}

CallResult Illumos::UcredGetamask(sim::Thread& t, UserAddress uc) {
  const auto audoff = ReadUcred32(t, uc, kUcAudoff);
  if (!audoff) return Crash();
  if (*audoff == 0) return FailWithValue(t, 0, kEINVAL);
  return CallResult::Success(static_cast<std::int64_t>(uc + *audoff + kAiMask));
}

CallResult Illumos::UcredGetlabel(sim::Thread& t, UserAddress uc) {
  const auto labeloff = ReadUcred32(t, uc, kUcLabeloff);
  if (!labeloff) return Crash();
  // ucred_getlabel(): NULL with EINVAL unless the system is labeled (Trusted Extensions,
  // which is not modelled) and the label is present.
  return FailWithValue(t, 0, kEINVAL);
}

CallResult Illumos::UcredGetgroups(sim::Thread& t, UserAddress uc, UserAddress groups_pp) {
  const auto credoff = ReadUcred32(t, uc, kUcCredoff);
  if (!credoff) return Crash();
  if (*credoff == 0) return Fail(t, kEINVAL);
  const auto n = ReadUcred32(t, uc, *credoff + 24);
  if (!n) return Crash();
  // *grps = &pr_groups[0], or NULL when there are no groups.
  const UserAddress array = *n > 0 ? uc + *credoff + kPrcredGroups : 0;
  if (!t.process().memory().WriteU64(groups_pp, array)) return Crash();
  return CallResult::Success(static_cast<std::int64_t>(*n));
}

CallResult Illumos::UcredGetprivset(sim::Thread& t, UserAddress uc, std::string_view set_name) {
  const auto privoff = ReadUcred32(t, uc, kUcPrivoff);
  if (!privoff) return Crash();
  if (*privoff == 0) return FailWithValue(t, 0, kEINVAL);
  // priv_getsetbyname(): an unknown set name is EINVAL.
  const auto set = PrivSetByName(set_name);
  if (!set) return FailWithValue(t, 0, kEINVAL);
  const auto setsize = ReadUcred32(t, uc, *privoff + 4);
  if (!setsize) return Crash();
  return CallResult::Success(static_cast<std::int64_t>(
      uc + *privoff + kPrprivHeader + static_cast<std::uint64_t>(*set) * *setsize * 4));
}

CallResult Illumos::UcredGetpflags(sim::Thread& t, UserAddress uc, std::uint32_t flag) {
  const auto privoff = ReadUcred32(t, uc, kUcPrivoff);
  if (!privoff) return Crash();
  if (*privoff == 0) return Fail(t, kEINVAL);
  const auto nsets = ReadUcred32(t, uc, *privoff);
  const auto setsize = ReadUcred32(t, uc, *privoff + 4);
  const auto infosize = ReadUcred32(t, uc, *privoff + 8);
  if (!nsets || !setsize || !infosize) return Crash();
  // ucred_getpflags(): walk the info records after the sets for PRIV_INFO_FLAGS.
  std::uint64_t at = *privoff + kPrprivHeader + std::uint64_t{*nsets} * *setsize * 4;
  const std::uint64_t end = at + *infosize;
  while (at + 8 <= end) {
    const auto type = ReadUcred32(t, uc, at);
    const auto size = ReadUcred32(t, uc, at + 4);
    if (!type || !size) return Crash();
    if (*type == 1) {
      const auto val = ReadUcred32(t, uc, at + 8);
      if (!val) return Crash();
      return CallResult::Success((*val & flag) != 0 ? 1 : 0);
    }
    if (*size < 8) break;
    at += *size;
  }
  return Fail(t, kEINVAL);
}

}  // namespace socksim::stack::illumos_abi
