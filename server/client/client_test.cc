// shockwave::Client against our server (Server<Endpoints>, in process) and
// against scripted peers that misbehave on purpose: pooling, pipelining,
// retries only where RFC 9110 §9.2.2 allows, timeouts, limits, and bad
// responses answered with the right error.

#include "server/client/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "server/config.h"
#include "server/endpoints.h"
#include "server/server.h"
#include "testing/ports.h"

namespace shockwave {
namespace {

using namespace std::chrono_literals;

// Outcome: what one completion reported (the test may allocate).
struct Outcome {
  ClientError error = ClientError::kNone;
  int status = 0;
  std::string body;
  std::string connection;
};

struct Recorder {
  std::vector<Outcome> outcomes;
  void on_response(const ClientResponse* r, ClientError error) {
    Outcome o;
    o.error = error;
    if (r != nullptr) {
      o.status = r->head.status;
      o.body = std::string(r->body);
      o.connection = std::string(r->header("Connection"));
    }
    outcomes.push_back(std::move(o));
  }
};

// drain polls until nothing is in flight (or 5 s pass).
void drain(Client& client) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (client.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) client.poll(10ms);
}

class OurServer {
 public:
  explicit OurServer(Config config = {}) : config_(std::move(config)) {
    config_.port = 0;
    config_.enable_stats = true;
    server_ = std::make_unique<Server<Endpoints>>(config_, endpoints_);
    std::string error;
    if (!server_->start(&error)) throw std::runtime_error(error);
  }
  ~OurServer() {
    server_->stop();
    server_->wait();
  }
  std::uint16_t port() const { return server_->port(); }
  StatsSnapshot stats() const { return server_->stats(); }

 private:
  Config config_;
  Endpoints endpoints_;
  std::unique_ptr<Server<Endpoints>> server_;
};

// ScriptedPeer: a listener on 127.0.0.1 whose every accepted connection is
// handed to `script` on the peer's thread, one at a time.
class ScriptedPeer {
 public:
  explicit ScriptedPeer(std::function<void(int fd, int index)> script) : script_(std::move(script)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      throw std::runtime_error("listen");
    }
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] {
      for (int index = 0;; ++index) {
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0 || stopping_) {
          if (fd >= 0) ::close(fd);
          return;
        }
        script_(fd, index);
        ::close(fd);
      }
    });
  }
  ~ScriptedPeer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  std::uint16_t port() const { return port_; }

 private:
  std::function<void(int, int)> script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// read_head reads up to the end of one request head (no body expected).
std::string read_head(int fd) {
  std::string got;
  char c;
  while (got.find("\r\n\r\n") == std::string::npos && ::recv(fd, &c, 1, 0) == 1) got += c;
  return got;
}

void write_all(int fd, std::string_view s) {
  while (!s.empty()) {
    const ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

// echo_targets reads `n` request heads (fewer if the stream ends), answers
// them in one write, each with its target as the body, and waits for the
// client to close.
void echo_targets(int fd, int n) {
  std::string answers;
  for (int i = 0; i < n; ++i) {
    const std::string head = read_head(fd);
    if (head.size() < 4) break;
    const std::string target = head.substr(4, head.find(' ', 4) - 4);
    answers += "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(target.size()) + "\r\n\r\n" + target;
  }
  write_all(fd, answers);
  read_head(fd);
}

// exchange sends one request and polls until nothing is in flight.
template <typename Receiver>
void exchange(Client& client, int origin, const ClientRequest& request, Receiver& receiver) {
  ASSERT_EQ(client.send(origin, request, Completion::to(receiver)), ClientError::kNone);
  drain(client);
}

// wait_for_closed: until the server has closed `n` connections (5 s at most).
void wait_for_closed(const OurServer& server, std::uint64_t n) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (server.stats().connections_closed < n && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_GE(server.stats().connections_closed, n);
}

int add(Client& client, std::uint16_t port) {
  std::string error;
  const int origin = client.add_origin({"127.0.0.1", port, ""}, &error);
  EXPECT_GE(origin, 0) << error;
  return origin;
}

TEST(Client, GetsAResponseFromOurServer) {
  OurServer server;
  Client client;
  const int origin = add(client, server.port());
  Recorder r;
  exchange(client, origin, {"GET", "/plaintext"}, r);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kNone);
  EXPECT_EQ(r.outcomes[0].status, 200);
  EXPECT_EQ(r.outcomes[0].body, "Hello, World!");
}

TEST(Client, SendsBodiesAndHeadHasNone) {
  OurServer server;
  Client client;
  const int origin = add(client, server.port());
  Recorder r;
  const http1::Header type[] = {{"Content-Type", "text/x-test"}};
  exchange(client, origin, {"POST", "/echo", type, "ping"}, r);
  exchange(client, origin, {"HEAD", "/plaintext"}, r);
  ASSERT_EQ(client.send(origin, {"POST", "/echo"}, Completion::to(r)), ClientError::kNone);  // Content-Length: 0
  drain(client);
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].body, "ping");
  EXPECT_EQ(r.outcomes[1].status, 200);
  EXPECT_EQ(r.outcomes[1].body, "");
  EXPECT_EQ(r.outcomes[2].status, 200);
  EXPECT_EQ(r.outcomes[2].body, "");
  EXPECT_EQ(client.stats().connections_opened, 1u) << "keep-alive: one connection for all three";
}

TEST(Client, PoolNeverOpensMoreThanItsMaximum) {
  OurServer server;
  ClientConfig config;
  config.max_connections = 2;
  Client client(config);
  const int origin = add(client, server.port());
  Recorder r;
  EXPECT_EQ(client.send(origin, {"GET", "/json"}, Completion::to(r)), ClientError::kNone);
  EXPECT_EQ(client.send(origin, {"GET", "/json"}, Completion::to(r)), ClientError::kNone);
  EXPECT_EQ(client.send(origin, {"GET", "/json"}, Completion::to(r)), ClientError::kBusy);
  EXPECT_EQ(client.open_connections(), 2u);
  drain(client);
  // 50 more, as fast as the pool takes them.
  int sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (sent < 50 && std::chrono::steady_clock::now() < deadline) {
    if (client.send(origin, {"GET", "/json"}, Completion::to(r)) == ClientError::kNone) {
      ++sent;
    } else {
      client.poll(10ms);
    }
    EXPECT_LE(client.open_connections(), 2u);
  }
  drain(client);
  EXPECT_EQ(r.outcomes.size(), 52u);
  for (const Outcome& o : r.outcomes) EXPECT_EQ(o.status, 200);
  EXPECT_EQ(client.stats().connections_opened, 2u);
  EXPECT_EQ(server.stats().connections_accepted, 2u);
}

TEST(Client, PipelinesInOrderOnOneConnection) {
  OurServer server;
  ClientConfig config;
  config.max_connections = 1;
  config.pipeline_depth = 8;
  Client client(config);
  const int origin = add(client, server.port());
  Recorder r;
  const std::string bodies[] = {"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg", "hhhhhhhh"};
  for (const std::string& b : bodies) {
    ASSERT_EQ(client.send(origin, {"POST", "/echo", {}, b}, Completion::to(r)), ClientError::kNone);
  }
  EXPECT_EQ(client.send(origin, {"GET", "/"}, Completion::to(r)), ClientError::kBusy);
  drain(client);
  ASSERT_EQ(r.outcomes.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(r.outcomes[i].body, bodies[i]);
  EXPECT_EQ(client.stats().connections_opened, 1u);
}

// RFC 9112 §9.3.1: a server may close an idle connection at any time; a
// request sent on it just then gets no response. Only an idempotent one is
// sent again.
TEST(Client, RetriesOnlyIdempotentRequestsOnAConnectionTheServerClosed) {
  Config short_idle;
  short_idle.idle_timeout = 100ms;
  OurServer server(short_idle);
  Client client;
  const int origin = add(client, server.port());
  Recorder r;
  exchange(client, origin, {"GET", "/plaintext"}, r);
  // The server closes the pooled connection; the client does not look.
  wait_for_closed(server, 1);
  exchange(client, origin, {"GET", "/plaintext"}, r);
  ASSERT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(r.outcomes[1].error, ClientError::kNone);
  EXPECT_EQ(r.outcomes[1].body, "Hello, World!");
  EXPECT_EQ(client.stats().retries, 1u);
  EXPECT_EQ(client.stats().connections_opened, 2u);

  // The same for a POST: reported, not repeated.
  wait_for_closed(server, 2);
  exchange(client, origin, {"POST", "/echo", {}, "x"}, r);
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[2].error, ClientError::kClosed);
  EXPECT_EQ(client.stats().retries, 1u);
}

// The retry keeps every pipelined request and its order when the ring of
// requests in flight has wrapped around (its head is not at slot 0).
TEST(Client, RetriesPipelinedRequestsInOrderAcrossTheRingsWrap) {
  ScriptedPeer peer([](int fd, int index) {
    if (index == 0) {
      for (const char* body : {"one", "two"}) {
        read_head(fd);
        write_all(fd, std::string("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n") + body);
      }
      for (int i = 0; i < 3; ++i) read_head(fd);  // then closes, answering none: the idle-close race
      return;
    }
    echo_targets(fd, 3);
  });
  ClientConfig config;
  config.max_connections = 1;
  config.pipeline_depth = 4;
  Client client(config);
  const int origin = add(client, peer.port());
  Recorder first;
  exchange(client, origin, {"GET", "/1"}, first);
  exchange(client, origin, {"GET", "/2"}, first);
  // The ring's head is at slot 2 now: these three go in slots 2, 3 and 0.
  Recorder a, b, c;
  ASSERT_EQ(client.send(origin, {"GET", "/a"}, Completion::to(a)), ClientError::kNone);
  ASSERT_EQ(client.send(origin, {"GET", "/bb"}, Completion::to(b)), ClientError::kNone);
  exchange(client, origin, {"GET", "/ccc"}, c);
  ASSERT_EQ(first.outcomes.size(), 2u);
  EXPECT_EQ(first.outcomes[1].body, "two");
  ASSERT_EQ(a.outcomes.size(), 1u);
  ASSERT_EQ(b.outcomes.size(), 1u);
  ASSERT_EQ(c.outcomes.size(), 1u);
  EXPECT_EQ(a.outcomes[0].body, "/a");
  EXPECT_EQ(b.outcomes[0].body, "/bb");
  EXPECT_EQ(c.outcomes[0].body, "/ccc");
  EXPECT_EQ(client.stats().retries, 3u);
}

// A server may end a connection with any response (RFC 9112 §9.6: lighttpd
// does at its max-keep-alive-requests). The requests pipelined behind that
// response got no byte of theirs, so RFC 9112 §9.3.2 has them retried; the
// first of them is not "answered in part".
TEST(Client, RetriesWhatWasPipelinedBehindTheLastResponse) {
  for (const char* last : {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\n/1a",
                           "HTTP/1.1 200 OK\r\n\r\n/1a"}) {  // its body delimited by the close
    SCOPED_TRACE(last);
    ScriptedPeer peer([last](int fd, int index) {
      if (index == 0) {
        read_head(fd);
        write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n/0");
        for (int i = 0; i < 3; ++i) read_head(fd);
        write_all(fd, last);
        return;
      }
      echo_targets(fd, 2);
    });
    ClientConfig config;
    config.max_connections = 1;
    config.pipeline_depth = 4;
    Client client(config);
    const int origin = add(client, peer.port());
    Recorder r;
    exchange(client, origin, {"GET", "/0"}, r);  // the connection is reused from here on
    for (const char* target : {"/1a", "/2bb", "/3ccc"}) {
      ASSERT_EQ(client.send(origin, {"GET", target}, Completion::to(r)), ClientError::kNone);
    }
    drain(client);
    ASSERT_EQ(r.outcomes.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
      EXPECT_EQ(r.outcomes[i].error, ClientError::kNone) << i;
      EXPECT_EQ(r.outcomes[i].body, std::vector<std::string>({"/0", "/1a", "/2bb", "/3ccc"})[i]) << i;
    }
    EXPECT_EQ(client.stats().retries, 2u);
    EXPECT_EQ(client.stats().connections_opened, 2u);
  }
}

// A fresh connection closed before any byte of a response: no retry (the
// connection was not reused, so the server may have seen the request).
TEST(Client, DoesNotRetryOnAFreshConnection) {
  std::atomic<int> accepted{0};
  ScriptedPeer peer([&](int fd, int) {
    ++accepted;
    read_head(fd);
  });
  Client client;
  const int origin = add(client, peer.port());
  Recorder r;
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kClosed);
  EXPECT_EQ(client.stats().retries, 0u);
  EXPECT_EQ(accepted, 1);
}

// A response cut short is never retried, even on a reused connection.
TEST(Client, DoesNotRetryAResponseCutShort) {
  ScriptedPeer peer([](int fd, int) {
    read_head(fd);
    write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    read_head(fd);
    write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  });
  Client client;
  const int origin = add(client, peer.port());
  Recorder r;
  exchange(client, origin, {"GET", "/"}, r);
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(r.outcomes[0].body, "ok");
  EXPECT_EQ(r.outcomes[1].error, ClientError::kClosed);
  EXPECT_EQ(client.stats().retries, 0u);
}

TEST(Client, ResponseTimeout) {
  ScriptedPeer peer([](int fd, int) {
    read_head(fd);
    char c;
    ::recv(fd, &c, 1, 0);  // until the client gives up and closes
  });
  ClientConfig config;
  config.response_timeout = 200ms;
  Client client(config);
  const int origin = add(client, peer.port());
  Recorder r;
  const auto start = std::chrono::steady_clock::now();
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kResponseTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(Client, IdleConnectionsAreClosedAfterTheIdleTimeout) {
  OurServer server;
  ClientConfig config;
  config.idle_timeout = 100ms;
  Client client(config);
  const int origin = add(client, server.port());
  Recorder r;
  exchange(client, origin, {"GET", "/json"}, r);
  EXPECT_EQ(client.open_connections(), 1u);
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (client.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) client.poll(20ms);
  EXPECT_EQ(client.open_connections(), 0u);
}

TEST(Client, ConnectRefused) {
  const std::uint16_t port = testing::closed_port();
  ASSERT_NE(port, 0);
  Client client;
  const int origin = add(client, port);
  Recorder r;
  const ClientError sent = client.send(origin, {"GET", "/"}, Completion::to(r));
  if (sent == ClientError::kNone) drain(client);
  ASSERT_EQ(r.outcomes.size(), sent == ClientError::kNone ? 1u : 0u);
  if (sent == ClientError::kNone) {
    EXPECT_EQ(r.outcomes[0].error, ClientError::kConnect);
  }
}

TEST(Client, BadResponsesGetTheirError) {
  struct Case {
    std::string response;
    ClientError error;
  };
  const std::vector<Case> cases = {
      // RFC 9112 §6.3 item 5: differing Content-Lengths are unrecoverable.
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", ClientError::kInvalidResponse},
      // RFC 9112 §6.3 item 3: Transfer-Encoding with Content-Length.
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
       ClientError::kInvalidResponse},
      {"garbage\r\n\r\n", ClientError::kInvalidResponse},
      {"HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + std::string(4096, 'x'), ClientError::kResponseTooLarge},
  };
  for (const Case& c : cases) {
    ScriptedPeer peer([&](int fd, int) {
      read_head(fd);
      write_all(fd, c.response);
      char byte;
      ::recv(fd, &byte, 1, 0);
    });
    ClientConfig config;
    config.read_buffer_size = 1024;
    Client client(config);
    const int origin = add(client, peer.port());
    Recorder r;
    ASSERT_EQ(client.send(origin, {"GET", "/"}, Completion::to(r)), ClientError::kNone);
    drain(client);
    ASSERT_EQ(r.outcomes.size(), 1u) << c.response.substr(0, 40);
    EXPECT_EQ(r.outcomes[0].error, c.error) << c.response.substr(0, 40);
  }
}

TEST(Client, CloseDelimitedBodyAndChunkedBody) {
  ScriptedPeer peer([](int fd, int index) {
    read_head(fd);
    if (index == 0) {
      write_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");  // RFC 9112 §6.3 item 8
    } else {
      write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n");
      read_head(fd);
    }
  });
  Client client;
  const int origin = add(client, peer.port());
  Recorder r;
  exchange(client, origin, {"GET", "/"}, r);
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 2u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kNone);
  EXPECT_EQ(r.outcomes[0].body, "until the end");
  EXPECT_EQ(r.outcomes[1].body, "abcde");
}

// A body far larger than the input buffer, streamed to the callback: by
// Content-Length, chunked (with trailers) and delimited by close.
struct Streamer {
  std::string body;
  int heads_with_status = 0;
  std::vector<Outcome> outcomes;
  std::string trailers;
  void on_body(const ClientResponse& head, std::string_view slice) {
    if (head.head.status == 200 && head.body.empty()) ++heads_with_status;
    body += slice;
  }
  void on_response(const ClientResponse* r, ClientError error) {
    Outcome o;
    o.error = error;
    if (r != nullptr) {
      o.status = r->head.status;
      o.body = std::string(r->body);
      for (const http1::Header& t : r->trailers) trailers += std::string(t.name) + "=" + std::string(t.value);
    }
    outcomes.push_back(std::move(o));
  }
};

std::string big_body() {
  std::string b(1 << 20, '\0');
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<char>('a' + (i * 7) % 26);
  return b;
}

TEST(Client, StreamsBodiesLargerThanItsBuffer) {
  const std::string body = big_body();
  ScriptedPeer peer([&](int fd, int index) {
    read_head(fd);
    if (index == 0) {
      write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
      write_all(fd, body);
      read_head(fd);  // the second request, chunked
      write_all(fd, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (std::size_t at = 0; at < body.size(); at += 1000) {
        const std::string_view c = std::string_view(body).substr(at, 1000);
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", c.size());
        write_all(fd, std::string(size) + std::string(c) + "\r\n");
      }
      write_all(fd, "0\r\nX-Sum: 1\r\n\r\n");
      read_head(fd);
    } else {
      write_all(fd, "HTTP/1.1 200 OK\r\n\r\n");  // RFC 9112 §6.3 item 8: to the close
      write_all(fd, body);
    }
  });
  ClientConfig config;
  config.read_buffer_size = 4096;
  Client client(config);
  const int origin = add(client, peer.port());
  for (int i = 0; i < 3; ++i) {
    Streamer s;
    ASSERT_EQ(client.send(origin, {"GET", "/"}, Completion::to(s)), ClientError::kNone);
    drain(client);
    ASSERT_EQ(s.outcomes.size(), 1u) << i;
    EXPECT_EQ(s.outcomes[0].error, ClientError::kNone) << i;
    EXPECT_EQ(s.outcomes[0].status, 200) << i;
    EXPECT_EQ(s.outcomes[0].body, "") << "streamed: the completion sees no body";
    EXPECT_TRUE(s.body == body) << i << ": " << s.body.size() << " bytes streamed";
    EXPECT_GT(s.heads_with_status, 1) << "the body came in slices, each with its head";
    if (i == 1) {
      EXPECT_EQ(s.trailers, "X-Sum=1");
    }
  }
  // Not streamed, the same response does not fit.
  Recorder r;
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kResponseTooLarge);
}

TEST(Client, InterimResponsesAreSkipped) {
  ScriptedPeer peer([](int fd, int) {
    read_head(fd);
    write_all(fd, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    read_head(fd);
  });
  Client client;
  const int origin = add(client, peer.port());
  Recorder r;
  exchange(client, origin, {"GET", "/"}, r);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].status, 200);
  EXPECT_EQ(r.outcomes[0].body, "ok");
}

TEST(Client, RefusesRequestsThatWouldBreakTheFraming) {
  Client client;
  const int origin = add(client, 9);
  Recorder r;
  const http1::Header crlf[] = {{"X", "a\r\nInjected: 1"}};
  const http1::Header bad_name[] = {{"X Y", "a"}};
  const http1::Header framing[] = {{"Content-Length", "5"}};
  EXPECT_EQ(client.send(origin, {"GE T", "/"}, Completion::to(r)), ClientError::kInvalidRequest);
  EXPECT_EQ(client.send(origin, {"GET", "/a b"}, Completion::to(r)), ClientError::kInvalidRequest);
  EXPECT_EQ(client.send(origin, {"GET", "/", crlf}, Completion::to(r)), ClientError::kInvalidRequest);
  EXPECT_EQ(client.send(origin, {"GET", "/", bad_name}, Completion::to(r)), ClientError::kInvalidRequest);
  EXPECT_EQ(client.send(origin, {"GET", "/", framing}, Completion::to(r)), ClientError::kInvalidRequest);
  EXPECT_EQ(client.send(7, {"GET", "/"}, Completion::to(r)), ClientError::kUnknownOrigin);
  EXPECT_EQ(client.send(origin, {"POST", "/", {}, std::string(64 * 1024, 'x')}, Completion::to(r)),
            ClientError::kRequestTooLarge);
  EXPECT_TRUE(r.outcomes.empty());
  EXPECT_EQ(client.in_flight(), 0u);
  std::string error;
  EXPECT_EQ(client.add_origin({"localhost", 80, ""}, &error), -1);
  EXPECT_NE(error.find("literal"), std::string::npos);
}

TEST(Client, DestroyingTheClientCompletesWhatIsInFlight) {
  ScriptedPeer peer([](int fd, int) {
    read_head(fd);
    char c;
    ::recv(fd, &c, 1, 0);
  });
  Recorder r;
  {
    Client client;
    const int origin = add(client, peer.port());
    ASSERT_EQ(client.send(origin, {"GET", "/"}, Completion::to(r)), ClientError::kNone);
    client.poll(50ms);
  }
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].error, ClientError::kShutdown);
}

}  // namespace
}  // namespace shockwave
