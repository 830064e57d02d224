#ifndef SHOCKWAVE_SERVER_HTTP1_STREAMED_BODY_H_
#define SHOCKWAVE_SERVER_HTTP1_STREAMED_BODY_H_

// A body streamed through a fixed buffer, for both parsers' body_available
// and drop_body: `body` is the input after the head, `framing` the
// message's. What has arrived and not been taken sits at its front.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/http1/chunked_decoder.h"
#include "server/http1/request.h"

namespace shockwave::http1 {

// arrived_body: a Content-Length body's bytes (at most `content_left`, what
// is left of it), a chunked body's decoded bytes, or a close-delimited
// body's bytes; empty without a body.
std::string_view arrived_body(std::span<char> body, BodyFraming framing, std::uint64_t content_left,
                              const ChunkedDecoder& chunked) noexcept;
// take_arrived_body: the caller took the first `n` of them; the rest of
// `body` moves down over them (and over chunk framing decoded after them).
// Returns by how much `body` shrank.
std::size_t take_arrived_body(std::span<char> body, BodyFraming framing, ChunkedDecoder& chunked,
                              std::size_t n) noexcept;

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_STREAMED_BODY_H_
