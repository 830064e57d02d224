#include "server/server_core.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include "server/net/listener.h"
#include "server/net/worker.h"
#include "server/observe/log_ring.h"

namespace shockwave {

ServerCore::ServerCore(const Config& config, Dispatch dispatch) : config_(config), dispatch_(dispatch) {}

ServerCore::~ServerCore() {
  stop();
  wait();
}

bool ServerCore::start(std::string* error) {
  if (config_.threads == 0 || config_.max_connections == 0 || config_.max_fields == 0) {
    if (error != nullptr) *error = "threads, max_connections and max_fields must be at least 1";
    return false;
  }
  std::string message;
  const unsigned threads = config_.threads;
  // Each worker's slab holds its share; the budget holds them all, together,
  // to max_connections (a worker may not fill its share while others hold
  // the rest).
  const std::size_t per_worker = (config_.max_connections + threads - 1) / threads;
  budget_ = std::make_unique<net::ConnectionBudget>(config_.max_connections);
  std::uint16_t port = config_.port;
  config_.io = net::Worker::resolve(config_.io);  // config() says which loop runs
  try {
    for (unsigned i = 0; message.empty() && i < threads; ++i) {
      // With port 0 the first listener gets a port from the kernel; the
      // others share it through SO_REUSEPORT.
      const int fd = net::open_listener(config_.address, port, /*check_free=*/i == 0, &message);
      if (fd < 0) break;
      if (port == 0) port = net::bound_port(fd);
      workers_.push_back(net::Worker::create(config_, dispatch_, fd, per_worker, budget_.get()));
      budget_->workers.push_back(workers_.back().get());
    }
  } catch (const std::exception& e) {
    message = e.what();
  }
  if (message.empty() && !config_.access_log.empty()) start_access_log(&message);
  if (!message.empty()) {
    log_writer_.reset();
    if (access_log_fd_ > STDERR_FILENO) close(access_log_fd_);
    access_log_fd_ = -1;
    workers_.clear();
    budget_.reset();
    if (error != nullptr) *error = message;
    return false;
  }
  port_ = port;
  for (auto& worker : workers_) threads_.emplace_back([w = worker.get()] { w->run(); });
  return true;
}

void ServerCore::stop() noexcept {
  for (auto& worker : workers_) worker->stop();
}

// start_access_log opens Config::access_log ("-": stderr) for appending and
// starts the thread that writes every worker's ring to it.
void ServerCore::start_access_log(std::string* message) {
  if (config_.access_log == "-") {
    access_log_fd_ = STDERR_FILENO;
  } else {
    access_log_fd_ = ::open(config_.access_log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (access_log_fd_ < 0) {
      *message = "access log " + config_.access_log + ": " + std::strerror(errno);
      return;
    }
  }
  log_writer_ = std::make_unique<observe::LogWriter>(access_log_fd_);
  for (auto& worker : workers_) log_writer_->add(*worker->log_ring());
  log_writer_->start(message);
}

void ServerCore::wait() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  // The loops have ended: what their rings hold is written, then the file closed.
  if (log_writer_ != nullptr) log_writer_->stop();
  if (access_log_fd_ > STDERR_FILENO) close(access_log_fd_);
  access_log_fd_ = -1;
}

StatsSnapshot ServerCore::stats() const noexcept {
  StatsSnapshot snapshot;
  for (const auto& worker : workers_) worker->stats().add_to(snapshot);
  if (log_writer_ != nullptr) {
    snapshot.access_log_dropped_lines = log_writer_->dropped();
    snapshot.access_log_write_errors = log_writer_->write_errors();
  }
  return snapshot;
}

}  // namespace shockwave
