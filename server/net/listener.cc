#include "server/net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shockwave::net {
namespace {
int open_socket(const std::string& address, std::uint16_t port, bool share, std::string* error) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    *error = "not an IPv4 or IPv6 address: " + address;
    return -EINVAL;
  }
  int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int e = errno;
    *error = std::string("socket: ") + std::strerror(e);
    return -e;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (!share) {
    // A probe without SO_REUSEPORT: binding fails if anyone holds the port,
    // where SO_REUSEPORT alone would quietly share it with another server.
    if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
      int e = errno;
      *error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + std::strerror(e);
      close(fd);
      return -e;
    }
    return fd;
  }
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  // Accepted sockets inherit TCP_NODELAY from the listener (Linux), which
  // saves a setsockopt per connection.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || listen(fd, SOMAXCONN) != 0) {
    int e = errno;
    *error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + std::strerror(e);
    close(fd);
    return -e;
  }
  return fd;
}
}  // namespace

int open_listener(const std::string& address, std::uint16_t port, bool check_free, std::string* error) {
  if (check_free && port != 0) {
    const int probe = open_socket(address, port, /*share=*/false, error);
    if (probe < 0) return probe;
    close(probe);
  }
  return open_socket(address, port, /*share=*/true, error);
}

std::uint16_t bound_port(int fd) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return 0;
  if (storage.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
}

}  // namespace shockwave::net
