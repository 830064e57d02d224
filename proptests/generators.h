#ifndef SHOCKWAVE_PROPTESTS_GENERATORS_H_
#define SHOCKWAVE_PROPTESTS_GENERATORS_H_

// generators: RapidCheck generators of HTTP/1.1 requests, the one place the
// property tests, the fuzzers' corpus seeding and the benchmarks get them
// from (outside a property: sample_requests).
//
//   GenRequest r = *gen_request();            // inside a property
//   std::string bytes = serialize(r);          // what a client sends
//   conformance::Message m = expected_message(r);  // what a parser must report
//
//   Mutant m = *gen_mutant();                  // one RFC rule broken
//   // m.bytes must be rejected with m.status (m.rule names the rule)
//
// A GenRequest is valid RFC 9112 by construction: token method; target in
// origin, absolute (http://host/path), authority (CONNECT) or asterisk
// (OPTIONS) form; Host; 0..N fields with token names and values of VCHAR /
// obs-text with inner SP/HTAB (and optional OWS around them on the wire);
// a body by Content-Length or chunked (HTTP/1.1 only) with chunk extensions
// and trailer fields; keep-alive or close; HTTP/1.0 or 1.1.

#include <rapidcheck.h>

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/model.h"

namespace shockwave::proptests {

enum class Framing : std::uint8_t { kNone, kContentLength, kChunked };

struct Chunk {
  std::string data;        // never empty (an empty chunk is the last-chunk)
  std::string size_text;   // the chunk-size as sent: hex, any case, leading zeros
  std::string extensions;  // as sent, e.g. ";a=b;c=\"q d\""
};

struct GenField {
  std::string name;
  std::string value;       // no leading/trailing SP/HTAB
  std::string before_ows;  // OWS sent between ':' and the value
  std::string after_ows;   // OWS sent after the value
};

struct GenRequest {
  std::string method;
  std::string target;
  int version_minor = 1;  // HTTP/1.<minor>
  // Every field line in order, Host / Connection / Content-Length /
  // Transfer-Encoding included.
  std::vector<GenField> fields;
  Framing framing = Framing::kNone;
  std::vector<Chunk> chunks;          // kChunked
  std::string last_chunk_extensions;  // kChunked
  std::vector<GenField> trailers;     // kChunked
  std::string body;                   // decoded body (kContentLength, kChunked)
  bool keep_alive = true;
};

// What to generate. The defaults cover the whole space above.
struct RequestSpace {
  // Methods llhttp knows (it rejects other tokens) and no CONNECT (llhttp
  // hands the connection over after it): for agreement with llhttp.
  bool llhttp_compatible = false;
  // Only requests after which the connection stays open: keep-alive, and
  // no CONNECT (the server answers it 501 and closes).
  bool persistent = false;
  std::size_t max_extra_fields = 12;
  std::size_t max_body = 300;
  std::size_t max_chunks = 5;
  std::size_t max_trailers = 3;
};

rc::Gen<GenRequest> gen_request(RequestSpace space = {});

// sample_requests: n requests from gen_request(space), deterministic in
// `seed` (the same n, seed and space give the same requests on every run),
// for use outside a property: fuzz corpus seeds, benchmark inputs.
// `size` is RapidCheck's size parameter (0..100).
std::vector<GenRequest> sample_requests(std::size_t n, std::uint64_t seed, RequestSpace space = {}, int size = 50);

// gen_string_of_bytes: any octets, min_len..max_len of them.
rc::Gen<std::string> gen_string_of_bytes(std::size_t min_len, std::size_t max_len);

// gen_token: RFC 9110 §5.6.2 token, 1..max_len tchars.
rc::Gen<std::string> gen_token(std::size_t max_len = 12);

// gen_field: a field line with a token name that has no framing or
// connection meaning (not Host, Content-Length, Connection, Expect, ...), a
// value of 0..max_value VCHAR / obs-text with SP/HTAB only inside, and OWS.
rc::Gen<GenField> gen_field(std::size_t max_value = 24);

// serialize: the request's bytes on the wire.
std::string serialize(const GenRequest& request);

// expected_message: what a conforming parser reports for serialize(request)
// in the canonical model.
conformance::Message expected_message(const GenRequest& request);

// A request with one RFC rule broken, and the status that rule names.
struct Mutant {
  std::string rule;  // e.g. "bare LF ends a field line (RFC 9112 §2.2)"
  std::string bytes;
  int status = 400;
  // The smuggling class of docs/requirements.md the broken rule belongs
  // to, e.g. "CL.TE"; "" if none.
  std::string smuggling;
  // The request-line's method, or "" when the mutation breaks the
  // request-line: what the server knows of the request it rejects (its
  // answer to HEAD has no content).
  std::string method;
};

// gen_mutant: a generated valid request (from `space`) with one
// single-rule mutation.
rc::Gen<Mutant> gen_mutant(RequestSpace space = {});

// sample_mutants: n of gen_mutant(), deterministic in `seed`, as
// sample_requests.
std::vector<Mutant> sample_mutants(std::size_t n, std::uint64_t seed, int size = 50, RequestSpace space = {});

// gen_split_points: sorted, distinct cut offsets in (0, size).
rc::Gen<std::vector<std::size_t>> gen_split_points(std::size_t size);

// RapidCheck prints counterexamples through these.
void showValue(const GenRequest& request, std::ostream& os);
void showValue(const Mutant& mutant, std::ostream& os);

}  // namespace shockwave::proptests

#endif  // SHOCKWAVE_PROPTESTS_GENERATORS_H_
