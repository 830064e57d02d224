// Rejections (RFC 9112 §9.6, design invariant 3 in docs/invariants.md): a request the
// parser refuses is answered once, with its status and Connection: close,
// and the connection ends: nothing after it is ever processed, so no
// smuggled request gets a response. ResponseWriter refuses header fields
// that would split the response (RFC 9112 §11.1).

#include <mutex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

using namespace std::string_literals;

class BadRequestTest : public ::testing::Test {
 protected:
  Endpoints handler_;
  TestServer<Endpoints> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }

  // expect_one_rejection sends `bytes` and then a valid request, and checks
  // that exactly one response comes back, with `status` and "close", and
  // that the server then closes.
  void expect_one_rejection(std::string_view bytes, int status) {
    Client client(server_.port());
    ASSERT_TRUE(client.connected());
    client.send(std::string(bytes) + get("/after"));  // may fail once the server has closed
    const std::vector<Response> r = client.read_responses(2, {}, milliseconds(1500));
    ASSERT_EQ(r.size(), 1u) << escape(client.pending());
    if (status == 0) {
      EXPECT_GE(r[0].status, 400);
    } else {
      EXPECT_EQ(r[0].status, status) << r[0].body;
    }
    EXPECT_TRUE(r[0].connection_close());
    EXPECT_TRUE(client.wait_closed());
    EXPECT_EQ(client.pending(), "");
  }
};

struct Case {
  const char* label;
  std::string bytes;
  int status;  // 0: any 4xx/5xx
};

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string many_fields(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "X-" + std::to_string(i) + ": v\r\n";
  return out;
}

constexpr std::string_view kChunkedPost = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

// Parser errors, one line each, with the status each maps to.
const std::vector<Case>& parser_errors() {
  static const std::vector<Case> cases = {
      {"missing Host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"garbage", "Invalid\r\n\r\n", 400},
      {"bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
      {"two SPs in request-line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"HTTP/0.9", "GET /\r\n\r\n", 400},
      {"lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400},
      {"NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"s, 400},
      {"duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"invalid Content-Length", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1Z\r\n\r\nx", 400},
      {"invalid chunk size", std::string(kChunkedPost) + "zz\r\nhello\r\n0\r\n\r\n", 400},
      {"chunk data without CRLF", std::string(kChunkedPost) + "5\r\nhelloXY0\r\n\r\n", 400},
      {"request-line too long", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", 414},
      {"header section too large",
       "GET / HTTP/1.1\r\nHost: a\r\n" + repeat("X-Big: " + std::string(1000, 'v') + "\r\n", 20) + "\r\n", 431},
      {"too many fields", "GET / HTTP/1.1\r\nHost: a\r\n" + many_fields(120) + "\r\n", 431},
      {"Content-Length over max_body", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n", 413},
      {"chunked body over max_body", std::string(kChunkedPost) + "20000\r\n" + std::string(0x20000, 'x'), 413},
      {"unknown transfer coding", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"method longer than any", std::string(40, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n", 501},
      {"CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
      {"HTTP/3.1", "GET / HTTP/3.1\r\nHost: a\r\n\r\n", 505},
  };
  return cases;
}

TEST_F(BadRequestTest, ParserErrorsAnsweredOnceWithTheirStatusThenClosed) {
  for (const Case& c : parser_errors()) {
    SCOPED_TRACE(c.label);
    expect_one_rejection(c.bytes, c.status);
  }
}

// Smuggling attempts (docs/requirements.md, "Smuggling classes"): whatever the server
// makes of the first request, the bytes after it never get a response.
const std::vector<Case>& smuggling() {
  static const std::vector<Case> cases = {
      {"CL.TE", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
       400},
      {"TE.CL", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
       400},
      {"duplicate CL, different", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 0\r\n\r\nX",
       400},
      {"duplicate CL, same", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nX", 400},
      {"CL list", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nX", 400},
      {"CL with plus sign", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nX", 400},
      {"CL in hex", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0x1\r\n\r\nX", 400},
      {"empty CL", "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400},
      {"obs-fold TE", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400},
      {"obs-fold TE after value",
       "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n , identity\r\nContent-Length: 1\r\n\r\nX",
       400},
      {"space before colon in TE", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
       400},
      {"TE twice", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
       400},
      {"chunked not final", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n", 400},
      {"TE in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      {"bare CR in a field", "POST /echo HTTP/1.1\r\nHost: a\r\nX: a\rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400},
      {"whitespace before the first field", "POST /echo HTTP/1.1\r\n Content-Length: 1\r\nHost: a\r\n\r\nX", 400},
      {"chunk size overflow", std::string(kChunkedPost) + "10000000000000005\r\nhello\r\n0\r\n\r\n", 0},
      {"bare LF after chunk size", std::string(kChunkedPost) + "5\nhello\r\n0\r\n\r\n", 400},
      {"bare LF after last chunk", std::string(kChunkedPost) + "0\n\r\n", 400},
      {"empty chunk size", std::string(kChunkedPost) + "\r\n\r\n", 400},
      {"negative chunk size", std::string(kChunkedPost) + "-0\r\n\r\n", 400},
  };
  return cases;
}

TEST_F(BadRequestTest, SmugglingAttemptsNeverGetASecondResponse) {
  for (const Case& c : smuggling()) {
    SCOPED_TRACE(c.label);
    expect_one_rejection(c.bytes, c.status);
  }
}

// An error after a good request in the same write: the good one is answered.
TEST_F(BadRequestTest, RejectionAfterAGoodRequestComesSecond) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/plaintext") + "GET / HTTP/2.0\r\nHost: a\r\n\r\n" + get("/after")));
  const std::vector<Response> r = client.read_responses(3, {}, milliseconds(1500));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body, "Hello, World!");
  EXPECT_EQ(r[1].status, 505);
  EXPECT_TRUE(r[1].connection_close());
  EXPECT_TRUE(client.wait_closed());
}

// R-9.6-4: the 400 for the first of a large pipelined burst still reaches
// the client (lingering close: no reset wipes it out).
TEST_F(BadRequestTest, RejectionSurvivesALargeBurstBehindIt) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("Invalid\r\n\r\n"));
  client.send(repeat(get("/plaintext"), 2000));  // ~70 KiB the server will not read as requests
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(client.wait_closed());
}

// HeaderInjection tries to split its own response through the writer.
struct HeaderInjection {
  std::mutex mutex;
  std::vector<std::pair<std::string, bool>> results;  // what was tried → header()'s answer

  void handle(const Request&, ResponseWriter& response) {
    std::lock_guard<std::mutex> lock(mutex);
    results.clear();
    const std::pair<std::string_view, std::string_view> tries[] = {
        {"X-Value-CRLF", "a\r\nSet-Cookie: injected=1"},
        {"X-Value-LF", "a\nSet-Cookie: injected=1"},
        {"X-Value-CR", "a\rSet-Cookie: injected=1"},
        {"X-Value-NUL", std::string_view("a\0b", 3)},
        {"X-Name\r\nSet-Cookie", "injected=1"},
        {"X Name", "v"},
        {"X-Name:", "v"},
        {"", "v"},
        {"Content-Length", "0"},
        {"Transfer-Encoding", "chunked"},
        {"Connection", "keep-alive"},
    };
    for (const auto& [name, value] : tries) results.emplace_back(std::string(name), response.header(name, value));
    results.emplace_back("X-Good", response.header("X-Good", "yes"));
    response.body("ok");
  }
};

TEST(HeaderInjectionTest, ResponseWriterRefusesCrLfAndFramingFields) {
  HeaderInjection handler;
  TestServer<HeaderInjection> server(test_config(), handler);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/") + get("/")));
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 2u) << escape(client.pending());
  for (const Response& response : r) {
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "ok");
    EXPECT_EQ(response.header("X-Good"), "yes");
    EXPECT_FALSE(response.has("Set-Cookie"));
    EXPECT_EQ(response.count("Content-Length"), 1u);
    EXPECT_FALSE(response.has("Transfer-Encoding"));
    EXPECT_FALSE(response.has("Connection"));
  }
  std::lock_guard<std::mutex> lock(handler.mutex);
  ASSERT_FALSE(handler.results.empty());
  for (const auto& [tried, accepted] : handler.results) {
    EXPECT_EQ(accepted, tried == "X-Good") << escape(tried);
  }
}

// A reason phrase with CR/LF must not split the status line either.
struct ReasonInjection {
  void handle(const Request&, ResponseWriter& response) {
    response.status(200, "OK\r\nSet-Cookie: injected=1");
    response.body("ok");
  }
};

TEST(HeaderInjectionTest, ReasonPhraseWithCrLfIsReplaced) {
  ReasonInjection handler;
  TestServer<ReasonInjection> server(test_config(), handler);
  ASSERT_TRUE(server.started()) << server.error();
  Client client(server.port());
  ASSERT_TRUE(client.send(get("/")));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.reason, "OK");
  EXPECT_FALSE(r.has("Set-Cookie"));
  EXPECT_EQ(r.body, "ok");
}

}  // namespace
}  // namespace shockwave::testing
