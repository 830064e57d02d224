#include "server/tests/test_server.h"

#include <cstdlib>

namespace shockwave::testing {

IoBackend test_io() {
  const char* io = std::getenv("SHOCKWAVE_TEST_IO");
  if (io != nullptr && std::string_view(io) == "uring") return IoBackend::kUring;
  if (io != nullptr && std::string_view(io) == "epoll") return IoBackend::kEpoll;
  return Config().io;
}

Config test_config() {
  Config config;
  config.address = "127.0.0.1";
  config.port = 0;
  config.threads = 1;
  config.max_connections = 32;
  config.io = test_io();
  return config;
}

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

std::string get(std::string_view target) { return "GET " + std::string(target) + " HTTP/1.1\r\nHost: a\r\n\r\n"; }

}  // namespace shockwave::testing
