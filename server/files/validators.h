#ifndef SHOCKWAVE_SERVER_FILES_VALIDATORS_H_
#define SHOCKWAVE_SERVER_FILES_VALIDATORS_H_

// A file's validators (RFC 9110 §8.8) and the conditional request fields
// evaluated against them (§13.1, in §13.2.2's order), for GET and HEAD.
// No allocation: the ETag is held in a fixed array, field values are read
// in place.
//
//   const Validators v = make_validators(st, now);   // after fstat
//   ConditionalRequest c{.if_match = request.header("If-Match"), ...};
//   switch (evaluate_preconditions(Method::kGet, c, v, now)) {
//     case Precondition::kNotModified:        ... 304 with ETag (and Last-Modified)
//     case Precondition::kPreconditionFailed: ... 412
//     case Precondition::kServeRange:         ... parse_byte_range(c.range, size) (byte_range.h)
//     case Precondition::kServeFull:          ... 200, the Range (if any) ignored
//   }
//
// The validators:
//   - ETag: a strong entity-tag, "INODE-SIZE-MTIMENS" in hex (§8.8.3: an
//     opaque-tag; "a combination of various file attributes, or a
//     modification timestamp that has sub-second resolution", §8.8.3.1).
//     Strong as far as the file system's clock goes: a rewrite with the same
//     size within one tick of the kernel's file-time clock (coarse, a few
//     milliseconds, on many file systems) keeps the tag. Every server that
//     derives tags from metadata has that limit; hashing the content would
//     not, at the price of reading the file.
//   - Last-Modified: the mtime's second, sent only once that second is over
//     (mtime < now, `now` being the second of the response's Date). §8.8.2.1
//     forbids a Last-Modified later than Date, and §8.8.2.2 makes a date a
//     strong validator only if the representation "did not change twice
//     during the second covered": never handing out the current second
//     means no two versions ever went out under one Last-Modified ("if two
//     different responses were sent ... during the same second, but both had
//     the same Last-Modified time, then at least one of those responses
//     would have a Date value equal to its Last-Modified time"). Then an
//     exact date match in If-Range is a strong one, as §13.1.5 requires.
//     Without one, If-Modified-Since and If-Unmodified-Since are ignored and
//     a date If-Range is false (§13.1.3, §13.1.4: "MUST ignore ... if the
//     resource does not have a modification date available").
//
// The evaluation (§13.2.2), for a selected representation that exists:
//   1. If-Match: "*" or a strong match (§13.1.1) continues; else 412.
//   2. Else If-Unmodified-Since (a valid date; ignored otherwise, §13.1.4):
//      Last-Modified <= date continues; else 412.
//   3. If-None-Match: "*" or a weak match (§13.1.2) is 304 (GET and HEAD).
//   4. Else If-Modified-Since (a valid date; ignored otherwise, §13.1.3):
//      Last-Modified <= date is 304.
//   5. GET with a Range: If-Range absent or true (§13.1.5: a strong ETag
//      match, or a date equal to Last-Modified) lets the Range be evaluated;
//      false ignores it (200). HEAD ignores Range (§14.2: GET only).
//   6. Otherwise 200.
// Other methods are the handler's: a file handler answers 405 for them
// before any precondition (§13.2.1: preconditions are ignored when the
// answer without them would not be 2xx or 412).
//
// Field values are passed as the handler has them; an empty one counts as
// absent (Request::header answers "" for a missing field). A list field
// split over several field lines must be passed joined (§5.3). A list that
// is not valid syntax (an element that is not an entity-tag, "*" among
// tags) matches nothing: If-Match then fails, If-None-Match passes. That
// never answers 304 or 206 for a representation the client does not hold.

#include <sys/stat.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shockwave::files {

// The longest ETag: DQUOTE, three 16-digit hex numbers and two "-", DQUOTE.
inline constexpr std::size_t kMaxETag = 2 + 3 * 16 + 2;

// ETag: an entity-tag as sent in the ETag field, quotes included.
class ETag {
 public:
  std::string_view view() const noexcept { return {bytes_.data(), size_}; }

 private:
  friend ETag make_etag(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns) noexcept;
  std::array<char, kMaxETag> bytes_{};
  std::uint8_t size_ = 0;
};

// make_etag: the strong tag of a file version, from its inode number, size
// and modification time in nanoseconds (st_ino, st_size, st_mtim).
ETag make_etag(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns) noexcept;

struct Validators {
  ETag etag;
  std::int64_t last_modified = 0;  // Unix seconds; only if has_last_modified
  bool has_last_modified = false;  // send Last-Modified (http_date.h formats it)
};

// make_validators: a file version's validators for a response whose Date is
// `now` (Unix seconds); see the header comment for when it has a
// Last-Modified.
Validators make_validators(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns, std::int64_t now) noexcept;
inline Validators make_validators(const struct stat& st, std::int64_t now) noexcept {
  const std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return make_validators(static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size), mtime_ns, now);
}

// Entity-tag comparison (§8.8.3.2) of two entity-tags in field syntax
// (W/"x" or "x"); false if either is not one.
//   strong: neither is weak and the opaque-tags are the same bytes.
//   weak:   the opaque-tags are the same bytes, weak or not.
bool strong_match(std::string_view a, std::string_view b) noexcept;
bool weak_match(std::string_view a, std::string_view b) noexcept;

// The methods a file is served for.
enum class Method : std::uint8_t { kGet, kHead };

// ConditionalRequest: the request's field values ("" when absent).
struct ConditionalRequest {
  std::string_view if_match = {};
  std::string_view if_none_match = {};
  std::string_view if_modified_since = {};
  std::string_view if_unmodified_since = {};
  std::string_view if_range = {};
  std::string_view range = {};
};

enum class Precondition : std::uint8_t {
  kServeFull,           // 200 with the whole representation (any Range ignored)
  kServeRange,          // GET with a Range to evaluate (byte_range.h): 206, 416, or 200
  kNotModified,         // 304
  kPreconditionFailed,  // 412
};

// evaluate_preconditions decides what §13.2.2 answers. `now` (Unix seconds,
// the server's clock) places rfc850-date years (http_date.h).
Precondition evaluate_preconditions(Method method, const ConditionalRequest& request, const Validators& validators,
                                    std::int64_t now) noexcept;

}  // namespace shockwave::files

#endif  // SHOCKWAVE_SERVER_FILES_VALIDATORS_H_
