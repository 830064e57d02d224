#ifndef SHOCKWAVE_SERVER_RELIABILITY_CHILD_SERVER_H_
#define SHOCKWAVE_SERVER_RELIABILITY_CHILD_SERVER_H_

// ChildServer: the shockwave binary in a child process, for what an
// in-process server cannot show: its own RLIMIT_NOFILE, its CPU time, its
// log, and SIGTERM. It listens on a port the kernel picks (read from its
// first log line); everything it logs is kept.

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/reliability/harness.h"

namespace shockwave::reliability {

class ChildServer {
 public:
  // Starts //server:shockwave with `flags` (plus --port 0), its soft and
  // hard RLIMIT_NOFILE set to `fd_limit` when > 0.
  ChildServer(const std::vector<std::string>& flags, std::size_t fd_limit = 0);
  ~ChildServer();
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  bool started() const { return port() != 0; }
  std::uint16_t port() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return port_;
  }
  pid_t pid() const { return pid_; }
  std::int64_t cpu_ms() const { return cpu_ms_of(pid_); }
  // log: what it has written to stderr so far.
  std::string log() const;
  // count_lines: log lines containing `text`.
  std::size_t count_lines(std::string_view text) const;

  // terminate sends SIGTERM and waits up to `timeout` for the exit; the
  // exit status (as from waitpid), or -1 if it had to be killed.
  int terminate(milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable started_;
  bool port_known_ = false;
  std::string log_;
  std::thread reader_;
};

}  // namespace shockwave::reliability

#endif  // SHOCKWAVE_SERVER_RELIABILITY_CHILD_SERVER_H_
