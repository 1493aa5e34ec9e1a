// File: tests/tools/host_test.cc
// `socksim run --host`: scenarios run on the kernel of this machine through the host call
// table. Skipped when not root or when no network namespace can be created.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

bool CanIsolate() {
  if (geteuid() != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) _exit(unshare(CLONE_NEWNET) == 0 ? 0 : 1);
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class HostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanIsolate()) GTEST_SKIP() << "needs root and unshare(CLONE_NEWNET)";
  }

  static ScenarioResult Run(const std::string& text) {
    const ParseResult parsed = ParseScenario(text, "host.scn");
    EXPECT_TRUE(parsed.ok());
    return RunScenario(parsed.scenario, RunOptions{.seed = std::nullopt, .host = true});
  }

  static std::string Verdicts(const ScenarioResult& r) {
    std::string out;
    for (const auto& v : r.verdicts) out += v.location.ToString() + ": " + v.message + " | " + v.actual + "\n";
    return out;
  }

  // Every process the host table started has been reaped: this test process has no child.
  static void ExpectNoChildren() {
    errno = 0;
    EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
  }
};

constexpr const char* kHeader = R"(personality linux
host a
host b
link a b a=10.0.0.1/24 b=10.0.0.2/24
process 100 host=a uid=1000 gid=1000
process 200 host=b uid=0 gid=0
)";

TEST_F(HostTest, ConnectAcceptAndErrorsPass) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
200 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("10.0.0.2")}, 16) = 0
200 listen(3, 8) = 0
200 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not connected)
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
100 getpeername(3, 0x1, [128]) = -1 ENOTCONN (Transport endpoint is not connected)
100 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("10.0.0.2")}, 16) = 0
100 getpeername(3, 0x1, [128]) = -1 EFAULT (Bad address)
100 getpeername(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("10.0.0.2")}, [128 => 16]) = 0
100 getpeername(3, {sa_family=AF_INET, sa_data="\37\220\n\0\0\2"}, [8 => 16]) = 0
200 accept(3, {sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr(_)}, [128 => 16]) = 4
200 getsockname(4, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("10.0.0.2")}, [16]) = 0
100 close(3) = 0
100 close(3) = -1 EBADF (Bad file descriptor)
100 socket(AF_UNIX, SOCK_STREAM, 0) = 3
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 15);
  ExpectNoChildren();
}

TEST_F(HostTest, WrongExpectationFails) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 EBADF (Bad file descriptor)
100 socket(AF_INET, SOCK_DGRAM, 0) = 5
)");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failed, 2);
  ASSERT_EQ(r.verdicts.size(), 2u);
  EXPECT_EQ(r.verdicts[0].actual,
            "100 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not connected)");
  EXPECT_EQ(r.verdicts[1].actual, "100 socket(AF_INET, SOCK_DGRAM, 0) = 4");
  ExpectNoChildren();
}

TEST_F(HostTest, UnfinishedAcceptResumesAfterConnect) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
200 bind(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("0.0.0.0")}, 16) = 0
200 listen(3, 8) = 0
200 accept(3, {sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr(_)}, [128 => 16] <unfinished ...>
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
100 connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("10.0.0.2")}, 16) = 0
100 sendto(3, "hi", 2, 0, NULL, 0) = 2
200 <... accept resumed>) = 4
200 recvfrom(4, "hi", 16, 0, NULL, NULL) = 2
200 recvfrom(4, "", 16, 0, NULL, NULL <unfinished ...>
100 close(3) = 0
200 <... recvfrom resumed>) = 0
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 10);
  ExpectNoChildren();
}

TEST_F(HostTest, CredentialsAndExitEvents) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
200 socket(AF_UNIX, SOCK_STREAM, 0) = 3
200 bind(3, {sa_family=AF_UNIX, sun_path=@"host-test"}, 12) = 0
200 listen(3, 8) = 0
100 socket(AF_UNIX, SOCK_STREAM, 0) = 3
100 connect(3, {sa_family=AF_UNIX, sun_path=@"host-test"}, 12) = 0
200 accept(3, NULL, NULL) = 4
200 getsockopt(4, SOL_SOCKET, SO_PEERCRED, {pid=100, uid=1000, gid=1000}, [12]) = 0
100 setresuid(0, 0, 0) = -1 EPERM (Operation not permitted)
100 +++ exited with 0 +++
200 read(4, "", 8) = 0
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 9);
  ExpectNoChildren();
}

TEST_F(HostTest, IncomparableDirectivesSkipTheRest) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
link-down a b
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 1);
  EXPECT_EQ(r.skipped, 1);
  ExpectNoChildren();
}

}  // namespace
}  // namespace socksim::tools
