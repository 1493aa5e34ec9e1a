// File: stack/personality/illumos/kernel/ucred_layout.h
// The ucred_t bytes exactly as illumos lays them out (uts/common/sys/ucred.h struct ucred_s
// and the UCRED_*_OFF macros of the current gate), as the kernel's cred2ucred()
// (uts/common/os/cred.c) fills them and the libc accessors (lib/libc/port/gen/ucred.c) read
// them. All fields are host-order (little-endian) 32-bit values.
//
//   0  struct ucred_s: uc_size, uc_credoff, uc_privoff, uc_pid, uc_audoff, uc_zoneid,
//      uc_projid, uc_labeloff                                         (32 bytes)
//  32  prpriv_t (UCRED_PRIV_OFF = sizeof (struct ucred_s)): pr_nsets 4, pr_setsize 3,
//      pr_infosize 12, then the Effective, Inheritable, Permitted and Limit sets of 3
//      priv_chunk_t each (privilege n is bit 31 - n % 32 of chunk n / 32: privmask()), then
//      one priv_info_uint_t {priv_info_type PRIV_INFO_FLAGS 1, priv_info_size 12, flags}
//      (priv_getinfo)                                                  (72 bytes)
// 104  auditinfo64_addr_t (UCRED_AUD_OFF; c2audit loaded, the default): ai_auid,
//      ai_mask {am_success, am_failure}, ai_termid {at_port {at_major, at_minor}, at_type,
//      at_addr[4]}, ai_asid                                            (44 bytes)
// 148  prcred_t (UCRED_CRED_OFF; no label on a system without Trusted Extensions): pr_euid,
//      pr_ruid, pr_suid, pr_egid, pr_rgid, pr_sgid, pr_ngroups, pr_groups[ngroups]
//
// The kernel's ucredsize (UCRED_SIZE) is 148 + sizeof (prcred_t) 32 + (ngroups_max - 1) * 4 =
// 240 with ngroups_max 16; ucredminsize() leaves out the unused group slots. libc's
// ucred_size() (UCRED_SIZE(ip) in the non-kernel part of ucred.h) also counts a bslabel_t of
// 36 bytes: 32 + 32 + 60 + 16 + 4 * (3 * 4 - 1) + 12 + 44 + 36 = 276.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/credentials.h"

namespace socksim::stack::illumos_abi {

// struct ucred_s field offsets.
inline constexpr std::uint64_t kUcSize = 0;
inline constexpr std::uint64_t kUcCredoff = 4;
inline constexpr std::uint64_t kUcPrivoff = 8;
inline constexpr std::uint64_t kUcPid = 12;
inline constexpr std::uint64_t kUcAudoff = 16;
inline constexpr std::uint64_t kUcZoneid = 20;
inline constexpr std::uint64_t kUcProjid = 24;
inline constexpr std::uint64_t kUcLabeloff = 28;
inline constexpr std::uint64_t kUcredHeaderSize = 32;

// Section offsets and sizes.
inline constexpr std::uint32_t kPrivNsets = 4;      // PRIV_NSET
inline constexpr std::uint32_t kPrivSetsize = 3;    // PRIV_SETSIZE (chunks of 32 bits)
inline constexpr std::uint32_t kPrivInfosize = 12;  // priv_info_uint_t
inline constexpr std::uint64_t kUcredPrivOff = kUcredHeaderSize;
inline constexpr std::uint64_t kPrprivHeader = 12;  // pr_nsets, pr_setsize, pr_infosize
inline constexpr std::uint64_t kPrivSectionSize =
    kPrprivHeader + kPrivNsets * kPrivSetsize * 4 + kPrivInfosize;               // 72
inline constexpr std::uint64_t kUcredAudOff = kUcredPrivOff + kPrivSectionSize;  // 104
inline constexpr std::uint64_t kAuditSectionSize = 44;  // sizeof (auditinfo64_addr_t)
inline constexpr std::uint64_t kUcredCredOff = kUcredAudOff + kAuditSectionSize;  // 148
inline constexpr std::uint64_t kPrcredGroups = 28;  // offset of pr_groups in prcred_t
inline constexpr std::uint64_t kBslabelSize = 36;   // sizeof (bslabel_t)
/// The kernel's full ucredsize with ngroups_max groups.
std::uint32_t KernelUcredSize();
/// libc's ucred_size(): the buffer getpeerucred and ucred_get allocate.
std::uint32_t LibcUcredSize();

// Audit section field offsets.
inline constexpr std::uint64_t kAiAuid = 0;
inline constexpr std::uint64_t kAiMask = 4;
inline constexpr std::uint64_t kAiTermid = 12;
inline constexpr std::uint64_t kAiAsid = 40;
inline constexpr std::uint32_t kAuIPv4 = 4;  // AU_IPv4 (bsm/audit.h)

/// The privilege sets by the names ucred_getprivset() takes (sys/priv_names.h PRIV_EFFECTIVE
/// "Effective" 0, PRIV_INHERITABLE "Inheritable" 1, PRIV_PERMITTED "Permitted" 2, PRIV_LIMIT
/// "Limit" 3), matched as __priv_getsetbyname() does: case-insensitive, an optional "priv_"
/// prefix.
std::optional<int> PrivSetByName(std::string_view name);
/// A privilege's number (sys/priv_const.h, generated from priv_defs), or nullopt.
std::optional<int> PrivilegeNumber(std::string_view name);

/// The privilege sets illumos would give `creds`: the sets as given, or, when all four are
/// empty (a process whose scenario names no privileges), those of a default login: E, I and P
/// the basic set (PRIV_BASIC_ASSERT: file_link_any, file_read, file_write, net_access,
/// proc_exec, proc_fork, proc_info, proc_secflags, proc_session) and L all privileges; for
/// euid 0, E and P all privileges (a process that is not privilege aware and has uid 0 is
/// seen with its full permitted set as effective: priv_getset(), CR_OEPRIV).
const sim::PrivilegeSets& EffectivePrivileges(const sim::Credentials& creds);

/// Whether `creds` asserts privilege `name` in its effective set. A process that is not
/// privilege aware and has euid 0 is seen with its permitted set as effective
/// (priv_getset(): CR_OEPRIV for a non-PRIV_AWARE process), so such a root process also
/// holds whatever its permitted set lists.
bool HasPrivilege(const sim::Credentials& creds, std::string_view name);

/// cred2ucred(cr, pid, buf, rcr): the ucred_t of `peer` (credentials and the pid recorded
/// with them) as read by a process with credentials `reader`, at the kernel's minimal size
/// (ucredminsize()). The audit section is present only when the reader may see audit data
/// (secpolicy_audit_getattr(): proc_audit or sys_audit in its effective set); the label never
/// (the system is not labeled). Groups beyond ngroups_max are not kept (crsetgroups() would
/// have refused them); they are sorted, as crsetgroups() keeps them.
std::vector<std::uint8_t> Cred2Ucred(const sim::CredentialSnapshot& peer,
                                     const sim::Credentials& reader);

}  // namespace socksim::stack::illumos_abi
