// File: tests/tools/host_test.cc
// `socksim run --host`: scenarios run on the kernel of this machine through the Linux call
// table over the host backend (skipped when not root or when no network namespace can be
// created), and the agent protocol's regions (always).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "sim/address_space.h"
#include "tools/personality/linux/host/host_call_table.h"
#include "tools/personality/linux/host/host_wire.h"
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
    RunOptions options;
    options.host = [](std::string_view personality) -> const HostExecutor* {
      return personality == "linux" ? &linux_host_executor() : nullptr;
    };
    return RunScenario(parsed.scenario, options);
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

// One host: scenarios with several nodes are the simulator's alone (docs/scenario-format.md).
constexpr const char* kHeader = R"(personality linux
host a
process 100 host=a uid=1000 gid=1000
process 200 host=a uid=0 gid=0
)";

TEST_F(HostTest, ConnectAcceptAndErrorsPass) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
200 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
200 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
200 listen(3, 8) = 0
200 getpeername(3, 0x7ffc783a3fe0, [128]) = -1 ENOTCONN (Transport endpoint is not connected)
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3
100 getpeername(3, 0x1, [128]) = -1 ENOTCONN (Transport endpoint is not connected)
100 connect(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getpeername(3, 0x1, [128]) = -1 EFAULT (Bad address)
100 getpeername(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [128 => 16]) = 0
100 getpeername(3, {sa_family=AF_INET, sa_data="\37\220\177\0\0\1"}, [8 => 16]) = 0
200 accept(3, {sa_family=AF_INET, sin_port=htons(_), sin_addr=inet_addr(_)}, [128 => 16]) = 4
200 getsockname(4, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, [16]) = 0
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
100 connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
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
fault net.drop times=1
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 1);
  EXPECT_EQ(r.skipped, 1);
  ExpectNoChildren();
}

TEST_F(HostTest, ForkScmRightsAndPeercredPids) {
  const ScenarioResult r = Run(R"(personality linux
host a
process 100 host=a uid=1000 gid=1000
100 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0
100 socket(AF_UNIX, SOCK_STREAM, 0) = 5
100 bind(5, {sa_family=AF_UNIX, sun_path=@"host-fork"}, 12) = 0
100 listen(5, 8) = 0
100 fork() = 101
101 socket(AF_UNIX, SOCK_STREAM, 0) = 6
101 connect(6, {sa_family=AF_UNIX, sun_path=@"host-fork"}, 12) = 0
100 accept(5, NULL, NULL) = 6
100 getsockopt(6, SOL_SOCKET, SO_PEERCRED, {pid=101, uid=1000, gid=1000}, [12]) = 0
101 getsockopt(6, SOL_SOCKET, SO_PEERCRED, {pid=100, uid=1000, gid=1000}, [12]) = 0
100 sendmsg(4, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="F", iov_len=1}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[6]}], msg_controllen=24, msg_flags=0}, 0) = 1
101 recvmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="F", iov_len=4}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], msg_controllen=24, msg_flags=0}, 0) = 1
101 getsockopt(7, SOL_SOCKET, SO_PEERCRED, {pid=101, uid=1000, gid=1000}, [12]) = 0
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 13);
  ExpectNoChildren();
}

TEST_F(HostTest, ReadOnlyAndLargeBuffers) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
100 socketpair(AF_UNIX, SOCK_DGRAM, 0, [3, 4]) = 0
100 getpeername(3, 0x7ffc783a3fe0, ro:[128]) = -1 EFAULT (Bad address)
100 getpeername(3, {sa_family=AF_UNIX}, [128 => 2]) = 0
100 sendto(3, "hello", 5, 0, NULL, 0) = 5
100 recvfrom(4, ro:"hello", 5, 0, NULL, NULL) = -1 EFAULT (Bad address)
100 sendto(3, "again", 5, 0, NULL, 0) = 5
100 recvfrom(4, "again", 4194304, 0, NULL, NULL) = 5
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 7);
  ExpectNoChildren();
}

// The staging memory's layouts reach the real process: a straddling buffer faults at the
// same byte on the real kernel, and the bytes before the fault come back.
TEST_F(HostTest, StraddlingAndMisalignedBuffersFaultWhereTheyDoInTheSimulator) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
100 socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0
100 send(3, mapped=4:buffer("0123456789", 0), 10, 0) = -1 EFAULT (Bad address)
100 send(3, "hello", 5, 0) = 5
100 recv(4, mapped=2:buffer(5, 0xaa) => buffer("he", 0xaa), 5, 0) = -1 EFAULT (Bad address)
100 recv(4, buffer(8, 0xaa) => buffer("hello", 0xaa), 8, 0) = 5
100 getsockname(3, buffer(16, 0xaa) => buffer("\1\0", 0xaa), offset=4095:[16 => 2]) = 0
100 getsockname(3, buffer(16, 0xaa) => untouched, mapped=3:[16]) = -1 EFAULT (Bad address)
100 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = $listener
100 bind($listener, {sa_family=AF_INET, sin_port=htons(21091), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
100 getsockname($listener, mapped=6:buffer(16, 0xaa) => buffer("\2\0Rc\177\0", 0xaa), [16]) = -1 EFAULT (Bad address)
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 10);
  ExpectNoChildren();
}

TEST_F(HostTest, TheChannelDescriptorIsSkipped) {
  const ScenarioResult r = Run(std::string(kHeader) + R"(
100 close(1000) = -1 EBADF (Bad file descriptor)
100 socket(AF_INET, SOCK_DGRAM, 0) = 3
100 dup2(3, 1000) = 1000
100 close(3) = 0
)");
  EXPECT_TRUE(r.ok()) << Verdicts(r);
  EXPECT_EQ(r.passed, 2);
  EXPECT_EQ(r.skipped, 2);
  ExpectNoChildren();
}

// The staging memory's regions, as the host backend sends them.
TEST(HostWireTest, StagingRegionsKeepGuardGaps) {
  sim::AddressSpace mem;
  const sim::UserAddress a = mem.Allocate(10);
  const sim::UserAddress b = mem.AllocateAtEnd(5000, sim::Protection::kRead);
  const auto regions = mem.Regions();
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0].base, sim::AddressSpace::kFirstAllocation);
  EXPECT_EQ(a, regions[0].base);
  EXPECT_EQ(regions[0].size, 4096u);
  EXPECT_EQ(regions[0].prot, sim::Protection::kReadWrite);
  EXPECT_EQ(regions[1].base, regions[0].base + 2 * 4096);  // one unmapped page between
  EXPECT_EQ(regions[1].size, 8192u);
  EXPECT_EQ(b + 5000, regions[1].base + regions[1].size);  // ends where the mapping ends
  EXPECT_EQ(regions[1].prot, sim::Protection::kRead);
  EXPECT_EQ(regions[1].bytes.size(), 8192u);
}

TEST(HostWireTest, RequestsRoundTripAndBadRegionsAreRefused) {
  host::Request r;
  r.nr = 45;
  r.args = {3, static_cast<std::int64_t>(sim::AddressSpace::kFirstAllocation), 16, -1, 0, 7};
  r.regions.push_back(host::WireRegion{sim::AddressSpace::kFirstAllocation, 4096, host::kRegionRead,
                                       host::TrimZeros(std::vector<std::uint8_t>{1, 2, 0, 0})});
  r.regions.push_back(host::WireRegion{sim::AddressSpace::kFirstAllocation + 8192, 8192,
                                       host::kRegionRead | host::kRegionWrite, {}});
  std::string error;
  const auto back = host::DecodeRequest(host::EncodeRequest(r), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->nr, 45);
  EXPECT_EQ(back->args, r.args);
  ASSERT_EQ(back->regions.size(), 2u);
  EXPECT_EQ(back->regions[0].init, (std::vector<std::uint8_t>{1, 2}));
  EXPECT_EQ(back->regions[1].address, sim::AddressSpace::kFirstAllocation + 8192);
  EXPECT_EQ(back->regions[1].prot, host::kRegionRead | host::kRegionWrite);

  auto refused = [&](host::Request bad) { return !host::DecodeRequest(host::EncodeRequest(bad), &error); };
  host::Request overlap = r;
  overlap.regions[1].address = sim::AddressSpace::kFirstAllocation;
  EXPECT_TRUE(refused(overlap));
  host::Request misaligned = r;
  misaligned.regions[0].address += 16;
  EXPECT_TRUE(refused(misaligned));
  host::Request low = r;
  low.regions[0].address = 0x10000;
  EXPECT_TRUE(refused(low));
  host::Request too_much = r;
  too_much.regions[0].init.assign(4097, 1);
  EXPECT_TRUE(refused(too_much));
}

}  // namespace
}  // namespace socksim::tools
