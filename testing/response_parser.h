#ifndef SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_PARSER_H_
#define SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_PARSER_H_

// A small, strict HTTP/1.1 response parser for the live-server mode: it reads
// what a server under test sent back, so it accepts exactly RFC 9112's
// grammar and nothing a lenient client would forgive. A server whose
// responses it rejects is reported as sending malformed responses.
//
//   status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF  (§4)
//   field-line  = field-name ":" OWS field-value OWS CRLF               (§5)
//   no obs-fold, no bare LF, no whitespace before ':' (§5.1, §5.2, §2.2).
//
// Message body length (RFC 9112 §6.3), in order:
//  1. a response to HEAD, any 1xx, 204 and 304: no body, whatever the
//     fields say;
//  2. Transfer-Encoding with chunked as final coding: chunked (strictly
//     decoded, trailer section included); Transfer-Encoding together with
//     Content-Length is an error (a server MUST NOT send both, RFC 9112 §6.2);
//     any other final coding: until close;
//  3. Content-Length (1*DIGIT; repeated fields must agree, else error);
//  4. otherwise until the server closes the connection.
// A 101 (Switching Protocols) ends HTTP/1.1 on the connection: the caller
// stops after it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/model.h"

namespace shockwave::conformance::live {

struct Response {
  int status = 0;
  std::string reason;
  std::vector<Field> headers;  // values trimmed of OWS
  std::string body;            // decoded
  std::vector<Field> trailers;

  // interim: a 1xx other than 101, which precedes the final response.
  bool interim() const { return status >= 100 && status < 200 && status != 101; }
};

struct ResponseParse {
  enum class Status { kComplete, kIncomplete, kError };
  Status status = Status::kIncomplete;
  Response response;         // kComplete
  std::size_t consumed = 0;  // kComplete: octets of this response
  std::string error;         // kError: what is wrong, and where
};

// Limits: a response beyond them is an error, not a reason to buffer more.
inline constexpr std::size_t kMaxResponseHead = 64 * 1024;

// parse_response parses the response at the start of `data`. `head_request`:
// it answers a HEAD request (no body). `eof`: the server closed the
// connection after `data`, which ends a close-delimited body; an incomplete
// response at eof stays kIncomplete (the caller reports it truncated).
ResponseParse parse_response(std::string_view data, bool head_request, bool eof);

}  // namespace shockwave::conformance::live

#endif  // SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_PARSER_H_
