#ifndef SHOCKWAVE_TESTING_STRINGS_H_
#define SHOCKWAVE_TESTING_STRINGS_H_

// Small string helpers the test code, the conformance tools and the fuzz
// harnesses read HTTP fields with. ASCII only, no locale, no allocation.

#include <string_view>

namespace shockwave::testing {

// iequals: `a` and `b` are equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b) noexcept;

// trim returns `s` without leading and trailing OWS (SP and HTAB, RFC 9110 §5.6.3).
std::string_view trim(std::string_view s) noexcept;

// has_token: the comma-separated list `list` has an element equal to `token`
// ignoring ASCII case, OWS around elements ignored (RFC 9110 §5.6.1).
bool has_token(std::string_view list, std::string_view token) noexcept;

// last_token returns the last non-empty element of the comma-separated list
// `list`, trimmed of OWS; empty elements are ignored (RFC 9110 §5.6.1).
std::string_view last_token(std::string_view list) noexcept;

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_STRINGS_H_
