#ifndef SHOCKWAVE_TESTING_ALLOC_COUNTER_H_
#define SHOCKWAVE_TESTING_ALLOC_COUNTER_H_

// alloc_counter: counts every heap allocation the test binary makes, per
// thread and across all threads. The one allocation counter behind
// invariant 1 ("zero allocations per request", asserted == 0; docs/invariants.md).
//
//   shockwave::testing::GlobalAllocationScope scope;  // every thread
//   ... serve 10,000 requests ...
//   EXPECT_EQ(scope.allocations(), 0u);
//
// Link it (it is alwayslink) and it is on for the whole binary. What it
// sees depends on how the binary is built; allocation_counting_mode() says
// which:
//
//  - "interpose" (default, -c opt, ubsan): the binary defines the global
//    operator new/delete (plain, [], nothrow, align_val_t, sized) and malloc,
//    calloc, realloc, free, posix_memalign, aligned_alloc, memalign, valloc
//    and pvalloc, forwarding to glibc's __libc_malloc family. glibc routes its
//    own internal calls (strdup, getline, thread DTVs, ...) through these
//    symbols too, so every allocation in userspace is seen, from any thread,
//    in any library. operator new counts once (it does not go through the
//    counted malloc).
//
//  - "sanitizer-hooks" (ASan, and TSan/MSan, which own malloc): defining
//    malloc would bypass the sanitizer's allocator, so nothing is replaced.
//    Instead __sanitizer_install_malloc_and_free_hooks reports every
//    allocation the sanitizer's allocator makes: operator new/new[] in all
//    forms, malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign,
//    valloc, pvalloc and what libc calls them for (strdup, ...), again from
//    any thread. The sanitizer's internal allocator is not counted, but libc
//    calls it makes through malloc are: ASan's start of every new thread
//    (pthread_getattr_np) allocates 3 times, so measure threads that are
//    already running. (TSan's runtime in Clang 14 does not report
//    aligned_alloc, posix_memalign, memalign, valloc and pvalloc to the
//    hooks; alloc_counter_test fails there, as it should. The project has no
//    TSan config.)
//
// In both modes: "allocations" counts calls that return (or may return) new
// memory: malloc(0) and new of size 0 count; realloc(p, n > 0) counts as one
// allocation whether or not it moves, and as a free too when it does (in
// sanitizer mode realloc is always a fresh allocation plus a free). "frees"
// counts releases of non-null pointers. Counts start at process start.
//
// Debugging a nonzero count: while any scope is alive every counted
// allocation calls shockwave_allocation_in_scope() (so
// `break shockwave_allocation_in_scope` in gdb stops at it), and with
// SHOCKWAVE_ALLOC_TRACE=1 in the environment it also prints the stack of
// each one to stderr.

#include <cstdint>

namespace shockwave::testing {

struct AllocationCounts {
  std::uint64_t allocations = 0;
  std::uint64_t frees = 0;
  std::uint64_t bytes = 0;  // requested by the counted allocations (B/op in bench/)
};

// thread_allocation_counts: this thread's counts since it started.
AllocationCounts thread_allocation_counts() noexcept;
// total_allocation_counts: every thread's counts since the process started.
AllocationCounts total_allocation_counts() noexcept;
// other_threads_allocation_counts: every thread's but this one's (the
// server's, seen from the test's thread).
AllocationCounts other_threads_allocation_counts() noexcept;
// allocation_counting_mode: "interpose" or "sanitizer-hooks" (see above).
const char* allocation_counting_mode() noexcept;

// AllocationScope counts what the current thread allocates between its
// construction and each read. Use it on the thread that made it.
class AllocationScope {
 public:
  AllocationScope() noexcept;
  ~AllocationScope();
  AllocationScope(const AllocationScope&) = delete;
  AllocationScope& operator=(const AllocationScope&) = delete;

  std::uint64_t allocations() const noexcept;
  std::uint64_t frees() const noexcept;
  std::uint64_t bytes() const noexcept;

 private:
  AllocationCounts start_;
};

// GlobalAllocationScope counts what every thread allocates between its
// construction and each read (the server's event loops included).
class GlobalAllocationScope {
 public:
  GlobalAllocationScope() noexcept;
  ~GlobalAllocationScope();
  GlobalAllocationScope(const GlobalAllocationScope&) = delete;
  GlobalAllocationScope& operator=(const GlobalAllocationScope&) = delete;

  std::uint64_t allocations() const noexcept;
  std::uint64_t frees() const noexcept;
  std::uint64_t bytes() const noexcept;

 private:
  AllocationCounts start_;
};

}  // namespace shockwave::testing

extern "C" {
// shockwave_allocation_in_scope is called for every counted allocation made
// while any scope is alive: a place for a debugger breakpoint.
void shockwave_allocation_in_scope(std::uint64_t size);
}

#endif  // SHOCKWAVE_TESTING_ALLOC_COUNTER_H_
