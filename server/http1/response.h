#ifndef SHOCKWAVE_SERVER_HTTP1_RESPONSE_H_
#define SHOCKWAVE_SERVER_HTTP1_RESPONSE_H_

// The parsed response: views into the caller's buffer, never copies.

#include <cstdint>
#include <span>
#include <string_view>

#include "server/http1/request.h"

namespace shockwave::http1 {

// What a response answers decides whether it has a body (RFC 9112 §6.3
// items 1 and 2): a response to HEAD never has one, and a 2xx to CONNECT
// turns the connection into a tunnel.
enum class RequestKind : std::uint8_t { kOther, kHead, kConnect };

// request_kind: what a response to a `method` request answers.
constexpr RequestKind request_kind(std::string_view method) noexcept {
  if (method == "HEAD") return RequestKind::kHead;
  if (method == "CONNECT") return RequestKind::kConnect;
  return RequestKind::kOther;
}

struct ResponseHead {
  // The version as handled: HTTP/1.2 to 1.9 are handled as 1.1 (RFC 9110 §6.2).
  std::uint8_t version_major = 1;
  std::uint8_t version_minor = 1;
  std::uint16_t status = 0;  // 100 to 599 (RFC 9110 §15)
  std::string_view reason;   // informative only (RFC 9112 §4); may be empty
  std::span<const Header> headers;
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t content_length = 0;  // with kContentLength
  // keep_alive: another response may follow on the connection (RFC 9112
  // §9.3). False after "Connection: close", for HTTP/1.0 without
  // "keep-alive", for a body delimited by close, and for a tunnel.
  bool keep_alive = true;
  // tunnel: the connection stops carrying HTTP/1.1 after this response: a
  // 101 (RFC 9110 §15.2.2) or a 2xx to CONNECT (RFC 9110 §9.3.6).
  bool tunnel = false;

  // interim: a 1xx other than 101, which precedes the final response to the
  // same request (RFC 9110 §15.2).
  bool interim() const noexcept { return status >= 100 && status < 200 && status != 101; }
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_RESPONSE_H_
