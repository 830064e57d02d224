// Reports: links, counts and the three renderings of a small report.

#include "conformance/report.h"

#include <string>

#include "gtest/gtest.h"

namespace shockwave::conformance {
namespace {

TEST(RfcLink, SectionsOfBothRfcs) {
  EXPECT_EQ(rfc_link("RFC 9112 \xc2\xa7"
                     "5.1"),
            "https://www.rfc-editor.org/rfc/rfc9112#section-5.1");
  EXPECT_EQ(rfc_link("RFC 9110 \xc2\xa7"
                     "9.3.6"),
            "https://www.rfc-editor.org/rfc/rfc9110#section-9.3.6");
  EXPECT_EQ(rfc_link("RFC 9112 \xc2\xa7"
                     "6"),
            "https://www.rfc-editor.org/rfc/rfc9112#section-6");
  EXPECT_EQ(rfc_link("limits"), "");
  EXPECT_EQ(rfc_link("RFC 9112"), "");
}

// A parser adapter with a fixed answer.
class Fixed final : public ParserAdapter {
 public:
  explicit Fixed(ParseOutcome o) : o_(std::move(o)) {}
  std::string_view name() const override { return "fixed"; }
  ParseOutcome parse(std::string_view) override { return o_; }

 private:
  ParseOutcome o_;
};

Case reject_case() {
  Case c;
  c.id = "9112-5-field-syntax/space-before-colon";
  c.section =
      "RFC 9112 \xc2\xa7"
      "5.1";
  c.why = "whitespace before the colon <MUST> be rejected";
  c.input = "GET / HTTP/1.1\r\nHost : a\r\n\r\n";
  c.strict = {Outcome::Kind::kReject, {400}};
  c.allowed = {c.strict};
  c.file = "conformance/cases/9112-5-field-syntax.cases";
  c.line = 7;
  return c;
}

TEST(RunParserCase, JudgesTheOutcome) {
  ParseOutcome rejected;
  rejected.error = Error{400, "bad"};
  Fixed good(rejected);
  EXPECT_EQ(run_parser_case(good, reject_case()).verdict, Verdict::kPass);

  ParseOutcome accepted;
  accepted.messages.resize(1);
  Fixed bad(accepted);
  CaseResult r = run_parser_case(bad, reject_case());
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_FALSE(r.why.empty());
  EXPECT_FALSE(r.got.empty());
}

TEST(RunParserCase, StatusZeroIsAFailureWithItsReason) {
  ParseOutcome failed;
  failed.error = Error{0, "exec: exited with status 3"};
  Fixed broken(failed);
  CaseResult r = run_parser_case(broken, reject_case());
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.why, "exec: exited with status 3");
}

Report sample() {
  Report report;
  report.cases = {reject_case()};
  report.source = "cases";
  report.generated = "2024-01-01 00:00 UTC";
  report.runs.push_back({"good", "parser", {{Verdict::kPass, "", "reject 400 (x) after 0 messages"}}});
  report.runs.push_back({"bad", "server", {{Verdict::kFail, "expected reject 400; got 200", "200, connection open"}}});
  return report;
}

TEST(Render, Text) {
  Report report = sample();
  EXPECT_FALSE(passed(report));
  std::string text = render_text(report);
  EXPECT_NE(text.find("== good (parser): 1 pass, 0 allowed, 0 fail"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL 9112-5-field-syntax/space-before-colon"), std::string::npos) << text;
  EXPECT_NE(text.find("expected: reject 400"), std::string::npos) << text;
  EXPECT_NE(text.find("got:      200, connection open"), std::string::npos) << text;
  report.runs.pop_back();
  EXPECT_TRUE(passed(report));
}

TEST(Render, JsonEscapesAndCounts) {
  Report report = sample();
  report.runs[1].results[0].got = "say \"hi\"\x01\xff";
  std::string json = render_json(report);
  EXPECT_NE(json.find("\"counts\": {\"pass\": 0, \"allowed\": 0, \"fail\": 1}"), std::string::npos) << json;
  EXPECT_NE(json.find("say \\\"hi\\\"\\\\x01\\\\xff"), std::string::npos) << json;
  EXPECT_NE(json.find("\"passed\": false"), std::string::npos);
  EXPECT_NE(json.find("\"input\": \"\\\"GET / HTTP/1.1\\\\r\\\\nHost : a"), std::string::npos) << json;
}

Case smuggling_case(std::string id, std::string section) {
  Case c = reject_case();
  c.id = std::move(id);
  c.section = std::move(section);
  c.rule = "R-6.1-5";
  c.smuggling = "CL.TE";
  return c;
}

// Severity: the level comes from the catalogue, the risk from the failure
// and the smuggling class; summaries go by section (in section order) and
// by class.
Report severity_sample() {
  Report report;
  report.rule_levels = {{"R-6.1-5", "MAY + MUST"}};
  report.cases = {smuggling_case("s/te-cl",
                                 "RFC 9112 \xc2\xa7"
                                 "6.1"),
                  reject_case(),
                  smuggling_case("s/cl-te",
                                 "RFC 9112 \xc2\xa7"
                                 "11.2")};
  report.cases[1].rule = "R-5.1-1";  // not in rule_levels: no level
  ParseOutcome accepted;
  accepted.messages.resize(1);
  ParseOutcome wrong_status;
  wrong_status.error = Error{501, "no"};
  Fixed accepts(accepted), declines(wrong_status);
  Run run{"p", "parser", {}};
  run.results.push_back(run_parser_case(accepts, report.cases[0]));
  run.results.push_back(run_parser_case(accepts, report.cases[1]));
  run.results.push_back(run_parser_case(declines, report.cases[2]));
  report.runs.push_back(std::move(run));
  return report;
}

TEST(Severity, LevelsAndRisks) {
  EXPECT_EQ(rfc_level("MUST NOT"), "MUST");
  EXPECT_EQ(rfc_level("MAY + MUST"), "MUST");
  EXPECT_EQ(rfc_level("MAY"), "MAY-choice");
  EXPECT_EQ(rfc_level("ABNF + SHOULD NOT"), "SHOULD");
  EXPECT_EQ(rfc_level("ABNF"), "SHOULD");
  EXPECT_EQ(rfc_level("DEF"), "MUST");
  EXPECT_EQ(rfc_level(""), "");
  const Report report = severity_sample();
  EXPECT_EQ(case_level(report, report.cases[0]), "MUST");
  EXPECT_EQ(case_level(report, report.cases[1]), "");
  const shockwave::conformance::Run& run = report.runs[0];
  EXPECT_EQ(run.results[0].failure, Failure::kAcceptedInvalid);
  EXPECT_EQ(failure_risk(report.cases[0], run.results[0].failure), "smuggling");
  EXPECT_EQ(failure_risk(report.cases[1], run.results[1].failure), "none") << "no smuggling class";
  EXPECT_EQ(run.results[2].failure, Failure::kWrongStatus);
  EXPECT_EQ(failure_risk(report.cases[2], run.results[2].failure), "none") << "400 where 501 came: no risk";
}

TEST(Severity, SectionOrder) {
  auto s = [](const char* n) { return std::string("RFC 9112 \xc2\xa7") + n; };
  EXPECT_TRUE(section_less(s("2.2"), s("2.10")));
  EXPECT_TRUE(section_less(s("6.1"), s("11.2")));
  EXPECT_FALSE(section_less(s("11.2"), s("6.1")));
  EXPECT_TRUE(
      section_less("RFC 9110 \xc2\xa7"
                   "17.5",
                   s("2.1")));
  EXPECT_TRUE(section_less(s("9.3"), "limits"));
}

TEST(Severity, InTheReports) {
  const Report report = severity_sample();
  const std::string text = render_text(report);
  const std::size_t sec6 = text.find(
                        "\xc2\xa7"
                        "6.1 "),
                    sec5 = text.find(
                        "\xc2\xa7"
                        "5.1 "),
                    sec11 = text.find(
                        "\xc2\xa7"
                        "11.2 ");
  EXPECT_TRUE(sec5 < sec6 && sec6 < sec11) << text;
  EXPECT_NE(text.find("by smuggling class:\n    1 CL.TE"), std::string::npos) << text;
  EXPECT_NE(text.find("failures by risk: smuggling 1, desync 0, none 2"), std::string::npos) << text;
  EXPECT_NE(text.find("severity: MUST, accepted-invalid, risk smuggling (smuggling class CL.TE)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("severity: MUST, wrong-status, risk none"), std::string::npos) << text;
  EXPECT_NE(text.find("input:    \"GET / HTTP/1.1\\r\\nHost : a\\r\\n\\r\\n\""), std::string::npos) << text;
  EXPECT_NE(text.find("rationale: whitespace before the colon"), std::string::npos) << text;
  const std::string json = render_json(report);
  EXPECT_NE(json.find("\"level\": \"MUST\", \"level_text\": \"MAY + MUST\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"failure\": \"wrong-status\", \"risk\": \"none\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"risks\": {\"desync\": 0, \"none\": 2, \"smuggling\": 1}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"by_smuggling\": [{\"class\": \"CL.TE\", \"number\": 1, \"pass\": 0"), std::string::npos)
      << json;
}

TEST(Baseline, ParsesAndRefusesWhatItCannotRead) {
  std::string error;
  auto b = parse_baseline("# c\n\n  a/x fail   we answer 400 by design  \r\nb/y allowed\tMAY taken\n", &error);
  ASSERT_TRUE(b) << error;
  EXPECT_EQ(b->size(), 2u);
  EXPECT_EQ(b->at("a/x").reason, "we answer 400 by design");
  EXPECT_EQ(b->at("a/x").line, 3);
  EXPECT_EQ(b->at("b/y").verdict, Verdict::kAllowed);
  EXPECT_FALSE(parse_baseline("a/x fail\n", &error));
  EXPECT_EQ(error, "line 1: a/x: a known deviation needs a reason");
  EXPECT_FALSE(parse_baseline("a/x pass fine\n", &error)) << "pass is what every case accepts";
  EXPECT_FALSE(parse_baseline("a/x broken why\n", &error));
  EXPECT_FALSE(parse_baseline("a/x fail r\na/x fail r\n", &error));
  EXPECT_EQ(error, "line 2: a/x listed twice");
  EXPECT_EQ(unknown_baseline_ids(*b, {"a/x"}), std::vector<std::string>{"line 4: b/y"});
}

TEST(Baseline, KnownFailuresPassTheRunNewOnesDoNot) {
  Report report = severity_sample();  // three failures
  auto b = parse_baseline("s/te-cl fail known\n9112-5-field-syntax/space-before-colon allowed not enough\n", nullptr);
  ASSERT_TRUE(b);
  apply_baseline(report, *b, report.runs[0]);
  const auto& results = report.runs[0].results;
  EXPECT_EQ(results[0].known, "known");
  EXPECT_EQ(results[1].known, "") << "listed as allowed: a failure is still new";
  EXPECT_EQ(report.runs[0].new_failures(), 2);
  EXPECT_FALSE(passed(report));
  b->erase("9112-5-field-syntax/space-before-colon");
  b->emplace("9112-5-field-syntax/space-before-colon", BaselineEntry{Verdict::kFail, "r", 9});
  b->emplace("s/cl-te", BaselineEntry{Verdict::kFail, "r", 10});
  apply_baseline(report, *b, report.runs[0]);
  EXPECT_EQ(report.runs[0].new_failures(), 0);
  EXPECT_TRUE(passed(report));
  const std::string text = render_text(report);
  EXPECT_NE(text.find("KNOWN s/te-cl"), std::string::npos) << text;
  EXPECT_NE(text.find("(3 known)  OK"), std::string::npos) << text;
  // A case that does better than its line says: the line is stale.
  report.runs[0].results[0].verdict = Verdict::kPass;
  report.runs[0].results[0].known.clear();
  apply_baseline(report, *b, report.runs[0]);
  ASSERT_EQ(report.runs[0].stale.size(), 1u);
  EXPECT_EQ(report.runs[0].stale[0], "s/te-cl: listed as fail (line 1), now pass");
  // format_baseline accepts the failures as they are.
  auto written = parse_baseline(format_baseline(report, report.runs[0], "recorded: "), nullptr);
  ASSERT_TRUE(written);
  EXPECT_EQ(written->size(), 2u);
}

TEST(Render, HtmlIsSelfContainedAndEscaped) {
  std::string page = render_html(sample());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("href=\"https://www.rfc-editor.org/rfc/rfc9112#section-5.1\""), std::string::npos);
  EXPECT_NE(page.find("&lt;MUST&gt;"), std::string::npos);
  EXPECT_NE(page.find("class=\"fail\""), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("src="), std::string::npos);
}

}  // namespace
}  // namespace shockwave::conformance
