#ifndef SHOCKWAVE_CONFORMANCE_CASE_H_
#define SHOCKWAVE_CONFORMANCE_CASE_H_

// Conformance cases: RFC 9112 / 9110 request cases as data, one file per RFC
// section under conformance/cases/ (format: conformance/cases/README.md),
// and response cases the same way under conformance/cases/responses/.
// The one loader shared by the gtest runner, the httpconform CLI, the
// fuzzers' seed corpora and the benchmarks.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conformance/model.h"

namespace shockwave::conformance {

// What a parser may make of a case's input.
struct Outcome {
  enum class Kind { kAccept, kReject, kIncomplete };
  Kind kind = Kind::kAccept;
  // kReject: the statuses allowed (e.g. {400} or {400, 413}); never empty.
  std::vector<int> statuses;

  bool operator==(const Outcome&) const = default;
};

// Fields of one expected message; only those given are compared. method and
// target are for request cases, status and reason for response cases.
struct ExpectedMessage {
  std::optional<std::string> method, target, version, body;
  std::optional<int> status;
  std::optional<std::string> reason;
  std::optional<std::vector<Field>> headers;   // exact list, in order
  std::optional<std::vector<Field>> trailers;  // exact list, in order
  std::optional<bool> keep_alive;
};

// A case file in a directory named "responses" holds response cases
// (kResponseCaseDir): its ids are "responses/<file stem>/<name>", its
// messages are responses and its only reject status is 502.
inline constexpr std::string_view kResponseCaseDir = "responses";
inline constexpr int kResponseRejectStatus = 502;  // what a gateway answers (RFC 9110 §15.6.3)

struct Case {
  std::string id;         // unique: "<file stem>/<name>", e.g. "9112-5.1-field-line-parsing/space-before-colon"
  std::string section;    // "RFC 9112 §5.1"
  std::string rule;       // row id of docs/requirements.md, e.g. "R-5.1-1" ("" if none)
  std::string why;        // one-line rationale
  std::string smuggling;  // smuggling class ("" if none), e.g. "CL.TE"
  // Request cases: the raw bytes one client sends on one connection.
  // Response cases: the bytes one server sent on one connection, after which
  // it closed the connection (the end of input is the end of the stream).
  std::string input;
  bool response = false;  // a response case (from a "responses" directory)
  // Response cases: the methods of the requests the responses answer, one
  // per final response in order (interim 1xx responses answer the request
  // of the final response after them); past its end the last one repeats.
  // `requests:` in the file, {"GET"} when it has none; empty for requests.
  std::vector<std::string> requests;
  // Outcomes the RFC allows; a parser passes when it gives any of them.
  std::vector<Outcome> allowed;
  // The outcome our strict profile takes (one of `allowed`).
  Outcome strict;
  // Complete messages before the end or the error (nullopt: not checked):
  // exactly `messages`, or from `messages` to `messages_max` when the case
  // gives a range (`messages: 0..1`, for a MAY that frames one more request).
  std::optional<std::size_t> messages;
  std::optional<std::size_t> messages_max;
  std::vector<ExpectedMessage> expected;  // per complete message, in order (may be shorter)
  // Shockwave only: the http1::Error (its error_name, e.g. "BareCR") the
  // strict profile rejects with ("" if not stated). Other adapters and the
  // judge ignore it; //server/http1:request_parser_cases_test asserts it.
  std::string error;
  std::string file;
  int line = 0;
};

// load_cases reads every *.cases file in `dir` (sorted by name; not its
// subdirectories), or one file. Malformed files are errors naming
// file:line; nothing is half-loaded.
std::optional<std::vector<Case>> load_cases(const std::string& path, std::string* error);

// load_all_cases: the request cases of directory `dir` and then, when it
// has a "responses" subdirectory, its response cases (the catalogue's view:
// every case that can cite a rule).
std::optional<std::vector<Case>> load_all_cases(const std::string& dir, std::string* error);

// parse_cases reads the text of one case file; `file` names it in errors and
// in Case::file, and its stem (the name without directories and ".cases")
// prefixes the case ids. A `file` whose directory is named "responses"
// holds response cases (kResponseCaseDir). load_cases calls it for each file.
std::optional<std::vector<Case>> parse_cases(std::string_view text, const std::string& file, std::string* error);

enum class Verdict { kPass, kAllowed, kFail };

// judge compares an outcome with a case: kPass when it matches `strict`,
// kAllowed when it matches another allowed outcome, kFail otherwise (with
// the first difference in *why).
Verdict judge(const Case& c, const ParseOutcome& outcome, std::string* why);

// compare_messages is judge's per-message check alone: the outcome's
// complete messages against the case's `messages:` count and its N.*
// expectations; "" when they agree, else the first difference. With an
// error in the outcome, expectations past the messages before it are not
// compared. The live judge applies it to what an echo server says it parsed
// (conformance/live/live.h), so parsers and servers share one comparison.
std::string compare_messages(const Case& c, const ParseOutcome& outcome);

// declined_request: whether `status` may answer request `index` (0-based)
// of a case whose requests are valid without it being a protocol
// rejection, and why. Both judges (this one and live::judge_live) use it,
// so they agree; such an answer is "allowed", never "pass":
//  - 501 (RFC 9110 §15.6.2: the server does not support the functionality
//    the request needs, e.g. its method, §9.1) unless the request is GET or
//    HEAD, which every general-purpose server MUST support (§9.1);
//  - 411 (RFC 9110 §15.5.12: the server refuses a request without a
//    defined Content-Length) when the request has no Content-Length.
// A request is known from the case's `N.method` line or, for the first,
// from its input; an unknown one is not declinable. Never for a response
// case (a client declines nothing).
bool declined_request(const Case& c, std::size_t index, int status, std::string* why);

// escape renders bytes in the cases' notation ("GET / HTTP/1.1\r\n...").
// The result is one or more quoted terms that read back as `bytes`: runs of
// 16 or more equal bytes become a repeat term ("a"*7980).
std::string escape(std::string_view bytes);

// to_string renders an outcome as an expect: line spells it: "accept",
// "incomplete", "reject 400 413".
std::string to_string(const Outcome& outcome);

// describe summarises what a parser made of a case's input, for failure
// messages: "accept, 2 messages", "reject 400 (invalid Host header) after 1 message".
std::string describe(const ParseOutcome& outcome);

// verdict_name is "pass", "allowed" or "fail", the spelling of the expected
// results files (conformance/expected/); parse_verdict reads it back.
std::string_view verdict_name(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view name);

// An expected results file records one adapter's verdict on every case:
// one line per case, "<id> <pass|allowed|fail>", in case order, after '#'
// comment lines (format_verdicts writes the counts there).
// `cases` names the case directory in the comment.
using CaseVerdicts = std::vector<std::pair<std::string, Verdict>>;
std::string format_verdicts(std::string_view adapter, const CaseVerdicts& verdicts,
                            std::string_view cases = "conformance/cases");
// parse_verdicts reads it back; a malformed line or a repeated id is an
// error naming the line.
std::optional<CaseVerdicts> parse_verdicts(std::string_view text, std::string* error);

// The request-smuggling and parser-discrepancy classes of the requirement
// catalogue (docs/requirements.md, "Smuggling classes"), by the short name a
// case gives in `smuggling:`. //conformance:catalogue_test holds the
// catalogue's table equal to this list.
struct SmugglingClass {
  int number;              // the catalogue's class number, 1-based
  std::string_view name;   // e.g. "CL.TE"
  std::string_view title;  // the catalogue's "class" column
};
std::span<const SmugglingClass> smuggling_classes();

// Failure: what kind of wrong a failed verdict is, for severity. The risk of
// a failure (failure_risk) is "smuggling" when it lets two peers frame the
// same bytes differently in a case of a smuggling class, "desync" when it
// does so in another case, "none" when nothing was processed that should
// not have been (a wrong status, a refusal, a wait).
enum class Failure {
  kNone,              // not a failure
  kAcceptedInvalid,   // accepted (processed) what must be rejected
  kFramingDiffers,    // another message count, body or fields than the RFC allows
  kAnsweredSmuggled,  // live: answered more requests than the input can hold
  kKeptOpen,          // live: kept the connection open where it MUST close
  kWrongStatus,       // rejected, but with a status the case does not allow (400 where 501 was wanted)
  kRejectedValid,     // rejected a valid request
  kStillWaiting,      // waited for more input where the case wants a rejection
  kMalformed,         // live: a response that is not HTTP/1.1
  kNoOutcome,         // the implementation crashed, timed out or printed nonsense
};
std::string_view failure_name(Failure failure);
std::string_view failure_risk(const Case& c, Failure failure);
// classify_failure: the kind of a parser outcome that judge() fails.
Failure classify_failure(const Case& c, const ParseOutcome& outcome);

// rfc_level: the severity level of a catalogue level (docs/requirements.md):
// "MUST" when it has a MUST or MUST NOT (or is DEF: the RFC defines the
// behaviour), else "MAY-choice" for a MAY (the case lists every choice),
// else "SHOULD" (SHOULD, RECOMMENDED, ABNF: RFC 9112 §2.2 says invalid input
// SHOULD get 400, GUIDANCE); "" for "".
std::string rfc_level(std::string_view catalogue_level);

}  // namespace shockwave::conformance

#endif  // SHOCKWAVE_CONFORMANCE_CASE_H_
