#ifndef SHOCKWAVE_CONFORMANCE_ADAPTERS_PICOHTTPPARSER_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTERS_PICOHTTPPARSER_ADAPTER_H_

// picohttpparser (H2O's parser, as Debian's libh2o0.13 exports it: the
// scalar build, without SSE4.2) as a peer parser, registry name
// "picohttpparser".
//
// picohttpparser parses a request head (phr_parse_request) and decodes a
// chunked body (phr_decode_chunked); everything else is its caller's job.
// The adapter does that job the way a typical user does, modelled on H2O's
// own HTTP/1 server (lib/http1.c), and each choice is a place where results
// reflect this caller, not the library:
//  - a continuation line (obs-fold, reported as a field without a name) is
//    rejected: 400, as H2O does ("line folding ... is not supported").
//  - framing: Content-Length and Transfer-Encoding together, or more than
//    one Content-Length field, are 400 (H2O: "request entity header already
//    set"). Content-Length must be 1*DIGIT (at most 18), else 400.
//    Transfer-Encoding (all its fields, comma-joined) whose final coding is
//    "chunked" (case-insensitive) means a chunked body; codings before it
//    are not decoded. Any other final coding is 400 (RFC 9112 §6.3 rule 4).
//    Neither field: no body.
//  - chunked bodies are decoded with consume_trailer = 0, and the trailer
//    section after them is parsed with phr_parse_headers.
//  - keep-alive: HTTP/1.1 unless a Connection field has the token "close";
//    HTTP/1.0 only with the token "keep-alive" (RFC 9112 §9.3).
//  - no other checks: no Host validation, no method or target checks beyond
//    the library's own, at most 100 fields (H2O's limit; more is 400).
//  - field values are trimmed of SP/HTAB (the library keeps trailing ones).
//  - version: HTTP/1.0 for minor version 0, else HTTP/1.1 (as H2O does).
//  - list fields (Connection, Transfer-Encoding) ignore empty elements.
// Error mapping: phr_* returning -1 → 400, -2 → incomplete. The reason names
// the function that failed or the caller's check.
//
// Responses (make_picohttpparser_response_adapter, the same name): the head
// by phr_parse_response, the rest by the same caller code, with the
// response rules of RFC 9112 §6.3: no body after HEAD, for 1xx, 204 and 304
// (item 1); a 101 or a 2xx to CONNECT is a tunnel, after which nothing is
// parsed (item 2); a Transfer-Encoding whose final coding is not chunked,
// or neither field, means a body delimited by close (items 4, 8), which the
// end of the input ends; a status outside 100-599 is an error. Errors are
// 502 (adapter.h); the input ending inside a response is incomplete.

#include <memory>

#include "conformance/adapter.h"

namespace shockwave::conformance {

// make_picohttpparser_adapter returns the "picohttpparser" adapter.
std::unique_ptr<ParserAdapter> make_picohttpparser_adapter();

// make_picohttpparser_response_adapter returns its response adapter.
std::unique_ptr<ResponseAdapter> make_picohttpparser_response_adapter();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTERS_PICOHTTPPARSER_ADAPTER_H_
