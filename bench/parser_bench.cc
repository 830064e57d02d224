// BM_Parse/<parser>/<request>: our RequestParser against llhttp,
// picohttpparser (two builds) and Boost.Beast on the requests of requests.h.
// See README.md for how to run and read it.

#include <benchmark/benchmark.h>

#include <string>

#include "bench/beast_runner.h"
#include "bench/harness.h"
#include "bench/llhttp_runner.h"
#include "bench/picohttpparser_runner.h"
#include "bench/requests.h"
#include "bench/shockwave_runner.h"

namespace shockwave::bench {
namespace {

// Registered request by request, ours first, so each group sits together.
[[maybe_unused]] const bool registered = [] {
  for (const BenchRequest* req : kAllRequests) {
    const std::string name(req->name);
    benchmark::RegisterBenchmark(("BM_Parse/shockwave/" + name).c_str(), BM_Parse<ShockwaveRunner>, req);
    benchmark::RegisterBenchmark(("BM_Parse/llhttp/" + name).c_str(), BM_Parse<LlhttpRunner>, req);
    benchmark::RegisterBenchmark(("BM_Parse/pico_libh2o_scalar/" + name).c_str(), BM_Parse<PicoLibh2oRunner>, req);
    benchmark::RegisterBenchmark(("BM_Parse/pico_sse42/" + name).c_str(), BM_Parse<PicoSse42Runner>, req);
    benchmark::RegisterBenchmark(("BM_Parse/beast/" + name).c_str(), BM_Parse<BeastRunner>, req);
    if (restores_input(*req)) {
      benchmark::RegisterBenchmark(("BM_Restore/" + name).c_str(), BM_Restore, req);
    }
  }
  return true;
}();

}  // namespace
}  // namespace shockwave::bench
