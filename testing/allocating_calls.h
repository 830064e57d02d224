#ifndef SHOCKWAVE_TESTING_ALLOCATING_CALLS_H_
#define SHOCKWAVE_TESTING_ALLOCATING_CALLS_H_

// allocating_calls: one allocation and one release through each allocator
// entry point, compiled into a library of its own. Bazel links tests against
// libraries as shared objects, so alloc_counter_test uses these to prove the
// counter also sees calls that bind across a shared-library boundary, as the
// server's own calls do.

#include <span>

namespace shockwave::testing {

struct AllocatingCall {
  const char* name;
  void (*run)();  // allocates exactly once, frees exactly once
};

std::span<const AllocatingCall> allocating_calls();

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_ALLOCATING_CALLS_H_
