// File: sim/credentials.h
// Process credentials, rich enough for every modelled OS: real, effective and saved user and
// group ids, supplementary groups, and what illumos's ucred_t also carries (privilege sets,
// audit information, a label, the zone and the project: ../shared/reference/illumos.md,
// ucred.h). A process holds its credentials by reference to an immutable value; a change makes
// a new value, so the snapshots sockets record at socket(), bind(), connect() and the other
// moments are shared pointers, not copies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/ids.h"

namespace socksim::sim {

using Uid = std::uint32_t;
using Gid = std::uint32_t;

/// The "leave unchanged" value of setresuid(2)/setresgid(2): (uid_t)-1.
inline constexpr Uid kUnchangedId = 0xffffffffu;

/// The four privilege sets of a process (privileges(7): effective, permitted, inheritable,
/// limit), each a sorted list of privilege names such as "net_privaddr". Empty everywhere
/// for OSes without privilege sets.
struct PrivilegeSets {
  std::vector<std::string> effective, permitted, inheritable, limit;
  /// The process's privilege flags by name (illumos setpflags(2): PRIV_AWARE, PRIV_DEBUG,
  /// NET_MAC_AWARE ...), sorted; the personality that has such flags gives them numbers.
  std::vector<std::string> flags;
  friend bool operator==(const PrivilegeSets&, const PrivilegeSets&) = default;
};

/// Audit information (ucred_getauid, ucred_getasid, ucred_getatid, ucred_getamask).
struct AuditInfo {
  Uid audit_uid = 0xffffffffu;  // AU_NOAUDITID: no audit session
  std::uint32_t session_id = 0;
  std::uint64_t terminal_port = 0;
  std::uint32_t terminal_machine = 0;
  std::uint32_t mask_success = 0;
  std::uint32_t mask_failure = 0;
  friend bool operator==(const AuditInfo&, const AuditInfo&) = default;
};

/// A process's credentials.
struct Credentials {
  Uid ruid = 0, euid = 0, suid = 0;
  Gid rgid = 0, egid = 0, sgid = 0;
  std::vector<Gid> groups;
  std::int32_t zone_id = 0;     // zoneid_t; 0 is the global zone (0 where there are no zones)
  std::int32_t project_id = 0;  // projid_t
  PrivilegeSets privileges;
  AuditInfo audit;
  std::string label;  // a security label (Trusted Extensions); empty when none

  /// Credentials with all three uids equal to `uid` and all three gids equal to `gid`.
  static Credentials Of(Uid uid, Gid gid);

  /// The privilege model used for credential changes: effective uid 0.
  bool privileged() const { return euid == 0; }

  friend bool operator==(const Credentials&, const Credentials&) = default;
};

/// Shared, immutable credentials.
using CredentialsRef = std::shared_ptr<const Credentials>;

/// Makes a shared value.
inline CredentialsRef Share(Credentials c) {
  return std::make_shared<const Credentials>(std::move(c));
}

/// Who did something, at the moment they did it: the pid and the credentials then in force.
/// The credentials are shared, so a snapshot costs a reference, not a copy.
struct CredentialSnapshot {
  Pid pid = 0;
  CredentialsRef credentials;

  const Credentials& get() const { return *credentials; }
  friend bool operator==(const CredentialSnapshot& a, const CredentialSnapshot& b) {
    return a.pid == b.pid && (a.credentials == b.credentials ||
                              (a.credentials && b.credentials && *a.credentials == *b.credentials));
  }
};

/// Why a credential change was refused (the personality maps it to EPERM or its own code).
enum class CredentialChange { kApplied, kNotPermitted };

/// setresuid(2) semantics: an unprivileged process may set each id only to one of its current
/// real, effective or saved uids; kUnchangedId leaves an id as it is. All or nothing.
CredentialChange SetResUid(Credentials& creds, Uid ruid, Uid euid, Uid suid);
/// setresgid(2) semantics, same rule over gids (privilege still judged by the effective uid).
CredentialChange SetResGid(Credentials& creds, Gid rgid, Gid egid, Gid sgid);

}  // namespace socksim::sim
