// The reviewed response differences: every entry has its RFC reason, a
// known difference is classified, an unexplained one is not.

#include "fuzz/llhttp_response_differences.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conformance/adapter.h"

namespace shockwave::fuzz {
namespace {

const std::vector<std::string> kGet = {"GET"};

conformance::ParseOutcome Parse(std::string_view adapter, std::string_view input) {
  return conformance::make_response_adapter(adapter)->parse(input, kGet);
}

TEST(LlhttpResponseDifferences, EveryEntryHasAnRfcReason) {
  ASSERT_FALSE(response_differences().empty());
  for (const Difference& d : response_differences()) {
    EXPECT_FALSE(d.id.empty());
    EXPECT_TRUE(d.rfc.starts_with("RFC ")) << d.id << ": \"" << d.rfc << "\"";
    EXPECT_GE(d.reason.size(), 20u) << d.id;
  }
}

TEST(LlhttpResponseDifferences, KnownDifferenceIsClassified) {
  // RFC 9112 §5.2: we refuse obs-fold in a response; llhttp unfolds it.
  const std::string input = "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n";
  const auto ours = Parse("shockwave", input);
  const auto theirs = Parse("llhttp", input);
  ASSERT_NE(ours, theirs);
  const Difference* d = classify_response(input, kGet, ours, theirs);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, "obs-fold");
}

// Real disagreements the fuzzer found, each classified under the entry that
// names its rule (both parsers run, nothing made up).
struct Found {
  std::vector<std::string> requests;
  std::string input;
  std::string_view id;
};

TEST(LlhttpResponseDifferences, FoundDisagreementsAreClassified) {
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::vector<Found> found = {
      {kGet, chunked + "3;CON-- ", "rejected-mid-line"},
      {kGet, chunked + "5ea;=mnvaluH", "chunk-ext-syntax"},
      {kGet, chunked + "0000001094189946909\r\nab", "chunk-size-digits"},
      {kGet, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n3\r\nabc\r\n0\r\n\r\n", "te-empty-list-element"},
      {kGet, chunked + "0\r\nTransfer-Encoding: x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
       "control-fields-in-trailers"},
      {kGet, chunked + "0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "control-fields-in-trailers"},
      {kGet, "HTTP/1.0 200 OK\r\nConnection: keep-alive\t\r\nContent-Length: 1\r\n\r\nok", "connection-htab-ows"},
      {{"HEAD"}, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", "head-response-framing-judged"},
      {{"CONNECT"},
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: x\r\nContent-Length: 0\r\n\r\n",
       "head-response-framing-judged"},
      {kGet, chunked + "0; chunked\r\n\r\n", "chunk-ext-llhttp-refuses"},
  };
  for (const Found& f : found) {
    const auto ours = conformance::make_response_adapter("shockwave")->parse(f.input, f.requests);
    const auto theirs = conformance::make_response_adapter("llhttp")->parse(f.input, f.requests);
    ASSERT_NE(ours, theirs) << f.id << ": they agree now; the entry may be stale";
    const Difference* d = classify_response(f.input, f.requests, ours, theirs);
    ASSERT_NE(d, nullptr) << f.id;
    EXPECT_EQ(d->id, f.id);
  }
}

TEST(LlhttpResponseDifferences, UnexplainedDisagreementIsNotClassified) {
  // A made-up llhttp outcome with another body: nothing explains it.
  const std::string input = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
  const auto ours = Parse("shockwave", input);
  auto theirs = ours;
  ASSERT_EQ(theirs.messages.size(), 1u);
  theirs.messages[0].body = "ho";
  EXPECT_EQ(classify_response(input, kGet, ours, theirs), nullptr);
}

}  // namespace
}  // namespace shockwave::fuzz
