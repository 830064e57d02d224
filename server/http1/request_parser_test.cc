// RequestParser: RFC 9112 requests under the strict profile, as a document.
//
// Each section is a table, one case per line: a label, the bytes, and what the
// parser must make of them: ok({...}) for an accepted request (the members
// given are checked), fails(error, status) for a rejection (the status is
// checked against error_status), incomplete(...) when more bytes are needed.
// Every case is parsed through ParseAllWays (testing/split.h): in one read,
// byte by byte, and in two reads split at every offset, each run on a fresh
// copy flush against a PROT_NONE guard page; all runs must agree.
//
// Vectors marked R-x.y-n and "class n" are from the requirement catalogue
// (docs/requirements.md: its rule rows and its smuggling classes).
//
// The conformance cases (conformance/cases/*.cases) are the parser's
// specification; request_parser_cases_test runs each through the same split
// harness and checks its strict outcome and `error:`. A row stays here only
// when no case says as much about the same bytes: what the case format cannot
// state (target form, Host, framing, Content-Length, Expect, consumed(),
// head_size(), whether a pending head is complete, the exact error where a
// case leaves it open), options other than the defaults, fast-path
// boundaries, the vectors shared with the chunked decoder's test, and the API
// contract (reset, consumed).

#include "server/http1/request_parser.h"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/http1/char_class.h"
#include "server/http1/testing/chunked_vectors.h"
#include "server/http1/testing/guarded_buffer.h"
#include "server/http1/testing/split.h"

// The tables name only the members a case is about (designated initializers).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace shockwave::http1 {
namespace {

using testing::escape;
using testing::Field;
using testing::Fields;
using testing::ParseAllWays;
using testing::ParsedRequest;
using testing::Repeat;
using testing::RequestConfig;
using testing::RequestOutcome;
using namespace std::string_literals;

// ---------------------------------------------------------------------------
// The table language.

// Accept: what one completed request must look like; unset members are not
// checked. version_major is always checked to be 1.
struct Accept {
  std::optional<std::string> method;
  std::optional<std::string> target;
  std::optional<TargetForm> form;
  std::optional<int> minor;
  std::optional<Fields> headers;
  std::optional<std::string> host;
  std::optional<BodyFraming> framing;
  std::optional<std::uint64_t> length;  // content_length
  std::optional<bool> keep_alive;
  std::optional<Expectation> expect;
  std::optional<std::string> body;
  std::optional<Fields> trailers;
  std::optional<std::size_t> consumed;
};

struct Want {
  std::vector<Accept> requests;              // completed requests, in order
  ParseStatus end = ParseStatus::kComplete;  // kComplete: every byte was consumed
  Error error = Error::kNone;                // with kError
  int status = 0;                            // with kError: error_status(error)
  std::optional<Accept> pending;             // with kIncomplete: the head, if complete
};

Want ok(Accept a = {}) { return {{std::move(a)}}; }
Want pipeline(std::vector<Accept> requests) { return {std::move(requests)}; }
Want fails(Error e, int status) { return {{}, ParseStatus::kError, e, status, {}}; }
Want fails_after(std::vector<Accept> requests, Error e, int status) {
  return {std::move(requests), ParseStatus::kError, e, status, {}};
}
// incomplete: the head has not been received yet.
Want incomplete(std::vector<Accept> before = {}) { return {std::move(before), ParseStatus::kIncomplete}; }
// head_only: the head is complete, the body is still to come.
Want head_only(Accept head, std::vector<Accept> before = {}) {
  return {std::move(before), ParseStatus::kIncomplete, Error::kNone, 0, std::move(head)};
}

struct Row {
  std::string label;
  std::string bytes;
  Want want;
};

// ExpectIfSet checks one member of an Accept, if the case names it.
template <class T, class U>
void ExpectIfSet(const std::optional<T>& want, const U& got, const char* what) {
  if (want) {
    EXPECT_EQ(got, *want) << what;
  }
}

void ExpectRequest(const ParsedRequest& got, const Accept& want) {
  EXPECT_EQ(got.version_major, 1);
  ExpectIfSet(want.method, got.method, "method");
  ExpectIfSet(want.target, got.target, "target");
  ExpectIfSet(want.form, got.target_form, "target_form");
  ExpectIfSet(want.minor, got.version_minor, "version_minor");
  ExpectIfSet(want.headers, got.headers, "headers");
  ExpectIfSet(want.host, got.host, "host");
  ExpectIfSet(want.framing, got.framing, "framing");
  ExpectIfSet(want.length, got.content_length, "content_length");
  ExpectIfSet(want.keep_alive, got.keep_alive, "keep_alive");
  ExpectIfSet(want.expect, got.expect, "expect");
  ExpectIfSet(want.body, got.body, "body");
  ExpectIfSet(want.trailers, got.trailers, "trailers");
  ExpectIfSet(want.consumed, got.consumed, "consumed");
}

void ExpectOutcome(const RequestOutcome& got, const Want& want) {
  if (want.end == ParseStatus::kError) {
    EXPECT_EQ(error_status(want.error), want.status) << "the table's status for " << want.error;
  }
  EXPECT_EQ(got.status, want.end) << got;
  if (want.end == ParseStatus::kError) {
    EXPECT_EQ(got.error, want.error) << got;
  }
  EXPECT_EQ(got.requests.size(), want.requests.size()) << "completed requests\n" << got;
  for (std::size_t i = 0; i < got.requests.size() && i < want.requests.size(); ++i) {
    SCOPED_TRACE("request " + std::to_string(i + 1));
    ExpectRequest(got.requests[i], want.requests[i]);
  }
  if (want.end == ParseStatus::kIncomplete) {
    EXPECT_EQ(got.pending.has_value(), want.pending.has_value()) << "head_complete() of the pending request";
    if (got.pending && want.pending) {
      SCOPED_TRACE("pending head");
      ExpectRequest(*got.pending, *want.pending);
    }
  }
}

std::string Shown(const std::string& bytes) {
  return escape(bytes.size() > 160 ? bytes.substr(0, 120) + "..." + bytes.substr(bytes.size() - 30) : bytes);
}

void Check(const std::vector<Row>& rows, const RequestConfig& config = {}) {
  for (const Row& row : rows) {
    SCOPED_TRACE(row.label + ": \"" + Shown(row.bytes) + "\"");
    ExpectOutcome(ParseAllWays(row.bytes, config), row.want);
  }
}

RequestConfig Lenient(bool bare_lf, bool obs_fold) {
  RequestConfig config;
  config.options.leniency.bare_lf = bare_lf;
  config.options.leniency.obs_fold = obs_fold;
  return config;
}

RequestConfig WithLimits(void (*set)(ParserLimits&)) {
  RequestConfig config;
  set(config.options.limits);
  return config;
}

// Req: a header-only fragment in the requirements file's convention.
std::string Req(const std::string& field_lines) { return "GET / HTTP/1.1\r\nHost: a\r\n" + field_lines + "\r\n\r\n"; }
// Post: a POST with the given field lines, then `rest` (the body and beyond).
std::string Post(const std::string& field_lines, const std::string& rest = "") {
  return "POST / HTTP/1.1\r\nHost: a\r\n" + field_lines + "\r\n\r\n" + rest;
}
const std::string kChunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

constexpr auto kOrigin = TargetForm::kOrigin;
constexpr auto kAbsolute = TargetForm::kAbsolute;
constexpr auto kAuthority = TargetForm::kAuthority;
constexpr auto kAsterisk = TargetForm::kAsterisk;
constexpr auto kNoBody = BodyFraming::kNone;
constexpr auto kLength = BodyFraming::kContentLength;
constexpr auto kChunked = BodyFraming::kChunked;

// ===========================================================================
// RFC 9112 §2.1: message shape.

TEST(Rfc9112_2_1, MessageShape) {
  Check({
      {"R-2.1-1 the simplest request", "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
       ok({.method = "GET",
           .target = "/",
           .form = kOrigin,
           .minor = 1,
           .headers = Fields{{"Host", "a"}},
           .host = "a",
           .framing = kNoBody,
           .length = 0,
           .keep_alive = true,
           .expect = Expectation::kNone,
           .body = "",
           .trailers = Fields{},
           .consumed = 27})},
      {"R-2.1-1 no empty line yet: nothing dispatched", "GET / HTTP/1.1\r\nHost: a\r\n", incomplete()},
      {"half a request-line", "GET / HT", incomplete()},
      {"nothing yet", "", incomplete()},
      {"final CR without LF yet", "GET / HTTP/1.1\r\nHost: a\r\n\r", incomplete()},
  });
}

// ===========================================================================
// RFC 9112 §2.2: octets, line endings, NUL.

TEST(Rfc9112_2_2, OctetsNotCharacters) {
  Check({
      {"R-2.2-1 U+2028 is not a line break", Req("X: \xe2\x80\xa8"),
       ok({.headers = Fields{{"Host", "a"}, {"X", "\xe2\x80\xa8"}}})},
      {"R-2.2-1 NEL is not a line break", Req("X: \xc2\x85"),
       ok({.headers = Fields{{"Host", "a"}, {"X", "\xc2\x85"}}})},
  });
}

TEST(Rfc9112_2_2, BareLF) {
  Check({
      {"R-2.2-2 LF-only request", "GET / HTTP/1.1\nHost: a\n\n", fails(Error::kBareLF, 400)},
      {"R-2.2-2 one LF-only field line", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", fails(Error::kBareLF, 400)},
      {"R-2.2-2 LF-only empty line (http-garden #19)",
       "GET / HTTP/1.1\r\nHost: a\r\nUseless:\n\nGET / HTTP/1.1\r\n\r\n", fails(Error::kBareLF, 400)},
      {"LF-only request-line", "GET / HTTP/1.1\nHost: a\r\n\r\n", fails(Error::kBareLF, 400)},
      {"LF-only final empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n", fails(Error::kBareLF, 400)},
  });
}

TEST(Rfc9112_2_2, BareCR) {
  Check({
      {"R-2.2-4 CR inside a value", Req("X: a\rb"), fails(Error::kBareCR, 400)},
      {"R-2.2-4 CR inside the request-line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kBareCR, 400)},
      {"R-2.2-4 CR as a field separator (#13)", Req("Visible: x\rSmuggled: y"), fails(Error::kBareCR, 400)},
      {"R-2.2-5 CR CR LF ending the request-line", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", fails(Error::kBareCR, 400)},
      {"CR at the end of a field name", Req("X\r: y"), fails(Error::kBareCR, 400)},
  });
}

// RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) before
// the request-line; ours skips up to max_leading_empty_lines (8).
std::string Leading(std::size_t empty_lines) {
  return Repeat("\r\n", empty_lines) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
}

TEST(Rfc9112_2_2, LeadingEmptyLines) {
  Check({
      {"R-2.2-6 one CRLF before the request-line", Leading(1), ok({.target = "/", .consumed = 29})},
      {"R-2.2-6 two CRLF", Leading(2), ok({.consumed = 31})},
      {"8 CRLF (the default cap)", Leading(8), ok({.consumed = 27 + 16})},
      {"9 CRLF", Leading(9), fails(Error::kTooManyLeadingEmptyLines, 400)},
      {"too many, detected before the request-line", Repeat("\r\n", 9), fails(Error::kTooManyLeadingEmptyLines, 400)},
      {"R-2.2-6 bare LF as an empty line", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kBareLF, 400)},
      {"R-2.2-6 bare CR as an empty line", "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kBareCR, 400)},
      {"CRLF only, nothing more yet", "\r\n\r\n", incomplete()},
  });
  Check({{"2 CRLF, cap 2", Leading(2), ok({.consumed = 31})},
         {"3 CRLF, cap 2", Leading(3), fails(Error::kTooManyLeadingEmptyLines, 400)}},
        WithLimits([](ParserLimits& l) { l.max_leading_empty_lines = 2; }));
  Check({{"no CRLF, cap 0", Leading(0), ok({})},
         {"1 CRLF, cap 0", Leading(1), fails(Error::kTooManyLeadingEmptyLines, 400)}},
        WithLimits([](ParserLimits& l) { l.max_leading_empty_lines = 0; }));
}

TEST(Rfc9112_2_2, WhitespaceBeforeFirstField) {
  Check({
      {"R-2.2-8 HTAB before the first field (AIOHTTP, #4)", "GET / HTTP/1.1\r\n\tContent-Length: 1\r\nHost: a\r\n\r\nX",
       fails(Error::kWhitespaceBeforeFirstField, 400)},
  });
}

// ===========================================================================
// RFC 9112 §2.3, RFC 9110 §6.2: HTTP-version.

TEST(Rfc9112_2_3, HttpVersion) {
  Check({
      {"HTTP/1.9 needs Host, as 1.1 does", "GET / HTTP/1.9\r\n\r\n", fails(Error::kMissingHost, 400)},
      {"HTTP/9.1", "GET / HTTP/9.1\r\nHost: a\r\n\r\n", fails(Error::kUnsupportedVersion, 505)},
      {"R-2.3-5 HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n",
       ok({.minor = 0, .headers = Fields{}, .host = "", .keep_alive = false})},
  });
}

// ===========================================================================
// RFC 9112 §3: request-line = method SP request-target SP HTTP-version.

TEST(Rfc9112_3, RequestLineShape) {
  Check({
      {"R-3-1 two SP after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidRequestLine, 400)},
      {"R-3-1 two SP after the target", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidRequestLine, 400)},
      // When the first word is not a token, the method is what is invalid.
      {"R-3-1 HTAB after the method", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidMethod, 400)},
      {"R-3-1 SP after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", fails(Error::kInvalidRequestLine, 400)},
      {"R-3-1 SP before the method", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidMethod, 400)},
      {"R-3-1 VT before the version", "GET /\x0bHTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidRequestLine, 400)},
      {"a blank (SP) request-line after empty lines", "\r\n\r\n \r\n", fails(Error::kInvalidMethod, 400)},
  });
}

// "GET /" + filler + " HTTP/1.1" is a request-line of `length` octets.
std::string RequestLine(std::size_t length, const std::string& tail = "\r\nHost: a\r\n\r\n") {
  return "GET /" + std::string(length - 14, 'a') + " HTTP/1.1" + tail;
}

TEST(Rfc9112_3, RequestLineLength) {
  Check(
      {
          {"16 octets, limit 16", RequestLine(16), ok({.target = "/aa"})},
          {"17 octets, limit 16", RequestLine(17), fails(Error::kRequestLineTooLong, 414)},
          {"17 octets, detected before the line ends", RequestLine(17, ""), fails(Error::kRequestLineTooLong, 414)},
          {"16 octets and a CR: the CR is not counted", RequestLine(16, "\r"), incomplete()},
          {"leading empty lines are not counted", "\r\n\r\n" + RequestLine(16), ok({.target = "/aa"})},
          {"a long method counts", "ABCDEFGH / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kRequestLineTooLong, 414)},
          // Which error wins must not depend on the split: a limit passed
          // before the offending byte wins, as it would byte by byte.
          {"a CTL within the limit", "GET /a\x01" + std::string(20, 'b') + " HTTP/1.1\r\n",
           fails(Error::kInvalidRequestLine, 400)},
          {"a CTL past the limit", "GET /" + std::string(20, 'b') + "\x01 HTTP/1.1\r\n",
           fails(Error::kRequestLineTooLong, 414)},
          {"a bare LF past the limit", "GET /" + std::string(20, 'b') + "\n", fails(Error::kRequestLineTooLong, 414)},
          {"a bare CR past the limit", "GET /" + std::string(20, 'b') + "\rX", fails(Error::kRequestLineTooLong, 414)},
      },
      WithLimits([](ParserLimits& l) { l.max_request_line = 16; }));
  Check({
      {"8192 octets (default limit)", RequestLine(8192), ok({})},
      {"8193 octets", RequestLine(8193), fails(Error::kRequestLineTooLong, 414)},
      {"R-3-4 70000-octet target", "GET /" + std::string(70000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n",
       fails(Error::kRequestLineTooLong, 414)},
  });
}

// ===========================================================================
// RFC 9112 §3.1, RFC 9110 §9.1: method = token, case-sensitive.

std::string Method(const std::string& method) { return method + " / HTTP/1.1\r\nHost: a\r\n\r\n"; }

TEST(Rfc9112_3_1, Method) {
  Check({
      {"R-3.1-2 lowercase is another method", Method("get"), ok({.method = "get"})},
      {"R-3.1-2 mixed case", Method("Get"), ok({.method = "Get"})},
      {"R-3.1-2 any token", Method("X-Y.Z"), ok({.method = "X-Y.Z"})},
      {"every tchar", Method("!#$%&'*+-.^_`|~09AZaz"), ok({.method = "!#$%&'*+-.^_`|~09AZaz"})},
      {"class 27 NUL method, dotted version", "\x00 / HTTP/....0596.7407.\r\n\r\n"s,
       fails(Error::kInvalidRequestLine, 400)},
      {"32 octets (default cap)", Method(std::string(32, 'M')), ok({.method = std::string(32, 'M')})},
      {"33 octets", Method(std::string(33, 'M')), fails(Error::kMethodTooLong, 501)},
      {"R-3-3 1000 octets", Method(std::string(1000, 'A')), fails(Error::kMethodTooLong, 501)},
  });
  Check(
      {
          {"4 octets, cap 4", Method("ABCD"), ok({.method = "ABCD"})},
          {"5 octets, cap 4", Method("ABCDE"), fails(Error::kMethodTooLong, 501)},
          {"R-3-3 over the cap and not a token: 400, not 501", Method("ABCDE@"), fails(Error::kInvalidMethod, 400)},
      },
      WithLimits([](ParserLimits& l) { l.max_method = 4; }));
}

// ===========================================================================
// RFC 9112 §3.2: request-target, its four forms, and Host.

std::string Target(const std::string& method, const std::string& target, const std::string& host = "a") {
  return method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

TEST(Rfc9112_3_2_1, OriginForm) {
  Check({
      {"R-3.2-2 pchar, sub-delims, query, escapes", Target("GET", "/a/b;c=d?x=1&y=%2F"),
       ok({.target = "/a/b;c=d?x=1&y=%2F", .form = kOrigin})},
      {"query may hold / ? : @", Target("GET", "/p?q=/a?b:c@d"), ok({.target = "/p?q=/a?b:c@d"})},
      {"every pchar", Target("GET", "/azAZ09-._~!$&'()*+,;=:@%aF"), ok({.target = "/azAZ09-._~!$&'()*+,;=:@%aF"})},
      {"lone % at the end", Target("GET", "/%"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 < ", Target("GET", "/a<b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 >", Target("GET", "/a>b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 ^", Target("GET", "/a^b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 backtick", Target("GET", "/a`b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 {", Target("GET", "/a{b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 }", Target("GET", "/a}b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 vertical bar", Target("GET", "/a|b"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2-2 [", Target("GET", "/a[b"), fails(Error::kInvalidTarget, 400)},
  });
}

TEST(Rfc9112_3_2_2, AbsoluteForm) {
  Check({
      {"R-3.2.2-1 http URI", Target("GET", "http://a/b?c"), ok({.target = "http://a/b?c", .form = kAbsolute})},
      {"R-3.2.2-1 scheme and host in upper case", Target("GET", "HTTP://A:80/"),
       ok({.target = "HTTP://A:80/", .form = kAbsolute})},
      {"R-3.2.2-1 no path", Target("OPTIONS", "http://a:8001", "a:8001"),
       ok({.method = "OPTIONS", .target = "http://a:8001", .form = kAbsolute})},
      {"https", Target("GET", "https://a.example/x"), ok({.form = kAbsolute})},
      {"IP-literal host", Target("GET", "http://[::1]:8080/"), ok({.target = "http://[::1]:8080/", .form = kAbsolute})},
      // head().host is the Host field's value; the target's authority governs (the caller's job).
      {"R-3.2.2-2 Host differs from the authority", "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n",
       ok({.target = "http://a/", .form = kAbsolute, .headers = Fields{{"Host", "b"}}, .host = "b"})},
      {"R-3.2.2-5 another scheme is valid syntax", Target("GET", "ftp://a/"),
       ok({.target = "ftp://a/", .form = kAbsolute})},
      {"no authority at all", Target("GET", "http:/x"), fails(Error::kInvalidTarget, 400)},
      {"https, empty host", Target("GET", "https://"), fails(Error::kInvalidTarget, 400)},
      {"R-3.2.2-4 user only", Target("GET", "http://u@a/"), fails(Error::kInvalidTarget, 400)},
      {"scheme with a bad character", Target("GET", "ht_tp://a/"), fails(Error::kInvalidTarget, 400)},
      {"empty port (port = *DIGIT)", Target("GET", "http://a:/"), ok({.form = kAbsolute})},
      {"query right after the authority", Target("GET", "http://a?x=1"),
       ok({.target = "http://a?x=1", .form = kAbsolute})},
      {"SP-free but invalid byte in the path", Target("GET", "http://a/\"x"), fails(Error::kInvalidTarget, 400)},
  });
}

TEST(Rfc9112_3_2_3, AuthorityForm) {
  Check({
      {"R-3.2.3-1 CONNECT host:port", Target("CONNECT", "a.example:443", "a.example:443"),
       ok({.method = "CONNECT", .target = "a.example:443", .form = kAuthority})},
      {"R-3.2.3-3 CONNECT is parsed (501 is the server's answer)", Target("CONNECT", "a:443", "a:443"),
       ok({.form = kAuthority})},
      {"CONNECT to an IPv4 address", Target("CONNECT", "127.0.0.1:443"), ok({.form = kAuthority})},
      {"CONNECT to an IP-literal", Target("CONNECT", "[::1]:443"), ok({.target = "[::1]:443", .form = kAuthority})},
      {"R-3.2.3-1 authority-form with GET", Target("GET", "a.example:80"), fails(Error::kInvalidTarget, 400)},
      {"methods are case-sensitive: connect", Target("connect", "a:443"), fails(Error::kInvalidTarget, 400)},
  });
}

TEST(Rfc9112_3_2_4, AsteriskForm) {
  Check({
      {"R-3.2.4-1 OPTIONS *", Target("OPTIONS", "*"), ok({.method = "OPTIONS", .target = "*", .form = kAsterisk})},
      {"methods are case-sensitive: options *", Target("options", "*"), fails(Error::kInvalidTarget, 400)},
      {"OPTIONS with origin-form", Target("OPTIONS", "/"), ok({.form = kOrigin})},
  });
}

TEST(Rfc9112_3_2, Host) {
  Check({
      {"R-3.2-3 HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", ok({.host = ""})},
      {"Host is found case-insensitively", "GET / HTTP/1.1\r\nhOsT: a\r\n\r\n", ok({.host = "a"})},
      {"R-3.2-5 reg-name and port", Target("GET", "/", "a.example:8080"), ok({.host = "a.example:8080"})},
      {"R-3.2-5 IP-literal and port", Target("GET", "/", "[::1]:80"), ok({.host = "[::1]:80"})},
      {"R-3.2-5 IPv4", Target("GET", "/", "127.0.0.1"), ok({.host = "127.0.0.1"})},
      {"port = *DIGIT may be empty", Target("GET", "/", "a:"), ok({.host = "a:"})},
      {"OWS around the value", "GET / HTTP/1.1\r\nHost: \t a \t\r\n\r\n", ok({.host = "a"})},
      {"R-3.2-6 empty Host, origin-form", "GET / HTTP/1.1\r\nHost:\r\n\r\n", fails(Error::kInvalidHost, 400)},
      {"empty Host, asterisk-form", "OPTIONS * HTTP/1.1\r\nHost:\r\n\r\n", fails(Error::kInvalidHost, 400)},
      {"empty Host, HTTP/1.0", "GET / HTTP/1.0\r\nHost:\r\n\r\n", fails(Error::kInvalidHost, 400)},
      {"R-3.2-6 empty Host, absolute-form", "GET http://a/ HTTP/1.1\r\nHost:\r\n\r\n", ok({.form = kAbsolute})},
  });
}

// ===========================================================================
// RFC 9112 §5, RFC 9110 §5: field lines.

TEST(Rfc9112_5, FieldNames) {
  Check({
      {"R-5-1 name split across lines (Passenger, #37)", Req("Transfer-\r\nEncoding: chunked"),
       fails(Error::kInvalidFieldName, 400)},
      {"every tchar", Req("!#$%&'*+-.^_`|~09AZaz: v"),
       ok({.headers = Fields{{"Host", "a"}, {"!#$%&'*+-.^_`|~09AZaz", "v"}}})},
      {"R-5-3 names are case-insensitive", Post("cONTENT-lENGTH: 2", "hi"),
       ok({.framing = kLength, .length = 2, .body = "hi"})},
      {"R-5-3 Transfer_Encoding is not Transfer-Encoding",
       Post("Transfer_Encoding: chunked\r\nContent-Length: 5", "hello"),
       ok({.framing = kLength, .length = 5, .body = "hello"})},
  });
}

TEST(Rfc9112_5_1, WhitespaceBeforeColon) {
  Check({
      {"R-5.1-1 Content-Length SP colon (CVE-2023-40518, #3)",
       Post("Content-Length : 34", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"), fails(Error::kWhitespaceBeforeColon, 400)},
  });
}

TEST(Rfc9112_5_1, FieldValues) {
  Check({
      {"R-5.1-2 trailing SP after Content-Length", Post("Content-Length: 5 ", "hello"),
       ok({.framing = kLength, .length = 5, .body = "hello"})},
      {"R-5.3-2 repeated fields stay separate, in order", Req("X: a\r\nX: b"),
       ok({.headers = Fields{{"Host", "a"}, {"X", "a"}, {"X", "b"}}})},
      {"every VCHAR", Req("X: !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"),
       ok({.headers = Fields{{"Host", "a"}, {"X", "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"}}})},
      {"R-5.5-1 NUL",
       Req("X: a\x00"
           "b"s),
       fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-1 CR", Req("X: a\rb"), fails(Error::kBareCR, 400)},
      {"R-5.5-1 NUL then CR (#2)", Req("X: v\x00\ralue"s), fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-1 NUL then more (#35)", Req("Test: test\x00THESE BYTES GET DROPPED"s),
       fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-1 trailing NUL (WEBrick, #43)", Req("Evil: evil\x00"s), fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-2 SOH",
       Req("X: a\x01"
           "b"),
       fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-2 ESC",
       Req("X: a\x1b"
           "b"),
       fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-2 DEL",
       Req("X: a\x7f"
           "b"),
       fails(Error::kInvalidFieldValue, 400)},
      {"R-5.5-2 VT",
       Req("X: a\x0b"
           "b"),
       fails(Error::kInvalidFieldValue, 400)},
  });
}

// R-5.5-2, exhaustively: every CTL but HTAB, CR and LF, and DEL, in a value.
TEST(Rfc9110_5_5, EveryControlByteInAValue) {
  std::vector<Row> rows;
  for (int c = 0; c < 0x20; ++c) {
    if (c == '\t' || c == '\r' || c == '\n') continue;
    rows.push_back({"CTL " + std::to_string(c), Req("X: a" + std::string(1, char(c)) + "b"),
                    fails(Error::kInvalidFieldValue, 400)});
    rows.push_back({"CTL " + std::to_string(c) + " first", Req("X: " + std::string(1, char(c))),
                    fails(Error::kInvalidFieldValue, 400)});
  }
  rows.push_back({"DEL", Req("X: a\x7f"), fails(Error::kInvalidFieldValue, 400)});
  for (int c = 0x80; c <= 0xff; ++c) {
    rows.push_back({"obs-text " + std::to_string(c), Req("X: a" + std::string(1, char(c)) + "b"),
                    ok({.headers = Fields{{"Host", "a"}, {"X", "a" + std::string(1, char(c)) + "b"}}})});
  }
  Check(rows);
}

TEST(Rfc9112_5_2, ObsFold) {
  Check({
      {"R-5.2-1 SP fold", Req("X: a\r\n b"), fails(Error::kObsFold, 400)},
      {"R-5.2-1 HTAB fold after an empty value", Req("X:\r\n\tb"), fails(Error::kObsFold, 400)},
      {"R-5.2-1 folded Transfer-Encoding with Content-Length (CVE-2022-32215)",
       Post("Transfer-Encoding:\r\n chunked\r\nContent-Length: 5", "0\r\n\r\n"), fails(Error::kObsFold, 400)},
  });
}

// RFC 9110 §5.4: a section larger than the server will process is 431. The
// field section runs from the first field line to the end of the empty line.
// FieldSection(n): a request whose field section is exactly n octets (n >= 16).
std::string FieldSection(std::size_t n) {
  return "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(n - 16, 'v') + "\r\n\r\n";
}

TEST(Rfc9110_5_4, FieldSectionSize) {
  Check(
      {
          {"64 octets, limit 64", FieldSection(64), ok({})},
          {"65 octets, limit 64", FieldSection(65), fails(Error::kFieldSectionTooLarge, 431)},
          {"65 octets received, detected before the line ends",
           "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(65 - 12, 'v'), fails(Error::kFieldSectionTooLarge, 431)},
          {"many short lines add up", Req(Repeat("A: 1\r\n", 9) + "B: 2"), fails(Error::kFieldSectionTooLarge, 431)},
          {"HTTP/1.0 with no fields: 2 octets", "GET / HTTP/1.0\r\n\r\n", ok({})},
          {"a NUL within the limit", Req("X: a\x00"s + std::string(80, 'b')), fails(Error::kInvalidFieldValue, 400)},
          {"a NUL past the limit", Req("X: " + std::string(80, 'b') + "\x00"s),
           fails(Error::kFieldSectionTooLarge, 431)},
          {"a bare LF past the limit", Req("X: " + std::string(80, 'b') + "\nY: z"),
           fails(Error::kFieldSectionTooLarge, 431)},
      },
      WithLimits([](ParserLimits& l) { l.max_field_section = 64; }));
  Check({
      {"32768 octets (default limit)", FieldSection(32768), ok({})},
      {"32769 octets", FieldSection(32769), fails(Error::kFieldSectionTooLarge, 431)},
      {"R-5.4-1 a 100000-octet value", Req("X: " + std::string(100000, 'a')), fails(Error::kFieldSectionTooLarge, 431)},
      {"R-5.4-1 a 100000-octet name", Req(std::string(100000, 'a') + ": x"), fails(Error::kFieldSectionTooLarge, 431)},
      {"R-5.6.1-1 100000 empty list elements", Req("X-List: " + std::string(100000, ',')),
       fails(Error::kFieldSectionTooLarge, 431)},
  });
}

std::string NFields(std::size_t n) {
  std::string lines;
  for (std::size_t i = 1; i < n; ++i) lines += "X" + std::to_string(i) + ": y\r\n";
  return "GET / HTTP/1.1\r\nHost: a\r\n" + lines + "\r\n";
}

TEST(Rfc9110_5_4, FieldCount) {
  RequestConfig three;
  three.field_capacity = 3;
  Check({{"3 fields, room for 3", NFields(3), ok({})},
         {"4 fields, room for 3", NFields(4), fails(Error::kTooManyFields, 431)}},
        three);
  Check({{"64 fields, room for 64 (default here)", NFields(64), ok({})},
         {"65 fields, room for 64", NFields(65), fails(Error::kTooManyFields, 431)},
         {"R-5.4-1 10000 field lines", NFields(10000), fails(Error::kTooManyFields, 431)}});
  RequestConfig none;
  none.field_capacity = 0;
  Check({{"no fields, no room", "GET / HTTP/1.0\r\n\r\n", ok({})},
         {"1 field, no room", "GET / HTTP/1.0\r\nX: y\r\n\r\n", fails(Error::kTooManyFields, 431)}},
        none);
}

// ===========================================================================
// RFC 9112 §6, RFC 9110 §8.6: message body framing.

TEST(Rfc9112_6_1, TransferEncoding) {
  Check({
      {"R-6.1-1 chunked", Post("Transfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n"),
       ok({.framing = kChunked, .body = "hello"})},
      {"R-6.1-1 CHUNKED", Post("Transfer-Encoding: CHUNKED", "0\r\n\r\n"), ok({.framing = kChunked, .body = ""})},
      {"R-6.1-1 trailing OWS", Post("Transfer-Encoding: chunked ", "0\r\n\r\n"), ok({.framing = kChunked})},
      {"R-6-1 every method is framed: DELETE",
       "DELETE / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       ok({.method = "DELETE", .framing = kChunked, .body = ""})},
      {"R-6.1-7 leading empty element", Post("Transfer-Encoding: , chunked", "0\r\n\r\n"), ok({.framing = kChunked})},
      {"R-5.6.1-1 leading comma, no SP", Post("Transfer-Encoding: ,chunked", "0\r\n\r\n"), ok({.framing = kChunked})},
      {"empty elements everywhere", Post("Transfer-Encoding: , ,chunked ,, ", "0\r\n\r\n"), ok({.framing = kChunked})},
      {"R-6.1-2 chunked then gzip", Post("Transfer-Encoding: chunked, gzip"), fails(Error::kChunkedNotFinal, 400)},
      {"R-6.1-2 gzip alone", Post("Transfer-Encoding: gzip"), fails(Error::kChunkedNotFinal, 400)},
      {"R-6.1-2 identity", Post("Transfer-Encoding: identity"), fails(Error::kChunkedNotFinal, 400)},
      {"R-6.1-2 chunkedx", Post("Transfer-Encoding: chunkedx"), fails(Error::kChunkedNotFinal, 400)},
      {"R-6.1-2 empty", Post("Transfer-Encoding:"), fails(Error::kInvalidTransferEncoding, 400)},
      {"only empty elements", Post("Transfer-Encoding: , ,"), fails(Error::kInvalidTransferEncoding, 400)},
      {"R-6.1-2 chunked, then a gzip line", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip"),
       fails(Error::kChunkedNotFinal, 400)},
      {"R-6.1-3 unknown coding before chunked", Post("Transfer-Encoding: foo, chunked", "0\r\n\r\n"),
       fails(Error::kUnsupportedTransferCoding, 501)},
      {"R-6.1-3 gzip before chunked", Post("Transfer-Encoding: gzip, chunked", "0\r\n\r\n"),
       fails(Error::kUnsupportedTransferCoding, 501)},
      {"R-6.1-7 gzip , chunked", Post("Transfer-Encoding: gzip , chunked", "0\r\n\r\n"),
       fails(Error::kUnsupportedTransferCoding, 501)},
      {"list across lines: gzip, then chunked",
       Post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked", "0\r\n\r\n"),
       fails(Error::kUnsupportedTransferCoding, 501)},
      {"R-6.1-4 chunked, chunked", Post("Transfer-Encoding: chunked, chunked", "0\r\n\r\n"),
       fails(Error::kChunkedTwice, 400)},
      {"R-6.1-7 quoted coding", Post("Transfer-Encoding: \"chunked\""), fails(Error::kInvalidTransferEncoding, 400)},
      {"R-6.1-7 VT after chunked", Post("Transfer-Encoding: chunked\x0b"), fails(Error::kInvalidFieldValue, 400)},
      {"R-6.1-7 NUL before chunked",
       Post("Transfer-Encoding: \x00"
            "chunked"s),
       fails(Error::kInvalidFieldValue, 400)},
      {"class 4: 0xFF around chunked",
       Post("Transfer-Encoding: \xff"
            "chunked\xff"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"SP inside a coding", Post("Transfer-Encoding: chun ked"), fails(Error::kInvalidTransferEncoding, 400)},
      {"a well-formed parameter on an unknown coding", Post("Transfer-Encoding: foo;a=b, chunked", "0\r\n\r\n"),
       fails(Error::kUnsupportedTransferCoding, 501)},
      {"a parameter without a value", Post("Transfer-Encoding: foo;bar, chunked", "0\r\n\r\n"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"a parameter without a name", Post("Transfer-Encoding: foo;=x, chunked", "0\r\n\r\n"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"an empty parameter", Post("Transfer-Encoding: foo;, chunked", "0\r\n\r\n"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"a trailing comma after chunked", Post("Transfer-Encoding: chunked,", "0\r\n\r\n"), ok({.framing = kChunked})},
      {"R-6.1-8 parameter on chunked", Post("Transfer-Encoding: chunked;q=1"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"R-6.1-8 parameter with OWS on chunked", Post("Transfer-Encoding: chunked; foo=bar"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"R-6.1-9 parameter on gzip", Post("Transfer-Encoding: gzip;level=1, chunked"),
       fails(Error::kInvalidTransferEncoding, 400)},
      {"R-6.1-5 Content-Length then Transfer-Encoding",
       Post("Content-Length: 6\r\nTransfer-Encoding: chunked", "0\r\n\r\nX"),
       fails(Error::kContentLengthWithTransferEncoding, 400)},
      {"R-6.1-5 Transfer-Encoding then Content-Length",
       Post("Transfer-Encoding: chunked\r\nContent-Length: 30", "0\r\n\r\n"),
       fails(Error::kContentLengthWithTransferEncoding, 400)},
      {"R-6.1-5 ,chunked with Content-Length (#21)",
       Post("Transfer-Encoding: ,chunked\r\nContent-Length: 5", "0\r\n\r\n"),
       fails(Error::kContentLengthWithTransferEncoding, 400)},
      {"R-6.1-6 HTTP/1.0 with chunked", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       fails(Error::kTransferEncodingInHttp10, 400)},
      {"R-6.1-6 HTTP/1.0 with chunked and Content-Length",
       "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
       fails(Error::kTransferEncodingInHttp10, 400)},
  });
}

TEST(Rfc9110_8_6, ContentLength) {
  Check({
      {"R-6-1 GET with a body", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
       ok({.method = "GET", .framing = kLength, .length = 5, .body = "hello"})},
      {"R-6.2-6 zero", Post("Content-Length: 0"), ok({.framing = kLength, .length = 0, .body = ""})},
      {"R-6.2-2 leading zero is decimal, not octal (OLS, #32)", Post("Content-Length: 010", "0123456789"),
       ok({.framing = kLength, .length = 10, .body = "0123456789"})},
      {"R-6.2-2 0000", Post("Content-Length: 0000"), ok({.framing = kLength, .length = 0})},
      {"many leading zeros are still small", Post("Content-Length: 00000000000000000000000000005", "hello"),
       ok({.framing = kLength, .length = 5, .body = "hello"})},
      {"body bytes are opaque", Post("Content-Length: 4", "\r\n\x00\xff"s), ok({.body = "\r\n\x00\xff"s})},
      {"R-6.2-6 body still to come", Post("Content-Length: 10", "hello"),
       head_only({.framing = kLength, .length = 10})},
      {"R-6.2-1 4 2 (CVE-2018-7159)", Post("Content-Length: 4 2"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-1 empty (#16)", Post("Content-Length:"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-1 +1_0 (Python int(), #10)", Post("Content-Length: +1_0"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-1 5.0", Post("Content-Length: 5.0"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-1 Arabic-Indic digit five", Post("Content-Length: \xd9\xa5"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-3 2^64 would wrap to 0", Post("Content-Length: 18446744073709551616"),
       fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-3 2^64+5 would wrap to 5", Post("Content-Length: 18446744073709551621", "hello"),
       fails(Error::kInvalidContentLength, 400)},
      {"far more digits than a u64", Post("Content-Length: 99999999999999999999999999999"),
       fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-3 well-formed but over max_body", Post("Content-Length: 9999999999999"),
       fails(Error::kBodyTooLarge, 413)},
      {"u64 max is over max_body", Post("Content-Length: 18446744073709551615"), fails(Error::kBodyTooLarge, 413)},
      {"R-6.3-3 1 GiB", Post("Content-Length: 1073741824"), fails(Error::kBodyTooLarge, 413)},
      {"R-6.2-4 the same value twice", Post("Content-Length: 5\r\nContent-Length: 5", "hello"),
       fails(Error::kDuplicateContentLength, 400)},
      {"R-6.2-4 a list of one value", Post("Content-Length: 5, 5", "hello"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-4 a list without SP", Post("Content-Length: 5,5", "hello"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-5 a list of different values", Post("Content-Length: 5, 6"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-5 a list with a bad member", Post("Content-Length: 5, +5"), fails(Error::kInvalidContentLength, 400)},
      {"R-6.2-5 empty, then a value (WEBrick, #42)", Post("Content-Length: \r\nContent-Length: 43"),
       fails(Error::kInvalidContentLength, 400)},
      {"R-6.3-1 neither field: no body", "POST / HTTP/1.1\r\nHost: a\r\n\r\n", ok({.framing = kNoBody, .body = ""})},
  });
}

TEST(Rfc9110_8_6, MaxBody) {
  Check(
      {
          {"Content-Length 5, limit 5", Post("Content-Length: 5", "hello"), ok({.length = 5, .body = "hello"})},
          {"Content-Length 6, limit 5", Post("Content-Length: 6", "hello!"), fails(Error::kBodyTooLarge, 413)},
          {"chunks summing to 5", kChunkedHead + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", ok({.body = "abcde"})},
          {"chunks summing to 6", kChunkedHead + "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", fails(Error::kBodyTooLarge, 413)},
      },
      WithLimits([](ParserLimits& l) { l.max_body = 5; }));
  Check({
      {"8 MiB announced (default limit)", Post("Content-Length: 8388608"), head_only({.length = 8388608})},
      {"8 MiB + 1 announced", Post("Content-Length: 8388609"), fails(Error::kBodyTooLarge, 413)},
      {"an 8 MiB chunk announced", kChunkedHead + "800000\r\n", head_only({.framing = kChunked})},
      {"an 8 MiB + 1 chunk announced", kChunkedHead + "800001\r\n", fails(Error::kBodyTooLarge, 413)},
  });
}

// ===========================================================================
// RFC 9112 §7.1: chunked bodies through the parser: the shared vectors (see
// testing/chunked_vectors.h) after a chunked head, then what only the parser
// can show.

TEST(Rfc9112_7_1, SharedChunkedVectors) {
  for (const auto& section : testing::kChunkedSections) {
    SCOPED_TRACE(section.name);
    std::vector<Row> rows;
    for (const testing::ChunkedVector& v : *section.vectors) {
      using O = testing::ChunkedVector::Outcome;
      Want want = v.outcome == O::kRejected     ? fails(v.error, v.status)
                  : v.outcome == O::kIncomplete ? head_only({.framing = kChunked})
                                                : ok({.framing = kChunked,
                                                      .body = v.decoded,
                                                      .trailers = v.trailers,
                                                      .consumed = kChunkedHead.size() + v.body.size()});
      rows.push_back({v.label, kChunkedHead + v.body, want});
    }
    Check(rows);
  }
}

TEST(Rfc9112_7_1, ChunkedThroughTheParser) {
  Check({
      {"R-7.1.3-1 decoded body, trailers after the head's fields",
       kChunkedHead + "3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n",
       ok({.headers = Fields{{"Host", "a"}, {"Transfer-Encoding", "chunked"}},
           .host = "a",
           .framing = kChunked,
           .body = "abcde",
           .trailers = Fields{{"X-Sum", "5"}}})},
      {"R-7.1.2-2 trailers change neither framing nor Host",
       kChunkedHead + "0\r\nContent-Length: 100\r\nHost: evil\r\n\r\n",
       ok({.host = "a",
           .framing = kChunked,
           .body = "",
           .trailers = Fields{{"Content-Length", "100"}, {"Host", "evil"}}})},
      {"R-7.1-6 incomplete at the last CR", kChunkedHead + "0\r\n\r", head_only({.framing = kChunked})},
  });
  // Head fields and trailers share the field storage.
  RequestConfig three;
  three.field_capacity = 3;
  Check({{"2 head fields + 1 trailer, room for 3", kChunkedHead + "0\r\nA: 1\r\n\r\n",
          ok({.trailers = Fields{{"A", "1"}}})},
         {"2 head fields + 2 trailers, room for 3", kChunkedHead + "0\r\nA: 1\r\nB: 2\r\n\r\n",
          fails(Error::kTooManyFields, 431)}},
        three);
  // Trailers have the header section's size limit: the head's section here is
  // 39 octets; "X: <v>\r\n\r\n" is 7 + |v|.
  Check({{"64-octet trailer section, limit 64", kChunkedHead + "0\r\nX: " + std::string(57, 'v') + "\r\n\r\n", ok({})},
         {"65-octet trailer section", kChunkedHead + "0\r\nX: " + std::string(58, 'v') + "\r\n\r\n",
          fails(Error::kTrailerSectionTooLarge, 431)}},
        WithLimits([](ParserLimits& l) { l.max_field_section = 64; }));
  Check({{"4 extension bytes, limit 4", kChunkedHead + "5;a=b\r\nhello\r\n0\r\n\r\n", ok({.body = "hello"})},
         {"5 extension bytes", kChunkedHead + "5;a=bc\r\nhello\r\n0\r\n\r\n",
          fails(Error::kChunkExtensionsTooLarge, 400)}},
        WithLimits([](ParserLimits& l) { l.max_chunk_extensions = 4; }));
  Check({{"2 hex digits, cap 2", kChunkedHead + "05\r\nhello\r\n0\r\n\r\n", ok({.body = "hello"})},
         {"3 hex digits, cap 2", kChunkedHead + "005\r\nhello\r\n0\r\n\r\n", fails(Error::kInvalidChunkSize, 400)}},
        WithLimits([](ParserLimits& l) { l.max_chunk_size_digits = 2; }));
}

// ===========================================================================
// RFC 9112 §9.3: persistence. keep_alive: "close" wins; else HTTP/1.1
// persists; else HTTP/1.0 needs "keep-alive". Options are case-insensitive
// tokens in a list.

TEST(Rfc9112_9_3, KeepAlive) {
  Check({
      {"R-9.3-1 HTTP/1.1 persists", Req("X: y"), ok({.keep_alive = true})},
      {"R-9.3-1 HTTP/1.0 with keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
       ok({.keep_alive = true})},
      {"HTTP/1.0 with Keep-Alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", ok({.keep_alive = true})},
      {"HTTP/1.0 with keep-alive and close", "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
       ok({.keep_alive = false})},
      {"HTTP/1.0 with keep-alive-ish", "GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n",
       ok({.keep_alive = false})},
      {"HTTP/1.0 keep-alive on a second Connection line",
       "GET / HTTP/1.0\r\nConnection: x\r\nConnection: keep-alive\r\n\r\n", ok({.keep_alive = true})},
      {"R-9.3-1 keep-alive, close", Req("Connection: keep-alive, close"), ok({.keep_alive = false})},
      {"R-9.3-2 CLOSE", Req("Connection: CLOSE"), ok({.keep_alive = false})},
      {"R-9.3-2 upgrade, Close", Req("Connection: upgrade, Close"), ok({.keep_alive = false})},
      {"R-9.3-2 closed is another token", Req("Connection: closed"), ok({.keep_alive = true})},
      {"R-9.3-2 close with trailing HTAB", Req("Connection: close\t"), ok({.keep_alive = false})},
      {"R-5.6.1-1 , close ,", Req("Connection: , close ,"), ok({.keep_alive = false})},
      {"close on a second Connection line", Req("Connection: upgrade\r\nConnection: close"), ok({.keep_alive = false})},
      {"R-9.6-6 a Close field means nothing", Req("Close: 1"), ok({.keep_alive = true})},
      {"R-7.8-1 Upgrade in HTTP/1.0", "GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
       ok({.keep_alive = false})},
      {"R-7.8-4 Upgrade without the option", Req("Upgrade: websocket"), ok({.keep_alive = true})},
  });
}

// RFC 9110 §10.1.1: Expect: 100-continue (case-insensitive), HTTP/1.1 only;
// head_complete() before the body has arrived.
TEST(Rfc9110_10_1_1, Expect) {
  Check({
      {"R-10.1.1-1 100-continue, body not sent yet",
       "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
       head_only({.method = "PUT", .framing = kLength, .length = 5, .expect = Expectation::kContinue})},
      {"R-10.1.1-1 then the body",
       "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
       ok({.expect = Expectation::kContinue, .body = "hello"})},
      {"R-10.1.1-3 100-continue with no content", Post("Content-Length: 0\r\nExpect: 100-continue"),
       ok({.expect = Expectation::kContinue})},
      {"R-10.1.1-6 case-insensitive", Post("Content-Length: 0\r\nExpect: 100-Continue"),
       ok({.expect = Expectation::kContinue})},
      {"R-10.1.1-6 another expectation", Post("Content-Length: 0\r\nExpect: 200-ok"),
       ok({.expect = Expectation::kOther})},
      {"R-10.1.1-2 ignored in HTTP/1.0", "PUT /x HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello",
       ok({.expect = Expectation::kNone, .body = "hello"})},
      {"no Expect", Req("X: y"), ok({.expect = Expectation::kNone})},
      {"R-7.8-2 Upgrade and 100-continue",
       "POST / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\nContent-Length: 1\r\nExpect: "
       "100-continue\r\n\r\n",
       head_only({.framing = kLength, .length = 1, .expect = Expectation::kContinue})},
      {"chunked with 100-continue", kChunkedHead.substr(0, kChunkedHead.size() - 2) + "Expect: 100-continue\r\n\r\n",
       head_only({.framing = kChunked, .expect = Expectation::kContinue})},
  });
}

// ===========================================================================
// RFC 9112 §9.3.2 and §6.3: pipelining; each request starts at the previous
// one's consumed().

TEST(Rfc9112_9_3_2, Pipelining) {
  const std::string get1 = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n";  // 28 octets
  Check({
      {"R-9.3.2-1 three requests in one write",
       get1 + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline(
           {{.target = "/1", .consumed = 28}, {.target = "/2", .consumed = 28}, {.target = "/3", .consumed = 28}})},
      {"R-6.3-1 no framing fields: the next bytes are the next request",
       "POST / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.method = "POST", .body = "", .consumed = 28}, {.method = "GET"}})},
      {"R-6.2-7 after a Content-Length body",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.body = "hello", .consumed = 52}, {.method = "GET", .consumed = 27}})},
      {"R-2.2-7 stray CRLF after a body is a leading empty line",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.body = "abc", .consumed = 50}, {.target = "/2", .consumed = 30}})},
      {"R-7.1-7 after a chunked body", kChunkedHead + "0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.framing = kChunked, .consumed = kChunkedHead.size() + 5}, {.method = "GET", .consumed = 27}})},
      {"R-7.1-7 NUL after a chunked body", kChunkedHead + "0\r\n\r\n\x00"s,
       fails_after({{.framing = kChunked}}, Error::kInvalidRequestLine, 400)},
      {"R-7.1-8 a size-0 chunk ends the body", kChunkedHead + "0\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       fails_after({{.framing = kChunked, .body = ""}}, Error::kInvalidRequestLine, 400)},
      {"R-7.1.2-3 the trailer section ends only at an empty line", kChunkedHead + "0\r\nX:POST / HTTP/1.1\r\n\r\n",
       ok({.trailers = Fields{{"X", "POST / HTTP/1.1"}}})},
      {"R-9.3.2-3 garbage after a valid request", get1 + "Invalid\r\n\r\n",
       fails_after({{.target = "/1"}}, Error::kInvalidRequestLine, 400)},
      {"R-9.3.2-3 garbage after Connection: close is still just bytes to the parser",
       "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nInvalid\r\n\r\n",
       fails_after({{.keep_alive = false}}, Error::kInvalidRequestLine, 400)},
      {"R-9.6-1 a request after Connection: close (the server stops; the parser can go on)",
       "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.keep_alive = false}, {.target = "/2", .keep_alive = true}})},
      {"R-9.6-3 an error in the first request", "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       fails(Error::kMissingHost, 400)},
      {"R-9.3-3 an unread body is never a request",
       "POST /nope HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.target = "/nope", .body = "hello"}, {.target = "/"}})},
      {"R-9.3.1-1 GET with a body, then a request",
       "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.body = "hello"}, {.body = ""}})},
      {"R-9.3.2-4 HEAD then GET", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.method = "HEAD"}, {.method = "GET"}})},
      {"a second request still arriving", get1 + "GET /2 HTTP/1.1\r\nHo", incomplete({{.target = "/1"}})},
      {"a second request's body still arriving", get1 + Post("Content-Length: 5", "he"),
       head_only({.length = 5}, {{.target = "/1"}})},
  });
}

// Per-request state must not leak into the next pipelined request.
TEST(Rfc9112_9_3_2, PipelinedRequestsShareNoState) {
  const std::string get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  Check({
      {"chunked with trailers, then a bare GET", kChunkedHead + "1\r\nx\r\n0\r\nT: 1\r\n\r\n" + get,
       pipeline({{.framing = kChunked, .body = "x", .trailers = Fields{{"T", "1"}}},
                 {.headers = Fields{{"Host", "a"}}, .framing = kNoBody, .body = "", .trailers = Fields{}}})},
      {"chunked, then Content-Length (not TE + CL)", kChunkedHead + "0\r\n\r\n" + Post("Content-Length: 1", "z"),
       pipeline({{.framing = kChunked}, {.framing = kLength, .length = 1, .body = "z"}})},
      {"Content-Length twice in a row (not a duplicate)",
       Post("Content-Length: 1", "a") + Post("Content-Length: 2", "bc"),
       pipeline({{.body = "a"}, {.length = 2, .body = "bc"}})},
      {"100-continue, then none", Post("Content-Length: 0\r\nExpect: 100-continue") + get,
       pipeline({{.expect = Expectation::kContinue}, {.expect = Expectation::kNone}})},
      {"HTTP/1.0 keep-alive, then plain HTTP/1.0",
       "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n",
       pipeline({{.keep_alive = true}, {.keep_alive = false}})},
      {"close, then nothing", Req("Connection: close") + get, pipeline({{.keep_alive = false}, {.keep_alive = true}})},
      {"8 leading empty lines before each", Repeat("\r\n", 8) + get + Repeat("\r\n", 8) + get,
       pipeline({{.consumed = 43}, {.consumed = 43}})},
      {"absolute-form, then origin-form", "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n" + get,
       pipeline({{.form = kAbsolute}, {.form = kOrigin}})},
      {"HTTP/1.0, then HTTP/1.1 without Host", "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
       fails_after({{.minor = 0}}, Error::kMissingHost, 400)},
  });
}

// ===========================================================================
// Section 2 of the requirements file: known smuggling and discrepancy classes
// that a request parser decides.

TEST(SmugglingClasses, Rejected) {
  Check({
      {"1 CL.TE", Post("Content-Length: 6\r\nTransfer-Encoding: chunked", "0\r\n\r\nX"),
       fails(Error::kContentLengthWithTransferEncoding, 400)},
      {"2 leading comma with CL", Post("Transfer-Encoding: ,chunked\r\nContent-Length: 5", "0\r\n\r\n"),
       fails(Error::kContentLengthWithTransferEncoding, 400)},
      {"3 duplicate TE lines", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", "0\r\n\r\n"),
       fails(Error::kChunkedTwice, 400)},
      {"5 folded TE", Post("Transfer-Encoding:\r\n chunked", "0\r\n\r\n"), fails(Error::kObsFold, 400)},
      {"7 chunked not final", Post("Transfer-Encoding: chunked, gzip"), fails(Error::kChunkedNotFinal, 400)},
      {"8 +1_0", Post("Content-Length: +1_0"), fails(Error::kInvalidContentLength, 400)},
      {"8 1Z", Post("Content-Length: 1Z"), fails(Error::kInvalidContentLength, 400)},
      {"8 0x10", Post("Content-Length: 0x10"), fails(Error::kInvalidContentLength, 400)},
      {"8 4 2", Post("Content-Length: 4 2"), fails(Error::kInvalidContentLength, 400)},
      {"9 empty CL", Post("Content-Length: "), fails(Error::kInvalidContentLength, 400)},
      {"9 empty CL before a real one", Post("Content-Length: \r\nContent-Length: 5", "hello"),
       fails(Error::kInvalidContentLength, 400)},
      {"13 chunk-size overflow", kChunkedHead + "10000000000000005\r\nhello\r\n0\r\n\r\n",
       fails(Error::kInvalidChunkSize, 400)},
      {"14 CR CR in a chunk line", kChunkedHead + "5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n",
       fails(Error::kInvalidChunkSize, 400)},
      {"16 chunk data spills", kChunkedHead + "5\r\nhelloXY\r\n", fails(Error::kInvalidChunkData, 400)},
      {"19 Content-Length SP colon", Post("Content-Length : 34"), fails(Error::kWhitespaceBeforeColon, 400)},
      {"19 Transfer-Encoding SP colon", Post("Transfer-Encoding : chunked", "0\r\n\r\n"),
       fails(Error::kWhitespaceBeforeColon, 400)},
      {"20 whitespace-led first field", "GET / HTTP/1.1\r\n\tContent-Length: 1\r\n\r\nX",
       fails(Error::kWhitespaceBeforeFirstField, 400)},
      {"21 bare CR as a line end", Req("Visible: :/\rSmuggled: :)"), fails(Error::kBareCR, 400)},
      {"21 header block ended by CR LF CR X", "GET / HTTP/1.1\r\nHost: a\r\n\rX", fails(Error::kBareCR, 400)},
      {"22 NUL then CR in a value", Req("Header: v\x00\ralue"s), fails(Error::kInvalidFieldValue, 400)},
      {"22 NUL in Host", "GET / HTTP/1.1\r\nHost: google.com\x00.kallus.org\r\n\r\n"s,
       fails(Error::kInvalidFieldValue, 400)},
      {"23 LF-only lines", "GET / HTTP/1.1\nHost: whatever\n\n", fails(Error::kBareLF, 400)},
      {"23 LF before Transfer-Encoding", Post("x:x\nTransfer-Encoding: chunked", "0\r\n\r\n"),
       fails(Error::kBareLF, 400)},
      {"24 obs-text in a name", Req("Header\x85: value"), fails(Error::kInvalidFieldName, 400)},
      {"26 empty name", Req(": ignored"), fails(Error::kInvalidFieldName, 400)},
      {"26 bare colon", Req(":"), fails(Error::kInvalidFieldName, 400)},
      {"33 nothing: data after close is the server's business",
       "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", ok({.keep_alive = false})},
      {"35 extension amplification", kChunkedHead + Repeat("1;aaaaaaaa\r\nx\r\n", 1000) + "0\r\n\r\n",
       fails(Error::kChunkExtensionsTooLarge, 400)},
  });
}

TEST(SmugglingClasses, AcceptedAndFramedOnce) {
  Check({
      {"2 leading comma alone is chunked", Post("Transfer-Encoding: ,chunked", "1\r\nZ\r\n0\r\n\r\n"),
       ok({.framing = kChunked, .body = "Z"})},
      {"8 010 is ten", Post("Content-Length: 010", "0123456789"), ok({.length = 10, .body = "0123456789"})},
      {"17 trailer that looks like a request-line", kChunkedHead + "0\r\nX:POST / HTTP/1.1\r\n\r\n",
       ok({.trailers = Fields{{"X", "POST / HTTP/1.1"}}})},
      {"28 Transfer_Encoding is not aliased", Post("Transfer_Encoding: chunked"), ok({.framing = kNoBody})},
      {"28 Content_Length is not aliased: the body bytes are the next request", Post("Content_Length: 5", "hello"),
       incomplete({{.framing = kNoBody, .body = ""}})},
      {"29 GET with a body is framed", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n1234567890",
       ok({.framing = kLength, .body = "1234567890"})},
      {"30 CL 0 then bytes: the next request", Post("Content-Length: 0", "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
       pipeline({{.length = 0, .body = ""}, {.method = "GET"}})},
      {"31 TE.0: OPTIONS with a chunked body",
       "OPTIONS / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
       ok({.method = "OPTIONS", .framing = kChunked, .body = "hello"})},
      {"32 pipelined requests in the first read",
       "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
       pipeline({{.target = "/1"}, {.target = "/2"}})},
      {"34 absolute-form with a different Host", "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n",
       ok({.target = "http://a/", .form = kAbsolute})},
  });
}

// ===========================================================================
// Leniency options, each on and off (RFC 9112 §2.2 MAY, §5.2).

struct LenientRow {
  std::string label;
  std::string bytes;
  Want strict;
  Want lenient;
};

void RunLenient(const std::vector<LenientRow>& rows, bool bare_lf, bool obs_fold) {
  std::vector<Row> strict_rows, lenient_rows;
  for (const LenientRow& r : rows) {
    strict_rows.push_back({r.label + " [strict]", r.bytes, r.strict});
    lenient_rows.push_back({r.label + " [lenient]", r.bytes, r.lenient});
  }
  Check(strict_rows);
  Check(lenient_rows, Lenient(bare_lf, obs_fold));
}

TEST(Leniency, BareLF) {
  RunLenient(
      {
          {"LF-only request", "GET / HTTP/1.1\nHost: a\n\n", fails(Error::kBareLF, 400),
           ok({.headers = Fields{{"Host", "a"}}, .host = "a", .consumed = 24})},
          {"one LF-only field line", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", fails(Error::kBareLF, 400),
           ok({.headers = Fields{{"Host", "a"}, {"X", "y"}}})},
          {"LF-only empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n", fails(Error::kBareLF, 400), ok({.host = "a"})},
          {"LF-only request-line", "GET / HTTP/1.1\nHost: a\r\n\r\n", fails(Error::kBareLF, 400), ok({.target = "/"})},
          {"(#19) LF-only empty line, then a Host-less request",
           "GET / HTTP/1.1\r\nHost: a\r\nUseless:\n\nGET / HTTP/1.1\r\n\r\n", fails(Error::kBareLF, 400),
           fails_after({{.headers = Fields{{"Host", "a"}, {"Useless", ""}}}}, Error::kMissingHost, 400)},
          {"LF-only lines, then a body", "POST / HTTP/1.1\nHost: a\nContent-Length: 2\n\nhi",
           fails(Error::kBareLF, 400), ok({.length = 2, .body = "hi"})},
          {"HTTP/0.9 behind a bare LF is still no version", "GET /\nHTTP/1.1\r\n\r\n", fails(Error::kBareLF, 400),
           fails(Error::kInvalidVersion, 400)},
          {"a bare CR is never a line end", "GET / HTTP/1.1\r\nHost: a\rX: y\n\n", fails(Error::kBareCR, 400),
           fails(Error::kBareCR, 400)},
          {"obs-fold is not allowed by bare_lf", "GET / HTTP/1.1\nHost: a\nX: a\n b\n\n", fails(Error::kBareLF, 400),
           fails(Error::kObsFold, 400)},
          {"never in chunked framing: size line", kChunkedHead + "5\nhello\r\n0\r\n\r\n",
           fails(Error::kInvalidChunkSize, 400), fails(Error::kInvalidChunkSize, 400)},
          {"never in chunked framing: after data", kChunkedHead + "5\r\nhello\n0\r\n\r\n",
           fails(Error::kInvalidChunkData, 400), fails(Error::kInvalidChunkData, 400)},
          {"never in chunked framing: last line", kChunkedHead + "0\r\n\n", fails(Error::kBareLF, 400),
           fails(Error::kBareLF, 400)},
          {"never in chunked framing: trailer line", kChunkedHead + "0\r\nX: y\n\r\n", fails(Error::kBareLF, 400),
           fails(Error::kBareLF, 400)},
          {"LF-only head, chunked body with CRLF",
           "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\r\nhi\r\n0\r\n\r\n", fails(Error::kBareLF, 400),
           ok({.framing = kChunked, .body = "hi"})},
      },
      /*bare_lf=*/true, /*obs_fold=*/false);
}

TEST(Leniency, ObsFold) {
  RunLenient(
      {
          // Unfolded in place: the CR LF become two SP (RFC 9112 §5.2: "replace
          // each received obs-fold with one or more SP octets").
          {"SP fold", Req("X: a\r\n b"), fails(Error::kObsFold, 400),
           ok({.headers = Fields{{"Host", "a"}, {"X", "a   b"}}})},
          {"HTAB fold after an empty value", Req("X:\r\n\tb"), fails(Error::kObsFold, 400),
           ok({.headers = Fields{{"Host", "a"}, {"X", "b"}}})},
          {"two folds", Req("X: a\r\n b\r\n\tc"), fails(Error::kObsFold, 400),
           ok({.headers = Fields{{"Host", "a"}, {"X", "a   b  \tc"}}})},
          {"fold, then another field", Req("X: a\r\n b\r\nY: c"), fails(Error::kObsFold, 400),
           ok({.headers = Fields{{"Host", "a"}, {"X", "a   b"}, {"Y", "c"}}})},
          {"a folded framing field is still interpreted", Post("Transfer-Encoding:\r\n chunked", "0\r\n\r\n"),
           fails(Error::kObsFold, 400), ok({.framing = kChunked})},
          {"(CVE-2022-32215) folded TE with CL is TE + CL",
           Post("Transfer-Encoding:\r\n chunked\r\nContent-Length: 5", "0\r\n\r\n"), fails(Error::kObsFold, 400),
           fails(Error::kContentLengthWithTransferEncoding, 400)},
          {"whitespace before the first field is no fold", "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
           fails(Error::kWhitespaceBeforeFirstField, 400), fails(Error::kWhitespaceBeforeFirstField, 400)},
          {"never in trailers", kChunkedHead + "0\r\nX: a\r\n b\r\n\r\n", fails(Error::kObsFold, 400),
           fails(Error::kObsFold, 400)},
          // The NUL is in X's value, folded or not (kObsFold would do too when strict).
          {"a fold line with a NUL", Req("X: a\r\n b\x00"s), fails(Error::kInvalidFieldValue, 400),
           fails(Error::kInvalidFieldValue, 400)},
          {"bare LF is not allowed by obs_fold", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", fails(Error::kBareLF, 400),
           fails(Error::kBareLF, 400)},
      },
      /*bare_lf=*/false, /*obs_fold=*/true);
}

TEST(Leniency, BothOn) {
  Check({{"LF-only lines with a fold", "GET / HTTP/1.1\nHost: a\nX: a\n b\n\n",
          ok({.headers = Fields{{"Host", "a"}, {"X", "a  b"}}})}},
        Lenient(true, true));
}

TEST(Leniency, OffByDefault) {
  const Leniency defaults;
  EXPECT_FALSE(defaults.bare_lf);
  EXPECT_FALSE(defaults.obs_fold);
}

// ===========================================================================
// The defaults of every limit (each limit's N / N+1 is in its section above).

TEST(Limits, Defaults) {
  const ParserLimits l;
  EXPECT_EQ(l.max_request_line, 8192u);
  EXPECT_EQ(l.max_method, 32u);
  EXPECT_EQ(l.max_field_section, 32u * 1024);
  EXPECT_EQ(l.max_body, 8u * 1024 * 1024);
  EXPECT_EQ(l.max_leading_empty_lines, 8u);
  EXPECT_EQ(l.max_chunk_extensions, 4096u);
  EXPECT_EQ(l.max_chunk_size_digits, 16u);
}

// ===========================================================================
// The API contract of request_parser.h.

TEST(RequestParserContract, ViewsPointIntoTheBuffer) {
  testing::GuardedBuffer buffer(kChunkedHead + "5\r\nhello\r\n0\r\nT: 1\r\n\r\n");
  std::vector<Header> storage(8);
  RequestParser parser(storage);
  ASSERT_EQ(parser.parse(buffer.span()), ParseStatus::kComplete);
  const char* begin = buffer.data();
  const char* end = begin + buffer.size();
  auto inside = [&](std::string_view v) { return v.data() >= begin && v.data() + v.size() <= end; };
  EXPECT_TRUE(inside(parser.head().method));
  EXPECT_TRUE(inside(parser.head().target));
  EXPECT_TRUE(inside(parser.head().host));
  EXPECT_TRUE(inside(parser.body()));
  EXPECT_EQ(parser.body(), "hello");
  ASSERT_EQ(parser.trailers().size(), 1u);
  EXPECT_TRUE(inside(parser.trailers()[0].value));
  // Fields are stored in the caller's array: head fields, then trailers.
  EXPECT_EQ(parser.head().headers.data(), storage.data());
  EXPECT_EQ(parser.trailers().data(), storage.data() + 2);
  EXPECT_EQ(parser.head_size(), kChunkedHead.size());
  EXPECT_EQ(parser.consumed(), buffer.size());
  EXPECT_TRUE(parser.head_complete());
}

TEST(RequestParserContract, HeadCompleteBeforeTheBody) {
  const std::string bytes = "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello";
  testing::GuardedBuffer buffer(bytes);
  std::vector<Header> storage(8);
  RequestParser parser(storage);
  const std::size_t head = bytes.size() - 5;
  for (std::size_t n = 1; n < head; ++n) {
    ASSERT_EQ(parser.parse(buffer.span().first(n)), ParseStatus::kIncomplete) << n;
    ASSERT_FALSE(parser.head_complete()) << "after " << n << " bytes";
  }
  for (std::size_t n = head; n < bytes.size(); ++n) {
    ASSERT_EQ(parser.parse(buffer.span().first(n)), ParseStatus::kIncomplete) << n;
    ASSERT_TRUE(parser.head_complete()) << "after " << n << " bytes";
    EXPECT_TRUE(parser.head().expects_continue());
    EXPECT_EQ(parser.head().content_length, 5u);
  }
  ASSERT_EQ(parser.parse(buffer.span()), ParseStatus::kComplete);
  EXPECT_EQ(parser.head_size(), head);
  EXPECT_EQ(parser.body(), "hello");
}

// Host values of every length up to past 16 bytes (a SIMD block), at the very
// end of the input (a guard page after it), with one byte at each place that
// a reg-name may or may not hold: judged as the grammar says (RFC 3986
// §3.2.2), whichever path (the plain check or the full one) judges them.
TEST(RequestParserContract, HostJudgedAtEveryLengthAtTheInputsEnd) {
  struct Byte {
    char c;
    bool valid;
  };
  const Byte bytes[] = {{'a', true},  {'-', true},  {'~', true},  {'!', true},     {'=', true},
                        {'@', false}, {'/', false}, {'?', false}, {'[', false},    {'"', false},
                        {'{', false}, {' ', false}, {'#', false}, {'\x80', false}, {'\xff', false}};
  std::vector<Header> storage(4);
  RequestParser parser(storage);
  for (std::size_t size = 1; size <= 20; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      for (const Byte& b : bytes) {
        std::string host(size, 'h');
        host[at] = b.c;
        // The value's OWS is not part of it: a space at either end is trimmed.
        const bool valid = b.valid || (b.c == ' ' && (at == 0 || at == size - 1) && size > 1);
        const std::string head = "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
        testing::GuardedBuffer buffer(head);
        parser.reset();
        const ParseStatus status = parser.parse(buffer.span());
        ASSERT_EQ(status, valid ? ParseStatus::kComplete : ParseStatus::kError)
            << "Host of " << size << " bytes, byte " << static_cast<int>(static_cast<unsigned char>(b.c)) << " at "
            << at;
        if (!valid) {
          ASSERT_EQ(parser.error(), Error::kInvalidHost);
        }
      }
    }
  }
}

TEST(RequestParserContract, EmptyInputIsIncomplete) {
  std::vector<Header> storage(1);
  RequestParser parser(storage);
  EXPECT_EQ(parser.parse({}), ParseStatus::kIncomplete);
  EXPECT_FALSE(parser.head_complete());
  EXPECT_EQ(parser.error(), Error::kNone);
}

// After an error, what is known of the request it struck: the method once
// the request-line was accepted (the error's answer to HEAD has no content),
// the whole head once the head was. Fed whole and a byte at a time.
TEST(RequestParserContract, AnErrorKeepsWhatWasAcceptedBeforeIt) {
  const struct {
    std::string input;
    Error error;
    bool line;
    bool head;
  } cases[] = {
      {"HEAD /a b HTTP/1.1\r\n\r\n", Error::kInvalidRequestLine, false, false},
      {"HEAD / HTTP/1.1\r\nBad Name: x\r\n\r\n", Error::kInvalidFieldName, true, false},
      {"HEAD / HTTP/1.1\r\n\r\n", Error::kMissingHost, true, false},
      {"HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", Error::kInvalidChunkSize, true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(escape(c.input));
    for (const bool bytewise : {false, true}) {
      std::vector<Header> storage(4);
      RequestParser parser(storage);
      testing::GuardedBuffer buffer(c.input);
      ParseStatus status = ParseStatus::kIncomplete;
      for (std::size_t n = bytewise ? 1 : c.input.size(); n <= c.input.size(); ++n) {
        status = parser.parse(buffer.span().first(n));
        if (status != ParseStatus::kIncomplete) break;
      }
      ASSERT_EQ(status, ParseStatus::kError);
      EXPECT_EQ(parser.error(), c.error);
      EXPECT_EQ(parser.request_line_complete(), c.line);
      EXPECT_EQ(parser.head_complete(), c.head);
      if (c.line) {
        EXPECT_EQ(parser.head().method, "HEAD");
      }
      parser.reset();
      EXPECT_FALSE(parser.request_line_complete());
      EXPECT_FALSE(parser.head_complete());
    }
  }
}

TEST(RequestParserContract, ResetAfterAnErrorParsesTheNextRequest) {
  std::vector<Header> storage(4);
  RequestParser parser(storage);
  testing::GuardedBuffer bad(std::string("GET / HTTP/1.1\r\n\r\n"));
  ASSERT_EQ(parser.parse(bad.span()), ParseStatus::kError);
  EXPECT_EQ(parser.error(), Error::kMissingHost);
  parser.reset();
  EXPECT_EQ(parser.error(), Error::kNone);
  EXPECT_FALSE(parser.head_complete());
  testing::GuardedBuffer good(std::string("GET /ok HTTP/1.0\r\n\r\n"));
  ASSERT_EQ(parser.parse(good.span()), ParseStatus::kComplete);
  EXPECT_EQ(parser.head().target, "/ok");
  EXPECT_TRUE(parser.trailers().empty());
}

// ===========================================================================
// The one-pass fast paths (request-line, field lines, the end of the head)
// hand anything unusual to the general path. Every byte value at positions
// on both sides of the 16-byte SIMD blocks, in each part of a request: the
// outcome follows the grammar, and one read (fast paths) agrees with every
// split, byte by byte included (general path), error code and all.

struct BytePlacement {
  std::string label;
  std::string before;  // the request up to the byte
  std::string after;   // the rest of the request
  bool (*allowed)(unsigned char b);
};

void CheckEveryByte(const BytePlacement& place, std::initializer_list<std::size_t> fill_lengths) {
  testing::SplitOptions splits;
  splits.every_offset_up_to = 0;  // the first and last few offsets, and a sample
  splits.edge = 1;
  splits.samples = 1;
  for (std::size_t fill : fill_lengths) {
    for (int b = 0; b < 256; ++b) {
      const std::string bytes = place.before + std::string(fill, 'q') + static_cast<char>(b) + place.after;
      SCOPED_TRACE(place.label + ", byte " + std::to_string(b) + " after " + std::to_string(fill) + ": \"" +
                   Shown(bytes) + "\"");
      const RequestOutcome got = ParseAllWays(bytes, {}, splits);
      EXPECT_EQ(got.status, place.allowed(static_cast<unsigned char>(b)) ? ParseStatus::kComplete : ParseStatus::kError)
          << got;
    }
  }
}

bool Tchar(unsigned char b) { return chars::is_tchar(static_cast<char>(b)); }
bool PathChar(unsigned char b) { return chars::is(static_cast<char>(b), chars::kPathChar); }
bool RegName(unsigned char b) { return chars::is(static_cast<char>(b), chars::kRegName); }
// RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP and HTAB inside.
bool ValueByte(unsigned char b) { return b == '\t' || (b >= 0x20 && b != 0x7f); }

TEST(FastPath, EveryByteInTheMethod) { CheckEveryByte({"method", "G", " / HTTP/1.1\r\nHost: a\r\n\r\n", Tchar}, {2}); }

TEST(FastPath, EveryByteInTheTarget) {
  // "%" is followed by "zz", so it is never a valid escape here. The byte is
  // at offsets 15 and 16 (either side of the first 16-byte block) and 41.
  CheckEveryByte({"target", "GET /", "zz HTTP/1.1\r\nHost: a\r\n\r\n", PathChar}, {14, 15, 40});
}

TEST(FastPath, EveryByteInAFieldName) {
  // A ":" ends the name early; the rest is then the value. Offsets 14, 15
  // (the last of the first block) and 21 of the line.
  auto allowed = [](unsigned char b) { return Tchar(b) || b == ':'; };
  CheckEveryByte({"field name", "GET / HTTP/1.1\r\nHost: a\r\nX", "y: v\r\n\r\n", allowed}, {13, 14, 20});
}

TEST(FastPath, EveryByteInAFieldValue) {
  // Offsets 15, 16 and 73 (past the four inline blocks) of the line.
  CheckEveryByte({"field value", "GET / HTTP/1.1\r\nHost: a\r\nX: ", "v\r\n\r\n", ValueByte}, {12, 13, 70});
}

TEST(FastPath, EveryByteInTheHost) {
  // ":" starts a port ("zz" is not one); "%" is not followed by two HEXDIG.
  CheckEveryByte({"host", "GET / HTTP/1.1\r\nHost: h", "zz\r\n\r\n", RegName}, {0, 5});
}

TEST(FastPath, EveryByteAsTheVersionsLastDigit) {
  for (int b = 0; b < 256; ++b) {
    const std::string bytes = "GET / HTTP/1."s + static_cast<char>(b) + "\r\nHost: a\r\n\r\n";
    SCOPED_TRACE("byte " + std::to_string(b));
    testing::SplitOptions splits;
    splits.every_offset_up_to = 0;
    splits.edge = 1;
    splits.samples = 1;
    const RequestOutcome got = ParseAllWays(bytes, {}, splits);
    const bool digit = b >= '0' && b <= '9';
    ASSERT_EQ(got.status, digit ? ParseStatus::kComplete : ParseStatus::kError) << got;
    if (digit) {
      EXPECT_EQ(got.requests[0].version_minor, b == '0' ? 0 : 1);
    }
  }
}

TEST(FastPath, CommonShapesAndTheirNeighbours) {
  Check({
      {"long path, escapes across a 16-byte block",
       "GET /aaaaaaaaaaaaa%41%42aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%2f "
       "HTTP/1.1\r\n"
       "Host: a\r\n\r\n",
       ok({.target = "/aaaaaaaaaaaaa%41%"
                     "42aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa%2f"})},
      {"name longer than a block", Req("X-Very-Long-Field-Name-Beyond-Sixteen: v"),
       ok({.headers = Fields{{"Host", "a"}, {"X-Very-Long-Field-Name-Beyond-Sixteen", "v"}}})},
      {"name with tchar outside letters, digits and dash", Req("X_a!#$%&'*+.^`|~: v"),
       ok({.headers = Fields{{"Host", "a"}, {"X_a!#$%&'*+.^`|~", "v"}}})},
      {"OWS around the value, HTAB inside", Req("X: \t a\tb \t "),
       ok({.headers = Fields{{"Host", "a"}, {"X", "a\tb"}}})},
      {"empty value", Req("X:"), ok({.headers = Fields{{"Host", "a"}, {"X", ""}}})},
      {"only OWS", Req("X: \t "), ok({.headers = Fields{{"Host", "a"}, {"X", ""}}})},
      {"Host in any case", "GET / HTTP/1.1\r\nhOsT: example.com:80\r\n\r\n", ok({.host = "example.com:80"})},
      {"Host with an escape", "GET / HTTP/1.1\r\nHost: %41b\r\n\r\n", ok({.host = "%41b"})},
      {"names of the same length as framing names are not them",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Lengtx: 5\r\nTransfer-Encodinx: chunked\r\nHosx: b\r\n\r\n",
       ok({.framing = kNoBody})},
      {"CHUNKED in capitals", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
       ok({.framing = kChunked, .body = ""})},
      {"chunked on two lines",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
       fails(Error::kChunkedTwice, 400)},
      {"chunked, then gzip",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
       fails(Error::kChunkedNotFinal, 400)},
      {"the first framing error in field order wins",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\nHost: b\r\n\r\n", fails(Error::kInvalidContentLength, 400)},
      {"a later line's syntax error wins over an earlier framing error",
       "POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\nBad : c\r\n\r\n", fails(Error::kWhitespaceBeforeColon, 400)},
      {"CONNECT with an origin-form target", "CONNECT /a HTTP/1.1\r\nHost: a\r\n\r\n",
       fails(Error::kInvalidTarget, 400)},
      {"HTTP/2.0 in the fast path's shape", "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
       fails(Error::kUnsupportedVersion, 505)},
      {"HTTP/1.1 in lowercase", "GET / http/1.1\r\nHost: a\r\n\r\n", fails(Error::kInvalidVersion, 400)},
      {"version too long", "GET / HTTP/1.11\r\nHost: a\r\n\r\n", fails(Error::kInvalidVersion, 400)},
  });
}

TEST(FastPath, LimitsHoldOnTheFastPath) {
  // Exactly at and one past each limit, with lines the fast path would take.
  const std::string line = "GET /" + std::string(100, 'p') + " HTTP/1.1";  // 114 octets
  Check({{"request-line at the limit", line + "\r\nHost: a\r\n\r\n", ok()}},
        WithLimits([](ParserLimits& l) { l.max_request_line = 114; }));
  Check({{"request-line past the limit", line + "\r\nHost: a\r\n\r\n", fails(Error::kRequestLineTooLong, 414)}},
        WithLimits([](ParserLimits& l) { l.max_request_line = 113; }));
  // "Host: a\r\n" (9) + "X: 1234567\r\n" (12) + "\r\n" (2) = 23 octets of field section.
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX: 1234567\r\n\r\n";
  Check({{"field section at the limit", head, ok()}}, WithLimits([](ParserLimits& l) { l.max_field_section = 23; }));
  Check({{"empty line past the limit", head, fails(Error::kFieldSectionTooLarge, 431)}},
        WithLimits([](ParserLimits& l) { l.max_field_section = 22; }));
  Check({{"field line past the limit", head, fails(Error::kFieldSectionTooLarge, 431)}},
        WithLimits([](ParserLimits& l) { l.max_field_section = 20; }));
  RequestConfig two_fields;
  two_fields.field_capacity = 1;
  Check({{"field storage full", head, fails(Error::kTooManyFields, 431)}}, two_fields);
  Check({{"method at its limit", "ABCD / HTTP/1.1\r\nHost: a\r\n\r\n", ok({.method = "ABCD"})}},
        WithLimits([](ParserLimits& l) { l.max_method = 4; }));
  Check({{"method past its limit", "ABCDE / HTTP/1.1\r\nHost: a\r\n\r\n", fails(Error::kMethodTooLong, 501)}},
        WithLimits([](ParserLimits& l) { l.max_method = 4; }));
}

// ===========================================================================
// Bounded work (design invariant 4, docs/invariants.md): fed one byte per call, a head costs at
// most one byte of extra work per call over one read (a CR waiting for its
// LF is looked at again), counted by bytes_examined(), not by a clock. A
// parser that rescanned the line or the section on every call would do
// ~n^2/2: 5e11 byte visits for the 1 MiB line.

void ParseBytewiseLinear(const std::string& bytes, const RequestConfig& config) {
  std::vector<Header> once_storage(config.field_capacity);
  RequestParser once(once_storage, config.options);
  std::string copy = bytes;
  ASSERT_EQ(once.parse(std::span<char>(copy.data(), copy.size())), ParseStatus::kComplete) << once.error();
  // One read: a scan for line ends plus one validation pass per line.
  EXPECT_LE(once.bytes_examined(), 2 * bytes.size());

  testing::GuardedBuffer buffer(bytes.size());
  std::vector<Header> storage(config.field_capacity);
  RequestParser parser(storage, config.options);
  ParseStatus status = ParseStatus::kIncomplete;
  for (std::size_t n = 1; n <= bytes.size(); ++n) {
    buffer.data()[n - 1] = bytes[n - 1];
    status = parser.parse(buffer.span().first(n));
    ASSERT_NE(status, ParseStatus::kError) << parser.error() << " at byte " << n;
    ASSERT_LE(parser.bytes_examined(), once.bytes_examined() + n) << "at byte " << n;
  }
  EXPECT_EQ(status, ParseStatus::kComplete);
}

// The control: a caller that reparses the whole prefix on every byte (what
// a parser without resumption does inside) shows up as more than linear work.
TEST(BoundedWork, CounterSeesARescanningCaller) {
  const std::string bytes = NFields(100);
  RequestConfig config;
  config.field_capacity = 128;
  std::vector<Header> storage(config.field_capacity);
  std::size_t total = 0;
  for (std::size_t n = 1; n <= bytes.size(); ++n) {
    std::string prefix = bytes.substr(0, n);
    RequestParser parser(storage, config.options);
    parser.parse(std::span<char>(prefix.data(), prefix.size()));
    total += parser.bytes_examined();
  }
  EXPECT_GT(total, 100 * bytes.size());
}

TEST(BoundedWork, ThirtyKilobyteFieldSectionOfShortLines) {
  RequestConfig config;
  config.field_capacity = 4096;
  ParseBytewiseLinear(NFields(3000), config);  // 28894 octets
}

TEST(BoundedWork, SixtyFourKibibyteHeadOfShortLines) {
  RequestConfig config;
  config.field_capacity = 8192;
  config.options.limits.max_field_section = 1 << 20;
  ParseBytewiseLinear(NFields(6500), config);  // ~62 KiB
}

TEST(BoundedWork, OneMebibyteFieldValue) {
  RequestConfig config;
  config.options.limits.max_field_section = 2 << 20;
  ParseBytewiseLinear(Req("X: " + std::string(1 << 20, 'v')), config);
}

TEST(BoundedWork, LongRequestLineAndFoldedValue) {
  RequestConfig config;
  config.options.limits.max_request_line = 1 << 20;
  config.options.limits.max_field_section = 1 << 20;
  config.options.leniency.obs_fold = true;
  ParseBytewiseLinear(
      "GET /" + std::string((1 << 19), 'p') + " HTTP/1.1\r\nHost: a\r\nX: a" + Repeat("\r\n b", 20000) + "\r\n\r\n",
      config);
}

// ---------------------------------------------------------------------------
// rebase() and reclaim(): the connection moves a request it is parsing to the
// front of its buffer, and takes decoded chunk framing out of it.

struct Snapshot {
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::string method, target, host, body;
  std::vector<std::pair<std::string, std::string>> headers, trailers;
  std::size_t consumed = 0;
  std::size_t examined = 0;
};

bool operator==(const Snapshot& a, const Snapshot& b) {
  return a.status == b.status && a.error == b.error && a.method == b.method && a.target == b.target &&
         a.host == b.host && a.body == b.body && a.headers == b.headers && a.trailers == b.trailers &&
         a.consumed == b.consumed && a.examined == b.examined;
}

// Moving parses `bytes` fed up to each of `cuts` in turn (the last is the
// size), into a buffer where, between reads, the request is moved (rebase,
// alternately to offset 0 and to offset 7, overlapping itself) and its dead
// framing taken out (reclaim), as asked. Every byte the request no longer
// occupies is overwritten, so a view left behind reads garbage.
class Moving {
 public:
  Moving(const std::string& bytes, const ParserOptions& options)
      : bytes_(bytes), storage_(64), parser_(storage_, options) {
    buffer_.assign(bytes.size() + 64, '\xa5');
  }

  Snapshot run(const std::vector<std::size_t>& cuts, bool move, bool reclaim) {
    ParseStatus status = ParseStatus::kIncomplete;
    for (std::size_t cut : cuts) {
      std::memcpy(buffer_.data() + start_ + held_, bytes_.data() + fed_, cut - fed_);
      held_ += cut - fed_;
      fed_ = cut;
      status = parser_.parse(std::span<char>(buffer_.data() + start_, held_));
      if (status != ParseStatus::kIncomplete) break;
      if (reclaim) {
        const RequestParser::Dead dead = parser_.reclaimable();
        EXPECT_LE(dead.offset + dead.size, held_);
        if (dead.size > 0) {
          char* at = buffer_.data() + start_ + dead.offset;
          std::memmove(at, at + dead.size, held_ - dead.offset - dead.size);
          held_ -= dead.size;
          reclaimed_ += dead.size;
          parser_.reclaim(dead.size);
          scribble();
        }
      }
      if (move) {
        const std::size_t to = start_ == 0 ? 7 : 0;
        std::memmove(buffer_.data() + to, buffer_.data() + start_, held_);
        parser_.rebase(buffer_.data() + start_, held_, buffer_.data() + to);
        start_ = to;
        scribble();
      }
    }
    Snapshot s;
    s.status = status;
    s.error = parser_.error();
    s.examined = parser_.bytes_examined();
    if (status != ParseStatus::kComplete) return s;
    const char* begin = buffer_.data() + start_;
    const char* end = begin + held_;
    auto take = [&](std::string_view v) {
      EXPECT_TRUE(v.empty() || (v.data() >= begin && v.data() + v.size() <= end)) << "a view outside the request";
      return std::string(v);
    };
    s.method = take(parser_.head().method);
    s.target = take(parser_.head().target);
    s.host = take(parser_.head().host);
    s.body = take(parser_.body());
    for (const Header& h : parser_.head().headers) s.headers.emplace_back(take(h.name), take(h.value));
    for (const Header& h : parser_.trailers()) s.trailers.emplace_back(take(h.name), take(h.value));
    s.consumed = parser_.consumed() + reclaimed_;  // as on the wire
    return s;
  }

  std::size_t reclaimed() const { return reclaimed_; }

 private:
  void scribble() {
    for (std::size_t i = 0; i < buffer_.size(); ++i) {
      if (i < start_ || i >= start_ + held_) buffer_[i] = '\x5a';
    }
  }

  std::string bytes_;
  std::vector<char> buffer_;
  std::vector<Header> storage_;
  RequestParser parser_;
  std::size_t start_ = 7;
  std::size_t held_ = 0;
  std::size_t fed_ = 0;
  std::size_t reclaimed_ = 0;
};

// CheckMoving: in two reads split at every offset, and byte by byte, a
// request moved and reclaimed between reads parses exactly as one left in
// place (same outcome, views, consumed on the wire, and work counted).
void CheckMoving(const std::string& bytes, const ParserOptions& options = {}) {
  SCOPED_TRACE(Shown(bytes.substr(0, 200)));
  const std::size_t n = bytes.size();
  std::vector<std::vector<std::size_t>> splits;
  for (std::size_t k = 0; k <= n; ++k)
    splits.push_back(k == n ? std::vector<std::size_t>{n} : std::vector<std::size_t>{k, n});
  std::vector<std::size_t> bytewise;
  for (std::size_t k = 1; k <= n; ++k) bytewise.push_back(k);
  splits.push_back(bytewise);
  for (const auto& cuts : splits) {
    SCOPED_TRACE("first cut at " + std::to_string(cuts.front()) + ", " + std::to_string(cuts.size()) + " reads");
    const Snapshot still = Moving(bytes, options).run(cuts, false, false);
    EXPECT_TRUE(Moving(bytes, options).run(cuts, true, false) == still) << "rebase changed the outcome";
    EXPECT_TRUE(Moving(bytes, options).run(cuts, false, true) == still) << "reclaim changed the outcome";
    EXPECT_TRUE(Moving(bytes, options).run(cuts, true, true) == still) << "rebase and reclaim changed the outcome";
  }
}

const std::string kPost = "POST /p HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(RebaseAndReclaim, ChunkedBodies) {
  CheckMoving(kPost + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  CheckMoving(kPost + "1\r\na\r\n1\r\nb\r\n1\r\nc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n");
  CheckMoving(kPost + "0003;ext=\"q\\\"v\" ; e2\r\nabc\r\n00000002\r\nde\r\n0;last\r\nT-1: one\r\nT-2: two\r\n\r\n");
  CheckMoving(kPost + "a\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n");
  CheckMoving(kPost + "3\r\nabc\r\n0\r\n\r\n");  // whole chunks at once (the fast path)
}

TEST(RebaseAndReclaim, HeadsAndOtherBodies) {
  // Mid-head moves: the request-line and the fields already read follow.
  CheckMoving("GET /a/b?c=d HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Long: " + std::string(300, 'v') +
              "\r\n\r\n");
  CheckMoving("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
  ParserOptions folding;
  folding.leniency.obs_fold = true;
  CheckMoving("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", folding);
}

TEST(RebaseAndReclaim, ErrorsAreTheSame) {
  CheckMoving(kPost + "5\r\nhello\r\nzz\r\n");               // invalid chunk size
  CheckMoving(kPost + "2\r\nabc\r\n0\r\n\r\n");              // data longer than its size
  CheckMoving(kPost + "1\r\na\r\n0\r\nT: 1\r\n x\r\n\r\n");  // obs-fold in a trailer
}

// max_body counts decoded bytes: framing many times the body's size is not
// held against it, and one byte over is still refused.
TEST(RebaseAndReclaim, BodyLimitCountsDecodedBytesOnly) {
  ParserOptions options;
  options.limits.max_body = 40;
  std::string one_byte_chunks, eight_byte_chunks;
  for (int i = 0; i < 40; ++i) one_byte_chunks += "1\r\nx\r\n";
  for (int i = 0; i < 5; ++i) eight_byte_chunks += "00000008\r\n12345678\r\n";
  CheckMoving(kPost + one_byte_chunks + "0\r\n\r\n", options);
  CheckMoving(kPost + eight_byte_chunks + "0\r\n\r\n", options);
  CheckMoving(kPost + one_byte_chunks + "1\r\nx\r\n0\r\n\r\n", options);

  Moving fits(kPost + one_byte_chunks + "0\r\n\r\n", options);
  std::vector<std::size_t> bytewise;
  for (std::size_t k = 1; k <= kPost.size() + one_byte_chunks.size() + 5; ++k) bytewise.push_back(k);
  const Snapshot ok = fits.run(bytewise, true, true);
  EXPECT_EQ(ok.status, ParseStatus::kComplete);
  EXPECT_EQ(ok.body, std::string(40, 'x'));
  // The framing did not stay in the buffer: all but the last-chunk's few
  // bytes were taken out as they were decoded.
  EXPECT_GE(fits.reclaimed(), one_byte_chunks.size() - 40);

  Moving over(kPost + one_byte_chunks + "1\r\nx\r\n0\r\n\r\n", options);
  bytewise.push_back(bytewise.back() + 6);
  const Snapshot refused = over.run(bytewise, true, true);
  EXPECT_EQ(refused.status, ParseStatus::kError);
  EXPECT_EQ(refused.error, Error::kBodyTooLarge);
}

TEST(RebaseAndReclaim, NothingToReclaimOutsideAChunkedBody) {
  std::vector<Header> storage(8);
  RequestParser parser(storage);
  std::string get = "GET / HTTP/1.1\r\nHost: h\r\n";
  EXPECT_EQ(parser.parse(std::span<char>(get.data(), get.size())), ParseStatus::kIncomplete);
  EXPECT_EQ(parser.reclaimable().size, 0u);
  std::string post = kPost + "3\r\nab";
  parser.reset();
  EXPECT_EQ(parser.parse(std::span<char>(post.data(), post.size())), ParseStatus::kIncomplete);
  // "3\r\n" is dead; "ab" is decoded data, kept at the front.
  EXPECT_EQ(parser.reclaimable().offset, kPost.size() + 2);
  EXPECT_EQ(parser.reclaimable().size, 3u);
}

// ---------------------------------------------------------------------------
// Streaming a body (parse_head, stream_body, body_available, drop_body): the
// server's streamed request bodies.

struct StreamedRequest {
  ParseStatus status = ParseStatus::kIncomplete;
  Error error = Error::kNone;
  std::string body;  // every dropped slice, then body() at the end
  std::vector<std::string> trailers;
  std::size_t most_held = 0;  // the largest the buffer ever was
  std::size_t left = 0;       // bytes after the request, still in the buffer
};

// StreamRequest feeds `bytes` `step` at a time into one buffer: the head
// with parse_head(), then stream_body(max), then the body taken out after
// every incomplete parse, as the server's connection does.
StreamedRequest StreamRequest(std::string_view bytes, std::size_t step, std::uint64_t max,
                              const ParserOptions& options = {}) {
  std::vector<char> buffer(bytes.size());
  std::vector<Header> fields(16);
  RequestParser parser(fields, options);
  StreamedRequest out;
  std::size_t held = 0;
  for (std::size_t fed = 0;;) {
    const std::size_t n = std::min(step, bytes.size() - fed);
    std::copy_n(bytes.data() + fed, n, buffer.data() + held);
    fed += n;
    held += n;
    out.most_held = std::max(out.most_held, held);
    const std::span<char> input(buffer.data(), held);
    if (!parser.head_complete()) {
      out.status = parser.parse_head(input);
      if (out.status == ParseStatus::kComplete) parser.stream_body(max);
    }
    if (parser.head_complete() && out.status != ParseStatus::kError) out.status = parser.parse(input);
    if (out.status == ParseStatus::kComplete) {
      out.body += parser.body();
      for (const Header& h : parser.trailers()) out.trailers.emplace_back(h.name);
      out.left = held - parser.consumed();
      return out;
    }
    if (out.status == ParseStatus::kError) {
      out.error = parser.error();
      return out;
    }
    if (fed == bytes.size()) return out;
    const std::string_view slice = parser.body_available(input);
    out.body += slice;
    held -= parser.drop_body(input, slice.size());
  }
}

std::string Letters(std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 26);
  return body;
}

std::string ChunkedBody(std::string_view body, std::size_t chunk) {
  std::string wire;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::string_view c = body.substr(at, chunk);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", c.size());
    wire += size;
    wire += c;
    wire += "\r\n";
  }
  return wire + "0\r\nX-Sum: 1\r\n\r\n";
}

TEST(StreamBody, ContentLengthBodyPassesThroughASmallBuffer) {
  const std::string body = Letters(100'000);
  const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n";
  for (std::size_t step : {1u, 7u, 1000u, 4096u}) {
    const StreamedRequest s = StreamRequest(head + body + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", step, 0);
    ASSERT_EQ(s.status, ParseStatus::kComplete) << step;
    EXPECT_TRUE(s.body == body) << step;
    EXPECT_LE(s.most_held, head.size() + step) << "the body was not taken out as it came, step " << step;
  }
}

TEST(StreamBody, ChunkedBodyPassesThroughASmallBufferFramingAndAll) {
  const std::string body = Letters(50'000);
  const std::string head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (std::size_t chunk : {1u, 100u, 50'000u}) {
    for (std::size_t step : {1u, 13u, 4096u}) {
      const StreamedRequest s = StreamRequest(head + ChunkedBody(body, chunk), step, 0);
      ASSERT_EQ(s.status, ParseStatus::kComplete) << chunk << "/" << step;
      EXPECT_TRUE(s.body == body) << chunk << "/" << step;
      EXPECT_EQ(s.trailers, std::vector<std::string>{"X-Sum"});
      // The head, one read and one chunk-size line (or the trailers) at most.
      EXPECT_LE(s.most_held, head.size() + step + 32) << chunk << "/" << step;
    }
  }
}

// stream_body's bound replaces max_body: a streamed body may be larger
// than max_body, but not than its own bound (RFC 9110 §15.5.14).
TEST(StreamBody, TheStreamsBoundReplacesMaxBody) {
  ParserOptions options;
  options.limits.max_body = 1000;
  const std::string body = Letters(5000);
  const std::string cl = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + body;
  const std::string te = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + ChunkedBody(body, 700);
  for (const std::string& request : {cl, te}) {
    EXPECT_EQ(StreamRequest(request, 512, 0, options).status, ParseStatus::kComplete);
    EXPECT_EQ(StreamRequest(request, 512, 5000, options).status, ParseStatus::kComplete);
    const StreamedRequest over = StreamRequest(request, 512, 4999, options);
    EXPECT_EQ(over.status, ParseStatus::kError);
    EXPECT_EQ(over.error, Error::kBodyTooLarge);
    EXPECT_LE(over.body.size(), 4999u);
  }
  // Not streamed, max_body holds, and the head alone says so.
  std::vector<Header> fields(8);
  RequestParser parser(fields, options);
  std::string whole = cl;
  EXPECT_EQ(parser.parse(std::span<char>(whole.data(), whole.size())), ParseStatus::kError);
  EXPECT_EQ(parser.error(), Error::kBodyTooLarge);
}

// parse_head stops at the head; a request without a body is complete.
TEST(StreamBody, ParseHeadStopsBeforeTheBody) {
  std::vector<Header> fields(8);
  RequestParser parser(fields);
  std::string post = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
  const std::span<char> input(post.data(), post.size());
  EXPECT_EQ(parser.parse_head(input), ParseStatus::kComplete);
  EXPECT_TRUE(parser.head_complete());
  EXPECT_TRUE(parser.body().empty());
  EXPECT_EQ(parser.parse(input), ParseStatus::kComplete);
  EXPECT_EQ(parser.body(), "abc");

  parser.reset();
  std::string get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  EXPECT_EQ(parser.parse_head(std::span<char>(get.data(), get.size())), ParseStatus::kComplete);
  EXPECT_EQ(parser.consumed(), get.size());
  // Not streaming: drop_body takes nothing.
  parser.reset();
  EXPECT_EQ(parser.parse_head(input), ParseStatus::kComplete);
  EXPECT_EQ(parser.drop_body(input, 1), 0u);
}

}  // namespace
}  // namespace shockwave::http1
