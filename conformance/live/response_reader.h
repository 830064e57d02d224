#ifndef SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_READER_H_
#define SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_READER_H_

// The judge's own HTTP/1.1 response reader, for httpconform's live-server
// and proxy-chain modes: a small, strict parser that reads what a server
// sent back, so it accepts exactly RFC 9112's grammar and nothing a lenient
// client would forgive. It is deliberately not http1::ResponseParser: the
// judge shares no code with what it judges, so a mistake in the product's
// parser cannot hide the same mistake in the product's server.
//
//   status-line = HTTP-version SP status-code SP [ reason-phrase ] CRLF  (§4)
//   field-line  = field-name ":" OWS field-value OWS CRLF               (§5)
//   no obs-fold, no bare LF, no whitespace before ':' (§5.1, §5.2, §2.2).
//
// Message body length (RFC 9112 §6.3), in order:
//  1. a response to HEAD, any 1xx, 204 and 304: no body, whatever the
//     fields say;
//  2. Transfer-Encoding with chunked as final coding: chunked (strictly
//     decoded, trailer section included); Transfer-Encoding together with
//     Content-Length is an error (a server MUST NOT send both, RFC 9112 §6.2);
//     any other final coding: until close;
//  3. Content-Length (1*DIGIT; repeated fields must agree, else error);
//  4. otherwise until the server closes the connection.
// A 101 (Switching Protocols) ends HTTP/1.1 on the connection: the caller
// stops after it.
//
// Two forms: read_response reports the parts to a ResponseEvents as views
// into the input and allocates nothing; parse_response builds an owning
// Response.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shockwave::conformance::live {

// Limits: a response beyond them is an error, not a reason to buffer more.
inline constexpr std::size_t kMaxResponseHead = 64 * 1024;

// Framing: how the body of a response is delimited (RFC 9112 §6.3).
enum class Framing { kNone, kContentLength, kChunked, kClose };

// ResponseEvents receives the parts of one response, in order, as
// read_response finds them. Views point into the parsed bytes. A read that
// ends kIncomplete or kError may have reported some parts already.
class ResponseEvents {
 public:
  virtual ~ResponseEvents() = default;
  // status_line: version ("HTTP/1.1"), status code and reason-phrase.
  virtual void status_line(std::string_view version, int status, std::string_view reason);
  // field: one header field, its value trimmed of OWS.
  virtual void field(std::string_view name, std::string_view value);
  // body: the next piece of the decoded body (chunked framing removed).
  virtual void body(std::string_view piece);
  // trailer: one field of a chunked body's trailer section.
  virtual void trailer(std::string_view name, std::string_view value);
};

// ResponseRead: what read_response found.
struct ResponseRead {
  enum class Status { kComplete, kIncomplete, kError };
  Status status = Status::kIncomplete;
  std::size_t consumed = 0;          // kComplete: octets of this response
  std::size_t head_size = 0;         // once the header section is complete: its octets, else 0
  Framing framing = Framing::kNone;  // once the header section is complete
  const char* error = nullptr;       // kError: what is wrong (static text)
  std::size_t error_offset = 0;      // kError: where
};

// read_response reads the response at the start of `data`, reporting its
// parts to `events`. `head_request`: it answers a HEAD request (no body).
// `eof`: the server closed the connection after `data`, which ends a
// close-delimited body; an incomplete response at eof stays kIncomplete (the
// caller reports it truncated). Allocates nothing.
ResponseRead read_response(std::string_view data, bool head_request, bool eof, ResponseEvents& events);

struct Field {
  std::string name;
  std::string value;
  friend bool operator==(const Field&, const Field&) = default;
};

// Response: one response, owning its parts.
struct Response {
  std::string version;  // "HTTP/1.1"
  int status = 0;
  std::string reason;
  std::vector<Field> headers;  // values trimmed of OWS
  std::vector<Field> trailers;
  std::string body;  // decoded
  Framing framing = Framing::kNone;

  // interim: a 1xx other than 101, which precedes the final response.
  bool interim() const { return status >= 100 && status < 200 && status != 101; }
  // header returns the first field with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  // count returns how many fields have this name (case-insensitive).
  std::size_t count(std::string_view name) const;
  // has: some field has this name (case-insensitive).
  bool has(std::string_view name) const { return count(name) > 0; }
  // connection_close: a Connection field lists "close".
  bool connection_close() const;
};

struct ResponseParse {
  using Status = ResponseRead::Status;
  Status status = Status::kIncomplete;
  Response response;         // kComplete
  std::size_t consumed = 0;  // kComplete: octets of this response
  std::string error;         // kError: what is wrong, and where
};

// parse_response is read_response into an owning Response.
ResponseParse parse_response(std::string_view data, bool head_request, bool eof);

}  // namespace shockwave::conformance::live

#endif  // SHOCKWAVE_CONFORMANCE_LIVE_RESPONSE_READER_H_
