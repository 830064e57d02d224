#include "testing/allocating_calls.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <new>

namespace shockwave::testing {
namespace {

// keep hands p back after making it visible to the outside world, so the
// compiler cannot drop an allocation that is unused.
template <typename T>
T* keep(T* p) {
  asm volatile("" : : "r"(p) : "memory");
  return p;
}

void* posix_memaligned(std::size_t alignment, std::size_t size) {
  void* p = nullptr;
  if (posix_memalign(&p, alignment, size) != 0) abort();
  return p;
}

struct alignas(128) Wide {
  char bytes[128];
};

constexpr std::align_val_t k64{64};

const AllocatingCall kCalls[] = {
    {"malloc", [] { free(keep(malloc(10))); }},
    {"calloc", [] { free(keep(calloc(3, 10))); }},
    {"realloc(null)", [] { free(keep(realloc(nullptr, 10))); }},
    {"reallocarray(null)", [] { free(keep(reallocarray(nullptr, 3, 10))); }},
    {"aligned_alloc", [] { free(keep(aligned_alloc(64, 128))); }},
    {"posix_memalign", [] { free(keep(posix_memaligned(64, 100))); }},
    {"memalign", [] { free(keep(memalign(64, 100))); }},
    {"valloc", [] { free(keep(valloc(100))); }},
    {"pvalloc", [] { free(keep(pvalloc(100))); }},
    {"strdup", [] { free(keep(strdup("abcdef"))); }},
    {"strndup", [] { free(keep(strndup("abcdef", 3))); }},
    {"new", [] { delete keep(new int(1)); }},
    {"new[]", [] { delete[] keep(new int[10]); }},
    {"new nothrow", [] { delete keep(new (std::nothrow) int(1)); }},
    {"new[] nothrow", [] { delete[] keep(new (std::nothrow) int[10]); }},
    {"new aligned", [] { delete keep(new Wide()); }},
    {"new[] aligned", [] { delete[] keep(new Wide[3]); }},
    {"new aligned nothrow", [] { delete keep(new (std::nothrow) Wide()); }},
    {"new[] aligned nothrow", [] { delete[] keep(new (std::nothrow) Wide[3]); }},
    {"operator new(0)", [] { ::operator delete(keep(::operator new(0))); }},
    {"operator new, nothrow delete", [] { ::operator delete(keep(::operator new(24)), std::nothrow); }},
    {"aligned operator new, aligned delete", [] { ::operator delete[](keep(::operator new[](256, k64)), k64); }},
#if defined(__cpp_sized_deallocation)  // Clang before 19 needs -fsized-deallocation
    {"operator new, sized delete", [] { ::operator delete(keep(::operator new(24)), 24); }},
    {"aligned operator new, sized aligned delete", [] { ::operator delete(keep(::operator new(256, k64)), 256, k64); }},
#endif
};

}  // namespace

std::span<const AllocatingCall> allocating_calls() { return kCalls; }

}  // namespace shockwave::testing
