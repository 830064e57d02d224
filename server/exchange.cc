#include "server/exchange.h"

#include <unistd.h>

namespace shockwave {
namespace detail {

void Mailbox::post(Cell* cell) noexcept {
  // acq_rel pairs with collect()'s exchange: if the loop clears the flag
  // after this, it also sees this waker's kWoken.
  if (cell->queued.exchange(true, std::memory_order_acq_rel)) return;  // on the stack already
  Cell* head = stack_.load(std::memory_order_relaxed);
  do {
    cell->next = head;
  } while (!stack_.compare_exchange_weak(head, cell, std::memory_order_release, std::memory_order_relaxed));
  if (head == nullptr && wake_fd_ >= 0) {
    // The stack was empty, so the loop may be asleep; a push onto a
    // non-empty stack finds it woken already (it collects after reading
    // the eventfd).
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
  }
}

Cell* Mailbox::collect() noexcept {
  Cell* c = stack_.exchange(nullptr, std::memory_order_acquire);
  Cell* oldest = nullptr;
  while (c != nullptr) {  // the stack is newest first: reverse it
    Cell* next = c->next;
    c->queued.exchange(false, std::memory_order_acq_rel);
    c->next_collected = oldest;
    oldest = c;
    c = next;
  }
  return oldest;
}

}  // namespace detail

bool Ticket::wake(std::uint64_t value) const noexcept {
  using detail::Cell;
  if (cell_ == nullptr) return false;
  std::uint64_t expected = Cell::make(generation_, Cell::kArmed);
  if (!cell_->state.compare_exchange_strong(expected, Cell::make(generation_, Cell::kClaimed),
                                            std::memory_order_acquire, std::memory_order_relaxed)) {
    return false;  // over, or woken already
  }
  cell_->value = value;
  expected = Cell::make(generation_, Cell::kClaimed);
  if (!cell_->state.compare_exchange_strong(expected, Cell::make(generation_, Cell::kWoken), std::memory_order_acq_rel,
                                            std::memory_order_relaxed)) {
    return false;  // the request ended meanwhile
  }
  cell_->mailbox->post(cell_);
  return true;
}

Ticket Exchange::defer() noexcept {
  using detail::Cell;
  const std::uint64_t state = cell->state.load(std::memory_order_relaxed);
  if (deferred) return Ticket(cell, state >> 2);
  deferred = true;
  const std::uint64_t generation = (state >> 2) + 1;
  cell->state.store(Cell::make(generation, Cell::kArmed), std::memory_order_release);
  return Ticket(cell, generation);
}

void Exchange::end() noexcept {
  using detail::Cell;
  const std::uint64_t generation = (cell->state.load(std::memory_order_relaxed) >> 2) + 1;
  cell->state.store(Cell::make(generation, Cell::kIdle), std::memory_order_release);
  deferred = false;
}

void Exchange::attach_file(int fd, std::uint64_t offset, std::uint64_t length) noexcept {
  if (length == 0 || file.fd >= 0) {  // nothing due, or a second file for one response
    close_file(fd);
    return;
  }
  file = FileBody{fd, offset, length};
}

void Exchange::close_file(int fd) noexcept {
  if (fd >= 0) ::close(fd);
}

}  // namespace shockwave
