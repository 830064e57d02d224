#ifndef SHOCKWAVE_SERVER_EXCHANGE_H_
#define SHOCKWAVE_SERVER_EXCHANGE_H_

// Tickets: how a handler finishes a request later, from any thread, without
// the server allocating anything.
//
// A handler that cannot answer at once (it waits for a database, another
// service, a slow sink for an upload) calls Request::defer() and keeps the
// Ticket it returns. Some time later, on any thread, ticket.wake(value)
// asks the connection's event loop to carry on: that loop, and only that
// loop, then calls the handler back (resume() or on_body(); handler.h).
//
// What lives where: every connection slot has one Cell, allocated with the
// slab when the server starts. A Ticket is the cell's address and the
// generation it was issued for. The generation moves on whenever the
// request ends (answered, timed out, or its connection gone), so a ticket
// for a request that is over wakes nothing: wake() returns false. Waking is
// one compare-and-swap, a push onto the loop's Mailbox (a lock-free stack)
// and, when the stack was empty, one write(2) to the loop's eventfd.
//
// Across threads: wake() is the only thing another thread may do. It may
// be called any number of times, concurrently; the first after defer()
// counts. Request, its views and ResponseWriter belong to the loop thread:
// copy what another thread needs before handle() returns. Tickets must not
// be used once Server::wait() has returned (the cells are gone).

#include <atomic>
#include <cstdint>

namespace shockwave {

namespace detail {

class Mailbox;

// Cell: one connection slot's wake-up state.
struct Cell {
  // state is generation << 2 | phase. The loop moves the generation on at
  // every defer() and when the request ends, and arms; a waker moves kArmed
  // to kClaimed (it alone may now write `value`), then to kWoken, with a
  // compare-and-swap each, so a generation moved on in between wins.
  enum Phase : std::uint64_t { kIdle = 0, kArmed = 1, kClaimed = 2, kWoken = 3 };
  std::atomic<std::uint64_t> state{0};
  std::uint64_t value = 0;  // the waker's, published by kWoken
  // queued: on the Mailbox's stack. Whoever sets it pushes the cell, so it
  // is there at most once; the loop clears it when it collects the stack.
  std::atomic<bool> queued{false};
  Cell* next = nullptr;            // in the stack
  Cell* next_collected = nullptr;  // in the list collect() returns (loop thread)
  Mailbox* mailbox = nullptr;
  void* owner = nullptr;  // the connection, for the loop

  static constexpr std::uint64_t make(std::uint64_t generation, Phase phase) noexcept {
    return generation << 2 | phase;
  }
};

// Mailbox: the cells woken since the loop last looked. Any thread posts;
// the loop collects them all at once.
class Mailbox {
 public:
  explicit Mailbox(int wake_fd = -1) noexcept : wake_fd_(wake_fd) {}
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // post: any thread, after moving the cell to kWoken; pushes it unless it
  // is on the stack already, and wakes the loop when the stack was empty.
  void post(Cell* cell) noexcept;
  // collect (loop thread): every cell posted so far, oldest first, linked
  // by next_collected. A cell in it may be posted again meanwhile; its
  // state, read when it is handled, says what is current.
  Cell* collect() noexcept;
  // deliver (loop thread): collect(), then on_woken(owner, value) for each
  // cell still kWoken (acquire: the waker's value comes with it); a request
  // that ended since is idle and skipped.
  template <typename F>
  void deliver(F&& on_woken) noexcept {
    for (Cell* cell = collect(); cell != nullptr;) {
      Cell* next = cell->next_collected;  // on_woken may see the cell posted again
      if ((cell->state.load(std::memory_order_acquire) & 3) == Cell::kWoken) on_woken(cell->owner, cell->value);
      cell = next;
    }
  }

 private:
  std::atomic<Cell*> stack_{nullptr};
  int wake_fd_;
};

}  // namespace detail

// Ticket: a copyable handle on a deferred request (see above).
class Ticket {
 public:
  Ticket() noexcept = default;
  Ticket(detail::Cell* cell, std::uint64_t generation) noexcept : cell_(cell), generation_(generation) {}

  // wake: any thread. The request's loop calls the handler back with
  // `value` (resume()'s argument; on_body() takes none). False, and nothing
  // happens, if the request is over or was already woken.
  bool wake(std::uint64_t value = 0) const noexcept;
  bool valid() const noexcept { return cell_ != nullptr; }

 private:
  detail::Cell* cell_ = nullptr;
  std::uint64_t generation_ = 0;
};

// Exchange: what the connection keeps for the request its handler serves
// (one per slot, loop thread only). Request::defer() and Request::scratch()
// reach it.
// FileBody: the bytes of an open file a response sends behind its head
// (Request::send_file); the connection owns `fd` until they are out or it
// closes.
struct FileBody {
  int fd = -1;
  std::uint64_t offset = 0;
  std::uint64_t remaining = 0;
};

struct Exchange {
  detail::Cell* cell = nullptr;
  bool deferred = false;  // defer() was called during the current handler call
  // The handler's own words for this request, zero when it starts.
  std::uint64_t scratch[4] = {};
  // The file the current handler call answered with (send_file), if any;
  // the connection takes it when the call returns.
  FileBody file;

  // defer arms the cell for a new generation (see Request::defer()); a
  // second call in the same handler call returns the same ticket.
  Ticket defer() noexcept;
  // end: the request is over; every ticket issued for it goes stale.
  void end() noexcept;
  // attach_file keeps `fd` to send `length` bytes of from `offset`, or
  // closes it at once when `length` is 0 (nothing is due).
  void attach_file(int fd, std::uint64_t offset, std::uint64_t length) noexcept;
  // close_file closes a file descriptor handed to the server.
  static void close_file(int fd) noexcept;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_EXCHANGE_H_
