#include "testing/alloc_counter.h"

#include <gtest/gtest.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "testing/allocating_calls.h"

namespace shockwave::testing {
namespace {

// escape makes p visible to the outside world, so the compiler cannot drop
// the allocation behind it (GCC and Clang remove unused new/delete pairs).
inline void escape(void* p) { asm volatile("" : : "r"(p) : "memory"); }

TEST(AllocCounter, SaysWhichModeItIsIn) {
  const std::string mode = allocation_counting_mode();
#if defined(__SANITIZE_ADDRESS__)
  EXPECT_EQ(mode, "sanitizer-hooks");
#else
  EXPECT_TRUE(mode == "interpose" || mode == "sanitizer-hooks") << mode;
#endif
  RecordProperty("alloc_counter_mode", mode);
}

TEST(AllocCounter, ScopeWithoutAllocationReadsExactlyZero) {
  volatile int sink = 0;
  GlobalAllocationScope global;
  AllocationScope local;
  int numbers[64];
  for (int i = 0; i < 64; ++i) numbers[i] = i * i;
  for (int n : numbers) sink = sink + n;
  const std::uint64_t local_allocations = local.allocations();
  const std::uint64_t local_frees = local.frees();
  const std::uint64_t global_allocations = global.allocations();
  const std::uint64_t global_frees = global.frees();
  EXPECT_EQ(local_allocations, 0u);
  EXPECT_EQ(local_frees, 0u);
  EXPECT_EQ(global_allocations, 0u);
  EXPECT_EQ(global_frees, 0u);
}

TEST(AllocCounter, SeesStringGrowth) {
  AllocationScope scope;
  {
    std::string s;
    for (int i = 0; i < 200; ++i) s.push_back(static_cast<char>('a' + i % 26));
    escape(s.data());
  }
  const std::uint64_t allocations = scope.allocations();
  const std::uint64_t frees = scope.frees();
  EXPECT_GE(allocations, 2u);  // 15 → 30 → 60 → ... : several buffers
  EXPECT_EQ(frees, allocations);
}

TEST(AllocCounter, SeesVectorGrowth) {
  AllocationScope scope;
  {
    std::vector<int> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    escape(v.data());
  }
  const std::uint64_t allocations = scope.allocations();
  EXPECT_GE(allocations, 10u);  // doubling from 1 to 1024
  EXPECT_EQ(scope.frees(), allocations);
}

TEST(AllocCounter, SeesFunctionWithALargeCapture) {
  struct Big {
    char bytes[256];
  };
  Big big{};
  big.bytes[7] = 42;
  AllocationScope scope;
  {
    std::function<int()> f = [big] { return big.bytes[7]; };
    escape(&f);
    EXPECT_EQ(f(), 42);
  }
  const std::uint64_t allocations = scope.allocations();
  EXPECT_EQ(allocations, 1u);
  EXPECT_EQ(scope.frees(), 1u);
}

TEST(AllocCounter, SeesStrdup) {
  const char* volatile source = "a string long enough to matter";
  AllocationScope scope;
  char* copy = strdup(source);
  escape(copy);
  const std::uint64_t allocations = scope.allocations();
  free(copy);
  const std::uint64_t frees = scope.frees();
  EXPECT_EQ(allocations, 1u);
  EXPECT_EQ(frees, 1u);
}

// Each entry point counts exactly once: no miss, no double count (operator
// new must not count itself and then the malloc under it). The calls are made
// from another library, as the server's are.
TEST(AllocCounter, CountsEachEntryPointOnce) {
  for (const AllocatingCall& call : allocating_calls()) {
    AllocationScope scope;
    call.run();
    const std::uint64_t allocations = scope.allocations();
    const std::uint64_t frees = scope.frees();
    EXPECT_EQ(allocations, 1u) << call.name;
    EXPECT_EQ(frees, 1u) << call.name;
  }
}

TEST(AllocCounter, ReallocThatGrowsCountsAsAnAllocation) {
  void* p = malloc(16);
  escape(p);
  AllocationScope scope;
  p = realloc(p, 1 << 20);  // too big to grow in place
  escape(p);
  const std::uint64_t allocations = scope.allocations();
  const std::uint64_t frees = scope.frees();
  free(p);
  EXPECT_EQ(allocations, 1u);
  EXPECT_EQ(frees, 1u);
}

// The server's event loops are other threads: the global scope must see
// what they allocate, and the thread scope must not.
TEST(AllocCounter, GlobalScopeSeesOtherThreads) {
  constexpr int kAllocations = 10;
  // 0: starting, 1: running, 2: allocate, 3: done. The scope opens only once
  // the thread runs: starting one allocates too (ASan's thread start calls
  // pthread_getattr_np, which mallocs).
  std::atomic<int> stage{0};
  std::atomic<std::uint64_t> counted_by_thread{0};
  std::thread worker([&] {
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
    AllocationScope own;
    for (int i = 0; i < kAllocations - 1; ++i) {
      int* p = new int(i);
      escape(p);
      delete p;
    }
    char* copy = strdup("from another thread");
    escape(copy);
    free(copy);
    counted_by_thread = own.allocations();
    stage = 3;
  });
  while (stage.load() != 1) std::this_thread::yield();

  std::uint64_t global_allocations = 0;
  std::uint64_t global_frees = 0;
  std::uint64_t local_allocations = 0;
  {
    GlobalAllocationScope global;
    AllocationScope local;
    stage = 2;
    while (stage.load() != 3) std::this_thread::yield();
    global_allocations = global.allocations();
    global_frees = global.frees();
    local_allocations = local.allocations();
  }
  worker.join();
  EXPECT_EQ(counted_by_thread.load(), static_cast<std::uint64_t>(kAllocations));
  EXPECT_EQ(global_allocations, static_cast<std::uint64_t>(kAllocations));
  // At least: the thread may also free std::thread's start-up state (made
  // by this thread) before the read.
  EXPECT_GE(global_frees, static_cast<std::uint64_t>(kAllocations));
  EXPECT_EQ(local_allocations, 0u);
}

// bytes() is what the counted calls asked for (bench/inprocess_bench's B/op).
TEST(AllocCounter, CountsRequestedBytes) {
  GlobalAllocationScope global;
  AllocationScope local;
  void* a = malloc(100);
  escape(a);
  char* b = new char[28];
  escape(b);
  const std::uint64_t local_bytes = local.bytes();
  const std::uint64_t global_bytes = global.bytes();
  delete[] b;
  free(a);
  EXPECT_EQ(local_bytes, 128u);
  EXPECT_GE(global_bytes, 128u);   // other threads may allocate meanwhile
  EXPECT_EQ(local.bytes(), 128u);  // frees do not subtract
}

TEST(AllocCounter, TotalsOnlyGrow) {
  const AllocationCounts before = total_allocation_counts();
  std::string s(100, 'x');
  escape(s.data());
  const AllocationCounts after = total_allocation_counts();
  EXPECT_GT(after.allocations, before.allocations);
  EXPECT_GE(thread_allocation_counts().allocations, 1u);
}

// other_threads_allocation_counts: what this thread allocates does not
// move it; what another thread allocates does.
TEST(AllocCounter, OtherThreadsLeaveThisThreadOut) {
  std::atomic<int> stage{0};  // 0: starting, 1: running, 2: allocate, 3: done
  std::thread worker([&] {
    stage = 1;
    while (stage.load() != 2) std::this_thread::yield();
    int* p = new int(1);
    escape(p);
    delete p;
    stage = 3;
  });
  while (stage.load() != 1) std::this_thread::yield();
  const AllocationCounts before = other_threads_allocation_counts();
  std::string own(100, 'x');  // this thread: not counted
  escape(own.data());
  const AllocationCounts after_own = other_threads_allocation_counts();
  stage = 2;
  while (stage.load() != 3) std::this_thread::yield();
  const AllocationCounts after_other = other_threads_allocation_counts();
  worker.join();
  EXPECT_EQ(after_own.allocations, before.allocations);
  EXPECT_EQ(after_other.allocations - before.allocations, 1u);
  EXPECT_EQ(after_other.bytes - before.bytes, sizeof(int));
}

}  // namespace
}  // namespace shockwave::testing
