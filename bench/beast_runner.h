#ifndef SHOCKWAVE_BENCH_BEAST_RUNNER_H_
#define SHOCKWAVE_BENCH_BEAST_RUNNER_H_

// Boost.Beast's http::basic_parser<true> (<false> for responses; header-only,
// Debian's libboost-dev 1.74) used the way a zero-copy Beast server (client)
// would: a derived parser whose callbacks record views of the method and
// target (or the status and reason), every field and the body pieces into
// fixed storage (as large as the other runners'), eager(true) so one put()
// call runs through the body, and a freshly constructed parser per message
// (Beast parsers are not reusable). Beast finds framing and keep-alive
// itself, and hands a chunked body out in pieces (the runner records their
// views, it does not join them). See harness.h for the Runner contract.

#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "bench/requests.h"
#include "bench/responses.h"

namespace shockwave::bench {

class BeastRunner {
 public:
  BeastRunner();
  ~BeastRunner();
  BeastRunner(const BeastRunner&) = delete;
  BeastRunner& operator=(const BeastRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);
  std::string label() const;

 private:
  struct Impl;  // keeps Boost's headers out of the benchmark's other files
  std::unique_ptr<Impl> impl_;
};

class BeastResponseRunner {
 public:
  BeastResponseRunner();
  ~BeastResponseRunner();
  BeastResponseRunner(const BeastResponseRunner&) = delete;
  BeastResponseRunner& operator=(const BeastResponseRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchResponse& resp);
  std::string label() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_BEAST_RUNNER_H_
