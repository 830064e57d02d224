// The access log never makes a loop wait: when the log cannot keep up, a
// line that finds its loop's ring full is dropped, and counted where an
// operator sees it (Server::stats(), /metrics). Here the log is a FIFO that
// nobody reads until every response is out, so the pipe and then the small
// ring fill: every response must still arrive, and each line must be either
// in the log or among the dropped, exactly once.

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"
#include "testing/client.h"
#include "testing/escape.h"

namespace shockwave::testing {
namespace {

constexpr int kBatches = 50;
constexpr int kPipelined = 100;  // per batch: 5,000 responses, ~450 KB of log lines

// drain reads `fd` (non-blocking) until the writer closes it or 30 s pass;
// returns the number of lines.
std::size_t drain(int fd) {
  std::size_t lines = 0;
  char buffer[65536];
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) break;  // end of file: the server closed the log
    if (n < 0) {
      pollfd p{fd, POLLIN, 0};
      poll(&p, 1, 100);
      continue;
    }
    for (ssize_t i = 0; i < n; ++i) lines += buffer[i] == '\n';
  }
  return lines;
}

TEST(AccessLogDropTest, EveryLineIsWrittenOrCountedAsDropped) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string fifo = std::string(dir != nullptr ? dir : "/tmp") + "/access_log_drop.fifo";
  unlink(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // Opened for reading first, so the server's open for writing does not wait.
  const int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);

  Config config = test_config();
  config.access_log = fifo;
  config.access_log_ring = 4096;  // a few dozen lines
  Endpoints endpoints;
  TestServer<Endpoints> server(config, endpoints);
  ASSERT_TRUE(server.started()) << server.error();

  Client client(server.port());
  std::string batch;
  for (int i = 0; i < kPipelined; ++i) batch += get("/plaintext");
  std::size_t answered = 0;
  for (int b = 0; b < kBatches; ++b) {
    ASSERT_TRUE(client.send(batch));
    const std::vector<Response> r = client.read_responses(kPipelined, {}, milliseconds(5000));
    ASSERT_EQ(r.size(), static_cast<std::size_t>(kPipelined)) << escape(client.pending(), 200);
    for (const Response& response : r) answered += response.status == 200;
  }
  EXPECT_EQ(answered, static_cast<std::size_t>(kBatches * kPipelined));

  std::size_t logged = 0;
  std::thread reading([&] { logged = drain(reader); });
  server.stop();
  server.wait();  // the writer writes what the rings hold, then closes the FIFO
  reading.join();
  close(reader);
  unlink(fifo.c_str());

  const StatsSnapshot stats = server.server().stats();
  EXPECT_GT(stats.access_log_dropped_lines, 0u) << "the log kept up; the test proves nothing";
  EXPECT_GT(logged, 0u);
  EXPECT_EQ(logged + stats.access_log_dropped_lines, answered)
      << logged << " logged, " << stats.access_log_dropped_lines << " dropped";
  EXPECT_EQ(stats.access_log_write_errors, 0u);
  std::printf("FIGURE access_log_drop: %zu responses, %zu lines logged, %llu dropped\n", answered, logged,
              static_cast<unsigned long long>(stats.access_log_dropped_lines));
}

}  // namespace
}  // namespace shockwave::testing
