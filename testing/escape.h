#ifndef SHOCKWAVE_TESTING_ESCAPE_H_
#define SHOCKWAVE_TESTING_ESCAPE_H_

// escape: bytes rendered C-style for failure messages and property
// counterexamples, so that CR, LF, controls and non-ASCII octets are visible.

#include <cstddef>
#include <string>
#include <string_view>

namespace shockwave::testing {

// escape renders `bytes` C-style: \r \n \t \\ \" and \xNN for every other
// control and every octet >= 0x7f; printable ASCII stays. Only the first
// `max_bytes` are rendered, followed by "..." when there are more.
std::string escape(std::string_view bytes, std::size_t max_bytes = std::string_view::npos);

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_ESCAPE_H_
