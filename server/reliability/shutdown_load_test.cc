// Graceful shutdown under load: stop() while clients keep sending requests,
// some of them in two parts. Every request whose last byte was sent before
// stop() was called (on loopback it is then in the server's socket) gets its
// whole response; requests after it may get one with Connection: close or
// the close; wait() returns within shutdown_timeout (plus slack).

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/reliability/harness.h"
#include "server/tests/test_server.h"

namespace shockwave::reliability {
namespace {

const int kClients = scaled(16, 64);
const int kRounds = scaled(3, 20);  // start, load, stop: this many times
constexpr milliseconds kShutdownTimeout{2000};
constexpr std::int64_t kSlackMs = 3000;

struct Tally {
  std::atomic<std::size_t> before_stop{0};  // requests wholly sent before stop()
  std::atomic<std::size_t> answered_before{0};
  std::atomic<std::size_t> after_stop{0};
  std::atomic<std::size_t> answered_after{0};
  std::mutex mutex;
  std::string first_loss;
};

void client_loop(std::uint16_t port, int id, const std::atomic<bool>& stopping, Tally& tally) {
  std::size_t n = 0;
  while (!stopping) {
    testing::Client client(port);
    if (!client.connected()) return;
    for (;;) {
      ++n;
      const std::string body(n * 37 % 3000, static_cast<char>('a' + id % 26));
      const std::string head =
          "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
      bool sent = true;
      if (n % 3 == 0) {  // in two parts, the body a moment later
        sent = client.send(head);
        std::this_thread::sleep_for(milliseconds(2));
        sent = sent && client.send(body);
      } else {
        sent = client.send(head + body);
      }
      const bool before = sent && !stopping;  // stop() had not been called yet
      (before ? tally.before_stop : tally.after_stop)++;
      const testing::Response r = client.read_response("POST", milliseconds(5000));
      const bool ok = r.status == 200 && r.body == body;
      if (ok) (before ? tally.answered_before : tally.answered_after)++;
      if (before && !ok) {
        std::lock_guard<std::mutex> lock(tally.mutex);
        if (tally.first_loss.empty()) {
          tally.first_loss = "status " + std::to_string(r.status) + ", " + std::to_string(r.body.size()) + " of " +
                             std::to_string(body.size()) + " bytes, " + (client.closed() ? "closed" : "open");
        }
      }
      if (!ok || r.connection_close() || stopping) break;
    }
  }
}

TEST(ShutdownLoadTest, EveryRequestReceivedBeforeStopIsAnswered) {
  Tally tally;
  std::int64_t longest_wait = 0;
  for (int round = 0; round < kRounds; ++round) {
    Config config = testing::test_config();
    config.threads = 2;
    // Each worker gets half the slots and SO_REUSEPORT spreads clients
    // unevenly: with fewer, some clients would wait in a full worker's
    // backlog (the limit working), and the stop resets those.
    config.max_connections = 2 * static_cast<std::size_t>(kClients) + 16;
    config.shutdown_timeout = kShutdownTimeout;
    Endpoints handler;
    testing::TestServer<Endpoints> server(config, handler);
    ASSERT_TRUE(server.started()) << server.error();
    std::atomic<bool> stopping{false};
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back([&, i] { client_loop(server.port(), i, stopping, tally); });
    }
    std::this_thread::sleep_for(milliseconds(300 + 97 * round % 500));
    stopping = true;  // before stop(): a request sent before this was in the server's socket
    const Clock::time_point start = Clock::now();
    server.stop();
    server.wait();
    longest_wait = std::max(longest_wait, ms_since(start));
    for (std::thread& t : clients) t.join();
  }
  const std::size_t lost = tally.before_stop - tally.answered_before;
  figure("rounds of load then stop()", kRounds);
  figure("requests sent before stop()", static_cast<double>(tally.before_stop));
  figure("requests lost among them", static_cast<double>(lost));
  figure("requests sent around or after stop()", static_cast<double>(tally.after_stop));
  figure("answered among them", static_cast<double>(tally.answered_after));
  figure("longest wait() after stop()", static_cast<double>(longest_wait), "ms");
  EXPECT_GT(tally.before_stop, 0u);
  EXPECT_EQ(lost, 0u) << "first: " << tally.first_loss;
  EXPECT_LE(longest_wait, kShutdownTimeout.count() + kSlackMs);
}

}  // namespace
}  // namespace shockwave::reliability
