#ifndef SHOCKWAVE_SERVER_HTTP1_FAST_FIELD_LINES_H_
#define SHOCKWAVE_SERVER_HTTP1_FAST_FIELD_LINES_H_

// The one-pass fast path over a header section, shared by the request and
// response parsers. Inline: it is the hot loop of both.

#include <cstddef>
#include <span>
#include <string_view>

#include "server/http1/char_class.h"
#include "server/http1/request.h"
#include "server/http1/scan.h"

namespace shockwave::http1 {

// FieldLines is the part of a parser's state the fast path reads and moves
// on: offsets from the message's first byte, the field count, the work done.
struct FieldLines {
  std::size_t fields_start;  // first byte of the first field line
  std::size_t line_start;    // the line to read next
  std::size_t count;         // fields stored so far
  std::size_t examined;      // bytes_examined so far
};

// fast_field_lines reads field lines `field-name ":" OWS field-value OWS
// CRLF` (RFC 9112 §5) in their common form, and the empty line after them:
// a line's end first (the SIMD scan, which also proves the value's bytes
// allowed, RFC 9110 §5.5), then the name against the token table up to the
// colon. Each stored field is passed to note(name, value), in registers: a
// view read back from the two 8-byte stores that made it cannot be forwarded
// as one 16-byte load, and that stall was a quarter of the request parser's
// time (perf annotate of parser_bench). The loop's state lives
// in locals: the views it stores could alias any member of the caller,
// which would then be reloaded line after line. It returns true at the
// empty line (state->line_start is then the head's size), false at the
// first line it cannot take (incomplete, unusual or invalid), which the
// caller's general path reads, starting its scan at *resume: the bytes of
// the line before it hold no control other than HTAB.
template <typename Note>
[[gnu::always_inline]] inline bool fast_field_lines(char* base, const char* end, std::size_t max_section,
                                                    std::span<Header> storage, FieldLines* state, const char** resume,
                                                    Note&& note) noexcept {
  const std::size_t fields_start = state->fields_start;
  Header* const fields = storage.data();
  const std::size_t capacity = storage.size();
  std::size_t count = state->count;
  std::size_t examined = state->examined;
  const char* line = base + state->line_start;
  bool head_done = false;
  for (;;) {
    if (end - line >= 2 && line[0] == '\r' && line[1] == '\n' &&
        static_cast<std::size_t>(line + 2 - base) - fields_start <= max_section) {
      line += 2;
      examined += 2;
      head_done = true;
      break;
    }
    const char* cr = line;
    for (;;) {
      cr = find_control_inline(cr, end, base);
      if (cr == end || *cr != '\t') break;
      ++cr;  // HTAB is allowed in a value
    }
    *resume = cr;
    if (end - cr < 2 || cr[0] != '\r' || cr[1] != '\n') break;
    const char* const next = cr + 2;
    if (static_cast<std::size_t>(next - base) - fields_start > max_section || count == capacity) break;
    // field-name = token; most names are letters, digits and "-", 16 bytes at once.
    const char* p = nullptr;
#if defined(__SSE2__)
    if (end - line >= 16) {
      if (const unsigned n = name_colon16(line)) p = line + n;
    }
#endif
    if (p == nullptr) p = chars::skip(line, cr, chars::kTchar);
    if (p == line || *p != ':') break;
    const std::string_view name(line, static_cast<std::size_t>(p - line));
    ++p;
    while (chars::is_ows(*p)) ++p;
    const char* value_end = cr;
    while (value_end > p && chars::is_ows(value_end[-1])) --value_end;  // OWS around the value (§5.1)
    const std::string_view value(p, static_cast<std::size_t>(value_end - p));
    Header& field = fields[count++];
    field.name = name;
    field.value = value;
    examined +=
        static_cast<std::size_t>(next - line) + static_cast<std::size_t>(cr - line);  // as the general path counts
    line = next;
    note(name, value);
  }
  state->count = count;
  state->examined = examined;
  state->line_start = static_cast<std::size_t>(line - base);
  return head_done;
}

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_FAST_FIELD_LINES_H_
