// Responses without content (RFC 9110 §9.3.2, §15.3.5, §15.4.5, §8.6;
// RFC 9112 §6.3 item 1): HEAD gets GET's header section and no body; 204 and
// 304 end with their header section and carry no Content-Length. A client
// parsing a pipeline of them must find exactly one response per request.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

// NoContentHandler: /204 and /304 try to send a body anyway; /204-stream
// tries to stream one; /stream streams "abc"; the rest is the endpoints.
struct NoContentHandler {
  Endpoints endpoints;

  void handle(const Request& request, ResponseWriter& response) {
    const std::string_view path = request.path();
    if (path == "/204" || path == "/304") {
      response.status(path == "/204" ? 204 : 304);
      response.header("X-Seen", "yes");
      response.body("this body must not be sent");
    } else if (path == "/204-empty") {
      response.status(204);
    } else if (path == "/204-stream") {
      response.status(204);
      response.begin_chunked();
      response.write_chunk("this chunk must not be sent");
      response.end_chunked();
    } else if (path == "/stream") {
      response.begin_chunked();
      response.write_chunk("abc");
      response.end_chunked();
    } else {
      endpoints.handle(request, response);
    }
  }
};

class HeadTest : public ::testing::Test {
 protected:
  NoContentHandler handler_;
  TestServer<NoContentHandler> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

std::string head(std::string_view target) { return "HEAD " + std::string(target) + " HTTP/1.1\r\nHost: a\r\n\r\n"; }

// R-9.3.2-4: exactly 2 responses, the first with GET's length and no body.
TEST_F(HeadTest, HeadThenGetParseAsExactlyTwoResponses) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(head("/plaintext") + get("/plaintext")));
  const std::vector<Response> r = client.read_responses(3, {"HEAD", "GET"}, milliseconds(1000));
  ASSERT_EQ(r.size(), 2u) << escape(client.pending());
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].header("Content-Length"), "13");
  EXPECT_EQ(r[0].header("Content-Type"), "text/plain");
  EXPECT_EQ(r[0].body, "");
  EXPECT_EQ(r[1].status, 200);
  EXPECT_EQ(r[1].header("Content-Length"), "13");
  EXPECT_EQ(r[1].body, "Hello, World!");
  EXPECT_EQ(client.pending(), "");
}

TEST_F(HeadTest, HeadHeadersMatchGet) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/json") + head("/json")));
  const std::vector<Response> r = client.read_responses(2, {"GET", "HEAD"});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].header("Content-Length"), r[0].header("Content-Length"));
  EXPECT_EQ(r[1].header("Content-Type"), r[0].header("Content-Type"));
  EXPECT_EQ(r[1].body, "");
  EXPECT_EQ(client.pending(), "");
}

// A HEAD to a streaming handler: GET's header section, no chunks at all.
TEST_F(HeadTest, HeadToAStreamingHandlerSendsNoChunks) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(head("/stream") + get("/stream")));
  const std::vector<Response> r = client.read_responses(3, {"HEAD", "GET"}, milliseconds(1000));
  ASSERT_EQ(r.size(), 2u) << escape(client.pending());
  EXPECT_EQ(r[0].body, "");
  EXPECT_EQ(r[1].body, "abc");
  EXPECT_EQ(client.pending(), "");
}

// R-15.3.5-1, R-8.6-1: 204 and 304 end with the header section, without
// Content-Length, even when the handler writes a body.
TEST_F(HeadTest, NoContentStatusesCarryNoBodyAndNoContentLength) {
  for (const char* target : {"/204", "/304", "/204-empty", "/204-stream"}) {
    SCOPED_TRACE(target);
    Client client(server_.port());
    // A GET after it: its response must parse right where the 204/304 ends.
    ASSERT_TRUE(client.send(get(target) + get("/plaintext")));
    const std::vector<Response> r = client.read_responses(3, {}, milliseconds(1000));
    ASSERT_EQ(r.size(), 2u) << escape(client.pending());
    EXPECT_EQ(r[0].status, std::string_view(target).starts_with("/304") ? 304 : 204);
    EXPECT_FALSE(r[0].has("Content-Length"));
    EXPECT_FALSE(r[0].has("Transfer-Encoding"));
    EXPECT_EQ(r[0].body, "");
    EXPECT_EQ(r[1].status, 200);
    EXPECT_EQ(r[1].body, "Hello, World!");
    EXPECT_EQ(client.pending(), "");
  }
}

TEST_F(HeadTest, HandlerHeadersSurviveOnNoContentResponses) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/204")));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("X-Seen"), "yes");
  EXPECT_TRUE(r.has("Date"));  // R-6.6.1-1
}

// The server's own error answers follow the same rule (RFC 9110 §9.3.2, RFC
// 9112 §6.3 item 1): once the request-line said HEAD, the client (or a proxy
// in front) reads the answer as ending with its header section, so a reason
// sent as content would be taken for the next response. Before the method is
// known, the reason is content.
TEST_F(HeadTest, ErrorAnswersToHeadCarryNoContent) {
  const struct {
    const char* what;
    std::string request;
    int status;
    bool content;
  } cases[] = {
      {"bad chunk size", "HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, false},
      {"bad field line", "HEAD / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400, false},
      {"no Host", "HEAD / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, false},
      {"body too large", "HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n", 413, false},
      {"unsupported expectation", "HEAD / HTTP/1.1\r\nHost: a\r\nExpect: x\r\n\r\n", 417, false},
      {"bad request-line", "HEAD /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400, true},
      {"unknown version", "HEAD / HTTP/2.0\r\nHost: a\r\n\r\n", 505, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    Client client(server_.port());
    ASSERT_TRUE(client.send(c.request));
    const Response r = client.read_response(c.content ? "GET" : "HEAD", milliseconds(2000));
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.header("Connection"), "close");
    EXPECT_EQ(r.body.empty(), !c.content) << escape(r.body);
    EXPECT_TRUE(client.wait_closed());
    EXPECT_EQ(client.pending(), "") << "bytes after the answer";
  }
}

// The body timeout's 408 too: the head had been accepted.
TEST(HeadTimeoutTest, RequestTimeoutToHeadCarriesNoContent) {
  Config config = test_config();
  config.body_timeout = milliseconds(200);
  Endpoints endpoints;
  TestServer<Endpoints> server(config, endpoints);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port());
  ASSERT_TRUE(client.send("HEAD / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab"));
  const Response r = client.read_response("HEAD", milliseconds(3000));
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(r.body, "");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "") << "bytes after the answer";
}

}  // namespace
}  // namespace shockwave::testing
