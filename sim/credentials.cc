// File: sim/credentials.cc
// Credential changes with the permission rule of setresuid(2) / setresgid(2) (Linux
// kernel/sys.c __sys_setresuid: unprivileged callers may only choose among the current ids).
#include "sim/credentials.h"

namespace socksim::sim {
namespace {

template <typename Id>
bool AllowedFor(Id wanted, Id r, Id e, Id s) {
  return wanted == kUnchangedId || wanted == r || wanted == e || wanted == s;
}

template <typename Id>
void Assign(Id& slot, Id wanted) {
  if (wanted != kUnchangedId) slot = wanted;
}

}  // namespace

Credentials Credentials::Of(Uid uid, Gid gid) {
  Credentials c;
  c.ruid = c.euid = c.suid = uid;
  c.rgid = c.egid = c.sgid = gid;
  return c;
}

CredentialChange SetResUid(Credentials& creds, Uid ruid, Uid euid, Uid suid) {
  if (!creds.privileged()) {
    for (Uid wanted : {ruid, euid, suid}) {
      if (!AllowedFor(wanted, creds.ruid, creds.euid, creds.suid)) {
        return CredentialChange::kNotPermitted;
      }
    }
  }
  Assign(creds.ruid, ruid);
  Assign(creds.euid, euid);
  Assign(creds.suid, suid);
  return CredentialChange::kApplied;
}

CredentialChange SetResGid(Credentials& creds, Gid rgid, Gid egid, Gid sgid) {
  if (!creds.privileged()) {
    for (Gid wanted : {rgid, egid, sgid}) {
      if (!AllowedFor(wanted, creds.rgid, creds.egid, creds.sgid)) {
        return CredentialChange::kNotPermitted;
      }
    }
  }
  Assign(creds.rgid, rgid);
  Assign(creds.egid, egid);
  Assign(creds.sgid, sgid);
  return CredentialChange::kApplied;
}

}  // namespace socksim::sim
