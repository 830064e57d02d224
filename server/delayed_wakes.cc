#include "server/delayed_wakes.h"

namespace shockwave {

DelayedWakes::DelayedWakes(std::size_t capacity)
    : entries_(std::make_unique<Entry[]>(capacity)), capacity_(capacity), thread_([this] { run(); }) {}

DelayedWakes::~DelayedWakes() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  thread_.join();
}

bool DelayedWakes::after(std::chrono::milliseconds delay, Ticket ticket, std::uint64_t value) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (size_ == capacity_) return false;
    entries_[size_++] = Entry{Clock::now() + delay, ticket, value};
  }
  changed_.notify_one();  // it may be due before the one the thread sleeps for
  return true;
}

void DelayedWakes::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // Wake what is due; find the next deadline. A linear pass: the table
    // holds the requests waiting, a few thousand at most.
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    for (std::size_t i = 0; i < size_;) {
      if (entries_[i].due <= now) {
        entries_[i].ticket.wake(entries_[i].value);  // any thread may; false if the request is over
        entries_[i] = entries_[--size_];
        continue;
      }
      if (entries_[i].due < next) next = entries_[i].due;
      ++i;
    }
    if (next == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

}  // namespace shockwave
