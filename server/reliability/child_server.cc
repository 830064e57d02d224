#include "server/reliability/child_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace shockwave::reliability {
namespace {

std::string binary_path() {
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string tail = std::string("/") + (workspace ? workspace : "shockwave") + "/server/shockwave";
  if (const char* dir = std::getenv("TEST_SRCDIR")) return dir + tail;
  return "server/shockwave";
}

}  // namespace

ChildServer::ChildServer(const std::vector<std::string>& flags, std::size_t fd_limit) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return;
  std::vector<std::string> args = {binary_path(), "--port", "0"};
  // The loop the test runs against, as test_server's servers (test_io()).
  if (const char* io = std::getenv("SHOCKWAVE_TEST_IO")) args.push_back(std::string("--io=") + io);
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {  // the child: only async-signal-safe calls until exec
    dup2(pipe_fds[1], STDERR_FILENO);
    if (fd_limit > 0) {
      rlimit limit{fd_limit, fd_limit};
      setrlimit(RLIMIT_NOFILE, &limit);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  stderr_fd_ = pipe_fds[0];
  if (pid_ < 0) return;
  // The first line names the port; the reader keeps the rest.
  reader_ = std::thread([this] {
    char buffer[4096];
    for (;;) {
      const ssize_t n = read(stderr_fd_, buffer, sizeof buffer);
      std::lock_guard<std::mutex> lock(mutex_);
      if (n <= 0) {
        port_known_ = true;  // it exited, listening or not
        started_.notify_all();
        break;
      }
      log_.append(buffer, static_cast<std::size_t>(n));
      const std::size_t at = log_.find("listening on http://127.0.0.1:");
      if (!port_known_ && at != std::string::npos && log_.find('/', at + 30) != std::string::npos) {
        port_ = static_cast<std::uint16_t>(std::atoi(log_.c_str() + at + 30));
        port_known_ = true;
        started_.notify_all();
      }
    }
  });
  std::unique_lock<std::mutex> lock(mutex_);
  started_.wait_for(lock, std::chrono::seconds(30), [this] { return port_known_; });
}

ChildServer::~ChildServer() {
  if (pid_ > 0) terminate(milliseconds(10'000));
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

std::string ChildServer::log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

std::size_t ChildServer::count_lines(std::string_view text) const {
  std::istringstream lines(log());
  std::string line;
  std::size_t n = 0;
  while (std::getline(lines, line)) n += line.find(text) != std::string::npos ? 1 : 0;
  return n;
}

int ChildServer::terminate(milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const Clock::time_point deadline = Clock::now() + timeout;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (Clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
  return status;
}

}  // namespace shockwave::reliability
