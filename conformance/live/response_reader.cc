#include "conformance/live/response_reader.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "testing/strings.h"

namespace shockwave::conformance::live {
namespace {

using ::shockwave::testing::has_token;
using ::shockwave::testing::iequals;
using ::shockwave::testing::trim;

using Status = ResponseRead::Status;

// RFC 9110 §5.6.2: tchar.
bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// field-vchar / SP / HTAB (RFC 9110 §5.5), obs-text included.
bool is_value_char(unsigned char c) { return c == ' ' || c == '\t' || (c >= 0x21 && c != 0x7f); }

// Cursor walks `data`; every read past the end reports kIncomplete.
struct Cursor {
  std::string_view data;
  std::size_t pos = 0;
  const char* error = nullptr;
  std::size_t error_offset = 0;
  Status status = Status::kComplete;

  bool fail(const char* what) {
    if (status == Status::kComplete) {
      status = Status::kError;
      error = what;
      error_offset = pos;
    }
    return false;
  }
  bool need_more() {
    if (status == Status::kComplete) status = Status::kIncomplete;
    return false;
  }
  // line returns the next line without its CRLF; a bare LF or CR is an error.
  bool line(std::string_view* out, std::size_t max) {
    std::size_t lf = data.find('\n', pos);
    std::size_t limit = lf == std::string_view::npos ? data.size() : lf;
    if (limit - pos > max) return fail("line longer than the limit");
    if (lf == std::string_view::npos) return need_more();
    if (lf == pos || data[lf - 1] != '\r') return fail("bare LF (RFC 9112 §2.2)");
    std::string_view l = data.substr(pos, lf - 1 - pos);
    if (l.find('\r') != std::string_view::npos) {
      pos += l.find('\r');
      return fail("bare CR (RFC 9112 §2.2)");
    }
    *out = l;
    pos = lf + 1;
    return true;
  }
};

// status_line parses RFC 9112 §4's status-line.
bool status_line(Cursor& c, ResponseEvents& events, int* status) {
  std::string_view l;
  if (!c.line(&l, 8192)) return false;
  if (l.size() < 13 || l.substr(0, 5) != "HTTP/" || l[5] != '1' || l[6] != '.' || l[7] < '0' || l[7] > '9' ||
      l[8] != ' ') {
    return c.fail("status line does not start with HTTP/1.x SP");
  }
  for (std::size_t i = 9; i < 12; ++i) {
    if (l[i] < '0' || l[i] > '9') return c.fail("status code is not 3 digits");
  }
  if (l[12] != ' ') return c.fail("no SP after the status code (RFC 9112 §4)");
  *status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
  if (*status < 100) return c.fail("status code below 100");
  for (unsigned char ch : l.substr(13)) {
    if (!is_value_char(ch)) return c.fail("invalid octet in reason-phrase");
  }
  events.status_line(l.substr(0, 8), *status, l.substr(13));
  return true;
}

// BodyFields: what the header section says about the body (RFC 9112 §6.3).
struct BodyFields {
  bool has_te = false;
  std::string_view last_coding;  // of the last Transfer-Encoding field
  bool has_cl = false;
  std::string_view content_length;
};

// fields parses field lines up to and including the empty line; `body`:
// the header section (not trailers), whose framing fields are noted.
bool fields(Cursor& c, ResponseEvents& events, BodyFields* body) {
  std::size_t start = c.pos;
  while (true) {
    std::string_view l;
    if (!c.line(&l, kMaxResponseHead)) return false;
    if (c.pos - start > kMaxResponseHead) return c.fail("header section larger than the limit");
    if (l.empty()) return true;
    if (l[0] == ' ' || l[0] == '\t') return c.fail("obs-fold (RFC 9112 §5.2)");
    std::size_t colon = l.find(':');
    if (colon == std::string_view::npos) return c.fail("field line without ':'");
    if (colon == 0) return c.fail("empty field name");
    for (unsigned char ch : l.substr(0, colon)) {
      if (!is_tchar(ch)) return c.fail("invalid octet in field name (whitespace before ':'? RFC 9112 §5.1)");
    }
    const std::string_view name = l.substr(0, colon);
    const std::string_view value = trim(l.substr(colon + 1));
    for (unsigned char ch : value) {
      if (!is_value_char(ch)) return c.fail("invalid octet in field value");
    }
    if (body == nullptr) {
      events.trailer(name, value);
      continue;
    }
    events.field(name, value);
    if (iequals(name, "transfer-encoding")) {
      body->has_te = true;
      // The final coding is what follows the last comma: "chunked," does not
      // end in chunked (empty list elements are not skipped here).
      const std::size_t comma = value.rfind(',');
      body->last_coding = trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
    } else if (iequals(name, "content-length")) {
      if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string_view::npos) {
        return c.fail("invalid Content-Length");
      }
      if (body->has_cl && body->content_length != value) return c.fail("conflicting Content-Length fields");
      body->has_cl = true;
      body->content_length = value;
    }
  }
}

// chunked decodes RFC 9112 §7.1's chunked-body.
bool chunked(Cursor& c, ResponseEvents& events) {
  while (true) {
    std::string_view l;
    if (!c.line(&l, 4096)) return false;
    std::size_t i = 0;
    std::uint64_t size = 0;
    for (; i < l.size(); ++i) {
      char h = l[i];
      int d = h >= '0' && h <= '9'   ? h - '0'
              : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                     : -1;
      if (d < 0) break;
      if (i >= 15) return c.fail("chunk size too large");
      size = size * 16 + static_cast<std::uint64_t>(d);
    }
    if (i == 0) return c.fail("chunk size is not hex");
    // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ): checked loosely.
    std::string_view ext = trim(l.substr(i));
    if (!ext.empty() && ext[0] != ';') return c.fail("junk after chunk size");
    for (unsigned char ch : ext) {
      if (!is_value_char(ch)) return c.fail("invalid octet in chunk extension");
    }
    if (size == 0) break;
    if (c.data.size() - c.pos < size + 2) return c.need_more();
    events.body(c.data.substr(c.pos, size));
    c.pos += size;
    if (c.data.substr(c.pos, 2) != "\r\n") return c.fail("chunk data not followed by CRLF");
    c.pos += 2;
  }
  return fields(c, events, nullptr);
}

ResponseRead result(const Cursor& c) {
  ResponseRead out;
  out.status = c.status;
  out.error = c.error;
  out.error_offset = c.error_offset;
  if (c.status == Status::kComplete) out.consumed = c.pos;
  return out;
}

// OwnedResponse collects the parts into a Response.
class OwnedResponse : public ResponseEvents {
 public:
  explicit OwnedResponse(Response* r) : r_(r) {}
  void status_line(std::string_view version, int status, std::string_view reason) override {
    r_->version = version;
    r_->status = status;
    r_->reason = reason;
  }
  void field(std::string_view name, std::string_view value) override {
    r_->headers.push_back({std::string(name), std::string(value)});
  }
  void body(std::string_view piece) override { r_->body.append(piece); }
  void trailer(std::string_view name, std::string_view value) override {
    r_->trailers.push_back({std::string(name), std::string(value)});
  }

 private:
  Response* r_;
};

}  // namespace

void ResponseEvents::status_line(std::string_view, int, std::string_view) {}
void ResponseEvents::field(std::string_view, std::string_view) {}
void ResponseEvents::body(std::string_view) {}
void ResponseEvents::trailer(std::string_view, std::string_view) {}

ResponseRead read_response(std::string_view data, bool head_request, bool eof, ResponseEvents& events) {
  Cursor c;
  c.data = data;
  int status = 0;
  BodyFields body;
  if (!status_line(c, events, &status) || !fields(c, events, &body)) return result(c);
  const std::size_t head_size = c.pos;

  // RFC 9112 §6.3: the message body length.
  const bool no_body = head_request || (status >= 100 && status < 200) || status == 204 || status == 304;
  Framing framing = Framing::kNone;
  if (no_body) {
    // (nothing to read)
  } else if (body.has_te && body.has_cl) {
    c.fail("both Transfer-Encoding and Content-Length (RFC 9112 §6.2)");
  } else if (body.has_te && iequals(body.last_coding, "chunked")) {
    framing = Framing::kChunked;
    chunked(c, events);
  } else if (body.has_cl) {
    framing = Framing::kContentLength;
    std::uint64_t n = 0;
    for (char ch : body.content_length) n = n * 10 + static_cast<std::uint64_t>(ch - '0');
    if (data.size() - c.pos < n) {
      c.need_more();
    } else {
      events.body(data.substr(c.pos, n));
      c.pos += n;
    }
  } else {
    framing = Framing::kClose;  // any other final coding, or no framing field: until close
    if (!eof) {
      c.need_more();
    } else {
      events.body(data.substr(c.pos));
      c.pos = data.size();
    }
  }
  ResponseRead out = result(c);
  out.head_size = head_size;
  out.framing = framing;
  return out;
}

std::string Response::header(std::string_view name) const {
  for (const Field& f : headers) {
    if (iequals(f.name, name)) return f.value;
  }
  return {};
}

std::size_t Response::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const Field& f) { return iequals(f.name, name); }));
}

bool Response::connection_close() const {
  for (const Field& f : headers) {
    if (iequals(f.name, "Connection") && has_token(f.value, "close")) return true;
  }
  return false;
}

ResponseParse parse_response(std::string_view data, bool head_request, bool eof) {
  ResponseParse out;
  OwnedResponse events(&out.response);
  const ResponseRead r = read_response(data, head_request, eof, events);
  out.status = r.status;
  out.response.framing = r.framing;
  if (r.status == ResponseRead::Status::kComplete) out.consumed = r.consumed;
  if (r.status == ResponseRead::Status::kError) {
    out.error = std::string(r.error) + " at offset " + std::to_string(r.error_offset);
  }
  if (r.status != ResponseRead::Status::kComplete) out.response = Response();
  return out;
}

}  // namespace shockwave::conformance::live
