// parse_loop parses one bench request (bench/requests.h) or response
// (bench/responses.h, names response_*) N times through the bench's runner,
// for callgrind and perf: instructions per message are
//
//   valgrind --tool=callgrind --toggle-collect='*Runner::parse_all*'
//       bazel-bin/bench/parse_loop <message> <N> [shockwave|llhttp]
//
// (one command line)
//
// divided by N * messages in the input (the input restore of chunked
// messages runs outside parse_all, so it is not counted). Build with -c opt.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "bench/llhttp_runner.h"
#include "bench/requests.h"
#include "bench/responses.h"
#include "bench/shockwave_response_runner.h"
#include "bench/shockwave_runner.h"

namespace shockwave::bench {
namespace {

template <class Runner, class Message>
int Loop(const Message& req, long n) {
  const std::vector<char> pristine(req.wire.begin(), req.wire.end());
  std::vector<char> work = pristine;
  Runner runner;
  if (std::string why = runner.check(work, req); !why.empty()) {
    std::fprintf(stderr, "%s\n", why.c_str());
    return 1;
  }
  std::size_t done = 0;
  for (long i = 0; i < n; ++i) {
    std::memcpy(work.data(), pristine.data(), work.size());
    done += runner.parse_all(work);
  }
  std::printf("%s: %zu messages parsed\n", std::string(req.name).c_str(), done);
  return done == static_cast<std::size_t>(n) * message_count(req) ? 0 : 1;
}

}  // namespace
}  // namespace shockwave::bench

int main(int argc, char** argv) {
  using namespace shockwave::bench;
  if (argc < 3) {
    std::fprintf(stderr, "usage: parse_loop <request or response name> <N> [shockwave|llhttp]\n");
    return 2;
  }
  const std::string_view name = argv[1];
  const long n = std::atol(argv[2]);
  const std::string_view parser = argc > 3 ? argv[3] : "shockwave";
  for (const BenchRequest* req : kAllRequests) {
    if (req->name != name) continue;
    return parser == "llhttp" ? Loop<LlhttpRunner>(*req, n) : Loop<ShockwaveRunner>(*req, n);
  }
  for (const BenchResponse* resp : kAllResponses) {
    if (resp->name != name) continue;
    return parser == "llhttp" ? Loop<LlhttpResponseRunner>(*resp, n) : Loop<ShockwaveResponseRunner>(*resp, n);
  }
  std::fprintf(stderr, "no request or response named %s\n", argv[1]);
  return 2;
}
