// File: tests/tools/strace_import_test.cc
// socksim replay's importer on real strace logs (tests/tools/data/strace, recorded on Linux
// 6.18 with strace 6.1 in a private network namespace): every fixture replays without a
// divergence, hints adopt the kernel's ports and names, edits are caught where they were made,
// bad input gives diagnostics, and a recorded run replays identically.
#include "tools/personality/linux/trace/strace_import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"
#include "tools/scenario/writer.h"

namespace socksim::tools {
namespace {

std::string DataPath(const std::string& name) {
  return ((std::filesystem::path(SOCKSIM_SOURCE_DIR) / "tests/tools") / "data" / "strace" / name).string();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ParseResult ParseLog(const std::string& text, const std::string& name) {
  return ParseScenario(text, name, ParseOptions{.strace_mode = true});
}

struct Replayed {
  ImportResult imported;
  ScenarioResult result;
};

Replayed Replay(const std::string& text, const std::string& name) {
  const ParseResult parsed = ParseLog(text, name);
  EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  Replayed r;
  r.imported = ImportStrace(parsed.scenario);
  r.result = RunScenario(r.imported.scenario);
  return r;
}

std::string Failures(const ScenarioResult& r) {
  std::string out;
  for (const auto& v : r.verdicts) {
    if (v.status == LineVerdict::Status::kFail || v.status == LineVerdict::Status::kError) {
      out += v.location.ToString() + ": " + v.message + "\n  " + v.expected + "\n  " + v.actual + "\n";
    }
  }
  return out;
}

struct Fixture {
  const char* file;
  int checked;         // calls that passed (the synthesized fork lines included)
  int runner_skipped;  // calls the run skipped
  int not_replayed;    // lines the importer did not keep: the opens it adopted, calls on
                       // known-unknown descriptors, signals
  int synthesized;     // fork lines for children the filter hid
};

// tcp: listener on port 0, ENOTCONN, EBADF, ENOTSOCK on /dev/null and on an inherited fd 4,
// a forked child accepting, a truncated getpeername. udp: connect, AF_UNSPEC, connect to port
// 0, autobind by sendto. unix: socketpair, pathname and abstract names, SO_PEERCRED, autobind.
const Fixture kFixtures[] = {
    {"tcp.log", 22, 0, 3, 1},     {"tcp.yy.log", 23, 0, 2, 1},  {"udp.log", 21, 0, 0, 0},
    {"udp.yy.log", 21, 0, 0, 0},  {"unix.log", 33, 0, 0, 0},    {"unix.yy.log", 33, 0, 0, 0},
};

TEST(StraceReplay, FixturesReplayWithoutDivergence) {
  for (const Fixture& f : kFixtures) {
    SCOPED_TRACE(f.file);
    const Replayed r = Replay(ReadFile(DataPath(f.file)), f.file);
    EXPECT_TRUE(r.result.ok()) << Failures(r.result);
    EXPECT_EQ(r.result.failed, 0);
    EXPECT_EQ(r.result.passed, f.checked);
    EXPECT_EQ(r.result.skipped, f.runner_skipped);
    EXPECT_EQ(static_cast<int>(r.imported.skipped.size()), f.not_replayed);
    EXPECT_EQ(r.imported.synthesized, f.synthesized);
  }
}

// strace -ff: one file per process, lines without a pid. The parent accepts before the
// child (forked after listen) connects, in file order; the replay lets the accept wait.
TEST(StraceReplay, PerProcessFilesReplayWithoutDivergence) {
  Scenario log;
  for (const char* name : {"ff/fork.18111", "ff/fork.18112"}) {
    const ParseResult parsed = ParseLog(ReadFile(DataPath(name)), name);
    ASSERT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
    const std::int32_t pid = std::stoi(std::string(name).substr(8));
    for (Line line : parsed.scenario.lines) {
      if (line.kind == Line::Kind::kCall) line.call.pid = pid;
      if (line.kind == Line::Kind::kProcessEvent) line.mutable_event().pid = pid;
      log.lines.push_back(std::move(line));
    }
  }
  ImportOptions options;
  options.per_process_files = true;
  const ImportResult imported = ImportStrace(log, options);
  EXPECT_EQ(imported.initial_pid, 18111);
  const ScenarioResult result = RunScenario(imported.scenario);
  EXPECT_TRUE(result.ok()) << Failures(result);
  EXPECT_EQ(result.passed, 16);
  // Without the interleaving the parent's accept waits for a connect that comes later.
  ImportOptions in_order;
  const ScenarioResult ordered = RunScenario(ImportStrace(log, in_order).scenario);
  EXPECT_FALSE(ordered.ok());
}

// -tt timestamps give the replay the recorded clock (`hint at=`): 60 ms after the server's
// second small write, the client's delayed ACK has fired and released it, so the read takes
// both bytes; without the timestamps virtual time stands still and the read gets "x" alone.
TEST(StraceReplay, TimestampsGiveTheRecordedClock) {
  std::string log =
      "100 10:00:00.000000 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100 10:00:00.000010 bind(3, {sa_family=AF_INET, sin_port=htons(21140), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "100 10:00:00.000020 listen(3, 8) = 0\n"
      "100 10:00:00.000030 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
      "100 10:00:00.000040 connect(4, {sa_family=AF_INET, sin_port=htons(21140), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "100 10:00:00.000050 accept(3, NULL, NULL) = 5\n"
      "100 10:00:00.000060 sendto(4, \"a\", 1, 0, NULL, 0) = 1\n"
      "100 10:00:00.000070 recvfrom(5, \"a\", 16, 0, NULL, NULL) = 1\n"
      "100 10:00:00.000080 sendto(5, \"b\", 1, 0, NULL, 0) = 1\n"
      "100 10:00:00.000090 recvfrom(4, \"b\", 16, 0, NULL, NULL) = 1\n"
      "100 10:00:00.000100 sendto(4, \"c\", 1, 0, NULL, 0) = 1\n"
      "100 10:00:00.000110 recvfrom(5, \"c\", 16, 0, NULL, NULL) = 1\n"
      "100 10:00:00.000120 sendto(5, \"x\", 1, 0, NULL, 0) = 1\n"
      "100 10:00:00.000130 sendto(5, \"y\", 1, 0, NULL, 0) = 1\n"
      "100 10:00:00.060000 recvfrom(4, \"xy\", 16, MSG_DONTWAIT, NULL, NULL) = 2\n";
  const Replayed timed = Replay(log, "timed.log");
  EXPECT_TRUE(timed.result.ok()) << Failures(timed.result);
  EXPECT_EQ(timed.result.passed, 15);
  std::string untimed;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) untimed += "100" + line.substr(19) + "\n";
  const Replayed still = Replay(untimed, "untimed.log");
  EXPECT_EQ(still.result.failed, 1) << untimed;
}

// With the forks filtered out, a pid that exits while another lives on was a child: the
// initial process is the one alive longest.
TEST(StraceReplay, InitialProcessIsTheOneAliveLongest) {
  const std::string log =
      "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "100 +++ exited with 0 +++\n"
      "200 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "300 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "300 +++ exited with 0 +++\n"
      "200 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_EQ(r.imported.initial_pid, 200);
  // Two forks, and 300's close of the fd 3 it did not inherit (its socket() is 3 again).
  EXPECT_EQ(r.imported.synthesized, 3);
  EXPECT_EQ(r.imported.warnings.size(), 2u);
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
}

// unlink of a path no socket of the log holds is the file system's answer (adopted, even when
// it succeeded); unlink of a bound socket's file is checked against the simulator.
TEST(StraceReplay, PathCallsOnSocketFilesAreCheckedOthersAdopted) {
  const std::string log =
      "100 unlink(\"/tmp/stale.sock\") = 0\n"
      "100 socket(AF_UNIX, SOCK_STREAM, 0) = 3\n"
      "100 bind(3, {sa_family=AF_UNIX, sun_path=\"/tmp/s\"}, 9) = 0\n"
      "100 unlink(\"/tmp/s\") = 0\n"
      "100 unlink(\"/tmp/s\") = -1 ENOENT (No such file or directory)\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  ASSERT_EQ(r.imported.skipped.size(), 2u);  // the stale file, and the second unlink
  EXPECT_EQ(r.imported.skipped[0].fate, ImportFate::kAdopted);
  EXPECT_EQ(r.result.passed, 3);  // socket, bind, the first unlink of /tmp/s
}

TEST(StraceReplay, InitialProcessAndDescriptors) {
  const Replayed tcp = Replay(ReadFile(DataPath("tcp.log")), "tcp.log");
  EXPECT_EQ(tcp.imported.initial_pid, 18589);
  std::vector<std::string> directives;
  for (const auto& line : tcp.imported.scenario.lines) {
    if (line.kind == Line::Kind::kDirective) directives.push_back(line.directive().text);
  }
  // stdio and the inherited fd 4 (the gap before socket() = 5) are known-unknowns.
  EXPECT_NE(std::find(directives.begin(), directives.end(), "fd 18589 4 kind=unknown"), directives.end());
  EXPECT_NE(std::find(directives.begin(), directives.end(), "process 18589 host=localhost uid=0 gid=0 stdio=no"),
            directives.end());
  // With -yy the decoration says what fd 4 is, so ENOTSOCK on it is checked.
  const Replayed yy = Replay(ReadFile(DataPath("tcp.yy.log")), "tcp.yy.log");
  EXPECT_EQ(yy.imported.initial_pid, 18600);
  bool chardev = false;
  for (const auto& line : yy.imported.scenario.lines) {
    chardev = chardev || (line.kind == Line::Kind::kDirective &&
                          line.directive().text == "fd 18600 4 kind=chardev path=/dev/null");
  }
  EXPECT_TRUE(chardev);
  // The single-process stderr log names no pid: SO_PEERCRED's is adopted.
  EXPECT_EQ(Replay(ReadFile(DataPath("unix.yy.log")), "unix.yy.log").imported.initial_pid, 18625);
}

// The shell saves stdout above 10 (fcntl F_DUPFD, 10), marks the copy close-on-exec and
// runs a program: fd 10, which the shell stepped over, came from outside and is inherited by
// every process, while the saved copy 11 is gone after the child's execve.
TEST(StraceReplay, ShellSavedStdoutIsCloseOnExecAndItsGapIsInherited) {
  const std::string log =
      "5 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f2465693a10) = 6\n"
      "6 +++ exited with 0 +++\n"
      "5 openat(AT_FDCWD, \"out\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3\n"
      "5 fcntl(1, F_DUPFD, 10) = 11\n"
      "5 close(1) = 0\n"
      "5 fcntl(11, F_SETFD, FD_CLOEXEC) = 0\n"
      "5 dup2(3, 1) = 1\n"
      "5 close(3) = 0\n"
      "5 vfork() = 8\n"
      "8 execve(\"/usr/bin/dig\", [\"dig\"], 0x5650d45bc9e0 /* 6 vars */) = 0\n"
      "8 eventfd2(0, EFD_CLOEXEC|EFD_NONBLOCK) = 3\n"
      "8 pipe2([4, 5], O_NONBLOCK|O_CLOEXEC) = 0\n"
      "8 pipe2([6, 7], O_NONBLOCK|O_CLOEXEC) = 0\n"
      "8 pipe2([8, 9], O_NONBLOCK|O_CLOEXEC) = 0\n"
      "8 pipe2([11, 12], O_NONBLOCK|O_CLOEXEC) = 0\n"
      "8 +++ exited with 0 +++\n"
      "5 dup2(11, 1) = 1\n"
      "5 close(11) = 0\n"
      "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  std::vector<std::string> directives;
  for (const auto& line : r.imported.scenario.lines) {
    if (line.kind == Line::Kind::kDirective) directives.push_back(line.directive().text);
  }
  const auto process = std::find(directives.begin(), directives.end(), "process 5 host=localhost uid=0 gid=0 stdio=no");
  ASSERT_NE(process, directives.end());
  EXPECT_EQ(std::find(process, directives.end(), "fd 5 10 kind=unknown") - process, 4);  // in the header
  EXPECT_NE(std::find(directives.begin(), directives.end(), "fd 5 11 kind=unknown cloexec=yes"), directives.end());
}

// close_range and a close the filter hid: the simulator closes what the kernel closed, so the
// next descriptors get the recorded numbers.
TEST(StraceReplay, CloseRangeAndHiddenClosesFreeTheirNumbers) {
  const std::string log =
      "5 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 3\n"
      "5 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 4\n"
      "5 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 5\n"
      "5 close_range(4, 2147483647, 0) = 0\n"
      "5 pipe2([4, 5], 0) = 0\n"
      "5 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.imported.synthesized, 3);  // close(4) and close(5) for close_range, close(3)
  EXPECT_EQ(r.result.failed, 0);
}

// A datagram sent by sendmmsg on a socket bound to port 0: the receiver's recvmsg msg_name
// shows the port the kernel chose, which becomes the bind's hint.
TEST(StraceReplay, RecvmsgSenderRevealsTheSendmmsgPort) {
  const std::string log =
      "5 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "5 bind(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "5 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 4\n"
      "5 bind(4, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr(\"0.0.0.0\")}, 16) = 0\n"
      "5 connect(4, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "5 sendmmsg(4, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"q\", iov_len=1}], "
      "msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=1}], 1, 0) = 1\n"
      "5 recvmsg(3, {msg_name={sa_family=AF_INET, sin_port=htons(52606), sin_addr=inet_addr(\"127.0.0.1\")}, "
      "msg_namelen=28 => 16, msg_iov=[{iov_base=\"q\", iov_len=64}], msg_iovlen=1, msg_controllen=0, "
      "msg_flags=0}, 0) = 1\n"
      "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.failed, 0);
  bool hinted = false;
  for (const auto& line : r.imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall || line.call.name != "bind") continue;
    for (const auto& h : line.call.hints) hinted = hinted || (h.kind == "port" && h.value == "52606");
  }
  EXPECT_TRUE(hinted);
}

// A non-blocking connect repeated once it completes is still one connection: the next
// client's connect is paired with the next accept, whose peer port becomes its hint.
TEST(StraceReplay, AConnectRepeatedAfterEinprogressPairsWithOneAccept) {
  std::string log =
      "5 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "5 bind(3, {sa_family=AF_INET, sin_port=htons(6390), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "5 listen(3, 8) = 0\n";
  for (const char* port : {"40001", "40002"}) {
    log += std::string(
               "5 socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, IPPROTO_TCP) = 4\n"
               "5 connect(4, {sa_family=AF_INET, sin_port=htons(6390), sin_addr=inet_addr(\"127.0.0.1\")}, 16)"
               " = -1 EINPROGRESS (Operation now in progress)\n"
               "5 connect(4, {sa_family=AF_INET, sin_port=htons(6390), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
               "5 accept(3, {sa_family=AF_INET, sin_port=htons(") +
           port +
           "), sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 5\n"
           "5 close(5) = 0\n"
           "5 close(4) = 0\n";
  }
  log += "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  std::vector<std::string> ports;
  for (const auto& line : r.imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall || line.call.name != "connect") continue;
    for (const auto& h : line.call.hints) {
      if (h.kind == "port") ports.push_back(h.value);
    }
  }
  // Both lines of each client carry its port.
  EXPECT_EQ(ports, (std::vector<std::string>{"40001", "40001", "40002", "40002"}));
}

// A process's descriptors close in exit_group, before strace prints `+++ exited`: the peer's
// read printed in between already sees the end of the stream.
TEST(StraceReplay, AProcessEndTakesEffectAtItsExitGroup) {
  const std::string log =
      "5 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
      "5 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
      "child_tidptr=0x7f0000000a10) = 6\n"
      "6 close(3) = 0\n"
      "5 close(4) = 0\n"
      "6 exit_group(0) = ?\n"
      "5 read(3, \"\", 1) = 0\n"
      "6 +++ exited with 0 +++\n"
      "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.failed, 0);
}

// strace cut the write at its -s limit; the reader's lines show the rest, which the write
// adopts, on a socketpair, a UNIX stream connection (read before the write resumes) and a pipe.
TEST(StraceReplay, ReadersShowTheBytesOfACutWrite) {
  const std::string log =
      "5 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
      "5 write(3, \"0123\"..., 8) = 8\n"
      "5 read(4, \"01\", 2) = 2\n"
      "5 read(4, \"2345\", 4) = 4\n"
      "5 read(4, \"67\", 2) = 2\n"
      "5 socket(AF_UNIX, SOCK_STREAM, 0) = 5\n"
      "5 bind(5, {sa_family=AF_UNIX, sun_path=\"s.sock\"}, 9) = 0\n"
      "5 listen(5, 8) = 0\n"
      "5 socket(AF_UNIX, SOCK_STREAM, 0) = 6\n"
      "5 connect(6, {sa_family=AF_UNIX, sun_path=\"s.sock\"}, 9) = 0\n"
      "5 accept(5, NULL, NULL) = 7\n"
      "5 clone(child_stack=0x7f0000000000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) = 6\n"
      "6 write(7, \"abc\"..., 6 <unfinished ...>\n"
      "5 read(6, \"abcdef\", 6) = 6\n"
      "6 <... write resumed>) = 6\n"
      "6 +++ exited with 0 +++\n"
      "5 pipe2([8, 9], 0) = 0\n"
      "5 write(9, \"xy\"..., 4) = 4\n"
      "5 read(8, \"xyzw\", 4) = 4\n"
      "5 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "t.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.failed, 0);
}

// ioctl(fd, FIOCLEX) and FIONCLEX (two arguments, as strace prints them) set and clear
// close-on-exec: the execve closes the first socket, so the next one is fd 3 again, and keeps
// the second, whose close succeeds.
// SCM_RIGHTS: a pipe's write end passed over a socketpair and received as fd 7 is the same
// pipe, so the write on 7 is what the read on the pipe's other end gets; every call is run.
const char kPassedPipeEnd[] =
    "8 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n"
    "8 pipe2([5, 6], 0) = 0\n"
    "8 sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"fd\", iov_len=2}], msg_iovlen=1, "
    "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[6]}], "
    "msg_controllen=24, msg_flags=0}, 0) = 2\n"
    "8 recvmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"fd\", iov_len=16}], msg_iovlen=1, "
    "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], "
    "msg_controllen=20, msg_flags=0}, RECVFLAGS) = 2\n";

std::string PassedPipeEnd(const std::string& recv_flags) {
  std::string log = kPassedPipeEnd;
  log.replace(log.find("RECVFLAGS"), 9, recv_flags);
  return log;
}

TEST(StraceReplay, ADescriptorReceivedWithScmRightsIsTheOneSent) {
  const std::string log = PassedPipeEnd("0") +
                          "8 write(7, \"x\", 1) = 1\n"
                          "8 read(5, \"x\", 1) = 1\n"
                          "8 close(7) = 0\n"
                          "8 close(6) = 0\n"
                          "8 close(5) = 0\n"
                          "8 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "scm-rights.log");
  EXPECT_EQ(Failures(r.result), "");
  EXPECT_EQ(r.result.passed, 9);
  EXPECT_EQ(r.result.skipped, 0);
  EXPECT_EQ(r.imported.synthesized, 0);
}

// MSG_CMSG_CLOEXEC: the received descriptor is close-on-exec, so execve closes it and the
// next socket takes its number (no close has to be made up for it).
TEST(StraceReplay, ADescriptorReceivedWithCmsgCloexecClosesOnExec) {
  const std::string log = PassedPipeEnd("MSG_CMSG_CLOEXEC") +
                          "8 fcntl(7, F_GETFD) = 0x1 (flags FD_CLOEXEC)\n"
                          "8 execve(\"/bin/true\", [\"true\"], 0x7ffd0000 /* 1 var */) = 0\n"
                          "8 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 7\n"
                          "8 +++ exited with 0 +++\n";
  const Replayed r = Replay(log, "scm-cloexec.log");
  EXPECT_EQ(Failures(r.result), "");
  EXPECT_EQ(r.result.passed, 7);
  EXPECT_EQ(r.result.skipped, 0);
  EXPECT_EQ(r.imported.synthesized, 0);
}

TEST(StraceReplay, FioclexDecidesWhatExecveCloses) {
  const std::string log =
      "100   socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100   socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4\n"
      "100   ioctl(3, FIOCLEX)                 = 0\n"
      "100   ioctl(4, FIOCLEX)                 = 0\n"
      "100   ioctl(4, FIONCLEX)                = 0\n"
      "100   fcntl(3, F_GETFD)                 = 0x1 (flags FD_CLOEXEC)\n"
      "100   execve(\"/bin/true\", [\"true\"], 0x7ffd0000 /* 1 var */) = 0\n"
      "100   socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100   close(4)                          = 0\n"
      "100   exit_group(0)                     = ?\n";
  const Replayed r = Replay(log, "fioclex.log");
  EXPECT_EQ(Failures(r.result), "");
  // Every call is checked: two sockets, three ioctls, fcntl, execve, socket, close.
  EXPECT_EQ(r.result.passed, 9);
  EXPECT_EQ(r.result.skipped, 0);
}

TEST(StraceReplay, SplitClone3WithAnOutPartMakesAThread) {
  // The thread shares pid 100's descriptors: its close of 3 is checked on the same table.
  const std::string log =
      "100   socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "100   clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
      "CLONE_SYSVSEM|CLONE_PARENT_SETTID, child_tid=0x7f0000000990, parent_tid=0x7f0000000990, "
      "exit_signal=0, stack=0x7f0000001000, stack_size=0x7fff80} <unfinished ...>\n"
      "101   rseq(0x7f0000000fe0, 0x20, 0, 0x53053053) = 0\n"
      "100   <... clone3 resumed> => {parent_tid=[101]}, 88) = 101\n"
      "101   close(3)                          = 0\n"
      "101   exit(0)                           = ?\n"
      "100   exit_group(0)                     = ?\n";
  const Replayed r = Replay(log, "clone3.log");
  EXPECT_EQ(Failures(r.result), "");
  EXPECT_EQ(r.imported.synthesized, 0);
  // socket, clone (as the thread's creation) and the thread's close.
  EXPECT_EQ(r.result.passed, 3);
}

TEST(StraceReplay, ASplitSendIsTheSenderOfTheReceiptPrintedInsideIt) {
  // The client's first send prints its result only after the server received the datagram:
  // that receipt still names the client's first port, and the next receipt its second.
  const std::string log =
      "100   socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3\n"
      "100   bind(3, {sa_family=AF_INET, sin_port=htons(53), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "100   fork()                            = 101\n"
      "101   socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 4\n"
      "101   connect(4, {sa_family=AF_INET, sin_port=htons(53), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n"
      "101   sendto(4, \"q\", 1, 0, NULL, 0 <unfinished ...>\n"
      "100   recvfrom(3, \"q\", 16, 0, {sa_family=AF_INET, sin_port=htons(40000), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 1\n"
      "101   <... sendto resumed>)             = 1\n"
      "100   sendto(3, \"r\", 1, 0, {sa_family=AF_INET, sin_port=htons(40000), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 1\n"
      "101   recvfrom(4, \"r\", 16, 0, NULL, NULL) = 1\n"
      "101   socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 5\n"
      "101   sendto(5, \"s\", 1, 0, {sa_family=AF_INET, sin_port=htons(53), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 1\n"
      "100   recvfrom(3, \"s\", 16, 0, {sa_family=AF_INET, sin_port=htons(40001), "
      "sin_addr=inet_addr(\"127.0.0.1\")}, [16]) = 1\n"
      "101   exit_group(0)                     = ?\n"
      "100   exit_group(0)                     = ?\n";
  const Replayed r = Replay(log, "udp-split.log");
  EXPECT_EQ(Failures(r.result), "");
  std::vector<std::string> ports;
  for (const auto& line : r.imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall) continue;
    if (const auto* hint = line.call.FindHint("port")) {
      ports.push_back(line.call.name + " " + hint->value);
    }
  }
  EXPECT_EQ(ports, (std::vector<std::string>{"connect 40000", "sendto 40001"}));
  EXPECT_EQ(r.result.passed, 12);
}

TEST(StraceReplay, HintsAdoptTheKernelsChoices) {
  const ParseResult parsed = ParseLog(ReadFile(DataPath("tcp.log")), "tcp.log");
  ImportResult imported = ImportStrace(parsed.scenario);
  std::vector<std::uint16_t> ports;
  for (const auto& line : imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall) continue;
    if (const auto* h = line.call.FindHint("port")) {
      ports.push_back(static_cast<std::uint16_t>(std::stoi(h->value)));
    }
  }
  // bind(port 0) -> getsockname; the client's connect -> the child's accept.
  EXPECT_EQ(ports, (std::vector<std::uint16_t>{45579, 53632}));
  EXPECT_TRUE(RunScenario(imported.scenario).ok());
  // Without them the simulator draws its own ports, and the log's do not match.
  for (auto& line : imported.scenario.lines) line.call.hints.clear();
  EXPECT_FALSE(RunScenario(imported.scenario).ok());

  const ParseResult unix_log = ParseLog(ReadFile(DataPath("unix.log")), "unix.log");
  const ImportResult unix_imported = ImportStrace(unix_log.scenario);
  std::vector<std::string> names;
  for (const auto& line : unix_imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall) continue;
    if (const auto* h = line.call.FindHint("autobind")) names.push_back(h->value);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"3160c"}));
  // A UDP socket reconnected after AF_UNSPEC chooses again: two hints on the same socket.
  const ParseResult udp_log = ParseLog(ReadFile(DataPath("udp.log")), "udp.log");
  int udp_hints = 0;
  for (const auto& line : ImportStrace(udp_log.scenario).scenario.lines) {
    udp_hints += line.kind == Line::Kind::kCall && line.call.FindHint("port") ? 1 : 0;
  }
  EXPECT_EQ(udp_hints, 4);
}

TEST(StraceReplay, AWaitASignalInterruptedIsAdoptedNotRun) {
  // Signals are not modelled: the EINTR of each wait is the environment's; the calls after
  // it still run on what the waits left.
  const Replayed r = Replay("6     epoll_create1(0) = 3\n"
                            "6     epoll_wait(3, 0x56420d213d80, 32, 652) = -1 EINTR (Interrupted system call)\n"
                            "6     poll([{fd=3, events=POLLIN}], 1, 100) = -1 EINTR (Interrupted system call)\n"
                            "6     epoll_wait(3, [], 32, 0) = 0\n",
                            "intr.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.passed, 2);
  int adopted = 0;
  for (const SkippedLine& s : r.imported.skipped) {
    if (s.fate == ImportFate::kAdopted && (s.call == "epoll_wait" || s.call == "poll")) ++adopted;
  }
  EXPECT_EQ(adopted, 2);
}

TEST(StraceReplay, ReadinessOfAnInheritedDescriptorIsAdoptedFromTheLog) {
  // Descriptor 4 came from outside the trace: whether it had input is the environment's, so
  // the recorded revents (and select's `in` set) are adopted for it; pipe end 3 is computed.
  const Replayed r = Replay(
      "100   fcntl(4, F_GETFD)                 = 0\n"
      "100   pipe2([3, 5], 0)                  = 0\n"
      "100   poll([{fd=3, events=POLLIN}, {fd=4, events=POLLIN}], 2, 1000) = 1 ([{fd=4, revents=POLLIN}])\n"
      "100   pselect6(5, [3 4], [], NULL, {tv_sec=1, tv_nsec=0}, NULL) = 1 (in [4], left {tv_sec=0, tv_nsec=999})\n"
      "100   ppoll([{fd=4, events=POLLIN}], 1, {tv_sec=0, tv_nsec=0}, NULL, 8) = 0 (Timeout)\n",
      "unknown-ready.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.passed, 4);
  std::vector<std::string> hints;
  for (const auto& line : r.imported.scenario.lines) {
    if (line.kind != Line::Kind::kCall) continue;
    for (const auto& h : line.call.hints) {
      if (h.kind == "ready") hints.push_back(line.call.name + " " + h.value);
    }
  }
  EXPECT_EQ(hints, (std::vector<std::string>{"poll 4:in", "pselect6 4:in"}));
}

TEST(StraceReplay, TheOpenFlagsOfAFileOpenedOutsideTheTraceAreItsFirstGetfl) {
  // stdout was opened by the shell (O_APPEND here): F_GETFL's first answer is the
  // environment's, and F_SETFL then changes only the changeable bits (setfl, SETFL_MASK).
  const Replayed r = Replay(
      "100   fcntl(1</tmp/out.log>, F_GETFL)    = 0x8401 (flags O_WRONLY|O_APPEND|O_LARGEFILE)\n"
      "100   fcntl(1</tmp/out.log>, F_SETFL, O_WRONLY|O_NONBLOCK|O_LARGEFILE) = 0\n"
      "100   fcntl(1</tmp/out.log>, F_GETFL)    = 0x8801 (flags O_WRONLY|O_NONBLOCK|O_LARGEFILE)\n",
      "inherited-getfl.log");
  EXPECT_TRUE(r.result.ok()) << Failures(r.result);
  EXPECT_EQ(r.result.passed, 3);
}

TEST(StraceReplay, EditedLineDivergesAtItsLocation) {
  std::string text = ReadFile(DataPath("tcp.log"));
  const std::string from = "getpeername(5, 0x7ffc012ed540, [128]) = -1 ENOTCONN (Transport endpoint is not connected)";
  const std::size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "getpeername(5, 0x7ffc012ed540, [128]) = -1 EINVAL (Invalid argument)");
  const Replayed r = Replay(text, "edited.log");
  EXPECT_EQ(r.result.failed, 1);
  ASSERT_FALSE(r.result.verdicts.empty());
  const LineVerdict& v = r.result.verdicts[0];
  EXPECT_EQ(v.status, LineVerdict::Status::kFail);
  EXPECT_EQ(v.location.ToString(), "edited.log:6:47");
  EXPECT_NE(v.actual.find("ENOTCONN"), std::string::npos);
}

TEST(StraceReplay, BadInputGivesDiagnosticsNotCrashes) {
  const std::string tcp = ReadFile(DataPath("tcp.log"));
  // Every prefix of the log (cut mid-line too) parses with diagnostics or imports and runs.
  for (std::size_t cut = 0; cut < tcp.size(); cut += 37) {
    const ParseResult parsed = ParseLog(tcp.substr(0, cut), "cut.log");
    const ImportResult imported = ImportStrace(parsed.scenario);
    (void)RunScenario(imported.scenario);
  }
  const ParseResult garbage = ParseLog("12 socket(AF_INET,\n\x01\x02 ]]]\n99 <... accept resumed>) = 3\n", "g.log");
  // A log is never rejected: the lines that cannot be read are kept as unreadable.
  EXPECT_TRUE(garbage.ok());
  ASSERT_FALSE(garbage.scenario.lines.empty());
  EXPECT_EQ(garbage.scenario.lines[0].kind, Line::Kind::kUnreadable);
  EXPECT_EQ(garbage.scenario.lines[0].unreadable().location.line, 1);
  // A resumed line without its start, a call that never returns, an injected result.
  const Replayed odd = Replay(
      "7 <... accept resumed>{sa_family=AF_INET}, [16]) = 3\n"
      "7 accept(3,  <unfinished ...>\n"
      "7 <... accept resumed> <unfinished ...>) = ?\n"
      "7 getpeername(3, 0x7ffc0000, [2]) = -1 ECONNRESET (Connection reset by peer) (INJECTED)\n"
      "7 +++ killed by SIGKILL +++\n",
      "odd.log");
  EXPECT_EQ(odd.result.failed + odd.result.errors, 0) << Failures(odd.result);
  EXPECT_TRUE(odd.result.checked_nothing());  // and so it does not pass
  EXPECT_EQ(odd.imported.skipped.size(), 4u);
}

TEST(StraceReplay, RecordedImportRunsAsAScenario) {
  for (const char* file : {"tcp.yy.log", "udp.log", "unix.log"}) {
    SCOPED_TRACE(file);
    const ParseResult parsed = ParseLog(ReadFile(DataPath(file)), file);
    const ImportResult imported = ImportStrace(parsed.scenario);
    const std::string text = FormatScenarioText(imported.scenario);
    const ParseResult again = ParseScenario(text, "recorded.scn");
    ASSERT_TRUE(again.ok()) << again.errors[0].ToString();
    const ScenarioResult r = RunScenario(again.scenario);
    EXPECT_TRUE(r.ok()) << Failures(r);
    EXPECT_EQ(r.passed, RunScenario(imported.scenario).passed);
  }
}

TEST(StraceReplay, RunRecordReplaysIdentically) {
  const std::string scn =
      (std::filesystem::path(SOCKSIM_SOURCE_DIR) / "scenarios" / "linux" /
       "getpeername" / "tcp-connected.scn")
          .string();
  const ParseResult parsed = ParseScenarioFile(scn);
  ASSERT_TRUE(parsed.ok());
  const ScenarioResult first = RunScenario(parsed.scenario);
  ASSERT_TRUE(first.ok());
  const Replayed again = Replay(first.trace, "recorded.trace");
  EXPECT_TRUE(again.result.ok()) << Failures(again.result);
  EXPECT_EQ(again.result.passed, first.passed);
  EXPECT_EQ(again.result.trace, first.trace);
}

}  // namespace
}  // namespace socksim::tools
