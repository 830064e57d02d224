#include "server/echo.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>

namespace shockwave {
namespace {

constexpr std::size_t kInlineJson = 16 * 1024;
constexpr std::size_t kChunk = 4 * 1024;
constexpr char kHex[] = "0123456789abcdef";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// FixedSink fills a caller's buffer; what does not fit marks it overflowed.
class FixedSink {
 public:
  explicit FixedSink(std::span<char> buffer) noexcept : buffer_(buffer) {}
  void put(std::string_view s) noexcept {
    if (overflowed_ || s.size() > buffer_.size() - size_) {
      overflowed_ = true;
      return;
    }
    std::memcpy(buffer_.data() + size_, s.data(), s.size());
    size_ += s.size();
  }
  bool overflowed() const noexcept { return overflowed_; }
  std::string_view view() const noexcept { return {buffer_.data(), size_}; }

 private:
  std::span<char> buffer_;
  std::size_t size_ = 0;
  bool overflowed_ = false;
};

// ChunkSink streams through the writer, a chunk per kChunk octets.
class ChunkSink {
 public:
  explicit ChunkSink(ResponseWriter& writer) noexcept : writer_(writer) {}
  void put(std::string_view s) noexcept {
    while (!s.empty()) {
      const std::size_t n = std::min(s.size(), buffer_.size() - size_);
      std::memcpy(buffer_.data() + size_, s.data(), n);
      size_ += n;
      s.remove_prefix(n);
      if (size_ == buffer_.size()) flush();
    }
  }
  void flush() noexcept {
    if (size_ > 0) writer_.write_chunk({buffer_.data(), size_});
    size_ = 0;
  }

 private:
  ResponseWriter& writer_;
  std::array<char, kChunk> buffer_;
  std::size_t size_ = 0;
};

// A JSON string of octets: each octet is the code point U+0000-U+00FF,
// written as itself when it is printable ASCII, else escaped.
template <typename Sink>
void put_string(Sink& out, std::string_view s) noexcept {
  out.put("\"");
  std::size_t run = 0;  // start of the octets not written yet that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') continue;
    out.put(s.substr(run, i - run));
    run = i + 1;
    if (c == '"' || c == '\\') {
      const char escaped[2] = {'\\', static_cast<char>(c)};
      out.put({escaped, 2});
    } else {
      const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.put({escaped, 6});
    }
  }
  out.put(s.substr(run));
  out.put("\"");
}

template <typename Sink>
void put_fields(Sink& out, std::span<const http1::Header> fields) noexcept {
  out.put("[");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out.put(i == 0 ? "[" : ", [");
    put_string(out, fields[i].name);
    out.put(", ");
    put_string(out, fields[i].value);
    out.put("]");
  }
  out.put("]");
}

// RFC 4648 §4, with padding.
template <typename Sink>
void put_base64(Sink& out, std::string_view octets) noexcept {
  out.put("\"");
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(octets[k])); };
  for (; i + 3 <= octets.size(); i += 3) {
    const unsigned v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    const char quad[4] = {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
    out.put({quad, 4});
  }
  if (const std::size_t rest = octets.size() - i; rest > 0) {
    const unsigned v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0u);
    const char quad[4] = {kBase64[v >> 18], kBase64[(v >> 12) & 63], rest == 2 ? kBase64[(v >> 6) & 63] : '=', '='};
    out.put({quad, 4});
  }
  out.put("\"");
}

template <typename Sink>
void put_message(Sink& out, const Request& request) noexcept {
  const http1::RequestHead& head = request.head;
  out.put("{\"method\": ");
  put_string(out, head.method);
  out.put(", \"target\": ");
  put_string(out, head.target);
  const char version[] = {'"',
                          'H',
                          'T',
                          'T',
                          'P',
                          '/',
                          static_cast<char>('0' + head.version_major % 10),
                          '.',
                          static_cast<char>('0' + head.version_minor % 10),
                          '"'};
  out.put(", \"version\": ");
  out.put({version, sizeof version});
  out.put(", \"headers\": ");
  put_fields(out, head.headers);
  out.put(", \"trailers\": ");
  put_fields(out, request.trailers);
  out.put(", \"body_b64\": ");
  put_base64(out, request.body);
  out.put(head.keep_alive ? ", \"keep_alive\": true}" : ", \"keep_alive\": false}");
}

}  // namespace

void Echo::handle(const Request& request, ResponseWriter& response) noexcept {
  std::array<char, kInlineJson> buffer;
  FixedSink json(buffer);
  put_message(json, request);
  const bool head = request.method() == "HEAD";
  if (head && json.overflowed()) {
    response.status(500);
    response.header("Content-Type", "text/plain");
    response.body("the echo of this HEAD request does not fit the X-Echo-Json field\n");
    return;
  }
  response.header("Content-Type", "application/json");
  response.header("X-Echo", "canonical-json/1");
  if (head) response.header("X-Echo-Json", json.view());
  if (!json.overflowed()) {
    response.body(json.view());  // for HEAD, only its Content-Length goes out
    return;
  }
  response.begin_chunked();
  ChunkSink chunks(response);
  put_message(chunks, request);
  chunks.flush();
  response.end_chunked();
}

}  // namespace shockwave
