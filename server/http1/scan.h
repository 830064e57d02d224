#ifndef SHOCKWAVE_SERVER_HTTP1_SCAN_H_
#define SHOCKWAVE_SERVER_HTTP1_SCAN_H_

// The hot loop of the parser: finding where a line ends is finding its first
// control character, which also proves the bytes before it are allowed in a
// field value (RFC 9110 §5.5: VCHAR, SP, HTAB, obs-text).

#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace shockwave::http1 {

// find_control returns the first byte in [p, end) that is below 0x20 (HTAB,
// CR and LF included) or is DEL, or `end` if there is none. Never reads
// outside [p, end). Uses AVX2 or SSE4.2 when the CPU has them (chosen at run
// time), scalar code otherwise.
const char* find_control(const char* p, const char* end) noexcept;

// find_control_scalar is the portable reference the SIMD versions must match.
const char* find_control_scalar(const char* p, const char* end) noexcept;

// find_control_inline is find_control for the parser's fast paths, where
// lines are short and a call plus a dispatch per line cost more than the
// scan: inlined, 16 bytes at a time with SSE2 (every x86-64 CPU has it, so
// no run-time dispatch), long runs handed to find_control. `begin` <= p is
// where the caller's buffer starts: near the buffer's end, the last 16 bytes
// of [begin, end) are read at once instead of byte by byte, so nothing
// outside [begin, end) is ever read.
inline const char* find_control_inline(const char* p, const char* end, const char* begin) noexcept {
#if defined(__SSE2__)
  // Bit i of the mask: byte q[i] is a control, i.e. min(b, 0x1f) == b
  // (unsigned b <= 0x1f) or b == 0x7f.
  auto control_mask = [](const char* q) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)))));
  };
  // Up to four blocks inline, then the dispatched scan for long runs.
  const char* const blocks_end = p + (end - p >= 64 ? 64 : (end - p) & ~static_cast<std::ptrdiff_t>(15));
  for (; p != blocks_end; p += 16) {
    if (const unsigned mask = control_mask(p)) return p + __builtin_ctz(mask);
  }
  if (end - p >= 16) return find_control(p, end);
  if (p < end && end - begin >= 16) {
    const char* const last16 = end - 16;
    const unsigned mask = control_mask(last16) >> (p - last16);
    return mask != 0 ? p + __builtin_ctz(mask) : end;
  }
#else
  (void)begin;
#endif
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7f) return p;
  }
  return end;
}

#if defined(__SSE2__)
// The fast paths' runs, 16 bytes at a time; p[0..16) must be readable. Both
// are exact for every byte value (scan_test compares them with the tables).

// path_run16 returns how many leading bytes of p[0..16) are in
// chars::kPathChar (16 when all are). The printable bytes outside it are
// SP " # % < > [ \ ] ^ ` { | } and DEL; the rest are controls and >= 0x80.
inline unsigned path_run16(const char* p) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto eq = [&v](int c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c))); };
  // x in [lo, lo + n] as unsigned: min(x - lo, n) == x - lo.
  auto in = [&v](int lo, int n) {
    const __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo)));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(n))), t);
  };
  __m128i bad = _mm_cmplt_epi8(v, _mm_set1_epi8(0x21));  // signed: 0x00-0x20 and 0x80-0xff
  bad = _mm_or_si128(bad, eq(0x7f));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x01)), _mm_set1_epi8(0x23)));  // " #
  bad = _mm_or_si128(bad, eq('%'));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x02)), _mm_set1_epi8(0x3e)));  // < >
  bad = _mm_or_si128(bad, in(0x5b, 3));                                                                // [ \ ] ^
  bad = _mm_or_si128(bad, eq('`'));
  bad = _mm_or_si128(bad, in(0x7b, 2));  // { | }
  const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(bad)) | 0x10000u;
  return static_cast<unsigned>(__builtin_ctz(mask));
}

// name_colon16 returns n when p[0..16) starts with n >= 1 bytes of ALPHA,
// DIGIT or "-" (a subset of tchar: what field names are made of) followed
// by ":", else 0.
inline unsigned name_colon16(const char* p) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto in = [](__m128i x, int lo, int n) {
    const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(n))), t);
  };
  const __m128i alpha = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 25);  // OR 0x20 maps only A-Z to a-z
  const __m128i digit = in(v, '0', 9);
  const __m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
  const unsigned ok = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), dash)));
  const unsigned colon = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
  if (colon == 0) return 0;
  const unsigned n = static_cast<unsigned>(__builtin_ctz(colon));
  const unsigned before = (1u << n) - 1;
  return n != 0 && (ok & before) == before ? n : 0;
}
#endif

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_SCAN_H_
