// The reviewed differences file: every entry names its RFC section and says
// why, and a lenient profile's difference is accepted under that profile
// only.

#include "fuzz/llhttp_differences.h"

#include <gtest/gtest.h>

#include <string>

#include "conformance/adapter.h"

namespace shockwave::fuzz {
namespace {

TEST(LlhttpDifferences, EveryEntryHasAnRfcReason) {
  ASSERT_FALSE(differences().empty());
  for (const Difference& d : differences()) {
    EXPECT_FALSE(d.id.empty());
    EXPECT_TRUE(d.rfc.starts_with("RFC ")) << d.id << ": \"" << d.rfc << "\"";
    EXPECT_GE(d.reason.size(), 20u) << d.id;
  }
}

TEST(LlhttpDifferences, LenientDifferencesOnlyUnderTheirProfile) {
  const std::string input = "GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
  const auto ours = conformance::make_adapter("shockwave")->parse(input);
  const auto lenient = conformance::make_adapter("llhttp-lenient-keep_alive")->parse(input);
  ASSERT_NE(ours, lenient);
  const Difference* d = classify("llhttp-lenient-keep_alive", input, ours, lenient);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->id, "lenient-keep_alive");
  EXPECT_EQ(classify("llhttp", input, ours, lenient), nullptr);
  EXPECT_EQ(classify("llhttp-lenient-headers", input, ours, lenient), nullptr);
}

TEST(LlhttpDifferences, UnexplainedDisagreementIsNotClassified) {
  // A made-up llhttp outcome with a different body: nothing explains it.
  const std::string input = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi";
  const auto ours = conformance::make_adapter("shockwave")->parse(input);
  auto theirs = ours;
  ASSERT_EQ(theirs.messages.size(), 1u);
  theirs.messages[0].body = "ho";
  EXPECT_EQ(classify("llhttp", input, ours, theirs), nullptr);
}

}  // namespace
}  // namespace shockwave::fuzz
