#ifndef SHOCKWAVE_FUZZ_LLHTTP_DIFFERENCES_H_
#define SHOCKWAVE_FUZZ_LLHTTP_DIFFERENCES_H_

// The reviewed list of known differences between our strict parser
// ("shockwave") and llhttp 8.1 in strict mode ("llhttp"), each with its RFC
// reason. differential_llhttp_fuzzer aborts on any disagreement classify()
// does not explain. Derived from conformance/expected/llhttp*.txt (the cases
// llhttp fails) and the requirement catalogue, docs/requirements.md.
//
// The fuzzer may run llhttp with one lenient flag (a profile of
// conformance/adapters/llhttp_adapter.h). What a flag lets through is listed
// per profile and is accepted only under that profile, so each leniency's
// effect is reviewed on its own.
//
// Classification happens at the first point the two outcomes diverge:
//  - one side rejects there and the other does not (or rejects with another
//    status): the rejecting side's reason names the rule the other side does
//    not check (kOursOnly: a check llhttp lacks; kTheirsOnly: a check llhttp
//    makes that the RFC does not require, or a leniency of ours);
//  - both accept a message but it differs: a named normalisation (e.g.
//    HTTP/1.2 handled as 1.1) must explain every differing field.

#include <span>
#include <string_view>

#include "conformance/model.h"

namespace shockwave::fuzz {

struct Difference {
  std::string_view id;
  std::string_view rfc;     // the section that decides it
  std::string_view reason;  // why our behaviour is the RFC's, one line
};

// classify returns the difference that explains ours != theirs, or nullptr.
// `profile` is the llhttp profile that produced `theirs` ("llhttp" or
// "llhttp-lenient-<flag>").
const Difference* classify(std::string_view profile, std::string_view input, const conformance::ParseOutcome& ours,
                           const conformance::ParseOutcome& theirs);

// differences lists every entry (for review and the report).
std::span<const Difference> differences();

}  // namespace shockwave::fuzz

#endif  // SHOCKWAVE_FUZZ_LLHTTP_DIFFERENCES_H_
