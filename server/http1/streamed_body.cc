#include "server/http1/streamed_body.h"

#include <cstring>

namespace shockwave::http1 {

std::string_view arrived_body(std::span<char> body, BodyFraming framing, std::uint64_t content_left,
                              const ChunkedDecoder& chunked) noexcept {
  switch (framing) {
    case BodyFraming::kContentLength:
      return std::string_view(body.data(),
                              body.size() < content_left ? body.size() : static_cast<std::size_t>(content_left));
    case BodyFraming::kChunked:
      return std::string_view(body.data(), chunked.decoded_size());
    case BodyFraming::kClose:
      return std::string_view(body.data(), body.size());
    case BodyFraming::kNone:
      break;
  }
  return {};
}

std::size_t take_arrived_body(std::span<char> body, BodyFraming framing, ChunkedDecoder& chunked,
                              std::size_t n) noexcept {
  if (framing == BodyFraming::kChunked) return chunked.drop_front(body, n);
  std::memmove(body.data(), body.data() + n, body.size() - n);
  return n;
}

}  // namespace shockwave::http1
