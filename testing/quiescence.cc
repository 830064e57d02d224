#include "testing/quiescence.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

namespace shockwave::testing {

int open_fd_count() {
  const int dir = ::open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  alignas(8) char entries[4096];
  int count = 0;
  for (;;) {
    const ssize_t n = getdents64(dir, entries, sizeof entries);
    if (n <= 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* entry = reinterpret_cast<const dirent64*>(entries + at);
      if (entry->d_name[0] != '.') ++count;
      at += entry->d_reclen;
    }
  }
  ::close(dir);
  return count - 1;  // not counting `dir` itself
}

void pause_ms(long ms) {
  timespec pause{ms / 1000, (ms % 1000) * 1'000'000};
  nanosleep(&pause, nullptr);
}

std::int64_t monotonic_ms() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

}  // namespace shockwave::testing
