#ifndef SHOCKWAVE_SERVER_CLIENT_REQUEST_ENCODING_H_
#define SHOCKWAVE_SERVER_CLIENT_REQUEST_ENCODING_H_

// How the client writes a request (RFC 9112 §3): request-line, Host, the
// caller's fields, Content-Length, the body. Nothing the caller passes can
// change the framing: a method must be a token, a target and a field value
// hold no CR, LF or other controls, a field name is a token (RFC 9110
// §5.1, §5.5), so no request can smuggle another behind it.

#include <cstddef>
#include <span>
#include <string_view>

#include "server/client/client.h"

namespace shockwave::client_detail {

// valid_request: every part can be written as it is.
bool valid_request(const ClientRequest& request) noexcept;
// valid_field_value: no control but HTAB (RFC 9110 §5.5).
bool valid_field_value(std::string_view value) noexcept;

// encode_request writes `request` into `out` and returns its length, or 0
// if it does not fit. `host` is the Host field's value (RFC 9110 §7.2: a
// client MUST send Host in an HTTP/1.1 request).
std::size_t encode_request(const ClientRequest& request, std::string_view host, std::span<char> out) noexcept;

}  // namespace shockwave::client_detail

#endif  // SHOCKWAVE_SERVER_CLIENT_REQUEST_ENCODING_H_
