#include "testing/alloc_counter.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstring>
#include <new>

// Sanitizers that own malloc: counting goes through their hooks instead of
// replacing the allocator (see the header).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SHOCKWAVE_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(hwaddress_sanitizer)
#define SHOCKWAVE_SANITIZER_ALLOCATOR 1
#endif
#endif

#if SHOCKWAVE_SANITIZER_ALLOCATOR
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
extern "C" void __sanitizer_print_stack_trace();
#else
#include <execinfo.h>

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void* __libc_valloc(std::size_t size);
void* __libc_pvalloc(std::size_t size);
}
#endif

namespace {

constinit std::atomic<std::uint64_t> g_allocations{0};
constinit std::atomic<std::uint64_t> g_frees{0};
constinit std::atomic<std::uint64_t> g_bytes{0};
constinit std::atomic<int> g_live_scopes{0};
constinit bool g_trace = false;

// initial-exec: reaching these must never itself allocate (a lazily
// allocated TLS block would recurse into malloc).
#define SHOCKWAVE_TLS thread_local __attribute__((tls_model("initial-exec")))
constinit SHOCKWAVE_TLS std::uint64_t t_allocations = 0;
constinit SHOCKWAVE_TLS std::uint64_t t_frees = 0;
constinit SHOCKWAVE_TLS std::uint64_t t_bytes = 0;
constinit SHOCKWAVE_TLS bool t_tracing = false;

void write_all(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(STDERR_FILENO, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

void write_number(std::uint64_t value) {
  char digits[24];
  std::size_t i = sizeof digits;
  do {
    digits[--i] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  write_all(digits + i, sizeof digits - i);
}

void print_stack(std::uint64_t size) {
  static constexpr char kPrefix[] = "alloc_counter: allocation of ";
  static constexpr char kSuffix[] = " bytes inside an allocation scope, at:\n";
  write_all(kPrefix, sizeof kPrefix - 1);
  write_number(size);
  write_all(kSuffix, sizeof kSuffix - 1);
#if SHOCKWAVE_SANITIZER_ALLOCATOR
  __sanitizer_print_stack_trace();
#else
  void* frames[64];
  const int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);  // does not allocate
#endif
}

void in_scope(std::uint64_t size) {
  shockwave_allocation_in_scope(size);
  if (g_trace && !t_tracing) {
    t_tracing = true;
    print_stack(size);
    t_tracing = false;
  }
}

inline void note_allocation(std::size_t size) noexcept {
  ++t_allocations;
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  t_bytes += size;
  g_bytes.fetch_add(size, std::memory_order_relaxed);
  if (g_live_scopes.load(std::memory_order_relaxed) > 0) in_scope(size);
}

inline void note_free() noexcept {
  ++t_frees;
  g_frees.fetch_add(1, std::memory_order_relaxed);
}

#if SHOCKWAVE_SANITIZER_ALLOCATOR
void malloc_hook(const volatile void*, std::size_t size) { note_allocation(size); }
void free_hook(const volatile void* pointer) {
  if (pointer != nullptr) note_free();
}
#endif

__attribute__((constructor)) void install() {
  const char* trace = getenv("SHOCKWAVE_ALLOC_TRACE");
  g_trace = trace != nullptr && trace[0] != '\0' && trace[0] != '0';
#if SHOCKWAVE_SANITIZER_ALLOCATOR
  if (__sanitizer_install_malloc_and_free_hooks(malloc_hook, free_hook) == 0) {
    static constexpr char kError[] = "alloc_counter: cannot install the sanitizer's malloc hooks\n";
    write_all(kError, sizeof kError - 1);
    abort();
  }
#else
  if (g_trace) {
    // backtrace() loads libgcc_s (allocating) on first use: not in a scope.
    void* frame;
    backtrace(&frame, 1);
  }
#endif
}

}  // namespace

extern "C" __attribute__((noinline)) void shockwave_allocation_in_scope(std::uint64_t size) {
  // Kept as a real call, for `break shockwave_allocation_in_scope`.
  asm volatile("" : : "r"(size) : "memory");
}

namespace shockwave::testing {

AllocationCounts thread_allocation_counts() noexcept { return {t_allocations, t_frees, t_bytes}; }

AllocationCounts total_allocation_counts() noexcept {
  return {g_allocations.load(std::memory_order_seq_cst), g_frees.load(std::memory_order_seq_cst),
          g_bytes.load(std::memory_order_seq_cst)};
}

AllocationCounts other_threads_allocation_counts() noexcept {
  const AllocationCounts total = total_allocation_counts();
  return {total.allocations - t_allocations, total.frees - t_frees, total.bytes - t_bytes};
}

const char* allocation_counting_mode() noexcept {
#if SHOCKWAVE_SANITIZER_ALLOCATOR
  return "sanitizer-hooks";
#else
  return "interpose";
#endif
}

AllocationScope::AllocationScope() noexcept : start_(thread_allocation_counts()) {
  g_live_scopes.fetch_add(1, std::memory_order_relaxed);
}
AllocationScope::~AllocationScope() { g_live_scopes.fetch_sub(1, std::memory_order_relaxed); }
std::uint64_t AllocationScope::allocations() const noexcept { return t_allocations - start_.allocations; }
std::uint64_t AllocationScope::frees() const noexcept { return t_frees - start_.frees; }
std::uint64_t AllocationScope::bytes() const noexcept { return t_bytes - start_.bytes; }

GlobalAllocationScope::GlobalAllocationScope() noexcept {
  g_live_scopes.fetch_add(1, std::memory_order_seq_cst);
  start_ = total_allocation_counts();
}
GlobalAllocationScope::~GlobalAllocationScope() { g_live_scopes.fetch_sub(1, std::memory_order_relaxed); }
std::uint64_t GlobalAllocationScope::allocations() const noexcept {
  return total_allocation_counts().allocations - start_.allocations;
}
std::uint64_t GlobalAllocationScope::frees() const noexcept { return total_allocation_counts().frees - start_.frees; }
std::uint64_t GlobalAllocationScope::bytes() const noexcept { return total_allocation_counts().bytes - start_.bytes; }

}  // namespace shockwave::testing

#if !SHOCKWAVE_SANITIZER_ALLOCATOR

// The malloc family, interposed. glibc resolves its own internal calls to
// these names through the PLT, so strdup & co. land here too.
extern "C" {

void* malloc(std::size_t size) noexcept {
  note_allocation(size);
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  note_allocation(count * size);
  return __libc_calloc(count, size);
}

void* realloc(void* pointer, std::size_t size) noexcept {
  if (pointer == nullptr) return malloc(size);
  if (size == 0) {  // glibc: frees and returns null
    note_free();
    return __libc_realloc(pointer, 0);
  }
  note_allocation(size);
  void* result = __libc_realloc(pointer, size);
  if (result != nullptr && result != pointer) note_free();
  return result;
}

void* reallocarray(void* pointer, std::size_t count, std::size_t size) noexcept {
  std::size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(pointer, bytes);
}

void free(void* pointer) noexcept {
  if (pointer == nullptr) return;
  note_free();
  __libc_free(pointer);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  note_allocation(size);
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  note_allocation(size);
  if (alignment == 0 || (alignment & (alignment - 1)) != 0) {  // as glibc 2.36 checks
    errno = EINVAL;
    return nullptr;
  }
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  note_allocation(size);
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) return EINVAL;
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

void* valloc(std::size_t size) noexcept {
  note_allocation(size);
  return __libc_valloc(size);
}

void* pvalloc(std::size_t size) noexcept {
  note_allocation(size);
  return __libc_pvalloc(size);
}

}  // extern "C"

// The global operator new/delete, every replaceable form. Each counts once
// and goes straight to glibc (not through the counted malloc above).
namespace {

void* counted_new(std::size_t size) {
  note_allocation(size);
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = __libc_malloc(size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* counted_new(std::size_t size, std::align_val_t alignment) {
  note_allocation(size);
  if (size == 0) size = 1;
  for (;;) {
    if (void* p = __libc_memalign(static_cast<std::size_t>(alignment), size)) return p;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

void* counted_new_nothrow(std::size_t size) noexcept {
  try {
    return counted_new(size);
  } catch (...) {
    return nullptr;
  }
}

void* counted_new_nothrow(std::size_t size, std::align_val_t alignment) noexcept {
  try {
    return counted_new(size, alignment);
  } catch (...) {
    return nullptr;
  }
}

void counted_delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  note_free();
  __libc_free(pointer);
}

}  // namespace

void* operator new(std::size_t size) { return counted_new(size); }
void* operator new[](std::size_t size) { return counted_new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_new_nothrow(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_new_nothrow(size); }
void* operator new(std::size_t size, std::align_val_t a) { return counted_new(size, a); }
void* operator new[](std::size_t size, std::align_val_t a) { return counted_new(size, a); }
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return counted_new_nothrow(size, a);
}

void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { counted_delete(p); }

#endif  // !SHOCKWAVE_SANITIZER_ALLOCATOR
