#ifndef SHOCKWAVE_SERVER_FILES_HTTP_DATE_H_
#define SHOCKWAVE_SERVER_FILES_HTTP_DATE_H_

// HTTP-date (RFC 9110 §5.6.7) to and from Unix seconds, for Last-Modified,
// If-Modified-Since, If-Unmodified-Since and If-Range. No locale, no time
// zone, no libc time functions (gmtime_r and timegm may load time-zone
// state, which allocates), no allocation.
//
// Parsing accepts exactly the three forms §5.6.7 defines, since "A recipient
// that parses a timestamp value in an HTTP field MUST accept all three
// HTTP-date formats":
//
//   Sun, 06 Nov 1994 08:49:37 GMT    IMF-fixdate
//   Sunday, 06-Nov-94 08:49:37 GMT   rfc850-date (obsolete)
//   Sun Nov  6 08:49:37 1994         asctime-date (obsolete; " 6" or "06")
//
// and nothing else: "HTTP-date is case sensitive", single SP where the
// grammar has SP, no surrounding whitespace (a field value arrives
// trimmed). Checked: the day exists in its month and year (no 30 Feb, 29
// Feb in leap years only), hour 00-23, minute 00-59, second 00-60 ("23:59:60
// (leap second)"; 60 is read as the next minute's 00, as Unix time has no
// leap seconds).
//
// The day name must be one of the grammar's, but it is not checked against
// the date: RFC 5322 §3.3 (whose semantics §5.6.7 borrows) makes a wrong day
// of the week the sender's error, and §5.6.7 asks recipients "to be robust
// in parsing timestamps"; the date itself is what the value means. Refusing
// would also turn a conditional request into an unconditional one over a
// redundant field.
//
// rfc850-date's two-digit year: "Recipients ... MUST interpret a timestamp
// that appears to be more than 50 years in the future as representing the
// most recent year in the past that had the same last two digits". So it is
// the latest year with those digits whose timestamp is at most 50 years
// (of 365.2425 days) after `now`, the server's clock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace shockwave::files {

// The years a 4DIGIT year can name, as Unix seconds: 0000-01-01T00:00:00Z
// to 9999-12-31T23:59:59Z (the proleptic Gregorian calendar).
inline constexpr std::int64_t kMinHttpDate = -62167219200;
inline constexpr std::int64_t kMaxHttpDate = 253402300799;

// parse_http_date returns the Unix time `text` names, or nullopt if it is
// not an HTTP-date. `now` (Unix seconds) places rfc850-date's two-digit
// years; the other forms do not use it.
std::optional<std::int64_t> parse_http_date(std::string_view text, std::int64_t now) noexcept;

// The length of an IMF-fixdate.
inline constexpr std::size_t kHttpDateSize = 29;

// format_http_date writes the IMF-fixdate of `unix_seconds` ("Sun, 06 Nov
// 1994 08:49:37 GMT", the form senders MUST generate) into `out`; returns
// kHttpDateSize, or 0 (nothing written) if `out` is shorter or the time is
// outside [kMinHttpDate, kMaxHttpDate]. The one formatter of the project,
// http1's format_date_line (the Date field), does the work.
std::size_t format_http_date(std::int64_t unix_seconds, std::span<char> out) noexcept;

}  // namespace shockwave::files

#endif  // SHOCKWAVE_SERVER_FILES_HTTP_DATE_H_
