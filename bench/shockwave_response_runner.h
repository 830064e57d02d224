#ifndef SHOCKWAVE_BENCH_SHOCKWAVE_RESPONSE_RUNNER_H_
#define SHOCKWAVE_BENCH_SHOCKWAVE_RESPONSE_RUNNER_H_

// Our ResponseParser (default = strict options) used the way a client or
// proxy uses it on a connection: one parser over caller-owned field storage,
// reset() before each response (each answers a GET: answers() keeps its
// default), the next pipelined response starting at consumed(). It delivers
// the status, reason, version, views of every field, framing, keep-alive and
// the body (a chunked one decoded in place, in one piece). See harness.h for
// the Runner contract.

#include <array>
#include <cstddef>
#include <span>
#include <string>

#include "bench/responses.h"
#include "server/http1/request.h"
#include "server/http1/response_parser.h"

namespace shockwave::bench {

class ShockwaveResponseRunner {
 public:
  // Same capacity as the other runners' field storage.
  static constexpr std::size_t kFieldCapacity = 32;

  ShockwaveResponseRunner() noexcept;
  ShockwaveResponseRunner(const ShockwaveResponseRunner&) = delete;
  ShockwaveResponseRunner& operator=(const ShockwaveResponseRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchResponse& resp);
  std::string label() const;

 private:
  std::array<http1::Header, kFieldCapacity> fields_;
  http1::ResponseParser parser_;
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_SHOCKWAVE_RESPONSE_RUNNER_H_
