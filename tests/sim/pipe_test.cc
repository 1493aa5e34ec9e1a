// File: tests/sim/pipe_test.cc
// Pipes: bytes from the write end to the read end, end of file once the writer is gone, a
// write without a reader refused, and the credential tag an end can carry (illumos connld).
#include "sim/pipe.h"

#include <gtest/gtest.h>

namespace socksim::sim {
namespace {

TEST(Pipe, BytesFlowFromTheWriteEndToTheReadEnd) {
  auto [r, w] = MakePipe();
  EXPECT_EQ(w->Write("hello"), PipeWrite::kWritten);
  EXPECT_EQ(r->Write("x"), PipeWrite::kWrongEnd);
  EXPECT_EQ(r->Read(3), "hel");
  EXPECT_EQ(r->Read(10), "lo");
  EXPECT_FALSE(r->AtEnd());
}

TEST(Pipe, TheLastCloseOfAnEndIsSeenByTheOther) {
  auto [r, w] = MakePipe();
  {
    // A descriptor's open file description is what closes an end.
    auto reader = std::make_shared<OpenFileDescription>(r, StatusFlags{});
  }
  EXPECT_EQ(w->Write("x"), PipeWrite::kNoReader);
  auto [r2, w2] = MakePipe();
  { auto writer = std::make_shared<OpenFileDescription>(w2, StatusFlags{}); }
  EXPECT_TRUE(r2->AtEnd());
}

TEST(Pipe, AnEndCarriesACredentialTagOnlyWhenGiven) {
  auto [r, w] = MakePipe();
  EXPECT_FALSE(r->credential_tag().has_value());
  const CredentialsRef opener = Share(Credentials::Of(1000, 10));
  r->set_credential_tag(CredentialSnapshot{4242, opener});
  ASSERT_TRUE(r->credential_tag().has_value());
  EXPECT_EQ(r->credential_tag()->pid, 4242);
  EXPECT_EQ(r->credential_tag()->credentials, opener);  // shared, not copied
  EXPECT_FALSE(w->credential_tag().has_value());
}

}  // namespace
}  // namespace socksim::sim
