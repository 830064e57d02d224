#include "server/http1/scan.h"

#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace shockwave::http1 {

namespace {
constexpr bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }
}  // namespace

const char* find_control_scalar(const char* p, const char* end) noexcept {
  for (; p < end; ++p) {
    if (is_control(static_cast<unsigned char>(*p))) return p;
  }
  return end;
}

#if defined(__x86_64__)
namespace {

// A byte b is a control when min(b, 0x1f) == b (unsigned b <= 0x1f) or b == 0x7f.
__attribute__((target("avx2"))) const char* find_control_avx2(const char* p, const char* end) noexcept {
  const __m256i c1f = _mm256_set1_epi8(0x1f);
  const __m256i del = _mm256_set1_epi8(0x7f);
  for (; end - p >= 32; p += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(v, c1f), v), _mm256_cmpeq_epi8(v, del));
    if (auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(hit))) return p + __builtin_ctz(mask);
  }
  if (end - p >= 16) {
    const __m128i c1f_16 = _mm_set1_epi8(0x1f);
    const __m128i del_16 = _mm_set1_epi8(0x7f);
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, c1f_16), v), _mm_cmpeq_epi8(v, del_16));
    if (auto mask = static_cast<std::uint32_t>(_mm_movemask_epi8(hit))) return p + __builtin_ctz(mask);
    p += 16;
  }
  return find_control_scalar(p, end);
}

__attribute__((target("sse4.2"))) const char* find_control_sse42(const char* p, const char* end) noexcept {
  // Ranges for pcmpestri: 0x00-0x1f and 0x7f-0x7f.
  const __m128i ranges = _mm_setr_epi8(0x00, 0x1f, 0x7f, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    int i = _mm_cmpestri(ranges, 4, v, 16, _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_LEAST_SIGNIFICANT);
    if (i != 16) return p + i;
  }
  return find_control_scalar(p, end);
}

}  // namespace

const char* find_control(const char* p, const char* end) noexcept {
  // __builtin_cpu_supports reads flags libgcc filled in at start-up: a load, not a CPUID.
  if (__builtin_cpu_supports("avx2")) return find_control_avx2(p, end);
  if (__builtin_cpu_supports("sse4.2")) return find_control_sse42(p, end);
  return find_control_scalar(p, end);
}

#else

const char* find_control(const char* p, const char* end) noexcept { return find_control_scalar(p, end); }

#endif

}  // namespace shockwave::http1
