#ifndef SHOCKWAVE_SERVER_HTTP1_OPTIONS_H_
#define SHOCKWAVE_SERVER_HTTP1_OPTIONS_H_

// Limits and leniencies of the request and response parsers. Strict by default: every
// leniency is a named flag, off unless set, documented with its risk.

#include <cstddef>
#include <cstdint>

namespace shockwave::http1 {

struct ParserLimits {
  // RFC 9112 §3: support request-lines of at least 8000 octets; longer → 414.
  std::size_t max_request_line = 8192;
  // A method longer than this (and still a token) → 501 (RFC 9112 §3).
  std::size_t max_method = 32;
  // Bytes from the first field line to the end of the empty line → 431 when
  // exceeded (RFC 9110 §5.4). Trailer sections have the same limit.
  std::size_t max_field_section = 32 * 1024;
  // Decoded body bytes (Content-Length or the sum of chunk sizes) → 413.
  std::uint64_t max_body = 8 * 1024 * 1024;
  // Empty lines (CRLF) ignored before a request-line (RFC 9112 §2.2 says a
  // server SHOULD ignore at least one); more → 400. 0 rejects them all.
  std::size_t max_leading_empty_lines = 8;
  // Sum of chunk-extension bytes in one message → 400 (RFC 9112 §7.1.1).
  std::size_t max_chunk_extensions = 4096;
  // Hex digits in one chunk-size, leading zeros included (a u64 holds 16).
  std::size_t max_chunk_size_digits = 16;
  // Responses only: a longer status-line is an error (RFC 9112 §4 sets no
  // limit; a reason-phrase is informative, so this bounds buffering only).
  std::size_t max_status_line = 8192;
  // Responses only: 1xx interim responses before the final one (RFC 9110
  // §15.2); more is an error, so a 1xx flood cannot hold a client forever.
  std::size_t max_interim_responses = 16;
};

struct Leniency {
  // RFC 9112 §2.2 MAY: accept a bare LF as the end of the request-line and of
  // header field lines. Risk: a peer that ends lines only at CRLF frames the
  // same bytes differently (request smuggling). Never applies to chunked framing.
  bool bare_lf = false;
  // RFC 9112 §5.2: replace obs-fold (CRLF followed by SP/HTAB) in a field
  // value with SP, in place, instead of answering 400. Risk: peers that reject
  // or keep the fold see a different value; a folded framing header is still
  // interpreted after replacement.
  bool obs_fold = false;
};

struct ParserOptions {
  ParserLimits limits;
  Leniency leniency;
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_OPTIONS_H_
