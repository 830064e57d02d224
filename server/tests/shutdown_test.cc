// Start and graceful shutdown (server.h): start() reports what it cannot
// do; stop() takes no new connections, closes idle ones at once, still
// answers a request in flight, with Connection: close; shutdown_timeout is
// the hard deadline for wait().

#include <cerrno>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

constexpr milliseconds kShutdownTimeout{700};
// wait() may end this much after the deadline (the loop wakes every 250 ms).
constexpr std::int64_t kLateMs = 1500;

class ShutdownTest : public ::testing::Test {
 protected:
  Config config_ = [] {
    Config c = test_config();
    c.shutdown_timeout = kShutdownTimeout;
    return c;
  }();
  Endpoints handler_;
  TestServer<Endpoints> server_{config_, handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }

  // served: a client that has had one response (so it is accepted and idle).
  std::unique_ptr<Client> served() {
    auto client = std::make_unique<Client>(server_.port());
    EXPECT_TRUE(client->send(get("/plaintext")));
    EXPECT_EQ(client->read_response().status, 200);
    return client;
  }
};

TEST_F(ShutdownTest, StopClosesAnIdleConnection) {
  std::unique_ptr<Client> client = served();
  const Clock::time_point start = Clock::now();
  server_.stop();
  EXPECT_TRUE(client->wait_closed(milliseconds(2000)));
  EXPECT_EQ(client->pending(), "");
  server_.wait();
  EXPECT_LE(ms_since(start), kShutdownTimeout.count());  // nothing to wait for: no deadline needed
}

TEST_F(ShutdownTest, StopClosesAConnectionThatSentNothing) {
  Client client(server_.port());
  ASSERT_TRUE(client.connected());
  std::this_thread::sleep_for(milliseconds(100));  // accepted by now
  server_.stop();
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
  EXPECT_EQ(client.pending(), "");
  server_.wait();
}

// Head sent, body pending: the response still arrives, with "close".
TEST_F(ShutdownTest, RequestInFlightIsAnsweredWithConnectionClose) {
  Client client(server_.port());
  // The 100 Continue shows the server holds the head before stop().
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  ASSERT_EQ(client.read_response().status, 100);
  server_.stop();
  std::this_thread::sleep_for(milliseconds(100));
  ASSERT_TRUE(client.send("hello"));
  const Response r = client.read_response("PUT");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(r.connection_close());
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
  server_.wait();
}

TEST_F(ShutdownTest, PartialBodyInFlightIsAnsweredWithConnectionClose) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello"));
  std::this_thread::sleep_for(milliseconds(100));
  server_.stop();
  std::this_thread::sleep_for(milliseconds(100));
  ASSERT_TRUE(client.send("world"));
  const Response r = client.read_response("POST");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "helloworld");
  EXPECT_TRUE(r.connection_close());
  EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
  server_.wait();
}

// A request that never completes cannot hold shutdown past its deadline.
TEST_F(ShutdownTest, WaitReturnsWithinTheShutdownDeadline) {
  Client stalled(server_.port());
  ASSERT_TRUE(stalled.send("GET / HTTP/1.1\r\nHost: a\r\n"));  // head never finished
  std::unique_ptr<Client> idle = served();
  std::this_thread::sleep_for(milliseconds(100));
  const Clock::time_point start = Clock::now();
  server_.stop();
  server_.wait();
  const std::int64_t elapsed = ms_since(start);
  EXPECT_LE(elapsed, kShutdownTimeout.count() + kLateMs);
  EXPECT_TRUE(stalled.wait_closed(milliseconds(1000)));
  EXPECT_TRUE(idle->wait_closed(milliseconds(1000)));
}

TEST_F(ShutdownTest, ConnectionsAfterStopAreRefused) {
  const std::uint16_t port = server_.port();
  server_.stop();
  server_.wait();
  Client client(port);
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(client.connect_errno(), ECONNREFUSED);
}

// The listener closes at stop(), before wait(): new connections are refused
// (or, accepted by the kernel in the instant before, closed unanswered).
TEST_F(ShutdownTest, ConnectionsSoonAfterStopGetNoService) {
  const std::uint16_t port = server_.port();
  std::unique_ptr<Client> idle = served();  // keeps nothing open: it is idle
  server_.stop();
  std::this_thread::sleep_for(milliseconds(200));
  Client client(port);
  if (client.connected()) {
    client.send(get("/plaintext"));
    EXPECT_TRUE(client.wait_closed(milliseconds(2000)));
    EXPECT_EQ(client.pending(), "");
  } else {
    EXPECT_EQ(client.connect_errno(), ECONNREFUSED);
  }
  server_.wait();
}

// stop() and wait() twice, and the destructor after them, are harmless.
TEST_F(ShutdownTest, StopAndWaitAreIdempotent) {
  server_.stop();
  server_.stop();
  server_.wait();
  server_.wait();
  SUCCEED();
}

TEST(StartTest, StartReportsAnAddressItCannotUse) {
  Config config = test_config();
  config.address = "not-an-address";
  Endpoints handler;
  Server<Endpoints> server(config, handler);
  std::string error;
  EXPECT_FALSE(server.start(&error));
  EXPECT_NE(error.find("not-an-address"), std::string::npos) << error;
}

// A second server on a port that is already served must not start (and
// silently take half the connections).
// (Regression: SO_REUSEPORT alone let a second server share the port.)
TEST(StartTest, StartFailsOnAPortAlreadyInUse) {
  Endpoints handler;
  TestServer<Endpoints> first(test_config(), handler);
  ASSERT_TRUE(first.started()) << first.error();
  Config config = test_config();
  config.port = first.port();
  Server<Endpoints> second(config, handler);
  std::string error;
  EXPECT_FALSE(second.start(&error)) << "a second server started on port " << first.port();
  EXPECT_NE(error.find(std::to_string(first.port())), std::string::npos) << error;
}

// Requests already read but held back by responses the client has not taken
// are answered too, the last with Connection: close; none is dropped (they
// used to be, after a last response that did not say close).
struct BigHandler {
  void handle(const Request&, ResponseWriter& response) { response.body(std::string(16 * 1024, 'b')); }
};

TEST(ShutdownHeldBackTest, StopAnswersPipelinedRequestsHeldBackByOutput) {
  constexpr std::size_t kRequests = 300;  // ~10 KB read at once; 4.8 MB to answer
  Config config = test_config();
  config.shutdown_timeout = milliseconds(5000);
  BigHandler handler;
  TestServer<BigHandler> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port(), /*receive_buffer=*/4096);
  std::string requests;
  for (std::size_t i = 0; i < kRequests; ++i) requests += get("/big");
  ASSERT_TRUE(client.send(requests));
  std::this_thread::sleep_for(milliseconds(500));  // all read; the output blocked
  server.stop();
  const std::vector<Response> r = client.read_responses(kRequests + 1, {}, milliseconds(4000));
  ASSERT_EQ(r.size(), kRequests);
  for (std::size_t i = 0; i + 1 < r.size(); ++i) {
    ASSERT_EQ(r[i].status, 200) << i;
    ASSERT_FALSE(r[i].connection_close()) << i;
  }
  EXPECT_EQ(r.back().status, 200);
  EXPECT_TRUE(r.back().connection_close());
  EXPECT_TRUE(client.closed());
  server.wait();
}

}  // namespace
}  // namespace shockwave::testing
