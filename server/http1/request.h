#ifndef SHOCKWAVE_SERVER_HTTP1_REQUEST_H_
#define SHOCKWAVE_SERVER_HTTP1_REQUEST_H_

// The parsed request: views into the caller's buffer, never copies.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace shockwave::http1 {

// One field line, as received: name as sent (compare case-insensitively),
// value with leading and trailing whitespace (SP/HTAB) removed.
struct Header {
  std::string_view name;
  std::string_view value;
};

// RFC 9112 §3.2: the four forms of request-target.
enum class TargetForm : std::uint8_t { kOrigin, kAbsolute, kAuthority, kAsterisk };

// RFC 9112 §6.3: how the body's length is known. Requests are never
// delimited by close (§6.3 item 9: neither field means no body); a response
// without either field is (§6.3 item 8: kClose, the body ends at EOF).
enum class BodyFraming : std::uint8_t { kNone, kContentLength, kChunked, kClose };

// RFC 9110 §10.1.1
enum class Expectation : std::uint8_t { kNone, kContinue, kOther };

// RFC 9110 §9.2.1: the safe methods are essentially read-only (method
// names are case-sensitive, §9.1).
constexpr bool safe_method(std::string_view method) noexcept {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}
// RFC 9110 §9.2.2: the idempotent methods, the safe ones with PUT and
// DELETE: only these may be sent again automatically.
constexpr bool idempotent_method(std::string_view method) noexcept {
  return safe_method(method) || method == "PUT" || method == "DELETE";
}

struct RequestHead {
  std::string_view method;
  std::string_view target;
  TargetForm target_form = TargetForm::kOrigin;
  // The version as handled: HTTP/1.2 to 1.9 are handled as 1.1 (RFC 9110 §6.2).
  std::uint8_t version_major = 1;
  std::uint8_t version_minor = 1;
  std::span<const Header> headers;
  // The Host field's value (empty when absent); for absolute-form targets the
  // authority in the target governs (RFC 9112 §3.2.2).
  std::string_view host;
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t content_length = 0;  // with kContentLength
  bool keep_alive = true;            // RFC 9112 §9.3
  Expectation expect = Expectation::kNone;

  bool expects_continue() const noexcept { return expect == Expectation::kContinue; }
  bool safe_method() const noexcept { return http1::safe_method(method); }
};

// rebase_view: `v` after the `size` bytes at `from` it may point into were
// moved to `to` (views elsewhere, and empty ones without data, stay).
inline std::string_view rebase_view(std::string_view v, const char* from, std::size_t size, const char* to) noexcept {
  const auto p = reinterpret_cast<std::uintptr_t>(v.data());
  const auto f = reinterpret_cast<std::uintptr_t>(from);
  if (v.data() == nullptr || p < f || p > f + size) return v;
  return std::string_view(to + (p - f), v.size());
}

// equals_ignore_case compares ASCII case-insensitively, as field names and
// tokens need. Inline: it runs for every field line.
constexpr bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x == y) continue;
    if ((x | 0x20) != (y | 0x20) || (x | 0x20) < 'a' || (x | 0x20) > 'z') return false;
  }
  return true;
}

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_REQUEST_H_
