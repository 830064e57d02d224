#include "testing/escape.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace shockwave::testing {
namespace {

TEST(Escape, PrintableAsciiStays) { EXPECT_EQ(escape("GET / HTTP/1.1"), "GET / HTTP/1.1"); }

TEST(Escape, ControlsQuotesAndHighOctetsAreEscaped) {
  EXPECT_EQ(escape("a\r\n\tb"), "a\\r\\n\\tb");
  EXPECT_EQ(escape("\\\""), "\\\\\\\"");
  EXPECT_EQ(escape(std::string("\0\x1f\x7f\xff", 4)), "\\x00\\x1f\\x7f\\xff");
  EXPECT_EQ(escape(""), "");
}

TEST(Escape, ShowsControlBytes) {
  EXPECT_EQ(escape(std::string_view("a\r\n\t\x00\x7f\xff\"\\", 9)), "a\\r\\n\\t\\x00\\x7f\\xff\\\"\\\\");
}

TEST(Escape, MaxBytesCutsAndSaysSo) {
  EXPECT_EQ(escape("abcdef", 3), "abc...");
  EXPECT_EQ(escape("abc", 3), "abc");
  EXPECT_EQ(escape("\r\n\r\n", 2), "\\r\\n...");
}

}  // namespace
}  // namespace shockwave::testing
