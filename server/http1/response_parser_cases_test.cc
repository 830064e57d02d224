// ResponseParser against the response conformance cases
// (conformance/cases/responses/*.cases): every case through the split
// harness (one read, a leading guard page, byte by byte, two reads split at
// every offset), finish() at the end of input as when the server closes. The
// outcome must be the same every way, must be the case's strict one, and a
// case's `error:` must name the http1::Error the parser reports.
//
// The outcome is built as the shockwave response adapter builds it
// (conformance/adapter.h): responses back to back until the input ends, an
// error, or a response after which the connection carries no other; each
// completed response converted by conformance::to_message.

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/case.h"
#include "conformance/case_suite.h"
#include "conformance/model.h"
#include "server/http1/error.h"
#include "server/http1/response_parser.h"
#include "server/http1/testing/cases.h"
#include "server/http1/testing/split.h"

namespace shockwave::http1 {
namespace {

namespace cf = ::shockwave::conformance;

struct CaseResult {
  cf::ParseOutcome outcome;
  Error error = Error::kNone;
  bool operator==(const CaseResult&) const = default;
};

std::ostream& operator<<(std::ostream& os, const CaseResult& r) {
  return os << cf::to_json(r.outcome) << " (" << error_name(r.error) << ")";
}

struct CaseConfig {
  std::vector<std::string> requests;
};

class CaseSession {
 public:
  using Config = CaseConfig;
  using Result = CaseResult;

  explicit CaseSession(const Config& config)
      : requests_(config.requests), parser_(std::span<Header>(fields_), ParserOptions{}) {
    parser_.answers(request_kind(cf::answered_method(requests_, 0)));
  }

  void feed(std::span<char> received) {
    last_ = received;
    while (!done_ && received.size() > start_) {
      const ParseStatus status = parser_.parse(received.subspan(start_));
      if (status == ParseStatus::kIncomplete) return;
      take(status);
    }
  }

  // result: the end of input (the server closed).
  Result result() {
    if (!done_) {
      const std::span<char> rest = last_.size() > start_ ? last_.subspan(start_) : std::span<char>();
      const ParseStatus status = parser_.finish(rest);
      if (status != ParseStatus::kIncomplete) take(status);
      done_ = true;
    }
    return result_;
  }

 private:
  void take(ParseStatus status) {
    if (status == ParseStatus::kError) {
      done_ = true;
      result_.error = parser_.error();
      // RFC 9112 §8: a response cut short is incomplete, not invalid.
      if (result_.error == Error::kIncompleteResponse) {
        result_.outcome.incomplete = true;
      } else {
        result_.outcome.error =
            cf::Error{response_error_status(result_.error), std::string(error_reason(result_.error))};
      }
      return;
    }
    result_.outcome.messages.push_back(cf::to_message(parser_));
    start_ += parser_.consumed();
    result_.outcome.consumed = start_;
    const ResponseHead& head = parser_.head();
    const bool interim = head.interim();
    if (!interim) ++finals_;
    done_ = !interim && (!head.keep_alive || head.tunnel);
    parser_.reset();
    if (!interim) parser_.answers(request_kind(cf::answered_method(requests_, finals_)));
  }

  std::vector<std::string> requests_;
  std::array<Header, 128> fields_{};
  ResponseParser parser_;
  CaseResult result_;
  std::span<char> last_;
  std::size_t start_ = 0;
  std::size_t finals_ = 0;
  bool done_ = false;
};

CaseResult ParseEveryWay(const cf::Case& c) {
  testing::SplitOptions splits;
  splits.byte_by_byte = c.input.size() <= 64 * 1024;
  if (c.input.size() > 1024 * 1024) {
    splits.edge = 16;
    splits.samples = 16;
  }
  auto report = testing::FeedAllWays<CaseSession>(c.input, CaseConfig{c.requests}, splits);
  EXPECT_TRUE(report.consistent()) << testing::CaseWhere(c);
  return report.one_read;
}

const cf::CaseSuite& TheSuite() { return cf::response_case_suite(); }

std::string Explain(const cf::Case& c, const CaseResult& got, const std::string& why) {
  return testing::CaseExplain(c, got.outcome, got.error, why);
}

TEST(ResponseCases, Load) {
  EXPECT_EQ(TheSuite().error, "");
  EXPECT_GE(TheSuite().cases.size(), 150u);
}

class Strict : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Strict, TakesTheStrictOutcome) {
  const cf::Case& c = TheSuite().cases[GetParam()];
  const CaseResult got = ParseEveryWay(c);
  std::string why;
  const cf::Verdict verdict = cf::judge(c, got.outcome, &why);
  EXPECT_EQ(cf::verdict_name(verdict), std::string_view("pass")) << Explain(c, got, why);
  if (c.error.empty()) return;
  const std::optional<Error> want = testing::ErrorNamed(c.error);
  ASSERT_TRUE(want.has_value() && *want != Error::kNone)
      << testing::CaseWhere(c) << ": error: " << c.error << " is not an http1::Error";
  EXPECT_EQ(got.error, *want) << Explain(
      c, got, "rejected with " + std::string(error_name(got.error)) + ", the case's error: is " + c.error);
}

INSTANTIATE_TEST_SUITE_P(ResponseCases, Strict, ::testing::Range<std::size_t>(0, TheSuite().cases.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return TheSuite().names[info.param];
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Strict);

}  // namespace
}  // namespace shockwave::http1
