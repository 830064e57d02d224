// The SIMD helpers of scan.h against the tables and the scalar reference, for
// every byte value at every position of a 16-byte block, and
// find_control_inline near both ends of a guarded buffer (it must never read
// outside [begin, end)).

#include "server/http1/scan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "server/http1/char_class.h"
#include "server/http1/testing/guarded_buffer.h"

namespace shockwave::http1 {
namespace {

TEST(FindControlInline, MatchesTheScalarReferenceForEveryByteAtEveryOffset) {
  for (std::size_t size : {1u, 2u, 15u, 16u, 17u, 31u, 33u, 64u, 65u, 100u}) {
    testing::GuardedBuffer buffer(std::string(size, 'a'));  // flush against a guard page
    const char* begin = buffer.data();
    const char* end = begin + size;
    for (int b = 0; b < 256; ++b) {
      for (std::size_t at = 0; at < size; at += (size > 40 ? 7 : 1)) {
        buffer.data()[at] = static_cast<char>(b);
        for (std::size_t from : {std::size_t{0}, at / 2, at}) {
          ASSERT_EQ(find_control_inline(begin + from, end, begin), find_control_scalar(begin + from, end))
              << "size " << size << ", byte " << b << " at " << at << ", from " << from;
        }
        buffer.data()[at] = 'a';
      }
    }
  }
}

TEST(FindControlInline, ReadsNothingBeforeBegin) {
  // The buffer starts right after a guard page: the 16-byte read near the
  // end must not start before it when the buffer is shorter than 16 bytes.
  for (std::size_t size = 1; size < 20; ++size) {
    testing::GuardedBuffer buffer(std::string(size, 'x'), testing::GuardedBuffer::Guard::kBefore);
    const char* begin = buffer.data();
    EXPECT_EQ(find_control_inline(begin, begin + size, begin), begin + size);
    buffer.data()[size - 1] = '\r';
    EXPECT_EQ(find_control_inline(begin, begin + size, begin), begin + size - 1);
  }
}

#if defined(__SSE2__)
TEST(PathRun16, MatchesThePathCharTable) {
  for (int b = 0; b < 256; ++b) {
    for (unsigned at = 0; at < 16; ++at) {
      char block[16];
      std::memset(block, 'a', sizeof block);
      block[at] = static_cast<char>(b);
      const bool path = chars::is(static_cast<char>(b), chars::kPathChar);
      ASSERT_EQ(path_run16(block), path ? 16u : at) << "byte " << b << " at " << at;
    }
  }
}

TEST(NameColon16, AcceptsLettersDigitsAndDashBeforeAColon) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool name_byte = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    ASSERT_TRUE(!name_byte || chars::is_tchar(c)) << "a subset of tchar";
    for (unsigned at = 0; at < 15; ++at) {
      char block[16];
      std::memset(block, 'N', sizeof block);
      block[at] = c;
      block[15] = ':';
      const unsigned want = b == ':' ? (at == 0 ? 0u : at) : (name_byte ? 15u : 0u);
      ASSERT_EQ(name_colon16(block), want) << "byte " << b << " at " << at;
    }
  }
  char no_colon[16];
  std::memset(no_colon, 'N', sizeof no_colon);
  EXPECT_EQ(name_colon16(no_colon), 0u);
}
#endif

TEST(Skip, MatchesTheTableForEveryByteAtEveryOffset) {
  for (chars::Class cls : {chars::kTchar, chars::kPathChar, chars::kRegName}) {
    for (int b = 0; b < 256; ++b) {
      for (std::size_t size : {1u, 3u, 4u, 5u, 9u}) {
        for (std::size_t at = 0; at < size; ++at) {
          std::string s(size, 'a');
          s[at] = static_cast<char>(b);
          const char* want = s.data() + (chars::is(static_cast<char>(b), cls) ? size : at);
          ASSERT_EQ(chars::skip(s.data(), s.data() + size, cls), want) << "byte " << b << " at " << at;
        }
      }
    }
  }
}

}  // namespace
}  // namespace shockwave::http1
