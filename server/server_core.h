#ifndef SHOCKWAVE_SERVER_SERVER_CORE_H_
#define SHOCKWAVE_SERVER_SERVER_CORE_H_

// ServerCore: the non-template part of Server<H>: listeners, workers and
// their threads. See server.h.

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/config.h"
#include "server/handler.h"
#include "server/stats.h"

namespace shockwave {
namespace net {
class ConnectionBudget;
class Worker;
}  // namespace net
namespace observe {
class LogWriter;
}  // namespace observe

class ServerCore {
 public:
  ServerCore(const Config& config, Dispatch dispatch);
  ~ServerCore();
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  bool start(std::string* error);
  void stop() noexcept;
  void wait();
  std::uint16_t port() const noexcept { return port_; }
  StatsSnapshot stats() const noexcept;
  const Config& config() const noexcept { return config_; }

 private:
  void start_access_log(std::string* message);

  Config config_;
  Dispatch dispatch_;
  std::uint16_t port_ = 0;
  // max_connections across the workers; declared first, so it outlives them.
  std::unique_ptr<net::ConnectionBudget> budget_;
  std::vector<std::unique_ptr<net::Worker>> workers_;
  // The access log's file and the thread that drains the workers' rings
  // into it (Config::access_log); declared after the workers, so it stops
  // before their rings go.
  int access_log_fd_ = -1;
  std::unique_ptr<observe::LogWriter> log_writer_;
  std::vector<std::thread> threads_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_SERVER_CORE_H_
