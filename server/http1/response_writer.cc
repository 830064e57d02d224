#include "server/http1/response_writer.h"

#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/request.h"

namespace shockwave::http1 {

namespace {

// put copies `s` to `to` and returns the end of the copy. A literal's size is
// known where it is inlined, so its copy is a few moves, not a call. (An
// empty view may have no data: no memcpy from null.)
[[gnu::always_inline]] inline char* put(char* to, std::string_view s) noexcept {
  if (!s.empty()) std::memcpy(to, s.data(), s.size());
  return to + s.size();
}

}  // namespace

// reserve makes room for `n` more bytes of this response and returns where
// they go (the caller writes all n), or nullptr if the response overflows.
// A line is reserved whole and then copied in pieces: one room check per
// line, not one per piece.
char* ResponseWriter::reserve(std::size_t n) noexcept {
  if (overflow_) return nullptr;
  if (!streaming_) {
    // Held whole until it is complete, so its fate is decided before any
    // byte of it leaves: if it cannot fit the buffer even alone, it
    // overflows now, nothing of it sent (the server answers 500 instead).
    if (out_.size - start_ + n > out_.capacity) {
      overflow_ = true;
      return nullptr;
    }
    while (n > out_.free()) {
      if (!flush_before_start()) {
        overflow_ = true;
        return nullptr;
      }
    }
  } else {
    while (n > out_.free()) {
      const std::size_t before = out_.size;
      // The connection may send queued bytes (moving the rest to the front).
      if (out_.flush == nullptr || !out_.flush(out_.flush_context)) {
        overflow_ = true;
        return nullptr;
      }
      const std::size_t sent = before - out_.size;
      if (sent > start_) started_sending_ = true;
      start_ = started_sending_ ? 0 : start_ - sent;
    }
  }
  char* const at = out_.data + out_.size;
  out_.size += n;
  bytes_ += n;
  return at;
}

bool ResponseWriter::append(std::string_view s) noexcept {
  if (s.empty()) return !overflow_;
  char* const at = reserve(s.size());
  if (at == nullptr) return false;
  put(at, s);
  return true;
}

// flush_before_start makes room by sending the responses queued before this
// one, never a byte of this one: it is hidden from the flush, then moved
// down behind what is left. False if nothing could be sent.
bool ResponseWriter::flush_before_start() noexcept {
  if (start_ == 0 || out_.flush == nullptr) return false;
  const std::size_t mine = out_.size - start_;
  out_.size = start_;
  const bool progressed = out_.flush(out_.flush_context);
  if (out_.size != start_) std::memmove(out_.data + out_.size, out_.data + start_, mine);
  start_ = out_.size;
  out_.size += mine;
  return progressed;
}

bool ResponseWriter::status(int code, std::string_view reason) noexcept {
  if (state_ != State::kStatus) return false;  // the status line is out already
  // A final response is 2xx-5xx (RFC 9110 §15); 1xx are interim and the
  // server sends 100 itself, so anything else becomes 500.
  if (code < 200 || code > 599) code = 500;
  status_ = code;
  if (reason.empty() || reason.find_first_of("\r\n", 0) != std::string_view::npos ||
      reason.find('\0') != std::string_view::npos) {
    reason = reason_phrase(code);
  }
  // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4):
  // always HTTP/1.1, the highest version we conform to (RFC 9110 §6.2).
  constexpr std::string_view kVersion = "HTTP/1.1 ";
  if (char* p = reserve(kVersion.size() + 4 + reason.size() + 2)) {
    p = put(p, kVersion);
    *p++ = char('0' + code / 100);
    *p++ = char('0' + code / 10 % 10);
    *p++ = char('0' + code % 10);
    *p++ = ' ';
    p = put(p, reason);
    put(p, "\r\n");
  }
  state_ = State::kHeaders;
  return true;
}

void ResponseWriter::ensure_status() noexcept {
  if (state_ == State::kStatus) status(status_);
}

bool ResponseWriter::header(std::string_view name, std::string_view value) noexcept {
  if (state_ == State::kStreaming || state_ == State::kDone || !chars::is_token(name)) return false;
  // RFC 9110 §5.5: field-vchar, SP and HTAB only; CR/LF/NUL would also
  // split the response (RFC 9112 §11.1).
  if (chars::skip(value.data(), value.data() + value.size(), chars::kFieldValue) != value.data() + value.size()) {
    return false;
  }
  if (equals_ignore_case(name, "Content-Length") || equals_ignore_case(name, "Transfer-Encoding") ||
      equals_ignore_case(name, "Connection") || equals_ignore_case(name, "Date")) {
    return false;
  }
  ensure_status();
  if (char* p = reserve(name.size() + 2 + value.size() + 2)) {
    p = put(p, name);
    p = put(p, ": ");
    p = put(p, value);
    put(p, "\r\n");
  }
  return true;
}

// RFC 9110 §15.2, §15.3.5, §15.4.5: 1xx, 204 and 304 carry no content.
bool ResponseWriter::no_content() const noexcept { return status_ < 200 || status_ == 204 || status_ == 304; }

// end_head writes the fields the server owns and the empty line, reserved
// together (see reserve()).
void ResponseWriter::end_head(bool chunked, bool has_length, std::uint64_t length) noexcept {
  constexpr std::string_view kChunked = "Transfer-Encoding: chunked\r\n";
  constexpr std::string_view kLength = "Content-Length: ";
  constexpr std::string_view kClose = "Connection: close\r\n";
  constexpr std::string_view kKeepAlive = "Connection: keep-alive\r\n";
  char digits[20];
  std::size_t n = 0;
  std::string_view framing;
  if (no_content()) {
    // RFC 9110 §8.6: no Content-Length in 1xx or 204; 304 needs none.
  } else if (chunked) {
    framing = kChunked;
  } else if (has_length) {
    do {
      digits[sizeof digits - 1 - n++] = char('0' + length % 10);
      length /= 10;
    } while (length != 0);
  }
  // RFC 9112 §9.6: say "close" in the last response; RFC 9112 §9.3 /
  // Appendix C.2.2: an HTTP/1.0 client is told when the connection persists.
  const std::string_view connection = !context_.keep_alive ? kClose : context_.http10 ? kKeepAlive : "";
  const std::size_t length_line = n == 0 ? 0 : kLength.size() + n + 2;
  char* p = reserve(context_.date_line.size() + framing.size() + length_line + connection.size() + 2);
  if (p == nullptr) return;
  p = put(p, context_.date_line);
  p = put(p, framing);
  if (n != 0) {
    p = put(p, kLength);
    p = put(p, std::string_view(digits + sizeof digits - n, n));
    p = put(p, "\r\n");
  }
  p = put(p, connection);
  put(p, "\r\n");
}

void ResponseWriter::body(std::string_view content) noexcept {
  if (state_ == State::kStreaming || state_ == State::kDone) return;
  ensure_status();
  end_head(false, true, content.size());
  if (!no_content() && !context_.head_request && !overflow_) {
    if (content.size() > out_.capacity) {
      overflow_ = true;  // it can never fit: decided before a byte of it is sent
    } else if (out_.size - start_ + content.size() > out_.capacity) {
      // The content fits the buffer, but not with its head: the head goes
      // first (see the header comment).
      streaming_ = true;
    }
    append(content);
  }
  state_ = State::kDone;
}

bool ResponseWriter::content_follows(std::uint64_t length) noexcept {
  if (state_ == State::kStreaming || state_ == State::kDone) return false;
  ensure_status();
  end_head(false, true, length);
  state_ = State::kDone;
  return !no_content() && !context_.head_request && !overflow_;
}

void ResponseWriter::begin_chunked() noexcept {
  if (state_ == State::kStreaming || state_ == State::kDone) return;
  ensure_status();
  // A stream's size is unknown: from its head on it may outgrow the buffer,
  // flushed as it goes (once a byte of it is sent, it cannot become a 500).
  streaming_ = true;
  if (context_.http10 && !no_content()) {
    // RFC 9112 §6.1: no Transfer-Encoding to HTTP/1.0; the content ends
    // when the connection closes (§6.3 item 8).
    context_.keep_alive = false;
    close_delimited_ = true;
    end_head(false, false, 0);
  } else {
    chunked_ = !no_content();
    end_head(chunked_, false, 0);
  }
  state_ = State::kStreaming;
}

void ResponseWriter::write_chunk(std::string_view data) noexcept {
  if (state_ != State::kStreaming || data.empty() || no_content() || context_.head_request) return;
  if (close_delimited_) {
    append(data);
    return;
  }
  // chunk = chunk-size CRLF chunk-data CRLF (RFC 9112 §7.1)
  char size[18];
  std::size_t n = 0;
  for (std::size_t v = data.size(); v != 0; v >>= 4) size[sizeof size - 3 - n++] = "0123456789abcdef"[v & 15];
  size[sizeof size - 2] = '\r';
  size[sizeof size - 1] = '\n';
  append(std::string_view(size + sizeof size - 2 - n, n + 2));
  append(data);
  append("\r\n");
}

void ResponseWriter::end_chunked() noexcept {
  if (state_ != State::kStreaming) return;
  if (chunked_ && !context_.head_request) append("0\r\n\r\n");
  state_ = State::kDone;
}

void ResponseWriter::finish() noexcept {
  if (state_ == State::kStreaming) end_chunked();
  if (state_ != State::kDone) body({});
}

bool write_continue(OutputBuffer& out) noexcept {
  constexpr std::string_view k100Continue = "HTTP/1.1 100 Continue\r\n\r\n";
  if (out.free() < k100Continue.size()) return false;
  std::memcpy(out.data + out.size, k100Continue.data(), k100Continue.size());
  out.size += k100Continue.size();
  return true;
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

std::size_t format_date_line(std::int64_t t, std::span<char> out) noexcept {
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), so
  // no gmtime_r: it may initialise time-zone state, which allocates.
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t secs = t - days * 86400;
  const int weekday = static_cast<int>((days % 7 + 11) % 7);  // 1970-01-01 was a Thursday
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const long year = static_cast<long>(yoe) + era * 400 + (month <= 2);
  static constexpr char kDays[] = "SunMonTueWedThuFriSat";
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char* p = out.data();
  auto put = [&p](std::string_view s) { std::memcpy(p, s.data(), s.size()), p += s.size(); };
  auto two = [&p](unsigned v) { *p++ = char('0' + v / 10 % 10), *p++ = char('0' + v % 10); };
  // IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT (RFC 9110 §5.6.7)
  put("Date: ");
  put(std::string_view(kDays + 3 * weekday, 3));
  put(", ");
  two(day);
  *p++ = ' ';
  put(std::string_view(kMonths + 3 * (month - 1), 3));
  *p++ = ' ';
  two(static_cast<unsigned>(year / 100));
  two(static_cast<unsigned>(year % 100));
  *p++ = ' ';
  two(static_cast<unsigned>(secs / 3600));
  *p++ = ':';
  two(static_cast<unsigned>(secs / 60 % 60));
  *p++ = ':';
  two(static_cast<unsigned>(secs % 60));
  put(" GMT\r\n");
  return static_cast<std::size_t>(p - out.data());
}

}  // namespace shockwave::http1
