#ifndef SHOCKWAVE_CONFORMANCE_ADAPTERS_BEAST_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTERS_BEAST_ADAPTER_H_

// Boost.Beast's HTTP response parser (Debian's libboost-dev, header-only) as
// a peer response parser, registry name "beast": one
// boost::beast::http::response_parser<string_body> per response, with
// Beast's default limits (8 KiB head, 8 MiB body), as a Beast client reads.
//
// What the adapter does that Beast leaves to its caller:
//  - what a response answers: skip(true) for a response to HEAD and for a
//    2xx to CONNECT (no body, RFC 9112 §6.3 items 1-2). skip must be set
//    before the head is parsed, so for a CONNECT the status is first read
//    by a header-only response_parser<empty_body> over the same bytes.
//  - a 101 or a 2xx to CONNECT ends HTTP/1.1 on the connection: keep_alive
//    false, nothing after it parsed (adapter.h).
//  - the end of the input is put_eof(): it completes a body delimited by
//    close; error::partial_message there is incomplete.
//  - trailers: Beast adds trailer fields to the same field list as the
//    header fields; those after the head was complete are the trailers.
//  - version: HTTP/x.y from Beast's version() (10 * x + y).
// Every error is 502 with Beast's error message as the reason (adapter.h).

#include <memory>

#include "conformance/adapter.h"

namespace shockwave::conformance {

// make_beast_response_adapter returns the "beast" response adapter.
std::unique_ptr<ResponseAdapter> make_beast_response_adapter();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTERS_BEAST_ADAPTER_H_
