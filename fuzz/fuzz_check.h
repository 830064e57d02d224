#ifndef SHOCKWAVE_FUZZ_FUZZ_CHECK_H_
#define SHOCKWAVE_FUZZ_FUZZ_CHECK_H_

// FUZZ_CHECK aborts (the crash libFuzzer reports) with the failed condition
// when an invariant does not hold; unlike assert, it is never compiled out.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

#endif  // SHOCKWAVE_FUZZ_FUZZ_CHECK_H_
