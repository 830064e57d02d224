#ifndef SHOCKWAVE_CONFORMANCE_REPORT_H_
#define SHOCKWAVE_CONFORMANCE_REPORT_H_

// Conformance reports: the verdicts of one or more implementations (parser
// adapters, external programs, live servers) on the same cases, rendered as
// text for people, JSON for machines, or a self-contained HTML matrix. The
// `httpconform` CLI is built on it.

#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/case.h"

namespace shockwave::conformance {

// CaseResult is one implementation's verdict on one case.
struct CaseResult {
  Verdict verdict = Verdict::kFail;
  std::string why;  // what differs (fail) or which alternative (allowed); may be empty on pass
  std::string got;  // what the implementation did, one line
};

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
};

struct Report {
  std::vector<Case> cases;
  std::vector<Run> runs;
  std::string generated;  // when, e.g. "2024-05-01 12:00 UTC"
  std::string source;     // where the cases came from
};

// run_parser_case runs one adapter over one case. An adapter that cannot
// produce an outcome reports an error with status 0 (exec_adapter.h's
// convention): that is a failed case whose reason is the error's.
CaseResult run_parser_case(ParserAdapter& adapter, const Case& c);

// expected_text: the outcome the strict profile takes and the other allowed
// ones, e.g. "reject 400 (also allowed: accept)".
std::string expected_text(const Case& c);

// rfc_link: the RFC Editor URL of a section written "RFC 9112 §5.1"
// (https://www.rfc-editor.org/rfc/rfc9112#section-5.1), "" if it is not
// written that way.
std::string rfc_link(std::string_view section);

// passed: every run passes (pass or allowed) every case.
bool passed(const Report& report);

// Text: per implementation, per section, "pass / allowed / fail" counts and
// each failure (id, why, expected vs got).
std::string render_text(const Report& report);
// JSON: {"generated", "source", "cases": [...], "runs": [{"name", "kind",
// "counts", "results": [{"id", "verdict", "why", "got"}]}]}.
std::string render_json(const Report& report);
// HTML: one self-contained page (no scripts, no external resources): a
// summary, then the cases x implementations matrix grouped by section.
std::string render_html(const Report& report);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_REPORT_H_
