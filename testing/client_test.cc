// The test client against a scripted peer: expect accepts exactly the
// expected response and allocates nothing doing so; read_responses returns
// what arrived.

#include "testing/client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "testing/alloc_counter.h"

namespace shockwave::testing {
namespace {

// Peer accepts one connection on 127.0.0.1, reads one request head, writes
// `reply`, then closes if `close_after`, else waits for the client to close.
class Peer {
 public:
  Peer(std::string reply, bool close_after) : reply_(std::move(reply)), close_after_(close_after) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      ADD_FAILURE() << "cannot listen";
      return;
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Peer() {
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }

 private:
  void serve() {
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    std::string in;
    char buffer[4096];
    while (in.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      in.append(buffer, static_cast<std::size_t>(n));
    }
    (void)!::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
    if (!close_after_) {
      while (::recv(fd, buffer, sizeof buffer, 0) > 0) {
      }
    }
    ::close(fd);
  }

  std::string reply_;
  bool close_after_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

constexpr std::string_view kRequest = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

// expect_one: the client's verdict on `reply` against `e`, and its failure.
std::string expect_one(const std::string& reply, const ExpectedResponse& e, bool close_after = false) {
  Peer peer(reply, close_after);
  Client client;
  if (!client.connect(peer.port()) || !client.send(kRequest)) return "no connection";
  return client.expect(e) ? "ok" : client.failure();
}

TEST(Client, ExpectAcceptsEveryFraming) {
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", {200, "hello"}), "ok");
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
                       {200, "hello"}),
            "ok");
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello", {200, "hello", true}, true), "ok");
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", {200, "hello", false, true}), "ok");
  EXPECT_EQ(expect_one("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", {404, ""}), "ok");
}

TEST(Client, ExpectRejectsWhatDiffers) {
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhellx", {200, "hello"}),
            std::string("body differs"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nhell", {200, "hello"}),
            std::string("Content-Length is not the expected body's"));
  EXPECT_EQ(expect_one("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello", {200, "hello"}),
            std::string("status line is not HTTP/1.1 with the expected status"));
  EXPECT_EQ(expect_one("HTTP/1.1 201 OK\r\nContent-Length: 5\r\n\r\nhello", {200, "hello"}),
            std::string("status line is not HTTP/1.1 with the expected status"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello", {200, "hello"}),
            std::string("unexpected Connection: close"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", {200, "hello", true}),
            std::string("no Connection: close"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\n\r\nhello", {200, "hello"}, true),
            std::string("no framing in a response that keeps the connection"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nT: v\r\n\r\n",
                       {200, "hello"}),
            std::string("trailer fields after last-chunk"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n0\r\n\r\n", {200, "hello"}),
            std::string("chunked body shorter than expected"));
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", {200, "hello"}, true),
            std::string("connection closed inside a response"));  // the parser's reason (RFC 9112 §8)
  EXPECT_EQ(expect_one("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", {200, ""}),
            std::string("bare LF line terminator"));
}

TEST(Client, ExpectAllocatesNothing) {
  const std::string reply =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  Peer peer(reply, true);
  Client client;
  AllocationScope scope;
  ASSERT_TRUE(client.connect(peer.port()));
  ASSERT_TRUE(client.send(kRequest));
  EXPECT_TRUE(client.expect("hello")) << client.failure();
  EXPECT_TRUE(client.expect("hello")) << client.failure();
  EXPECT_TRUE(client.expect_eof()) << client.failure();
  EXPECT_EQ(client.responses(), 2u);
  EXPECT_EQ(scope.allocations(), 0u);
}

TEST(Client, ReadResponsesParsesThemAndKeepsTheRest) {
  Peer peer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX: y\r\n\r\nokHTTP/1.1", false);
  Client client(peer.port());
  ASSERT_TRUE(client.connected()) << client.connect_errno();
  ASSERT_TRUE(client.send(kRequest));
  const std::vector<Response> r = client.read_responses(2, {}, milliseconds(2000));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, 100);
  EXPECT_EQ(r[1].status, 200);
  EXPECT_EQ(r[1].header("x"), "y");
  EXPECT_EQ(r[1].body, "ok");
  EXPECT_EQ(client.pending(), "HTTP/1.1");
  EXPECT_FALSE(client.closed());
}

}  // namespace
}  // namespace shockwave::testing
