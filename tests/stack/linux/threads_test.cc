// File: tests/stack/linux/threads_test.cc
// The C library's errno is per thread (errno(3): "errno is thread-local"): a failed call on one
// thread leaves its error there and nowhere else; a success leaves errno unchanged. A thread
// made by clone(CLONE_THREAD) shares its process's descriptors.
#include "tests/testing/linux_fixture.h"

namespace socksim::testing {
namespace {

class LinuxThreads : public LinuxFixture {};

TEST_F(LinuxThreads, ErrnoIsPerThreadAndASuccessLeavesIt) {
  const CallResult made = linux_.CloneThread(*a_);
  ASSERT_TRUE(made.succeeded());
  sim::Thread& other = *world_.FindThread(static_cast<sim::Tid>(made.value));
  sim::Thread& main = a_->main_thread();
  const CallResult bad = linux_.Close(*a_, 42);
  RecordErrno(main, bad);
  EXPECT_EQ(ThreadErrno(main), kEBADF);
  EXPECT_EQ(ThreadErrno(other), 0);
  RecordErrno(main, linux_.Socket(*a_, kAfInet, kSockStream, 0));
  EXPECT_EQ(ThreadErrno(main), kEBADF);  // unchanged by a success
}

TEST_F(LinuxThreads, AThreadSharesItsProcessDescriptors) {
  const CallResult made = linux_.CloneThread(*a_, 150);
  ASSERT_EQ(made.value, 150);
  sim::Thread* t = world_.FindThread(150);
  ASSERT_NE(t, nullptr);
  const int fd = MustSucceed(linux_.Socket(t->process(), kAfInet, kSockDgram, 0));
  EXPECT_NE(a_->fds().Lookup(static_cast<sim::Handle>(fd)), nullptr);
}

}  // namespace
}  // namespace socksim::testing
