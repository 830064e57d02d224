// Timeouts (RFC 9112 §8, RFC 9110 §15.5.9): a head that does not arrive
// whole within header_timeout, however slowly its bytes trickle in, gets 408
// and the close; a body stalled for body_timeout gets 408; an idle keep-alive
// connection is closed after idle_timeout without a response.
//
// The server checks deadlines every 250 ms, so each check allows that much
// lateness (and more under sanitizers); none allows earliness.

#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

constexpr milliseconds kHeaderTimeout{500};
constexpr milliseconds kBodyTimeout{500};
constexpr milliseconds kIdleTimeout{500};
constexpr milliseconds kWriteTimeout{500};
// The most a timeout may fire late: the sweep interval, plus slack for a
// loaded machine.
constexpr std::int64_t kLateMs = 1500;
// The least: a coarse clock may round the start down by a few milliseconds.
constexpr std::int64_t kEarlyMs = 20;

class TimeoutsTest : public ::testing::Test {
 protected:
  Config config_ = [] {
    Config c = test_config();
    c.header_timeout = kHeaderTimeout;
    c.body_timeout = kBodyTimeout;
    c.idle_timeout = kIdleTimeout;
    c.write_timeout = kWriteTimeout;
    return c;
  }();
  Endpoints handler_;
  TestServer<Endpoints> server_{config_, handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

// R-8-1: a partial head → 408 + close after header_timeout.
TEST_F(TimeoutsTest, PartialHeadGets408AfterHeaderTimeout) {
  Client client(server_.port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHo"));
  const Response r = client.read_response("GET", milliseconds(5000));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(r.connection_close());
  EXPECT_GE(elapsed, kHeaderTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kHeaderTimeout.count() + kLateMs);
  EXPECT_TRUE(client.wait_closed());
}

// R-8-2 (slowloris): a byte every 100 ms does not extend header_timeout.
TEST_F(TimeoutsTest, TricklingHeadStillTimesOutAtHeaderTimeout) {
  Client client(server_.port());
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + std::string(200, 'z');
  const Clock::time_point start = Clock::now();
  std::size_t sent = 0;
  bool answered = false;
  while (sent < head.size() && ms_since(start) < 5000) {
    if (!client.send(head.substr(sent, 1))) break;  // the server closed
    ++sent;
    if (client.wait_bytes(milliseconds(100))) {
      answered = true;
      break;
    }
  }
  ASSERT_TRUE(answered) << "no answer after " << sent << " bytes over " << ms_since(start) << " ms";
  const std::int64_t elapsed = ms_since(start);
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(r.connection_close());
  EXPECT_GE(elapsed, kHeaderTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kHeaderTimeout.count() + kLateMs);
  EXPECT_TRUE(client.wait_closed());
}

// A connection that never sends a byte is closed after header_timeout,
// without a response (there is no request to answer).
TEST_F(TimeoutsTest, SilentConnectionClosedWithoutResponse) {
  Client client(server_.port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.wait_closed(milliseconds(5000)));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(client.pending(), "");
  EXPECT_GE(elapsed, kHeaderTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kHeaderTimeout.count() + kLateMs);
}

// An idle keep-alive connection is closed after idle_timeout, no response.
TEST_F(TimeoutsTest, IdleKeepAliveConnectionClosedWithoutResponse) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext")));
  EXPECT_EQ(client.read_response().status, 200);
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.wait_closed(milliseconds(5000)));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(client.pending(), "");
  EXPECT_GE(elapsed, kIdleTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kIdleTimeout.count() + kLateMs);
}

// A request begun on a kept-alive connection has header_timeout to finish.
TEST_F(TimeoutsTest, PartialSecondHeadGets408) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext")));
  EXPECT_EQ(client.read_response().status, 200);
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.send("GET /plaintext HTTP/1.1\r\n"));
  const Response r = client.read_response("GET", milliseconds(5000));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(r.status, 408);
  EXPECT_GE(elapsed, kHeaderTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kHeaderTimeout.count() + kLateMs);
  EXPECT_TRUE(client.wait_closed());
}

// A body that stops arriving gets 408 after body_timeout.
TEST_F(TimeoutsTest, PartialBodyGets408AfterBodyTimeout) {
  Client client(server_.port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello"));
  const Response r = client.read_response("POST", milliseconds(5000));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(r.status, 408);
  EXPECT_TRUE(r.connection_close());
  EXPECT_GE(elapsed, kBodyTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kBodyTimeout.count() + kLateMs);
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(TimeoutsTest, PartialChunkedBodyGets408AfterBodyTimeout) {
  Client client(server_.port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"));
  const Response r = client.read_response("POST", milliseconds(5000));
  const std::int64_t elapsed = ms_since(start);
  EXPECT_EQ(r.status, 408);
  EXPECT_GE(elapsed, kBodyTimeout.count() - kEarlyMs);
  EXPECT_LE(elapsed, kBodyTimeout.count() + kLateMs);
}

// body_timeout runs between reads: a body that keeps arriving, however
// slowly, is not cut off (the whole body takes twice body_timeout here).
TEST_F(TimeoutsTest, SlowButSteadyBodyIsServed) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n"));
  for (char c : std::string("0123456789")) {
    std::this_thread::sleep_for(milliseconds(100));
    ASSERT_TRUE(client.send(std::string(1, c)));
  }
  const Response r = client.read_response("POST");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "0123456789");
}

// After a 100 Continue, the body has body_timeout to start arriving.
TEST_F(TimeoutsTest, BodyNeverSentAfterContinueGets408) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  EXPECT_EQ(client.read_response().status, 100);
  const Clock::time_point start = Clock::now();
  const Response r = client.read_response("PUT", milliseconds(5000));
  EXPECT_EQ(r.status, 408);
  EXPECT_LE(ms_since(start), kBodyTimeout.count() + kLateMs);
}

// A client that sends requests but never reads the responses: once the
// server cannot write for write_timeout, it gives up on the connection.
TEST_F(TimeoutsTest, StalledReaderIsClosedAfterWriteTimeout) {
  Client client(server_.port(), /*receive_buffer=*/4096);
  ASSERT_TRUE(client.connected());
  const std::string request = get("/plaintext");
  std::string burst;
  for (int i = 0; i < 1000; ++i) burst += request;
  // Send without blocking until the server stops taking requests.
  std::size_t sent = 0;
  int requests = 0;
  const Clock::time_point start = Clock::now();
  while (ms_since(start) < 3000) {
    const ssize_t n = ::send(client.fd(), burst.data() + sent % burst.size(), burst.size() - sent % burst.size(),
                             MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    ASSERT_GT(n, 0) << "send failed: errno " << errno;
    sent += static_cast<std::size_t>(n);
  }
  requests = static_cast<int>(sent / request.size());
  ASSERT_GE(requests, 1000) << "the server kept reading: no back-pressure to test";
  // Do not read (reading would let the server make progress) until the
  // write timeout has certainly passed.
  std::this_thread::sleep_for(milliseconds(kWriteTimeout.count() + kLateMs));
  EXPECT_TRUE(client.wait_closed(milliseconds(3000))) << "still open after reading " << client.pending().size();
  EXPECT_LT(client.read_responses(static_cast<std::size_t>(requests), {}, milliseconds(100)).size(),
            static_cast<std::size_t>(requests));
}

}  // namespace
}  // namespace shockwave::testing
