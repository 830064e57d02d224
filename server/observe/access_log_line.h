#ifndef SHOCKWAVE_SERVER_OBSERVE_ACCESS_LOG_LINE_H_
#define SHOCKWAVE_SERVER_OBSERVE_ACCESS_LOG_LINE_H_

// format_access_line: one access-log line, written into a caller-provided
// buffer: no allocation, no locale, no snprintf.
//
//   AccessRecord r;  // filled by the connection when a response is queued
//   std::span<char> line = loop_scratch;  // one per event loop, max_access_line_size(...)
//   std::size_t n = format_access_line(r, AccessLogFormat::kCombined, line);
//   ring.try_append(std::string_view(line.data(), n));   // log_ring.h
//
// kCombined, the NCSA combined format (Apache's "combined", nginx's
// default), time in UTC:
//
//   192.0.2.1 - - [10/Oct/2000:13:55:36 +0000] "GET /x HTTP/1.1" 200 2326 "ref" "ua"
//
// ident and authuser are always "-". An empty referer or user agent is "-"
// (as nginx and Apache write a missing one). A record without a request
// line (an empty method: the request could not be parsed) has "-" as its
// request field. The byte count is `response_bytes` (see AccessRecord).
// The request field splits at its first and last space: the parser lets
// none into a method (a token) or a target (RFC 9112 §3.2).
//
// kJson, one object per line, the keys always present and in this order
// (fixed-size values first, the ones a client sizes last, so that
// truncation drops those first):
//
//   {"time":"2000-10-10T13:55:36.123Z","peer":"192.0.2.1","method":"GET",
//    "protocol":"HTTP/1.1","status":200,"response_bytes":2326,
//    "request_body_bytes":0,"duration_us":1250,"target":"/x",
//    "referer":"ref","user_agent":"ua"}
//
// time: RFC 3339, UTC, milliseconds. peer: peer_address.h's text ("-" when
// unknown). Strings are empty when absent; without a request line method,
// target and protocol are "". Numbers are JSON integers. A truncated line
// ends in "truncated":true (below).
//
// Escaping. method, target, referer and user agent are the client's bytes,
// so nothing in them may end the line, close a quote or forge a field:
//  - kCombined: '"', '\' and every byte outside 0x20-0x7E are written as
//    \xHH (upper-case hex), as nginx does; "\x0D\x0A" can only ever be
//    those eight characters.
//  - kJson (RFC 8259 §7): '"' and '\' as \" and \\; every byte outside
//    0x20-0x7E as \u00HH, the byte read as a Latin-1 code point, so the
//    output is plain ASCII, always valid UTF-8 and valid JSON, and a reader
//    gets the original bytes back by taking each code point as one byte.
// The line therefore holds bytes 0x20-0x7E only, and its one '\n' at the end.
//
// Truncation. A line that does not fit `out` is cut after its last whole
// field that leaves room for the marker: kCombined appends " (truncated)",
// kJson closes the object with ,"truncated":true. A field is written
// whole or not at all, so an escape is never split, and the line always
// ends in '\n'. To never truncate, size the buffer with
// max_access_line_size(): the client's strings in a record are views into
// the connection's input buffer, so their total is bounded by it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/config.h"
#include "server/observe/peer_address.h"

namespace shockwave::observe {

// AccessRecord: what one line says about one response. Plain data, views
// valid only while format_access_line runs.
struct AccessRecord {
  PeerAddress peer;
  // Wall-clock time, milliseconds since the Unix epoch (the event loop's
  // clock when the response was queued, as nginx logs a request when it
  // ends). Clamped to years 1970-9999.
  std::int64_t unix_ms = 0;
  std::string_view method;         // empty: no request line was parsed
  std::string_view target;         // as received
  std::uint8_t version_minor = 1;  // HTTP/1.<minor>
  std::uint16_t status = 0;
  // Everything sent for this response: status line, header section and
  // content (nginx's $bytes_sent, Apache's %O), the unit of the
  // bytes_written counter. Not CLF's %b, the content alone.
  std::uint64_t response_bytes = 0;
  std::uint64_t request_body_bytes = 0;  // decoded content of the request
  std::uint64_t duration_us = 0;         // first byte of the request to the response queued
  std::string_view user_agent;           // the User-Agent field's value, empty when absent
  std::string_view referer;              // the Referer field's value, empty when absent
};

// The formats are Config's (config.h), so choosing one needs nothing of this package.
using AccessLogFormat = ::shockwave::AccessLogFormat;

// Smaller buffers are refused (format_access_line returns 0): this much
// always holds the first field and the truncation marker.
inline constexpr std::size_t kMinAccessLineBuffer = 64;

// The most any line needs beyond its escaped strings.
inline constexpr std::size_t kAccessLineOverhead = 384;

// max_access_line_size: a buffer this large never truncates a record whose
// method, target, user agent and referer hold `string_bytes` bytes in
// all. Each byte escapes to at most 6 (\u00HH).
constexpr std::size_t max_access_line_size(std::size_t string_bytes) noexcept {
  return kAccessLineOverhead + 6 * string_bytes;
}

// format_access_line writes one line, '\n' included, to `out` and returns
// its length; 0 only when out.size() < kMinAccessLineBuffer. Bytes of
// `out` past the returned length are unspecified.
std::size_t format_access_line(const AccessRecord& record, AccessLogFormat format, std::span<char> out) noexcept;

}  // namespace shockwave::observe

#endif  // SHOCKWAVE_SERVER_OBSERVE_ACCESS_LOG_LINE_H_
