#ifndef SHOCKWAVE_FUZZ_LLHTTP_RESPONSE_DIFFERENCES_H_
#define SHOCKWAVE_FUZZ_LLHTTP_RESPONSE_DIFFERENCES_H_

// The reviewed list of known differences between our strict ResponseParser
// (the "shockwave" response adapter) and llhttp 8.1 in HTTP_RESPONSE mode
// (the "llhttp" response adapter, conformance/adapters/llhttp_adapter.h),
// each with the RFC reason ours is right. differential_llhttp_response_fuzzer
// aborts on any disagreement classify_response() does not explain.
//
// Classification happens at the first point the two outcomes diverge, as
// for requests (llhttp_differences.h):
//  - one side rejects there and the other does not: the rejecting side's
//    reason names the rule the other side does not check;
//  - both reject there: the reasons are each parser's own words (both are
//    502 to a gateway's client);
//  - both accept a response but it differs: a named normalisation must
//    explain every differing field.

#include <span>
#include <string>
#include <string_view>

#include "conformance/model.h"
#include "fuzz/llhttp_differences.h"

namespace shockwave::fuzz {

// classify_response returns the difference that explains ours != theirs on
// `input` (responses answering `requests`, conformance/adapter.h), or
// nullptr.
const Difference* classify_response(std::string_view input, std::span<const std::string> requests,
                                    const conformance::ParseOutcome& ours, const conformance::ParseOutcome& theirs);

// response_differences lists every entry (for review and the report).
std::span<const Difference> response_differences();

}  // namespace shockwave::fuzz

#endif  // SHOCKWAVE_FUZZ_LLHTTP_RESPONSE_DIFFERENCES_H_
