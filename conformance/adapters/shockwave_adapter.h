#ifndef SHOCKWAVE_CONFORMANCE_ADAPTERS_SHOCKWAVE_ADAPTER_H_
#define SHOCKWAVE_CONFORMANCE_ADAPTERS_SHOCKWAVE_ADAPTER_H_

#include <memory>
#include <string_view>

#include "conformance/adapter.h"
#include "conformance/model.h"
#include "server/http1/options.h"
#include "server/http1/request_parser.h"
#include "server/http1/response_parser.h"

namespace shockwave::conformance {

// make_shockwave_adapter returns an adapter for Shockwave's own RequestParser
// with `options` (strict by default), reporting itself as `name`.
std::unique_ptr<ParserAdapter> make_shockwave_adapter(std::string_view name, const http1::ParserOptions& options = {});

// to_message copies the request `parser` has just completed into the
// canonical model, out of the buffer the next parse may reuse. The one
// conversion the adapter, the fuzzers and the property tests share.
Message to_message(const http1::RequestParser& parser);

// make_shockwave_response_adapter: the response adapter for Shockwave's
// ResponseParser with `options` (strict by default), named `name`. Its
// ResponseParser::finish at the end of the input decides a body delimited by
// close and a response cut short (kIncompleteResponse: incomplete).
std::unique_ptr<ResponseAdapter> make_shockwave_response_adapter(std::string_view name,
                                                                 const http1::ParserOptions& options = {});

// to_message: the response `parser` has just completed, in the model.
Message to_message(const http1::ResponseParser& parser);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_ADAPTERS_SHOCKWAVE_ADAPTER_H_
