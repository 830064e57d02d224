#ifndef SHOCKWAVE_SERVER_RELIABILITY_HONEST_CLIENTS_H_
#define SHOCKWAVE_SERVER_RELIABILITY_HONEST_CLIENTS_H_

// HonestClients: the well-behaved traffic an attack must not starve. Each
// thread keeps one keep-alive connection (testing/client.h) asking
// GET /plaintext, a request every `pause`, timing each exchange, and opens a
// fresh connection every `per_connection` requests. Any failure (a wrong
// response, a close, a 10 s stall) is recorded, and the thread reconnects.
//
//   HonestClients honest(port, 4, milliseconds(5));
//   ... the attack ...
//   honest.stop();
//   EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/reliability/harness.h"

namespace shockwave::reliability {

class HonestClients {
 public:
  HonestClients(std::uint16_t port, int threads, milliseconds pause, std::size_t per_connection = 1000);
  ~HonestClients() { stop(); }
  HonestClients(const HonestClients&) = delete;
  HonestClients& operator=(const HonestClients&) = delete;

  // stop ends every thread after its current exchange and joins them.
  void stop();

  std::size_t answered() const { return answered_.load(); }
  std::size_t failures() const { return failures_.load(); }
  std::string first_failure() const;
  // latencies: every exchange's time, request sent to response read (us).
  Percentiles latencies() const;

 private:
  void run(std::uint16_t port, milliseconds pause, std::size_t per_connection);

  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> answered_{0};
  std::atomic<std::size_t> failures_{0};
  mutable std::mutex mutex_;
  std::string first_failure_;
  std::vector<double> latencies_us_;
  std::vector<std::thread> threads_;
};

}  // namespace shockwave::reliability

#endif  // SHOCKWAVE_SERVER_RELIABILITY_HONEST_CLIENTS_H_
