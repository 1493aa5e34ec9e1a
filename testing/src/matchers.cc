// File: testing/src/matchers.cc
// The Result matchers. Each explains a mismatch in the result's own terms (the symbol and text
// of the error it set, the length it wrote back), so a failed EXPECT_THAT reads like strace.
#include <string>

#include "socksim/testing.h"

namespace socksim::testing {
namespace {

using ::testing::MatchResultListener;

// A matcher from a predicate and its descriptions.
template <typename Predicate>
class ResultMatcher final : public ::testing::MatcherInterface<const Result&> {
 public:
  ResultMatcher(std::string is, std::string is_not, Predicate predicate)
      : is_(std::move(is)), is_not_(std::move(is_not)), predicate_(std::move(predicate)) {}

  bool MatchAndExplain(const Result& r, MatchResultListener* listener) const override {
    std::string why;
    const bool ok = predicate_(r, &why);
    if (!why.empty()) *listener << why;
    return ok;
  }
  void DescribeTo(std::ostream* os) const override { *os << is_; }
  void DescribeNegationTo(std::ostream* os) const override { *os << is_not_; }

 private:
  std::string is_;
  std::string is_not_;
  Predicate predicate_;
};

template <typename Predicate>
::testing::Matcher<const Result&> Make(std::string is, std::string is_not, Predicate p) {
  return ::testing::MakeMatcher(new ResultMatcher<Predicate>(std::move(is), std::move(is_not),
                                                             std::move(p)));
}

std::string ErrorText(const Result& r) {
  if (!r.error) return "set no error";
  const auto name = DescribeError(r.system, *r.error, r.t_error);
  return "set " + (name ? name->symbol + " (" + std::to_string(*r.error) + ", " +
                              name->message + ")"
                        : std::to_string(*r.error));
}

std::string OutcomeText(const Result& r) {
  switch (r.outcome) {
    case Result::Outcome::kSucceeded:
      return "succeeded, returning " + std::to_string(r.value);
    case Result::Outcome::kFailed:
      return "failed, returning " + std::to_string(r.value) + ", and " + ErrorText(r);
    case Result::Outcome::kWouldWait:
      return "would wait for something nothing in the world does";
  }
  return "?";
}

}  // namespace

::testing::Matcher<const Result&> Succeeds() {
  return Make("succeeds", "does not succeed", [](const Result& r, std::string* why) {
    *why = OutcomeText(r);
    return r.succeeded();
  });
}

::testing::Matcher<const Result&> Returns(std::int64_t value) {
  return Make("succeeds returning " + std::to_string(value),
              "does not succeed returning " + std::to_string(value),
              [value](const Result& r, std::string* why) {
                *why = OutcomeText(r);
                return r.succeeded() && r.value == value;
              });
}

::testing::Matcher<const Result&> FailsWith(int code) {
  return Make("fails with error " + std::to_string(code),
              "does not fail with error " + std::to_string(code),
              [code](const Result& r, std::string* why) {
                *why = OutcomeText(r);
                return r.failed() && r.error == code;
              });
}

::testing::Matcher<const Result&> FailsWith(std::string_view symbol) {
  const std::string s(symbol);
  return Make("fails with " + s, "does not fail with " + s, [s](const Result& r, std::string* why) {
    const auto number = ErrorNumber(r.system, s);
    if (!number) {
      *why = s + " is no error of " + std::string(socksim::SystemName(r.system)) + "; the call " +
             OutcomeText(r);
      return false;
    }
    *why = OutcomeText(r);
    return r.failed() && r.error == *number;
  });
}

::testing::Matcher<const Result&> FailsWith(const char* symbol) {
  return FailsWith(std::string_view(symbol));
}

::testing::Matcher<const Result&> WouldWait() {
  return Make("would wait", "would not wait", [](const Result& r, std::string* why) {
    *why = OutcomeText(r);
    return r.would_wait();
  });
}

::testing::Matcher<const Result&> PeerIs(const Address& address) {
  return Make("succeeds with the name " + address.ToString(),
              "does not succeed with the name " + address.ToString(),
              [address](const Result& r, std::string* why) {
                if (!r.succeeded()) {
                  *why = OutcomeText(r);
                  return false;
                }
                if (!r.address) {
                  *why = r.truncated() ? "the name was truncated (" +
                                             std::to_string(*r.length) + " bytes for a buffer of " +
                                             std::to_string(*r.buffer_size) + ")"
                                       : "no name was returned";
                  return false;
                }
                *why = "the name is " + r.address->ToString();
                return *r.address == address;
              });
}

::testing::Matcher<const Result&> Truncated(std::uint32_t full_length) {
  const std::string n = std::to_string(full_length);
  return Make("succeeds with the name truncated, writing back the full length " + n,
              "does not succeed with a name truncated at full length " + n,
              [full_length](const Result& r, std::string* why) {
                if (!r.succeeded()) {
                  *why = OutcomeText(r);
                  return false;
                }
                if (!r.length || !r.buffer_size) {
                  *why = "the call returns no name";
                  return false;
                }
                *why = "it wrote back " + std::to_string(*r.length) + " for a buffer of " +
                       std::to_string(*r.buffer_size);
                return r.truncated() && *r.length == full_length;
              });
}

::testing::Matcher<const Result&> Received(std::string_view data) {
  const std::string d(data);
  return Make("receives " + ::testing::PrintToString(d),
              "does not receive " + ::testing::PrintToString(d),
              [d](const Result& r, std::string* why) {
                if (!r.succeeded()) {
                  *why = OutcomeText(r);
                  return false;
                }
                *why = "it received " + ::testing::PrintToString(r.data);
                return r.data == d;
              });
}

}  // namespace socksim::testing
