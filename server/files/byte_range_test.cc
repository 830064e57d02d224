// parse_byte_range and the Content-Range writers (byte_range.h): RFC 9110
// §14.1.2's own examples, every edge the header promises (clipping, the
// suffix forms, overflow, invalid and multiple ranges, the unit's case, the
// list's whitespace), a brute-force comparison with a direct reading of
// §14.1.2 over small lengths, and no allocation.

#include "server/files/byte_range.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "testing/alloc_counter.h"

namespace shockwave::files {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

ByteRangeResult parse(std::string_view value, std::uint64_t length) { return parse_byte_range(value, length); }

// Expectations read as one string: "ignore", "416", or "FIRST+LENGTH".
std::string outcome(std::string_view value, std::uint64_t length) {
  const ByteRangeResult r = parse(value, length);
  switch (r.kind) {
    case ByteRangeKind::kIgnore:
      return "ignore";
    case ByteRangeKind::kUnsatisfiable:
      return "416";
    case ByteRangeKind::kSatisfiable:
      return std::to_string(r.range.first) + "+" + std::to_string(r.range.length);
  }
  return "?";
}

std::string content_range(const ByteRange& range, std::uint64_t length) {
  std::array<char, kMaxContentRange> out;
  return std::string(out.data(), format_content_range(range, length, out));
}

std::string unsatisfied_range(std::uint64_t length) {
  std::array<char, kMaxContentRange> out;
  return std::string(out.data(), format_unsatisfied_range(length, out));
}

// §14.1.2: "Additional examples, assuming a representation of length 10000".
TEST(ByteRange, Rfc9110Section14_1_2Examples) {
  EXPECT_EQ(outcome("bytes=0-499", 10000), "0+500");
  EXPECT_EQ(outcome("bytes=500-999", 10000), "500+500");
  EXPECT_EQ(outcome("bytes=-500", 10000), "9500+500");
  EXPECT_EQ(outcome("bytes=9500-", 10000), "9500+500");
  // Valid but multiple: served whole (see the header).
  EXPECT_EQ(outcome("bytes=0-0,-1", 10000), "ignore");
  EXPECT_EQ(outcome("bytes= 0-999, 4500-5499, -1000", 10000), "ignore");
  EXPECT_EQ(outcome("bytes=500-600,601-999", 10000), "ignore");
  EXPECT_EQ(outcome("bytes=500-700,601-999", 10000), "ignore");
}

TEST(ByteRange, FirstByteOnly) {
  EXPECT_EQ(outcome("bytes=0-0", 10), "0+1");
  EXPECT_EQ(outcome("bytes=0-0", 1), "0+1");
}

TEST(ByteRange, LastByteByPositionAndBySuffix) {
  EXPECT_EQ(outcome("bytes=9-9", 10), "9+1");
  EXPECT_EQ(outcome("bytes=9-", 10), "9+1");
  EXPECT_EQ(outcome("bytes=-1", 10), "9+1");
}

// §14.1.2: "If the last-pos value is absent, or if the value is greater than
// or equal to the current length ..., the byte range is interpreted as the
// remainder of the representation".
TEST(ByteRange, LastPosAtOrBeyondTheLengthIsClipped) {
  EXPECT_EQ(outcome("bytes=0-10", 10), "0+10");
  EXPECT_EQ(outcome("bytes=0-9", 10), "0+10");
  EXPECT_EQ(outcome("bytes=3-99999", 10), "3+7");
  EXPECT_EQ(outcome("bytes=3-", 10), "3+7");
}

// §14.1.2: "If the selected representation is shorter than the specified
// suffix-length, the entire representation is used."
TEST(ByteRange, SuffixLongerThanTheRepresentationIsAllOfIt) {
  EXPECT_EQ(outcome("bytes=-10", 10), "0+10");
  EXPECT_EQ(outcome("bytes=-11", 10), "0+10");
  EXPECT_EQ(outcome("bytes=-99999999", 10), "0+10");
}

// §14.1.2: satisfiable only "an int-range with a first-pos that is less than
// the current length ... or a suffix-range with a non-zero suffix-length".
TEST(ByteRange, UnsatisfiableRanges) {
  EXPECT_EQ(outcome("bytes=10-", 10), "416");
  EXPECT_EQ(outcome("bytes=10-10", 10), "416");
  EXPECT_EQ(outcome("bytes=11-20", 10), "416");
  EXPECT_EQ(outcome("bytes=-0", 10), "416");
  EXPECT_EQ(outcome("bytes=-000", 10), "416");
}

// §14.1.1: "An int-range is invalid if the last-pos value is present and less
// than the first-pos"; an invalid ranges-specifier is ignored (§14.2 "MAY
// ignore"), not 416.
TEST(ByteRange, LastBeforeFirstIsInvalidAndIgnored) {
  EXPECT_EQ(outcome("bytes=5-4", 10), "ignore");
  EXPECT_EQ(outcome("bytes=1-0", 10), "ignore");
  EXPECT_EQ(outcome("bytes=50-40", 10), "ignore");  // invalid beats unsatisfiable
}

TEST(ByteRange, LeadingZerosAreNumbers) {
  EXPECT_EQ(outcome("bytes=0005-0007", 10), "5+3");
  EXPECT_EQ(outcome("bytes=0010-005", 100), "ignore");  // 10 > 5
  EXPECT_EQ(outcome("bytes=-0003", 10), "7+3");
}

// §14.1.2: "recipients MUST anticipate potentially large decimal numerals and
// prevent parsing errors due to integer conversion overflows".
TEST(ByteRange, HugeNumbersDoNotOverflow) {
  EXPECT_EQ(outcome("bytes=18446744073709551615-", 10), "416");  // 2^64-1
  EXPECT_EQ(outcome("bytes=18446744073709551616-", 10), "416");  // 2^64
  EXPECT_EQ(outcome("bytes=99999999999999999999999999999999-", 10), "416");
  EXPECT_EQ(outcome("bytes=0-99999999999999999999999999999999", 10), "0+10");
  EXPECT_EQ(outcome("bytes=2-18446744073709551616", 10), "2+8");
  EXPECT_EQ(outcome("bytes=-99999999999999999999999999999999", 10), "0+10");
  // Both past 2^64: still compared exactly.
  EXPECT_EQ(outcome("bytes=100000000000000000000000000000-1000000000000000000000000000000", 10), "416");
  EXPECT_EQ(outcome("bytes=1000000000000000000000000000000-100000000000000000000000000000", 10), "ignore");
  EXPECT_EQ(outcome("bytes=99999999999999999999999-1", 10), "ignore");
  // The largest length there is.
  EXPECT_EQ(outcome("bytes=-1", kMax), std::to_string(kMax - 1) + "+1");
  EXPECT_EQ(outcome("bytes=0-", kMax), "0+" + std::to_string(kMax));
}

// §14.1: "All range unit names are case-insensitive".
TEST(ByteRange, UnitIsCaseInsensitive) {
  EXPECT_EQ(outcome("BYTES=0-1", 10), "0+2");
  EXPECT_EQ(outcome("Bytes=0-1", 10), "0+2");
  EXPECT_EQ(outcome("bYtEs=-1", 10), "9+1");
}

// §14.2: "An origin server MUST ignore a Range header field that contains a
// range unit it does not understand."
TEST(ByteRange, OtherUnitsAreIgnored) {
  EXPECT_EQ(outcome("items=0-1", 10), "ignore");
  EXPECT_EQ(outcome("byte=0-1", 10), "ignore");
  EXPECT_EQ(outcome("bytesx=0-1", 10), "ignore");
  EXPECT_EQ(outcome("none=0-1", 10), "ignore");
  EXPECT_EQ(outcome("=0-1", 10), "ignore");
}

// §14.1.1 grammar; anything else is an invalid ranges-specifier, ignored.
TEST(ByteRange, SyntaxErrorsAreIgnored) {
  for (std::string_view bad : {"",           "bytes",     "bytes=",     "bytes=,",     "bytes= , ,",
                               "bytes=-",    "bytes=--1", "bytes=1--2", "bytes=1-2-3", "bytes=abc",
                               "bytes=a-b",  "bytes=1-b", "bytes=+1-2", "bytes=0x1-2", "bytes=1.5-2",
                               "bytes=1-2;", "bytes 0-1", "bytes:0-1",  "bytes=0-1 x", "bytes=0-1=2"}) {
    EXPECT_EQ(outcome(bad, 10), "ignore") << bad;
  }
}

// OWS belongs around the list's commas (§5.6.1.2), and §14.1.2's example
// has it after "="; none inside a range-spec or before "=".
TEST(ByteRange, WhitespaceOnlyWhereTheListAllowsIt) {
  EXPECT_EQ(outcome("bytes= 0-1", 10), "0+2");
  EXPECT_EQ(outcome("bytes=\t0-1", 10), "0+2");
  EXPECT_EQ(outcome("bytes=0-1 ", 10), "0+2");
  EXPECT_EQ(outcome("bytes=0-1\t ", 10), "0+2");
  EXPECT_EQ(outcome("bytes =0-1", 10), "ignore");
  EXPECT_EQ(outcome(" bytes=0-1", 10), "ignore");
  EXPECT_EQ(outcome("bytes=0 -1", 10), "ignore");
  EXPECT_EQ(outcome("bytes=0- 1", 10), "ignore");
  EXPECT_EQ(outcome("bytes=- 1", 10), "ignore");
}

// §5.6.1.2: "A recipient MUST parse and ignore a reasonable number of empty
// list elements": a single range among empty elements is a single range.
TEST(ByteRange, EmptyListElementsAreSkipped) {
  EXPECT_EQ(outcome("bytes=,0-1", 10), "0+2");
  EXPECT_EQ(outcome("bytes=0-1,", 10), "0+2");
  EXPECT_EQ(outcome("bytes= , 0-1 , ,", 10), "0+2");
  EXPECT_EQ(outcome("bytes=,,,-3,,,", 10), "7+3");
}

// Multiple ranges are ignored whatever they are (byte_range.h): overlapping,
// adjacent, repeated, out of order, unsatisfiable or invalid alike.
TEST(ByteRange, MultipleRangesAreIgnored) {
  for (std::string_view multi :
       {"bytes=0-1,2-3", "bytes=0-1, 2-3", "bytes=0-1 ,2-3", "bytes=0-4,2-6", "bytes=0-1,0-1", "bytes=5-6,0-1",
        "bytes=-1,0-0", "bytes=20-,30-", "bytes=-0,-0", "bytes=5-4,0-1", "bytes=0-1,junk"}) {
    EXPECT_EQ(outcome(multi, 10), "ignore") << multi;
  }
}

// §14.2: "MAY ignore a Range header field when the selected representation
// has no content".
TEST(ByteRange, ZeroLengthIgnoresEveryRange) {
  for (std::string_view value : {"bytes=0-", "bytes=0-0", "bytes=-1", "bytes=-0", "bytes=1-"}) {
    EXPECT_EQ(outcome(value, 0), "ignore") << value;
  }
}

// Every single int-range and suffix-range over small lengths, against
// §14.1.2 read directly.
TEST(ByteRange, AgreesWithTheRfcOverSmallLengths) {
  for (std::uint64_t length = 1; length <= 12; ++length) {
    for (std::uint64_t a = 0; a <= 15; ++a) {
      const std::string suffix = "bytes=-" + std::to_string(a);
      const std::string open = "bytes=" + std::to_string(a) + "-";
      if (a == 0) {
        EXPECT_EQ(outcome(suffix, length), "416");
      } else {
        const std::uint64_t n = std::min(a, length);
        EXPECT_EQ(outcome(suffix, length), std::to_string(length - n) + "+" + std::to_string(n));
      }
      EXPECT_EQ(outcome(open, length), a < length ? std::to_string(a) + "+" + std::to_string(length - a) : "416");
      for (std::uint64_t b = 0; b <= 15; ++b) {
        const std::string closed = open + std::to_string(b);
        std::string expected;
        if (b < a) {
          expected = "ignore";
        } else if (a >= length) {
          expected = "416";
        } else {
          expected = std::to_string(a) + "+" + std::to_string(std::min(b, length - 1) - a + 1);
        }
        EXPECT_EQ(outcome(closed, length), expected) << closed << " of " << length;
      }
    }
  }
}

// §14.4: range-resp = incl-range "/" complete-length, with its examples for
// a 1234-byte representation.
TEST(ContentRange, Rfc9110Section14_4Examples) {
  EXPECT_EQ(content_range({0, 500}, 1234), "bytes 0-499/1234");
  EXPECT_EQ(content_range({500, 500}, 1234), "bytes 500-999/1234");
  EXPECT_EQ(content_range({500, 734}, 1234), "bytes 500-1233/1234");
  EXPECT_EQ(content_range({734, 500}, 1234), "bytes 734-1233/1234");
  EXPECT_EQ(content_range({0, 1}, 1), "bytes 0-0/1");
}

// §14.4, §15.5.17: a 416 says the current length as "bytes */LEN".
TEST(ContentRange, UnsatisfiedRange) {
  EXPECT_EQ(unsatisfied_range(1234), "bytes */1234");
  EXPECT_EQ(unsatisfied_range(0), "bytes */0");
  EXPECT_EQ(unsatisfied_range(kMax), "bytes */18446744073709551615");
}

TEST(ContentRange, TheLongestValueFitsKMaxContentRange) {
  const std::string longest = content_range({kMax - 1, 1}, kMax);
  EXPECT_EQ(longest, "bytes 18446744073709551614-18446744073709551614/18446744073709551615");
  EXPECT_EQ(longest.size(), kMaxContentRange);
}

TEST(ContentRange, AShortBufferGetsNothing) {
  std::array<char, kMaxContentRange - 1> out;
  out.fill('#');
  EXPECT_EQ(format_content_range({0, 1}, 1, out), 0u);
  EXPECT_EQ(format_unsatisfied_range(1, out), 0u);
  EXPECT_EQ(std::string_view(out.data(), out.size()), std::string(out.size(), '#'));
}

TEST(ContentRange, WhatParseFindsFormatsBack) {
  const ByteRangeResult r = parse("bytes=-500", 10000);
  ASSERT_EQ(r.kind, ByteRangeKind::kSatisfiable);
  EXPECT_EQ(content_range(r.range, 10000), "bytes 9500-9999/10000");
}

// Design invariant 1: parsing a Range and writing Content-Range are on the
// request path, so they allocate nothing.
TEST(ByteRange, AllocatesNothing) {
  const std::string values[] = {
      "bytes=0-499", "bytes=-0", "BYTES= 0-1 ,", "bytes=0-1,2-3", "bytes=99999999999999999999999999-", "items=1-2"};
  std::array<char, kMaxContentRange> out;
  std::size_t sizes = 0;
  testing::AllocationScope scope;
  for (const std::string& value : values) {
    const ByteRangeResult r = parse_byte_range(value, 1000);
    sizes += r.kind == ByteRangeKind::kSatisfiable ? format_content_range(r.range, 1000, out)
                                                   : format_unsatisfied_range(1000, out);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(sizes, 0u);
}

}  // namespace
}  // namespace shockwave::files
