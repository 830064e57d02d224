#ifndef SHOCKWAVE_SERVER_HTTP1_ERROR_H_
#define SHOCKWAVE_SERVER_HTTP1_ERROR_H_

// Every way a message can be rejected: a code, a fixed reason, and the HTTP
// status the server answers a bad request with (then closes the connection;
// RFC 9112 §9.6). The last codes are the response parser's own; a gateway
// answers any response error with 502 (response_error_status).

#include <cstdint>
#include <string_view>

namespace shockwave::http1 {

// X(name, status, reason)
#define SHOCKWAVE_HTTP1_ERRORS(X)                                                         \
  X(kNone, 0, "no error")                                                                 \
  X(kBareCR, 400, "bare CR not followed by LF")                                           \
  X(kBareLF, 400, "bare LF line terminator")                                              \
  X(kTooManyLeadingEmptyLines, 400, "too many empty lines before the request-line")       \
  X(kInvalidMethod, 400, "invalid method")                                                \
  X(kMethodTooLong, 501, "method longer than any implemented")                            \
  X(kInvalidRequestLine, 400, "malformed request-line")                                   \
  X(kInvalidTarget, 400, "invalid request-target")                                        \
  X(kInvalidVersion, 400, "malformed HTTP-version")                                       \
  X(kUnsupportedVersion, 505, "HTTP version not supported")                               \
  X(kRequestLineTooLong, 414, "request-line too long")                                    \
  X(kWhitespaceBeforeFirstField, 400, "whitespace before the first field line")           \
  X(kObsFold, 400, "obsolete line folding")                                               \
  X(kInvalidFieldName, 400, "invalid field name")                                         \
  X(kWhitespaceBeforeColon, 400, "whitespace between field name and colon")               \
  X(kInvalidFieldValue, 400, "invalid character in field value")                          \
  X(kFieldSectionTooLarge, 431, "header section too large")                               \
  X(kTooManyFields, 431, "too many header fields")                                        \
  X(kMissingHost, 400, "missing Host header")                                             \
  X(kDuplicateHost, 400, "more than one Host header")                                     \
  X(kInvalidHost, 400, "invalid Host header")                                             \
  X(kInvalidContentLength, 400, "invalid Content-Length")                                 \
  X(kDuplicateContentLength, 400, "more than one Content-Length")                         \
  X(kContentLengthWithTransferEncoding, 400, "both Transfer-Encoding and Content-Length") \
  X(kTransferEncodingInHttp10, 400, "Transfer-Encoding in an HTTP/1.0 request")           \
  X(kInvalidTransferEncoding, 400, "malformed Transfer-Encoding")                         \
  X(kChunkedNotFinal, 400, "chunked is not the final transfer coding")                    \
  X(kChunkedTwice, 400, "chunked applied more than once")                                 \
  X(kUnsupportedTransferCoding, 501, "transfer coding not implemented")                   \
  X(kBodyTooLarge, 413, "content too large")                                              \
  X(kInvalidChunkSize, 400, "invalid chunk size")                                         \
  X(kInvalidChunkExtension, 400, "invalid chunk extension")                               \
  X(kChunkExtensionsTooLarge, 400, "chunk extensions too large")                          \
  X(kInvalidChunkData, 400, "chunk data not followed by CRLF")                            \
  X(kTrailerSectionTooLarge, 431, "trailer section too large")                            \
  X(kInvalidStatusLine, 502, "malformed status-line")                                     \
  X(kInvalidStatusCode, 502, "invalid status code")                                       \
  X(kStatusLineTooLong, 502, "status-line too long")                                      \
  X(kTooManyInterimResponses, 502, "too many interim responses")                          \
  X(kIncompleteResponse, 502, "connection closed inside a response")

enum class Error : std::uint8_t {
#define SHOCKWAVE_HTTP1_ERROR_ENUM(name, status, reason) name,
  SHOCKWAVE_HTTP1_ERRORS(SHOCKWAVE_HTTP1_ERROR_ENUM)
#undef SHOCKWAVE_HTTP1_ERROR_ENUM
};

// error_status returns the HTTP status code the error is answered with (0 for kNone).
int error_status(Error e) noexcept;

// response_error_status: what a gateway answers when the response it
// received fails to parse, whatever the code: 502 (RFC 9110 §15.6.3); 0
// for kNone.
constexpr int response_error_status(Error e) noexcept { return e == Error::kNone ? 0 : 502; }

// error_reason returns a fixed, human-readable reason (static storage).
std::string_view error_reason(Error e) noexcept;

// error_name returns the enumerator's name without the leading 'k', e.g. "BareCR".
std::string_view error_name(Error e) noexcept;

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_ERROR_H_
