// Slowloris (RFC 9110 §15.5.9, RFC 9112 §9.5): hundreds of connections that
// send a request head a byte at a time, and bodies that stall between bytes
// for longer than body_timeout, held for the whole attack (each one the
// server closes is reopened at once). Honest keep-alive clients alongside
// keep getting answers; every slow connection is closed by the header or
// body timeout (408, or the close), never later than the timeout plus slack;
// memory stays flat. The honest clients' latency with and without the
// attack is printed, never asserted.

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

const int kSlowHeads = scaled(150, 1000);
const int kSlowBodies = scaled(50, 200);
const milliseconds kHeaderTimeout = scaled(milliseconds(2000), milliseconds(10'000));
const milliseconds kBodyTimeout = scaled(milliseconds(1000), milliseconds(10'000));
// A head byte well within header_timeout: only the whole-head deadline can
// stop it. A body byte after a pause longer than body_timeout.
const milliseconds kHeadByteEvery = scaled(milliseconds(500), milliseconds(3000));
const milliseconds kBodyByteEvery = kBodyTimeout * 3 / 2;
const milliseconds kPhase = scaled(milliseconds(5000), milliseconds(45'000));
// How late a timeout may fire on a loaded machine (the sweep runs every
// 250 ms): generous, since the point is that it fires at all.
constexpr std::int64_t kSlackMs = 3000;
constexpr int kHonestThreads = 4;
constexpr milliseconds kHonestPause{2};

// One attacking connection.
struct Slow {
  bool body = false;  // a slow body (else a slow head)
  int fd = -1;
  Clock::time_point first_byte{};
  Clock::time_point next_send{};
  std::size_t sent = 0;
  std::string got;
};

struct AttackResult {
  std::size_t opened = 0;
  std::size_t closed_by_server = 0;
  std::size_t answered_408 = 0;
  std::size_t other_bytes = 0;       // closed after something that is not a 408
  std::int64_t longest_life_ms = 0;  // first byte to the server's close
  std::int64_t overdue = 0;          // still open past the timeout plus slack
  std::size_t peak_open = 0;
};

std::string slow_bytes(bool body, std::size_t n) {
  static const std::string kHead = "GET /plaintext HTTP/1.1\r\nHost: a\r\nX-Slow: ";
  static const std::string kBodyHead = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 60000\r\n\r\n";
  if (body) return n == 0 ? kBodyHead + "b" : "b";
  return n < kHead.size() ? kHead.substr(n, 1) : "z";
}

// attack holds `heads` + `bodies` slow connections for `duration`.
AttackResult attack(std::uint16_t port, int heads, int bodies, milliseconds duration) {
  std::vector<Slow> slow(static_cast<std::size_t>(heads + bodies));
  for (std::size_t i = 0; i < slow.size(); ++i) slow[i].body = i >= static_cast<std::size_t>(heads);
  AttackResult result;
  const Clock::time_point end = Clock::now() + duration;
  auto on_closed = [&](Slow& s) {
    ++result.closed_by_server;
    const std::int64_t life = std::chrono::duration_cast<milliseconds>(Clock::now() - s.first_byte).count();
    result.longest_life_ms = std::max(result.longest_life_ms, life);
    if (s.got.rfind("HTTP/1.1 408 ", 0) == 0) {
      ++result.answered_408;
    } else if (!s.got.empty()) {
      ++result.other_bytes;
    }
    close(s.fd);
    s.fd = -1;
  };
  std::vector<pollfd> polls;
  while (Clock::now() < end) {
    const Clock::time_point now = Clock::now();
    std::size_t open = 0;
    for (Slow& s : slow) {
      if (s.fd < 0) {
        const bool body = s.body;
        s = Slow();
        s.body = body;
        s.fd = connect_nonblocking(port);
        if (s.fd < 0) continue;
        ++result.opened;
        s.first_byte = s.next_send = now;
      }
      ++open;
      if (now < s.next_send) continue;
      const std::string bytes = slow_bytes(s.body, s.sent);
      const ssize_t n = send(s.fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        if (s.sent == 0) s.first_byte = now;
        s.sent += static_cast<std::size_t>(n);
        s.next_send = now + (s.body ? kBodyByteEvery : kHeadByteEvery);
      } else if (n < 0 && errno != EAGAIN && errno != ENOTCONN) {
        s.next_send = end;  // the server is closing it: the read below sees how
      }
    }
    result.peak_open = std::max(result.peak_open, open);
    polls.clear();
    for (const Slow& s : slow) polls.push_back({s.fd, POLLIN, 0});
    poll(polls.data(), polls.size(), 50);
    for (std::size_t i = 0; i < slow.size(); ++i) {
      Slow& s = slow[i];
      if (s.fd < 0 || !(polls[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[4096];
      const ssize_t n = recv(s.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) {
        s.got.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        on_closed(s);
      }
    }
  }
  // Whatever is still open must be younger than its timeout plus slack.
  const Clock::time_point now = Clock::now();
  for (Slow& s : slow) {
    if (s.fd < 0) continue;
    const milliseconds limit = (s.body ? kBodyByteEvery : kHeaderTimeout) + milliseconds(kSlackMs);
    if (s.sent > 0 && now - s.first_byte > limit) ++result.overdue;
    close(s.fd);
  }
  return result;
}

TEST(SlowlorisTest, SlowHeadsAndBodiesAreTimedOutWhileHonestClientsAreServed) {
  raise_fd_limit(4 * static_cast<std::size_t>(kSlowHeads + kSlowBodies) + 1024);
  Config config = testing::test_config();
  config.threads = 2;
  config.max_connections = static_cast<std::size_t>(kSlowHeads + kSlowBodies) + 256;
  config.header_timeout = kHeaderTimeout;
  config.body_timeout = kBodyTimeout;
  config.enable_stats = true;
  Endpoints handler;
  testing::TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();

  // Without the attack: the honest clients' baseline.
  Percentiles baseline;
  {
    HonestClients honest(server.port(), kHonestThreads, kHonestPause);
    std::this_thread::sleep_for(kPhase);
    honest.stop();
    EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
    baseline = honest.latencies();
  }
  const std::int64_t rss_before = rss_kib();

  HonestClients honest(server.port(), kHonestThreads, kHonestPause);
  // The first round fills every slot the attack uses; the second must not
  // grow memory.
  const AttackResult warm_up = attack(server.port(), kSlowHeads, kSlowBodies, kHeaderTimeout + kBodyByteEvery);
  const std::int64_t rss_warm = rss_kib();
  const AttackResult result = attack(server.port(), kSlowHeads, kSlowBodies, kPhase);
  honest.stop();
  const std::int64_t rss_after = rss_kib();

  print_latency("honest latency without attack", baseline);
  print_latency("honest latency under slowloris", honest.latencies());
  figure("slow connections held at once", static_cast<double>(result.peak_open));
  figure("slow connections opened", static_cast<double>(warm_up.opened + result.opened));
  figure("closed by the server", static_cast<double>(warm_up.closed_by_server + result.closed_by_server));
  figure("answered 408 before the close", static_cast<double>(warm_up.answered_408 + result.answered_408));
  figure("longest slow connection life", static_cast<double>(std::max(warm_up.longest_life_ms, result.longest_life_ms)),
         "ms");
  figure("RSS before attack", static_cast<double>(rss_before), "KiB");
  figure("RSS after warm-up round", static_cast<double>(rss_warm), "KiB");
  figure("RSS after attack", static_cast<double>(rss_after), "KiB");

  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  EXPECT_GT(honest.answered(), 0u);
  for (const AttackResult* r : {&warm_up, &result}) {
    EXPECT_EQ(r->peak_open, static_cast<std::size_t>(kSlowHeads + kSlowBodies));
    EXPECT_GT(r->closed_by_server, 0u);
    EXPECT_GT(r->answered_408, 0u);
    EXPECT_EQ(r->other_bytes, 0u) << "a slow connection got something other than 408";
    EXPECT_EQ(r->overdue, 0) << "slow connections outlived their timeout";
    EXPECT_LE(r->longest_life_ms, std::max(kHeaderTimeout, kBodyByteEvery).count() + kSlackMs);
  }
  // Every slot lives in a slab allocated at start: a second round of the
  // same attack finds its pages already there.
  EXPECT_LT(rss_after - rss_warm, 16 * 1024) << "RSS grew by " << rss_after - rss_warm << " KiB";
  const StatsSnapshot stats = server.server().stats();
  figure("server requests answered", static_cast<double>(stats.requests));
  EXPECT_GE(stats.requests, honest.answered());
}

}  // namespace
}  // namespace shockwave::reliability
