#ifndef SHOCKWAVE_SERVER_STATS_H_
#define SHOCKWAVE_SERVER_STATS_H_

// Statistics, opt-in (Config::enable_stats). Each event loop owns one
// WorkerStats and bumps it with relaxed atomics; Server::stats() sums them.
// No allocation, on or off; off costs one predictable branch.

#include <atomic>
#include <cstdint>

namespace shockwave {

// The statuses the server itself answers with, counted separately.
inline constexpr int kCountedStatuses[] = {400, 408, 413, 414, 431, 500, 501, 505};
inline constexpr int kCountedStatusCount = sizeof(kCountedStatuses) / sizeof(kCountedStatuses[0]);

struct StatsSnapshot {
  std::uint64_t requests = 0;  // responses to complete requests
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_closed = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t errors[kCountedStatusCount] = {};  // by kCountedStatuses
  std::int64_t last_request_unix_ms = 0;           // a timestamp as an integer
  // The access log's (Config::access_log; 0 without one), kept whether or
  // not the stats are on: lines dropped because a loop's ring was full, and
  // batches lost to write errors.
  std::uint64_t access_log_dropped_lines = 0;
  std::uint64_t access_log_write_errors = 0;
};

struct WorkerStats {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_closed{0};
  std::atomic<std::uint64_t> bytes_read{0};
  std::atomic<std::uint64_t> bytes_written{0};
  std::atomic<std::uint64_t> errors[kCountedStatusCount] = {};
  std::atomic<std::int64_t> last_request_unix_ms{0};

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
  void count_error(int status) noexcept {
    for (int i = 0; i < kCountedStatusCount; ++i) {
      if (kCountedStatuses[i] == status) add(errors[i], 1);
    }
  }
  void add_to(StatsSnapshot& s) const noexcept {
    auto get = [](const std::atomic<std::uint64_t>& a) { return a.load(std::memory_order_relaxed); };
    s.requests += get(requests);
    s.connections_accepted += get(connections_accepted);
    s.connections_closed += get(connections_closed);
    s.bytes_read += get(bytes_read);
    s.bytes_written += get(bytes_written);
    for (int i = 0; i < kCountedStatusCount; ++i) s.errors[i] += get(errors[i]);
    const std::int64_t last = last_request_unix_ms.load(std::memory_order_relaxed);
    if (last > s.last_request_unix_ms) s.last_request_unix_ms = last;
  }
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_STATS_H_
