#ifndef SHOCKWAVE_CONFORMANCE_MODEL_H_
#define SHOCKWAVE_CONFORMANCE_MODEL_H_

// The one canonical message model (design invariant 5, docs/invariants.md): what a parser made of
// a run of bytes. The conformance runner, fuzzers, property tests, benchmarks
// and the `parse` CLI all compare parsers through it, and its JSON form is the
// exchange format with external parsers.
//
// Strings hold octets, not text: a field value may contain obs-text (0x80-0xFF)
// and a target whatever a lenient parser let through. This is test tooling,
// off the request path, so it owns its strings.
//
// JSON form (to_json writes exactly this shape, keys in this order):
//   {"ok": false, "error": {"status": 400, "reason": "..."},
//    "messages": [{"method": "GET", "target": "/", "version": "HTTP/1.1",
//                  "headers": [["Host", "a"]], "trailers": [],
//                  "body_b64": "", "keep_alive": true}],
//    "incomplete": false, "consumed": 27}
// A response message has "status" (an integer, 100-599) and "reason" in
// place of "method" and "target", in that order:
//    {"status": 200, "reason": "OK", "version": "HTTP/1.1", ...}
// A message object has exactly one of the two shapes, and the messages of
// one outcome are all requests or all responses.
// Each octet 0x00-0xFF of a string is the code point U+0000-U+00FF (so octets
// >= 0x80 are 2-byte UTF-8, controls are \u00XX); the body is base64.

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shockwave::conformance {

// One field line as the parser reports it: name as sent, value without
// leading/trailing whitespace. Repeated fields stay separate entries.
using Field = std::pair<std::string, std::string>;

// A request (method, target; status 0) or a response (status, reason; no
// method or target): is_response() tells which.
struct Message {
  std::string method;
  std::string target;
  int status = 0;       // responses: 100-599 (RFC 9110 §15)
  std::string reason;   // responses: the reason-phrase as sent (RFC 9112 §4)
  std::string version;  // "HTTP/1.1": the version as the parser handles it
  std::vector<Field> headers;
  std::vector<Field> trailers;  // fields after a chunked body
  std::string body;             // decoded (chunked framing removed)
  bool keep_alive = true;       // the connection may carry another request (response)

  bool is_response() const { return status != 0; }
  bool operator==(const Message&) const = default;
};

// Why the parser rejected the input: the HTTP status a server would answer
// with, and the parser's own reason text (informative; compare statuses).
struct Error {
  int status = 400;
  std::string reason;

  bool operator==(const Error&) const = default;
};

struct ParseOutcome {
  std::optional<Error> error;
  // Complete messages in input order; on an error, those before it.
  std::vector<Message> messages;
  // The input ended inside a message (never set together with error).
  bool incomplete = false;
  // Input bytes belonging to the complete messages in `messages`.
  std::size_t consumed = 0;

  bool ok() const { return !error.has_value(); }
  bool operator==(const ParseOutcome&) const = default;
};

// to_json renders the outcome as one JSON object (no trailing newline).
std::string to_json(const ParseOutcome& outcome);

// from_json reads what to_json writes, as any conforming JSON writer could
// produce it (any key order, any JSON whitespace, any valid escape). It is
// strict about the schema: unknown, missing or duplicate keys, wrong types,
// code points above U+00FF, bad base64, or an `ok` that contradicts `error`
// are errors. On failure it returns nullopt and, if `why` is given, stores a
// message that names the offending place.
std::optional<ParseOutcome> from_json(std::string_view json, std::string* why = nullptr);

// message_to_json / message_from_json: one message alone, in the shape of
// an element of "messages" above (the echo contract of conformance/README.md:
// what a server says it parsed). The reader is as strict as from_json.
std::string message_to_json(const Message& message);
std::optional<Message> message_from_json(std::string_view json, std::string* why = nullptr);

// base64_encode / base64_decode: RFC 4648 §4 alphabet with padding. The
// decoder is strict (no whitespace, canonical padding bits) and returns
// nullopt on any deviation.
std::string base64_encode(std::string_view octets);
std::optional<std::string> base64_decode(std::string_view text);

// GoogleTest prints failing values through these (as JSON).
void PrintTo(const Message& message, std::ostream* os);
void PrintTo(const ParseOutcome& outcome, std::ostream* os);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_MODEL_H_
