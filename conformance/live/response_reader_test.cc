// The response reader: strict grammar, and every body-length
// rule of RFC 9112 §6.3.

#include "conformance/live/response_reader.h"

#include <string>

#include "gtest/gtest.h"

namespace shockwave::conformance::live {
namespace {

using Status = ResponseParse::Status;

ResponseParse parse(std::string_view data, bool head = false, bool eof = false) {
  return parse_response(data, head, eof);
}

TEST(ResponseParser, ContentLength) {
  std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX: y \r\n\r\nokHTTP/1.1";
  ResponseParse r = parse(in);
  ASSERT_EQ(r.status, Status::kComplete) << r.error;
  EXPECT_EQ(r.response.status, 200);
  EXPECT_EQ(r.response.reason, "OK");
  EXPECT_EQ(r.response.body, "ok");
  EXPECT_EQ(r.response.headers, (std::vector<Field>{{"Content-Length", "2"}, {"X", "y"}}));
  EXPECT_EQ(r.consumed, in.size() - 8);
}

TEST(ResponseParser, EmptyReasonNeedsItsSpace) {
  EXPECT_EQ(parse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n").status, Status::kComplete);
  EXPECT_EQ(parse("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n").status, Status::kError);
}

TEST(ResponseParser, IncompleteAtEveryPrefix) {
  std::string in = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nT: v\r\n\r\n";
  for (std::size_t n = 0; n < in.size(); ++n) {
    EXPECT_EQ(parse(in.substr(0, n)).status, Status::kIncomplete) << n;
  }
  ResponseParse r = parse(in);
  ASSERT_EQ(r.status, Status::kComplete) << r.error;
  EXPECT_EQ(r.response.body, "ok");
  EXPECT_EQ(r.response.trailers, (std::vector<Field>{{"T", "v"}}));
  EXPECT_EQ(r.consumed, in.size());
}

TEST(ResponseParser, ChunkExtensionsAndHexCase) {
  ResponseParse r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA;x=y\r\n0123456789\r\n0\r\n\r\n");
  ASSERT_EQ(r.status, Status::kComplete) << r.error;
  EXPECT_EQ(r.response.body, "0123456789");
}

TEST(ResponseParser, NoBodyForHead1xx204And304) {
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true).consumed, 38u);
  for (const char* in : {"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                         "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n"}) {
    ResponseParse r = parse(in);
    EXPECT_EQ(r.status, Status::kComplete) << in;
    EXPECT_EQ(r.consumed, std::string(in).size()) << in;
  }
  EXPECT_TRUE(parse("HTTP/1.1 100 Continue\r\n\r\n").response.interim());
  EXPECT_FALSE(parse("HTTP/1.1 101 Switching Protocols\r\n\r\n").response.interim());
}

TEST(ResponseParser, CloseDelimitedBody) {
  std::string in = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it";
  EXPECT_EQ(parse(in).status, Status::kIncomplete);
  ResponseParse r = parse(in, false, true);
  ASSERT_EQ(r.status, Status::kComplete);
  EXPECT_EQ(r.response.body, "all of it");
}

TEST(ResponseParser, RejectsWhatRfc9112Forbids) {
  for (const char* in : {
           "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",                           // bare LF
           "HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n",                           // bare LF
           "HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n",              // bare CR
           "HTTP/1.1 200 OK\r\nX : a\r\nContent-Length: 0\r\n\r\n",                // space before colon
           "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n",           // obs-fold
           "HTTP/1.1 200 OK\r\nNoColon\r\n\r\n",                                   // no colon
           "HTTP/2.0 200 OK\r\n\r\n",                                              // version
           "HTTP/1.1 20x OK\r\n\r\n",                                              // status
           "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",                        // CL
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",  // conflicting CL
           "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",         // chunk size
           "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n",  // chunk data length
       }) {
    ResponseParse r = parse(in, false, true);
    EXPECT_EQ(r.status, Status::kError) << in;
    EXPECT_FALSE(r.error.empty()) << in;
  }
}

TEST(ResponseParser, RepeatedEqualContentLengthIsFine) {
  ResponseParse r = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok");
  EXPECT_EQ(r.status, Status::kComplete) << r.error;
}

TEST(ResponseParser, HugeHeadIsAnError) {
  std::string in = "HTTP/1.1 200 OK\r\n";
  while (in.size() <= kMaxResponseHead + 200) in += "X: " + std::string(100, 'a') + "\r\n";
  EXPECT_EQ(parse(in).status, Status::kError);
}

TEST(ResponseParser, ReportsFramingAndHeadSize) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
  ResponseEvents ignore;
  ResponseRead r = read_response(head + "1\r\n", false, false, ignore);
  EXPECT_EQ(r.status, Status::kIncomplete);
  EXPECT_EQ(r.head_size, head.size());
  EXPECT_EQ(r.framing, Framing::kChunked);
  EXPECT_EQ(read_response("HTTP/1.1 200 OK\r\n", false, false, ignore).head_size, 0u);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").response.framing, Framing::kContentLength);
  EXPECT_EQ(parse("HTTP/1.1 200 OK\r\n\r\n", false, true).response.framing, Framing::kClose);
  EXPECT_EQ(parse("HTTP/1.1 204 No Content\r\n\r\n").response.framing, Framing::kNone);
}

// The events come in order, as views into the input.
TEST(ResponseParser, EventsSeeEveryPart) {
  struct Record : ResponseEvents {
    std::string seen;
    void status_line(std::string_view v, int s, std::string_view r) override {
      seen += std::string(v) + "|" + std::to_string(s) + "|" + std::string(r) + ";";
    }
    void field(std::string_view n, std::string_view v) override {
      seen += "F " + std::string(n) + "=" + std::string(v) + ";";
    }
    void body(std::string_view p) override { seen += "B " + std::string(p) + ";"; }
    void trailer(std::string_view n, std::string_view v) override {
      seen += "T " + std::string(n) + "=" + std::string(v) + ";";
    }
  } record;
  const ResponseRead r =
      read_response("HTTP/1.1 201 Made\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\nT: v\r\n\r\n",
                    false, false, record);
  ASSERT_EQ(r.status, Status::kComplete) << r.error;
  EXPECT_EQ(record.seen, "HTTP/1.1|201|Made;F Transfer-Encoding=chunked;B ab;B c;T T=v;");
}

TEST(ResponseParser, ErrorsSayWhere) {
  ResponseParse r = parse("HTTP/1.1 200 OK\r\nX : a\r\n\r\n");
  ASSERT_EQ(r.status, Status::kError);
  EXPECT_NE(r.error.find("at offset 24"), std::string::npos) << r.error;
}

TEST(Response, FieldLookupIgnoresCase) {
  ResponseParse r =
      parse("HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(r.status, Status::kComplete) << r.error;
  EXPECT_EQ(r.response.header("x-A"), "1");
  EXPECT_EQ(r.response.count("X-A"), 2u);
  EXPECT_TRUE(r.response.has("content-length"));
  EXPECT_FALSE(r.response.has("Date"));
  EXPECT_EQ(r.response.header("Date"), "");
  EXPECT_TRUE(r.response.connection_close());
  EXPECT_FALSE(parse("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n").response.connection_close());
}

}  // namespace
}  // namespace shockwave::conformance::live
