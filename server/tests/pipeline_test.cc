// Pipelining (RFC 9112 §9.3.2): requests sent back to back on one connection
// are answered in the order they arrived; a bad one is answered with 400 and
// ends the connection; "close" ends it after its response (§9.6).

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

// TargetHandler answers with the request-target as the body; /big/... adds
// 20,000 bytes before it.
struct TargetHandler {
  void handle(const Request& request, ResponseWriter& response) {
    if (request.path().starts_with("/big/")) {
      response.body(std::string(20'000, 'x') + std::string(request.target()));
    } else {
      response.body(request.target());
    }
  }
};

class PipelineTest : public ::testing::Test {
 protected:
  TargetHandler handler_;
  TestServer<TargetHandler> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

std::string gets(int first, int last, std::string_view prefix = "/") {
  std::string bytes;
  for (int i = first; i <= last; ++i) bytes += get(std::string(prefix) + std::to_string(i));
  return bytes;
}

TEST_F(PipelineTest, ThreeRequestsInOneWriteAnsweredInOrder) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(gets(1, 3)));
  const std::vector<Response> r = client.read_responses(3);
  ASSERT_EQ(r.size(), 3u) << escape(client.pending());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i].status, 200);
    EXPECT_EQ(r[i].body, "/" + std::to_string(i + 1));
    EXPECT_FALSE(r[i].connection_close());
  }
  EXPECT_EQ(client.pending(), "");
  EXPECT_FALSE(client.closed());
}

TEST_F(PipelineTest, SixteenDeepAnsweredInOrder) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(gets(1, 16)));
  const std::vector<Response> r = client.read_responses(16);
  ASSERT_EQ(r.size(), 16u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(r[i].body, "/" + std::to_string(i + 1));
  // The connection is still usable after the burst.
  ASSERT_TRUE(client.send(get("/after")));
  EXPECT_EQ(client.read_response().body, "/after");
}

TEST_F(PipelineTest, PipelineSentByteByByteAnsweredInOrder) {
  Client client(server_.port());
  for (char c : gets(1, 3)) ASSERT_TRUE(client.send(std::string(1, c)));
  const std::vector<Response> r = client.read_responses(3);
  ASSERT_EQ(r.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r[i].body, "/" + std::to_string(i + 1));
}

// R-9.3.2-3: `GET / ...\r\n\r\nInvalid\r\n\r\n` → 200, then 400 and close.
TEST_F(PipelineTest, ValidRequestThenGarbageGets200Then400AndClose) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/") + "Invalid\r\n\r\n"));
  const std::vector<Response> r = client.read_responses(3);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_FALSE(r[0].connection_close());
  EXPECT_EQ(r[1].status, 400);
  EXPECT_TRUE(r[1].connection_close());
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

TEST_F(PipelineTest, ErrorInTheMiddleEndsThePipeline) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/1") + "GET /2 HTTP/1.1\r\n\r\n" + get("/3")));  // /2 has no Host
  const std::vector<Response> r = client.read_responses(3);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body, "/1");
  EXPECT_EQ(r[1].status, 400);
  EXPECT_TRUE(r[1].connection_close());
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

// R-9.6-1: exactly one response to a request with "close", then the close;
// the request after it is never processed.
TEST_F(PipelineTest, ConnectionCloseAnsweredOnceThenClosed) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get("/2")));
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].body, "/1");
  EXPECT_TRUE(r[0].connection_close());  // R-9.6-2
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

// R-9.3-3: a body is read (or the connection closed), never parsed as a request.
TEST_F(PipelineTest, BodyIsNeverParsedAsARequest) {
  Client client(server_.port());
  const std::string body = "GET /smuggled HTTP/1.1\r\n\r\n";
  ASSERT_TRUE(client.send("POST /nope HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\n\r\n" + body + get("/2")));
  const std::vector<Response> r = client.read_responses(3, {}, milliseconds(1000));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body, "/nope");
  EXPECT_EQ(r[1].body, "/2");
}

// More response bytes than the connection's write buffer (64 KiB): the
// server must flush and carry on with the requests it holds.
// (Regression: process() stopped at a 3/4-full queue and, when the flush
// then drained without EAGAIN, nothing resumed it: 6 of 8 arrived.)
TEST_F(PipelineTest, ResponsesLargerThanTheWriteBufferAllArrive) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(gets(1, 8, "/big/")));
  const std::vector<Response> r = client.read_responses(8);
  ASSERT_EQ(r.size(), 8u) << "server stalled after " << r.size() << " responses";
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(r[i].body.size(), 20'000 + 6u);
    EXPECT_TRUE(r[i].body.ends_with("/big/" + std::to_string(i + 1)));
  }
}

// 500 responses (~40 KiB) fit the write buffer's 3/4 mark: this one does not
// depend on the flush-and-continue path disabled above.
TEST_F(PipelineTest, FiveHundredSmallRequestsInOneWriteAllAnswered) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(gets(1, 500)));
  const std::vector<Response> r = client.read_responses(500);
  ASSERT_EQ(r.size(), 500u) << "server stalled after " << r.size() << " responses";
  for (int i = 0; i < 500; ++i) EXPECT_EQ(r[i].body, "/" + std::to_string(i + 1));
}

}  // namespace
}  // namespace shockwave::testing
