// The exec adapter: an external program's JSON becomes the outcome, and
// every way a program can fail is a failure with a reason, never a crash.

#include "conformance/adapters/exec_adapter.h"

#include <cstdlib>
#include <string>

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

TEST(ExecAdapter, NameAndRegistry) {
  EXPECT_EQ(make_exec_adapter("./p --x")->name(), "exec:./p --x");
  auto a = make_adapter("exec:cat");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name(), "exec:cat");
  EXPECT_EQ(make_adapter("exec:"), nullptr);
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
