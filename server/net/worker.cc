#include "server/net/worker.h"

#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <string>

#include "server/net/epoll_worker.h"
#include "server/net/uring_worker.h"

namespace shockwave::net {
namespace {

constexpr std::int64_t kAcceptBackoffMs = 100;  // after EMFILE/ENFILE
// An access-log line longer than this is cut, and says so
// (observe/access_log_line.h): room for a long target and user agent.
constexpr std::size_t kAccessLineSize = 16 * 1024;

std::int64_t clock_ms(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

std::unique_ptr<Worker> Worker::create(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity,
                                       ConnectionBudget* budget) {
  if (resolve(config.io) == IoBackend::kUring) {
    return std::make_unique<UringWorker>(config, dispatch, listen_fd, capacity, budget);
  }
  return std::make_unique<EpollWorker>(config, dispatch, listen_fd, capacity, budget);
}

IoBackend Worker::resolve(IoBackend io) noexcept {
  if (io != IoBackend::kAuto) return io;
  return UringWorker::available() ? IoBackend::kUring : IoBackend::kEpoll;
}

Worker::Worker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity, ConnectionBudget* budget)
    : config_(config), capacity_(capacity), budget_(budget), listen_fd_(listen_fd) {
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    const int e = errno;
    close(listen_fd_);
    throw std::runtime_error(std::string("eventfd: ") + std::strerror(e));
  }

  const std::size_t in_size = config.read_buffer_size();
  const std::size_t out_size = config.write_buffer_size;
  connections_ = std::make_unique<Connection[]>(capacity);
  // Not zero-filled: untouched pages stay unbacked until a connection uses them.
  input_slab_ = std::make_unique_for_overwrite<char[]>(capacity * in_size);
  output_slab_ = std::make_unique_for_overwrite<char[]>(capacity * out_size);
  field_slab_ = std::make_unique<http1::Header[]>(capacity * config.max_fields);
  free_ = std::make_unique<Connection*[]>(capacity);
  mailbox_ = std::make_unique<detail::Mailbox>(wake_fd_);
  cells_ = std::make_unique<detail::Cell[]>(capacity);
  for (std::size_t i = 0; i < capacity; ++i) cells_[i].mailbox = mailbox_.get();
  for (std::size_t i = capacity; i-- > 0;) free_[free_count_++] = &connections_[i];

  env_.config = &config_;
  env_.parser_options = http1::ParserOptions{config.limits, config.leniency};
  env_.dispatch = dispatch;
  env_.stats = config.enable_stats ? &stats_ : nullptr;
  if (!config.access_log.empty()) {
    log_ring_ = std::make_unique<observe::LogRing>(config.access_log_ring);
    log_line_ = std::make_unique_for_overwrite<char[]>(kAccessLineSize);
    log_sink_ =
        AccessLogSink{log_ring_.get(), config.access_log_format, std::span<char>(log_line_.get(), kAccessLineSize)};
    env_.access_log = &log_sink_;
  }
  tick_clock();
}

Worker::~Worker() {
  if (listen_fd_ >= 0) close(listen_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void Worker::stop() noexcept {
  stop_requested_.store(true, std::memory_order_relaxed);
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void Worker::wake_for_budget() noexcept {
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

bool Worker::take_budget() noexcept {
  for (;;) {
    if (budget_->take()) return true;
    // Announce the wait before looking again: a unit given back after the
    // look finds the flag set and wakes this loop (both sequentially
    // consistent), so no wake-up is lost.
    awaiting_budget_.store(true);
    if (budget_->available() == 0) {
      log("shockwave: max_connections reached; accept paused\n");
      pause_accept(0);
      return false;
    }
    awaiting_budget_.store(false);
  }
}

void Worker::give_budget() noexcept {
  budget_->give();
  // Once shutting down nobody resumes accepting; and a worker being
  // destroyed must not touch the others (they may be gone already).
  if (env_.shutting_down) return;
  for (Worker* w : budget_->workers) {
    if (w != this && w->awaiting_budget_.load()) w->wake_for_budget();
  }
}

void Worker::tick_clock() noexcept {
  env_.now_ms = clock_ms(CLOCK_MONOTONIC_COARSE);
  env_.unix_ms = clock_ms(CLOCK_REALTIME_COARSE);
  const std::int64_t second = env_.unix_ms / 1000;
  if (second != date_second_) {  // the Date line, once a second
    date_second_ = second;
    env_.date_line = std::string_view(date_line_, http1::format_date_line(second, date_line_));
  }
}

void Worker::log(const char* message) noexcept {
  // At most one line a second: a flood must not turn into a log flood.
  if (env_.now_ms - last_log_ms_ < 1000) return;
  last_log_ms_ = env_.now_ms;
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, message, std::strlen(message));
}

Connection* Worker::adopt(int socket) noexcept {
  Connection* c = free_[--free_count_];
  const std::size_t slot = slot_of(c);
  const std::size_t in_size = config_.read_buffer_size();
  const std::size_t out_size = config_.write_buffer_size;
  c->prev = nullptr;
  c->next = open_;
  c->open(connection_fd(slot, socket), &env_, std::span<char>(input_slab_.get() + slot * in_size, in_size),
          std::span<char>(output_slab_.get() + slot * out_size, out_size),
          std::span<http1::Header>(field_slab_.get() + slot * config_.max_fields, config_.max_fields), &cells_[slot]);
  if (env_.access_log != nullptr) {
    // One system call per connection, and only with the log on.
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      c->set_peer_address(observe::PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&address), length));
    }
  }
  if (open_ != nullptr) open_->prev = c;
  open_ = c;
  ++open_count_;
  if (env_.stats) WorkerStats::add(stats_.connections_accepted, 1);
  return c;
}

void Worker::unlink(Connection* c) noexcept {
  c->on_close();
  if (c->prev != nullptr)
    c->prev->next = c->next;
  else
    open_ = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_count_;
  give_budget();
  if (env_.stats) WorkerStats::add(stats_.connections_closed, 1);
}

void Worker::release(Connection* c) noexcept {
  free_[free_count_++] = c;
  if (accept_paused_ && accept_resume_ms_ == 0) resume_accept();
}

bool Worker::accept_failed(int error) noexcept {
  if (error == EINTR || error == ECONNABORTED || error == EPROTO) return true;
  if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM) {
    log("shockwave: out of file descriptors; accept paused for 100 ms\n");
    pause_accept(env_.now_ms + kAcceptBackoffMs);
  }
  return false;
}

void Worker::slots_exhausted() noexcept {
  // Every slot is taken: stop asking, rather than spin on a ready listener.
  log("shockwave: max_connections reached; accept paused\n");
  pause_accept(0);
}

void Worker::pause_accept(std::int64_t resume_ms) noexcept {
  accept_resume_ms_ = resume_ms;
  if (accept_paused_) return;
  accept_paused_ = true;
  listen(false);
}

void Worker::resume_accept() noexcept {
  if (!accept_paused_ || env_.shutting_down || free_count_ == 0) return;
  accept_paused_ = false;
  accept_resume_ms_ = 0;
  listen(true);
}

void Worker::on_wake() noexcept {
  // Nothing more here: after_events() begins the shutdown and delivers the
  // woken tickets once the batch is handled, since both may close
  // connections whose events may still be in the batch, and handling those
  // would close them twice.
  wakes_pending_ = true;
}

void Worker::deliver_wakes() noexcept {
  wakes_pending_ = false;
  mailbox_->deliver([this](void* owner, std::uint64_t value) {
    auto* c = static_cast<Connection*>(owner);
    if (c->on_woken(value) == Connection::Status::kClose) close_connection(c);
  });
}

bool Worker::after_events() noexcept {
  if (wakes_pending_) deliver_wakes();
  if (!env_.shutting_down && stop_requested_.load(std::memory_order_relaxed)) begin_shutdown();
  if (env_.now_ms >= next_sweep_ms_) sweep();
  if (accept_paused_ && accept_resume_ms_ != 0 && env_.now_ms >= accept_resume_ms_) resume_accept();
  if (accept_paused_ && awaiting_budget_.load() && budget_->available() > 0) {
    // Another worker gave a unit back (and woke this loop).
    awaiting_budget_.store(false);
    resume_accept();
  }
  if (!env_.shutting_down) return false;
  if (open_count_ == 0) return true;
  if (env_.now_ms < shutdown_deadline_ms_) return false;
  while (open_ != nullptr) close_connection(open_);  // the hard deadline
  return true;
}

void Worker::sweep() noexcept {
  next_sweep_ms_ = env_.now_ms + kSweepIntervalMs;
  for (Connection* c = open_; c != nullptr;) {
    Connection* next = c->next;
    if (c->on_tick() == Connection::Status::kClose) close_connection(c);
    c = next;
  }
}

void Worker::begin_shutdown() noexcept {
  env_.shutting_down = true;
  shutdown_deadline_ms_ = env_.now_ms + config_.shutdown_timeout.count();
  stop_listening();
  close(listen_fd_);
  listen_fd_ = -1;
  for (Connection* c = open_; c != nullptr;) {
    Connection* next = c->next;
    if (c->on_shutdown() == Connection::Status::kClose) close_connection(c);
    c = next;
  }
}

}  // namespace shockwave::net
