// File: tests/stack/linux/readiness_test.cc
// Linux's readiness calls over the simulator: the POLL* bits each kind of socket reports (one
// table of situations, checked with poll asking for every event), select's per-set counting,
// virtual time across a wait (the clock moves by the timeout; the time left is written back),
// the no-wait mode the runner uses at an <unfinished ...> line, and epoll's ready list (round
// robin under maxevents, items leaving with their file, one-shot re-arming).
#include <gtest/gtest.h>

#include <functional>

#include "stack/personality/linux/epoll.h"
#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

constexpr std::uint16_t kEveryEvent = kPollin | kPollpri | kPollout | kPollrdnorm | kPollwrnorm |
                                      kPollrdband | kPollwrband | kPollrdhup;

class LinuxReadiness : public LinuxFixture {
 public:
  /// poll() on one descriptor asking for `events`, without waiting; the revents.
  std::uint16_t Revents(sim::Process& p, int fd, std::uint16_t events = kEveryEvent) {
    const auto at = Pollfds(p, {{fd, events}});
    const CallResult r = linux_.Poll(p, at, 1, 0);
    EXPECT_TRUE(r.succeeded());
    return ReventsAt(p, at, 0);
  }
  /// A struct pollfd array in `p`'s memory.
  sim::UserAddress Pollfds(sim::Process& p, std::vector<std::pair<int, std::uint16_t>> entries) {
    std::vector<std::uint8_t> bytes;
    for (const auto& [fd, events] : entries) {
      for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(fd >> (8 * k)));
      bytes.push_back(static_cast<std::uint8_t>(events));
      bytes.push_back(static_cast<std::uint8_t>(events >> 8));
      bytes.push_back(0);
      bytes.push_back(0);
    }
    return Place(p, bytes);
  }
  std::uint16_t ReventsAt(sim::Process& p, sim::UserAddress at, std::size_t i) {
    return static_cast<std::uint16_t>(*p.memory().ReadU32(at + 8 * i + 4) >> 16);
  }
  /// A struct epoll_event in `p`'s memory.
  sim::UserAddress Event(sim::Process& p, std::uint32_t events, std::uint64_t data) {
    const auto at = p.memory().Allocate(12);
    EXPECT_TRUE(p.memory().WriteU32(at, events));
    EXPECT_TRUE(p.memory().WriteU64(at + 4, data));
    return at;
  }
  /// epoll_wait without waiting: the data of each returned event.
  std::vector<std::uint64_t> Wait(sim::Process& p, int epfd, int maxevents) {
    const auto at = p.memory().Allocate(12 * static_cast<std::uint64_t>(maxevents));
    const CallResult r = linux_.EpollWait(p, epfd, at, maxevents, 0);
    EXPECT_TRUE(r.succeeded());
    std::vector<std::uint64_t> data;
    for (std::int64_t i = 0; i < r.value; ++i) {
      data.push_back(*p.memory().ReadU64(at + 12 * static_cast<std::uint64_t>(i) + 4));
    }
    return data;
  }
  sim::Duration Elapsed(sim::Instant since) { return world_.now() - since; }
  /// Two 64-bit members (a timespec or a timeval) in `p`'s memory.
  sim::UserAddress Time(sim::Process& p, std::uint64_t sec, std::uint64_t frac) {
    const auto at = p.memory().Allocate(16);
    EXPECT_TRUE(p.memory().WriteU64(at, sec));
    EXPECT_TRUE(p.memory().WriteU64(at + 8, frac));
    return at;
  }
};

struct MaskRow {
  const char* name;
  // Builds the situation in `t` and returns (process, descriptor) to poll.
  std::function<std::pair<sim::Process*, int>(LinuxReadiness&)> build;
  std::uint16_t want;
};

const MaskRow kMaskRows[] = {
    // tcp_poll: TCP_CLOSE is POLLHUP, and POLLOUT outside SYN-SENT.
    {"FreshTcpIsOutAndHup",
     [](LinuxReadiness& t) {
       return std::pair{t.a_, t.MustSucceed(t.linux_.Socket(*t.a_, kAfInet, kSockStream, 0))};
     },
     kPollout | kPollwrnorm | kPollhup},
    // inet_csk_listen_poll: only POLLIN, once a connection is queued.
    {"ListenerIsNothingUntilAConnectionWaits",
     [](LinuxReadiness& t) { return std::pair{t.b_, t.Listener(*t.b_, "10.0.0.2", 80)}; }, 0},
    {"ConnectingTcpReportsNothing",
     [](LinuxReadiness& t) {
       t.Listener(*t.b_, "10.0.0.2", 80);
       const int fd =
           t.MustSucceed(t.linux_.Socket(*t.a_, kAfInet, kSockStream | kSockNonblock, 0));
       ExpectErrno(t.linux_.Connect(*t.a_, fd, t.Inet(*t.a_, "10.0.0.2", 80), 16), kEINPROGRESS);
       return std::pair{t.a_, fd};
     },
     0},
    {"ConnectedTcpIsWritable",
     [](LinuxReadiness& t) { return std::pair{t.a_, t.ConnectedTcp().first}; },
     kPollout | kPollwrnorm},
    // tcp_fin sets RCV_SHUTDOWN: POLLIN|POLLRDNORM|POLLRDHUP.
    {"PeersShutdownIsReadableWithRdhup",
     [](LinuxReadiness& t) {
       const auto [c, s] = t.ConnectedTcp();
       t.MustSucceed(t.linux_.Shutdown(*t.b_, s, kShutWr));
       t.stack_.RunUntil([] { return false; });
       return std::pair{t.a_, c};
     },
     kPollin | kPollrdnorm | kPollrdhup | kPollout | kPollwrnorm},
    // datagram_poll: writable always, POLLWRBAND too.
    {"FreshUdpIsWritable",
     [](LinuxReadiness& t) {
       return std::pair{t.a_, t.MustSucceed(t.linux_.Socket(*t.a_, kAfInet, kSockDgram, 0))};
     },
     kPollout | kPollwrnorm | kPollwrband},
    // unix_poll: an unconnected stream socket is TCP_CLOSE, POLLHUP.
    {"UnconnectedUnixStreamIsOutAndHup",
     [](LinuxReadiness& t) {
       return std::pair{t.a_, t.MustSucceed(t.linux_.Socket(*t.a_, kAfUnix, kSockStream, 0))};
     },
     kPollout | kPollwrnorm | kPollwrband | kPollhup},
    // unix_dgram_poll on SOCK_SEQPACKET: TCP_CLOSE is POLLHUP as well.
    {"UnconnectedSeqpacketIsOutAndHup",
     [](LinuxReadiness& t) {
       return std::pair{t.a_, t.MustSucceed(t.linux_.Socket(*t.a_, kAfUnix, kSockSeqPacket, 0))};
     },
     kPollout | kPollwrnorm | kPollwrband | kPollhup},
    // DEFAULT_POLLMASK for a file without a poll method.
    {"RegularFileIsAlwaysReady",
     [](LinuxReadiness& t) { return std::pair{t.a_, t.MustSucceed(t.linux_.Open(*t.a_, "/f"))}; },
     kPollin | kPollout | kPollrdnorm | kPollwrnorm},
    // A descriptor inherited from outside: nothing in the world reaches it.
    {"InheritedDescriptorIsNeverReady",
     [](LinuxReadiness& t) {
       auto ofd = std::make_shared<sim::OpenFileDescription>(
           std::make_shared<sim::PlainFile>(sim::FileKind::kUnknown, ""), sim::StatusFlags{});
       return std::pair{t.a_, static_cast<int>(*t.a_->fds().Install(std::move(ofd), false))};
     },
     0},
    // fdget ignores O_PATH files: POLLNVAL.
    {"PathOnlyDescriptorIsNval",
     [](LinuxReadiness& t) {
       return std::pair{t.a_, t.MustSucceed(t.linux_.Open(*t.a_, "/f", /*path_only=*/true))};
     },
     kPollnval},
    {"ClosedDescriptorIsNval", [](LinuxReadiness& t) { return std::pair{t.a_, 77}; }, kPollnval},
};

TEST_F(LinuxReadiness, EachSocketKindReportsItsProtocolsMask) {
  for (const MaskRow& row : kMaskRows) {
    SCOPED_TRACE(row.name);
    // A fresh world per row (the fixture's TestBody is the test's; this one is the row's).
    struct Fresh final : LinuxReadiness {
      void TestBody() override {}
    } t;
    const auto [p, fd] = row.build(t);
    EXPECT_EQ(t.Revents(*p, fd), row.want);
  }
}

TEST_F(LinuxReadiness, PollFiltersByTheEventsAskedButAlwaysReportsErrAndHup) {
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockStream, 0));
  EXPECT_EQ(Revents(*a_, fd, kPollin), kPollhup);
  EXPECT_EQ(Revents(*a_, fd, 0), kPollhup);
  // A negative descriptor is skipped and not counted.
  const auto at = Pollfds(*a_, {{-1, kPollin}, {fd, kPollout}});
  EXPECT_EQ(linux_.Poll(*a_, at, 2, 0).value, 1);
  EXPECT_EQ(ReventsAt(*a_, at, 0), 0);
}

TEST_F(LinuxReadiness, APollThatNothingSatisfiesMovesTheClockByItsTimeout) {
  const auto [c, s] = ConnectedTcp();
  const sim::Instant start = world_.now();
  const auto at = Pollfds(*a_, {{c, kPollin}});
  EXPECT_EQ(linux_.Poll(*a_, at, 1, 250).value, 0);
  EXPECT_EQ(Elapsed(start), sim::Duration::Milliseconds(250));
  (void)s;
}

TEST_F(LinuxReadiness, APollRunsTheWorldUntilDataArrives) {
  const auto [c, s] = ConnectedTcp();
  MustSucceed(linux_.Sendto(*b_, s, Place(*b_, {'x'}), 1, 0, 0, 0));
  const sim::Instant start = world_.now();
  const auto at = Pollfds(*a_, {{c, kPollin}});
  EXPECT_EQ(linux_.Poll(*a_, at, 1, -1).value, 1);
  EXPECT_EQ(ReventsAt(*a_, at, 0), kPollin);  // POLLRDNORM was not asked for
  // One link latency, not the timeout: the wait ended when the segment arrived.
  EXPECT_EQ(Elapsed(start), sim::Duration::Milliseconds(1));
}

TEST_F(LinuxReadiness, WithoutWaitingABlockedPollHasNoEffect) {
  const auto [c, s] = ConnectedTcp();
  const sim::Instant start = world_.now();
  const auto at = Pollfds(*a_, {{c, kPollin}});
  EXPECT_TRUE(linux_.Poll(*a_, at, 1, 1000, /*may_wait=*/false).blocked());
  EXPECT_EQ(world_.now(), start);
  // Infinite, with nothing in the world to satisfy it: blocked even when it may wait.
  EXPECT_TRUE(linux_.Poll(*a_, at, 1, -1).blocked());
  (void)s;
}

TEST_F(LinuxReadiness, PpollAndSelectWriteTheTimeLeft) {
  const auto [c, s] = ConnectedTcp();
  MustSucceed(linux_.Sendto(*b_, s, Place(*b_, {'x'}), 1, 0, 0, 0));
  const auto ts = Time(*a_, 2, 0);
  const auto at = Pollfds(*a_, {{c, kPollin}});
  EXPECT_EQ(linux_.Ppoll(*a_, at, 1, ts, 0, 8).value, 1);
  EXPECT_EQ(*a_->memory().ReadU64(ts), 1u);
  EXPECT_EQ(*a_->memory().ReadU64(ts + 8), 999'000'000u);  // 1 ms passed
  // select: a timeval; the time left on a timeout is zero.
  MustSucceed(linux_.Recvfrom(*a_, c, Buffer(*a_), 16, 0, 0, 0));
  const auto tv = Time(*a_, 0, 5000);
  std::vector<std::uint8_t> set(128, 0);
  set[c / 8] = static_cast<std::uint8_t>(1u << (c % 8));
  const auto in = Place(*a_, set);
  EXPECT_EQ(linux_.Select(*a_, c + 1, in, 0, 0, tv).value, 0);
  EXPECT_EQ(*a_->memory().ReadU64(tv), 0u);
  EXPECT_EQ(*a_->memory().ReadU64(tv + 8), 0u);
  EXPECT_EQ(Read(*a_, in, 128), std::vector<std::uint8_t>(128, 0));
}

TEST_F(LinuxReadiness, SelectCountsADescriptorOncePerSetItIsReadyIn) {
  const auto [c, s] = ConnectedTcp();
  MustSucceed(linux_.Sendto(*b_, s, Place(*b_, {'x'}), 1, 0, 0, 0));
  stack_.RunUntil([] { return false; });
  std::vector<std::uint8_t> set(128, 0);
  set[c / 8] = static_cast<std::uint8_t>(1u << (c % 8));
  EXPECT_EQ(linux_.Select(*a_, c + 1, Place(*a_, set), Place(*a_, set), Place(*a_, set), 0).value, 2);
  // A descriptor at or past nfds is not looked at, even if it is not open.
  std::vector<std::uint8_t> bad(128, 0);
  bad[60 / 8] = static_cast<std::uint8_t>(1u << (60 % 8));
  ExpectErrno(linux_.Select(*a_, 61, Place(*a_, bad), 0, 0, 0), kEBADF);
  EXPECT_TRUE(linux_.Select(*a_, 60, Place(*a_, bad), 0, 0, 0, /*may_wait=*/false).blocked());
}

// A pipe and an eventfd, built step by step; each step is polled on both pipe ends and the
// eventfd (asking for every event).
struct ObjectStep {
  const char* name;
  std::function<void(LinuxReadiness&, int r, int w, int efd)> act;
  std::uint16_t read_end, write_end, eventfd;
};

const ObjectStep kObjectSteps[] = {
    // pipe_poll: an empty pipe's read end reports nothing; eventfd_poll: EPOLLOUT only.
    {"Fresh", [](LinuxReadiness&, int, int, int) {}, 0, kPollout | kPollwrnorm, kPollout},
    {"BytesAndACount",
     [](LinuxReadiness& t, int, int w, int efd) {
       t.MustSucceed(t.linux_.Write(*t.a_, w, t.Place(*t.a_, {'a', 'b'}), 2));
       t.MustSucceed(t.linux_.Write(*t.a_, efd, t.Place(*t.a_, {1, 0, 0, 0, 0, 0, 0, 0}), 8));
     },
     kPollin | kPollrdnorm, kPollout | kPollwrnorm, kPollin | kPollout},
    // pipe_full counts page buffers: 16 pages of 4096 bytes; one freed page is room again.
    {"Full",
     [](LinuxReadiness& t, int, int w, int) {
       t.MustSucceed(t.linux_.Write(*t.a_, w, t.Buffer(*t.a_, 65534), 65534));
     },
     kPollin | kPollrdnorm, 0, kPollin | kPollout},
    {"OnePageRead",
     [](LinuxReadiness& t, int r, int, int efd) {
       t.MustSucceed(t.linux_.Read(*t.a_, r, t.Buffer(*t.a_, 4096), 4096));
       t.MustSucceed(t.linux_.Read(*t.a_, efd, t.Buffer(*t.a_, 8), 8));
     },
     kPollin | kPollrdnorm, kPollout | kPollwrnorm, kPollout},
    // No writer: POLLHUP beside the bytes still queued, then alone.
    {"WriterClosed",
     [](LinuxReadiness& t, int, int w, int) { t.MustSucceed(t.linux_.Close(*t.a_, w)); },
     kPollin | kPollrdnorm | kPollhup, kPollnval, kPollout},
    {"Drained",
     [](LinuxReadiness& t, int r, int, int) {
       t.MustSucceed(t.linux_.Read(*t.a_, r, t.Buffer(*t.a_, 65536), 65536));
     },
     kPollhup, kPollnval, kPollout},
};

TEST_F(LinuxReadiness, PipeEndsAndEventfdsReportTheirOwnMasks) {
  const auto fds = Buffer(*a_, 8);
  MustSucceed(linux_.Pipe2(*a_, fds, kONonblock));
  const int r = static_cast<int>(*a_->memory().ReadU32(fds));
  const int w = static_cast<int>(*a_->memory().ReadU32(fds + 4));
  const int efd = MustSucceed(linux_.Eventfd2(*a_, 0, kEfdNonblock));
  for (const ObjectStep& step : kObjectSteps) {
    SCOPED_TRACE(step.name);
    step.act(*this, r, w, efd);
    EXPECT_EQ(Revents(*a_, r), step.read_end);
    EXPECT_EQ(Revents(*a_, w), step.write_end);
    EXPECT_EQ(Revents(*a_, efd), step.eventfd);
  }
}

TEST_F(LinuxReadiness, AWriteEndWithoutReaderIsErr) {
  const auto fds = Buffer(*a_, 8);
  MustSucceed(linux_.Pipe2(*a_, fds, 0));
  MustSucceed(linux_.Close(*a_, static_cast<int>(*a_->memory().ReadU32(fds))));
  const int w = static_cast<int>(*a_->memory().ReadU32(fds + 4));
  EXPECT_EQ(Revents(*a_, w), kPollout | kPollwrnorm | kPollerr);
  EXPECT_EQ(Revents(*a_, w, kPollin), kPollerr);
}

TEST_F(LinuxReadiness, EpollRoundRobinsLevelTriggeredItemsUnderMaxevents) {
  const int ep = MustSucceed(linux_.EpollCreate1(*a_, 0));
  for (std::uint64_t k = 0; k < 3; ++k) {
    const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
    MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, fd, Event(*a_, kEpollout, 10 + k)));
  }
  // ep_send_events: unreached items stay at the head, delivered ones go to the tail.
  EXPECT_EQ(Wait(*a_, ep, 2), (std::vector<std::uint64_t>{10, 11}));
  EXPECT_EQ(Wait(*a_, ep, 2), (std::vector<std::uint64_t>{12, 10}));
  EXPECT_EQ(Wait(*a_, ep, 1), (std::vector<std::uint64_t>{11}));
}

TEST_F(LinuxReadiness, AnEpollItemLeavesWithItsFileNotWithOneDescriptor) {
  const int ep = MustSucceed(linux_.EpollCreate1(*a_, 0));
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, fd, Event(*a_, kEpollout, 1)));
  const int copy = MustSucceed(linux_.Dup(*a_, fd));
  MustSucceed(linux_.Close(*a_, fd));
  EXPECT_EQ(Wait(*a_, ep, 4), (std::vector<std::uint64_t>{1}));  // the file is still open
  // The item is keyed by (file, fd): through the copy it is another item.
  MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, copy, Event(*a_, kEpollout, 2)));
  MustSucceed(linux_.Close(*a_, copy));
  EXPECT_EQ(Wait(*a_, ep, 4), std::vector<std::uint64_t>{});
}

TEST_F(LinuxReadiness, OneShotIsReportedOnceUntilModifiedAndExclusiveCannotBeModified) {
  const int ep = MustSucceed(linux_.EpollCreate1(*a_, 0));
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, fd, Event(*a_, kEpollout | kEpolloneshot, 1)));
  EXPECT_EQ(Wait(*a_, ep, 4), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(Wait(*a_, ep, 4), std::vector<std::uint64_t>{});
  MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlMod, fd, Event(*a_, kEpollout, 2)));
  EXPECT_EQ(Wait(*a_, ep, 4), (std::vector<std::uint64_t>{2}));
  const int other = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  ExpectErrno(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, other, Event(*a_, kEpollexclusive | kEpollrdhup, 3)),
              kEINVAL);
  ExpectErrno(linux_.EpollCtl(*a_, ep, kEpollCtlMod, fd, Event(*a_, kEpollexclusive | kEpollout, 3)),
              kEINVAL);
}

TEST_F(LinuxReadiness, AnEpollInstanceIsReadableWhileItHasEvents) {
  const int inner = MustSucceed(linux_.EpollCreate(*a_, 1));
  const int outer = MustSucceed(linux_.EpollCreate(*a_, 1));
  EXPECT_EQ(Revents(*a_, inner), 0);
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.EpollCtl(*a_, inner, kEpollCtlAdd, fd, Event(*a_, kEpollout, 1)));
  EXPECT_EQ(Revents(*a_, inner), kPollin | kPollrdnorm);
  MustSucceed(linux_.EpollCtl(*a_, outer, kEpollCtlAdd, inner, Event(*a_, kEpollin, 9)));
  EXPECT_EQ(Wait(*a_, outer, 4), (std::vector<std::uint64_t>{9}));
}

TEST_F(LinuxReadiness, AnEpollCycleOrTooDeepANestIsEloop) {
  std::vector<int> eps;
  for (int k = 0; k < 7; ++k) eps.push_back(MustSucceed(linux_.EpollCreate(*a_, 1)));
  MustSucceed(linux_.EpollCtl(*a_, eps[0], kEpollCtlAdd, eps[1], Event(*a_, kEpollin, 1)));
  ExpectErrno(linux_.EpollCtl(*a_, eps[1], kEpollCtlAdd, eps[0], Event(*a_, kEpollin, 0)), kELOOP);
  // A chain below the target longer than EP_MAX_NESTS (Linux refuses its deepest links
  // already, counting the instances above too; either way the chain is too deep for `top`).
  for (int k = 1; k + 1 < 7; ++k) {
    (void)linux_.EpollCtl(*a_, eps[k], kEpollCtlAdd, eps[k + 1], Event(*a_, kEpollin, 1));
  }
  const int top = MustSucceed(linux_.EpollCreate(*a_, 1));
  ExpectErrno(linux_.EpollCtl(*a_, top, kEpollCtlAdd, eps[0], Event(*a_, kEpollin, 0)), kELOOP);
}

TEST_F(LinuxReadiness, EpollWaitChecksMaxeventsThenTheArrayThenTheDescriptor) {
  ExpectErrno(linux_.EpollWait(*a_, 99, 0x1000, 0, 0), kEINVAL);
  ExpectErrno(linux_.EpollWait(*a_, 99, kUserSpaceEnd - 12, 2, 0), kEFAULT);
  ExpectErrno(linux_.EpollWait(*a_, 99, 0x1000, 1, 0), kEBADF);
  const int ep = MustSucceed(linux_.EpollCreate1(*a_, kEpollCloexec));
  const int fd = MustSucceed(linux_.Socket(*a_, kAfInet, kSockDgram, 0));
  MustSucceed(linux_.EpollCtl(*a_, ep, kEpollCtlAdd, fd, Event(*a_, kEpollout, 1)));
  // The first event cannot be written: EFAULT.
  ExpectErrno(linux_.EpollWait(*a_, ep, 0x1000, 1, 0), kEFAULT);
  ExpectErrno(linux_.EpollPwait(*a_, ep, 0x1000, 1, 0, Buffer(*a_, 8), 16), kEINVAL);
}

}  // namespace
}  // namespace socksim::testing
