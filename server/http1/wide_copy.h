#ifndef SHOCKWAVE_SERVER_HTTP1_WIDE_COPY_H_
#define SHOCKWAVE_SERVER_HTTP1_WIDE_COPY_H_

// wide_copy: `to = from` for the parsers' per-message state, in 16-byte
// loads and stores. A plain assignment from a mostly zero constant compiles
// (GCC 12, -O2) to `rep stosq`, whose start-up alone cost more than the
// request-line: perf annotate put 57 % of the benchmark runner's own samples
// on that one instruction.

#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace shockwave::http1 {

namespace detail {
#if defined(__SSE2__)
// One 16-byte load and store per index, unrolled at compile time: no loop
// for the compiler to turn back into a string instruction.
template <std::size_t... i>
[[gnu::always_inline]] inline void copy16s(char* to, const char* from, std::index_sequence<i...>) noexcept {
  (_mm_storeu_si128(reinterpret_cast<__m128i*>(to + 16 * i),
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + 16 * i))),
   ...);
}
#endif

// A class derived from T (the parsers derive from their state) may keep its
// own members in T's tail padding (the Itanium C++ ABI allows it), where a
// copy of sizeof(T) bytes would overwrite them. If even one char derived
// from T lies past sizeof(T), T has no such padding.
template <class T>
struct TailProbe : T {
  char c;
};
}  // namespace detail

template <class T>
[[gnu::always_inline]] inline void wide_copy(T& to, const T& from) noexcept {
  static_assert(std::is_trivially_copyable_v<T>);
  static_assert(sizeof(detail::TailProbe<T>) > sizeof(T), "T's tail padding could hold a derived class's members");
#if defined(__SSE2__)
  static_assert(sizeof(T) % 8 == 0);
  auto* const dst = reinterpret_cast<char*>(&to);
  const auto* const src = reinterpret_cast<const char*>(&from);
  detail::copy16s(dst, src, std::make_index_sequence<sizeof(T) / 16>());
  if constexpr (sizeof(T) % 16 != 0) std::memcpy(dst + sizeof(T) - 8, src + sizeof(T) - 8, 8);
#else
  std::memcpy(&to, &from, sizeof(T));
#endif
}

}  // namespace shockwave::http1

#endif  // SHOCKWAVE_SERVER_HTTP1_WIDE_COPY_H_
