// Connection flood: more connections than max_connections, and than the
// server process's file limit (RLIMIT_NOFILE, lowered for the shockwave
// binary run as a child process). Accept pauses instead of spinning (the
// server's CPU time stays low while the backlog waits), nothing crashes, the
// waiting connections are served as soon as slots or descriptors free up,
// and the event is logged at most once a second.

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/reliability/child_server.h"
#include "server/reliability/harness.h"

namespace shockwave::reliability {
namespace {

const int kClients = scaled(200, 2000);
const milliseconds kCpuWindow = scaled(milliseconds(2000), milliseconds(10'000));
const std::string kRequest = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";

// answered: whether a response has arrived on `fd` (nothing is read).
bool answered(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

// expect_hello reads one whole /plaintext response (the socket's receive
// timeout bounds the wait).
bool expect_hello(int fd) {
  std::string got;
  char buffer[4096];
  while (got.find("Hello, World!") == std::string::npos) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got.rfind("HTTP/1.1 200 OK\r\n", 0) == 0 && got.find("Hello, World!") != std::string::npos;
}

struct FloodResult {
  std::size_t served_at_first = 0;
  std::int64_t cpu_ms = 0;  // the server's, over kCpuWindow with the backlog waiting
  std::size_t served_in_the_end = 0;
  std::int64_t drain_ms = 0;
};

// flood opens kClients connections, each sending one request, and measures
// the server while the ones it cannot take wait; then it closes every
// connection as soon as it is answered, so slots free up one by one.
FloodResult flood(ChildServer& server) {
  FloodResult result;
  std::vector<int> fds;
  for (int i = 0; i < kClients; ++i) {
    const int fd = connect_blocking(server.port());  // the kernel's backlog completes the handshake
    if (fd < 0) break;
    send_all(fd, kRequest);
    fds.push_back(fd);
  }
  std::this_thread::sleep_for(milliseconds(1000));  // the server takes what it can
  for (int fd : fds) result.served_at_first += answered(fd) ? 1 : 0;
  const std::int64_t cpu_before = server.cpu_ms();
  std::this_thread::sleep_for(kCpuWindow);
  result.cpu_ms = server.cpu_ms() - cpu_before;

  const Clock::time_point start = Clock::now();
  std::vector<bool> done(fds.size(), false);
  while (result.served_in_the_end < fds.size() && ms_since(start) < 60'000) {
    std::vector<pollfd> polls;
    for (int fd : fds) polls.push_back({fd, POLLIN, 0});
    poll(polls.data(), polls.size(), 100);
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (done[i] || !(polls[i].revents & POLLIN)) continue;
      done[i] = true;
      if (expect_hello(fds[i])) ++result.served_in_the_end;
      close(fds[i]);  // frees its slot
    }
  }
  result.drain_ms = ms_since(start);
  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (!done[i]) close(fds[i]);
  }
  return result;
}

// run_flood floods `server` and checks what both floods share: accept
// paused, not spun (spinning would burn the whole CPU window), everyone
// served in the end, the event logged at most once a second, and a clean
// exit on SIGTERM. `log_text` is the log line the event brings.
FloodResult run_flood(ChildServer& server, std::string_view log_text) {
  const Clock::time_point start = Clock::now();
  const FloodResult r = flood(server);
  const std::int64_t seconds = ms_since(start) / 1000 + 1;
  const std::size_t lines = server.count_lines(log_text);
  figure("connections opened", kClients);
  figure("served before any closed", static_cast<double>(r.served_at_first));
  figure("server CPU while the rest waited", static_cast<double>(r.cpu_ms), "ms");
  figure("over a window of", static_cast<double>(kCpuWindow.count()), "ms");
  figure("served in the end", static_cast<double>(r.served_in_the_end));
  figure("time to serve the backlog", static_cast<double>(r.drain_ms), "ms");
  figure("log lines about it", static_cast<double>(lines));

  EXPECT_LT(r.cpu_ms, kCpuWindow.count() / 2);
  EXPECT_EQ(r.served_in_the_end, static_cast<std::size_t>(kClients));
  EXPECT_GE(lines, 1u);
  EXPECT_LE(static_cast<std::int64_t>(lines), seconds);
  const int status = server.terminate(milliseconds(10'000));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << server.log();
  return r;
}

TEST(FloodTest, MoreConnectionsThanMaxConnections) {
  raise_fd_limit(2 * static_cast<std::size_t>(kClients) + 256);
  const std::size_t max_connections = static_cast<std::size_t>(kClients) / 4;
  ChildServer server({"--max-connections", std::to_string(max_connections)});
  ASSERT_TRUE(server.started()) << server.log();
  const FloodResult r = run_flood(server, "max_connections reached");
  EXPECT_EQ(r.served_at_first, max_connections);
}

// The process's descriptors run out first; EMFILE backs off (100 ms)
// instead of retrying at once.
TEST(FloodTest, MoreConnectionsThanTheFileLimit) {
  raise_fd_limit(2 * static_cast<std::size_t>(kClients) + 256);
  const std::size_t fd_limit = static_cast<std::size_t>(kClients) / 4;
  ChildServer server({"--max-connections", std::to_string(4 * kClients)}, fd_limit);
  ASSERT_TRUE(server.started()) << server.log();
  const FloodResult r = run_flood(server, "out of file descriptors");
  EXPECT_GT(r.served_at_first, 0u);
  EXPECT_LT(r.served_at_first, fd_limit);
}

}  // namespace
}  // namespace shockwave::reliability
