#ifndef SHOCKWAVE_SERVER_HTTP1_REQUEST_PARSER_H_
#define SHOCKWAVE_SERVER_HTTP1_REQUEST_PARSER_H_

// RequestParser parses one HTTP/1.1 request (RFC 9112), head and body, held in
// a caller-owned buffer, into views into that buffer. It allocates nothing,
// has no globals and never reads outside the span it is given.
//
// Contract:
//  - `input` starts at the request's first byte and is the same buffer on
//    every call, grown at its end by later reads; work resumes where the last
//    call stopped, so bytes trickling in one at a time cost linear time.
//  - kComplete: head(), body() and trailers() are valid and consumed() bytes
//    of input belong to this request; the next pipelined request starts
//    there. A chunked body is decoded in place (input is modified).
//  - kError: error() says why; the connection must be answered
//    (error_status) and closed, since framing is lost.
//  - head_complete() turns true as soon as the head is parsed, before the
//    body has arrived (for Expect: 100-continue), and stays true if the
//    body then fails. request_line_complete() likewise, once the
//    request-line is: head()'s method, target and version are then those of
//    the request an error answers.
//  - Field lines are stored in the caller's array, then trailer fields after
//    them; more than it holds is 431, never growth.
//  - rebase(): the caller may move the request's bytes (e.g. to the front of
//    its buffer) between calls; the views follow, nothing is parsed again.
//  - reclaimable() / reclaim(): while a chunked body is being decoded, the
//    framing already decoded lies dead between the decoded data and the
//    bytes not decoded yet; the caller may move the rest down over it, so
//    the buffer holds the head, the decoded body and one unfinished chunk
//    line, not the framing. max_body counts decoded bytes only; the framing
//    has bounds of its own (see chunked_decoder.h).
//  - Streaming: parse_head() stops once the head is complete, before any
//    body byte is looked at, so the caller can choose how the body is taken:
//    whole (parse() goes on, bounded by max_body) or streamed (stream_body()
//    first; see there).
//  - reset() before the next request.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/http1/chunked_decoder.h"
#include "server/http1/error.h"
#include "server/http1/field_values.h"
#include "server/http1/options.h"
#include "server/http1/parse_status.h"
#include "server/http1/request.h"
#include "server/http1/wide_copy.h"

namespace shockwave::http1 {

namespace detail {

// The per-request state of RequestParser, in one place so that reset() is
// one copy (a few wide stores, wide_copy.h) rather than a store per member.
struct RequestParserState {
  // An error is kept apart by where it struck: once the request-line was
  // accepted, its method is known, so the error's answer can honour it (a
  // response to HEAD has no content); once the head was, all of it is.
  enum class Stage : std::uint8_t {
    kRequestLine,
    kFields,
    kBody,
    kDone,
    kBodyError,
    kFieldsError,
    kRequestLineError,
  };

  RequestHead head_;
  Stage stage_ = Stage::kRequestLine;
  Error error_ = Error::kNone;
  std::size_t line_start_ = 0;    // first byte of the line being read
  std::size_t scanned_ = 0;       // bytes of that line already examined
  std::size_t fields_start_ = 0;  // first byte after the request-line
  std::size_t empty_lines_ = 0;
  std::size_t field_count_ = 0;
  std::size_t head_size_ = 0;
  std::size_t consumed_ = 0;
  std::size_t examined_ = 0;
  std::string_view body_;
  // Framing facts gathered while reading fields, judged in finish_head().
  // Without the obs-fold leniency a value is final once its line is read, so
  // fields are interpreted as they arrive and the first error is kept here
  // until the section ends (the error the whole-section pass would find).
  Error field_error_ = Error::kNone;
  std::uint8_t host_count_ = 0;
  FramingFields framing_;
  // Streaming (stream_body): the bound on the whole body, and the body
  // bytes the caller has taken out of input so far.
  bool streaming_ = false;
  std::uint64_t stream_limit_ = 0;
  std::uint64_t body_dropped_ = 0;
};

}  // namespace detail

class RequestParser : private detail::RequestParserState {
 public:
  explicit RequestParser(std::span<Header> field_storage, const ParserOptions& options = {}) noexcept;

  ParseStatus parse(std::span<char> input) noexcept;
  // parse_head: as parse(), but kComplete once the head is complete; the
  // body (if any) is left for parse(). A request without a body is then
  // complete as a whole too.
  ParseStatus parse_head(std::span<char> input) noexcept;

  bool head_complete() const noexcept { return stage_ >= Stage::kBody && stage_ <= Stage::kBodyError; }
  bool request_line_complete() const noexcept {
    return stage_ != Stage::kRequestLine && stage_ != Stage::kRequestLineError;
  }
  const RequestHead& head() const noexcept { return head_; }
  // head_size is the length of the head, final CRLF included (once complete).
  std::size_t head_size() const noexcept { return head_size_; }
  // body is the decoded body (once parse returned kComplete).
  std::string_view body() const noexcept { return body_; }
  std::span<const Header> trailers() const noexcept { return chunked_.trailers(); }
  std::size_t consumed() const noexcept { return consumed_; }
  // bytes_examined counts the work done on this request so far: bytes
  // scanned for line ends, each complete line's validation pass (the fast
  // paths count a line as the general path does), and the chunked decoder's. Fed one byte per call, a request costs at
  // most one extra byte per call over one read (design invariant 4, docs/invariants.md; tests hold this).
  std::size_t bytes_examined() const noexcept { return examined_ + chunked_.bytes_examined(); }
  Error error() const noexcept { return error_; }

  // rebase: between calls, the caller moved the request's bytes (the `size`
  // bytes at `from`, where the last call's input began) to `to`. Every view
  // (head, fields, trailers, body) follows them; parsing resumes with input
  // starting at `to`, and since the parser's positions are offsets from the
  // request's first byte, no byte is parsed again.
  void rebase(const char* from, std::size_t size, char* to) noexcept;

  // Dead: the bytes input[offset, offset + size) the caller may remove.
  struct Dead {
    std::size_t offset = 0;
    std::size_t size = 0;
  };
  // reclaimable: while a chunked body is being decoded (head complete, body
  // not), the chunk framing already decoded, right after the decoded data;
  // size 0 otherwise.
  Dead reclaimable() const noexcept;
  // reclaim: the caller moved input[offset + n, end) down to input[offset, )
  // (n <= reclaimable().size), so the next call's input is n bytes shorter.
  // consumed() will count the bytes the request occupies in the buffer
  // (n fewer than on the wire); bytes_examined() does not change.
  void reclaim(std::size_t n) noexcept;

  // Streaming a body through a fixed buffer. stream_body(max), once the
  // head is complete and before parse() has looked at the body: the body is
  // taken as it arrives. `max` (0: none) then bounds the whole body (413),
  // in place of limits.max_body, which bounds a body held whole. While
  // parse() says kIncomplete, body_available(input) is the body that has
  // arrived (Content-Length octets, or chunked data decoded so far) and
  // drop_body(input, n) says the caller took the first n of them: the rest
  // of input moves down over them (and over the chunk framing decoded after
  // them), and it returns by how much input shrank. Parsing goes on in the
  // shorter input; at kComplete, body() is only what was not dropped, and
  // consumed() counts the request's bytes left in the buffer.
  void stream_body(std::uint64_t max) noexcept;
  bool streaming() const noexcept { return streaming_; }
  std::string_view body_available(std::span<char> input) const noexcept;
  std::size_t drop_body(std::span<char> input, std::size_t n) noexcept;
  // body_taken: body bytes dropped so far.
  std::uint64_t body_taken() const noexcept { return body_dropped_; }

  void reset() noexcept {
    if (head_.framing == BodyFraming::kChunked) {
      chunked_.reset();
      if (streaming_) chunked_.limit_body(options_.limits.max_body);
    }
    static constexpr detail::RequestParserState kFresh{};
    wide_copy<detail::RequestParserState>(*this, kFresh);
  }

 private:
  ParseStatus read_head(std::span<char> input) noexcept;
  // The one-pass fast paths, from a line not looked at before. A line they
  // cannot take (incomplete, unusual or invalid) is left to the general
  // path with *resume: the bytes of the line before it hold no control
  // other than HTAB, so the general path starts its scan there.
  bool fast_request_line(char* base, const char* end, const char** resume) noexcept;
  bool fast_fields(char* base, const char* end, const char** resume) noexcept;
  void add_field(std::string_view name, std::string_view value) noexcept;
  void note_field(std::string_view name, std::string_view value) noexcept;
  Error interpret_field(const Header& field) noexcept;
  ParseStatus parse_body(std::span<char> input) noexcept;
  ParseStatus fail(Error e) noexcept;
  Error over_limit(const char* start, std::size_t examined) noexcept;
  Error on_request_line(const char* begin, const char* end) noexcept;
  Error on_field_line(char* begin, char* end) noexcept;
  Error finish_head() noexcept;

  std::span<Header> fields_;
  ParserOptions options_;
  ChunkedDecoder chunked_;
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_REQUEST_PARSER_H_
