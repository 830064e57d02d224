#ifndef SHOCKWAVE_SERVER_NET_WORKER_H_
#define SHOCKWAVE_SERVER_NET_WORKER_H_

// Worker: one thread's event loop, its listener, and the slab its connections
// live in. Everything is allocated in the constructor; the loop itself
// allocates nothing. This base holds what every backend shares (slots,
// clock, timeouts, accept pausing, graceful shutdown); EpollWorker and
// UringWorker wait for events and move the bytes (Config::io picks one).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "server/config.h"
#include "server/handler.h"
#include "server/net/connection.h"
#include "server/stats.h"

namespace shockwave::net {

class Worker;

// ConnectionBudget: Config::max_connections, for all of a server's workers
// together. A worker takes a unit before it accepts a connection and gives
// it back when the connection closes; a worker that finds none pauses
// accepting (as at the end of its own slots) until another gives one back
// and wakes it. It costs one atomic counter and no memory per connection:
// each worker's slab still holds ceil(max_connections / threads) slots, its
// share, sized at start-up; the budget only keeps the sum of the shares in
// use at max_connections.
class ConnectionBudget {
 public:
  explicit ConnectionBudget(std::size_t units) noexcept : available_(units) {}
  ConnectionBudget(const ConnectionBudget&) = delete;
  ConnectionBudget& operator=(const ConnectionBudget&) = delete;

  // take: one unit, if any is left.
  bool take() noexcept {
    std::size_t n = available_.load();
    while (n > 0) {
      if (available_.compare_exchange_weak(n, n - 1)) return true;
    }
    return false;
  }
  void give() noexcept { available_.fetch_add(1); }
  std::size_t available() const noexcept { return available_.load(); }

  // The workers sharing it (woken when a unit comes back); set before their
  // threads start, never changed after.
  std::vector<Worker*> workers;

 private:
  std::atomic<std::size_t> available_;
};

class Worker {
 public:
  // create returns the backend Config::io names. Takes ownership of
  // listen_fd. Capacity is the most connections it holds; `budget` (shared
  // with the other workers, outliving them) bounds them all together.
  // Throws std::runtime_error if the backend cannot start.
  static std::unique_ptr<Worker> create(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity,
                                        ConnectionBudget* budget);
  // resolve names the backend `io` stands for: kAuto becomes kUring if this
  // process can set up a ring, else kEpoll.
  static IoBackend resolve(IoBackend io) noexcept;
  virtual ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // run serves until stop() and the graceful shutdown complete.
  virtual void run() noexcept = 0;
  // stop asks run() to shut down gracefully. Async-signal-safe.
  void stop() noexcept;
  // wake_for_budget: another worker gave a unit back; if this one waits
  // for one, its loop wakes up to resume accepting. Any thread.
  void wake_for_budget() noexcept;

  const WorkerStats& stats() const noexcept { return stats_; }
  // log_ring: this loop's access-log lines (Config::access_log), for the
  // server's LogWriter to drain; null when the log is off.
  observe::LogRing* log_ring() noexcept { return log_ring_.get(); }

 protected:
  Worker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity, ConnectionBudget* budget);

  // A loop waits at most this long for events, so timeouts are checked.
  static constexpr std::int64_t kSweepIntervalMs = 250;

  // What a backend does for the shared logic.
  // connection_fd: what the connection passes to Io for this socket.
  virtual int connection_fd(std::size_t slot, int socket) noexcept = 0;
  // close_connection closes c's socket (after unlink()) and calls release()
  // once nothing the kernel still does can touch the slot's buffers.
  virtual void close_connection(Connection* c) noexcept = 0;
  // listen starts or stops taking new connections (see pause_accept).
  virtual void listen(bool on) noexcept = 0;
  // stop_listening, before the listener closes: takes in the connections
  // already in its backlog (clients made them, and may have sent requests,
  // before the stop; closing the listener would reset them), as long as
  // slots are free, and cancels any pending accept.
  virtual void stop_listening() noexcept = 0;

  // take_budget takes a unit of the shared budget for a connection about
  // to be accepted; with none left it pauses accepting until one comes back
  // and returns false. give_budget returns a unit and wakes the workers
  // waiting for one.
  bool take_budget() noexcept;
  void give_budget() noexcept;

  // adopt opens a connection for an accepted socket in a free slot
  // (free_count_ > 0), first on the open list, with a budget unit taken
  // for it (unlink gives it back).
  Connection* adopt(int socket) noexcept;
  std::size_t slot_of(const Connection* c) const noexcept { return static_cast<std::size_t>(c - connections_.get()); }
  Connection* connection_at(std::size_t slot) noexcept { return &connections_[slot]; }
  // unlink takes c off the open list; release makes its slot free again.
  void unlink(Connection* c) noexcept;
  void release(Connection* c) noexcept;

  void tick_clock() noexcept;
  void log(const char* message) noexcept;
  // accept_failed handles accept's errno: out of descriptors pauses
  // accepting for a while; false if the error is not worth a retry now.
  bool accept_failed(int error) noexcept;
  // slots_exhausted: every slot is taken; accept pauses until one frees.
  void slots_exhausted() noexcept;
  void pause_accept(std::int64_t resume_ms) noexcept;
  void resume_accept() noexcept;
  // on_wake: the wake eventfd fired: stop() was called, a budget unit came
  // back, or a ticket was woken (its delivery waits for after_events()).
  void on_wake() noexcept;
  bool stopping() const noexcept { return stop_requested_.load(std::memory_order_relaxed); }
  // after_events: timeouts, accept back-off, the shutdown's end. True when
  // run() should return.
  bool after_events() noexcept;

  const Config& config_;
  std::size_t capacity_;
  ConnectionBudget* budget_;
  int wake_fd_ = -1;
  int listen_fd_ = -1;
  std::size_t free_count_ = 0;
  Connection* open_ = nullptr;  // intrusive list of open connections
  std::size_t open_count_ = 0;
  ConnectionEnv env_;
  bool accept_paused_ = false;

 private:
  void begin_shutdown() noexcept;
  void sweep() noexcept;
  // deliver_wakes hands every woken ticket to its connection.
  void deliver_wakes() noexcept;

  std::unique_ptr<Connection[]> connections_;
  std::unique_ptr<char[]> input_slab_;
  std::unique_ptr<char[]> output_slab_;
  std::unique_ptr<http1::Header[]> field_slab_;
  std::unique_ptr<Connection*[]> free_;
  std::unique_ptr<detail::Cell[]> cells_;  // one per slot (exchange.h)
  std::unique_ptr<detail::Mailbox> mailbox_;
  bool wakes_pending_ = false;
  WorkerStats stats_;
  std::unique_ptr<observe::LogRing> log_ring_;
  std::unique_ptr<char[]> log_line_;
  AccessLogSink log_sink_;
  char date_line_[64] = {};
  std::int64_t date_second_ = -1;
  std::int64_t next_sweep_ms_ = 0;
  std::int64_t accept_resume_ms_ = 0;  // EMFILE back-off; 0: resume when a slot frees
  std::int64_t last_log_ms_ = -1'000'000;
  std::int64_t shutdown_deadline_ms_ = 0;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> awaiting_budget_{false};  // paused: the budget ran out
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_WORKER_H_
