// File: tests/cli/malformed_input_test.cc
// Malformed and hostile input through the command line, as a user runs it (docs/reliability.md):
// file-level garbage, encodings, nesting, strings, absurd numbers, world mistakes, storms,
// graph files, paths and options, strace logs and sandbox probes. Each case writes its files
// into a directory of its own, runs `socksim` there and checks the exit status (0 passes, 1
// fails, 2 unusable input or usage) and the message, with its file:line:col where it has one.
// No case may crash, hang or pass nonsense.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/cli/cli_shell.h"

namespace {

namespace fs = std::filesystem;

struct File {
  enum Kind { kRegular, kFifo, kSymlink };
  std::string path;
  std::string content;  // a symlink's target
  Kind kind = kRegular;
};

struct Case {
  const char* name;
  std::vector<std::string> args;
  std::vector<File> files;
  int status;
  std::string message;  // a line of the output holds it
};

using socksim::testing::CliCommand;
using socksim::testing::Outcome;
using socksim::testing::Quote;
using socksim::testing::Shell;

// Runs the CLI in `dir`, standard error merged into the output.
Outcome RunCli(const fs::path& dir, const std::vector<std::string>& args) {
  return Shell(dir, "exec " + CliCommand({}, args) + " 2>&1");
}

class MalformedInput : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedInput, ExitStatusAndMessage) {
  const Case& c = GetParam();
  const fs::path dir = fs::path(::testing::TempDir()) / "socksim-malformed" / c.name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const File& f : c.files) {
    const fs::path p = dir / f.path;
    fs::create_directories(p.parent_path());
    if (f.kind == File::kFifo) {
      ASSERT_EQ(mkfifo(p.c_str(), 0600), 0);
    } else if (f.kind == File::kSymlink) {
      fs::create_symlink(f.content, p);
    } else {
      std::ofstream(p, std::ios::binary) << f.content;
    }
  }
  const Outcome o = RunCli(dir, c.args);
  EXPECT_EQ(o.status, c.status) << o.output;
  EXPECT_NE(o.output.find(c.message), std::string::npos) << "wanted: " << c.message << "\ngot:\n" << o.output;
  EXPECT_LT(o.output.size(), 64u * 1024) << "a message quotes input without bound";
  // The sandbox: nothing of a file outside the scenario's directory is quoted.
  EXPECT_EQ(o.output.find("root:"), std::string::npos) << o.output;
}

const Case kCases[] = {
    {"empty-file",  // checks nothing
     {"run", "t.scn"},
     {{"t.scn", std::string("", 0)}},
     1, "FAIL t.scn (nothing checked: no call line)"},
    {"blank-lines",  // checks nothing
     {"run", "t.scn"},
     {{"t.scn", std::string("\n\n   \n\t\n", 8)}},
     1, "FAIL t.scn (nothing checked: no call line)"},
    {"comments-only",  // checks nothing
     {"run", "t.scn"},
     {{"t.scn", std::string("# a\n# b\n", 8)}},
     1, "FAIL t.scn (nothing checked: no call line)"},
    {"header-only",  // checks nothing
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n", 44)}},
     1, "FAIL t.scn (nothing checked: no call line)"},
    {"cr-only-line-ends",  // CR ends lines: line 4 diverges
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\rhost h\rprocess 100 host=h\r100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\r", 93)}},
     1, "t.scn:4:48: fail: return value differs"},
    {"crlf-line-ends",  // CRLF: line 4 diverges
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\r\nhost h\r\nprocess 100 host=h\r\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\r\n", 97)}},
     1, "t.scn:4:48: fail: return value differs"},
    {"nul-byte",  // NUL inside a call
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET,\000 SOCK_DGRAM, IPPROTO_UDP) = 3\n", 94)}},
     2, "t.scn:4:20: error: expected a value, found '\\0'"},
    {"binary-garbage",  // binary
     {"run", "t.scn"},
     {{"t.scn", std::string("\177ELF\002\001\001\000\000\000\303\277\303\276\n", 15)}},
     2, "t.scn:1:1: error: expected a pid or a directive at the start of the line, found '\\177'"},
    {"utf8-bom",  // BOM before the first directive
     {"run", "t.scn"},
     {{"t.scn", std::string("\357\273\277personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 96)}},
     2, "t.scn:1:1: error: expected a pid or a directive at the start of the line, found '\\357'"},
    {"invalid-utf8",  // stray bytes after the result
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3 \303\203(\n", 97)}},
     2, "t.scn:4:50: error: unexpected '\\303' after the result"},
    {"control-chars-escaped",  // escape sequence in a call name
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 sock\033[2Jet(AF_INET) = 3\n", 72)}},
     2, "t.scn:4:5: error: socket takes 3 arguments, found 1"},
    {"line-too-long",  // line limit
     {"run", "--max-line-bytes", "100", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 249)}},
     2, "t.scn:4:1: error: the line is 204 bytes, over the limit of 100 (raise it with --max-line-bytes)"},
    {"file-too-big",  // file limit
     {"run", "--max-input-bytes", "10", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "t.scn: error: the file is over the limit of 10 bytes (raise it with --max-input-bytes)"},
    {"directory-as-file-run",  // no scenarios in a directory
     {"run", "d"},
     {{"d/x.txt", std::string("x", 1)}},
     2, "socksim run: no scenario files (*.scn, *.trace) found"},
    {"missing-file",  // no such file
     {"run", "nope.scn"},
     {},
     2, "socksim run: nope.scn: no such file or directory"},
    {"dev-zero",  // a device
     {"run", "/dev/zero"},
     {},
     2, "socksim run: /dev/zero: not a regular file or directory (a FIFO or device is not read)"},
    {"proc-self-mem",  // read error
     {"run", "/proc/self/mem"},
     {},
     2, "/proc/self/mem: error: cannot read the file (a read error)"},
    {"fifo",  // a FIFO
     {"run", "f.scn"},
     {{"f.scn", "", File::kFifo}},
     2, "socksim run: f.scn: not a regular file or directory (a FIFO or device is not read)"},
    {"deep-nesting",  // nesting limit
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 bind(3, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]], 16) = 0\n", 10066)}},
     2, "t.scn:4:113: error: value nested too deeply"},
    {"unterminated-string",  // string
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 sendto(3, \"abc, 3, 0, NULL, 0) = 3\n", 132)}},
     2, "t.scn:5:15: error: unterminated string"},
    {"bad-escape",  // escape
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 sendto(3, \"a\\q\", 2, 0, NULL, 0) = 2\n", 133)}},
     2, "t.scn:5:17: error: unknown escape '\\q' in string"},
    {"huge-hex-escape",  // escape
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 sendto(3, \"\\x1ff\", 2, 0, NULL, 0) = 2\n", 135)}},
     1, "t.scn:5:41: fail: return value differs"},
    {"unbalanced-brace",  // brace
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 bind(3, {sa_family=AF_INET, sin_port=htons(80), 16) = 0\n", 104)}},
     2, "t.scn:4:55: error: expected ',' or '}' after structure member, found ')'"},
    {"missing-result",  // no = result
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)\n", 89)}},
     2, "t.scn:4:45: error: missing '= RESULT' after ')'"},
    {"trailing-garbage",  // after the result
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3 garbage\n", 101)}},
     2, "t.scn:4:50: error: unexpected 'garbage' after the result"},
    {"fd-2^64",  // number too big
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 close(18446744073709551616) = 0\n", 80)}},
     2, "t.scn:4:11: error: bad integer '18446744073709551616': out of range"},
    {"fd-negative-huge",  // number too small
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 close(-9223372036854775809) = 0\n", 80)}},
     2, "t.scn:4:11: error: bad integer '-9223372036854775809': out of range"},
    {"port-65536",  // htons range
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 bind(3, {sa_family=AF_INET, sin_port=htons(65536), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0\n", 190)}},
     2, "t.scn:5:13: error: bad sin_port 'htons(65536)'"},
    {"uid-2^32",  // uid range
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h uid=4294967296\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 108)}},
     2, "t.scn:3:20: error: 'uid' needs a number from 0 to 4294967295, found '4294967296'"},
    {"pid-2^32-plus",  // pid range
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 4294967396 host=h\n4294967396 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 107)}},
     2, "t.scn:4:1: error: pid out of range"},
    {"pid-zero",  // pid 0
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 0 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 91)}},
     2, "t.scn:3:1: error: process takes a positive pid"},
    {"bad-address",  // address
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"300.1.1.1\")}, 16) = 0\n", 187)}},
     2, "t.scn:5:13: error: bad IPv4 address '300.1.1.1'"},
    {"result-2^64",  // result range
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 18446744073709551616\n", 112)}},
     2, "t.scn:4:48: error: bad integer '18446744073709551616': out of range"},
    {"advance-overflow",  // virtual time limit
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\nadvance 1000000000s\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 6093)}},
     2, "t.scn:13:1: error: advance would take virtual time past its end (about 292 years)"},
    {"advance-negative",  // negative advance
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\nadvance -1s\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 105)}},
     2, "t.scn:4:1: error: advance takes a duration such as 1500ms"},
    {"huge-send-length",  // no huge allocation
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n100 send(3, \"a\", 18446744073709551615, 0) = -1 EPIPE (Broken pipe)\n", 161)}},
     0, "PASS t.scn (2 calls)"},
    {"huge-optlen",  // 16 MiB at most laid out
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 18446744073709551615) = -1 EINVAL (Invalid argument)\n", 195)}},
     0, "PASS t.scn (2 calls)"},
    {"huge-bind-length",  // length
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.0.0.1\")}, 18446744073709551615) = -1 EINVAL (Invalid argument)\n", 232)}},
     0, "PASS t.scn (2 calls)"},
    {"huge-iov",  // iovec
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 writev(3, [{iov_base=\"a\", iov_len=18446744073709551615}], 1) = -1 EDESTADDRREQ (Destination address required)\n", 207)}},
     1, "t.scn:5:68: fail: error differs"},
    {"unknown-host",  // host
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=nope\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 96)}},
     2, "t.scn:3:1: error: unknown host 'nope'"},
    {"duplicate-host",  // dup host
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 100)}},
     2, "t.scn:3:1: error: 'h' is declared twice"},
    {"duplicate-pid",  // dup pid
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 112)}},
     2, "t.scn:4:1: error: pid 100 is declared twice"},
    {"unknown-pid",  // pid
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n300 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "t.scn:4:5: error: no process 300 (declare it with 'process 300 host=...')"},
    {"fork-to-self",  // fork pid taken
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 fork() = 100\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 110)}},
     2, "t.scn:4:5: error: the simulated world cannot do this: Fork: pid unavailable"},
    {"unknown-call",  // misspelt call
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 getpeernam(3, NULL, NULL) = 0\n", 78)}},
     2, "t.scn:4:5: error: unknown call 'getpeernam' for personality linux (did you mean getpeername?)"},
    {"unknown-personality",  // personality
     {"run", "t.scn"},
     {{"t.scn", std::string("personality plan9\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "t.scn:1:1: error: personality 'plan9' is not available (known: linux, windows, illumos)"},
    {"unknown-fault",  // fault point
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\nfault linux.frobnicate times=1\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 124)}},
     2, "t.scn:4:7: error: unknown fault point 'linux.frobnicate'"},
    {"unknown-directive",  // directive
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\nteleport 100\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 106)}},
     2, "t.scn:4:1: error: unknown directive 'teleport'"},
    {"link-unknown-host",  // link
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nlink h z latency=1ms\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 114)}},
     2, "t.scn:3:1: error: unknown host 'z'"},
    {"link-to-itself",  // self link
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nlink h h latency=1ms\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 114)}},
     2, "t.scn:3:1: error: link from node 0 to itself"},
    {"unknown-errno",  // errno
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = -1 EFROB (Frob)\n", 107)}},
     2, "t.scn:4:48: error: unknown error 'EFROB' for personality linux"},
    {"unknown-constant",  // constant
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_FROB, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "t.scn:4:12: error: unknown constant 'AF_FROB'"},
    {"process-exited-call",  // exited
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 +++ exited with 0 +++\n100 close(3) = 0\n", 136)}},
     2, "t.scn:6:5: error: process 100 has exited"},
    {"killed-by-frob",  // signal
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 +++ killed by SIGFROB +++\n", 123)}},
     2, "t.scn:5:19: error: unknown signal 'SIGFROB'"},
    {"capture-unbound",  // capture
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 close($nope) = 0\n", 65)}},
     2, "t.scn:4:11: error: $nope has no value yet (no earlier line bound it)"},
    {"graph-absolute",  // sandbox
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph /etc/passwd\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 104)}},
     2, "t.scn:2:7: error: graph '/etc/passwd': only a path relative to the scenario's directory is read (the"},
    {"graph-dotdot",  // sandbox
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph ../g.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 101)}},
     2, "t.scn:2:7: error: graph '../g.gml': a path may not climb out of the scenario's directory with '..' ("},
    {"graph-symlink-out",  // sandbox, nothing quoted
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph s.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"s.gml", "/etc/shadow", File::kSymlink}},
     2, "t.scn:2:7: error: graph 's.gml': the path leaves the scenario's directory through a symlink (the san"},
    {"graph-fifo",  // fifo
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph f.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"f.gml", "", File::kFifo}},
     2, "t.scn:2:7: error: graph 'f.gml': not a regular file (a directory, FIFO or device is not read)"},
    {"graph-missing",  // missing
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph m.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}},
     2, "t.scn:2:7: error: graph 'm.gml': no such file"},
    {"graph-bad-extension",  // extension
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph g.txt\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"g.txt", std::string("x", 1)}},
     2, "g.txt: error: unknown graph file extension \".txt\" (expected .dot, .gv "},
    {"graph-garbage",  // gml syntax
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph g.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"g.gml", std::string("graph [ node [ id \"x", 20)}},
     2, "g.gml:1:19: error: unterminated string"},
    {"graph-dot-garbage",  // dot syntax
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph g.dot\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"g.dot", std::string("digraph { a -> }", 16)}},
     2, "g.dot:1:16: error: expected an ID, found '}'"},
    {"graph-directory",  // directory
     {"run", "t.scn"},
     {{"t.scn", std::string("personality linux\ngraph d.gml\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 98)}, {"d.gml/x", std::string("x", 1)}},
     2, "t.scn:2:7: error: graph 'd.gml': not a regular file (a directory, FIFO or device is not read)"},
    {"no-arguments-run",  // paths required
     {"run"},
     {},
     2, "paths is required"},
    {"unknown-option",  // usage
     {"run", "--frobnicate", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "The following argument was not expected: --frobnicate"},
    {"unknown-subcommand",  // usage
     {"frob"},
     {},
     2, "The following argument was not expected: frob"},
    {"seed-negative",  // seed
     {"run", "--seed", "-1", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "--seed: must not be negative"},
    {"seed-not-a-number",  // seed
     {"run", "--seed", "abc", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "Could not convert: --seed = abc"},
    {"jobs-negative",  // jobs
     {"run", "-j", "-1", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "Could not convert: --jobs = -1"},
    {"shard-zero",  // shard
     {"run", "--shard", "0/0", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "socksim run: --shard wants I/N with 1 <= I <= N, got '0/0'"},
    {"header-not-a-header",  // header
     {"run", "--header", "100 close(3) = 0", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "socksim run: --header '100 close(3) = 0' is not one header directive"},
    {"record-dev-full",  // write error
     {"run", "--record", "/dev/full", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "socksim run: cannot write /dev/full: No space left on device"},
    {"junit-dev-full",  // write error
     {"run", "--junit", "/dev/full", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "socksim run: cannot write /dev/full: No space left on device"},
    {"max-line-zero",  // limit option
     {"run", "--max-line-bytes", "0", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "--max-line-bytes: must be a whole number of at least 1"},
    {"log-level-bad",  // log level
     {"run", "--log-level", "loud", "t.scn"},
     {{"t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     2, "socksim: unknown --log-level 'loud'"},
    {"record-dotdot-inputs",  // record stays inside out/
     {"run", "--record", "out", "a/../a/t.scn", "../record-dotdot-inputs/b/u.scn"},
     {{"a/t.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}, {"b/u.scn", std::string("personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 93)}},
     0, "PASS a/../a/t.scn (1 calls)"},
    {"log-empty",  // checks nothing
     {"replay", "t.log"},
     {{"t.log", std::string("", 0)}},
     1, "FAIL t.log (nothing checked: no call line)"},
    {"log-dup-no-args",  // not replayed; checks nothing
     {"replay", "t.log"},
     {{"t.log", std::string("100 dup() = 5\n", 14)}},
     1, "FAIL t.log (nothing checked: no call line)"},
    {"log-dup2-no-args",  // not replayed, no crash
     {"replay", "t.log"},
     {{"t.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 dup2() = 5\n", 64)}},
     0, "replay: 1 call(s) checked, 0 adopted as recorded, 0 known-unknown, 1 not replayed (0 on sockets); in"},
    {"log-killed-by-frob",  // signal
     {"replay", "t.log"},
     {{"t.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 +++ killed by SIGFROB +++\n", 79)}},
     2, "t.log:2:19: unknown signal 'SIGFROB'"},
    {"log-orphan-resumed",  // checks nothing
     {"replay", "t.log"},
     {{"t.log", std::string("100 <... read resumed>\"x\", 1) = 1\n", 34)}},
     1, "FAIL t.log (nothing checked: no call line)"},
    {"log-resume-by-wrong-pid",  // another pid resumes the call pid 100 started: not a log strace wrote
     {"replay", "t.log"},
     {{"t.log", "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 recvfrom(3,  <unfinished ...>\n101 <... recvfrom resumed>\"x\", 1, 0, NULL, NULL) = 1\n"}},
     2, "t.log:3:5: pid 101 resumes recvfrom, which pid 100 started at t.log:2:5 and has not finished: strace prints a call's resume under the pid that started it"},
    {"log-resume-at-pids-start-strict",  // a resume whose start precedes the log is not replayed; --strict fails it
     {"replay", "--strict", "t.log"},
     {{"t.log", "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n101 <... recvfrom resumed>\"x\", 1, 0, NULL, NULL) = 1\n"}},
     1, "strict: not replayed: t.log:2:5: 101 <... recvfrom resumed>\"x\", 1, 0, NULL, NULL) = 1 (resumed call without its start)"},
    {"log-fd-1048576",  // diverges, no hang
     {"replay", "t.log"},
     {{"t.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 1048576\n", 104)}},
     1, "t.log:2:48: fail: return value differs"},
    {"log-huge-write-count",  // no hang
     {"replay", "t.log"},
     {{"t.log", std::string("100 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0\n100 write(3, \"ab\"..., 1000000000000000) = 1000000000000000\n", 111)}},
     1, "t.log:2:43: fail: return value differs"},
    {"log-garbage-only",  // unreadable: checks nothing
     {"replay", "t.log"},
     {{"t.log", std::string("this is not strace\n\000\001\002\n", 23)}},
     1, "FAIL t.log (nothing checked: no call line)"},
    {"log-dev-zero",  // a device
     {"replay", "/dev/zero"},
     {},
     2, "/dev/zero: not a regular file (a directory, FIFO or device is not read)"},
    {"log-directory",  // a directory
     {"replay", "d"},
     {{"d/x", std::string("x", 1)}},
     2, "d: not a regular file (a directory, FIFO or device is not read)"},
    {"log-fork-existing",  // fork to its own pid
     {"replay", "t.log"},
     {{"t.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 fork() = 100\n100 close(3) = 0\n", 83)}},
     0, "replay: 3 call(s) checked, 0 adopted as recorded, 0 known-unknown, 1 not replayed (0 on sockets); in"},
    {"log-line-too-long",  // line limit
     {"replay", "--max-line-bytes", "100", "t.log"},
     {{"t.log", std::string("100 yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n", 305)}},
     2, "t.log:1:1: the line is 304 bytes, over the limit of 100 (raise it with --max-line-bytes)"},
    {"log-ff-bad-names",  // files not named PREFIX.PID
     {"replay", "a.log", "b.log"},
     {{"a.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 49)}, {"b.log", std::string("100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n", 49)}},
     2, "socksim replay: a.log: several files make one log only when strace -ff wrote them, named PREFIX.PID"},
    {"unknown-error-windows",  // a WSA code Windows' table does not hold
     {"run", "t.scn"},
     {{"t.scn", "personality windows\nhost h\nprocess 300 host=h\n300 WSAStartup(0x202, _) = 0\n300 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $c\n300 getpeername($c, NULL, NULL) = SOCKET_ERROR WSAEFROB\n"}},
     2, "t.scn:6:35: error: unknown error 'WSAEFROB' for personality windows"},
    {"unknown-error-illumos",  // an errno illumos' table does not hold
     {"run", "t.scn"},
     {{"t.scn", "personality illumos\nhost h\nprocess 300 host=h uid=0 gid=0\n300 getpeerucred(3, [NULL]) = -1 EFROB (Frob)\n"}},
     2, "t.scn:4:31: error: unknown error 'EFROB' for personality illumos"},
    // Storms and scale: each of the simulator's own limits (sim/limits.h) stops the run at the
    // line that would pass it, names the limit and says how to raise it.
    {"limit-hosts",  // host lines past --max-hosts
     {"run", "--max-hosts", "2", "t.scn"},
     {{"t.scn", "personality linux\nhost a\nhost b\nhost c\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}},
     2, "t.scn:4:1: error: the run reached its limit of 2 nodes (hosts and routers); raise it with --max-hosts N (RunOptions::limits in C++)"},
    {"limit-hosts-graph",  // a graph file's nodes count too
     {"run", "--max-hosts", "2", "t.scn"},
     {{"t.scn", "personality linux\ngraph g.dot\nprocess 100 host=a\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"},
      {"g.dot", "graph g { a; b; c; }\n"}},
     2, "t.scn:2:1: error: the run reached its limit of 2 nodes (hosts and routers); raise it with --max-hosts N"},
    {"limit-processes-fork",  // a fork storm
     {"run", "--max-processes", "3", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\n100 fork() = 101\n100 fork() = 102\n100 fork() = 103\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}},
     2, "t.scn:6:5: error: the run reached its limit of 3 processes (living and exited); raise it with --max-processes N (RunOptions::limits in C++); the run stops here"},
    {"limit-processes-declared",  // process lines
     {"run", "--max-processes", "1", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\nprocess 200 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}},
     2, "t.scn:4:1: error: the run reached its limit of 1 processes (living and exited); raise it with --max-processes N"},
    {"limit-threads",  // thread lines
     {"run", "--max-threads", "1", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\nthread 101 process=100\nthread 102 process=100\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}},
     2, "t.scn:5:1: error: the run reached its limit of 1 threads alive at once (besides each process's main thread); raise it with --max-threads N"},
    {"limit-descriptors",  // stdio counts: 0, 1, 2, then 3 and 4 fit, 5 does not
     {"run", "--max-descriptors", "5", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 dup(3) = 4\n100 dup(3) = 5\n"}},
     2, "t.scn:6:5: error: the run reached its limit of 5 open descriptors (all processes together); raise it with --max-descriptors N (RunOptions::limits in C++); the run stops here"},
    {"limit-descriptors-fork",  // a fork copies the table: three more descriptors
     {"run", "--max-descriptors", "5", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 fork() = 101\n"}},
     2, "t.scn:5:5: error: the run reached its limit of 5 open descriptors (all processes together); raise it with --max-descriptors N"},
    {"limit-sockets",  // sockets at once; a closed one no longer counts
     {"run", "--max-sockets", "2", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\n100 close(4) = 0\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 4\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 5\n"}},
     2, "t.scn:8:5: error: the run reached its limit of 2 sockets held at once; raise it with --max-sockets N (RunOptions::limits in C++); the run stops here"},
    {"limit-events",  // a TCP handshake over a link runs two events: the SYN's and the SYN-ACK's arrival
     {"run", "--max-events", "1", "t.scn"},
     {{"t.scn", "personality linux\nhost a\nhost b\nlink a b latency=1ms a=10.0.0.1/24 b=10.0.0.2/24\nprocess 100 host=a\nprocess 200 host=b\n"
                "200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n200 bind(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n200 listen(3, 5) = 0\n"
                "100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3\n100 connect(3, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0\n"}},
     2, "t.scn:11:5: error: the run reached its limit of 1 events run; raise it with --max-events N (RunOptions::limits in C++); the run stops here"},
    {"limit-zero",  // a limit of 0 is a usage error
     {"run", "--max-sockets", "0", "t.scn"},
     {{"t.scn", "personality linux\nhost h\nprocess 100 host=h\n100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n"}},
     2, "--max-sockets: must be a whole number of at least 1"},
    {"limit-replay-fork",  // replay takes the same limits
     {"replay", "--max-processes", "1", "t.log"},
     {{"t.log", "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n100 fork() = 101\n101 close(3) = 0\n"}},
     2, "t.log:2:5: error: the run reached its limit of 1 processes (living and exited); raise it with --max-processes N"},
};

INSTANTIATE_TEST_SUITE_P(Cases, MalformedInput, ::testing::ValuesIn(kCases), [](const auto& info) {
  std::string name = info.param.name;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
});

// --record with `..` in the input paths writes inside the record directory only.
TEST(MalformedInputRecord, DotDotInputsStayInsideTheRecordDirectory) {
  const fs::path dir = fs::path(::testing::TempDir()) / "socksim-malformed-record" / "w";
  fs::remove_all(dir.parent_path());
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  const std::string scenario = "personality linux\nhost h\nprocess 100 host=h\n"
                               "100 socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = 3\n";
  std::ofstream(dir / "a" / "t.scn") << scenario;
  std::ofstream(dir / "b" / "u.scn") << scenario;
  const Outcome o = RunCli(dir, {"run", "--record", "out", "a/../a/t.scn", "../w/b/u.scn"});
  ASSERT_EQ(o.status, 0) << o.output;
  std::vector<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(dir / "out")) {
    if (e.is_regular_file()) written.push_back(fs::relative(e.path(), dir / "out").generic_string());
  }
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, (std::vector<std::string>{"_parent/w/b/u.trace", "a/t.trace"}));
  EXPECT_FALSE(fs::exists(dir.parent_path() / "w" / "b" / "u.trace"));
}

}  // namespace
