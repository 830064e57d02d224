// BM_Parse/<parser>/<message>: our RequestParser against llhttp,
// picohttpparser (two builds) and Boost.Beast on the requests of requests.h,
// then our ResponseParser against the same peers on the responses of
// responses.h (names response_*). See README.md for how to run and read it.

#include <benchmark/benchmark.h>

#include <string>

#include "bench/beast_runner.h"
#include "bench/harness.h"
#include "bench/llhttp_runner.h"
#include "bench/picohttpparser_runner.h"
#include "bench/requests.h"
#include "bench/responses.h"
#include "bench/shockwave_response_runner.h"
#include "bench/shockwave_runner.h"

namespace shockwave::bench {
namespace {

// Registered message by message, ours first, so each group sits together;
// requests first, then responses, each side with its runners.
template <class Message, class Ours, class Llhttp, class PicoLibh2o, class PicoSse42, class Beast>
void register_all(const auto& messages) {
  for (const Message* msg : messages) {
    const std::string name(msg->name);
    benchmark::RegisterBenchmark(("BM_Parse/shockwave/" + name).c_str(), BM_Parse<Ours, Message>, msg);
    benchmark::RegisterBenchmark(("BM_Parse/llhttp/" + name).c_str(), BM_Parse<Llhttp, Message>, msg);
    benchmark::RegisterBenchmark(("BM_Parse/pico_libh2o_scalar/" + name).c_str(), BM_Parse<PicoLibh2o, Message>, msg);
    benchmark::RegisterBenchmark(("BM_Parse/pico_sse42/" + name).c_str(), BM_Parse<PicoSse42, Message>, msg);
    benchmark::RegisterBenchmark(("BM_Parse/beast/" + name).c_str(), BM_Parse<Beast, Message>, msg);
    if (restores_input(*msg)) {
      benchmark::RegisterBenchmark(("BM_Restore/" + name).c_str(), BM_Restore<Message>, msg);
    }
  }
}

[[maybe_unused]] const bool registered = [] {
  register_all<BenchRequest, ShockwaveRunner, LlhttpRunner, PicoLibh2oRunner, PicoSse42Runner, BeastRunner>(
      kAllRequests);
  register_all<BenchResponse, ShockwaveResponseRunner, LlhttpResponseRunner, PicoLibh2oResponseRunner,
               PicoSse42ResponseRunner, BeastResponseRunner>(kAllResponses);
  return true;
}();

}  // namespace
}  // namespace shockwave::bench
