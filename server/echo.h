#ifndef SHOCKWAVE_SERVER_ECHO_H_
#define SHOCKWAVE_SERVER_ECHO_H_

// Echo: the handler of `shockwave --echo`. It answers every request with
// what the server parsed, as the echo contract of conformance/README.md
// asks, so a conformance run can hold the server to every per-message
// expectation (method, target, fields in order, decoded body, keep-alive):
//
//   200, Content-Type: application/json, X-Echo: canonical-json/1,
//   {"method": "GET", "target": "/", "version": "HTTP/1.1",
//    "headers": [["Host", "a"]], "trailers": [], "body_b64": "", "keep_alive": true}
//
// Strings are octets written as code points U+0000-U+00FF; this writer
// escapes every octet outside 0x20-0x7E as \u00XX, so the JSON is ASCII.
// HEAD gets the same head, with the JSON in the X-Echo-Json field instead
// of content (RFC 9110 §9.3.2).
//
// It allocates nothing: the JSON goes through a stack buffer into the
// ResponseWriter, as one Content-Length body when it fits there (16 KiB),
// else as chunks (close-delimited for HTTP/1.0, RFC 9112 §6.3); a HEAD echo
// that does not fit the buffer is answered 500.

#include "server/handler.h"

namespace shockwave {

struct Echo {
  void handle(const Request& request, ResponseWriter& response) noexcept;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ECHO_H_
