// File: tests/sim/time_test.cc
// Virtual time arithmetic: formatting, the checked constructors and operations (nullopt exactly
// when the int64 range is left), and the saturating operators, at the INT64_MAX / INT64_MIN
// edges. Run under UBSan, these also show that no signed overflow happens on the way.
#include "sim/time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace socksim::sim {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

TEST(Time, FormatsSecondsWithNanoseconds) {
  EXPECT_EQ(FormatInstant(Instant{0}), "0.000000000");
  EXPECT_EQ(FormatInstant(Instant{1'000'000'250}), "1.000000250");
  EXPECT_EQ(FormatInstant(Instant::Max()), "9223372036.854775807");
  EXPECT_EQ((Instant{5} + Duration::Microseconds(2)).ns, 2005);
}

TEST(Time, CheckedUnitsFailExactlyWhenTheNanosecondsDoNotFit) {
  struct Case {
    std::optional<Duration> (*make)(std::int64_t);
    std::int64_t unit;
  };
  const std::vector<Case> cases = {{&Duration::CheckedMicroseconds, 1'000},
                                   {&Duration::CheckedMilliseconds, 1'000'000},
                                   {&Duration::CheckedSeconds, 1'000'000'000}};
  for (const Case& c : cases) {
    const std::int64_t top = kMax / c.unit;     // the largest count that fits
    const std::int64_t bottom = kMin / c.unit;  // the most negative count that fits
    EXPECT_EQ(c.make(0), Duration{0});
    EXPECT_EQ(c.make(3), Duration{3 * c.unit});
    EXPECT_EQ(c.make(-3), Duration{-3 * c.unit});
    EXPECT_EQ(c.make(top), Duration{top * c.unit}) << c.unit;
    EXPECT_FALSE(c.make(top + 1).has_value()) << c.unit;
    EXPECT_EQ(c.make(bottom), Duration{bottom * c.unit}) << c.unit;
    EXPECT_FALSE(c.make(bottom - 1).has_value()) << c.unit;
    EXPECT_FALSE(c.make(kMax).has_value());
    EXPECT_FALSE(c.make(kMin).has_value());
  }
  // A scenario's "advance 1000000000s" fits; ten of them do not.
  EXPECT_EQ(Duration::CheckedSeconds(1'000'000'000), Duration{1'000'000'000'000'000'000});
  EXPECT_FALSE(Duration::CheckedSeconds(10'000'000'000).has_value());
}

TEST(Time, UncheckedUnitsSaturate) {
  EXPECT_EQ(Duration::Seconds(2), Duration{2'000'000'000});
  EXPECT_EQ(Duration::Milliseconds(-2), Duration{-2'000'000});
  EXPECT_EQ(Duration::Seconds(10'000'000'000), Duration::Max());
  EXPECT_EQ(Duration::Microseconds(kMax), Duration::Max());
  EXPECT_EQ(Duration::Milliseconds(kMin), Duration::Min());
  EXPECT_EQ(Duration::Seconds(-10'000'000'000), Duration::Min());
}

TEST(Time, CheckedAddOfInstantAndDuration) {
  EXPECT_EQ(CheckedAdd(Instant{5}, Duration{7}), Instant{12});
  EXPECT_EQ(CheckedAdd(Instant{0}, Duration::Max()), Instant::Max());
  EXPECT_EQ(CheckedAdd(Instant{1}, Duration{kMax - 1}), Instant::Max());
  EXPECT_FALSE(CheckedAdd(Instant{1}, Duration::Max()).has_value());
  EXPECT_FALSE(CheckedAdd(Instant::Max(), Duration{1}).has_value());
  EXPECT_EQ(CheckedAdd(Instant::Max(), Duration{-1}), Instant{kMax - 1});
  EXPECT_FALSE(CheckedAdd(Instant{-1}, Duration::Min()).has_value());
  EXPECT_EQ(CheckedAdd(Instant{0}, Duration::Min()), Instant{kMin});
}

TEST(Time, CheckedAddOfDurations) {
  EXPECT_EQ(CheckedAdd(Duration{2}, Duration{3}), Duration{5});
  EXPECT_FALSE(CheckedAdd(Duration::Max(), Duration{1}).has_value());
  EXPECT_FALSE(CheckedAdd(Duration::Min(), Duration{-1}).has_value());
  EXPECT_EQ(CheckedAdd(Duration::Max(), Duration::Min()), Duration{-1});
}

TEST(Time, OperatorsSaturateAtTheLimits) {
  // Ten advances of 10^18 ns: the clock stops at the end of time instead of wrapping.
  Instant t{};
  for (int i = 0; i < 10; ++i) t = t + Duration::Seconds(1'000'000'000);
  EXPECT_EQ(t, Instant::Max());
  EXPECT_EQ(Instant::Max() + Duration{1}, Instant::Max());
  EXPECT_EQ(Instant::Max() + Duration::Max(), Instant::Max());
  EXPECT_EQ(Instant{kMin} + Duration{-1}, Instant{kMin});
  EXPECT_EQ(Instant{10} + Duration{-3}, Instant{7});
  EXPECT_EQ(Duration::Max() + Duration{1}, Duration::Max());
  EXPECT_EQ(Duration::Min() + Duration{-1}, Duration::Min());
  EXPECT_EQ(Duration::Max() + Duration::Min(), Duration{-1});
  EXPECT_EQ(Instant::Max() - Instant{kMin}, Duration::Max());
  EXPECT_EQ(Instant{kMin} - Instant::Max(), Duration::Min());
  EXPECT_EQ(Instant{10} - Instant{4}, Duration{6});
}

TEST(Time, CheckedMulAndShl) {
  EXPECT_EQ(Duration{3}.CheckedMul(4), Duration{12});
  EXPECT_EQ(Duration{-3}.CheckedMul(4), Duration{-12});
  EXPECT_EQ(Duration{0}.CheckedMul(kMax), Duration{0});
  EXPECT_EQ(Duration::Max().CheckedMul(1), Duration::Max());
  EXPECT_EQ(Duration::Max().CheckedMul(-1), Duration{-kMax});
  EXPECT_FALSE(Duration::Min().CheckedMul(-1).has_value());
  EXPECT_FALSE(Duration::Max().CheckedMul(2).has_value());
  EXPECT_FALSE(Duration{kMax / 2 + 1}.CheckedMul(2).has_value());
  EXPECT_EQ(Duration{kMax / 2}.CheckedMul(2), Duration{kMax - 1});
  EXPECT_EQ(Duration{kMin / 2}.CheckedMul(2), Duration::Min());
  EXPECT_FALSE(Duration{kMin / 2 - 1}.CheckedMul(2).has_value());
  EXPECT_FALSE(Duration{-2}.CheckedMul(kMin).has_value());

  const Duration rto = Duration::Seconds(1);
  EXPECT_EQ(rto.CheckedShl(0), rto);
  EXPECT_EQ(rto.CheckedShl(6), Duration::Seconds(64));
  EXPECT_EQ(rto.CheckedShl(33), Duration{std::int64_t{1'000'000'000} << 33});
  EXPECT_FALSE(rto.CheckedShl(34).has_value());  // 1.7e19 ns
  EXPECT_FALSE(rto.CheckedShl(63).has_value());
  EXPECT_FALSE(rto.CheckedShl(200).has_value());
  EXPECT_EQ(Duration{1}.CheckedShl(62), Duration{std::int64_t{1} << 62});
  EXPECT_FALSE(Duration{1}.CheckedShl(63).has_value());
  EXPECT_EQ(Duration{-1}.CheckedShl(63), Duration::Min());
  EXPECT_EQ(Duration{0}.CheckedShl(1000), Duration{0});
}

TEST(Time, DoubledSaturatesForBackOff) {
  const Duration rto = Duration::Seconds(1);
  EXPECT_EQ(rto.Doubled(0), rto);
  EXPECT_EQ(rto.Doubled(5), Duration::Seconds(32));
  EXPECT_EQ(rto.Doubled(34), Duration::Max());
  EXPECT_EQ(rto.Doubled(4'000'000'000u), Duration::Max());
  EXPECT_EQ(Duration{-5}.Doubled(70), Duration::Min());
  EXPECT_EQ(Duration{0}.Doubled(70), Duration{0});
}

// The arithmetic stays usable in constant expressions (a compile-time check).
static_assert(Duration::Seconds(1).ns == 1'000'000'000);
static_assert(Duration::Seconds(kMax) == Duration::Max());
static_assert(!Duration::CheckedSeconds(kMax).has_value());
static_assert((Instant::Max() + Duration{1}) == Instant::Max());
static_assert(Duration{1}.Doubled(3) == Duration{8});

}  // namespace
}  // namespace socksim::sim
