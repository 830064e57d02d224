// Applications that wait (handler.h: streamed bodies, deferred responses)
// under hostile and careless clients, with honest keep-alive clients
// alongside that must keep being answered:
//   - slow uploads: many connections trickle a body into /upload, a slice
//     every so often (within body_timeout, so nothing times them out); every
//     one is answered with the body's size and checksum, and a second round
//     does not grow memory;
//   - abandoned deferred responses: clients ask GET /delay/:ms and go away
//     before the answer (half close, full close, reset); the server closes
//     every one of those connections, stays responsive, and its memory stays
//     flat; a client that waits past Config::deferred_timeout gets a 503.
// Figures (RSS, latencies) are printed; only correctness is asserted.

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/reliability/harness.h"
#include "server/reliability/honest_clients.h"
#include "server/tests/test_server.h"

namespace shockwave::reliability {
namespace {

using shockwave::testing::Client;
using shockwave::testing::ExpectedResponse;

const int kSlowUploads = scaled(40, 200);
const std::size_t kUploadSize = scaled<std::size_t>(32 * 1024, 256 * 1024);
const std::size_t kSlice = 1024;
const milliseconds kSliceEvery = scaled(milliseconds(40), milliseconds(200));
const int kAbandoned = scaled(100, 1000);
constexpr int kHonestThreads = 2;
constexpr milliseconds kHonestPause{2};

Config deferred_config(std::size_t connections) {
  Config config = testing::test_config();
  config.threads = 2;
  config.max_connections = connections + 64;
  config.body_timeout = milliseconds(2000);
  config.deferred_timeout = milliseconds(1000);
  config.enable_stats = true;
  return config;
}

// upload_answer: what /upload answers for kUploadSize octets of 'u', from
// one quick upload (the server's checksum, not one computed here).
std::string upload_answer(std::uint16_t port) {
  Client c(port);
  const std::string body(kUploadSize, 'u');
  c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  const auto r = c.read_responses(1);
  return r.empty() ? std::string() : r[0].body;
}

// slow_uploads: kSlowUploads connections, each sending its body a slice at a
// time, all at once; how many got `want`.
int slow_uploads(std::uint16_t port, const std::string& want) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kSlowUploads; ++i) {
    clients.push_back(std::make_unique<Client>(port));
    const std::string head =
        "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(kUploadSize) + "\r\n\r\n";
    clients.back()->send(head);
  }
  const std::string slice(kSlice, 'u');
  for (std::size_t sent = 0; sent < kUploadSize; sent += kSlice) {
    for (auto& c : clients) c->send(slice);
    std::this_thread::sleep_for(kSliceEvery);
  }
  int right = 0;
  for (auto& c : clients) right += c->expect(ExpectedResponse{200, want}) ? 1 : 0;
  return right;
}

TEST(DeferredTest, SlowUploadsAreStreamedWhileHonestClientsAreServed) {
  raise_fd_limit(4 * static_cast<std::size_t>(kSlowUploads) + 1024);
  Endpoints handler;
  testing::TestServer<Endpoints> server(deferred_config(static_cast<std::size_t>(kSlowUploads)), handler);
  ASSERT_TRUE(server.started()) << server.error();
  const std::string want = upload_answer(server.port());
  ASSERT_NE(want.find("\"bytes\":" + std::to_string(kUploadSize)), std::string::npos) << want;

  HonestClients honest(server.port(), kHonestThreads, kHonestPause);
  const Clock::time_point start = Clock::now();
  const int warm = slow_uploads(server.port(), want);  // every slot these use, touched once
  const std::int64_t rss_warm = rss_kib();
  const int right = slow_uploads(server.port(), want);
  const std::int64_t rss_after = rss_kib();
  honest.stop();

  figure("slow uploads at once", kSlowUploads);
  figure("upload size", static_cast<double>(kUploadSize), "bytes");
  figure("two rounds took", static_cast<double>(ms_since(start)), "ms");
  figure("RSS after warm-up round", static_cast<double>(rss_warm), "KiB");
  figure("RSS after second round", static_cast<double>(rss_after), "KiB");
  print_latency("honest latency under slow uploads", honest.latencies());
  EXPECT_EQ(warm, kSlowUploads);
  EXPECT_EQ(right, kSlowUploads);
  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  EXPECT_GT(honest.answered(), 0u);
  EXPECT_LT(rss_after - rss_warm, 16 * 1024) << "RSS grew by " << rss_after - rss_warm << " KiB";
}

// abandon_round: kAbandoned clients ask /delay/<ms> and go away before the
// answer, a third each by half close, full close and reset.
void abandon_round(std::uint16_t port, int delay_ms) {
  const std::string request = "GET /delay/" + std::to_string(delay_ms) + " HTTP/1.1\r\nHost: a\r\n\r\n";
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kAbandoned; ++i) {
    clients.push_back(std::make_unique<Client>(port));
    clients.back()->send(request);
  }
  std::this_thread::sleep_for(milliseconds(50));  // the server has deferred them
  for (int i = 0; i < kAbandoned; ++i) {
    Client& c = *clients[static_cast<std::size_t>(i)];
    if (i % 3 == 0) c.shutdown_write();
    if (i % 3 == 1) c.close();
    if (i % 3 == 2) c.reset();
  }
}

TEST(DeferredTest, AbandonedDeferredResponsesAreCleanedUp) {
  raise_fd_limit(4 * static_cast<std::size_t>(kAbandoned) + 1024);
  Endpoints handler;
  testing::TestServer<Endpoints> server(deferred_config(static_cast<std::size_t>(kAbandoned)), handler);
  ASSERT_TRUE(server.started()) << server.error();

  HonestClients honest(server.port(), kHonestThreads, kHonestPause);
  abandon_round(server.port(), 300);   // woken after the clients left
  abandon_round(server.port(), 5000);  // never woken in time: the deferred timeout
  const std::int64_t rss_warm = rss_kib();
  abandon_round(server.port(), 300);
  abandon_round(server.port(), 5000);

  // A client that waits for one not woken in time: 503, then the close.
  Client waiting(server.port());
  waiting.send("GET /delay/5000 HTTP/1.1\r\nHost: a\r\n\r\n");
  const Clock::time_point asked = Clock::now();
  const auto r = waiting.read_responses(1, {}, milliseconds(5000));
  const std::int64_t waited = ms_since(asked);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 503);

  // Every abandoned connection is closed by the server: the half-closed
  // ones once their response (or its 503) is out, the others when it
  // sees them gone; none outlives the deferred timeout by much.
  const StatsSnapshot* last = nullptr;
  StatsSnapshot s;
  for (int i = 0; i < 60; ++i) {
    s = server.server().stats();
    last = &s;
    if (s.connections_accepted - s.connections_closed <= static_cast<std::uint64_t>(kHonestThreads) + 1) break;
    std::this_thread::sleep_for(milliseconds(100));
  }
  honest.stop();
  const std::int64_t rss_after = rss_kib();
  figure("abandoned deferred requests", 4.0 * kAbandoned);
  figure("a 503 after", static_cast<double>(waited), "ms");
  figure("connections still open", static_cast<double>(last->connections_accepted - last->connections_closed));
  figure("RSS after warm-up rounds", static_cast<double>(rss_warm), "KiB");
  figure("RSS after", static_cast<double>(rss_after), "KiB");
  print_latency("honest latency among abandoned requests", honest.latencies());
  EXPECT_LE(last->connections_accepted - last->connections_closed, static_cast<std::uint64_t>(kHonestThreads) + 1);
  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  EXPECT_GT(honest.answered(), 0u);
  EXPECT_LT(rss_after - rss_warm, 16 * 1024) << "RSS grew by " << rss_after - rss_warm << " KiB";
}

}  // namespace
}  // namespace shockwave::reliability
