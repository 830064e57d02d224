#ifndef SHOCKWAVE_SERVER_HTTP1_FIELD_LINE_H_
#define SHOCKWAVE_SERVER_HTTP1_FIELD_LINE_H_

// Line framing and field-line syntax (RFC 9112 §2.2, §5), shared by the header
// section and the trailer section of a chunked body.

#include <cstddef>
#include <span>

#include "server/http1/error.h"
#include "server/http1/request.h"

namespace shockwave::http1 {

enum class LineScan : unsigned char { kLine, kIncomplete, kError };

struct Line {
  const char* content_end;  // the line's last byte + 1, terminator excluded
  const char* next;         // first byte after the terminator
};

// scan_line looks for the end of the line that starts at `line_start`, whose
// bytes before `from` were examined already. On kLine it
// fills `line`. On kIncomplete, *resume is where to continue once more bytes
// arrive (bytes before it need not be examined again). On kError, *resume is
// the offending byte (so callers can tell whether a size limit was passed
// first, as it would have been had the bytes arrived one by one) and *error says
// why: a bare CR (RFC 9112 §2.2), a bare LF unless allowed, or another control
// character in the line (named by where it is: request-line, field name or value).
LineScan scan_line(const char* line_start, const char* from, const char* end, bool allow_bare_lf, bool in_field,
                   Line* line, const char** resume, Error* error) noexcept;

// parse_field_line parses `field-name ":" OWS field-value OWS` (RFC 9112 §5)
// from a line that scan_line accepted (no terminator). The value excludes
// leading and trailing OWS (§5.1).
Error parse_field_line(const char* begin, const char* end, Header* field) noexcept;

// on_obs_fold handles a line [begin, end) that starts with whitespace
// (RFC 9112 §5.2), `read` being the field lines read before it. Before the
// first field it is whitespace after the start-line (§2.2): rejected. Else
// it is obs-fold: rejected unless `allow`, then the fold (the previous
// line's terminator) is replaced with SP in place and the previous field's
// value runs on through this line.
Error on_obs_fold(char* begin, char* end, std::span<Header> read, bool allow) noexcept;

// trim_ows removes leading and trailing SP/HTAB.
std::string_view trim_ows(std::string_view s) noexcept;

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_FIELD_LINE_H_
