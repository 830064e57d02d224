#ifndef SHOCKWAVE_CONFORMANCE_ADAPTERS_LLHTTP_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTERS_LLHTTP_ADAPTER_H_

// llhttp 8.1 (Node.js's parser, Debian's build) as a reference parser.
//
// Profiles, by registry name. "llhttp" is llhttp as Node ships it: the
// default (non-LLHTTP_STRICT_MODE) build with no lenient flag set. Each
// "llhttp-lenient-<flag>" adds exactly one of llhttp's leniencies, so a
// difference against "llhttp" is that flag's doing:
//   headers           no token checks on header values.
//                     Risk: CR/LF-like bytes inside values reach the app.
//   chunked_length    Transfer-Encoding together with Content-Length is
//                     accepted (chunked wins). Risk: request smuggling.
//   keep_alive        requests after "Connection: close" or a 1.0 request
//                     without keep-alive are parsed, not discarded.
//                     Risk: cache poisoning through the extra request.
//   transfer_encoding codings after "chunked" are accepted.
//                     Risk: request smuggling (framing disagrees with peers).
//   version           any HTTP/x.y digits are accepted as the version.
//                     8.1 has the flag (LENIENT_VERSION) but no setter; the
//                     adapter sets the bit directly.
//
// Mapping to the canonical model (llhttp has no status codes of its own):
//  - every error is 400, except HPE_INVALID_VERSION for a well-formed
//    HTTP/x.y whose major is not 1 → 505, and the HTTP/2 connection preface
//    (HPE_PAUSED_H2_UPGRADE) → 505, since a server using llhttp for HTTP/1.x
//    cannot serve it. llhttp has no size limits, so never 413/414/431.
//  - reason is llhttp_get_error_reason().
//  - CONNECT and Upgrade (HPE_PAUSED_UPGRADE): the request is complete and
//    parsing stops, the rest of the input belongs to another protocol.
//  - llhttp discards bytes after a request that is not keep-alive (without
//    the keep_alive leniency); they are neither consumed nor an error.
//  - header values are trimmed of SP/HTAB (llhttp keeps trailing ones).
//
// Responses (make_llhttp_response_adapter, registry name "llhttp"): the
// "llhttp" profile in HTTP_RESPONSE mode. The adapter tells llhttp what
// each final response answers the way llhttp's API has it: returning 1 from
// on_headers_complete for HEAD (no body), 2 for a 2xx to CONNECT (no body,
// then HPE_PAUSED_UPGRADE); interim 1xx responses are llhttp's own
// messages. llhttp_finish at the end of the input completes a body
// delimited by close, or says the input ended inside a response
// (incomplete). Every error is 502 (adapter.h).

#include <memory>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"

namespace shockwave::conformance {

// make_llhttp_adapter returns the adapter for profile `name` (see above), or
// nullptr if there is no such profile.
std::unique_ptr<ParserAdapter> make_llhttp_adapter(std::string_view name);

// make_llhttp_response_adapter returns the response adapter (see above).
std::unique_ptr<ResponseAdapter> make_llhttp_response_adapter();

// llhttp_profile_names lists the profiles, "llhttp" first.
std::vector<std::string_view> llhttp_profile_names();

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTERS_LLHTTP_ADAPTER_H_
