// File: sim/credentials.h
// Process credentials as every modelled OS keeps them: real, effective and saved user and group
// ids, supplementary groups, and the illumos zone and project ids (0 elsewhere).
#pragma once

#include <cstdint>
#include <vector>

namespace socksim::sim {

using Uid = std::uint32_t;
using Gid = std::uint32_t;

/// The "leave unchanged" value of setresuid(2)/setresgid(2): (uid_t)-1.
inline constexpr Uid kUnchangedId = 0xffffffffu;

/// A process's credentials.
struct Credentials {
  Uid ruid = 0, euid = 0, suid = 0;
  Gid rgid = 0, egid = 0, sgid = 0;
  std::vector<Gid> groups;
  std::int32_t zone_id = 0;     // illumos zoneid_t; 0 is the global zone
  std::int32_t project_id = 0;  // illumos projid_t

  /// Credentials with all three uids equal to `uid` and all three gids equal to `gid`.
  static Credentials Of(Uid uid, Gid gid);

  /// The privilege model used for credential changes: effective uid 0.
  bool privileged() const { return euid == 0; }

  friend bool operator==(const Credentials&, const Credentials&) = default;
};

/// Why a credential change was refused (the personality maps it to EPERM or its own code).
enum class CredentialChange { kApplied, kNotPermitted };

/// setresuid(2) semantics: an unprivileged process may set each id only to one of its current
/// real, effective or saved uids; kUnchangedId leaves an id as it is. All or nothing.
CredentialChange SetResUid(Credentials& creds, Uid ruid, Uid euid, Uid suid);
/// setresgid(2) semantics, same rule over gids (privilege still judged by the effective uid).
CredentialChange SetResGid(Credentials& creds, Gid rgid, Gid egid, Gid sgid);

}  // namespace socksim::sim
