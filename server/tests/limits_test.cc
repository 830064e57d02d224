// Limits at their edges (config.h): what fits is served, one more is
// refused with its status; max_connections holds further connections back
// (accept paused) until a slot frees, rather than refusing them.

#include <poll.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

class LimitsTest : public ::testing::Test {
 protected:
  Config config_ = test_config();  // max_body 64 KiB, request-line 8 KiB, field section 16 KiB, 100 fields
  Endpoints handler_;
  TestServer<Endpoints> server_{config_, handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }

  Response exchange(const std::string& bytes, std::string_view method = "GET") {
    Client client(server_.port());
    EXPECT_TRUE(client.send(bytes));
    return client.read_response(method);
  }
};

std::string post_echo(const std::string& body) {
  return "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string post_echo_chunked(const std::string& body, std::size_t chunk) {
  std::string bytes = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  char size[32];
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::size_t n = std::min(chunk, body.size() - at);
    std::snprintf(size, sizeof size, "%zx\r\n", n);
    bytes += size + body.substr(at, n) + "\r\n";
  }
  return bytes + "0\r\n\r\n";
}

TEST_F(LimitsTest, BodyOfExactlyMaxBodyIsServed) {
  const std::string body(config_.limits.max_body, 'b');
  const Response r = exchange(post_echo(body), "POST");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.size(), body.size());
  EXPECT_EQ(r.body, body);
}

TEST_F(LimitsTest, BodyOneOverMaxBodyGets413) {
  const Response r = exchange(post_echo(std::string(config_.limits.max_body + 1, 'b')), "POST");
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.connection_close());
}

TEST_F(LimitsTest, ChunkedBodyOfExactlyMaxBodyIsServed) {
  const std::string body(config_.limits.max_body, 'c');
  const Response r = exchange(post_echo_chunked(body, 1000), "POST");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
}

TEST_F(LimitsTest, ChunkedBodyOneOverMaxBodyGets413) {
  const Response r = exchange(post_echo_chunked(std::string(config_.limits.max_body + 1, 'c'), 1000), "POST");
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(r.connection_close());
}

// RFC 9112 §3: request-lines of at least 8000 octets are supported.
TEST_F(LimitsTest, RequestLineOf8000OctetsIsServed) {
  const std::string target = "/" + std::string(8000 - 14, 't');  // "GET " + target + " HTTP/1.1": 8000
  const Response r = exchange("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(r.status, 404);  // served: no such endpoint
}

TEST_F(LimitsTest, HeaderSectionJustUnderTheLimitIsServed) {
  std::string fields = "Host: a\r\n";
  while (fields.size() + 1100 < config_.limits.max_field_section) {
    fields += "X-F" + std::to_string(fields.size()) + ": " + std::string(1000, 'v') + "\r\n";
  }
  const Response r = exchange("GET /plaintext HTTP/1.1\r\n" + fields + "\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
}

TEST_F(LimitsTest, MaxFieldsAreServedOneMoreGets431) {
  auto request = [](std::size_t fields) {
    std::string bytes = "GET /plaintext HTTP/1.1\r\nHost: a\r\n";
    for (std::size_t i = 1; i < fields; ++i) bytes += "X-" + std::to_string(i) + ": v\r\n";
    return bytes + "\r\n";
  };
  EXPECT_EQ(exchange(request(config_.max_fields)).status, 200);
  const Response r = exchange(request(config_.max_fields + 1));
  EXPECT_EQ(r.status, 431);
  EXPECT_TRUE(r.connection_close());
}

TEST(MaxConnectionsTest, NextConnectionWaitsForAFreeSlot) {
  Config config = test_config();
  config.max_connections = 2;
  Endpoints handler;
  TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();

  auto first = std::make_unique<Client>(server.port());
  Client second(server.port());
  for (Client* c : {first.get(), &second}) {
    ASSERT_TRUE(c->send(get("/plaintext")));
    ASSERT_EQ(c->read_response().status, 200);
  }
  // The kernel completes the handshake; the server does not accept yet.
  Client third(server.port());
  ASSERT_TRUE(third.connected());
  ASSERT_TRUE(third.send(get("/plaintext")));
  EXPECT_FALSE(third.wait_bytes(milliseconds(500))) << escape(third.pending());
  first.reset();  // frees a slot
  const Response r = third.read_response("GET", milliseconds(3000));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
  // The connections that stayed open are still served.
  ASSERT_TRUE(second.send(get("/json")));
  EXPECT_EQ(second.read_response().status, 200);
}

// served counts the clients that have an answer within `wait` (each sent a
// GET; a served connection stays open and keeps its slot).
std::size_t served(const std::vector<std::unique_ptr<Client>>& clients, milliseconds wait) {
  std::this_thread::sleep_for(wait);
  std::size_t n = 0;
  for (const auto& c : clients) {
    if (!c) continue;
    pollfd p{c->fd(), POLLIN, 0};
    if (!c->pending().empty() || (poll(&p, 1, 0) == 1 && c->wait_bytes(milliseconds(100)))) ++n;
  }
  return n;
}

// max_connections is "at most, all threads together": with several event
// loops the limit is one budget they share, not a share each rounded up.
void check_max_connections_across_threads(unsigned threads, std::size_t max, std::size_t clients) {
  SCOPED_TRACE("threads " + std::to_string(threads) + ", max_connections " + std::to_string(max));
  Config config = test_config();
  config.threads = threads;
  config.max_connections = max;
  Endpoints handler;
  TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  // Enough clients that, however SO_REUSEPORT spreads them, every loop gets
  // more than its share.
  std::vector<std::unique_ptr<Client>> all;
  for (std::size_t i = 0; i < clients; ++i) {
    all.push_back(std::make_unique<Client>(server.port()));
    ASSERT_TRUE(all.back()->connected());
    ASSERT_TRUE(all.back()->send(get("/plaintext")));
  }
  const std::size_t first = served(all, milliseconds(800));
  EXPECT_LE(first, max);
  EXPECT_GE(first, 1u);
  // Closing the served connections gives their units back; the loops that
  // were waiting for one (maybe not those that closed) serve the others.
  std::size_t closed = 0;
  for (auto& c : all) {
    if (!c->pending().empty()) {
      c.reset();
      ++closed;
    }
  }
  std::vector<std::unique_ptr<Client>> rest;
  for (auto& c : all) {
    if (c) rest.push_back(std::move(c));
  }
  const std::size_t second = served(rest, milliseconds(1500));
  EXPECT_LE(second, max);
  EXPECT_GE(second, 1u);
}

TEST(MaxConnectionsTest, HoldsAcrossThreads) {
  check_max_connections_across_threads(4, 1, 16);
  check_max_connections_across_threads(8, 4, 64);
  check_max_connections_across_threads(3, 50, 150);
}

TEST(MaxConnectionsTest, ZeroThreadsIsRefused) {
  Config config = test_config();
  config.threads = 0;
  Endpoints handler;
  TestServer<Endpoints> server(config, handler);
  EXPECT_FALSE(server.started());
  EXPECT_NE(server.error().find("threads"), std::string::npos) << server.error();
}

// A response larger than the write buffer is answered 500 (config.h), with
// nothing of it sent: it used to go out as its head, Content-Length and all,
// then the close, with none of the body.
void check_response_too_large(std::size_t body_size, std::size_t max_body) {
  SCOPED_TRACE("body " + std::to_string(body_size));
  Config config = test_config();
  config.write_buffer_size = 4096;
  config.limits.max_body = max_body;
  Endpoints handler;
  TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port());
  ASSERT_TRUE(client.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body_size) +
                          "\r\n\r\n" + std::string(body_size, 'e')));
  const Response r = client.read_response("POST");
  EXPECT_EQ(r.status, 500) << escape(client.pending());
  EXPECT_TRUE(r.connection_close());
  EXPECT_EQ(r.body.find("eeee"), std::string::npos);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(client.pending().empty()) << escape(client.pending());
}

TEST(WriteBufferTest, ResponseLargerThanTheWriteBufferIs500) {
  check_response_too_large(10'000, 64 * 1024);
  check_response_too_large(100'000, 131'072);
}

}  // namespace
}  // namespace shockwave::testing
