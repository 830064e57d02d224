// The router (router.h) and its patterns (route_pattern.h): patterns
// refused at start-up with their reason; literal, parameter and wildcard
// matching and their precedence; 404, 405 with Allow, HEAD by the GET
// route, OPTIONS from the table; on requests parsed by the real parser,
// answered into a real ResponseWriter and read back by the product's
// response parser, each without one allocation.

#include "server/router.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "server/handler.h"
#include "server/http1/request_parser.h"
#include "server/route_pattern.h"
#include "testing/alloc_counter.h"
#include "testing/response.h"

namespace shockwave {
namespace {

static_assert(RequestHandler<Router>, "Server<Router> must work");

// Answer: the response as read back, and what routing it allocated.
struct Answer {
  testing::Response response;
  std::string head;  // the status line and fields, as sent
  std::uint64_t allocations = 0;
};

// respond parses `bytes` (one request) and has the router answer it into a
// fixed output buffer; only the routing and the handler are measured.
Answer respond(const Router& router, std::string bytes) {
  static std::array<http1::Header, 64> fields;
  static std::array<char, 64 * 1024> out_bytes;
  http1::RequestParser parser(fields);
  EXPECT_EQ(parser.parse(std::span<char>(bytes.data(), bytes.size())), http1::ParseStatus::kComplete) << bytes;
  http1::OutputBuffer out{out_bytes.data(), out_bytes.size()};
  http1::ResponseContext context;
  context.head_request = parser.head().method == "HEAD";
  Answer a;
  {
    testing::AllocationScope scope;
    const Request request{parser.head(), parser.body(), parser.trailers()};
    ResponseWriter writer(out, context);
    router.handle(request, writer);
    writer.finish();
    a.allocations = scope.allocations();
  }
  const std::string_view wire(out.data, out.size);
  a.head = std::string(wire.substr(0, wire.find("\r\n\r\n")));
  testing::ResponseParse parsed = testing::parse_response(wire, context.head_request, false);
  EXPECT_EQ(parsed.status, testing::ResponseParse::Status::kComplete) << parsed.error << "\n" << wire;
  EXPECT_EQ(parsed.consumed, wire.size()) << "more than one response: " << wire;
  a.response = std::move(parsed.response);
  return a;
}

Answer request(const Router& router, std::string_view method, std::string_view target) {
  return respond(router, std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: a\r\n\r\n");
}

// The handlers answer with what they saw: the route's name and its
// parameters, "name=value;" each.
template <char... kName>
void named(const Request&, const RouteParams& params, ResponseWriter& response) {
  static constexpr char kNameString[] = {kName..., '\0'};
  response.header("Content-Type", "text/plain");
  response.header("X-Route", kNameString);
  // A fixed buffer: the handler must not allocate either.
  std::array<char, 512> body;
  std::size_t n = 0;
  auto add = [&](std::string_view s) {
    for (char c : s) body[n++] = c;
  };
  for (std::size_t i = 0; i < params.size(); ++i) {
    add(params.name(i));
    add("=");
    add(params.value(i));
    add(";");
  }
  response.body(std::string_view(body.data(), n));
}

constexpr auto kA = named<'a'>;
constexpr auto kB = named<'b'>;
constexpr auto kC = named<'c'>;
constexpr auto kD = named<'d'>;

std::string error_of(std::string_view pattern) {
  std::string error;
  EXPECT_FALSE(RoutePattern::compile(pattern, &error).has_value()) << pattern;
  return error;
}

// ---------------------------------------------------------------------------
// Patterns refused at start-up, each with its reason.

TEST(RoutePattern, BadPatternsAreRefusedWithTheirReason) {
  const struct {
    std::string_view pattern;
    std::string_view reason;
  } cases[] = {
      {"", "must start with \"/\""},
      {"users", "must start with \"/\""},
      {"*", "must start with \"/\""},
      {"/a//b", "empty segment"},
      {"//", "empty segment"},
      {"/a/*/b", "\"*\" must be the last segment"},
      {"/a*", "may only start a segment"},
      {"/a:b", "may only start a segment"},
      {"/:", "a parameter name is [A-Za-z0-9_]+"},
      {"/:a-b", "a parameter name is [A-Za-z0-9_]+"},
      {"/:id/:id", "repeated parameter name"},
      {"/a b", "not a path character"},
      {"/a?b", "not a path character"},
      {"/a#b", "not a path character"},
      {"/a%2", "two hex digits"},
      {"/a%zz", "two hex digits"},
      {"/:a/:b/:c/:d/:e/:f/:g/:h/:i", "more than 8 parameters"},
      {"/:a/:b/:c/:d/:e/:f/:g/:h/*", "more than 8 parameters"},
  };
  for (const auto& c : cases) {
    const std::string error = error_of(c.pattern);
    EXPECT_NE(error.find("route pattern \"" + std::string(c.pattern) + "\""), std::string::npos) << error;
    EXPECT_NE(error.find(c.reason), std::string::npos) << c.pattern << ": " << error;
  }
}

TEST(RoutePattern, GoodPatternsCompile) {
  for (std::string_view p : {"/", "/a", "/a/", "/a/b", "/:id", "/a/:id/b", "/*", "/a/*", "/a%20b",
                             "/a-b.c_d~e!$&'()+,;=@", "/:a/:b/:c/:d/:e/:f/:g/:h", "/:a/:b/:c/:d/:e/:f/:g/*"}) {
    std::string error;
    EXPECT_TRUE(RoutePattern::compile(p, &error).has_value()) << p << ": " << error;
  }
}

// The router keeps the first refusal and adds no route for it.
TEST(Router, RefusedRoutesAreReportedAndNotAdded) {
  Router router;
  router.get("/ok", kA).get("/bad//", kB).get("/also-bad*", kC);
  EXPECT_EQ(router.error(), "route pattern \"/bad//\": empty segment (\"//\")");
  EXPECT_EQ(request(router, "GET", "/ok").response.header("X-Route"), "a");
  EXPECT_EQ(request(router, "GET", "/bad//").response.status, 404);
}

TEST(Router, BadMethodsAndConflictsAreRefused) {
  const struct {
    void (*build)(Router&);
    std::string_view error;
  } cases[] = {
      {[](Router& r) { r.route("GE T", "/a", kA); }, "route /a: method \"GE T\" is not a token (RFC 9110 §9.1)"},
      {[](Router& r) { r.route("", "/a", kA); }, "route /a: method \"\" is not a token (RFC 9110 §9.1)"},
      {[](Router& r) { r.get("/a", nullptr); }, "route GET /a: no handler"},
      {[](Router& r) { r.get("/a", kA).get("/a", kB); }, "route GET /a: registered twice"},
      {[](Router& r) { r.any("/a", kA).any("/a", kB); }, "route any /a: registered twice"},
      {[](Router& r) { r.get("/u/:id", kA).post("/u/:name", kB); },
       "route POST /u/:name: the same paths as \"/u/:id\""},
      {[](Router& r) { r.get("/f/*", kA).get("/f/*", kB); }, "route GET /f/*: registered twice"},
  };
  for (const auto& c : cases) {
    Router router;
    c.build(router);
    EXPECT_EQ(router.error(), c.error);
  }
}

// ---------------------------------------------------------------------------
// Matching.

TEST(Router, LiteralParameterAndWildcardMatching) {
  Router router;
  router.get("/", kA).get("/users/:id", kB).get("/static/*", kC).get("/users/:id/posts/:post", kD);
  ASSERT_EQ(router.error(), "");

  const struct {
    std::string_view target;
    int status;
    std::string_view route;
    std::string_view body;
  } cases[] = {
      {"/", 200, "a", ""},
      {"/users/42", 200, "b", "id=42;"},
      {"/users/42/posts/7", 200, "d", "id=42;post=7;"},
      {"/static/a.css", 200, "c", "*=a.css;"},
      {"/static/css/a.css", 200, "c", "*=css/a.css;"},
      {"/static/", 200, "c", "*=;"},  // the wildcard may be empty
      {"/static", 404, "", "not found\n"},
      {"/users", 404, "", "not found\n"},
      {"/users/", 404, "", "not found\n"},     // a parameter is not empty
      {"/users/42/", 404, "", "not found\n"},  // a trailing "/" is a segment
      {"/users/42/posts", 404, "", "not found\n"},
      {"/nope", 404, "", "not found\n"},
      {"/USERS/42", 404, "", "not found\n"},  // paths are case-sensitive
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target);
    const Answer a = request(router, "GET", c.target);
    EXPECT_EQ(a.allocations, 0u);
    EXPECT_EQ(a.response.status, c.status);
    EXPECT_EQ(a.response.header("X-Route"), c.route);
    EXPECT_EQ(a.response.body, c.body);
  }
}

// The query is not part of the path (RFC 3986 §3.4): it neither stops a
// match nor reaches a parameter; a "/" in it is not a segment.
TEST(Router, TheQueryIsIgnored) {
  Router router;
  router.get("/users/:id", kA).get("/static/*", kB);
  EXPECT_EQ(request(router, "GET", "/users/7?x=/y").response.body, "id=7;");
  EXPECT_EQ(request(router, "GET", "/static/a?b/c").response.body, "*=a;");
  EXPECT_EQ(request(router, "GET", "/users/?x=1").response.status, 404);
  // Absolute-form: the same path (Request::path()).
  EXPECT_EQ(request(router, "GET", "http://a/users/8?q").response.body, "id=8;");
}

// Percent-encoding is left as it is: the router compares raw bytes, and a
// parameter's value is still encoded (the handler decodes, once).
TEST(Router, PercentEncodingIsLeftAsIs) {
  Router router;
  router.get("/ab", kA).get("/a%20b", kB).get("/p/:v", kC);
  EXPECT_EQ(request(router, "GET", "/a%62").response.status, 404);  // %62 is "b"
  EXPECT_EQ(request(router, "GET", "/a%20b").response.header("X-Route"), "b");
  EXPECT_EQ(request(router, "GET", "/p/%2F%41").response.body, "v=%2F%41;");  // "%2F" is not a "/"
}

// Static beats parameter beats wildcard, whatever the registration order,
// and a more specific prefix that fails further on gives way.
TEST(Router, TheMostSpecificRouteWins) {
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "registered most general first" : "registered most specific first");
    Router router;
    if (!reversed) {
      router.get("/users/me", kA).get("/users/:id", kB).get("/users/*", kC);
    } else {
      router.get("/users/*", kC).get("/users/:id", kB).get("/users/me", kA);
    }
    router.get("/x/b/d", kD).get("/x/:p/c", kB);
    ASSERT_EQ(router.error(), "");
    EXPECT_EQ(request(router, "GET", "/users/me").response.header("X-Route"), "a");
    EXPECT_EQ(request(router, "GET", "/users/you").response.body, "id=you;");
    EXPECT_EQ(request(router, "GET", "/users/me/more").response.body, "*=me/more;");
    EXPECT_EQ(request(router, "GET", "/x/b/d").response.header("X-Route"), "d");
    EXPECT_EQ(request(router, "GET", "/x/b/c").response.body, "p=b;");
  }
}

// "*" (OPTIONS *'s target) is no path: the server answers it before any
// handler (server/tests/target_test.cc); called directly, no route has it.
TEST(Router, AsteriskFormMatchesNoRoute) {
  Router router;
  router.any("/*", kA).get("/", kB);
  const Answer a = request(router, "OPTIONS", "*");
  EXPECT_EQ(a.response.status, 404);
}

// ---------------------------------------------------------------------------
// Methods: 405 with Allow, HEAD, OPTIONS, any().

TEST(Router, AnotherMethodIs405WithTheExactAllow) {
  Router router;
  router.get("/items", kA).post("/items", kB).post("/echo", kC).put("/echo", kC).route("DELETE", "/items/:id", kD);
  ASSERT_EQ(router.error(), "");
  const struct {
    std::string_view method;
    std::string_view target;
    std::string_view allow;
  } cases[] = {
      {"PUT", "/items", "GET, HEAD, POST"}, {"DELETE", "/items", "GET, HEAD, POST"},
      {"get", "/items", "GET, HEAD, POST"},  // methods are case-sensitive (RFC 9110 §9.1)
      {"GET", "/echo", "POST, PUT"},        {"HEAD", "/echo", "POST, PUT"},  // no GET route: no HEAD either
      {"GET", "/items/1", "DELETE"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.method) + " " + std::string(c.target));
    const Answer a = request(router, c.method, c.target);
    EXPECT_EQ(a.allocations, 0u);
    EXPECT_EQ(a.response.status, 405);
    EXPECT_EQ(a.response.count("Allow"), 1u);
    EXPECT_EQ(a.response.header("Allow"), c.allow);
    EXPECT_EQ(a.response.header("X-Route"), "");
  }
  EXPECT_EQ(request(router, "POST", "/items").response.header("X-Route"), "b");
  EXPECT_EQ(request(router, "DELETE", "/items/9").response.body, "id=9;");
}

// HEAD on a GET route: GET's status line and fields, byte for byte, and no
// content (RFC 9110 §9.3.2).
TEST(Router, HeadOnAGetRouteHasGetsHeadAndNoBody) {
  Router router;
  router.get("/users/:id", kA);
  const Answer get = request(router, "GET", "/users/42");
  const Answer head = request(router, "HEAD", "/users/42");
  EXPECT_EQ(head.allocations, 0u);
  EXPECT_EQ(get.response.body, "id=42;");
  EXPECT_EQ(head.response.status, 200);
  EXPECT_EQ(head.head, get.head);
  EXPECT_EQ(head.response.header("Content-Length"), "6");
  EXPECT_EQ(head.response.body, "");
}

// A HEAD route of its own is called for HEAD, and Allow names HEAD once.
TEST(Router, AnOwnHeadRouteWins) {
  Router router;
  router.get("/a", kA).route("HEAD", "/a", kB);
  EXPECT_EQ(request(router, "HEAD", "/a").response.header("X-Route"), "b");
  EXPECT_EQ(request(router, "POST", "/a").response.header("Allow"), "GET, HEAD");
}

// OPTIONS on a routed path (RFC 9110 §9.3.7): 200, Allow, no content and
// Content-Length: 0; an OPTIONS route of its own is called instead.
TEST(Router, OptionsIsAnsweredFromTheTable) {
  Router router;
  router.get("/items/:id", kA).put("/items/:id", kB).route("OPTIONS", "/own", kC).get("/own", kC);
  const Answer a = request(router, "OPTIONS", "/items/3");
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_EQ(a.response.status, 200);
  EXPECT_EQ(a.response.header("Allow"), "GET, HEAD, PUT");
  EXPECT_EQ(a.response.header("Content-Length"), "0");
  EXPECT_EQ(a.response.header("X-Route"), "");
  EXPECT_EQ(a.response.body, "");
  EXPECT_EQ(request(router, "OPTIONS", "/own").response.header("X-Route"), "c");
  EXPECT_EQ(request(router, "OPTIONS", "/nope").response.status, 404);
}

// any(): every method its path has no route of its own for, OPTIONS and
// HEAD included; no 405 on that path.
TEST(Router, AnyTakesEveryOtherMethod) {
  Router router;
  router.any("/", kA).post("/", kB);
  for (std::string_view method : {"GET", "PUT", "DELETE", "OPTIONS", "BREW"}) {
    SCOPED_TRACE(method);
    const Answer a = request(router, method, "/");
    EXPECT_EQ(a.response.status, 200);
    EXPECT_EQ(a.response.header("X-Route"), "a");
  }
  EXPECT_EQ(request(router, "POST", "/").response.header("X-Route"), "b");
  EXPECT_EQ(request(router, "HEAD", "/").response.header("X-Route"), "a");
}

// An object route: called by reference, its state kept.
TEST(Router, AnObjectWithHandleIsARoute) {
  struct Counter {
    int calls = 0;
    void handle(const Request&, const RouteParams& params, ResponseWriter& response) {
      ++calls;
      response.body(params.get("n"));
    }
  } counter;
  Router router;
  router.get("/count/:n", counter).any("/any", counter);
  ASSERT_EQ(router.error(), "");
  const Answer a = request(router, "GET", "/count/5");
  EXPECT_EQ(a.allocations, 0u);
  EXPECT_EQ(a.response.body, "5");
  request(router, "DELETE", "/any");
  request(router, "HEAD", "/count/6");
  EXPECT_EQ(counter.calls, 3);
}

TEST(RouteParams, GetByNameAndWildcard) {
  Router router;
  router.get("/:a/:b/:c/:d/:e/:f/:g/*", kA);
  ASSERT_EQ(router.error(), "");
  const Answer a = request(router, "GET", "/1/2/3/4/5/6/7/8/9");
  EXPECT_EQ(a.response.body, "a=1;b=2;c=3;d=4;e=5;f=6;g=7;*=8/9;");

  std::string error;
  const std::optional<RoutePattern> p = RoutePattern::compile("/u/:id/*", &error);
  ASSERT_TRUE(p.has_value()) << error;
  RouteParams params;
  ASSERT_TRUE(p->match("/u/7/x/y", params));
  EXPECT_EQ(params.get("id"), "7");
  EXPECT_EQ(params.wildcard(), "x/y");
  EXPECT_EQ(params.get("nope"), "");
  EXPECT_FALSE(p->match("/u/7", params));
}

}  // namespace
}  // namespace shockwave
