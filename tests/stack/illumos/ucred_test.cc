// File: tests/stack/illumos/ucred_test.cc
// The ucred_t bytes and the libc accessors (reference (c); ILL-8): what each returns when its
// section is present and when it is absent, the audit section's visibility rule, zones shown
// unmasked, ucred_get's permission and lookup errors, ucred_size.
#include "tests/stack/illumos/illumos_fixture.h"

namespace socksim::testing {
namespace {

class IllumosUcred : public IllumosFixture {
 public:
  /// A ucred_t of process 100 as `reader` (100 itself by default) gets it from ucred_get.
  sim::UserAddress Self(sim::Thread& t) {
    const CallResult r = os_.UcredGet(t, kPMyid);
    EXPECT_TRUE(r.succeeded()) << Describe(r);
    return static_cast<sim::UserAddress>(r.value);
  }
};

TEST_F(IllumosUcred, LayoutMatchesUcredSAndTheKernelsMinimalSize) {
  const sim::UserAddress uc = Self(A());
  // struct ucred_s: uc_size, uc_credoff, uc_privoff, uc_pid, uc_audoff, uc_zoneid, uc_projid,
  // uc_labeloff; two groups make 240 - (16 - 2) * 4 = 184 bytes.
  EXPECT_EQ(ReadU32(A(), uc + kUcSize), 184u);
  EXPECT_EQ(ReadU32(A(), uc + kUcCredoff), 148u);
  EXPECT_EQ(ReadU32(A(), uc + kUcPrivoff), 32u);
  EXPECT_EQ(ReadU32(A(), uc + kUcPid), 100u);
  EXPECT_EQ(ReadU32(A(), uc + kUcAudoff), 0u);  // no proc_audit: no audit section
  EXPECT_EQ(ReadU32(A(), uc + kUcZoneid), 0u);
  EXPECT_EQ(ReadU32(A(), uc + kUcProjid), 3u);
  EXPECT_EQ(ReadU32(A(), uc + kUcLabeloff), 0u);
  // prcred_t: euid ruid suid egid rgid sgid ngroups groups (sorted: crsetgroups()).
  const Bytes cred = Read(A(), uc + 148, 36);
  const Bytes expected = {0xe8, 3, 0,  0, 0xe8, 3, 0, 0, 0xe8, 3, 0,  0, 10, 0, 0,  0, 10, 0,
                          0,    0, 10, 0, 0,    0, 2, 0, 0,    0, 10, 0, 0,  0, 20, 0, 0,  0};
  EXPECT_EQ(cred, expected);
  // prpriv_t header: 4 sets of 3 chunks, 12 bytes of info.
  EXPECT_EQ(ReadU32(A(), uc + 32), 4u);
  EXPECT_EQ(ReadU32(A(), uc + 36), 3u);
  EXPECT_EQ(ReadU32(A(), uc + 40), 12u);
}

TEST_F(IllumosUcred, UcredSizeIsLibcsMaximum) {
  EXPECT_EQ(os_.UcredSize(A()), CallResult::Success(276));
  EXPECT_EQ(LibcUcredSize(), 276u);
  EXPECT_EQ(KernelUcredSize(), 240u);
}

TEST_F(IllumosUcred, Ill08IdAccessorsReadTheCredSection) {
  sim::Credentials c;
  c.ruid = 1;
  c.euid = 2;
  c.suid = 3;
  c.rgid = 4;
  c.egid = 5;
  c.sgid = 6;
  c.project_id = 7;
  a_->set_credentials(c);
  const sim::UserAddress uc = Self(A());
  EXPECT_EQ(os_.UcredGetruid(A(), uc), CallResult::Success(1));
  EXPECT_EQ(os_.UcredGeteuid(A(), uc), CallResult::Success(2));
  EXPECT_EQ(os_.UcredGetsuid(A(), uc), CallResult::Success(3));
  EXPECT_EQ(os_.UcredGetrgid(A(), uc), CallResult::Success(4));
  EXPECT_EQ(os_.UcredGetegid(A(), uc), CallResult::Success(5));
  EXPECT_EQ(os_.UcredGetsgid(A(), uc), CallResult::Success(6));
  EXPECT_EQ(os_.UcredGetprojid(A(), uc), CallResult::Success(7));
  EXPECT_EQ(os_.UcredGetpid(A(), uc), CallResult::Success(100));
}

TEST_F(IllumosUcred, Ill08GroupsPointIntoTheUcred) {
  const sim::UserAddress uc = Self(A());
  const auto cell = U64(A(), 0x1234);
  EXPECT_EQ(os_.UcredGetgroups(A(), uc, cell), CallResult::Success(2));
  const std::uint64_t array = ReadU64(A(), cell);
  EXPECT_EQ(array, uc + 148 + 28);
  EXPECT_EQ(ReadU32(A(), array), 10u);
  EXPECT_EQ(ReadU32(A(), array + 4), 20u);
  // No groups: count 0 and NULL.
  a_->set_credentials(sim::Credentials::Of(5, 5));
  const sim::UserAddress bare = Self(A());
  EXPECT_EQ(ReadU32(A(), bare + kUcSize), 180u);  // one slot is always kept
  EXPECT_EQ(os_.UcredGetgroups(A(), bare, cell), CallResult::Success(0));
  EXPECT_EQ(ReadU64(A(), cell), 0u);
}

TEST_F(IllumosUcred, Ill08AbsentCredSectionIsMinusOneEinval) {
  // A ucred_t whose cred and priv sections are absent (a remote labeled peer's shape, row
  // 36): every id accessor is (uid_t)-1 with EINVAL, the sets NULL with EINVAL.
  const sim::UserAddress uc = Self(A());
  ASSERT_TRUE(a_->memory().WriteU32(uc + kUcCredoff, 0));
  ASSERT_TRUE(a_->memory().WriteU32(uc + kUcPrivoff, 0));
  ASSERT_TRUE(a_->memory().WriteU32(uc + kUcPid, 0xffffffffu));
  ASSERT_TRUE(a_->memory().WriteU32(uc + kUcZoneid, 0xffffffffu));
  ASSERT_TRUE(a_->memory().WriteU32(uc + kUcProjid, 0xffffffffu));
  for (const CallResult r :
       {os_.UcredGeteuid(A(), uc), os_.UcredGetruid(A(), uc), os_.UcredGetsuid(A(), uc),
        os_.UcredGetegid(A(), uc), os_.UcredGetrgid(A(), uc), os_.UcredGetsgid(A(), uc),
        os_.UcredGetpid(A(), uc), os_.UcredGetzoneid(A(), uc), os_.UcredGetprojid(A(), uc),
        os_.UcredGetgroups(A(), uc, U64(A(), 0)), os_.UcredGetpflags(A(), uc, kPrivAware)}) {
    EXPECT_EQ(r, CallResult::Failure(-1, kEINVAL)) << Describe(r);
  }
  EXPECT_EQ(os_.UcredGetprivset(A(), uc, "Effective"), CallResult::Failure(0, kEINVAL));
}

TEST_F(IllumosUcred, Ill08PrivilegeSetsAndFlags) {
  sim::Credentials c = sim::Credentials::Of(1000, 10);
  c.privileges.effective = {"proc_fork", "net_access"};
  c.privileges.permitted = {"proc_fork", "net_access", "proc_exec"};
  a_->set_credentials(c);
  const sim::UserAddress uc = Self(A());
  const CallResult e = os_.UcredGetprivset(A(), uc, "Effective");
  ASSERT_TRUE(e.succeeded());
  EXPECT_EQ(static_cast<sim::UserAddress>(e.value), uc + 32 + 12);
  // net_access is 26, proc_fork 38 (priv_const.h): bit 31 - 26 of chunk 0, 31 - 6 of chunk 1.
  EXPECT_EQ(ReadU32(A(), uc + 44), 1u << 5);
  EXPECT_EQ(ReadU32(A(), uc + 48), 1u << 25);
  // Case-insensitive, optional priv_ prefix (__priv_getsetbyname); unknown names fail.
  EXPECT_EQ(os_.UcredGetprivset(A(), uc, "priv_permitted").value,
            static_cast<std::int64_t>(uc + 32 + 12 + 2 * 12));
  EXPECT_EQ(os_.UcredGetprivset(A(), uc, "LIMIT").value,
            static_cast<std::int64_t>(uc + 32 + 12 + 3 * 12));
  EXPECT_EQ(os_.UcredGetprivset(A(), uc, "Basic"), CallResult::Failure(0, kEINVAL));
  EXPECT_EQ(os_.UcredGetpflags(A(), uc, kPrivAware), CallResult::Success(0));
  EXPECT_EQ(os_.UcredGetpflags(A(), uc, kPrivDebug), CallResult::Success(0));
}

// os/priv.c priv_getinfo(): the PRIV_INFO_FLAGS record carries CR_FLAGS(cr);
// ucred_getpflags() tests one bit of it.
TEST_F(IllumosUcred, Ill08PflagsReportTheCredentialsFlags) {
  sim::Credentials c = sim::Credentials::Of(1000, 10);
  c.privileges.flags = {"NET_MAC_AWARE", "PRIV_AWARE"};
  a_->set_credentials(c);
  const sim::UserAddress uc = Self(A());
  EXPECT_EQ(os_.UcredGetpflags(A(), uc, kPrivAware), CallResult::Success(1));
  EXPECT_EQ(os_.UcredGetpflags(A(), uc, kNetMacAware), CallResult::Success(1));
  EXPECT_EQ(os_.UcredGetpflags(A(), uc, kPrivDebug), CallResult::Success(0));
  // The record after the four 12-byte sets: type 1, size 12, the flag bits.
  const sim::UserAddress info = uc + 32 + 12 + 4 * 12;
  EXPECT_EQ(ReadU32(A(), info), 1u);
  EXPECT_EQ(ReadU32(A(), info + 8), static_cast<std::uint32_t>(kPrivAware | kNetMacAware));
}

TEST_F(IllumosUcred, UnspecifiedPrivilegesAreALoginsDefaults) {
  // No privileges named: E = I = P = basic, L = all (85 privileges: 32 + 32 + 21 bits).
  const sim::UserAddress uc = Self(A());
  // Basic: file_link_any 15, file_read 17, file_write 20, net_access 26 in chunk 0.
  const std::uint32_t basic0 = (1u << 16) | (1u << 14) | (1u << 11) | (1u << 5);
  EXPECT_EQ(ReadU32(A(), uc + 44), basic0);
  EXPECT_EQ(ReadU32(A(), uc + 44 + 12), basic0);       // Inheritable
  EXPECT_EQ(ReadU32(A(), uc + 44 + 36), 0xffffffffu);  // Limit
  EXPECT_EQ(ReadU32(A(), uc + 44 + 44), 0xfffff800u);
  // A root process without named privileges holds them all: audit data and other processes'
  // credentials are visible to it.
  a_->set_credentials(sim::Credentials::Of(0, 0));
  const sim::UserAddress root = Self(A());
  EXPECT_EQ(ReadU32(A(), root + 44), 0xffffffffu);
  EXPECT_EQ(ReadU32(A(), root + kUcAudoff), 104u);
  EXPECT_TRUE(os_.UcredGet(A(), 101).succeeded());
}

TEST_F(IllumosUcred, Ill08AuditAbsentForAnUnprivilegedReader) {
  const sim::UserAddress uc = Self(A());
  // ucred_getauid: AU_NOAUDITID and ucred_getasid: -1, both without touching errno.
  EXPECT_EQ(os_.UcredGetauid(A(), uc), CallResult::Success(kAuNoauditid));
  EXPECT_EQ(os_.UcredGetasid(A(), uc), CallResult::Success(-1));
  EXPECT_EQ(os_.Errno(A()), 0);
  EXPECT_EQ(os_.UcredGetatid(A(), uc), CallResult::Failure(0, kEINVAL));
  EXPECT_EQ(os_.UcredGetamask(A(), uc), CallResult::Failure(0, kEINVAL));
  EXPECT_EQ(os_.UcredGetlabel(A(), uc), CallResult::Failure(0, kEINVAL));
}

TEST_F(IllumosUcred, Ill08AuditVisibleWithProcAudit) {
  sim::Credentials c = sim::Credentials::Of(1000, 10);
  c.privileges.effective = {"proc_audit"};
  c.audit.audit_uid = 77;
  c.audit.session_id = 5;
  c.audit.mask_success = 0x10;
  c.audit.mask_failure = 0x20;
  a_->set_credentials(c);
  const sim::UserAddress uc = Self(A());
  EXPECT_EQ(ReadU32(A(), uc + kUcAudoff), 104u);
  EXPECT_EQ(os_.UcredGetauid(A(), uc), CallResult::Success(77));
  EXPECT_EQ(os_.UcredGetasid(A(), uc), CallResult::Success(5));
  const CallResult mask = os_.UcredGetamask(A(), uc);
  ASSERT_TRUE(mask.succeeded());
  EXPECT_EQ(ReadU32(A(), static_cast<sim::UserAddress>(mask.value)), 0x10u);
  EXPECT_EQ(ReadU32(A(), static_cast<sim::UserAddress>(mask.value) + 4), 0x20u);
  EXPECT_EQ(os_.UcredGetatid(A(), uc).value, static_cast<std::int64_t>(uc + 104 + 12));
}

TEST_F(IllumosUcred, AuditVisibilityIsTheReadersNotThePeers) {
  // The peer has proc_audit; the reader does not: no audit section (cred2ucred's rcr).
  sim::Credentials peer = sim::Credentials::Of(2000, 20);
  peer.privileges.effective = {"proc_audit"};
  a2_->set_credentials(peer);
  const Connection c = UnixConnection();
  const Peer p = PeerCred(A(), c.accepted);
  ASSERT_TRUE(p.result.succeeded());
  EXPECT_EQ(ReadU32(A(), p.uc + kUcAudoff), 0u);
  EXPECT_EQ(os_.UcredGetauid(A(), p.uc), CallResult::Success(kAuNoauditid));
}

TEST_F(IllumosUcred, ZonesAreNotMaskedAndRangeChecked) {
  sim::Credentials zoned = sim::Credentials::Of(2000, 20);
  zoned.zone_id = 5;
  a2_->set_credentials(zoned);
  const Connection c = UnixConnection();
  const Peer p = PeerCred(A(), c.accepted);
  ASSERT_TRUE(p.result.succeeded());
  EXPECT_EQ(os_.UcredGetzoneid(A(), p.uc), CallResult::Success(5));
  EXPECT_EQ(os_.UcredGetpid(A(), p.uc), CallResult::Success(101));
  ASSERT_TRUE(a_->memory().WriteU32(p.uc + kUcZoneid, 10000));
  EXPECT_EQ(os_.UcredGetzoneid(A(), p.uc), CallResult::Failure(-1, kEINVAL));
}

TEST_F(IllumosUcred, SetgroupsNeedsPrivilegeAndIsSortedAndCaptured) {
  const auto list = Place(A(), Bytes{30, 0, 0, 0, 5, 0, 0, 0});
  EXPECT_ERRNO(os_.Setgroups(A(), 2, list), kEPERM);
  EXPECT_ERRNO(os_.Setgroups(A(), 17, list), kEINVAL);
  a_->set_credentials(sim::Credentials::Of(0, 0));
  EXPECT_ERRNO(os_.Setgroups(A(), 2, 0xdead0000), kEFAULT);
  const auto sv = U64(A(), 0);
  ASSERT_TRUE(os_.Socketpair(A(), kAfUnix, kSockStream, 0, sv).succeeded());
  ASSERT_TRUE(os_.Setgroups(A(), 2, list).succeeded());
  const sim::UserAddress now = Self(A());
  const auto cell = U64(A(), 0);
  ASSERT_EQ(os_.UcredGetgroups(A(), now, cell), CallResult::Success(2));
  EXPECT_EQ(ReadU32(A(), ReadU64(A(), cell)), 5u);
  EXPECT_EQ(ReadU32(A(), ReadU64(A(), cell) + 4), 30u);
  // The pair recorded its creator before the change: no groups.
  const Peer p = PeerCred(A(), static_cast<Fd>(ReadU32(A(), sv)));
  ASSERT_TRUE(p.result.succeeded());
  EXPECT_EQ(os_.UcredGetgroups(A(), p.uc, cell), CallResult::Success(0));
}

TEST_F(IllumosUcred, UcredGetChecksPidAndPermission) {
  EXPECT_EQ(os_.UcredGet(A(), -5), CallResult::Failure(0, kEINVAL));
  EXPECT_EQ(os_.UcredGet(A(), 999), CallResult::Failure(0, kESRCH));
  EXPECT_EQ(os_.UcredGet(A(), 300), CallResult::Failure(0, kESRCH));  // another host
  EXPECT_EQ(os_.UcredGet(A(), 101), CallResult::Failure(0, kEACCES));
  const CallResult own = os_.UcredGet(A(), 100);
  ASSERT_TRUE(own.succeeded());
  EXPECT_EQ(os_.UcredGetpid(A(), static_cast<sim::UserAddress>(own.value)).value, 100);
  // proc_owner reads anyone's.
  sim::Credentials owner = sim::Credentials::Of(1000, 10);
  owner.privileges.effective = {"proc_owner"};
  a_->set_credentials(owner);
  const CallResult other = os_.UcredGet(A(), 101);
  ASSERT_TRUE(other.succeeded());
  EXPECT_EQ(os_.UcredGeteuid(A(), static_cast<sim::UserAddress>(other.value)).value, 2000);
  // A failed ucred_get frees its buffer; the heap holds only the two live ucred_ts.
  const auto* state = dynamic_cast<const IllumosProcess*>(a_->extension());
  EXPECT_EQ(state->heap.live_blocks(), 2u);
}

TEST_F(IllumosUcred, UcredGetAllocationFaultIsNullWithEnomem) {
  world_.faults().Arm(Heap::kFaultEnomem, sim::FaultRule{});
  EXPECT_EQ(os_.UcredGet(A(), kPMyid), CallResult::Failure(0, kENOMEM));
}

TEST_F(IllumosUcred, HeapPlacementIsDeterministic) {
  const sim::UserAddress first = Self(A());
  const sim::UserAddress second = Self(A());
  EXPECT_EQ(first, Heap::kBase);
  EXPECT_EQ(second, Heap::kBase + 288);  // 276 rounded up to 16
  EXPECT_TRUE(os_.HoldsUcred(*a_, second));
  EXPECT_FALSE(os_.HoldsUcred(*a_, second + 4));
  EXPECT_FALSE(os_.HoldsUcred(*a2_, second));
}

}  // namespace
}  // namespace socksim::testing
