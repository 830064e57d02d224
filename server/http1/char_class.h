#ifndef SHOCKWAVE_SERVER_HTTP1_CHAR_CLASS_H_
#define SHOCKWAVE_SERVER_HTTP1_CHAR_CLASS_H_

// Table-driven character classes from RFC 9110 §5.6.2 and RFC 3986 §2-3.

#include <array>
#include <cstdint>
#include <string_view>

namespace shockwave::http1::chars {

enum Class : std::uint8_t {
  kTchar = 1 << 0,     // RFC 9110 §5.6.2 token characters
  kPathChar = 1 << 1,  // RFC 3986 pchar without pct-encoded, plus "/" and "?"
  kHex = 1 << 2,       // HEXDIG, either case
  kDigit = 1 << 3,
  kAlpha = 1 << 4,
  kRegName = 1 << 5,  // RFC 3986 §3.2.2 reg-name: unreserved / sub-delims
  kScheme = 1 << 6,   // RFC 3986 §3.1 scheme after its first ALPHA
  // RFC 9110 §5.5: a field value's bytes, field-vchar (VCHAR, obs-text), SP
  // and HTAB; never CR, LF, NUL or another control (RFC 9112 §11.1). Also
  // what a quoted-pair may escape (§5.6.4).
  kFieldValue = 1 << 7,
};

namespace detail {
constexpr std::array<std::uint8_t, 256> make_table() {
  std::array<std::uint8_t, 256> t{};
  auto add = [&t](std::string_view set, std::uint8_t cls) {
    for (char c : set) t[static_cast<unsigned char>(c)] |= cls;
  };
  constexpr std::string_view alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  constexpr std::string_view digit = "0123456789";
  constexpr std::string_view unreserved_marks = "-._~";
  constexpr std::string_view sub_delims = "!$&'()*+,;=";
  add(alpha, kTchar | kPathChar | kAlpha | kRegName | kScheme);
  add(digit, kTchar | kPathChar | kDigit | kHex | kRegName | kScheme);
  add("ABCDEFabcdef", kHex);
  add("!#$%&'*+-.^_`|~", kTchar);
  add(unreserved_marks, kPathChar | kRegName);
  add(sub_delims, kPathChar | kRegName);
  add(":@/?", kPathChar);
  add("+-.", kScheme);
  for (int c = 0x21; c <= 0xff; ++c) {
    if (c != 0x7f) t[static_cast<std::size_t>(c)] |= kFieldValue;
  }
  add(" \t", kFieldValue);
  return t;
}
}  // namespace detail

inline constexpr std::array<std::uint8_t, 256> kTable = detail::make_table();

constexpr bool is(char c, Class cls) { return (kTable[static_cast<unsigned char>(c)] & cls) != 0; }
constexpr bool is_tchar(char c) { return is(c, kTchar); }

// skip returns the first byte in [p, end) not in `cls`, or `end`. Four bytes
// a step while there are four (one test of their table entries AND-ed):
// names, methods, targets and hosts are runs of one class.
inline const char* skip(const char* p, const char* end, Class cls) noexcept {
  auto entry = [](const char* q) { return kTable[static_cast<unsigned char>(*q)]; };
  while (end - p >= 4 && (entry(p) & entry(p + 1) & entry(p + 2) & entry(p + 3) & cls) != 0) p += 4;
  while (p < end && (entry(p) & cls) != 0) ++p;
  return p;
}
// is_token: token = 1*tchar (RFC 9110 §5.6.2): a method, a field name.
inline bool is_token(std::string_view s) noexcept {
  return !s.empty() && skip(s.data(), s.data() + s.size(), kTchar) == s.data() + s.size();
}
constexpr bool is_digit(char c) { return is(c, kDigit); }
constexpr bool is_hex(char c) { return is(c, kHex); }
constexpr bool is_ows(char c) { return c == ' ' || c == '\t'; }

// kHexValue maps a HEXDIG to its value and every other byte to 0xff.
inline constexpr std::array<std::uint8_t, 256> kHexValue = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = t[c - 0x20] = static_cast<std::uint8_t>(c - 'a' + 10);
  return t;
}();

constexpr unsigned hex_value(char c) { return c <= '9' ? unsigned(c - '0') : unsigned((c | 0x20) - 'a' + 10); }

constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c | 0x20) : c; }

}  // namespace shockwave::http1::chars

#endif  // SHOCKWAVE_SERVER_HTTP1_CHAR_CLASS_H_
