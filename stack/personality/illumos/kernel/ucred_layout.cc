// File: stack/personality/illumos/kernel/ucred_layout.cc
// Building a ucred_t as cred2ucred() does, and the privilege names and set names.
#include "stack/personality/illumos/kernel/ucred_layout.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "stack/personality/illumos/abi_constants.h"

namespace socksim::stack::illumos_abi {
namespace {

// The privilege numbers of uts/common/sys/priv_const.h (generated from priv_defs; 85
// privileges, MAX_PRIVILEGE 96, hence PRIV_SETSIZE 3).
constexpr std::array<std::string_view, 85> kPrivilegeNames = {
    "contract_event",     "contract_identity", "contract_observer", "cpc_cpu",
    "dtrace_kernel",      "dtrace_proc",       "dtrace_user",       "file_chown",
    "file_chown_self",    "file_dac_execute",  "file_dac_read",     "file_dac_search",
    "file_dac_write",     "file_downgrade_sl", "file_flag_set",     "file_link_any",
    "file_owner",         "file_read",         "file_setid",        "file_upgrade_sl",
    "file_write",         "graphics_access",   "graphics_map",      "ipc_dac_read",
    "ipc_dac_write",      "ipc_owner",         "net_access",        "net_bindmlp",
    "net_icmpaccess",     "net_mac_aware",     "net_mac_implicit",  "net_observability",
    "net_privaddr",       "net_rawaccess",     "proc_audit",        "proc_chroot",
    "proc_clock_highres", "proc_exec",         "proc_fork",         "proc_info",
    "proc_lock_memory",   "proc_meminfo",      "proc_owner",        "proc_prioup",
    "proc_priocntl",      "proc_secflags",     "proc_session",      "proc_setid",
    "proc_taskid",        "proc_zone",         "sys_acct",          "sys_admin",
    "sys_audit",          "sys_config",        "sys_devices",       "sys_ipc_config",
    "sys_linkdir",        "sys_mount",         "sys_iptun_config",  "sys_dl_config",
    "sys_ip_config",      "sys_net_config",    "sys_nfs",           "sys_ppp_config",
    "sys_res_bind",       "sys_res_config",    "sys_resource",      "sys_smb",
    "sys_suser_compat",   "sys_time",          "sys_trans_label",   "virt_manage",
    "win_colormap",       "win_config",        "win_dac_read",      "win_dac_write",
    "win_devices",        "win_dga",           "win_downgrade_sl",  "win_fontpath",
    "win_mac_read",       "win_mac_write",     "win_selection",     "win_upgrade_sl",
    "xvm_control",
};

constexpr std::array<std::string_view, 4> kSetNames = {"Effective", "Inheritable", "Permitted",
                                                       "Limit"};

// priv_getbyname() compares with strcasecmp() in the C locale: ASCII letters only. Done
// inline rather than through std::tolower, a locale lookup per byte that made up most of a
// getpeerucred() (measured: bench/personalities_bench).
constexpr unsigned char AsciiLower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(static_cast<unsigned char>(a[i])) !=
        AsciiLower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view StripPrivPrefix(std::string_view name) {
  if (name.size() >= 5 && EqualsIgnoreCase(name.substr(0, 5), "priv_")) return name.substr(5);
  return name;
}

// The numbers of the process's privilege flags (sys/priv.h, through abi.def's kPrivFlag
// rows); a name illumos does not define sets nothing.
std::uint32_t PrivFlagBits(const std::vector<std::string>& names) {
  struct Row {
    std::string_view category;
    std::string_view symbol;
    std::uint32_t value;
  };
  static constexpr Row kRows[] = {
#define SOCKSIM_ABI(category, name, symbol, value) \
  {#category, symbol, static_cast<std::uint32_t>(value)},
#include "stack/personality/illumos/abi.def"
  };
  std::uint32_t bits = 0;
  for (const std::string& n : names) {
    for (const Row& r : kRows) {
      if (r.category == "kPrivFlag" && EqualsIgnoreCase(n, r.symbol)) bits |= r.value;
    }
  }
  return bits;
}

void Put32(std::vector<std::uint8_t>& out, std::uint64_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// One privilege set as PRIV_SETSIZE chunks (privmask(): MSB first within a chunk). "all"
// stands for every privilege (priv_str_to_set()'s "all").
std::array<std::uint32_t, kPrivSetsize> SetChunks(const std::vector<std::string>& names) {
  std::array<std::uint32_t, kPrivSetsize> chunks{};
  for (const std::string& name : names) {
    if (EqualsIgnoreCase(name, "all")) {
      for (std::size_t n = 0; n < kPrivilegeNames.size(); ++n) {
        chunks[n / 32] |= 1u << (31 - n % 32);
      }
      continue;
    }
    if (const auto n = PrivilegeNumber(name)) {
      chunks[static_cast<std::size_t>(*n) / 32] |= 1u << (31 - *n % 32);
    }
  }
  return chunks;
}

bool Lists(const std::vector<std::string>& set, std::string_view name) {
  return std::any_of(set.begin(), set.end(), [&](const std::string& s) {
    return EqualsIgnoreCase(StripPrivPrefix(s), name) || EqualsIgnoreCase(s, "all");
  });
}

}  // namespace

std::uint32_t KernelUcredSize() {
  return static_cast<std::uint32_t>(kUcredCredOff + 32 + (kNgroupsMax - 1) * 4);
}

std::uint32_t LibcUcredSize() {
  return static_cast<std::uint32_t>(kUcredHeaderSize + 32 + 16 + (kNgroupsMax - 1) * 4 +
                                    4 * (kPrivSetsize * kPrivNsets - 1) + kPrivInfosize +
                                    kAuditSectionSize + kBslabelSize);
}

std::optional<int> PrivSetByName(std::string_view name) {
  const std::string_view bare = StripPrivPrefix(name);
  for (std::size_t i = 0; i < kSetNames.size(); ++i) {
    if (EqualsIgnoreCase(bare, kSetNames[i])) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::optional<int> PrivilegeNumber(std::string_view name) {
  // The names sorted once, with their numbers, so that a lookup is a binary search rather
  // than a scan of all of them (each getpeerucred() looks up every name of four sets).
  static const std::vector<std::pair<std::string_view, int>> kSorted = [] {
    std::vector<std::pair<std::string_view, int>> v;
    for (std::size_t i = 0; i < kPrivilegeNames.size(); ++i) {
      v.emplace_back(kPrivilegeNames[i], static_cast<int>(i));
    }
    std::sort(v.begin(), v.end());
    return v;
  }();
  const std::string_view bare = StripPrivPrefix(name);
  std::string lower(bare);
  for (char& c : lower) c = static_cast<char>(AsciiLower(static_cast<unsigned char>(c)));
  const auto it = std::lower_bound(kSorted.begin(), kSorted.end(), lower,
                                   [](const auto& entry, const std::string& key) {
                                     return entry.first < std::string_view(key);
                                   });
  if (it == kSorted.end() || it->first != lower) return std::nullopt;
  return it->second;
}

const sim::PrivilegeSets& EffectivePrivileges(const sim::Credentials& creds) {
  const sim::PrivilegeSets& p = creds.privileges;
  if (!p.effective.empty() || !p.inheritable.empty() || !p.permitted.empty() || !p.limit.empty()) {
    return p;
  }
  // The two defaults are built once: every getpeerucred() of a process that set none reads
  // one of them.
  static const std::array<sim::PrivilegeSets, 2> kDefaults = [] {  // unprivileged, root
    const std::vector<std::string> basic = {"file_link_any", "file_read",     "file_write",
                                            "net_access",    "proc_exec",     "proc_fork",
                                            "proc_info",     "proc_secflags", "proc_session"};
    std::array<sim::PrivilegeSets, 2> d;
    for (std::size_t root = 0; root < 2; ++root) {
      d[root].inheritable = basic;
      d[root].limit = {"all"};
      d[root].effective = root == 1 ? std::vector<std::string>{"all"} : basic;
      d[root].permitted = d[root].effective;
    }
    return d;
  }();
  return kDefaults[creds.euid == 0 ? 1 : 0];
}

namespace {

// The four sets in cred2prpriv()'s order (effective, inheritable, permitted, limit),
// PRIV_SETSIZE chunks each.
using PrivChunks = std::array<std::uint32_t, kPrivNsets * kPrivSetsize>;

PrivChunks ChunksOf(const sim::PrivilegeSets& sets) {
  PrivChunks out{};
  std::size_t at = 0;
  for (const auto* set : {&sets.effective, &sets.inheritable, &sets.permitted, &sets.limit}) {
    for (const std::uint32_t chunk : SetChunks(*set)) out[at++] = chunk;
  }
  return out;
}

// The chunks of the default sets (EffectivePrivileges), or nullptr for sets a process was
// given. Most processes set no privileges and read one of the two defaults, whose chunks are
// converted from names once: converting the names on every call was most of a getpeerucred()
// (measured: bench/personalities_bench).
const PrivChunks* DefaultChunks(const sim::PrivilegeSets& sets) {
  struct Default {
    const sim::PrivilegeSets* sets;
    PrivChunks chunks;
  };
  static const std::array<Default, 2> kDefaults = [] {
    sim::Credentials user;
    user.euid = 1;
    const sim::Credentials root;
    std::array<Default, 2> d{};
    for (std::size_t i = 0; i < d.size(); ++i) {
      d[i].sets = &EffectivePrivileges(i == 0 ? user : root);
      d[i].chunks = ChunksOf(*d[i].sets);
    }
    return d;
  }();
  for (const Default& d : kDefaults) {
    if (d.sets == &sets) return &d.chunks;
  }
  return nullptr;
}

}  // namespace

bool HasPrivilege(const sim::Credentials& creds, std::string_view name) {
  const sim::PrivilegeSets& sets = EffectivePrivileges(creds);
  // With a default's chunks at hand, a privilege illumos defines is one bit (PRIV_ISASSERT on
  // the effective set, and on the permitted one for root); otherwise the names are compared.
  const PrivChunks* chunks = DefaultChunks(sets);
  const auto n = PrivilegeNumber(name);
  if (chunks != nullptr && n) {
    const auto bit = [&](std::size_t set) {
      const std::size_t at = set * kPrivSetsize + static_cast<std::size_t>(*n) / 32;
      return ((*chunks)[at] & (1u << (31 - *n % 32))) != 0;
    };
    constexpr std::size_t kEffective = 0, kPermitted = 2;  // cred2prpriv()'s order
    return bit(kEffective) || (creds.euid == 0 && bit(kPermitted));
  }
  if (Lists(sets.effective, name)) return true;
  return creds.euid == 0 && Lists(sets.permitted, name);
}

std::vector<std::uint8_t> Cred2Ucred(const sim::CredentialSnapshot& peer,
                                     const sim::Credentials& reader) {
  const sim::Credentials& cr = peer.get();
  std::vector<sim::Gid> groups = cr.groups;
  std::sort(groups.begin(), groups.end());
  if (groups.size() > kNgroupsMax) groups.resize(kNgroupsMax);
  // ucredminsize(): the full size less the group slots not needed (one is always kept).
  const std::uint32_t ndiff =
      groups.empty() ? kNgroupsMax - 1 : kNgroupsMax - static_cast<std::uint32_t>(groups.size());
  const std::uint32_t size = KernelUcredSize() - ndiff * 4;
  std::vector<std::uint8_t> out(size, 0);
  // secpolicy_audit_getattr(rcr, B_TRUE): proc_audit or sys_audit, checked, not asserted.
  const bool audit = HasPrivilege(reader, "proc_audit") || HasPrivilege(reader, "sys_audit");
  Put32(out, kUcSize, size);
  Put32(out, kUcCredoff, static_cast<std::uint32_t>(kUcredCredOff));
  Put32(out, kUcPrivoff, static_cast<std::uint32_t>(kUcredPrivOff));
  Put32(out, kUcPid, static_cast<std::uint32_t>(peer.pid));
  Put32(out, kUcAudoff, audit ? static_cast<std::uint32_t>(kUcredAudOff) : 0);
  Put32(out, kUcZoneid, static_cast<std::uint32_t>(cr.zone_id));
  Put32(out, kUcProjid, static_cast<std::uint32_t>(cr.project_id));
  Put32(out, kUcLabeloff, 0);
  // cred2prpriv(): the four sets, then priv_getinfo()'s one record (os/priv.c): type
  // PRIV_INFO_FLAGS, its size, and the credential's flags CR_FLAGS(cr) (PRIV_AWARE,
  // PRIV_DEBUG, NET_MAC_AWARE ...), which ucred_getpflags() tests.
  std::uint64_t at = kUcredPrivOff;
  Put32(out, at, kPrivNsets);
  Put32(out, at + 4, kPrivSetsize);
  Put32(out, at + 8, kPrivInfosize);
  at += kPrprivHeader;
  const sim::PrivilegeSets& sets = EffectivePrivileges(cr);
  const PrivChunks* defaults = DefaultChunks(sets);
  for (const std::uint32_t chunk : defaults != nullptr ? *defaults : ChunksOf(sets)) {
    Put32(out, at, chunk);
    at += 4;
  }
  Put32(out, at, 1);  // PRIV_INFO_FLAGS
  Put32(out, at + 4, kPrivInfosize);
  Put32(out, at + 8, PrivFlagBits(cr.privileges.flags));
  if (audit) {
    // cred2ucaud(): at_port split into major and minor (64-bit dev_t: 32 bits each).
    const std::uint64_t a = kUcredAudOff;
    Put32(out, a + kAiAuid, cr.audit.audit_uid);
    Put32(out, a + kAiMask, cr.audit.mask_success);
    Put32(out, a + kAiMask + 4, cr.audit.mask_failure);
    Put32(out, a + kAiTermid, static_cast<std::uint32_t>(cr.audit.terminal_port >> 32));
    Put32(out, a + kAiTermid + 4, static_cast<std::uint32_t>(cr.audit.terminal_port));
    Put32(out, a + kAiTermid + 8, kAuIPv4);
    Put32(out, a + kAiTermid + 12, cr.audit.terminal_machine);
    Put32(out, a + kAiAsid, cr.audit.session_id);
  }
  // cred2prcred(): ids, then the groups (pr_groups[0] = 0 when there are none).
  const std::uint64_t c = kUcredCredOff;
  Put32(out, c, cr.euid);
  Put32(out, c + 4, cr.ruid);
  Put32(out, c + 8, cr.suid);
  Put32(out, c + 12, cr.egid);
  Put32(out, c + 16, cr.rgid);
  Put32(out, c + 20, cr.sgid);
  Put32(out, c + 24, static_cast<std::uint32_t>(groups.size()));
  for (std::size_t i = 0; i < groups.size(); ++i) Put32(out, c + kPrcredGroups + 4 * i, groups[i]);
  return out;
}

}  // namespace socksim::stack::illumos_abi
