// The exec adapter: an external program's JSON becomes the outcome, and
// every way a program can fail is a failure with a reason, never a crash.

#include "conformance/adapters/exec_adapter.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "conformance/adapter.h"
#include "gtest/gtest.h"

namespace shockwave::conformance {
namespace {

using std::chrono::milliseconds;
using namespace std::string_view_literals;

// The `parse` CLI (a data dependency) is a program that speaks the protocol.
std::string parse_cli() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  return std::string(srcdir ? srcdir : ".") + "/shockwave/conformance/parse";
}

std::string sh_quote(const std::string& s) { return "'" + s + "'"; }  // (no ' in these strings)

TEST(ExecAdapter, AgreesWithTheAdapterItWraps) {
  auto llhttp = make_adapter("llhttp");
  for (std::string in : {std::string("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n"),
                         std::string("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n\0\xff\r"sv),
                         std::string("GET / HTTP/1.1\r\nHost: a\r\n"), std::string("G@T\x01"), std::string()}) {
    auto exec = make_exec_adapter(sh_quote(parse_cli()) + " --parser=llhttp", milliseconds(5000));
    ExecResult r = exec->run(in);
    ASSERT_TRUE(r.outcome) << r.failure;
    EXPECT_EQ(*r.outcome, llhttp->parse(in));
    EXPECT_EQ(exec->parse(in), llhttp->parse(in));
  }
}

// Responses: the protocol's environment tells `parse` which, and which
// requests the responses answer.
TEST(ExecAdapter, ResponsesAgreeWithTheAdapterItWraps) {
  auto beast = make_response_adapter("beast");
  ASSERT_NE(beast, nullptr);
  const std::vector<std::string> head_get = {"HEAD", "GET"};
  const std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  auto exec = make_exec_adapter(sh_quote(parse_cli()) + " --parser=beast", milliseconds(5000));
  const ParseOutcome want = beast->parse(in, head_get);
  ASSERT_EQ(want.messages.size(), 2u);  // the HEAD response has no body: both responses are there
  EXPECT_EQ(exec->parse(in, head_get), want);
  // Answering GET, the first response's body is the second's head: not the same outcome.
  EXPECT_NE(exec->parse(in, std::vector<std::string>{"GET"}), want);
  EXPECT_EQ(exec->parse(in, std::vector<std::string>{"GET"}), beast->parse(in, std::vector<std::string>{"GET"}));
}

TEST(ExecAdapter, TellsTheProgramWhatItParses) {
  // A program that prints its environment's verdict as a reason.
  const std::string cmd =
      "cat >/dev/null; printf '{\"ok\": false, \"error\": {\"status\": 502, \"reason\": \"%s|%s\"}, "
      "\"messages\": [], \"incomplete\": false, \"consumed\": 0}' \"$HTTPCONFORM_MESSAGES\" "
      "\"${HTTPCONFORM_REQUESTS-unset}\"";
  auto exec = make_exec_adapter(cmd, milliseconds(5000));
  ::setenv("HTTPCONFORM_REQUESTS", "POST", 1);  // ours is replaced, never passed on
  const ParseOutcome requests = exec->parse("x");
  ASSERT_TRUE(requests.error) << to_json(requests);
  EXPECT_EQ(requests.error->reason, "requests|unset");
  const ParseOutcome responses = exec->parse("x", std::vector<std::string>{"HEAD", "CONNECT"});
  ASSERT_TRUE(responses.error);
  EXPECT_EQ(responses.error->reason, "responses|HEAD CONNECT");
  const ParseOutcome by_default = exec->parse("x", std::vector<std::string>{});
  ASSERT_TRUE(by_default.error);
  EXPECT_EQ(by_default.error->reason, "responses|GET");
  ::unsetenv("HTTPCONFORM_REQUESTS");
}

TEST(ExecAdapter, ResponsesWhereRequestsWereAskedForIsAFailure) {
  auto exec = make_exec_adapter(sh_quote(parse_cli()) + " --responses", milliseconds(5000));
  ExecResult r = exec->run("HTTP/1.1 204 No Content\r\n\r\n");  // requests asked for; it prints responses
  ASSERT_FALSE(r.outcome);
  EXPECT_NE(r.failure.find("printed responses where HTTPCONFORM_MESSAGES asked for requests"), std::string::npos)
      << r.failure;
}

TEST(ExecAdapter, NameAndRegistry) {
  EXPECT_EQ(make_exec_adapter("./p --x")->name(), "exec:./p --x");
  auto a = make_adapter("exec:cat");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name(), "exec:cat");
  EXPECT_EQ(make_adapter("exec:"), nullptr);
  auto r = make_response_adapter("exec:cat");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->name(), "exec:cat");
  EXPECT_EQ(make_response_adapter("exec:"), nullptr);
}

std::string failure_of(const std::string& command, std::string_view input = "GET / HTTP/1.1\r\n\r\n",
                       milliseconds timeout = milliseconds(5000)) {
  ExecResult r = make_exec_adapter(command, timeout)->run(input);
  EXPECT_FALSE(r.outcome) << command;
  EXPECT_FALSE(r.failure.empty()) << command;
  return r.failure;
}

TEST(ExecAdapter, NonZeroExitWithStderr) {
  std::string f = failure_of("cat >/dev/null; echo 'no such parser' >&2; exit 3");
  EXPECT_NE(f.find("exited with status 3"), std::string::npos) << f;
  EXPECT_NE(f.find("no such parser"), std::string::npos) << f;
}

TEST(ExecAdapter, KilledBySignal) {
  std::string f = failure_of("kill -SEGV $$");
  EXPECT_NE(f.find("killed by signal 11"), std::string::npos) << f;
}

TEST(ExecAdapter, BadJson) {
  std::string f = failure_of("cat >/dev/null; echo '{\"ok\": true}'");
  EXPECT_NE(f.find("not a canonical JSON outcome"), std::string::npos) << f;
  f = failure_of("cat >/dev/null");
  EXPECT_NE(f.find("(nothing)"), std::string::npos) << f;
}

TEST(ExecAdapter, TimeoutKillsTheProcessGroup) {
  auto start = std::chrono::steady_clock::now();
  // The shell's child keeps stdout open: the whole group has to go.
  std::string f = failure_of("sleep 30 & sleep 30", "x", milliseconds(300));
  EXPECT_NE(f.find("timed out after 300 ms"), std::string::npos) << f;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ExecAdapter, ProgramThatIgnoresStdinStillCounts) {
  // A megabyte it never reads: writing gets EPIPE, which is not a failure.
  std::string json = to_json(ParseOutcome{});
  ExecResult r = make_exec_adapter("printf '%s' " + sh_quote(json))->run(std::string(1 << 20, 'x'));
  ASSERT_TRUE(r.outcome) << r.failure;
  EXPECT_EQ(*r.outcome, ParseOutcome{});
}

TEST(ExecAdapter, ParseReportsAFailureAsStatusZero) {
  ParseOutcome o = make_exec_adapter("exit 1")->parse("x");
  ASSERT_TRUE(o.error);
  EXPECT_EQ(o.error->status, 0);
  EXPECT_EQ(o.error->reason.rfind("exec: exited with status 1", 0), 0u) << o.error->reason;
}

}  // namespace
}  // namespace shockwave::conformance
