#ifndef SHOCKWAVE_SERVER_FILES_BYTE_RANGE_H_
#define SHOCKWAVE_SERVER_FILES_BYTE_RANGE_H_

// Byte ranges: the Range field of a GET (RFC 9110 §14.2) against a
// representation of known length, and the Content-Range value that answers
// it (§14.4). Pure functions over string_views and integers; no allocation.
//
//   const ByteRangeResult r = parse_byte_range(request.header("Range"), size);
//   switch (r.kind) {
//     case ByteRangeKind::kIgnore:        ... 200, the whole file
//     case ByteRangeKind::kSatisfiable:   ... 206, Content-Range from format_content_range,
//                                             r.range.length bytes from r.range.first
//     case ByteRangeKind::kUnsatisfiable: ... 416, Content-Range from format_unsatisfied_range
//   }
//
// What is served (the choices the RFC leaves to the server):
//   - One range only. A range-set with more than one range-spec is ignored,
//     whatever its ranges (§14.2: "A server MAY ignore the Range header
//     field"): a 200 with the whole representation is always a correct
//     answer, it needs no multipart/byteranges body (which a sendfile path
//     cannot send in one call), and it leaves nothing to abuse in the
//     overlapping or out-of-order ranges §14.2 and §17.15 warn about.
//     Coalescing ranges that touch into one 206 was the alternative; it
//     answers with a range no range-spec asked for, for a case clients
//     (browsers, media players, download resumers) do not produce.
//   - Ignored, too: a unit other than "bytes" (§14.2: "MUST ignore a Range
//     header field that contains a range unit it does not understand"), and
//     a ranges-specifier that is not valid (§14.1.1, §14.2 "MAY ignore").
//   - A zero-length representation ignores every Range (§14.2: "MAY ignore a
//     Range header field when the selected representation has no content"):
//     its only satisfiable form, a suffix, would select zero bytes, which a
//     Content-Range cannot express.
//   - Unsatisfiable (416 with "bytes */LEN", §14.4, §15.5.17): a valid single
//     int-range whose first-pos is not below the length, or a suffix-range
//     of length 0 (§14.1.2).
//
// Syntax (§14.1.1, §14.1.2), with the list rules of §5.6.1.2:
//   Range        = range-unit "=" range-set      ; unit case-insensitive (§14.1)
//   range-set    = 1#range-spec                  ; OWS "," OWS between, empty elements skipped
//   range-spec   = first-pos "-" [ last-pos ] / "-" suffix-length    ; 1*DIGIT each
// No whitespace inside a range-spec or around "="; OWS before the first
// element is accepted, as in §14.1.2's own example "bytes= 0-999, ...".
// Numbers of any length are read without overflow (§14.1.2: "recipients MUST
// anticipate potentially large decimal numerals"): a position past 2^64-1
// is past every length, and "first > last" is decided on the digits.
//
// The caller decides when a Range applies at all: GET only (§14.2: HEAD and
// every other method ignore it), after the preconditions (validators.h).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace shockwave::files {

// ByteRange: `length` bytes from offset `first`; length >= 1, and
// first + length <= the representation's length.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;

  std::uint64_t last() const noexcept { return first + length - 1; }
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

enum class ByteRangeKind : std::uint8_t {
  kIgnore,         // no Range, or one to ignore: serve 200 with everything
  kSatisfiable,    // serve 206 with `range`
  kUnsatisfiable,  // serve 416 with Content-Range: bytes */length
};

struct ByteRangeResult {
  ByteRangeKind kind = ByteRangeKind::kIgnore;
  ByteRange range;  // meaningful for kSatisfiable only
};

// parse_byte_range evaluates a Range field value (empty: no field) against
// a representation of `length` bytes.
ByteRangeResult parse_byte_range(std::string_view value, std::uint64_t length) noexcept;

// The longest Content-Range value: "bytes " and three 20-digit numbers.
inline constexpr std::size_t kMaxContentRange = 6 + 20 + 1 + 20 + 1 + 20;

// format_content_range writes "bytes FIRST-LAST/LENGTH" (§14.4 range-resp)
// into `out`; returns its size, or 0 (nothing written) if `out` is shorter
// than kMaxContentRange.
std::size_t format_content_range(const ByteRange& range, std::uint64_t length, std::span<char> out) noexcept;

// format_unsatisfied_range writes "bytes */LENGTH" (§14.4 unsatisfied-range,
// for a 416) into `out`; returns its size, or 0 as above.
std::size_t format_unsatisfied_range(std::uint64_t length, std::span<char> out) noexcept;

}  // namespace shockwave::files

#endif  // SHOCKWAVE_SERVER_FILES_BYTE_RANGE_H_
