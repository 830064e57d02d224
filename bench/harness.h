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
//     // Parses every message in `input` (back to back, as pipelined on one
//     // connection), delivering all views a server (or, for responses, a
//     // client or proxy) would use; returns how many messages completed.
//     // Stops at the first error or incomplete one.
//     std::size_t parse_all(std::span<char> input) noexcept;
//     // Parses `input` once like parse_all and checks the result against
//     // `msg` (a BenchRequest, or a BenchResponse for a response runner) in
//     // detail; returns "" when it matches, otherwise what differs.
//     std::string check(std::span<char> input, const Message& msg);
//     // Which parser and build (version, SIMD, flags): every figure's label.
//     std::string label() const;
//   };
//
// Input restoration: our parsers decode chunked bodies in place, so a chunked
// message must be copied back from a pristine copy before every parse. That
// memcpy is done for EVERY parser (and measured on its own by BM_Restore), and
// only for messages with a chunked body; for the others the harness proves,
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
#include "bench/responses.h"

namespace shockwave::bench {

// The name of the per-message time counter.
inline const char* per_message_counter(const BenchRequest&) { return "time_per_req"; }
inline const char* per_message_counter(const BenchResponse&) { return "time_per_resp"; }

// Reports per-message figures: items = messages, bytes = wire bytes, and
// time_per_req (time_per_resp) = CPU time per request (response): an inverted
// rate, CPU seconds / messages; the console shows it with an SI prefix, e.g.
// "41.2ns".
template <class Message>
void set_counters(benchmark::State& state, const Message& msg) {
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  const auto count = static_cast<std::int64_t>(message_count(msg));
  state.SetItemsProcessed(iterations * count);
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(msg.wire.size()));
  state.counters[per_message_counter(msg)] = benchmark::Counter(
      static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <class Message>
bool restores_input(const Message& msg) {
  return msg.chunked;
}

template <class Runner, class Message>
void BM_Parse(benchmark::State& state, const Message* msg) {
  const std::vector<char> pristine(msg->wire.begin(), msg->wire.end());
  std::vector<char> work = pristine;
  Runner runner;
  state.SetLabel(runner.label());

  // Once, untimed: the parse must succeed, consume the whole input and see
  // exactly the message(s) described by `msg`.
  if (const std::string why = runner.check(work, *msg); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  const bool restore = restores_input(*msg);
  if (!restore) {
    if (work != pristine) {
      state.SkipWithError("the parser modified an input the harness does not restore");
      return;
    }
    // Parsing again must give the same result (no state left behind).
    if (const std::string why = runner.check(work, *msg); !why.empty()) {
      state.SkipWithError(("second parse: " + why).c_str());
      return;
    }
  }
  std::memcpy(work.data(), pristine.data(), work.size());

  std::size_t wrong = 0;
  for (auto _ : state) {
    if (restore) std::memcpy(work.data(), pristine.data(), work.size());
    const std::size_t done = runner.parse_all(work);
    wrong += done != message_count(*msg);
  }
  if (wrong != 0) {
    state.SkipWithError("a timed parse did not complete every message");
    return;
  }
  set_counters(state, *msg);
}

// The cost of the per-iteration restore alone, to subtract from the
// BM_Parse/*/<message> figures of messages that are restored.
template <class Message>
void BM_Restore(benchmark::State& state, const Message* msg) {
  const std::vector<char> pristine(msg->wire.begin(), msg->wire.end());
  std::vector<char> work = pristine;
  for (auto _ : state) {
    std::memcpy(work.data(), pristine.data(), work.size());
    benchmark::DoNotOptimize(work.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, *msg);
}

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_HARNESS_H_
