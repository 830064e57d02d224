#ifndef SHOCKWAVE_SERVER_HTTP1_RESPONSE_WRITER_H_
#define SHOCKWAVE_SERVER_HTTP1_RESPONSE_WRITER_H_

// ResponseWriter serialises one HTTP/1.1 response into the connection's
// fixed output buffer. It allocates nothing. The server fills in what the
// protocol decides (Content-Length, Date, Connection, chunked framing, no
// body for HEAD/1xx/204/304); the handler says the rest:
//
//   w.status(200);                        // optional: 200 by default
//   w.header("Content-Type", "text/plain");
//   w.body("Hello, World!");              // or begin_chunked() / write_chunk() / end_chunked()
//
// Names that are not tokens and values with control characters (CR, LF and
// NUL among them: RFC 9112 §11.1, response splitting) are refused: header()
// returns false and writes nothing.
//
// A response of known length (body(), or none) is held whole in the buffer
// until it is complete: room is made by sending only the responses queued
// before it. One whose head or content is larger than the buffer overflows
// with nothing of it sent, so the server can still answer 500. The one case
// sent in two parts: content that fits the buffer, but not together with its
// head; the head is sent to make room, and if the peer takes nothing then,
// the response can only be cut. A streaming response (begin_chunked()) may
// outgrow the buffer: from its head on, its bytes are sent as room is
// needed, so once it has started it, too, can only be cut.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace shockwave::http1 {

// OutputBuffer is the connection's bounded byte queue the writer appends to.
// When it is full, `flush` (the connection's) may make room by writing to
// the socket; if it cannot, the response overflows.
struct OutputBuffer {
  char* data = nullptr;
  std::size_t capacity = 0;
  std::size_t size = 0;
  void* flush_context = nullptr;
  // flush tries to send queued bytes now; returns false if none could go.
  bool (*flush)(void* context) = nullptr;

  std::size_t free() const { return capacity - size; }
};

// What the request says about the response's framing.
struct ResponseContext {
  bool head_request = false;   // RFC 9110 §9.3.2: no content in the response
  bool http10 = false;         // no chunked coding (RFC 9112 §6.1); keep-alive must be explicit
  bool keep_alive = true;      // the connection stays open after this response
  std::string_view date_line;  // "Date: ...\r\n", cached once a second
};

class ResponseWriter {
 public:
  // Inline: its caller has just built `context` with a store per member,
  // and an out-of-line copy reads them back with wider loads, which store
  // forwarding cannot serve (a twentieth of the server's own time per
  // request, bench/connection_bench.cc).
  ResponseWriter(OutputBuffer& out, const ResponseContext& context) noexcept
      : out_(out), context_(context), start_(out.size) {}

  // status sets the status code, 200-599 (others become 500). The reason
  // phrase defaults to the standard one. It comes first: once a header or
  // the body is written, the status line is out, and status() returns false
  // and changes nothing.
  bool status(int code, std::string_view reason = {}) noexcept;
  // header adds a field line; false (and nothing written) for an invalid name
  // (not a token), a value with a control character other than HTAB (RFC
  // 9110 §5.5), or a framing field
  // (Content-Length, Transfer-Encoding, Connection) the server owns.
  bool header(std::string_view name, std::string_view value) noexcept;
  // body sends the whole content; Content-Length is filled in.
  void body(std::string_view content) noexcept;
  // content_follows ends a head whose content, `length` bytes, the server
  // sends itself right behind it, from outside the buffer (a file:
  // Request::send_file). True when those bytes are due; false when the
  // response carries none (HEAD, 204, 304) or the head overflowed.
  bool content_follows(std::uint64_t length) noexcept;

  // Streaming, for content of unknown length: chunked for HTTP/1.1, and
  // delimited by closing the connection for HTTP/1.0 (RFC 9112 §6.1, §6.3).
  void begin_chunked() noexcept;
  void write_chunk(std::string_view data) noexcept;
  void end_chunked() noexcept;

  // finish completes the response if the handler did not (empty body).
  void finish() noexcept;

  int status_code() const noexcept { return status_; }
  // bytes: everything this response has put in the buffer so far (status
  // line, fields, content, chunk framing), sent or not: the access log's
  // size, with what content_follows() announced added by the caller.
  std::uint64_t bytes() const noexcept { return bytes_; }
  bool finished() const noexcept { return state_ == State::kDone; }
  // overflowed: the response did not fit; the server answers 500 instead.
  bool overflowed() const noexcept { return overflow_; }
  // closes_connection: this response ends the connection (close-delimited,
  // an error, or keep-alive off).
  bool closes_connection() const noexcept { return !context_.keep_alive; }
  // start_offset is where this response begins in the output buffer;
  // meaningful only while !started_sending() (nothing of it sent yet).
  std::size_t start_offset() const noexcept { return start_; }
  bool started_sending() const noexcept { return started_sending_; }

 private:
  enum class State : std::uint8_t { kStatus, kHeaders, kStreaming, kDone };

  char* reserve(std::size_t n) noexcept;
  bool append(std::string_view s) noexcept;
  bool flush_before_start() noexcept;
  void ensure_status() noexcept;
  void end_head(bool chunked, bool has_length, std::uint64_t length) noexcept;
  bool no_content() const noexcept;

  OutputBuffer& out_;
  ResponseContext context_;
  std::size_t start_;
  int status_ = 200;
  std::uint64_t bytes_ = 0;
  State state_ = State::kStatus;
  bool overflow_ = false;
  bool started_sending_ = false;  // a flush sent part of this response
  bool streaming_ = false;        // may be sent before it is complete (see above)
  bool chunked_ = false;
  bool close_delimited_ = false;
};

// write_continue appends the interim "100 Continue" response (RFC 9110
// §10.1.1, §15.2.1) to `out` without flushing; false (nothing written) if it
// does not fit.
bool write_continue(OutputBuffer& out) noexcept;

// reason_phrase returns the standard reason for a status code (RFC 9110 §15),
// or "" for codes without one.
std::string_view reason_phrase(int status) noexcept;

// format_date_line writes "Date: <IMF-fixdate>\r\n" (RFC 9110 §5.6.7) for the
// given Unix time into out (at least 40 bytes); returns the length.
std::size_t format_date_line(std::int64_t unix_seconds, std::span<char> out) noexcept;

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_RESPONSE_WRITER_H_
