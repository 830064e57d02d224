#include "testing/strings.h"

#include "gtest/gtest.h"

namespace shockwave::testing {
namespace {

TEST(Iequals, IgnoresAsciiCaseOnly) {
  EXPECT_TRUE(iequals("Content-Length", "content-length"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("close", "closed"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_FALSE(iequals("[", "{"));  // 0x5b and 0x7b differ by 0x20, but are not letters
  EXPECT_FALSE(iequals("\xc9", "\xe9"));
}

TEST(Trim, RemovesSpaceAndTabAtBothEnds) {
  EXPECT_EQ(trim(" \t a b\t "), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\r\nx\r\n"), "\r\nx\r\n");  // only OWS
}

TEST(HasToken, FindsAnElementOfTheList) {
  EXPECT_TRUE(has_token("close", "close"));
  EXPECT_TRUE(has_token("keep-alive, Close", "close"));
  EXPECT_TRUE(has_token(" ,\tclose ,", "close"));
  EXPECT_FALSE(has_token("closed", "close"));
  EXPECT_FALSE(has_token("", "close"));
  EXPECT_TRUE(has_token("a,,b", ""));
}

TEST(LastToken, IsTheLastNonEmptyElementTrimmed) {
  EXPECT_EQ(last_token("gzip, chunked "), "chunked");
  EXPECT_EQ(last_token("chunked"), "chunked");
  EXPECT_EQ(last_token("chunked, ,"), "chunked");
  EXPECT_EQ(last_token("gzip,chunked,"), "chunked");
  EXPECT_EQ(last_token(" , "), "");
  EXPECT_EQ(last_token(""), "");
}

}  // namespace
}  // namespace shockwave::testing
