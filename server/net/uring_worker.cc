#include "server/net/uring_worker.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace shockwave::net {
namespace {

// user_data: (slot << 3) | kind. Kind 0 marks a cancel request's own
// completion; liburing's internal timeout uses all ones (kind 7).
enum Kind : std::uint64_t { kIgnore = 0, kRecv = 1, kSend = 2, kAccept = 3, kWake = 4 };
constexpr std::uint64_t kKindMask = 7;

std::uint64_t tag(std::size_t slot, Kind kind) { return (static_cast<std::uint64_t>(slot) << 3) | kind; }

constexpr std::int64_t kDrainMs = 2000;
constexpr int kSettleRounds = 8;

unsigned ring_size(std::size_t n, unsigned low, unsigned high) {
  return static_cast<unsigned>(std::clamp<std::size_t>(n, low, high));
}

}  // namespace

UringWorker::UringWorker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity,
                         ConnectionBudget* budget)
    : Worker(config, dispatch, listen_fd, capacity, budget) {
  slots_ = std::make_unique<Slot[]>(capacity);
  // The connections' Io reaches this loop's slots through its context (only
  // the loop's thread calls into its connections).
  io_ = Io{this,         io_read,          io_write,    io_shutdown_write, /*short_read_drains=*/false,
           io_write_now, io_input_pending, io_send_file};
  env_.io = &io_;

  // Every slot has at most a receive, a send and their two cancels in the
  // ring; sized so, the completion queue cannot overflow.
  const unsigned sq_entries = ring_size(2 * capacity + 8, 64, 4096);
  const unsigned cq_entries = ring_size(4 * capacity + 16, 64, 65536);
  int r = 0;
  // The ring is created on a thread of its own that ends at once. The kernel
  // registers the creating thread with the ring, and when the ring is torn
  // down it notifies every registered thread as a signal would: a blocking
  // call with a timeout on the caller's thread (the application's, or a
  // test's connect() with SO_SNDTIMEO) then failed with EINTR. The loop's
  // own thread registers itself in run().
  std::thread([&] {
    io_uring_params params{};
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
                   IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED;
    params.cq_entries = cq_entries;
    r = io_uring_queue_init_params(sq_entries, &ring_, &params);
    ring_disabled_ = r == 0;
    if (r == -EINVAL) {  // a kernel before 6.1: without the newer flags
      params = io_uring_params{};
      params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
      params.cq_entries = cq_entries;
      r = io_uring_queue_init_params(sq_entries, &ring_, &params);
    }
  }).join();
  if (r < 0) throw std::runtime_error(std::string("io_uring: ") + std::strerror(-r));
}

bool UringWorker::available() noexcept {
  bool ok = false;
  // On a thread of its own, as in the constructor: tearing a ring down
  // notifies the threads registered with it.
  std::thread([&] {
    io_uring ring{};
    ok = io_uring_queue_init(2, &ring, 0) == 0;
    if (ok) io_uring_queue_exit(&ring);
  }).join();
  return ok;
}

UringWorker::~UringWorker() {
  while (open_ != nullptr) {  // only if run() never ran to its end
    Connection* c = open_;
    unlink(c);
    close(slots_[slot_of(c)].socket);
  }
  if (parked_fd_ >= 0) close(parked_fd_);
  io_uring_queue_exit(&ring_);
}

void UringWorker::run() noexcept {
  if (ring_disabled_) io_uring_enable_rings(&ring_);
  io_uring_register_ring_fd(&ring_);  // cheaper io_uring_enter; optional
  queue_wake();
  queue_accept();
  for (;;) {
    io_uring_cqe* cqe = nullptr;
    __kernel_timespec timeout{0, kSweepIntervalMs * 1'000'000};
    // Submits everything the last turn queued and waits for a completion.
    io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
    tick_clock();
    reap();
    if (wake_pending_) {
      wake_pending_ = false;
      if (stopping() && !env_.shutting_down) settle();
      on_wake();
      queue_wake();  // tickets are woken during the shutdown too; drain() cancels it
    }
    if (after_events()) break;
  }
  drain();
  io_uring_unregister_ring_fd(&ring_);
}

// reap handles every completion in the ring, one at a time, each marked
// seen before it is handled: handlers queue requests (and may submit), and
// io_write_now may take a later completion out of the ring (take()).
void UringWorker::reap() noexcept {
  while (io_uring_cq_ready(&ring_) > 0) {
    const io_uring_cqe* cqe = &ring_.cq.cqes[io_uring_cqe_index(&ring_, *ring_.cq.khead, ring_.cq.ring_mask)];
    const std::uint64_t user_data = cqe->user_data;
    const std::int32_t result = cqe->res;
    io_uring_cq_advance(&ring_, 1);
    on_completion(user_data, result);
  }
}

// take finds the completion tagged `user_data` among those not handled yet,
// returns its result and leaves it in the ring marked to be ignored.
bool UringWorker::take(std::uint64_t user_data, std::int32_t* result) noexcept {
  const unsigned tail = io_uring_smp_load_acquire(ring_.cq.ktail);
  for (unsigned head = *ring_.cq.khead; head != tail; ++head) {
    io_uring_cqe* cqe = &ring_.cq.cqes[io_uring_cqe_index(&ring_, head, ring_.cq.ring_mask)];
    if (cqe->user_data != user_data) continue;
    *result = cqe->res;
    cqe->user_data = kIgnore;
    return true;
  }
  return false;
}

// settle, when the server is told to stop: submits what is queued and runs
// what the kernel has ready, a few rounds, so requests already in sockets
// (and connections already in the backlog) are taken in before idle
// connections are closed.
void UringWorker::settle() noexcept {
  for (int round = 0; round < kSettleRounds; ++round) {
    io_uring_submit_and_get_events(&ring_);
    if (io_uring_cq_ready(&ring_) == 0) return;
    reap();
  }
}

void UringWorker::on_completion(std::uint64_t user_data, std::int32_t result) noexcept {
  const std::uint64_t kind = user_data & kKindMask;
  switch (kind) {
    case kRecv:
    case kSend:
      break;
    case kAccept:
      --in_flight_;
      accept_queued_ = false;
      on_accepted(result);
      return;
    case kWake: {
      --in_flight_;
      std::uint64_t value;
      [[maybe_unused]] ssize_t r = read(wake_fd_, &value, sizeof value);
      wake_pending_ = true;  // handled once this turn's completions are
      return;
    }
    default:
      return;  // a cancel's own completion, or liburing's timeout
  }
  --in_flight_;
  const std::size_t slot = static_cast<std::size_t>(user_data >> 3);
  Slot& s = slots_[slot];
  Connection* c = connection_at(slot);
  (kind == kRecv ? s.recv_queued : s.send_queued) = false;
  if (s.closing) {
    if (!s.recv_queued && !s.send_queued) {
      s.closing = false;
      release(c);
    }
    return;
  }
  Connection::Status status;
  if (kind == kRecv) {
    s.recv_done = true;
    s.recv_result = result;
    s.recv_taken = 0;
    status = c->on_readable();
  } else {
    s.send_done = true;
    s.send_result = result;
    status = c->on_writable();
  }
  if (status == Connection::Status::kClose) close_connection(c);
}

void UringWorker::on_accepted(std::int32_t result) noexcept {
  if (result >= 0 && env_.shutting_down) {
    // Accepted as the accept was being cancelled: the client may have sent
    // its request before the stop, so it is served like the others (in the
    // slot stop_listening() kept for it).
    if (free_count_ == 0 || !budget_->take()) {
      close(result);
      return;
    }
    Connection* c = adopt(result);
    if (c->on_shutdown() == Connection::Status::kClose) close_connection(c);
    return;
  }
  if (result >= 0) {
    if (!take_budget()) {
      // The other workers hold the whole budget: the connection waits,
      // unread, until a unit comes back (accepting is paused meanwhile).
      parked_fd_ = result;
      return;
    }
    Connection* c = adopt(result);  // a slot was free when the accept was queued
    // Its first read queues its first receive.
    if (c->on_readable() == Connection::Status::kClose) close_connection(c);
  } else if (result == -ECANCELED) {
    return;  // accepting paused or stopped
  } else {
    accept_failed(-result);  // out of descriptors pauses accepting for a while
  }
  if (accept_paused_ || env_.shutting_down) return;
  if (free_count_ == 0) {
    slots_exhausted();
    return;
  }
  queue_accept();
}

int UringWorker::connection_fd(std::size_t slot, int socket) noexcept {
  slots_[slot] = Slot{};
  slots_[slot].socket = socket;
  return static_cast<int>(slot);
}

void UringWorker::close_connection(Connection* c) noexcept {
  unlink(c);
  const std::size_t slot = slot_of(c);
  Slot& s = slots_[slot];
  if (s.recv_queued) cancel(tag(slot, kRecv));
  if (s.send_queued) cancel(tag(slot, kSend));
  close(s.socket);  // the queued operations hold the socket until they end
  s.socket = -1;
  s.recv_done = s.send_done = false;
  if (s.recv_queued || s.send_queued) {
    s.closing = true;  // released by the last completion
  } else {
    release(c);
  }
}

// adopt_parked serves the connection parked for want of budget, if any;
// false if it must wait on (accepting paused again).
bool UringWorker::adopt_parked() noexcept {
  if (parked_fd_ < 0) return true;
  if (!take_budget()) return false;
  Connection* c = adopt(parked_fd_);  // its slot stayed free: accepting was paused
  parked_fd_ = -1;
  if (c->on_readable() == Connection::Status::kClose) close_connection(c);
  return true;
}

void UringWorker::listen(bool on) noexcept {
  if (on) {
    if (!adopt_parked()) return;
    queue_accept();
  } else if (accept_queued_) {
    cancel(tag(0, kAccept));
  }
}

void UringWorker::stop_listening() noexcept {
  if (accept_queued_) cancel(tag(0, kAccept));  // if it completes first, on_accepted adopts
  // The backlog, taken in at once: non-blocking now, since the queued
  // accept may still take the last connection; a slot stays free for it.
  fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  const std::size_t reserved = accept_queued_ ? 1 : 0;
  if (parked_fd_ >= 0) {  // accepted before the stop: served if the budget allows
    if (free_count_ > reserved && budget_->take()) {
      adopt(parked_fd_);  // its first read comes with on_shutdown()
    } else {
      close(parked_fd_);
    }
    parked_fd_ = -1;
  }
  while (free_count_ > reserved && budget_->take()) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd >= 0) {
      adopt(fd);  // its first read comes with on_shutdown()
      continue;
    }
    budget_->give();
    if (!accept_failed(errno)) break;  // EAGAIN: the backlog is empty
  }
}

io_uring_sqe* UringWorker::next_sqe() noexcept {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {  // the submission queue is full: submit it now
    io_uring_submit(&ring_);
    sqe = io_uring_get_sqe(&ring_);
  }
  return sqe;
}

void UringWorker::cancel(std::uint64_t user_data) noexcept {
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) return;
  io_uring_prep_cancel64(sqe, user_data, 0);
  io_uring_sqe_set_data64(sqe, kIgnore);
}

void UringWorker::queue_accept() noexcept {
  if (accept_queued_ || listen_fd_ < 0 || free_count_ == 0) return;
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) return;  // retried when the next slot frees or the back-off ends
  // Non-blocking sockets, for sendfile(2) (io_send_file); io_uring's own
  // receives and sends wait for readiness all the same. The listener has
  // TCP_NODELAY, which accepted sockets inherit.
  io_uring_prep_accept(sqe, listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  io_uring_sqe_set_data64(sqe, tag(0, kAccept));
  accept_queued_ = true;
  ++in_flight_;
}

void UringWorker::queue_wake() noexcept {
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) return;
  // A poll, not a read: io_uring answers a read of the non-blocking
  // eventfd with EAGAIN at once.
  io_uring_prep_poll_add(sqe, wake_fd_, POLLIN);
  io_uring_sqe_set_data64(sqe, tag(0, kWake));
  ++in_flight_;
}

// drain cancels whatever is still queued and waits for it, so nothing the
// kernel does touches the slabs once run() has returned.
void UringWorker::drain() noexcept {
  if (in_flight_ == 0) return;
  if (io_uring_sqe* sqe = next_sqe(); sqe != nullptr) {
    io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
    io_uring_sqe_set_data64(sqe, kIgnore);
  }
  const std::int64_t deadline = env_.now_ms + kDrainMs;
  while (in_flight_ > 0 && env_.now_ms < deadline) {
    io_uring_cqe* cqe = nullptr;
    __kernel_timespec timeout{0, 100'000'000};
    io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
    tick_clock();
    reap();
  }
}

// --- The connections' Io -----------------------------------------------------

ssize_t UringWorker::io_read(void* context, int fd, char* buffer, std::size_t size) {
  auto* w = static_cast<UringWorker*>(context);
  Slot& s = w->slots_[static_cast<std::size_t>(fd)];
  if (s.recv_done) {
    const std::int32_t result = s.recv_result;
    if (result > 0) {
      const std::size_t n = std::min(size, static_cast<std::size_t>(result - s.recv_taken));
      char* from = s.recv_at + s.recv_taken;
      if (from != buffer) std::memmove(buffer, from, n);  // the connection compacted meanwhile
      s.recv_taken += static_cast<std::int32_t>(n);
      if (s.recv_taken == result) s.recv_done = false;
      return static_cast<ssize_t>(n);
    }
    s.recv_done = false;
    if (result == 0) return 0;
    if (result != -EAGAIN && result != -EINTR) {
      errno = -result;
      return -1;
    }
  }
  if (!s.recv_queued) {
    io_uring_sqe* sqe = w->next_sqe();
    if (sqe == nullptr) {
      errno = ENOBUFS;
      return -1;
    }
    io_uring_prep_recv(sqe, s.socket, buffer, size, 0);
    io_uring_sqe_set_data64(sqe, tag(static_cast<std::size_t>(fd), kRecv));
    s.recv_at = buffer;
    s.recv_queued = true;
    ++w->in_flight_;
  }
  errno = EAGAIN;
  return -1;
}

template <class Prep>
bool UringWorker::queue_in_send_place(std::size_t slot, Prep prep) noexcept {
  io_uring_sqe* sqe = next_sqe();
  if (sqe == nullptr) {
    errno = ENOBUFS;
    return false;
  }
  prep(sqe);  // before the tag: a prep helper may clear the whole entry
  io_uring_sqe_set_data64(sqe, tag(slot, kSend));
  slots_[slot].send_queued = true;
  ++in_flight_;
  return true;
}

ssize_t UringWorker::io_write(void* context, int fd, const char* data, std::size_t size) {
  auto* w = static_cast<UringWorker*>(context);
  Slot& s = w->slots_[static_cast<std::size_t>(fd)];
  if (s.send_done && s.send_polls) {  // room for a file's bytes; these go by a send
    s.send_done = s.send_polls = false;
  } else if (s.send_done) {
    s.send_done = false;
    if (s.send_result >= 0) return s.send_result;
    if (s.send_result != -EAGAIN && s.send_result != -EINTR) {
      errno = -s.send_result;
      return -1;
    }
  }
  if (!s.send_queued && !w->queue_in_send_place(static_cast<std::size_t>(fd), [&](io_uring_sqe* sqe) {
        io_uring_prep_send(sqe, s.socket, data, size, MSG_NOSIGNAL);
      })) {
    return -1;
  }
  errno = EAGAIN;
  return -1;
}

ssize_t UringWorker::io_write_now(void* context, int fd, const char* data, std::size_t size) {
  auto* w = static_cast<UringWorker*>(context);
  const auto slot = static_cast<std::size_t>(fd);
  Slot& s = w->slots_[slot];
  if (s.send_queued) {
    // Bytes already on their way go first. Has their send ended by now?
    // (Where epoll's send(2) would meet a full socket, this one says EAGAIN.)
    io_uring_submit_and_get_events(&w->ring_);
    std::int32_t result;
    if (!w->take(tag(slot, kSend), &result)) {
      errno = EAGAIN;
      return -1;
    }
    --w->in_flight_;
    s.send_queued = false;
    s.send_done = true;
    s.send_result = result;
  }
  if (s.send_done) return io_write(context, fd, data, size);
  return ::send(s.socket, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
}

ssize_t UringWorker::io_send_file(void* context, int fd, int file_fd, off_t* offset, std::size_t count) {
  auto* w = static_cast<UringWorker*>(context);
  Slot& s = w->slots_[static_cast<std::size_t>(fd)];
  if (s.send_queued) {  // still waiting for room
    errno = EAGAIN;
    return -1;
  }
  s.send_done = s.send_polls = false;  // the poll said there is room (or an error sendfile will tell)
  const ssize_t n = ::sendfile(s.socket, file_fd, offset, count);
  if (n >= 0 || errno != EAGAIN) return n;
  if (!w->queue_in_send_place(static_cast<std::size_t>(fd),
                              [&](io_uring_sqe* sqe) { io_uring_prep_poll_add(sqe, s.socket, POLLOUT); })) {
    return -1;
  }
  s.send_polls = true;
  errno = EAGAIN;
  return -1;
}

bool UringWorker::io_input_pending(void* context, int fd) {
  const Slot& s = static_cast<const UringWorker*>(context)->slots_[static_cast<std::size_t>(fd)];
  if (s.recv_done) return s.recv_result > 0;
  // A queued receive completes only when the loop next asks the ring; the
  // socket itself says whether bytes are there (peeked, not taken).
  char byte;
  return s.recv_queued && ::recv(s.socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

void UringWorker::io_shutdown_write(void* context, int fd) {
  ::shutdown(static_cast<UringWorker*>(context)->slots_[static_cast<std::size_t>(fd)].socket, SHUT_WR);
}

}  // namespace shockwave::net
