// File: tests/tools/illumos_binding_test.cc
// The illumos personality's scenario binding (tools/personality/illumos/): its symbols from
// abi.def, sockaddr notation through the illumos codec, and its call table as the runner uses
// it: argument widths, results spelled as illumos' C functions return them (a number, a
// pointer in hex or NULL, `_` for void, errno only when the call set it, t_errno then errno
// for a TLI call), the ucred_t ** cell of getpeerucred, accessors refused on a pointer the
// process does not hold, the gid_t array of ucred_getgroups, struct strrecvfd, the TLI
// structures, and the process line options that fill the credentials a ucred_t reports.
#include <gtest/gtest.h>

#include "tools/personality/illumos/call_table.h"
#include "tools/personality/illumos/sockaddr_values.h"
#include "tools/personality/illumos/symbols.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/registry.h"
#include "tools/scenario/report.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/world_builder.h"

namespace socksim::tools {
namespace {

// ---- symbols ----

TEST(IllumosSymbols, NamesComeFromAbiDefWithIllumosNumbers) {
  struct Case {
    const char* name;
    std::optional<std::int64_t> value;
  };
  const Case cases[] = {
      {"AF_INET6", 26},
      {"AF_LOCAL", 1},
      {"SOCK_STREAM", 2},
      {"SOCK_DGRAM", 1},
      {"SOL_SOCKET", 0xffff},
      {"SO_ERROR", 0x1007},
      {"I_PUSH", 0x5302},
      {"I_RECVFD", 0x530e},
      {"T_COTS_ORD", 2},
      {"P_MYID", -1},
      {"AU_NOAUDITID", -2},
      {"PRIV_AWARE", 2},
      {"ENOTCONN", 134},
      {"ENOTSUP", 48},
      {"EOPNOTSUPP", 122},
      {"TSYSERR", 8},
      {"WSAENOTCONN", std::nullopt},
      {"SO_PEERCRED", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(illumos_symbols::Lookup(c.name), c.value);
  }
}

TEST(IllumosSymbols, PrintingPerKindAndErrorSpelling) {
  EXPECT_EQ(illumos_symbols::Family(26), "AF_INET6");
  EXPECT_EQ(illumos_symbols::Family(1), "AF_UNIX");  // never the alias
  EXPECT_EQ(illumos_symbols::Family(99), "99");
  EXPECT_EQ(illumos_symbols::SockType(2), "SOCK_STREAM");
  EXPECT_EQ(illumos_symbols::Protocol(6), "IPPROTO_TCP");
  EXPECT_EQ(illumos_symbols::ErrnoSymbol(134), "ENOTCONN");
  EXPECT_EQ(illumos_symbols::ErrnoText(9), "Bad file number");
  EXPECT_EQ(illumos_symbols::ErrnoSymbol(10057), "");
  EXPECT_EQ(illumos_symbols::TliErrorSymbol(6), "TOUTSTATE");
  EXPECT_EQ(illumos_symbols::TliErrorSymbol(999), "");
}

// ---- sockaddr values ----

Value ParseOne(const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << error;
  return v.value_or(Value{});
}

TEST(IllumosSockaddrValues, NotationBecomesIllumosBytesAndBack) {
  struct Case {
    const char* text;
    std::size_t size;
    std::uint8_t family;
  };
  const Case cases[] = {
      {"{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}", 16, 2},
      // sockaddr_in6 is 32 bytes on illumos (it ends with __sin6_src_id), AF_INET6 is 26.
      {"{sa_family=AF_INET6, sin6_port=htons(8080), sin6_flowinfo=htonl(0), "
       "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}",
       32, 26},
      {"{sa_family=AF_UNIX, sun_path=\"/tmp/s\"}", 9, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    const auto bytes = IllumosSockaddrBytes(ParseOne(c.text), &error);
    ASSERT_TRUE(bytes) << error;
    EXPECT_EQ(bytes->size(), c.size);
    EXPECT_EQ((*bytes)[0], c.family);
    EXPECT_EQ((*bytes)[1], 0);
    EXPECT_EQ(IllumosSockaddrValue(*bytes).ToString(), c.text);
  }
}

TEST(IllumosSockaddrValues, WhatIllumosCannotHold) {
  std::string error;
  EXPECT_FALSE(IllumosSockaddrBytes(ParseOne("{sa_family=AF_UNIX, sun_path=@\"x\"}"), &error));
  EXPECT_NE(error.find("no abstract AF_UNIX names"), std::string::npos) << error;
  EXPECT_FALSE(IllumosSockaddrBytes(
      ParseOne("{sa_family=AF_UNIX, sun_path=\"" + std::string(109, 'p') + "\"}"), &error));
  EXPECT_EQ(error, "sun_path is 109 bytes, more than sun_path holds (108)");
  // Linux's AF_INET6 number is no illumos family the notation decodes.
  EXPECT_FALSE(IllumosSockaddrBytes(
      ParseOne("{sa_family=10, sin6_port=htons(1), inet_pton(AF_INET6, \"::1\", &sin6_addr)}"),
      &error));
}

// ---- the call table on its own ----

TEST(IllumosCallTable, ExpectedResultsWrittenAsSymbolsBecomeNumbers) {
  IllumosCallTable table(nullptr);
  struct Case {
    const char* call;
    const char* text;
    std::int64_t value;  // as the canonicalized outcome holds it
  };
  const Case cases[] = {
      {"ucred_getlabel", "NULL", 0},
      {"ucred_getauid", "AU_NOAUDITID", -2},
      {"ucred_geteuid", "0xffffffff", -1},        // a uid_t's bit pattern
      {"ucred_get", "0xffffffff", 0xffffffffLL},  // a pointer is 64 bits wide
      {"ucred_get", "0x100000010", 0x100000010LL},
      {"socket", "3", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.call) + " = " + c.text);
    const ParseResult parsed =
        ParseScenario(std::string("300 ") + c.call + "() = " + c.text + "\n", "o.scn");
    ASSERT_TRUE(parsed.ok());
    Outcome o = *parsed.scenario.lines.at(0).call.outcome;
    std::string error;
    ASSERT_TRUE(table.CanonicalizeExpectedOutcome(c.call, o, &error)) << error;
    EXPECT_EQ(o.value, c.value);
    EXPECT_EQ(o.value_text, c.text);  // the spelling stays for reports
  }
  Outcome unknown;
  unknown.value_text = "SOCKET_ERROR";
  std::string error;
  EXPECT_FALSE(table.CanonicalizeExpectedOutcome("getpeername", unknown, &error));
  EXPECT_NE(error.find("unknown result 'SOCKET_ERROR'"), std::string::npos) << error;
}

TEST(IllumosCallTable, PointerCellsCompareWhateverTheParserMadeOfThem) {
  // [0x100000010] parses as a value-result, [$uc] (a capture, substituted later) as a list.
  IllumosCallTable table(nullptr);
  std::vector<Value> literal = {ParseOne("[0x100000010]")};
  Value substituted = ParseOne("[$uc]");
  substituted.items[0] = ParseOne("0x100000010");
  std::vector<Value> captured = {substituted};
  table.CanonicalizeExpected(literal);
  table.CanonicalizeExpected(captured);
  EXPECT_TRUE(literal[0].SameAs(captured[0]))
      << literal[0].ToString() << " vs " << captured[0].ToString();
}

TEST(IllumosCallTable, EveryDesignedCallIsKnown) {
  const std::vector<std::string> names = IllumosCallTable::KnownCalls();
  const char* const kDesigned[] = {
      "getpeerucred",    "ucred_get",        "ucred_free",      "ucred_size",     "ucred_geteuid",
      "ucred_getgroups", "ucred_getprivset", "ucred_getpflags", "ucred_getlabel", "ucred_getamask",
      "ucred_getatid",   "ucred_getauid",    "ucred_getasid",   "pipe",           "mkfifo",
      "fattach",         "fdetach",          "ioctl",           "open",           "socket",
      "sendmsg",         "recvmsg",          "accept",          "fork",           "setuid"};
  for (const char* name : kDesigned) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  const PersonalityEntry* entry = FindPersonality("illumos");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->call_names(), names);
}

// ---- the call table through the runner ----

constexpr const char* kIllumosHeader =
    "personality illumos\n"
    "host a\n"
    "process 300 host=a uid=1000 gid=10 groups=20,10\n";

ScenarioResult RunIllumos(const std::string& body, const std::string& header = kIllumosHeader) {
  const ParseResult parsed = ParseScenario(header + body, "i.scn");
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return RunScenario(parsed.scenario);
}

constexpr const char* kPair = "300 socketpair(AF_UNIX, SOCK_STREAM, 0, [$a, $b]) = 0\n";

TEST(IllumosRun, GetpeerucredCellHoldsNullBeforeAndThePointerAfter) {
  const ScenarioResult r = RunIllumos(std::string(kPair) +
                                      "300 getpeerucred($a, [NULL => $uc]) = 0\n"
                                      "300 ucred_geteuid($uc) = 1000\n"
                                      "300 ucred_getpid($uc) = 300\n"
                                      // Reuse: the same pointer in, unchanged after a success.
                                      "300 getpeerucred($b, [$uc]) = 0\n"
                                      // A failure leaves the cell alone: before = after = NULL.
                                      "300 getpeerucred(99, [NULL]) = -1 EBADF (Bad file number)\n"
                                      "300 getpeerucred(99, [NULL => NULL]) = -1 EBADF\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 7);
  EXPECT_NE(r.trace.find("getpeerucred(3, [NULL => 0x"), std::string::npos) << r.trace;
  EXPECT_NE(r.trace.find("300 getpeerucred(99, [NULL]) = -1 EBADF (Bad file number)\n"),
            std::string::npos)
      << r.trace;
}

TEST(IllumosRun, AWrongCellIsADivergence) {
  const ScenarioResult r = RunIllumos(std::string(kPair) +
                                      "300 getpeerucred($a, [NULL]) = 0\n"
                                      "300 getpeerucred(99, [NULL => $uc]) = 0\n");
  ASSERT_EQ(r.failed, 2) << FormatResult(r, true);
  EXPECT_NE(r.verdicts[0].message.find("written back"), std::string::npos) << r.verdicts[0].message;
  EXPECT_EQ(r.verdicts[1].message, "return value differs");
}

TEST(IllumosRun, AccessorResultsAsIllumosReturnsThem) {
  const ScenarioResult r =
      RunIllumos(std::string(kPair) +
                 "300 getpeerucred($a, [NULL => $uc]) = 0\n"
                 // No label outside Trusted Extensions: NULL with EINVAL.
                 "300 ucred_getlabel($uc) = NULL EINVAL (Invalid argument)\n"
                 // No audit section for an unprivileged reader: AU_NOAUDITID, errno untouched.
                 "300 ucred_getauid($uc) = -2\n"
                 "300 ucred_getauid($uc) = AU_NOAUDITID\n"
                 "300 ucred_getasid($uc) = -1\n"
                 "300 ucred_getamask($uc) = NULL EINVAL\n"
                 // The supplementary groups, sorted, as the array *groups points to.
                 "300 ucred_getgroups($uc, [NULL => [10, 20]]) = 2\n"
                 "300 ucred_getprivset($uc, \"Effective\") = $set\n"
                 "300 ucred_getprivset($uc, \"Bogus\") = NULL EINVAL\n"
                 "300 ucred_free($uc) = _\n"
                 "300 ucred_free(NULL) = _\n"
                 "300 ucred_get(P_MYID) = $me\n"
                 "300 ucred_geteuid($me) = 1000\n"
                 "300 ucred_getegid($me) = 10\n"
                 "300 ucred_size() = $size\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_NE(r.trace.find("300 ucred_getauid(0x"), std::string::npos) << r.trace;
  EXPECT_NE(r.trace.find(") = -2\n"), std::string::npos) << r.trace;  // no errno printed
  EXPECT_NE(r.trace.find("300 ucred_free(0x"), std::string::npos) << r.trace;
}

TEST(IllumosRun, AccessorOnAPointerTheProcessDoesNotHoldIsAnErrorOfTheLine) {
  const ScenarioResult r =
      RunIllumos(std::string(kPair) +
                 "300 ucred_geteuid(0xdead0000) = -1\n"
                 "300 getpeerucred($a, [NULL => $uc]) = 0\n"
                 "300 ucred_free($uc) = _\n"
                 "300 ucred_geteuid($uc) = 1000\n"   // freed
                 "300 ucred_free($uc) = _\n"         // a double free
                 "300 getpeerucred($a, NULL) = 0\n"  // ucred_t ** NULL: a crash, not an errno
                 "300 getpeerucred($a, [0xdead0000]) = -1 EFAULT (Bad address)\n");
  ASSERT_EQ(r.errors, 4) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 4);
  EXPECT_NE(r.verdicts[0].message.find("0xdead0000 is not a ucred_t process 300 holds"),
            std::string::npos)
      << r.verdicts[0].message;
  EXPECT_NE(r.verdicts[1].message.find("is not a ucred_t process 300 holds"), std::string::npos);
  EXPECT_NE(r.verdicts[3].message.find("NULL crashes the process"), std::string::npos)
      << r.verdicts[3].message;
}

TEST(IllumosRun, ArgumentsHaveIllumosWidths) {
  const ScenarioResult r = RunIllumos(
      "300 socket(AF_INET, SOCK_STREAM, 0x100000006) = _\n"
      "300 setuid(0x100000000) = _\n"
      "300 getpeerucred(0x100000003, [NULL]) = _\n"
      "300 socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "300 getpeerucred(3, [NULL]) = -1 ENOTCONN (Transport endpoint is not connected)\n");
  ASSERT_EQ(r.errors, 3) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.verdicts[0].message, "4294967302 does not fit the 32-bit argument 3 of socket");
  EXPECT_EQ(r.verdicts[1].message, "4294967296 does not fit the 32-bit argument 1 of setuid");
}

TEST(IllumosRun, PipesAndConnldAsTheNotationWritesThem) {
  const ScenarioResult r = RunIllumos(
      "300 pipe([$r, $w]) = 0\n"
      "300 getpeerucred($r, [NULL]) = -1 ENOTSUP (Operation not supported)\n"
      // fattach needs an existing name to cover.
      "300 open(\"/tmp/svc\", O_RDWR|O_CREAT, 0666) = $f\n"
      "300 close($f) = 0\n"
      "300 pipe([$sr, $sw]) = 0\n"
      "300 fattach($sw, \"/tmp/svc\") = 0\n"
      "300 ioctl($sw, I_PUSH, \"connld\") = 0\n"
      // The opener waits until the server has taken its end.
      "301 open(\"/tmp/svc\", O_RDWR <unfinished ...>\n"
      "300 ioctl($sr, I_RECVFD, {fd=$got, uid=1001, gid=11}) = 0\n"
      "301 <... open resumed>) = $c\n"
      "300 getpeerucred($got, [NULL => $uc]) = 0\n"
      "300 ucred_geteuid($uc) = 1001\n"
      "300 ucred_getpid($uc) = 301\n"
      "301 getpeerucred($c, [NULL]) = -1 ENOTSUP\n",
      std::string(kIllumosHeader) + "process 301 host=a uid=1001 gid=11\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(IllumosRun, DescriptorsPassedBySendmsgAndISendfd) {
  const ScenarioResult r = RunIllumos(
      std::string(kPair) +
      "300 pipe([$r, $w]) = 0\n"
      // An LP64 msghdr; a cmsghdr of 12 bytes, so one descriptor makes cmsg_len 16.
      "300 sendmsg($a, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"F\", iov_len=1}], "
      "msg_iovlen=1, msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
      "cmsg_data=[$r]}], msg_controllen=16, msg_flags=0}, 0) = 1\n"
      "300 recvmsg($b, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"F\", iov_len=4}], "
      "msg_iovlen=1, msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
      "cmsg_data=[$got]}], msg_controllen=16, msg_flags=0}, 0) = 1\n"
      "300 getpeerucred($got, [NULL]) = -1 ENOTSUP (Operation not supported)\n"
      "300 ioctl($w, I_SENDFD, $a) = 0\n"
      "300 ioctl($r, I_RECVFD, _) = 0\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_NE(r.trace.find("cmsg_data=[7]}], msg_controllen=16, msg_flags=0}, 0) = 1\n"),
            std::string::npos)
      << r.trace;
  EXPECT_NE(r.trace.find("I_RECVFD, {fd=8, uid=1000, gid=10}) = 0\n"), std::string::npos)
      << r.trace;
}

TEST(IllumosRun, TliStructuresAndErrorSpelling) {
  const ScenarioResult r = RunIllumos(
      // t_errno, then for TSYSERR the errno with its text.
      "300 t_open(\"/dev/nosuch\", O_RDWR, NULL) = -1 TSYSERR ENOENT (No such file or "
      "directory)\n"
      "300 t_open(\"/dev/ticotsord\", O_RDWR, {servtype=T_COTS_ORD}) = $l\n"
      "300 t_bind($l, {addr=\"svc\", qlen=1}, NULL) = 0\n"
      "300 t_bind($l, NULL, NULL) = -1 TOUTSTATE\n"
      "300 t_open(\"/dev/ticotsord\", O_RDWR, NULL) = $r\n"
      "300 t_bind($r, NULL, NULL) = 0\n"
      "301 t_open(\"/dev/ticotsord\", O_RDWR, NULL) = $c\n"
      "301 t_bind($c, NULL, NULL) = 0\n"
      "301 t_connect($c, {addr=\"svc\"}, NULL <unfinished ...>\n"
      // t_listen fills call->sequence, which t_accept reads.
      "300 t_listen($l, {sequence=$seq}) = 0\n"
      "300 t_accept($l, $r, {sequence=$seq}) = 0\n"
      "301 <... t_connect resumed>) = 0\n"
      "301 getpeerucred($c, [NULL => $uc]) = 0\n"
      "301 ucred_getpid($uc) = 300\n"
      "301 t_sndrel($c) = 0\n"
      "301 getpeerucred($c, [NULL]) = -1 ENOTCONN (Transport endpoint is not connected)\n"
      "300 t_close($r) = 0\n",
      std::string(kIllumosHeader) + "process 301 host=a uid=1001 gid=11\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  EXPECT_NE(r.trace.find("t_listen(3, {sequence=1}) = 0\n"), std::string::npos) << r.trace;
  // Only the members the line names are printed back.
  EXPECT_NE(r.trace.find("O_RDWR, {servtype=T_COTS_ORD}) = 3\n"), std::string::npos) << r.trace;
}

TEST(IllumosRun, TOpenInfoAndTListenAddressAreChecked) {
  const ScenarioResult r = RunIllumos(
      "300 t_open(\"/dev/ticlts\", O_RDWR, {servtype=T_COTS}) = $u\n"
      "300 t_open(\"/dev/ticotsord\", O_RDWR, _) = $l\n"
      "300 t_bind($l, {addr=\"svc\", qlen=1}, NULL) = 0\n"
      "301 t_open(\"/dev/ticotsord\", O_RDWR|O_NONBLOCK, NULL) = $c\n"
      "301 t_bind($c, {addr=\"cli\", qlen=0}, NULL) = 0\n"
      "301 t_connect($c, {addr=\"svc\"}, NULL) = -1 TNODATA\n"
      "300 t_listen($l, {addr=\"xyz\", sequence=_}) = 0\n",
      std::string(kIllumosHeader) + "process 301 host=a uid=1001 gid=11\n");
  ASSERT_EQ(r.failed, 2) << FormatResult(r, true);
  EXPECT_NE(r.verdicts[0].message.find("servtype: expected T_COTS, got T_CLTS"), std::string::npos)
      << r.verdicts[0].message;
  EXPECT_NE(r.verdicts[1].message.find("addr"), std::string::npos) << r.verdicts[1].message;
  // `_` prints every member t_open filled (tl: T_INFINITE everywhere; flags left as it was).
  EXPECT_NE(r.trace.find("{addr=-1, options=-1, tsdu=-1, etsdu=-1, connect=-1, discon=-1, "
                         "servtype=T_COTS_ORD, flags="),
            std::string::npos)
      << r.trace;
  EXPECT_NE(r.trace.find("t_listen(4, {addr=\"cli\", sequence=1}) = 0\n"), std::string::npos)
      << r.trace;
}

TEST(IllumosRun, ADivergenceExplainsWhatLiesUnderTheDescriptor) {
  const ScenarioResult r = RunIllumos(
      "300 t_open(\"/dev/ticotsord\", O_RDWR, NULL) = $t\n"
      "300 t_bind($t, NULL, NULL) = 0\n"
      "300 getpeerucred($t, [NULL]) = -1 EINVAL\n"
      "300 open(\"/tmp\", O_RDONLY) = $d\n"
      "300 getpeerucred($d, [NULL]) = -1 EINVAL\n"
      "300 open(\"/dev/null\", O_RDWR) = $n\n"
      "300 getpeerucred($n, [NULL]) = -1 EINVAL\n");
  ASSERT_EQ(r.failed, 3) << FormatResult(r, true);
  const std::vector<std::string> why = {"fd 3: /dev/ticotsord modules=timod T_IDLE",
                                        "fd 4: directory /tmp", "fd 5: /dev/null (no stream head)"};
  for (std::size_t k = 0; k < why.size(); ++k) {
    ASSERT_EQ(r.verdicts[k].why.size(), 1u);
    EXPECT_EQ(r.verdicts[k].why[0], why[k]);
  }
}

TEST(IllumosRun, FileAndDirectoryLinesMakeNamesBeforeTheFirstProcess) {
  const ScenarioResult r = RunIllumos(
      "300 open(\"/tmp/svc\", O_RDWR) = $f\n"
      "300 getpeerucred($f, [NULL]) = -1 ENOTSUP (Operation not supported)\n"
      "300 pipe([$r, $w]) = 0\n"
      "300 fattach($w, \"/tmp/svc\") = 0\n"
      "300 open(\"/var/run\", O_RDONLY) = $d\n"
      "300 getpeerucred($d, [NULL]) = -1 ENOTSUP\n",
      "personality illumos\nhost a\nfile a /tmp/svc\ndirectory a /var/run\n"
      "process 300 host=a uid=1000 gid=10\n");
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
  struct Case {
    const char* line;
    const char* message;
  };
  const Case bad[] = {
      {"file a svc", "file takes a host and an absolute path: file a /tmp/svc"},
      {"directory b /var", "directory: no host named 'b' before the first process line"},
      {"directory a /tmp", "directory: /tmp exists already on a"},
  };
  for (const Case& c : bad) {
    SCOPED_TRACE(c.line);
    const ScenarioResult e =
        RunIllumos("300 getpid() = 300\n", std::string("personality illumos\nhost a\n") + c.line +
                                               "\nprocess 300 host=a\n");
    ASSERT_FALSE(e.ok());
    ASSERT_FALSE(e.verdicts.empty());
    EXPECT_EQ(e.verdicts[0].message, c.message);
  }
}

TEST(IllumosRun, SetgroupsTakesAGidList) {
  const ScenarioResult r = RunIllumos(
      "300 setgroups(2, [30, 20]) = 0\n"
      "300 ucred_get(P_MYID) = $me\n"
      "300 ucred_getgroups($me, [NULL => [20, 30]]) = 2\n"
      "300 setgroups(1, [0x100000000]) = 0\n"
      "301 setgroups(1, [5]) = -1 EPERM (Not owner)\n",
      "personality illumos\nhost a\nprocess 300 host=a uid=0 gid=0\n"
      "process 301 host=a uid=1001 gid=11\n");
  ASSERT_EQ(r.errors, 1) << FormatResult(r, true);
  EXPECT_EQ(r.passed, 4);
  EXPECT_EQ(r.verdicts[0].message, "4294967296 does not fit a 32-bit gid_t");
}

constexpr const char* kRichProcess =
    "personality illumos\n"
    "host a\n"
    "process 300 host=a uid=1000 gid=10 groups=20,10 zone=5 project=7 "
    "privs=proc_audit,basic lprivs=all pflags=PRIV_DEBUG,PRIV_AWARE auid=4242 asid=77 "
    "amask=0x3,0x1 atid=0x1234,0x7f000001 label=ADMIN_LOW\n";

TEST(IllumosWorld, ProcessOptionsFillTheCredentials) {
  const ParseResult parsed = ParseScenario(kRichProcess, "w.scn");
  ASSERT_TRUE(parsed.ok());
  ScenarioWorld world(parsed.scenario, std::nullopt);
  ASSERT_TRUE(world.errors().empty()) << world.errors()[0].message;
  const sim::Process* p = world.world().FindProcess(300);
  ASSERT_NE(p, nullptr);
  const sim::Credentials& c = p->credentials();
  const std::vector<std::string> privs = {"basic", "proc_audit"};  // sorted
  EXPECT_EQ(c.privileges.effective, privs);
  EXPECT_EQ(c.privileges.inheritable, privs);
  EXPECT_EQ(c.privileges.permitted, privs);
  EXPECT_EQ(c.privileges.limit, std::vector<std::string>{"all"});
  EXPECT_EQ(c.privileges.flags, (std::vector<std::string>{"PRIV_AWARE", "PRIV_DEBUG"}));
  EXPECT_EQ(c.audit.audit_uid, 4242u);
  EXPECT_EQ(c.audit.session_id, 77u);
  EXPECT_EQ(c.audit.mask_success, 3u);
  EXPECT_EQ(c.audit.mask_failure, 1u);
  EXPECT_EQ(c.audit.terminal_port, 0x1234u);
  EXPECT_EQ(c.audit.terminal_machine, 0x7f000001u);
  EXPECT_EQ(c.label, "ADMIN_LOW");
  EXPECT_EQ(c.zone_id, 5);
  EXPECT_EQ(c.project_id, 7);
}

TEST(IllumosRun, TheOptionsReachAUcredT) {
  const ScenarioResult r = RunIllumos(
      "300 ucred_get(P_MYID) = $me\n"
      "300 ucred_getzoneid($me) = 5\n"
      "300 ucred_getprojid($me) = 7\n"
      // proc_audit in the effective set makes the audit section visible to this reader.
      "300 ucred_getauid($me) = 4242\n"
      "300 ucred_getasid($me) = 77\n"
      "300 ucred_getgroups($me, [NULL => [10, 20]]) = 2\n",
      kRichProcess);
  EXPECT_TRUE(r.ok()) << FormatResult(r, true);
}

TEST(IllumosRun, MalformedProcessOptionsAreErrorsOfTheHeader) {
  struct Case {
    const char* option;
    const char* message;
  };
  const Case cases[] = {
      {"privs=net-privaddr", "'privs' needs privilege names"},
      {"eprivs=a,,b", "'eprivs' needs privilege names"},
      {"pflags=PRIV-AWARE", "'pflags' needs flag names"},
      {"auid=x", "'auid' needs a 32-bit number, found 'x'"},
      {"amask=1", "'amask' needs two numbers SUCCESS,FAILURE"},
      {"atid=1,0x100000000", "'atid' needs two numbers PORT,MACHINE"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.option);
    const ScenarioResult r = RunIllumos(
        "300 getpid() = 300\n",
        std::string("personality illumos\nhost a\nprocess 300 host=a ") + c.option + "\n");
    ASSERT_FALSE(r.ok());
    ASSERT_FALSE(r.verdicts.empty());
    EXPECT_NE(r.verdicts[0].message.find(c.message), std::string::npos) << r.verdicts[0].message;
  }
}

}  // namespace
}  // namespace socksim::tools
