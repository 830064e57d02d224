// Expect: 100-continue (RFC 9110 §10.1.1): an HTTP/1.1 client that waits
// for "100 Continue" gets it before it sends the body, then the final
// response; HTTP/1.0 clients never see a 1xx (§15.2); an expectation the
// server does not know is answered with 417.

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

class ExpectTest : public ::testing::Test {
 protected:
  Endpoints handler_;
  TestServer<Endpoints> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

// R-10.1.1-1, R-10.1.1-4.
TEST_F(ExpectTest, ContinueArrivesBeforeTheBodyIsSent) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(client.wait_bytes(milliseconds(2000))) << "no 100 Continue while the body is held back";
  EXPECT_TRUE(client.pending().starts_with(kContinue)) << escape(client.pending());
  const Response interim = client.read_response();
  EXPECT_EQ(interim.status, 100);
  EXPECT_EQ(interim.version, "HTTP/1.1");
  EXPECT_TRUE(interim.headers.empty());  // R-15.2-1: a 1xx ends with its header section
  EXPECT_EQ(client.pending(), "");

  ASSERT_TRUE(client.send("hello"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_FALSE(r.connection_close());
}

// R-10.1.1-6: expectation values are case-insensitive.
TEST_F(ExpectTest, ExpectationIsCaseInsensitive) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n"));
  EXPECT_EQ(client.read_response().status, 100);
  ASSERT_TRUE(client.send("ok"));
  EXPECT_EQ(client.read_response().body, "ok");
}

TEST_F(ExpectTest, ChunkedBodyAfterContinue) {
  Client client(server_.port());
  ASSERT_TRUE(
      client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.read_response().status, 100);
  ASSERT_TRUE(client.send("5\r\nhello\r\n0\r\n\r\n"));
  EXPECT_EQ(client.read_response().body, "hello");
}

// Each request on a connection gets its own 100 Continue.
TEST_F(ExpectTest, EveryRequestOnAConnectionGetsItsContinue) {
  Client client(server_.port());
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n"));
    EXPECT_EQ(client.read_response().status, 100);
    ASSERT_TRUE(client.send(std::to_string(i)));
    EXPECT_EQ(client.read_response().body, std::to_string(i));
  }
}

// The body sent without waiting: a 100 is optional, the final response is not.
TEST_F(ExpectTest, BodySentAtOnceGetsTheFinalResponse) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello"));
  std::vector<Response> r = client.read_responses(1);
  ASSERT_EQ(r.size(), 1u);
  if (r[0].status == 100) r = client.read_responses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].body, "hello");
}

// R-10.1.1-3: no content → nothing to continue; the final response only is fine.
TEST_F(ExpectTest, NoContentGetsTheFinalResponse) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n"));
  std::vector<Response> r = client.read_responses(1);
  ASSERT_EQ(r.size(), 1u);
  if (r[0].status == 100) r = client.read_responses(1);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].body, "");
}

// R-10.1.1-2: HTTP/1.0 never gets a 1xx.
TEST_F(ExpectTest, Http10GetsNoContinue) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_FALSE(client.wait_bytes(milliseconds(500))) << escape(client.pending());
  ASSERT_TRUE(client.send("hello"));
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].body, "hello");
  EXPECT_EQ(client.pending().find("100 Continue"), std::string::npos);
}

// R-10.1.1-6.
TEST_F(ExpectTest, UnknownExpectationGets417) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\nhello"));
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 417);
}

TEST_F(ExpectTest, UnknownExpectationWithoutContentGets417) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n"));
  EXPECT_EQ(client.read_response().status, 417);
}

// RFC 9110 §9.3.2: the 417 to a HEAD carries no content (found by
// fuzz/connection_fuzzer: the error path wrote its reason as content).
TEST_F(ExpectTest, UnknownExpectationOnHeadGets417WithoutContent) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("HEAD / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n"));
  const Response r = client.read_response("HEAD");
  EXPECT_EQ(r.status, 417);
  EXPECT_TRUE(r.body.empty());
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "") << "bytes after the 417 to HEAD: content was sent";
}

// R-10.1.1-5: a body that will not be read is refused at once (no 100),
// with Connection: close.
TEST_F(ExpectTest, TooLargeBodyIsRefusedWithoutContinue) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\nExpect: 100-continue\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.connection_close());
  EXPECT_TRUE(client.wait_closed());
}

}  // namespace
}  // namespace shockwave::testing
