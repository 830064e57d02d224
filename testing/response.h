#ifndef SHOCKWAVE_TESTING_RESPONSE_H_
#define SHOCKWAVE_TESTING_RESPONSE_H_

// Responses as the tests look at them: parsed by the product's own strict
// parser (http1::ResponseParser, RFC 9112 §4-§8) and copied into owning
// strings. parse_response reads one response at the start of some bytes;
// the allocation-free test client (client.h) drives the parser itself.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "server/http1/options.h"
#include "server/http1/request.h"

namespace shockwave::testing {

// Framing: how the body of a response is delimited (RFC 9112 §6.3).
using Framing = http1::BodyFraming;

// response_options: the parser's limits for what test servers send: heads
// up to 64 KiB, bodies up to 1 GiB; strict otherwise.
http1::ParserOptions response_options();

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
  enum class Status { kComplete, kIncomplete, kError };
  Status status = Status::kIncomplete;
  Response response;         // kComplete
  std::size_t consumed = 0;  // kComplete: octets of this response
  std::string error;         // kError: what is wrong
};

// parse_response reads the response at the start of `data`.
// `head_request`: it answers a HEAD request (no body). `eof`: the server
// closed the connection after `data`, which ends a close-delimited body;
// a response cut short stays kIncomplete (the caller reports it truncated).
ResponseParse parse_response(std::string_view data, bool head_request, bool eof);

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_RESPONSE_H_
