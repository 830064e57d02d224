#include "server/net/epoll_worker.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace shockwave::net {
namespace {

// Tags in epoll_event.data.ptr that are not connections.
char listener_tag;
char wake_tag;

constexpr int kMaxEvents = 256;

}  // namespace

EpollWorker::EpollWorker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity,
                         ConnectionBudget* budget)
    : Worker(config, dispatch, listen_fd, capacity, budget) {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ev.data.ptr = &listener_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);  // level-triggered: accept pauses by removing interest
}

EpollWorker::~EpollWorker() {
  while (open_ != nullptr) close_connection(open_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

void EpollWorker::run() noexcept {
  epoll_event events[kMaxEvents];
  for (;;) {
    const int n = epoll_wait(epoll_fd_, events, kMaxEvents, static_cast<int>(kSweepIntervalMs));
    tick_clock();
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_tag) {
        std::uint64_t value;
        [[maybe_unused]] ssize_t r = read(wake_fd_, &value, sizeof value);
        on_wake();
        continue;
      }
      if (tag == &listener_tag) {
        accept_all();
        continue;
      }
      auto* c = static_cast<Connection*>(tag);
      const std::uint32_t e = events[i].events;
      Connection::Status status = Connection::Status::kOpen;
      if (e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        status = c->on_readable(/*peer_hung_up=*/(e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
      }
      if (status == Connection::Status::kOpen && (e & EPOLLOUT)) status = c->on_writable();
      if (status == Connection::Status::kClose) close_connection(c);
    }
    if (after_events()) return;
  }
}

void EpollWorker::accept_all() noexcept {
  while (free_count_ > 0) {
    // A unit of the budget all workers share first (none: accept pauses).
    if (env_.shutting_down ? !budget_->take() : !take_budget()) return;
    // The listener has TCP_NODELAY; accepted sockets inherit it.
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      give_budget();
      if (accept_failed(errno)) continue;
      return;  // EAGAIN: the backlog is empty
    }
    Connection* c = adopt(fd);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) close_connection(c);
  }
  slots_exhausted();
}

int EpollWorker::connection_fd(std::size_t, int socket) noexcept { return socket; }

void EpollWorker::close_connection(Connection* c) noexcept {
  unlink(c);
  close(c->fd());  // also removes it from the epoll set
  release(c);
}

void EpollWorker::listen(bool on) noexcept {
  epoll_event ev{};
  ev.events = on ? static_cast<std::uint32_t>(EPOLLIN) : 0u;
  ev.data.ptr = &listener_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &ev);
}

void EpollWorker::stop_listening() noexcept {
  accept_all();
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
}

}  // namespace shockwave::net
