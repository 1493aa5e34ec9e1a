// File: tests/tools/registry_test.cc
// The personality registry: the build's personalities in the list's order, lookups by name and
// by header keyword, and a binding that builds a working call table.
#include "tools/scenario/registry.h"

#include <gtest/gtest.h>

#include "tools/scenario/parser.h"
#include "tools/scenario/runner.h"

namespace socksim::tools {
namespace {

TEST(Registry, ListsTheBuildsPersonalities) {
  ASSERT_FALSE(Personalities().empty());
  EXPECT_EQ(Personalities().front()->name, "linux");  // the first entry is the default
  EXPECT_EQ(FindPersonality("linux"), Personalities().front());
  EXPECT_EQ(FindPersonality("plan9"), nullptr);
  EXPECT_EQ(PersonalityForHeader("kernel"), FindPersonality("linux"));
  EXPECT_EQ(PersonalityForHeader("host"), nullptr);  // generic keywords belong to no one
  EXPECT_NE(PersonalityNames().find("linux"), std::string::npos);
}

TEST(Registry, EveryEntryIsComplete) {
  for (const PersonalityEntry* entry : Personalities()) {
    SCOPED_TRACE(std::string(entry->name));
    ASSERT_NE(entry->make_binding, nullptr);
    ASSERT_NE(entry->call_names, nullptr);
    const auto names = entry->call_names();
    EXPECT_FALSE(names.empty());
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_EQ(entry->import_trace == nullptr, entry->trace_format.empty());
  }
}

TEST(Registry, AnUnknownPersonalityIsAnErrorWithTheKnownOnes) {
  const auto parsed = ParseScenario("personality plan9\nhost a\nprocess 1 host=a\n", "p.scn");
  ASSERT_TRUE(parsed.ok());
  const ScenarioResult r = RunScenario(parsed.scenario);
  ASSERT_EQ(r.errors, 1);
  EXPECT_NE(r.verdicts[0].message.find("personality 'plan9' is not available (known: linux"),
            std::string::npos)
      << r.verdicts[0].message;
}

TEST(Registry, AHeaderKeywordGoesToItsPersonality) {
  const auto bad = ParseScenario("kernel seven\nhost a\nprocess 1 host=a\n", "k.scn");
  ASSERT_TRUE(bad.ok());
  const ScenarioResult r = RunScenario(bad.scenario);
  ASSERT_EQ(r.errors, 1);
  EXPECT_EQ(r.verdicts[0].location.line, 1);
  EXPECT_EQ(r.verdicts[0].message, "kernel takes a version such as 6.18");
}

}  // namespace
}  // namespace socksim::tools
