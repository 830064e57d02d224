#ifndef SHOCKWAVE_TESTING_CLIENT_H_
#define SHOCKWAVE_TESTING_CLIENT_H_

// Client: the one HTTP/1.1 test client, one TCP connection to 127.0.0.1.
// Every response is read with the product's response parser
// (http1::ResponseParser, through response.h for the owning form).
// It has two ways to read:
//
//  - expect / expect_eof check each response against an ExpectedResponse
//    and allocate nothing, so the zero-allocation tests and benchmarks can
//    run it beside the server they measure: one buffer reserved up front,
//    no std::string or iostreams. Failures are recorded as static strings
//    and read once the measurement is over.
//
//      Client client;                 // before the measurement
//      client.connect(port);
//      client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
//      if (!client.expect("hello")) ... client.failure() ...
//
//  - read_responses / read_response return the responses parsed, for the
//    behaviour tests to look at (they allocate freely):
//
//      Client client(server.port());
//      client.send(get("/plaintext"));
//      std::vector<Response> r = client.read_responses(1);
//
// Every wait is bounded: the socket carries SO_RCVTIMEO and SO_SNDTIMEO
// (10 s), and each read_responses / wait_* call a deadline.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/http1/response_parser.h"
#include "testing/response.h"

namespace shockwave::testing {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a read waits by default before the test gives up on it.
inline constexpr milliseconds kReadTimeout{5000};

// ExpectedResponse: what one response must be.
struct ExpectedResponse {
  int status = 200;
  // The content; for a HEAD request what a GET would carry (its length is
  // checked against a Content-Length, nothing is read).
  std::string_view body;
  // Connection: close, and the server ends the stream after this response.
  bool closing = false;
  bool head = false;  // answers HEAD: no content follows the head
  // interim_continue: one "100 Continue" interim response may come first
  // (RFC 9110 §15.2.1; the request carried Expect: 100-continue).
  bool interim_continue = false;
  // any_body: the content is read by its framing but not compared (an
  // error's fixed reason).
  bool any_body = false;
};

class Client {
 public:
  // Client: not connected yet (connect).
  Client();
  // Client connects to 127.0.0.1:port; `receive_buffer`: SO_RCVBUF before
  // connecting (0: the kernel's default), to make a slow reader.
  explicit Client(std::uint16_t port, int receive_buffer = 0);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() { close(); }

  // connect opens a new connection (closing any open one) and clears the
  // recorded failure and the end of the stream.
  bool connect(std::uint16_t port, int receive_buffer = 0);
  // close closes the connection and drops what was received.
  void close();
  // reset closes with an RST (SO_LINGER 0) instead of a FIN.
  void reset();
  // send writes all of `bytes`; false if the connection would not take them.
  bool send(std::string_view bytes);
  // shutdown_write half-closes: the server reads EOF, we can still read.
  bool shutdown_write();

  // connected: a connection is open (connect succeeded, no close since).
  bool connected() const { return fd_ >= 0; }
  // connect_errno: errno of the failed socket or connect, else 0.
  int connect_errno() const { return connect_errno_; }
  // fd: the socket, for tests that read or poll it themselves (-1 if none).
  int fd() const { return fd_; }

  // ---- Checking, without allocating ----

  // expect reads one response and checks it against `e`: the status code
  // (HTTP/1.1); the framing (Content-Length, chunked without trailers, or,
  // when closing, the end of the stream), which must carry exactly e.body;
  // Connection: close exactly when e.closing.
  bool expect(const ExpectedResponse& e);
  // expect: status 200 with `body`.
  bool expect(std::string_view body, bool closing = false) { return expect(ExpectedResponse{200, body, closing}); }
  // expect_eof: nothing more, then the server's end of the stream.
  bool expect_eof();

  // ok: connected, and nothing has failed since connect.
  bool ok() const { return failure_ == nullptr && fd_ >= 0; }
  // responses: how many responses expect has accepted.
  std::size_t responses() const { return responses_; }
  // failure: the first failure recorded since connect, or "none".
  const char* failure() const { return failure_ != nullptr ? failure_ : "none"; }
  // closed_before_response: the recorded failure is the server's end of the
  // stream (EOF or reset) with no byte of a response received: what a
  // connection the server has timed out looks like.
  bool closed_before_response() const { return failure_ != nullptr && peer_gone_ && len_ == 0; }

  // ---- Reading responses back ----

  // read_responses reads until `n` complete responses are parsed (a 1xx
  // counts as one), the server closes, or `timeout` passes, and returns
  // those parsed; a malformed response is a test failure (ADD_FAILURE).
  // `methods` names, in order, the request each final response answers;
  // "HEAD" means no body. Bytes past the last response stay pending.
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

  // closed: the server ended the stream (EOF or reset).
  bool closed() const { return eof_; }
  // pending: bytes received and not yet consumed (after a failure of
  // expect: the response that failed).
  std::string_view pending() const { return {buffer_.get(), len_}; }

 private:
  // receive reads once into the buffer (growing it only if `grow`): >0
  // bytes read, 0 at the end of the stream, -1 on an error or a full buffer.
  long receive(bool grow);
  // read_some waits for bytes until `deadline`; false on timeout.
  bool read_some(Clock::time_point deadline);
  // consume drops the first n bytes received.
  void consume(std::size_t n);
  bool fail(const char* what);

  int fd_ = -1;
  int connect_errno_ = 0;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t len_ = 0;
  // expect's parser: field storage allocated once, with the buffer.
  std::unique_ptr<http1::Header[]> fields_;
  http1::ResponseParser parser_;
  std::size_t responses_ = 0;
  bool eof_ = false;
  bool peer_gone_ = false;
  const char* failure_ = nullptr;
};

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_CLIENT_H_
