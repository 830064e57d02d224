#include "conformance/adapters/picohttpparser_adapter.h"

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "testing/strings.h"

// picohttpparser's C API, as libh2o.so.0.13 exports it (checked with
// `nm -D`: phr_parse_request, phr_parse_headers, phr_decode_chunked). No
// Debian package ships picohttpparser.h, so the prototypes are declared here;
// they are the library's stable interface.
extern "C" {
struct phr_header {
  const char* name;
  size_t name_len;
  const char* value;
  size_t value_len;
};

// Returns the length of the request head, -1 on a parse error, -2 when the
// head is incomplete. *num_headers is the capacity on entry, the count on return.
int phr_parse_request(const char* buf, size_t len, const char** method, size_t* method_len, const char** path,
                      size_t* path_len, int* minor_version, struct phr_header* headers, size_t* num_headers,
                      size_t last_len);

// The same for a response head: *status is its status code, msg its reason.
int phr_parse_response(const char* buf, size_t len, int* minor_version, int* status, const char** msg, size_t* msg_len,
                       struct phr_header* headers, size_t* num_headers, size_t last_len);

// Parses a header section (up to and including its empty line); same returns.
int phr_parse_headers(const char* buf, size_t len, struct phr_header* headers, size_t* num_headers, size_t last_len);

struct phr_chunked_decoder {
  size_t bytes_left_in_chunk;
  char consume_trailer;
  char _hex_count;
  char _state;
};

// Decodes chunked data in place: on return *bufsz is the decoded length.
// Returns the number of undecoded octets left after the last chunk (moved to
// buf + *bufsz) once the body is complete, -1 on error, -2 when incomplete.
ssize_t phr_decode_chunked(struct phr_chunked_decoder* decoder, char* buf, size_t* bufsz);
}

namespace shockwave::conformance {
namespace {

constexpr std::size_t kMaxFields = 100;       // H2O_MAX_HEADERS
constexpr std::size_t kMaxLengthDigits = 18;  // fits in size_t with room

using ::shockwave::testing::has_token;
using ::shockwave::testing::iequals;
using ::shockwave::testing::last_token;
using ::shockwave::testing::trim;

// copy_fields copies phr_* fields into the model; false on a continuation
// line (H2O rejects obs-fold, and so does this caller).
bool copy_fields(const phr_header* fields, std::size_t n, std::vector<Field>* out) {
  for (std::size_t i = 0; i < n; ++i) {
    if (fields[i].name_len == 0) return false;
    out->emplace_back(std::string(fields[i].name, fields[i].name_len),
                      std::string(trim(std::string_view(fields[i].value, fields[i].value_len))));
  }
  return true;
}

using Step = ParseStep;

// Side: what differs between parsing requests and responses.
struct Side {
  bool response;
  int error_status;  // 400 for a request, 502 for a response (adapter.h)
};
constexpr Side kRequests{false, 400};
constexpr Side kResponses{true, 502};

Step reject(const Side& side, ParseOutcome* out, std::string reason) {
  out->error = Error{side.error_status, std::move(reason)};
  return Step::kError;
}

// chunked_body decodes a chunked body and its trailer section from `rest`
// (which starts at bytes offset `start`).
Step chunked_body(const Side& side, std::string_view rest, std::size_t start, Message* m, std::size_t* end,
                  ParseOutcome* out) {
  // phr_decode_chunked works in place: give it a copy.
  std::string buf(rest);
  phr_chunked_decoder decoder{};
  decoder.consume_trailer = 0;  // the trailer section is parsed below
  std::size_t size = buf.size();
  ssize_t left = phr_decode_chunked(&decoder, buf.data(), &size);
  if (left == -2) return Step::kIncomplete;
  if (left < 0) return reject(side, out, "phr_decode_chunked: malformed chunked body");
  m->body.assign(buf.data(), size);

  // The undecoded octets, starting with the trailer section, are at buf + size.
  std::array<phr_header, kMaxFields> fields{};
  std::size_t num_fields = fields.size();
  int trailer_len = phr_parse_headers(buf.data() + size, static_cast<std::size_t>(left), fields.data(), &num_fields, 0);
  if (trailer_len == -2) return Step::kIncomplete;
  if (trailer_len < 0) return reject(side, out, "phr_parse_headers: malformed trailer section");
  if (!copy_fields(fields.data(), num_fields, &m->trailers)) {
    return reject(side, out, "line folding of header fields is not supported");
  }
  *end = start + (rest.size() - static_cast<std::size_t>(left)) + static_cast<std::size_t>(trailer_len);
  return Step::kMessage;
}

// body frames the body of the message whose head `m` ends at bytes offset
// `body_start`, by the caller's rules (see the header comment), and sets its
// keep_alive; `has_body` is false when the message has none whatever its
// fields say (RFC 9112 §6.3 items 1-2, decided by the caller).
Step body(const Side& side, std::string_view bytes, std::size_t body_start, int minor, bool has_body, Message* m,
          std::size_t* end, ParseOutcome* out) {
  int content_lengths = 0;
  std::string_view content_length;
  std::string transfer_encoding;
  bool has_te = false, close = false, keep_alive_token = false;
  for (const Field& f : m->headers) {
    if (iequals(f.first, "content-length")) {
      ++content_lengths;
      content_length = f.second;
    } else if (iequals(f.first, "transfer-encoding")) {
      if (has_te) transfer_encoding += ',';
      transfer_encoding += f.second;
      has_te = true;
    } else if (iequals(f.first, "connection")) {
      close = close || has_token(f.second, "close");
      keep_alive_token = keep_alive_token || has_token(f.second, "keep-alive");
    }
  }
  m->keep_alive = minor == 0 ? keep_alive_token && !close : !close;
  *end = body_start;
  if (!has_body) return Step::kMessage;
  if (content_lengths > 1 || (content_lengths == 1 && has_te)) {
    return reject(side, out, side.response ? "conflicting framing header fields" : "request entity header already set");
  }

  std::string_view rest = bytes.substr(body_start);
  // Responses only: a body delimited by close ends with the input (the
  // server closed the connection there: RFC 9112 §6.3 item 8).
  auto until_close = [&] {
    m->body.assign(rest);
    m->keep_alive = false;
    *end = bytes.size();
    return Step::kMessage;
  };
  if (has_te) {
    if (iequals(last_token(transfer_encoding), "chunked")) return chunked_body(side, rest, body_start, m, end, out);
    // RFC 9112 §6.3 item 4: a response is read until close, a request is 400.
    if (side.response) return until_close();
    return reject(side, out, "unexpected type of transfer-encoding");
  }
  if (content_lengths == 1) {
    if (content_length.empty() || content_length.size() > kMaxLengthDigits) {
      return reject(side, out, "invalid content-length");
    }
    std::size_t n = 0;
    for (char c : content_length) {
      if (c < '0' || c > '9') return reject(side, out, "invalid content-length");
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    if (rest.size() < n) return Step::kIncomplete;
    m->body.assign(rest.substr(0, n));
    *end = body_start + n;
    return Step::kMessage;
  }
  // RFC 9112 §6.3 items 7-8: no body for a request, until close for a response.
  return side.response ? until_close() : Step::kMessage;
}

// parse_request parses the request starting at bytes[offset] into *m and
// its end offset into *end.
Step parse_request(std::string_view bytes, std::size_t offset, Message* m, std::size_t* end, ParseOutcome* out) {
  std::array<phr_header, kMaxFields> fields{};
  std::size_t num_fields = fields.size();
  const char* method = nullptr;
  const char* path = nullptr;
  std::size_t method_len = 0, path_len = 0;
  int minor = -1;
  int head = phr_parse_request(bytes.data() + offset, bytes.size() - offset, &method, &method_len, &path, &path_len,
                               &minor, fields.data(), &num_fields, 0);
  if (head == -2) return Step::kIncomplete;
  if (head < 0) return reject(kRequests, out, "phr_parse_request: malformed request head");

  m->method.assign(method, method_len);
  m->target.assign(path, path_len);
  // As H2O does (0x100 | (minor_version != 0)): HTTP/1.1 for any 1.x, x > 0.
  m->version = minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  if (!copy_fields(fields.data(), num_fields, &m->headers)) {
    return reject(kRequests, out, "line folding of header fields is not supported");
  }
  return body(kRequests, bytes, offset + static_cast<std::size_t>(head), minor, true, m, end, out);
}

// parse_response parses the response starting at bytes[offset], which
// answers a `method` request, into *m and its end offset into *end; *tunnel
// says the connection leaves HTTP/1.1 after it.
Step parse_response(std::string_view bytes, std::size_t offset, std::string_view method, Message* m, std::size_t* end,
                    bool* tunnel, ParseOutcome* out) {
  std::array<phr_header, kMaxFields> fields{};
  std::size_t num_fields = fields.size();
  const char* reason = nullptr;
  std::size_t reason_len = 0;
  int minor = -1, status = 0;
  int head = phr_parse_response(bytes.data() + offset, bytes.size() - offset, &minor, &status, &reason, &reason_len,
                                fields.data(), &num_fields, 0);
  if (head == -2) return Step::kIncomplete;
  if (head < 0) return reject(kResponses, out, "phr_parse_response: malformed response head");
  if (status < 100 || status > 599) return reject(kResponses, out, "status code out of range");

  m->status = status;
  m->reason.assign(reason, reason_len);
  m->version = minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
  if (!copy_fields(fields.data(), num_fields, &m->headers)) {
    return reject(kResponses, out, "line folding of header fields is not supported");
  }
  // RFC 9112 §6.3 item 1: no body after HEAD, for 1xx, 204, 304; item 2: a
  // 2xx to CONNECT is a tunnel; RFC 9110 §15.2.2: so is a 101.
  const bool connect_ok = method == "CONNECT" && status / 100 == 2;
  *tunnel = status == 101 || connect_ok;
  const bool has_body = !(method == "HEAD" || status / 100 == 1 || status == 204 || status == 304 || connect_ok);
  Step step = body(kResponses, bytes, offset + static_cast<std::size_t>(head), minor, has_body, m, end, out);
  if (*tunnel) m->keep_alive = false;
  return step;
}

class PicoHttpParserAdapter final : public ParserAdapter {
 public:
  std::string_view name() const override { return "picohttpparser"; }

  ParseOutcome parse(std::string_view bytes) override {
    ParseOutcome out;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
      Message m;
      std::size_t end = 0;
      switch (parse_request(bytes, offset, &m, &end, &out)) {
        case Step::kMessage:
          out.messages.push_back(std::move(m));
          offset = end;
          out.consumed = offset;
          // RFC 9112 §9.6: no further requests are processed after "close".
          if (!out.messages.back().keep_alive) return out;
          break;
        case Step::kIncomplete:
          out.incomplete = true;
          return out;
        case Step::kError:
          return out;
      }
    }
    return out;
  }
};

class PicoHttpParserResponseAdapter final : public ResponseAdapter {
 public:
  std::string_view name() const override { return "picohttpparser"; }

  ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) override {
    return each_response(
        bytes, requests,
        [bytes](std::size_t offset, std::string_view method, Message* m, std::size_t* next, ParseOutcome* out) {
          bool tunnel = false;
          return parse_response(bytes, offset, method, m, next, &tunnel, out);
        });
  }
};

}  // namespace

std::unique_ptr<ParserAdapter> make_picohttpparser_adapter() { return std::make_unique<PicoHttpParserAdapter>(); }

std::unique_ptr<ResponseAdapter> make_picohttpparser_response_adapter() {
  return std::make_unique<PicoHttpParserResponseAdapter>();
}

}  // namespace shockwave::conformance
