// The RFC 9112 conformance suite (conformance/cases/, format in its README).
//
//  - Strict/<case>: the "shockwave" adapter takes every case's strict outcome.
//  - Peer/<adapter>: every other registered adapter gives the verdicts
//    recorded in conformance/expected/<adapter>.txt (a changed verdict, for
//    better or worse, is a failure naming the cases; regenerate the files with
//    `./bazelw run //conformance:update_expected` and review the diff).
//  - Responses (conformance/cases/responses/): the same for response
//    parsers: ResponseStrict/<case> for "shockwave", ResponsePeer/<adapter>
//    against conformance/expected/responses/<adapter>.txt; and the fixtures
//    of conformance/testdata/responses/, which every response adapter passes.
//  - Coverage: at least 300 request cases and 150 response cases, a case for
//    every requirement row a parser decides and for every smuggling class of
//    the catalogue (docs/requirements.md; //conformance:catalogue_test checks
//    the rest of what the catalogue says about the cases).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "conformance/adapter.h"
#include "conformance/case.h"
#include "conformance/case_suite.h"
#include "conformance/catalogue.h"
#include "conformance/model.h"

namespace shockwave::conformance {
namespace {

// The requirement catalogue (docs/requirements.md): the rows the cases
// decide, and the rows no request case can decide ("checked by"). A row
// removed by mistake changes the count.
constexpr std::size_t kCatalogRows = 180;
constexpr std::size_t kMinCases = 300;
constexpr std::size_t kMinResponseCases = 150;

// ---------------------------------------------------------------------------
// Data.

using Suite = CaseSuite;
const Suite& TheSuite() { return case_suite(); }
const Suite& TheResponseSuite() { return response_case_suite(); }

// AllCases: the request cases, then the response cases.
std::vector<const Case*> AllCases() {
  std::vector<const Case*> all;
  for (const Suite* suite : {&TheSuite(), &TheResponseSuite()}) {
    for (const Case& c : suite->cases) all.push_back(&c);
  }
  return all;
}

std::string Explain(const Case& c, const ParseOutcome& outcome, const std::string& why) {
  std::ostringstream os;
  os << c.file << ":" << c.line << ": " << c.id << " (" << c.section << (c.rule.empty() ? "" : ", " + c.rule)
     << ")\n  why:     " << c.why << "\n  input:   " << truncated(escape(c.input))
     << "\n  strict:  " << to_string(c.strict) << "\n  verdict: " << why
     << "\n  outcome: " << truncated(to_json(outcome));
  return os.str();
}

TEST(Cases, Load) { EXPECT_EQ(TheSuite().error, ""); }

TEST(Cases, AtLeast300) { EXPECT_GE(TheSuite().cases.size(), kMinCases); }

TEST(ResponseCases, Load) { EXPECT_EQ(TheResponseSuite().error, ""); }

TEST(ResponseCases, AtLeast150) { EXPECT_GE(TheResponseSuite().cases.size(), kMinResponseCases); }

TEST(ResponseCases, AreResponseCases) {
  for (const Case& c : TheResponseSuite().cases) {
    EXPECT_TRUE(c.response && c.id.starts_with("responses/")) << c.file << ":" << c.line << ": " << c.id;
  }
  for (const Case& c : TheSuite().cases) EXPECT_FALSE(c.response) << c.file << ":" << c.line << ": " << c.id;
}

TEST(Cases, EveryCaseCitesAnRfcSection) {
  for (const Case* cp : AllCases()) {
    const Case& c = *cp;
    EXPECT_TRUE(c.section.starts_with("RFC 9112 §") || c.section.starts_with("RFC 9110 §"))
        << c.file << ":" << c.line << ": " << c.id << ": section \"" << c.section << "\"";
  }
}

// ---------------------------------------------------------------------------
// Shockwave: the strict profile, every case.

class Strict : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Strict, TakesTheStrictOutcome) {
  const Case& c = TheSuite().cases[GetParam()];
  auto adapter = make_adapter("shockwave");
  ASSERT_NE(adapter, nullptr);
  const ParseOutcome outcome = adapter->parse(c.input);
  std::string why;
  const Verdict verdict = judge(c, outcome, &why);
  EXPECT_EQ(verdict_name(verdict), "pass") << Explain(c, outcome, why);
}

INSTANTIATE_TEST_SUITE_P(Cases, Strict, ::testing::Range<std::size_t>(0, TheSuite().cases.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return TheSuite().names[info.param];
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Strict);  // when the cases fail to load (Cases.Load fails)

class ResponseStrict : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ResponseStrict, TakesTheStrictOutcome) {
  const Case& c = TheResponseSuite().cases[GetParam()];
  auto adapter = make_response_adapter("shockwave");
  ASSERT_NE(adapter, nullptr);
  const ParseOutcome outcome = adapter->parse(c.input, c.requests);
  std::string why;
  const Verdict verdict = judge(c, outcome, &why);
  EXPECT_EQ(verdict_name(verdict), "pass") << Explain(c, outcome, why);
}

INSTANTIATE_TEST_SUITE_P(Cases, ResponseStrict, ::testing::Range<std::size_t>(0, TheResponseSuite().cases.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return TheResponseSuite().names[info.param];
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ResponseStrict);  // when there are none (ResponseCases.Load fails)

// The fixtures of the response machinery: plain responses every response
// adapter must frame alike (conformance/testdata/responses/).
TEST(ResponseFixtures, EveryResponseAdapterTakesTheStrictOutcome) {
  const Suite fixtures = load_suite("conformance/testdata/responses");
  ASSERT_EQ(fixtures.error, "");
  ASSERT_GE(fixtures.cases.size(), 4u);
  for (std::string_view name : response_adapter_names()) {
    auto adapter = make_response_adapter(name);
    ASSERT_NE(adapter, nullptr) << name;
    for (const Case& c : fixtures.cases) {
      const ParseOutcome outcome = adapter->parse(c.input, c.requests);
      std::string why;
      EXPECT_EQ(verdict_name(judge(c, outcome, &why)), "pass") << name << ": " << Explain(c, outcome, why);
    }
  }
}

// ---------------------------------------------------------------------------
// Reachability: every outcome a case allows can happen. The judge checks
// `messages:` for every allowed outcome, so a case that allows a reject while
// requiring as many complete messages as its input holds allows something no
// parser can do (a rejecting parser could never pass it).

// Unreachable lists the allowed outcomes of `c` that no parser framing the
// requests as the strict one does can give, with why; "" when all can.
// `strict` is the strict parser's outcome on the input, `shorter` its outcome
// on the input without its last octet.
std::string Unreachable(const Case& c, const ParseOutcome& strict, const ParseOutcome& shorter) {
  if (!c.messages) return "";
  const std::size_t lo = *c.messages, hi = c.messages_max.value_or(lo);
  std::string out;
  for (const Outcome& o : c.allowed) {
    if (o.kind == Outcome::Kind::kAccept) {
      // Accepting with no complete message needs an input of empty lines.
      const bool only_empty_lines = c.input.find_first_not_of("\r\n") == std::string::npos;
      if (hi == 0 && !only_empty_lines) out += "accept with 0 messages, but the input holds a request; ";
      continue;
    }
    if (!strict.ok() || strict.incomplete) continue;
    // The strict parser accepted the input as `total` requests. A reject or
    // an incomplete request after c complete messages needs octets after the
    // c-th: c < total, or c == total with octets after the last request
    // (the strict parser still completes `total` without the last octet).
    const std::size_t total = strict.messages.size();
    const bool trailing = !c.input.empty() && shorter.messages.size() == total;
    const bool reachable = lo < total || (lo <= total && total <= hi && trailing);
    if (!reachable) {
      out += to_string(o) + " after " + std::to_string(lo) + (hi > lo ? ".." + std::to_string(hi) : "") +
             " complete messages, but the input holds " + std::to_string(total) + " and nothing after them; ";
    }
  }
  return out;
}

TEST(Reachability, EveryAllowedOutcomeCanHappen) {
  auto adapter = make_adapter("shockwave");
  ASSERT_NE(adapter, nullptr);
  for (const Case& c : TheSuite().cases) {
    if (!c.messages) continue;
    const ParseOutcome strict = adapter->parse(c.input);
    const ParseOutcome shorter = adapter->parse(std::string_view(c.input).substr(0, c.input.size() - 1));
    EXPECT_EQ(Unreachable(c, strict, shorter), "") << c.file << ":" << c.line << ": " << c.id;
  }
}

TEST(Reachability, FindsARejectThatNeedsMoreMessagesThanTheInputHolds) {
  // The shape two-leading-crlfs had: "accept | reject 400" with messages: 1.
  std::string error;
  auto cases = parse_cases(
      "section: RFC 9112 §2.2\n[c]\nwhy: w\ninput: \"\\r\\nGET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n\"\n"
      "expect: accept | reject 400\nstrict: accept\nmessages: 1\n"
      "[d]\nwhy: w\ninput: \"GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n\\r\\n\"\n"
      "expect: accept | reject 400\nstrict: accept\nmessages: 1\n"
      "[e]\nwhy: w\ninput: \"GET / HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nX\"\n"
      "expect: reject 400 | incomplete\nstrict: reject 400\nmessages: 0\n",
      "t.cases", &error);
  ASSERT_TRUE(cases) << error;
  auto adapter = make_adapter("shockwave");
  auto check = [&](const Case& c) {
    const std::string in = c.input;
    return Unreachable(c, adapter->parse(in), adapter->parse(std::string_view(in).substr(0, in.size() - 1)));
  };
  EXPECT_NE(check((*cases)[0]), "");  // nothing after the request: the reject cannot come after it
  EXPECT_EQ(check((*cases)[1]), "");  // an empty line after it could be rejected
  EXPECT_EQ(check((*cases)[2]), "");  // the strict parser rejects: nothing to derive
}

// ---------------------------------------------------------------------------
// Peers: the recorded verdicts of every other registered adapter.

std::vector<std::string> PeerNames() {
  std::vector<std::string> names;
  for (std::string_view n : adapter_names()) {
    if (n != "shockwave") names.emplace_back(n);
  }
  return names;
}

// CheckRecorded compares the verdicts of `adapter_name` on `suite` (each
// outcome from `parse`) with the file conformance/expected/<relative>.
void CheckRecorded(const std::string& adapter_name, const Suite& suite, const std::string& relative,
                   const std::function<ParseOutcome(const Case&)>& parse) {
  ASSERT_EQ(suite.error, "");
  const std::string shown = "conformance/expected/" + relative;
  std::ifstream in(runfiles_path(shown), std::ios::binary);
  ASSERT_TRUE(in) << "no " << shown << " for registered adapter \"" << adapter_name
                  << "\": run ./bazelw run //conformance:update_expected";
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto recorded = parse_verdicts(text.str(), &error);
  ASSERT_TRUE(recorded.has_value()) << shown << ": " << error;
  std::map<std::string, Verdict> want(recorded->begin(), recorded->end());

  std::ostringstream changes;
  int changed = 0;
  int counts[3] = {0, 0, 0};
  std::set<std::string> ids;
  for (const Case& c : suite.cases) {
    ids.insert(c.id);
    const ParseOutcome outcome = parse(c);
    std::string why;
    const Verdict got = judge(c, outcome, &why);
    ++counts[static_cast<int>(got)];
    auto it = want.find(c.id);
    if (it == want.end()) {
      ++changed;
      changes << "  " << c.id << ": new case, now " << verdict_name(got) << (why.empty() ? "" : ": " + why) << "\n";
    } else if (it->second != got) {
      ++changed;
      changes << "  " << c.id << ": recorded " << verdict_name(it->second) << ", now " << verdict_name(got)
              << (why.empty() ? "" : ": " + truncated(why, 300)) << "\n";
    }
  }
  for (const auto& [id, v] : want) {
    if (!ids.count(id)) {
      ++changed;
      changes << "  " << id << ": recorded " << verdict_name(v) << ", but there is no such case\n";
    }
  }
  EXPECT_EQ(changed, 0) << adapter_name << ": " << changed << " verdict(s) differ from " << shown
                        << " (regenerate with ./bazelw run //conformance:update_expected and review the diff):\n"
                        << changes.str();
  std::printf("%s: pass %d, allowed %d, fail %d\n", adapter_name.c_str(), counts[0], counts[1], counts[2]);
}

class Peer : public ::testing::TestWithParam<std::string> {};

TEST_P(Peer, GivesTheRecordedVerdicts) {
  const std::string& name = GetParam();
  auto adapter = make_adapter(name);
  ASSERT_NE(adapter, nullptr) << name;
  CheckRecorded(name, TheSuite(), name + ".txt", [&](const Case& c) { return adapter->parse(c.input); });
}

INSTANTIATE_TEST_SUITE_P(Adapters, Peer, ::testing::ValuesIn(PeerNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return gtest_name(info.param); });

// Responses: every response adapter but ours, against
// conformance/expected/responses/<adapter>.txt.
std::vector<std::string> ResponsePeerNames() {
  std::vector<std::string> names;
  for (std::string_view n : response_adapter_names()) {
    if (n != "shockwave") names.emplace_back(n);
  }
  return names;
}

class ResponsePeer : public ::testing::TestWithParam<std::string> {};

TEST_P(ResponsePeer, GivesTheRecordedVerdicts) {
  const std::string& name = GetParam();
  auto adapter = make_response_adapter(name);
  ASSERT_NE(adapter, nullptr) << name;
  CheckRecorded(name, TheResponseSuite(), "responses/" + name + ".txt",
                [&](const Case& c) { return adapter->parse(c.input, c.requests); });
}

INSTANTIATE_TEST_SUITE_P(Adapters, ResponsePeer, ::testing::ValuesIn(ResponsePeerNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return gtest_name(info.param); });

// EachFileHasAnAdapter: every <name>.txt in `dir` names one of `adapters`.
void EachFileHasAnAdapter(const std::string& dir, const std::vector<std::string>& adapters) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(runfiles_path(dir), ec)) {
    if (entry.path().extension() != ".txt") continue;
    const std::string stem = entry.path().stem().string();
    EXPECT_NE(std::find(adapters.begin(), adapters.end(), stem), adapters.end())
        << dir << "/" << stem << ".txt: no registered adapter \"" << stem << "\"";
  }
}

TEST(ExpectedFiles, EachHasAnAdapter) {
  EachFileHasAnAdapter("conformance/expected", PeerNames());
  EachFileHasAnAdapter("conformance/expected/responses", ResponsePeerNames());
}

// ---------------------------------------------------------------------------
// Coverage.

const Catalogue& TheCatalogue() {
  static const Catalogue* catalogue = [] {
    auto* c = new Catalogue;
    std::ifstream in(runfiles_path("docs/requirements.md"), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::string error;
    auto parsed = parse_catalogue(text.str(), &error);
    EXPECT_TRUE(in && parsed.has_value()) << "docs/requirements.md: " << (in ? error : "cannot read it");
    if (parsed) *c = std::move(*parsed);
    return c;
  }();
  return *catalogue;
}

TEST(Coverage, EveryCatalogRowIsListedOnce) {
  std::set<std::string_view> rows;
  for (const CatalogueRow& r : TheCatalogue().rows) EXPECT_TRUE(rows.insert(r.id).second) << r.id;
  EXPECT_EQ(rows.size(), kCatalogRows);
}

TEST(Coverage, EveryParserRowHasACase) {
  std::map<std::string, int> cited;
  for (const Case* c : AllCases()) ++cited[c->rule];
  for (const CatalogueRow& r : TheCatalogue().rows) {
    if (!r.decided_by_cases) continue;
    EXPECT_GT(cited[r.id], 0) << "no case for " << r.id;
  }
}

TEST(Coverage, CasesCiteParserRows) {
  std::set<std::string> parser_rows;
  for (const CatalogueRow& r : TheCatalogue().rows) {
    if (r.decided_by_cases) parser_rows.insert(r.id);
  }
  ASSERT_FALSE(parser_rows.empty());
  for (const Case* cp : AllCases()) {
    const Case& c = *cp;
    if (c.rule.empty()) continue;
    EXPECT_TRUE(parser_rows.count(c.rule))
        << c.file << ":" << c.line << ": " << c.id << ": rule " << c.rule << " is not a parser row of the catalogue";
  }
}

TEST(Coverage, EverySmugglingClassHasACase) {
  std::map<std::string, int> cited;
  for (const Case* c : AllCases()) ++cited[c->smuggling];
  for (const SmugglingClass& s : smuggling_classes()) {
    EXPECT_GT(cited[std::string(s.name)], 0) << "no case for smuggling class " << s.number << " " << s.name;
  }
}

TEST(Coverage, EveryOutcomeKindIsStrictSomewhere) {
  for (const Suite* suite : {&TheSuite(), &TheResponseSuite()}) {
    std::set<Outcome::Kind> kinds;
    for (const Case& c : suite->cases) kinds.insert(c.strict.kind);
    EXPECT_EQ(kinds.size(), 3u) << (suite == &TheSuite() ? "request cases" : "response cases");
  }
}

}  // namespace
}  // namespace shockwave::conformance
