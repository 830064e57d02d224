// Every parser_bench runner parses every benchmark request (response)
// completely and as requests.h (responses.h) describes it (the check the
// benchmark runs before timing), and parse_all counts every message, so a
// benchmark cannot quietly time a failing parse. Every response runner must
// report the same status, reason, field count, first and last field, framing
// and decoded body, so one that skips part of the work fails. Runs under the
// sanitizers too, unlike the benchmark.

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include "bench/beast_runner.h"
#include "bench/llhttp_runner.h"
#include "bench/picohttpparser_runner.h"
#include "bench/requests.h"
#include "bench/responses.h"
#include "bench/shockwave_response_runner.h"
#include "bench/shockwave_runner.h"

namespace shockwave::bench {
namespace {

TEST(Requests, HaveTheAdvertisedSizes) {
  EXPECT_EQ(kMinimal.wire.size(), 44u);
  EXPECT_EQ(kBrowser.wire.size(), 703u);
  EXPECT_EQ(kChunkedPost.wire.size(), 1198u);
  EXPECT_EQ(kPipelined.wire.size(), 16 * 44u);
  EXPECT_EQ(kChunkedPost.body.size(), 1024u);
  EXPECT_EQ(kSmallResponse.wire.size(), 134u);
  EXPECT_EQ(kCdnResponse.wire.size(), 779u + 33u);
  EXPECT_EQ(kChunkedResponse.wire.size(), 1203u);
  EXPECT_EQ(kPipelinedResponses.wire.size(), 16 * 134u);
}

// bench/results/regenerate.sh runs each half of parser_bench by name: a
// response's name starts with "response_", a request's never with 'r'.
TEST(Requests, NamesTellTheHalvesApart) {
  for (const BenchRequest* req : kAllRequests) EXPECT_NE(req->name.front(), 'r') << req->name;
  for (const BenchResponse* resp : kAllResponses) EXPECT_TRUE(resp->name.starts_with("response_")) << resp->name;
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

template <class Runner>
void expect_every_response_parses(const char* parser) {
  for (const BenchResponse* resp : kAllResponses) {
    SCOPED_TRACE(std::string(parser) + " on " + std::string(resp->name));
    std::vector<char> work(resp->wire.begin(), resp->wire.end());
    Runner runner;
    EXPECT_FALSE(runner.label().empty());
    EXPECT_EQ(runner.check(work, *resp), "");
    work.assign(resp->wire.begin(), resp->wire.end());
    EXPECT_EQ(runner.parse_all(work), resp->response_count);
    // check() compares every fact: each of these differs from the input.
    auto expect_differs = [&](BenchResponse wrong) {
      work.assign(resp->wire.begin(), resp->wire.end());
      EXPECT_NE(runner.check(work, wrong), "");
    };
    BenchResponse wrong = *resp;
    wrong.status = 201;
    expect_differs(wrong);
    wrong = *resp;
    wrong.reason = "Created";
    expect_differs(wrong);
    wrong = *resp;
    wrong.field_count = resp->field_count - 1;
    expect_differs(wrong);
    wrong = *resp;
    wrong.last_field_value = "something else";
    expect_differs(wrong);
    wrong = *resp;
    wrong.body = resp->body.substr(1);
    expect_differs(wrong);
    wrong = *resp;
    wrong.chunked = !resp->chunked;
    expect_differs(wrong);
    // A truncated input completes fewer responses.
    work.assign(resp->wire.begin(), resp->wire.end());
    EXPECT_LT(runner.parse_all(std::span<char>(work.data(), work.size() - 1)), resp->response_count);
  }
}

TEST(ResponseRunners, Shockwave) { expect_every_response_parses<ShockwaveResponseRunner>("shockwave"); }
TEST(ResponseRunners, Llhttp) { expect_every_response_parses<LlhttpResponseRunner>("llhttp"); }
TEST(ResponseRunners, PicohttpparserLibh2o) {
  expect_every_response_parses<PicoLibh2oResponseRunner>("pico_libh2o_scalar");
}
TEST(ResponseRunners, Beast) { expect_every_response_parses<BeastResponseRunner>("beast"); }

TEST(ResponseRunners, PicohttpparserSse42WhenAvailable) {
  if (!pico_sse42_build().available) GTEST_SKIP() << pico_sse42_build().label;
  expect_every_response_parses<PicoSse42ResponseRunner>("pico_sse42");
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
