#include "server/http1/request_parser.h"

#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/field_line.h"

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
    while (p < end && chars::is(*p, cls)) ++p;  // the common case: a run of plain characters
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
    std::size_t colon = s.find(':');
    if (colon != string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      has_port = true;
    }
    if (!valid_pct_chars(host, chars::kRegName)) return false;
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

// parse_content_length: Content-Length = 1*DIGIT (RFC 9110 §8.6), read as
// decimal whatever its leading zeros, refused when it would overflow.
bool parse_content_length(string_view s, std::uint64_t* out) {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!chars::is_digit(c)) return false;
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

// valid_transfer_parameters checks `*( OWS ";" OWS transfer-parameter )`,
// `transfer-parameter = token BWS "=" BWS ( token / quoted-string )` (RFC
// 9112 §6.1, RFC 9110 §5.6.4, §5.6.6), given without the leading OWS. List
// elements are split at every comma, so a quoted comma makes the element
// malformed: strict, and no real coding needs one.
bool valid_transfer_parameters(string_view s) {
  auto skip_ows = [&s] {
    while (!s.empty() && chars::is_ows(s.front())) s.remove_prefix(1);
  };
  auto take_token = [&s] {
    std::size_t n = 0;
    while (n < s.size() && chars::is_tchar(s[n])) ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  while (!s.empty()) {
    if (s.front() != ';') return false;
    s.remove_prefix(1);
    skip_ows();
    if (!take_token()) return false;
    skip_ows();
    if (s.empty() || s.front() != '=') return false;
    s.remove_prefix(1);
    skip_ows();
    if (!s.empty() && s.front() == '"') {  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
      std::size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\') ++i;
      }
      if (i >= s.size()) return false;
      s.remove_prefix(i + 1);
    } else if (!take_token()) {
      return false;
    }
    skip_ows();
  }
  return true;
}

// for_each_element calls f on each non-empty, OWS-trimmed element of a
// comma-separated list (RFC 9110 §5.6.1: empty elements are ignored). f returns
// false to stop.
template <typename F>
bool for_each_element(string_view list, F f) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    string_view element = trim_ows(list.substr(0, comma));
    list = comma == string_view::npos ? string_view() : list.substr(comma + 1);
    if (!element.empty() && !f(element)) return false;
  }
  return true;
}

}  // namespace

RequestParser::RequestParser(std::span<Header> field_storage, const ParserOptions& options) noexcept
    : fields_(field_storage), options_(options), chunked_({}, options) {}

void RequestParser::reset() noexcept {
  // Per-request state only (cheaper than rebuilding the whole parser; it
  // runs once per pipelined request).
  if (head_.framing == BodyFraming::kChunked) chunked_.reset();
  head_ = RequestHead();
  stage_ = Stage::kRequestLine;
  error_ = Error::kNone;
  line_start_ = scanned_ = fields_start_ = empty_lines_ = field_count_ = head_size_ = consumed_ = examined_ = 0;
  body_ = {};
  host_count_ = 0;
  has_content_length_ = has_transfer_encoding_ = chunked_final_ = unknown_coding_ = false;
  connection_close_ = connection_keep_alive_ = false;
  transfer_codings_ = 0;
}

ParseStatus RequestParser::fail(Error e) noexcept {
  error_ = e;
  stage_ = Stage::kError;
  return ParseStatus::kError;
}

ParseStatus RequestParser::parse(std::span<char> input) noexcept {
  switch (stage_) {
    case Stage::kRequestLine:
    case Stage::kFields:
      if (ParseStatus s = parse_head(input); s != ParseStatus::kComplete) return s;
      [[fallthrough]];
    case Stage::kBody:
      return parse_body(input);
    case Stage::kDone:
      return ParseStatus::kComplete;
    case Stage::kError:
      break;
  }
  return ParseStatus::kError;
}

ParseStatus RequestParser::parse_head(std::span<char> input) noexcept {
  char* const base = input.data();
  const char* const end = base + input.size();
  const ParserLimits& limits = options_.limits;
  for (;;) {
    char* const start = base + line_start_;
    const bool in_fields = stage_ == Stage::kFields;
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
      Error e = chars::is_ows(*start) ? on_obs_fold(start, content_end) : on_field_line(start, content_end);
      if (e != Error::kNone) return fail(e);
    }
    line_start_ = next;
    scanned_ = 0;
  }
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
  if (Error e = parse_field_line(begin, end, &fields_[field_count_]); e != Error::kNone) return e;
  ++field_count_;
  return Error::kNone;
}

// on_obs_fold handles a line that starts with whitespace (RFC 9112 §5.2).
Error RequestParser::on_obs_fold(char* begin, char* end) noexcept {
  // RFC 9112 §2.2: whitespace between the start-line and the first field:
  // reject, or skip such lines. We reject.
  if (field_count_ == 0) return Error::kWhitespaceBeforeFirstField;
  if (!options_.leniency.obs_fold) return Error::kObsFold;
  // Replace the fold (the previous line's terminator) with SP, in place, so
  // the previous field's value runs on through this line.
  begin[-1] = ' ';
  if (begin[-2] == '\r') begin[-2] = ' ';  // a bare CR never ends a line, so this is CRLF
  Header& field = fields_[field_count_ - 1];
  const char* value = field.name.data() + field.name.size() + 1;
  field.value = trim_ows(string_view(value, static_cast<std::size_t>(end - value)));
  return Error::kNone;
}

// finish_head interprets the fields that decide framing and routing, once
// the whole header section is in (so a folded value is judged whole).
Error RequestParser::finish_head() noexcept {
  head_.headers = fields_.first(field_count_);
  const bool http11 = head_.version_minor == 1;
  for (const Header& f : head_.headers) {
    Error e = Error::kNone;
    switch (f.name.size()) {
      case 4:
        if (equals_ignore_case(f.name, "Host")) {
          // RFC 9112 §3.2: more than one Host field line → 400, any version.
          if (++host_count_ > 1) return Error::kDuplicateHost;
          head_.host = f.value;
        }
        break;
      case 6:
        if (equals_ignore_case(f.name, "Expect") && !f.value.empty()) {
          head_.expect = equals_ignore_case(f.value, "100-continue") ? Expectation::kContinue : Expectation::kOther;
        }
        break;
      case 10:
        if (equals_ignore_case(f.name, "Connection")) {
          // RFC 9110 §7.6.1: connection options are case-insensitive tokens.
          for_each_element(f.value, [this](string_view option) {
            if (equals_ignore_case(option, "close")) connection_close_ = true;
            if (equals_ignore_case(option, "keep-alive")) connection_keep_alive_ = true;
            return true;
          });
        }
        break;
      case 14:
        if (equals_ignore_case(f.name, "Content-Length")) {
          // RFC 9112 §6.3 item 7: a list or repeated value is not a valid
          // length; we reject duplicates even when identical (strict).
          if (has_content_length_) return Error::kDuplicateContentLength;
          has_content_length_ = true;
          if (!parse_content_length(f.value, &head_.content_length)) return Error::kInvalidContentLength;
        }
        break;
      case 17:
        if (equals_ignore_case(f.name, "Transfer-Encoding")) e = on_transfer_encoding(f.value);
        break;
      default:
        break;
    }
    if (e != Error::kNone) return e;
  }

  // RFC 9112 §3.2: a client MUST send Host in HTTP/1.1; a server MUST answer
  // 400 to a request without it or with an invalid value.
  if (http11 && host_count_ == 0) return Error::kMissingHost;
  if (host_count_ == 1) {
    bool empty_host = false;
    if (!valid_host_port(head_.host, /*port_required=*/false, &empty_host)) return Error::kInvalidHost;
    // An empty Host matches the grammar, but an http URI needs a host (RFC
    // 9110 §4.2.1); with absolute-form the target's authority governs.
    if (empty_host && head_.target_form != TargetForm::kAbsolute) return Error::kInvalidHost;
  }

  // RFC 9112 §6.3: framing.
  if (has_transfer_encoding_) {
    if (transfer_codings_ == 0) return Error::kInvalidTransferEncoding;
    // §6.1: TE in HTTP/1.0 is faulty framing; TE with CL "ought to be
    // handled as an error" and both are smuggling vectors: reject.
    if (!http11) return Error::kTransferEncodingInHttp10;
    if (has_content_length_) return Error::kContentLengthWithTransferEncoding;
    // §6.3 item 6: chunked not final → 400; §6.1: a coding we don't
    // implement before it → 501.
    if (!chunked_final_) return Error::kChunkedNotFinal;
    if (unknown_coding_) return Error::kUnsupportedTransferCoding;
    head_.framing = BodyFraming::kChunked;
    chunked_ = ChunkedDecoder(fields_.subspan(field_count_), options_);
  } else if (has_content_length_) {
    if (head_.content_length > options_.limits.max_body) return Error::kBodyTooLarge;  // RFC 9110 §15.5.14
    head_.framing = BodyFraming::kContentLength;
  }

  // RFC 9112 §9.3: "close" ends the connection; HTTP/1.1 persists by
  // default; HTTP/1.0 persists only when asked with "keep-alive".
  head_.keep_alive = !connection_close_ && (http11 || connection_keep_alive_);
  // RFC 9110 §10.1.1: ignore 100-continue in an HTTP/1.0 request.
  if (!http11) head_.expect = Expectation::kNone;
  return Error::kNone;
}

// on_transfer_encoding reads one Transfer-Encoding field line:
// `#transfer-coding`, `transfer-coding = token *( OWS ";" OWS
// transfer-parameter )` (RFC 9112 §6.1); lines add up in order.
Error RequestParser::on_transfer_encoding(string_view value) noexcept {
  has_transfer_encoding_ = true;
  Error e = Error::kNone;
  for_each_element(value, [&](string_view element) {
    ++transfer_codings_;
    std::size_t n = 0;
    while (n < element.size() && chars::is_tchar(element[n])) ++n;
    const string_view coding = element.substr(0, n);
    const string_view params = trim_ows(element.substr(n));
    if (coding.empty() || !valid_transfer_parameters(params)) {
      e = Error::kInvalidTransferEncoding;
    } else if (chunked_final_) {
      // §6.1: chunked MUST be final and MUST NOT be applied twice.
      e = equals_ignore_case(coding, "chunked") ? Error::kChunkedTwice : Error::kChunkedNotFinal;
    } else if (equals_ignore_case(coding, "chunked")) {
      // §7.1: parameters on chunked are an error.
      if (!params.empty()) e = Error::kInvalidTransferEncoding;
      chunked_final_ = true;
    } else {
      // §7.2: parameters on the compression codings are an error.
      const bool compression = equals_ignore_case(coding, "gzip") || equals_ignore_case(coding, "deflate") ||
                               equals_ignore_case(coding, "compress");
      if (compression && !params.empty()) e = Error::kInvalidTransferEncoding;
      unknown_coding_ = true;
    }
    return e == Error::kNone;
  });
  return e;
}

ParseStatus RequestParser::parse_body(std::span<char> input) noexcept {
  char* const body = input.data() + head_size_;
  const std::size_t available = input.size() - head_size_;
  switch (head_.framing) {
    case BodyFraming::kNone:
      body_ = {};
      consumed_ = head_size_;
      break;
    case BodyFraming::kContentLength:
      // RFC 9112 §6.3 item 8: exactly Content-Length octets.
      if (available < head_.content_length) return ParseStatus::kIncomplete;
      body_ = string_view(body, static_cast<std::size_t>(head_.content_length));
      consumed_ = head_size_ + body_.size();
      break;
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

}  // namespace shockwave::http1
