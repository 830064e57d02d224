// Persistence (RFC 9112 §9.3, §9.6): HTTP/1.1 persists unless "close";
// HTTP/1.0 persists only with "keep-alive" (and is told so); a connection
// ends after max_requests_per_connection; a client half-close does not cancel
// the response to a request already sent.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

class KeepAliveTest : public ::testing::Test {
 protected:
  Config config_ = [] {
    Config c = test_config();
    c.max_requests_per_connection = 3;
    return c;
  }();
  Endpoints handler_;
  TestServer<Endpoints> server_{config_, handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

TEST_F(KeepAliveTest, Http11Persists) {
  Client client(server_.port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.send(get("/plaintext")));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "Hello, World!");
    EXPECT_FALSE(r.has("Connection")) << r.header("Connection");
  }
  EXPECT_FALSE(client.wait_closed(milliseconds(200)));
}

// R-9.3-1.
TEST_F(KeepAliveTest, Http10Closes) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET /plaintext HTTP/1.0\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
  EXPECT_TRUE(r.connection_close());
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

// R-9.3-1, R-9.3-5: honoured keep-alive is announced and framed by length.
TEST_F(KeepAliveTest, Http10KeepAlivePersists) {
  Client client(server_.port());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Connection"), "keep-alive");
    EXPECT_EQ(r.header("Content-Length"), "13");
    EXPECT_FALSE(r.has("Transfer-Encoding"));
    EXPECT_EQ(r.body, "Hello, World!");
  }
  EXPECT_FALSE(client.wait_closed(milliseconds(200)));
}

// R-9.3-2: options are case-insensitive tokens in a list.
TEST_F(KeepAliveTest, CloseOptionIsFoundInAList) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, CLOSE\r\n\r\n"));
  EXPECT_TRUE(client.read_response().connection_close());
  EXPECT_TRUE(client.wait_closed());
}

// R-9.3-2, R-9.6-6: "closed" is not "close"; a Close field means nothing.
TEST_F(KeepAliveTest, LookalikesOfCloseDoNotClose) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n"));
  EXPECT_FALSE(client.read_response().connection_close());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: a\r\nClose: 1\r\n\r\n"));
  EXPECT_FALSE(client.read_response().connection_close());
  ASSERT_TRUE(client.send(get("/")));
  EXPECT_EQ(client.read_response().status, 200);
}

// The last response allowed says close, then the server closes.
TEST_F(KeepAliveTest, MaxRequestsPerConnectionHonoured) {
  Client client(server_.port());
  for (int i = 1; i <= 3; ++i) {
    SCOPED_TRACE(i);
    ASSERT_TRUE(client.send(get("/plaintext")));
    const Response r = client.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.connection_close(), i == 3);
  }
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

TEST_F(KeepAliveTest, MaxRequestsPerConnectionCutsAPipeline) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext") + get("/json") + get("/") + get("/plaintext") + get("/json")));
  const std::vector<Response> r = client.read_responses(5);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].connection_close());
  EXPECT_FALSE(r[1].connection_close());
  EXPECT_TRUE(r[2].connection_close());
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(client.pending(), "");
}

// R-9.6-5: FIN after a full request → the response is still delivered.
TEST_F(KeepAliveTest, HalfCloseAfterAFullRequestStillGetsTheResponse) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext")));
  client.shutdown_write();
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(KeepAliveTest, HalfCloseAfterAPipelineGetsEveryResponse) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext") + get("/json")));
  client.shutdown_write();
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body, "Hello, World!");
  EXPECT_EQ(r[1].body, R"({"message":"Hello, World!"})");
  EXPECT_TRUE(client.wait_closed());
}

// R-9.6-5: FIN mid-body → the request is incomplete; it is not answered as
// if it were whole.
TEST_F(KeepAliveTest, HalfCloseMidBodyGetsNoSuccess) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello"));
  client.shutdown_write();
  EXPECT_TRUE(client.wait_closed());
  const std::vector<Response> r = client.read_responses(1);
  for (const Response& response : r) EXPECT_GE(response.status, 400);
}

// Idle keep-alive connections do not stop others from being served.
TEST_F(KeepAliveTest, ManyPersistentConnectionsInterleave) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<Client>(server_.port()));
  for (int round = 0; round < 2; ++round) {
    for (auto& c : clients) ASSERT_TRUE(c->send(get("/json")));
    for (auto& c : clients) EXPECT_EQ(c->read_response().status, 200);
  }
}

}  // namespace
}  // namespace shockwave::testing
