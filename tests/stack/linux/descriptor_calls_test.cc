// File: tests/stack/linux/descriptor_calls_test.cc
// The descriptor calls real programs make around their sockets (fcntl_calls.cc,
// pipe_calls.cc, vector_io_calls.cc): F_GETFL per object, F_SETFL's mask, FIONBIO and
// FIONREAD, pipes and eventfds (with ENOTSOCK for socket calls on them), readv/writev and
// sendmmsg/recvmmsg. Values were measured with `socksim run --host` on Linux 6.18.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

using LinuxDescriptorCalls = LinuxFixture;

// An int in fresh memory of `p`.
sim::UserAddress IntCell(LinuxFixture& f, sim::Process& p, std::int32_t v) {
  return f.Len(p, static_cast<std::uint32_t>(v));
}

// {read end, write end} of a new pipe in `p`.
std::pair<int, int> Pipe(LinuxFixture& f, sim::Process& p, int flags = 0) {
  const auto fds = f.Buffer(p, 8);
  f.MustSucceed(f.linux_.Pipe2(p, fds, flags));
  return {static_cast<int>(*p.memory().ReadU32(fds)), static_cast<int>(*p.memory().ReadU32(fds + 4))};
}

// A struct iovec array in `p` naming `vectors` (each laid out as given).
sim::UserAddress Iovecs(LinuxFixture& f, sim::Process& p, const std::vector<std::string>& vectors,
                        std::vector<sim::UserAddress>* bases = nullptr) {
  const auto array = p.memory().Allocate(16 * vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    const auto base = f.Place(p, std::vector<std::uint8_t>(vectors[i].begin(), vectors[i].end()));
    EXPECT_TRUE(p.memory().WriteU64(array + 16 * i, base));
    EXPECT_TRUE(p.memory().WriteU64(array + 16 * i + 8, vectors[i].size()));
    if (bases != nullptr) bases->push_back(base);
  }
  return array;
}

std::string Text(LinuxFixture& f, sim::Process& p, sim::UserAddress at, std::size_t n) {
  const auto bytes = f.Read(p, at, n);
  return std::string(bytes.begin(), bytes.end());
}

// ---- F_GETFL: each object's access mode plus its status flags ----

struct GetflCase {
  const char* id;
  // Creates the descriptor in the fixture's process a_ and returns it.
  std::function<int(LinuxFixture&)> make;
  std::int64_t flags;
};

class LinuxFcntlGetfl : public LinuxFixture, public ::testing::WithParamInterface<GetflCase> {};

TEST_P(LinuxFcntlGetfl, ReportsAccessModeAndStatusFlags) {
  const int fd = GetParam().make(*this);
  const CallResult r = linux_.Fcntl(*a_, fd, kFGetfl, 0);
  ASSERT_TRUE(r.succeeded());
  EXPECT_EQ(r.value, GetParam().flags);
}

const GetflCase kGetflCases[] = {
    {"TcpSocket", [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Socket(*f.a_, kAfInet, kSockStream, 0)); },
     0x2},
    {"NonblockingUdpSocket",
     [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Socket(*f.a_, kAfInet, kSockDgram | kSockNonblock, 0)); },
     0x802},
    {"PipeReadEnd", [](LinuxFixture& f) { return Pipe(f, *f.a_).first; }, 0x0},
    {"PipeWriteEnd", [](LinuxFixture& f) { return Pipe(f, *f.a_).second; }, 0x1},
    {"NonblockingPipeReadEnd", [](LinuxFixture& f) { return Pipe(f, *f.a_, kONonblock).first; }, 0x800},
    {"Eventfd", [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Eventfd2(*f.a_, 0, 0)); }, 0x2},
    {"NonblockingEventfd",
     [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Eventfd2(*f.a_, 0, kEfdNonblock)); }, 0x802},
    {"RegularFile", [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Open(*f.a_, "/etc/hosts")); }, 0x8002},
    {"ReadOnlyNonblockingFile",
     [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Openat(*f.a_, "/k", kORdonly | kONonblock)); }, 0x8800},
    {"CreatedWriteOnlyFile",
     [](LinuxFixture& f) {
       return f.MustSucceed(f.linux_.Openat(*f.a_, "/o", kOWronly | kOCreat | kOTrunc | kOCloexec));
     },
     0x8001},
    {"DirectoryFile",
     [](LinuxFixture& f) { return f.MustSucceed(f.linux_.Openat(*f.a_, "/d", kORdonly | kODirectory)); }, 0x18000},
};

INSTANTIATE_TEST_SUITE_P(Objects, LinuxFcntlGetfl, ::testing::ValuesIn(kGetflCases),
                         [](const auto& info) { return std::string(info.param.id); });

TEST_F(LinuxDescriptorCalls, SetflChangesOnlyTheSetflMask) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Fcntl(*a_, fd, kFSetfl, kOWronly | kOAppend | kONonblock));
  EXPECT_EQ(linux_.Fcntl(*a_, fd, kFGetfl, 0).value, 0xc02);
  ExpectErrno(linux_.Fcntl(*a_, fd, kFSetfl, kODirect), kEINVAL);
  EXPECT_EQ(linux_.Fcntl(*a_, fd, kFGetfl, 0).value, 0xc02);
  MustSucceed(linux_.Fcntl(*a_, fd, kFSetfl, kOAsync));
  EXPECT_EQ(linux_.Fcntl(*a_, fd, kFGetfl, 0).value, 0x2002);
}

TEST_F(LinuxDescriptorCalls, DupfdSharesStatusButNotCloseOnExec) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  MustSucceed(linux_.Fcntl(*a_, fd, kFSetfd, kFdCloexec));
  const int copy = MustSucceed(linux_.Fcntl(*a_, fd, kFDupfd, 10));
  EXPECT_EQ(copy, 10);
  EXPECT_EQ(linux_.Fcntl(*a_, copy, kFGetfd, 0).value, 0);
  MustSucceed(linux_.Fcntl(*a_, copy, kFSetfl, kONonblock));
  EXPECT_EQ(linux_.Fcntl(*a_, fd, kFGetfl, 0).value, 0x802);
  const int cloexec = MustSucceed(linux_.Fcntl(*a_, fd, kFDupfdCloexec, 0));
  EXPECT_EQ(linux_.Fcntl(*a_, cloexec, kFGetfd, 0).value, kFdCloexec);
  ExpectErrno(linux_.Fcntl(*a_, fd, kFDupfd, static_cast<std::uint64_t>(-1)), kEINVAL);
  ExpectErrno(linux_.Fcntl(*a_, fd, kFDupfd, kDefaultDescriptorLimit), kEINVAL);
  ExpectErrno(linux_.Fcntl(*a_, fd, 9999, 0), kEINVAL);
  ExpectErrno(linux_.Fcntl(*a_, 77, kFGetfl, 0), kEBADF);
}

TEST_F(LinuxDescriptorCalls, PathDescriptorAllowsOnlyCheckFcntlCmd) {
  const int fd = MustSucceed(linux_.Open(*a_, "/etc/hosts", /*path_only=*/true));
  EXPECT_EQ(linux_.Fcntl(*a_, fd, kFGetfl, 0).value, kOPath);
  ExpectErrno(linux_.Fcntl(*a_, fd, kFSetfl, kONonblock), kEBADF);
  ExpectErrno(linux_.Ioctl(*a_, fd, kFionbio, IntCell(*this, *a_, 1)), kEBADF);
}

// ---- the blocking mode ----

TEST_F(LinuxDescriptorCalls, FionbioMakesReceiveReturnEagain) {
  const auto [client, server] = ConnectedTcp();
  (void)client;
  MustSucceed(linux_.Ioctl(*b_, server, kFionbio, IntCell(*this, *b_, 1)));
  ExpectErrno(linux_.Read(*b_, server, Buffer(*b_, 16), 16), kEAGAIN);
  ExpectErrno(linux_.Recvfrom(*b_, server, Buffer(*b_, 16), 16, 0, 0, 0), kEAGAIN);
  MustSucceed(linux_.Ioctl(*b_, server, kFionbio, IntCell(*this, *b_, 0)));
  EXPECT_EQ(linux_.Fcntl(*b_, server, kFGetfl, 0).value, 0x2);
  ExpectErrno(linux_.Ioctl(*b_, server, kFionbio, 0), kEFAULT);
}

TEST_F(LinuxDescriptorCalls, NonblockingAcceptAndConnect) {
  const int lfd = MustSucceed(linux_.Socket(*b_, kAfInet, kSockStream | kSockNonblock, 0));
  MustSucceed(linux_.Bind(*b_, lfd, Inet(*b_, "10.0.0.2", 80), 16));
  MustSucceed(linux_.Listen(*b_, lfd, 8));
  ExpectErrno(linux_.Accept4(*b_, lfd, 0, 0, kSockCloexec), kEAGAIN);
  const int cfd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream | kSockNonblock, 0));
  // Over a 1 ms link the handshake cannot end before connect returns.
  ExpectErrno(linux_.Connect(*a_, cfd, Inet(*a_, "10.0.0.2", 80), 16), kEINPROGRESS);
  stack_.RunUntil([] { return false; });
  const int sfd = MustSucceed(linux_.Accept4(*b_, lfd, 0, 0, kSockNonblock | kSockCloexec));
  EXPECT_EQ(linux_.Fcntl(*b_, sfd, kFGetfl, 0).value, 0x802);
  EXPECT_EQ(linux_.Fcntl(*b_, sfd, kFGetfd, 0).value, kFdCloexec);
}

// ---- FIONREAD / SIOCINQ ----

TEST_F(LinuxDescriptorCalls, FionreadCountsWhatEachObjectQueues) {
  const auto out = Len(*a_, 0);
  // UDP: the first datagram's length only.
  const int udp = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Bind(*a_, udp, Inet(*a_, "127.0.0.1", 5000), 16));
  for (const std::string d : {"abc", "defgh"}) {
    const auto buf = Place(*a_, std::vector<std::uint8_t>(d.begin(), d.end()));
    MustSucceed(linux_.Sendto(*a_, udp, buf, d.size(), 0, Inet(*a_, "127.0.0.1", 5000), 16));
  }
  MustSucceed(linux_.Ioctl(*a_, udp, kFionread, out));
  EXPECT_EQ(ReadLen(*a_, out), 3u);
  // A pipe: every byte, at either end.
  const auto [r, w] = Pipe(*this, *a_);
  MustSucceed(linux_.Write(*a_, w, Place(*a_, {'x', 'y'}), 2));
  MustSucceed(linux_.Ioctl(*a_, w, kFionread, out));
  EXPECT_EQ(ReadLen(*a_, out), 2u);
  (void)r;
  // A listener is EINVAL; an eventfd and an unknown request ENOTTY.
  const int lfd = Listener(*a_, "127.0.0.1", 5001);
  ExpectErrno(linux_.Ioctl(*a_, lfd, kFionread, out), kEINVAL);
  const int efd = MustSucceed(linux_.Eventfd2(*a_, 0, 0));
  ExpectErrno(linux_.Ioctl(*a_, efd, kFionread, out), kENOTTY);
  ExpectErrno(linux_.Ioctl(*a_, udp, 0x1234, out), kENOTTY);
}

// ---- pipes and eventfds ----

TEST_F(LinuxDescriptorCalls, PipeEndsAreNotSockets) {
  const auto [r, w] = Pipe(*this, *a_);
  const int efd = MustSucceed(linux_.Eventfd2(*a_, 0, 0));
  for (const int fd : {r, w, efd}) {
    SCOPED_TRACE(fd);
    EXPECT_EQ(Peer(*a_, fd).result.code_or_zero(), kENOTSOCK);
    EXPECT_EQ(Sock(*a_, fd).result.code_or_zero(), kENOTSOCK);
    ExpectErrno(linux_.Shutdown(*a_, fd, kShutRdwr), kENOTSOCK);
    ExpectErrno(linux_.Listen(*a_, fd, 1), kENOTSOCK);
  }
}

TEST_F(LinuxDescriptorCalls, PipeReadWriteRules) {
  const auto [r, w] = Pipe(*this, *a_, kONonblock);
  const auto buf = Buffer(*a_, 16);
  ExpectErrno(linux_.Read(*a_, r, buf, 16), kEAGAIN);
  ExpectErrno(linux_.Read(*a_, w, buf, 16), kEBADF);
  ExpectErrno(linux_.Write(*a_, r, buf, 1), kEBADF);
  // The buffer holds 64 KiB: a longer non-blocking write takes what fits, then EAGAIN.
  const auto big = Place(*a_, std::vector<std::uint8_t>(70000, 'z'));
  EXPECT_EQ(linux_.Write(*a_, w, big, 70000).value, 65536);
  ExpectErrno(linux_.Write(*a_, w, big, 1), kEAGAIN);
  EXPECT_EQ(linux_.Read(*a_, r, buf, 16).value, 16);
  // A write of at most PIPE_BUF bytes goes in whole or not at all.
  ExpectErrno(linux_.Write(*a_, w, big, 17), kEAGAIN);
  EXPECT_EQ(linux_.Write(*a_, w, big, 16).value, 16);
  MustSucceed(linux_.Close(*a_, r));
  ExpectErrno(linux_.Write(*a_, w, big, 1), kEPIPE);
  EXPECT_EQ(linux_.Write(*a_, w, big, 0).value, 0);
}

TEST_F(LinuxDescriptorCalls, PipeReadsEndOfFileWithoutWriters) {
  const auto [r, w] = Pipe(*this, *a_);
  MustSucceed(linux_.Write(*a_, w, Place(*a_, {'h', 'i'}), 2));
  MustSucceed(linux_.Close(*a_, w));
  const auto buf = Buffer(*a_, 16);
  EXPECT_EQ(linux_.Read(*a_, r, buf, 16).value, 2);
  EXPECT_EQ(Text(*this, *a_, buf, 2), "hi");
  EXPECT_EQ(linux_.Read(*a_, r, buf, 16).value, 0);
}

TEST_F(LinuxDescriptorCalls, BlockingPipeReadWithNoWriterActivityIsBlocked) {
  const auto [r, w] = Pipe(*this, *a_);
  (void)w;
  EXPECT_TRUE(linux_.Read(*a_, r, Buffer(*a_, 16), 16).blocked());
}

struct EventfdCase {
  const char* id;
  std::uint32_t initval;
  int flags;
  std::vector<std::uint64_t> reads;  // what successive 8-byte reads return (0: EAGAIN)
};

class LinuxEventfdReads : public LinuxFixture, public ::testing::WithParamInterface<EventfdCase> {};

TEST_P(LinuxEventfdReads, TakeTheCounterOrOne) {
  const int fd = MustSucceed(linux_.Eventfd2(*a_, GetParam().initval, GetParam().flags | kEfdNonblock));
  for (const std::uint64_t want : GetParam().reads) {
    const auto buf = Buffer(*a_, 8);
    const CallResult r = linux_.Read(*a_, fd, buf, 8);
    if (want == 0) {
      ExpectErrno(r, kEAGAIN);
    } else {
      EXPECT_EQ(r.value, 8);
      EXPECT_EQ(*a_->memory().ReadU64(buf), want);
    }
  }
}

const EventfdCase kEventfdCases[] = {
    {"CounterTakesAll", 5, 0, {5, 0}},
    {"SemaphoreTakesOne", 2, kEfdSemaphore, {1, 1, 0}},
    {"ZeroIsEmpty", 0, 0, {0}},
};

INSTANTIATE_TEST_SUITE_P(Modes, LinuxEventfdReads, ::testing::ValuesIn(kEventfdCases),
                         [](const auto& info) { return std::string(info.param.id); });

TEST_F(LinuxDescriptorCalls, EventfdWriteChecks) {
  const int fd = MustSucceed(linux_.Eventfd2(*a_, 0, kEfdNonblock));
  const auto value = [&](std::uint64_t v) {
    const auto at = a_->memory().Allocate(16);
    EXPECT_TRUE(a_->memory().WriteU64(at, v));
    return at;
  };
  ExpectErrno(linux_.Write(*a_, fd, value(1), 4), kEINVAL);
  ExpectErrno(linux_.Write(*a_, fd, value(1), 16), kEINVAL);  // measured: only 8 is accepted
  ExpectErrno(linux_.Write(*a_, fd, value(~std::uint64_t{0}), 8), kEINVAL);
  EXPECT_EQ(linux_.Write(*a_, fd, value(~std::uint64_t{0} - 1), 8).value, 8);
  ExpectErrno(linux_.Write(*a_, fd, value(1), 8), kEAGAIN);
  ExpectErrno(linux_.Read(*a_, fd, Buffer(*a_, 8), 7), kEINVAL);
  ExpectErrno(linux_.Eventfd2(*a_, 0, kORdwr), kEINVAL);
}

// ---- vectored and batched I/O ----

TEST_F(LinuxDescriptorCalls, WritevGathersAndReadvScatters) {
  const auto [client, server] = ConnectedTcp();
  EXPECT_EQ(linux_.Writev(*a_, client, Iovecs(*this, *a_, {"GET ", "/ ", "HTTP"}), 3).value, 10);
  stack_.RunUntil([] { return false; });
  std::vector<sim::UserAddress> bases;
  const auto iov = Iovecs(*this, *b_, {std::string(3, '.'), std::string(16, '.')}, &bases);
  EXPECT_EQ(linux_.Readv(*b_, server, iov, 2).value, 10);
  EXPECT_EQ(Text(*this, *b_, bases[0], 3), "GET");
  EXPECT_EQ(Text(*this, *b_, bases[1], 7), " / HTTP");
  EXPECT_EQ(linux_.Readv(*b_, server, Iovecs(*this, *b_, {""}), 1).value, 0);
  ExpectErrno(linux_.Readv(*b_, server, iov, -1), kEINVAL);
  ExpectErrno(linux_.Readv(*b_, server, iov, 1025), kEINVAL);
  ExpectErrno(linux_.Readv(*b_, server, 0, 1), kEFAULT);
}

TEST_F(LinuxDescriptorCalls, SendmmsgAndRecvmmsgCountMessages) {
  const int rx = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Bind(*a_, rx, Inet(*a_, "127.0.0.1", 6000), 16));
  const int tx = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.Connect(*a_, tx, Inet(*a_, "127.0.0.1", 6000), 16));
  // Two struct mmsghdr (64 bytes each) with one vector apiece and no name or control data.
  const auto batch = [&](const std::vector<std::string>& payloads) {
    const auto vec = a_->memory().Allocate(64 * payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      EXPECT_TRUE(a_->memory().WriteU64(vec + 64 * i + 16, Iovecs(*this, *a_, {payloads[i]})));
      EXPECT_TRUE(a_->memory().WriteU64(vec + 64 * i + 24, 1));
    }
    return vec;
  };
  const auto out = batch({"ab", "cde"});
  EXPECT_EQ(linux_.Sendmmsg(*a_, tx, out, 2, 0).value, 2);
  EXPECT_EQ(*a_->memory().ReadU32(out + 56), 2u);
  EXPECT_EQ(*a_->memory().ReadU32(out + 64 + 56), 3u);
  const auto in = batch({std::string(8, '.'), std::string(8, '.'), std::string(8, '.')});
  EXPECT_EQ(linux_.Recvmmsg(*a_, rx, in, 3, kMsgWaitforone, 0).value, 2);
  EXPECT_EQ(*a_->memory().ReadU32(in + 64 + 56), 3u);
  ExpectErrno(linux_.Recvmmsg(*a_, rx, in, 1, kMsgDontwait, 0), kEAGAIN);
  // Without MSG_WAITFORONE a blocking batch waits for every message before taking any.
  EXPECT_EQ(linux_.Sendmmsg(*a_, tx, batch({"x"}), 1, 0).value, 1);
  EXPECT_TRUE(linux_.Recvmmsg(*a_, rx, in, 2, 0, 0).blocked());
  EXPECT_EQ(linux_.Recvmmsg(*a_, rx, in, 2, kMsgWaitforone, 0).value, 1);
}

}  // namespace
}  // namespace socksim::testing
