// Abrupt peers: connections reset (SO_LINGER 0, an RST) in the middle of a
// request head, of a chunked body and of a response the server is writing,
// and connections half-closed right after a request (RFC 9112 §9.6: the
// response is still delivered). Thousands of them in turn, on a server with
// few slots: a slot lost to any of them would soon leave none, so in the end
// every accepted connection must have been closed and a new one served.

#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/reliability/harness.h"
#include "server/reliability/honest_clients.h"
#include "server/tests/test_server.h"

namespace shockwave::reliability {
namespace {

const int kCycles = scaled(200, 4000);  // of each kind
const std::string kRequest = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";
const std::string kChunkedHead = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(AbruptPeerTest, ResetsAndHalfClosesLeakNothing) {
  Config config = testing::test_config();
  config.max_connections = 8;
  config.write_timeout = milliseconds(1000);
  config.enable_stats = true;
  Endpoints handler;
  testing::TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  HonestClients honest(server.port(), 1, milliseconds(1));
  std::string pipeline;
  for (int i = 0; i < 3000; ++i) pipeline += kRequest;

  std::size_t half_closed_answered = 0, mid_write_resets = 0;
  for (int i = 0; i < kCycles; ++i) {
    // Reset in the middle of a request head.
    int fd = connect_blocking(server.port());
    ASSERT_GE(fd, 0);
    send_all(fd, "GET /plaintext HTTP/1.1\r\nHo");
    reset_close(fd);
    // Reset in the middle of a chunked body.
    fd = connect_blocking(server.port());
    ASSERT_GE(fd, 0);
    send_all(fd, kChunkedHead + "5\r\nhello\r\n10\r\nonly part");
    reset_close(fd);
    // Reset while the server writes: a pipeline whose responses do not fit
    // the socket buffers, of which we read a little.
    fd = connect_blocking(server.port(), 4096);
    ASSERT_GE(fd, 0);
    send(fd, pipeline.data(), pipeline.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    char buffer[1024];
    if (recv(fd, buffer, sizeof buffer, 0) > 0) ++mid_write_resets;
    reset_close(fd);
    // Half-close after a whole request: the response still arrives.
    fd = connect_blocking(server.port());
    ASSERT_GE(fd, 0);
    send_all(fd, kRequest);
    shutdown(fd, SHUT_WR);
    bool closed = false;
    const std::string got = read_until_close(fd, milliseconds(5000), &closed);
    // (The response may or may not say "close": the server often reads the
    // request before it sees the end of the stream.)
    if (closed && got.rfind("HTTP/1.1 200 OK\r\n", 0) == 0 && got.ends_with("\r\n\r\nHello, World!")) {
      ++half_closed_answered;
    } else if (half_closed_answered == static_cast<std::size_t>(i)) {
      ADD_FAILURE() << "half-close: " << (closed ? "closed" : "open") << " after " << testing::escape(got);
    }
    close(fd);
  }
  honest.stop();

  // Every connection accepted is closed (the honest one included, now).
  const Clock::time_point start = Clock::now();
  StatsSnapshot s = server.server().stats();
  while (s.connections_closed != s.connections_accepted && ms_since(start) < 10'000) {
    std::this_thread::sleep_for(milliseconds(20));
    s = server.server().stats();
  }
  figure("connections reset mid-head, mid-chunk, mid-write, each", kCycles);
  figure("mid-write resets after part of a response", static_cast<double>(mid_write_resets));
  figure("half-closed connections answered", static_cast<double>(half_closed_answered));
  figure("connections accepted", static_cast<double>(s.connections_accepted));
  figure("connections closed", static_cast<double>(s.connections_closed));
  figure("honest requests answered meanwhile", static_cast<double>(honest.answered()));
  EXPECT_EQ(half_closed_answered, static_cast<std::size_t>(kCycles));
  EXPECT_EQ(mid_write_resets, static_cast<std::size_t>(kCycles));
  EXPECT_EQ(s.connections_closed, s.connections_accepted);
  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  // All 8 slots are free: 8 connections at once are served.
  std::vector<std::unique_ptr<testing::Client>> clients;
  for (std::size_t i = 0; i < config.max_connections; ++i) {
    clients.push_back(std::make_unique<testing::Client>(server.port()));
    ASSERT_TRUE(clients.back()->send(kRequest));
  }
  for (auto& c : clients) EXPECT_EQ(c->read_response().status, 200);
}

}  // namespace
}  // namespace shockwave::reliability
