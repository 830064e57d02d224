#ifndef SHOCKWAVE_TESTING_QUIESCENCE_H_
#define SHOCKWAVE_TESTING_QUIESCENCE_H_

// Waiting, without allocating, for a server in the same process to finish
// what it is doing: the zero-allocation tests keep their measurement open
// until the server has closed every connection, so that closing is
// measured too. Nothing here allocates.

#include <cstdint>

namespace shockwave::testing {

// open_fd_count counts this process's descriptors (client and server
// sockets alike): getdents64 into a stack buffer, no opendir. -1 on error.
int open_fd_count();

// pause_ms sleeps.
void pause_ms(long ms);

// monotonic_ms: CLOCK_MONOTONIC in milliseconds.
std::int64_t monotonic_ms();

// wait_until polls `done` (which must not allocate) every millisecond for
// up to `timeout_ms`; true once it holds.
template <typename Done>
bool wait_until(Done done, long timeout_ms = 10'000) {
  for (long i = 0; i < timeout_ms; ++i) {
    if (done()) return true;
    pause_ms(1);
  }
  return done();
}

// wait_for_fds waits until the process holds `expected` descriptors.
inline bool wait_for_fds(int expected, long timeout_ms = 10'000) {
  return wait_until([expected] { return open_fd_count() == expected; }, timeout_ms);
}

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_QUIESCENCE_H_
