// Invariant 1 (docs/invariants.md), end to end: after start-up the server allocates nothing, per
// request or per connection, with stats off or on, under the epoll and the
// io_uring event loop. A real server on a real socket, a raw client that
// allocates nothing itself, and the one allocation counter
// (//testing:alloc_counter) around the measured phase, across all threads,
// asserted == 0. A handler that allocates on purpose is the
// negative control: the same measurement must see it.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <tuple>

#include "server/config.h"
#include "server/endpoints.h"
#include "server/files/safe_path.h"
#include "server/metrics.h"
#include "server/route_pattern.h"
#include "server/router.h"
#include "server/server.h"
#include "server/static_files.h"
#include "testing/alloc_counter.h"
#include "testing/client.h"
#include "testing/quiescence.h"

namespace shockwave {
namespace {

using shockwave::testing::AllocationScope;
using shockwave::testing::Client;
using shockwave::testing::GlobalAllocationScope;

// ---------------------------------------------------------------------------
// The exchanges: request bytes and the body the Endpoints handler answers.

struct Exchange {
  std::string_view request;
  std::string_view body;
};

constexpr std::string_view kHello = "Hello, World!";
constexpr std::string_view kJson = R"({"message":"Hello, World!"})";
constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz";
// zlib.crc32(b"abcdefghijklmnopqrstuvwxyz"), zlib.crc32(b"hello world")
constexpr std::string_view kUploadedAlphabet = "{\"bytes\":26,\"crc32\":\"4c2750bd\"}\n";
constexpr std::string_view kUploadedHello = "{\"bytes\":11,\"crc32\":\"0d4a1185\"}\n";
constexpr std::string_view kWaited = "waited 0 ms\n";

constexpr Exchange kKeepAlive[] = {
    {"GET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n", kHello},
    {"GET /json HTTP/1.1\r\nHost: test\r\nAccept: application/json\r\n\r\n", kJson},
    {"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n\r\n"
     "abcdefghijklmnopqrstuvwxyz",
     kAlphabet},
    {"POST /echo HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n",
     "hello world"},
    // Streamed bodies (Endpoints::Upload: size and CRC-32) and a deferred
    // response (woken by the DelayedWakes thread).
    {"POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 26\r\n\r\nabcdefghijklmnopqrstuvwxyz", kUploadedAlphabet},
    {"POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n",
     kUploadedHello},
    {"GET /delay/0 HTTP/1.1\r\nHost: test\r\n\r\n", kWaited},
};

// The same, each ending its connection (the server shuts down writing after
// the response and closes once the client has).
constexpr Exchange kClosing[] = {
    {"GET /plaintext HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", kHello},
    {"GET /json HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", kJson},
    {"POST /echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n\r\n"
     "abcdefghijklmnopqrstuvwxyz",
     kAlphabet},
    {"POST /echo HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: text/plain\r\n"
     "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n",
     "hello world"},
    {"POST /upload HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: 26\r\n\r\n"
     "abcdefghijklmnopqrstuvwxyz",
     kUploadedAlphabet},
    {"POST /upload HTTP/1.1\r\nHost: test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
     "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n",
     kUploadedHello},
    {"GET /delay/0 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", kWaited},
};
constexpr std::size_t kKinds = sizeof kKeepAlive / sizeof kKeepAlive[0];

// A pipelined batch: kPipeline requests in one write, built before any
// measurement into a static buffer.
constexpr std::size_t kPipeline = 18;  // kKinds + kPipeline divides kKeepAliveRequests / 2
struct Batch {
  char bytes[4096];
  std::size_t size = 0;
  std::string_view view() const { return {bytes, size}; }
};

Batch make_batch() {
  Batch batch;
  for (std::size_t i = 0; i < kPipeline; ++i) {
    const std::string_view r = kKeepAlive[i % kKinds].request;
    std::memcpy(batch.bytes + batch.size, r.data(), r.size());
    batch.size += r.size();
  }
  return batch;
}

// ---------------------------------------------------------------------------
// Waiting without allocating: the one implementation, testing/quiescence.
using shockwave::testing::open_fd_count;
using shockwave::testing::pause_ms;
using shockwave::testing::wait_until;
// The server must close within 5 s.
constexpr long kQuiesceMs = 5'000;
bool wait_for_fds(int expected) { return shockwave::testing::wait_for_fds(expected, kQuiesceMs); }

// ---------------------------------------------------------------------------
// The phases.

// warm_up: every kind of request once, alone and pipelined, on a connection
// that is then closed; and a few whole connection cycles.
bool warm_up(std::uint16_t port, const Batch& batch, Client& client) {
  for (int c = 0; c < 16; ++c) {
    if (!client.connect(port)) return false;
    for (const Exchange& e : kKeepAlive) {
      if (!client.send(e.request) || !client.expect(e.body)) return false;
    }
    if (!client.send(batch.view())) return false;
    for (std::size_t i = 0; i < kPipeline; ++i) {
      if (!client.expect(kKeepAlive[i % kKinds].body)) return false;
    }
    const Exchange& last = kClosing[c % kKinds];
    if (!client.send(last.request) || !client.expect(last.body, true) || !client.expect_eof()) return false;
    client.close();
  }
  return true;
}

constexpr std::size_t kKeepAliveRequests = 10'000;
constexpr std::size_t kCycle = kKinds + kPipeline;  // singles, then a pipelined batch
static_assert(kKeepAliveRequests % kCycle == 0 && (kKeepAliveRequests / 2) % kCycle == 0);

// keep_alive: kKeepAliveRequests on one connection, one at a time and in
// pipelined batches of kPipeline; halfway, the connection idles long enough
// for the event loop's timer sweeps and a new Date line.
bool keep_alive(std::uint16_t port, const Batch& batch, Client& client) {
  if (!client.connect(port)) return false;
  for (std::size_t done = 0; done < kKeepAliveRequests; done += kCycle) {
    if (done == kKeepAliveRequests / 2) pause_ms(1100);
    for (const Exchange& e : kKeepAlive) {
      if (!client.send(e.request) || !client.expect(e.body)) return false;
    }
    if (!client.send(batch.view())) return false;
    for (std::size_t i = 0; i < kPipeline; ++i) {
      if (!client.expect(kKeepAlive[i % kKinds].body)) return false;
    }
  }
  client.close();
  return true;
}

constexpr std::size_t kConnections = 1'000;

// connection_cycles: kConnections times connect, one request, close; half
// of them close from the client's side after a keep-alive response, half
// ask for Connection: close and read to the server's EOF first.
bool connection_cycles(std::uint16_t port, Client& client) {
  for (std::size_t i = 0; i < kConnections; ++i) {
    if (!client.connect(port)) return false;
    const bool closing = (i / kKinds) % 2 == 1;
    const Exchange& e = closing ? kClosing[i % kKinds] : kKeepAlive[i % kKinds];
    if (!client.send(e.request) || !client.expect(e.body, closing)) return false;
    if (closing && !client.expect_eof()) return false;
    client.close();
  }
  return true;
}

Config test_config(bool stats, unsigned threads, IoBackend io = IoBackend::kEpoll) {
  Config config;
  config.io = io;
  config.address = "127.0.0.1";
  config.port = 0;
  config.threads = threads;
  config.max_connections = 64;
  config.enable_stats = stats;
  // One connection carries all the keep-alive requests; none may be the one
  // answered with Connection: close for reaching the limit.
  config.max_requests_per_connection = 2 * kKeepAliveRequests;
  return config;
}

// What one measured phase saw.
struct Measured {
  std::uint64_t allocations = 0;         // every thread
  std::uint64_t client_allocations = 0;  // this (the client's) thread
  std::uint64_t frees = 0;
  bool client_ok = false;
  bool server_closed_all = false;
  StatsSnapshot before;
  StatsSnapshot after;
};

// closed_in_stats: if stats are on, waits until they count `closed` more
// closed connections than `before` (a worker counts a close just after
// close(2), so the descriptor count can get there first).
bool closed_in_stats(bool stats, const Server<Endpoints>& server, const StatsSnapshot& before, std::uint64_t closed) {
  if (!stats) return true;
  return wait_until([&] { return server.stats().connections_closed - before.connections_closed >= closed; },
                    kQuiesceMs);
}

// Each test runs with stats off and on, under each event-loop backend.
class AllocTest : public ::testing::TestWithParam<std::tuple<bool, IoBackend>> {
 protected:
  bool stats() const { return std::get<0>(GetParam()); }
  IoBackend io() const { return std::get<1>(GetParam()); }
};

TEST_P(AllocTest, KeepAliveRequestsAllocateNothing) {
  Endpoints endpoints;
  Server<Endpoints> server(test_config(stats(), 1, io()), endpoints);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  const Batch batch = make_batch();  // the request bytes, before any measurement
  Client client;
  const int fds = open_fd_count();  // the server's listeners, epoll/io_uring and eventfds; no connections
  ASSERT_GT(fds, 0);
  ASSERT_TRUE(warm_up(server.port(), batch, client)) << client.failure();
  ASSERT_TRUE(wait_for_fds(fds)) << "warm-up connections still open: " << open_fd_count() << " fds, not " << fds;

  Measured m;
  {
    GlobalAllocationScope global;
    AllocationScope local;
    m.before = server.stats();
    m.client_ok = keep_alive(server.port(), batch, client);
    m.server_closed_all = wait_for_fds(fds) && closed_in_stats(stats(), server, m.before, 1);
    pause_ms(20);  // the event loop finishes the turn it closed in
    m.after = server.stats();
    m.allocations = global.allocations();
    m.frees = global.frees();
    m.client_allocations = local.allocations();
  }
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_TRUE(m.server_closed_all) << open_fd_count() << " fds open, not " << fds;
  EXPECT_EQ(m.allocations, 0u) << "rerun with SHOCKWAVE_ALLOC_TRACE=1 for the stacks";
  EXPECT_EQ(m.frees, 0u);
  EXPECT_EQ(m.client_allocations, 0u) << "the test client itself allocated";
  if (stats()) {
    EXPECT_EQ(m.after.requests - m.before.requests, kKeepAliveRequests);
    EXPECT_EQ(m.after.connections_accepted - m.before.connections_accepted, 1u);
    EXPECT_EQ(m.after.connections_closed - m.before.connections_closed, 1u);
    EXPECT_GT(m.after.bytes_written, m.before.bytes_written);
  } else {
    EXPECT_EQ(m.after.requests, 0u);
  }
  server.stop();
  server.wait();
}

TEST_P(AllocTest, ConnectRequestCloseCyclesAllocateNothing) {
  Endpoints endpoints;
  // Two event loops (SO_REUSEPORT shares the connections between them; the
  // 16 warm-up connections reach both).
  Server<Endpoints> server(test_config(stats(), 2, io()), endpoints);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  const Batch batch = make_batch();  // the request bytes, before any measurement
  Client client;
  const int fds = open_fd_count();  // the server's listeners, epoll/io_uring and eventfds; no connections
  ASSERT_GT(fds, 0);
  ASSERT_TRUE(warm_up(server.port(), batch, client)) << client.failure();
  ASSERT_TRUE(wait_for_fds(fds)) << "warm-up connections still open: " << open_fd_count() << " fds, not " << fds;

  Measured m;
  {
    GlobalAllocationScope global;
    AllocationScope local;
    m.before = server.stats();
    m.client_ok = connection_cycles(server.port(), client);
    m.server_closed_all = wait_for_fds(fds) && closed_in_stats(stats(), server, m.before, kConnections);
    pause_ms(20);  // the event loop finishes the turn it closed in
    m.after = server.stats();
    m.allocations = global.allocations();
    m.frees = global.frees();
    m.client_allocations = local.allocations();
  }
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_EQ(client.responses(), 16 * (kKinds + kPipeline + 1) + kConnections);
  EXPECT_TRUE(m.server_closed_all) << open_fd_count() << " fds open, not " << fds;
  EXPECT_EQ(m.allocations, 0u) << "rerun with SHOCKWAVE_ALLOC_TRACE=1 for the stacks";
  EXPECT_EQ(m.frees, 0u);
  EXPECT_EQ(m.client_allocations, 0u) << "the test client itself allocated";
  if (stats()) {
    EXPECT_EQ(m.after.requests - m.before.requests, kConnections);
    EXPECT_EQ(m.after.connections_accepted - m.before.connections_accepted, kConnections);
    EXPECT_EQ(m.after.connections_closed - m.before.connections_closed, kConnections);
  }
  server.stop();
  server.wait();
}

// The access log on (Config::access_log, JSON lines to a file): formatting,
// the ring and the writer's thread add no allocation either, and every
// response has its line once the server has stopped.
TEST_P(AllocTest, AccessLogAllocatesNothing) {
  Endpoints endpoints;
  Config config = test_config(stats(), 1, io());
  const char* base = std::getenv("TEST_TMPDIR");
  config.access_log = std::string(base != nullptr ? base : "/tmp") + "/alloc_access_" + std::to_string(::getpid()) +
                      (stats() ? "_on" : "_off") + (io() == IoBackend::kUring ? "_uring" : "_epoll") + ".log";
  config.access_log_format = AccessLogFormat::kJson;
  config.access_log_ring = 8 << 20;  // every line of the run fits: none dropped
  ::unlink(config.access_log.c_str());
  Server<Endpoints> server(config, endpoints);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  const Batch batch = make_batch();
  Client client;
  const int fds = open_fd_count();
  ASSERT_TRUE(warm_up(server.port(), batch, client)) << client.failure();
  ASSERT_TRUE(wait_for_fds(fds)) << "warm-up connections still open: " << open_fd_count() << " fds, not " << fds;

  Measured m;
  {
    GlobalAllocationScope global;
    AllocationScope local;
    m.client_ok = keep_alive(server.port(), batch, client);
    m.server_closed_all = wait_for_fds(fds);
    pause_ms(200);  // the writer drains the ring at least once (every 100 ms)
    m.allocations = global.allocations();
    m.frees = global.frees();
    m.client_allocations = local.allocations();
  }
  server.stop();
  server.wait();
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_TRUE(m.server_closed_all) << open_fd_count() << " fds open, not " << fds;
  EXPECT_EQ(m.allocations, 0u) << "rerun with SHOCKWAVE_ALLOC_TRACE=1 for the stacks";
  EXPECT_EQ(m.frees, 0u);
  EXPECT_EQ(m.client_allocations, 0u) << "the test client itself allocated";

  // The warm-up's requests and the measured ones, a line each.
  const std::size_t warm_up_requests = 16 * (kKinds + kPipeline + 1);
  std::size_t lines = 0;
  std::size_t ok = 0;
  char buffer[1 << 16];
  std::string rest;
  const int fd = ::open(config.access_log.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) rest.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  for (std::size_t at = 0, end; (end = rest.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string_view line(rest.data() + at, end - at);
    ++lines;
    if (line.starts_with("{\"time\":\"") && line.find("\"peer\":\"127.0.0.1\"") != std::string_view::npos &&
        line.find("\"status\":200") != std::string_view::npos && line.ends_with("}")) {
      ++ok;
    }
  }
  EXPECT_EQ(lines, warm_up_requests + kKeepAliveRequests);
  EXPECT_EQ(ok, lines);
  ::unlink(config.access_log.c_str());
}

// ---------------------------------------------------------------------------
// Routed requests (server/router.h) beyond the endpoints' literal paths:
// parameters, the wildcard, 404, 405 with Allow, HEAD by the GET route and
// OPTIONS from the table, on one keep-alive connection.

void user(const Request&, const RouteParams& params, ResponseWriter& response) { response.body(params.get("id")); }
void file(const Request&, const RouteParams& params, ResponseWriter& response) { response.body(params.wildcard()); }

struct RoutedExchange {
  std::string_view request;
  testing::ExpectedResponse response;
};

// measure runs `phase` (true when the client saw every response it
// expected) between the allocation counters.
template <typename Phase>
Measured measure(Phase phase) {
  Measured m;
  GlobalAllocationScope global;
  AllocationScope local;
  m.client_ok = phase();
  m.allocations = global.allocations();
  m.frees = global.frees();
  m.client_allocations = local.allocations();
  return m;
}

// rounds: every exchange in turn, `n` times, on the client's connection.
bool rounds(Client& client, std::span<const RoutedExchange> exchanges, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    for (const RoutedExchange& e : exchanges) {
      if (!client.send(e.request) || !client.expect(e.response)) return false;
    }
  }
  return true;
}

void expect_no_allocation(const Measured& m) {
  EXPECT_EQ(m.allocations, 0u) << "rerun with SHOCKWAVE_ALLOC_TRACE=1 for the stacks";
  EXPECT_EQ(m.frees, 0u);
  EXPECT_EQ(m.client_allocations, 0u) << "the test client itself allocated";
}

const RoutedExchange kRouted[] = {
    {"GET /users/42?tab=posts HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = "42"}},
    {"GET /static/css/site.css HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = "css/site.css"}},
    {"HEAD /users/7 HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = "7", .head = true}},
    {"OPTIONS /users/7 HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = ""}},
    {"DELETE /users/7 HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 405, .body = "method not allowed\n"}},
    {"GET /nowhere HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 404, .body = "not found\n"}},
};

TEST_P(AllocTest, RoutedRequestsAllocateNothing) {
  constexpr std::size_t kRounds = 1'000;
  Router router;
  router.get("/users/:id", user).get("/static/*", file);
  ASSERT_EQ(router.error(), "");
  Server<Router> server(test_config(stats(), 1, io()), router);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  Client client;
  ASSERT_TRUE(client.connect(server.port()));
  for (const RoutedExchange& e : kRouted) {  // warm-up
    ASSERT_TRUE(client.send(e.request) && client.expect(e.response)) << client.failure() << ": " << e.request;
  }

  const Measured m = measure([&] { return rounds(client, kRouted, kRounds); });
  client.close();
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_EQ(client.responses(), (kRounds + 1) * std::size(kRouted));
  expect_no_allocation(m);
  server.stop();
  server.wait();
}

// ---------------------------------------------------------------------------
// Static files (server/static_files.h) behind the router: whole files
// larger than the output buffer (sent by sendfile under epoll, through the
// buffer under io_uring), a range, 304, 416, a directory's redirect and a
// traversal attempt, on one keep-alive connection; every file closed after.

// A temporary document root with a 40 KiB file and a small one, both last
// modified at 2026-01-01T00:00:00Z.
class DocumentRoot {
 public:
  DocumentRoot() {
    const char* base = std::getenv("TEST_TMPDIR");
    dir_ = std::string(base != nullptr ? base : "/tmp") + "/alloc_root_XXXXXX";
    if (::mkdtemp(dir_.data()) == nullptr) return;
    ::mkdir((dir_ + "/sub").c_str(), 0755);
    big_.resize(40 * 1024);
    for (std::size_t i = 0; i < big_.size(); ++i) big_[i] = static_cast<char>('0' + i % 64);
    ok_ = write_file("big.bin", big_) && write_file("small.txt", "small file\n");
    root_ = ok_ ? files::open_root(dir_.c_str()) : -1;
  }
  ~DocumentRoot() {
    if (root_ >= 0) ::close(root_);
    ::unlink((dir_ + "/big.bin").c_str());
    ::unlink((dir_ + "/small.txt").c_str());
    ::rmdir((dir_ + "/sub").c_str());
    ::rmdir(dir_.c_str());
  }
  int root() const { return root_; }
  std::string_view big() const { return big_; }

 private:
  bool write_file(const char* name, std::string_view content) {
    const std::string path = dir_ + "/" + name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    const bool written = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    const timespec times[2] = {{1767225600, 0}, {1767225600, 0}};
    const bool dated = ::futimens(fd, times) == 0;
    ::close(fd);
    return written && dated;
  }

  std::string dir_;
  std::string big_;
  int root_ = -1;
  bool ok_ = false;
};

TEST_P(AllocTest, StaticFilesAllocateNothing) {
  constexpr std::size_t kRounds = 300;
  DocumentRoot www;
  ASSERT_GE(www.root(), 0);
  StaticFiles files(www.root());
  Router router;
  router.get("/files/*", files);
  ASSERT_EQ(router.error(), "");
  Config config = test_config(stats(), 1, io());
  config.write_buffer_size = 16 * 1024;  // the 40 KiB file takes several rounds
  Server<Router> server(config, router);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  const RoutedExchange exchanges[] = {
      {"GET /files/big.bin HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = www.big()}},
      {"GET /files/small.txt HTTP/1.1\r\nHost: test\r\nRange: bytes=6-\r\n\r\n", {.status = 206, .body = "file\n"}},
      {"GET /files/big.bin HTTP/1.1\r\nHost: test\r\nRange: bytes=-100\r\n\r\n",
       {.status = 206, .body = www.big().substr(www.big().size() - 100)}},
      {"HEAD /files/small.txt HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 200, .body = "small file\n", .head = true}},
      {"GET /files/small.txt HTTP/1.1\r\nHost: test\r\nIf-Modified-Since: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n",
       {.status = 304, .body = ""}},
      {"GET /files/small.txt HTTP/1.1\r\nHost: test\r\nRange: bytes=99-\r\n\r\n",
       {.status = 416, .body = "Range Not Satisfiable\n"}},
      {"GET /files/sub HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 301, .body = "Moved Permanently\n"}},
      {"GET /files/%2e%2e/etc/passwd HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 400, .body = "Bad Request\n"}},
      {"GET /files/missing HTTP/1.1\r\nHost: test\r\n\r\n", {.status = 404, .body = "Not Found\n"}},
  };
  Client client;
  const int fds = open_fd_count();
  ASSERT_TRUE(client.connect(server.port()));
  for (const RoutedExchange& e : exchanges) {  // warm-up
    ASSERT_TRUE(client.send(e.request) && client.expect(e.response)) << client.failure() << ": " << e.request;
  }

  const Measured m = measure([&] { return rounds(client, exchanges, kRounds); });
  // The client's socket and the server's end of it, and no file.
  EXPECT_EQ(open_fd_count(), fds + 2) << "a file left open";
  client.close();
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_EQ(client.responses(), (kRounds + 1) * std::size(exchanges));
  expect_no_allocation(m);
  server.stop();
  server.wait();
}

// A scrape of /metrics (server/metrics.h) renders on the stack: 0
// allocations too (with stats off the route answers 404).
TEST_P(AllocTest, MetricsScrapesAllocateNothing) {
  constexpr std::size_t kScrapes = 500;
  Metrics metrics;
  Router router;
  router.get("/metrics", metrics);
  ASSERT_EQ(router.error(), "");
  Server<Router> server(test_config(stats(), 1, io()), router);
  if (stats()) metrics.watch(server);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  constexpr std::string_view kScrape = "GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n";
  const testing::ExpectedResponse expected{.status = stats() ? 200 : 404,
                                           .body = {},
                                           .closing = false,
                                           .head = false,
                                           .interim_continue = false,
                                           .any_body = true};
  Client client;
  ASSERT_TRUE(client.connect(server.port()));
  ASSERT_TRUE(client.send(kScrape) && client.expect(expected)) << client.failure();

  const RoutedExchange scrape{kScrape, expected};
  const Measured m = measure([&] { return rounds(client, std::span(&scrape, 1), kScrapes); });
  client.close();
  EXPECT_TRUE(m.client_ok) << client.failure();
  expect_no_allocation(m);
  server.stop();
  server.wait();
}

INSTANTIATE_TEST_SUITE_P(StatsAndBackend, AllocTest,
                         ::testing::Combine(::testing::Bool(), ::testing::Values(IoBackend::kEpoll, IoBackend::kUring)),
                         [](const ::testing::TestParamInfo<AllocTest::ParamType>& info) {
                           return std::string(std::get<0>(info.param) ? "StatsOn" : "StatsOff") +
                                  (std::get<1>(info.param) == IoBackend::kUring ? "Uring" : "Epoll");
                         });

// ---------------------------------------------------------------------------
// The negative control: a handler that allocates (a std::string per
// request), measured the same way, must be seen, on the server's thread.

constexpr std::string_view kAllocatedBody = "built in a std::string for /plaintext, on purpose";

struct AllocatingHandler {
  void handle(const Request& request, ResponseWriter& response) {
    std::string body = "built in a std::string for ";  // past the small-string buffer
    body.append(request.path());
    body.append(", on purpose");
    response.body(body);
  }
};

TEST(AllocTestControl, AnAllocatingHandlerIsSeen) {
  constexpr std::size_t kRequests = 100;
  AllocatingHandler handler;
  Server<AllocatingHandler> server(test_config(false, 1), handler);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  Client client;
  const std::string_view request = kKeepAlive[0].request;
  ASSERT_TRUE(client.connect(server.port()));
  ASSERT_TRUE(client.send(request) && client.expect(kAllocatedBody)) << client.failure();

  Measured m;
  {
    GlobalAllocationScope global;
    AllocationScope local;
    m.client_ok = true;
    for (std::size_t i = 0; i < kRequests && m.client_ok; ++i) {
      m.client_ok = client.send(request) && client.expect(kAllocatedBody);
    }
    m.allocations = global.allocations();
    m.client_allocations = local.allocations();
  }
  client.close();
  EXPECT_TRUE(m.client_ok) << client.failure();
  EXPECT_GE(m.allocations, kRequests);  // seen, on the server's thread
  EXPECT_EQ(m.client_allocations, 0u);  // and not on the client's
  RecordProperty("allocations_seen", std::to_string(m.allocations));
  server.stop();
  server.wait();
}

}  // namespace
}  // namespace shockwave
