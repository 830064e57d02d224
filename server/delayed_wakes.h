#ifndef SHOCKWAVE_SERVER_DELAYED_WAKES_H_
#define SHOCKWAVE_SERVER_DELAYED_WAKES_H_

// DelayedWakes: wakes tickets (exchange.h) once their delay has passed, from
// a thread of its own: what a handler that answers later (a deferred
// response) needs when "later" is a time rather than another service's
// answer. The demo's GET /delay/:ms uses it.
//
// Capacity is fixed at construction, so scheduling allocates nothing; a
// full table refuses (the caller answers 503). The thread sleeps until the
// earliest deadline, so an idle table costs nothing. A ticket whose request
// ended meanwhile (client gone, timeout) just wakes nothing.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "server/exchange.h"

namespace shockwave {

class DelayedWakes {
 public:
  explicit DelayedWakes(std::size_t capacity);
  ~DelayedWakes();
  DelayedWakes(const DelayedWakes&) = delete;
  DelayedWakes& operator=(const DelayedWakes&) = delete;

  // after: wake `ticket` with `value` once `delay` has passed; false (and
  // nothing scheduled) when the table is full. Any thread.
  bool after(std::chrono::milliseconds delay, Ticket ticket, std::uint64_t value) noexcept;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    Clock::time_point due;
    Ticket ticket;
    std::uint64_t value = 0;
  };

  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::unique_ptr<Entry[]> entries_;  // [0, size_) in use, unordered
  std::size_t capacity_;
  std::size_t size_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_DELAYED_WAKES_H_
