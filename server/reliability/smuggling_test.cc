// Smuggling (docs/requirements.md, "Smuggling classes"): every conformance case tagged with
// a smuggling class, sent over a keep-alive connection that has already
// carried an honest request, against the live server. Each is judged by the
// live-server rules (conformance/live/live.h): the server never answers more
// requests than the case holds, so no smuggled request gets a response.
// Every class of the catalogue is exercised.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "conformance/case.h"
#include "conformance/live/live.h"
#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/reliability/harness.h"
#include "server/tests/test_server.h"

namespace shockwave::reliability {
namespace {

using conformance::Case;

constexpr std::string_view kHonest = "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n";
const int kRounds = scaled(1, 5);  // each case this many times
constexpr int kThreads = 16;

std::string cases_dir() {
  const char* workspace = std::getenv("TEST_WORKSPACE");
  const std::string tail = std::string("/") + (workspace ? workspace : "shockwave") + "/conformance/cases";
  if (const char* dir = std::getenv("TEST_SRCDIR")) return dir + tail;
  return "conformance/cases";
}

// after_honest_request: the case with one honest keep-alive request before
// its bytes, judged as the live rules judge the case, one response more.
Case after_honest_request(const Case& c) {
  Case k = c;
  k.input = std::string(kHonest) + c.input;
  if (k.messages) ++*k.messages;
  conformance::ExpectedMessage honest;
  honest.method = "GET";
  honest.keep_alive = true;
  k.expected.insert(k.expected.begin(), honest);
  return k;
}

TEST(SmugglingTest, NoSmuggledRequestIsEverAnswered) {
  std::string error;
  const auto all = conformance::load_cases(cases_dir(), &error);
  ASSERT_TRUE(all) << error;
  std::vector<Case> cases;
  std::map<std::string, int> per_class;
  for (const Case& c : *all) {
    if (c.smuggling.empty()) continue;
    cases.push_back(after_honest_request(c));
    ++per_class[c.smuggling];
  }
  // A class whose cases are all response cases is a client's or a proxy's
  // risk (how it frames what a server sends), not one a request can carry.
  const auto responses = conformance::load_cases(cases_dir() + "/responses", &error);
  ASSERT_TRUE(responses) << error;
  std::set<std::string> response_classes;
  for (const Case& c : *responses) response_classes.insert(c.smuggling);
  for (const conformance::SmugglingClass& s : conformance::smuggling_classes()) {
    const std::string name(s.name);
    if (per_class[name] == 0 && response_classes.count(name) > 0) continue;
    EXPECT_GT(per_class[name], 0) << "no case for smuggling class " << s.name;
  }

  Config config = testing::test_config();
  config.max_connections = 4 * kThreads;
  // An incomplete case ends with the server's 408, not the client's deadline.
  config.header_timeout = milliseconds(1000);
  config.body_timeout = milliseconds(1000);
  Endpoints handler;
  testing::TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  const auto live = conformance::live::Server::resolve("127.0.0.1:" + std::to_string(server.port()), &error);
  ASSERT_TRUE(live) << error;
  conformance::live::LiveOptions options;
  options.timeout = milliseconds(5000);

  std::mutex mutex;
  std::vector<std::string> failures;
  std::size_t passed = 0, allowed = 0, honest_answered = 0, runs = 0;
  std::atomic<std::size_t> next{0};
  const std::size_t total = cases.size() * static_cast<std::size_t>(kRounds);
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (std::size_t i = next++; i < total; i = next++) {
        const Case& c = cases[i % cases.size()];
        const auto o = conformance::live::observe_case(*live, c, options);
        std::string why;
        const conformance::Verdict v = conformance::live::judge_live(c, o, &why);
        std::lock_guard<std::mutex> lock(mutex);
        ++runs;
        if (!o.statuses.empty() && o.statuses[0] == 200) ++honest_answered;
        if (v == conformance::Verdict::kFail) {
          failures.push_back(c.id + " [" + c.smuggling + "]: " + why);
        } else {
          ++(v == conformance::Verdict::kPass ? passed : allowed);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();

  figure("smuggling cases", static_cast<double>(cases.size()));
  figure("smuggling classes covered", static_cast<double>(per_class.size()));
  figure("connections run", static_cast<double>(runs));
  figure("passed (strict outcome)", static_cast<double>(passed));
  figure("allowed (another outcome the RFC allows)", static_cast<double>(allowed));
  figure("failed (a smuggled request answered, or a wrong status)", static_cast<double>(failures.size()));
  figure("time", static_cast<double>(ms_since(start)), "ms");
  EXPECT_EQ(runs, total);
  EXPECT_EQ(honest_answered, total) << "the honest request before a case went unanswered";
  for (const std::string& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace shockwave::reliability
