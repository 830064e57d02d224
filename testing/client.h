#ifndef SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_
#define SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_

// RawClient: the HTTP/1.1 client the zero-allocation tests measure beside
// the server. Blocking socket to 127.0.0.1, one fixed buffer, no std::string
// or iostreams: nothing in it allocates. Failures are recorded as static
// strings and read once the measurement is over.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shockwave::testing {

// ExpectedResponse: what one response must be.
struct ExpectedResponse {
  int status = 200;
  // The content; for a HEAD request what a GET would carry (its length is
  // checked against a Content-Length, nothing is read).
  std::string_view body;
  // Connection: close, and the server ends the stream after this response.
  bool closing = false;
  bool head = false;  // answers HEAD: no content follows the head
};

class RawClient {
 public:
  RawClient() = default;
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { close(); }

  // connect opens a new connection (closing any open one) and clears the
  // recorded failure. Reads and writes time out after 10 s.
  bool connect(std::uint16_t port);
  void close();
  // reset closes with an RST (SO_LINGER 0) instead of a FIN.
  void reset();
  bool send(std::string_view bytes);
  // shutdown_write half-closes: the server reads EOF, we can still read.
  bool shutdown_write();
  // expect reads one response and checks it against `e`: the status code;
  // the framing (Content-Length, chunked, or, when closing, the end of the
  // stream), which must carry exactly e.body; Connection: close exactly
  // when e.closing.
  bool expect(const ExpectedResponse& e);
  // expect: status 200 with `body`.
  bool expect(std::string_view body, bool closing = false) { return expect(ExpectedResponse{200, body, closing}); }
  // expect_eof: nothing more, then the server's end of the stream.
  bool expect_eof();

  bool is_open() const { return fd_ >= 0; }
  bool ok() const { return failure_ == nullptr && fd_ >= 0; }
  std::size_t responses() const { return responses_; }
  const char* failure() const { return failure_ != nullptr ? failure_ : "none"; }
  // pending: bytes received and not yet consumed (after a failure: the
  // response that failed), for the failure's message.
  std::string_view pending() const { return {buffer_, len_}; }
  // closed_before_response: the recorded failure is the server's end of the
  // stream (EOF or reset) with no byte of a response received: what a
  // connection the server has timed out looks like.
  bool closed_before_response() const { return failure_ != nullptr && peer_gone_ && len_ == 0; }

 private:
  // fill reads more bytes; false (a failure) at the end of the stream.
  bool fill();
  // read_more: >0 bytes read, 0 at the end of the stream, -1 on an error.
  long read_more();
  // need: at least n bytes buffered.
  bool need(std::size_t n);
  // line_end: where the CRLF at or after `from` starts, reading as needed.
  bool line_end(std::size_t from, std::size_t* at);
  bool fail(const char* what);

  int fd_ = -1;
  char buffer_[64 * 1024];
  std::size_t len_ = 0;
  std::size_t responses_ = 0;
  bool eof_ = false;
  bool peer_gone_ = false;
  const char* failure_ = nullptr;
};

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_PROPTESTS_RAW_CLIENT_H_
