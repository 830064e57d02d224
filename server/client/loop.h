#ifndef SHOCKWAVE_SERVER_CLIENT_LOOP_H_
#define SHOCKWAVE_SERVER_CLIENT_LOOP_H_

// Loop: the client's epoll instance and the event array it waits with,
// both made in the constructor. An event's data is (origin id << 32) |
// connection slot.

#include <sys/epoll.h>
#include <unistd.h>

#include <array>

namespace shockwave::client_detail {

struct Loop {
  Loop() noexcept : epoll_fd(::epoll_create1(EPOLL_CLOEXEC)) {}
  ~Loop() {
    if (epoll_fd >= 0) ::close(epoll_fd);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  int epoll_fd;
  std::array<epoll_event, 256> events{};
};

}  // namespace shockwave::client_detail

#endif  // SHOCKWAVE_SERVER_CLIENT_LOOP_H_
