#ifndef SHOCKWAVE_SERVER_HTTP1_PARSE_STATUS_H_
#define SHOCKWAVE_SERVER_HTTP1_PARSE_STATUS_H_

#include <cstdint>

namespace shockwave::http1 {

// kIncomplete: give the same buffer again once more bytes have arrived.
enum class ParseStatus : std::uint8_t { kIncomplete, kComplete, kError };

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_PARSE_STATUS_H_
