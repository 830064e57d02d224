// Soak: mixed load for a while (keep-alive, pipelined, chunked, errors,
// slow heads that finish in time and ones that stall) with stats on. Run it
// under ASan for leaks (LeakSanitizer at exit). Afterwards the counters agree
// with what the clients saw: every request answered (none lost), stats
// requests == responses the clients read, errors[400] == garbage sent,
// errors[408] == stalls, connections closed == accepted; and RSS does not
// grow after the warm-up.

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
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

const milliseconds kDuration = scaled(milliseconds(8000), milliseconds(180'000));
const milliseconds kWarmUp = kDuration / 5;
constexpr milliseconds kHeaderTimeout{1000};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;  // its quarantine holds freed memory: RSS is not the program's
#else
constexpr bool kAsan = false;
#endif

int status_of(const StatsSnapshot& s, int status) {
  for (int i = 0; i < kCountedStatusCount; ++i) {
    if (kCountedStatuses[i] == status) return static_cast<int>(s.errors[i]);
  }
  return -1;
}

struct Counts {
  std::atomic<std::size_t> sent{0};      // complete requests that must be answered
  std::atomic<std::size_t> answered{0};  // ... and were, correctly
  std::atomic<std::size_t> garbage{0}, got_400{0};
  std::atomic<std::size_t> stalls{0}, got_408{0};
  std::mutex mutex;
  std::string first_problem;
  void problem(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    if (first_problem.empty()) first_problem = what;
  }
};

using Loop = void (*)(std::uint16_t, Counts&, std::size_t);

void pipelined(std::uint16_t port, Counts& counts, std::size_t n) {
  testing::Client client(port);
  std::string burst;
  for (int i = 0; i < 16; ++i) burst += testing::get(i % 2 ? "/json" : "/plaintext");
  for (int b = 0; b < 50; ++b) {
    counts.sent += 16;
    client.send(burst);
    const auto r = client.read_responses(16);
    for (const auto& x : r) counts.answered += x.status == 200 ? 1 : 0;
    if (r.size() != 16) return counts.problem("pipeline: " + std::to_string(r.size()) + " of 16");
  }
  (void)n;
}

void chunked(std::uint16_t port, Counts& counts, std::size_t n) {
  testing::Client client(port);
  for (int i = 0; i < 50; ++i) {
    const std::string part(1 + (n + i) % 500, 'c');
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    counts.sent++;
    client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(size) + "\r\n" +
                part + "\r\n" + std::string(size) + "\r\n" + part + "\r\n0\r\n\r\n");
    const testing::Response r = client.read_response("POST");
    if (r.status == 200 && r.body == part + part) {
      counts.answered++;
    } else {
      return counts.problem("chunked: status " + std::to_string(r.status));
    }
  }
}

void garbage(std::uint16_t port, Counts& counts, std::size_t n) {
  testing::Client client(port);
  counts.garbage++;
  client.send(n % 2 ? "\x16\x03\x01\x00\x05hello" : "GET / HTTP/1.1\r\nHost: a\r\nBad Field: x\r\n\r\n");
  const testing::Response r = client.read_response();
  if (r.status == 400 && client.wait_closed()) {
    counts.got_400++;
  } else {
    counts.problem("garbage: status " + std::to_string(r.status));
  }
  std::this_thread::sleep_for(milliseconds(5));  // a new connection each: spare the ephemeral ports
}

// slow: a head trickled over ~300 ms (in time), or every 4th one stalled.
void slow(std::uint16_t port, Counts& counts, std::size_t n) {
  testing::Client client(port);
  const std::string request = testing::get("/plaintext");
  if (n % 4 == 3) {
    counts.stalls++;
    client.send(request.substr(0, 20));
    const testing::Response r = client.read_response("GET", kHeaderTimeout * 5);
    if (r.status == 408) {
      counts.got_408++;
    } else {
      counts.problem("stall: status " + std::to_string(r.status));
    }
    client.wait_closed();
    return;
  }
  counts.sent++;
  for (std::size_t at = 0; at < request.size(); at += 6) {
    client.send(request.substr(at, 6));
    std::this_thread::sleep_for(milliseconds(40));
  }
  const testing::Response r = client.read_response();
  if (r.status == 200) {
    counts.answered++;
  } else {
    counts.problem("slow: status " + std::to_string(r.status));
  }
}

TEST(SoakTest, MixedLoadLeavesCountersConsistentAndMemoryFlat) {
  Config config = testing::test_config();
  config.threads = 2;
  config.max_connections = 256;
  config.header_timeout = kHeaderTimeout;
  config.body_timeout = kHeaderTimeout;
  config.enable_stats = true;
  Endpoints handler;
  testing::TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();

  Counts counts;
  std::atomic<bool> stop{false};
  HonestClients honest(server.port(), 2, milliseconds(1), /*per_connection=*/500);
  std::vector<std::thread> threads;
  for (Loop loop : {pipelined, chunked, garbage, slow, slow, slow}) {
    threads.emplace_back([&, loop] {
      for (std::size_t n = 0; !stop; ++n) loop(server.port(), counts, n);
    });
  }
  const Clock::time_point start = Clock::now();
  std::this_thread::sleep_for(kWarmUp);
  const std::int64_t rss_warm = rss_kib();
  std::int64_t rss_peak = rss_warm;
  while (Clock::now() - start < kDuration) {
    std::this_thread::sleep_for(milliseconds(500));
    rss_peak = std::max(rss_peak, rss_kib());
  }
  stop = true;
  for (std::thread& t : threads) t.join();
  honest.stop();
  const std::int64_t rss_end = rss_kib();

  // Wait for the server to close what the clients closed.
  StatsSnapshot s = server.server().stats();
  while (s.connections_closed != s.connections_accepted && ms_since(start) < kDuration.count() + 10'000) {
    std::this_thread::sleep_for(milliseconds(20));
    s = server.server().stats();
  }
  const std::size_t answered = counts.answered + honest.answered();
  const std::size_t sent = counts.sent + honest.answered() + honest.failures();
  figure("duration", static_cast<double>(kDuration.count()), "ms");
  figure("requests sent that needed an answer", static_cast<double>(sent));
  figure("requests answered", static_cast<double>(answered));
  figure("requests lost", static_cast<double>(sent - answered));
  figure("server stats requests", static_cast<double>(s.requests));
  figure("garbage connections (400)", static_cast<double>(counts.garbage));
  figure("stalled heads (408)", static_cast<double>(counts.stalls));
  figure("connections accepted", static_cast<double>(s.connections_accepted));
  figure("RSS after warm-up", static_cast<double>(rss_warm), "KiB");
  figure("RSS peak after warm-up", static_cast<double>(rss_peak), "KiB");
  figure("RSS at the end", static_cast<double>(rss_end), "KiB");

  EXPECT_EQ(sent - answered, 0u) << counts.first_problem << " / " << honest.first_failure();
  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  EXPECT_EQ(counts.first_problem, "");
  EXPECT_EQ(s.requests, answered);
  EXPECT_EQ(static_cast<std::size_t>(status_of(s, 400)), counts.garbage.load());
  EXPECT_EQ(counts.got_400, counts.garbage);
  EXPECT_EQ(static_cast<std::size_t>(status_of(s, 408)), counts.stalls.load());
  EXPECT_EQ(counts.got_408, counts.stalls);
  EXPECT_EQ(s.connections_closed, s.connections_accepted);
  EXPECT_GT(counts.stalls, 0u);
  if (!kAsan) {
    EXPECT_LT(rss_peak - rss_warm, 8 * 1024) << "RSS grew after the warm-up";
  }
}

}  // namespace
}  // namespace shockwave::reliability
