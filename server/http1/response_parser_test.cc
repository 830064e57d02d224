// ResponseParser: RFC 9112 responses, each case fed through the split
// harness (one read, byte by byte, two reads at every offset, against guard
// pages), finish() at the end of input as when the server closes.

#include "server/http1/response_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "server/http1/testing/split.h"

namespace shockwave::http1 {
namespace {

using namespace std::string_view_literals;

using testing::Field;
using testing::Fields;
using testing::ParseResponsesAllWays;
using testing::ResponseConfig;
using testing::ResponseOutcome;

ResponseOutcome Parse(std::string_view bytes, std::vector<RequestKind> requests = {}, ParserOptions options = {}) {
  ResponseConfig config;
  config.options = options;
  config.requests = std::move(requests);
  return ParseResponsesAllWays(bytes, config);
}

// Rejected: the error, and how many responses completed before it.
void ExpectError(std::string_view bytes, Error error, std::size_t before = 0, std::vector<RequestKind> requests = {},
                 ParserOptions options = {}) {
  const ResponseOutcome o = Parse(bytes, std::move(requests), options);
  EXPECT_EQ(o.status, ParseStatus::kError) << o;
  EXPECT_EQ(o.error, error) << o;
  EXPECT_EQ(o.responses.size(), before) << o;
}

TEST(ResponseParser, SmallResponse) {
  const ResponseOutcome o = Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 1u);
  const auto& r = o.responses[0];
  EXPECT_EQ(r.version_major, 1);
  EXPECT_EQ(r.version_minor, 1);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reason, "OK");
  EXPECT_EQ(r.headers, (Fields{{"Content-Type", "text/plain"}, {"Content-Length", "5"}}));
  EXPECT_EQ(r.framing, BodyFraming::kContentLength);
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.keep_alive);
  EXPECT_FALSE(r.tunnel);
  EXPECT_EQ(r.consumed, 69u);
}

TEST(ResponseParser, ReasonMayBeEmptyOrHoldHtabAndObsText) {
  auto o = Parse("HTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_EQ(o.responses[0].reason, "");
  o = Parse("HTTP/1.1 200 \xe9t\xe9\tfine\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_EQ(o.responses[0].reason, "\xe9t\xe9\tfine");
}

TEST(ResponseParser, StatusLineGrammar) {
  // RFC 9112 §4: a server MUST send the SP even without a reason.
  ExpectError("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", Error::kInvalidStatusLine);
  ExpectError("HTTP/1.1  200 OK\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1 20 OK\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1 2000 OK\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1 099 Low\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1 600 High\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1 2x0 OK\r\n\r\n", Error::kInvalidStatusCode);
  ExpectError("HTTP/1.1\t200 OK\r\n\r\n", Error::kInvalidStatusLine);
  ExpectError("HTTP/1.1 200\tOK\r\n\r\n", Error::kInvalidStatusLine);
  ExpectError("http/1.1 200 OK\r\n\r\n", Error::kInvalidStatusLine);  // case-sensitive (§2.3)
  ExpectError("HTTP/1 200 OK\r\n\r\n", Error::kInvalidStatusLine);
  ExpectError("HTTP/2.0 200 OK\r\n\r\n", Error::kUnsupportedVersion);
  ExpectError("\r\nHTTP/1.1 200 OK\r\n\r\n", Error::kInvalidStatusLine);  // §2.2's leading CRLF is for servers
  ExpectError("HTTP/1.1 200 O\0K\r\n\r\n"sv, Error::kInvalidStatusLine);
  ExpectError("HTTP/1.1 200 O\x7fK\r\n\r\n", Error::kInvalidStatusLine);
  ExpectError("HTTP/1.1 200 OK\n\r\n", Error::kBareLF);
  ExpectError("HTTP/1.1 200 O\rK\r\n\r\n", Error::kBareCR);
  // RFC 9110 §6.2: 1.2 to 1.9 are handled as 1.1.
  const auto o = Parse("HTTP/1.7 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_EQ(o.responses[0].version_minor, 1);
}

TEST(ResponseParser, StatusLineLimit) {
  ParserOptions options;
  options.limits.max_status_line = 64;
  const std::string reason(64 - 13, 'r');
  auto o = Parse("HTTP/1.1 200 " + reason + "\r\nContent-Length: 0\r\n\r\n", {}, options);
  EXPECT_EQ(o.responses.size(), 1u) << o;
  ExpectError("HTTP/1.1 200 " + reason + "r\r\nContent-Length: 0\r\n\r\n", Error::kStatusLineTooLong, 0, {}, options);
  // Refused while still arriving: no CRLF needed.
  ExpectError("HTTP/1.1 200 " + reason + "rr", Error::kStatusLineTooLong, 0, {}, options);
}

TEST(ResponseParser, BareLfLeniency) {
  ParserOptions options;
  options.leniency.bare_lf = true;
  const auto o = Parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi", {}, options);
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_EQ(o.responses[0].body, "hi");
}

TEST(ResponseParser, FieldSyntax) {
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", Error::kWhitespaceBeforeColon);
  ExpectError("HTTP/1.1 200 OK\r\n Content-Length: 0\r\n\r\n", Error::kWhitespaceBeforeFirstField);
  ExpectError("HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", Error::kObsFold);
  ExpectError("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n"sv, Error::kInvalidFieldValue);
  ExpectError("HTTP/1.1 200 OK\r\nX\x01: a\r\n\r\n", Error::kInvalidFieldName);
  ParserOptions fold;
  fold.leniency.obs_fold = true;
  const auto o = Parse("HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", {}, fold);
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_EQ(o.responses[0].headers[0], (Field{"X", "a   b"}));
}

TEST(ResponseParser, PipelinedResponsesAnswerTheirRequests) {
  // RFC 9112 §6.3 item 1: the response to HEAD has no body, whatever its
  // Content-Length says; the next response starts after its head.
  const auto o = Parse(
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
      "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nbc",
      {RequestKind::kOther, RequestKind::kHead, RequestKind::kOther});
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 3u) << o;
  EXPECT_EQ(o.responses[0].body, "a");
  EXPECT_EQ(o.responses[1].framing, BodyFraming::kNone);
  EXPECT_EQ(o.responses[1].body, "");
  EXPECT_EQ(o.responses[2].status, 201);
  EXPECT_EQ(o.responses[2].body, "bc");
}

TEST(ResponseParser, NoBodyStatusesIgnoreFramingFields) {
  // 204 and 304 end at the empty line: the bytes after are the next
  // response (here an invalid one: a response-splitting attempt is refused,
  // not read as a body).
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    SCOPED_TRACE(status);
    const std::string head = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 5\r\n\r\n";
    ExpectError(head + "hello", Error::kInvalidStatusLine, 1);  // refused before any line end
    ExpectError(head + "hello\r\n\r\n", Error::kInvalidStatusLine, 1);
    const auto o = Parse(head + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ASSERT_EQ(o.responses.size(), 2u) << o;
    EXPECT_EQ(o.responses[0].body, "");
  }
  // Even an invalid Content-Length or Transfer-Encoding is not judged there.
  const auto o = Parse("HTTP/1.1 304 Not Modified\r\nContent-Length: x\r\nTransfer-Encoding: y;\r\n\r\n");
  EXPECT_EQ(o.status, ParseStatus::kComplete) << o;
}

TEST(ResponseParser, InterimResponses) {
  const auto o = Parse(
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n",
      {RequestKind::kHead, RequestKind::kHead});
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 4u) << o;
  EXPECT_EQ(o.responses[0].status, 100);
  EXPECT_EQ(o.responses[1].headers, (Fields{{"Link", "</s.css>; rel=preload"}}));
  // The interim responses answered the first HEAD: the 200 after them does,
  // and the last one answers the second HEAD.
  EXPECT_EQ(o.responses[3].body, "");
}

TEST(ResponseParser, InterimFloodIsBounded) {
  std::string flood;
  for (int i = 0; i < 16; ++i) flood += "HTTP/1.1 102 Processing\r\n\r\n";
  const std::string final_response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  const auto o = Parse(flood + final_response + flood + final_response);
  EXPECT_EQ(o.status, ParseStatus::kComplete) << o;
  EXPECT_EQ(o.responses.size(), 34u);
  ExpectError(flood + "HTTP/1.1 102 Processing\r\n\r\n" + final_response, Error::kTooManyInterimResponses, 16);
}

TEST(ResponseParser, AnswersStartsANewExchange) {
  // A parser reused for another connection after an interim response: the
  // interim count of the old exchange does not carry over.
  std::vector<Header> fields(8);
  ParserOptions options;
  options.limits.max_interim_responses = 1;
  ResponseParser parser(fields, options);
  std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  ASSERT_EQ(parser.parse(std::span<char>(interim)), ParseStatus::kComplete);
  parser.reset();
  std::string again = interim;
  ASSERT_EQ(parser.parse(std::span<char>(again)), ParseStatus::kError);  // the second in a row
  EXPECT_EQ(parser.error(), Error::kTooManyInterimResponses);
  ResponseParser fresh(fields, options);
  ASSERT_EQ(fresh.parse(std::span<char>(interim)), ParseStatus::kComplete);
  fresh.reset();
  fresh.answers(RequestKind::kOther);
  std::string next = interim;
  EXPECT_EQ(fresh.parse(std::span<char>(next)), ParseStatus::kComplete);
}

TEST(ResponseParser, TunnelsEndTheConnectionsHttp) {
  // RFC 9110 §15.2.2 and §9.3.6: after a 101, or a 2xx to CONNECT, the bytes
  // belong to another protocol and are not parsed.
  auto o = Parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello");
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 1u);
  EXPECT_TRUE(o.responses[0].tunnel);
  EXPECT_FALSE(o.responses[0].keep_alive);
  o = Parse("HTTP/1.1 200 Connection Established\r\nContent-Length: 10\r\n\r\n\x16\x03\x01", {RequestKind::kConnect});
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_TRUE(o.responses[0].tunnel);
  EXPECT_EQ(o.responses[0].consumed, o.responses[0].head_size);
  // A refused CONNECT is an ordinary response with a body.
  o = Parse("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 2\r\n\r\nno", {RequestKind::kConnect});
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_FALSE(o.responses[0].tunnel);
  EXPECT_EQ(o.responses[0].body, "no");
}

TEST(ResponseParser, ChunkedBodiesAndTrailers) {
  const auto o = Parse(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
      "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nDigest: d\r\n\r\n"
      "HTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 2u) << o;
  EXPECT_EQ(o.responses[0].framing, BodyFraming::kChunked);
  EXPECT_EQ(o.responses[0].body, "abcde");  // still gzip-coded for the caller to undo
  EXPECT_EQ(o.responses[0].trailers, (Fields{{"Digest", "d"}}));
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", Error::kInvalidChunkSize);
}

TEST(ResponseParser, TransferEncodingRules) {
  // §6.3 item 3: both fields: an error (response splitting).
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
              Error::kContentLengthWithTransferEncoding);
  // §6.1: faulty framing in HTTP/1.0.
  ExpectError("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Error::kTransferEncodingInHttp10);
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", Error::kChunkedTwice);
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
              Error::kChunkedTwice);
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;a=b\r\n\r\n", Error::kInvalidTransferEncoding);
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n", Error::kInvalidTransferEncoding);
  // §6.3 item 4: chunked not final: the body ends at close.
  const auto o = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\nrest");
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 1u);
  EXPECT_EQ(o.responses[0].framing, BodyFraming::kClose);
  EXPECT_EQ(o.responses[0].body, "0\r\n\r\nrest");
  EXPECT_FALSE(o.responses[0].keep_alive);
}

TEST(ResponseParser, ContentLengthRules) {
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", Error::kInvalidContentLength);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", Error::kInvalidContentLength);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 1, 1\r\n\r\n", Error::kInvalidContentLength);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", Error::kDuplicateContentLength);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", Error::kInvalidContentLength);
  ParserOptions options;
  options.limits.max_body = 4;
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", Error::kBodyTooLarge, 0, {}, options);
  ExpectError("HTTP/1.1 200 OK\r\n\r\nhello", Error::kBodyTooLarge, 0, {}, options);
}

TEST(ResponseParser, BodyUntilClose) {
  const auto o = Parse("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\nall of it\r\nHTTP/1.1 200 OK\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kComplete) << o;
  ASSERT_EQ(o.responses.size(), 1u);
  EXPECT_EQ(o.responses[0].framing, BodyFraming::kClose);
  EXPECT_EQ(o.responses[0].body, "all of it\r\nHTTP/1.1 200 OK\r\n\r\n");
  EXPECT_FALSE(o.responses[0].keep_alive);
  // An empty body until close is a whole response too.
  const auto empty = Parse("HTTP/1.1 200 OK\r\n\r\n");
  ASSERT_EQ(empty.responses.size(), 1u) << empty;
  EXPECT_EQ(empty.responses[0].body, "");
}

TEST(ResponseParser, Persistence) {
  // §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
  auto o = Parse("HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;  // the rest is not parsed
  EXPECT_FALSE(o.responses[0].keep_alive);
  o = Parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_FALSE(o.responses[0].keep_alive);
  o = Parse("HTTP/1.0 200 OK\r\nConnection: x, Keep-Alive\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(o.responses.size(), 1u) << o;
  EXPECT_TRUE(o.responses[0].keep_alive);
}

TEST(ResponseParser, ConnectionClosedInsideAResponse) {
  // RFC 9112 §8: a response cut short is incomplete, never complete.
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", Error::kIncompleteResponse);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Le", Error::kIncompleteResponse);
  ExpectError("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", Error::kIncompleteResponse);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 2", Error::kIncompleteResponse, 1);
  ExpectError("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTT", Error::kIncompleteResponse, 1);
  // Nothing at all: the connection ended between responses.
  const auto o = Parse("");
  EXPECT_EQ(o.status, ParseStatus::kIncomplete) << o;
  EXPECT_TRUE(o.responses.empty());
}

TEST(ResponseParser, WorkIsBoundedByTheInput) {
  // Byte by byte costs at most one extra byte examined per call over one
  // read (design invariant 4), as for requests.
  const std::string response =
      "HTTP/1.1 200 OK\r\nServer: s\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: v\r\n\r\n";
  std::string one = response;
  std::vector<Header> fields(16);
  ResponseParser whole(fields);
  ASSERT_EQ(whole.parse(std::span<char>(one)), ParseStatus::kComplete);
  const std::size_t one_read = whole.bytes_examined();
  EXPECT_LE(one_read, 3 * response.size());
  std::string trickle = response;
  std::vector<Header> fields2(16);
  ResponseParser slow(fields2);
  ParseStatus s = ParseStatus::kIncomplete;
  for (std::size_t n = 1; n <= trickle.size() && s == ParseStatus::kIncomplete; ++n) {
    s = slow.parse(std::span<char>(trickle.data(), n));
  }
  ASSERT_EQ(s, ParseStatus::kComplete);
  EXPECT_LE(slow.bytes_examined(), one_read + trickle.size());
}

TEST(ResponseParser, RebaseMovesEveryView) {
  std::string bytes = "HTTP/1.1 200 OK\r\nA: b\r\nContent-Length: 4\r\n\r\nbo";
  std::vector<Header> fields(8);
  ResponseParser parser(fields);
  ASSERT_EQ(parser.parse(std::span<char>(bytes)), ParseStatus::kIncomplete);
  std::string moved = bytes + "dy";
  parser.rebase(bytes.data(), bytes.size(), moved.data());
  bytes.assign(bytes.size(), '#');  // the old copy is gone
  ASSERT_EQ(parser.parse(std::span<char>(moved)), ParseStatus::kComplete);
  EXPECT_EQ(parser.head().reason, "OK");
  EXPECT_EQ(parser.head().headers[0].value, "b");
  EXPECT_EQ(parser.body(), "body");
}

TEST(ResponseParser, TooManyFields) {
  ResponseConfig config;
  config.field_capacity = 2;
  const auto o = ParseResponsesAllWays("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", config);
  EXPECT_EQ(o.error, Error::kTooManyFields) << o;
}

// ---------------------------------------------------------------------------
// Streaming a body through a fixed buffer (body_available / drop_body).

struct Streamed {
  ParseStatus status = ParseStatus::kIncomplete;
  std::string body;  // every dropped slice, then body() at the end
  Fields trailers;
  std::size_t most_held = 0;  // the largest the buffer ever was
  std::size_t left = 0;       // bytes after the response, still in the buffer
};

// Stream feeds `bytes` `step` at a time into one buffer, taking the body
// out after every incomplete parse, as a client reading a large download
// does; `at_end` calls finish() once all bytes are in.
Streamed Stream(std::string_view bytes, std::size_t step, bool at_end = false) {
  std::vector<char> buffer(bytes.size());
  Header fields[16];
  ResponseParser parser(fields);
  Streamed out;
  std::size_t held = 0;
  for (std::size_t fed = 0;;) {
    const std::size_t n = std::min(step, bytes.size() - fed);
    std::copy_n(bytes.data() + fed, n, buffer.data() + held);
    fed += n;
    held += n;
    out.most_held = std::max(out.most_held, held);
    const std::span<char> input(buffer.data(), held);
    out.status = fed == bytes.size() && at_end ? parser.finish(input) : parser.parse(input);
    if (out.status == ParseStatus::kComplete) {
      out.body += parser.body();
      for (const Header& h : parser.trailers()) out.trailers.push_back({std::string(h.name), std::string(h.value)});
      out.left = held - parser.consumed();
      return out;
    }
    if (out.status == ParseStatus::kError || fed == bytes.size()) return out;
    const std::string_view slice = parser.body_available(input);
    EXPECT_TRUE(slice.empty() || parser.head_complete());
    out.body += slice;
    held -= parser.drop_body(input, slice.size());
  }
}

std::string Chunked(std::string_view body, std::size_t chunk) {
  std::string wire;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::string_view c = body.substr(at, chunk);
    char size[32];
    std::snprintf(size, sizeof size, "%zx;ext=1\r\n", c.size());
    wire += size;
    wire += c;
    wire += "\r\n";
  }
  return wire;
}

TEST(ResponseParser, StreamsAContentLengthBodyThroughASmallBuffer) {
  std::string body(100'000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
  for (std::size_t step : {1u, 7u, 1000u, 4096u}) {
    const Streamed s = Stream(head + body + "HTTP/1.1 204 No Content\r\n\r\n", step);
    ASSERT_EQ(s.status, ParseStatus::kComplete) << step;
    EXPECT_EQ(s.body, body) << step;
    EXPECT_LE(s.most_held, head.size() + step) << "the body was not taken out as it came, step " << step;
    EXPECT_LE(s.left, 27u) << "only the next response stays behind, step " << step;
  }
}

TEST(ResponseParser, StreamsAChunkedBodyAndKeepsItsTrailers) {
  std::string body(50'000, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('A' + i % 23);
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string wire = head + Chunked(body, 777) + "0\r\nX-Sum: 42\r\nX-More: y\r\n\r\n";
  for (std::size_t step : {1u, 5u, 100u, 3000u}) {
    const Streamed s = Stream(wire, step);
    ASSERT_EQ(s.status, ParseStatus::kComplete) << step;
    EXPECT_EQ(s.body, body) << step;
    EXPECT_EQ(s.trailers, (Fields{{"X-Sum", "42"}, {"X-More", "y"}})) << step;
    EXPECT_EQ(s.left, 0u);
    // The buffer holds the head, what one read brought, an unfinished chunk
    // line and the trailer section: never the body.
    EXPECT_LT(s.most_held, head.size() + step + 64) << step;
  }
}

TEST(ResponseParser, StreamsABodyDelimitedByClose) {
  const std::string body(20'000, 'z');
  const Streamed s = Stream("HTTP/1.1 200 OK\r\n\r\n" + body, 512, /*at_end=*/true);
  ASSERT_EQ(s.status, ParseStatus::kComplete);
  EXPECT_EQ(s.body, body);
  EXPECT_LE(s.most_held, 19u + 512u);
}

TEST(ResponseParser, StreamingStillRefusesBadFraming) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const Streamed s = Stream(head + "5\r\nhello\r\n5\r\nworldXX\r\n0\r\n\r\n", 3);
  EXPECT_EQ(s.status, ParseStatus::kError);
  EXPECT_TRUE(std::string_view("helloworld").starts_with(s.body))
      << "only body that arrived before the error: " << s.body;
}

}  // namespace
}  // namespace shockwave::http1
