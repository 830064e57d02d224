#include "server/http1/testing/cases.h"

#include <sstream>

#include "conformance/case_suite.h"

namespace shockwave::http1::testing {

namespace cf = ::shockwave::conformance;

std::string CaseWhere(const cf::Case& c) {
  const std::size_t at = c.file.rfind("conformance/cases/");
  return (at == std::string::npos ? c.file : c.file.substr(at)) + ":" + std::to_string(c.line) + ": " + c.id;
}

std::string CaseExplain(const cf::Case& c, const cf::ParseOutcome& got, Error error, const std::string& why) {
  std::ostringstream os;
  os << CaseWhere(c) << " (" << c.section << (c.rule.empty() ? "" : ", " + c.rule) << ")\n  why:     " << c.why
     << "\n  input:   " << cf::truncated(cf::escape(c.input)) << "\n  strict:  " << cf::to_string(c.strict)
     << (c.error.empty() ? "" : " (error: " + c.error + ")") << "\n  verdict: " << why
     << "\n  outcome: " << cf::truncated(cf::to_json(got)) << " (" << error_name(error) << ")";
  return os.str();
}

std::optional<Error> ErrorNamed(std::string_view name) {
#define SHOCKWAVE_CASES_ERROR(e, status, reason) \
  if (error_name(Error::e) == name) return Error::e;
  SHOCKWAVE_HTTP1_ERRORS(SHOCKWAVE_CASES_ERROR)
#undef SHOCKWAVE_CASES_ERROR
  return std::nullopt;
}

}  // namespace shockwave::http1::testing
