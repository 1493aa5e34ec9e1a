// File: tests/tools/buffers_test.cc
// The generic caller-buffer layer (tools/scenario/buffers.h): memory annotations and where
// they place a buffer, buffer notation parsed, laid out, read back and printed, and memory
// images compared regardless of spelling; also how the matcher uses it.
#include "tools/scenario/buffers.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/address_space.h"
#include "tools/scenario/match.h"
#include "tools/scenario/parser.h"

namespace socksim::tools::buffers {
namespace {

using sim::AddressSpace;

Value MustParse(const std::string& text) {
  std::string error;
  auto v = ParseValue(text, &error);
  EXPECT_TRUE(v.has_value()) << text << ": " << error;
  return v.value_or(Value{});
}

TEST(BufferLayout, EveryAnnotationHasItsLayout) {
  struct Case {
    const char* annotation;
    Layout::Kind kind;
    std::uint64_t bytes;
  };
  const Case cases[] = {
      {"", Layout::Kind::kPlain, 0},
      {"ro", Layout::Kind::kReadOnly, 0},
      {"end", Layout::Kind::kAtEnd, 0},
      {"mapped=4", Layout::Kind::kStraddling, 4},
      {"mapped=0", Layout::Kind::kStraddling, 0},
      {"offset=1", Layout::Kind::kMisaligned, 1},
      {"offset=4095", Layout::Kind::kMisaligned, 4095},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.annotation);
    std::string error;
    const auto layout = ParseLayout(c.annotation, &error);
    ASSERT_TRUE(layout.has_value()) << error;
    EXPECT_EQ(layout->kind, c.kind);
    EXPECT_EQ(layout->bytes, c.bytes);
  }
}

TEST(BufferLayout, UnknownAnnotationsAndOffsetsBeyondAPageAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"rw", "unknown memory annotation 'rw:'"},
      {"mapped=", "unknown memory annotation 'mapped=:'"},
      {"mapped=x", "unknown memory annotation 'mapped=x:'"},
      {"offset=4096", "offset=4096 is not within a page"},
  };
  for (const auto& [annotation, message] : cases) {
    SCOPED_TRACE(annotation);
    std::string error;
    EXPECT_FALSE(ParseLayout(annotation, &error).has_value());
    EXPECT_NE(error.find(message), std::string::npos) << error;
  }
}

TEST(BufferLayout, PlacementMapsExactlyWhatTheLayoutSays) {
  AddressSpace memory;
  std::string error;
  // mapped=4 of 10: four accessible bytes, then an unmapped page.
  const auto straddling = Place(memory, Layout{Layout::Kind::kStraddling, 4}, 10, &error);
  ASSERT_TRUE(straddling.has_value()) << error;
  EXPECT_EQ(memory.AccessiblePrefix(*straddling, 10, sim::Protection::kReadWrite), 4u);
  // offset=1: one byte past a page boundary, all of it mapped.
  const auto misaligned = Place(memory, Layout{Layout::Kind::kMisaligned, 1}, 4, &error);
  ASSERT_TRUE(misaligned.has_value()) << error;
  EXPECT_EQ(*misaligned % AddressSpace::kPageSize, 1u);
  EXPECT_TRUE(memory.Accessible(*misaligned, 4, sim::Protection::kReadWrite));
  // end: the byte after the buffer faults.
  const auto at_end = Place(memory, Layout{Layout::Kind::kAtEnd, 0}, 6, &error);
  ASSERT_TRUE(at_end.has_value()) << error;
  EXPECT_TRUE(memory.Accessible(*at_end, 6, sim::Protection::kReadWrite));
  EXPECT_FALSE(memory.Accessible(*at_end, 7, sim::Protection::kRead));
  // A zero-length buffer still has an address.
  EXPECT_TRUE(Place(memory, Layout{}, 0, &error).has_value());
  EXPECT_FALSE(Place(memory, Layout{Layout::Kind::kStraddling, 5}, 4, &error).has_value());
  EXPECT_NE(error.find("mapped=5 is more than the buffer's 4 bytes"), std::string::npos) << error;
}

TEST(BufferForm, SizeBytesAndFillForms) {
  std::string error;
  SourceLocation where;
  const auto sized = ParseForm(MustParse("buffer(128, 0xaa)"), &error, &where);
  ASSERT_TRUE(sized.has_value()) << error;
  EXPECT_EQ(sized->size, 128u);
  EXPECT_EQ(sized->content, "");
  EXPECT_EQ(sized->fill, 0xaa);
  EXPECT_FALSE(sized->expected.has_value());

  const auto bytes = ParseForm(MustParse("buffer(\"ab\", 0) => untouched"), &error, &where);
  ASSERT_TRUE(bytes.has_value()) << error;
  EXPECT_FALSE(bytes->size.has_value());
  EXPECT_EQ(bytes->content, "ab");
  ASSERT_TRUE(bytes->expected.has_value());
  EXPECT_EQ(bytes->expected->ToString(), "untouched");

  const auto both =
      ParseForm(MustParse("mapped=2:buffer(4, \"xy\", 7) => buffer(\"x\", 7)"), &error, &where);
  ASSERT_TRUE(both.has_value()) << error;
  EXPECT_EQ(both->size, 4u);
  EXPECT_EQ(both->content, "xy");
  EXPECT_EQ(both->input.annotation, "mapped=2");
}

TEST(BufferForm, MalformedBuffersAreRefusedWhereTheyAreWrong) {
  struct Case {
    const char* text;
    int column;
    const char* message;
  };
  const Case cases[] = {
      {"buffer(8)", 1, "buffer takes (SIZE, FILL)"},
      {"buffer(8, 256)", 11, "the fill byte must be a number from 0 to 255"},
      {"buffer(8, -1)", 11, "the fill byte must be a number from 0 to 255"},
      {"buffer(8, \"a\")", 11, "the fill byte must be a number"},
      {"buffer(16777217, 0)", 8, "the buffer size must be a number from 0 to 16777216"},
      {"buffer(2, \"abc\", 0)", 11, "3 bytes do not fit a buffer of 2"},
      {"buffer(\"abc\"..., 0)", 8, "must be a string"},
      {"buffer($n, 0)", 8, "$n has no value yet"},
      {"buffer(4, 0) => 3", 17, "expected 'untouched' or buffer(\"BYTES\", FILL) after '=>'"},
      {"buffer(4, 0) => buffer(1, 2, 3, 4)", 17, "buffer takes"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::string error;
    SourceLocation where;
    EXPECT_FALSE(ParseForm(MustParse(c.text), &error, &where).has_value());
    EXPECT_NE(error.find(c.message), std::string::npos) << error;
    EXPECT_EQ(where.column, c.column);
  }
}

TEST(BufferForm, LaidOutFilledReadBackAndPrinted) {
  AddressSpace memory;
  std::string error;
  SourceLocation where;
  const auto placed = Lay(memory, MustParse("buffer(8, 0xaa) => untouched"), 99, &error, &where);
  ASSERT_TRUE(placed.has_value()) << error;
  EXPECT_EQ(placed->size, 8u);  // its own size, not the call's
  EXPECT_EQ(*memory.Peek(placed->address, 8), std::vector<std::uint8_t>(8, 0xaa));
  EXPECT_EQ(Printed(*placed, ReadBack(memory, *placed)).ToString(), "buffer(8, 0xaa) => untouched");
  const std::uint8_t written[] = {2, 0, 0xaa, 0xaa, 0, 0xaa, 0xaa, 0xaa};
  ASSERT_TRUE(memory.Poke(placed->address, written));
  // The shortest prefix after which every byte is the fill.
  EXPECT_EQ(Printed(*placed, ReadBack(memory, *placed)).ToString(),
            "buffer(8, 0xaa) => buffer(\"\\2\\0\\252\\252\\0\", 0xaa)");

  // The BYTES form takes the call's length (raised to its own length) and prints its size.
  const auto bytes = Lay(memory, MustParse("buffer(\"abc\", 0x2e)"), 5, &error, &where);
  ASSERT_TRUE(bytes.has_value()) << error;
  EXPECT_EQ(bytes->size, 5u);
  EXPECT_EQ(Printed(*bytes, ReadBack(memory, *bytes)).ToString(),
            "buffer(5, \"abc\", 0x2e) => untouched");
  EXPECT_EQ(Lay(memory, MustParse("buffer(\"abc\", 0)"), 1, &error, &where)->size, 3u);

  // Bytes on the unmapped page cannot change: they read back as they were set.
  const auto straddling = Lay(memory, MustParse("mapped=2:buffer(6, 0xaa)"), 0, &error, &where);
  ASSERT_TRUE(straddling.has_value()) << error;
  const std::uint8_t two[] = {'h', 'e'};
  ASSERT_TRUE(memory.Poke(straddling->address, two));
  EXPECT_EQ(Printed(*straddling, ReadBack(memory, *straddling)).ToString(),
            "mapped=2:buffer(6, 0xaa) => buffer(\"he\", 0xaa)");

  EXPECT_FALSE(Lay(memory, MustParse("mapped=9:buffer(4, 0)"), 0, &error, &where).has_value());
  EXPECT_EQ(where.column, 1);
}

TEST(BufferMemory, ImagesAreComparedNotSpellings) {
  struct Case {
    const char* expected;
    const char* actual;
    bool same;
  };
  const Case cases[] = {
      {"buffer(4, 0xaa) => buffer(\"ab\", 0xaa)", "buffer(4, 0xaa) => buffer(\"ab\", 0xaa)", true},
      // Trailing fill bytes in the expectation.
      {"buffer(4, 0xaa) => buffer(\"ab\\xaa\\xaa\", 0xaa)",
       "buffer(4, 0xaa) => buffer(\"ab\", 0xaa)", true},
      // Another fill byte describing the same four bytes.
      {"buffer(4, 0xaa) => buffer(\"ab\\xaa\\xaa\", 0)", "buffer(4, 0xaa) => buffer(\"ab\", 0xaa)",
       true},
      {"buffer(4, 0xaa) => buffer(\"ab\", 0)", "buffer(4, 0xaa) => buffer(\"ab\", 0xaa)", false},
      // `untouched` is the memory as written, and may be spelt out.
      {"buffer(4, 0xaa) => untouched", "buffer(4, 0xaa) => untouched", true},
      {"buffer(4, 0xaa) => buffer(\"\", 0xaa)", "buffer(4, 0xaa) => untouched", true},
      {"buffer(4, 0xaa) => buffer(4, 0xaa)", "buffer(4, 0xaa) => untouched", true},
      {"buffer(\"ab\", 0) => untouched", "buffer(4, \"ab\", 0) => untouched", true},
      {"buffer(\"ab\", 0) => buffer(\"ab\", 0)", "buffer(4, \"ab\", 0) => untouched", true},
      {"buffer(4, 0xaa) => untouched", "buffer(4, 0xaa) => buffer(\"a\", 0xaa)", false},
      {"buffer(4, 0xaa) => buffer(\"abcde\", 0xaa)", "buffer(4, 0xaa) => buffer(\"ab\", 0xaa)",
       false},
      {"buffer(4, 0xaa) => buffer(8, 0xaa)", "buffer(4, 0xaa) => untouched", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    std::string where;
    EXPECT_EQ(SameMemory(MustParse(c.expected), MustParse(c.actual), &where), c.same) << where;
    EXPECT_EQ(Matches(MustParse(c.expected), MustParse(c.actual), &where), c.same) << where;
  }
}

TEST(BufferMemory, AMismatchNamesTheFirstDifferingByte) {
  std::string where;
  EXPECT_FALSE(SameMemory(MustParse("buffer(4, 0xaa) => buffer(\"ab\", 0xaa)"),
                          MustParse("buffer(4, 0xaa) => buffer(\"ax\", 0xaa)"), &where));
  EXPECT_NE(where.find("byte 1 is 0x78, expected 0x62"), std::string::npos) << where;
  EXPECT_FALSE(
      SameMemory(MustParse("buffer(4, 0xaa) => untouched"), MustParse("0x7ffc0000"), &where));
  EXPECT_NE(where.find("got 0x7ffc0000"), std::string::npos) << where;
}

TEST(BufferMemory, ABufferWithoutResultOrWithAWildcardIsNotChecked) {
  std::string where;
  EXPECT_TRUE(Matches(MustParse("buffer(4, 0xaa)"),
                      MustParse("buffer(4, 0xaa) => buffer(\"x\", 0xaa)"), &where));
  EXPECT_TRUE(Matches(MustParse("buffer(4, 0xaa) => _"),
                      MustParse("buffer(4, 0xaa) => buffer(\"x\", 0xaa)"), &where));
  EXPECT_FALSE(Matches(MustParse("buffer(4, 0xaa) => _"), MustParse("0x7ffc0000"), &where));
}

TEST(CallBuffersTest, EveryLaidOutBufferIsPrintedWhereverItIs) {
  AddressSpace memory;
  const std::vector<Value> given = {
      MustParse("3"), MustParse("buffer(4, 0xaa) => untouched"),
      MustParse("{msg_iov=[{iov_base=buffer(2, 0) => _, iov_len=2}], msg_flags=0}")};
  CallBuffers buffers;
  std::string error;
  SourceLocation where;
  const auto whole = buffers.Add(memory, given[1], 9, &error, &where);
  const Value& nested = given[2].fields[0].value.items[0].fields[0].value;
  const auto inner = buffers.Add(memory, nested, 2, &error, &where);
  ASSERT_TRUE(whole && inner) << error;
  EXPECT_EQ(buffers.Find(MustParse("buffer(4, 0xaa) => untouched")), nullptr);  // by identity
  ASSERT_NE(buffers.Find(given[1]), nullptr);
  const std::uint8_t x[] = {'x'};
  ASSERT_TRUE(memory.Poke(*whole, x));
  ASSERT_TRUE(memory.Poke(*inner + 1, x));
  // The handler printed a decoded value for argument 2: the notation replaces it.
  std::vector<Value> printed = {given[0], MustParse("{sa_family=AF_UNIX}"), given[2]};
  buffers.PrintInto(memory, given, printed);
  EXPECT_EQ(printed[0].ToString(), "3");
  EXPECT_EQ(printed[1].ToString(), "buffer(4, 0xaa) => buffer(\"x\", 0xaa)");
  EXPECT_EQ(printed[2].ToString(),
            "{msg_iov=[{iov_base=buffer(2, 0) => buffer(\"\\0x\", 0), iov_len=2}], msg_flags=0}");
  // An argument printed in another shape keeps what was printed for its parts.
  std::vector<Value> reshaped = {given[0], given[1], MustParse("{msg_flags=0}")};
  buffers.PrintInto(memory, given, reshaped);
  EXPECT_EQ(reshaped[2].ToString(), "{msg_flags=0}");
}

}  // namespace
}  // namespace socksim::tools::buffers
