// The echo handler (echo.h) on requests parsed by the real parser: the JSON
// byte for byte, HEAD's X-Echo-Json, a body too large for the inline buffer
// (chunked), and not one allocation while it answers.

#include "server/echo.h"

#include <array>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "server/http1/request_parser.h"
#include "testing/alloc_counter.h"

namespace shockwave {
namespace {

struct Answer {
  std::string head;     // status line and fields
  std::string content;  // as sent (chunked framing included)
  std::uint64_t allocations = 0;
};

// respond parses `bytes` (one request) and has Echo answer it into a
// fixed output buffer; only the parse-to-response part is measured.
Answer respond(std::string bytes) {
  static std::array<http1::Header, 64> fields;
  static std::array<char, 256 * 1024> out_bytes;
  http1::RequestParser parser(fields);
  EXPECT_EQ(parser.parse(std::span<char>(bytes.data(), bytes.size())), http1::ParseStatus::kComplete);
  http1::OutputBuffer out{out_bytes.data(), out_bytes.size()};
  http1::ResponseContext context;
  context.head_request = parser.head().method == "HEAD";
  context.http10 = parser.head().version_minor == 0;
  context.keep_alive = parser.head().keep_alive;
  Answer a;
  {
    testing::AllocationScope scope;
    const Request request{parser.head(), parser.body(), parser.trailers()};
    ResponseWriter writer(out, context);
    Echo echo;
    echo.handle(request, writer);
    writer.finish();
    a.allocations = scope.allocations();
  }
  std::string_view wire(out.data, out.size);
  const std::size_t end = wire.find("\r\n\r\n");
  EXPECT_NE(end, std::string_view::npos);
  a.head = wire.substr(0, end + 2);
  a.content = wire.substr(end + 4);
  return a;
}

TEST(Echo, AGetIsItsCanonicalJson) {
  Answer a = respond("GET /a?b=c HTTP/1.1\r\nHost: a\r\nX-Two: 1\r\nx-two:  2 \r\n\r\n");
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_EQ(a.head.substr(0, 17), "HTTP/1.1 200 OK\r\n");
  EXPECT_NE(a.head.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << a.head;
  EXPECT_NE(a.head.find("\r\nX-Echo: canonical-json/1\r\n"), std::string::npos) << a.head;
  EXPECT_EQ(a.content, R"({"method": "GET", "target": "/a?b=c", "version": "HTTP/1.1", )"
                       R"("headers": [["Host", "a"], ["X-Two", "1"], ["x-two", "2"]], "trailers": [], )"
                       R"("body_b64": "", "keep_alive": true})");
}

TEST(Echo, OctetsAreEscapedAsCodePoints) {
  Answer a = respond("GET / HTTP/1.0\r\nX: caf\xe9 \"q\" \\ \t.\r\n\r\n");
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_EQ(a.content, R"({"method": "GET", "target": "/", "version": "HTTP/1.0", )"
                       R"("headers": [["X", "caf\u00e9 \"q\" \\ \u0009."]], "trailers": [], )"
                       R"("body_b64": "", "keep_alive": false})");
}

TEST(Echo, AChunkedBodyIsDecodedWithItsTrailers) {
  Answer a = respond(
      "POST /p HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n");
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_EQ(a.content, R"({"method": "POST", "target": "/p", "version": "HTTP/1.1", )"
                       R"("headers": [["Host", "a"], ["Connection", "close"], ["Transfer-Encoding", "chunked"]], )"
                       R"("trailers": [["X-Sum", "42"]], "body_b64": "aGVsbG8gd29ybGQ=", "keep_alive": false})");
}

TEST(Echo, HeadCarriesTheJsonInAField) {
  Answer a = respond("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(a.allocations, 0u);
  const std::string json = R"({"method": "HEAD", "target": "/", "version": "HTTP/1.1", "headers": [["Host", "a"]], )"
                           R"("trailers": [], "body_b64": "", "keep_alive": true})";
  EXPECT_NE(a.head.find("\r\nX-Echo-Json: " + json + "\r\n"), std::string::npos) << a.head;
  EXPECT_NE(a.head.find("\r\nContent-Length: " + std::to_string(json.size()) + "\r\n"), std::string::npos) << a.head;
  EXPECT_EQ(a.content, "");
}

TEST(Echo, ALargeEchoIsStreamedInChunks) {
  const std::string body(30000, 'a');  // "aaa" is "YWFh"
  Answer a = respond("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 30000\r\n\r\n" + body);
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_NE(a.head.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << a.head;
  std::string json, rest = a.content;
  while (true) {
    const std::size_t crlf = rest.find("\r\n");
    ASSERT_NE(crlf, std::string::npos);
    const std::size_t size = std::stoul(rest.substr(0, crlf), nullptr, 16);
    if (size == 0) break;
    json += rest.substr(crlf + 2, size);
    rest = rest.substr(crlf + 2 + size + 2);
  }
  std::string b64;
  for (int i = 0; i < 10000; ++i) b64 += "YWFh";
  EXPECT_EQ(json, R"({"method": "PUT", "target": "/", "version": "HTTP/1.1", )"
                  R"("headers": [["Host", "a"], ["Content-Length", "30000"]], "trailers": [], "body_b64": ")" +
                      b64 + R"(", "keep_alive": true})");
}

}  // namespace
}  // namespace shockwave
