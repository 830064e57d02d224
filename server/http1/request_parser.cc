#include "server/http1/request_parser.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/fast_field_lines.h"
#include "server/http1/field_line.h"
#include "server/http1/field_values.h"
#include "server/http1/scan.h"
#include "server/http1/streamed_body.h"

namespace shockwave::http1 {
namespace {

using std::string_view;

constexpr string_view kHttpPrefix = "HTTP/";

// valid_pct_chars checks that every byte of s is in `cls` or starts a
// pct-encoded triplet "%" HEXDIG HEXDIG (RFC 3986 §2.1).
bool valid_pct_chars(string_view s, chars::Class cls) {
  const char* p = s.data();
  const char* const end = p + s.size();
  for (;;) {
    p = chars::skip(p, end, cls);  // the common case: a run of plain characters
    if (p == end) return true;
    if (*p != '%' || end - p < 3 || !chars::is_hex(p[1]) || !chars::is_hex(p[2])) return false;
    p += 3;
  }
}

// valid_port: port = *DIGIT (RFC 3986 §3.2.3); `required` asks for at least one.
bool valid_port(string_view s, bool required) {
  if (required && s.empty()) return false;
  for (char c : s) {
    if (!chars::is_digit(c)) return false;
  }
  return true;
}

// valid_host_port checks `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986
// §3.2.2): an IP-literal in brackets, or a reg-name (IPv4 addresses are
// reg-names syntactically). No userinfo. *empty_host tells whether the host
// part was empty.
bool valid_host_port(string_view s, bool port_required, bool* empty_host) {
  string_view host = s;
  string_view port;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    std::size_t close = s.find(']');
    if (close == string_view::npos || close == 1) return false;
    for (char c : s.substr(1, close - 1)) {  // IPv6address (and embedded IPv4)
      if (!chars::is_hex(c) && c != ':' && c != '.') return false;
    }
    host = s.substr(0, close + 1);
    string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    // reg-name = *( unreserved / pct-encoded / sub-delims ), in one pass up
    // to the first ":" (which no reg-name byte is).
    const char* const e = s.data() + s.size();
    const char* p = s.data();
    for (;;) {
      p = chars::skip(p, e, chars::kRegName);
      if (e - p >= 3 && *p == '%' && chars::is_hex(p[1]) && chars::is_hex(p[2])) {
        p += 3;
        continue;
      }
      break;
    }
    const std::size_t i = static_cast<std::size_t>(p - s.data());
    if (i < s.size()) {
      if (s[i] != ':') return false;
      host = s.substr(0, i);
      port = s.substr(i + 1);
      has_port = true;
    }
  }
  *empty_host = host.empty();
  if (port_required && !has_port) return false;
  return !has_port || valid_port(port, port_required);
}

// valid_absolute_form checks `absolute-URI = scheme ":" hier-part [ "?" query ]`
// (RFC 3986 §4.3, RFC 9112 §3.2.2). We require the hier-part to start with
// "//" authority: without it, `host:port` would parse as a URI whose scheme
// is the host, and authority-form is only for CONNECT (RFC 9112 §3.2.3).
// http and https need a non-empty host (RFC 9110 §4.2.1); userinfo is
// refused (RFC 9110 §4.2.4: treat it as an error).
bool valid_absolute_form(string_view t) {
  if (t.empty() || !chars::is(t[0], chars::kAlpha)) return false;
  std::size_t colon = 1;
  while (colon < t.size() && chars::is(t[colon], chars::kScheme)) ++colon;
  if (colon == t.size() || t[colon] != ':') return false;
  string_view scheme = t.substr(0, colon);
  string_view rest = t.substr(colon + 1);
  const bool http = equals_ignore_case(scheme, "http") || equals_ignore_case(scheme, "https");
  if (rest.substr(0, 2) != "//") return false;
  rest.remove_prefix(2);
  std::size_t end = rest.find_first_of("/?");
  string_view authority = rest.substr(0, end);
  rest = end == string_view::npos ? string_view() : rest.substr(end);
  bool empty_host = false;
  if (!valid_host_port(authority, /*port_required=*/false, &empty_host)) return false;
  if (http && empty_host) return false;
  return valid_pct_chars(rest, chars::kPathChar);
}

// may_interpret: whether a name could be one interpret_field looks at (Host,
// Expect, Connection, Content-Length, Transfer-Encoding), by its length and
// first letter: most names are skipped with a table look-up.
inline bool may_interpret(string_view name) {
  static constexpr std::array<char, 18> kFirst = [] {
    std::array<char, 18> t{};
    t[4] = 'h';
    t[6] = 'e';
    t[10] = t[14] = 'c';
    t[17] = 't';
    return t;
  }();
  // A name's first byte is a tchar, so OR-ed with 0x20 it is never 0.
  return name.size() < kFirst.size() && (name[0] | 0x20) == kFirst[name.size()];
}

}  // namespace

RequestParser::RequestParser(std::span<Header> field_storage, const ParserOptions& options) noexcept
    : fields_(field_storage), options_(options), chunked_({}, options) {}

ParseStatus RequestParser::fail(Error e) noexcept {
  error_ = e;
  stage_ = stage_ == Stage::kBody     ? Stage::kBodyError
           : stage_ == Stage::kFields ? Stage::kFieldsError
                                      : Stage::kRequestLineError;
  return ParseStatus::kError;
}

ParseStatus RequestParser::parse(std::span<char> input) noexcept {
  switch (stage_) {
    case Stage::kRequestLine:
    case Stage::kFields:
      if (ParseStatus s = parse_head(input); s != ParseStatus::kComplete || stage_ == Stage::kDone) return s;
      [[fallthrough]];
    case Stage::kBody:
      return parse_body(input);
    case Stage::kDone:
      return ParseStatus::kComplete;
    case Stage::kBodyError:
    case Stage::kFieldsError:
    case Stage::kRequestLineError:
      break;
  }
  return ParseStatus::kError;
}

ParseStatus RequestParser::parse_head(std::span<char> input) noexcept {
  if (stage_ >= Stage::kBody) return stage_ >= Stage::kBodyError ? ParseStatus::kError : ParseStatus::kComplete;
  const ParseStatus s = read_head(input);
  if (s == ParseStatus::kComplete && head_.framing == BodyFraming::kNone) {  // most requests: no body
    consumed_ = head_size_;
    stage_ = Stage::kDone;
  }
  return s;
}

ParseStatus RequestParser::read_head(std::span<char> input) noexcept {
  char* const base = input.data();
  const char* const end = base + input.size();
  const ParserLimits& limits = options_.limits;
  for (;;) {
    char* start = base + line_start_;
    const bool in_fields = stage_ == Stage::kFields;
    if (scanned_ == 0) {
      // A line not looked at before: the one-pass fast paths first.
      const char* resume = start;
      if (in_fields) {
        if (fast_fields(base, end, &resume)) {  // the empty line: the head ends (RFC 9112 §2.1)
          if (Error e = finish_head(); e != Error::kNone) return fail(e);
          stage_ = Stage::kBody;
          return ParseStatus::kComplete;
        }
        start = base + line_start_;  // the first line it did not take
      } else if (fast_request_line(base, end, &resume)) {
        continue;
      }
      scanned_ = static_cast<std::size_t>(resume - start);
      examined_ += scanned_;
    }
    Line line;
    const char* resume = nullptr;
    Error error = Error::kNone;
    const LineScan scan =
        scan_line(start, start + scanned_, end, options_.leniency.bare_lf, in_fields, &line, &resume, &error);
    const char* scanned_to = scan == LineScan::kLine ? line.next : scan == LineScan::kIncomplete ? end : resume + 1;
    examined_ += static_cast<std::size_t>(scanned_to - (start + scanned_));
    switch (scan) {
      case LineScan::kIncomplete:
        // Limits hold while a line is still arriving, so a slow peer cannot
        // make us buffer past them.
        scanned_ = static_cast<std::size_t>(resume - start);
        if (Error e = over_limit(start, scanned_); e != Error::kNone) return fail(e);
        return ParseStatus::kIncomplete;
      case LineScan::kError: {
        // A limit passed before the offending byte wins, as it would had
        // the bytes arrived one at a time.
        Error e = over_limit(start, static_cast<std::size_t>(resume - start));
        return fail(e != Error::kNone ? e : error);
      }
      case LineScan::kLine:
        break;
    }
    const std::size_t length = static_cast<std::size_t>(line.content_end - start);
    const std::size_t next = static_cast<std::size_t>(line.next - base);
    examined_ += length;  // the line's validation pass
    if (!in_fields) {
      if (length == 0) {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line
        // received before the request-line.
        if (++empty_lines_ > limits.max_leading_empty_lines) return fail(Error::kTooManyLeadingEmptyLines);
      } else {
        if (Error e = over_limit(start, length); e != Error::kNone) return fail(e);
        if (Error e = on_request_line(start, line.content_end); e != Error::kNone) return fail(e);
        stage_ = Stage::kFields;
        fields_start_ = next;
      }
    } else {
      if (next - fields_start_ > limits.max_field_section) return fail(Error::kFieldSectionTooLarge);
      if (length == 0) {
        head_size_ = next;
        if (Error e = finish_head(); e != Error::kNone) return fail(e);
        stage_ = Stage::kBody;
        return ParseStatus::kComplete;
      }
      char* const content_end = start + length;
      Error e = chars::is_ows(*start)
                    ? on_obs_fold(start, content_end, fields_.first(field_count_), options_.leniency.obs_fold)
                    : on_field_line(start, content_end);
      if (e != Error::kNone) return fail(e);
    }
    line_start_ = next;
    scanned_ = 0;
  }
}

// fast_request_line reads the common request-line: `method SP origin-form
// SP HTTP/1.x CRLF` (RFC 9112 §3, §3.2.1, §2.3) within the limits. Its end
// is found first (the SIMD scan); the CR, which is in no class, stops every
// run, so a byte after a run's end may be read without a bounds check.
// Anything else, or anything it cannot judge yet, goes to the general path
// (on_request_line), which also names the error.
[[gnu::always_inline]] inline bool RequestParser::fast_request_line(char* base, const char* end,
                                                                    const char** resume) noexcept {
  const char* const start = base + line_start_;
  const char* const cr = find_control_inline(start, end, base);
  *resume = cr;
  if (end - cr < 2 || cr[0] != '\r' || cr[1] != '\n') return false;
  const std::size_t length = static_cast<std::size_t>(cr - start);
  if (length > options_.limits.max_request_line) return false;
  // method = token; GET at once.
  const char* p =
      cr - start >= 4 && std::memcmp(start, "GET ", 4) == 0 ? start + 3 : chars::skip(start, cr, chars::kTchar);
  const std::size_t m = static_cast<std::size_t>(p - start);
  if (*p != ' ' || m == 0 || m > options_.limits.max_method) return false;
  // CONNECT takes the authority-form only (§3.2.3).
  if (m == 7 && std::memcmp(start, "CONNECT", 7) == 0) return false;
  const char* const target = ++p;
  if (*p != '/') return false;
  // origin-form = absolute-path [ "?" query ]: pchar, "/" and "?" (RFC 3986 §3.3, §3.4).
  for (;;) {
#if defined(__SSE2__)
    unsigned run = 16;
    for (; run == 16 && end - p >= 16; p += run) run = path_run16(p);
    if (run == 16) p = chars::skip(p, cr, chars::kPathChar);  // the last bytes, fewer than 16
#else
    p = chars::skip(p, cr, chars::kPathChar);
#endif
    if (*p == '%' && chars::is_hex(p[1]) && chars::is_hex(p[2])) {
      p += 3;
      continue;
    }
    break;
  }
  // SP "HTTP/1." DIGIT; other majors (505) and malformed versions are
  // judged by the general path.
  const char* const v = p + 1;
  if (*p != ' ' || cr - v != 8) return false;
  std::uint64_t version;
  std::memcpy(&version, v, sizeof version);
  std::uint64_t prefix;
  std::memcpy(&prefix, "HTTP/1..", sizeof prefix);
  constexpr std::uint64_t kPrefixMask = 0x00ffffffffffffffu;  // the first 7 bytes (little-endian)
  if (((version ^ prefix) & kPrefixMask) != 0 || !chars::is_digit(v[7])) return false;
  head_.method = string_view(start, m);
  head_.target = string_view(target, static_cast<std::size_t>(p - target));
  head_.target_form = TargetForm::kOrigin;
  head_.version_major = 1;
  head_.version_minor = v[7] == '0' ? 0 : 1;  // RFC 9110 §6.2: 1.2 to 1.9 are handled as 1.1
  const char* const next = cr + 2;
  examined_ += static_cast<std::size_t>(next - start) + length;  // as the general path counts
  stage_ = Stage::kFields;
  line_start_ = fields_start_ = static_cast<std::size_t>(next - base);
  return true;
}

// fast_fields: the shared fast path (fast_field_lines.h) over this
// request's fields. Without obs-fold a value is final once read, so it is
// interpreted now (see field_error_).
[[gnu::always_inline]] inline bool RequestParser::fast_fields(char* base, const char* end,
                                                              const char** resume) noexcept {
  const bool interpret = !options_.leniency.obs_fold;
  FieldLines lines{fields_start_, line_start_, field_count_, examined_};
  const bool head_done = fast_field_lines(base, end, options_.limits.max_field_section, fields_, &lines, resume,
                                          [&](string_view name, string_view value) {
                                            if (interpret && may_interpret(name)) note_field(name, value);
                                          });
  field_count_ = lines.count;
  examined_ = lines.examined;
  line_start_ = lines.line_start;
  if (head_done) head_size_ = line_start_;
  return head_done;
}

void RequestParser::add_field(string_view name, string_view value) noexcept {
  Header& field = fields_[field_count_++];
  field.name = name;
  field.value = value;
  if (!options_.leniency.obs_fold && may_interpret(name)) note_field(name, value);
}

// note_field interprets a field line as it is read (see field_error_),
// Host without a call: every request has one.
[[gnu::always_inline]] inline void RequestParser::note_field(string_view name, string_view value) noexcept {
  if (field_error_ != Error::kNone) return;
  if (name.size() == 4 && name_is(name, "host")) {
    // RFC 9112 §3.2: more than one Host field line → 400, any version.
    if (++host_count_ > 1) {
      field_error_ = Error::kDuplicateHost;
    } else {
      head_.host = value;
    }
    return;
  }
  field_error_ = interpret_field(Header{name, value});
}

// over_limit tells whether `examined` bytes of the line at `start`, none of
// them its end, are past the request-line or field-section limit.
Error RequestParser::over_limit(const char* start, std::size_t examined) noexcept {
  const ParserLimits& limits = options_.limits;
  if (stage_ == Stage::kFields) {
    return line_start_ + examined - fields_start_ > limits.max_field_section ? Error::kFieldSectionTooLarge
                                                                             : Error::kNone;
  }
  if (examined <= limits.max_request_line) return Error::kNone;
  // RFC 9112 §3: a method longer than any implemented → 501, else 414.
  std::size_t m = 0;
  while (m < examined && chars::is_tchar(start[m])) ++m;
  return m > limits.max_method ? Error::kMethodTooLong : Error::kRequestLineTooLong;
}

// on_request_line parses `method SP request-target SP HTTP-version` (RFC 9112
// §3), one SP exactly between the parts.
Error RequestParser::on_request_line(const char* begin, const char* end) noexcept {
  const string_view line(begin, static_cast<std::size_t>(end - begin));
  // method = token (RFC 9112 §3.1)
  std::size_t m = 0;
  while (m < line.size() && chars::is_tchar(line[m])) ++m;
  if (m == 0 || (m < line.size() && line[m] != ' ')) return Error::kInvalidMethod;
  // RFC 9112 §3: a method longer than any implemented → 501.
  if (m > options_.limits.max_method) return Error::kMethodTooLong;
  if (m == line.size()) return Error::kInvalidRequestLine;
  head_.method = line.substr(0, m);

  const std::size_t t = m + 1;
  const std::size_t sp = line.find(' ', t);
  if (sp == t) return Error::kInvalidRequestLine;  // empty target (two SPs)
  if (sp == string_view::npos) {
    // One word after the method: a version without a target, or a target
    // without a version (an HTTP/0.9 simple request, RFC 9112 Appendix C.1).
    return line.substr(t).starts_with(kHttpPrefix) ? Error::kInvalidRequestLine : Error::kInvalidVersion;
  }
  head_.target = line.substr(t, sp - t);

  // HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3)
  const string_view v = line.substr(sp + 1);
  if (v.find(' ') != string_view::npos) return Error::kInvalidRequestLine;  // more than one SP, or SP in the target
  if (v.size() != 8 || v.substr(0, 5) != kHttpPrefix || !chars::is_digit(v[5]) || v[6] != '.' ||
      !chars::is_digit(v[7])) {
    return Error::kInvalidVersion;
  }
  // RFC 9110 §6.2: a higher minor version of HTTP/1 is handled as the
  // highest we implement; other majors get 505 (§15.6.6).
  if (v[5] != '1') return Error::kUnsupportedVersion;
  head_.version_major = 1;
  head_.version_minor = v[7] == '0' ? 0 : 1;

  const string_view target = head_.target;
  const bool connect = head_.method == "CONNECT";
  if (target.front() == '/') {  // origin-form (RFC 9112 §3.2.1)
    head_.target_form = TargetForm::kOrigin;
    if (connect || !valid_pct_chars(target, chars::kPathChar)) return Error::kInvalidTarget;
  } else if (target == "*") {  // asterisk-form, only for OPTIONS (§3.2.4)
    head_.target_form = TargetForm::kAsterisk;
    if (head_.method != "OPTIONS") return Error::kInvalidTarget;
  } else if (connect) {  // authority-form, only for CONNECT (§3.2.3); the port is required (RFC 9110 §9.3.6)
    head_.target_form = TargetForm::kAuthority;
    bool empty_host = false;
    if (!valid_host_port(target, /*port_required=*/true, &empty_host) || empty_host) return Error::kInvalidTarget;
  } else {  // absolute-form (§3.2.2)
    head_.target_form = TargetForm::kAbsolute;
    if (!valid_absolute_form(target)) return Error::kInvalidTarget;
  }
  return Error::kNone;
}

Error RequestParser::on_field_line(char* begin, char* end) noexcept {
  if (field_count_ == fields_.size()) return Error::kTooManyFields;
  Header field;
  if (Error e = parse_field_line(begin, end, &field); e != Error::kNone) return e;
  add_field(field.name, field.value);
  return Error::kNone;
}

// finish_head interprets the fields that decide framing and routing, once
// the whole header section is in (so a folded value is judged whole).
Error RequestParser::finish_head() noexcept {
  head_.headers = fields_.first(field_count_);
  const bool http11 = head_.version_minor == 1;
  if (options_.leniency.obs_fold) {
    // Values may have grown by folding since their line: interpret them now.
    for (const Header& f : head_.headers) {
      if (Error e = interpret_field(f); e != Error::kNone) return e;
    }
  } else if (field_error_ != Error::kNone) {
    return field_error_;
  }

  // RFC 9112 §3.2: a client MUST send Host in HTTP/1.1; a server MUST answer
  // 400 to a request without it or with an invalid value.
  if (http11 && host_count_ == 0) return Error::kMissingHost;
  if (host_count_ == 1) {
    bool empty_host = false;
    // The common value, a reg-name of plain characters without a port, at once.
    const char* const host_end = head_.host.data() + head_.host.size();
    const bool plain = !head_.host.empty() && chars::skip(head_.host.data(), host_end, chars::kRegName) == host_end;
    if (!plain && !valid_host_port(head_.host, /*port_required=*/false, &empty_host)) return Error::kInvalidHost;
    // An empty Host matches the grammar, but an http URI needs a host (RFC
    // 9110 §4.2.1); with absolute-form the target's authority governs.
    if (empty_host && head_.target_form != TargetForm::kAbsolute) return Error::kInvalidHost;
  }

  // RFC 9112 §6.3: framing.
  if (framing_.has_transfer_encoding) {
    if (framing_.transfer_codings == 0) return Error::kInvalidTransferEncoding;
    // §6.1: TE in HTTP/1.0 is faulty framing; TE with CL "ought to be
    // handled as an error" and both are smuggling vectors: reject.
    if (!http11) return Error::kTransferEncodingInHttp10;
    if (framing_.has_content_length) return Error::kContentLengthWithTransferEncoding;
    // §6.3 item 6: chunked not final → 400; §6.1: a coding we don't
    // implement before it → 501.
    if (!framing_.chunked_final) return Error::kChunkedNotFinal;
    if (framing_.unknown_coding) return Error::kUnsupportedTransferCoding;
    head_.framing = BodyFraming::kChunked;
    chunked_.start(fields_.subspan(field_count_));
  } else if (framing_.has_content_length) {
    head_.content_length = framing_.content_length;  // judged against the limit in parse_body
    head_.framing = BodyFraming::kContentLength;
  }

  // RFC 9112 §9.3: "close" ends the connection; HTTP/1.1 persists by
  // default; HTTP/1.0 persists only when asked with "keep-alive".
  head_.keep_alive = !framing_.connection_close && (http11 || framing_.connection_keep_alive);
  // RFC 9110 §10.1.1: ignore 100-continue in an HTTP/1.0 request.
  if (!http11) head_.expect = Expectation::kNone;
  return Error::kNone;
}

// interpret_field notes what one field line says about framing and routing
// (the switch on the length skips most names at once). Lines are seen in
// order, so the first error is the one a pass over the section finds.
Error RequestParser::interpret_field(const Header& f) noexcept {
  Error e = Error::kNone;
  if (!may_interpret(f.name)) return e;
  switch (f.name.size()) {
    case 4:
      if (name_is(f.name, "host")) {
        // RFC 9112 §3.2: more than one Host field line → 400, any version.
        if (++host_count_ > 1) return Error::kDuplicateHost;
        head_.host = f.value;
      }
      break;
    case 6:
      if (name_is(f.name, "expect") && !f.value.empty()) {
        head_.expect = equals_ignore_case(f.value, "100-continue") ? Expectation::kContinue : Expectation::kOther;
      }
      break;
    case 10:
      if (name_is(f.name, "connection")) framing_.on_connection(f.value);
      break;
    case 14:
      if (name_is(f.name, "content-length")) e = framing_.on_content_length(f.value);
      break;
    case 17:
      if (name_is(f.name, "transfer-encoding")) e = framing_.on_transfer_encoding(f.value);
      break;
    default:
      break;
  }
  return e;
}

// on_transfer_encoding reads one Transfer-Encoding field line:
// `#transfer-coding`, `transfer-coding = token *( OWS ";" OWS
// transfer-parameter )` (RFC 9112 §6.1); lines add up in order.
ParseStatus RequestParser::parse_body(std::span<char> input) noexcept {
  char* const body = input.data() + head_size_;
  const std::size_t available = input.size() - head_size_;
  switch (head_.framing) {
    case BodyFraming::kNone:
    case BodyFraming::kClose:  // never for a request (§6.3 item 9)
      body_ = {};
      consumed_ = head_size_;
      break;
    case BodyFraming::kContentLength: {
      // RFC 9110 §15.5.14: larger than we will take (max_body, or the
      // stream's bound): 413 before any of it is read.
      if (head_.content_length > (streaming_ ? stream_limit_ : options_.limits.max_body)) {
        return fail(Error::kBodyTooLarge);
      }
      // RFC 9112 §6.3 item 8: exactly Content-Length octets (less those
      // taken while streaming).
      const std::uint64_t left = head_.content_length - body_dropped_;
      if (available < left) return ParseStatus::kIncomplete;
      body_ = string_view(body, static_cast<std::size_t>(left));
      consumed_ = head_size_ + body_.size();
      break;
    }
    case BodyFraming::kChunked: {
      ParseStatus s = chunked_.decode(std::span<char>(body, available));
      if (s == ParseStatus::kError) return fail(chunked_.error());
      if (s == ParseStatus::kIncomplete) return s;
      body_ = string_view(body, chunked_.decoded_size());
      consumed_ = head_size_ + chunked_.consumed();
      break;
    }
  }
  stage_ = Stage::kDone;
  return ParseStatus::kComplete;
}

void RequestParser::rebase(const char* from, std::size_t size, char* to) noexcept {
  auto move = [&](std::string_view& v) { v = rebase_view(v, from, size, to); };
  move(head_.method);
  move(head_.target);
  move(head_.host);
  move(body_);
  for (std::size_t i = 0; i < field_count_; ++i) {
    move(fields_[i].name);
    move(fields_[i].value);
  }
  if (head_.framing == BodyFraming::kChunked) chunked_.rebase(from, size, to);
}

void RequestParser::stream_body(std::uint64_t max) noexcept {
  if (stage_ != Stage::kBody) return;
  streaming_ = true;
  stream_limit_ = max == 0 ? UINT64_MAX : max;
  if (head_.framing == BodyFraming::kChunked) chunked_.limit_body(stream_limit_);
}

string_view RequestParser::body_available(std::span<char> input) const noexcept {
  if (stage_ != Stage::kBody) return {};
  return arrived_body(input.subspan(head_size_), head_.framing, head_.content_length - body_dropped_, chunked_);
}

std::size_t RequestParser::drop_body(std::span<char> input, std::size_t n) noexcept {
  if (stage_ != Stage::kBody || !streaming_ || n == 0) return 0;
  body_dropped_ += n;
  const std::size_t removed = take_arrived_body(input.subspan(head_size_), head_.framing, chunked_, n);
  // What is held may now grow again, up to what the whole body has left.
  if (head_.framing == BodyFraming::kChunked) {
    chunked_.limit_body(stream_limit_ == UINT64_MAX ? UINT64_MAX : stream_limit_ - body_dropped_);
  }
  return removed;
}

RequestParser::Dead RequestParser::reclaimable() const noexcept {
  if (stage_ != Stage::kBody || head_.framing != BodyFraming::kChunked) return {};
  return Dead{head_size_ + chunked_.decoded_size(), chunked_.reclaimable()};
}

void RequestParser::reclaim(std::size_t n) noexcept {
  if (n == 0) return;
  chunked_.reclaim(n);
}

}  // namespace shockwave::http1
