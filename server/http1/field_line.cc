#include "server/http1/field_line.h"

#include "server/http1/char_class.h"
#include "server/http1/scan.h"

namespace shockwave::http1 {

LineScan scan_line(const char* line_start, const char* from, const char* end, bool allow_bare_lf, bool in_field,
                   Line* line, const char** resume, Error* error) noexcept {
  const char* p = from;
  for (;;) {
    p = find_control(p, end);
    if (p == end) {
      *resume = end;
      return LineScan::kIncomplete;
    }
    switch (*p) {
      case '\t':  // allowed inside field values; other uses are judged by the caller
        ++p;
        continue;
      case '\r':
        *resume = p;
        if (p + 1 == end) {
          // the CR is examined again with the byte after it
          return LineScan::kIncomplete;
        }
        if (p[1] != '\n') {  // RFC 9112 §2.2: a bare CR is never a line terminator
          *error = Error::kBareCR;
          return LineScan::kError;
        }
        *line = {p, p + 2};
        return LineScan::kLine;
      case '\n':  // RFC 9112 §2.2: a recipient MAY accept a bare LF
        *resume = p;
        if (!allow_bare_lf) {
          *error = Error::kBareLF;
          return LineScan::kError;
        }
        *line = {p, p + 1};
        return LineScan::kLine;
      default:  // NUL, other CTLs, DEL: RFC 9110 §5.5 (values), §5.6.2 (tokens)
        *resume = p;
        if (!in_field) {
          *error = Error::kInvalidRequestLine;
        } else {
          // In a value when a colon came first, or on an obs-fold line
          // (which continues the previous line's value).
          bool in_value = chars::is_ows(*line_start) ||
                          std::string_view(line_start, static_cast<std::size_t>(p - line_start)).find(':') !=
                              std::string_view::npos;
          *error = in_value ? Error::kInvalidFieldValue : Error::kInvalidFieldName;
        }
        return LineScan::kError;
    }
  }
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && chars::is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && chars::is_ows(s.back())) s.remove_suffix(1);
  return s;
}

Error on_obs_fold(char* begin, char* end, std::span<Header> read, bool allow) noexcept {
  // §2.2: whitespace between the start-line and the first field: reject, or
  // skip such lines. We reject.
  if (read.empty()) return Error::kWhitespaceBeforeFirstField;
  if (!allow) return Error::kObsFold;
  begin[-1] = ' ';
  if (begin[-2] == '\r') begin[-2] = ' ';  // a bare CR never ends a line, so this is CRLF
  Header& field = read.back();
  const char* value = field.name.data() + field.name.size() + 1;
  field.value = trim_ows(std::string_view(value, static_cast<std::size_t>(end - value)));
  return Error::kNone;
}

Error parse_field_line(const char* begin, const char* end, Header* field) noexcept {
  // field-name = token (RFC 9110 §5.1)
  const char* p = begin;
  while (p < end && chars::is_tchar(*p)) ++p;
  if (p == end) return Error::kInvalidFieldName;  // no colon
  if (*p != ':') {
    if (p == begin) return Error::kInvalidFieldName;
    // RFC 9112 §5.1: "No whitespace is allowed between the field name and
    // colon ... a server MUST reject [it] with a response status code of 400".
    const char* q = p;
    while (q < end && chars::is_ows(*q)) ++q;
    return (q > p && q < end && *q == ':') ? Error::kWhitespaceBeforeColon : Error::kInvalidFieldName;
  }
  if (p == begin) return Error::kInvalidFieldName;  // empty name
  field->name = std::string_view(begin, static_cast<std::size_t>(p - begin));
  field->value = trim_ows(std::string_view(p + 1, static_cast<std::size_t>(end - p - 1)));
  return Error::kNone;
}

}  // namespace shockwave::http1
