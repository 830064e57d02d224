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
