#ifndef SHOCKWAVE_SERVER_HTTP1_RESPONSE_PARSER_H_
#define SHOCKWAVE_SERVER_HTTP1_RESPONSE_PARSER_H_

// ResponseParser parses one HTTP/1.1 response (RFC 9112), head and body,
// held in a caller-owned buffer, into views into that buffer: the request
// parser's contract (request_parser.h) for the other direction. It allocates
// nothing, has no globals and never reads outside the span it is given.
//
// Contract:
//  - answers(kind) before a response's first byte says what it answers: a
//    response to HEAD has no body, a 2xx to CONNECT is a tunnel (RFC 9112
//    §6.3 items 1-2). The default is kOther. It starts a new exchange.
//  - parse(input): `input` starts at the response's first byte and is the
//    same buffer on every call, grown at its end; work resumes where the
//    last call stopped. kComplete: head(), body() and trailers() are valid,
//    consumed() bytes belong to this response. A chunked body is decoded in
//    place (input is modified).
//  - finish(input): the peer closed the connection after `input`. A body
//    delimited by close (BodyFraming::kClose) is complete there; a response
//    cut short is kError kIncompleteResponse (RFC 9112 §8: a client MUST
//    record it as incomplete); no byte of a response at all is kIncomplete
//    (the connection simply ended between responses).
//  - Interim responses (1xx but 101) are complete messages of their own,
//    with no body. reset() after one keeps answers(), and more than
//    max_interim_responses of them in a row is an error (a 1xx flood).
//  - kError: error() says why; the connection's framing is lost, so it must
//    be closed. A gateway answers its client 502 (response_error_status).
//  - Strict by default, with the request parser's options: CRLF only, no
//    obs-fold, no whitespace before a colon, Content-Length = 1*DIGIT and
//    not repeated, Transfer-Encoding with Content-Length an error (RFC 9112
//    §6.3 item 3: "ought to be handled as an error"), and in an HTTP/1.0
//    response likewise (§6.1: the framing is faulty).
//  - reset() before the next response on the connection.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/http1/chunked_decoder.h"
#include "server/http1/error.h"
#include "server/http1/field_values.h"
#include "server/http1/options.h"
#include "server/http1/parse_status.h"
#include "server/http1/response.h"

namespace shockwave::http1 {

namespace detail {

// The per-response state, in one place so that reset() is one copy (a few
// wide stores, wide_copy.h).
struct ResponseParserState {
  enum class Stage : std::uint8_t { kStatusLine, kFields, kBody, kDone, kError };

  ResponseHead head_;
  Stage stage_ = Stage::kStatusLine;
  Error error_ = Error::kNone;
  RequestKind request_ = RequestKind::kOther;
  Error length_error_ = Error::kNone;  // the first invalid or repeated Content-Length
  std::size_t line_start_ = 0;         // first byte of the line being read
  std::size_t scanned_ = 0;            // bytes of that line already examined
  std::size_t fields_start_ = 0;
  std::size_t field_count_ = 0;
  std::size_t head_size_ = 0;
  std::size_t consumed_ = 0;
  std::size_t examined_ = 0;
  std::size_t interim_count_ = 0;   // interim responses before this one
  std::uint64_t body_dropped_ = 0;  // body bytes the caller took while streaming (drop_body)
  std::string_view body_;
  FramingFields framing_;  // Content-Length, Transfer-Encoding, Connection as read
};

}  // namespace detail

class ResponseParser : private detail::ResponseParserState {
 public:
  explicit ResponseParser(std::span<Header> field_storage, const ParserOptions& options = {}) noexcept;

  // answers: the next response begins the answer to a new request (of this
  // kind); the count of interim responses starts again. Not needed after an
  // interim response, whose reset() keeps the request.
  void answers(RequestKind request) noexcept {
    request_ = request;
    interim_count_ = 0;
  }
  ParseStatus parse(std::span<char> input) noexcept;
  ParseStatus finish(std::span<char> input) noexcept;

  bool head_complete() const noexcept { return stage_ >= Stage::kBody && stage_ != Stage::kError; }
  const ResponseHead& head() const noexcept { return head_; }
  // head_size is the length of the head, final CRLF included (once complete).
  std::size_t head_size() const noexcept { return head_size_; }
  std::string_view body() const noexcept { return body_; }
  std::span<const Header> trailers() const noexcept { return chunked_.trailers(); }
  std::size_t consumed() const noexcept { return consumed_; }
  // bytes_examined: the work done on this response so far, counted as the
  // request parser counts it (bounded by the input; tests hold this).
  std::size_t bytes_examined() const noexcept { return examined_ + chunked_.bytes_examined(); }
  Error error() const noexcept { return error_; }

  // Streaming a body through a fixed buffer: once head_complete() and
  // while parse() says kIncomplete, body_available(input) is the body that
  // has arrived (a Content-Length body's bytes, a chunked body's decoded
  // bytes, a close-delimited body's bytes). drop_body(input, n) says the
  // caller took the first n of them: the parser moves the rest of input
  // down over them (and over chunk framing already decoded) and returns by
  // how much input shrank. Parsing then goes on in the shorter input; at
  // kComplete, body() is only what was not dropped, and max_body bounds
  // the body bytes held at once, not the whole body.
  std::string_view body_available(std::span<char> input) const noexcept;
  std::size_t drop_body(std::span<char> input, std::size_t n) noexcept;

  // rebase: between calls, the caller moved the response's bytes (the
  // `size` bytes at `from`) to `to`; every view follows them.
  void rebase(const char* from, std::size_t size, char* to) noexcept;

  // reset prepares for the next response on the connection. After an
  // interim response, the next one answers the same request.
  void reset() noexcept;

 private:
  ParseStatus parse_head(std::span<char> input) noexcept;
  ParseStatus parse_body(std::span<char> input) noexcept;
  ParseStatus fail(Error e) noexcept;
  Error over_limit(std::size_t examined) const noexcept;
  Error on_status_line(const char* begin, const char* end) noexcept;
  Error on_field_line(char* begin, char* end) noexcept;
  void note_field(const Header& field) noexcept;
  Error finish_head() noexcept;

  std::span<Header> fields_;
  ParserOptions options_;
  ChunkedDecoder chunked_;
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_RESPONSE_PARSER_H_
