// ResponseWriter's contract at its edges. What it writes for any sequence
// of calls is checked by proptests/response_properties_test (llhttp parses
// it back); here: what it refuses, and what it says when it refuses.

#include "server/http1/response_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace shockwave::http1 {
namespace {

constexpr std::string_view kDate = "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n";

class ResponseWriterTest : public ::testing::Test {
 protected:
  std::string_view written() const { return std::string_view(storage_, out_.size); }

  char storage_[512] = {};
  OutputBuffer out_{storage_, sizeof storage_};
  ResponseContext context_{false, false, true, kDate};
};

TEST_F(ResponseWriterTest, StatusAfterAHeaderIsRefusedAndSaysSo) {
  ResponseWriter w(out_, context_);
  ASSERT_TRUE(w.header("Content-Type", "text/plain"));
  EXPECT_FALSE(w.status(404));  // the 200 status line is out already
  w.body("x");
  EXPECT_EQ(w.status_code(), 200);
  EXPECT_TRUE(written().starts_with("HTTP/1.1 200 OK\r\n"));
}

TEST_F(ResponseWriterTest, StatusFirstIsTaken) {
  ResponseWriter w(out_, context_);
  EXPECT_TRUE(w.status(404));
  EXPECT_FALSE(w.status(500));
  w.finish();
  EXPECT_TRUE(written().starts_with("HTTP/1.1 404 Not Found\r\n"));
}

// RFC 9110 §15: a final status is 2xx-5xx; 1xx is the server's own (100).
TEST_F(ResponseWriterTest, StatusOutOfRangeBecomes500) {
  ResponseWriter w(out_, context_);
  EXPECT_TRUE(w.status(101));
  w.finish();
  EXPECT_EQ(w.status_code(), 500);
  EXPECT_TRUE(written().starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

// RFC 9112 §11.1: CR or LF in a reason phrase would split the response.
TEST_F(ResponseWriterTest, ReasonWithCrLfIsReplacedByTheStandardOne) {
  ResponseWriter w(out_, context_);
  EXPECT_TRUE(w.status(200, "OK\r\nX-Injected: 1"));
  w.finish();
  EXPECT_TRUE(written().starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(written().find("X-Injected"), std::string_view::npos);
}

TEST_F(ResponseWriterTest, FramingFieldsAndBadLinesAreRefused) {
  ResponseWriter w(out_, context_);
  EXPECT_FALSE(w.header("Content-Length", "5"));
  EXPECT_FALSE(w.header("transfer-encoding", "chunked"));
  EXPECT_FALSE(w.header("Connection", "close"));
  EXPECT_FALSE(w.header("Date", "yesterday"));
  EXPECT_FALSE(w.header("Bad Name", "x"));
  EXPECT_FALSE(w.header("X-Split", "a\r\nX-Injected: 1"));
  EXPECT_TRUE(w.header("X-Tab", "a\tb"));
  w.body("hello");
  EXPECT_EQ(written().find("X-Injected"), std::string_view::npos);
  EXPECT_NE(written().find("Content-Length: 5\r\n"), std::string_view::npos);
}

// A response that does not fit, with no flush to make room, overflows and
// says so; the connection answers 500 in its place.
TEST_F(ResponseWriterTest, ResponseLargerThanTheBufferOverflows) {
  ResponseWriter w(out_, context_);
  w.body(std::string(sizeof storage_, 'x'));
  EXPECT_TRUE(w.overflowed());
  EXPECT_FALSE(w.started_sending());
  EXPECT_EQ(w.start_offset(), 0u);
}

}  // namespace
}  // namespace shockwave::http1
