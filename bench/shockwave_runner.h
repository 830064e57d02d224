#ifndef SHOCKWAVE_BENCH_SHOCKWAVE_RUNNER_H_
#define SHOCKWAVE_BENCH_SHOCKWAVE_RUNNER_H_

// Our RequestParser (default = strict options) used the way the server uses
// it on a connection: one parser over caller-owned field storage, reset()
// before each request, the next pipelined request starting at consumed().
// See harness.h for the Runner contract.

#include <array>
#include <cstddef>
#include <span>
#include <string>

#include "bench/requests.h"
#include "server/http1/request.h"
#include "server/http1/request_parser.h"

namespace shockwave::bench {

class ShockwaveRunner {
 public:
  // Same capacity as the llhttp runner's field storage.
  static constexpr std::size_t kFieldCapacity = 32;

  ShockwaveRunner() noexcept;
  ShockwaveRunner(const ShockwaveRunner&) = delete;
  ShockwaveRunner& operator=(const ShockwaveRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);
  std::string label() const;

 private:
  std::array<http1::Header, kFieldCapacity> fields_;
  http1::RequestParser parser_;
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_SHOCKWAVE_RUNNER_H_
