// Every parser_bench runner parses every benchmark request completely and as
// requests.h describes it (the check the benchmark runs before timing), and
// parse_all counts every request, so a benchmark cannot quietly time a
// failing parse. Runs under the sanitizers too, unlike the benchmark.

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "bench/beast_runner.h"
#include "bench/llhttp_runner.h"
#include "bench/picohttpparser_runner.h"
#include "bench/requests.h"
#include "bench/shockwave_runner.h"

namespace shockwave::bench {
namespace {

TEST(Requests, HaveTheAdvertisedSizes) {
  EXPECT_EQ(kMinimal.wire.size(), 44u);
  EXPECT_EQ(kBrowser.wire.size(), 703u);
  EXPECT_EQ(kChunkedPost.wire.size(), 1198u);
  EXPECT_EQ(kPipelined.wire.size(), 16 * 44u);
  EXPECT_EQ(kChunkedPost.body.size(), 1024u);
}

template <class Runner>
void expect_every_request_parses(const char* parser) {
  for (const BenchRequest* req : kAllRequests) {
    SCOPED_TRACE(std::string(parser) + " on " + std::string(req->name));
    std::vector<char> work(req->wire.begin(), req->wire.end());
    Runner runner;
    EXPECT_FALSE(runner.label().empty());
    EXPECT_EQ(runner.check(work, *req), "");
    // As the timing loop does: restore, parse, count.
    work.assign(req->wire.begin(), req->wire.end());
    EXPECT_EQ(runner.parse_all(work), req->request_count);
    // check() sees a fact that differs.
    BenchRequest wrong = *req;
    wrong.target = "/not-this-one";
    work.assign(req->wire.begin(), req->wire.end());
    EXPECT_NE(runner.check(work, wrong), "");
    // A truncated input completes fewer requests (a count that can fail).
    work.assign(req->wire.begin(), req->wire.end());
    EXPECT_LT(runner.parse_all(std::span<char>(work.data(), work.size() - 1)), req->request_count);
  }
}

TEST(Runners, Shockwave) { expect_every_request_parses<ShockwaveRunner>("shockwave"); }
TEST(Runners, Llhttp) { expect_every_request_parses<LlhttpRunner>("llhttp"); }
TEST(Runners, PicohttpparserLibh2o) { expect_every_request_parses<PicoLibh2oRunner>("pico_libh2o_scalar"); }
TEST(Runners, Beast) { expect_every_request_parses<BeastRunner>("beast"); }

TEST(Runners, PicohttpparserSse42WhenAvailable) {
  if (!pico_sse42_build().available) {
    PicoSse42Runner runner;
    EXPECT_NE(runner.check({}, kMinimal).find("unavailable"), std::string::npos);
    GTEST_SKIP() << pico_sse42_build().label;
  }
  expect_every_request_parses<PicoSse42Runner>("pico_sse42");
}

}  // namespace
}  // namespace shockwave::bench
