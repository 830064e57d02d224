// RequestParser against the conformance cases (conformance/cases/*.cases,
// format in its README): the one specification of what the parser makes of a
// request, checked here through the split harness (testing/split.h) rather
// than in one read as //conformance:conformance_test does.
//
//  - Strict/<case>: every case, parsed in one read, flush against a leading
//    guard page, byte by byte and in two reads split at every offset, must
//    give the same outcome every way, and that outcome must be the case's
//    strict one (judge() says "pass": messages, method, target, fields, body,
//    keep-alive, reject status). A case's `error:` must name the
//    http1::Error the parser reports.
//  - Lenient/<profile>: Shockwave's leniency profiles (conformance/adapter.cc)
//    give, every way the bytes are split, the verdicts recorded in
//    conformance/expected/<profile>.txt, as the conformance runner checks them
//    in one read.
//
// A case's outcome is built as the shockwave adapter builds it
// (conformance/adapter.h): requests back to back until the input ends, an
// error, or a request after which the connection carries no other (keep-alive
// false); each completed request converted by conformance::to_message.

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
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
#include "server/http1/options.h"
#include "server/http1/request_parser.h"
#include "server/http1/testing/cases.h"
#include "server/http1/testing/split.h"

namespace shockwave::http1 {
namespace {

namespace cf = ::shockwave::conformance;

// ---------------------------------------------------------------------------
// The session the split harness feeds: the adapter's contract, incrementally.

struct CaseResult {
  cf::ParseOutcome outcome;
  Error error = Error::kNone;  // the parser's error, for `error:`
  bool operator==(const CaseResult&) const = default;
};

std::ostream& operator<<(std::ostream& os, const CaseResult& r) {
  return os << cf::to_json(r.outcome) << " (" << error_name(r.error) << ")";
}

struct CaseConfig {
  ParserOptions options;
};

class CaseSession {
 public:
  using Config = CaseConfig;
  using Result = CaseResult;

  explicit CaseSession(const Config& config) : parser_(std::span<Header>(fields_), config.options) {}

  void feed(std::span<char> received) {
    while (!done_ && received.size() > start_) {
      const ParseStatus status = parser_.parse(received.subspan(start_));
      if (status == ParseStatus::kIncomplete) {
        result_.outcome.incomplete = true;
        return;
      }
      result_.outcome.incomplete = false;
      done_ = true;
      if (status == ParseStatus::kError) {
        result_.error = parser_.error();
        result_.outcome.error = cf::Error{error_status(result_.error), std::string(error_reason(result_.error))};
        return;
      }
      if (parser_.consumed() == 0 || parser_.consumed() > received.size() - start_) {
        ADD_FAILURE() << "kComplete with consumed() == " << parser_.consumed() << " of " << received.size() - start_;
        return;
      }
      result_.outcome.messages.push_back(cf::to_message(parser_));
      start_ += parser_.consumed();
      result_.outcome.consumed = start_;
      // RFC 9112 §9.6: nothing after a request that ends the connection.
      done_ = !result_.outcome.messages.back().keep_alive;
      parser_.reset();
    }
  }

  Result result() const { return result_; }

 private:
  std::array<Header, 128> fields_{};  // as many as the adapter gives the parser
  RequestParser parser_;
  CaseResult result_;
  std::size_t start_ = 0;
  bool done_ = false;
};

// ParseEveryWay runs a case through every delivery of the split harness,
// adds a failure naming the case if they disagree, and returns the one-read
// result.
CaseResult ParseEveryWay(const cf::Case& c, const ParserOptions& options) {
  testing::SplitOptions splits;
  // Byte by byte costs a parse call per byte; inputs over 64 KiB (the limit
  // cases) get one read, the front guard and the sampled two-read splits.
  splits.byte_by_byte = c.input.size() <= 64 * 1024;
  // Each two-read run copies the whole input: for the megabyte ones, fewer
  // splits (the first and last 16 offsets and 16 in between).
  if (c.input.size() > 1024 * 1024) {
    splits.edge = 16;
    splits.samples = 16;
  }
  auto report = testing::FeedAllWays<CaseSession>(c.input, CaseConfig{options}, splits);
  EXPECT_TRUE(report.consistent()) << testing::CaseWhere(c);
  return report.one_read;
}

// ---------------------------------------------------------------------------
// The cases.

using Suite = cf::CaseSuite;
const Suite& TheSuite() { return cf::case_suite(); }

std::string Explain(const cf::Case& c, const CaseResult& got, const std::string& why) {
  return testing::CaseExplain(c, got.outcome, got.error, why);
}

TEST(Cases, Load) {
  EXPECT_EQ(TheSuite().error, "");
  EXPECT_GE(TheSuite().cases.size(), 300u);
}

// ---------------------------------------------------------------------------
// Strict: the default options take every case's strict outcome, every way.

class Strict : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Strict, TakesTheStrictOutcome) {
  const cf::Case& c = TheSuite().cases[GetParam()];
  const CaseResult got = ParseEveryWay(c, ParserOptions{});
  std::string why;
  const cf::Verdict verdict = cf::judge(c, got.outcome, &why);
  EXPECT_EQ(cf::verdict_name(verdict), std::string_view("pass")) << Explain(c, got, why);
  if (c.error.empty()) return;
  const std::optional<Error> want = testing::ErrorNamed(c.error);
  ASSERT_TRUE(want.has_value() && *want != Error::kNone)
      << testing::CaseWhere(c) << ": error: " << c.error << " is not an http1::Error";
  EXPECT_EQ(error_status(*want), c.strict.statuses.at(0))
      << testing::CaseWhere(c) << ": error: " << c.error << " is answered with " << error_status(*want)
      << ", the case's strict reject with " << c.strict.statuses.at(0);
  EXPECT_EQ(got.error, *want) << Explain(
      c, got, "rejected with " + std::string(error_name(got.error)) + ", the case's error: is " + c.error);
}

INSTANTIATE_TEST_SUITE_P(Cases, Strict, ::testing::Range<std::size_t>(0, TheSuite().cases.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return TheSuite().names[info.param];
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Strict);  // when the cases fail to load (Cases.Load fails)

// ---------------------------------------------------------------------------
// Lenient: each leniency profile gives its recorded verdicts, every way.

// The profiles of conformance/adapter.cc, with the options they set there
// (KnowsEveryLeniencyProfile fails when a profile is added there alone).
struct Profile {
  std::string name;
  ParserOptions options;
};

std::vector<Profile> Profiles() {
  Profile bare_lf{"shockwave-lenient-bare_lf", {}};
  bare_lf.options.leniency.bare_lf = true;
  Profile obs_fold{"shockwave-lenient-obs_fold", {}};
  obs_fold.options.leniency.obs_fold = true;
  return {bare_lf, obs_fold};
}

TEST(Lenient, KnowsEveryLeniencyProfile) {
  std::set<std::string> registered;
  for (std::string_view n : cf::adapter_names()) {
    if (n.starts_with("shockwave-")) registered.emplace(n);
  }
  std::set<std::string> known;
  for (const Profile& p : Profiles()) known.insert(p.name);
  EXPECT_EQ(known, registered);
}

class Lenient : public ::testing::TestWithParam<Profile> {};

TEST_P(Lenient, GivesTheRecordedVerdicts) {
  const Profile& profile = GetParam();
  const Suite& suite = TheSuite();
  ASSERT_EQ(suite.error, "");
  const std::string file = "conformance/expected/" + profile.name + ".txt";
  std::ifstream in(cf::runfiles_path(file), std::ios::binary);
  ASSERT_TRUE(in) << "no " << file;
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto recorded = cf::parse_verdicts(text.str(), &error);
  ASSERT_TRUE(recorded.has_value()) << file << ": " << error;
  const std::map<std::string, cf::Verdict> want(recorded->begin(), recorded->end());
  ASSERT_EQ(want.size(), suite.cases.size()) << file << " and the cases differ; regenerate it";
  for (const cf::Case& c : suite.cases) {
    auto it = want.find(c.id);
    ASSERT_NE(it, want.end()) << file << " has no verdict for " << c.id;
    const CaseResult got = ParseEveryWay(c, profile.options);
    std::string why;
    const cf::Verdict verdict = cf::judge(c, got.outcome, &why);
    EXPECT_EQ(cf::verdict_name(verdict), cf::verdict_name(it->second))
        << profile.name << ": " << Explain(c, got, why.empty() ? "pass" : why);
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, Lenient, ::testing::ValuesIn(Profiles()),
                         [](const ::testing::TestParamInfo<Profile>& info) { return cf::gtest_name(info.param.name); });

}  // namespace
}  // namespace shockwave::http1
