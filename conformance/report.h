#ifndef SHOCKWAVE_CONFORMANCE_REPORT_H_
#define SHOCKWAVE_CONFORMANCE_REPORT_H_

// Conformance reports: the verdicts of one or more implementations (parser
// adapters, external programs, live servers) on the same cases, rendered as
// text for people, JSON for machines, or a self-contained HTML matrix. The
// `httpconform` CLI is built on it.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/case.h"

namespace shockwave::conformance {

// CaseResult is one implementation's verdict on one case.
struct CaseResult {
  Verdict verdict = Verdict::kFail;
  std::string why;                   // what differs (fail) or which alternative (allowed); may be empty on pass
  std::string got;                   // what the implementation did, one line
  Failure failure = Failure::kNone;  // kFail: what kind of wrong (case.h)
  // Set when the run's baseline accepts this verdict (a known deviation):
  // the baseline's reason.
  std::string known = {};
};

// A baseline: the known deviations of one implementation, checked in next
// to its CI configuration (format: conformance/README.md, "Baselines"):
//
//   # comment
//   <case id> <allowed|fail> <reason, to the end of the line>
//
// Each line accepts, for that case, any verdict up to the one given (pass <
// allowed < fail). A case without a line accepts pass and allowed.
struct BaselineEntry {
  Verdict verdict = Verdict::kFail;
  std::string reason;
  int line = 0;
};
using Baseline = std::map<std::string, BaselineEntry, std::less<>>;
// parse_baseline reads a baseline; a malformed line, a repeated id or a line
// without a reason is an error naming the line.
std::optional<Baseline> parse_baseline(std::string_view text, std::string* error);

struct Counts {
  int pass = 0, allowed = 0, fail = 0;
  int total() const { return pass + allowed + fail; }
};

// Run is one implementation's results over Report::cases, in the same order.
struct Run {
  std::string name;  // "shockwave", "exec:./myparser", "server 127.0.0.1:8080"
  std::string kind;  // "parser", "exec" or "server"
  std::vector<CaseResult> results;
  Counts counts() const;
  // Failures the baseline does not accept (all failures without one).
  int new_failures() const;
  // Baseline lines for the cases of the report that now do better than the
  // line says (to be removed), as "<id>: <why>".
  std::vector<std::string> stale = {};
};

struct Report {
  std::vector<Case> cases;
  std::vector<Run> runs;
  std::string generated;  // when, e.g. "2024-05-01 12:00 UTC"
  std::string source;     // where the cases came from
  // The catalogue's level of each rule id (docs/requirements.md), e.g.
  // "R-5.1-1" -> "MUST"; a case whose rule is missing has no level.
  std::map<std::string, std::string> rule_levels;
};

// apply_baseline marks the results of `run` that `baseline` accepts (known)
// and lists its stale lines. Ids of cases not in the report are ignored
// (a --case subset); unknown_baseline_ids reports ids no loaded case has.
void apply_baseline(const Report& report, const Baseline& baseline, Run& run);
std::vector<std::string> unknown_baseline_ids(const Baseline& baseline, const std::vector<std::string>& case_ids);
// format_baseline writes the baseline that accepts a run's failures as they
// are, each with `reason_prefix` and what the run got as its reason (to be
// edited into the real reason before it is checked in).
std::string format_baseline(const Report& report, const Run& run, std::string_view reason_prefix);

// Severity of a case: its RFC level (rfc_level of its rule's catalogue
// level: MUST, SHOULD or MAY-choice; "" when unknown) and the catalogue
// level as written ("ABNF + SHOULD").
std::string case_level(const Report& report, const Case& c);
std::string case_level_text(const Report& report, const Case& c);

// json_string: a JSON string literal of any octets; html_text: text for
// HTML, escaped. Both render octets that are not valid UTF-8 as \xNN, so a
// report stays valid whatever an implementation sent.
std::string json_string(std::string_view s);
std::string html_text(std::string_view s);

// section_less orders RFC sections as the RFCs do: by RFC number, then
// section numbers compared as numbers (§2.2 < §2.10 < §3), then as text.
bool section_less(std::string_view a, std::string_view b);

// run_parser_case runs one adapter over one case. An adapter that cannot
// produce an outcome reports an error with status 0 (exec_adapter.h's
// convention): that is a failed case whose reason is the error's.
CaseResult run_parser_case(ParserAdapter& adapter, const Case& c);
// run_response_case: the same for a response adapter and a response case.
CaseResult run_response_case(ResponseAdapter& adapter, const Case& c);

// expected_text: the outcome the strict profile takes and the other allowed
// ones, e.g. "reject 400 (also allowed: accept)".
std::string expected_text(const Case& c);

// rfc_link: the RFC Editor URL of a section written "RFC 9112 §5.1"
// (https://www.rfc-editor.org/rfc/rfc9112#section-5.1), "" if it is not
// written that way.
std::string rfc_link(std::string_view section);

// passed: no run has a failure its baseline does not accept (with no
// baseline: every run passes (pass or allowed) every case).
bool passed(const Report& report);

// Text: per implementation, the counts by RFC section (in section order), by
// smuggling class and by failure kind and risk, then each failure (id, level,
// risk, input, the case's why, expected vs got and what differs).
std::string render_text(const Report& report);
// JSON: {"generated", "source", "cases": [{"id", "section", "link", "rule",
// "level", "level_text", "smuggling", "why", "expected", "input"}], "runs":
// [{"name", "kind", "counts", "risks": {"smuggling", "desync", "none"},
// "failures": {kind: n}, "by_section": [{"section", "pass", "allowed",
// "fail"}], "by_smuggling": [{"class", "number", "pass", "allowed", "fail"}],
// "results": [{"id", "verdict", "why", "got", "failure", "risk"}]}],
// "passed"}.
std::string render_json(const Report& report);
// JUnit XML, the Jenkins/Ant shape CI systems read (testsuites > testsuite
// per implementation > testcase per case, classname "<implementation>.<case
// file stem>"): a failure is <failure type="<failure kind>"> with the
// severity, input, rationale, expected and got; a known deviation of the
// baseline is <skipped> with its reason; pass and allowed are plain
// testcases. conformance/testdata/junit.xsd is the schema the tests check it
// against.
std::string render_junit(const Report& report);
// HTML: one self-contained page (no scripts, no external resources): a
// summary, then the cases x implementations matrix grouped by section.
std::string render_html(const Report& report);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_REPORT_H_
