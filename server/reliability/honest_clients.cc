#include "server/reliability/honest_clients.h"

#include "testing/client.h"

namespace shockwave::reliability {

HonestClients::HonestClients(std::uint16_t port, int threads, milliseconds pause, std::size_t per_connection) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([=, this] { run(port, pause, per_connection); });
}

void HonestClients::stop() {
  stop_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::string HonestClients::first_failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return first_failure_;
}

Percentiles HonestClients::latencies() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return percentiles(latencies_us_);
}

void HonestClients::run(std::uint16_t port, milliseconds pause, std::size_t per_connection) {
  static constexpr std::string_view kRequest = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";
  auto client = std::make_unique<testing::Client>();
  std::vector<double> mine;
  std::size_t on_this_connection = per_connection;  // connect first
  while (!stop_) {
    if (on_this_connection == per_connection) {
      client->connect(port);
      on_this_connection = 0;
    }
    const Clock::time_point start = Clock::now();
    if (client->send(kRequest) && client->expect("Hello, World!")) {
      mine.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
      ++answered_;
      ++on_this_connection;
    } else {
      if (failures_++ == 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        first_failure_ = std::string(client->failure()) + " after " + std::to_string(ms_since(start)) + " ms";
      }
      on_this_connection = per_connection;  // reconnect
    }
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  latencies_us_.insert(latencies_us_.end(), mine.begin(), mine.end());
}

}  // namespace shockwave::reliability
