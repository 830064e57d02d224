#include "conformance/live/response_parser.h"

#include <cstdint>

namespace shockwave::conformance::live {
namespace {

using Status = ResponseParse::Status;

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

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Cursor walks `data`; every read past the end reports kIncomplete.
struct Cursor {
  std::string_view data;
  std::size_t pos = 0;
  std::string error;
  Status status = Status::kComplete;

  bool fail(std::string what) {
    if (status == Status::kComplete) {
      status = Status::kError;
      error = std::move(what) + " at offset " + std::to_string(pos);
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
    if (limit - pos > max) return fail("line longer than " + std::to_string(max) + " octets");
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
bool status_line(Cursor& c, Response* r) {
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
  r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
  if (r->status < 100) return c.fail("status code below 100");
  for (unsigned char ch : l.substr(13)) {
    if (!is_value_char(ch)) return c.fail("invalid octet in reason-phrase");
  }
  r->reason = l.substr(13);
  return true;
}

// fields parses field lines up to and including the empty line.
bool fields(Cursor& c, std::vector<Field>* out) {
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
    std::string_view value = trim_ows(l.substr(colon + 1));
    for (unsigned char ch : value) {
      if (!is_value_char(ch)) return c.fail("invalid octet in field value");
    }
    out->emplace_back(std::string(l.substr(0, colon)), std::string(value));
  }
}

// chunked decodes RFC 9112 §7.1's chunked-body.
bool chunked(Cursor& c, Response* r) {
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
    std::string_view ext = trim_ows(l.substr(i));
    if (!ext.empty() && ext[0] != ';') return c.fail("junk after chunk size");
    for (unsigned char ch : ext) {
      if (!is_value_char(ch)) return c.fail("invalid octet in chunk extension");
    }
    if (size == 0) break;
    if (c.data.size() - c.pos < size + 2) return c.need_more();
    r->body.append(c.data.substr(c.pos, size));
    c.pos += size;
    if (c.data.substr(c.pos, 2) != "\r\n") return c.fail("chunk data not followed by CRLF");
    c.pos += 2;
  }
  return fields(c, &r->trailers);
}

}  // namespace

ResponseParse parse_response(std::string_view data, bool head_request, bool eof) {
  ResponseParse out;
  Cursor c;
  c.data = data;
  Response& r = out.response;
  if (!status_line(c, &r) || !fields(c, &r.headers)) {
    out.status = c.status;
    out.error = c.error;
    return out;
  }

  // RFC 9112 §6.3: the message body length.
  bool no_body = head_request || (r.status >= 100 && r.status < 200) || r.status == 204 || r.status == 304;
  std::string transfer_encoding;
  bool has_te = false, has_cl = false;
  std::string_view content_length;
  for (const Field& f : r.headers) {
    if (iequals(f.first, "transfer-encoding")) {
      if (has_te) transfer_encoding += ',';
      transfer_encoding += f.second;
      has_te = true;
    } else if (iequals(f.first, "content-length")) {
      for (char ch : f.second) {
        if (ch < '0' || ch > '9') {
          out.status = Status::kError;
          out.error = "invalid Content-Length \"" + f.second + "\"";
          return out;
        }
      }
      if (f.second.empty() || f.second.size() > 18 || (has_cl && content_length != f.second)) {
        out.status = Status::kError;
        out.error = "invalid or conflicting Content-Length \"" + f.second + "\"";
        return out;
      }
      has_cl = true;
      content_length = f.second;
    }
  }

  bool ok = true;
  if (no_body) {
    // (nothing to read)
  } else if (has_te && has_cl) {
    out.status = Status::kError;
    out.error = "both Transfer-Encoding and Content-Length (RFC 9112 §6.2)";
    return out;
  } else if (has_te) {
    std::string_view te = transfer_encoding;
    std::size_t comma = te.rfind(',');
    if (iequals(trim_ows(comma == std::string_view::npos ? te : te.substr(comma + 1)), "chunked")) {
      ok = chunked(c, &r);
    } else if (!eof) {
      ok = c.need_more();  // until close
    } else {
      r.body.assign(data.substr(c.pos));
      c.pos = data.size();
    }
  } else if (has_cl) {
    std::uint64_t n = 0;
    for (char ch : content_length) n = n * 10 + static_cast<std::uint64_t>(ch - '0');
    if (data.size() - c.pos < n) {
      ok = c.need_more();
    } else {
      r.body.assign(data.substr(c.pos, n));
      c.pos += n;
    }
  } else if (!eof) {
    ok = c.need_more();  // until close
  } else {
    r.body.assign(data.substr(c.pos));
    c.pos = data.size();
  }
  if (!ok) {
    out.status = c.status;
    out.error = c.error;
    return out;
  }
  out.status = Status::kComplete;
  out.consumed = c.pos;
  return out;
}

}  // namespace shockwave::conformance::live
