#include "server/net/worker.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace shockwave::net {
namespace {

// Tags in epoll_event.data.ptr that are not connections.
char listener_tag;
char wake_tag;

constexpr std::int64_t kSweepIntervalMs = 250;
constexpr std::int64_t kAcceptBackoffMs = 100;  // after EMFILE/ENFILE
constexpr int kMaxEvents = 256;

std::int64_t clock_ms(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

Worker::Worker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity)
    : config_(config), capacity_(capacity), listen_fd_(listen_fd) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error(std::string("epoll/eventfd: ") + std::strerror(errno));

  const std::size_t in_size = config.read_buffer_size();
  const std::size_t out_size = config.write_buffer_size;
  connections_ = std::make_unique<Connection[]>(capacity);
  // Not zero-filled: untouched pages stay unbacked until a connection uses them.
  input_slab_ = std::make_unique_for_overwrite<char[]>(capacity * in_size);
  output_slab_ = std::make_unique_for_overwrite<char[]>(capacity * out_size);
  field_slab_ = std::make_unique<http1::Header[]>(capacity * config.max_fields);
  free_ = std::make_unique<Connection*[]>(capacity);
  for (std::size_t i = capacity; i-- > 0;) free_[free_count_++] = &connections_[i];

  env_.config = &config_;
  env_.parser_options = http1::ParserOptions{config.limits, config.leniency};
  env_.dispatch = dispatch;
  env_.stats = config.enable_stats ? &stats_ : nullptr;
  tick_clock();

  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ev.data.ptr = &listener_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);  // level-triggered: accept pauses by removing interest
}

Worker::~Worker() {
  while (open_ != nullptr) close_connection(open_);
  if (listen_fd_ >= 0) close(listen_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

void Worker::stop() noexcept {
  stop_requested_.store(true, std::memory_order_relaxed);
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void Worker::tick_clock() noexcept {
  env_.now_ms = clock_ms(CLOCK_MONOTONIC_COARSE);
  env_.unix_ms = clock_ms(CLOCK_REALTIME_COARSE);
  const std::int64_t second = env_.unix_ms / 1000;
  if (second != date_second_) {  // the Date line, once a second
    date_second_ = second;
    env_.date_line = std::string_view(date_line_, format_date_line(second, date_line_));
  }
}

void Worker::log(const char* message) noexcept {
  // At most one line a second: a flood must not turn into a log flood.
  if (env_.now_ms - last_log_ms_ < 1000) return;
  last_log_ms_ = env_.now_ms;
  [[maybe_unused]] ssize_t n = write(STDERR_FILENO, message, std::strlen(message));
}

void Worker::run() noexcept {
  epoll_event events[kMaxEvents];
  for (;;) {
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(kSweepIntervalMs));
    tick_clock();
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_tag) {
        std::uint64_t value;
        [[maybe_unused]] ssize_t r = read(wake_fd_, &value, sizeof value);
        if (!env_.shutting_down && stop_requested_.load(std::memory_order_relaxed)) begin_shutdown();
        continue;
      }
      if (tag == &listener_tag) {
        accept_all();
        continue;
      }
      auto* c = static_cast<Connection*>(tag);
      const std::uint32_t e = events[i].events;
      Connection::Status status = Connection::Status::kOpen;
      if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) status = c->on_readable();
      if (status == Connection::Status::kOpen && (e & EPOLLOUT)) status = c->on_writable();
      if (status == Connection::Status::kClose) close_connection(c);
    }
    if (env_.now_ms >= next_sweep_ms_) sweep();
    if (accept_paused_ && accept_resume_ms_ != 0 && env_.now_ms >= accept_resume_ms_) resume_accept();
    if (env_.shutting_down) {
      if (open_count_ == 0) return;
      if (env_.now_ms >= shutdown_deadline_ms_) {  // the hard deadline
        while (open_ != nullptr) close_connection(open_);
        return;
      }
    }
  }
}

void Worker::sweep() noexcept {
  next_sweep_ms_ = env_.now_ms + kSweepIntervalMs;
  for (Connection* c = open_; c != nullptr;) {
    Connection* next = c->next;
    if (c->on_tick() == Connection::Status::kClose) close_connection(c);
    c = next;
  }
}

void Worker::accept_all() noexcept {
  while (free_count_ > 0) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        log("shockwave: out of file descriptors; accept paused for 100 ms\n");
        pause_accept(env_.now_ms + kAcceptBackoffMs);
      }
      return;  // EAGAIN: the backlog is empty
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Connection* c = free_[--free_count_];
    const std::size_t slot = static_cast<std::size_t>(c - connections_.get());
    const std::size_t in_size = config_.read_buffer_size();
    const std::size_t out_size = config_.write_buffer_size;
    c->prev = nullptr;
    c->next = open_;
    c->open(fd, &env_, std::span<char>(input_slab_.get() + slot * in_size, in_size),
            std::span<char>(output_slab_.get() + slot * out_size, out_size),
            std::span<http1::Header>(field_slab_.get() + slot * config_.max_fields, config_.max_fields));
    if (open_ != nullptr) open_->prev = c;
    open_ = c;
    ++open_count_;
    if (env_.stats) WorkerStats::add(stats_.connections_accepted, 1);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) close_connection(c);
  }
  // Every slot is taken: stop asking, rather than spin on a ready listener.
  log("shockwave: max_connections reached; accept paused\n");
  pause_accept(0);
}

void Worker::pause_accept(std::int64_t resume_ms) noexcept {
  accept_resume_ms_ = resume_ms;
  if (accept_paused_) return;
  accept_paused_ = true;
  epoll_event ev{};
  ev.data.ptr = &listener_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &ev);
}

void Worker::resume_accept() noexcept {
  if (!accept_paused_ || env_.shutting_down || free_count_ == 0) return;
  accept_paused_ = false;
  accept_resume_ms_ = 0;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &listener_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &ev);
}

void Worker::close_connection(Connection* c) noexcept {
  if (c->prev != nullptr) c->prev->next = c->next;
  else open_ = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  c->prev = c->next = nullptr;
  --open_count_;
  close(c->fd());  // also removes it from the epoll set
  free_[free_count_++] = c;
  if (env_.stats) WorkerStats::add(stats_.connections_closed, 1);
  if (accept_paused_ && accept_resume_ms_ == 0) resume_accept();
}

void Worker::begin_shutdown() noexcept {
  env_.shutting_down = true;
  shutdown_deadline_ms_ = env_.now_ms + config_.shutdown_timeout.count();
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
  close(listen_fd_);
  listen_fd_ = -1;
  for (Connection* c = open_; c != nullptr;) {
    Connection* next = c->next;
    if (c->on_shutdown() == Connection::Status::kClose) close_connection(c);
    c = next;
  }
}

}  // namespace shockwave::net
