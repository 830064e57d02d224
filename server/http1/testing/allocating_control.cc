// allocating_control: the negative control of no_allocator_symbols_test. It
// references every allocator symbol the test looks for, so the test can prove
// that its nm pipeline really finds such references. Never linked into
// anything but that test's data.

#include <cstdlib>
#include <cstring>
#include <new>

namespace shockwave::http1::testing {

void* control_malloc(std::size_t n) { return std::malloc(n); }
void* control_calloc(std::size_t n) { return std::calloc(n, 1); }
void* control_realloc(void* p, std::size_t n) { return std::realloc(p, n); }
void* control_aligned_alloc(std::size_t n) { return std::aligned_alloc(64, n); }
int control_posix_memalign(void** p, std::size_t n) { return posix_memalign(p, 64, n); }
char* control_strdup(const char* s) { return strdup(s); }
char* control_strndup(const char* s, std::size_t n) { return strndup(s, n); }
void control_free(void* p) { std::free(p); }

int* control_new() { return new int(1); }
int* control_new_array(std::size_t n) { return new int[n]; }
int* control_new_nothrow() { return new (std::nothrow) int(2); }
int* control_new_array_nothrow(std::size_t n) { return new (std::nothrow) int[n]; }

struct alignas(64) Wide {
  char bytes[64];
};
Wide* control_new_aligned() { return new Wide(); }
Wide* control_new_array_aligned(std::size_t n) { return new Wide[n]; }
Wide* control_new_aligned_nothrow() { return new (std::nothrow) Wide(); }

void control_delete(int* p) { delete p; }
void control_delete_array(int* p) { delete[] p; }

}  // namespace shockwave::http1::testing
