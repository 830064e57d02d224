#ifndef SHOCKWAVE_SERVER_HTTP1_SCAN_H_
#define SHOCKWAVE_SERVER_HTTP1_SCAN_H_

// The hot loop of the parser: finding where a line ends is finding its first
// control character, which also proves the bytes before it are allowed in a
// field value (RFC 9110 §5.5: VCHAR, SP, HTAB, obs-text).

namespace shockwave::http1 {

// find_control returns the first byte in [p, end) that is below 0x20 (HTAB,
// CR and LF included) or is DEL, or `end` if there is none. Never reads
// outside [p, end). Uses AVX2 or SSE4.2 when the CPU has them (chosen at run
// time), scalar code otherwise.
const char* find_control(const char* p, const char* end) noexcept;

// find_control_scalar is the portable reference the SIMD versions must match.
const char* find_control_scalar(const char* p, const char* end) noexcept;

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_SCAN_H_
