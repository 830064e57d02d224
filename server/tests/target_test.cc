// Request-target forms (RFC 9112 §3.2) as a handler sees them: the path of
// an origin-form target stops at "?"; an absolute-form target, which a
// server MUST accept (§3.2.2), names the same resource as its origin-form.

#include <string>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

// PathHandler answers with what Request::path() and target() returned.
struct PathHandler {
  void handle(const Request& request, ResponseWriter& response) {
    response.header("X-Target", request.target());
    response.body(request.path());
  }
};

class TargetTest : public ::testing::Test {
 protected:
  PathHandler handler_;
  TestServer<PathHandler> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }

  Response exchange(std::string_view request_line, std::string_view host = "a") {
    Client client(server_.port());
    EXPECT_TRUE(client.send(std::string(request_line) + "\r\nHost: " + std::string(host) + "\r\n\r\n"));
    return client.read_response();
  }
};

TEST_F(TargetTest, OriginFormPathStopsAtTheQuery) {
  const Response r = exchange("GET /a/b?x=1&y=/z HTTP/1.1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-Target"), "/a/b?x=1&y=/z");
  EXPECT_EQ(r.body, "/a/b");
}

// RFC 9110 §9.3.7: OPTIONS * is about the server, not a resource: the server
// answers it with Allow, whatever the handler would have said.
TEST_F(TargetTest, AsteriskFormForOptionsIsAnsweredByTheServer) {
  const Response r = exchange("OPTIONS * HTTP/1.1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Allow"), test_config().allow);
  EXPECT_EQ(r.header("X-Target"), "");  // the handler was not called
  EXPECT_EQ(r.header("Content-Length"), "0");
}

TEST_F(TargetTest, OptionsOnAResourceReachesTheHandler) {
  const Response r = exchange("OPTIONS /a HTTP/1.1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-Target"), "/a");
}

// RFC 9112 §3.2.2: absolute-form is accepted; its path is the resource's.
// (Regression: Request::path() returned the whole absolute-form target.)
TEST_F(TargetTest, AbsoluteFormPathIsTheOriginFormPath) {
  const Response r = exchange("GET http://a/a/b?x=1 HTTP/1.1");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-Target"), "http://a/a/b?x=1");
  EXPECT_EQ(r.body, "/a/b");
}

TEST_F(TargetTest, AbsoluteFormWithPortAndNoPath) {
  const Response r = exchange("GET http://a:8080 HTTP/1.1", "a:8080");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "/");  // RFC 9112 §3.2.1: an empty path is "/"
}

// The same through the binary's endpoints: /plaintext by either form.
TEST(TargetEndpointsTest, AbsoluteFormReachesTheEndpoint) {
  Endpoints handler;
  TestServer<Endpoints> server(test_config(), handler);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port());
  ASSERT_TRUE(client.send("GET http://a/plaintext HTTP/1.1\r\nHost: a\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
}

}  // namespace
}  // namespace shockwave::testing
