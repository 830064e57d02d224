// ResponseWriter's contract at its edges. What it writes for any sequence
// of calls is checked by proptests/response_properties_test (llhttp parses
// it back); here: what it refuses, and what it says when it refuses.

#include "server/http1/response_writer.h"

#include <gtest/gtest.h>

#include <cstring>
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

// content_follows: the head says the length of content the server sends
// from elsewhere (a file), and whether it is due at all.
TEST_F(ResponseWriterTest, ContentFollowsWritesTheHeadWithItsLength) {
  ResponseWriter w(out_, context_);
  w.status(206);
  w.header("Content-Range", "bytes 0-9/5000000000");
  EXPECT_TRUE(w.content_follows(5'000'000'000));
  EXPECT_TRUE(w.finished());
  EXPECT_TRUE(written().starts_with("HTTP/1.1 206 Partial Content\r\n"));
  EXPECT_TRUE(written().ends_with("Content-Length: 5000000000\r\n\r\n"));
  w.body("x");  // the response is over: nothing more of it
  EXPECT_TRUE(written().ends_with("\r\n\r\n"));
}

// RFC 9110 §9.3.2, §8.6: HEAD gets the length GET would send, and no
// content; 304 carries none either.
TEST_F(ResponseWriterTest, ContentFollowsIsNotDueForHeadOr304) {
  ResponseContext head = context_;
  head.head_request = true;
  ResponseWriter h(out_, head);
  EXPECT_FALSE(h.content_follows(42));
  EXPECT_NE(written().find("Content-Length: 42\r\n"), std::string_view::npos);
  out_.size = 0;
  ResponseWriter n(out_, context_);
  n.status(304);
  EXPECT_FALSE(n.content_follows(42));
  EXPECT_EQ(written().find("Content-Length"), std::string_view::npos);
}

// RFC 9110 §5.5: every byte of a value judged on its own, at each place
// (the check runs four bytes a step): HTAB, SP, VCHAR and obs-text pass,
// every other control (CR, LF, NUL among them) and DEL are refused.
TEST_F(ResponseWriterTest, EveryValueByteIsJudgedByItsClass) {
  for (int b = 0; b < 256; ++b) {
    const bool allowed = b == '\t' || (b >= 0x20 && b != 0x7f);
    for (std::size_t at = 0; at < 6; ++at) {
      std::string value(6, 'v');
      value[at] = static_cast<char>(b);
      out_.size = 0;
      ResponseWriter w(out_, context_);
      EXPECT_EQ(w.header("X-Value", value), allowed) << "byte " << b << " at " << at;
      EXPECT_EQ(written().find("X-Value") != std::string_view::npos, allowed) << "byte " << b << " at " << at;
    }
  }
}

TEST_F(ResponseWriterTest, ContentFollowsAfterTheResponseEndedIsRefused) {
  ResponseWriter w(out_, context_);
  w.body("done");
  EXPECT_FALSE(w.content_follows(10));
  EXPECT_TRUE(written().ends_with("done"));
}

// RFC 9110 §15.5.13, §15.5.17: the reasons a file server answers with.
TEST(ReasonPhrase, CoversTheConditionalAndRangeStatuses) {
  EXPECT_EQ(reason_phrase(206), "Partial Content");
  EXPECT_EQ(reason_phrase(304), "Not Modified");
  EXPECT_EQ(reason_phrase(412), "Precondition Failed");
  EXPECT_EQ(reason_phrase(416), "Range Not Satisfiable");
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

// A peer that takes every byte flushed: what it received, in order.
struct Wire {
  OutputBuffer* out = nullptr;
  std::string received;
  static bool flush(void* self) {
    auto* w = static_cast<Wire*>(self);
    if (w->out->size == 0) return false;
    w->received.append(w->out->data, w->out->size);
    w->out->size = 0;
    return true;
  }
};

// The fate of a response of known length is decided before any byte of it
// is sent: one larger than the buffer overflows (the server answers 500)
// with only the responses queued before it flushed, none of its own bytes
// (it used to send its head to make room, then had to be cut).
TEST_F(ResponseWriterTest, TooLargeResponseSendsNothingOfItself) {
  Wire wire;
  wire.out = &out_;
  out_.flush_context = &wire;
  out_.flush = &Wire::flush;
  const std::string before = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  out_.size = before.size();
  std::memcpy(storage_, before.data(), before.size());
  ResponseWriter w(out_, context_);
  w.header("Content-Type", "text/plain");
  w.header("X-Padding", std::string(300, 'p'));  // the head alone nearly fills the buffer
  w.body(std::string(1000, 'x'));
  EXPECT_TRUE(w.overflowed());
  EXPECT_FALSE(w.started_sending());
  EXPECT_EQ(wire.received.find("X-Padding"), std::string::npos) << wire.received;
  EXPECT_TRUE(wire.received.empty() || wire.received == before) << wire.received;
}

// One that fits alone is moved down behind what the flush left, whole.
TEST_F(ResponseWriterTest, ResponseBehindOthersIsKeptWholeWhileRoomIsMade) {
  Wire wire;
  wire.out = &out_;
  out_.flush_context = &wire;
  out_.flush = &Wire::flush;
  const std::string before(400, 'b');
  out_.size = before.size();
  std::memcpy(storage_, before.data(), before.size());
  ResponseWriter w(out_, context_);
  w.header("Content-Type", "text/plain");
  w.body(std::string(300, 'x'));
  EXPECT_FALSE(w.overflowed());
  EXPECT_FALSE(w.started_sending());
  EXPECT_EQ(wire.received, before);
  EXPECT_EQ(w.start_offset(), 0u);
  EXPECT_EQ(written().substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_NE(written().find("Content-Length: 300\r\n"), std::string_view::npos);
  EXPECT_EQ(written().substr(written().size() - 300), std::string(300, 'x'));
}

// A stream may outgrow the buffer: it is sent as it goes.
TEST_F(ResponseWriterTest, StreamLargerThanTheBufferIsSentAsItGoes) {
  Wire wire;
  wire.out = &out_;
  out_.flush_context = &wire;
  out_.flush = &Wire::flush;
  ResponseWriter w(out_, context_);
  w.begin_chunked();
  for (int i = 0; i < 10; ++i) w.write_chunk(std::string(200, 'x'));
  w.end_chunked();
  EXPECT_FALSE(w.overflowed());
  EXPECT_TRUE(w.started_sending());
  EXPECT_GT(wire.received.size() + out_.size, 2000u);
}

// Content that fits the buffer, but not with its head: the head goes first.
TEST_F(ResponseWriterTest, ContentAsLargeAsTheBufferIsSentAfterItsHead) {
  Wire wire;
  wire.out = &out_;
  out_.flush_context = &wire;
  out_.flush = &Wire::flush;
  ResponseWriter w(out_, context_);
  w.body(std::string(sizeof storage_, 'x'));
  EXPECT_FALSE(w.overflowed());
  EXPECT_EQ(wire.received.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_EQ(written(), std::string(sizeof storage_, 'x'));
}

}  // namespace
}  // namespace shockwave::http1
