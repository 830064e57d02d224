#include "server/http1/response_parser.h"

#include <array>
#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/fast_field_lines.h"
#include "server/http1/field_line.h"
#include "server/http1/scan.h"
#include "server/http1/streamed_body.h"
#include "server/http1/wide_copy.h"

namespace shockwave::http1 {
namespace {

using std::string_view;

// may_interpret: whether a name could be one a response's framing reads
// (Connection, Content-Length, Transfer-Encoding), by its length and first
// letter.
inline bool may_interpret(string_view name) noexcept {
  static constexpr std::array<char, 18> kFirst = [] {
    std::array<char, 18> t{};
    t[10] = t[14] = 'c';
    t[17] = 't';
    return t;
  }();
  return name.size() < kFirst.size() && (name[0] | 0x20) == kFirst[name.size()];
}

}  // namespace

ResponseParser::ResponseParser(std::span<Header> field_storage, const ParserOptions& options) noexcept
    : fields_(field_storage), options_(options), chunked_({}, options) {}

ParseStatus ResponseParser::fail(Error e) noexcept {
  error_ = e;
  stage_ = Stage::kError;
  return ParseStatus::kError;
}

void ResponseParser::reset() noexcept {
  // RFC 9110 §15.2: after an interim response, the final one (or another
  // interim one) answers the same request.
  const bool after_interim = stage_ == Stage::kDone && head_.interim();
  const RequestKind request = request_;
  const std::size_t interim = interim_count_ + 1;
  if (head_.framing == BodyFraming::kChunked) chunked_.reset();
  static constexpr detail::ResponseParserState kFresh{};
  wide_copy<detail::ResponseParserState>(*this, kFresh);
  if (after_interim) {
    request_ = request;
    interim_count_ = interim;
  }
}

ParseStatus ResponseParser::parse(std::span<char> input) noexcept {
  switch (stage_) {
    case Stage::kStatusLine:
    case Stage::kFields:
      if (ParseStatus s = parse_head(input); s != ParseStatus::kComplete) return s;
      if (head_.framing == BodyFraming::kNone) {
        consumed_ = head_size_;
        stage_ = Stage::kDone;
        return ParseStatus::kComplete;
      }
      stage_ = Stage::kBody;
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

ParseStatus ResponseParser::finish(std::span<char> input) noexcept {
  const ParseStatus s = parse(input);
  if (s != ParseStatus::kIncomplete) return s;
  // RFC 9112 §6.3 item 8: a body delimited by close ends with the connection.
  if (stage_ == Stage::kBody && head_.framing == BodyFraming::kClose) {
    body_ = string_view(input.data() + head_size_, input.size() - head_size_);
    consumed_ = input.size();
    stage_ = Stage::kDone;
    return ParseStatus::kComplete;
  }
  // The connection ended between responses; anything else is a response
  // cut short (RFC 9112 §8).
  if (input.empty()) return ParseStatus::kIncomplete;
  return fail(Error::kIncompleteResponse);
}

ParseStatus ResponseParser::parse_head(std::span<char> input) noexcept {
  char* const base = input.data();
  const char* const end = base + input.size();
  const ParserLimits& limits = options_.limits;
  const bool interpret = !options_.leniency.obs_fold;
  for (;;) {
    char* start = base + line_start_;
    const bool in_fields = stage_ == Stage::kFields;
    // A status-line starts "HTTP/" (§2.3): anything else is refused at once,
    // before its line end (which may never come) and before any other error
    // in it, so every split of the bytes gives the same answer.
    if (!in_fields) {
      const std::size_t available = static_cast<std::size_t>(end - start);
      // (Nothing to compare in an empty input, whose data() may be null.)
      if (available > 0 && std::memcmp(start, "HTTP/", available < 5 ? available : 5) != 0) {
        return fail(Error::kInvalidStatusLine);
      }
    }
    if (scanned_ == 0) {
      // A line not looked at before: the one-pass fast paths first.
      const char* resume = start;
      if (in_fields) {
        FieldLines lines{fields_start_, line_start_, field_count_, examined_};
        const bool head_done = fast_field_lines(base, end, limits.max_field_section, fields_, &lines, &resume,
                                                [&](string_view name, string_view value) {
                                                  if (interpret && may_interpret(name)) note_field(Header{name, value});
                                                });
        field_count_ = lines.count;
        examined_ = lines.examined;
        line_start_ = lines.line_start;
        if (head_done) {  // the empty line: the head ends (RFC 9112 §2.1)
          head_size_ = line_start_;
          if (Error e = finish_head(); e != Error::kNone) return fail(e);
          return ParseStatus::kComplete;
        }
        start = base + line_start_;
      } else {
        // The status-line's end: its reason may hold HTAB (RFC 9112 §4).
        const char* cr = start;
        for (;;) {
          cr = find_control_inline(cr, end, base);
          if (cr == end || *cr != '\t') break;
          ++cr;
        }
        resume = cr;
        const std::size_t length = static_cast<std::size_t>(cr - start);
        if (end - cr >= 2 && cr[0] == '\r' && cr[1] == '\n' && length <= limits.max_status_line) {
          examined_ += 2 * length + 2;  // as the general path counts, judged or not
          if (Error e = on_status_line(start, cr); e != Error::kNone) return fail(e);
          stage_ = Stage::kFields;
          line_start_ = fields_start_ = static_cast<std::size_t>(cr + 2 - base);
          continue;
        }
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
        // Limits hold while a line is still arriving.
        scanned_ = static_cast<std::size_t>(resume - start);
        if (Error e = over_limit(scanned_); e != Error::kNone) return fail(e);
        return ParseStatus::kIncomplete;
      case LineScan::kError: {
        // A limit passed before the offending byte wins, as it would had
        // the bytes arrived one at a time.
        if (Error e = over_limit(static_cast<std::size_t>(resume - start)); e != Error::kNone) return fail(e);
        // scan_line names a control in a start-line as the request-line's.
        return fail(error == Error::kInvalidRequestLine ? Error::kInvalidStatusLine : error);
      }
      case LineScan::kLine:
        break;
    }
    const std::size_t length = static_cast<std::size_t>(line.content_end - start);
    const std::size_t next = static_cast<std::size_t>(line.next - base);
    examined_ += length;  // the line's validation pass
    if (!in_fields) {
      if (Error e = over_limit(length); e != Error::kNone) return fail(e);
      if (Error e = on_status_line(start, line.content_end); e != Error::kNone) return fail(e);
      stage_ = Stage::kFields;
      fields_start_ = next;
    } else {
      if (next - fields_start_ > limits.max_field_section) return fail(Error::kFieldSectionTooLarge);
      if (length == 0) {
        head_size_ = next;
        line_start_ = next;
        scanned_ = 0;
        if (Error e = finish_head(); e != Error::kNone) return fail(e);
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

// over_limit tells whether `examined` bytes of the current line, none of
// them its end, are past the status-line or field-section limit.
Error ResponseParser::over_limit(std::size_t examined) const noexcept {
  if (stage_ == Stage::kFields) {
    return line_start_ + examined - fields_start_ > options_.limits.max_field_section ? Error::kFieldSectionTooLarge
                                                                                      : Error::kNone;
  }
  return examined > options_.limits.max_status_line ? Error::kStatusLineTooLong : Error::kNone;
}

// on_status_line parses `HTTP-version SP status-code SP [ reason-phrase ]`
// (RFC 9112 §4), one SP exactly between the parts.
Error ResponseParser::on_status_line(const char* begin, const char* end) noexcept {
  const string_view line(begin, static_cast<std::size_t>(end - begin));
  // HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3)
  if (line.size() < 8 || line.substr(0, 5) != "HTTP/" || !chars::is_digit(line[5]) || line[6] != '.' ||
      !chars::is_digit(line[7])) {
    return Error::kInvalidStatusLine;
  }
  // RFC 9110 §6.2: a higher minor version of HTTP/1 is handled as 1.1;
  // another major is not a message this parser can frame.
  if (line[5] != '1') return Error::kUnsupportedVersion;
  head_.version_major = 1;
  head_.version_minor = line[7] == '0' ? 0 : 1;
  if (line.size() == 8 || line[8] != ' ') return Error::kInvalidStatusLine;
  // status-code = 3DIGIT, 100 to 599 (RFC 9110 §15).
  std::size_t digits = 0;
  while (9 + digits < line.size() && chars::is_digit(line[9 + digits])) ++digits;
  if (digits != 3) return Error::kInvalidStatusCode;
  const unsigned code = static_cast<unsigned>(line[9] - '0') * 100 + static_cast<unsigned>(line[10] - '0') * 10 +
                        static_cast<unsigned>(line[11] - '0');
  if (code < 100 || code > 599) return Error::kInvalidStatusCode;
  head_.status = static_cast<std::uint16_t>(code);
  // "A server MUST send the space that separates the status-code from the
  // reason-phrase even when the reason-phrase is absent" (§4).
  if (line.size() == 12 || line[12] != ' ') return Error::kInvalidStatusLine;
  // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ): the line's scan
  // refused every other byte already.
  head_.reason = line.substr(13);
  // RFC 9110 §15.2: a client need not accept interim responses without end.
  if (head_.interim() && interim_count_ >= options_.limits.max_interim_responses) {
    return Error::kTooManyInterimResponses;
  }
  return Error::kNone;
}

Error ResponseParser::on_field_line(char* begin, char* end) noexcept {
  if (field_count_ == fields_.size()) return Error::kTooManyFields;
  Header field;
  if (Error e = parse_field_line(begin, end, &field); e != Error::kNone) return e;
  fields_[field_count_++] = field;
  if (!options_.leniency.obs_fold && may_interpret(field.name)) note_field(field);
  return Error::kNone;
}

// note_field records what a framing field says. Its errors wait for
// finish_head: a response without a body ignores these fields (§6.3 item 1).
void ResponseParser::note_field(const Header& f) noexcept {
  switch (f.name.size()) {
    case 10:
      if (name_is(f.name, "connection")) framing_.on_connection(f.value);
      break;
    case 14:
      if (name_is(f.name, "content-length")) {
        const Error e = framing_.on_content_length(f.value);
        if (length_error_ == Error::kNone) length_error_ = e;
      }
      break;
    case 17:
      // The facts are judged in finish_head: a coding after chunked is no
      // error in a response (§6.3 item 4).
      if (name_is(f.name, "transfer-encoding")) framing_.on_transfer_encoding(f.value);
      break;
    default:
      break;
  }
}

// finish_head decides the body's length (RFC 9112 §6.3) and persistence
// (§9.3) once the whole header section is in.
Error ResponseParser::finish_head() noexcept {
  head_.headers = fields_.first(field_count_);
  if (options_.leniency.obs_fold) {
    // Values may have grown by folding since their line: interpret them now.
    for (const Header& f : head_.headers) {
      if (may_interpret(f.name)) note_field(f);
    }
  }
  const bool http11 = head_.version_minor == 1;
  const unsigned status = head_.status;
  // §9.3: "close" ends the connection; HTTP/1.1 persists by default,
  // HTTP/1.0 only when asked with "keep-alive".
  head_.keep_alive = !framing_.connection_close && (http11 || framing_.connection_keep_alive);

  // §6.3 item 2: a 2xx to CONNECT makes the connection a tunnel, as a 101
  // does (RFC 9110 §15.2.2); neither has a body.
  if (status == 101 || (request_ == RequestKind::kConnect && status >= 200 && status < 300)) {
    head_.tunnel = true;
    head_.keep_alive = false;
    return Error::kNone;
  }
  // §6.3 item 1: a response to HEAD and any 1xx, 204 or 304 ends at the
  // empty line, whatever its fields say.
  if (request_ == RequestKind::kHead || status < 200 || status == 204 || status == 304) return Error::kNone;

  if (framing_.has_transfer_encoding) {
    if (framing_.transfer_codings == 0 || framing_.malformed_coding) return Error::kInvalidTransferEncoding;
    // §6.1: Transfer-Encoding in an HTTP/1.0 message is faulty framing.
    if (!http11) return Error::kTransferEncodingInHttp10;
    // §6.3 item 3: with Content-Length, "ought to be handled as an error"
    // (response splitting); a server MUST NOT send both (§6.2).
    if (framing_.has_content_length) return Error::kContentLengthWithTransferEncoding;
    // §6.1: a sender MUST NOT apply chunked more than once.
    if (framing_.chunked_count > 1) return Error::kChunkedTwice;
    if (framing_.chunked_final) {
      head_.framing = BodyFraming::kChunked;
      chunked_.start(fields_.subspan(field_count_));
    } else {
      // §6.3 item 4: chunked not final: the body ends at close.
      head_.framing = BodyFraming::kClose;
      head_.keep_alive = false;
    }
    return Error::kNone;
  }
  if (framing_.has_content_length) {
    // §6.3 item 5: an invalid Content-Length is an unrecoverable error.
    if (length_error_ != Error::kNone) return length_error_;
    head_.content_length = framing_.content_length;
    if (head_.content_length > options_.limits.max_body) return Error::kBodyTooLarge;
    head_.framing = BodyFraming::kContentLength;
    return Error::kNone;
  }
  // §6.3 item 8: neither: the body is every octet until the server closes.
  head_.framing = BodyFraming::kClose;
  head_.keep_alive = false;
  return Error::kNone;
}

ParseStatus ResponseParser::parse_body(std::span<char> input) noexcept {
  char* const body = input.data() + head_size_;
  const std::size_t available = input.size() - head_size_;
  switch (head_.framing) {
    case BodyFraming::kNone:
      body_ = {};
      consumed_ = head_size_;
      break;
    case BodyFraming::kContentLength: {
      // §6.3 item 6: exactly Content-Length octets (less what was dropped).
      const std::uint64_t left = head_.content_length - body_dropped_;
      if (available < left) return ParseStatus::kIncomplete;
      body_ = string_view(body, static_cast<std::size_t>(left));
      consumed_ = head_size_ + body_.size();
      break;
    }
    case BodyFraming::kChunked: {
      const ParseStatus s = chunked_.decode(std::span<char>(body, available));
      if (s == ParseStatus::kError) return fail(chunked_.error());
      if (s == ParseStatus::kIncomplete) return s;
      body_ = string_view(body, chunked_.decoded_size());
      consumed_ = head_size_ + chunked_.consumed();
      break;
    }
    case BodyFraming::kClose:
      // Complete only at the end of input (finish); bounded meanwhile.
      if (available > options_.limits.max_body) return fail(Error::kBodyTooLarge);
      return ParseStatus::kIncomplete;
  }
  stage_ = Stage::kDone;
  return ParseStatus::kComplete;
}

string_view ResponseParser::body_available(std::span<char> input) const noexcept {
  if (stage_ != Stage::kBody) return {};
  return arrived_body(input.subspan(head_size_), head_.framing, head_.content_length - body_dropped_, chunked_);
}

std::size_t ResponseParser::drop_body(std::span<char> input, std::size_t n) noexcept {
  if (stage_ != Stage::kBody || n == 0) return 0;
  body_dropped_ += n;
  return take_arrived_body(input.subspan(head_size_), head_.framing, chunked_, n);
}

void ResponseParser::rebase(const char* from, std::size_t size, char* to) noexcept {
  auto move = [&](std::string_view& v) { v = rebase_view(v, from, size, to); };
  move(head_.reason);
  move(body_);
  for (std::size_t i = 0; i < field_count_; ++i) {
    move(fields_[i].name);
    move(fields_[i].value);
  }
  if (head_.framing == BodyFraming::kChunked) chunked_.rebase(from, size, to);
}

}  // namespace shockwave::http1
