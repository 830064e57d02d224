#ifndef SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_
#define SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_

// The behaviour tests' fixture: a real Server<H> on 127.0.0.1 with a port the
// kernel picks. The tests talk to it with the one test client
// (testing/client.h), which reads responses back with the one response
// reader: status line, fields, and the body framed by Content-Length,
// chunked coding or the close.
//
//   Endpoints endpoints;
//   TestServer server(test_config(), endpoints);
//   ASSERT_TRUE(server.started()) << server.error();
//   Client client(server.port());
//   client.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
//   std::vector<Response> r = client.read_responses(1);
//
// Test code, so it allocates freely.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config.h"
#include "server/server.h"
#include "testing/client.h"
#include "testing/escape.h"
#include "testing/response.h"

namespace shockwave::testing {

// test_config: 127.0.0.1, port 0, one event loop, a few connections. Limits
// and timeouts are the defaults; tests shorten what they exercise.
Config test_config();

// test_io: the event-loop backend under test: SHOCKWAVE_TEST_IO=uring or
// epoll (the BUILD file runs each test under both), else the default.
// TestServer applies it to every config.
IoBackend test_io();

// ms_since: milliseconds from `start` to now.
std::int64_t ms_since(Clock::time_point start);

// TestServer starts a Server<H> on construction and stops it (gracefully,
// waiting for its loops) on destruction.
template <RequestHandler H>
class TestServer {
 public:
  TestServer(Config config, H& handler) : server_(on_loopback(std::move(config)), handler) {
    started_ = server_.start(&error_);
  }
  ~TestServer() {
    server_.stop();
    server_.wait();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  bool started() const { return started_; }
  const std::string& error() const { return error_; }
  std::uint16_t port() const { return server_.port(); }
  void stop() { server_.stop(); }
  void wait() { server_.wait(); }
  Server<H>& server() { return server_; }

 private:
  static Config on_loopback(Config config) {
    config.address = "127.0.0.1";
    config.port = 0;
    config.io = test_io();
    return config;
  }

  Server<H> server_;
  bool started_ = false;
  std::string error_;
};

// get: a minimal HTTP/1.1 GET for `target`.
std::string get(std::string_view target);

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_
