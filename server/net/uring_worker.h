#ifndef SHOCKWAVE_SERVER_NET_URING_WORKER_H_
#define SHOCKWAVE_SERVER_NET_URING_WORKER_H_

// UringWorker: the io_uring loop (Config::io = IoBackend::kUring), behind the
// same Connection code as the epoll loop.
//
// Why: without pipelining the kernel is most of the cost of a request, and
// with epoll each request costs at least a recv and a send system call. Here
// receives and sends are queued on the ring while the loop handles
// completions, and one io_uring_enter per turn submits them all and waits for
// the next completions.
//
// How Connection's synchronous Io maps onto completions (a connection's fd
// is its slot number; the slot holds the socket and its two operations):
//   read   hands over a completed receive's bytes. If none is pending it
//          queues a receive into the very buffer the connection asked to fill
//          and says EAGAIN; the completion calls on_readable(), whose read
//          returns the bytes in place. Should the connection have compacted
//          its input meanwhile, the bytes are moved to where it now reads.
//          (Io::short_read_drains is false: the connection reads on to that
//          EAGAIN, which is what queues the next receive.)
//   write  queues a send straight from the connection's output buffer and
//          says EAGAIN; the completion calls on_writable(), whose write
//          returns the count sent. The connection leaves queued bytes alone
//          until then (it only appends), so no copy is made.
//   write_now  for a handler whose response outgrows the output buffer
//          mid-way: a plain non-blocking send(2), once a send in flight has
//          ended (its completion is taken out of the ring at once; if it has
//          not ended, EAGAIN, as epoll's send(2) meets a full socket).
//   send_file  sendfile(2) straight from the page cache, as the epoll loop
//          does (the sockets are non-blocking; io_uring still waits for
//          readiness on its own receives and sends). Where the socket is full
//          it queues a poll for room in the send slot and says EAGAIN; the
//          poll's completion calls on_writable(), which sends on.
// When stop() is called the loop first submits what it queued and runs what
// the kernel has ready (settle()), so requests already in sockets, and
// connections already in the backlog, are served, not dropped.
// A closed connection's slot is reused only once its operations have
// completed (they are cancelled), so the kernel never writes into, or sends
// from, a buffer that belongs to another connection. Accepts are queued one
// at a time, only while a slot is free; the budget shared with the other
// workers is taken when the accept completes (an accepted socket finding
// none waits, parked and unread, until a unit comes back), so
// max_connections holds exactly, across all workers;
// EMFILE pauses them as in the epoll loop. The ring is created disabled and
// enabled by the loop's thread: single issuer, task work deferred to the
// loop's io_uring_enter.

#include <liburing.h>

#include <cstdint>
#include <memory>

#include "server/net/worker.h"

namespace shockwave::net {

class UringWorker final : public Worker {
 public:
  UringWorker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity, ConnectionBudget* budget);
  ~UringWorker() override;

  void run() noexcept override;

  // available: the kernel lets this process set up a ring (it may not:
  // seccomp filters, kernel.io_uring_disabled, kernels before 5.1).
  static bool available() noexcept;

 private:
  // What the ring does for one connection slot.
  struct Slot {
    int socket = -1;
    char* recv_at = nullptr;       // where the receive writes
    std::int32_t recv_result = 0;  // once done: bytes received, or -errno
    std::int32_t recv_taken = 0;   // of those, bytes handed to the connection
    std::int32_t send_result = 0;  // once done: bytes sent, or -errno
    bool recv_queued = false;      // in the kernel
    bool recv_done = false;        // completed; waits for the connection's read
    bool send_queued = false;
    bool send_done = false;
    bool send_polls = false;  // the queued "send" waits for room (send_file), sends nothing
    bool closing = false;     // closed; the slot frees when no operation is left
  };

  // The connections' Io: context is the worker, fd the slot number.
  static ssize_t io_read(void* context, int fd, char* buffer, std::size_t size);
  static ssize_t io_write(void* context, int fd, const char* data, std::size_t size);
  static ssize_t io_write_now(void* context, int fd, const char* data, std::size_t size);
  static ssize_t io_send_file(void* context, int fd, int file_fd, off_t* offset, std::size_t count);
  static bool io_input_pending(void* context, int fd);
  static void io_shutdown_write(void* context, int fd);

  int connection_fd(std::size_t slot, int socket) noexcept override;
  void close_connection(Connection* c) noexcept override;
  void listen(bool on) noexcept override;
  void stop_listening() noexcept override;

  io_uring_sqe* next_sqe() noexcept;
  // queue_in_send_place: the slot's one send place gets an operation (a
  // send, or the poll that waits for room for a file), prepared by
  // prep(sqe), tagged and counted. False, errno ENOBUFS, when the ring is full.
  template <class Prep>
  bool queue_in_send_place(std::size_t slot, Prep prep) noexcept;
  void cancel(std::uint64_t user_data) noexcept;
  void queue_accept() noexcept;
  void queue_wake() noexcept;
  void reap() noexcept;
  bool take(std::uint64_t user_data, std::int32_t* result) noexcept;
  void settle() noexcept;
  void on_completion(std::uint64_t user_data, std::int32_t result) noexcept;
  void on_accepted(std::int32_t result) noexcept;
  bool adopt_parked() noexcept;
  void drain() noexcept;

  Io io_;
  io_uring ring_{};
  bool ring_disabled_ = false;  // created disabled; run() enables it
  std::unique_ptr<Slot[]> slots_;
  std::size_t in_flight_ = 0;  // queued receives, sends, accept and wake read
  bool accept_queued_ = false;
  int parked_fd_ = -1;         // accepted while the budget was out; not read yet
  bool wake_pending_ = false;  // the wake eventfd fired; handled after the turn's completions
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_URING_WORKER_H_
