// The case file format (conformance/cases/README.md) and judge().

#include "conformance/case.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace shockwave::conformance {
namespace {

using namespace std::string_literals;
using Kind = Outcome::Kind;

std::vector<Case> Parse(const std::string& text, const std::string& file = "dir/9112-5-fields.cases") {
  std::string error;
  auto cases = parse_cases(text, file, &error);
  EXPECT_TRUE(cases.has_value()) << error;
  return cases.value_or(std::vector<Case>{});
}

// ParseError returns the load error for `text` (which must not load).
std::string ParseError(const std::string& text) {
  std::string error;
  auto cases = parse_cases(text, "t.cases", &error);
  EXPECT_FALSE(cases.has_value()) << "loaded: " << text;
  return error;
}

// ---------------------------------------------------------------------------
// The format.

TEST(ParseCases, ReadsEveryKey) {
  auto cases = Parse(R"(# a comment
section: RFC 9112 §5.1
define: REQ "GET / HTTP/1.1\r\nHost: a\r\n"

[space-before-colon]
rule: R-5.1-1
why: whitespace between a field name and its colon MUST be rejected with 400
smuggling: whitespace-before-colon
input: "GET / HTTP/1.1\r\nHost : a\r\n\r\n"
expect: reject 400

  # indented comment
[two.messages_ok]
section: RFC 9112 §9.3.2
why: pipelined
input: REQ "\r\n"
input: REQ "X: \x00\xff\t\\\"\0" "\r\n"
expect: accept | reject 400 413
strict: accept
messages: 2
1.method: GET
1.target: "/"
1.version: HTTP/1.1
1.header: "Host" "a"
1.trailer: none
1.body: ""
1.keep-alive: true
2.header: "Host" "a"
2.header: "X" "\x00\xff\t\\\"\0"
)");
  ASSERT_EQ(cases.size(), 2u);
  const Case& a = cases[0];
  EXPECT_EQ(a.id, "9112-5-fields/space-before-colon");
  EXPECT_EQ(a.section, "RFC 9112 §5.1");
  EXPECT_EQ(a.rule, "R-5.1-1");
  EXPECT_EQ(a.smuggling, "whitespace-before-colon");
  EXPECT_EQ(a.input, "GET / HTTP/1.1\r\nHost : a\r\n\r\n");
  ASSERT_EQ(a.allowed.size(), 1u);
  EXPECT_EQ(a.allowed[0], (Outcome{Kind::kReject, {400}}));
  EXPECT_EQ(a.strict, a.allowed[0]) << "a single outcome is the strict one";
  EXPECT_FALSE(a.messages.has_value());
  EXPECT_TRUE(a.expected.empty());
  EXPECT_EQ(a.file, "dir/9112-5-fields.cases");
  EXPECT_EQ(a.line, 5);

  const Case& b = cases[1];
  EXPECT_EQ(b.id, "9112-5-fields/two.messages_ok");
  EXPECT_EQ(b.section, "RFC 9112 §9.3.2");
  EXPECT_EQ(b.rule, "");
  EXPECT_EQ(b.smuggling, "");
  EXPECT_EQ(b.input, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: \0\xff\t\\\"\0\r\n"s);
  EXPECT_EQ(b.allowed, (std::vector<Outcome>{{Kind::kAccept, {}}, {Kind::kReject, {400, 413}}}));
  EXPECT_EQ(b.strict, (Outcome{Kind::kAccept, {}}));
  EXPECT_EQ(b.messages, 2u);
  ASSERT_EQ(b.expected.size(), 2u);
  EXPECT_EQ(b.expected[0].method, "GET");
  EXPECT_EQ(b.expected[0].target, "/");
  EXPECT_EQ(b.expected[0].version, "HTTP/1.1");
  EXPECT_EQ(b.expected[0].headers, (std::vector<Field>{{"Host", "a"}}));
  EXPECT_EQ(b.expected[0].trailers, std::vector<Field>{});
  EXPECT_EQ(b.expected[0].body, "");
  EXPECT_EQ(b.expected[0].keep_alive, true);
  EXPECT_FALSE(b.expected[1].method.has_value());
  EXPECT_FALSE(b.expected[1].trailers.has_value());
  EXPECT_EQ(b.expected[1].headers, (std::vector<Field>{{"Host", "a"}, {"X", "\0\xff\t\\\"\0"s}}));
}

TEST(ParseCases, RepeatsAndDefines) {
  auto cases = Parse(R"(section: s
define: A "ab"
define: B A*2 "c"
[r]
why: w
input: "GET /" "a"*5 " " B*2 "x"*0 "\x00"*3
expect: incomplete
)");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].input, "GET /aaaaa ababcababc\0\0\0"s);
  EXPECT_EQ(cases[0].strict.kind, Kind::kIncomplete);
}

TEST(ParseCases, StrictNamesOneOfTheStatuses) {
  auto cases = Parse("section: s\n[a]\nwhy: w\ninput: \"x\"\nexpect: reject 400 413 431\nstrict: reject 431\n");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].allowed, (std::vector<Outcome>{{Kind::kReject, {400, 413, 431}}}));
  EXPECT_EQ(cases[0].strict, (Outcome{Kind::kReject, {431}}));
}

TEST(ParseCases, EmptyInputIsAllowed) {
  auto cases = Parse("section: s\n[a]\nwhy: w\ninput: \"\"\nexpect: accept\nmessages: 0\n");
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].input, "");
  EXPECT_EQ(cases[0].messages, 0u);
}

// error: names the http1::Error a Shockwave strict reject gives; only the
// parser's own test reads it (the loader checks the spelling, not the name).
TEST(ParseCases, ErrorNamesTheShockwaveReason) {
  auto cases = Parse(
      "section: s\n[a]\nwhy: w\ninput: \"x\"\nexpect: reject 400\nerror: BareCR\n"
      "[b]\nwhy: w\ninput: \"x\"\nexpect: reject 400\n");
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].error, "BareCR");
  EXPECT_EQ(cases[1].error, "");
  const std::string head = "section: s\n[a]\nwhy: w\ninput: \"x\"\n";
  EXPECT_NE(ParseError(head + "expect: accept\nerror: BareCR\n").find("t.cases:6: error: only with a strict reject"),
            std::string::npos);
  EXPECT_NE(ParseError(head + "expect: accept | reject 400\nstrict: accept\nerror: BareCR\n")
                .find("error: only with a strict reject"),
            std::string::npos);
  EXPECT_NE(ParseError(head + "expect: reject 400\nerror: bare CR\n").find("t.cases:6: error: expected"),
            std::string::npos);
  EXPECT_NE(ParseError(head + "expect: reject 400\nerror: BareCR\nerror: BareLF\n").find("given twice"),
            std::string::npos);
}

struct BadFile {
  const char* label;
  std::string text;
  std::string error;  // expected substring, "t.cases:<line>: ..." included
};

class ParseErrors : public ::testing::TestWithParam<BadFile> {};

TEST_P(ParseErrors, NameFileAndLine) {
  EXPECT_NE(ParseError(GetParam().text).find(GetParam().error), std::string::npos)
      << "error: " << ParseError(GetParam().text);
}

const std::string kHead = "section: s\n[a]\nwhy: w\ninput: \"x\"\n";  // lines 1-4

INSTANTIATE_TEST_SUITE_P(
    Format, ParseErrors,
    ::testing::Values(
        BadFile{"unknown_key", kHead + "expect: accept\nfoo: bar\n", "t.cases:6: unknown key \"foo\""},
        BadFile{"unknown_message_field", kHead + "expect: accept\n1.color: red\n", "t.cases:6: unknown key"},
        // Response keys in a request case.
        BadFile{"status_in_request_case", kHead + "expect: accept\n1.status: 200\n",
                "t.cases:6: 1.status: only in response cases"},
        BadFile{"reason_in_request_case", kHead + "expect: accept\n1.reason: OK\n",
                "t.cases:6: 1.reason: only in response cases"},
        BadFile{"requests_in_request_case", kHead + "requests: GET\nexpect: accept\n",
                "t.cases:5: requests: only in response cases"},
        BadFile{"message_zero", kHead + "expect: accept\n0.method: GET\n", "t.cases:6: unknown key"},
        BadFile{"duplicate_name", kHead + "expect: accept\n[a]\n", "t.cases:6: duplicate case name \"a\""},
        BadFile{"reject_without_status", kHead + "expect: reject\n", "t.cases:5: expect: reject needs at least one"},
        BadFile{"bad_status", kHead + "expect: reject 4000\n", "t.cases:5: expect: bad status"},
        BadFile{"status_twice", kHead + "expect: reject 400 400\n", "t.cases:5: expect: status 400 listed twice"},
        BadFile{"kind_twice", kHead + "expect: reject 400 | reject 413\n",
                "t.cases:5: expect: reject 413 listed twice"},
        BadFile{"unknown_outcome", kHead + "expect: maybe\n", "t.cases:5: expect: unknown outcome"},
        BadFile{"accept_with_status", kHead + "expect: accept 200\n", "t.cases:5: expect: accept takes no status"},
        BadFile{"strict_not_allowed", kHead + "expect: accept | reject 400\nstrict: reject 413\n",
                "t.cases:6: strict: reject 413 is not among the allowed outcomes"},
        BadFile{"strict_wrong_kind", kHead + "expect: reject 400\nstrict: accept\n",
                "t.cases:6: strict: accept is not among"},
        BadFile{"strict_missing", kHead + "expect: accept | reject 400\n",
                "t.cases:2: strict: is required when expect: allows a choice"},
        BadFile{"strict_missing_statuses", kHead + "expect: reject 400 431\n", "t.cases:2: strict: is required"},
        BadFile{"strict_two_statuses", kHead + "expect: reject 400 431\nstrict: reject 400 431\n",
                "t.cases:6: strict: names one status"},
        BadFile{"strict_two_outcomes", kHead + "expect: accept | incomplete\nstrict: accept | incomplete\n",
                "t.cases:6: strict: names one outcome"},
        BadFile{"no_why", "section: s\n[a]\ninput: \"x\"\nexpect: accept\n", "t.cases:2: no why:"},
        BadFile{"no_input", "section: s\n[a]\nwhy: w\nexpect: accept\n", "t.cases:2: no input:"},
        BadFile{"no_expect", kHead, "t.cases:2: no expect:"},
        BadFile{"no_section", "[a]\nwhy: w\ninput: \"x\"\nexpect: accept\n", "t.cases:1: no section:"},
        BadFile{"no_cases", "section: s\n", "t.cases: no cases"},
        BadFile{"key_twice", kHead + "expect: accept\nwhy: again\n", "t.cases:6: why: given twice"},
        BadFile{"message_key_twice", kHead + "expect: accept\n1.body: \"a\"\n1.body: \"b\"\n",
                "t.cases:7: 1.body: given twice"},
        BadFile{"message_beyond_count", kHead + "expect: accept\nmessages: 1\n2.method: GET\n",
                "t.cases:7: 2.method: message 2 of 1"},
        BadFile{"message_beyond_later_count", kHead + "expect: accept\n2.method: GET\nmessages: 1\n",
                "t.cases:2: more expected messages than messages:"},
        BadFile{"header_one_term", kHead + "expect: accept\n1.header: \"Host\"\n",
                "t.cases:6: 1.header: needs two quoted strings"},
        BadFile{"header_after_none", kHead + "expect: accept\n1.header: none\n1.header: \"a\" \"b\"\n",
                "t.cases:7: 1.header: fields after none"},
        BadFile{"keep_alive_word", kHead + "expect: accept\n1.keep-alive: yes\n",
                "t.cases:6: 1.keep-alive: true or false"},
        BadFile{"unknown_escape", "section: s\n[a]\nwhy: w\ninput: \"\\q\"\n", "t.cases:4: input: unknown escape \\q"},
        BadFile{"short_hex", "section: s\n[a]\nwhy: w\ninput: \"\\x4\"\n", "t.cases:4: input: \\x needs two hex"},
        BadFile{"unterminated", "section: s\n[a]\nwhy: w\ninput: \"abc\n", "t.cases:4: input: unterminated quoted"},
        BadFile{"raw_high_byte", "section: s\n[a]\nwhy: w\ninput: \"\xc3\xa9\"\n",
                "t.cases:4: input: raw byte >= 0x80"},
        BadFile{"bare_word", "section: s\n[a]\nwhy: w\ninput: GET\n", "t.cases:4: input: unknown name GET"},
        BadFile{"lowercase_word", "section: s\n[a]\nwhy: w\ninput: get\n",
                "t.cases:4: input: expected a quoted string"},
        BadFile{"no_repeat_count", "section: s\n[a]\nwhy: w\ninput: \"a\"*\n", "t.cases:4: input: a repeat needs"},
        BadFile{"glued_terms", "section: s\n[a]\nwhy: w\ninput: \"a\"*2x\n", "t.cases:4: input: terms are separated"},
        BadFile{"huge_repeat", "section: s\n[a]\nwhy: w\ninput: \"ab\"*60000000\n",
                "t.cases:4: input: repeat too large"},
        BadFile{"empty_input_line", "section: s\n[a]\nwhy: w\ninput:\n", "t.cases:4: input: expected at least one"},
        BadFile{"unknown_smuggling", kHead + "smuggling: CL.CL\n", "t.cases:5: smuggling: unknown class \"CL.CL\""},
        BadFile{"bad_rule", kHead + "rule: 5.1-1\n", "t.cases:5: rule: expected a catalog id"},
        BadFile{"header_key_unknown", "section: s\nrule: R-1-1\n", "t.cases:2: unknown key \"rule\" before the first"},
        BadFile{"section_twice", "section: s\nsection: t\n", "t.cases:2: section given twice"},
        BadFile{"define_in_case", kHead + "define: X \"a\"\n", "t.cases:5: unknown key \"define\""},
        BadFile{"define_twice", "define: X \"a\"\ndefine: X \"b\"\n", "t.cases:2: define X given twice"},
        BadFile{"define_bad_name", "define: x \"a\"\n", "t.cases:1: define: needs a NAME"},
        BadFile{"control_character", "section: s\r\n", "t.cases:1: control character"},
        BadFile{"bad_case_name", "section: s\n[a b]\n", "t.cases:2: case name \"a b\""},
        BadFile{"not_key_value", "section: s\n[a]\njust words\n", "t.cases:3: expected `key: value`"}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return std::string(info.param.label); });

// ---------------------------------------------------------------------------
// Response cases: a file in a directory named "responses".

const std::string kResponseFile = "cases/responses/9112-4-status-line.cases";

TEST(ResponseCases, ReadEveryKey) {
  auto cases = Parse(R"(section: RFC 9112 §4
[head-then-get]
rule: R-6.3-1
why: no body after HEAD
requests: HEAD  GET CONNECT
input: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"
expect: accept | reject 502
strict: reject 502
messages: 0..1
1.status: 200
1.reason: "OK"
1.version: HTTP/1.1
1.header: "Content-Length" "1"
1.trailer: none
1.body: ""
1.keep-alive: true
[defaults]
why: w
input: "HTTP/1.1 100 Continue\r\n\r\n"
expect: incomplete
2.reason: ""
)",
                     kResponseFile);
  ASSERT_EQ(cases.size(), 2u);
  const Case& c = cases[0];
  EXPECT_EQ(c.id, "responses/9112-4-status-line/head-then-get");
  EXPECT_TRUE(c.response);
  EXPECT_EQ(c.requests, (std::vector<std::string>{"HEAD", "GET", "CONNECT"}));
  EXPECT_EQ(c.strict, (Outcome{Kind::kReject, {502}}));
  ASSERT_EQ(c.expected.size(), 1u);
  EXPECT_EQ(c.expected[0].status, 200);
  EXPECT_EQ(c.expected[0].reason, "OK");
  EXPECT_EQ(c.expected[0].method, std::nullopt);
  EXPECT_EQ(cases[1].id, "responses/9112-4-status-line/defaults");
  EXPECT_EQ(cases[1].requests, (std::vector<std::string>{"GET"}));  // the default
  ASSERT_EQ(cases[1].expected.size(), 2u);
  EXPECT_EQ(cases[1].expected[1].reason, "");
  EXPECT_EQ(cases[1].expected[0].status, std::nullopt);
  // The same text elsewhere is a request file: no "responses/" prefix.
  std::string error;
  EXPECT_FALSE(parse_cases("section: s\n[a]\nwhy: w\ninput: \"x\"\nrequests: GET\nexpect: accept\n",
                           "cases/9112-4.cases", &error));
  auto request = Parse("section: s\n[a]\nwhy: w\ninput: \"x\"\nexpect: accept\n", "cases/9112-4.cases");
  ASSERT_EQ(request.size(), 1u);
  EXPECT_FALSE(request[0].response);
  EXPECT_TRUE(request[0].requests.empty());
}

// ResponseError: the load error of a response case file (which must not load).
std::string ResponseError(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_cases(text, kResponseFile, &error).has_value()) << "loaded: " << text;
  return error;
}

TEST(ResponseCases, RefuseRequestKeysAndOtherStatuses) {
  const std::string head = "section: s\n[a]\nwhy: w\ninput: \"x\"\n";  // lines 1-4
  const std::string at = kResponseFile + ":";
  EXPECT_NE(ResponseError(head + "expect: accept\n1.method: GET\n").find(at + "6: 1.method: a response has no method"),
            std::string::npos);
  EXPECT_NE(ResponseError(head + "expect: accept\n1.target: /\n").find(at + "6: 1.target: a response has no target"),
            std::string::npos);
  EXPECT_NE(ResponseError(head + "expect: reject 400\n").find(at + "2: expect: a response case rejects with 502 only"),
            std::string::npos);
  EXPECT_NE(ResponseError(head + "expect: reject 502 400\nstrict: reject 502\n").find("502 only"), std::string::npos);
  EXPECT_NE(ResponseError(head + "expect: accept\n1.status: 99\n").find(at + "6: 1.status: a status code"),
            std::string::npos);
  EXPECT_NE(ResponseError(head + "expect: accept\n1.status: 2000\n").find("1.status: a status code"),
            std::string::npos);
  EXPECT_NE(
      ResponseError(head + "expect: accept\n1.status: 200\n1.status: 204\n").find(at + "7: 1.status: given twice"),
      std::string::npos);
  EXPECT_NE(ResponseError(head + "requests:\nexpect: accept\n").find(at + "5: requests: needs at least one"),
            std::string::npos);
  EXPECT_NE(ResponseError(head + "requests: GET H(EAD\nexpect: accept\n").find(at + "5: requests: \"H(EAD\" is not"),
            std::string::npos);
  EXPECT_NE(
      ResponseError(head + "requests: GET\nrequests: HEAD\nexpect: accept\n").find(at + "6: requests: given twice"),
      std::string::npos);
}

TEST(ResponseCases, JudgeComparesStatusAndReason) {
  auto cases = Parse(
      "section: s\n[c]\nwhy: w\ninput: \"x\"\nexpect: accept | reject 502\nstrict: accept\n"
      "1.status: 200\n1.reason: OK\n",
      kResponseFile);
  ASSERT_EQ(cases.size(), 1u);
  const Case& c = cases[0];
  Message m;
  m.status = 200;
  m.reason = "OK";
  m.version = "HTTP/1.1";
  ParseOutcome o;
  o.messages = {m};
  std::string why;
  EXPECT_EQ(judge(c, o, &why), Verdict::kPass) << why;
  o.messages[0].status = 204;
  EXPECT_EQ(judge(c, o, &why), Verdict::kFail);
  EXPECT_NE(why.find("message 1: status 204, want 200"), std::string::npos) << why;
  o.messages[0].status = 200;
  o.messages[0].reason = "Fine";
  EXPECT_EQ(judge(c, o, &why), Verdict::kFail);
  EXPECT_NE(why.find("message 1: reason \"Fine\", want \"OK\""), std::string::npos) << why;
  // A client declines nothing: a 501 is not "allowed" for a response case.
  ParseOutcome declined;
  declined.error = Error{501, "no"};
  EXPECT_EQ(judge(c, declined, &why), Verdict::kFail);
  declined.error = Error{502, "no"};
  EXPECT_EQ(judge(c, declined, &why), Verdict::kAllowed) << why;
}

// ---------------------------------------------------------------------------
// Loading files and directories.

class LoadCases : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = std::filesystem::path(tmp ? tmp : "/tmp") / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::filesystem::path dir_;
};

TEST_F(LoadCases, ReadsEveryCasesFileInNameOrder) {
  Write("b.cases", "section: B\n[one]\nwhy: w\ninput: \"x\"\nexpect: accept\n");
  Write("a.cases",
        "section: A\n[one]\nwhy: w\ninput: \"x\"\nexpect: accept\n[two]\nwhy: w\ninput: \"y\"\nexpect: incomplete\n");
  Write("README.md", "not a case file\n");
  std::string error;
  auto cases = load_cases(dir_.string(), &error);
  ASSERT_TRUE(cases.has_value()) << error;
  std::vector<std::string> ids;
  for (const Case& c : *cases) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a/one", "a/two", "b/one"}));
  EXPECT_EQ((*cases)[2].section, "B");
  EXPECT_EQ((*cases)[2].file, (dir_ / "b.cases").string());
}

TEST_F(LoadCases, OneFile) {
  Write("a.cases", "section: A\n[one]\nwhy: w\ninput: \"x\"\nexpect: accept\n");
  std::string error;
  auto cases = load_cases((dir_ / "a.cases").string(), &error);
  ASSERT_TRUE(cases.has_value()) << error;
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].id, "a/one");
}

TEST_F(LoadCases, OneBadFileLoadsNothing) {
  Write("a.cases", "section: A\n[one]\nwhy: w\ninput: \"x\"\nexpect: accept\n");
  Write("b.cases", "section: B\n[one]\nwhy: w\ninput: \"x\"\nexpect: reject\n");
  std::string error;
  EXPECT_FALSE(load_cases(dir_.string(), &error).has_value());
  EXPECT_NE(error.find((dir_ / "b.cases").string() + ":5: expect: reject needs"), std::string::npos) << error;
}

TEST_F(LoadCases, ResponsesDirectory) {
  std::filesystem::create_directories(dir_ / "responses");
  Write("a.cases", "section: A\n[one]\nwhy: w\ninput: \"x\"\nexpect: accept\n");
  Write("responses/r.cases", "section: R\n[one]\nwhy: w\ninput: \"x\"\nexpect: reject 502\n");
  std::string error;
  auto requests = load_cases(dir_.string(), &error);  // not the subdirectory
  ASSERT_TRUE(requests.has_value()) << error;
  ASSERT_EQ(requests->size(), 1u);
  EXPECT_FALSE((*requests)[0].response);
  auto responses = load_cases((dir_ / "responses").string(), &error);
  ASSERT_TRUE(responses.has_value()) << error;
  ASSERT_EQ(responses->size(), 1u);
  EXPECT_EQ((*responses)[0].id, "responses/r/one");
  EXPECT_TRUE((*responses)[0].response);
}

TEST_F(LoadCases, MissingOrEmpty) {
  std::string error;
  EXPECT_FALSE(load_cases(dir_.string(), &error).has_value());
  EXPECT_NE(error.find("no *.cases files"), std::string::npos) << error;
  EXPECT_FALSE(load_cases((dir_ / "nope.cases").string(), &error).has_value());
  EXPECT_NE(error.find("cannot read"), std::string::npos) << error;
}

// ---------------------------------------------------------------------------
// judge.

Case OneCase(const std::string& keys) {
  auto cases = Parse("section: s\n[c]\nwhy: w\ninput: \"x\"\n" + keys);
  return cases.empty() ? Case{} : cases[0];
}

Message Msg(std::string method, std::string target, bool keep_alive = true) {
  Message m;
  m.method = std::move(method);
  m.target = std::move(target);
  m.version = "HTTP/1.1";
  m.headers = {{"Host", "a"}};
  m.keep_alive = keep_alive;
  return m;
}

ParseOutcome Accepted(std::vector<Message> messages) {
  ParseOutcome o;
  o.messages = std::move(messages);
  return o;
}
ParseOutcome Incomplete(std::vector<Message> messages = {}) {
  ParseOutcome o = Accepted(std::move(messages));
  o.incomplete = true;
  return o;
}
ParseOutcome Rejected(int status, std::vector<Message> before = {}) {
  ParseOutcome o = Accepted(std::move(before));
  o.error = Error{status, "why"};
  return o;
}

TEST(Judge, Kinds) {
  const Case accept = OneCase("expect: accept\n");
  const Case reject = OneCase("expect: reject 400 413\nstrict: reject 400\n");
  const Case incomplete = OneCase("expect: incomplete\n");
  std::string why;
  EXPECT_EQ(judge(accept, Accepted({Msg("GET", "/")}), &why), Verdict::kPass);
  EXPECT_EQ(why, "");
  EXPECT_EQ(judge(accept, Accepted({}), &why), Verdict::kPass) << "no messages: not checked unless given";
  EXPECT_EQ(judge(accept, Incomplete({Msg("GET", "/")}), &why), Verdict::kFail);
  EXPECT_EQ(why, "got incomplete after 1 message; the RFC allows accept");
  EXPECT_EQ(judge(accept, Rejected(400), &why), Verdict::kFail);
  EXPECT_EQ(why, "got reject 400 (why) after 0 messages; the RFC allows accept");

  EXPECT_EQ(judge(reject, Rejected(400), &why), Verdict::kPass);
  EXPECT_EQ(judge(reject, Rejected(413), &why), Verdict::kAllowed);
  EXPECT_EQ(why, "got reject 413 (why) after 0 messages; allowed, but the strict profile takes reject 400");
  EXPECT_EQ(judge(reject, Rejected(431), &why), Verdict::kFail);
  EXPECT_EQ(judge(reject, Accepted({}), &why), Verdict::kFail);
  EXPECT_EQ(judge(reject, Incomplete(), &why), Verdict::kFail);

  EXPECT_EQ(judge(incomplete, Incomplete(), &why), Verdict::kPass);
  EXPECT_EQ(judge(incomplete, Accepted({}), &why), Verdict::kFail);
  EXPECT_EQ(judge(incomplete, Rejected(400), &why), Verdict::kFail);
  EXPECT_EQ(judge(incomplete, Incomplete(), nullptr), Verdict::kPass) << "why is optional";
}

TEST(Judge, StrictAmongSeveral) {
  const Case c = OneCase("expect: accept | reject 400 | incomplete\nstrict: reject 400\n");
  EXPECT_EQ(judge(c, Rejected(400), nullptr), Verdict::kPass);
  EXPECT_EQ(judge(c, Accepted({}), nullptr), Verdict::kAllowed);
  EXPECT_EQ(judge(c, Incomplete(), nullptr), Verdict::kAllowed);
  EXPECT_EQ(judge(c, Rejected(505), nullptr), Verdict::kFail);
}

TEST(Judge, MessageCount) {
  const Case c = OneCase("expect: accept | reject 400\nstrict: accept\nmessages: 1\n");
  std::string why;
  EXPECT_EQ(judge(c, Accepted({Msg("GET", "/")}), &why), Verdict::kPass);
  EXPECT_EQ(judge(c, Accepted({Msg("GET", "/"), Msg("GET", "/2")}), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: 2 complete message(s), want 1");
  EXPECT_EQ(judge(c, Rejected(400, {Msg("GET", "/")}), &why), Verdict::kAllowed) << "counts messages before the error";
  EXPECT_EQ(judge(c, Rejected(400), &why), Verdict::kFail);
  EXPECT_EQ(why, "got reject 400 (why) after 0 messages: 0 complete message(s), want 1");
}

TEST(Judge, MessageFields) {
  const Case c = OneCase(
      "expect: accept\n"
      "1.method: GET\n1.target: /\n1.version: HTTP/1.1\n1.header: \"Host\" \"a\"\n1.trailer: none\n"
      "1.body: \"\"\n1.keep-alive: true\n2.target: /2\n");
  std::string why;
  EXPECT_EQ(judge(c, Accepted({Msg("GET", "/"), Msg("POST", "/2")}), &why), Verdict::kPass) << why;

  auto with = [](auto change) {
    Message m = Msg("GET", "/");
    change(m);
    return Accepted({m, Msg("GET", "/2")});
  };
  EXPECT_EQ(judge(c, with([](Message& m) { m.method = "get"; }), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 1: method \"get\", want \"GET\"");
  EXPECT_EQ(judge(c, with([](Message& m) { m.target = "/x"; }), &why), Verdict::kFail);
  EXPECT_EQ(judge(c, with([](Message& m) { m.version = "HTTP/1.2"; }), &why), Verdict::kFail);
  EXPECT_EQ(judge(c, with([](Message& m) { m.body = "\r\n"; }), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 1: body \"\\r\\n\", want \"\"");
  EXPECT_EQ(judge(c, with([](Message& m) { m.headers.push_back({"X", "y"}); }), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 1: headers \"Host\" \"a\", \"X\" \"y\", want \"Host\" \"a\"");
  EXPECT_EQ(judge(c, with([](Message& m) {
                    m.headers = {{"host", "a"}};
                  }),
                  &why),
            Verdict::kFail)
      << "names compare as sent";
  EXPECT_EQ(judge(c, with([](Message& m) { m.trailers = {{"T", "1"}}; }), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 1: trailers \"T\" \"1\", want none");
  EXPECT_EQ(judge(c, with([](Message& m) { m.keep_alive = false; }), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 1: keep-alive false, want true");
  EXPECT_EQ(judge(c, Accepted({Msg("GET", "/"), Msg("GET", "/3")}), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 2 messages: message 2: target \"/3\", want \"/2\"");
  EXPECT_EQ(judge(c, Accepted({Msg("GET", "/")}), &why), Verdict::kFail);
  EXPECT_EQ(why, "got accept, 1 message: message 2: missing (1 complete)");
}

TEST(Judge, RejectChecksOnlyMessagesBeforeTheError) {
  const Case c = OneCase("expect: accept | reject 400\nstrict: reject 400\n1.body: \"hello\"\n2.target: /2\n");
  std::string why;
  Message hello = Msg("GET", "/");
  hello.body = "hello";
  EXPECT_EQ(judge(c, Rejected(400), &why), Verdict::kPass) << why;
  EXPECT_EQ(judge(c, Rejected(400, {hello}), &why), Verdict::kPass) << why;
  EXPECT_EQ(judge(c, Rejected(400, {Msg("GET", "/")}), &why), Verdict::kFail) << "message 1 is checked";
  EXPECT_EQ(judge(c, Accepted({hello, Msg("GET", "/2")}), &why), Verdict::kAllowed) << why;
  EXPECT_EQ(judge(c, Accepted({hello}), &why), Verdict::kFail) << "an accept must have every expected message";
  EXPECT_EQ(judge(c, Incomplete({hello}), &why), Verdict::kFail) << "incomplete is not allowed here";
}

TEST(Judge, MessageRange) {
  // A MAY that frames one more request (bare LF taken as a line end).
  const Case c = OneCase("expect: reject 400\nmessages: 0..1\n");
  std::string why;
  EXPECT_EQ(judge(c, Rejected(400), &why), Verdict::kPass) << why;
  EXPECT_EQ(judge(c, Rejected(400, {Msg("GET", "/")}), &why), Verdict::kPass) << why;
  EXPECT_EQ(judge(c, Rejected(400, {Msg("GET", "/"), Msg("GET", "/")}), &why), Verdict::kFail);
  EXPECT_EQ(why, "got reject 400 (why) after 2 messages: 2 complete message(s), want 0 to 1");
  EXPECT_NE(ParseError("section: s\n[c]\nwhy: w\ninput: \"x\"\nexpect: accept\nmessages: 1..1\n"), "");
  EXPECT_NE(ParseError("section: s\n[c]\nwhy: w\ninput: \"x\"\nexpect: accept\nmessages: 0..1\n3.target: /\n"), "");
}

Case Valid(const std::string& input, const std::string& more = "") {
  auto cases = Parse("section: s\n[c]\nwhy: w\ninput: " + escape(input) + "\nexpect: accept\n" + more);
  return cases.empty() ? Case{} : cases[0];
}

TEST(Judge, ValidRequestDeclined) {
  // RFC 9110 §15.6.2: 501 declines what the server does not implement,
  // except GET and HEAD, which it MUST (§9.1); §15.5.12: 411 asks for a
  // Content-Length. Allowed, never pass; live mode applies the same rule.
  const Case post = Valid("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n");
  const Case get = Valid("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  const Case with_length = Valid("POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 0\r\n\r\n");
  std::string why;
  EXPECT_EQ(judge(post, Rejected(501), &why), Verdict::kAllowed) << why;
  EXPECT_NE(why.find("RFC 9110 §15.6.2"), std::string::npos) << why;
  EXPECT_EQ(judge(post, Rejected(411), &why), Verdict::kAllowed) << why;
  EXPECT_EQ(judge(post, Rejected(400), &why), Verdict::kFail) << why;
  EXPECT_EQ(judge(get, Rejected(501), &why), Verdict::kFail) << why;
  EXPECT_EQ(judge(with_length, Rejected(411), &why), Verdict::kFail) << why;
  EXPECT_EQ(judge(with_length, Rejected(501), &why), Verdict::kAllowed) << why;
  // Only where the case allows accepting: a case that wants 400 is not
  // answered by declining.
  auto reject = Parse("section: s\n[c]\nwhy: w\ninput: \"POST / HTTP/1.1\\r\\n\\r\\n\"\nexpect: reject 400\n");
  ASSERT_EQ(reject.size(), 1u);
  EXPECT_EQ(judge(reject[0], Rejected(501), &why), Verdict::kFail);
  std::string w;
  EXPECT_FALSE(declined_request(post, 1, 501, &w)) << "the second request is unknown";
  EXPECT_TRUE(declined_request(Valid("GET / HTTP/1.1\r\n\r\n", "2.method: PUT\n"), 1, 501, &w));
}

TEST(Judge, IncompleteChecksEveryExpectedMessage) {
  const Case c = OneCase("expect: incomplete\n1.target: /\n");
  EXPECT_EQ(judge(c, Incomplete({Msg("GET", "/")}), nullptr), Verdict::kPass);
  EXPECT_EQ(judge(c, Incomplete(), nullptr), Verdict::kFail);
}

// ---------------------------------------------------------------------------
// escape and the small helpers.

TEST(Escape, Notation) {
  EXPECT_EQ(escape(""), "\"\"");
  EXPECT_EQ(escape("GET / HTTP/1.1\r\n"), "\"GET / HTTP/1.1\\r\\n\"");
  EXPECT_EQ(escape("\t\\\"\x00\x7f\x80\xff"s), "\"\\t\\\\\\\"\\x00\\x7f\\x80\\xff\"");
  EXPECT_EQ(escape("GET /" + std::string(20, 'a') + " HTTP/1.1"), "\"GET /\" \"a\"*20 \" HTTP/1.1\"");
  EXPECT_EQ(escape(std::string(16, '\r')), "\"\\r\"*16");
  EXPECT_EQ(escape(std::string(15, 'a')), "\"aaaaaaaaaaaaaaa\"");
}

TEST(Escape, ReadsBackAsTheSameBytes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (const std::string& bytes : {all, all + std::string(100, 'x') + all, std::string(40, '\0'), "a"s,
                                   std::string(17, '"') + "z" + std::string(30, '\\')}) {
    auto cases = Parse("section: s\n[c]\nwhy: w\ninput: " + escape(bytes) + "\nexpect: accept\n");
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0].input, bytes) << escape(bytes);
  }
}

TEST(Helpers, OutcomeAndVerdictNames) {
  EXPECT_EQ(to_string(Outcome{Kind::kAccept, {}}), "accept");
  EXPECT_EQ(to_string(Outcome{Kind::kIncomplete, {}}), "incomplete");
  EXPECT_EQ(to_string(Outcome{Kind::kReject, {400, 413}}), "reject 400 413");
  for (Verdict v : {Verdict::kPass, Verdict::kAllowed, Verdict::kFail}) EXPECT_EQ(parse_verdict(verdict_name(v)), v);
  EXPECT_EQ(verdict_name(Verdict::kAllowed), "allowed");
  EXPECT_FALSE(parse_verdict("Pass").has_value());
  EXPECT_EQ(describe(Accepted({Msg("GET", "/")})), "accept, 1 message");
  EXPECT_EQ(describe(Incomplete()), "incomplete after 0 messages");
  EXPECT_EQ(describe(Rejected(431, {Msg("GET", "/"), Msg("GET", "/")})), "reject 431 (why) after 2 messages");
}

TEST(Helpers, VerdictFilesRoundTrip) {
  const CaseVerdicts verdicts = {{"a/x", Verdict::kPass}, {"a/y", Verdict::kFail}, {"b/z", Verdict::kAllowed}};
  const std::string text = format_verdicts("llhttp", verdicts);
  EXPECT_NE(text.find("# pass 1, allowed 1, fail 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\na/y fail\n"), std::string::npos) << text;
  std::string error;
  EXPECT_EQ(parse_verdicts(text, &error), verdicts) << error;
  EXPECT_EQ(parse_verdicts("", &error), CaseVerdicts{});
  EXPECT_FALSE(parse_verdicts("a/x pass\na/x fail\n", &error).has_value());
  EXPECT_EQ(error, "line 2: a/x listed twice");
  EXPECT_FALSE(parse_verdicts("# c\na/x passed\n", &error).has_value());
  EXPECT_EQ(error, "line 2: expected \"<id> pass|allowed|fail\"");
  EXPECT_FALSE(parse_verdicts("a/x\n", &error).has_value());
}

TEST(Helpers, SmugglingClassesFollowTheCatalog) {
  auto classes = smuggling_classes();
  ASSERT_EQ(classes.size(), 37u);  // 35 request classes, then the response side's two
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < classes.size(); ++i) {
    EXPECT_EQ(classes[i].number, static_cast<int>(i + 1));
    EXPECT_TRUE(names.insert(classes[i].name).second) << classes[i].name;
    EXPECT_FALSE(classes[i].title.empty());
  }
  EXPECT_EQ(classes[0].name, "CL.TE");
}

}  // namespace
}  // namespace shockwave::conformance
