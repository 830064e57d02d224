#ifndef SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_
#define SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_

// The behaviour tests' fixture: a real Server<H> on 127.0.0.1 with a port the
// kernel picks, and a small raw-socket client that sends bytes and reads
// responses back, parsed just enough to check them: status line, fields, and
// the body framed by Content-Length, chunked coding or the close.
//
//   Endpoints endpoints;
//   TestServer server(test_config(), endpoints);
//   ASSERT_TRUE(server.started()) << server.error();
//   Client client(server.port());
//   client.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
//   std::vector<Response> r = client.read_responses(1);
//
// Every wait is bounded: each socket carries SO_RCVTIMEO and SO_SNDTIMEO, and
// each read a deadline. Test code, so it allocates freely.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/config.h"
#include "server/server.h"

namespace shockwave::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a read waits by default before the test gives up on it.
inline constexpr milliseconds kReadTimeout{5000};

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

struct Field {
  std::string name;
  std::string value;
};

// Response: one response as the client parsed it.
struct Response {
  enum class Framing { kNone, kContentLength, kChunked, kClose };

  std::string version;  // "HTTP/1.1"
  int status = 0;
  std::string reason;
  std::vector<Field> headers;
  std::vector<Field> trailers;
  std::string body;  // chunked framing removed
  Framing framing = Framing::kNone;

  // header returns the first field with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  // count returns how many fields have this name (case-insensitive).
  std::size_t count(std::string_view name) const;
  bool has(std::string_view name) const { return count(name) > 0; }
  // connection_close: the Connection field lists "close".
  bool connection_close() const;
};

// Client: one TCP connection to 127.0.0.1:port.
class Client {
 public:
  // receive_buffer: SO_RCVBUF before connecting (0: the kernel's default),
  // to make a slow reader.
  explicit Client(std::uint16_t port, int receive_buffer = 0);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }
  int connect_errno() const { return connect_errno_; }
  int fd() const { return fd_; }

  // send writes all of `bytes`; false if the connection would not take them.
  bool send(std::string_view bytes);
  // shutdown_write half-closes: the server reads EOF, we can still read.
  void shutdown_write();

  // read_responses reads until `n` complete responses are parsed (a 1xx
  // counts as one), the server closes, or `timeout` passes, and returns
  // those parsed. `methods` names, in order, the request each final response
  // answers; "HEAD" means no body. Bytes past the last response stay pending.
  std::vector<Response> read_responses(std::size_t n, const std::vector<std::string>& methods = {},
                                       milliseconds timeout = kReadTimeout);
  // read_response: one response; status 0 if none arrived.
  Response read_response(std::string_view method = "GET", milliseconds timeout = kReadTimeout);

  // wait_closed reads until the server closes the connection (EOF or reset);
  // true if it did within `timeout`. What arrives meanwhile stays pending.
  bool wait_closed(milliseconds timeout = kReadTimeout);
  // wait_bytes: true once something (bytes or the close) arrives within
  // `timeout`; consumes nothing that can be parsed later.
  bool wait_bytes(milliseconds timeout);

  bool closed() const { return closed_; }
  // pending: bytes received and not parsed into a returned response.
  const std::string& pending() const { return in_; }

 private:
  // read_some waits for bytes until `deadline`; false on timeout.
  bool read_some(Clock::time_point deadline);

  int fd_ = -1;
  int connect_errno_ = 0;
  bool closed_ = false;
  std::string in_;
};

// get: a minimal HTTP/1.1 GET for `target`.
std::string get(std::string_view target);

// printable: `bytes` with CR, LF and other controls escaped, for messages.
std::string printable(std::string_view bytes);

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_SERVER_TESTS_TEST_SERVER_H_
