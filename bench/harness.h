#ifndef SHOCKWAVE_BENCH_HARNESS_H_
#define SHOCKWAVE_BENCH_HARNESS_H_

// One timing loop for every parser, so both sides of a comparison pay exactly
// the same harness costs.
//
// A Runner wraps one parser the way a server would use it on a connection:
//
//   class Runner {
//    public:
//     Runner();  // not copied or moved after construction
//     // Parses every request in `input` (back to back, as pipelined on one
//     // connection), delivering all views a server would use; returns how
//     // many requests completed. Stops at the first error or incomplete one.
//     std::size_t parse_all(std::span<char> input) noexcept;
//     // Parses `input` once like parse_all and checks the result against
//     // `req` in detail; returns "" when it matches, otherwise what differs.
//     std::string check(std::span<char> input, const BenchRequest& req);
//     // Which parser and build (version, SIMD, flags): every figure's label.
//     std::string label() const;
//   };
//
// Input restoration: our parser decodes chunked bodies in place, so a chunked
// request must be copied back from a pristine copy before every parse. That
// memcpy is done for BOTH parsers (and measured on its own by BM_Restore), and
// only for requests with a chunked body; for the others the harness proves,
// before timing, that parsing leaves the buffer untouched, so no copy is
// needed and none is timed.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "bench/requests.h"

namespace shockwave::bench {

// Reports per-request figures: items = requests, bytes = wire bytes, and
// time_per_req = CPU time per request (an inverted rate: CPU seconds /
// requests; the console shows it with an SI prefix, e.g. "41.2ns").
inline void set_counters(benchmark::State& state, const BenchRequest& req) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(req.request_count));
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(req.wire.size()));
  state.counters["time_per_req"] =
      benchmark::Counter(static_cast<double>(req.request_count),
                         benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

inline bool restores_input(const BenchRequest& req) { return req.chunked; }

template <class Runner>
void BM_Parse(benchmark::State& state, const BenchRequest* req) {
  const std::vector<char> pristine(req->wire.begin(), req->wire.end());
  std::vector<char> work = pristine;
  Runner runner;
  state.SetLabel(runner.label());

  // Once, untimed: the parse must succeed, consume the whole input and see
  // exactly the request(s) described by `req`.
  if (const std::string why = runner.check(work, *req); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  const bool restore = restores_input(*req);
  if (!restore) {
    if (work != pristine) {
      state.SkipWithError("the parser modified an input the harness does not restore");
      return;
    }
    // Parsing again must give the same result (no state left behind).
    if (const std::string why = runner.check(work, *req); !why.empty()) {
      state.SkipWithError(("second parse: " + why).c_str());
      return;
    }
  }
  std::memcpy(work.data(), pristine.data(), work.size());

  std::size_t wrong = 0;
  for (auto _ : state) {
    if (restore) std::memcpy(work.data(), pristine.data(), work.size());
    const std::size_t done = runner.parse_all(work);
    wrong += done != req->request_count;
  }
  if (wrong != 0) {
    state.SkipWithError("a timed parse did not complete every request");
    return;
  }
  set_counters(state, *req);
}

// The cost of the per-iteration restore alone, to subtract from the
// BM_Parse/*/<request> figures of requests that are restored.
inline void BM_Restore(benchmark::State& state, const BenchRequest* req) {
  const std::vector<char> pristine(req->wire.begin(), req->wire.end());
  std::vector<char> work = pristine;
  for (auto _ : state) {
    std::memcpy(work.data(), pristine.data(), work.size());
    benchmark::DoNotOptimize(work.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, *req);
}

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_HARNESS_H_
