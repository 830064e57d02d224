// Listeners: accepted sockets come out with TCP_NODELAY, inherited from the
// listener (the loops set nothing per connection), so a response is never
// held back by Nagle's algorithm waiting for an ACK.

#include "server/net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace shockwave::net {
namespace {

TEST(ListenerTest, AcceptedSocketsHaveNoDelay) {
  std::string error;
  const int listener = open_listener("127.0.0.1", 0, /*check_free=*/true, &error);
  ASSERT_GE(listener, 0) << error;
  const std::uint16_t port = bound_port(listener);
  ASSERT_NE(port, 0);

  const int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(client, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

  int accepted = -1;
  for (int i = 0; i < 1000 && accepted < 0; ++i) {  // the listener is non-blocking
    accepted = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (accepted < 0) usleep(1000);
  }
  ASSERT_GE(accepted, 0);
  int nodelay = 0;
  socklen_t length = sizeof nodelay;
  ASSERT_EQ(getsockopt(accepted, IPPROTO_TCP, TCP_NODELAY, &nodelay, &length), 0);
  EXPECT_NE(nodelay, 0);

  close(accepted);
  close(client);
  close(listener);
}

}  // namespace
}  // namespace shockwave::net
