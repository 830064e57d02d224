#ifndef SHOCKWAVE_SERVER_HTTP1_FIELD_VALUES_H_
#define SHOCKWAVE_SERVER_HTTP1_FIELD_VALUES_H_

// The field values both parsers interpret to frame a message:
// Content-Length (RFC 9110 §8.6), Transfer-Encoding (RFC 9112 §6.1) and the
// Connection options (RFC 9110 §7.6.1), read as their lines arrive and
// judged by each parser once its header section ends.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "server/http1/error.h"
#include "server/http1/field_line.h"

namespace shockwave::http1 {

// name_is tells whether a field name (tchar only, as parsed) equals
// `lower`, a lowercase name of letters and "-", ignoring ASCII case. It
// compares words with 0x20 OR-ed in: that maps an uppercase letter to its
// lowercase one and leaves a lowercase letter; the only other byte that ORs
// to a letter or to "-" is CR (to "-"), which no name or value holds (a line
// ends at its CR). So this is equals_ignore_case for names and for field
// values, without a loop.
template <std::size_t N>
inline bool name_is(std::string_view name, const char (&lower)[N]) noexcept {
  constexpr std::size_t n = N - 1;
  static_assert(n >= 4);
  if (name.size() != n) return false;
  const char* p = name.data();
  auto word = [](const char* q, auto zero) {
    decltype(zero) v;
    std::memcpy(&v, q, sizeof v);
    return v;
  };
  if constexpr (n < 8) {
    constexpr std::uint32_t k20 = 0x20202020u;
    return (word(p, 0u) | k20) == word(lower, 0u) && (word(p + n - 4, 0u) | k20) == word(lower + n - 4, 0u);
  } else {
    constexpr std::uint64_t k20 = 0x2020202020202020u;
    constexpr std::uint64_t z = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if ((word(p + i, z) | k20) != word(lower + i, z)) return false;
    }
    return (word(p + n - 8, z) | k20) == word(lower + n - 8, z);
  }
}

// for_each_element calls f on each non-empty, OWS-trimmed element of a
// comma-separated list (RFC 9110 §5.6.1: empty elements are ignored). f
// returns false to stop.
template <typename F>
bool for_each_element(std::string_view list, F f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (!element.empty() && !f(element)) return false;
  }
  return true;
}

// parse_content_length: Content-Length = 1*DIGIT (RFC 9110 §8.6), read as
// decimal whatever its leading zeros, refused when it would overflow.
bool parse_content_length(std::string_view s, std::uint64_t* out) noexcept;

// FramingFields gathers what the framing fields of one header section say.
struct FramingFields {
  std::uint64_t content_length = 0;
  std::size_t transfer_codings = 0;  // non-empty Transfer-Encoding elements
  bool has_content_length = false;
  bool has_transfer_encoding = false;
  std::size_t chunked_count = 0;  // how often chunked was applied
  bool chunked_final = false;     // the last coding seen so far is chunked
  bool unknown_coding = false;    // a coding other than chunked was seen
  bool malformed_coding = false;  // an element is not `token *( OWS ";" OWS transfer-parameter )`
  bool connection_close = false;
  bool connection_keep_alive = false;

  // on_content_length: RFC 9112 §6.3 item 7: a list or repeated value is
  // not a valid length; duplicates are refused even when identical (strict).
  Error on_content_length(std::string_view value) noexcept {
    if (has_content_length) return Error::kDuplicateContentLength;
    has_content_length = true;
    return parse_content_length(value, &content_length) ? Error::kNone : Error::kInvalidContentLength;
  }
  // on_transfer_encoding: one Transfer-Encoding line (RFC 9112 §6.1): its
  // codings in order. The facts above are kept for every element; the first
  // error a request must be refused for is returned: a malformed element,
  // chunked twice, or a coding after chunked (which a response may have:
  // it is then delimited by close, §6.3 item 4).
  Error on_transfer_encoding(std::string_view value) noexcept;
  // on_connection: the close and keep-alive options (case-insensitive
  // tokens, RFC 9110 §7.6.1).
  void on_connection(std::string_view value) noexcept;
};

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_FIELD_VALUES_H_
