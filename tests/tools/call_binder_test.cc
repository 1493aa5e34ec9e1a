// File: tests/tools/call_binder_test.cc
// The call binder every personality's call table shares (tools/scenario/call_binder.h):
// integer widths that never truncate, constants through the personality's lookup, memory for
// pointer arguments, value-result cells, printing back, and binding problems reported as
// errors of the line at their column. A personality is stood for by a two-name symbol table.
#include "tools/scenario/call_binder.h"

#include <gtest/gtest.h>

#include "sim/world.h"
#include "tools/scenario/parser.h"
#include "tools/scenario/values.h"

namespace socksim::tools {
namespace {

std::optional<std::int64_t> TestSymbols(std::string_view name) {
  if (name == "ONE") return 1;
  if (name == "FOUR") return 4;
  if (name == "BIG") return 0x100000000LL;
  return std::nullopt;
}

class CallBinderTest : public ::testing::Test {
 protected:
  CallBinderTest() : world_(sim::WorldOptions{.seed = 1}) {
    const auto node = world_.topology().AddNode("a", sim::NodeKind::kHost);
    process_ = &world_.Spawn({.pid = 100, .node = node, .credentials = sim::Credentials::Of(0, 0)});
  }

  // The line `100 f(ARGS) = 0`, parsed.
  CallLine Line(const std::string& args) {
    const ParseResult parsed = ParseScenario("100 f(" + args + ") = 0\n", "b.scn");
    EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
    return parsed.scenario.lines.at(0).call;
  }

  // Binds `args` with `body`; the result as Execute returns it.
  ExecutedCall Bind(const std::string& args, const std::function<void(CallBinder&)>& body) {
    line_ = Line(args);
    CallBinder b(process_->memory(), line_, process_->main_thread(), true, &TestSymbols);
    return b.Execute([&] { body(b); });
  }

  sim::World world_;
  sim::Process* process_ = nullptr;
  CallLine line_;
};

TEST_F(CallBinderTest, WordsTakeEveryThirtyTwoBitSpellingAndNothingWider) {
  struct Case {
    const char* arg;
    std::int64_t word;  // as Word returns it (sign-extended); 0 for a refused value
    const char* error;
  };
  const Case cases[] = {
      {"-1", -1, ""},
      {"0xffffffff", -1, ""},
      {"ONE|FOUR", 5, ""},
      {"ONE|0x10", 17, ""},
      {"NULL", 0, ""},
      {"-2147483648", -2147483648LL, ""},
      {"4294967299", 0, "4294967299 does not fit the 32-bit argument 1 of f"},
      {"-2147483649", 0, "-2147483649 does not fit the 32-bit argument 1 of f"},
      {"BIG", 0, "4294967296 does not fit the 32-bit argument 1 of f"},
      {"NINE", 0, "unknown constant 'NINE'"},
      {"\"x\"", 0, "expected an integer, found '\"x\"'"},
      {"$later", 0, "$later has no value yet (no earlier line bound it)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arg);
    std::int64_t got = 0;
    const ExecutedCall r = Bind(c.arg, [&](CallBinder& b) { got = b.Word(0); });
    EXPECT_EQ(r.bind_error, c.error);
    if (*c.error == '\0') {
      EXPECT_EQ(got, c.word);
    } else {
      EXPECT_EQ(r.bind_error_location.column, 7);
    }
  }
}

TEST_F(CallBinderTest, HalvesAndSizes) {
  std::uint16_t half = 0;
  std::uint64_t size = 0;
  EXPECT_EQ(Bind("0x202, -1",
                 [&](CallBinder& b) {
                   half = b.Half(0);
                   size = b.Size(1);
                 })
                .bind_error,
            "");
  EXPECT_EQ(half, 0x202);
  EXPECT_EQ(size, ~std::uint64_t{0});
  EXPECT_EQ(Bind("0x10000", [&](CallBinder& b) { (void)b.Half(0); }).bind_error,
            "65536 does not fit the 16-bit argument 1 of f");
}

TEST_F(CallBinderTest, ArgumentCountAndNamedArguments) {
  EXPECT_EQ(Bind("1, 2", [](CallBinder& b) { b.Need(3); }).bind_error,
            "f takes 3 arguments, found 2");
  EXPECT_EQ(Bind("1", [](CallBinder& b) { (void)b.Arg(1); }).bind_error, "f: missing argument 2");
  std::optional<std::size_t> named;
  std::optional<std::size_t> absent;
  EXPECT_EQ(Bind("1, provider=\"tcpip\"",
                 [&](CallBinder& b) {
                   named = b.NamedArg("provider");
                   absent = b.NamedArg("flags");
                 })
                .bind_error,
            "");
  EXPECT_EQ(named, 1u);
  EXPECT_EQ(absent, std::nullopt);
}

TEST_F(CallBinderTest, LiteralPointersAreUsedAsTheyAreStackOnesGetMemory) {
  sim::UserAddress literal = 0, stack_like = 0, null = 1;
  EXPECT_EQ(Bind("0x1, 0x7ffc783a3fe0, NULL",
                 [&](CallBinder& b) {
                   literal = b.Buffer(b.Arg(0), 16);
                   stack_like = b.Buffer(b.Arg(1), 16);
                   null = b.Buffer(b.Arg(2), 16);
                 })
                .bind_error,
            "");
  EXPECT_EQ(literal, 1u);
  EXPECT_EQ(null, 0u);
  EXPECT_NE(stack_like, 0x7ffc783a3fe0u);
  EXPECT_TRUE(process_->memory().Accessible(stack_like, 16, sim::Protection::kReadWrite));
}

// What a call lays out for itself goes when it returns, once asked for (the Linux table
// asks); what the line describes, an annotated cell or buffer notation, stays.
TEST_F(CallBinderTest, CallScopedMemoryIsUnmappedWhenTheCallReturns) {
  sim::UserAddress cell = 0, fresh = 0, marked = 0, read_only = 0, placed = 0;
  const sim::AddressSpace& mem = process_->memory();
  const ExecutedCall r = Bind("[16], _, ro:[4], buffer(8, 0xaa)", [&](CallBinder& b) {
    b.ScopeMemoryToCall();
    cell = b.LengthCell(0).first;
    fresh = b.Buffer(b.Arg(1), 16);
    marked = b.Scratch(b.mem().Allocate(8));
    read_only = b.LengthCell(2).first;
    placed = b.Buffer(b.Arg(3), 8);
    // All of it is there while the call runs.
    EXPECT_EQ(mem.ReadU32(cell), 16u);
    EXPECT_TRUE(mem.Accessible(fresh, 16, sim::Protection::kReadWrite));
    EXPECT_TRUE(mem.Accessible(marked, 8, sim::Protection::kReadWrite));
  });
  EXPECT_EQ(r.bind_error, "");
  EXPECT_FALSE(mem.Accessible(cell, 4, sim::Protection::kNone));
  EXPECT_FALSE(mem.Accessible(fresh, 16, sim::Protection::kNone));
  EXPECT_FALSE(mem.Accessible(marked, 8, sim::Protection::kNone));
  EXPECT_EQ(mem.ReadU32(read_only), 4u);
  EXPECT_EQ(mem.Peek(placed, 8), std::vector<std::uint8_t>(8, 0xaa));
  // Later memory is laid out past what was unmapped, never over it.
  sim::UserAddress next = 0;
  EXPECT_EQ(Bind("_", [&](CallBinder& b) { next = b.Buffer(b.Arg(0), 16); }).bind_error, "");
  EXPECT_GT(next, placed);
}

TEST_F(CallBinderTest, CallMemoryStaysUnlessScopedAndGoesOnABindingError) {
  sim::UserAddress kept = 0, marked = 0, failed = 0;
  const sim::AddressSpace& mem = process_->memory();
  EXPECT_EQ(Bind("[16]",
                 [&](CallBinder& b) {
                   kept = b.LengthCell(0).first;
                   marked = b.Scratch(b.mem().Allocate(8));
                 })
                .bind_error,
            "");
  EXPECT_EQ(mem.ReadU32(kept), 16u);
  EXPECT_TRUE(mem.Accessible(marked, 8, sim::Protection::kReadWrite));
  EXPECT_EQ(Bind("[16], NINE",
                 [&](CallBinder& b) {
                   b.ScopeMemoryToCall();
                   failed = b.LengthCell(0).first;
                   (void)b.Int(1);
                 })
                .bind_error,
            "unknown constant 'NINE'");
  EXPECT_FALSE(mem.Accessible(failed, 4, sim::Protection::kNone));
}

TEST_F(CallBinderTest, CellsHoldTheirInputLittleEndian) {
  sim::UserAddress wide = 0, cell = 0;
  std::uint32_t in = 0;
  EXPECT_EQ(Bind("[_], [16 => 28]",
                 [&](CallBinder& b) {
                   wide = b.WideCell(b.Arg(0), 0x0102030405060708ULL, 8);
                   std::tie(cell, in) = b.LengthCell(1);
                 })
                .bind_error,
            "");
  EXPECT_EQ(process_->memory().ReadU64(wide), 0x0102030405060708ULL);
  EXPECT_EQ(process_->memory().ReadU32(cell), 16u);
  EXPECT_EQ(in, 16u);
  EXPECT_EQ(Bind("[ONE]", [&](CallBinder& b) { (void)b.LengthCell(0); }).bind_error,
            "expected a length, found 'ONE'");
}

TEST_F(CallBinderTest, PrintedLengthShowsTheOutputOnlyWhenItChangedOrWasAskedFor) {
  struct Case {
    const char* arg;
    bool succeeded;
    std::uint32_t written;
    const char* printed;
  };
  const Case cases[] = {
      {"[128 => 16]", true, 16, "[128 => 16]"}, {"[16]", true, 16, "[16]"},
      {"[128]", false, 128, "[128]"},           {"[15 => 15]", false, 15, "[15 => 15]"},
      {"_", true, 28, "[128 => 28]"},
      // An input that is the cell's 32 bits keeps its spelling, so that it compares.
      {"[0xdeadbeef => 0xdeadbeef]", false, 0xdeadbeef, "[0xdeadbeef => 0xdeadbeef]"},
      {"[0xdeadbeef]", true, 8, "[0xdeadbeef => 8]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.arg);
    const ExecutedCall r = Bind(c.arg, [&](CallBinder& b) {
      const auto [at, in] = b.LengthCell(0);
      (void)b.mem().WriteU32(at, c.written);
      b.SetResult(c.succeeded ? stack::CallResult::Success(0) : stack::CallResult::Failure(-1, 14));
      b.PrintLength(0, at, in);
    });
    ASSERT_EQ(r.bind_error, "");
    EXPECT_EQ(r.args.at(0).ToString(), c.printed);
  }
}

TEST_F(CallBinderTest, BufferNotationIsPrintedBackFromMemory) {
  const ExecutedCall r = Bind("buffer(4, 0xaa) => _", [&](CallBinder& b) {
    const sim::UserAddress at = b.Buffer(b.Arg(0), 4);
    const std::uint8_t two[] = {'h', 'i'};
    (void)b.mem().Poke(at, two);
    b.SetResult(stack::CallResult::Success(2));
  });
  ASSERT_EQ(r.bind_error, "");
  EXPECT_EQ(r.args.at(0).ToString(), "buffer(4, 0xaa) => buffer(\"hi\", 0xaa)");
}

TEST_F(CallBinderTest, InputBytesArePaddedToTheLength) {
  sim::UserAddress at = 0;
  EXPECT_EQ(Bind("\"ab\"", [&](CallBinder& b) { at = b.InBytes(0, 4); }).bind_error, "");
  EXPECT_EQ(process_->memory().Peek(at, 4), (std::vector<std::uint8_t>{'a', 'b', 0, 0}));
}

TEST_F(CallBinderTest, ExpectedReturnAndResult) {
  std::optional<std::int64_t> expected;
  const ExecutedCall r = Bind("", [&](CallBinder& b) {
    expected = b.ExpectedReturn();
    b.SetResult(stack::CallResult::Blocked());
  });
  EXPECT_EQ(expected, 0);
  EXPECT_TRUE(r.blocked);
}

}  // namespace
}  // namespace socksim::tools
