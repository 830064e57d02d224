// load_test: the //bench:load binary, run as a child process, against a
// real Server serving the endpoints in this process (127.0.0.1, port 0).
// Bounded runs (--requests) must report every response and no error, with
// and without pipelining and over two threads; usage errors exit 2 and a
// run that gets no response exits 1.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "server/endpoints.h"
#include "server/http1/request.h"
#include "server/http1/response_parser.h"
#include "server/server.h"
#include "testing/client.h"
#include "testing/ports.h"

extern char** environ;

namespace shockwave::bench {
namespace {

struct LoadRun {
  int status = -1;  // the exit status, or -1 if it did not exit normally
  std::string out;  // its standard output
};

std::string load_path() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return std::string(srcdir ? srcdir : ".") + "/" + (workspace ? workspace : "shockwave") + "/bench/load";
}

// run_load runs the binary with `args`, its stdout captured (stderr goes to
// the test log).
LoadRun run_load(const std::vector<std::string>& args) {
  const std::string path = load_path();
  std::vector<char*> argv{const_cast<char*>(path.c_str())};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  LoadRun run;
  if (rc != 0) {
    ::close(pipe_fds[0]);
    ADD_FAILURE() << "cannot start " << path;
    return run;
  }
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) run.out.append(buffer, n);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) run.status = WEXITSTATUS(status);
  return run;
}

// number reads `"key": N` from load's --json output; -1 if absent.
double number(const std::string& json, const std::string& key) {
  const std::string needle = "\"" + key + "\": ";
  const std::size_t at = json.find(needle);
  if (at == std::string::npos) return -1;
  return std::strtod(json.c_str() + at + needle.size(), nullptr);
}

class LoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Config config;
    config.address = "127.0.0.1";
    config.port = 0;
    config.threads = 1;
    server_ = new Server<Endpoints>(config, endpoints_);
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
  }
  static void TearDownTestSuite() {
    server_->stop();
    server_->wait();
    delete server_;
    server_ = nullptr;
  }

  static std::string url(const std::string& path = "/plaintext") {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  // wire_bytes: the size of one GET /plaintext response as the server
  // writes it, read with the test client and framed by the response parser.
  static std::size_t wire_bytes() {
    shockwave::testing::Client client(server_->port());
    EXPECT_TRUE(client.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"));
    http1::Header fields[32];
    for (;;) {
      std::string copy(client.pending());  // the parser works in place
      http1::ResponseParser parser(fields);
      const http1::ParseStatus s = parser.parse({copy.data(), copy.size()});
      if (s == http1::ParseStatus::kComplete) return parser.consumed();
      if (s == http1::ParseStatus::kError || !client.wait_bytes(std::chrono::seconds(5))) {
        ADD_FAILURE() << "no response to measure";
        return 0;
      }
    }
  }

  // expect_bounded: a run with these flags exits 0 and reports `n`
  // responses, all 2xx, no error, their bytes and their latencies.
  static void expect_bounded(std::size_t n, std::vector<std::string> flags) {
    flags.insert(flags.end(), {"--requests", std::to_string(n), "-d", "30", "--json", url()});
    const LoadRun run = run_load(flags);
    ASSERT_EQ(run.status, 0) << run.out;
    EXPECT_EQ(number(run.out, "responses"), static_cast<double>(n)) << run.out;
    EXPECT_EQ(number(run.out, "errors"), 0) << run.out;
    EXPECT_NE(run.out.find("\"errors_by_kind\": {}"), std::string::npos) << run.out;
    EXPECT_EQ(number(run.out, "non_2xx_3xx"), 0) << run.out;
    EXPECT_EQ(number(run.out, "retries"), 0) << run.out;  // our server closes nothing here
    EXPECT_GE(number(run.out, "connections_opened"), 1) << run.out;
    // The bytes the client read: n responses of the same size.
    EXPECT_EQ(number(run.out, "bytes"), static_cast<double>(n * wire_bytes())) << run.out;
    const double p50 = number(run.out, "p50");
    EXPECT_GT(p50, 0) << run.out;
    EXPECT_LE(p50, number(run.out, "p99")) << run.out;
    EXPECT_LE(number(run.out, "p99"), number(run.out, "max")) << run.out;
    EXPECT_GT(number(run.out, "requests_per_s"), 0) << run.out;
  }

  static inline Endpoints endpoints_;
  static inline Server<Endpoints>* server_ = nullptr;
};

TEST_F(LoadTest, BoundedRun) { expect_bounded(200, {"-c", "4"}); }

TEST_F(LoadTest, BoundedRunPipelined) { expect_bounded(200, {"-c", "4", "-p", "4"}); }

TEST_F(LoadTest, BoundedRunOverTwoThreads) { expect_bounded(201, {"-c4", "-t2", "-p3"}); }

TEST_F(LoadTest, RequestFileIsSentInTurn) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string file = std::string(tmp ? tmp : "/tmp") + "/load_requests.txt";
  std::ofstream(file) << "GET /plaintext\nGET /missing\n";
  const LoadRun run = run_load({"-f", file, "-c", "1", "--requests", "10", "-d", "30", "--json", url("/")});
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(number(run.out, "responses"), 10) << run.out;
  EXPECT_EQ(number(run.out, "non_2xx_3xx"), 5) << run.out;  // the 404s
  EXPECT_EQ(number(run.out, "errors"), 0) << run.out;
}

TEST_F(LoadTest, TextReportLooksLikeWrks) {
  const LoadRun run = run_load({"-c", "2", "--requests", "50", "-d", "30", "--latency", url()});
  ASSERT_EQ(run.status, 0) << run.out;
  for (const char* line :
       {"50 requests in ", "Requests/sec:", "Transfer/sec:", "Latency Distribution", "99.9%", "Generator CPU:"}) {
    EXPECT_NE(run.out.find(line), std::string::npos) << line << "\n" << run.out;
  }
}

TEST_F(LoadTest, UsageErrorsExit2) {
  EXPECT_EQ(run_load({"http://localhost/"}).status, 2);
  EXPECT_EQ(run_load({"http://[::1]:80/"}).status, 2);
  EXPECT_EQ(run_load({"--bogus", url()}).status, 2);
  EXPECT_EQ(run_load({"-c", "0", url()}).status, 2);
  EXPECT_EQ(run_load({"-t", "3", "-c", "2", url()}).status, 2);
  EXPECT_EQ(run_load({"-d", "x", url()}).status, 2);
  EXPECT_EQ(run_load({"-c"}).status, 2);
  EXPECT_EQ(run_load({}).status, 2);
}

TEST_F(LoadTest, NoResponseExits1) {
  const std::uint16_t port = shockwave::testing::closed_port();
  ASSERT_NE(port, 0);
  const LoadRun run = run_load({"-c", "1", "-d", "0.3", "--json", "http://127.0.0.1:" + std::to_string(port) + "/"});
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_EQ(number(run.out, "responses"), 0) << run.out;
  EXPECT_GT(number(run.out, "errors"), 0) << run.out;
}

}  // namespace
}  // namespace shockwave::bench
