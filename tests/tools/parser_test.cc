// File: tests/tools/parser_test.cc
// The scenario parser: real strace output, the documented scenario format, diagnostics with
// exact positions, canonical printing of values, and robustness against truncated input.
#include "tools/scenario/parser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tools/scenario/ast.h"

namespace socksim::tools {
namespace {

std::string DataPath(const std::string& name) {
  return ((std::filesystem::path(SOCKSIM_SOURCE_DIR) / "tests/tools") / "data" / "parser" / name).string();
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::string Errors(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.ToString() + "\n";
  return out;
}

/// Parses one line; fails the test on a diagnostic.
Line ParseOne(const std::string& text, bool strace_mode = false) {
  ParseResult r = ParseScenario(text, "t.scn", ParseOptions{.strace_mode = strace_mode});
  EXPECT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.scenario.lines.size(), 1u) << text;
  if (r.scenario.lines.size() != 1) return Line{};
  return r.scenario.lines[0];
}

Value MustParseValue(const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << text << ": " << error;
  return v.value_or(Value{});
}

// ---- Real strace output ---------------------------------------------------------------

TEST(ParserStrace, EverySampleLineParses) {
  const auto lines = ReadLines(DataPath("strace_samples.trace"));
  ASSERT_GT(lines.size(), 70u);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    ParseResult r = ParseScenario(lines[i], "s.trace", ParseOptions{.strace_mode = true});
    EXPECT_TRUE(r.ok()) << Errors(r);
    EXPECT_EQ(r.scenario.lines.size(), 1u);
  }
}

TEST(ParserStrace, SampleFileParsesAsAWhole) {
  ParseResult r = ParseScenarioFile(DataPath("strace_samples.trace"), ParseOptions{.strace_mode = true});
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.scenario.lines.size(), ReadLines(DataPath("strace_samples.trace")).size() - 1);

  // The first line: pid, timestamp, decorated return value, duration.
  const CallLine& socket = r.scenario.lines[0].call;
  EXPECT_EQ(socket.pid, 9869);
  EXPECT_EQ(socket.name, "socket");
  EXPECT_EQ(socket.part, CallPart::kWhole);
  ASSERT_EQ(socket.args.size(), 3u);
  EXPECT_EQ(socket.args[1].ToString(), "SOCK_STREAM");
  ASSERT_TRUE(socket.outcome.has_value());
  EXPECT_EQ(socket.outcome->value, 3);
  EXPECT_EQ(socket.outcome->value_text, "3<TCP:[378100]>");
  EXPECT_EQ(socket.location.line, 2);
  EXPECT_EQ(socket.location.column, 23);
}

TEST(ParserStrace, DecoratedDescriptors) {
  Line l = ParseOne(
      "9875  18:12:57.768112 close(5<TCP:[127.0.0.1:43299->127.0.0.1:46122]>) = 0 <0.000022>");
  ASSERT_EQ(l.call.args.size(), 1u);
  const Value& fd = l.call.args[0];
  EXPECT_EQ(fd.kind, Value::Kind::kDecorated);
  EXPECT_EQ(fd.integer, 5);
  EXPECT_EQ(fd.text, "TCP:[127.0.0.1:43299->127.0.0.1:46122]");
  EXPECT_EQ(fd.location.column, 29);

  Line dn = ParseOne("1 getpeername(1</dev/null<char 1:3>>, 0x7ffc0000, [2]) = -1 ENOTSOCK");
  EXPECT_EQ(dn.call.args[0].text, "/dev/null<char 1:3>");
  Line un = ParseOne("1 listen(5<UNIX-STREAM:[388717,\"demo.sock\"]>, 1) = 0");
  EXPECT_EQ(un.call.args[0].text, "UNIX-STREAM:[388717,\"demo.sock\"]");
  Line v6 = ParseOne("1 close(3<UDPv6:[[::]:51386]>) = 0");
  EXPECT_EQ(v6.call.args[0].text, "UDPv6:[[::]:51386]");
}

TEST(ParserStrace, UnfinishedAndResumed) {
  Line u = ParseOne("9875  18:12:57.665785 accept(3<TCP:[127.0.0.1:43299]>,  <unfinished ...>");
  EXPECT_EQ(u.call.part, CallPart::kUnfinished);
  EXPECT_EQ(u.call.args.size(), 1u);
  EXPECT_FALSE(u.call.outcome.has_value());

  Line last = ParseOne("1 close(3 <unfinished ...>");
  EXPECT_EQ(last.call.part, CallPart::kUnfinished);
  EXPECT_EQ(last.call.args.size(), 1u);

  Line r = ParseOne(
      "9875  18:12:57.766897 <... accept resumed>{sa_family=AF_INET, sin_port=htons(46122), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 5<TCP:[127.0.0.1:43299->127.0.0.1:46122]> "
      "<0.101079>");
  EXPECT_EQ(r.call.part, CallPart::kResumed);
  EXPECT_EQ(r.call.name, "accept");
  ASSERT_EQ(r.call.args.size(), 2u);
  EXPECT_EQ(r.call.args[1].kind, Value::Kind::kValueResult);
  EXPECT_FALSE(r.call.args[1].has_out);
  EXPECT_EQ(r.call.outcome->value, 5);

  Line k = ParseOne("19664 <... accept resumed> <unfinished ...>) = ?");
  EXPECT_EQ(k.call.part, CallPart::kResumed);
  EXPECT_TRUE(k.call.args.empty());
  EXPECT_EQ(k.call.outcome->kind, Outcome::Kind::kUnknown);

  Line e = ParseOne("19664 <... close resumed>) = 0");
  EXPECT_EQ(e.call.part, CallPart::kResumed);
  EXPECT_TRUE(e.call.args.empty());
}

TEST(ParserStrace, ResumedLineMayStartWithTheOutPartOfTheLastArgument) {
  // strace splits clone3 inside its struct argument: the resumed line carries ` => out`.
  Line r = ParseOne("6     <... clone3 resumed> => {parent_tid=[8]}, 88) = 8");
  EXPECT_EQ(r.call.part, CallPart::kResumed);
  EXPECT_EQ(r.call.name, "clone3");
  EXPECT_TRUE(r.call.resumes_out);
  ASSERT_EQ(r.call.args.size(), 2u);
  EXPECT_EQ(r.call.args[0].kind, Value::Kind::kStruct);
  EXPECT_EQ(r.call.args[1].integer, 88);
  EXPECT_EQ(r.call.outcome->value, 8);

  Line plain = ParseOne("6     <... clone3 resumed>, 88) = 8");
  EXPECT_FALSE(plain.call.resumes_out);
}

TEST(ParserStrace, Results) {
  Line restart = ParseOne(
      "19664 <... accept resumed>0x7fffb944ea20, [16]) = ? ERESTARTSYS (To be restarted if "
      "SA_RESTART is set)");
  EXPECT_EQ(restart.call.outcome->kind, Outcome::Kind::kUnknown);
  EXPECT_EQ(restart.call.outcome->error_symbol, "ERESTARTSYS");
  EXPECT_EQ(restart.call.outcome->error_text, "To be restarted if SA_RESTART is set");

  Line fail = ParseOne("1 getpeername(4, 0x7fffef23f3b0, [128]) = -1 ENOTCONN (Transport endpoint is not connected)");
  EXPECT_EQ(fail.call.outcome->value, -1);
  EXPECT_EQ(fail.call.outcome->error_symbol, "ENOTCONN");
  EXPECT_EQ(fail.call.outcome->error_text, "Transport endpoint is not connected");
  EXPECT_EQ(fail.call.outcome->location.column, 43);
  EXPECT_EQ(fail.call.args[1].kind, Value::Kind::kInteger);
  EXPECT_EQ(fail.call.args[1].integer, 0x7fffef23f3b0);

  Line injected = ParseOne(
      "1 getpeername(3, 0x7ffc0000, [16]) = -1 ECONNRESET (Connection reset by peer) (INJECTED) <0.000010>");
  EXPECT_TRUE(injected.call.outcome->injected);
  EXPECT_EQ(injected.call.outcome->error_symbol, "ECONNRESET");

  Line hex = ParseOne("300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 0x100");
  EXPECT_EQ(hex.call.outcome->value, 256);
  EXPECT_EQ(hex.call.outcome->value_text, "0x100");

  Line wsa = ParseOne("300 getpeername(0x100, 0x7ffc0000, [16]) = SOCKET_ERROR WSAENOTCONN");
  EXPECT_EQ(wsa.call.outcome->value_text, "SOCKET_ERROR");
  EXPECT_EQ(wsa.call.outcome->error_symbol, "WSAENOTCONN");

  // A TLI call reports t_errno and, for TSYSERR, errno: two codes, one space apart.
  Line tli = ParseOne("300 t_rcvrel(3) = -1 TSYSERR ENOTCONN (Socket is not connected)");
  EXPECT_EQ(tli.call.outcome->error_symbol, "TSYSERR ENOTCONN");
  EXPECT_EQ(tli.call.outcome->error_text, "Socket is not connected");
  Line null = ParseOne("300 ucred_getlabel(0x100000010) = NULL EINVAL (Invalid argument)");
  EXPECT_EQ(null.call.outcome->value_text, "NULL");
  EXPECT_EQ(null.call.outcome->error_symbol, "EINVAL");

  Line any = ParseOne("100 getpeername(3, _, _) = _");
  EXPECT_EQ(any.call.outcome->kind, Outcome::Kind::kWildcard);
  EXPECT_EQ(any.call.args[1].kind, Value::Kind::kWildcard);

  Line padded = ParseOne("7463  close(3)                          = 0");
  EXPECT_EQ(padded.call.outcome->value, 0);

  Line timeout = ParseOne("1 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)", /*strace_mode=*/true);
  EXPECT_EQ(timeout.call.outcome->annotation, "Timeout");
  EXPECT_TRUE(timeout.call.outcome->error_text.empty());
}

TEST(ParserStrace, NamedArguments) {
  Line l = ParseOne(
      "9869  18:12:57.665465 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|"
      "SIGCHLD, child_tidptr=0x7f3174a73a10) = 9875 <0.000156>");
  ASSERT_EQ(l.call.args.size(), 3u);
  EXPECT_EQ(l.call.arg_names, (std::vector<std::string>{"child_stack", "flags", "child_tidptr"}));
  EXPECT_EQ(l.call.args[1].flags.size(), 3u);
  Line mixed = ParseOne("1 f(3, x=4) = 0");
  EXPECT_EQ(mixed.call.arg_names, (std::vector<std::string>{"", "x"}));
  Line plain = ParseOne("1 f(3, 4) = 0");
  EXPECT_TRUE(plain.call.arg_names.empty());
}

TEST(ParserStrace, Clone3UnbracketedValueResult) {
  Line l = ParseOne(
      "20745 clone3({flags=CLONE_VM|CLONE_FS|CLONE_THREAD, child_tid=0x7f69890eb990, "
      "exit_signal=0} => {parent_tid=[20789]}, 88) = 20789");
  ASSERT_EQ(l.call.args.size(), 2u);
  const Value& vr = l.call.args[0];
  EXPECT_EQ(vr.kind, Value::Kind::kValueResult);
  EXPECT_TRUE(vr.has_out);
  ASSERT_EQ(vr.items.size(), 2u);
  EXPECT_EQ(vr.items[0].fields[0].value.flags,
            (std::vector<std::string>{"CLONE_VM", "CLONE_FS", "CLONE_THREAD"}));
  EXPECT_EQ(vr.items[1].fields[0].name, "parent_tid");
  EXPECT_EQ(vr.ToString(),
            "{flags=CLONE_VM|CLONE_FS|CLONE_THREAD, child_tid=0x7f69890eb990, exit_signal=0} => "
            "{parent_tid=[20789]}");
}

TEST(ParserStrace, ProcessEvents) {
  Line exited = ParseOne("9875  18:12:57.768291 +++ exited with 3 +++");
  EXPECT_EQ(exited.kind, Line::Kind::kProcessEvent);
  EXPECT_EQ(exited.event().kind, ProcessEvent::Kind::kExited);
  EXPECT_EQ(exited.event().pid, 9875);
  EXPECT_EQ(exited.event().status, 3);

  Line killed = ParseOne("19664 +++ killed by SIGKILL +++");
  EXPECT_EQ(killed.event().kind, ProcessEvent::Kind::kKilled);
  EXPECT_EQ(killed.event().detail, "SIGKILL");

  Line sig = ParseOne("19664 --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=19663, si_uid=0} ---");
  EXPECT_EQ(sig.event().kind, ProcessEvent::Kind::kSignal);
  EXPECT_EQ(sig.event().detail, "SIGUSR1");

  Line attached = ParseOne("strace: Process 15537 attached");
  EXPECT_EQ(attached.event().kind, ProcessEvent::Kind::kAttached);
  EXPECT_EQ(attached.event().pid, 15537);
}

TEST(ParserStrace, PrefixesAndTimestamps) {
  Line bracket = ParseOne("[pid 15537] 1795371189.571843 accept(3,  <unfinished ...>");
  EXPECT_EQ(bracket.call.pid, 15537);
  Line plain = ParseOne("42 18:12:57 close(3) = 0");
  EXPECT_EQ(plain.call.pid, 42);

  Line bare = ParseOne("1795371189.569680 getpeername(4, 0x7ffc65d2d500, [128]) = -1 ENOTCONN", true);
  EXPECT_EQ(bare.call.pid, 0);
  Line hms = ParseOne("18:12:57.655630 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3", true);
  EXPECT_EQ(hms.call.pid, 0);
  Line none = ParseOne("close(3) = 0", true);
  EXPECT_EQ(none.call.pid, 0);
  Line link_call = ParseOne("link(\"a\", \"b\") = 0", true);
  EXPECT_EQ(link_call.kind, Line::Kind::kCall);
  Line bare_event = ParseOne("+++ exited with 0 +++", true);
  EXPECT_EQ(bare_event.event().pid, 0);

  Line colour = ParseOne("\x1b[1;32m100\x1b[0m close(\x1b[33m3\x1b[0m) = \x1b[31m0\x1b[0m");
  EXPECT_EQ(colour.call.pid, 100);
  EXPECT_EQ(colour.call.args[0].integer, 3);

  Line crlf = ParseOne("100 close(3) = 0\r");
  EXPECT_EQ(crlf.call.outcome->value, 0);
  Line commented = ParseOne("100 close(3) = 0  # the listener");
  EXPECT_EQ(commented.call.outcome->value, 0);
}

// ---- strace 6.1: every form, each from a real log line -------------------------------------

TEST(ParserStrace61, EverySampleLineIsReadAndPrintsBack) {
  const auto lines = ReadLines(DataPath("strace61_samples.trace"));
  ASSERT_GT(lines.size(), 150u);
  ParseResult r = ParseScenarioFile(DataPath("strace61_samples.trace"), ParseOptions{.strace_mode = true});
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.scenario.origin, ScenarioOrigin::kStrace);
  EXPECT_EQ(r.scenario.lines.size(), lines.size() - 1);
  for (const Line& l : r.scenario.lines) {
    ASSERT_NE(l.kind, Line::Kind::kUnreadable) << l.unreadable().text << "\n"
                                               << l.unreadable().message;
    if (l.kind != Line::Kind::kCall) continue;
    SCOPED_TRACE(l.call.text);
    // Every value prints in a notation that reads back as the same value.
    for (const Value& a : l.call.args) {
      std::string error;
      const auto back = ParseValue(a.ToString(), &error);
      ASSERT_TRUE(back.has_value()) << a.ToString() << ": " << error;
      EXPECT_TRUE(back->SameAs(a)) << a.ToString() << " vs " << back->ToString();
    }
  }
}

/// One form strace prints, in a real line, and what the parser must make of it.
struct FormCase {
  const char* id;  // CamelCase, names the test
  const char* line;
  void (*check)(const Line&);
};

void PrintTo(const FormCase& c, std::ostream* os) { *os << c.line; }

const Value& ArgOf(const Line& l, std::size_t i) {
  static const Value kNone;
  EXPECT_LT(i, l.call.args.size());
  return i < l.call.args.size() ? l.call.args[i] : kNone;
}

const Value* MemberOf(const Value& v, const std::string& name) {
  for (const auto& f : v.fields) {
    if (f.name == name) return &f.value;
  }
  ADD_FAILURE() << "no member " << name << " in " << v.ToString();
  return nullptr;
}

const FormCase kForms[] = {
    {"DecoratedAtFdcwd",
     "8294  04:49:56.524513 openat(AT_FDCWD</tmp/demo>, \"/etc/hosts\", O_RDONLY|O_CLOEXEC) = "
     "3</etc/hosts> <0.000071>",
     [](const Line& l) {
       const Value& dir = ArgOf(l, 0);
       EXPECT_EQ(dir.kind, Value::Kind::kSymbol);
       EXPECT_EQ(dir.text, "AT_FDCWD");
       EXPECT_EQ(dir.decoration, "/tmp/demo");
       EXPECT_EQ(dir.ToString(), "AT_FDCWD</tmp/demo>");
       EXPECT_EQ(l.call.outcome->value, 3);
       EXPECT_EQ(l.call.outcome->decoration, "/etc/hosts");
       EXPECT_EQ(l.call.outcome->value_text, "3</etc/hosts>");
     }},
    {"DecoratedSocketResult",
     "11498 04:52:03.866920 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 5<UDPv6:[9205012]> "
     "<0.000052>",
     [](const Line& l) { EXPECT_EQ(l.call.outcome->decoration, "UDPv6:[9205012]"); }},
    {"DeletedFile",
     "11498 04:52:03.870148 fcntl(6</tmp/demo/delme>(deleted), F_GETFL) = 0x8002 (flags "
     "O_RDWR|O_LARGEFILE) <0.000035>",
     [](const Line& l) {
       const Value& fd = ArgOf(l, 0);
       EXPECT_EQ(fd.kind, Value::Kind::kDecorated);
       EXPECT_EQ(fd.integer, 6);
       EXPECT_EQ(fd.decoration, "/tmp/demo/delme");
       EXPECT_TRUE(fd.deleted);
       EXPECT_EQ(fd.ToString(), "6</tmp/demo/delme>(deleted)");
       EXPECT_EQ(l.call.outcome->value, 0x8002);
       EXPECT_EQ(l.call.outcome->annotation, "flags O_RDWR|O_LARGEFILE");
       ASSERT_EQ(l.call.outcome->annotation_values.size(), 1u);
       EXPECT_EQ(l.call.outcome->annotation_values[0].name, "flags");
       EXPECT_EQ(l.call.outcome->annotation_values[0].value.flags,
                 (std::vector<std::string>{"O_RDWR", "O_LARGEFILE"}));
     }},
    {"WaitStatusExited",
     "11498 04:52:05.871217 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], "
     "WSTOPPED, NULL) = 11500 <1.799601>",
     [](const Line& l) {
       EXPECT_EQ(l.call.part, CallPart::kResumed);
       const Value& status = ArgOf(l, 0);
       ASSERT_EQ(status.kind, Value::Kind::kArray);
       ASSERT_EQ(status.items.size(), 1u);
       ASSERT_EQ(status.items[0].fields.size(), 1u);
       const Value& e = status.items[0].fields[0].value;
       ASSERT_EQ(e.kind, Value::Kind::kExpression);
       EXPECT_EQ(e.text, "&&");
       EXPECT_EQ(e.items[0].ToString(), "WIFEXITED(s)");
       ASSERT_EQ(e.items[1].kind, Value::Kind::kExpression);
       EXPECT_EQ(e.items[1].text, "==");
       EXPECT_EQ(e.items[1].items[1].integer, 0);
       EXPECT_EQ(status.ToString(), "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]");
       EXPECT_EQ(l.call.outcome->duration_ns, 1799601000);
     }},
    {"WaitStatusSignaled",
     "8294  04:49:56.698475 <... wait4 resumed>[{WIFSIGNALED(s) && WTERMSIG(s) == SIGPIPE}], 0, "
     "NULL) = 8337 <0.001733>",
     [](const Line& l) {
       const Value& e = ArgOf(l, 0).items.at(0).fields.at(0).value;
       EXPECT_EQ(e.items.at(1).items.at(1).text, "SIGPIPE");
     }},
    {"SignalSets",
     "8365  rt_sigprocmask(SIG_SETMASK, [INT TERM CHLD], ~[KILL STOP RTMIN RT_1], 8) = 0",
     [](const Line& l) {
       const Value& set = ArgOf(l, 1);
       ASSERT_EQ(set.kind, Value::Kind::kSet);
       EXPECT_FALSE(set.complement);
       ASSERT_EQ(set.items.size(), 3u);
       EXPECT_EQ(set.items[2].text, "CHLD");
       const Value& old = ArgOf(l, 2);
       EXPECT_EQ(old.kind, Value::Kind::kSet);
       EXPECT_TRUE(old.complement);
       EXPECT_EQ(old.items.size(), 4u);
       EXPECT_EQ(old.ToString(), "~[KILL STOP RTMIN RT_1]");
     }},
    {"EmptyComplementedSet",
     "11498 04:52:03.868893 rt_sigprocmask(SIG_BLOCK, ~[], [], 8) = 0 <0.000037>",
     [](const Line& l) {
       EXPECT_EQ(ArgOf(l, 1).kind, Value::Kind::kSet);
       EXPECT_TRUE(ArgOf(l, 1).complement);
       EXPECT_TRUE(ArgOf(l, 1).items.empty());
       EXPECT_EQ(ArgOf(l, 2).kind, Value::Kind::kArray);
     }},
    {"SigactionMaskAndFlags",
     "8344  04:49:57.034759 rt_sigaction(SIGCHLD, {sa_handler=0x56317f9e0dc0, "
     "sa_mask=~[RTMIN RT_1], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7faf3f1b4050}, "
     "NULL, 8) = 0 <0.000067>",
     [](const Line& l) {
       const Value& act = ArgOf(l, 1);
       EXPECT_EQ(MemberOf(act, "sa_handler")->integer, 0x56317f9e0dc0);
       EXPECT_TRUE(MemberOf(act, "sa_mask")->complement);
       EXPECT_EQ(MemberOf(act, "sa_flags")->flags,
                 (std::vector<std::string>{"SA_RESTORER", "SA_RESTART"}));
     }},
    {"RlimitProduct",
     "8352  04:49:57.108242 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, "
     "rlim_max=RLIM64_INFINITY}) = 0 <0.000074>",
     [](const Line& l) {
       const Value* cur = MemberOf(ArgOf(l, 3), "rlim_cur");
       ASSERT_NE(cur, nullptr);
       EXPECT_EQ(cur->kind, Value::Kind::kExpression);
       EXPECT_EQ(cur->text, "*");
       EXPECT_EQ(IntegerOf(*cur), 8192 * 1024);
       EXPECT_EQ(cur->ToString(), "8192*1024");
     }},
    {"Clone3",
     "11498 04:52:03.868976 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|"
     "CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, "
     "child_tid=0x7f806289d990, parent_tid=0x7f806289d990, exit_signal=0, stack=0x7f806209d000, "
     "stack_size=0x7fff80, tls=0x7f806289d6c0} => {parent_tid=[11499]}, 88) = 11499 <0.000064>",
     [](const Line& l) {
       const Value& vr = ArgOf(l, 0);
       ASSERT_EQ(vr.kind, Value::Kind::kValueResult);
       EXPECT_EQ(MemberOf(vr.items.at(0), "stack_size")->integer, 0x7fff80);
       EXPECT_EQ(vr.items.at(1).fields.at(0).name, "parent_tid");
     }},
    {"Clone3ExitSignal",
     "20745 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f0000001000, "
     "stack_size=0x9000}, 88) = 20746",
     [](const Line& l) { EXPECT_EQ(MemberOf(ArgOf(l, 0), "exit_signal")->text, "SIGCHLD"); }},
    {"MsghdrNameLengthInOut",
     "11498 04:52:03.866802 recvmsg(4<UNIX:[9205011->9205010]>, {msg_name=0x7ffd1b6e77c0, "
     "msg_namelen=110 => 0, msg_iov=[{iov_base=\"c\", iov_len=8}], msg_iovlen=1, "
     "msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, "
     "cmsg_data={pid=11498, uid=0, gid=0}}], msg_controllen=32, msg_flags=0}, 0) = 1 <0.000046>",
     [](const Line& l) {
       const Value& msg = ArgOf(l, 1);
       const Value* len = MemberOf(msg, "msg_namelen");
       ASSERT_NE(len, nullptr);
       EXPECT_EQ(len->kind, Value::Kind::kValueResult);
       EXPECT_EQ(len->items.at(0).integer, 110);
       EXPECT_EQ(len->items.at(1).integer, 0);
       const Value* control = MemberOf(msg, "msg_control");
       ASSERT_NE(control, nullptr);
       EXPECT_EQ(MemberOf(control->items.at(0), "cmsg_type")->text, "SCM_CREDENTIALS");
     }},
    {"MsghdrWithoutControl",
     "sendmsg(4<TCP:[127.0.0.1:52550->127.0.0.1:8080]>, {msg_name=NULL, msg_namelen=0, "
     "msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\", iov_len=2}], msg_iovlen=2, "
     "msg_controllen=0, msg_flags=0}, 0 <unfinished ...>",
     [](const Line& l) {
       EXPECT_EQ(l.call.part, CallPart::kUnfinished);
       EXPECT_EQ(l.call.pid, 0);
       EXPECT_EQ(MemberOf(ArgOf(l, 1), "msg_iov")->items.size(), 2u);
     }},
    {"ScmRights",
     "8294  04:49:56.690101 sendmsg(5<UNIX-STREAM:[9193159->9193160]>, {msg_name=NULL, "
     "msg_namelen=0, msg_iov=[{iov_base=\"F\", iov_len=1}], msg_iovlen=1, "
     "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
     "cmsg_data=[0</dev/null<char 1:3>>]}], msg_controllen=24, msg_flags=0}, 0) = 1",
     [](const Line& l) {
       const Value* control = MemberOf(ArgOf(l, 1), "msg_control");
       ASSERT_NE(control, nullptr);
       const Value* fds = MemberOf(control->items.at(0), "cmsg_data");
       ASSERT_NE(fds, nullptr);
       EXPECT_EQ(fds->items.at(0).decoration, "/dev/null<char 1:3>");
     }},
    {"Mmsghdr",
     "11498 04:52:03.866379 sendmmsg(3<UNIX:[9205010->9205011]>, [{msg_hdr={msg_name=NULL, "
     "msg_namelen=0, msg_iov=[{iov_base=\"hello\", iov_len=5}], msg_iovlen=1, msg_controllen=0, "
     "msg_flags=0}, msg_len=5}, {msg_hdr={msg_name=NULL, msg_namelen=0, "
     "msg_iov=[{iov_base=\"world!\", iov_len=6}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, "
     "msg_len=6}], 2, 0) = 2 <0.000047>",
     [](const Line& l) {
       const Value& v = ArgOf(l, 1);
       ASSERT_EQ(v.items.size(), 2u);
       EXPECT_EQ(MemberOf(v.items[1], "msg_len")->integer, 6);
     }},
    {"SelectSetsAndResult",
     "8422  pselect6(6, [0</etc/hostname> 5<socket:[9193254]>], [1 5], [], {tv_sec=1, "
     "tv_nsec=0}, NULL) = 3 (in [0], out [1 5], left {tv_sec=0, tv_nsec=999998177})",
     [](const Line& l) {
       const Value& in = ArgOf(l, 1);
       ASSERT_EQ(in.kind, Value::Kind::kSet);
       EXPECT_EQ(in.items.at(1).integer, 5);
       EXPECT_EQ(in.items.at(1).decoration, "socket:[9193254]");
       const Outcome& o = *l.call.outcome;
       EXPECT_EQ(o.value, 3);
       EXPECT_TRUE(o.error_text.empty());
       EXPECT_EQ(o.annotation, "in [0], out [1 5], left {tv_sec=0, tv_nsec=999998177}");
       ASSERT_EQ(o.annotation_values.size(), 3u);
       EXPECT_EQ(o.annotation_values[0].name, "in");
       EXPECT_EQ(o.annotation_values[0].value.kind, Value::Kind::kValueResult);
       EXPECT_EQ(o.annotation_values[1].value.kind, Value::Kind::kSet);
       EXPECT_EQ(o.annotation_values[2].name, "left");
       EXPECT_EQ(MemberOf(o.annotation_values[2].value, "tv_nsec")->integer, 999998177);
     }},
    {"SelectTimeout",
     "11498 04:52:03.867542 pselect6(6, [5<UDPv6:[[::1]:33294]>], NULL, NULL, {tv_sec=0, "
     "tv_nsec=100000}, NULL) = 0 (Timeout) <0.000223>",
     [](const Line& l) {
       const Outcome& o = *l.call.outcome;
       EXPECT_EQ(o.annotation, "Timeout");
       ASSERT_EQ(o.annotation_values.size(), 1u);
       EXPECT_TRUE(o.annotation_values[0].name.empty());
       EXPECT_EQ(o.annotation_values[0].value.text, "Timeout");
       EXPECT_EQ(o.duration_ns, 223000);
     }},
    {"SelectLeft",
     "8294  04:49:56.690950 <... pselect6 resumed>) = 1 (out [3], left {tv_sec=0, tv_usec=99}) "
     "<0.000033>",
     [](const Line& l) { EXPECT_EQ(l.call.outcome->annotation_values.at(1).name, "left"); }},
    {"PollResult",
     "8294  04:49:56.691012 <... poll resumed>) = 1 ([{fd=4, revents=POLLIN}]) <0.000020>",
     [](const Line& l) {
       const Outcome& o = *l.call.outcome;
       ASSERT_EQ(o.annotation_values.size(), 1u);
       const Value& ready = o.annotation_values[0].value;
       EXPECT_EQ(ready.kind, Value::Kind::kArray);
       EXPECT_EQ(MemberOf(ready.items.at(0), "revents")->text, "POLLIN");
     }},
    {"EpollWait",
     "8294  04:49:56.691230 <... epoll_wait resumed>[{events=EPOLLIN, data={u32=4, u64=4}}], "
     "1023, 100) = 1 <0.000018>",
     [](const Line& l) {
       EXPECT_EQ(MemberOf(*MemberOf(ArgOf(l, 0).items.at(0), "data"), "u64")->integer, 4);
     }},
    {"TruncatedString",
     "11498 04:52:03.870050 write(6</tmp/demo/delme>(deleted), \"abcdefghijklmnop\"..., 36) = 36 "
     "<0.000048>",
     [](const Line& l) {
       EXPECT_EQ(ArgOf(l, 1).kind, Value::Kind::kString);
       EXPECT_EQ(ArgOf(l, 1).text, "abcdefghijklmnop");
       EXPECT_TRUE(ArgOf(l, 1).truncated);
     }},
    {"StringEscapes",
     "11498 04:52:03.868181 getrandom(\"\\x2e\\x89\\x7c\\x50\\x9d\\x04\\x07\\x76\", 8, "
     "GRND_NONBLOCK) = 8 <0.000040>",
     [](const Line& l) {
       EXPECT_EQ(ArgOf(l, 0).text, std::string("\x2e\x89\x7c\x50\x9d\x04\x07\x76", 8));
       EXPECT_EQ(ArgOf(l, 2).text, "GRND_NONBLOCK");
     }},
    {"ExecveWithComment",
     "8346  04:49:57.039350 execve(\"/usr/bin/nc.openbsd\", [\"nc.openbsd\", \"-q\", \"0\"], "
     "0x563193dcfda8 /* 37 vars */) = 0 <0.000259>",
     [](const Line& l) {
       EXPECT_EQ(ArgOf(l, 1).items.size(), 3u);
       EXPECT_EQ(ArgOf(l, 2).integer, 0x563193dcfda8);
     }},
    {"StatWithEllipsis",
     "8294  04:49:56.524600 newfstatat(AT_FDCWD</tmp/demo>, \"/usr/lib/python3.11/os.py\", "
     "{st_mode=S_IFREG|0644, st_size=39504, ...}, 0) = 0 <0.000073>",
     [](const Line& l) {
       const Value& st = ArgOf(l, 2);
       EXPECT_EQ(MemberOf(st, "st_mode")->flags, (std::vector<std::string>{"S_IFREG", "0644"}));
       EXPECT_EQ(st.fields.back().value.kind, Value::Kind::kWildcard);
       EXPECT_EQ(st.fields.back().value.text, "...");
     }},
    {"Makedev",
     "8364  newfstatat(1, \"\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, "
     "AT_EMPTY_PATH) = 0",
     [](const Line& l) {
       const Value* rdev = MemberOf(ArgOf(l, 2), "st_rdev");
       ASSERT_NE(rdev, nullptr);
       EXPECT_EQ(rdev->kind, Value::Kind::kCall);
       EXPECT_EQ(rdev->items.at(1).integer, 3);
     }},
    {"Restarted",
     "11498 04:52:04.071568 wait4(11500, 0x7ffd1b6e75ac, WSTOPPED, NULL) = ? ERESTARTSYS (To be "
     "restarted if SA_RESTART is set) <0.000004>",
     [](const Line& l) {
       EXPECT_EQ(l.call.outcome->kind, Outcome::Kind::kUnknown);
       EXPECT_EQ(l.call.outcome->error_symbol, "ERESTARTSYS");
       EXPECT_TRUE(l.call.outcome->annotation.empty());
     }},
    {"Eagain",
     "8294  recvfrom(4, 0x7f5ac1e00000, 65536, 0, NULL, NULL) = -1 EAGAIN (Resource temporarily "
     "unavailable)",
     [](const Line& l) {
       EXPECT_EQ(l.call.outcome->error_text, "Resource temporarily unavailable");
     }},
    {"HexResult",
     "8294  04:49:56.027113 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, "
     "0) = 0x7f5ac2e9c000 <0.000048>",
     [](const Line& l) {
       EXPECT_EQ(l.call.outcome->value, 0x7f5ac2e9c000);
       EXPECT_EQ(l.call.outcome->value_text, "0x7f5ac2e9c000");
     }},
    {"Ioctl",
     "8365  ioctl(0, TCGETS, 0x7fffd3d4b000)  = -1 ENOTTY (Inappropriate ioctl for device)",
     [](const Line& l) { EXPECT_EQ(ArgOf(l, 1).text, "TCGETS"); }},
    {"IoctlWinsize",
     "8416  ioctl(1, TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0",
     [](const Line& l) { EXPECT_EQ(MemberOf(ArgOf(l, 2), "ws_col")->integer, 80); }},
    {"FcntlCloexec", "8365  fcntl(5, F_SETFD, FD_CLOEXEC)     = 0",
     [](const Line& l) { EXPECT_EQ(ArgOf(l, 2).text, "FD_CLOEXEC"); }},
    {"RestartSyscall",
     "11498 04:52:03.971383 restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0 "
     "<0.100038>",
     [](const Line& l) {
       const Value& note = ArgOf(l, 0);
       EXPECT_EQ(note.kind, Value::Kind::kNote);
       EXPECT_EQ(note.text, "resuming interrupted clock_nanosleep");
       EXPECT_EQ(note.ToString(), "<... resuming interrupted clock_nanosleep ...>");
     }},
    {"RestartSyscallUnfinished",
     "11500 04:52:04.071607 restart_syscall(<... resuming interrupted clock_nanosleep ...> "
     "<unfinished ...>",
     [](const Line& l) {
       EXPECT_EQ(l.call.part, CallPart::kUnfinished);
       EXPECT_EQ(ArgOf(l, 0).kind, Value::Kind::kNote);
     }},
    {"TimestampAndDuration", "8344  04:49:57.037929 close(3) = 0 <0.000079>",
     [](const Line& l) {
       ASSERT_TRUE(l.timestamp.has_value());
       EXPECT_EQ(l.timestamp->text, "04:49:57.037929");
       EXPECT_EQ(l.timestamp->ns, ((4 * 60 + 49) * 60 + 57) * 1000000000LL + 37929000);
       EXPECT_EQ(l.call.outcome->duration_ns, 79000);
     }},
    {"EpochTimestamp", "[pid 15537] 1795371189.571843 close(3) = 0",
     [](const Line& l) {
       EXPECT_EQ(l.call.pid, 15537);
       EXPECT_EQ(l.timestamp->ns, 1795371189571843000);
     }},
    {"NoTimestamp", "8364  close(3) = 0",
     [](const Line& l) {
       EXPECT_FALSE(l.timestamp.has_value());
       EXPECT_FALSE(l.call.outcome->duration_ns.has_value());
     }},
    {"FfFileLine",
     "04:49:57.150756 fcntl(11</tmp/demo/run.out>, F_SETFD, FD_CLOEXEC) = 0 <0.000049>",
     [](const Line& l) {
       EXPECT_EQ(l.call.pid, 0);
       EXPECT_EQ(l.timestamp->text, "04:49:57.150756");
     }},
    {"Exited", "11499 04:52:03.869560 +++ exited with 0 +++",
     [](const Line& l) {
       EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kExited);
       EXPECT_EQ(l.event().status, 0);
       EXPECT_TRUE(l.timestamp.has_value());
     }},
    {"KilledBySigpipe", "8337  04:49:56.698427 +++ killed by SIGPIPE +++",
     [](const Line& l) {
       EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kKilled);
       EXPECT_EQ(l.event().detail, "SIGPIPE");
       EXPECT_FALSE(l.event().core_dumped);
     }},
    {"KilledCoreDumped", "11576 +++ killed by SIGSEGV (core dumped) +++",
     [](const Line& l) { EXPECT_TRUE(l.event().core_dumped); }},
    {"SignalWithInfo",
     "11498 04:52:03.971342 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=11500, "
     "si_uid=0, si_status=SIGSTOP, si_utime=0, si_stime=0} ---",
     [](const Line& l) {
       EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kSignal);
       EXPECT_EQ(l.event().detail, "SIGCHLD");
       ASSERT_NE(l.event().info, nullptr);
       EXPECT_EQ(MemberOf(*l.event().info, "si_pid")->integer, 11500);
     }},
    {"StoppedBy", "11500 04:52:03.971276 --- stopped by SIGSTOP ---",
     [](const Line& l) {
       EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kStopped);
       EXPECT_EQ(l.event().detail, "SIGSTOP");
       EXPECT_EQ(l.event().pid, 11500);
     }},
    {"Attached", "strace: Process 8345 attached",
     [](const Line& l) { EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kAttached); }},
    {"Detached", "strace: Process 8345 detached",
     [](const Line& l) {
       EXPECT_EQ(l.event().kind, ProcessEvent::Kind::kDetached);
       EXPECT_EQ(l.event().pid, 8345);
     }},
    {"PtraceStopStatus",
     "1 wait4(-1, [{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}], __WALL, NULL) = 2",
     [](const Line& l) {
       const Value& e = ArgOf(l, 1).items.at(0).fields.at(0).value;
       EXPECT_EQ(e.text, "&&");
       const Value& cmp = e.items.at(1);
       EXPECT_EQ(cmp.text, "==");
       EXPECT_EQ(cmp.items.at(1).text, "|");
     }},
    {"ShiftOperand", "1 setrlimit(RLIMIT_NOFILE, {rlim_cur=1<<20, rlim_max=1<<20}) = 0",
     [](const Line& l) { EXPECT_EQ(IntegerOf(*MemberOf(ArgOf(l, 1), "rlim_cur")), 1 << 20); }},
};

class ParserStraceForms : public ::testing::TestWithParam<FormCase> {};

TEST_P(ParserStraceForms, ReadsAsDocumented) {
  const FormCase& c = GetParam();
  SCOPED_TRACE(c.line);
  c.check(ParseOne(c.line, /*strace_mode=*/true));
}

INSTANTIATE_TEST_SUITE_P(RealLines, ParserStraceForms, ::testing::ValuesIn(kForms),
                         [](const ::testing::TestParamInfo<FormCase>& info) {
                           return std::string(info.param.id);
                         });

// ---- Unreadable lines -------------------------------------------------------------------------

/// A line strace mode cannot read, and what must still be known of it.
struct UnreadableCase {
  const char* id;
  const char* line;
  std::int32_t pid;
  const char* name;
  CallPart part;
  int column;
};

void PrintTo(const UnreadableCase& c, std::ostream* os) { *os << c.line; }

const UnreadableCase kUnreadable[] = {
    {"BrokenArgument", "12 socket(AF_INET,", 12, "socket", CallPart::kWhole, 19},
    {"BrokenUnfinished", "12 04:49:57.037929 wait4(-1, {{{ <unfinished ...>", 12, "wait4",
     CallPart::kUnfinished, 34},
    {"BrokenResumed", "[pid 77] <... wait4 resumed>[{WIFEXITED(s) &&}], 0, NULL) = 3", 77,
     "wait4", CallPart::kResumed, 46},
    {"ResumedOutPartMissing", "6 <... clone3 resumed> => ) = 8", 6, "clone3",
     CallPart::kResumed, 27},
    {"NoCallAtAll", "\x01\x02 ]]]", 0, "", CallPart::kWhole, 1},
    {"UnknownStraceMessage", "strace: [ Process PID=9 runs in 32 bit mode. ]", 0, "",
     CallPart::kWhole, 1},
    {"UnknownEvent", "9 +++ superseded by execve in pid 10 +++", 9, "", CallPart::kWhole, 7},
};

class ParserUnreadable : public ::testing::TestWithParam<UnreadableCase> {};

TEST_P(ParserUnreadable, KeptInStraceModeRejectedInAScenario) {
  const UnreadableCase& c = GetParam();
  const std::string text = std::string(c.line) + "\n7 close(3) = 0\n";
  // In a log: the file is read, the bad line kept as what could be read of it.
  ParseResult log = ParseScenario(text, "x.log", ParseOptions{.strace_mode = true});
  ASSERT_TRUE(log.ok()) << Errors(log);
  ASSERT_EQ(log.scenario.lines.size(), 2u);
  const Line& l = log.scenario.lines[0];
  ASSERT_EQ(l.kind, Line::Kind::kUnreadable);
  EXPECT_EQ(l.unreadable().pid, c.pid);
  EXPECT_EQ(l.unreadable().name, c.name);
  EXPECT_EQ(l.unreadable().part, c.part);
  EXPECT_EQ(l.unreadable().location.ToString(), "x.log:1:" + std::to_string(c.column));
  EXPECT_FALSE(l.unreadable().message.empty());
  EXPECT_EQ(l.unreadable().text, c.line);
  EXPECT_EQ(log.scenario.lines[1].kind, Line::Kind::kCall);
  // In a scenario: the same line is an error at the same place, as before.
  ParseResult scn = ParseScenario(text, "x.scn");
  ASSERT_EQ(scn.errors.size(), 1u);
  EXPECT_EQ(scn.errors[0].location.column, c.column);
}

INSTANTIATE_TEST_SUITE_P(Lines, ParserUnreadable, ::testing::ValuesIn(kUnreadable),
                         [](const ::testing::TestParamInfo<UnreadableCase>& info) {
                           return std::string(info.param.id);
                         });

TEST(ParserUnreadableLine, KeepsItsTimestamp) {
  ParseResult r = ParseScenario("5 04:49:57.037929 f(((\n", "t.log", ParseOptions{.strace_mode = true});
  ASSERT_EQ(r.scenario.lines.size(), 1u);
  ASSERT_TRUE(r.scenario.lines[0].timestamp.has_value());
  EXPECT_EQ(r.scenario.lines[0].timestamp->text, "04:49:57.037929");
}

TEST(ParserStrace61, NewFormsAreAcceptedInScenariosButAnnotationsAreNot) {
  // Values strace prints are values everywhere; a result's commentary is strace's only.
  ParseResult ok = ParseScenario("7 rt_sigprocmask(SIG_BLOCK, ~[INT TERM], NULL, 8) = 0\n", "t.scn");
  EXPECT_TRUE(ok.ok()) << Errors(ok);
  EXPECT_EQ(ok.scenario.origin, ScenarioOrigin::kWritten);
  ParseResult bad = ParseScenario("7 poll([{fd=3, events=POLLIN}], 1, 0) = 0 (Timeout)\n", "t.scn");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].location.column, 43);
}

// ---- The documented scenario format ----------------------------------------------------

TEST(ParserScenario, DocExample) {
  ParseResult r = ParseScenarioFile(DataPath("getpeername_tcp.scn"));
  ASSERT_TRUE(r.ok()) << Errors(r);
  const Scenario& s = r.scenario;
  EXPECT_EQ(s.description,
            (std::vector<std::string>{
                "what: getpeername on a connected TCP socket reports the server (LNX-1, LNX-13)",
                "source: net/ipv4/af_inet.c inet_getname"}));
  ASSERT_EQ(s.lines.size(), 12u);
  EXPECT_EQ(s.lines[0].kind, Line::Kind::kDirective);
  EXPECT_EQ(s.lines[0].directive().keyword, "personality");
  EXPECT_EQ(s.lines[0].directive().words, (std::vector<std::string>{"linux"}));
  const Directive& link = s.lines[3].directive();
  EXPECT_EQ(link.keyword, "link");
  EXPECT_EQ(link.words, (std::vector<std::string>{"a", "b"}));
  ASSERT_NE(link.Find("latency"), nullptr);
  EXPECT_EQ(link.Find("latency")->value, "1ms");
  EXPECT_EQ(link.Find("b")->value, "10.0.0.2/24");
  EXPECT_EQ(link.Find("b")->location.column, 36);
  EXPECT_EQ(link.Find("nope"), nullptr);

  const CallLine& bind = s.lines[7].call;
  EXPECT_EQ(bind.pid, 200);
  EXPECT_EQ(bind.name, "bind");
  EXPECT_EQ(bind.location.line, 11);
  ASSERT_EQ(bind.args.size(), 3u);
  const Value& addr = bind.args[1];
  ASSERT_EQ(addr.kind, Value::Kind::kStruct);
  ASSERT_EQ(addr.fields.size(), 3u);
  EXPECT_EQ(addr.fields[1].name, "sin_port");
  EXPECT_EQ(addr.fields[1].value.kind, Value::Kind::kCall);
  EXPECT_EQ(addr.fields[1].value.text, "htons");
  EXPECT_EQ(addr.fields[1].value.items[0].integer, 80);
  EXPECT_EQ(addr.fields[2].value.items[0].text, "10.0.0.2");
  EXPECT_EQ(addr.ToString(),
            "{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}");

  const CallLine& gp = s.lines[11].call;
  const Value& len = gp.args[2];
  EXPECT_EQ(len.kind, Value::Kind::kValueResult);
  EXPECT_TRUE(len.has_out);
  EXPECT_EQ(len.items[0].integer, 128);
  EXPECT_EQ(len.items[1].integer, 16);
  EXPECT_EQ(len.ToString(), "[128 => 16]");
  EXPECT_EQ(gp.text,
            "100 getpeername(3, {sa_family=AF_INET, sin_port=htons(80), "
            "sin_addr=inet_addr(\"10.0.0.2\")}, [128 => 16]) = 0");
}

TEST(ParserScenario, EveryDirective) {
  ParseResult r = ParseScenarioFile(DataPath("directives.scn"));
  ASSERT_TRUE(r.ok()) << Errors(r);
  const auto& lines = r.scenario.lines;
  std::vector<std::string> keywords;
  for (const auto& l : lines) {
    ASSERT_EQ(l.kind, Line::Kind::kDirective);
    keywords.push_back(l.directive().keyword);
  }
  EXPECT_EQ(keywords, (std::vector<std::string>{"personality", "kernel", "seed", "host", "router",
                                                "link", "graph", "process", "fd", "fd", "advance",
                                                "settle", "link-down", "link-up", "fault"}));
  EXPECT_EQ(lines[1].directive().words, (std::vector<std::string>{"6.18"}));
  EXPECT_EQ(lines[5].directive().Find("a")->value, "10.0.0.1/24,fd00::1/64");
  EXPECT_EQ(lines[6].directive().words, (std::vector<std::string>{"nets/two hosts.dot"}));
  const Directive& process = lines[7].directive();
  EXPECT_EQ(process.words, (std::vector<std::string>{"100"}));
  EXPECT_EQ(process.Find("name")->value, "web server");
  EXPECT_EQ(process.Find("groups")->value, "1,2");
  EXPECT_EQ(process.options.size(), 7u);
  EXPECT_EQ(lines[9].directive().Find("path")->value, "/etc/hosts");
  EXPECT_EQ(lines[10].directive().words, (std::vector<std::string>{"1500ms"}));
  EXPECT_TRUE(lines[11].directive().words.empty());
  const Directive& fault = lines[14].directive();
  EXPECT_EQ(fault.words, (std::vector<std::string>{"linux.getpeername.nobufs"}));
  EXPECT_EQ(fault.Find("times")->value, "forever");
  EXPECT_EQ(fault.Find("chance")->value, "1/2");
  EXPECT_EQ(fault.location.line, 17);
  EXPECT_EQ(fault.text, "fault linux.getpeername.nobufs skip=1 times=forever chance=1/2");
}

TEST(ParserScenario, OtherPersonalitiesAndAnnotations) {
  ParseResult r = ParseScenarioFile(DataPath("personalities.scn"));
  ASSERT_TRUE(r.ok()) << Errors(r);
  const auto& lines = r.scenario.lines;
  ASSERT_EQ(lines.size(), 14u);
  EXPECT_EQ(lines[2].call.args[1].fields[1].value.text, "...");
  EXPECT_EQ(lines[6].call.args[3].ToString(), "[0 => WSAENOTCONN]");
  EXPECT_EQ(lines[10].call.args[1].kind, Value::Kind::kValueResult);
  const CallLine& ro = lines[11].call;
  EXPECT_EQ(ro.args[1].annotation, "ro");
  EXPECT_EQ(ro.args[1].kind, Value::Kind::kInteger);
  EXPECT_EQ(ro.args[2].annotation, "ro");
  EXPECT_EQ(ro.args[2].kind, Value::Kind::kValueResult);
  EXPECT_EQ(ro.args[2].ToString(), "ro:[128]");
  EXPECT_EQ(lines[12].call.args[1].annotation, "end");
  EXPECT_EQ(lines[12].call.args[2].items[0].kind, Value::Kind::kWildcard);
  EXPECT_EQ(lines[13].call.args[1].fields[1].value.items[0].kind, Value::Kind::kWildcard);
}

// ---- Diagnostics ------------------------------------------------------------------------

struct BadCase {
  const char* text;
  bool strace_mode;
  int line;
  int column;
  const char* message;  // substring of the message
};

const BadCase kBad[] = {
    {"hots a", false, 1, 1, "unknown directive 'hots'"},
    {"  hots a", false, 1, 3, "unknown directive 'hots'"},
    {"# what: x\nhost a\n\nfrob x", false, 4, 1, "unknown directive 'frob'"},
    {"100 bind(3, {sa_family=AF_INET}}, 16) = 0", false, 1, 32,
     "expected ',' or ')' after argument, found '}'"},
    {"100 bind(3, {sa_family=AF_INET, 16) = 0", false, 1, 35,
     "expected ',' or '}' after structure member, found ')'"},
    {"100 bind(3, [1, 2) = 0", false, 1, 18, "expected ',' or ']' after array item, found ')'"},
    {"100 bind(3, [1, 2", false, 1, 13, "unbalanced '['"},
    {"100 bind(3, {a=1", false, 1, 13, "unbalanced '{'"},
    {"100 listen(3, 8)", false, 1, 17, "missing '= RESULT'"},
    {"100 listen(3, 8) 0", false, 1, 18, "expected '=' and a result after ')', found '0'"},
    {"100 listen(3, 8) =", false, 1, 19, "missing result after '='"},
    {"100 listen(3, 8) = 0 extra", false, 1, 22, "unexpected 'extra' after the result"},
    {"100 listen(3, 8) = -1 ENOTCONN extra", false, 1, 32, "unexpected 'extra' after the result"},
    {"100 listen(3, 8) = 0,", false, 1, 21, "unexpected ',' after the result"},
    {"100 listen(3, 8) = 0 (Timeout)", false, 1, 22, "error text needs an error name"},
    {"100 listen(3, 8) = -1 EBADF (Bad", false, 1, 29, "unbalanced '('"},
    {"100 listen(3, 8) = 0 <0.1x>", false, 1, 23, "bad duration"},
    {"100 write(3, \"abc, 3) = 3", false, 1, 14, "unterminated string"},
    {"100 write(3, \"a\\qb\", 3) = 3", false, 1, 16, "unknown escape '\\q'"},
    {"100 write(3, \"\\400\", 3) = 3", false, 1, 15, "octal escape out of range"},
    {"100 close(0x) = 0", false, 1, 11, "bad integer '0x'"},
    {"100 close(12ab) = 0", false, 1, 11, "bad integer '12ab'"},
    {"100 close(1.5) = 0", false, 1, 11, "bad integer '1.5'"},
    {"100 close(09) = 0", false, 1, 11, "bad integer '09'"},
    {"100 close(99999999999999999999) = 0", false, 1, 11, "out of range"},
    {"100 close(0x10000000000000000) = 0", false, 1, 11, "out of range"},
    {"100 close(-) = 0", false, 1, 11, "bad integer"},
    {"100 close(3<TCP:[1]) = 0", false, 1, 12, "unterminated descriptor decoration"},
    {"100 close(3, ) = 0", false, 1, 14, "expected an argument after ','"},
    {"100 close(3,", false, 1, 13, "expected an argument, found end of line"},
    {"100 close(3 = 0", false, 1, 13, "expected ',' or ')' after argument, found '='"},
    {"100 close(%) = 0", false, 1, 11, "expected a value, found '%'"},
    {"100 close(rw:[3]) = 0", false, 1, 11, "unknown memory annotation 'rw:'"},
    {"100 close(foo=1:[3]) = 0", false, 1, 11, "unknown memory annotation 'foo=1:'"},
    {"100 close(mapped=x:[3]) = 0", false, 1, 18, "bad number 'x' in 'mapped='"},
    {"100 close(offset=-1:[3]) = 0", false, 1, 18, "bad number '-1' in 'offset='"},
    {"100 close(mapped=99999999999999999999:[3]) = 0", false, 1, 18, "out of range"},
    {"100 close(mapped:[3]) = 0", false, 1, 17, "'mapped=N:' needs a number of bytes"},
    {"100 close(ro=1:[3]) = 0", false, 1, 13, "'ro:' takes no number"},
    {"100 f(x, {iov_base=offset=z:\"a\"}) = 0", false, 1, 27, "bad number 'z' in 'offset='"},
    {"100 close($) = 0", false, 1, 12, "expected a capture name after '$', found ')'"},
    {"100 close($1) = 0", false, 1, 12, "expected a capture name after '$', found '1'"},
    {"100 close(3) = $", false, 1, 17, "expected a capture name after '$', found end of line"},
    {"100 close(3) = $s-", false, 1, 18, "unexpected '-' after the result"},
    {"100 close(@x) = 0", false, 1, 12, "expected '\"' after '@'"},
    {"100 close(&) = 0", false, 1, 12, "expected a name after '&'"},
    {"100 close(A|) = 0", false, 1, 13, "expected a flag name after '|'"},
    {"100 close(\"a\"|B) = 0", false, 1, 14, "unexpected '|'"},
    {"100 close(3 /* x) = 0", false, 1, 13, "unterminated comment"},
    {"100 close(inet_addr(\"1\" \"2\")) = 0", false, 1, 25, "expected ',' or ')' after argument"},
    {"100 close[3] = 0", false, 1, 10, "expected '(' after the call name"},
    {"100 42 close(3) = 0", false, 1, 5, "expected a call, found '42'"},
    {"100x close(3) = 0", false, 1, 4, "expected a space after the pid"},
    {"99999999999 close(3) = 0", false, 1, 1, "pid out of range"},
    {"[pid 7 close(3) = 0", false, 1, 8, "expected ']'"},
    {"close(3) = 0", false, 1, 1, "call line without a pid"},
    {"18:12:57 close(3) = 0", false, 1, 1, "expected a pid"},
    {"<... close resumed>) = 0", false, 1, 1, "expected a pid"},
    {"18:12 close(3) = 0", true, 1, 1, "bad timestamp"},
    {"18:12:57.x close(3) = 0", true, 1, 1, "bad timestamp"},
    {"100 clone(flags=) = 0", false, 1, 17, "expected a value after 'flags='"},
    {"100 close(3) <unfinished ...>", false, 1, 14, "expected '=' and a result"},
    {"100 close(3 <unfinished ...> = 0", false, 1, 30, "after '<unfinished ...>'"},
    {"100 <... close resumed) = 0", false, 1, 23, "expected '>' after 'resumed', found ')'"},
    {"100 <... close ) = 0", false, 1, 16, "expected 'resumed>', found ')'"},
    {"100 <... close resumed>3 <unfinished ...>) = 0", false, 1, 26,
     "expected ',' or ')' after argument"},
    {"100 +++ exited with x +++", false, 1, 21, "expected an exit status"},
    {"100 +++ exited with 0", false, 1, 22, "expected '+++'"},
    {"100 +++ stopped +++", false, 1, 9, "unknown process event"},
    {"100 --- SIGCHLD {si_signo=SIGCHLD", false, 1, 17, "unbalanced '{'"},
    {"100 --- SIGCHLD {} --- x", false, 1, 24, "after '---'"},
    {"strace: Process 12 suspended", false, 1, 20, "expected 'attached' or 'detached'"},
    {"strace: something else", false, 1, 1, "unsupported strace message"},
    {"host a=", false, 1, 8, "missing value after 'a='"},
    {"host =b", false, 1, 6, "missing option name"},
    {"graph \"a b", false, 1, 7, "unterminated string"},
    {"graph \"a\"b", false, 1, 10, "expected a space after the quoted word"},
    {"graph a\"b\"", false, 1, 8, "unexpected '\"'"},
    {"settle(", false, 1, 1, "call line without a pid"},
    {"settle,", false, 1, 7, "expected a space after 'settle'"},
};

TEST(ParserErrors, ExactPositionsAndMessages) {
  for (const auto& c : kBad) {
    SCOPED_TRACE(c.text);
    ParseResult r = ParseScenario(c.text, "foo.scn", ParseOptions{.strace_mode = c.strace_mode});
    if (c.strace_mode) {
      // A log keeps the line as unreadable, with the same position and message.
      ASSERT_TRUE(r.ok()) << Errors(r);
      ASSERT_EQ(r.scenario.lines.size(), 1u);
      ASSERT_EQ(r.scenario.lines[0].kind, Line::Kind::kUnreadable);
      const UnreadableLine& u = r.scenario.lines[0].unreadable();
      EXPECT_EQ(u.location.line, c.line);
      EXPECT_EQ(u.location.column, c.column);
      EXPECT_NE(u.message.find(c.message), std::string::npos) << u.message;
      continue;
    }
    ASSERT_EQ(r.errors.size(), 1u) << Errors(r);
    const Diagnostic& d = r.errors[0];
    EXPECT_EQ(d.location.file, "foo.scn");
    EXPECT_EQ(d.location.line, c.line);
    EXPECT_EQ(d.location.column, c.column) << d.ToString();
    EXPECT_NE(d.message.find(c.message), std::string::npos) << d.ToString();
    EXPECT_FALSE(d.excerpt.empty());
  }
}

TEST(ParserErrors, EveryBadLineIsReportedAndGoodLinesKept) {
  ParseResult r = ParseScenarioFile(DataPath("bad.scn"));
  ASSERT_EQ(r.errors.size(), 6u) << Errors(r);
  EXPECT_EQ(r.errors[0].location.ToString(), DataPath("bad.scn") + ":3:1");
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.errors[static_cast<std::size_t>(i)].location.line, 3 + i);
  EXPECT_NE(r.errors[1].message.find("found '}'"), std::string::npos);
  EXPECT_NE(r.errors[2].message.find("missing '= RESULT'"), std::string::npos);
  EXPECT_NE(r.errors[3].message.find("unexpected 'extra'"), std::string::npos);
  EXPECT_NE(r.errors[4].message.find("unterminated string"), std::string::npos);
  EXPECT_NE(r.errors[5].message.find("bad integer '0x'"), std::string::npos);
  ASSERT_EQ(r.scenario.lines.size(), 1u);
  EXPECT_EQ(r.scenario.lines[0].directive().keyword, "host");
}

TEST(ParserErrors, DiagnosticToString) {
  ParseResult r = ParseScenario("host a\n\t100 bind(3, {a=1}}) = 0\n", "foo.scn");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(),
            "foo.scn:2:19: expected ',' or ')' after argument, found '}'\n"
            "  \t100 bind(3, {a=1}}) = 0\n"
            "  \t                 ^");
}

TEST(ParserErrors, MissingFile) {
  ParseResult r = ParseScenarioFile(DataPath("no-such-file.scn"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].ToString(), DataPath("no-such-file.scn") + ": cannot open: no such file");
}

TEST(ParserErrors, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = "100 f(" + std::string(100000, '[') + ") = 0";
  ParseResult r = ParseScenario(deep, "deep.scn");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("nested too deeply"), std::string::npos);
  std::string error;
  EXPECT_FALSE(ParseValue(std::string(100000, '{'), &error).has_value());
}

// ---- Values -----------------------------------------------------------------------------

TEST(ParserValue, Kinds) {
  struct Case {
    const char* text;
    Value::Kind kind;
  };
  const Case cases[] = {
      {"3", Value::Kind::kInteger},
      {"-1", Value::Kind::kInteger},
      {"0x1f", Value::Kind::kInteger},
      {"0x7ffc783a3fe0", Value::Kind::kInteger},
      {"0666", Value::Kind::kInteger},
      {"AF_INET", Value::Kind::kSymbol},
      {"SOCK_STREAM|SOCK_CLOEXEC", Value::Kind::kSymbol},
      {"NULL", Value::Kind::kNull},
      {"\"abc\"", Value::Kind::kString},
      {"@\"abstr\"", Value::Kind::kTagged},
      {"{pid=100, uid=1000, gid=1000}", Value::Kind::kStruct},
      {"[3, 4]", Value::Kind::kArray},
      {"[]", Value::Kind::kArray},
      {"[{iov_base=\"F\", iov_len=1}]", Value::Kind::kArray},
      {"[4<UNIX-STREAM:[388714->388713]>]", Value::Kind::kArray},
      {"[128 => 16]", Value::Kind::kValueResult},
      {"[128->16]", Value::Kind::kValueResult},
      {"[16]", Value::Kind::kValueResult},
      {"[NULL]", Value::Kind::kValueResult},
      {"htons(80)", Value::Kind::kCall},
      {"&sin6_addr", Value::Kind::kAddressOf},
      {"_", Value::Kind::kWildcard},
      {"...", Value::Kind::kWildcard},
      {"3<TCP:[378100]>", Value::Kind::kDecorated},
      {"$port", Value::Kind::kCapture},
      {"buffer(128, 0xaa)", Value::Kind::kCall},
      {"buffer(8, 0) => untouched", Value::Kind::kValueResult},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(MustParseValue(c.text).kind, c.kind);
  }
}

// ---- Captures, memory annotations and buffer notation -----------------------------------

TEST(ParserScenario, CapturesInArgumentsNestedValuesAndResults) {
  const Line socket = ParseOne("100 socket(AF_INET, SOCK_STREAM, 0) = $s");
  ASSERT_TRUE(socket.call.outcome.has_value());
  EXPECT_EQ(socket.call.outcome->kind, Outcome::Kind::kCapture);
  EXPECT_EQ(socket.call.outcome->capture, "s");
  EXPECT_EQ(socket.call.outcome->value_text, "$s");
  EXPECT_EQ(socket.call.outcome->location.column, 39);

  const Line name = ParseOne(
      "100 getsockname($s, {sa_family=AF_INET, sin_port=htons($port_1), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 0");
  const CallLine& c = name.call;
  EXPECT_EQ(c.args[0].kind, Value::Kind::kCapture);
  EXPECT_EQ(c.args[0].text, "s");
  EXPECT_EQ(c.args[0].location.column, 17);
  const Value& port = c.args[1].fields[1].value.items[0];
  EXPECT_EQ(port.kind, Value::Kind::kCapture);
  EXPECT_EQ(port.text, "port_1");
  EXPECT_EQ(port.location.column, 56);
  EXPECT_EQ(c.args[1].ToString(),
            "{sa_family=AF_INET, sin_port=htons($port_1), sin_addr=inet_addr(\"127.0.0.1\")}");

  const Line cell = ParseOne("400 getpeerucred(3, [NULL => $uc]) = 0");
  EXPECT_EQ(cell.call.args[1].items[1].kind, Value::Kind::kCapture);
  // A capture after `= ` may carry an error as a number does.
  const Line failed = ParseOne("100 socket(AF_INET, 99, 0) = $bad EINVAL (Invalid argument)");
  EXPECT_EQ(failed.call.outcome->kind, Outcome::Kind::kCapture);
  EXPECT_EQ(failed.call.outcome->error_symbol, "EINVAL");
}

TEST(ParserScenario, MappedAndOffsetAnnotations) {
  const Line line = ParseOne(
      "100 getpeername(3, mapped=4:buffer(16, 0xaa) => buffer(\"\\2\\0\", 0xaa), offset=1:[16]) = 0");
  const CallLine& c = line.call;
  ASSERT_EQ(c.args.size(), 3u);
  EXPECT_TRUE(c.arg_names.empty());  // not named arguments `mapped=` / `offset=`
  ASSERT_EQ(c.args[1].kind, Value::Kind::kValueResult);
  EXPECT_EQ(c.args[1].text, "=>");
  EXPECT_EQ(c.args[1].items[0].annotation, "mapped=4");
  EXPECT_EQ(c.args[1].items[0].kind, Value::Kind::kCall);
  EXPECT_EQ(c.args[1].items[0].location.column, 20);
  EXPECT_EQ(c.args[2].annotation, "offset=1");
  EXPECT_EQ(c.args[2].kind, Value::Kind::kValueResult);
  EXPECT_EQ(c.args[2].ToString(), "offset=1:[16]");
  EXPECT_EQ(MustParseValue("mapped=007:\"ab\"").annotation, "mapped=7");
  // A named argument is still one (clone's flags=), and `ro:` / `end:` are unchanged.
  const Line clone = ParseOne("100 clone(child_stack=NULL, flags=CLONE_VM) = 101");
  EXPECT_EQ(clone.call.arg_names, (std::vector<std::string>{"child_stack", "flags"}));
  EXPECT_EQ(MustParseValue("end:[8]").annotation, "end");
}

TEST(ParserScenario, StructMembersMayBeValueResults) {
  const Value v = MustParseValue(
      "{msg_iov=[{iov_base=buffer(8, 0xaa) => buffer(\"hi\", 0xaa), iov_len=8}], msg_namelen=16}");
  const Value& base = v.fields[0].value.items[0].fields[0].value;
  ASSERT_EQ(base.kind, Value::Kind::kValueResult);
  EXPECT_EQ(base.text, "=>");
  EXPECT_EQ(base.ToString(), "buffer(8, 0xaa) => buffer(\"hi\", 0xaa)");
}

TEST(ParserValue, IntegerDetails) {
  EXPECT_EQ(MustParseValue("0x1f").integer, 31);
  EXPECT_EQ(MustParseValue("0x1f").text, "0x1f");
  EXPECT_EQ(MustParseValue("0666").integer, 0666);
  EXPECT_EQ(MustParseValue("-9223372036854775808").integer, INT64_MIN);
  EXPECT_EQ(MustParseValue("0xffffffffffffffff").integer, -1);
  EXPECT_EQ(MustParseValue("18446744073709551615").integer, -1);
  Value verbose = MustParseValue("0x2 /* AF_INET */");
  EXPECT_EQ(verbose.integer, 2);
  EXPECT_EQ(verbose.ToString(), "0x2");
  Value flags = MustParseValue("SOCK_STREAM|0x80000");
  EXPECT_EQ(flags.flags, (std::vector<std::string>{"SOCK_STREAM", "0x80000"}));
  EXPECT_EQ(MustParseValue("AF_INET").flags, (std::vector<std::string>{"AF_INET"}));
}

TEST(ParserValue, StringEscapes) {
  Value v = MustParseValue(R"("\264*\177\0\0\1")");
  EXPECT_EQ(v.text, std::string("\264*\177\0\0\1", 6));
  EXPECT_EQ(v.ToString(), R"("\264*\177\0\0\1")");
  EXPECT_EQ(MustParseValue(R"("\x00\n"...)").text, std::string("\0\n", 2));
  EXPECT_TRUE(MustParseValue(R"("\x00\n"...)").truncated);
  EXPECT_EQ(MustParseValue(R"("\x00\n"...)").ToString(), R"("\0\n"...)");
  EXPECT_EQ(MustParseValue(R"("a\tb\"c\\d")").text, "a\tb\"c\\d");
  EXPECT_EQ(QuoteStraceString(std::string("\0" "1", 2)), R"("\0001")");
  EXPECT_EQ(QuoteStraceString("\x1b\xff\r\v\f"), R"("\33\377\r\v\f")");
}

// A parsed file's locations, every value's included, share one copy of its name: a long
// log holds many of them.
TEST(ParserLocations, EveryLocationOfAFileSharesOneName) {
  const ParseResult r = ParseScenario(
      "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 getpeername(3, {sa_family=AF_INET, sin_port=htons(80)}, [16]) = 0\n",
      "shared.scn");
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.scenario.lines.size(), 2u);
  const FileName& first = r.scenario.lines[0].call.location.file;
  const Value& sockaddr = r.scenario.lines[1].call.args.at(1);
  ASSERT_FALSE(sockaddr.fields.empty());
  EXPECT_EQ(first, "shared.scn");
  EXPECT_EQ(&first.str(), &sockaddr.fields[0].value.location.file.str());
  EXPECT_EQ(&first.str(), &r.scenario.lines[1].call.outcome->location.file.str());
  EXPECT_EQ(SourceLocation().file, "");
}

TEST(ParserValue, CanonicalToString) {
  const std::pair<const char*, const char*> cases[] = {
      {"[128->16]", "[128 => 16]"},
      {"[ 128  =>16 ]", "[128 => 16]"},
      {"{ a=1 ,b=2 }", "{a=1, b=2}"},
      {"{a = 1}", ""},
      {"{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}",
       "{sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}"},
      {"inet_pton(AF_INET6,\"::1\",&sin6_addr)", "inet_pton(AF_INET6, \"::1\", &sin6_addr)"},
      {"ro:[128]", "ro:[128]"},
      {"end:[8]", "end:[8]"},
      {"ro:0x7ffc0000", "ro:0x7ffc0000"},
      {"[16]", "[16]"},
      {"{wVersion=0x202, ...}", "{wVersion=0x202, ...}"},
      {"sin_port=htons(_)", ""},
  };
  for (const auto& [in, out] : cases) {
    SCOPED_TRACE(in);
    std::string error;
    auto v = ParseValue(in, &error);
    if (*out == '\0') {
      EXPECT_FALSE(v.has_value());
      continue;
    }
    ASSERT_TRUE(v.has_value()) << error;
    EXPECT_EQ(v->ToString(), out);
  }
}

TEST(ParserValue, RoundTrip) {
  const char* cases[] = {
      "0",
      "-1",
      "0x1f",
      "0777",
      "AF_INET",
      "SOCK_STREAM|SOCK_CLOEXEC",
      "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
      "NULL",
      "_",
      "...",
      "\"\"",
      "\"hi\"",
      "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"...",
      R"("\0\0\0\0\0\0\0\0\0\0\0\0\0\0")",
      R"("\264*\177\0\0\1")",
      R"("\x01\x02\x30\xff")",
      "@\"abstr\"",
      "@\"301e9\"",
      "{sa_family=AF_INET, sin_port=htons(43299), sin_addr=inet_addr(\"127.0.0.1\")}",
      "{sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "
      "\"fe80::1\", &sin6_addr), sin6_scope_id=if_nametoindex(\"lo\")}",
      "{sa_family=AF_UNIX, sun_path=@\"abstr\"}",
      "{sa_family=AF_UNIX}",
      "{}",
      "{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"F\", iov_len=1}], msg_iovlen=1, "
      "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, "
      "cmsg_data=[4<UNIX-STREAM:[388714->388713]>]}], msg_controllen=24, msg_flags=0}",
      "[3<UNIX-STREAM:[388713->388714]>, 4<UNIX-STREAM:[388714->388713]>]",
      "[128 => 16]",
      "[128->16]",
      "[16]",
      "[NULL => 0x7ffc1000]",
      "[0 => WSAENOTCONN]",
      "[128 => _]",
      "[]",
      "[{fd=3, events=POLLIN}]",
      "htons(_)",
      "&sin6_addr",
      "ro:[128]",
      "end:[8]",
      "ro:0x7ffc0000",
      "1</dev/null<char 1:3>>",
      "9<UNIX:[387898,@\"abstr\"]>",
      "{pid=0, uid=-1, gid=-1}",
      "{mask=[]}",
      "$port",
      "htons($port)",
      "[NULL => $uc]",
      "mapped=4:[16]",
      "offset=4095:buffer(16, 0xaa)",
      "buffer(128, 0xaa) => untouched",
      "mapped=0:buffer(3, \"a\", 0) => buffer(\"a\\0\", 0)",
      "{iov_base=buffer(4, 0) => _, iov_len=4}",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    Value first = MustParseValue(text);
    const std::string printed = first.ToString();
    Value second = MustParseValue(printed);
    EXPECT_TRUE(first.SameAs(second)) << printed;
    EXPECT_EQ(second.ToString(), printed);
  }
}

TEST(ParserValue, ValueErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"[128 => 16", "col 1: unbalanced '[': no matching ']'"},
      {"\"abc", "col 1: unterminated string"},
      {"3 4", "col 3: unexpected '4' after the value"},
      {"", "col 1: expected a value, found end of line"},
      {"0xg", "col 1: bad integer '0xg'"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    std::string error;
    EXPECT_FALSE(ParseValue(text, &error).has_value());
    EXPECT_EQ(error, message);
  }
  EXPECT_FALSE(ParseValue("{", nullptr).has_value());
}

// ---- Robustness -------------------------------------------------------------------------

TEST(ParserRobustness, EveryPrefixOfEverySampleLine) {
  std::vector<std::string> lines = ReadLines(DataPath("strace_samples.trace"));
  for (const auto& extra : ReadLines(DataPath("personalities.scn"))) lines.push_back(extra);
  for (const auto& extra : ReadLines(DataPath("directives.scn"))) lines.push_back(extra);
  std::size_t parsed = 0;
  std::size_t rejected = 0;
  for (const auto& line : lines) {
    for (std::size_t n = 0; n <= line.size(); ++n) {
      const std::string prefix = line.substr(0, n);
      for (bool strace_mode : {false, true}) {
        ParseResult r = ParseScenario(prefix, "p.trace", ParseOptions{.strace_mode = strace_mode});
        if (r.ok()) {
          ++parsed;
          for (const Line& l : r.scenario.lines) {
            if (l.kind != Line::Kind::kUnreadable) continue;
            ASSERT_TRUE(strace_mode) << prefix;
            ASSERT_GE(l.unreadable().location.column, 1) << prefix;
            ASSERT_LE(l.unreadable().location.column, static_cast<int>(prefix.size()) + 1)
                << prefix;
            ASSERT_FALSE(l.unreadable().message.empty());
            ++rejected;
          }
          continue;
        }
        ++rejected;
        ASSERT_EQ(r.errors.size(), 1u) << prefix;
        const Diagnostic& d = r.errors[0];
        ASSERT_EQ(d.location.line, 1) << prefix;
        ASSERT_GE(d.location.column, 1) << prefix;
        ASSERT_LE(d.location.column, static_cast<int>(prefix.size()) + 1) << d.ToString();
        ASSERT_FALSE(d.message.empty());
      }
      std::string error;
      (void)ParseValue(prefix, &error);
    }
  }
  EXPECT_GT(parsed, 0u);
  EXPECT_GT(rejected, 0u);
}

TEST(ParserRobustness, SingleByteMutations) {
  const std::vector<std::string> lines = ReadLines(DataPath("strace_samples.trace"));
  const char replacements[] = {'"', '[', ']', '{', '}', '(', ')', '<', '>', ',', '=', '\\',
                               '#', '\0', '\xff', '|', '-', ':', '@', '&', ' '};
  for (std::size_t i = 1; i < lines.size(); i += 7) {
    const std::string& line = lines[i];
    for (std::size_t at = 0; at < line.size(); ++at) {
      for (char c : replacements) {
        std::string mutated = line;
        mutated[at] = c;
        ParseResult r = ParseScenario(mutated, "m.trace", ParseOptions{.strace_mode = true});
        ASSERT_TRUE(r.ok()) << Errors(r);
        for (const auto& l : r.scenario.lines) {
          if (l.kind != Line::Kind::kUnreadable) continue;
          ASSERT_GE(l.unreadable().location.column, 1);
          ASSERT_LE(l.unreadable().location.column, static_cast<int>(mutated.size()) + 1);
        }
      }
    }
  }
}

}  // namespace
}  // namespace socksim::tools
