#ifndef SHOCKWAVE_SERVER_NET_WORKER_H_
#define SHOCKWAVE_SERVER_NET_WORKER_H_

// Worker: one thread's edge-triggered epoll loop, its listener, and the slab
// its connections live in. Everything is allocated in the constructor; the
// loop itself allocates nothing.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "server/config.h"
#include "server/handler.h"
#include "server/net/connection.h"
#include "server/stats.h"

namespace shockwave::net {

class Worker {
 public:
  // Takes ownership of listen_fd. Capacity is the most connections it holds.
  Worker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // run serves until stop() and the graceful shutdown complete.
  void run() noexcept;
  // stop asks run() to shut down gracefully. Async-signal-safe.
  void stop() noexcept;

  const WorkerStats& stats() const noexcept { return stats_; }

 private:
  void tick_clock() noexcept;
  void accept_all() noexcept;
  void pause_accept(std::int64_t resume_ms) noexcept;
  void resume_accept() noexcept;
  void close_connection(Connection* c) noexcept;
  void begin_shutdown() noexcept;
  void sweep() noexcept;
  void log(const char* message) noexcept;

  const Config& config_;
  std::size_t capacity_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int listen_fd_ = -1;
  std::unique_ptr<Connection[]> connections_;
  std::unique_ptr<char[]> input_slab_;
  std::unique_ptr<char[]> output_slab_;
  std::unique_ptr<http1::Header[]> field_slab_;
  std::unique_ptr<Connection*[]> free_;
  std::size_t free_count_ = 0;
  Connection* open_ = nullptr;  // intrusive list of open connections
  std::size_t open_count_ = 0;
  ConnectionEnv env_;
  WorkerStats stats_;
  char date_line_[64] = {};
  std::int64_t date_second_ = -1;
  std::int64_t next_sweep_ms_ = 0;
  bool accept_paused_ = false;
  std::int64_t accept_resume_ms_ = 0;  // EMFILE back-off; 0: resume when a slot frees
  std::int64_t last_log_ms_ = -1'000'000;
  std::int64_t shutdown_deadline_ms_ = 0;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_WORKER_H_
