#ifndef SHOCKWAVE_SERVER_HTTP1_TESTING_CASES_H_
#define SHOCKWAVE_SERVER_HTTP1_TESTING_CASES_H_

// What the parsers' case tests (request_parser_cases_test,
// response_parser_cases_test) share: naming a case, explaining a verdict,
// and reading a case's `error:` back as an http1::Error.

#include <optional>
#include <string>
#include <string_view>

#include "conformance/case.h"
#include "conformance/model.h"
#include "server/http1/error.h"

namespace shockwave::http1::testing {

// CaseWhere names a case by file:line (from conformance/, not the runfiles
// tree) and id.
std::string CaseWhere(const conformance::Case& c);

// CaseExplain is a failure message: the case, what it wants, the verdict's
// reason and what the parser made of it (`error`: the parser's own code).
std::string CaseExplain(const conformance::Case& c, const conformance::ParseOutcome& got, Error error,
                        const std::string& why);

// ErrorNamed returns the http1::Error whose error_name is `name`.
std::optional<Error> ErrorNamed(std::string_view name);

}  // namespace shockwave::http1::testing

#endif  // SHOCKWAVE_SERVER_HTTP1_TESTING_CASES_H_
