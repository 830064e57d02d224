// The RFC 9112 conformance suite (conformance/cases/, format in its README).
//
//  - Strict/<case>: the "shockwave" adapter takes every case's strict outcome.
//  - Peer/<adapter>: every other registered adapter gives the verdicts
//    recorded in conformance/expected/<adapter>.txt (a changed verdict, for
//    better or worse, is a failure naming the cases; regenerate the files with
//    `./bazelw run //conformance:update_expected` and review the diff).
//  - Coverage: at least 300 cases, a case for every requirement row a request
//    parser decides and for every smuggling class of the catalog
//    (/work/shared/rfc9112-requirements.md, sections 1 and 2).

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "conformance/adapter.h"
#include "conformance/case.h"
#include "conformance/model.h"

namespace shockwave::conformance {
namespace {

// ---------------------------------------------------------------------------
// The catalog's requirement rows (section 1), split by who decides them.

// Rows a request parser decides: each has at least one case.
constexpr std::string_view kParserRows[] = {
    // 1.A octets, line endings, message shape
    "R-2.1-1",
    "R-2.2-1",
    "R-2.2-2",
    "R-2.2-3",
    "R-2.2-4",
    "R-2.2-5",
    "R-2.2-6",
    "R-2.2-7",
    "R-2.2-8",
    "R-2.2-9",
    "R-2.2-10",
    // 1.B HTTP-version
    "R-2.3-1",
    "R-2.3-2",
    "R-2.3-3",
    "R-2.3-4",
    // 1.C request-line, method, request-target, Host
    "R-3-1",
    "R-3-2",
    "R-3-3",
    "R-3-4",
    "R-3-5",
    "R-3.1-1",
    "R-3.1-2",
    "R-3.1-3",
    "R-3.2-1",
    "R-3.2-2",
    "R-3.2.1-1",
    "R-3.2.2-1",
    "R-3.2.2-2",
    "R-3.2.2-3",
    "R-3.2.2-4",
    "R-3.2.2-5",
    "R-3.2.3-1",
    "R-3.2.3-2",
    "R-3.2.3-3",
    "R-3.2.4-1",
    "R-3.2-3",
    "R-3.2-4",
    "R-3.2-5",
    "R-3.2-6",
    "R-3.3-1",
    // 1.D field lines
    "R-5-1",
    "R-5-2",
    "R-5-3",
    "R-5.1-1",
    "R-5.1-2",
    "R-5.1-3",
    "R-5.2-1",
    "R-5.5-1",
    "R-5.5-2",
    "R-5.5-3",
    "R-5.3-1",
    "R-5.3-2",
    "R-5.4-1",
    "R-5.6.1-1",
    "R-5.1-4",
    // 1.E message body framing
    "R-6-1",
    "R-6.3-1",
    "R-6.1-1",
    "R-6.1-2",
    "R-6.1-3",
    "R-6.1-4",
    "R-6.1-5",
    "R-6.1-6",
    "R-6.1-7",
    "R-6.1-8",
    "R-6.1-9",
    "R-6.2-1",
    "R-6.2-2",
    "R-6.2-3",
    "R-6.2-4",
    "R-6.2-5",
    "R-6.2-6",
    "R-6.2-7",
    "R-6.3-3",
    // 1.F chunked
    "R-7.1-1",
    "R-7.1-2",
    "R-7.1-3",
    "R-7.1-4",
    "R-7.1-5",
    "R-7.1-6",
    "R-7.1-7",
    "R-7.1-8",
    "R-7.1.1-1",
    "R-7.1.1-2",
    "R-7.1.1-3",
    "R-7.1.1-4",
    "R-7.1.1-5",
    "R-7.1.2-1",
    "R-7.1.2-2",
    "R-7.1.2-3",
    "R-7.1.2-4",
    "R-7.1.3-1",
    // 1.G incomplete messages, limits
    "R-8-1",
    "R-8-3",
    // 1.H connection management: what the parser reports (keep-alive, where
    // the next request starts, no request after an error or "close")
    "R-9.3-1",
    "R-9.3-2",
    "R-9.3-3",
    "R-9.3.2-1",
    "R-9.3.2-3",
    "R-9.6-1",
    "R-9.6-3",
    "R-9.6-5",
    "R-9.6-6",
    "R-9.3-5",
    // 1.I Expect and Upgrade requests the parser must take as ordinary requests
    "R-10.1.1-1",
    "R-10.1.1-2",
    "R-10.1.1-3",
    "R-10.1.1-6",
    "R-7.8-1",
    "R-7.8-3",
    "R-7.8-4",
    // 1.J
    "R-9.3.1-1",
};

// Rows about what the server sends, when, or over time: no request case can
// decide them (the server and property tests do).
constexpr std::string_view kServerRows[] = {
    "R-2.3-5",     // response version
    "R-3.1-4",     // 405 + Allow: routing
    "R-6.3-2",     // 411: an endpoint's policy
    "R-8-2",       // 408 after a timeout
    "R-9.3-4",     // "close" in every response
    "R-9.3.2-2",   // the same result however the bytes are split (property tests)
    "R-9.6-2",     // "close" in the final response
    "R-9.6-4",     // lingering close
    "R-10.1.1-4",  // a final status after 100
    "R-10.1.1-5",  // an early final status says whether the server closes
    "R-15.2-1",    // 1xx responses have no content
    "R-7.8-2",     // 100 before 101
    "R-9.3.2-4",   // HEAD responses have no content
    "R-15.3.5-1",  // 1xx/204/304 have no content
    "R-8.6-1",     // no Content-Length in 1xx/204/CONNECT 2xx
    "R-6.1-10",    // no Transfer-Encoding in some responses
    "R-6.3-4",     // prefer length or chunked response framing
    "R-4-1",       // status-line syntax
    "R-11.1-1",    // response-splitting-safe header API
    "R-6.6.1-1",   // Date
};

constexpr std::size_t kCatalogRows = 132;
constexpr std::size_t kMinCases = 300;

// ---------------------------------------------------------------------------
// Data.

// RunfilesPath finds a data file under `bazel test` (TEST_SRCDIR) and when
// the binary is run by hand (its .runfiles directory).
std::string RunfilesPath(const std::string& relative) {
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string tail = std::string("/") + (workspace ? workspace : "shockwave") + "/" + relative;
  for (const char* var : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    if (const char* dir = std::getenv(var)) return dir + tail;
  }
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::string(".") : self.string() + ".runfiles") + tail;
}

struct Suite {
  std::vector<Case> cases;
  std::string error;               // why the cases did not load
  std::vector<std::string> names;  // gtest-safe, unique, one per case
};

// SafeName turns a case id into a gtest name: letters, digits and '_'.
std::string SafeName(const std::string& id) {
  std::string s;
  for (char c : id) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return s;
}

const Suite& TheSuite() {
  static const Suite* suite = [] {
    auto* s = new Suite;
    auto cases = load_cases(RunfilesPath("conformance/cases"), &s->error);
    if (cases) s->cases = std::move(*cases);
    std::set<std::string> taken;
    for (std::size_t i = 0; i < s->cases.size(); ++i) {
      std::string name = SafeName(s->cases[i].id);
      if (!taken.insert(name).second) name += "_" + std::to_string(i);
      taken.insert(name);
      s->names.push_back(name);
    }
    return s;
  }();
  return *suite;
}

// Truncated keeps failure messages readable for inputs of megabytes.
std::string Truncated(std::string s, std::size_t max = 1500) {
  if (s.size() > max) s = s.substr(0, max) + "... (" + std::to_string(s.size()) + " characters)";
  return s;
}

std::string Explain(const Case& c, const ParseOutcome& outcome, const std::string& why) {
  std::ostringstream os;
  os << c.file << ":" << c.line << ": " << c.id << " (" << c.section << (c.rule.empty() ? "" : ", " + c.rule)
     << ")\n  why:     " << c.why << "\n  input:   " << Truncated(escape(c.input))
     << "\n  strict:  " << to_string(c.strict) << "\n  verdict: " << why
     << "\n  outcome: " << Truncated(to_json(outcome));
  return os.str();
}

TEST(Cases, Load) { EXPECT_EQ(TheSuite().error, ""); }

TEST(Cases, AtLeast300) { EXPECT_GE(TheSuite().cases.size(), kMinCases); }

TEST(Cases, EveryCaseCitesAnRfcSection) {
  for (const Case& c : TheSuite().cases) {
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

// ---------------------------------------------------------------------------
// Peers: the recorded verdicts of every other registered adapter.

std::vector<std::string> PeerNames() {
  std::vector<std::string> names;
  for (std::string_view n : adapter_names()) {
    if (n != "shockwave") names.emplace_back(n);
  }
  return names;
}

std::string ExpectedPath(const std::string& adapter) {
  return RunfilesPath("conformance/expected/" + adapter + ".txt");
}

class Peer : public ::testing::TestWithParam<std::string> {};

TEST_P(Peer, GivesTheRecordedVerdicts) {
  const std::string& name = GetParam();
  const Suite& suite = TheSuite();
  ASSERT_EQ(suite.error, "");
  std::ifstream in(ExpectedPath(name), std::ios::binary);
  ASSERT_TRUE(in) << "no conformance/expected/" << name << ".txt for registered adapter \"" << name
                  << "\": run ./bazelw run //conformance:update_expected";
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto recorded = parse_verdicts(text.str(), &error);
  ASSERT_TRUE(recorded.has_value()) << "conformance/expected/" << name << ".txt: " << error;
  std::map<std::string, Verdict> want(recorded->begin(), recorded->end());

  auto adapter = make_adapter(name);
  ASSERT_NE(adapter, nullptr) << name;
  std::ostringstream changes;
  int changed = 0;
  int counts[3] = {0, 0, 0};
  std::set<std::string> ids;
  for (const Case& c : suite.cases) {
    ids.insert(c.id);
    const ParseOutcome outcome = adapter->parse(c.input);
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
              << (why.empty() ? "" : ": " + Truncated(why, 300)) << "\n";
    }
  }
  for (const auto& [id, v] : want) {
    if (!ids.count(id)) {
      ++changed;
      changes << "  " << id << ": recorded " << verdict_name(v) << ", but there is no such case\n";
    }
  }
  EXPECT_EQ(changed, 0) << name << ": " << changed << " verdict(s) differ from conformance/expected/" << name
                        << ".txt (regenerate with ./bazelw run //conformance:update_expected and review the diff):\n"
                        << changes.str();
  std::printf("%s: pass %d, allowed %d, fail %d\n", name.c_str(), counts[0], counts[1], counts[2]);
}

INSTANTIATE_TEST_SUITE_P(Adapters, Peer, ::testing::ValuesIn(PeerNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return SafeName(info.param); });

TEST(ExpectedFiles, EachHasAnAdapter) {
  const std::vector<std::string> peers = PeerNames();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(RunfilesPath("conformance/expected"), ec)) {
    if (entry.path().extension() != ".txt") continue;
    const std::string stem = entry.path().stem().string();
    EXPECT_NE(std::find(peers.begin(), peers.end(), stem), peers.end())
        << "conformance/expected/" << stem << ".txt: no registered adapter \"" << stem << "\"";
  }
}

// ---------------------------------------------------------------------------
// Coverage.

TEST(Coverage, EveryCatalogRowIsListedOnce) {
  std::set<std::string_view> rows;
  for (std::string_view r : kParserRows) EXPECT_TRUE(rows.insert(r).second) << r;
  for (std::string_view r : kServerRows) EXPECT_TRUE(rows.insert(r).second) << r;
  EXPECT_EQ(rows.size(), kCatalogRows);
}

TEST(Coverage, EveryParserRowHasACase) {
  std::map<std::string, int> cited;
  for (const Case& c : TheSuite().cases) ++cited[c.rule];
  for (std::string_view r : kParserRows) EXPECT_GT(cited[std::string(r)], 0) << "no case for " << r;
}

TEST(Coverage, CasesCiteParserRows) {
  for (const Case& c : TheSuite().cases) {
    if (c.rule.empty()) continue;
    EXPECT_TRUE(std::find(std::begin(kParserRows), std::end(kParserRows), c.rule) != std::end(kParserRows))
        << c.file << ":" << c.line << ": " << c.id << ": rule " << c.rule << " is not a parser row of the catalog";
  }
}

TEST(Coverage, EverySmugglingClassHasACase) {
  std::map<std::string, int> cited;
  for (const Case& c : TheSuite().cases) ++cited[c.smuggling];
  for (const SmugglingClass& s : smuggling_classes()) {
    EXPECT_GT(cited[std::string(s.name)], 0) << "no case for smuggling class " << s.number << " " << s.name;
  }
}

TEST(Coverage, EveryOutcomeKindIsStrictSomewhere) {
  std::set<Outcome::Kind> kinds;
  for (const Case& c : TheSuite().cases) kinds.insert(c.strict.kind);
  EXPECT_EQ(kinds.size(), 3u);
}

}  // namespace
}  // namespace shockwave::conformance
