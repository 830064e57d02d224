#ifndef SHOCKWAVE_SERVER_NET_EPOLL_WORKER_H_
#define SHOCKWAVE_SERVER_NET_EPOLL_WORKER_H_

// EpollWorker: the edge-triggered epoll loop. Each connection is registered
// once for EPOLLIN | EPOLLOUT | EPOLLRDHUP, edge-triggered, and never
// modified; the listener is level-triggered, and pausing accept clears its
// interest. Connections read and send with system calls (kSocketIo).

#include "server/net/worker.h"

namespace shockwave::net {

class EpollWorker final : public Worker {
 public:
  EpollWorker(const Config& config, Dispatch dispatch, int listen_fd, std::size_t capacity, ConnectionBudget* budget);
  ~EpollWorker() override;

  void run() noexcept override;

 private:
  int connection_fd(std::size_t slot, int socket) noexcept override;
  void close_connection(Connection* c) noexcept override;
  void listen(bool on) noexcept override;
  void stop_listening() noexcept override;
  void accept_all() noexcept;

  int epoll_fd_ = -1;
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_EPOLL_WORKER_H_
